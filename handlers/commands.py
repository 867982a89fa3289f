"""The commands. Each takes an open `Index` and the user's arguments and returns a `Reply`; none raises on
any user string (bad arguments are an `error` reply, unexpected failures are logged and reported).

Lines cite documents as `[n]`; `Reply.citations` says which document each n is.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import wraps
from typing import ParamSpec

from rapidfuzz import fuzz, process

from handlers.cite import SQL_CHUNK, Citer
from handlers.index import Index
from handlers.models import Candidate, EntityCard, Reply
from handlers.numbers import format_value, with_qualifier
from handlers.resolver import ALL_KINDS, MAX_CANDIDATES, WHO_KINDS, Resolution
from handlers.text import BadArgument, check_arg, fold, plural, shorten

log = logging.getLogger(__name__)

P = ParamSpec("P")

TITLE_CHARS = 200
QUOTE_CHARS = 300
SENTENCE_CHARS = 220
MAX_COMMAND_CHARS = 400
MAX_CONFLICTS = 6  # statements shown in one ⚠ line
MAX_LIST = 40  # lines of one list (quotes, events, documents); Reply.pages splits them for display
STRICT_STAGES = {"id", "alias", "token"}  # a topic names an entity only when it matches a name exactly
DIGEST_WINDOW = timedelta(days=7)
SEARCH_STOPWORDS = frozenset(
    {"the", "a", "an", "of", "and", "or", "to", "in", "on", "for", "is", "was", "at", "by", "with", "from",
     "that", "this", "it", "as", "be", "are", "not", "no"}
)


# --- replies -------------------------------------------------------------------------------------------


def error_reply(command: str, message: str) -> Reply:
    return Reply(status="error", command=command, title="That did not work", lines=[message])


def _safe(command: str) -> Callable[[Callable[P, Reply]], Callable[P, Reply]]:
    """Turn BadArgument into an error reply and any other failure into a logged, apologetic one."""

    def wrap(fn: Callable[P, Reply]) -> Callable[P, Reply]:
        @wraps(fn)
        def inner(*args: P.args, **kwargs: P.kwargs) -> Reply:
            try:
                return fn(*args, **kwargs)
            except BadArgument as exc:
                return error_reply(command, str(exc))
            except Exception:
                log.exception("command %s failed", command)
                return error_reply(command, "Sorry, briefbot failed to answer that; the error has been logged.")

        return inner

    return wrap


def _title(text: str) -> str:
    return shorten(text, TITLE_CHARS)


def _quoted(text: str) -> str:
    return f"“{shorten(text, 60)}”"


def _resolve(index: Index, command: str, name: str, kinds: tuple[str, ...]) -> tuple[str | None, Reply | None]:
    """(entity id, None) when `name` resolves; otherwise (None, the ambiguous or not-found reply)."""
    res = index.resolver.resolve(name, kinds)
    if res.status == "ok":
        return res.entity_id, None
    return None, _unresolved(index, command, name, res, kinds)


def _unresolved(index: Index, command: str, name: str, res: Resolution, kinds: tuple[str, ...]) -> Reply:
    if res.status == "ambiguous":
        lines = [f"{_quoted(name)} could be:"]
        lines += [f"{i}. {c.name} ({c.kind})" for i, c in enumerate(res.candidates, 1)]
        lines.append("Pick one, or ask again with the full name.")
        return Reply(status="ambiguous", command=command, title=_title(f"Which {_quoted(name)}?"), lines=lines,
                     candidates=res.candidates)
    lines = [f"Nobody and nothing called {_quoted(name)} is in the index."]
    candidates = res.candidates
    if candidates:
        lines.append("Nearest names: " + ", ".join(c.name for c in candidates))
    else:
        candidates = index.resolver.top(kinds, MAX_CANDIDATES)
        if candidates:
            lines.append("Most mentioned: " + ", ".join(c.name for c in candidates))
    return Reply(status="not_found", command=command, title=_title(f"{_quoted(name)} not found"), lines=lines,
                 candidates=candidates)


def _strict_entity(index: Index, topic: str) -> str | None:
    """The entity a topic names exactly (alias or whole words), else None: topics are never fuzzy-matched."""
    res = index.resolver.resolve(topic, ALL_KINDS)
    return res.entity_id if res.status == "ok" and res.stage in STRICT_STAGES else None


def _in_chunks(conn: sqlite3.Connection, sql: str, ids: Sequence[str]) -> list[tuple]:
    """Run `sql` (with one `{marks}` placeholder list) over `ids` in chunks; all rows."""
    rows: list[tuple] = []
    for start in range(0, len(ids), SQL_CHUNK):
        chunk = list(ids[start:start + SQL_CHUNK])
        rows.extend(conn.execute(sql.format(marks=",".join("?" * len(chunk))), chunk))
    return rows


# --- full-text search ----------------------------------------------------------------------------------


def _terms(text: str) -> list[str]:
    """Words of a user's text; function words dropped when others remain."""
    words = [w[:50] for w in re.findall(r"\w+", text)][:12]
    content = [w for w in words if w.lower() not in SEARCH_STOPWORDS]
    return content or words


