"""The analyst's commands on the made-up index: roles, all quotes, real search, documents, ranges, help,
trend — and `briefbot ask --json`, whose structured fields are a documented schema (README)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefbot.cli import main
from corpus.store import create_index, write_index
from handlers import commands as c
from handlers.cite import Citer
from handlers.index import Index
from handlers.models import Reply
from handlers.search import parse_search
from handlers.topics import entity_sentences, reference_head
from tests.factories import build_mini_index, index_data


@pytest.fixture(scope="module")
def mini_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_mini_index(tmp_path_factory.mktemp("commands") / "mini.sqlite3")


@pytest.fixture(scope="module")
def mini(mini_path: Path) -> Iterator[Index]:
    with Index.open(mini_path) as index:
        yield index


def ask_json(path: Path, text: str, capsys: pytest.CaptureFixture[str]) -> dict:
    main(["ask", "--json", "--index", str(path), text])
    return json.loads(capsys.readouterr().out)


# --- who and quotes by role -----------------------------------------------------------------------------


def test_who_by_role_lists_the_holders_newest_first(mini: Index) -> None:
    reply = c.who(mini, "chief negotiator")
    assert reply.status == "ok" and reply.entity is None
    [holder] = reply.holders
    assert (holder.name, holder.role, holder.last_date) == ("Ada Okafor", "the chief negotiator", "2021-03-03")
    assert reply.lines == ["Ada Okafor — the chief negotiator (2021-03-03) [1]"]
    assert reply.citations[0].doc_id == "d2"
    assert c.who(mini, "director").holders[0].name == "Lena Marsh"  # "the agency's director"
    assert c.dispatch(mini, "!who is the agency's director").holders[0].name == "Lena Marsh"
    assert [h.name for h in c.who(mini, "directors").holders] == ["Lena Marsh"]
    assert c.dispatch(mini, "!who is Okafor").entity.name == "Ada Okafor"  # type: ignore[union-attr]


def test_a_name_that_is_also_a_role_word_is_the_name(mini: Index) -> None:
    assert c.who(mini, "Sales").entity.name == "Mira Sales"  # type: ignore[union-attr]
    assert c.who(mini, "minister").holders[0].name == "Ada Okafor"
    assert c.who(mini, "agency").entity.name == "Northern Relief Agency"  # type: ignore[union-attr]
    assert c.who(mini, "Marsh").status == "ambiguous"  # an ambiguous name is still a name


def test_quotes_by_role(mini: Index) -> None:
    reply = c.quotes(mini, "foreign minister")
    assert reply.quotes and all(q.speaker == "Ada Okafor" for q in reply.quotes)
    assert reply.lines[0].startswith("2021-03-03 · Ada Okafor: “There is, candidly")


# --- all quotes, unknown speakers -----------------------------------------------------------------------


def test_quotes_without_a_name_are_the_latest(mini: Index) -> None:
    reply = c.dispatch(mini, "!quotes")
    assert reply.total == 4
    assert reply.title == "Latest quotes (4)"
    assert reply.lines[0].startswith("2021-03-03 · ")
    assert any("speaker unknown: “officials” (partial)" in line for line in reply.lines)
    assert [q.date for q in reply.quotes] == ["2021-03-03", "2021-03-03", "2021-03-01", None]  # undated last


def test_quotes_unknown_shows_the_sentence(mini: Index) -> None:
    reply = c.dispatch(mini, "!quotes unknown")
    [item] = reply.quotes
    assert (item.speaker_id, item.kind, item.doc_id, item.sent_idx) == (None, "partial", "d2", 2)
    assert item.sentence is not None and item.sentence.startswith("More than 30 countries")
    assert reply.lines[1].startswith("  in: More than 30 countries")
    assert reply.lines[0].endswith("[1]") and reply.citations[0].doc_id == "d2"


# --- search ---------------------------------------------------------------------------------------------


def test_search_phrase_or_not_and_count(mini: Index) -> None:
    phrase = c.search(mini, '"refugees remain"')
    assert phrase.total == 1 and phrase.sentences[0].doc_id == "d1"
    assert c.search(mini, '"remain refugees"').status == "not_found"  # a phrase keeps its order
    either = c.search(mini, "volcano OR appeal")
    assert either.total == 2
    without = c.search(mini, "refugees -camps")
    assert [s.doc_id for s in without.sentences] == ["d2", "d2"]
    assert c.search(mini, "refugees NOT camps").total == without.total
    assert without.title.endswith("— 2 sentences")


def test_search_dates_source_and_pages(mini: Index) -> None:
    assert {s.doc_id for s in c.search(mini, "refugees from:2021-03-02").sentences} == {"d2"}
    assert {s.doc_id for s in c.search(mini, "refugees to:2021-03-01").sentences} == {"d1"}
    assert {s.doc_id for s in c.search(mini, "refugees source:coastal").sentences} == {"d2"}
    assert c.search(mini, "refugees source:nowhere").status == "not_found"
    assert c.search(mini, "refugees from:March").status == "error"
    page2 = c.search(mini, "refugees page:2")
    assert page2.page == 2 and page2.total == 3 and not page2.sentences
    assert "past the end" in page2.lines[0]


def test_search_parser_never_passes_syntax_through() -> None:
    parsed = parse_search('"foreign fighters" OR camps NOT "x:y" -Syria AND(')
    assert parsed.match() == '("foreign fighters" OR "camps") NOT "x y" NOT "Syria"'


# --- sources and doc ------------------------------------------------------------------------------------


def test_sources_of_a_name_and_a_range(mini: Index) -> None:
    everything = c.sources(mini)
    assert everything.total == len(everything.documents) == 3
    assert not everything.list_sources  # the lines are the list: renderers do not repeat it
    okafor = c.sources(mini, "Okafor")
    assert [d.doc_id for d in okafor.documents] == ["d2", "d1"]
    assert okafor.title == "Sources mentioning Ada Okafor — 2 documents"
    march3 = c.dispatch(mini, "!sources 2021-03-02..2021-03-31")
    assert [d.doc_id for d in march3.documents] == ["d2"]
    assert c.sources(mini, "2020").status == "not_found"
    outlet = c.sources(mini, "Harbour Post")
    assert [d.doc_id for d in outlet.documents] == ["d1"] and outlet.title.startswith("Sources from or titled")
    assert c.sources(mini, "Qwxz").status == "not_found"


def test_doc_shows_metadata_and_the_cited_sentence(mini: Index) -> None:
    reply = c.dispatch(mini, "!doc d2#1")
    text = "\n".join(reply.lines)
    assert "Outlet: Coastal Times" in text and "File: d2.txt" in text
    assert "Date: 2021-03-03 (from the article's header line)" in text
    assert [s.idx for s in reply.sentences] == [0, 1, 2]
    assert any(line.startswith("» 1: “There is, candidly") for line in reply.lines)
    assert c.doc(mini, "d3").lines[2] == "Date: unknown (not known)"
    assert c.doc(mini, "d9").status == "error"
    assert c.doc(mini, "d2#40").status == "error"
    cited = c.who(mini, "okafor")
    assert c.doc(mini, "2", cited.citations).documents[0].doc_id == cited.citations[1].doc_id


def test_citations_are_in_number_order_and_cards_cite_only_mentions(mini: Index) -> None:
    reply = c.who(mini, "Northern Relief Agency")
    figure = next(f for f in reply.figures if f.id == "g12k")
    assert figure.sources == ["d1"]  # also stated in d2, which does not name the agency
    assert any(line.startswith("  12,000 refugees in camps — 1 source [1]") for line in reply.lines)
    cite = Citer(mini.conn)
    assert cite(["d2"]) == "[1]"
    assert cite(["d1", "d2"]) == "[1][2]"  # in number order, not in the order given
    assert [cit.doc_id for cit in cite.citations()] == ["d2", "d1"]


# --- timeline, digest, help, trend ----------------------------------------------------------------------


def test_timeline_by_year_and_range(mini: Index) -> None:
    year = c.timeline(mini, "2020")
    assert [e.date for e in year.events] == ["2020"]
    march = c.dispatch(mini, "!timeline 2021-03-02..2021-03-31")
    assert {e.date for e in march.events} == {"2021-03-03"}
    assert march.title == "Timeline from 2021-03-02 to 2021-03-31"
    assert c.timeline(mini, "Okafor 2021-03").total == 4
    assert c.timeline(mini, "1999").status == "not_found"


def test_digest_explains_new_and_dates_articles(mini: Index) -> None:
    reply = c.dispatch(mini, "!digest now 2021-03-02")
    assert reply.lines[0].startswith("“New” means added to the index after 2021-03-02 00:00 UTC")
    docs = next(f for f in reply.fields if f.name.startswith("New documents"))
    assert docs.value.splitlines()[0].startswith("2021-03-03 · Relief talks stall")
    assert [d.doc_id for d in reply.documents] == ["d2", "d3"]


def test_console_help_names_discord_only_commands(mini: Index) -> None:
    reply = c.dispatch(mini, "!help")
    text = "\n".join(reply.lines)
    for command in ("who", "quotes", "figures", "search", "sources", "doc", "timeline", "trend", "digest",
                    "digest subscribe", "digest list", "digest unsubscribe", "sync", "help"):
        assert f"!{command} " in text or f"!{command} —" in text
    assert "!digest subscribe <HH:MM>" in text and "(Discord only)" in text
    assert "Example: !figures Coastal League" in text  # examples come from the index
    assert "Example: !doc d2" in text and "Example: !who Okafor" in text
    one = c.dispatch(mini, "!help search")
    assert len(one.lines) == 1 and one.lines[0].startswith("!search")
    assert "Discord" in c.dispatch(mini, "!sync").lines[0]
    assert "Discord" in c.dispatch(mini, "!digest subscribe 08:00").lines[0]
    assert c.help_reply("/", mini).lines[0].startswith("/who")


def test_trend_writes_a_png(mini: Index, tmp_path: Path) -> None:
    reply = c.trend(mini, "Okafor", tmp_path)
    assert reply.image is not None and Path(reply.image).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [(p.period, p.count) for p in reply.series] == [("2021-03-01", 5)]  # the week of Monday 1 March
    assert reply.total == 5
    words = c.trend(mini, "refugees", tmp_path)
    assert sum(p.count for p in words.series) == 3
    assert c.trend(mini, "volcano", tmp_path).status == "not_found"


# --- ask --json: one test per command -------------------------------------------------------------------


def test_json_who(mini_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = ask_json(mini_path, "!who okafor", capsys)
    assert data["entity"]["roles"][0] == {"text": "Foreign Minister", "doc_ids": ["d1"], "first_date": "2021-03-01",
                                          "last_date": "2021-03-01"}
    assert {"text", "kind", "speaker", "sentence", "doc_id", "date"} <= set(data["quotes"][0])
    assert {"value", "unit", "display", "subject", "sources"} <= set(data["figures"][0])
    assert ask_json(mini_path, "!who chief negotiator", capsys)["holders"][0]["entity_id"] == "person:ada-okafor"


def test_json_quotes(mini_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = ask_json(mini_path, "!quotes Okafor", capsys)
    assert [q["date"] for q in data["quotes"]] == ["2021-03-03", "2021-03-01"]
    assert data["quotes"][0]["speaker"] == "Ada Okafor" and data["quotes"][0]["kind"] == "full"


def test_json_figures(mini_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = ask_json(mini_path, "!figures", capsys)["figures"][0]
    assert (first["value"], first["unit"], first["subject"], first["sources"]) == (12000.0, None,
                                                                                    "refugees in camps", ["d1", "d2"])


def test_json_search(mini_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = ask_json(mini_path, "!search refugees", capsys)
    assert data["total"] == 3 and data["page"] == 1
    assert {"doc_id", "idx", "text", "date", "doc_ids"} <= set(data["sentences"][0])


def test_json_sources_and_doc(mini_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = ask_json(mini_path, "!sources", capsys)
    assert data["documents"][0] == {"doc_id": "d2", "title": "Relief talks stall", "outlet": "Coastal Times",
                                    "date": "2021-03-03", "date_source": "header", "path": "d2.txt", "url": None,
                                    "sentences": 4, "quotes": 2, "figures": 3}
    assert ask_json(mini_path, "!doc d1#0", capsys)["sentences"][0]["idx"] == 0


def test_json_timeline_digest_trend(mini_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    events = ask_json(mini_path, "!timeline", capsys)["events"]
    assert events[0] == {"date": "2020", "said": "last year", "text": events[0]["text"], "doc_ids": ["d3"]}
    digest = ask_json(mini_path, "!digest 2021-03-02", capsys)
    assert digest["total"] == 2 and digest["fields"][0]["name"] == "New documents (2)"
    trend = ask_json(mini_path, "!trend Okafor", capsys)
    assert trend["series"] == [{"period": "2021-03-01", "count": 5}] and trend["image"].endswith(".png")


def test_piped_console_text_has_no_colour_or_markers(mini_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["ask", "--index", str(mini_path), "!search refugees camps"])
    out = capsys.readouterr().out
    assert "refugees" in out and "\033" not in out and "**" not in out


def test_json_help(mini_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = ask_json(mini_path, "!help quotes", capsys)
    assert data["command"] == "help" and data["lines"][0].startswith("!quotes [name, role or unknown]")


def test_reply_schema_is_stable() -> None:
    assert list(Reply.model_json_schema(mode="serialization")["properties"]) == [
        "status", "command", "title", "lines", "fields", "citations", "candidates", "entity", "holders", "quotes",
        "figures", "documents", "sentences", "events", "total", "page", "series", "image", "list_sources", "pages",
    ]


# --- topics through entities ----------------------------------------------------------------------------


def test_reference_head() -> None:
    assert reference_head("Global Coalition to Defeat Piracy") == "coalition"
    assert reference_head("Northern Relief Agency") == "agency"
    assert reference_head("Valdoria") is None


def test_the_agency_after_its_name_is_the_agency(mini: Index) -> None:
    # d1: "Lena Marsh, the agency's director, said funding of $436 million was pledged." names no entity
    # but the agency named earlier in the article
    assert ("d1", 3) in entity_sentences(mini, "organization:northern-relief-agency")
    assert "$436 million funding" in "\n".join(c.figures(mini, "Northern Relief Agency").lines)
    assert c.trend(mini, "NRA").total == 3
    assert c.trend(mini, "NRA").title == "Trend — Northern Relief Agency"  # one of its names
    assert c.trend(mini, "relief").title == "Trend — relief"  # only a word of its name: the word
    assert ("d1", 3) not in entity_sentences(mini, "person:ada-okafor")  # people are not referred to so


def test_search_finds_every_name_of_an_entity(mini: Index) -> None:
    reply = c.search(mini, "NRA")
    assert reply.sentences[0].text.startswith("Foreign Minister Ada Okafor opened talks with the Northern")
    assert reply.lines[0] == "Searched “NRA” also as Northern Relief Agency."
    assert not any(line.startswith("Searched") for line in c.search(mini, "refugees").lines)
    league = c.search(mini, "Coastal League")  # its aliases "CL" (two letters: an everyday word) and "the League"
    assert not any(line.startswith("Searched") for line in league.lines)


def test_doc_and_citations_give_a_web_page_its_address(tmp_path: Path) -> None:
    data = index_data()
    data.documents[0] = data.documents[0].model_copy(update={"url": "https://news.example/valdoria-talks",
                                                             "date_source": "metadata"})
    conn = create_index(tmp_path / "web.sqlite3")
    write_index(conn, data, [])
    conn.close()
    with Index.open(tmp_path / "web.sqlite3") as index:
        reply = c.doc(index, "d1")
        assert "Address: https://news.example/valdoria-talks" in reply.lines
        assert "Date: 2021-03-01 (from the page's own metadata)" in reply.lines
        assert reply.citations[0].url == reply.documents[0].url == "https://news.example/valdoria-talks"
