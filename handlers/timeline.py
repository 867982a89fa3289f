"""`timeline`: dated statements and articles in date order, of a topic or name, a year or a range."""

from __future__ import annotations

from handlers import query
from handlers.cite import Citer
from handlers.common import (
    MAX_LIST,
    SENTENCE_CHARS,
    quoted,
    range_label,
    safe,
    split_range,
    title,
)
from handlers.index import Index
from handlers.models import EventItem, Reply
from handlers.text import check_arg, shorten
from handlers.topics import topic_sentences

MAX_EVENTS = 2000


@safe("timeline")
def timeline(index: Index, topic: str = "") -> Reply:
    """The latest MAX_LIST dated events in date order; `topic` is words or a name, optionally followed by a
    year, a month or a range ("coalition 2019", "2019-01..2019-06")."""
    topic = check_arg(topic, "topic", "timeline coalition", required=False)
    conn = index.conn
    topic, date_from, date_to = split_range(topic)
    span = {"date_from": date_from, "date_to": date_to}
    if not topic:
        events = query.events(conn, limit=400, **span)
        articles = query.dated_documents(conn, limit=MAX_LIST, **span)
    else:
        _, keys = topic_sentences(index, topic, MAX_EVENTS)
        events = query.events(conn, keys=keys, limit=MAX_EVENTS, **span)
        articles = query.dated_documents(conn, doc_ids=sorted({d for d, _ in keys}), **span)
    merged: dict[tuple[str, str], tuple[EventItem, list[str]]] = {}
    for e in events:
        when = f"{e.iso} ({e.said})" if not any(ch.isdigit() for ch in e.said) else e.iso
        text = shorten(e.sentence, SENTENCE_CHARS)
        item = EventItem(date=e.iso, said=e.said, text=text)
        merged.setdefault((e.iso, f"{when} · {text}"), (item, []))[1].append(e.doc_id)
    for date, doc_title, doc_id in articles:
        text = f"Article: {shorten(doc_title, 120)}"
        merged.setdefault((date, f"{date} · {text}"), (EventItem(date=date, text=text), []))[1].append(doc_id)
    about = (f" about {quoted(topic)}" if topic else "") + range_label(date_from, date_to)
    if not merged:
        status = "not_found" if topic or date_from or date_to else "ok"
        return Reply(status=status, command="timeline", title=title(f"Timeline{about}"),
                     lines=[f"No dated events{about} in the index."], total=0)
    ordered = sorted(merged.items(), key=lambda kv: kv[0])[-MAX_LIST:]
    cite = Citer(conn)
    lines = [f"{text} {cite(docs)}" for (_, text), (_, docs) in ordered]
    if len(merged) > MAX_LIST:
        lines.insert(0, f"The latest {MAX_LIST} of {len(merged):,} dated events:")
    items = [item.model_copy(update={"doc_ids": list(dict.fromkeys(docs))}) for _, (item, docs) in ordered]
    return Reply(command="timeline", title=title(f"Timeline{about}"), lines=lines, citations=cite.citations(),
                 events=items, total=len(merged))
