"""The benchmark's corpus generator (bench/bench_build.py) writes valid, reproducible articles from the seeds.

Only the generator is exercised: no timing, no ../shared, no model.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from corpus.ingest import HEADER_RE, discover, parse_article

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def _joins(text: str, sentences: set[str], most: int) -> bool:
    """Whether `text` is 1 to `most` of `sentences` joined by spaces."""
    if text in sentences:
        return True
    return most > 1 and any(text.startswith(s + " ") and _joins(text[len(s) + 1:], sentences, most - 1)
                            for s in sentences)


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_build", ROOT / "bench" / "bench_build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_articles_are_valid(bench: ModuleType, tmp_path: Path) -> None:
    paths = bench.generate_corpus(SEEDS, tmp_path, 12, seed=7)
    assert [p.name for p in paths] == [f"gen_{i:04d}.txt" for i in range(12)]
    assert discover([tmp_path]) == (paths, [])
    pool = set(bench.sentence_pool(SEEDS))
    assert pool
    for path in paths:
        text = path.read_text(encoding="utf-8")
        header, blank, *rest = text.split("\n")
        match = HEADER_RE.match(header)
        assert match and blank == "", header
        paragraphs = "\n".join(rest).strip().split("\n\n")
        assert 6 <= len(paragraphs) <= 12
        assert all(_joins(paragraph, pool, 3) for paragraph in paragraphs), path.name
        article = parse_article(path.stem, text)
        assert (article.date, article.date_source) == (match.group(1), "header")
        assert article.title == match.group(2) and article.paragraphs


def test_generation_is_deterministic_for_a_seed(bench: ModuleType, tmp_path: Path) -> None:
    def texts(seed: int, folder: str) -> list[str]:
        return [p.read_text(encoding="utf-8") for p in bench.generate_corpus(SEEDS, tmp_path / folder, 5, seed)]

    assert texts(1, "a") == texts(1, "b")
    assert texts(1, "a") != texts(2, "c")


def test_sentences_split_at_sentence_ends_only(bench: ModuleType) -> None:
    text = 'Mr. Smith met U.S. officials. "It went well," he said. Why? “Because.” Talks resume Monday.'
    assert bench.split_sentences(text) == [
        "Mr. Smith met U.S. officials.", '"It went well," he said.', "Why?", "“Because.”", "Talks resume Monday.",
    ]
