"""The SQLite index: schema, writing a resolved corpus, reading it back.

One file, schema-versioned (`meta.schema_version`, `meta.app`), in WAL mode: a build changes it in one
transaction while readers keep reading the previous state, and `meta.build_id` tells them when to reload.
`doc_cache` keeps each document's extraction keyed by content hash, committed as each article is parsed,
so a build that fails or is killed resumes without parsing again.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable
from datetime import UTC, datetime
from pathlib import Path

from corpus.models import (
    DateRow,
    DocumentOut,
    DocumentRow,
    EntityOut,
    FigureGroupOut,
    FigureOut,
    IndexData,
    IndexExport,
    QuoteOut,
    Role,
    SentenceRow,
)

GENERATIONS = frozenset({"Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV"})


def spoken_name(name: str) -> str:
    """A quote's speaker as a name is spoken: without a generational suffix ("Ana Ruiz Jr." → "Ana Ruiz"); a
    regnal number after one name stays ("Abdullah II")."""
    words = name.split()
    return " ".join(words[:-1]).rstrip(",") if len(words) > 2 and words[-1] in GENERATIONS else name


SCHEMA_VERSION = 6
APP = "briefbot"

REBUILD_HINT = (
    "Build it with `briefbot build FILES-OR-FOLDERS` (e.g. `briefbot build seeds/`), or `make run`, which builds "
    "it from seeds/ when needed."
)

# Per-document tables (documents … dates) hold what each article says; local_entities and defined are the
# resolver's state (each article's entities with the corpus entity they joined, and the acronyms it defines),
# so a build re-resolves only what a new, changed or removed article touches.
SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE roots (path TEXT PRIMARY KEY, added_at TEXT NOT NULL);
CREATE TABLE excluded (path TEXT PRIMARY KEY);
CREATE TABLE documents (
    id TEXT PRIMARY KEY, path TEXT NOT NULL, sha256 TEXT NOT NULL, title TEXT NOT NULL,
    date TEXT, date_source TEXT NOT NULL, outlet TEXT, dateline TEXT,
    credits TEXT NOT NULL, captions TEXT NOT NULL, added_at TEXT NOT NULL,
    size INTEGER NOT NULL DEFAULT -1, mtime_ns INTEGER NOT NULL DEFAULT -1, figures_dropped INTEGER NOT NULL DEFAULT 0,
    url TEXT, author TEXT, body_sha TEXT, story_id TEXT, signature BLOB
);
CREATE INDEX documents_body ON documents(body_sha);
CREATE INDEX documents_path ON documents(path);
CREATE INDEX documents_story ON documents(story_id);
CREATE TABLE doc_bands (band INTEGER NOT NULL, key INTEGER NOT NULL, doc_id TEXT NOT NULL);
CREATE INDEX doc_bands_key ON doc_bands(band, key);
CREATE INDEX doc_bands_doc ON doc_bands(doc_id);
CREATE TABLE doc_cache (doc_id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, path TEXT NOT NULL,
    extraction TEXT NOT NULL, added_at TEXT NOT NULL, fingerprint TEXT NOT NULL DEFAULT '');
CREATE TABLE sentences (id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL, idx INTEGER NOT NULL,
    para INTEGER NOT NULL, text TEXT NOT NULL);
CREATE INDEX sentences_doc ON sentences(doc_id, idx);
CREATE VIRTUAL TABLE sentences_fts USING fts5(
    text, content='sentences', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TABLE local_entities (doc_id TEXT NOT NULL, key TEXT NOT NULL, bucket TEXT NOT NULL,
    name_fold TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, weight INTEGER NOT NULL,
    curated INTEGER NOT NULL, roles TEXT NOT NULL, forms TEXT NOT NULL, entity_id TEXT, cluster_name TEXT,
    data TEXT NOT NULL, PRIMARY KEY (doc_id, key));
-- covering: a bucket is resolved from this index alone (sums per name class, forms, who changed)
CREATE INDEX local_entities_bucket ON local_entities(bucket, kind, name, curated, roles, weight, forms, entity_id,
    cluster_name, doc_id, key);
CREATE INDEX local_entities_entity ON local_entities(entity_id, cluster_name, weight);
CREATE INDEX local_entities_name ON local_entities(name_fold);
CREATE TABLE defined (doc_id TEXT NOT NULL, ord INTEGER NOT NULL, alias TEXT NOT NULL, target TEXT NOT NULL);
CREATE INDEX defined_alias ON defined(alias, doc_id, ord);
CREATE INDEX defined_doc ON defined(doc_id);
CREATE TABLE entities (id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL,
    mention_count INTEGER NOT NULL, doc_count INTEGER NOT NULL);
CREATE TABLE aliases (entity_id TEXT NOT NULL, alias TEXT NOT NULL);
CREATE INDEX aliases_entity ON aliases(entity_id);
CREATE TABLE roles (entity_id TEXT NOT NULL, text TEXT NOT NULL, doc_ids TEXT NOT NULL);
CREATE INDEX roles_entity ON roles(entity_id);
CREATE TABLE entity_docs (entity_id TEXT NOT NULL, doc_id TEXT NOT NULL, date TEXT);
CREATE INDEX entity_docs_entity ON entity_docs(entity_id, date);
CREATE INDEX entity_docs_doc ON entity_docs(doc_id);
CREATE TABLE mentions (entity_id TEXT, doc_id TEXT NOT NULL, sent_idx INTEGER NOT NULL,
    surface TEXT NOT NULL, local_key TEXT);
CREATE INDEX mentions_entity ON mentions(entity_id);
CREATE INDEX mentions_doc ON mentions(doc_id, sent_idx);
CREATE TABLE quotes (id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, sent_idx INTEGER NOT NULL,
    text TEXT NOT NULL, speaker_id TEXT, partial INTEGER NOT NULL, speaker_key TEXT, speaker TEXT,
    speaker_kind TEXT);
CREATE INDEX quotes_speaker ON quotes(speaker_id);
CREATE INDEX quotes_doc ON quotes(doc_id, sent_idx);
CREATE TABLE figure_groups (id TEXT PRIMARY KEY, value REAL NOT NULL, unit TEXT, subject TEXT,
    doc_ids TEXT NOT NULL, conflicts_with TEXT NOT NULL, bucket TEXT NOT NULL DEFAULT '',
    conflict_key TEXT NOT NULL DEFAULT '', qclass TEXT NOT NULL DEFAULT 'exact',
    subject_ids TEXT NOT NULL DEFAULT '[]');
CREATE INDEX figure_groups_bucket ON figure_groups(bucket);
CREATE INDEX figure_groups_conflict ON figure_groups(conflict_key, value);
CREATE TABLE figures (id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, sent_idx INTEGER NOT NULL,
    value REAL NOT NULL, unit TEXT, qualifier TEXT, subject TEXT, text TEXT NOT NULL,
    sentence TEXT NOT NULL, group_id TEXT NOT NULL, kind TEXT NOT NULL DEFAULT 'count', currency TEXT,
    direction TEXT, alt_value REAL, alt_unit TEXT, bucket TEXT NOT NULL DEFAULT '', data TEXT NOT NULL DEFAULT '{}');
CREATE INDEX figures_group ON figures(group_id);
CREATE INDEX figures_doc ON figures(doc_id, sent_idx);
CREATE INDEX figures_bucket ON figures(bucket);
CREATE TABLE dates (doc_id TEXT NOT NULL, sent_idx INTEGER NOT NULL, text TEXT NOT NULL, iso TEXT);
CREATE INDEX dates_doc ON dates(doc_id, sent_idx);
"""

