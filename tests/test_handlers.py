"""Each command on a small made-up index, then on the real seed index."""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from corpus.store import IndexUnavailable
from handlers import commands as c
from handlers.index import Index
from handlers.models import Reply
from tests.factories import build_mini_index


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    index = Index.open(build_mini_index(tmp_path_factory.mktemp("mini") / "mini.sqlite3"))
    yield index
    index.close()


def cited_numbers(reply: Reply) -> set[int]:
    text = "\n".join(reply.lines + [f.value for f in reply.fields])
    return {int(n) for n in re.findall(r"\[(\d+)\]", text)}


def assert_citations_complete(reply: Reply) -> None:
    """Every [n] in the lines is a citation, and every citation is used."""
    assert cited_numbers(reply) == {cit.n for cit in reply.citations}


# --- Index ---------------------------------------------------------------------------------------------


def test_open_missing_corrupt_and_old_indexes(tmp_path: Path) -> None:
    with pytest.raises(IndexUnavailable, match="build"):
        Index.open(tmp_path / "missing.sqlite3")
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(IndexUnavailable):
        Index.open(bad)
    old = build_mini_index(tmp_path / "old.sqlite3")
    conn = sqlite3.connect(old)
    conn.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(IndexUnavailable, match="schema"):
        Index.open(old)


def test_index_is_read_only(mini: Index) -> None:
    with pytest.raises(sqlite3.OperationalError):
        mini.conn.execute("DELETE FROM documents")


# --- who -----------------------------------------------------------------------------------------------


def test_who_card(mini: Index) -> None:
    reply = c.who(mini, "okafor")
    assert reply.status == "ok"
    card = reply.entity
    assert card is not None
    assert (card.id, card.name, card.kind) == ("person:ada-okafor", "Ada Okafor", "person")
    assert card.headline_role == "Foreign Minister"
    assert [r.text for r in card.roles] == ["Foreign Minister", "the chief negotiator"]
    assert (card.roles[0].doc_ids, card.roles[0].first_date) == (["d1"], "2021-03-01")
    assert card.aliases == []  # "Okafor" and "Okafor's" are parts of the name, not other names
    assert (card.doc_count, card.first_date, card.last_date) == (2, "2021-03-01", "2021-03-03")
    text = "\n".join(reply.lines)
    assert "We will not leave anyone behind" in text
    assert "12,000 refugees in camps" in text
    assert "Related: Northern Relief Agency" in text
    assert reply.title == "Ada Okafor — Foreign Minister"
    assert_citations_complete(reply)
    assert {cit.doc_id for cit in reply.citations} >= {"d1", "d2"}


def test_who_by_id_aliases_and_kinds(mini: Index) -> None:
    reply = c.who(mini, "organization:northern-relief-agency")
    assert reply.entity is not None
    assert reply.entity.aliases == ["NRA", "the agency"]
    assert c.who(mini, "Valdorian").entity.kind == "group"  # type: ignore[union-attr]


def test_who_ambiguous_and_not_found(mini: Index) -> None:
    amb = c.who(mini, "Marsh")
    assert amb.status == "ambiguous"
    assert [cand.name for cand in amb.candidates] == ["Tom Marsh", "Lena Marsh"]
    assert "1. Tom Marsh (person)" in amb.lines
    missing = c.who(mini, "Okafur Smith")
    assert missing.status == "not_found"
    assert missing.candidates[0].name == "Ada Okafor"
    nothing = c.who(mini, "Qwxz")
    assert nothing.status == "not_found"
    assert nothing.candidates  # the most mentioned names instead
    assert any("Most mentioned" in line for line in nothing.lines)


# --- quotes --------------------------------------------------------------------------------------------


def test_quotes_newest_first_and_filtered(mini: Index) -> None:
    reply = c.quotes(mini, "Ada Okafor")
    assert reply.status == "ok"
    assert [line.split(" · ")[0] for line in reply.lines] == ["2021-03-03", "2021-03-01"]
    assert_citations_complete(reply)
    only = c.quotes(mini, "Okafor", "CANDIDLY")
    assert len(only.lines) == 1
    assert "difference of opinion" in only.lines[0]
    none = c.quotes(mini, "Okafor", "zebra")
    assert none.status == "ok"
    assert "No quotes" in none.lines[0]