def _fts_query(terms: Sequence[str], op: str = " ") -> str:
    """An FTS5 query in which every term is a quoted string: user text can never be FTS syntax."""
    return op.join('"' + t.replace('"', '""') + '"' for t in terms)


def _fts_sentences(conn: sqlite3.Connection, terms: Sequence[str], limit: int) -> list[tuple[str, int]]:
    """(doc_id, sentence idx) of the best-ranked sentences having all the terms."""
    if not terms:
        return []
    return conn.execute(
        "SELECT s.doc_id, s.idx FROM sentences_fts JOIN sentences s ON s.id = sentences_fts.rowid"
        " WHERE sentences_fts MATCH ? ORDER BY rank LIMIT ?",
        (_fts_query(terms), limit),
    ).fetchall()


# --- quotes --------------------------------------------------------------------------------------------


@dataclass
class QuoteGroup:
    """One quotation, with every document that carries it."""

    text: str
    partial: bool
    date: str | None
    speaker_id: str | None
    doc_ids: list[str] = field(default_factory=list)

    @property
    def telling(self) -> tuple[bool, int, int]:
        """How much a quote tells: whole before partial, corroborated, then substantial."""
        return (not self.partial, len(self.doc_ids), min(len(self.text), 200))


def _group_quotes(rows: Iterable[tuple[str, str, int, str | None, str | None]]) -> list[QuoteGroup]:
    """Rows (text, doc_id, partial, date, speaker_id), in order → the same quotation merged across documents."""
    groups: dict[tuple[str | None, str], QuoteGroup] = {}
    for text, doc_id, partial, date, speaker_id in rows:
        group = groups.setdefault((speaker_id, fold(text)), QuoteGroup(text, bool(partial), date, speaker_id))
        if doc_id not in group.doc_ids:
            group.doc_ids.append(doc_id)
    return list(groups.values())


def _quote_line(group: QuoteGroup, cite: Citer, speaker: str | None = None) -> str:
    who = f"{speaker}: " if speaker else ""
    mark = " (partial)" if group.partial else ""
    text = shorten(group.text.strip(QUOTE_MARKS), QUOTE_CHARS)
    return f"{who}“{text}”{mark} {cite(group.doc_ids)}"


QUOTE_MARKS = "“”\"' "
QUOTE_SQL = (
    "SELECT q.text, q.doc_id, q.partial, d.date, q.speaker_id FROM quotes q JOIN documents d ON d.id = q.doc_id"
)


# --- figures -------------------------------------------------------------------------------------------


@dataclass
class FigureGroup:
    id: str
    value: float
    unit: str | None
    subject: str | None
    doc_ids: list[str]
    conflicts_with: list[str]
    members: int

    @property
    def rank_key(self) -> tuple[int, bool, int, bool, str]:
        """Corroboration (documents), a stated number before a vague one ("thousands"), then salience
        (times stated, has a subject)."""
        return (-len(self.doc_ids), "-vague" in self.id, -self.members, self.subject is None, self.id)


GROUP_SQL = (
    "SELECT g.id, g.value, g.unit, g.subject, g.doc_ids, g.conflicts_with,"
    " (SELECT COUNT(*) FROM figures f WHERE f.group_id = g.id) FROM figure_groups g"
)


def _load_groups(conn: sqlite3.Connection, ids: Sequence[str]) -> list[FigureGroup]:
    rows = _in_chunks(conn, GROUP_SQL + " WHERE g.id IN ({marks})", ids)
    return sorted((_group(r) for r in rows), key=lambda g: g.rank_key)


def _group(row: tuple) -> FigureGroup:
    gid, value, unit, subject, doc_ids, conflicts, members = row
    return FigureGroup(gid, value, unit, subject, json.loads(doc_ids), json.loads(conflicts), members)


