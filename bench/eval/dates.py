"""Article dates without the header line: strip the ` date YYYY-MM-DD Title` line and judge the date found
against the one it gave."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from corpus.models import IndexExport

HEADER_RE = re.compile(r"^\s?date\s+(\d{4}-\d{2}-\d{2})\s+(.*?)\s*$")
FILENAME_DATE_RE = re.compile(r"(?<!\d)((?:19|20)\d\d-\d\d-\d\d)(?!\d)")
Verdict = Literal["right", "partial", "unknown", "wrong"]
VERDICTS: tuple[Verdict, ...] = ("right", "partial", "unknown", "wrong")


@dataclass(frozen=True)
class Header:
    """An article's first line ` date YYYY-MM-DD Title`, split, and the text after it."""

    date: str | None
    title: str
    body: str


def split_header(text: str) -> Header:
    """The header's date and title and the rest of the text; no date and an empty title when the first line is
    not a header."""
    first, _, rest = text.partition("\n")
    match = HEADER_RE.match(first)
    if not match:
        return Header(None, "", text)
    return Header(match.group(1), match.group(2), rest)


def write_without_headers(files: list[Path], out_dir: Path) -> dict[str, str]:
    """Copies of `files` in `out_dir` with the header line removed; doc id (file stem) → the header's date, for
    the files that had one."""
    out_dir.mkdir(parents=True, exist_ok=True)
    truth = {}
    for path in files:
        header = split_header(path.read_text(encoding="utf-8"))
        if header.date:
            truth[path.stem] = header.date
        (out_dir / path.name).write_text(header.body.lstrip("\n"), encoding="utf-8")
    return truth


def dates_in_file_names(files: list[Path]) -> dict[str, str]:
    """doc id → the ISO date written in the file name (PolNeAR's `outlet_2016-09-12_slug.txt`)."""
    found = {}
    for path in files:
        match = FILENAME_DATE_RE.search(path.stem)
        if match:
            found[path.stem] = match.group(1)
    return found


def judge(found: str | None, truth: str, tolerance_days: int = 1) -> Verdict:
    """A document date against the true one: `right` within `tolerance_days`, `partial` when only a year (or
    year and month) is given and it agrees, `unknown` when none is given, `wrong` otherwise."""
    if not found:
        return "unknown"
    try:
        day = date.fromisoformat(found)
    except ValueError:
        return "partial" if truth.startswith(found) else "wrong"
    return "right" if abs((day - date.fromisoformat(truth)).days) <= tolerance_days else "wrong"


def judge_export(export: IndexExport, truth: dict[str, str], shown: Callable[[str], str] = str,
                 ) -> tuple[Counter[Verdict], list[str]]:
    """Verdicts over the documents that have a true date, and one note per wrong date (the document as
    `shown` names it)."""
    counts: Counter[Verdict] = Counter({v: 0 for v in VERDICTS})
    notes = []
    dates = {d.id: d.date for d in export.documents}
    for doc_id, want in sorted(truth.items()):
        verdict = judge(dates.get(doc_id), want)
        counts[verdict] += 1
        if verdict == "wrong":
            notes.append(f"{shown(doc_id)}: date {dates.get(doc_id)} (true {want})")
    return counts, notes
