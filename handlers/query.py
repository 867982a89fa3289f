"""The one place of the handlers that knows the index schema: every read the commands make.

Functions take the open connection and return plain rows (named tuples), never display text.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import NamedTuple

SQL_CHUNK = 500  # ids per IN (…) list, well under SQLite's variable limit


def in_chunks(conn: sqlite3.Connection, sql: str, ids: Sequence[str], *params: object) -> list[tuple]:
    """Run `sql` (with one `{marks}` placeholder list, after `params`) over `ids` in chunks; all rows."""
    rows: list[tuple] = []
    for start in range(0, len(ids), SQL_CHUNK):
        chunk = list(ids[start:start + SQL_CHUNK])
        rows.extend(conn.execute(sql.format(marks=",".join("?" * len(chunk))), [*params, *chunk]))
    return rows


# --- documents -----------------------------------------------------------------------------------------


class DocRow(NamedTuple):
    id: str
    title: str
    date: str | None
    date_source: str
    outlet: str | None
    path: str
    added_at: str
    url: str | None
    story_id: str


DOC_COLUMNS = "d.id, d.title, d.date, d.date_source, d.outlet, d.path, d.added_at, d.url, coalesce(d.story_id, d.id)"
NEWEST = "ORDER BY d.date IS NULL, d.date DESC, d.id"


def documents(conn: sqlite3.Connection, doc_ids: Sequence[str]) -> dict[str, DocRow]:
    rows = in_chunks(conn, f"SELECT {DOC_COLUMNS} FROM documents d WHERE d.id IN ({{marks}})", doc_ids)
    return {r[0]: DocRow(*r) for r in rows}


def document(conn: sqlite3.Connection, doc_id: str) -> DocRow | None:
    row = conn.execute(f"SELECT {DOC_COLUMNS} FROM documents d WHERE d.id = ?", (doc_id,)).fetchone()
    return DocRow(*row) if row else None




def story_sizes(conn: sqlite3.Connection, story_ids: Sequence[str]) -> dict[str, int]:
    """How many indexed articles carry each story (the same wire story republished by several outlets)."""
    rows = in_chunks(conn, "SELECT story_id, count(*) FROM documents WHERE story_id IN ({marks}) GROUP BY story_id",
                     sorted(set(story_ids)))
    return dict(rows)


def stories_of(conn: sqlite3.Connection, doc_ids: Sequence[str]) -> dict[str, str]:
    """doc id → the id of its story (its own when no other outlet carries it)."""
    return {r[0]: r[1] for r in in_chunks(conn, "SELECT id, coalesce(story_id, id) FROM documents WHERE id IN"
                                                " ({marks})", sorted(set(doc_ids)))}


def last_document(conn: sqlite3.Connection) -> int:
    """The sequence number of the last document indexed (documents get increasing row ids as they come in)."""
    return int(conn.execute("SELECT coalesce(max(rowid), 0) FROM documents").fetchone()[0])


def documents_about_since(conn: sqlite3.Connection, entity_id: str, after: int, limit: int) -> list[DocRow]:
    """Documents indexed after document number `after` that mention or quote `entity_id`, oldest first."""
    rows = conn.execute(
        f"SELECT {DOC_COLUMNS} FROM documents d WHERE d.rowid > ? AND"
        " (d.id IN (SELECT doc_id FROM entity_docs WHERE entity_id = ?)"
        "  OR d.id IN (SELECT doc_id FROM quotes WHERE speaker_id = ?))"
        " ORDER BY d.rowid LIMIT ?", (after, entity_id, entity_id, limit)).fetchall()
    return [DocRow(*r) for r in rows]


def first_quote_in(conn: sqlite3.Connection, doc_id: str, speaker_id: str) -> str | None:
    row = conn.execute("SELECT text FROM quotes WHERE doc_id = ? AND speaker_id = ? ORDER BY sent_idx LIMIT 1",
                       (doc_id, speaker_id)).fetchone()
    return row[0] if row else None


def newest_documents(conn: sqlite3.Connection, limit: int, *, entity_id: str | None = None,
                     doc_ids: Sequence[str] | None = None, date_from: str | None = None,
                     date_to: str | None = None, added_after: str | None = None) -> tuple[list[DocRow], int]:
    """Documents newest first (optionally only those mentioning an entity, among `doc_ids`, dated in a
    range, or added after a time), at most `limit`, and how many there are in all."""
    where, params = _doc_filters(entity_id, date_from, date_to, added_after)
    if doc_ids is not None:
        where += f" AND d.id IN ({','.join('?' * len(doc_ids))})"
        params += list(doc_ids)
    total = conn.execute(f"SELECT COUNT(*) FROM documents d WHERE {where}", params).fetchone()[0]
    rows = conn.execute(f"SELECT {DOC_COLUMNS} FROM documents d WHERE {where} {NEWEST} LIMIT ?",
                        [*params, limit]).fetchall()
    return [DocRow(*r) for r in rows], int(total)


def _doc_filters(entity_id: str | None, date_from: str | None, date_to: str | None,
                 added_after: str | None) -> tuple[str, list[object]]:
    clauses = ["1"]
    params: list[object] = []
    if entity_id is not None:
        clauses.append("d.id IN (SELECT doc_id FROM entity_docs WHERE entity_id = ?)")
        params.append(entity_id)
    if date_from is not None:
        clauses.append("d.date >= ?")
        params.append(date_from)
    if date_to is not None:  # "2019-06" covers every day of June
        clauses.append("substr(d.date, 1, ?) <= ?")
        params += [len(date_to), date_to]
    if added_after is not None:
        clauses.append("d.added_at > ?")
        params.append(added_after)
    return " AND ".join(clauses), params


def counts_per_document(conn: sqlite3.Connection, table: str, doc_ids: Sequence[str]) -> dict[str, int]:
    """Rows of `table` (sentences, quotes or figures) per document."""
    assert table in {"sentences", "quotes", "figures"}
    return dict(in_chunks(conn, f"SELECT doc_id, COUNT(*) FROM {table} WHERE doc_id IN ({{marks}})"
                                " GROUP BY doc_id", doc_ids))


def latest_added(conn: sqlite3.Connection) -> str | None:
    return conn.execute("SELECT MAX(added_at) FROM documents").fetchone()[0]


def documents_matching(conn: sqlite3.Connection, words: str) -> list[str]:
    """Ids of the documents whose id, outlet or title contains `words` (case-insensitive)."""
    like = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return [r[0] for r in conn.execute(
        "SELECT id FROM documents WHERE id LIKE ?1 ESCAPE '\\' OR outlet LIKE ?1 ESCAPE '\\'"
        " OR title LIKE ?1 ESCAPE '\\'", (like,))]


# --- sentences -----------------------------------------------------------------------------------------


class SentenceRow(NamedTuple):
    doc_id: str
    idx: int
    text: str


def sentences(conn: sqlite3.Connection, doc_id: str, first: int, last: int) -> list[SentenceRow]:
    """Sentences `first`…`last` (inclusive) of a document."""
    rows = conn.execute("SELECT doc_id, idx, text FROM sentences WHERE doc_id = ? AND idx BETWEEN ? AND ?"
                        " ORDER BY idx", (doc_id, first, last))
    return [SentenceRow(*r) for r in rows]


class SearchHit(NamedTuple):
    doc_id: str
    idx: int
    text: str
    snippet: str
    date: str | None


def search_sentences(conn: sqlite3.Connection, match: str, *, doc_ids: Sequence[str] | None = None,
                     date_from: str | None = None, date_to: str | None = None,
                     limit: int = 40, offset: int = 0) -> tuple[list[SearchHit], int]:
    """Sentences matching the FTS5 expression `match` best first (BM25), with a highlighted snippet;
    optionally only in `doc_ids` and dated in a range. Also the number of matching sentences."""
    where, params = _doc_filters(None, date_from, date_to, None)
    if doc_ids is not None:
        where += f" AND d.id IN ({','.join('?' * len(doc_ids))})"
        params += list(doc_ids)
    base = ("FROM sentences_fts JOIN sentences s ON s.id = sentences_fts.rowid JOIN documents d ON d.id = s.doc_id"
            f" WHERE sentences_fts MATCH ? AND {where}")
    rows = conn.execute(
        f"SELECT s.doc_id, s.idx, s.text, snippet(sentences_fts, 0, '**', '**', '…', 32), d.date {base}"
        " ORDER BY rank LIMIT ? OFFSET ?", [match, *params, limit, offset]).fetchall()
    if 0 < len(rows) < limit or (not rows and not offset):  # the last page: no need to count
        return [SearchHit(*r) for r in rows], offset + len(rows)
    total = conn.execute(f"SELECT COUNT(*) {base}", [match, *params]).fetchone()[0]
    return [SearchHit(*r) for r in rows], int(total)


def sentence_keys(conn: sqlite3.Connection, match: str, limit: int) -> list[tuple[str, int]]:
    """(doc_id, sentence idx) of the best-ranked sentences matching the FTS5 expression `match`."""
    return conn.execute(
        "SELECT s.doc_id, s.idx FROM sentences_fts JOIN sentences s ON s.id = sentences_fts.rowid"
        " WHERE sentences_fts MATCH ? ORDER BY rank LIMIT ?", (match, limit)).fetchall()


# --- entities ------------------------------------------------------------------------------------------


class EntityRow(NamedTuple):
    id: str
    name: str
    kind: str
    mention_count: int
    doc_count: int


def entity(conn: sqlite3.Connection, entity_id: str) -> EntityRow:
    return EntityRow(*conn.execute("SELECT id, name, kind, mention_count, doc_count FROM entities WHERE id = ?",
                                   (entity_id,)).fetchone())


def entity_names(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, str]:
    return dict(in_chunks(conn, "SELECT id, name FROM entities WHERE id IN ({marks})", ids))


def entity_span(conn: sqlite3.Connection, entity_id: str) -> tuple[str | None, str | None]:
    """The first and last dates of the documents that mention the entity (both ends of an index: no scan)."""
    first, last = conn.execute(
        "SELECT (SELECT date FROM entity_docs WHERE entity_id = ?1 AND date IS NOT NULL ORDER BY date LIMIT 1),"
        " (SELECT date FROM entity_docs WHERE entity_id = ?1 AND date IS NOT NULL ORDER BY date DESC LIMIT 1)",
        (entity_id,),
    ).fetchone()
    return first, last




def entity_doc_dates(conn: sqlite3.Connection, entity_id: str) -> dict[str, str | None]:
    """doc_id → date of every document that mentions the entity (one indexed read)."""
    return dict(conn.execute("SELECT doc_id, date FROM entity_docs WHERE entity_id = ?", (entity_id,)))


def entity_aliases(conn: sqlite3.Connection, entity_id: str) -> list[str]:
    return [a for (a,) in conn.execute("SELECT alias FROM aliases WHERE entity_id = ? ORDER BY alias", (entity_id,))]


def entity_roles(conn: sqlite3.Connection, entity_id: str) -> list[tuple[str, list[str]]]:
    """(role text, doc ids) as stored, in the order they were stated."""
    return [(text, json.loads(docs)) for text, docs in conn.execute(
        "SELECT text, doc_ids FROM roles WHERE entity_id = ? ORDER BY rowid", (entity_id,))]


def all_roles(conn: sqlite3.Connection) -> list[tuple[str, str, list[str]]]:
    """(entity id, role text, doc ids) of every stated role."""
    return [(e, text, json.loads(docs)) for e, text, docs in
            conn.execute("SELECT entity_id, text, doc_ids FROM roles ORDER BY rowid")]


def doc_dates(conn: sqlite3.Connection, doc_ids: Sequence[str]) -> dict[str, str | None]:
    return dict(in_chunks(conn, "SELECT id, date FROM documents WHERE id IN ({marks})", doc_ids))


def co_mentions(conn: sqlite3.Connection, entity_id: str) -> dict[str, int]:
    """Names co-occurring with the entity: same sentence (weight 2), same document (1)."""
    score: dict[str, int] = {}
    for other, n in conn.execute(
        "WITH mine AS (SELECT doc_id, sent_idx FROM mentions WHERE entity_id = ?1 ORDER BY rowid DESC LIMIT 400)"
        " SELECT m.entity_id, COUNT(*) FROM mine JOIN mentions m"
        " ON m.doc_id = mine.doc_id AND m.sent_idx = mine.sent_idx"
        " WHERE m.entity_id != ?1 GROUP BY m.entity_id",
        (entity_id,),
    ):
        score[other] = score.get(other, 0) + 2 * n
    for other, n in conn.execute(
        "WITH mine AS (SELECT doc_id FROM entity_docs WHERE entity_id = ?1 ORDER BY rowid DESC LIMIT 200)"
        " SELECT e.entity_id, COUNT(*) FROM mine JOIN entity_docs e ON e.doc_id = mine.doc_id"
        " WHERE e.entity_id != ?1 GROUP BY e.entity_id",
        (entity_id,),
    ):
        score[other] = score.get(other, 0) + n
    return score


def top_people_in_new_documents(conn: sqlite3.Connection, added_after: str, limit: int) -> list[tuple[str, int]]:
    """(name, mentions) of the people most mentioned in the documents added after a time."""
    return conn.execute(
        "SELECT e.name, COUNT(*) AS n FROM mentions m JOIN entities e ON e.id = m.entity_id"
        " WHERE m.doc_id IN (SELECT id FROM documents WHERE added_at > ?) AND e.kind = 'person'"
        " GROUP BY e.id ORDER BY n DESC, e.name LIMIT ?", (added_after, limit)).fetchall()






# --- quotes --------------------------------------------------------------------------------------------


class QuoteRow(NamedTuple):
    id: str
    text: str
    doc_id: str
    sent_idx: int
    partial: bool
    date: str | None
    speaker_id: str | None
    speaker: str | None  # the entity's name; for a speaker the index has no entity for, as the text writes it
    sentence: str | None
    date_source: str
    speaker_kind: str | None  # the entity's kind, "description", or None: unknown


QUOTE_SQL = (
    "SELECT q.id, q.text, q.doc_id, q.sent_idx, q.partial, d.date, q.speaker_id, coalesce(e.name, q.speaker), s.text,"
    " d.date_source, q.speaker_kind"
    " FROM quotes q"
    " JOIN documents d ON d.id = q.doc_id LEFT JOIN entities e ON e.id = q.speaker_id"
    " LEFT JOIN sentences s ON s.doc_id = q.doc_id AND s.idx = q.sent_idx"
)
QUOTE_ORDER = " ORDER BY d.date IS NULL, d.date DESC, q.doc_id, q.sent_idx"


def _quotes(conn: sqlite3.Connection, where: str, params: Sequence[object], limit: int) -> list[QuoteRow]:
    rows = conn.execute(f"{QUOTE_SQL} WHERE {where}{QUOTE_ORDER} LIMIT ?", [*params, limit])
    return [QuoteRow(r[0], r[1], r[2], r[3], bool(r[4]), *r[5:]) for r in rows]


def quotes_by(conn: sqlite3.Connection, speaker_ids: Sequence[str], limit: int = 2000) -> list[QuoteRow]:
    """Quotes of these speakers, newest first."""
    marks = ",".join("?" * len(speaker_ids))
    return _quotes(conn, f"q.speaker_id IN ({marks})", list(speaker_ids), limit)


def latest_indexed_quotes(conn: sqlite3.Connection, speaker_id: str, limit: int) -> list[QuoteRow]:
    """The speaker's quotes indexed last (cheap on a prolific speaker: no sort by date)."""
    rows = conn.execute(
        f"{QUOTE_SQL} WHERE q.rowid IN (SELECT rowid FROM quotes WHERE speaker_id = ? ORDER BY rowid DESC LIMIT ?)",
        (speaker_id, limit))
    return [QuoteRow(r[0], r[1], r[2], r[3], bool(r[4]), *r[5:]) for r in rows]