def _top_group_ids(index: Index, limit: int = MAX_LIST) -> list[str]:
    """The best-ranked figure groups of the whole index (computed once per open index)."""

    def compute() -> list[str]:
        groups = [_group(r) for r in index.conn.execute(GROUP_SQL)]
        return [g.id for g in sorted(groups, key=lambda g: g.rank_key)[:limit]]

    return index.memo("figures:top", compute)


def _figure_lines(conn: sqlite3.Connection, groups: list[FigureGroup], cite: Citer) -> list[str]:
    """One line per group, plus a ⚠ line per cluster of near-conflicting groups."""
    lines: list[str] = []
    seen_conflicts: set[frozenset[str]] = set()
    for group in groups:
        qualifiers = [q for (q,) in conn.execute(
            "SELECT qualifier FROM figures WHERE group_id = ? AND qualifier IS NOT NULL GROUP BY qualifier"
            " ORDER BY COUNT(*) DESC, qualifier LIMIT 4", (group.id,))]
        vague = next((q for q in qualifiers if format_value(group.value, group.unit, q) == q.lower()), None)
        stated = [q for q in qualifiers if q != vague][:3]
        subject = group.subject or next(iter(conn.execute(
            "SELECT subject FROM figures WHERE group_id = ? AND subject IS NOT NULL LIMIT 1", (group.id,)
        )), ("(what is counted is unclear)",))[0]
        value = format_value(group.value, group.unit, vague)
        how = f" ({', '.join(stated)})" if stated else ""
        lines.append(f"{value} {subject}{how} — {plural(len(group.doc_ids), 'source')} {cite(group.doc_ids)}")
        cluster = frozenset([group.id, *group.conflicts_with])
        if group.conflicts_with and cluster not in seen_conflicts:
            seen_conflicts.add(cluster)
            lines.append(f"⚠ {subject}: " + " · ".join(_conflict_statements(conn, sorted(cluster), cite)))
    return lines


def _conflict_statements(conn: sqlite3.Connection, group_ids: list[str], cite: Citer) -> list[str]:
    """How the documents state the figures of a conflicting cluster: “some 30” [1] · “31” [3][4]."""
    rows = _in_chunks(
        conn, "SELECT value, unit, qualifier, GROUP_CONCAT(doc_id, char(31)) FROM figures"
        " WHERE group_id IN ({marks}) GROUP BY value, unit, qualifier", group_ids[:MAX_CONFLICTS]
    )
    statements: dict[str, list[str]] = {}
    for value, unit, qualifier, doc_ids in sorted(rows, key=lambda r: (r[0], r[2] or "")):
        statements.setdefault(with_qualifier(value, unit, qualifier), []).extend(sorted(doc_ids.split("\x1f")))
    shown = [f"“{text}” {cite(docs, limit=3)}" for text, docs in list(statements.items())[:MAX_CONFLICTS]]
    if len(statements) > MAX_CONFLICTS:
        shown.append(f"+{len(statements) - MAX_CONFLICTS} more")
    return shown


def _entity_group_ids(index: Index, entity_id: str) -> list[str]:
    """Figure groups stated in sentences that mention the entity or quote it (its latest 500 of each)."""
    rows = index.conn.execute(
        "SELECT f.group_id FROM (SELECT doc_id, sent_idx FROM mentions WHERE entity_id = ?1 ORDER BY rowid DESC"
        " LIMIT 500) m JOIN figures f ON f.doc_id = m.doc_id AND f.sent_idx = m.sent_idx"
        " UNION SELECT f.group_id FROM (SELECT doc_id, sent_idx FROM quotes WHERE speaker_id = ?1"
        " ORDER BY rowid DESC LIMIT 500) q JOIN figures f ON f.doc_id = q.doc_id AND f.sent_idx = q.sent_idx",
        (entity_id,),
    )
    return [r[0] for r in rows]


def _subject_matches(group: FigureGroup, words: list[str]) -> bool:
    subject = fold(group.subject or "")
    return bool(words) and all(w.rstrip("s") in subject for w in words)


# --- who -----------------------------------------------------------------------------------------------


def _display_aliases(name: str, aliases: Iterable[str]) -> list[str]:
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


