"""`who`: who or what a name is (a card), or who held a role."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from handlers import query
from handlers.cite import Citer
from handlers.common import safe, title, unresolved
from handlers.figures import figure_lines, load_groups
from handlers.index import Index
from handlers.models import EntityCard, HolderItem, Reply, RoleItem
from handlers.quotes import group_quotes, quote_line
from handlers.resolver import WHO_KINDS
from handlers.roles import names_the_entity, role_holders, without_question_words
from handlers.text import check_arg, fold, plural

MAX_HOLDERS = 40


def display_aliases(name: str, aliases: Iterable[str]) -> list[str]:
    """Other names worth showing: not the name itself, not a part of it (surname), one spelling each."""
    name_words = fold(name).split()
    shown: dict[str, str] = {}
    for alias in aliases:
        key = fold(alias)
        words = key.split()
        if not key or key in shown or words == name_words:
            continue
        if all(w in name_words for w in words) and len(words) < len(name_words):
            continue
        shown[key] = alias
    return list(shown.values())


def roles_of(conn: sqlite3.Connection, entity_id: str, dates: dict[str, str | None]) -> list[RoleItem]:
    """The entity's roles, the same role merged, the most documented first (first stated on ties);
    `dates`: the dates of the documents that mention the entity."""
    merged: dict[str, tuple[str, dict[str, None]]] = {}  # dicts as ordered sets
    for text, doc_ids in query.entity_roles(conn, entity_id):
        _, docs = merged.setdefault(fold(text), (text, {}))
        docs.update(dict.fromkeys(doc_ids))
    items = []
    for text, docs in merged.values():
        known = sorted(d for d in (dates.get(doc) for doc in docs) if d)
        items.append(RoleItem(text=text, doc_ids=list(docs), first_date=known[0] if known else None,
                              last_date=known[-1] if known else None))
    return sorted(items, key=lambda r: -len(r.doc_ids))


def related(conn: sqlite3.Connection, entity_id: str, limit: int = 6) -> list[str]:
    score = query.co_mentions(conn, entity_id)
    best = sorted(score, key=lambda e: (-score[e], e))[:limit]
    names = query.entity_names(conn, best)
    return [names[e] for e in best if e in names]


def span(first: str | None, last: str | None) -> str:
    return "" if first is None else f" ({first})" if first == last else f" ({first} … {last})"


def holders_reply(index: Index, phrase: str, holders: list[HolderItem]) -> Reply:
    """The people who held a role, the most recent first, with dates and citations."""
    cite = Citer(index.conn)
    lines = [f"{h.name} — {h.role}{span(h.first_date, h.last_date)} {cite(h.doc_ids)}"
             for h in holders[:MAX_HOLDERS]]
    if len(holders) > MAX_HOLDERS:
        lines.append(f"… and {len(holders) - MAX_HOLDERS:,} more")
    return Reply(command="who", title=title(f"Who was “{phrase}” — {plural(len(holders), 'name')}"), lines=lines,
                 citations=cite.citations(), holders=holders[:MAX_HOLDERS], total=len(holders))


@safe("who")
def who(index: Index, name: str) -> Reply:
    """Who (or what) a name is: roles, aliases, coverage, quotes, figures, related names, sources. A role
    phrase ("secretary of state") lists the people who held it, unless it is also a name."""
    name = without_question_words(check_arg(name, "name", "who <name>"))
    res = index.resolver.resolve(name, WHO_KINDS)
    if not names_the_entity(index, name, res):
        holders = role_holders(index, name)
        if holders:
            return holders_reply(index, name, holders)
    if res.status != "ok":
        return unresolved(index, "who", name, res, WHO_KINDS)
    assert res.entity_id is not None
    return card(index, res.entity_id)


def card(index: Index, entity_id: str) -> Reply:
    conn = index.conn
    row = query.entity(conn, entity_id)
    cite = Citer(conn)
    first, last = query.entity_span(conn, entity_id)
    dates = query.entity_doc_dates(conn, entity_id)
    newest = sorted(dates, key=lambda d: (dates[d] or "", d), reverse=True)
    roles = roles_of(conn, entity_id, dates)
    headline = roles[0].text if roles else None
    aliases = display_aliases(row.name, query.entity_aliases(conn, entity_id))
    lines = [f"{row.kind.capitalize()} · in {plural(len(dates), 'article')}{span(first, last)}"
             f" · {plural(row.mention_count, 'mention')} {cite(newest)}".rstrip()]
    if roles:
        lines.append("Roles: " + " · ".join(f"{r.text} {cite(r.doc_ids)}" for r in roles[:6]))
    if aliases:
        lines.append("Also known as: " + ", ".join(aliases[:12]))
    said = group_quotes(query.latest_indexed_quotes(conn, entity_id, 400))
    best = sorted(said, key=lambda q: q.telling, reverse=True)[:3]
    if best:
        lines.append("Quotes")
        lines += ["  " + quote_line(q, cite) for q in best]
    groups = load_groups(conn, query.entity_group_ids(conn, entity_id))[:3]
    figure_items = []
    if groups:
        figure_text, figure_items = figure_lines(conn, groups, cite, only_docs=dates.keys())
        lines.append("Figures")
        lines += ["  " + line for line in figure_text]
    names = related(conn, entity_id)
    if names:
        lines.append("Related: " + ", ".join(names))
    entity_card = EntityCard(
        id=entity_id, name=row.name, kind=row.kind, headline_role=headline, roles=roles, aliases=aliases,
        doc_count=len(dates), mention_count=row.mention_count, first_date=first, last_date=last,
    )
    head = f"{row.name} — {headline}" if headline else row.name
    return Reply(command="who", title=title(head), lines=lines, citations=cite.citations(), entity=entity_card,
                 quotes=[q.item() for q in best], figures=figure_items)