def test_quotes_of_someone_who_said_nothing(mini: Index) -> None:
    reply = c.quotes(mini, "Valdoria")
    assert reply.status == "ok"
    assert reply.lines == ["No quotes from Valdoria in the index."]


# --- figures -------------------------------------------------------------------------------------------


def test_figures_ranked_by_corroboration_with_conflicts(mini: Index) -> None:
    reply = c.figures(mini)
    assert reply.lines[0].startswith("12,000 refugees in camps — 2 sources")
    text = "\n".join(reply.lines)
    assert "$436 million funding" in text
    assert "two-thirds (66.7%)" in text
    conflicts = [line for line in reply.lines if line.startswith("⚠")]
    assert len(conflicts) == 1  # one cluster, shown once
    assert "“some 30”" in conflicts[0] and "“more than 30”" in conflicts[0] and "“31”" in conflicts[0]
    assert_citations_complete(reply)


def test_figures_topic_words_and_entity(mini: Index) -> None:
    words = c.figures(mini, "refugees")
    assert words.lines[0].startswith("12,000 refugees")
    assert "funding" not in "\n".join(words.lines)
    entity = c.figures(mini, "Coastal League")
    assert any(line.startswith("31 countries") for line in entity.lines)
    missing = c.figures(mini, "volcanoes")
    assert missing.status == "not_found"


# --- search --------------------------------------------------------------------------------------------


def test_search_ranks_highlights_and_cites(mini: Index) -> None:
    reply = c.search(mini, "refugees camps")
    assert reply.status == "ok"
    assert "**refugees**" in reply.lines[0] and "**camps**" in reply.lines[0]
    assert reply.citations[0].doc_id == "d1"
    assert_citations_complete(reply)
    anyword = c.search(mini, "camps volcano")
    assert anyword.status == "ok"
    assert anyword.lines[0].startswith("No sentence has all the words")


@pytest.mark.parametrize(
    "text", ['"', '"refugees', "refug*", "NEAR(refugees camps", "refugees AND", "OR", "a:b", "^x", "-", "()"]
)
def test_search_never_raises_on_fts_syntax(mini: Index, text: str) -> None:
    assert c.search(mini, text).status in {"ok", "not_found", "error"}


def test_search_porter_stemming(mini: Index) -> None:
    assert c.search(mini, "refugee").status == "ok"


# --- sources, timeline, digest -------------------------------------------------------------------------


def test_sources(mini: Index) -> None:
    reply = c.sources(mini)
    assert reply.title == "Sources — 3 documents"
    assert reply.lines[0].startswith("2021-03-03 · Relief talks stall — Coastal Times · 4 sentences · 2 quotes")
    assert reply.lines[-1].startswith("undated · League statement")
    assert_citations_complete(reply)


def test_an_inferred_article_date_is_marked_wherever_it_is_shown(tmp_path: Path) -> None:
    path = build_mini_index(tmp_path / "inferred.sqlite3")
    with sqlite3.connect(path) as conn:  # as if no header had dated the first article: read from its text
        conn.execute("UPDATE documents SET date_source = 'text' WHERE date = '2021-03-03'")
    index = Index.open(path)
    try:
        assert c.sources(index).lines[0].startswith("2021-03-03 (inferred) · Relief talks stall")
        quotes = c.quotes(index)
        assert any(line.startswith("2021-03-03 (inferred) · ") for line in quotes.lines)
        assert all(line.startswith(("2021-03-03 (inferred)", "undated")) or "2021-03-03" not in line
                   for line in quotes.lines)
        assert any(cit.date_source == "text" for cit in c.sources(index).citations)
    finally:
        index.close()


