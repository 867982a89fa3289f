"""Property tests: the text parsers never raise and keep their invariants on any input."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.aliases import acronym_definitions, known_as
from corpus.dates import resolve_date
from corpus.numbers import parse_amount
from corpus.quotes import find_quote_spans

quoteish = st.text(alphabet=st.sampled_from(list("ab cD.,\"“”‘’'()\n-")), max_size=300)


@settings(max_examples=300, deadline=None)
@given(st.one_of(quoteish, st.text(max_size=300)))
def test_quote_spans_are_ordered_and_inside(text: str) -> None:
    spans = find_quote_spans(text)
    last_end = -1
    for start, end, _, _ in spans:
        assert 0 <= start <= end <= len(text)
        assert start >= last_end  # quotes never overlap
        assert any(ch.isalnum() or ch == "_" for ch in text[start:end])
        last_end = end


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_parse_amount_returns_a_finite_value_or_none(text: str) -> None:
    parsed = parse_amount(text)
    if parsed is not None:
        assert parsed.value == parsed.value and parsed.value >= 0  # not NaN
        assert parsed.unit in {None, "%"}
        assert parsed.currency is None or (len(parsed.currency) == 3 and parsed.currency.isupper())
        assert parsed.qclass in {"exact", "approx", "lower", "upper", "vague"}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.one_of(st.none(), st.dates().map(lambda d: d.isoformat()),
                                        st.sampled_from(["2021", "junk"])))
def test_resolve_date_is_iso_or_none(text: str, anchor: str | None) -> None:
    iso = resolve_date(text, anchor)
    if iso is not None:
        assert len(iso) in {4, 7, 10} and iso[:4].isdigit()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_alias_patterns_never_raise(text: str) -> None:
    for long, short in acronym_definitions(text):
        assert long and short
    for offset, alias in known_as(text):
        assert 0 <= offset < len(text) and alias