def _roles(conn: sqlite3.Connection, entity_id: str) -> list[tuple[str, list[str]]]:
    """(role, doc ids) with the same role merged, the most documented first (first stated on ties)."""
    merged: dict[str, tuple[str, dict[str, None]]] = {}  # dicts as ordered sets
    for text, doc_ids in conn.execute("SELECT text, doc_ids FROM roles WHERE entity_id = ? ORDER BY rowid",
                                      (entity_id,)):
        _, docs = merged.setdefault(fold(text), (text, {}))
        docs.update(dict.fromkeys(json.loads(doc_ids)))
    return sorted(((text, list(docs)) for text, docs in merged.values()), key=lambda r: -len(r[1]))


def _related(conn: sqlite3.Connection, entity_id: str, limit: int = 6) -> list[str]:
    """Names that co-occur with the entity: in the same sentence (weight 2), in the same document (1)."""
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
    best = sorted(score, key=lambda e: (-score[e], e))[:limit]
    names = dict(_in_chunks(conn, "SELECT id, name FROM entities WHERE id IN ({marks})", best))
    return [names[e] for e in best if e in names]


@_safe("who")
def who(index: Index, name: str) -> Reply:
    """Who (or what) a name is: roles, aliases, coverage, quotes, figures, related names, sources."""
    name = check_arg(name, "name", "who <name>")
    entity_id, unresolved = _resolve(index, "who", name, WHO_KINDS)
    if unresolved:
        return unresolved
    assert entity_id is not None
    conn = index.conn
    _, canonical, kind, mentions, doc_count = conn.execute(
        "SELECT id, name, kind, mention_count, doc_count FROM entities WHERE id = ?", (entity_id,)
    ).fetchone()
    cite = Citer(conn)
    first, last = conn.execute(  # both ends of the (entity_id, date) index: no scan
        "SELECT (SELECT date FROM entity_docs WHERE entity_id = ?1 AND date IS NOT NULL ORDER BY date LIMIT 1),"
        " (SELECT date FROM entity_docs WHERE entity_id = ?1 AND date IS NOT NULL ORDER BY date DESC LIMIT 1)",
        (entity_id,),
    ).fetchone()
    span = "" if first is None else f" ({first})" if first == last else f" ({first} … {last})"
    newest = [doc for (doc,) in conn.execute(
        "SELECT doc_id FROM entity_docs WHERE entity_id = ? ORDER BY date DESC, doc_id DESC LIMIT 8", (entity_id,)
    )]
    roles = _roles(conn, entity_id)
    headline = roles[0][0] if roles else None
    aliases = _display_aliases(
        canonical, (a for (a,) in conn.execute("SELECT alias FROM aliases WHERE entity_id = ?", (entity_id,)))
    )
    lines = [f"{kind.capitalize()} · in {plural(doc_count, 'article')}{span} · {plural(mentions, 'mention')}"
             f" {cite(newest)}".rstrip()]
    if roles:
        lines.append("Roles: " + " · ".join(f"{text} {cite(docs_)}" for text, docs_ in roles[:6]))
    if aliases:
        lines.append("Also known as: " + ", ".join(aliases[:12]))
    quotes = _group_quotes(conn.execute(QUOTE_SQL + " WHERE q.speaker_id = ? ORDER BY q.rowid DESC LIMIT 400",
                                        (entity_id,)))
    if quotes:
        lines.append("Quotes")
        lines += ["  " + _quote_line(q, cite) for q in sorted(quotes, key=lambda q: q.telling, reverse=True)[:3]]
    groups = _load_groups(conn, _entity_group_ids(index, entity_id))[:3]
    if groups:
        lines.append("Figures")
        lines += ["  " + line for line in _figure_lines(conn, groups, cite)]
    related = _related(conn, entity_id)
    if related:
        lines.append("Related: " + ", ".join(related))
    card = EntityCard(
        id=entity_id, name=canonical, kind=kind, headline_role=headline, roles=[r for r, _ in roles],
        aliases=aliases, doc_count=doc_count, mention_count=mentions, first_date=first, last_date=last,
    )
    title = f"{canonical} — {headline}" if headline else canonical
    return Reply(command="who", title=_title(title), lines=lines, citations=cite.citations(), entity=card)


# --- quotes --------------------------------------------------------------------------------------------


