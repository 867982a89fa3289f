"""`make eval`: score briefbot on every development set, beside the model alone, and write docs/ACCURACY.md.

Sets (each skipped with a one-line hint when its data is absent):
- GUM news: ../shared/corpora/gum_news against ../shared/eval/gum_news_gold.json (entities);
- news dev: 30 articles rebuilt by ../shared/eval/news_dev/build.py from a git directory of github:OliverCWY/News
  (BRIEFBOT_NEWS_ARCHIVE or --news-archive), scored by score_news.py, and again with the header line removed to
  judge article dates;
- PolNeAR dev (train with --polnear-train): prepared by ../shared/eval/polnear.py from a git directory of
  github:networkdynamics/PolNeAR (BRIEFBOT_POLNEAR_ARCHIVE or --polnear-archive). Never the test split.
Article texts go to a temporary folder only. Everything after the marker line of docs/ACCURACY.md is kept.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import redirect_stdout
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from dotenv import dotenv_values

from bench.eval import gum
from bench.eval.currency import currency_of_news_dev
from bench.eval.dates import VERDICTS, dates_in_file_names, judge_export, write_without_headers
from bench.eval.model import model_alone_export, parse_files, with_baseline_speakers
from bench.eval.scorers import (
    build_news_dev,
    prepare_polnear,
    score_gum_people,
    score_news,
    score_polnear,
)
from corpus.models import IndexExport

ROOT = Path(__file__).resolve().parents[2]
ACCURACY = ROOT / "docs" / "ACCURACY.md"
NEWS_ENV, POLNEAR_ENV = "BRIEFBOT_NEWS_ARCHIVE", "BRIEFBOT_POLNEAR_ARCHIVE"
MARKER = "<!-- Written by hand from here on: `make eval` keeps everything below this line as it is. -->"
HAND_WRITTEN = """

## Which sets each rule was developed on

Every rule is developed on development sets only; the figures above are measured on them, so they flatter.
Independent real articles that nobody on the project sees are scored the same way.

- **Seeds** (`seeds/`, five reports on the coalition against ISIS): the original development set, for every kind of
  fact; the seed tests pin their results.
- **GUM news**: a development set for entities (people, organizations, places): all entity rules written before the
  news dev set and PolNeAR were added.
- **News dev** and **PolNeAR dev/train**: development sets from their introduction (issues 7 and 8) on; each rule
  developed on them is listed here with the set it was developed on.
"""
NA = "–"


@dataclass
class Row:
    """One line of the summary: a measure of one kind of fact on one set, for each system."""

    fact: str
    measure: str
    model: str = NA
    baseline: str = NA
    briefbot: str = NA
    target: str = ""  # the goal set by issues 7 and 8, where they set one


@dataclass
class SetResult:
    """A set's summary rows and its section of the report."""

    name: str
    rows: list[Row]
    section: str
    seconds: float = 0.0


@dataclass
class Context:
    """What every set needs: the shared folder, a scratch folder, build processes and where to keep exports."""

    shared: Path
    tmp: Path
    jobs: int = 1
    keep: Path | None = None

    def save(self, name: str, export: IndexExport) -> Path:
        """The export as a JSON file for the scorers (and a copy in --keep)."""
        path = self.tmp / f"{name}.json"
        path.write_text(export.model_dump_json(), encoding="utf-8")
        if self.keep:
            self.keep.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, self.keep / path.name)
        return path

    def notes(self, name: str) -> Path | None:
        """Where a scorer's notes on an export go: beside the kept export, or nowhere."""
        return self.keep / f"{name}.notes.txt" if self.keep else None


def pct(x: float | None) -> str:
    return NA if x is None else f"{100 * x:.1f} %"


def ratio(counts: dict[str, Any], part: str, whole: str) -> float | None:
    return counts.get(part, 0) / counts[whole] if counts.get(whole) else None