def recent_quotes(conn: sqlite3.Connection, limit: int, *, unknown_only: bool = False) -> list[QuoteRow]:
    """The corpus's quotes newest first (only those with no speaker, named or described, when `unknown_only`)."""
    return _quotes(conn, "q.speaker_id IS NULL AND q.speaker IS NULL" if unknown_only else "1", (), limit)


def quote_count(conn: sqlite3.Connection, *, unknown_only: bool = False) -> int:
    where = " WHERE speaker_id IS NULL AND speaker IS NULL" if unknown_only else ""
    return int(conn.execute(f"SELECT COUNT(*) FROM quotes{where}").fetchone()[0])


def new_quotes(conn: sqlite3.Connection, added_after: str, limit: int) -> list[QuoteRow]:
    """Attributed quotes of the documents added after a time, newest first."""
    return _quotes(conn, "d.added_at > ? AND q.speaker_id IS NOT NULL", (added_after,), limit)


# --- figures -------------------------------------------------------------------------------------------


class GroupRow(NamedTuple):
    id: str
    value: float
    unit: str | None
    subject: str | None
    doc_ids: list[str]
    conflicts_with: list[str]
    members: int


GROUP_SQL = (
    "SELECT g.id, g.value, g.unit, g.subject, g.doc_ids, g.conflicts_with,"
    " (SELECT COUNT(*) FROM figures f WHERE f.group_id = g.id) FROM figure_groups g"
)