@_safe("quotes")
def quotes(index: Index, name: str, words: str = "") -> Reply:
    """What someone said, newest first, optionally only quotes containing all of `words`."""
    name = check_arg(name, "name", "quotes <name> [words]")
    words = check_arg(words, "filter", "quotes <name> problem", required=False)
    entity_id, unresolved = _resolve(index, "quotes", name, WHO_KINDS)
    if unresolved:
        return unresolved
    conn = index.conn
    speaker = conn.execute("SELECT name FROM entities WHERE id = ?", (entity_id,)).fetchone()[0]
    groups = _group_quotes(conn.execute(QUOTE_SQL + " WHERE q.speaker_id = ? ORDER BY d.date DESC, q.doc_id,"
                                        " q.sent_idx", (entity_id,)))
    wanted = fold(words).split()
    if wanted:
        groups = [g for g in groups if all(w in fold(g.text) for w in wanted)]
    cite = Citer(conn)
    about = f" about {_quoted(words)}" if wanted else ""
    if not groups:
        line = f"No quotes from {speaker}{about} in the index."
        return Reply(command="quotes", title=_title(f"Quotes — {speaker}"), lines=[line])
    lines = [f"{g.date or 'undated'} · {_quote_line(g, cite)}" for g in groups[:MAX_LIST]]
    if len(groups) > MAX_LIST:
        lines.append(f"… and {len(groups) - MAX_LIST} older quotes")
    title = f"Quotes — {speaker}{about} ({len(groups)})"
    return Reply(command="quotes", title=_title(title), lines=lines, citations=cite.citations())


# --- figures -------------------------------------------------------------------------------------------


@_safe("figures")
def figures(index: Index, topic: str = "") -> Reply:
    """Key figures ranked by corroboration, with near-conflicts flagged; `topic` is words or a name."""
    topic = check_arg(topic, "topic", "figures refugees", required=False)
    conn = index.conn
    if not topic:
        groups = _load_groups(conn, _top_group_ids(index))
        title = "Key figures"
    else:
        ids: set[str] = set()
        entity_id = _strict_entity(index, topic)
        if entity_id:
            ids.update(_entity_group_ids(index, entity_id))
        terms = _terms(topic)
        if terms:
            ids.update(r[0] for r in conn.execute(
                "SELECT f.group_id FROM sentences_fts JOIN sentences s ON s.id = sentences_fts.rowid"
                " JOIN figures f ON f.doc_id = s.doc_id AND f.sent_idx = s.idx"
                " WHERE sentences_fts MATCH ? LIMIT 2000", (_fts_query(terms),)))
        words = fold(" ".join(terms)).split()
        groups = sorted(_load_groups(conn, sorted(ids)), key=lambda g: not _subject_matches(g, words))
        title = f"Figures about {_quoted(topic)}"
    if not groups:
        status = "not_found" if topic else "ok"
        return Reply(status=status, command="figures", title=_title(title), lines=["No figures found."])
    cite = Citer(conn)
    lines = _figure_lines(conn, groups[:15], cite)
    return Reply(command="figures", title=_title(title), lines=lines, citations=cite.citations())


# --- search --------------------------------------------------------------------------------------------


@_safe("search")
def search(index: Index, words: str) -> Reply:
    """Sentences containing the words (all of them, else any), best first (BM25), highlighted, cited."""
    words = check_arg(words, "search", "search prisoners")
    terms = _terms(words)
    if not terms:
        raise BadArgument("Search needs at least one word of letters or digits, for example `search prisoners`.")
    sql = (
        "SELECT s.doc_id, snippet(sentences_fts, 0, '**', '**', '…', 24) FROM sentences_fts"
        " JOIN sentences s ON s.id = sentences_fts.rowid WHERE sentences_fts MATCH ? ORDER BY rank LIMIT ?"
    )
    conn = index.conn
    rows = conn.execute(sql, (_fts_query(terms), 10)).fetchall()
    note = ""
    if not rows and len(terms) > 1:
        rows = conn.execute(sql, (_fts_query(terms, " OR "), 10)).fetchall()
        note = "No sentence has all the words; these have some of them."
    if not rows:
        return Reply(status="not_found", command="search", title=_title(f"Nothing matches {_quoted(words)}"),
                     lines=["No sentence in the index contains those words."])
    cite = Citer(conn)
    lines = ([note] if note else []) + [f"{snippet} {cite([doc_id])}" for doc_id, snippet in rows]
    return Reply(command="search", title=_title(f"Search: {_quoted(words)}"), lines=lines,
                 citations=cite.citations())


# --- sources -------------------------------------------------------------------------------------------


def _counts(conn: sqlite3.Connection, table: str, doc_ids: list[str]) -> dict[str, int]:
    return dict(_in_chunks(conn, f"SELECT doc_id, COUNT(*) FROM {table} WHERE doc_id IN ({{marks}})"
                                 " GROUP BY doc_id", doc_ids))


