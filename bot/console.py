"""The no-token way to use briefbot: `briefbot ask "!who X"` and the interactive `briefbot console`.

Both answer through the same handlers as the Discord bot and render replies as plain text (citations as
`[n]` with a source list). Nothing here imports discord.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from pathlib import Path
from typing import TextIO

from handlers.cite import CITED_TITLE_CHARS
from handlers.commands import dispatch, doc
from handlers.index import Index
from handlers.models import Reply
from handlers.text import shorten

PROMPT = "briefbot> "
QUIT_WORDS = {"quit", "exit", "q", ":q", "bye"}
HISTORY_FILE = Path.home() / ".briefbot_history"
EXIT_CODES = {"ok": 0, "ambiguous": 1, "not_found": 1, "error": 2}
_BOLD_RE = re.compile(r"\*\*(.+?)\*\*")


def render_text(reply: Reply, *, color: bool = False) -> str:
    """A reply as readable text: title, body lines, numbered candidates to pick from, then the sources."""
    lines = [reply.title, "─" * min(len(reply.title), 72), *reply.lines]
    for f in reply.fields:
        lines.append(f.name)
        lines += ["  " + line for line in f.value.splitlines()]
    bold = "\033[1m\\1\033[0m" if color else "\\1"
    lines = [_BOLD_RE.sub(bold, line) for line in lines]  # search highlights: bold on a terminal, else plain
    if reply.status == "not_found" and reply.candidates:
        lines.append("Pick one by number: " + "  ".join(f"{i}) {c.name}" for i, c in enumerate(reply.candidates, 1)))
    if reply.image:
        lines.append(f"Chart written to {reply.image}")
    if reply.citations and reply.list_sources:
        lines.append("")
        lines.append("Sources")
        for c in reply.citations:
            outlet = f" — {c.outlet}" if c.outlet else ""
            where = f" · {c.url}" if c.url else ""
            lines.append(f"  [{c.n}] {c.date or 'undated'} · {shorten(c.title, CITED_TITLE_CHARS)}{outlet}{where}")
    return "\n".join(lines)


def _use_color(stream: TextIO) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ


def _tolerant(stream: TextIO) -> None:
    """Never fail on a character the terminal's encoding lacks."""
    with contextlib.suppress(AttributeError, ValueError):
        stream.reconfigure(errors="replace")  # type: ignore[attr-defined]


def ask(index_path: Path, text: str, as_json: bool) -> int:
    """Answer one command and print it (as the reply model's JSON with `as_json`).

    Exit code: 0 answered, 1 ambiguous or not found, 2 bad command. IndexUnavailable propagates (the CLI
    reports it with how to rebuild)."""
    _tolerant(sys.stdout)
    with Index.open(index_path) as index:
        reply = dispatch(index, text)
    print(reply.model_dump_json() if as_json else render_text(reply, color=_use_color(sys.stdout)))
    return EXIT_CODES[reply.status]


def _setup_history() -> None:
    try:
        import readline
    except ImportError:  # not every platform has it; the prompt still works
        return
    with contextlib.suppress(OSError):
        readline.read_history_file(HISTORY_FILE)
    readline.set_history_length(1000)
    import atexit

    def save() -> None:
        with contextlib.suppress(OSError):
            readline.write_history_file(HISTORY_FILE)

    atexit.register(save)


def run_console(index_path: Path, *, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """An interactive prompt over the handlers, with history; `help` lists commands, `quit` leaves.

    After an ambiguous or not-found answer, typing a candidate's number answers with that candidate."""
    stdin = stdin or sys.stdin
    out = stdout or sys.stdout
    _tolerant(out)
    interactive = stdin.isatty()
    if interactive:
        _setup_history()
    color = _use_color(out)
    with Index.open(index_path) as index:
        out.write(f"briefbot console — {len(index.resolver):,} names indexed. Type help, or quit to leave.\n")
        last: Reply | None = None
        while True:
            try:
                line = input(PROMPT) if interactive and stdin is sys.stdin else _read(stdin, out, interactive)
            except EOFError:
                out.write("\n")
                return 0
            except KeyboardInterrupt:
                out.write("\n")
                continue
            text = line.strip()
            if not text:
                continue
            if text.lower() in QUIT_WORDS:
                return 0
            if last and last.candidates and text.isdigit() and 1 <= int(text) <= len(last.candidates):
                text = f"{last.command} {last.candidates[int(text) - 1].id}"
            last = answer(index, text, last)
            out.write(render_text(last, color=color) + "\n\n")
            out.flush()


DOC_NUMBER_RE = re.compile(r"^[!/]?(?:doc|document|open)\s+\[?(\d{1,4})\]?$", re.IGNORECASE)


def answer(index: Index, text: str, last: Reply | None = None) -> Reply:
    """One console command: `doc N` opens source [N] of the previous answer; the rest goes to dispatch."""
    match = DOC_NUMBER_RE.match(text.strip())
    if match and last is not None and last.citations:
        return index.run(doc, match[1], last.citations)
    return dispatch(index, text)


def _read(stdin: TextIO, out: TextIO, interactive: bool) -> str:
    if interactive:
        out.write(PROMPT)
        out.flush()
    line = stdin.readline()
    if not line:
        raise EOFError
    return line


if __name__ == "__main__":  # python -m bot.console INDEX
    raise SystemExit(run_console(Path(sys.argv[1])))
