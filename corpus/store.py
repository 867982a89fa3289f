"""The SQLite index: schema, writing a resolved corpus, reading it back.

One file, schema-versioned (`meta.schema_version`). Derived tables are rewritten in one transaction on
every build; `doc_cache` keeps each document's extraction keyed by content hash so an incremental build
re-parses only new or changed files.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection
from datetime import UTC, datetime
from pathlib import Path

from corpus.models import (
    DocumentOut,
    EntityOut,
    FigureGroupOut,
    FigureOut,
    IndexData,
    IndexExport,
    QuoteOut,
    Role,
)

SCHEMA_VERSION = 4

REBUILD_HINT = (
    "Build it with `briefbot build FILES-OR-FOLDERS` (e.g. `briefbot build seeds/`), or `make run`, which builds "
    "it from seeds/ when needed."
)

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents (
    id TEXT PRIMARY KEY, path TEXT NOT NULL, sha256 TEXT NOT NULL, title TEXT NOT NULL,
    date TEXT, date_source TEXT NOT NULL, outlet TEXT, dateline TEXT,
    credits TEXT NOT NULL, captions TEXT NOT NULL, added_at TEXT NOT NULL
);
CREATE TABLE doc_cache (doc_id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, path TEXT NOT NULL,
    extraction TEXT NOT NULL, added_at TEXT NOT NULL);
CREATE TABLE sentences (id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL, idx INTEGER NOT NULL,
    para INTEGER NOT NULL, text TEXT NOT NULL);
CREATE INDEX sentences_doc ON sentences(doc_id, idx);
CREATE VIRTUAL TABLE sentences_fts USING fts5(
    text, content='sentences', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TABLE entities (id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL,
    mention_count INTEGER NOT NULL, doc_count INTEGER NOT NULL);
CREATE TABLE aliases (entity_id TEXT NOT NULL, alias TEXT NOT NULL);
CREATE INDEX aliases_entity ON aliases(entity_id);
CREATE TABLE roles (entity_id TEXT NOT NULL, text TEXT NOT NULL, doc_ids TEXT NOT NULL);
CREATE INDEX roles_entity ON roles(entity_id);
CREATE TABLE entity_docs (entity_id TEXT NOT NULL, doc_id TEXT NOT NULL, date TEXT);
CREATE INDEX entity_docs_entity ON entity_docs(entity_id, date);
CREATE INDEX entity_docs_doc ON entity_docs(doc_id);
CREATE TABLE mentions (entity_id TEXT NOT NULL, doc_id TEXT NOT NULL, sent_idx INTEGER NOT NULL,
    surface TEXT NOT NULL);
CREATE INDEX mentions_entity ON mentions(entity_id);
CREATE INDEX mentions_doc ON mentions(doc_id, sent_idx);
CREATE TABLE quotes (id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, sent_idx INTEGER NOT NULL,
    text TEXT NOT NULL, speaker_id TEXT, partial INTEGER NOT NULL, speaker TEXT, speaker_kind TEXT);
CREATE INDEX quotes_speaker ON quotes(speaker_id);
CREATE INDEX quotes_doc ON quotes(doc_id, sent_idx);
CREATE TABLE figure_groups (id TEXT PRIMARY KEY, value REAL NOT NULL, unit TEXT, subject TEXT,
    doc_ids TEXT NOT NULL, conflicts_with TEXT NOT NULL);
CREATE TABLE figures (id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, sent_idx INTEGER NOT NULL,
    value REAL NOT NULL, unit TEXT, qualifier TEXT, subject TEXT, text TEXT NOT NULL,
    sentence TEXT NOT NULL, group_id TEXT NOT NULL);
CREATE INDEX figures_group ON figures(group_id);
CREATE INDEX figures_doc ON figures(doc_id, sent_idx);
CREATE TABLE dates (doc_id TEXT NOT NULL, sent_idx INTEGER NOT NULL, text TEXT NOT NULL, iso TEXT);
CREATE INDEX dates_doc ON dates(doc_id, sent_idx);
"""

DERIVED_TABLES = (
    "documents", "sentences", "entities", "aliases", "roles", "entity_docs", "mentions",
    "quotes", "figure_groups", "figures", "dates",
)


class IndexUnavailable(Exception):
    """The index file is missing, unreadable or from another schema version."""