def build_and_export(paths: list[Path], index: Path, jobs: int) -> IndexExport:
    """`briefbot build` of `paths` into a fresh index, then `briefbot export` of it."""
    from briefbot.cli import main as briefbot

    log = io.StringIO()
    with redirect_stdout(log):
        code = briefbot(["build", *map(str, paths), "--index", str(index), "--quiet", "--jobs", str(jobs)])
    if code:
        raise RuntimeError(f"briefbot build failed ({code}): {log.getvalue()[-500:]}")
    out = io.StringIO()
    with redirect_stdout(out):
        code = briefbot(["export", "--index", str(index)])
    if code:
        raise RuntimeError(f"briefbot export failed ({code})")
    return IndexExport.model_validate_json(out.getvalue())


def date_rows(label: str, truth: dict[str, str], model: IndexExport, ours: IndexExport,
              shown: Callable[[str], str] = str) -> tuple[list[Row], list[str]]:
    """Right (±1 day) / partial / unknown / wrong article dates for the model alone and for briefbot; the wrong
    ones of briefbot as notes. Never wrong is the goal."""
    model_counts, _ = judge_export(model, truth)
    our_counts, notes = judge_export(ours, truth, shown)
    rows = [Row("dates", f"{label}: {verdict}" + (" (±1 day)" if verdict == "right" else ""),
                model=str(model_counts[verdict]), briefbot=str(our_counts[verdict]),
                target="0" if verdict == "wrong" else "") for verdict in VERDICTS]
    return rows, notes


def run_gum(ctx: Context, corpus: Path) -> SetResult:
    gold = ctx.shared / "eval" / "gum_news_gold.json"
    files = sorted(corpus.glob("gum_*.txt"))  # the articles only: never ATTRIBUTION.md
    index = ctx.tmp / "gum.sqlite3"
    export = build_and_export(files, index, ctx.jobs)
    model = model_alone_export(parse_files(files))
    ours_people = score_gum_people(ctx.shared, ctx.save("gum", export))
    model_people = score_gum_people(ctx.shared, ctx.save("gum_model", model))
    scores = gum.evaluate(gold, export, gum.mention_surfaces(index), model)

    def pr(kind: str, s: gum.Scores) -> str:
        c = s.by_kind[kind]
        return f"{pct(c.precision)} / {pct(c.recall)}"

    rows = [
        Row("people", f"named people found ({ours_people['people']}, score_gum)",
            pct(model_people["people_recall"]), briefbot=pct(ours_people["people_recall"]), target="≥ 95 %"),
        Row("people", "person entities that are people (score_gum)", pct(model_people["people_precision"]),
            briefbot=pct(ours_people["people_precision"]), target="≥ 92 %"),
        *(Row("non-people", f"{kind}s, name level: P / R", pr(kind, scores.model_strict),
              briefbot=pr(kind, scores.strict)) for kind in ("organization", "place")),
    ]
    text = "\n".join([
        f"{len(files)} Wikinews articles (CC BY) from the GUM corpus, with GUM's own entity annotation. "
        "Roles, quotes, figures and dates are not annotated there. People by `score_gum.py` (a gold person is a "
        "named one: a proper-name form of two or more words or a personal Wikipedia identity); all kinds by the "
        "entity tables below.",
        "",
        gum.section(scores),
    ])
    return SetResult("GUM news", rows, text)