def _group(row: tuple) -> GroupRow:
    gid, value, unit, subject, doc_ids, conflicts, members = row
    return GroupRow(gid, value, unit, subject, json.loads(doc_ids), json.loads(conflicts), members)


def figure_groups(conn: sqlite3.Connection, ids: Sequence[str] | None = None) -> list[GroupRow]:
    """The given figure groups (every group when `ids` is None)."""
    if ids is None:
        return [_group(r) for r in conn.execute(GROUP_SQL)]
    return [_group(r) for r in in_chunks(conn, GROUP_SQL + " WHERE g.id IN ({marks})", ids)]


def group_qualifiers(conn: sqlite3.Connection, group_id: str) -> list[str]:
    """How the group's figures are qualified ("some", "more than"), the most frequent first."""
    return [q for (q,) in conn.execute(
        "SELECT qualifier FROM figures WHERE group_id = ? AND qualifier IS NOT NULL GROUP BY qualifier"
        " ORDER BY COUNT(*) DESC, qualifier LIMIT 4", (group_id,))]


def member_subject(conn: sqlite3.Connection, group_id: str) -> str | None:
    row = conn.execute("SELECT subject FROM figures WHERE group_id = ? AND subject IS NOT NULL LIMIT 1",
                       (group_id,)).fetchone()
    return row[0] if row else None