@_safe("sources")
def sources(index: Index) -> Reply:
    """The documents, newest first, with their counts."""
    conn = index.conn
    total = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    docs = conn.execute(
        "SELECT id, title, date, outlet FROM documents ORDER BY date IS NULL, date DESC, id LIMIT ?", (MAX_LIST,)
    ).fetchall()
    ids = [d[0] for d in docs]
    sentences, quoted, figs = (_counts(conn, t, ids) for t in ("sentences", "quotes", "figures"))
    cite = Citer(conn)
    lines = []
    for doc_id, title, date, outlet in docs:
        by = f" — {outlet}" if outlet else ""
        counts = (f"{plural(sentences.get(doc_id, 0), 'sentence')} · {plural(quoted.get(doc_id, 0), 'quote')}"
                  f" · {plural(figs.get(doc_id, 0), 'figure')}")
        lines.append(f"{date or 'undated'} · {shorten(title, 120)}{by} · {counts} {cite([doc_id])}")
    if total > len(docs):
        lines.append(f"… and {total - len(docs):,} older documents")
    return Reply(command="sources", title=f"Sources — {plural(total, 'document')}", lines=lines,
                 citations=cite.citations())


# --- timeline ------------------------------------------------------------------------------------------


EVENT_SQL = (
    "SELECT d.iso, d.text, d.doc_id, d.sent_idx, s.text FROM dates d"
    " JOIN sentences s ON s.doc_id = d.doc_id AND s.idx = d.sent_idx"
)


@_safe("timeline")
def timeline(index: Index, topic: str = "") -> Reply:
    """Dated statements and articles in date order (the most recent MAX_LIST); `topic` is words or a name."""
    topic = check_arg(topic, "topic", "timeline coalition", required=False)
    conn = index.conn
    if not topic:
        events = conn.execute(EVENT_SQL + " WHERE d.iso IS NOT NULL ORDER BY d.iso DESC LIMIT 400").fetchall()
        articles = conn.execute(
            "SELECT date, title, id FROM documents WHERE date IS NOT NULL ORDER BY date DESC LIMIT ?", (MAX_LIST,)
        ).fetchall()
    else:
        entity_id = _strict_entity(index, topic)
        if entity_id:
            events = conn.execute(
                EVENT_SQL + " JOIN mentions m ON m.doc_id = d.doc_id AND m.sent_idx = d.sent_idx"
                " WHERE m.entity_id = ? AND d.iso IS NOT NULL LIMIT 2000", (entity_id,)
            ).fetchall()
            doc_sql = "SELECT d.date, d.title, d.id FROM entity_docs e JOIN documents d ON d.id = e.doc_id" \
                      " WHERE e.entity_id = ? AND d.date IS NOT NULL"
            articles = conn.execute(doc_sql, (entity_id,)).fetchall()
        else:
            terms = _terms(topic)
            if not terms:
                raise BadArgument("A timeline topic needs a word or a name, for example `timeline coalition`.")
            hits = _fts_sentences(conn, terms, 2000)
            events = [
                row
                for doc_id, idx in hits
                for row in conn.execute(EVENT_SQL + " WHERE d.doc_id = ? AND d.sent_idx = ? AND d.iso IS NOT NULL",
                                        (doc_id, idx))
            ]
            articles = _in_chunks(conn, "SELECT date, title, id FROM documents WHERE date IS NOT NULL AND id IN"
                                  " ({marks})", sorted({d for d, _ in hits}))
    merged: dict[tuple[str, str], list[str]] = {}
    for iso, said, doc_id, _, sentence in events:
        when = f"{iso} ({said})" if not any(ch.isdigit() for ch in said) else iso
        merged.setdefault((iso, f"{when} · {shorten(sentence, SENTENCE_CHARS)}"), []).append(doc_id)
    for date, title, doc_id in articles:
        merged.setdefault((date, f"{date} · Article: {shorten(title, 120)}"), []).append(doc_id)
    if not merged:
        status = "not_found" if topic else "ok"
        what = f" about {_quoted(topic)}" if topic else ""
        return Reply(status=status, command="timeline", title=_title(f"Timeline{what}"),
                     lines=[f"No dated events{what} in the index."])
    ordered = sorted(merged.items(), key=lambda kv: kv[0])[-MAX_LIST:]
    cite = Citer(conn)
    lines = [f"{text} {cite(docs)}" for (_, text), docs in ordered]
    title = f"Timeline about {_quoted(topic)}" if topic else "Timeline"
    if len(merged) > MAX_LIST:
        lines.insert(0, f"The latest {MAX_LIST} of {len(merged):,} dated events:")
    return Reply(command="timeline", title=_title(title), lines=lines, citations=cite.citations())


