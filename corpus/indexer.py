"""Apply a build's changes to the index: new or changed articles in, removed ones out, and only the corpus
entities, figure groups and conflicts they touch resolved again (corpus/resolve.py, one bucket at a time).

The caller runs `apply_changes` inside one transaction: readers of the WAL-mode index see the previous state
until it commits, and a failure or a kill rolls it back whole.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from corpus.aliases import Curated
from corpus.extraction import DocExtraction, LocalEntity, LocalFigure
from corpus.gazetteer import fold
from corpus.models import DateRow, DocumentRow, SentenceRow
from corpus.resolve import (
    CURATED_VOTE,
    ConflictCandidate,
    FigureItem,
    NameClass,
    cluster_bucket,
    conflict_key,
    entity_bucket,
    entity_ids,
    figure_bucket,
    find_conflicts,
    group_bucket,
    local_weight,
    named_entity,
    parse_date,
)
from corpus.store import PER_DOCUMENT_TABLES, delete_sentences, insert_dates, insert_documents, insert_sentences
from corpus.stories import STORY_SIMILARITY, band_keys, identity, signature, similarity

ACRONYM = re.compile(r"[A-Z]{2,6}")
WORD_ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")
CHUNK = 500


def _chunks(items: Collection[str]) -> Iterable[list[str]]:
    seq = sorted(items)
    for i in range(0, len(seq), CHUNK):
        yield seq[i:i + CHUNK]


def select_in(conn: sqlite3.Connection, sql: str, values: Collection[str]) -> list[tuple]:
    """`sql`, whose `IN ({})` placeholders all take `values`, run over them in chunks (SQLite caps the
    number of variables)."""
    rows: list[tuple] = []
    for part in _chunks(values):
        marks = ",".join("?" * len(part))
        rows += conn.execute(sql.replace("{}", marks), part * sql.count("{}")).fetchall()
    return rows


@dataclass
class FileInfo:
    """Where an article's file is and how it looked when it was read (size and mtime spare a re-hash)."""

    path: str
    size: int = -1
    mtime_ns: int = -1
    added_at: str = ""


def apply_changes(conn: sqlite3.Connection, changed: Sequence[DocExtraction], removed: Collection[str],
                  files: dict[str, FileInfo], curated: Curated) -> None:
    """Replace the rows of `changed` articles, drop those of `removed` ones, and re-resolve what they touch."""
    new_docs = {x.article.id for x in changed}
    gone = new_docs | set(removed)
    old_buckets = {b for (b,) in select_in(conn, "SELECT bucket FROM local_entities WHERE doc_id IN ({})", gone)}
    shrunk = {e for (e,) in select_in(conn, "SELECT entity_id FROM local_entities WHERE doc_id IN ({})", gone) if e}
    mentioned = {e for (e,) in select_in(conn, "SELECT entity_id FROM mentions WHERE doc_id IN ({})", gone) if e}
    fig_buckets = {b for (b,) in select_in(conn, "SELECT bucket FROM figures WHERE doc_id IN ({})", gone)}
    old_aliases = {a for (a,) in select_in(conn, "SELECT alias FROM defined WHERE doc_id IN ({})", gone)}
    _delete_documents(conn, gone)
    new_aliases = _insert_documents(conn, changed, files)

    # corpus-wide acronym definitions whose meaning changed move the entities named by them to another bucket
    names = {fold(e.name) for ex in changed for e in ex.entities}
    defined = _defined(conn, old_aliases | new_aliases | names)
    buckets = old_buckets | _set_buckets(conn, changed, defined)
    moved = select_in(conn, "SELECT doc_id, key, bucket, data FROM local_entities WHERE name_fold IN ({})",
                    old_aliases | new_aliases)
    for doc_id, key, bucket, data in moved:
        new_bucket = entity_bucket(LocalEntity.model_validate_json(data), defined)
        if new_bucket != bucket:
            conn.execute("UPDATE local_entities SET bucket = ? WHERE doc_id = ? AND key = ?", (new_bucket, doc_id, key))
            buckets |= {bucket, new_bucket}

    changes = _resolve_buckets(conn, buckets)
    remapped = {(doc_id, key): eid for doc_id, key, (old, _), (eid, _) in changes if old != eid}
    grown: dict[str, list[tuple[str, str]]] = defaultdict(list)  # entity → the local entities that joined it
    renamed: set[str] = set()
    for doc_id, key, (old, old_name), (eid, name) in changes:
        if old != eid:
            grown[eid].append((doc_id, key))
            shrunk |= {old} if old else set()
        elif old_name != name:
            renamed.add(eid)
    affected = shrunk | set(grown) | renamed | mentioned
    _propagate(conn, remapped, new_docs)
    owners_before = _acronym_owners(conn, affected)
    _aggregate(conn, shrunk, grown, renamed, curated)
    touched, acronym_docs = _acronyms(conn, owners_before, affected, new_docs)
    _counts(conn, affected | touched, gone | {d for d, _ in remapped} | acronym_docs)

    fig_buckets |= {figure_bucket(f) for ex in changed for f in ex.figures}
    fig_buckets |= _figure_buckets_of(conn, remapped)
    keys = _regroup(conn, fig_buckets)
    _conflicts(conn, keys)


