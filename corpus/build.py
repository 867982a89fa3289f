"""`briefbot build`: files → parse → extract → resolve → one SQLite index, incrementally.

Each document's extraction is cached in the index under its content hash (and the extractor's version
and alias file), so a rebuild parses only new or changed files and drops removed ones; resolving across
documents is cheap and always redone from the cached extractions.
"""

from __future__ import annotations

import hashlib
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from pydantic import BaseModel
from spacy.tokens import Doc

from corpus.aliases import Curated, load_curated
from corpus.extract import extract_document
from corpus.extraction import DocExtraction
from corpus.ingest import Article, FileProblem, discover, parse_article, read_text
from corpus.resolve import resolve
from corpus.store import CacheRow, cached_extractions, load_cache, open_or_create, utc_now, write_index

# Bump when extraction rules change, so cached extractions are redone.
EXTRACTOR_VERSION = "12"


class BuildReport(BaseModel):
    index: str
    documents: int = 0
    parsed: int = 0
    reused: int = 0
    removed: int = 0
    skipped: list[FileProblem] = []
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


def _fingerprint(curated: Curated) -> str:
    groups = "|".join(f"{g.name}:{g.kind}:{','.join(g.aliases)}" for g in curated.groups)
    return hashlib.sha256(f"{EXTRACTOR_VERSION}\n{groups}".encode()).hexdigest()[:16]


def parse_articles(articles: list[Article], jobs: int = 1, batch_size: int = 64) -> Iterator[tuple[Article, list[Doc]]]:
    """(article, parsed paragraphs) in order, streaming every paragraph through one `nlp.pipe`.
    Articles without a paragraph are never yielded (the build skips them before parsing)."""
    from corpus.nlp import load_nlp

    stream = ((par, i) for i, a in enumerate(articles) for par in a.paragraphs)
    current, docs = 0, []
    for doc, i in load_nlp().pipe(stream, as_tuples=True, n_process=jobs, batch_size=batch_size):
        if i != current:
            yield articles[current], docs
            current, docs = i, []
        docs.append(doc)
    if docs:
        yield articles[current], docs


def build_index(paths: list[Path], index_path: Path, *, jobs: int = 1, aliases_file: Path | None = None,
                progress: bool = False) -> BuildReport:
    """Build or update the index at `index_path` from the article files under `paths`."""
    started = time.perf_counter()
    report = BuildReport(index=str(index_path))
    files, problems = discover(paths)
    report.skipped = problems
    curated = load_curated(aliases_file)
    fingerprint = _fingerprint(curated)
    conn = open_or_create(index_path)
    try:
        cache = load_cache(conn)
        stored_fp = conn.execute("SELECT value FROM meta WHERE key = 'extractor'").fetchone()
        same_extractor = stored_fp is not None and stored_fp[0] == fingerprint
        to_parse: list[Article] = []
        unchanged: set[str] = set()
        seen: set[str] = set()
        for path in files:
            doc_id = path.stem
            if doc_id in seen:
                report.skipped.append(FileProblem(path=str(path), reason=f"duplicate document id {doc_id!r}"))
                continue
            seen.add(doc_id)
            read = read_text(path)
            if isinstance(read, FileProblem):
                report.skipped.append(read)
                continue
            text, sha = read
            if same_extractor and doc_id in cache and cache[doc_id][0] == sha:
                unchanged.add(doc_id)
                continue
            try:
                article = parse_article(doc_id, text, str(path), sha)
            except Exception as exc:  # a malformed article is reported, never fatal
                report.skipped.append(FileProblem(path=str(path), reason=f"could not be read as an article ({exc})"))
                continue
            if not article.paragraphs:
                report.skipped.append(FileProblem(path=str(path), reason="no body text after removing page furniture"))
                continue
            to_parse.append(article)
        report.reused = len(unchanged)
        report.removed = len(set(cache) - seen)
        report.changed = bool(to_parse or unchanged != set(cache) or not same_extractor)
        if report.changed:
            _update(conn, report, to_parse, unchanged, cache, curated, jobs, progress)
            with conn:
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('extractor', ?)", (fingerprint,))
        _summarise(conn, report)
    finally:
        conn.close()
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _update(conn: sqlite3.Connection, report: BuildReport, to_parse: list[Article], unchanged: set[str],
            cache: dict[str, tuple[str, str]], curated: Curated, jobs: int, progress: bool) -> None:
    """Parse and extract the new and changed articles, then resolve everything and rewrite the index."""
    extractions = {d: DocExtraction.model_validate_json(x) for d, x in cached_extractions(conn, unchanged).items()}
    updates: list[CacheRow] = []
    bar = Progress(len(to_parse), progress)
    now = utc_now()
    for article, docs in parse_articles(to_parse, jobs=jobs):
        try:
            ex = extract_document(article, docs, curated)
        except Exception as exc:  # one bad article never stops the build
            report.skipped.append(FileProblem(path=article.path, reason=f"extraction failed ({exc!r})"))
        else:
            extractions[article.id] = ex
            added = cache[article.id][1] if article.id in cache else now
            updates.append((article.id, article.sha256, article.path, ex.model_dump_json(), added))
            report.parsed += 1
        bar.step(article.id)
    write_index(conn, resolve(list(extractions.values()), curated), updates, keep=unchanged)
    dropped = sum(x.figures_without_subject for x in extractions.values())
    with conn:
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('figures_without_subject', ?)", (str(dropped),))


def _summarise(conn: sqlite3.Connection, report: BuildReport) -> None:
    report.documents = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    report.entities_by_kind = dict(Counter(k for (k,) in conn.execute("SELECT kind FROM entities")))
    report.quotes_attributed = conn.execute("SELECT count(*) FROM quotes WHERE speaker_id IS NOT NULL").fetchone()[0]
    report.quotes_unattributed = conn.execute("SELECT count(*) FROM quotes WHERE speaker_id IS NULL").fetchone()[0]
    report.figures = conn.execute("SELECT count(*) FROM figures").fetchone()[0]
    report.figure_groups = conn.execute("SELECT count(*) FROM figure_groups").fetchone()[0]
    dropped = conn.execute("SELECT value FROM meta WHERE key = 'figures_without_subject'").fetchone()
    report.figures_without_subject = int(dropped[0]) if dropped else 0


def print_summary(report: BuildReport, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(report.entities_by_kind.items())) or "none"
    print(f"Index {report.index}: {report.documents} documents "
          f"({report.parsed} parsed, {report.reused} unchanged, {report.removed} removed) in {report.seconds:.1f}s",
          file=out)
    print(f"  entities: {kinds}", file=out)
    print(f"  quotes: {report.quotes_attributed} attributed, {report.quotes_unattributed} speaker unknown", file=out)
    print(f"  figures: {report.figures} in {report.figure_groups} groups "
          f"({report.figures_without_subject} numbers left out: no clear subject)", file=out)
    if report.skipped:
        print(f"  skipped {len(report.skipped)} file(s):", file=out)
        for problem in report.skipped:
            print(f"    {problem.path}: {problem.reason}", file=out)
