"""`figures`: key numbers ranked by corroboration, with near-conflicts flagged."""

from __future__ import annotations

import sqlite3
from collections.abc import Collection

from handlers import query
from handlers.cite import Citer
from handlers.common import MAX_LIST, fts_query, quoted, safe, strict_entity, terms, title
from handlers.index import Index
from handlers.models import FigureItem, Reply
from handlers.numbers import format_value, with_qualifier
from handlers.text import BadArgument, check_arg, fold, plural
from handlers.topics import entity_sentences

MAX_CONFLICTS = 6  # statements shown in one ⚠ line
MAX_FIGURES = 15
UNCLEAR = "(what is counted is unclear)"


def rank_key(group: query.GroupRow) -> tuple[int, bool, int, bool, str]:
    """Corroboration (documents), a stated number before a vague one ("thousands"), then salience (times
    stated, has a subject)."""
    return (-len(group.doc_ids), "-vague-" in group.id, -group.members, group.subject is None, group.id)


def load_groups(conn: sqlite3.Connection, ids: Collection[str]) -> list[query.GroupRow]:
    return sorted(query.figure_groups(conn, sorted(ids)), key=rank_key)


def top_group_ids(index: Index, limit: int = MAX_LIST) -> list[str]:
    """The best-ranked figure groups of the whole index (computed once per open index)."""

    def compute() -> list[str]:
        return [g.id for g in sorted(query.figure_groups(index.conn), key=rank_key)[:limit]]

    return index.memo("figures:top", compute)


def figure_lines(conn: sqlite3.Connection, groups: list[query.GroupRow], cite: Citer,
                 only_docs: Collection[str] | None = None) -> tuple[list[str], list[FigureItem]]:
    """One line per group, plus a ⚠ line per cluster of near-conflicting groups; and the groups as items.
    With `only_docs`, a group's sources are only those documents (an entity card cites where it is named)."""
    lines: list[str] = []
    items: list[FigureItem] = []
    seen_conflicts: set[frozenset[str]] = set()
    for group in groups:
        qualifiers = query.group_qualifiers(conn, group.id)
        vague = next((q for q in qualifiers if format_value(group.value, group.unit, q) == q.lower()), None)
        stated = [q for q in qualifiers if q != vague][:3]
        subject = group.subject or query.member_subject(conn, group.id)
        value = format_value(group.value, group.unit, vague)
        how = f" ({', '.join(stated)})" if stated else ""
        docs = [d for d in group.doc_ids if only_docs is None or d in only_docs] or group.doc_ids
        stories = len(set(query.stories_of(conn, docs).values())) or len(docs)  # one wire story counts once
        lines.append(f"{value} {subject or UNCLEAR}{how} — {plural(stories, 'source')} {cite(docs)}")
        items.append(FigureItem(id=group.id, value=group.value, unit=group.unit, display=value, subject=subject,
                                qualifiers=qualifiers, sources=docs, conflicts_with=group.conflicts_with))
        cluster = frozenset([group.id, *group.conflicts_with])
        if group.conflicts_with and cluster not in seen_conflicts:
            seen_conflicts.add(cluster)
            shown = _conflict_statements(conn, sorted(cluster), cite)
            lines.append(f"⚠ {subject or UNCLEAR} — the sources disagree: " + " · ".join(shown))
    return lines, items


def _conflict_statements(conn: sqlite3.Connection, group_ids: list[str], cite: Citer) -> list[str]:
    """How the documents state the figures of a conflicting cluster, with the dates of the articles, so the
    line says what differs: “12” on 2024-03-01 [1] · “13” on 2024-03-02 [2]."""
    rows = query.group_statements(conn, group_ids[:MAX_CONFLICTS])
    statements: dict[str, list[str]] = {}
    for value, unit, qualifier, doc_ids in sorted(rows, key=lambda r: (r[0], r[2] or "")):
        statements.setdefault(with_qualifier(value, unit, qualifier), []).extend(doc_ids)
    dates = query.doc_dates(conn, [d for docs in statements.values() for d in docs])
    shown = []
    for text, docs in list(statements.items())[:MAX_CONFLICTS]:
        days = sorted({day for d in docs if (day := dates.get(d))})
        when = f" on {days[0]}" if len(days) == 1 else f" on {days[0]} … {days[-1]}" if days else ""
        shown.append(f"“{text}”{when} {cite(docs, limit=3)}")
    if len(statements) > MAX_CONFLICTS:
        shown.append(f"+{len(statements) - MAX_CONFLICTS} more")
    return shown


def _subject_matches(group: query.GroupRow, words: list[str]) -> bool:
    subject = fold(group.subject or "")
    return bool(words) and all(w.rstrip("s") in subject for w in words)


FIGURE_KINDS = {"money": "money", "$": "money", "cash": "money", "%": "percent", "percent": "percent",
                "percents": "percent", "percentages": "percent", "shares": "percent", "changes": "change",
                "change": "change", "counts": "count", "measurements": "measurement", "rates": "rate"}
KIND_TITLES = {"money": "money", "percent": "percentages and shares", "change": "changes", "count": "counts",
               "measurement": "measurements", "rate": "rates"}


@safe("figures")
def figures(index: Index, topic: str = "") -> Reply:
    """Key figures ranked by corroboration, with near-conflicts flagged; `topic` is words or a name."""
    topic = check_arg(topic, "topic", "figures refugees", required=False)
    conn = index.conn
    kind = FIGURE_KINDS.get(topic.lower())
    if not topic:
        groups = load_groups(conn, top_group_ids(index))
        head = "Key figures"
    elif kind is not None:  # `figures money`, `figures %`: what a reader means is the kind of figure
        groups = load_groups(conn, query.group_ids_of_kind(conn, kind))
        head = f"Figures — {KIND_TITLES[kind]}"
    else:
        ids: set[str] = set()
        entity_id = strict_entity(index, topic)
        if entity_id:
            ids.update(query.entity_group_ids(conn, entity_id))
            ids.update(query.group_ids_at(conn, entity_sentences(index, entity_id)))
        words = terms(topic)
        if not words:
            raise BadArgument("A figures topic needs a word or a name, for example `figures refugees`.")
        ids.update(query.matching_group_ids(conn, fts_query(words)))
        folded = fold(" ".join(words)).split()
        groups = sorted(load_groups(conn, ids), key=lambda g: not _subject_matches(g, folded))
        head = f"Figures about {quoted(topic)}"
    if not groups:
        status = "not_found" if topic else "ok"
        return Reply(status=status, command="figures", title=title(head), lines=["No figures found."], total=0)
    cite = Citer(conn)
    lines, items = figure_lines(conn, groups[:MAX_FIGURES], cite)
    return Reply(command="figures", title=title(head), lines=lines, citations=cite.citations(), figures=items,
                 total=len(groups))