def group_statements(conn: sqlite3.Connection, group_ids: Sequence[str]) -> list[tuple[float, str | None,
                                                                                        str | None, list[str]]]:
    """(value, unit, qualifier, doc ids) of each different way the groups' figures are stated."""
    rows = in_chunks(conn, "SELECT value, unit, qualifier, GROUP_CONCAT(doc_id, char(31)) FROM figures"
                           " WHERE group_id IN ({marks}) GROUP BY value, unit, qualifier", group_ids)
    return [(v, u, q, sorted(docs.split("\x1f"))) for v, u, q, docs in rows]


def entity_group_ids(conn: sqlite3.Connection, entity_id: str) -> list[str]:
    """Figure groups stated in sentences that mention the entity or quote it (its latest 500 of each)."""
    rows = conn.execute(
        "SELECT f.group_id FROM (SELECT doc_id, sent_idx FROM mentions WHERE entity_id = ?1 ORDER BY rowid DESC"
        " LIMIT 500) m JOIN figures f ON f.doc_id = m.doc_id AND f.sent_idx = m.sent_idx"
        " UNION SELECT f.group_id FROM (SELECT doc_id, sent_idx FROM quotes WHERE speaker_id = ?1"
        " ORDER BY rowid DESC LIMIT 500) q JOIN figures f ON f.doc_id = q.doc_id AND f.sent_idx = q.sent_idx",
        (entity_id,),
    )
    return [r[0] for r in rows]


