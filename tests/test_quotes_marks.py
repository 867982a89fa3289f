"""Quotation marks: which passages of a paragraph are quotes (made-up text)."""

from __future__ import annotations

from corpus.quote_content import named_title, signed
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


def test_a_quote_inside_a_curly_quote_stays_part_of_it() -> None:
    text = "“Fans in “Go Harbour” shirts filled the stands. We loved it,” Mira Selt wrote."
    assert quoted(text) == ["Fans in “Go Harbour” shirts filled the stands. We loved it,"]


def test_a_curly_quote_inside_a_straight_quote_stays_part_of_it() -> None:
    text = '"The board is not about “fair play” any more. It is about money," said Pim Oster.'
    assert quoted(text) == ["The board is not about “fair play” any more. It is about money,"]


def test_a_straight_quote_inside_a_straight_quote_stays_part_of_it() -> None:
    text = '"Crowds chanted "Open the gates!" as the mayor left." the clerk posted.'
    assert quoted(text) == ['Crowds chanted "Open the gates!" as the mayor left.']


def test_a_new_opening_without_a_closing_pair_still_starts_a_new_quote() -> None:
    text = "“The river rose overnight. “We lost the bridge,” said Anka Lisse."
    assert quoted(text) == ["The river rose overnight. ", "We lost the bridge,"]


def test_a_mark_right_after_a_colon_opens_a_quote() -> None:
    text = 'Rep. Tova Brill (D-Ore.):"Who told you that figure? Who told you that?"'
    assert quoted(text) == ["Who told you that figure? Who told you that?"]


def test_a_title_in_capitals_after_a_possessive_is_a_show_or_book() -> None:
    text = "Ilse Marr said on Channel Nine's ''Good Evening Harbour'' that her ''Long Walk Home'' was done."
    a, b, _, _ = find_quote_spans(text)[0]
    assert text[a:b] == "Good Evening Harbour"
    assert named_title(text, a, b)
    c, d, _, _ = find_quote_spans(text)[1]
    assert not named_title(text, c, d)
    speech = "Ilse Marr's \"We will build it,\" was the line of the night."
    e, f, _, _ = find_quote_spans(speech)[0]
    assert not named_title(speech, e, f)


def test_a_title_after_on_or_after_the_kind_of_work_is_no_quote() -> None:
    for text in ("Ilse Marr said on ''Good Evening Harbour'' that ''the ferry will run.''",
                 "In her memoir, “A Long Way Home,” Ilse Marr wrote that “the ferry will run.”",
                 'The band played the song "Harbour Lights Tonight" and Marr said "the ferry will run."'):
        title, speech = find_quote_spans(text)
        assert named_title(text, title[0], title[1]), text
        assert not named_title(text, speech[0], speech[1]), text


def test_a_title_after_of_is_no_quote_but_a_chant_is() -> None:
    text = "On an episode of “Good Evening Harbour,” Ilse Marr said “the ferry will run.”"
    title, speech = find_quote_spans(text)
    assert named_title(text, *title[:2]) and not named_title(text, *speech[:2])
    book = "Bo Ferris, the co-author of ''The Harbour Years: A Short History of Ferries,'' said ''no.''"
    assert named_title(book, *find_quote_spans(book)[0][:2])
    chant = "The hall rang with chants of “Go Marr Go!” all night."
    assert not named_title(chant, *find_quote_spans(chant)[0][:2])


def test_inch_marks_are_no_quotation_marks() -> None:
    assert quoted("Her file says Ilse Marr is 6'1\" tall. \"Tall enough,\" she said.") == ["Tall enough,"]
    assert quoted("“He is 6’2”, and I am 5’9”,” Bo Ferris said.") == ["He is 6’2”, and I am 5’9”,"]


def test_a_stage_direction_in_marks_is_no_quote() -> None:
    assert quoted('"(APPLAUSE.)') == []
    assert quoted('“[inaudible]” and then “(laughs) we will see,” Ilse Marr said.') == ["(laughs) we will see,"]


def test_a_titled_advert_keeps_its_quote() -> None:
    text = "The campaign released an advert titled “Harbour First” on Sunday."
    [(a, b, _, _)] = find_quote_spans(text)
    assert not named_title(text, a, b)


def test_a_nickname_inside_a_name_is_no_quote() -> None:
    text = 'Veteran boxer Juan "Chico" Pellam of Dunmore came back to the ring on Friday.'
    [(a, b, _, _)] = find_quote_spans(text)
    assert named_title(text, a, b)
    headline = "Mayor ‘The Builder’ Opens New Bridge"
    [(c, d, _, _)] = find_quote_spans(headline)
    assert not named_title(headline, c, d)


def test_a_show_title_is_not_exported_as_a_quote(extract) -> None:  # type: ignore[no-untyped-def]
    ex = extract("Ferry plans divide the island.\n\n"
                 "“The ferry must run all winter,” Ilse Marr said on Channel Nine’s “Good Evening Harbour.”")
    assert [q.text for q in ex.quotes] == ["The ferry must run all winter"]
    assert ex.quotes[0].speaker_key is not None and "marr" in ex.quotes[0].speaker_key


def test_a_signed_quote_continues_no_earlier_speaker(extract) -> None:  # type: ignore[no-untyped-def]
    ex = extract("Readers wrote in about the harbour plan.\n\n"
                 "“The harbour is our past and our future,” said Ilse Marr, a ferry captain.\n\n"
                 "“It is a plan nobody asked for and nobody will use. We want the old ferry back.” ― a reader in "
                 "Dunmore\n\nThe council meets on Monday.")
    [later] = [q for q in ex.quotes if "nobody asked" in q.text]
    assert later.speaker_key is None
    assert signed("” ― Quib Zanthrop") and not signed(", he said.") and not signed(". -1.5 percent")