# json.dumps(x, ensure_ascii=False) without making an encoder on every call
_json = json.JSONEncoder(ensure_ascii=False).encode


def _delete_documents(conn: sqlite3.Connection, doc_ids: Collection[str]) -> None:
    delete_sentences(conn, doc_ids)
    for table in PER_DOCUMENT_TABLES:
        for part in _chunks(doc_ids):
            conn.execute(f"DELETE FROM {table} WHERE doc_id IN ({','.join('?' * len(part))})", part)
    for part in _chunks(doc_ids):
        conn.execute(f"DELETE FROM documents WHERE id IN ({','.join('?' * len(part))})", part)


def _insert_documents(conn: sqlite3.Connection, changed: Sequence[DocExtraction],
                      files: dict[str, FileInfo]) -> set[str]:
    """Each article's own rows; entity ids are set when its buckets are resolved. Returns the acronyms the
    articles define."""
    aliases: set[str] = set()
    for ex in changed:
        a, doc_id = ex.article, ex.article.id
        info = files.get(doc_id) or FileInfo(path=a.path)
        insert_documents(conn, [DocumentRow(
            id=doc_id, title=a.title, date=a.date, date_source=a.date_source, outlet=a.outlet, dateline=a.dateline,
            credits=a.credits, captions=a.captions, path=info.path, sha256=a.sha256, url=a.url, author=a.author,
        )], {doc_id: info.added_at})
        conn.execute("UPDATE documents SET size = ?, mtime_ns = ?, figures_dropped = ? WHERE id = ?",
                     (info.size, info.mtime_ns, ex.figures_without_subject, doc_id))
        _join_story(conn, doc_id, ex.body_sentences())
        insert_sentences(conn, [SentenceRow(doc_id=doc_id, idx=s.idx, para=s.para, text=s.text)
                                for s in ex.sentences])
        insert_dates(conn, [DateRow(doc_id=doc_id, sent_idx=d.sent_idx, text=d.text, iso=d.iso) for d in ex.dates])
        defs = [(fold(alias), fold(ent.name)) for ent in ex.entities for alias in ent.aliases]
        conn.executemany("INSERT INTO defined VALUES (?, ?, ?, ?)",
                         [(doc_id, i, alias, target) for i, (alias, target) in enumerate(defs)])
        aliases.update(alias for alias, _ in defs)
        conn.executemany(
            "INSERT INTO local_entities (doc_id, key, bucket, name_fold, name, kind, weight, curated, roles, forms,"
            " data) VALUES (?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?)",
            [(doc_id, e.key, fold(e.name), e.name, e.kind, local_weight(e), int(e.curated),
              _json(e.roles), _json(e.forms), e.model_dump_json())
             for e in ex.entities],
        )
        conn.executemany(
            "INSERT INTO mentions (doc_id, sent_idx, surface, local_key) VALUES (?, ?, ?, ?)",
            [(doc_id, m.sent_idx, m.surface, m.key) for m in ex.mentions],
        )
        conn.executemany(
            "INSERT INTO quotes (id, doc_id, sent_idx, text, partial, speaker_key, speaker, speaker_kind)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(f"{doc_id}:q{n}", doc_id, q.sent_idx, q.text, int(q.partial), q.speaker_key, q.speaker_description,
              "description" if q.speaker_description else None)
             for n, q in enumerate(ex.quotes, start=1)],
        )
        conn.executemany(
            "INSERT INTO figures (id, doc_id, sent_idx, value, unit, qualifier, subject, text, sentence, group_id,"
            " kind, currency, direction, alt_value, alt_unit, bucket, data)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?)",
            [(f"{doc_id}:f{n}", doc_id, f.sent_idx, f.value, f.unit, f.qualifier, f.subject, f.text, f.sentence,
              f.kind, f.currency, f.direction, f.alt_value, f.alt_unit, figure_bucket(f), f.model_dump_json())
             for n, f in enumerate(ex.figures, start=1)],
        )
    return aliases


