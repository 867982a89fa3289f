"""Builds never lose anything: adding, mistyped paths, foreign files, kills mid-parse and mid-write; ids unique
by construction; readers see a new build at once; conflicts only between figures about one thing at one time."""

from __future__ import annotations

import gc
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefbot.cli import main
from corpus.build import BuildError, build_index, remove_documents
from corpus.extraction import LocalEntity, LocalFigure
from corpus.resolve import (
    ConflictCandidate,
    FigureItem,
    cluster_bucket,
    entity_bucket,
    entity_ids,
    figure_bucket,
    find_conflicts,
    group_bucket,
    name_classes,
)
from corpus.store import open_index, read_export
from handlers.commands import dispatch
from handlers.index import Index

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def article(folder: Path, name: str, day: str, title: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.txt"
    path.write_text(f" date {day} {title}\n\n{body}\n", encoding="utf-8")
    return path


def export(index: Path) -> dict:
    conn = open_index(index)
    try:
        return json.loads(read_export(conn).model_dump_json())
    finally:
        conn.close()


def doc_ids(index: Path) -> set[str]:
    return {d["id"] for d in export(index)["documents"]}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(SEEDS, folder)
    return folder


# --- ids ---------------------------------------------------------------------------------------------------

UNITS = st.sampled_from([None, "%", "USD", "EUR", "S$", "km", "°C", "per cent", "$"])
HEADS = st.sampled_from(["case", "cases", "people", "u.s. troops", "u-s troops", "fighters", "%", "", "país"])
QCLASS = st.sampled_from(["exact", "approx", "lower", "upper", "vague"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(min_value=0, max_value=1e12, allow_nan=False), UNITS, HEADS, QCLASS,
                          st.sets(st.sampled_from(["e:a", "e:b", "e:c"]), max_size=2)), min_size=1, max_size=40))
def test_figure_group_ids_are_unique(figures: list) -> None:
    buckets: dict[str, list[FigureItem]] = {}
    for n, (value, unit, head, qclass, ents) in enumerate(figures, start=1):
        f = LocalFigure(value=value, unit=unit, qclass=qclass, subject=head or "x", head=head, text="t", sentence="s",
                        sent_idx=0)
        buckets.setdefault(figure_bucket(f), []).append(FigureItem(doc_id=f"d{n % 3}", n=n, figure=f, entities=ents))
    ids = [g.id for bucket, items in buckets.items() for g in group_bucket(bucket, items)]
    assert len(ids) == len(set(ids))