DERIVED_TABLES = (
    "documents", "sentences", "entities", "aliases", "roles", "entity_docs", "mentions",
    "quotes", "figure_groups", "figures", "dates", "local_entities", "defined", "doc_bands",
)
PER_DOCUMENT_TABLES = ("mentions", "quotes", "figures", "dates", "local_entities", "defined", "doc_bands")


class IndexUnavailable(Exception):
    """The index file is missing, unreadable or from another schema version."""


class NotAnIndex(Exception):
    """A file that is not a briefbot index stands where the index should be: it is never replaced."""


def utc_now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def create_index(path: Path) -> sqlite3.Connection:
    """A new, empty index file at `path` (its folder is created), in WAL mode so readers never block."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.executescript(SCHEMA)
    conn.executemany("INSERT INTO meta VALUES (?, ?)",
                     [("schema_version", str(SCHEMA_VERSION)), ("app", APP), ("build_id", "0")])
    conn.commit()
    return conn


def index_schema(path: Path) -> int | None:
    """The schema version of the briefbot index at `path`; None when no file is there or it is empty.
    NotAnIndex when a file is there that briefbot did not write (it must never be replaced)."""
    if not path.exists():
        return None
    if not path.is_file():
        raise NotAnIndex(f"{path} is not a file; choose another --index.")
    if path.stat().st_size == 0:
        return None
    try:
        conn = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        row = None
    if row is None:
        raise NotAnIndex(f"{path} exists and is not a briefbot index; refusing to replace it. "
                         "Choose another --index (or move that file away).")
    return int(row[0])


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


def meta_value(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))


def new_build_id(conn: sqlite3.Connection) -> None:
    """Mark a committed change of the index's content: readers compare this to reload what they memoised."""
    set_meta(conn, "build_id", str(int(meta_value(conn, "build_id") or 0) + 1))
    set_meta(conn, "built_at", utc_now())