def _join_story(conn: sqlite3.Connection, doc_id: str, sentences: list[str]) -> None:
    """The story an article belongs to: that of the most similar earlier article (near-duplicate text, found
    through the signature bands), else its own."""
    body, sig = identity(sentences)
    keys = band_keys(sig)
    candidates = {d for band, key in enumerate(keys) for (d,) in
                  conn.execute("SELECT doc_id FROM doc_bands WHERE band = ? AND key = ?", (band, key))}
    best, story = STORY_SIMILARITY, doc_id
    for other, other_story, blob in select_in(conn, "SELECT id, story_id, signature FROM documents WHERE id IN ({})",
                                            candidates):
        score = similarity(sig, np.frombuffer(blob, dtype=np.uint64))
        if score >= best:
            best, story = score, other_story or other
    conn.execute("UPDATE documents SET body_sha = ?, story_id = ?, signature = ? WHERE id = ?",
                 (body, story, sig.tobytes(), doc_id))
    conn.executemany("INSERT INTO doc_bands VALUES (?, ?, ?)", [(b, k, doc_id) for b, k in enumerate(keys)])


def resign(conn: sqlite3.Connection) -> None:
    """The signatures and bands of every document made again from its stored body sentences (after a change of
    the signature scheme); the stories the documents are in stay as they are."""
    bodies = dict(conn.execute("SELECT doc_id, json_extract(extraction, '$.article.body_count') FROM doc_cache"))
    texts: dict[str, list[str]] = defaultdict(list)
    for doc_id, para, text in conn.execute("SELECT doc_id, para, text FROM sentences ORDER BY doc_id, idx"):
        if bodies.get(doc_id) is None or para < bodies[doc_id]:
            texts[doc_id].append(text)
    docs = [d for (d,) in conn.execute("SELECT id FROM documents")]
    conn.execute("DELETE FROM doc_bands")
    for doc_id in docs:
        sig = signature(texts[doc_id])
        conn.execute("UPDATE documents SET signature = ? WHERE id = ?", (sig.tobytes(), doc_id))
        conn.executemany("INSERT INTO doc_bands VALUES (?, ?, ?)",
                         [(b, k, doc_id) for b, k in enumerate(band_keys(sig))])


def _defined(conn: sqlite3.Connection, names: Collection[str]) -> dict[str, str]:
    """What each of `names` stands for where an article defines it as an alias: its first definition in
    document order."""
    out: dict[str, str] = {}
    for alias, target in select_in(
        conn, "SELECT alias, target FROM defined WHERE alias IN ({}) ORDER BY alias, doc_id, ord", names
    ):
        out.setdefault(alias, target)
    return out


def _set_buckets(conn: sqlite3.Connection, changed: Sequence[DocExtraction], defined: dict[str, str]) -> set[str]:
    """Set the buckets of the new articles' entities; returns them."""
    rows = [(entity_bucket(e, defined), ex.article.id, e.key) for ex in changed for e in ex.entities]
    conn.executemany("UPDATE local_entities SET bucket = ? WHERE doc_id = ? AND key = ?", rows)
    return {b for b, _, _ in rows}


Change = tuple[str, str, tuple[str | None, str | None], tuple[str, str]]  # doc, key, (old id, name), (new id, name)