NAMES = st.lists(st.sampled_from(["Ana Lind", "A. Lind", "Lind", "Bo Lind", "Ana Lind", "Carl Lind", "Ana B. Lind"]),
                 min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(NAMES)
def test_entity_ids_are_unique_within_a_bucket(names: list[str]) -> None:
    items = [(f"d{i}", LocalEntity(key=f"k{i}", name=n, kind="person", forms={n: 1})) for i, n in enumerate(names)]
    bucket = entity_bucket(items[0][1], {})
    clusters = cluster_bucket(bucket, name_classes(items))
    ids = [eid for eid, _ in entity_ids(bucket, clusters)]
    assert len(ids) == len(set(ids))


def test_percent_and_count_of_one_value_are_two_groups(tmp_path: Path) -> None:
    """"55 new cases" and "55% of cases" once had the same id and crashed the build."""
    folder = tmp_path / "c"
    article(folder, "a", "2024-05-01", "Cases rise", "Health officials reported 55 new cases on Monday.")
    article(folder, "b", "2024-05-02", "Cases", "About 55% of cases were found in the capital, officials said.")
    report = build_index([folder], tmp_path / "i.sqlite3")
    groups = export(tmp_path / "i.sqlite3")["figure_groups"]
    assert report.documents == 2
    assert {(g["value"], g["unit"]) for g in groups} >= {(55.0, None), (55.0, "%")}


# --- nothing is lost --------------------------------------------------------------------------------------


def test_adding_one_file_keeps_the_rest(tmp_path: Path, corpus: Path) -> None:
    index = tmp_path / "i.sqlite3"
    build_index([corpus], index)
    new = article(tmp_path / "later", "new", "2024-01-02", "Ports reopen", "Dockworkers in Lagos returned to work.")
    report = build_index([new], index)
    assert (report.added, report.removed, report.documents) == (1, 0, 6)
    assert doc_ids(index) == {p.stem for p in corpus.glob("*.txt")} | {"new"}


def test_a_mistyped_path_changes_nothing(tmp_path: Path, corpus: Path) -> None:
    index = tmp_path / "i.sqlite3"
    build_index([corpus], index)
    before = export(index)
    with pytest.raises(BuildError, match="No such file"):
        build_index([corpus.parent / "corpsu"], index)
    assert main(["build", str(corpus.parent / "corpsu"), "--index", str(index)]) == 2
    assert export(index) == before


@pytest.mark.parametrize("content", [b"my notes\n", "job store"])
def test_a_foreign_index_file_is_refused(tmp_path: Path, corpus: Path, content: bytes | str) -> None:
    target = tmp_path / "other.sqlite3"
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:  # another application's SQLite file (e.g. the digest job store)
        conn = sqlite3.connect(target)
        conn.execute("CREATE TABLE apscheduler_jobs (id TEXT PRIMARY KEY)")
        conn.commit()
        conn.close()
    before = target.read_bytes()
    with pytest.raises(BuildError, match="not a briefbot index"):
        build_index([corpus], target)
    assert target.read_bytes() == before


def test_removed_files_leave_only_from_their_own_folder(tmp_path: Path, corpus: Path) -> None:
    index = tmp_path / "i.sqlite3"
    other = tmp_path / "other"
    article(other, "x1", "2024-02-01", "Harbour", "Fishermen in Velmora sold 40 tonnes of tuna.")
    build_index([corpus, other], index)
    victim = sorted(corpus.glob("*.txt"))[0]
    victim.unlink()
    (other / "x1.txt").unlink()
    report = build_index([corpus], index)  # x1 is gone too, but its folder was not built: it stays
    assert report.removed == 1 and "x1" in doc_ids(index) and victim.stem not in doc_ids(index)
    assert build_index([corpus], index, prune=True).removed == 1
    assert "x1" not in doc_ids(index)


def test_remove_by_id_and_by_path_and_it_stays_removed(tmp_path: Path, corpus: Path) -> None:
    index = tmp_path / "i.sqlite3"
    build_index([corpus], index)
    first, second = sorted(p.stem for p in corpus.glob("*.txt"))[:2]
    assert remove_documents(index, [first]).removed == 1
    assert remove_documents(index, [str(corpus / f"{second}.txt")]).removed == 1
    with pytest.raises(BuildError):
        remove_documents(index, ["no-such-document"])
    assert build_index([corpus], index).added == 0  # a build of the folder does not bring them back
    assert {first, second}.isdisjoint(doc_ids(index))
    assert build_index([corpus / f"{first}.txt"], index).added == 1  # naming the file does
    ents = export(index)["entities"]
    assert all(e["doc_ids"] for e in ents)


def test_build_with_no_paths_refreshes_the_folders_it_was_built_from(tmp_path: Path, corpus: Path) -> None:
    index = tmp_path / "i.sqlite3"
    assert main(["build", str(corpus), "--index", str(index), "--quiet"]) == 0
    article(corpus, "fresh", "2024-03-03", "New", "Officials in Velmora opened a new bridge.")
    assert main(["build", "--index", str(index), "--quiet"]) == 0
    assert "fresh" in doc_ids(index)


def _run(code: str, tmp_path: Path) -> subprocess.CompletedProcess:
    script = tmp_path / "run.py"
    script.write_text(textwrap.dedent(code), encoding="utf-8")
    return subprocess.run([sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_killed_mid_parse_resumes_with_only_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    for n in range(8):
        article(folder, f"a{n}", f"2024-04-0{n + 1}", f"Story {n}", f"Inspector Mara Quill{n} visited Velmora "
                f"and counted {10 + n} boats.")
    index = tmp_path / "i.sqlite3"
    done = _run(f"""
        import os, signal
        import corpus.build as b
        import corpus.extract as e
        b.CHECKPOINT_SECONDS = 0
        real, seen = e.extract_document, []
        def dying(article, docs, curated):
            if len(seen) == 4:
                os.kill(os.getpid(), signal.SIGKILL)
            seen.append(article.id)
            return real(article, docs, curated)
        e.extract_document = dying
        b.build_index([b.Path({str(folder)!r})], b.Path({str(index)!r}))
    """, tmp_path)
    assert done.returncode == -signal.SIGKILL
    report = build_index([folder], index)
    assert (report.parsed, report.resumed, report.documents) == (4, 4, 8)


def test_the_collector_is_given_room_while_parsing_and_its_settings_come_back(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import corpus.build as b
    import corpus.extract as e

    folder = tmp_path / "few"
    for n in range(3):
        article(folder, f"a{n}", f"2024-05-0{n + 1}", f"Story {n}", f"Warden Ilse Marrow{n} opened {n + 2} gates.")
    before = gc.get_threshold()
    real, during = e.extract_document, []

    def watched(*args: object) -> object:
        during.append(gc.get_threshold())
        if len(during) == 2:
            raise KeyboardInterrupt  # not an article's fault: the build stops
        return real(*args)

    monkeypatch.setattr(e, "extract_document", watched)
    with pytest.raises(KeyboardInterrupt):
        build_index([folder], tmp_path / "i.sqlite3")
    assert during == [(b.YOUNG_COLLECTION, *before[1:])] * 2
    assert gc.get_threshold() == before
    monkeypatch.setattr(e, "extract_document", real)
    assert build_index([folder], tmp_path / "i.sqlite3").documents == 3
    assert gc.get_threshold() == before


def test_killed_mid_write_leaves_the_previous_index_whole(tmp_path: Path, corpus: Path) -> None:
    index = tmp_path / "i.sqlite3"
    build_index([corpus], index)
    before = export(index)
    article(corpus, "late", "2024-01-05", "Late news", "Inspector Mara Quill visited Velmora on Friday.")
    done = _run(f"""
        import os, signal
        import corpus.indexer as ix
        import corpus.build as b
        real = ix._conflicts
        def dying(conn, keys):
            real(conn, keys)
            os.kill(os.getpid(), signal.SIGKILL)
        ix._conflicts = dying
        b.apply_changes.__globals__["_conflicts"] = dying
        b.build_index([b.Path({str(corpus)!r})], b.Path({str(index)!r}))
    """, tmp_path)
    assert done.returncode == -signal.SIGKILL
    assert export(index) == before  # the half-written change was rolled back
    report = build_index([corpus], index)  # and the parsed article was kept for the next build
    assert (report.parsed, report.resumed, report.added) == (0, 1, 1)


def test_an_older_index_is_upgraded_with_its_documents(tmp_path: Path, corpus: Path) -> None:
    index = tmp_path / "i.sqlite3"
    build_index([corpus], index)
    conn = sqlite3.connect(index)
    conn.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    new = article(tmp_path / "later", "new", "2024-01-02", "Ports", "Dockworkers in Lagos returned to work.")
    report = build_index([new], index)
    assert report.documents == 6 and "new" in doc_ids(index)


# --- readers -------------------------------------------------------------------------------------------------


def test_a_console_opened_before_a_build_answers_for_a_new_person(tmp_path: Path, corpus: Path) -> None:
    index = tmp_path / "i.sqlite3"
    build_index([corpus], index)
    with Index.open(index) as reader:
        assert dispatch(reader, "!who Quillfeather").status != "ok"
        article(corpus, "late", "2024-01-05", "Harbour inspection",
                'Inspector Maren Quillfeather toured the harbour. "The docks are safe," Quillfeather said.')
        build_index([corpus], index)
        reply = dispatch(reader, "!who Quillfeather")
        assert reply.status == "ok" and reply.entity is not None
        assert reply.entity.name == "Maren Quillfeather"
        assert not reader.sync()  # seen once; nothing new since


# --- conflicts ---------------------------------------------------------------------------------------------


def test_conflicts_only_about_one_thing_at_one_time(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    article(folder, "a", "2024-03-01", "Blast", "The blast killed 12 people in the harbour district, officials said.")
    article(folder, "b", "2024-03-02", "Toll", "The blast killed 13 people in the harbour district, the mayor said.")
    article(folder, "c", "2024-03-02", "Toll", "The blast killed some 13 people, according to witnesses.")
    article(folder, "f", "2024-03-02", "Toll", "The blast killed about 11 people, a doctor said.")
    article(folder, "d", "2025-06-01", "Floods", "The floods killed 14 people in the river valley, rescuers said.")
    article(folder, "e", "2024-03-02", "Boats", "The storm sank 12 boats in the harbour, fishermen said.")
    build_index([folder], tmp_path / "i.sqlite3")
    groups = {tuple(g["doc_ids"]): g for g in export(tmp_path / "i.sqlite3")["figure_groups"]}
    ids = {k: g["id"] for k, g in groups.items()}
    assert groups[("a",)]["conflicts_with"] == [ids[("b", "c")]]  # "13" and "some 13" are one fact
    assert groups[("b", "c")]["conflicts_with"] == [ids[("a",)]]
    assert groups[("f",)]["conflicts_with"] == []  # an approximate figure within the tolerance is consistent
    assert groups[("d",)]["conflicts_with"] == []  # a year later: another event
    assert groups[("e",)]["conflicts_with"] == []  # boats are not people
    with Index.open(tmp_path / "i.sqlite3") as index:
        [warning] = [line for line in dispatch(index, "!figures people").lines if line.startswith("⚠")]
    assert "the sources disagree" in warning and "“12” on 2024-03-01" in warning and "“13” on 2024-03-02" in warning


def test_conflict_rules() -> None:
    def c(gid: str, value: float, qclass: str = "exact", days: tuple[int, ...] = (1,),
          ents: frozenset[str] = frozenset()) -> ConflictCandidate:
        from datetime import date
        return ConflictCandidate(id=gid, value=value, qclass=qclass, entities=set(ents),
                                 dates=[date(2024, 1, d) for d in days])

    found = find_conflicts([c("exact30", 30), c("exact31", 31), c("more30", 30, "lower"), c("some30", 30, "approx"),
                            c("under29", 29, "upper"), c("later31", 31, days=(30,)),
                            c("other", 31, ents=frozenset({"e:x"})), c("mine", 30, ents=frozenset({"e:y"}))])
    assert found["exact30"] == ["exact31", "more30", "other", "under29"]  # 30 is not "more than 30"
    assert found["some30"] == []  # an approximate figure within the tolerance is consistent
    assert found["other"] == ["exact30", "under29"]  # never against a figure about another named subject
    assert found["mine"] == ["exact31", "more30", "under29"]
    assert found["later31"] == []  # four weeks later: another time


# --- incremental = from scratch ------------------------------------------------------------------------------

STEPS = [
    ("a", "2024-03-01", "Port strike", "The Northern Dockers Union (NDU) called a strike in Port Harrow on Monday. "
     "\"We will not move a crate,\" said union chief Amara Velt. Velt said 1,200 workers joined."),
    ("b", "2024-03-02", "Talks", "The NDU met ministers in Port Harrow. Velt, the union's general secretary, "
     "said talks would resume. Transport minister Odile Brane said 1,300 workers had stopped."),
    ("c", "2024-03-03", "Deal", "Amara Velt and Odile Brane signed a deal in Port Harrow. The Northern Dockers "
     "Union welcomed it. \"It is fair,\" Brane said."),
    ("d", "2024-03-04", "Ships", "Ships left Port Harrow. Jonas Velt, a shipping analyst, said 40 ships sailed."),
]


def _steps_export(tmp_path: Path, name: str, order: list[int], edit: bool, drop: str | None) -> dict:
    folder, index = tmp_path / name, tmp_path / f"{name}.sqlite3"
    for i in order:
        article(folder, *STEPS[i])
        build_index([folder], index)
    if edit:
        article(folder, "b", "2024-03-02", "Talks", "The NDU met ministers. Amara Velt said talks would resume.")
        build_index([folder], index)
    if drop:
        (folder / f"{drop}.txt").unlink()
        build_index([folder], index)
    data = export(index)
    for doc in data["documents"]:
        doc.pop("path", None)
        doc.pop("added_at", None)
    return data


@pytest.mark.parametrize("order,edit,drop", [([0, 1, 2, 3], False, None), ([3, 2, 1, 0], True, "a"),
                                              ([1, 3, 0, 2], True, "c")])
def test_an_index_built_in_steps_equals_one_built_at_once(tmp_path: Path, order: list[int], edit: bool,
                                                          drop: str | None) -> None:
    steps = _steps_export(tmp_path, "steps", order, edit, drop)
    kept = [i for i in range(len(STEPS)) if STEPS[i][0] != drop]
    once_folder = tmp_path / "once"
    for i in kept:
        article(once_folder, *STEPS[i])
    if edit:
        article(once_folder, "b", "2024-03-02", "Talks", "The NDU met ministers. Amara Velt said talks would resume.")
    build_index([once_folder], tmp_path / "once.sqlite3")
    once = export(tmp_path / "once.sqlite3")
    for doc in once["documents"]:
        doc.pop("path", None)
        doc.pop("added_at", None)
    assert steps == once


def test_a_second_copy_of_an_article_is_skipped_each_build_and_never_counted_as_resumed(tmp_path: Path) -> None:
    body = "Harbour pilots in Port Veyle voted to strike on Monday, the union said."
    article(tmp_path / "c", "one", "2024-02-01", "Pilots strike", body)
    article(tmp_path / "c", "two", "2024-02-01", "Pilots strike", body)
    first = build_index([tmp_path / "c"], tmp_path / "i.sqlite3")
    again = build_index([tmp_path / "c"], tmp_path / "i.sqlite3")
    for report in (first, again):
        assert report.documents == 1 and report.resumed == 0
        assert [Path(p.path).name for p in report.skipped] == ["two.txt"]