def matching_group_ids(conn: sqlite3.Connection, match: str) -> list[str]:
    """Figure groups stated in sentences matching the FTS5 expression."""
    return [r[0] for r in conn.execute(
        "SELECT f.group_id FROM sentences_fts JOIN sentences s ON s.id = sentences_fts.rowid"
        " JOIN figures f ON f.doc_id = s.doc_id AND f.sent_idx = s.idx"
        " WHERE sentences_fts MATCH ? LIMIT 2000", (match,))]


def group_ids_of_kind(conn: sqlite3.Connection, kind: str) -> list[str]:
    """Figure groups with a figure of this kind (count, money, percent, change, measurement, rate)."""
    return [r[0] for r in conn.execute("SELECT DISTINCT group_id FROM figures WHERE kind = ?", (kind,))]


def new_group_ids(conn: sqlite3.Connection, added_after: str) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT DISTINCT group_id FROM figures WHERE doc_id IN (SELECT id FROM documents WHERE added_at > ?)",
        (added_after,))]


# --- dates ---------------------------------------------------------------------------------------------


class EventRow(NamedTuple):
    iso: str
    said: str
    doc_id: str
    sent_idx: int
    sentence: str


EVENT_SQL = (
    "SELECT d.iso, d.text, d.doc_id, d.sent_idx, s.text FROM dates d"
    " JOIN sentences s ON s.doc_id = d.doc_id AND s.idx = d.sent_idx"
)


