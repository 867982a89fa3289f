"""The shared evaluation scripts (../shared/eval), run as they are, their figures read back."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

ANN_ID_RE = re.compile(r"^[A-Z#*]\d*\t")  # T12, E3, A1, R2, #1, * … then a tab: the start of an annotation
ALL_NOTES = 100_000
GUM_LINE_RE = re.compile(r"recall ([\d.]+)% \((\d+)/(\d+)\), precision ([\d.]+)% \((\d+)/(\d+)\)")


class ScorerError(RuntimeError):
    """A shared script failed or printed something unexpected."""


def _run(script: Path, *args: str | Path, ok: tuple[int, ...] = (0,)) -> str:
    done = subprocess.run([sys.executable, str(script), *map(str, args)], capture_output=True, text=True,
                          check=False)
    if done.returncode not in ok:
        raise ScorerError(f"{script.name} failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return done.stdout


def _scored(script: Path, args: list[str | Path], notes: Path | None) -> dict[str, Any]:
    """A scorer's figures (its --json output); with `notes`, also its full list of misses and errors there."""
    if notes:
        notes.write_text(_run(script, *args, "--notes", str(ALL_NOTES)), encoding="utf-8")
    return json.loads(_run(script, *args, "--json"))


def score_news(shared: Path, export: Path, notes: Path | None = None) -> dict[str, Any]:
    """score_news.py's summary: people_recall, people_precision, false_people, roles_right, quotes_right, …,
    and the raw `counts`."""
    return _scored(shared / "eval" / "score_news.py", [export, shared / "eval" / "news_dev_gold.json"], notes)


def score_polnear(shared: Path, export: Path, prepared: Path, notes: Path | None = None) -> dict[str, Any]:
    """polnear.py's summary: recall, speaker_right, speaker_wrong, attribution_precision, … and `counts`."""
    return _scored(shared / "eval" / "polnear.py", ["score", export, prepared], notes)


def prepare_polnear(shared: Path, archive: Path, split: str, out: Path) -> Path:
    """The split's texts in out/text and its annotations in out/attributions; returns out/text."""
    if split == "test":
        raise ValueError("PolNeAR's test split is kept for independent measurement")
    _run(shared / "eval" / "polnear.py", "prepare", archive, split, out)
    for ann in (out / "attributions").glob("*.ann"):
        ann.write_text(tidy_annotation(ann.read_text(encoding="utf-8")), encoding="utf-8")
    return out / "text"


def tidy_annotation(text: str) -> str:
    """A brat annotation file that polnear.py can read: no trailing blanks on event lines (it splits an event's
    arguments at single spaces) and an annotated text that runs over a line break joined back onto its line
    (the scorer takes any line starting with "T" for a text-bound annotation). Some files have both."""
    lines: list[str] = []
    for line in text.split("\n"):  # as the scorer reads it: only a line feed ends a line
        if not line:
            continue
        if lines and not ANN_ID_RE.match(line):
            lines[-1] += " " + line
        else:
            lines.append(line.rstrip(" \t") if line.startswith("E") else line)
    return "".join(f"{line}\n" for line in lines)


def build_news_dev(shared: Path, archive: Path, out: Path) -> Path:
    """The 30 news dev articles rebuilt from the archive into `out`."""
    _run(shared / "eval" / "news_dev" / "build.py", archive, out)
    return out


def score_gum_people(shared: Path, export: Path) -> dict[str, float | int]:
    """score_gum.py's named people: recall, precision and their counts."""
    out = _run(shared / "eval" / "score_gum.py", export, shared / "eval" / "gum_news_gold.json", "0", "0",
               ok=(0, 1))  # it exits 1 when recall or precision is under its thresholds
    match = GUM_LINE_RE.search(out)
    if not match:
        raise ScorerError(f"score_gum.py printed no figures: {out[-300:]}")
    r, found, gold, p, right, ours = match.groups()
    return {"people_recall": float(r) / 100, "people_found": int(found), "people": int(gold),
            "people_precision": float(p) / 100, "people_right": int(right), "exported_people": int(ours)}