def _resolve_buckets(conn: sqlite3.Connection, buckets: Collection[str]) -> list[Change]:
    """Resolve each bucket again; returns the local entities whose corpus entity (id or name) changed."""
    out: list[Change] = []
    for bucket in sorted(buckets):  # a bucket reads only its own rows: the writes wait for the last one
        out += (_resolve_named if bucket.startswith("o:") else _resolve_clustered)(conn, bucket)
    conn.executemany("UPDATE local_entities SET entity_id = ?, cluster_name = ? WHERE doc_id = ? AND key = ?",
                     [(eid, name, doc_id, key) for doc_id, key, _, (eid, name) in out])
    return out


def _resolve_named(conn: sqlite3.Connection, bucket: str) -> list[Change]:
    """A bucket of non-person names is one entity, settled from sums over its members (read from a covering
    index, no member's JSON): only the members whose id or name changes are read and written."""
    votes = dict(conn.execute("SELECT kind, sum(weight + ? * curated) FROM local_entities WHERE bucket = ?"
                              " GROUP BY kind", (CURATED_VOTE, bucket)).fetchall())
    if not votes:
        return []
    curated = conn.execute("SELECT name FROM local_entities WHERE bucket = ? AND curated ORDER BY doc_id, key"
                           " LIMIT 1", (bucket,)).fetchone()
    names = dict(conn.execute("SELECT name, sum(weight) FROM local_entities WHERE bucket = ? GROUP BY name",
                              (bucket,)).fetchall())
    eid, name = named_entity(votes, curated[0] if curated else None, names)
    return [(doc_id, key, (old, old_name), (eid, name)) for doc_id, key, old, old_name in conn.execute(
        "SELECT doc_id, key, entity_id, cluster_name FROM local_entities WHERE bucket = ?"
        " AND (entity_id IS NOT ? OR cluster_name IS NOT ?)", (bucket, eid, name))]


def _resolve_clustered(conn: sqlite3.Connection, bucket: str) -> list[Change]:
    """A surname bucket is clustered again (people who share a surname stay apart), from its name classes
    summed over the bucket's covering index; then each class's members whose entity changed are read there."""
    classes: dict[tuple, NameClass] = {}
    for name, kind, curated, roles, weight, first, last, lo in conn.execute(
        "SELECT name, kind, curated, roles, sum(weight), min(doc_id || char(0) || key), max(doc_id), min(doc_id)"
        " FROM local_entities WHERE bucket = ? GROUP BY kind, name, curated, roles", (bucket,)
    ):
        doc_id, key = first.split("\0", 1)
        classes[(kind, name, curated, roles)] = NameClass(name, kind, bool(curated), tuple(json.loads(roles)),
                                                          Counter(), weight, (doc_id, key), (lo, last))
    for kind, name, curated, roles, form, n in conn.execute(
        "SELECT le.kind, le.name, le.curated, le.roles, j.key, sum(j.value) FROM local_entities le,"
        " json_each(le.forms) j WHERE le.bucket = ? GROUP BY 1, 2, 3, 4, 5", (bucket,)
    ):
        classes[(kind, name, curated, roles)].forms[form] = n
    if not classes:
        return []
    clusters = cluster_bucket(bucket, list(classes.values()))
    entity_of = {id(c): entity for cluster, entity in zip(clusters, entity_ids(bucket, clusters), strict=True)
                 for c in cluster.classes}
    changes: list[Change] = []
    for k, c in classes.items():
        eid, name = entity_of[id(c)]
        changes += [(doc_id, key, (old, old_name), (eid, name)) for doc_id, key, old, old_name in conn.execute(
            "SELECT doc_id, key, entity_id, cluster_name FROM local_entities WHERE bucket = ? AND kind = ? AND"
            " name = ? AND curated = ? AND roles = ? AND (entity_id IS NOT ? OR cluster_name IS NOT ?)",
            (bucket, *k, eid, name))]
    return changes