def news_rows(model: dict[str, Any], baseline: dict[str, Any], ours: dict[str, Any]) -> list[Row]:
    """The summary rows of score_news.py's figures."""
    oc = ours["counts"]

    def row(fact: str, measure: str, get: Callable[[dict[str, Any]], str], *, with_model: bool = False,
            with_baseline: bool = False, target: str = "") -> Row:
        return Row(fact, measure, get(model) if with_model else NA, get(baseline) if with_baseline else NA,
                   get(ours), target)

    return [
        row("people", f"named people found ({oc.get('people', 0)})", lambda s: pct(s["people_recall"]),
            with_model=True, target="≥ 97 %"),
        row("people", "person entities that are people", lambda s: pct(s["people_precision"]), with_model=True,
            target="≥ 95 %"),
        row("non-people", "named non-people called people", lambda s: str(s["false_people"]), with_model=True,
            target="≤ 3"),
        row("roles", f"stated roles found (of {oc.get('roles', 0)} people found who have one)",
            lambda s: pct(s["roles_right"]), target="≥ 85 %"),
        row("quotes", f"direct quotes: right speaker ({oc.get('quotes', 0)})", lambda s: pct(s["quotes_right"]),
            with_baseline=True, target="≥ 90 %"),
        row("quotes", "direct quotes: wrong speaker", lambda s: pct(s["quotes_wrong"]), with_baseline=True,
            target="≤ 1.5 %"),
        row("quotes", "direct quotes: speaker unknown",
            lambda s: pct(ratio(s["counts"], "quotes_unknown", "quotes")), with_baseline=True),
        row("quotes", "direct quotes: missed", lambda s: pct(s["quotes_missed"]), with_baseline=True),
        row("quotes", "precision of attribution (right ÷ named)",
            lambda s: pct(s["quote_attribution_precision"]), with_baseline=True),
        row("quotes", f"anonymous quotes given a speaker ({oc.get('quotes_anonymous', 0)})",
            lambda s: str(s["counts"].get("anonymous_given_speaker", 0)), with_baseline=True, target="0"),
        row("figures", f"key figures found ({oc.get('figures', 0)})", lambda s: pct(s["figures_found"])),
        row("figures", "exported figures that are key figures", lambda s: pct(s["figure_precision"])),
    ]


def run_news(ctx: Context, archive: Path) -> SetResult:
    files = sorted(build_news_dev(ctx.shared, archive, ctx.tmp / "news_dev").glob("*.txt"))
    export = build_and_export(files, ctx.tmp / "news.sqlite3", ctx.jobs)
    parsed = parse_files(files)
    ours_path = ctx.save("news_dev", export)
    ours = score_news(ctx.shared, ours_path, ctx.notes("news_dev"))
    model = score_news(ctx.shared, ctx.save("news_dev_model", model_alone_export(parsed)))
    baseline = score_news(ctx.shared, ctx.save("news_dev_baseline", with_baseline_speakers(export, parsed)),
                          ctx.notes("news_dev_baseline"))
    rows = news_rows(model, baseline, ours)
    money = currency_of_news_dev(ours_path, ctx.shared / "eval" / "news_dev_gold.json",
                                 ctx.tmp / "news_dev" / "meta.json")
    rows += [Row("figures", f"money: currency right ({money.gold} gold amounts, {money.money} found)",
                 briefbot=f"{money.right} of {money.money}", target="all"),
             Row("figures", "money: currency unknown / wrong",
                 briefbot=f"{money.unknown} / {len(money.wrong or [])}", target="0 wrong")]
    # the same articles without their ` date YYYY-MM-DD Title` line: is the date found right, unknown or wrong?
    bare = ctx.tmp / "news_dev_no_header"
    truth = write_without_headers(files, bare)
    bare_files = sorted(bare.glob("*.txt"))
    bare_export = build_and_export(bare_files, ctx.tmp / "news_bare.sqlite3", ctx.jobs)
    ctx.save("news_dev_no_header", bare_export)
    extra, wrong = date_rows("header removed", truth, model_alone_export(parse_files(bare_files)), bare_export)
    rows += extra
    text = "\n".join([
        f"{len(files)} real 2020 articles (CNN, BBC News, The Straits Times), gold facts made by careful reading "
        "(`news_dev_gold.json`, borderline calls in `news_dev_notes.md`), scored by `score_news.py`: a person is "
        "found when a person entity of that article carries one of the gold's name forms; person entities that "
        "are people = those matching a gold person; a role is right when the person found carries, for that "
        "article, a role containing one of the gold's role forms (counted over the people found who have a "
        "stated role); a quote's speaker is right, wrong or unknown for the exported quote containing the gold "
        "piece; a figure is found when an exported figure has its value (within 1 %) and one of its subject "
        "words. Currency: each gold amount that names a currency (a bare \"$\" is the outlet's house dollar: the "
        "Singapore dollar in The Straits Times, the US dollar in CNN and BBC News) against the exported amount of "
        "that value, a bracketed conversion's second amount included" +
        (f" (wrong: {'; '.join(money.wrong)})" if money.wrong else "") + ". "
        "Dates: the same articles with their ` date YYYY-MM-DD Title` line removed, each article's date "
        f"against the header's ({len(truth)} articles)" + (f"; wrong: {'; '.join(wrong)}." if wrong else
                                                            "; none wrong."),
    ])
    return SetResult("news dev", rows, text)


