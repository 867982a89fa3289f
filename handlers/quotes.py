"""`quotes`: what someone (or the holders of a role) said; with no name the latest quotes of the corpus,
with `unknown` those whose speaker is not known."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from handlers import query
from handlers.cite import Citer
from handlers.common import MAX_LIST, quoted, safe, title, unresolved
from handlers.index import Index
from handlers.models import QuoteItem, Reply
from handlers.resolver import WHO_KINDS
from handlers.roles import names_the_entity, role_holders
from handlers.text import check_arg, fold, shorten, shown_date

QUOTE_CHARS = 300
QUOTE_MARKS = "“”\"' "
UNKNOWN_WORDS = frozenset({"unknown", "anonymous", "unattributed"})


@dataclass
class QuoteGroup:
    """One quotation, with every document that carries it."""

    first: query.QuoteRow
    doc_ids: list[str] = field(default_factory=list)

    @property
    def telling(self) -> tuple[bool, int, int]:
        """How much a quote tells: whole before partial, corroborated, then substantial."""
        return (not self.first.partial, len(self.doc_ids), min(len(self.first.text), 200))

    def item(self) -> QuoteItem:
        q = self.first
        return QuoteItem(text=q.text.strip(QUOTE_MARKS), kind="partial" if q.partial else "full",
                         speaker_id=q.speaker_id, speaker=q.speaker, speaker_kind=q.speaker_kind,
                         sentence=q.sentence, doc_id=q.doc_id,
                         sent_idx=q.sent_idx, date=q.date, doc_ids=self.doc_ids)


def group_quotes(rows: Iterable[query.QuoteRow]) -> list[QuoteGroup]:
    """Quote rows, in order → the same quotation of the same speaker merged across documents."""
    groups: dict[tuple[str | None, str], QuoteGroup] = {}
    for row in rows:
        group = groups.setdefault((row.speaker_id, fold(row.text)), QuoteGroup(row))
        if row.doc_id not in group.doc_ids:
            group.doc_ids.append(row.doc_id)
    return list(groups.values())


def quote_line(group: QuoteGroup, cite: Citer, *, speaker: bool = False, dated: bool = False) -> str:
    """ “text” (partial) [n] — with the speaker ("speaker unknown" when none) and the date when asked."""
    q = group.first
    who = f"{q.speaker or 'speaker unknown'}: " if speaker else ""
    when = f"{shown_date(q.date, q.date_source)} · " if dated else ""
    mark = " (partial)" if q.partial else ""
    return f"{when}{who}“{shorten(q.text.strip(QUOTE_MARKS), QUOTE_CHARS)}”{mark} {cite(group.doc_ids)}"


def _reply(index: Index, head: str, groups: list[QuoteGroup], total: int, *, speaker: bool,
           sentences: bool = False, empty: str) -> Reply:
    cite = Citer(index.conn)
    if not groups:
        return Reply(command="quotes", title=title(head), lines=[empty], total=0)
    shown = groups[:MAX_LIST]
    lines = []
    for g in shown:
        lines.append(quote_line(g, cite, speaker=speaker, dated=True))
        if sentences and g.first.sentence:
            lines.append(f"  in: {shorten(g.first.sentence, QUOTE_CHARS)}")
    if total > len(shown):
        lines.append(f"… and {total - len(shown):,} older quotes")
    return Reply(command="quotes", title=title(f"{head} ({total:,})"), lines=lines, citations=cite.citations(),
                 quotes=[g.item() for g in shown], total=total)


@safe("quotes")
def quotes(index: Index, name: str = "", words: str = "") -> Reply:
    """What someone said, newest first, optionally only quotes containing all of `words`. A role phrase
    gives the quotes of the people who held it; no name gives the latest quotes of the corpus, and
    `unknown` those whose speaker is not known."""
    name = check_arg(name, "name", "quotes <name> [words]", required=False)
    words = check_arg(words, "filter", "quotes <name> problem", required=False)
    wanted = fold(words).split()
    about = f" about {quoted(words)}" if wanted else ""
    conn = index.conn

    def keep(groups: list[QuoteGroup]) -> list[QuoteGroup]:
        return [g for g in groups if all(w in fold(g.first.text) for w in wanted)] if wanted else groups

    if not name:
        groups = keep(group_quotes(query.recent_quotes(conn, 400)))
        total = len(groups) if wanted else query.quote_count(conn)
        return _reply(index, f"Latest quotes{about}", groups, total, speaker=True,
                      empty=f"No quotes{about} in the index.")
    if fold(name) in UNKNOWN_WORDS:
        groups = keep(group_quotes(query.recent_quotes(conn, 400, unknown_only=True)))
        total = len(groups) if wanted else query.quote_count(conn, unknown_only=True)
        return _reply(index, f"Quotes with no known speaker{about}", groups, total, speaker=False,
                      sentences=True, empty=f"Every quote{about} in the index has a speaker.")
    res = index.resolver.resolve(name, WHO_KINDS)
    if not names_the_entity(index, name, res):
        holders = role_holders(index, name)
        if holders:
            ids = list(dict.fromkeys(h.entity_id for h in holders))
            groups = keep(group_quotes(query.quotes_by(conn, ids)))
            who = ", ".join(dict.fromkeys(h.name for h in holders))
            return _reply(index, f"Quotes — {shorten(who, 80)} ({name}){about}", groups, len(groups),
                          speaker=True, empty=f"No quotes from {who}{about} in the index.")
    if res.status != "ok":
        return unresolved(index, "quotes", name, res, WHO_KINDS)
    assert res.entity_id is not None
    speaker = query.entity(conn, res.entity_id).name
    groups = keep(group_quotes(query.quotes_by(conn, [res.entity_id])))
    return _reply(index, f"Quotes — {speaker}{about}", groups, len(groups), speaker=False,
                  empty=f"No quotes from {speaker}{about} in the index.")