def _propagate(conn: sqlite3.Connection, remapped: dict[tuple[str, str], str], new_docs: Collection[str]) -> None:
    """Mentions and quote speakers follow their local entity to its corpus entity (in the articles of the remapped
    local entities: one statement per chunk of articles, not one per local entity)."""
    for part in _chunks({doc_id for doc_id, _ in remapped}):
        within = f"local_entities.doc_id IN ({','.join('?' * len(part))})"
        conn.execute("UPDATE mentions SET entity_id = local_entities.entity_id FROM local_entities"
                     f" WHERE {within} AND mentions.doc_id = local_entities.doc_id"
                     " AND mentions.local_key = local_entities.key"
                     " AND mentions.entity_id IS NOT local_entities.entity_id", part)
        conn.execute("UPDATE quotes SET speaker_id = local_entities.entity_id,"
                     " speaker_kind = substr(local_entities.entity_id, 1, instr(local_entities.entity_id, ':') - 1)"
                     f" FROM local_entities WHERE {within} AND quotes.doc_id = local_entities.doc_id"
                     " AND quotes.speaker_key = local_entities.key"
                     " AND quotes.speaker_id IS NOT local_entities.entity_id", part)
    for part in _chunks(new_docs):
        conn.execute(f"DELETE FROM mentions WHERE entity_id IS NULL AND doc_id IN ({','.join('?' * len(part))})",
                     part)


def _aggregate(conn: sqlite3.Connection, shrunk: Collection[str], grown: dict[str, list[tuple[str, str]]],
               renamed: Collection[str], curated: Curated) -> None:
    """Bring the entity, alias and role rows up to date: an entity that lost local entities is rewritten from
    all of its own (`_rewrite`); one that only gained some takes in theirs, so adding an article costs what
    the article holds, not what the entities it names hold — unless its display name changes."""
    rewrite = set(shrunk)
    for eid in sorted((set(grown) | set(renamed)) - rewrite):
        row = conn.execute("SELECT name FROM entities WHERE id = ?", (eid,)).fetchone()
        if row is None or row[0] != _display_name(conn, eid):
            rewrite.add(eid)
        elif eid in grown:
            _take_in(conn, eid, row[0], grown[eid])
    _rewrite(conn, rewrite, curated)


def _display_name(conn: sqlite3.Connection, eid: str) -> str | None:
    """An entity's display name from a covering index (no member is parsed)."""
    weights = dict(conn.execute("SELECT cluster_name, sum(max(weight, 1)) FROM local_entities WHERE entity_id = ?"
                                " GROUP BY cluster_name", (eid,)).fetchall())
    return _heaviest(weights) if weights else None


def _heaviest(weights: dict[str, int]) -> str:
    """The most written of the names its clusters gave an entity (ties: the first in order)."""
    return min(weights, key=lambda n: (-weights[n], n))


def _take_in(conn: sqlite3.Connection, eid: str, name: str, joined: list[tuple[str, str]]) -> None:
    """Add the forms, aliases and roles of the local entities that `joined` entity `eid` (name unchanged)."""
    aliases = {a for (a,) in conn.execute("SELECT alias FROM aliases WHERE entity_id = ?", (eid,))}
    roles = {text.lower(): (text, set(json.loads(docs))) for text, docs in
             conn.execute("SELECT text, doc_ids FROM roles WHERE entity_id = ? ORDER BY rowid", (eid,))}
    before = (set(aliases), {k: (t, set(d)) for k, (t, d) in roles.items()})
    for doc_id, key in sorted(joined):
        (data,) = conn.execute("SELECT data FROM local_entities WHERE doc_id = ? AND key = ?", (doc_id, key)).fetchone()
        ent = LocalEntity.model_validate_json(data)
        aliases.update(a for a in (*ent.forms, *ent.aliases) if a != name)
        for role in ent.roles:
            text, docs = roles.setdefault(role.lower(), (role, set()))
            roles[role.lower()] = (role if docs and doc_id < min(docs) else text, docs | {doc_id})
    if aliases != before[0]:
        conn.executemany("INSERT INTO aliases VALUES (?, ?)", [(eid, a) for a in sorted(aliases - before[0])])
    if roles != before[1]:
        conn.execute("DELETE FROM roles WHERE entity_id = ?", (eid,))
        _insert_roles(conn, eid, roles)


def _insert_roles(conn: sqlite3.Connection, eid: str, roles: dict[str, tuple[str, set[str]]]) -> None:
    ordered = sorted(roles.values(), key=lambda r: (-len(r[1]), min(r[1]), r[0]))
    conn.executemany("INSERT INTO roles VALUES (?, ?, ?)", [(eid, text, json.dumps(sorted(docs)))
                                                           for text, docs in ordered])


