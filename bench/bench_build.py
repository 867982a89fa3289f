"""Build benchmark (`make bench`): parse overhead, a 1,000-document build, incremental rebuilds, peak memory.

One run measures, on this machine:

(a) build/pipe ratio: raw `nlp.pipe` over exactly the paragraphs `parse_article` yields for the seeds and the
    GUM news texts (when ../shared is present) versus a full `build_index` of the same files into a fresh index;
    median of several repetitions each, in alternating order;
(b) a generated corpus of 1,000 documents recombined from the same real sentences: a build from scratch with
    `--jobs 1` and `--jobs 2` (time, peak RSS), then one added document (an incremental rebuild must parse
    exactly 1) and a rebuild with nothing changed (must parse 0).

Every measurement runs in a fresh child process (this script with `--worker`), so the model load is never
timed, no cache is warm from an earlier measurement, and the child's peak RSS is that measurement's alone.
Results go to the `<!-- bench_build -->` section of docs/BENCHMARKS.md; the rest of that file is kept.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the project importable without installing it
    sys.path.insert(0, str(ROOT))

from corpus.ingest import discover, parse_article, read_text  # noqa: E402

SEEDS = ROOT / "seeds"
GUM = ROOT.parent / "shared" / "corpora" / "gum_news"
BENCHMARKS = ROOT / "docs" / "BENCHMARKS.md"
BEGIN, END = "<!-- bench_build -->", "<!-- /bench_build -->"
TARGET_RATIO = 1.15

# A sentence ends at . ! ? (optionally followed by a closing quote) before a space and a capital or opening quote.
SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\b[A-Z]\.)(?<!\b(?:Mr|Ms|Dr|St)\.)([\"”’]?)\s+(?=[\"“‘]?[A-Z])")


# --- the generated corpus -------------------------------------------------------------------------------------


def source_files(with_gum: bool = True) -> list[Path]:
    """The real article files the benchmark reads: the seeds, plus the GUM news texts when ../shared is present."""
    files = sorted(SEEDS.glob("*.txt"))
    if with_gum and GUM.is_dir():
        files += sorted(GUM.glob("gum_*.txt"))
    return files


def split_sentences(paragraph: str) -> list[str]:
    """A paragraph's sentences, by a simple punctuation rule (good enough to recombine real text)."""
    parts = SENTENCE_END.split(paragraph)
    # split() interleaves the captured closing quote; glue it back onto the sentence it closes
    sentences = [parts[0] + (parts[1] if len(parts) > 1 else "")]
    sentences += [parts[i] + (parts[i + 1] if i + 1 < len(parts) else "") for i in range(2, len(parts), 2)]
    return [s.strip() for s in sentences if s.strip()]


def sentence_pool(files: list[Path]) -> list[str]:
    """Distinct body sentences of at least five words from `files`, in a stable order."""
    pool: dict[str, None] = {}
    for path in files:
        read = read_text(path)
        if not isinstance(read, tuple):
            continue
        for paragraph in parse_article(path.stem, read[0]).paragraphs:
            for sentence in split_sentences(paragraph):
                if len(sentence.split()) >= 5:
                    pool.setdefault(sentence)
    return list(pool)


def generate_article(rng: random.Random, sentences: list[str]) -> str:
    """One article: a ` date YYYY-MM-DD Title` header line, then 6–12 paragraphs of 1–3 real sentences."""
    day = date(2015, 1, 1) + timedelta(days=rng.randrange(3650))
    title = " ".join(rng.choice(sentences).split()[:8]).strip(".,;:!?\"“”‘’ ")
    paragraphs = [" ".join(rng.choice(sentences) for _ in range(rng.randint(1, 3)))
                  for _ in range(rng.randint(6, 12))]
    return f" date {day.isoformat()} {title}\n\n" + "\n\n".join(paragraphs) + "\n"


def generate_corpus(sources: list[Path], out_dir: Path, n_docs: int, seed: int = 0) -> list[Path]:
    """Write `n_docs` articles recombined from the sentences of `sources` into `out_dir` (gen_0000.txt, …);
    the same sources and seed always give the same files."""
    sentences = sentence_pool(sources)
    if not sentences:
        raise ValueError("no sentences to recombine in the source files")
    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n_docs):
        path = out_dir / f"gen_{i:04d}.txt"
        path.write_text(generate_article(rng, sentences), encoding="utf-8")
        paths.append(path)
    return paths