def _range(column: str, date_from: str | None, date_to: str | None) -> tuple[str, list[object]]:
    clauses, params = [f"{column} IS NOT NULL"], []
    if date_from is not None:
        clauses.append(f"{column} >= ?")
        params.append(date_from)
    if date_to is not None:
        clauses.append(f"substr({column}, 1, ?) <= ?")
        params += [len(date_to), date_to]
    return " AND ".join(clauses), params


def events(conn: sqlite3.Connection, *, keys: Sequence[tuple[str, int]] | None = None,
           date_from: str | None = None, date_to: str | None = None, limit: int = 2000) -> list[EventRow]:
    """Dated statements, latest first: all, or those in the given sentences."""
    where, params = _range("d.iso", date_from, date_to)
    if keys is not None:
        rows = [r for doc_id, idx in keys for r in conn.execute(
            EVENT_SQL + f" WHERE d.doc_id = ? AND d.sent_idx = ? AND {where}", [doc_id, idx, *params])]
        return [EventRow(*r) for r in sorted(rows, key=lambda r: r[0], reverse=True)[:limit]]
    return [EventRow(*r) for r in conn.execute(EVENT_SQL + f" WHERE {where} ORDER BY d.iso DESC LIMIT ?",
                                               [*params, limit])]


def dated_documents(conn: sqlite3.Connection, *, doc_ids: Sequence[str] | None = None,
                    date_from: str | None = None, date_to: str | None = None,
                    limit: int = 2000) -> list[tuple[str, str, str]]:
    """(date, title, id) of dated documents, latest first (only `doc_ids` when given)."""
    where, params = _range("date", date_from, date_to)
    if doc_ids is None:
        return conn.execute(f"SELECT date, title, id FROM documents WHERE {where} ORDER BY date DESC LIMIT ?",
                            [*params, limit]).fetchall()
    return in_chunks(conn, f"SELECT date, title, id FROM documents WHERE {where} AND id IN ({{marks}})",
                     doc_ids, *params)


# --- topics --------------------------------------------------------------------------------------------


def mention_keys(conn: sqlite3.Connection, entity_id: str, limit: int = 2000) -> list[tuple[str, int]]:
    """(doc_id, sentence idx) of the entity's latest mentions."""
    return conn.execute("SELECT DISTINCT doc_id, sent_idx FROM mentions WHERE entity_id = ? ORDER BY rowid DESC"
                        " LIMIT ?", (entity_id, limit)).fetchall()


def first_mentions(conn: sqlite3.Connection, entity_id: str) -> dict[str, int]:
    """doc_id → the sentence where the entity is first named in that document."""
    return dict(conn.execute("SELECT doc_id, MIN(sent_idx) FROM mentions WHERE entity_id = ? GROUP BY doc_id",
                             (entity_id,)))


def matching_keys_in(conn: sqlite3.Connection, match: str, doc_ids: Sequence[str],
                     limit: int = 2000) -> list[tuple[str, int]]:
    """(doc_id, sentence idx) of sentences of these documents that match the FTS5 expression."""
    return in_chunks(conn, "SELECT s.doc_id, s.idx FROM sentences_fts JOIN sentences s ON s.id = sentences_fts.rowid"
                           " WHERE sentences_fts MATCH ? AND s.doc_id IN ({marks}) LIMIT " + str(int(limit)),
                     doc_ids, match)


def group_ids_at(conn: sqlite3.Connection, keys: Sequence[tuple[str, int]]) -> list[str]:
    """Figure groups stated in these sentences."""
    found: set[str] = set()
    for doc_id, idx in keys:
        found.update(g for (g,) in conn.execute("SELECT group_id FROM figures WHERE doc_id = ? AND sent_idx = ?",
                                                (doc_id, idx)))
    return sorted(found)