def run_polnear(ctx: Context, archive: Path, split: str) -> SetResult:
    prepared = ctx.tmp / f"polnear_{split}"
    text_dir = prepare_polnear(ctx.shared, archive, split, prepared)
    files = sorted(text_dir.glob("*.txt"))
    export = build_and_export(files, ctx.tmp / f"polnear_{split}.sqlite3", ctx.jobs)
    parsed = parse_files(files)
    ours = score_polnear(ctx.shared, ctx.save(f"polnear_{split}", export), prepared, ctx.notes(f"polnear_{split}"))
    base = score_polnear(ctx.shared, ctx.save(f"polnear_{split}_baseline", with_baseline_speakers(export, parsed)),
                         prepared)
    oc = ours["counts"]
    named = oc.get("named", 0)
    rows = [
        Row("quotes", f"direct quotes found ({ours['direct_quotes']})", baseline=pct(base["recall"]),
            briefbot=pct(ours["recall"]), target="≥ 99 %"),
        Row("quotes", f"named source: right speaker ({named} found)", baseline=pct(base["speaker_right"]),
            briefbot=pct(ours["speaker_right"]), target="≥ 92 %"),
        Row("quotes", "named source: wrong speaker", baseline=pct(base["speaker_wrong"]),
            briefbot=pct(ours["speaker_wrong"])),
        Row("quotes", "named source: speaker unknown", baseline=pct(ratio(base["counts"], "named_unknown", "named")),
            briefbot=pct(ratio(oc, "named_unknown", "named"))),
        Row("quotes", "precision of attribution (right ÷ named)", baseline=pct(base["attribution_precision"]),
            briefbot=pct(ours["attribution_precision"]), target="≥ 99 %"),
        Row("quotes", "described source given a speaker", baseline=pct(base["described_given_speaker"]),
            briefbot=pct(ours["described_given_speaker"])),
    ]
    truth = dates_in_file_names(files)
    # a document is shown by outlet and date only: its file name goes on with words of the headline
    extra, wrong = date_rows("date in file name", truth, model_alone_export(parsed), export,
                             lambda doc_id: doc_id.rsplit("_", 1)[0])
    rows += extra
    text = (f"{len(files)} articles of 2016 US election coverage from seven publishers (PolNeAR {split} split), "
            "attributions annotated by hand, scored by `polnear.py score`: a direct quote is a gold attribution "
            "whose content starts with a quotation mark; its source is *named* when the source span holds a proper "
            "name. Dates: each article's date against the publication date in its file name "
            f"({len(truth)} articles)" + (f"; wrong: {'; '.join(wrong)}." if wrong else "; none wrong."))
    return SetResult(f"PolNeAR {split}", rows, text)


def summary_table(results: list[SetResult]) -> str:
    """The summary as a markdown table."""
    lines = ["| set | fact | measure | model alone | nearest-person baseline | briefbot | target |",
             "|---|---|---|---:|---:|---:|---:|"]
    for r in results:
        lines += [f"| {r.name} | {row.fact} | {row.measure} | {row.model} | {row.baseline} | {row.briefbot} "
                  f"| {row.target} |" for row in r.rows]
    return "\n".join(lines)


