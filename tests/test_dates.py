"""Dates in the text, resolved against the article's date, on made-up text."""

from __future__ import annotations

import pytest

from corpus.dates import resolve_date


@pytest.mark.parametrize("text", ["since 2011", "until 2030", "by 2025", "before March 2019"])
def test_bounds_are_no_event_dates(text: str) -> None:
    assert resolve_date(text, "2021-06-01") is None


def test_a_year_after_since_in_the_text_is_no_event_date(extract) -> None:  # type: ignore[no-untyped-def]
    ex = extract("The harbour has been closed since 2011. It reopened in 2019.")
    assert {d.text: d.iso for d in ex.dates} == {"2011": None, "2019": "2019"}


@pytest.mark.parametrize(("text", "iso"), [
    ("Friday", "2021-06-04"),  # the article is of Tuesday 2021-06-08: the past Friday
    ("Tuesday", "2021-06-08"),
    ("next Friday", "2021-06-11"),
])
def test_weekdays_resolve_to_the_past_weekday(text: str, iso: str) -> None:
    assert resolve_date(text, "2021-06-08") == iso


def test_years_are_four_digits() -> None:
    assert resolve_date("last year", "0999-05-01") == "0998"
