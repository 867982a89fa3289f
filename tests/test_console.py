"""The console and `briefbot ask`: text rendering, JSON output, exit codes, the interactive loop."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from bot.console import ask, render_text, run_console
from briefbot.cli import main
from corpus.store import IndexUnavailable
from handlers.models import Candidate, Citation, Reply
from tests.factories import build_mini_index


@pytest.fixture(scope="module")
def mini_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_mini_index(tmp_path_factory.mktemp("console") / "mini.sqlite3")


def test_render_text_has_title_lines_and_sources() -> None:
    reply = Reply(command="who", title="Someone", lines=["A line [1]", "12,000 **refugees**"],
                  citations=[Citation(n=1, doc_id="d1", title="A title", outlet="Outlet", date="2021-03-01")])
    text = render_text(reply)
    assert text.splitlines()[:4] == ["Someone", "───────", "A line [1]", "12,000 refugees"]  # no literal **
    assert text.splitlines()[-1] == "  [1] 2021-03-01 · A title — Outlet"
    assert "\033[1mrefugees\033[0m" in render_text(reply, color=True)


def test_render_text_offers_numbers_for_not_found() -> None:
    reply = Reply(status="not_found", command="who", title="x not found", lines=["Nobody"],
                  candidates=[Candidate(id="person:a", name="A B", kind="person")])
    assert render_text(reply).splitlines()[-1] == "Pick one by number: 1) A B"


def test_ask_prints_text_and_exit_codes(mini_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert ask(mini_path, "!who okafor", as_json=False) == 0
    out = capsys.readouterr().out
    assert out.startswith("Ada Okafor — Foreign Minister\n")
    assert "Sources\n  [1]" in out
    assert ask(mini_path, "who Marsh", as_json=False) == 1
    assert ask(mini_path, "who Qwxz", as_json=False) == 1
    assert ask(mini_path, "!nonsense", as_json=False) == 2


def test_ask_json(mini_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ask(mini_path, "who okafor", as_json=True)
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == "ok"
    assert {"name", "kind", "roles", "aliases"} <= set(data["entity"])
    assert data["entity"]["name"] == "Ada Okafor"
    assert data["citations"][0]["doc_id"]
    ask(mini_path, "who marsh", as_json=True)
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == "ambiguous"
    assert [cand["name"] for cand in data["candidates"]] == ["Tom Marsh", "Lena Marsh"]


def test_ask_missing_index(tmp_path: Path) -> None:
    with pytest.raises(IndexUnavailable):
        ask(tmp_path / "none.sqlite3", "who x", as_json=False)


def test_cli_ask(mini_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--index", str(mini_path), "--json", "!who", "NRA"]) == 0
    assert json.loads(capsys.readouterr().out)["entity"]["name"] == "Northern Relief Agency"
    assert main(["ask", "--index", str(mini_path / "missing"), "who x"]) == 2
    assert "build" in capsys.readouterr().err


def test_console_session(mini_path: Path) -> None:
    stdin = io.StringIO("help\n\nwho marsh\n2\nfigures refugees\n9\nquit\nwho okafor\n")
    out = io.StringIO()
    assert run_console(mini_path, stdin=stdin, stdout=out) == 0
    text = out.getvalue()
    assert text.startswith("briefbot console — 9 names indexed.")
    assert "briefbot commands" in text
    assert "Which “marsh”?" in text
    assert "Lena Marsh — the agency's director" in text  # "2" picked the second candidate
    assert "Figures about “refugees”" in text
    assert "I don't know the command “9”" in text  # no candidates to pick from after figures
    assert "Ada Okafor — Foreign Minister" not in text  # nothing answered after quit


def test_console_ends_on_end_of_input(mini_path: Path) -> None:
    out = io.StringIO()
    assert run_console(mini_path, stdin=io.StringIO("sources\n"), stdout=out) == 0
    assert "Sources — 3 documents" in out.getvalue()


def test_console_does_not_import_discord() -> None:
    import bot.console

    assert "discord" not in bot.console.__dict__
    assert all(not name.startswith("discord") for name in sys.modules if name.startswith("bot.console"))


def test_console_opens_a_cited_source_digest_now_and_says_what_needs_discord(mini_path: Path) -> None:
    stdin = io.StringIO("who okafor\ndoc 2\n!digest now 2021-03-02\n!sync\n!digest subscribe 08:00\n")
    out = io.StringIO()
    assert run_console(mini_path, stdin=stdin, stdout=out) == 0
    text = out.getvalue()
    assert "Document d1 — Talks open on Valdoria relief" in text  # source [2] of the card
    assert "Digest — 2 new documents since 2021-03-02" in text and "New documents (2)\n  2021-03-03" in text
    assert text.count("works only in the Discord bot") == 2
