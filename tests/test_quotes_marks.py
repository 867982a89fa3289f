"""Quotation marks: which passages of a paragraph are quotes (made-up text)."""

from __future__ import annotations

from corpus.quotes import find_quote_spans


def quoted(text: str) -> list[str]:
    return [text[a:b] for a, b, _, _ in find_quote_spans(text)]


def test_two_apostrophes_are_a_double_mark() -> None:
    text = "''The bridge can't wait,'' said Tomas Rell. ''It's rusting now.''"
    assert quoted(text) == ["The bridge can't wait,", "It's rusting now."]


def test_single_curly_quotes_outside_double_quotes() -> None:
    assert quoted("The sign read ‘Keep the harbour open’ all week.") == ["Keep the harbour open"]


def test_apostrophe_inside_a_single_quote_does_not_close_it() -> None:
    assert quoted("She called it ‘the town’s last chance’ on Monday.") == ["the town’s last chance"]


def test_nested_single_quote_stays_inside_one_quote() -> None:
    text = "“They told me ‘wait a week’ and nothing more,” Vera Lund said."
    assert quoted(text) == ["They told me ‘wait a week’ and nothing more,"]


def test_tweet_markup_attributes_are_not_quotes() -> None:
    text = 'See <tweet author="someone" id="12345">Big day at the mill</tweet>. "We did it," he said.'
    assert quoted(text) == ["We did it,"]


def test_possessive_apostrophe_opens_no_quote() -> None:
    assert quoted("The Jones’ farm sold its barley.") == []


def test_a_paragraph_ending_in_two_apostrophes_is_body_text(extract) -> None:  # type: ignore[no-untyped-def]
    ex = extract("Club owners met in Lisbon on Friday.\n\n"
                 "As for the league's plans, he said, ''What club isn't chasing money these days?''")
    assert any("chasing money" in q.text for q in ex.quotes)