def _rewrite(conn: sqlite3.Connection, eids: Collection[str], curated: Curated) -> None:
    """Rewrite the entity, alias and role rows of `eids` from all their local entities (an id left with none
    is dropped). Sums, forms, aliases and roles are read in SQL (json_each), so a big entity costs no Python
    parse of its members."""
    weights: dict[str, dict[str, int]] = defaultdict(dict)
    aliases: dict[str, set[str]] = defaultdict(set)
    roles: dict[str, dict[str, tuple[str, set[str]]]] = defaultdict(dict)
    for part in _chunks(eids):
        marks = ",".join("?" * len(part))
        for eid, name, weight in conn.execute(
            "SELECT entity_id, cluster_name, sum(max(weight, 1)) FROM local_entities"
            f" WHERE entity_id IN ({marks}) GROUP BY entity_id, cluster_name", part
        ):
            weights[eid][name] = weight
        for eid, alias in conn.execute(
            "SELECT le.entity_id, j.key FROM local_entities le, json_each(le.forms) j"
            f" WHERE le.entity_id IN ({marks}) UNION SELECT le.entity_id, j.value FROM local_entities le,"
            f" json_each(le.data, '$.aliases') j WHERE le.entity_id IN ({marks})", part * 2
        ):
            aliases[eid].add(alias)
        for eid, doc_id, role in conn.execute(
            "SELECT le.entity_id, le.doc_id, j.value FROM local_entities le, json_each(le.roles) j"
            f" WHERE le.entity_id IN ({marks}) ORDER BY le.entity_id, le.doc_id, le.key, j.key", part
        ):
            roles[eid].setdefault(role.lower(), (role, set()))[1].add(doc_id)
        for table, column in (("entities", "id"), ("aliases", "entity_id"), ("roles", "entity_id")):
            conn.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", part)
    for eid, weight in sorted(weights.items()):
        name = _heaviest(weight)
        names = aliases[eid]
        group = curated.lookup(name)
        if group is not None:
            names.update(group.aliases)
            names.add(group.name)
        names.discard(name)
        conn.execute("INSERT INTO entities VALUES (?, ?, ?, 0, 0)", (eid, name, eid.split(":", 1)[0]))
        conn.executemany("INSERT INTO aliases VALUES (?, ?)", [(eid, a) for a in sorted(names)])
        _insert_roles(conn, eid, roles[eid])


def _acronym_owners(conn: sqlite3.Connection, eids: Collection[str]) -> dict[str, str]:
    """Acronym aliases ("SDF") of the entities → the entity whose mention each is (the first id that holds it;
    people's initials are not acronyms)."""
    held = {a for (a,) in select_in(conn, "SELECT alias FROM aliases WHERE entity_id IN ({})", eids)
            if ACRONYM.fullmatch(a)}
    return _owners(conn, held)


def _owners(conn: sqlite3.Connection, acronyms: Collection[str]) -> dict[str, str]:
    """Acronym → the first non-person entity that holds it as an alias."""
    return dict(select_in(conn, "SELECT a.alias, min(a.entity_id) FROM aliases a JOIN entities e ON e.id ="
                                " a.entity_id WHERE e.kind != 'person' AND a.alias IN ({}) GROUP BY a.alias", acronyms))


