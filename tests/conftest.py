"""Shared fixtures: an index built from the project's seeds (once per test session)."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from corpus.build import build_index
from corpus.store import open_index, read_export

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session", autouse=True)
def _temporary_files_in_pytests_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """What the code writes to the system's temporary folder (trend charts, scratch files) goes to pytest's own
    folder for this session, which pytest prunes, instead of piling up in /tmp run after run."""
    before = tempfile.tempdir
    tempfile.tempdir = str(tmp_path_factory.mktemp("tmp"))
    yield
    tempfile.tempdir = before


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of an index built from seeds/ (read-only for tests: copy it before writing)."""
    path = tmp_path_factory.mktemp("index") / "seeds.sqlite3"
    build_index([SEEDS], path)
    return path


@pytest.fixture(scope="session")
def seed_export(seed_index: Path) -> dict:
    """The seed index as the export JSON (a plain dict, as a user of `briefbot export` sees it)."""
    conn = open_index(seed_index)
    try:
        return json.loads(read_export(conn).model_dump_json())
    finally:
        conn.close()


@pytest.fixture(scope="session")
def extract():  # type: ignore[no-untyped-def]
    """extract(text, doc_id="t") → DocExtraction of an ad-hoc article, through the real pipeline."""
    from corpus.aliases import load_curated
    from corpus.build import parse_articles
    from corpus.extract import extract_document
    from corpus.ingest import parse_article

    curated = load_curated()

    def run(text: str, doc_id: str = "t"):  # type: ignore[no-untyped-def]
        article = parse_article(doc_id, text)
        [(art, docs)] = list(parse_articles([article]))
        return extract_document(art, docs, curated)

    return run
