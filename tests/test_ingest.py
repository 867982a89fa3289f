"""Ingest: reading files safely and separating body text from page furniture."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.ingest import FileProblem, discover, find_full_dates, parse_article, read_text


def test_header_line_gives_date_and_title() -> None:
    art = parse_article("a", " date 2020-05-01 Floods hit the coast\n\nRain fell for days.")
    assert (art.date, art.date_source, art.title) == ("2020-05-01", "header", "Floods hit the coast")
    assert art.body == ["Rain fell for days."]
    assert art.paragraphs == ["Rain fell for days.", "Floods hit the coast"]  # the title is read for names


def test_furniture_becomes_metadata() -> None:
    text = "\n\n".join([
        "Accessibility links", "Breaking News", "Storm Batters Coastal Towns",
        "Follow Harbour Radio on Instagram, Facebook and Twitter.",
        "FILE - A man walks past a flooded shop in Porto, March 3, 2019.",
        "(LISBON) — The storm closed roads across the region on Monday, officials said.",
        "Local Relief Efforts",
        "Volunteers handed out food and blankets.",
        "(With input from AP and Reuters)",
        "Copyright © 2022, Example News Ltd. All rights reserved.",
    ])
    art = parse_article("storm", text)
    assert art.title == "Storm Batters Coastal Towns"
    assert art.dateline == "Lisbon"
    assert art.outlet == "Example News Ltd"
    assert art.credits == ["With input from AP and Reuters"]
    assert art.captions and art.captions[0].startswith("FILE -")
    assert art.body == ["The storm closed roads across the region on Monday, officials said.",
                        "Volunteers handed out food and blankets."]
    assert art.paragraphs[2:] == [art.title, "Local Relief Efforts", art.captions[0]]  # read for names only
    # a FILE photo is older than the story by definition: its date is never the article's
    assert (art.date, art.date_source) == ("2022", "copyright")


def test_copyright_year_when_no_full_date() -> None:
    art = parse_article("c", "Prices rose again in May.\nCopyright 2018 Daily Planet. All rights reserved.")
    assert (art.date, art.date_source, art.outlet) == ("2018", "copyright", "Daily Planet")
    assert art.title == "Prices rose again in May."


def test_date_from_photo_caption_over_nothing() -> None:
    art = parse_article("p", "Leaders met in Oslo.\nLeaders pose for a photo in Oslo, June 2, 2021. /AP Photo")
    assert (art.date, art.date_source) == ("2021-06-02", "caption")


def test_unknown_date() -> None:
    art = parse_article("u", "Nobody knows when this happened.")
    assert (art.date, art.date_source) == (None, "unknown")


def test_full_dates() -> None:
    assert [d for _, d in find_full_dates("On November 14, 2019 and 3 Feb 2020 and 2021-07-09.")] == [
        "2019-11-14", "2020-02-03", "2021-07-09"]
    assert find_full_dates("February 30, 2020") == []


def test_unreadable_files_are_reported(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text("Fine text.", encoding="utf-8")
    (tmp_path / "latin.txt").write_bytes("caf\xe9".encode("latin-1"))
    (tmp_path / "bin.md").write_bytes(b"\x00\x01\x02")
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "big.txt").write_text("x" * 50, encoding="utf-8")
    (tmp_path / "skip.pdf").write_bytes(b"%PDF")
    files, problems = discover([tmp_path, tmp_path / "missing.txt"])
    assert [f.name for f in files] == ["big.txt", "bin.md", "empty.txt", "latin.txt", "ok.txt"]
    assert problems == [FileProblem(path=str(tmp_path / "missing.txt"), reason="no such file or folder")]
    reasons = {f.name: r.reason for f in files if isinstance(r := read_text(f, max_bytes=40), FileProblem)}
    assert "not UTF-8" in reasons["latin.txt"] and "0xe9" in reasons["latin.txt"]
    assert "binary" in reasons["bin.md"]
    assert "empty" in reasons["empty.txt"]
    assert "too large" in reasons["big.txt"]
    assert "ok.txt" not in reasons


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_parse_article_never_raises(text: str) -> None:
    art = parse_article("h", text)
    assert art.title
    assert all(p.strip() == p and p for p in art.paragraphs)
    assert art.date_source in {"header", "text", "caption", "copyright", "unknown"}


@pytest.mark.parametrize(("first", "place", "outlet", "date"), [
    ("TALLINN, March 6, 2024 - Mira Kask said the port would reopen.", "Tallinn", None, "2024-03-06"),
    ("SINGAPORE - Mira Kask said the port would reopen.", "Singapore", None, None),
    ("WASHINGTON — Mira Kask said the port would reopen.", "Washington", None, None),
    ("KUALA LUMPUR (Reuters) - Mira Kask said the port would reopen.", "Kuala Lumpur", "Reuters", None),
    ("(CNN) Mira Kask said the port would reopen.", None, "CNN", None),
    ("Bangkok, Thailand (CNN) Mira Kask said the port would reopen.", "Bangkok, Thailand", "CNN", None),
])
def test_datelines_of_every_form_become_metadata(first: str, place: str | None, outlet: str | None,
                                                 date: str | None) -> None:
    art = parse_article("d", f"{first}\n\nShe spoke on Monday, May 5, 2003 about the old port.")
    assert art.body[0] == "Mira Kask said the port would reopen."
    assert (art.dateline, art.outlet, art.date) == (place, outlet, date)


def test_a_parenthesised_acronym_is_no_outlet() -> None:
    art = parse_article("w", "The Ocean Trust (OT) Director Lena Fry said fish stocks fell.")
    assert art.body == ["The Ocean Trust (OT) Director Lena Fry said fish stocks fell."]


def test_no_header_dates_only_from_the_page_itself() -> None:
    text = "Port Reopens\n\nThe port, closed on June 3, 2011, reopened, officials said."
    assert parse_article("t", text).date is None  # a date in the text is often another event's
    art = parse_article("t", "Port Reopens\n\nWednesday, September 7, 2016\n\nThe port reopened, officials said.")
    assert (art.date, art.date_source) == ("2016-09-07", "text")
    assert art.body == ["The port reopened, officials said."]
    caption = "A ship in the harbour, in this file photo taken May 2, 2009. Image: Port Authority."
    assert parse_article("t", f"Ships wait.\n\n{caption}").date is None


@pytest.mark.parametrize(("line", "author", "role"), [
    ("By Tomas Brandt", "Tomas Brandt", None),
    ("By Tomas Brandt, Harbour News, Oslo", "Tomas Brandt", None),
    ("Tomas Brandt, Harbour News tennis correspondent", "Tomas Brandt", "Harbour News tennis correspondent"),
])
def test_bylines_give_the_author(line: str, author: str, role: str | None) -> None:
    art = parse_article("b", f"Port Reopens\n\n{line}\n\nThe port reopened on Monday, officials said.")
    assert (art.author, art.author_role) == (author, role)
    assert line in art.paragraphs and line not in art.body


def test_timeline_lines_and_short_sentences_are_content() -> None:
    art = parse_article("t", "Port Timeline\n\nJuly 2020: Mira Kask announces the closure\n\nThe port closed.")
    assert art.body == ["July 2020: Mira Kask announces the closure", "The port closed."]


def test_a_newsletter_promotion_is_read_for_names_only() -> None:
    promo = "Get Harbour Health's weekly newsletter Sign up here to get the news with Dr. Ada Okafor every Tuesday."
    art = parse_article("n", f"Port Reopens\n\n{promo}\n\nThe port reopened on Monday, officials said.")
    assert art.body == ["The port reopened on Monday, officials said."]
    assert promo in art.paragraphs