def _acronyms(conn: sqlite3.Connection, before: dict[str, str], eids: Collection[str],
              new_docs: Collection[str]) -> tuple[set[str], set[str]]:
    """An acronym defined in one article is a mention wherever else it stands alone, even in articles that
    never define it. Re-scan the corpus for acronyms whose entity changed, and the new articles for all.
    Returns the entities whose mentions changed and the documents they changed in."""
    after = _acronym_owners(conn, eids)
    after.update({a: e for a, e in _owners(conn, before).items() if a not in after})
    dirty = {a for a in set(before) | set(after) if before.get(a) != after.get(a)}
    touched = {e for a in dirty for e in (before.get(a), after.get(a)) if e}
    docs: set[str] = set()
    for part in _chunks(dirty):
        where = f"local_key IS NULL AND surface IN ({','.join('?' * len(part))})"
        docs.update(d for (d,) in conn.execute(f"SELECT DISTINCT doc_id FROM mentions WHERE {where}", part))
        conn.execute(f"DELETE FROM mentions WHERE {where}", part)
    new = set(new_docs)
    for acronym in sorted(dirty):
        if acronym in after:  # the new articles are read below, with every acronym they write
            rows = [(d, i, WORD_ACRONYM.findall(text)) for d, i, text in conn.execute(
                "SELECT s.doc_id, s.idx, s.text FROM sentences_fts f JOIN sentences s ON s.id = f.rowid"
                " WHERE sentences_fts MATCH ?", (f'"{acronym}"',)) if d not in new]
            docs.update(d for _, d in _add_acronym_mentions(conn, rows, {acronym: after[acronym]}))
    if new_docs:
        rows = [(d, i, WORD_ACRONYM.findall(text)) for d, i, text in
                select_in(conn, "SELECT doc_id, idx, text FROM sentences WHERE doc_id IN ({})", new_docs)]
        every = _owners(conn, {a for _, _, written in rows for a in written})  # not every acronym of the index
        touched |= {e for e, _ in _add_acronym_mentions(conn, rows, every)}
    return touched, docs


def _add_acronym_mentions(conn: sqlite3.Connection, sentences: list[tuple[str, int, list[str]]],
                          owners: dict[str, str]) -> set[tuple[str, str]]:
    """Mentions of each acronym in `sentences` (document, sentence number, the acronyms it writes as words of
    their own) for its owner; returns the (entity, document) pairs added."""
    if not owners or not sentences:
        return set()
    seen = {(d, i, e) for d, i, e in select_in(
        conn, "SELECT doc_id, sent_idx, entity_id FROM mentions WHERE doc_id IN ({})", {d for d, _, _ in sentences})}
    rows = []
    for doc_id, idx, written in sentences:
        for acronym in written:
            eid = owners.get(acronym)
            if eid is not None and (doc_id, idx, eid) not in seen:
                seen.add((doc_id, idx, eid))
                rows.append((eid, doc_id, idx, acronym))
    conn.executemany("INSERT INTO mentions (entity_id, doc_id, sent_idx, surface) VALUES (?, ?, ?, ?)", rows)
    return {(eid, doc_id) for eid, doc_id, _, _ in rows}


def _counts(conn: sqlite3.Connection, eids: Collection[str], docs: Collection[str]) -> None:
    """The dated list of documents of each entity, rewritten for the documents whose entities or mentions
    changed (`docs`), and the mention and document counts of `eids` (read from indexes)."""
    for part in _chunks(docs):
        marks = ",".join("?" * len(part))
        conn.execute(f"DELETE FROM entity_docs WHERE doc_id IN ({marks})", part)
        conn.execute(
            "INSERT INTO entity_docs SELECT p.entity_id, d.id, d.date FROM (SELECT entity_id, doc_id FROM"
            f" local_entities WHERE doc_id IN ({marks}) UNION SELECT entity_id, doc_id FROM mentions WHERE doc_id"
            f" IN ({marks})) p JOIN documents d ON d.id = p.doc_id WHERE p.entity_id IN (SELECT id FROM entities)",
            part * 2)
    conn.executemany("UPDATE entities SET mention_count = (SELECT count(*) FROM mentions WHERE entity_id = ?),"
                     " doc_count = (SELECT count(*) FROM entity_docs WHERE entity_id = ?) WHERE id = ?",
                     [(eid, eid, eid) for eid in sorted(eids)])
    for part in _chunks(eids):  # mentions of an entity that is gone (its acronym's owner moved on)
        conn.execute("DELETE FROM mentions WHERE local_key IS NULL AND entity_id IN"
                     f" ({','.join('?' * len(part))}) AND entity_id NOT IN (SELECT id FROM entities)", part)


def _figure_buckets_of(conn: sqlite3.Connection, remapped: dict[tuple[str, str], str]) -> set[str]:
    """Buckets of figures whose named subject now belongs to another corpus entity."""
    keys: dict[str, set[str]] = defaultdict(set)
    for doc_id, key in remapped:
        keys[doc_id].add(key)
    out: set[str] = set()
    for doc_id, bucket, data in select_in(conn, "SELECT doc_id, bucket, data FROM figures WHERE doc_id IN ({})",
                                        set(keys)):
        if keys[doc_id] & set(json.loads(data).get("subject_keys", [])):
            out.add(bucket)
    return out