def utc_now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def create_index(path: Path) -> sqlite3.Connection:
    """A new, empty index file at `path` (its folder is created)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA)
    conn.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
    conn.commit()
    return conn


def open_index(path: Path, *, readonly: bool = True) -> sqlite3.Connection:
    """Open an existing index, checking that it is an index of this schema version."""
    if not path.is_file():
        raise IndexUnavailable(f"No index at {path}. {REBUILD_HINT}")
    uri = f"file:{path.resolve()}?mode={'ro' if readonly else 'rw'}"
    try:
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.DatabaseError as exc:
        raise IndexUnavailable(f"The index at {path} is unreadable ({exc}). {REBUILD_HINT}") from exc
    if row is None or int(row[0]) != SCHEMA_VERSION:
        found = row[0] if row else "none"
        conn.close()
        raise IndexUnavailable(
            f"The index at {path} has schema version {found}; this briefbot needs {SCHEMA_VERSION}. "
            f"{REBUILD_HINT} A build replaces an index of another version."
        )
    return conn


def open_or_create(path: Path) -> sqlite3.Connection:
    """The index for a build: an existing one of this schema, else a fresh file (an old one is replaced)."""
    try:
        return open_index(path, readonly=False)
    except IndexUnavailable:
        if path.exists():
            path.unlink()
        return create_index(path)


CacheRow = tuple[str, str, str, str, str]  # doc_id, sha256, path, extraction JSON, added_at


def load_cache(conn: sqlite3.Connection) -> dict[str, tuple[str, str]]:
    """doc_id → (sha256, added_at) of every cached document extraction."""
    return {r[0]: (r[1], r[2]) for r in conn.execute("SELECT doc_id, sha256, added_at FROM doc_cache")}


def cached_extractions(conn: sqlite3.Connection, doc_ids: Collection[str]) -> dict[str, str]:
    """doc_id → cached extraction JSON, for the given documents."""
    wanted = set(doc_ids)
    return {d: x for d, x in conn.execute("SELECT doc_id, extraction FROM doc_cache") if d in wanted}


def write_index(conn: sqlite3.Connection, data: IndexData, cache_updates: list[CacheRow],
                keep: Collection[str] = ()) -> None:
    """Replace the index's content with `data`. The extraction cache keeps the documents in `keep`,
    gains (or replaces) `cache_updates`, and loses every other document."""
    kept = set(keep) | {row[0] for row in cache_updates}
    with conn:
        for table in DERIVED_TABLES:
            conn.execute(f"DELETE FROM {table}")
        conn.execute("INSERT INTO sentences_fts(sentences_fts) VALUES ('delete-all')")
        gone = [(d,) for (d,) in conn.execute("SELECT doc_id FROM doc_cache") if d not in kept]
        conn.executemany("DELETE FROM doc_cache WHERE doc_id = ?", gone)
        conn.executemany("INSERT OR REPLACE INTO doc_cache VALUES (?, ?, ?, ?, ?)", sorted(cache_updates))
        added = dict(conn.execute("SELECT doc_id, added_at FROM doc_cache"))
        conn.executemany(
            "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [
                (d.id, d.path, d.sha256, d.title, d.date, d.date_source, d.outlet, d.dateline,
                 json.dumps(d.credits), json.dumps(d.captions), added.get(d.id) or utc_now())
                for d in data.documents
            ],
        )
        conn.executemany(
            "INSERT INTO sentences (doc_id, idx, para, text) VALUES (?,?,?,?)",
            [(s.doc_id, s.idx, s.para, s.text) for s in data.sentences],
        )
        conn.execute("INSERT INTO sentences_fts(rowid, text) SELECT id, text FROM sentences")
        conn.executemany(
            "INSERT INTO entities VALUES (?,?,?,?,?)",
            [(e.id, e.name, e.kind, e.mention_count, len(e.doc_ids)) for e in data.entities],
        )
        conn.executemany(
            "INSERT INTO aliases VALUES (?, ?)",
            [(e.id, a) for e in data.entities for a in e.aliases],
        )
        conn.executemany(
            "INSERT INTO roles VALUES (?,?,?)",
            [(e.id, r.text, json.dumps(r.doc_ids)) for e in data.entities for r in e.roles],
        )
        dates = {d.id: d.date for d in data.documents}
        conn.executemany(
            "INSERT INTO entity_docs VALUES (?, ?, ?)",
            [(e.id, d, dates.get(d)) for e in data.entities for d in e.doc_ids],
        )
        conn.executemany(
            "INSERT INTO mentions VALUES (?,?,?,?)",
            [(m.entity_id, m.doc_id, m.sent_idx, m.surface) for m in data.mentions],
        )
        conn.executemany(
            "INSERT INTO quotes VALUES (?,?,?,?,?,?,?,?)",
            [(q.id, q.doc_id, q.sent_idx, q.text, q.speaker_id, int(q.partial), q.speaker, q.speaker_kind)
             for q in data.quotes],
        )
        conn.executemany(
            "INSERT INTO figure_groups VALUES (?,?,?,?,?,?)",
            [(g.id, g.value, g.unit, g.subject, json.dumps(g.doc_ids), json.dumps(g.conflicts_with))
             for g in data.figure_groups],
        )
        conn.executemany(
            "INSERT INTO figures VALUES (?,?,?,?,?,?,?,?,?,?)",
            [(f.id, f.doc_id, f.sent_idx, f.value, f.unit, f.qualifier, f.subject, f.text, f.sentence,
              f.group_id) for f in data.figures],
        )
        conn.executemany(
            "INSERT INTO dates VALUES (?,?,?,?)",
            [(d.doc_id, d.sent_idx, d.text, d.iso) for d in data.dates],
        )
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('built_at', ?)", (utc_now(),))


def read_export(conn: sqlite3.Connection) -> IndexExport:
    """The whole index as the export model, in a deterministic order."""
    docs = [
        DocumentOut(id=r[0], title=r[1], date=r[2], date_source=r[3], outlet=r[4], dateline=r[5],
                    credits=json.loads(r[6]), captions=json.loads(r[7]))
        for r in conn.execute(
            "SELECT id, title, date, date_source, outlet, dateline, credits, captions FROM documents"
            " ORDER BY id"
        )
    ]
    aliases: dict[str, list[str]] = {}
    for eid, alias in conn.execute("SELECT entity_id, alias FROM aliases ORDER BY entity_id, alias"):
        aliases.setdefault(eid, []).append(alias)
    roles: dict[str, list[Role]] = {}
    for eid, text, doc_ids in conn.execute("SELECT entity_id, text, doc_ids FROM roles ORDER BY rowid"):
        roles.setdefault(eid, []).append(Role(text=text, doc_ids=json.loads(doc_ids)))
    edocs: dict[str, list[str]] = {}
    for eid, doc in conn.execute("SELECT entity_id, doc_id FROM entity_docs ORDER BY entity_id, doc_id"):
        edocs.setdefault(eid, []).append(doc)
    entities = [
        EntityOut(id=r[0], name=r[1], kind=r[2], mention_count=r[3], aliases=aliases.get(r[0], []),
                  roles=roles.get(r[0], []), doc_ids=edocs.get(r[0], []))
        for r in conn.execute("SELECT id, name, kind, mention_count FROM entities ORDER BY id")
    ]
    names = {e.id: e.name for e in entities}
    quotes = [
        QuoteOut(id=r[0], doc_id=r[1], text=r[2], speaker_id=r[3], speaker=names.get(r[3]) if r[3] else r[5],
                 speaker_kind=r[6], partial=bool(r[4]))
        for r in conn.execute(
            "SELECT id, doc_id, text, speaker_id, partial, speaker, speaker_kind FROM quotes"
            " ORDER BY doc_id, sent_idx, id"
        )
    ]
    figures = [
        FigureOut(id=r[0], doc_id=r[1], value=r[2], unit=r[3], qualifier=r[4], subject=r[5], text=r[6],
                  sentence=r[7], group_id=r[8])
        for r in conn.execute(
            "SELECT id, doc_id, value, unit, qualifier, subject, text, sentence, group_id FROM figures"
            " ORDER BY doc_id, sent_idx, id"
        )
    ]
    groups = [
        FigureGroupOut(id=r[0], value=r[1], unit=r[2], subject=r[3], doc_ids=json.loads(r[4]),
                       conflicts_with=json.loads(r[5]))
        for r in conn.execute(
            "SELECT id, value, unit, subject, doc_ids, conflicts_with FROM figure_groups ORDER BY id"
        )
    ]
    return IndexExport(schema_version=SCHEMA_VERSION, documents=docs, entities=entities, quotes=quotes,
                       figures=figures, figure_groups=groups)
