"""The index built from the seeds, end to end, and the build's incremental and error behaviour."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from corpus.build import build_index
from corpus.store import IndexUnavailable, open_index, read_export
from tests.conftest import SEEDS


def entity(export: dict, name: str) -> dict:
    [e] = [e for e in export["entities"] if e["name"] == name]
    return e


def test_person_across_documents_with_roles(seed_export: dict) -> None:
    sales = entity(seed_export, "Nathan Sales")
    assert sales["kind"] == "person"
    assert len(sales["doc_ids"]) == 2
    assert any("counterterrorism coordinator" in r["text"] for r in sales["roles"])
    assert all(r["doc_ids"] for r in sales["roles"])
    assert "Sales" in sales["aliases"]


def test_quote_is_attributed(seed_export: dict) -> None:
    [q] = [q for q in seed_export["quotes"] if q["text"].startswith("No one should expect the United States")]
    assert q["text"] == "No one should expect the United States or anyone else to solve this problem for them"
    assert q["speaker"] == "Nathan Sales" and q["speaker_id"] == entity(seed_export, "Nathan Sales")["id"]


def test_unattributable_quotes_have_no_speaker(seed_export: dict) -> None:
    [q] = [q for q in seed_export["quotes"] if q["text"].startswith("They’ve made incremental")]
    assert q["speaker"] is None and q["speaker_id"] is None  # "a counterterrorism official told VOA"


def test_aliases_of_the_islamic_state(seed_export: dict) -> None:
    org = entity(seed_export, "Islamic State")
    assert org["kind"] == "organization"
    assert {"ISIL", "Daesh", "ISIS", "IS"} <= set(org["aliases"])
    assert len(org["doc_ids"]) == 5


def test_acronym_defined_in_one_article_counts_in_another(seed_export: dict) -> None:
    sdf = entity(seed_export, "Syrian Democratic Forces")
    assert "SDF" in sdf["aliases"]
    assert "004_235624e86b865bc5" in sdf["doc_ids"]  # "America’s SDF Syrian Kurdish allies"


def test_detained_fighters_are_one_group(seed_export: dict) -> None:
    groups = [g for g in seed_export["figure_groups"] if g["value"] == 10000 and "fighters" in g["subject"]]
    assert len(groups) == 1 and len(groups[0]["doc_ids"]) == 3


def test_money_is_normalised(seed_export: dict) -> None:
    [f] = [f for f in seed_export["figures"] if f["text"] == "$436 million"]
    assert (f["value"], f["unit"]) == (436_000_000, "USD")
    assert f["subject"] == "humanitarian aid"


def test_conflicts_are_symmetric(seed_export: dict) -> None:
    groups = {g["id"]: g for g in seed_export["figure_groups"]}
    for g in groups.values():
        for other in g["conflicts_with"]:
            assert g["id"] in groups[other]["conflicts_with"]


def test_places_are_not_people(seed_export: dict) -> None:
    kinds = {e["name"]: e["kind"] for e in seed_export["entities"]}
    for place in ["Sahel", "Jordan", "Mali", "Burkina Faso", "al-Hol", "Salah ad Din"]:
        assert kinds.get(place) == "place", place
    people = {e["name"] for e in seed_export["entities"] if e["kind"] == "person"}
    assert "Jean-Yves Le Drian" in people and "Jean-Yves Le" not in people


def test_no_figure_is_a_date_or_regnal_number(seed_export: dict) -> None:
    values = {f["value"] for f in seed_export["figures"]}
    assert not values & {2011.0, 2019.0, 2.0, 9.0, 12.0}
    assert all(f["subject"] for f in seed_export["figures"])


def test_documents_metadata(seed_export: dict) -> None:
    docs = {d["id"]: d for d in seed_export["documents"]}
    assert docs["003_32cf1a9180c2251b"]["date_source"] == "copyright"
    assert docs["003_32cf1a9180c2251b"]["outlet"] == "ABC Audio"
    assert docs["003_32cf1a9180c2251b"]["dateline"] == "Rome"
    assert docs["001_d7747e0cb70213d3"]["credits"] == ["With input from AP and AFP"]
    assert docs["001_d7747e0cb70213d3"]["date"] == "2019-11-14"
    assert docs["002_f5878b3e2dcaff7b"]["title"] == "US Warns No End to Fight Against Islamic State"
    # caption and credit names are metadata, never speakers or body mentions
    assert all("AFP" not in q["text"] for q in seed_export["quotes"])


@pytest.mark.parametrize("jobs", [1, 2])
def test_build_is_deterministic(tmp_path: Path, seed_export: dict, jobs: int) -> None:
    path = tmp_path / "again.sqlite3"
    build_index([SEEDS], path, jobs=jobs)
    conn = open_index(path)
    again = json.loads(read_export(conn).model_dump_json())
    conn.close()
    assert again == seed_export


def test_incremental_build(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    index = tmp_path / "index.sqlite3"
    first = build_index([corpus], index)
    assert (first.parsed, first.documents) == (5, 5)
    same = build_index([corpus], index)
    assert (same.parsed, same.reused, same.changed) == (0, 5, False)
    (corpus / "extra.txt").write_text(" date 2022-01-02 Ports reopen\n\nDockworkers in Lagos returned to work.",
                                      encoding="utf-8")
    added = build_index([corpus], index)
    assert (added.parsed, added.reused, added.documents) == (1, 5, 6)
    (corpus / "extra.txt").write_text(" date 2022-01-03 Ports close\n\nDockworkers in Lagos went home.",
                                      encoding="utf-8")
    changed = build_index([corpus], index)
    assert (changed.parsed, changed.documents) == (1, 6)
    (corpus / "extra.txt").unlink()
    removed = build_index([corpus], index)
    assert (removed.parsed, removed.removed, removed.documents) == (0, 1, 5)


def test_bad_files_are_skipped_and_reported(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "good.txt").write_text("Ministers met in Accra on Friday.", encoding="utf-8")
    (corpus / "bad.txt").write_bytes(b"\xff\xfe\x00broken")
    (corpus / "furniture.txt").write_text("Breaking News\n\nAdvertisement", encoding="utf-8")
    report = build_index([corpus], tmp_path / "i.sqlite3")
    assert report.documents == 1
    reasons = {Path(p.path).name: p.reason for p in report.skipped}
    assert set(reasons) == {"bad.txt", "furniture.txt"}


def test_missing_corrupt_and_old_indexes_say_how_to_rebuild(tmp_path: Path, seed_index: Path) -> None:
    with pytest.raises(IndexUnavailable, match="briefbot build"):
        open_index(tmp_path / "none.sqlite3")
    corrupt = tmp_path / "corrupt.sqlite3"
    corrupt.write_bytes(b"this is not a database" * 100)
    with pytest.raises(IndexUnavailable, match="unreadable"):
        open_index(corrupt)
    old = tmp_path / "old.sqlite3"
    shutil.copy(seed_index, old)
    with sqlite3.connect(old) as conn:
        conn.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    with pytest.raises(IndexUnavailable, match="schema version 0"):
        open_index(old)
    rebuilt = build_index([SEEDS], old)  # a build replaces an index of another schema
    assert rebuilt.documents == 5


def test_cli_export_and_errors(tmp_path: Path, seed_index: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "briefbot.cli", "export", "--index", str(seed_index)],
                         capture_output=True, text=True, check=True)
    data = json.loads(out.stdout)
    assert set(data) >= {"documents", "entities", "quotes", "figures", "figure_groups"}
    missing = subprocess.run([sys.executable, "-m", "briefbot.cli", "export", "--index", str(tmp_path / "x")],
                             capture_output=True, text=True)
    assert missing.returncode == 2 and "briefbot build" in missing.stderr
    for sub in ["build", "export", "ask", "console", "run", "start"]:
        helped = subprocess.run([sys.executable, "-m", "briefbot.cli", sub, "--help"], capture_output=True,
                                text=True)
        assert helped.returncode == 0 and "usage: briefbot" in helped.stdout


def test_cli_build_prints_summary(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "briefbot.cli", "build", str(SEEDS), "--index",
                          str(tmp_path / "b.sqlite3")], capture_output=True, text=True, check=True)
    assert "5 documents" in out.stdout and "quotes:" in out.stdout and "person" in out.stdout
    assert "parsed 5/5" in out.stderr  # not a terminal: plain progress lines


def test_start_leaves_an_index_of_other_files_alone(tmp_path: Path) -> None:
    from briefbot.cli import _needs_seed_build

    other = tmp_path / "other"
    other.mkdir()
    (other / "a.txt").write_text("Ministers met in Accra on Friday.", encoding="utf-8")
    index = tmp_path / "i.sqlite3"
    assert _needs_seed_build(index, SEEDS)  # missing
    build_index([other], index)
    assert not _needs_seed_build(index, SEEDS)  # someone else's corpus: the seeds are never mixed in
    seeds_only = tmp_path / "s.sqlite3"
    build_index([SEEDS], seeds_only)
    assert _needs_seed_build(seeds_only, SEEDS)  # the seeds' own index is refreshed


def test_progress_bar_on_a_terminal_and_lines_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from corpus.build import Progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for stream, expect in ((Terminal(), "\rparsing [#"), (io.StringIO(), "parsed 1/4 (25%)\n")):
        monkeypatch.setattr("sys.stderr", stream)
        bar = Progress(4, enabled=True)
        for name in "abcd":
            bar.step(name)
        out = stream.getvalue()
        assert expect in out and ("4/4" in out)


def test_countries_at_the_meetings_do_not_conflict(seed_export: dict) -> None:
    """"some 30 coalition members" (2019), "more than 30 countries" (2019), "31 countries and partners" (2021):
    an approximate figure, a bound it satisfies, and a count at a meeting a year later are consistent."""
    groups = [g for g in seed_export["figure_groups"] if g["value"] in {30, 31}]
    assert len(groups) == 3
    assert all(g["conflicts_with"] == [] for g in groups)