def _regroup(conn: sqlite3.Connection, buckets: Collection[str]) -> set[str]:
    """Group the figures of each bucket again (rows read and written in bulk); returns the conflict keys whose
    groups changed."""
    keys = {k for (k,) in select_in(conn, "SELECT conflict_key FROM figure_groups WHERE bucket IN ({})", buckets)}
    for part in _chunks(buckets):
        conn.execute(f"DELETE FROM figure_groups WHERE bucket IN ({','.join('?' * len(part))})", part)
    figures: dict[str, list[tuple[str, str, LocalFigure]]] = defaultdict(list)
    for fid, doc_id, bucket, data in select_in(conn, "SELECT id, doc_id, bucket, data FROM figures"
                                                     " WHERE bucket IN ({})", buckets):
        figures[bucket].append((fid, doc_id, LocalFigure.model_validate_json(data)))
    named = {doc_id for rows in figures.values() for _, doc_id, f in rows if f.subject_keys}
    entity_of: dict[str, dict[str, str | None]] = defaultdict(dict)
    for doc_id, key, eid in select_in(conn, "SELECT doc_id, key, entity_id FROM local_entities WHERE doc_id IN ({})",
                                      named):
        entity_of[doc_id][key] = eid
    groups, members = [], []
    for bucket, rows in sorted(figures.items()):
        items = [FigureItem(doc_id=doc_id, n=int(fid.rsplit(":f", 1)[1]), figure=figure,
                            entities={e for k in figure.subject_keys if (e := entity_of[doc_id].get(k))})
                 for fid, doc_id, figure in rows]
        for group in group_bucket(bucket, items):
            key = conflict_key(group.members[0].figure)
            keys.add(key)
            groups.append((group.id, group.value, group.unit, group.subject, json.dumps(group.doc_ids), bucket, key,
                           group.qclass, json.dumps(sorted(group.entities))))
            members += [(group.id, m.id) for m in group.members]
    conn.executemany("INSERT INTO figure_groups (id, value, unit, subject, doc_ids, conflicts_with, bucket,"
                     " conflict_key, qclass, subject_ids) VALUES (?, ?, ?, ?, ?, '[]', ?, ?, ?, ?)", groups)
    conn.executemany("UPDATE figures SET group_id = ? WHERE id = ?", members)
    return keys


def _conflicts(conn: sqlite3.Connection, keys: Collection[str]) -> None:
    """Recompute the conflicts among the groups of each conflict key (rows read and written in bulk)."""
    by_key: dict[str, list[tuple]] = defaultdict(list)
    for row in select_in(conn, "SELECT conflict_key, id, value, qclass, subject_ids, doc_ids, conflicts_with"
                             " FROM figure_groups WHERE conflict_key IN ({}) AND (qclass IN ('exact', 'lower',"
                             " 'upper') OR conflicts_with != '[]')", keys):  # the others contradict nothing
        by_key[row[0]].append(row[1:])
    docs = {d for rows in by_key.values() for r in rows for d in json.loads(r[4])}
    dates = {doc_id: parse_date(day) for doc_id, day in
             select_in(conn, "SELECT id, date FROM documents WHERE id IN ({})", docs)}
    updates = []
    for rows in by_key.values():
        candidates = [
            ConflictCandidate(id=gid, value=value, qclass=qclass, entities=set(json.loads(ents)) if ents != "[]"
                              else set(), dates=sorted({d for doc in json.loads(doc_ids) if (d := dates.get(doc))}))
            for gid, value, qclass, ents, doc_ids, _ in rows
        ]
        before = {r[0]: r[5] for r in rows}
        for gid, found in find_conflicts(candidates).items():
            if found or before[gid] != "[]":
                text = json.dumps(found)
                if text != before[gid]:
                    updates.append((text, gid))
    conn.executemany("UPDATE figure_groups SET conflicts_with = ? WHERE id = ?", updates)
