"""The evaluation harness's pure pieces (bench/eval) on small made-up data: header stripping and date verdicts,
the model-alone export, the nearest-person quote baseline, the kept hand-written report section, the annotation
tidying. The real evaluation sets are never read here."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.eval.currency import expected_currency, score_currency
from bench.eval.dates import (
    dates_in_file_names,
    judge,
    judge_export,
    split_header,
    write_without_headers,
)
from bench.eval.model import (
    Block,
    Ent,
    Parsed,
    blocks_of,
    model_alone_export,
    nearest_person,
    parse_files,
    with_baseline_speakers,
)
from bench.eval.run import (
    MARKER,
    Row,
    SetResult,
    archive_from_env,
    hand_written,
    main,
    news_rows,
    report,
    summary_text,
)
from bench.eval.scorers import prepare_polnear, tidy_annotation
from corpus.models import DocumentOut, IndexExport, QuoteOut

ARTICLE = " date 2031-05-14 Harbour board picks a new chair\n\nFirst paragraph.\n\nSecond one.\n"


def _export(documents: list[DocumentOut] | None = None, quotes: list[QuoteOut] | None = None) -> IndexExport:
    return IndexExport(schema_version=1, documents=documents or [], entities=[], quotes=quotes or [], figures=[],
                       figure_groups=[])


# --- header and dates ---------------------------------------------------------------------------------------


def test_split_header_takes_the_date_and_title_off_the_first_line() -> None:
    header = split_header(ARTICLE)
    assert (header.date, header.title) == ("2031-05-14", "Harbour board picks a new chair")
    assert header.body == "\nFirst paragraph.\n\nSecond one.\n"
    plain = split_header("No header here.\n\nBody.")
    assert (plain.date, plain.title, plain.body) == (None, "", "No header here.\n\nBody.")


def test_headers_are_removed_from_copies_and_their_dates_kept(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "A_1.txt").write_text(ARTICLE, encoding="utf-8")
    (src / "A_2.txt").write_text("Undated story.\n", encoding="utf-8")
    truth = write_without_headers(sorted(src.glob("*.txt")), tmp_path / "bare")
    assert truth == {"A_1": "2031-05-14"}
    assert (tmp_path / "bare" / "A_1.txt").read_text(encoding="utf-8") == "First paragraph.\n\nSecond one.\n"
    assert (tmp_path / "bare" / "A_2.txt").read_text(encoding="utf-8") == "Undated story.\n"
    assert (src / "A_1.txt").read_text(encoding="utf-8") == ARTICLE  # the originals are left alone


@pytest.mark.parametrize(("found", "verdict"), [
    ("2031-05-14", "right"), ("2031-05-13", "right"), ("2031-05-15", "right"), ("2031-05-16", "wrong"),
    ("2030-05-14", "wrong"), (None, "unknown"), ("2031", "partial"), ("2031-05", "partial"), ("2029", "wrong"),
])
def test_a_date_is_right_within_a_day_partial_when_only_its_year_agrees(found: str | None, verdict: str) -> None:
    assert judge(found, "2031-05-14") == verdict


def test_verdicts_are_counted_over_the_documents_with_a_true_date() -> None:
    export = _export(documents=[DocumentOut(id="a", title="", date="2031-05-14"),
                                DocumentOut(id="b", title="", date="2019-01-02"),
                                DocumentOut(id="c", title="")])
    counts, notes = judge_export(export, {"a": "2031-05-15", "b": "2031-05-15", "c": "2031-05-15",
                                          "gone": "2031-05-15"})
    assert dict(counts) == {"right": 1, "partial": 0, "unknown": 2, "wrong": 1}
    assert notes == ["b: date 2019-01-02 (true 2031-05-15)"]
    _, notes = judge_export(export, {"b": "2031-05-15"}, shown=str.upper)
    assert notes == ["B: date 2019-01-02 (true 2031-05-15)"]


def test_dates_are_read_from_file_names() -> None:
    files = [Path("outlet_2031-02-03_some-slug.txt"), Path("no-date-here.txt")]
    assert dates_in_file_names(files) == {"outlet_2031-02-03_some-slug": "2031-02-03"}


# --- the model alone --------------------------------------------------------------------------------------------


def _block(text: str, sentences: list[str], ents: list[tuple[str, str]]) -> Block:
    """A block with sentence and entity offsets found in its text."""
    spans = [(text.index(s), text.index(s) + len(s)) for s in sentences]
    return Block(text, spans, [Ent(label, name, text.index(name)) for label, name in ents])


def _parsed() -> Parsed:
    """Made-up article: block 0 has two sentences, block 1 one sentence holding a quote."""
    first, second = "Talia Verrick met Osric Dunmore in Port Amsel.", "The board voted on 4 June 2031."
    b0 = _block(f"{first} {second}", [first, second],
                [("PERSON", "Talia Verrick"), ("PERSON", "Osric Dunmore"), ("GPE", "Port Amsel"),
                 ("DATE", "4 June 2031")])
    quoted = 'Later "we will rebuild the quay" was heard, said Verrick.'
    b1 = _block(quoted, [quoted], [("PERSON", "Verrick")])
    return Parsed("M_1", "Harbour news", None, [b0, b1])


def test_model_alone_export_keeps_the_model_entities_by_kind_and_guesses_a_full_date() -> None:
    other = Parsed("M_2", "Other", "2031-01-01",
                   [_block("Osric Dunmore spoke.", ["Osric Dunmore spoke."], [("PERSON", "Osric Dunmore")])])
    export = model_alone_export([_parsed(), other])
    people = {e.name: e.doc_ids for e in export.entities if e.kind == "person"}
    assert people == {"Talia Verrick": ["M_1"], "Osric Dunmore": ["M_1", "M_2"], "Verrick": ["M_1"]}
    assert [(e.name, e.kind) for e in export.entities if e.kind != "person"] == [("Port Amsel", "place")]
    assert len({e.id for e in export.entities}) == len(export.entities)
    docs = {d.id: (d.date, d.date_source) for d in export.documents}
    assert docs == {"M_1": ("2031-06-04", "text"), "M_2": ("2031-01-01", "header")}
    assert export.quotes == [] and export.figures == []


def test_parse_files_reads_the_text_after_the_header_in_blocks(tmp_path: Path) -> None:
    path = tmp_path / "P_1.txt"
    path.write_text(" date 2031-05-14 Quay plan\n\nMaria Fernandez   met\nthe board.\n\nIt agreed.\n",
                    encoding="utf-8")
    (parsed,) = parse_files([path])
    assert (parsed.doc_id, parsed.title, parsed.date) == ("P_1", "Quay plan", "2031-05-14")
    assert [b.text for b in parsed.blocks] == ["Maria Fernandez met the board.", "It agreed."]
    assert all(s < e for b in parsed.blocks for s, e in b.sentences)
    assert blocks_of("a\n \nb  c\n\n\n") == ["a", "b c"]


# --- the nearest-person quote baseline --------------------------------------------------------------------------


def test_the_baseline_names_the_last_person_before_the_quote_in_this_or_the_previous_sentence() -> None:
    parsed = _parsed()
    # block 1's sentence has no person before the quote; the previous sentence (block 0's second) has none either
    assert nearest_person(parsed, "we will rebuild the quay") is None
    # two sentences back is reachable with a wider window: the last person there, not the first
    assert nearest_person(parsed, "we will rebuild the quay", sentences_back=2) == "Osric Dunmore"
    # a quote in a sentence that names people before it
    assert nearest_person(parsed, "Port Amsel") == "Osric Dunmore"
    assert nearest_person(parsed, "not in the article") is None


def test_baseline_export_replaces_every_speaker() -> None:
    quotes = [QuoteOut(id="M_1:q1", text="we will rebuild the quay", speaker_id="person:verrick", speaker="Verrick",
                       doc_id="M_1"),
              QuoteOut(id="X:q1", text="elsewhere", speaker="Someone", doc_id="X")]
    out = with_baseline_speakers(_export(quotes=quotes), [_parsed()])
    assert [(q.id, q.speaker, q.speaker_id, q.text) for q in out.quotes] == [
        ("M_1:q1", None, None, "we will rebuild the quay"), ("X:q1", None, None, "elsewhere")]


# --- the report -------------------------------------------------------------------------------------------------


def test_the_hand_written_section_survives_regeneration() -> None:
    seeded = hand_written(None)
    assert "Which sets each rule was developed on" in seeded and "GUM news" in seeded and "Seeds" in seeded
    result = SetResult("made-up set", [Row("people", "found", "50.0 %", briefbot="60.0 %")], "About the set.")
    first = report([result], [], "Measured now.", None)
    assert first.endswith(MARKER + seeded)
    edited = first + "\n- A new rule: developed on the made-up set.\n"
    again = report([result], ["other set: set ITS_ENV"], "Measured later.", edited)
    assert again.endswith(MARKER + seeded + "\n- A new rule: developed on the made-up set.\n")
    assert "Measured later." in again and "Measured now." not in again
    assert "| made-up set | people | found | 50.0 % | – | 60.0 % |" in again
    assert "- not scored: other set: set ITS_ENV" in again


def test_news_rows_give_the_model_only_what_it_has() -> None:
    counts = {"people": 10, "roles": 8, "quotes": 20, "quotes_unknown": 5, "quotes_anonymous": 2,
              "anonymous_given_speaker": 1, "figures": 4}
    summary = {"people_recall": 0.9, "people_precision": 0.8, "false_people": 3, "roles_right": 0.5,
               "quotes_right": 0.6, "quotes_wrong": 0.15, "quotes_missed": 0.0, "quote_attribution_precision": 0.8,
               "figures_found": 0.25, "figure_precision": 1.0, "counts": counts}
    rows = {(r.fact, r.measure.split(" (")[0]): r for r in news_rows(summary, summary, summary)}
    people = rows[("people", "named people found")]
    assert (people.model, people.baseline, people.briefbot) == ("90.0 %", "–", "90.0 %")
    assert rows[("roles", "stated roles found")].model == "–"
    unknown = rows[("quotes", "direct quotes: speaker unknown")]
    assert (unknown.model, unknown.baseline, unknown.briefbot) == ("–", "25.0 %", "25.0 %")
    assert rows[("quotes", "anonymous quotes given a speaker")].briefbot == "1"
    text = summary_text([SetResult("s", list(rows.values()), "")])
    assert text.splitlines()[0].split() == ["set", "fact", "measure", "model", "baseline", "briefbot", "target"]
    assert rows[("quotes", "direct quotes: wrong speaker")].target == "≤ 1.5 %"


def test_archives_come_from_the_environment_else_dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("MADE_UP_ARCHIVE=from/dotenv\n", encoding="utf-8")
    monkeypatch.delenv("MADE_UP_ARCHIVE", raising=False)
    assert archive_from_env("MADE_UP_ARCHIVE", dotenv) == Path("from/dotenv")
    monkeypatch.setenv("MADE_UP_ARCHIVE", "from/env")
    assert archive_from_env("MADE_UP_ARCHIVE", dotenv) == Path("from/env")
    assert archive_from_env("ANOTHER_MADE_UP_KEY", tmp_path / "absent.env") is None


# --- PolNeAR preparation ----------------------------------------------------------------------------------------


def test_annotation_files_are_tidied_for_the_scorer() -> None:
    text = ("T1\tSource 0 4\tMara \nE1\tAttribution-no-source:T3 \nE2\tAttribution:T1 Source:T2\n"
            "T4\tContent 10 60\tThe plan for the quay\nThat runs on\nA1\tNested E2\n")
    assert tidy_annotation(text) == ("T1\tSource 0 4\tMara \nE1\tAttribution-no-source:T3\n"
                                     "E2\tAttribution:T1 Source:T2\nT4\tContent 10 60\tThe plan for the quay That "
                                     "runs on\nA1\tNested E2\n")


def test_the_polnear_test_split_is_never_prepared(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="independent"):
        prepare_polnear(tmp_path, tmp_path, "test", tmp_path / "out")


def test_a_set_without_its_archive_is_skipped_with_a_hint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "shared" / "eval").mkdir(parents=True)
    out = tmp_path / "ACCURACY.md"
    code = main(["--sets", "news,polnear", "--shared", str(tmp_path / "shared"), "--out", str(out),
                 "--news-archive", str(tmp_path / "absent"), "--polnear-archive", str(tmp_path / "absent")])
    assert code == 0
    err = capsys.readouterr().err
    assert "set BRIEFBOT_NEWS_ARCHIVE" in err and "github:OliverCWY/News" in err
    assert "set BRIEFBOT_POLNEAR_ARCHIVE" in err and "github:networkdynamics/PolNeAR" in err
    text = out.read_text(encoding="utf-8")
    assert "- not scored: news dev: set BRIEFBOT_NEWS_ARCHIVE" in text and text.endswith(MARKER + hand_written(None))


def test_expected_currency_comes_from_the_text_else_the_outlets_dollar() -> None:
    assert expected_currency("S$4 million", "USD") == "SGD"
    assert expected_currency("£2,500", None) == "GBP"
    assert expected_currency("$15 million", "SGD") == "SGD"
    assert expected_currency("20 million yuan", "USD") == "CNY"
    assert expected_currency("55 cases", "USD") is None


def test_currency_score_counts_amounts_rates_and_conversions() -> None:
    gold = {"D_1": {"figures": [{"text": "$15 million", "value": 15e6}, {"text": "S$4 million", "value": 4e6},
                                {"text": "US$20", "value": 20}, {"text": "$7", "value": 7},
                                {"text": "$9", "value": 9}, {"text": "12 ships", "value": 12}]}}
    figure = {"doc_id": "D_1", "alt_value": None, "alt_unit": None}
    export = {"figures": [
        {**figure, "value": 15e6, "kind": "money", "currency": "USD"},
        {**figure, "value": 2e6, "kind": "money", "currency": "USD", "alt_value": 4e6, "alt_unit": "SGD"},
        {**figure, "value": 20, "kind": "rate", "currency": "USD"},
        {**figure, "value": 7, "kind": "money", "currency": None},
        {**figure, "value": 9, "kind": "money", "currency": "AUD"},
        {**figure, "value": 12, "kind": "count", "currency": None},
    ]}
    score = score_currency(export, gold, [{"id": "D_1", "url": "https://edition.cnn.com/2020/01/01/x"}])
    assert (score.gold, score.money, score.right, score.unknown) == (5, 5, 3, 1)
    assert score.wrong == ["D_1: '$9' AUD (want USD)"]
