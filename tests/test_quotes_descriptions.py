"""Described speakers and the speaker's kind in the export (made-up text)."""

from __future__ import annotations

from pathlib import Path

from corpus.build import build_index
from corpus.store import open_index, read_export
from handlers import commands
from handlers.index import Index


def test_institution_description_is_the_speaker(extract) -> None:  # type: ignore[no-untyped-def]
    ex = extract("Port strike enters second week\n\n"
                 '"Talks with the dockers will resume on Monday," a spokeswoman for the harbour board said.')
    [q] = ex.quotes
    assert q.speaker_key is None
    assert q.speaker_description == "a spokeswoman for the harbour board"


def test_anonymous_official_stays_unknown(extract) -> None:  # type: ignore[no-untyped-def]
    ex = extract("Port strike enters second week\n\n"
                 '"The dockers will lose this fight before the summer," an official said.')
    [q] = ex.quotes
    assert q.speaker_key is None and q.speaker_description is None


def test_description_inside_another_speakers_report_is_not_the_speaker(extract) -> None:  # type: ignore[no-untyped-def]
    ex = extract("Port strike enters second week\n\n"
                 "Harbour master Ingrid Sollum told the radio that, even where crews were short, the ministry "
                 'was urging captains to "keep the ships moving and we will sort out the paperwork later".')
    [q] = ex.quotes
    assert q.speaker_description is None


def test_country_as_speaker(extract) -> None:  # type: ignore[no-untyped-def]
    ex = extract("Border talks stall\n\n"
                 '"We will not accept any change to the line drawn in 1921," Norway said in a statement.')
    [q] = ex.quotes
    assert q.speaker_key is not None and ex.entities[0].kind == "place"


def _port_index(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "port.txt").write_text(
        "Port strike enters second week\n\n"
        '"Talks with the dockers will resume on Monday," a spokeswoman for the harbour board said.\n\n'
        'Union leader Mirela Kosta disagreed. "Nobody has called us about any talks," Kosta said.\n\n'
        'Outside, a banner read "no talks, no ships".\n',
        encoding="utf-8")
    build_index([tmp_path / "docs"], tmp_path / "index.sqlite3")
    return tmp_path / "index.sqlite3"


def test_export_carries_speaker_kind_and_description(tmp_path: Path) -> None:
    _port_index(tmp_path)
    conn = open_index(tmp_path / "index.sqlite3")
    try:
        quotes = {q.text[:10]: q for q in read_export(conn).quotes}
    finally:
        conn.close()
    described, named = quotes["Talks with"], quotes["Nobody has"]
    assert (described.speaker_id, described.speaker, described.speaker_kind) == (
        None, "a spokeswoman for the harbour board", "description")
    assert named.speaker == "Mirela Kosta" and named.speaker_kind == "person" and named.speaker_id


def test_replies_show_a_described_speaker_and_unknown_lists_only_the_unknown(tmp_path: Path) -> None:
    with Index.open(_port_index(tmp_path)) as index:
        latest = commands.dispatch(index, "!quotes")
        by_text = {q.text[:10]: q for q in latest.quotes}
        described, named = by_text["Talks with"], by_text["Nobody has"]
        assert (described.speaker_id, described.speaker, described.speaker_kind) == (
            None, "a spokeswoman for the harbour board", "description")
        assert (named.speaker, named.speaker_kind) == ("Mirela Kosta", "person")
        assert "undated · a spokeswoman for the harbour board: “Talks with the dockers will resume on Monday” [1]" \
            in latest.lines
        unknown = commands.dispatch(index, "!quotes unknown")
        assert [(q.text, q.speaker, q.speaker_kind) for q in unknown.quotes] == [("no talks, no ships", None, None)]
        assert unknown.total == 1