CacheRow = tuple[str, str, str, str, str]  # doc_id, sha256, path, extraction JSON, added_at


def insert_documents(conn: sqlite3.Connection, docs: Iterable[DocumentRow], added: dict[str, str]) -> None:
    conn.executemany(
        "INSERT INTO documents (id, path, sha256, title, date, date_source, outlet, dateline, credits, captions,"
        " added_at, url, author) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [(d.id, d.path, d.sha256, d.title, d.date, d.date_source, d.outlet, d.dateline, json.dumps(d.credits),
          json.dumps(d.captions), added.get(d.id) or utc_now(), d.url, d.author) for d in docs],
    )


def insert_sentences(conn: sqlite3.Connection, sentences: Iterable[SentenceRow]) -> None:
    """Sentences and their full-text index entries."""
    (last,) = conn.execute("SELECT coalesce(max(id), 0) FROM sentences").fetchone()
    conn.executemany("INSERT INTO sentences (doc_id, idx, para, text) VALUES (?,?,?,?)",
                     [(s.doc_id, s.idx, s.para, s.text) for s in sentences])
    conn.execute("INSERT INTO sentences_fts(rowid, text) SELECT id, text FROM sentences WHERE id > ?", (last,))


def delete_sentences(conn: sqlite3.Connection, doc_ids: Collection[str]) -> None:
    """Sentences of the documents, with their full-text index entries."""
    for doc_id in doc_ids:
        rows = conn.execute("SELECT id, text FROM sentences WHERE doc_id = ?", (doc_id,)).fetchall()
        conn.executemany("INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', ?, ?)", rows)
        conn.execute("DELETE FROM sentences WHERE doc_id = ?", (doc_id,))


def insert_dates(conn: sqlite3.Connection, dates: Iterable[DateRow]) -> None:
    conn.executemany("INSERT INTO dates VALUES (?,?,?,?)", [(d.doc_id, d.sent_idx, d.text, d.iso) for d in dates])