def test_timeline_in_date_order(mini: Index) -> None:
    reply = c.timeline(mini)
    dates = [line.split(" ")[0] for line in reply.lines]
    assert dates == sorted(dates)
    assert reply.lines[0].startswith("2020 (last year) · The Coastal League")
    assert any("(Monday)" in line for line in reply.lines)
    assert_citations_complete(reply)
    about = c.timeline(mini, "Okafor")
    assert all("Okafor" in line or "Article:" in line for line in about.lines)
    assert c.timeline(mini, "volcanoes").status == "not_found"


def test_digest_since(mini: Index) -> None:
    reply = c.digest(mini, datetime(2021, 3, 2, tzinfo=UTC))
    assert reply.title.startswith("Digest — 2 new documents since 2021-03-02 00:00 UTC")
    text = "\n".join(reply.lines + [f"{f.name}: {f.value}" for f in reply.fields])
    assert "Relief talks stall" in text and "League statement" in text
    assert "Talks open" not in text
    assert "People in the news: Ada Okafor (2), Tom Marsh (2)" in text
    assert "Tom Marsh: “The appeal is working”" in text
    assert_citations_complete(reply)
    naive = c.digest(mini, datetime(2021, 3, 2))
    assert naive.title == reply.title
    nothing = c.digest(mini, datetime(2030, 1, 1, tzinfo=UTC))
    assert nothing.status == "ok"
    assert nothing.title.startswith("Nothing new since 2030-01-01")


def test_digest_default_is_the_week_up_to_the_latest_addition(mini: Index) -> None:
    reply = c.digest(mini)
    assert reply.title.startswith("Digest — 1 new document since 2021-03-03 09:00 UTC")


def test_parse_since() -> None:
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    assert c.parse_since("7d", now) == now - timedelta(days=7)
    assert c.parse_since("24h", now) == now - timedelta(hours=24)
    assert c.parse_since("90 min", now) == now - timedelta(minutes=90)
    assert c.parse_since("2w", now) == now - timedelta(weeks=2)
    assert c.parse_since("yesterday", now) == datetime(2026, 11, 24, tzinfo=UTC)
    assert c.parse_since("2026-11-01", now) == datetime(2026, 11, 1, tzinfo=UTC)
    assert c.parse_since("2026-11-01T08:30+01:00", now).utcoffset() == timedelta(hours=1)
    with pytest.raises(c.BadArgument):
        c.parse_since("last blue moon", now)


# --- dispatch, help, autocomplete ----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["!who okafor", "/who okafor", "who okafor", "  !WHO   okafor ", "!whois Okafor"])
def test_dispatch_prefixes(mini: Index, text: str) -> None:
    reply = c.dispatch(mini, text)
    assert reply.command == "who"
    assert reply.entity is not None and reply.entity.name == "Ada Okafor"


def test_dispatch_custom_prefix_and_arguments(mini: Index) -> None:
    assert c.dispatch(mini, "?who okafor", prefix="?").entity is not None
    quoted = c.dispatch(mini, "!quotes Ada Okafor candidly")
    assert quoted.title.startswith("Quotes — Ada Okafor about “candidly”")
    assert c.dispatch(mini, '!quotes "Okafor" behind').lines[0].endswith("[1]")
    assert c.dispatch(mini, "!digest 2021-03-02").title.startswith("Digest — 2 new documents")
    assert c.dispatch(mini, "!digest whenever").status == "error"
    assert c.dispatch(mini, "!figures").title == "Key figures"
    assert c.dispatch(mini, "!sources").command == "sources"


def test_dispatch_unknown_command_suggests(mini: Index) -> None:
    reply = c.dispatch(mini, "!figurs refugees")
    assert reply.status == "error"
    assert "Did you mean !figures?" in reply.lines[0]


def test_help_lists_every_command_with_an_example(mini: Index) -> None:
    plain = c.help_reply("!")
    for command in ("who", "quotes", "figures", "search", "sources", "timeline", "digest", "help"):
        assert any(line.startswith(f"!{command}") for line in plain.lines)
    live = c.dispatch(mini, "help", prefix="$")
    assert "Example: $who Okafor" in "\n".join(live.lines)
    assert live.lines[-1].startswith("Some names in this index: Ada Okafor")


