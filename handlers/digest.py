"""`digest`: what is new in the index since a time (of indexing), with the articles' own dates."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from handlers import query
from handlers.cite import Citer
from handlers.common import quoted, safe
from handlers.figures import figure_lines, load_groups
from handlers.index import Index
from handlers.models import Reply, ReplyField
from handlers.quotes import group_quotes, quote_line
from handlers.sources import document_item
from handlers.text import BadArgument, plural, shorten, shown_date

DIGEST_WINDOW = timedelta(days=7)
MAX_DOCS = 10
SINCE_RE = re.compile(r"^(\d{1,4})\s*(m|min|mins|h|hr|hrs|hours?|d|days?|w|wk|weeks?)$", re.IGNORECASE)
UNIT_SECONDS = {"m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """ "7d", "24h", "90m", "2w", "today", "yesterday", "2026-11-01", "2026-11-01 08:00" → an aware UTC datetime."""
    now = now or datetime.now(UTC)
    text = text.strip().lower()
    match = SINCE_RE.match(text)
    if match:
        return now - timedelta(seconds=int(match[1]) * UNIT_SECONDS[match[2][0]])
    midnight = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    if text == "today":
        return midnight
    if text == "yesterday":
        return midnight - timedelta(days=1)
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise BadArgument(
            f"I can't read {quoted(text)} as a time: use 7d, 24h, 90m, 2w, today, yesterday or 2026-11-01."
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _utc_text(when: datetime) -> str:
    """The form `documents.added_at` is stored in, for string comparison."""
    return when.astimezone(UTC).replace(microsecond=0).isoformat()


@safe("digest")
def digest(index: Index, since: datetime | None = None) -> Reply:
    """The briefing: documents added to the index after `since` (default: the week up to the latest
    addition), the people most mentioned in them, and their figures and quotes — one field per section."""
    conn = index.conn
    if since is None:
        latest = query.latest_added(conn)
        if latest is None:
            return Reply(command="digest", title="Digest", lines=["The index has no documents yet."])
        since = datetime.fromisoformat(latest) - DIGEST_WINDOW
    elif since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    key = _utc_text(since)
    label = since.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    docs, count = query.newest_documents(conn, MAX_DOCS, added_after=key)
    if not count:
        return Reply(command="digest", title=f"Nothing new since {label}",
                     lines=[f"No documents were added to the index since {label}."], total=0)
    cite = Citer(conn)
    lines = [f"“New” means added to the index after {label}; each article shows its own date."]
    fields = []
    doc_lines = []
    for doc in docs:
        by = f" — {doc.outlet}" if doc.outlet else ""
        doc_lines.append(f"{shown_date(doc.date, doc.date_source)} · {shorten(doc.title, 90)}{by} {cite([doc.id])}")
    if count > len(docs):
        doc_lines.append(f"… and {count - len(docs):,} more")
    fields.append(ReplyField(name=f"New documents ({count:,})", value="\n".join(doc_lines)))
    people = query.top_people_in_new_documents(conn, key, 6)
    if people:
        fields.append(ReplyField(name="People in the news",
                                 value=", ".join(f"{name} ({n})" for name, n in people)))
    groups = load_groups(conn, query.new_group_ids(conn, key))[:5]
    figure_items = []
    if groups:
        figure_text, figure_items = figure_lines(conn, groups, cite)
        fields.append(ReplyField(name="New figures", value="\n".join(figure_text)))
    said = group_quotes(query.new_quotes(conn, key, 300))
    best = sorted(said, key=lambda q: q.telling, reverse=True)[:5]
    if best:
        fields.append(ReplyField(name="New quotes", value="\n".join(quote_line(q, cite, speaker=True) for q in best)))
    title = f"Digest — {plural(count, 'new document')} since {label}"
    return Reply(command="digest", title=title, lines=lines, fields=fields, citations=cite.citations(),
                 documents=[document_item(d) for d in docs],
                 figures=figure_items, quotes=[q.item() for q in best], total=count)