# --- digest --------------------------------------------------------------------------------------------


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
            f"I can't read {_quoted(text)} as a time: use 7d, 24h, 90m, 2w, today, yesterday or 2026-11-01."
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _utc_text(when: datetime) -> str:
    """The form `documents.added_at` is stored in, for string comparison."""
    return when.astimezone(UTC).replace(microsecond=0).isoformat()


@_safe("digest")
def digest(index: Index, since: datetime | None = None) -> Reply:
    """The briefing: documents added after `since` (default: the week up to the latest addition), the people
    most mentioned in them, and their figures and quotes."""
    conn = index.conn
    if since is None:
        latest = conn.execute("SELECT MAX(added_at) FROM documents").fetchone()[0]
        if latest is None:
            return Reply(command="digest", title="Digest", lines=["The index has no documents yet."])
        since = datetime.fromisoformat(latest) - DIGEST_WINDOW
    elif since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    key = _utc_text(since)
    label = since.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    new = "SELECT id FROM documents WHERE added_at > ?1"
    count = conn.execute(f"SELECT COUNT(*) FROM ({new})", (key,)).fetchone()[0]
    if not count:
        return Reply(command="digest", title=f"Nothing new since {label}",
                     lines=[f"No documents were added since {label}."])
    cite = Citer(conn)
    docs = conn.execute(
        "SELECT id, title, date, outlet FROM documents WHERE added_at > ?1 ORDER BY date IS NULL, date DESC, id"
        " LIMIT 10", (key,)
    ).fetchall()
    lines = [f"New documents ({count:,})"]
    for doc_id, title, date, outlet in docs:
        by = f" — {outlet}" if outlet else ""
        lines.append(f"  {date or 'undated'} · {shorten(title, 120)}{by} {cite([doc_id])}")
    if count > len(docs):
        lines.append(f"  … and {count - len(docs):,} more")
    people = conn.execute(
        f"SELECT e.name, COUNT(*) AS n FROM mentions m JOIN entities e ON e.id = m.entity_id"
        f" WHERE m.doc_id IN ({new}) AND e.kind = 'person' GROUP BY e.id ORDER BY n DESC, e.name LIMIT 6",
        (key,),
    ).fetchall()
    if people:
        lines.append("People in the news: " + ", ".join(f"{name} ({n})" for name, n in people))
    group_ids = [r[0] for r in conn.execute(f"SELECT DISTINCT group_id FROM figures WHERE doc_id IN ({new})",
                                            (key,))]
    groups = _load_groups(conn, group_ids)[:5]
    if groups:
        lines.append("New figures")
        lines += ["  " + line for line in _figure_lines(conn, groups, cite)]
    said = _group_quotes(conn.execute(
        QUOTE_SQL + " WHERE d.added_at > ?1 AND q.speaker_id IS NOT NULL ORDER BY d.date DESC LIMIT 300", (key,)
    ))
    if said:
        names = dict(_in_chunks(conn, "SELECT id, name FROM entities WHERE id IN ({marks})",
                                sorted({q.speaker_id for q in said if q.speaker_id})))
        lines.append("New quotes")
        best = sorted(said, key=lambda q: q.telling, reverse=True)[:5]
        lines += ["  " + _quote_line(q, cite, names.get(q.speaker_id or "", "?")) for q in best]
    title = f"Digest — {plural(count, 'new document')} since {label}"
    return Reply(command="digest", title=title, lines=lines, citations=cite.citations())


# --- help, dispatch, autocomplete ---------------------------------------------------------------------


HELP = (
    ("who <name>", "who or what a name is: roles, quotes, figures, related names", "who {name}"),
    ("quotes <name> [words]", "what someone said, newest first, optionally only with those words",
     "quotes {name}"),
    ("figures [topic or name]", "key numbers, how many sources state them, and conflicts", "figures refugees"),
    ("search <words>", "sentences with those words, best first", "search prisoners camps"),
    ("sources", "the documents in the index", "sources"),
    ("timeline [topic or name]", "dated events and statements in order", "timeline coalition"),
    ("digest [since]", "what is new: since 7d, 24h, yesterday or a date (default: the latest week)", "digest 7d"),
    ("help", "this list", "help"),
)


