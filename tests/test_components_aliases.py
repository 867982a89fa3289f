"""Alias matching through spaCy's PhraseMatcher, on made-up names."""

from __future__ import annotations

from corpus.aliases import AliasMatcher, alias_spans
from corpus.nlp import load_nlp


def spans(text: str, *matchers: AliasMatcher) -> list[tuple[str, str]]:
    doc = load_nlp()(text)
    return [(doc[start:end].text, kind) for start, end, kind in alias_spans(doc, list(matchers))]


BOARD = AliasMatcher({
    "Northwind Ferry Board": ("organization", False),
    "Northwind": ("place", False),
    "NFB": ("organization", True),
})


def test_longest_alias_wins_and_case_is_ignored_unless_the_alias_is_short_capitals() -> None:
    assert spans("The northwind ferry board met in Northwind. NFB and nfb differ.", BOARD) == [
        ("northwind ferry board", "organization"), ("Northwind", "place"), ("NFB", "organization")]


def test_matches_never_overlap_and_run_left_to_right() -> None:
    inner = AliasMatcher({"Ferry Board Pier": ("place", False)})
    assert spans("Northwind Ferry Board Pier", BOARD, inner) == [("Northwind Ferry Board", "organization")]
    assert spans("Old Ferry Board Pier", BOARD, inner) == [("Ferry Board Pier", "place")]


def test_on_a_tie_the_case_sensitive_alias_then_the_earlier_matcher_wins() -> None:
    curated = AliasMatcher({"Tarn": ("place", False)})
    defined = AliasMatcher({"TARN": ("organization", True), "Tarn": ("group", False)})
    assert spans("TARN met in Tarn.", curated, defined) == [("TARN", "organization"), ("Tarn", "place")]
    assert spans("Tarn", defined, curated) == [("Tarn", "group")]


def test_an_alias_the_tokenizer_splits_matches_as_running_text_splits_it() -> None:
    assert spans("Talks with the U.S.-Velmora council's envoy.", AliasMatcher({"U.S.-Velmora council": (
        "organization", False)})) == [("U.S.-Velmora council", "organization")]