def summary_text(results: list[SetResult]) -> str:
    """The summary as aligned plain text, for the terminal."""
    cells = [("set", "fact", "measure", "model", "baseline", "briefbot", "target")]
    cells += [(r.name, row.fact, row.measure, row.model, row.baseline, row.briefbot, row.target)
              for r in results for row in r.rows]
    widths = [max(len(c[i]) for c in cells) for i in range(7)]
    return "\n".join("  ".join(cell.ljust(w) if i < 3 else cell.rjust(w)
                               for i, (cell, w) in enumerate(zip(line, widths, strict=True))) for line in cells)


def hand_written(old: str | None) -> str:
    """The hand-written part of an existing report (everything after the marker line), else the seed text."""
    if old and MARKER in old:
        return old.split(MARKER, 1)[1]
    return HAND_WRITTEN


def report(results: list[SetResult], skipped: list[str], header: str, old: str | None) -> str:
    """docs/ACCURACY.md: the generated part, the marker line, then the kept hand-written part."""
    parts = [
        "# Accuracy",
        "",
        header,
        "",
        "## Summary",
        "",
        summary_table(results),
        "",
        *(f"- not scored: {line}" for line in skipped),
        *([""] if skipped else []),
        "*Model alone*: spaCy's own entities and nothing else (it finds no roles, quotes or figures). "
        "*Nearest-person baseline*: the quotes briefbot found, each given to the person the model names last "
        "before it in the same or the previous sentence. *Target*: the goal issues 7 and 8 set (and on every set, "
        "people found no fewer than the model alone finds). *Dates*: the article's date against the true one — "
        "right within a day, partial (only the year, or year and month, and they agree), unknown, or wrong; "
        "the model alone takes the first full date it tags.",
        "",
    ]
    for r in results:
        parts += [f"## {r.name}", "", r.section, ""]
    parts += [
        "## How it is measured",
        "",
        "`make eval` (`python -m bench.eval`) builds each set into a fresh index with `briefbot build` and scores"
        " `briefbot export` with the shared scorers (`../shared/eval`), unchanged (PolNeAR's annotation files get"
        " trailing blanks trimmed from their event lines, which `polnear.py` cannot otherwise read). The model "
        "alone reads each article file after its header line, split into blocks at blank lines, through the same "
        "pipeline (`corpus/nlp.py`, en_core_web_sm): its PERSON entities are people, ORG organizations, "
        "GPE/LOC/FAC places (one entity per kind and exact text, no merging), and its export has the same "
        "document ids, so the same scorers read it. The quote baseline keeps briefbot's quotes (so it finds "
        "exactly as many) and replaces each speaker by the PERSON entity that starts last before the quote's "
        "first occurrence, within the quote's sentence or the sentence before; none there means unknown. Article "
        "texts are rebuilt into a temporary folder from the archives named by BRIEFBOT_NEWS_ARCHIVE and "
        "BRIEFBOT_POLNEAR_ARCHIVE and deleted afterwards; PolNeAR's test split is never prepared. The gold "
        "measures and never tunes: no rule in corpus/ names these articles' people or quotes their sentences.",
        "",
        MARKER,
    ]
    return "\n".join(parts) + hand_written(old)


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False).stdout.strip()