def help_reply(prefix: str = "!", example_name: str | None = None) -> Reply:
    """Every command with an example; `example_name` (a name in the index) completes the name examples."""
    lines = []
    for usage, what, example in HELP:
        shown = example.format(name=example_name) if example_name or "{" not in example else None
        lines.append(f"{prefix}{usage} — {what}." + (f" Example: {prefix}{shown}" if shown else ""))
    lines.append("Names can be partial or misspelt: a surname, a first name, an acronym, a typo.")
    return Reply(command="help", title="briefbot commands", lines=lines)


def split_name(index: Index, args: str) -> tuple[str, str]:
    """ "quotes" arguments → (name, words): a quoted name, else the longest leading words that resolve."""
    if args[:1] in {'"', "“"}:
        name, _, rest = args[1:].partition("”" if args[0] == "“" else '"')
        return name, rest
    parts = args.split()
    fallback = None
    for k in range(min(len(parts), 6), 0, -1):
        res = index.resolver.resolve(" ".join(parts[:k]), WHO_KINDS)
        if res.status == "ok":
            return " ".join(parts[:k]), " ".join(parts[k:])
        if res.status == "ambiguous" and fallback is None:
            fallback = (" ".join(parts[:k]), " ".join(parts[k:]))
    return fallback or (args, "")


def _help_with_names(index: Index, prefix: str) -> Reply:
    people = index.resolver.top(("person",), 3)
    reply = help_reply(prefix, people[0].name.split()[-1] if people else None)
    if people:
        reply.lines.append("Some names in this index: " + ", ".join(c.name for c in people))
    return reply


@_safe("digest")
def _digest_args(index: Index, args: str) -> Reply:
    return digest(index, parse_since(args) if args else None)


RUNNERS: dict[str, Callable[[Index, str, str], Reply]] = {
    "who": lambda ix, args, _: who(ix, args),
    "quotes": lambda ix, args, _: quotes(ix, *split_name(ix, args)) if args else quotes(ix, ""),
    "figures": lambda ix, args, _: figures(ix, args),
    "search": lambda ix, args, _: search(ix, args),
    "sources": lambda ix, _, __: sources(ix),
    "timeline": lambda ix, args, _: timeline(ix, args),
    "digest": lambda ix, args, _: _digest_args(ix, args),
    "help": lambda ix, _, prefix: _help_with_names(ix, prefix),
}
COMMAND_NAMES: dict[str, str] = {
    **{name: name for name in RUNNERS},
    "whois": "who", "quote": "quotes", "said": "quotes", "figure": "figures", "numbers": "figures",
    "find": "search", "source": "sources", "docs": "sources", "documents": "sources", "events": "timeline",
    "briefing": "digest", "brief": "digest", "news": "digest", "commands": "help", "?": "help",
}


@_safe("dispatch")
def dispatch(index: Index, text: str, prefix: str = "!") -> Reply:
    """Answer one typed command: "!who X", "/figures fighters" or "who X" (prefix optional)."""
    text = check_arg(text, "command", f"{prefix}help", max_chars=MAX_COMMAND_CHARS)
    for lead in (prefix, "/"):
        if lead and text.startswith(lead):
            text = text[len(lead):].lstrip()
            break
    word, _, args = text.partition(" ")
    command = COMMAND_NAMES.get(word.lower())
    if command is None:
        guess = process.extractOne(word.lower(), list(RUNNERS), scorer=fuzz.ratio, score_cutoff=60)
        hint = f" Did you mean {prefix}{guess[0]}?" if guess else ""
        raise BadArgument(f"I don't know the command {_quoted(word)}.{hint} Type {prefix}help for the list.")
    return RUNNERS[command](index, args.strip(), prefix)


def autocomplete(
    index: Index, partial: str, kinds: tuple[str, ...] | None = None, limit: int = 25
) -> list[Candidate]:
    """Up to `limit` names for a partly typed one, from memory; empty input → the most mentioned names."""
    try:
        cleaned = check_arg(partial[:100], "name", "", required=False)
        typed_on = cleaned + " " if cleaned and partial[:100][-1:].isspace() else cleaned
        return index.resolver.complete(typed_on, kinds, limit)
    except BadArgument:
        return []
    except Exception:
        log.exception("autocomplete failed")
        return []