# --- measurements, each in a child process ----------------------------------------------------------------------


def _worker(spec: dict) -> dict:
    """Run one measurement in this (fresh) process; called with `--worker`."""
    from corpus.build import build_index, parse_batch_size
    from corpus.nlp import load_nlp

    nlp = load_nlp()
    nlp("Warm the pipeline up once before timing.")
    paths = [Path(p) for p in spec["paths"]]
    result: dict = {}
    if spec["op"] == "pipe":
        paragraphs = []
        for path in discover(paths)[0]:
            read = read_text(path)
            if isinstance(read, tuple):
                paragraphs += parse_article(path.stem, read[0], str(path), read[1]).paragraphs
        started, cpu = time.perf_counter(), time.process_time()
        for _ in nlp.pipe(paragraphs, batch_size=parse_batch_size(spec["jobs"]), n_process=spec["jobs"]):
            pass
        result["seconds"] = time.perf_counter() - started
        result["cpu_seconds"] = time.process_time() - cpu
        result["paragraphs"] = len(paragraphs)
        result["words"] = sum(len(p.split()) for p in paragraphs)
    else:
        started, cpu = time.perf_counter(), time.process_time()
        report = build_index(paths, Path(spec["index"]), jobs=spec["jobs"])
        result["seconds"] = time.perf_counter() - started
        result["cpu_seconds"] = time.process_time() - cpu
        result.update(parsed=report.parsed, reused=report.reused, resumed=report.resumed, added=report.added,
                      documents=report.documents, skipped=len(report.skipped))
    result["rss_self_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["rss_children_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return result


def measure(op: str, paths: list[Path], *, index: Path | None = None, jobs: int = 1) -> dict:
    """Run one measurement (`pipe` or `build`) in a fresh child process and return what it reports."""
    spec = {"op": op, "paths": [str(p) for p in paths], "index": str(index) if index else None, "jobs": jobs}
    proc = subprocess.run([sys.executable, __file__, "--worker", json.dumps(spec)],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark child ({op}) failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def ratio_benchmark(files: list[Path], reps: int, scratch: Path) -> dict:
    """Median raw `nlp.pipe` time and median full build time over `files`, alternating which runs first."""
    runs: dict[str, list[dict]] = {"pipe": [], "build": []}
    for rep in range(reps):
        for op in (("pipe", "build") if rep % 2 == 0 else ("build", "pipe")):
            index = scratch / f"ratio_{rep}.sqlite3"
            runs[op].append(measure(op, files, index=index))
            index.unlink(missing_ok=True)
        print(f"  rep {rep + 1}/{reps}: pipe {runs['pipe'][-1]['seconds']:.2f}s, "
              f"build {runs['build'][-1]['seconds']:.2f}s", flush=True)
    info = runs["pipe"][0]
    out = {"files": len(files), "paragraphs": info["paragraphs"], "words": info["words"], "reps": reps}
    for measure_, suffix in (("seconds", ""), ("cpu_seconds", "_cpu")):  # wall time, and the processes' CPU time
        pipe_s, build_s = ([r[measure_] for r in runs[op]] for op in ("pipe", "build"))
        pipe, build = statistics.median(pipe_s), statistics.median(build_s)
        out |= {f"pipe_runs{suffix}": pipe_s, f"build_runs{suffix}": build_s, f"pipe{suffix}": pipe,
                f"build{suffix}": build, f"ratio{suffix}": build / pipe}
    return out


def scale_benchmark(sources: list[Path], n_docs: int, scratch: Path) -> dict:
    """The generated corpus: builds from scratch (--jobs 1 and 2), one document added, nothing changed."""
    corpus = scratch / "generated"
    paths = generate_corpus(sources, corpus, n_docs + 1, seed=1)
    extra = scratch / paths[-1].name
    paths[-1].rename(extra)  # held back: the document the incremental rebuild adds
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in paths[:-1])
    out: dict = {"documents": n_docs, "words": words}
    index = scratch / "scale.sqlite3"
    print(f"  raw nlp.pipe over {n_docs} documents…", flush=True)
    out["pipe"] = measure("pipe", [corpus])
    print("  build --jobs 1…", flush=True)
    out["jobs1"] = measure("build", [corpus], index=index, jobs=1)
    print("  build --jobs 2…", flush=True)
    out["jobs2"] = measure("build", [corpus], index=scratch / "scale_jobs2.sqlite3", jobs=2)
    shutil.copy(extra, corpus / extra.name)
    print("  incremental rebuild (one document added)…", flush=True)
    out["added"] = measure("build", [corpus], index=index)
    print("  rebuild with nothing changed…", flush=True)
    out["unchanged"] = measure("build", [corpus], index=index)
    out["index_mb"] = index.stat().st_size / 2**20
    return out


# --- the report -----------------------------------------------------------------------------------------------


def code_fingerprint() -> str:
    """A hash of the indexing code and data (corpus/), to notice an edit in the middle of a run."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "corpus").rglob("*")):
        if path.is_file() and path.suffix in {".py", ".json", ".txt"}:
            digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def machine() -> dict:
    """Where and with what the benchmark ran."""
    import spacy

    from corpus.nlp import load_nlp

    meta = load_nlp().meta
    mem_kb = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal:")), 0) if Path("/proc/meminfo").exists() else 0
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                            check=False).stdout.strip() or "unknown"
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "corpus"], cwd=ROOT, capture_output=True,
                           text=True, check=False).stdout.strip()
    return {
        "uname": subprocess.run(["uname", "-a"], capture_output=True, text=True, check=False).stdout.strip()
        or " ".join(platform.uname()),
        "cpus": os.cpu_count(),
        "memory_gb": mem_kb / 2**20,
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "model": f"{meta.get('lang')}_{meta.get('name')} {meta.get('version')}",
        "commit": commit + (" (corpus/ has uncommitted changes)" if dirty else ""),
        "date": date.today().isoformat(),
        "load": f"{os.getloadavg()[0]:.2f}",
    }


def render(env: dict, ratio: dict, scale: dict, gum: bool) -> str:
    """The `bench_build` section of docs/BENCHMARKS.md."""
    verdict = "meets" if ratio["ratio"] <= TARGET_RATIO else "misses"
    s1, s2, add, same = scale["jobs1"], scale["jobs2"], scale["added"], scale["unchanged"]
    texts = "the 5 seeds + the 24 GUM news texts" if gum else "the 5 seeds (../shared absent: no GUM texts)"

    def runs(values: list[float]) -> str:
        return ", ".join(f"{v:.2f}" for v in values)

    return "\n".join([
        BEGIN,
        "## Index build (`bench/bench_build.py`)",
        "",
        f"Run {env['date']} at commit `{env['commit']}` on `{env['uname']}`: {env['cpus']} CPUs, "
        f"{env['memory_gb']:.1f} GiB RAM (1-minute load average {env['load_start']} at the start, "
        f"{env['load']} at the end); Python {env['python']}, spaCy {env['spacy']}, {env['model']}. "
        "Every figure below comes from this one run; each measurement ran in a fresh child process "
        "(model loaded and warmed before the clock starts).",
        "",
        "### Parse overhead: build time / raw `nlp.pipe` time",
        "",
        f"Texts: {texts} — {ratio['files']} files, {ratio['paragraphs']} body paragraphs, {ratio['words']:,} words. "
        "`nlp.pipe` runs over exactly the paragraphs `parse_article` yields, in the batches the build parses "
        "(with one process: spaCy's default for the model, 256); "
        "the build is a full `build_index` of the same files into a fresh index (read, parse, extract, resolve, "
        f"write SQLite). Median of {ratio['reps']} repetitions each, alternating which runs first; `--jobs 1`.",
        "",
        "| | median (s) | runs (s) |",
        "|---|---:|---|",
        f"| raw `nlp.pipe` | {ratio['pipe']:.2f} | {runs(ratio['pipe_runs'])} |",
        f"| full build | {ratio['build']:.2f} | {runs(ratio['build_runs'])} |",
        f"| **build / pipe** | **{ratio['ratio']:.3f}×** | target ≤ {TARGET_RATIO:.2f}×: {verdict} it |",
        f"| CPU time: pipe / build / ratio | {ratio['pipe_cpu']:.2f} / {ratio['build_cpu']:.2f} / "
        f"{ratio['ratio_cpu']:.3f}× | the processes' own CPU seconds, which other jobs on a shared machine "
        "disturb less than wall time |",
        "",
        f"### Generated corpus: {scale['documents']:,} documents",
        "",
        f"{scale['documents']:,} articles ({scale['words']:,} words) recombined with a seeded RNG from the real "
        "sentences of the texts above: each has a ` date YYYY-MM-DD Title` header and 6–12 paragraphs of 1–3 "
        f"sentences. Index size after the build: {scale['index_mb']:.1f} MiB. Peak RSS is the building "
        "process's maximum resident set (with `--jobs 2`, plus the largest spaCy worker process).",
        "",
        "| step | time (s) | parsed | peak RSS (MiB) |",
        "|---|---:|---:|---:|",
        f"| raw `nlp.pipe` over the same paragraphs (`--jobs 1`) | {scale['pipe']['seconds']:.1f} | – | "
        f"{scale['pipe']['rss_self_mb']:.0f} |",
        f"| build from scratch, `--jobs 1` | {s1['seconds']:.1f} | {s1['parsed']} | {s1['rss_self_mb']:.0f} |",
        f"| build from scratch, `--jobs 2` | {s2['seconds']:.1f} | {s2['parsed']} | {s2['rss_self_mb']:.0f} "
        f"+ {s2['rss_children_mb']:.0f} |",
        f"| incremental: one document added | {add['seconds']:.2f} | {add['parsed']} | {add['rss_self_mb']:.0f} |",
        f"| rebuild, nothing changed | {same['seconds']:.2f} | {same['parsed']} | {same['rss_self_mb']:.0f} |",
        "",
        f"Build / pipe at this scale (`--jobs 1`): {s1['seconds'] / scale['pipe']['seconds']:.2f}×. "
        f"Speed-up of `--jobs 2` over `--jobs 1`: {s1['seconds'] / s2['seconds']:.2f}×. "
        f"Throughput (`--jobs 1`): {scale['words'] / s1['seconds']:,.0f} words/s.",
        END,
    ])


def write_section(section: str, path: Path = BENCHMARKS) -> None:
    """Replace (or add) a script's delimited section of `path` (its first line is the opening marker, e.g.
    `<!-- bench_build -->`, and its last the closing one), keeping everything else in the file."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    begin, finish = section.splitlines()[0], section.splitlines()[-1]
    start, end = text.find(begin), text.find(finish)
    if start != -1 and end > start:
        text = text[:start] + section + text[end + len(finish):]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=5, help="repetitions for the build/pipe ratio (default 5)")
    parser.add_argument("--docs", type=int, default=1000, help="size of the generated corpus (default 1000)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(_worker(json.loads(args.worker))))
        return 0
    files = source_files()
    gum = GUM.is_dir()
    if not gum:
        print(f"note: {GUM} not found; measuring on the seeds only", file=sys.stderr)
    started, code, load = time.perf_counter(), code_fingerprint(), os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="briefbot-bench-") as tmp:
        scratch = Path(tmp)
        print(f"build/pipe ratio over {len(files)} files, {args.reps} repetitions:", flush=True)
        ratio = ratio_benchmark(files, args.reps, scratch)
        print(f"generated corpus of {args.docs} documents:", flush=True)
        scale = scale_benchmark(files, args.docs, scratch)
    if code_fingerprint() != code:
        print("error: corpus/ changed during the run, so these figures mix two versions of the code; "
              f"{BENCHMARKS.relative_to(ROOT)} is left as it was. Run again.", file=sys.stderr)
        return 1
    section = render({**machine(), "load_start": f"{load:.2f}"}, ratio, scale, gum)
    write_section(section)
    print(section)
    print(f"\nwrote {BENCHMARKS.relative_to(ROOT)} in {time.perf_counter() - started:.0f}s")
    ok = scale["added"]["parsed"] == 1 and scale["unchanged"]["parsed"] == 0
    if not ok:
        print("FAIL: an incremental rebuild must parse exactly the added document, and a no-change rebuild "
              "nothing", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