def archive_from_env(key: str, dotenv: Path = ROOT / ".env") -> Path | None:
    """An archive's git directory from the environment, else from `.env` (as briefbot's settings are read)."""
    value = os.environ.get(key) or (dotenv_values(dotenv).get(key) if dotenv.exists() else None)
    return Path(value) if value else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared",
                        help="the shared evaluation folder holding eval/ and corpora/ (default ../shared)")
    parser.add_argument("--news-archive", type=Path, default=archive_from_env(NEWS_ENV),
                        help=f"git directory of github:OliverCWY/News (default ${NEWS_ENV})")
    parser.add_argument("--polnear-archive", type=Path, default=archive_from_env(POLNEAR_ENV),
                        help=f"git directory of github:networkdynamics/PolNeAR (default ${POLNEAR_ENV})")
    parser.add_argument("--polnear-train", action="store_true", help="also score PolNeAR's train split (840)")
    parser.add_argument("--sets", default="gum,news,polnear", help="comma-separated: gum, news, polnear")
    parser.add_argument("--jobs", type=int, default=1, help="parser processes for each build")
    parser.add_argument("--out", type=Path, default=ACCURACY, help="report to write (default docs/ACCURACY.md)")
    parser.add_argument("--keep", type=Path, help="also keep every export scored (JSON) and the scorers' notes "
                        "on briefbot's (what was missed or wrong) in this folder, outside the repository")
    args = parser.parse_args(argv)
    wanted = {s.strip() for s in args.sets.split(",")}
    started = time.perf_counter()
    results: list[SetResult] = []
    skipped: list[str] = []
    failed: list[str] = []
    plan: list[tuple[str, Path | None, str, Callable[[Context, Path], SetResult]]] = [
        ("gum", args.shared / "corpora" / "gum_news",
         f"GUM news: no {args.shared}/corpora/gum_news; pass --shared (the folder holding eval/ and corpora/)",
         run_gum),
        ("news", args.news_archive,
         f"news dev: set {NEWS_ENV} (or --news-archive) to a git directory of github:OliverCWY/News "
         "(bring it in with the search library's `fetch` tool)", run_news),
        ("polnear", args.polnear_archive,
         f"PolNeAR dev: set {POLNEAR_ENV} (or --polnear-archive) to a git directory of "
         "github:networkdynamics/PolNeAR (bring it in with the search library's `fetch` tool)",
         lambda ctx, archive: run_polnear(ctx, archive, "dev")),
    ]
    if args.polnear_train:
        plan.append(("polnear", args.polnear_archive, "PolNeAR train: as PolNeAR dev",
                     lambda ctx, archive: run_polnear(ctx, archive, "train")))
    with tempfile.TemporaryDirectory(prefix="briefbot-eval-") as tmp:
        ctx = Context(args.shared, Path(tmp), args.jobs, args.keep)
        for key, source, hint, run in plan:
            if key not in wanted:
                continue
            if source is None or not source.exists() or not (args.shared / "eval").is_dir():
                skipped.append(hint if (args.shared / "eval").is_dir() else
                               f"{hint.split(':')[0]}: no {args.shared}/eval; pass --shared")
                print(f"not scored: {skipped[-1]}", file=sys.stderr)
                continue
            set_started = time.perf_counter()
            try:
                result = run(ctx, source)
            except Exception as exc:  # one set failing (a briefbot crash, a scorer error) must not hide the others
                failed.append(f"{hint.split(':')[0]} FAILED: {type(exc).__name__}: {exc}")
                print(failed[-1], file=sys.stderr)
                continue
            result.seconds = time.perf_counter() - set_started
            print(f"{result.name}: scored in {result.seconds:.0f} s", file=sys.stderr)
            results.append(result)
    dirty = _git("status", "--porcelain", "--", "corpus")
    header = (f"Measured {date.today().isoformat()} on `{platform.machine() or 'unknown'}` at commit "
              f"`{_git('rev-parse', '--short', 'HEAD') or 'unknown'}`"
              + (" + uncommitted corpus/ changes" if dirty else "")
              + f" by `make eval` in {time.perf_counter() - started:.0f} s"
              + f" ({', '.join(f'{r.name} {r.seconds:.0f} s' for r in results)}).")
    old = args.out.read_text(encoding="utf-8") if args.out.exists() else None
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report(results, skipped + failed, header, old), encoding="utf-8")
    print(summary_text(results))
    print(f"wrote {args.out}")
    return 1 if failed else 0