def test_autocomplete(mini: Index) -> None:
    assert [cand.name for cand in c.autocomplete(mini, "oka")] == ["Ada Okafor"]
    assert len(c.autocomplete(mini, "")) == 9
    assert len(c.autocomplete(mini, "", limit=2)) == 2
    assert all(cand.kind == "person" for cand in c.autocomplete(mini, "", kinds=("person",)))
    assert c.autocomplete(mini, "\x00bad") == []
    assert c.autocomplete(mini, "x" * 5000) == []


# --- bad arguments -------------------------------------------------------------------------------------


BAD = ["", "   ", "x" * 4000, "who\x00", "a\x1b[31mred", "Z̷̢̛̛̖̗̘̙̜̝̞̟̠̤̥̦̩̪̫̬̭̮̯̰̱̲̳̹̺̻̼͇͈͉͍͎̀́̂̃̄̅̆̇̈̉̊̋̌̍̎̏̐̑̒̓̔̽̾̿̀́͂̓̈́͆͊͋͌ͅ͏͓͔͕͖͙͚͐͑͒͗͛ͣͤͥͦͧͨͩͪͫͬͭͮͯ͘͜͟͢͝͞͠͡algo", "\ud800", "abc\u202e"]


@pytest.mark.parametrize("bad", BAD)
def test_bad_arguments_give_a_clear_error(mini: Index, bad: str) -> None:
    for reply in (c.who(mini, bad), c.search(mini, bad)):
        assert reply.status == "error"
        assert reply.lines and len(reply.lines[0]) < 200
    if bad.strip():  # no name: the latest quotes; no topic: every figure and event
        assert c.quotes(mini, bad).status == "error"
        assert c.figures(mini, bad).status == "error"
        assert c.timeline(mini, bad).status == "error"


def test_unexpected_failures_are_logged_and_answered(mini: Index, tmp_path: Path,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "broken.sqlite3"
    shutil.copy(mini.path, path)
    index = Index.open(path)
    index.conn.close()  # any query now fails
    reply = c.who(index, "Okafor")
    assert reply.status == "error"
    assert "logged" in reply.lines[0]
    assert "command who failed" in caplog.text


# --- the seeds ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds(seed_index: Path) -> Iterator[Index]:
    with Index.open(seed_index) as index:
        yield index


def test_seed_who_sales(seeds: Index) -> None:
    reply = c.who(seeds, "Sales")
    card = reply.entity
    assert card is not None and card.name == "Nathan Sales"
    assert any("counterterrorism coordinator" in role.text for role in card.roles)
    assert card.doc_count == 2
    assert any("No one should expect the United States" in line for line in reply.lines)
    assert_citations_complete(reply)


def test_seed_who_islamic_state_lists_its_aliases(seeds: Index) -> None:
    card = c.who(seeds, "daesh").entity
    assert card is not None
    assert {"ISIL", "ISIS"} <= set(card.aliases)


def test_seed_figures_fighters(seeds: Index) -> None:
    reply = c.figures(seeds, "fighters")
    first = reply.lines[0]
    assert first.startswith("10,000") and "fighters" in first and "3 sources" in first
    assert_citations_complete(reply)
    assert any("$436 million" in line for line in c.figures(seeds).lines)


def test_seed_quotes_search_sources_timeline_digest(seeds: Index) -> None:
    said = c.quotes(seeds, "Sales", "expect")
    assert len(said.lines) == 1 and "No one should expect" in said.lines[0]
    found = c.search(seeds, "detained fighters")
    assert found.status == "ok" and "**" in found.lines[0]
    assert c.sources(seeds).title == "Sources — 5 documents"
    lines = c.timeline(seeds).lines
    dates = [line.split(" ")[0] for line in lines]
    assert dates == sorted(dates)
    assert c.digest(seeds).title.startswith("Digest — 5 new documents")


def test_seed_macron_not_found(seeds: Index) -> None:
    assert c.who(seeds, "Macron").status == "not_found"