def write_index(conn: sqlite3.Connection, data: IndexData, cache_updates: list[CacheRow],
                keep: Collection[str] = ()) -> None:
    """Replace the index's content with an already resolved corpus (`data`): test fixtures and synthetic
    benchmarks write indexes this way. The extraction cache keeps the documents in `keep`, gains (or
    replaces) `cache_updates`, and loses every other document."""
    kept = set(keep) | {row[0] for row in cache_updates}
    with conn:
        for table in DERIVED_TABLES:
            conn.execute(f"DELETE FROM {table}")
        conn.execute("INSERT INTO sentences_fts(sentences_fts) VALUES ('delete-all')")
        gone = [(d,) for (d,) in conn.execute("SELECT doc_id FROM doc_cache") if d not in kept]
        conn.executemany("DELETE FROM doc_cache WHERE doc_id = ?", gone)
        conn.executemany("INSERT OR REPLACE INTO doc_cache (doc_id, sha256, path, extraction, added_at)"
                         " VALUES (?, ?, ?, ?, ?)", sorted(cache_updates))
        insert_documents(conn, data.documents, dict(conn.execute("SELECT doc_id, added_at FROM doc_cache")))
        insert_sentences(conn, data.sentences)
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
            "INSERT INTO mentions (entity_id, doc_id, sent_idx, surface) VALUES (?,?,?,?)",
            [(m.entity_id, m.doc_id, m.sent_idx, m.surface) for m in data.mentions],
        )
        conn.executemany(
            "INSERT INTO quotes (id, doc_id, sent_idx, text, speaker_id, partial, speaker, speaker_kind)"
            " VALUES (?,?,?,?,?,?,?,?)",
            [(q.id, q.doc_id, q.sent_idx, q.text, q.speaker_id, int(q.partial), q.speaker, q.speaker_kind)
             for q in data.quotes],
        )
        conn.executemany(
            "INSERT INTO figure_groups (id, value, unit, subject, doc_ids, conflicts_with) VALUES (?,?,?,?,?,?)",
            [(g.id, g.value, g.unit, g.subject, json.dumps(g.doc_ids), json.dumps(g.conflicts_with))
             for g in data.figure_groups],
        )
        conn.executemany(
            "INSERT INTO figures (id, doc_id, sent_idx, value, unit, qualifier, subject, text, sentence, group_id,"
            " kind, currency, direction, alt_value, alt_unit) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(f.id, f.doc_id, f.sent_idx, f.value, f.unit, f.qualifier, f.subject, f.text, f.sentence,
              f.group_id, f.kind, f.currency, f.direction, f.alt_value, f.alt_unit) for f in data.figures],
        )
        insert_dates(conn, data.dates)
        new_build_id(conn)


def read_export(conn: sqlite3.Connection) -> IndexExport:
    """The whole index as the export model, in a deterministic order."""
    docs = [
        DocumentOut(id=r[0], title=r[1], date=r[2], date_source=r[3], outlet=r[4], dateline=r[5],
                    credits=json.loads(r[6]), captions=json.loads(r[7]), url=r[8], story_id=r[9] or r[0], author=r[10])
        for r in conn.execute(
            "SELECT id, title, date, date_source, outlet, dateline, credits, captions, url, story_id, author"
            " FROM documents"
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
        QuoteOut(id=r[0], doc_id=r[1], text=r[2], speaker_id=r[3], speaker_kind=r[6], partial=bool(r[4]),
                 speaker=r[5] or spoken_name(names.get(r[3], "")) or None)  # as written at the attribution
        for r in conn.execute(
            "SELECT id, doc_id, text, speaker_id, partial, speaker, speaker_kind FROM quotes"
            " ORDER BY doc_id, sent_idx, id"
        )
    ]
    figures = [
        FigureOut(id=r[0], doc_id=r[1], value=r[2], unit=r[3], qualifier=r[4], subject=r[5], text=r[6],
                  sentence=r[7], group_id=r[8], kind=r[9], currency=r[10], direction=r[11], alt_value=r[12],
                  alt_unit=r[13])
        for r in conn.execute(
            "SELECT id, doc_id, value, unit, qualifier, subject, text, sentence, group_id, kind, currency,"
            " direction, alt_value, alt_unit FROM figures"
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
