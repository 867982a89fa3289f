"""Real-corpus and scale benchmark (`make bench`): the build on real news, resumed after a kill, one article
added at 1,000 and 10,000 articles, and the figure-conflict pass at 100,000 groups.

(a) The 2020 news archive (the public repository OliverCWY/News, brought in with the search tool's `fetch`;
    its git directory in BRIEFBOT_NEWS_ARCHIVE or `--archive`): every English article, deduplicated by URL,
    written header-less (title line, then paragraphs) as a user would drop files. Measured: raw `nlp.pipe`
    over the same paragraphs and a build with `--jobs 1` (side by side when the machine has two cores: on a
    shared machine, only measurements taken at the same time compare), a build with `--jobs 2` (time, peak
    RSS), a build killed at 50 % and resumed (how many it parses again), and one article added to the full
    index.
(b) Generated corpora of 1,000 and 10,000 articles (recombined real sentences, bench/bench_build.py): one
    article added to each, wall time including its parse (the model is loaded before timing).
(c) The conflict pass (`corpus.indexer._conflicts`) over an index with 100,000 figure groups.

Every build runs in a fresh child process. Results go to the `<!-- bench_real -->` section of
docs/BENCHMARKS.md. Texts stay in a temporary folder: they are never committed (publishers' copyright).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_build import generate_corpus, machine, measure, source_files, write_section  # noqa: E402

BEGIN, END = "<!-- bench_real -->", "<!-- /bench_real -->"
MD_ESC = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|$~])")
DROP = re.compile(r"^(!\[|\[中文|[Ii]mage (copyright|caption|source)\b|Media playback is unsupported|keywords|authors:|"
                  r"publish date:|Related Story |JUST WATCHED )")


def _git(archive: Path, *args: str) -> str:
    return subprocess.run(["git", "--git-dir", str(archive), *args], capture_output=True, check=True,
                          text=True).stdout


def materialise(archive: Path, out: Path) -> list[Path]:
    """Every English article of the archive once (by URL), as `NNNN.txt`: title line, blank line, paragraphs."""
    out.mkdir(parents=True, exist_ok=True)
    names = [n for n in _git(archive, "ls-tree", "-r", "--name-only", "-z", "HEAD").split("\0")
             if n.endswith(".md") and not n.endswith("_zh.md")]
    seen: set[str] = set()
    files = []
    for name in sorted(names):
        text = _git(archive, "show", f"HEAD:{name}")
        url = re.search(r"\[Original Article\]\((.*?)\)", text)
        title = re.search(r"^## (.*)$", text, re.M)
        if not url or not title or url.group(1) in seen:
            continue
        seen.add(url.group(1))
        body = text.split("[Original Article]", 1)[1].split("\n", 1)[-1]
        lines = [MD_ESC.sub(r"\1", s.strip()) for s in body.split("\n")]
        lines = [s for s in lines if s and not DROP.match(s)]
        if not lines:
            continue
        path = out / f"{len(files):04d}.txt"
        path.write_text(MD_ESC.sub(r"\1", title.group(1).strip()) + "\n\n" + "\n\n".join(lines) + "\n",
                        encoding="utf-8")
        files.append(path)
    return files


def killed_at_half(folder: Path, index: Path, total: int) -> dict:
    """Start a build, kill it (SIGKILL) once half the articles are in the cache, then resume it."""
    spec = {"op": "build", "paths": [str(folder)], "index": str(index), "jobs": 1}
    child = subprocess.Popen([sys.executable, str(ROOT / "bench" / "bench_build.py"), "--worker", json.dumps(spec)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cached = 0
    while child.poll() is None:
        time.sleep(0.5)
        try:
            conn = sqlite3.connect(f"file:{index}?mode=ro", uri=True, timeout=1)
            cached = conn.execute("SELECT count(*) FROM doc_cache").fetchone()[0]
            conn.close()
        except sqlite3.Error:
            continue
        if cached >= total // 2:
            child.send_signal(signal.SIGKILL)
            child.wait()
            break
    resumed = measure("build", [folder], index=index)
    return {"cached_at_kill": cached, "resumed": resumed}


def added_one(sources: list[Path], n_docs: int, scratch: Path) -> dict:
    """A generated corpus of `n_docs` built from scratch (`--jobs 2`), and one more article kept aside."""
    corpus = scratch / f"gen{n_docs}"
    paths = generate_corpus(sources, corpus, n_docs + 1, seed=7)
    extra = scratch / f"extra{n_docs}.txt"
    paths[-1].rename(extra)
    index = scratch / f"gen{n_docs}.sqlite3"
    full = measure("build", [corpus], index=index, jobs=2)
    return {"build": full, "index": index, "extra": extra, "index_mb": index.stat().st_size / 2**20}


def add_runs(built: dict[int, dict], reps: int) -> None:
    """One article added to each index `reps` times, alternating between the indexes, each time to a fresh copy
    of it (the same starting state); the median goes to `built[n]["added"]`."""
    runs: dict[int, list[dict]] = {n: [] for n in built}
    for rep in range(reps):
        for n in (sorted(built) if rep % 2 == 0 else sorted(built, reverse=True)):
            copy = built[n]["index"].with_name(f"copy{n}.sqlite3")
            shutil.copy(built[n]["index"], copy)
            os.sync()  # the copy's pages on disk: the build's own commit must not pay for flushing them
            runs[n].append(measure("build", [built[n]["extra"]], index=copy))
            for suffix in ("", "-wal", "-shm"):
                Path(str(copy) + suffix).unlink(missing_ok=True)
    for n, results in runs.items():
        seconds = [r["seconds"] for r in results]
        built[n]["added"] = {**results[0], "seconds": statistics.median(seconds), "runs": seconds}


def conflict_pass(n_groups: int, scratch: Path) -> dict:
    """`_conflicts` over every conflict key of an index holding `n_groups` figure groups, shaped like news:
    2,000 counted nouns in 3 units, values spread over magnitudes (log-uniform from 1 to 10⁹), each group
    stated by 1–3 of 20,000 articles dated over two years."""
    from corpus.indexer import _conflicts
    from corpus.store import create_index

    index = scratch / "conflicts.sqlite3"
    index.unlink(missing_ok=True)
    conn = create_index(index)
    rng = random.Random(3)
    heads = [f"noun{i}" for i in range(2000)]
    start = date(2023, 1, 1)
    docs = [(f"d{i}", (start + timedelta(days=rng.randrange(730))).isoformat()) for i in range(20000)]
    conn.executemany("INSERT INTO documents (id, path, sha256, title, date, date_source, credits, captions, added_at)"
                     " VALUES (?, '', '', '', ?, 'header', '[]', '[]', '')", docs)
    rows = []
    for i in range(n_groups):
        key = json.dumps([rng.choice(heads), rng.choice(["", "%", "USD"])])
        doc_ids = json.dumps(sorted({rng.choice(docs)[0] for _ in range(rng.randint(1, 3))}))
        rows.append((f"g{i}", float(round(10 ** rng.uniform(0, 9))), rng.choice(["exact", "exact", "approx", "lower"]),
                     doc_ids, key))
    conn.executemany("INSERT INTO figure_groups (id, value, qclass, doc_ids, conflict_key, conflicts_with, bucket)"
                     " VALUES (?, ?, ?, ?, ?, '[]', '')", rows)
    conn.commit()
    keys = {r[4] for r in rows}
    started = time.perf_counter()
    with conn:
        _conflicts(conn, keys)
    seconds = time.perf_counter() - started
    flagged = conn.execute("SELECT count(*) FROM figure_groups WHERE conflicts_with != '[]'").fetchone()[0]
    conn.close()
    return {"groups": n_groups, "keys": len(keys), "seconds": seconds, "flagged": flagged}


def side_by_side(folder: Path, index: Path) -> dict:
    """Raw `nlp.pipe` and a `--jobs 1` build of `folder`, each in its own child process, side by side (one per
    core) when the machine has two cores: on a shared machine, only measurements taken at the same time compare."""
    side = (os.cpu_count() or 1) >= 2
    with ThreadPoolExecutor(2 if side else 1) as pool:
        pipe = pool.submit(measure, "pipe", [folder])
        jobs1 = pool.submit(measure, "build", [folder], index=index, jobs=1)
        return {"pipe": pipe.result(), "jobs1": jobs1.result(), "side": side}


RATIO_BEGIN, RATIO_END = "<!-- bench_ratio -->", "<!-- /bench_ratio -->"


def render_ratio(env: dict, n_files: int, pairs: list[dict]) -> str:
    wall = [p["jobs1"]["seconds"] / p["pipe"]["seconds"] for p in pairs]
    cpu = [p["jobs1"]["cpu_seconds"] / p["pipe"]["cpu_seconds"] for p in pairs]
    how = "side by side, one process per core" if pairs[0]["side"] else "one after the other"
    return "\n".join([
        RATIO_BEGIN, "## Build ÷ raw `nlp.pipe` on the archive, repeated (`bench/bench_real.py --ratio-pairs`)", "",
        f"Machine: {env['uname']}; {env['cpus']} CPUs; Python {env['python']}, spaCy {env['spacy']}, "
        f"{env['model']}; commit {env['commit']}; {env['date']}; load average at start {env['load_start']}.", "",
        f"The header-less archive ({n_files} files), `--jobs 1`. Each pair: raw `nlp.pipe` and the build, {how}, "
        "each in a fresh process.", "",
        "| pair | raw `nlp.pipe` | build | ratio (wall) | ratio (CPU) |", "|---:|---:|---:|---:|---:|",
        *(f"| {n} | {p['pipe']['seconds']:.1f} s | {p['jobs1']['seconds']:.1f} s | {w:.3f}× | {c:.3f}× |"
          for n, (p, w, c) in enumerate(zip(pairs, wall, cpu, strict=True), start=1)),
        "", f"**Median: {statistics.median(wall):.3f}× wall, {statistics.median(cpu):.3f}× CPU** (target ≤ 1.15).",
        "", RATIO_END])


def render(env: dict, real: dict | None, scale: dict, conflicts: dict) -> str:
    lines = [BEGIN, "## Real corpus, incremental builds and the conflict pass (`bench/bench_real.py`)", "",
             f"Machine: {env['uname']}; {env['cpus']} CPUs, {env['memory_gb']:.0f} GiB; Python {env['python']}, "
             f"spaCy {env['spacy']}, {env['model']}; commit {env['commit']}; {env['date']}; load average at start "
             f"{env['load_start']}. Single runs, each in a fresh process, all in this one run.", ""]
    if real is None:
        lines += ["(a) skipped: set BRIEFBOT_NEWS_ARCHIVE to the git directory of the fetched OliverCWY/News.", ""]
    else:
        pipe, j1, j2 = real["pipe"], real["jobs1"], real["jobs2"]
        lines += [
            f"(a) The 2020 news archive, header-less: {real['articles']} articles, {pipe['paragraphs']} paragraphs, "
            f"{pipe['words']:,} words. The raw pipe and the `--jobs 1` build ran "
            + ("side by side, one process per core, so that both saw the same machine." if real["side"] else
               "one after the other."), "",
            "| measurement | result |", "|---|---:|",
            f"| raw `nlp.pipe`, 1 process | {pipe['seconds']:.1f} s |",
            f"| build `--jobs 1` | {j1['seconds']:.1f} s ({j1['documents']} documents, {j1['skipped']} skipped), "
            f"peak RSS {j1['rss_self_mb']:.0f} MiB |",
            f"| **build ÷ raw pipe** (`--jobs 1`) | **{j1['seconds'] / pipe['seconds']:.3f}×** (target ≤ 1.15) |",
            f"| the same in CPU time (each process's own) | {j1['cpu_seconds']:.1f} s ÷ {pipe['cpu_seconds']:.1f} s "
            f"= {j1['cpu_seconds'] / pipe['cpu_seconds']:.3f}× |",
            f"| build `--jobs 2` | {j2['seconds']:.1f} s ({j2['seconds'] / j1['seconds']:.2f}× of `--jobs 1`), "
            f"peak RSS {max(j2['rss_self_mb'], j2['rss_children_mb']):.0f} MiB per process |",
            f"| killed at 50 % ({real['kill']['cached_at_kill']} cached), resumed | parsed "
            f"{real['kill']['resumed']['parsed']}, reused {real['kill']['resumed']['resumed']} from the cache, "
            f"{real['kill']['resumed']['seconds']:.1f} s |",
            f"| one article added to the full index | {real['added']['seconds']:.2f} s, parsed "
            f"{real['added']['parsed']} |", ""]
    s1, s10 = scale[1000]["added"], scale[10000]["added"]
    lines += [
        "(b) One article added (wall time of the build call, including its parse; the model is loaded before; "
        "median of three runs, alternating between the two indexes, each on a fresh copy):", "",
        "| index | build from scratch (`--jobs 2`) | index size | one article added |", "|---|---:|---:|---:|",
        *(f"| {n:,} generated articles | {scale[n]['build']['seconds']:.1f} s | {scale[n]['index_mb']:.0f} MiB | "
          f"{scale[n]['added']['seconds']:.2f} s ({' · '.join(f'{r:.2f}' for r in scale[n]['added']['runs'])}; "
          f"parsed {scale[n]['added']['parsed']}) |" for n in (1000, 10000)),
        "", f"At 10,000 ÷ at 1,000: **{s10['seconds'] / s1['seconds']:.2f}×** (target ≤ 1.3×; 10,000 target ≤ 2 s).",
        "",
        f"(c) Conflict pass over {conflicts['groups']:,} figure groups in {conflicts['keys']} conflict keys: "
        f"**{conflicts['seconds']:.2f} s** (target ≤ 2 s); {conflicts['flagged']:,} groups flagged.", "", END]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archive", default=os.environ.get("BRIEFBOT_NEWS_ARCHIVE"),
                        help="git directory of the fetched OliverCWY/News (default: BRIEFBOT_NEWS_ARCHIVE)")
    parser.add_argument("--skip-real", action="store_true", help="only the generated corpora and the conflict pass")
    parser.add_argument("--ratio-pairs", type=int, default=0, metavar="N",
                        help="only the archive's build ÷ raw pipe ratio: N side-by-side pairs and their median, in "
                             "its own section")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    if args.ratio_pairs:
        if not args.archive:
            parser.error("--ratio-pairs needs the archive: set BRIEFBOT_NEWS_ARCHIVE or pass --archive")
        with tempfile.TemporaryDirectory(prefix="briefbot-ratio-") as tmp:
            files = materialise(Path(args.archive), Path(tmp) / "news")
            pairs = [side_by_side(Path(tmp) / "news", Path(tmp) / f"r{n}.sqlite3") for n in range(args.ratio_pairs)]
        section = render_ratio({**machine(), "load_start": f"{load:.2f}"}, len(files), pairs)
        write_section(section)
        print(section)
        return 0
    real = None
    with tempfile.TemporaryDirectory(prefix="briefbot-real-") as tmp:
        scratch = Path(tmp)
        if args.archive and not args.skip_real:
            folder = scratch / "news"
            files = materialise(Path(args.archive), folder)
            held = files[-1]
            extra = scratch / held.name
            held.rename(extra)
            print(f"archive: {len(files)} articles; raw nlp.pipe and build --jobs 1…", flush=True)
            real = {"articles": len(files) - 1, **side_by_side(folder, scratch / "j1.sqlite3")}
            print("  build --jobs 2…", flush=True)
            real["jobs2"] = measure("build", [folder], index=scratch / "j2.sqlite3", jobs=2)
            print("  killed at 50 %, resumed…", flush=True)
            real["kill"] = killed_at_half(folder, scratch / "kill.sqlite3", len(files) - 1)
            print("  one article added…", flush=True)
            real["added"] = measure("build", [extra], index=scratch / "j1.sqlite3")
        elif not args.skip_real:
            print("note: BRIEFBOT_NEWS_ARCHIVE is not set: skipping the real corpus (fetch github:OliverCWY/News)",
                  file=sys.stderr)
        scale = {}
        for n in (1000, 10000):
            print(f"generated corpus of {n}: build…", flush=True)
            scale[n] = added_one(source_files(), n, scratch)
        print("one article added to each, three times…", flush=True)
        add_runs(scale, 3)
        print("conflict pass at 100,000 groups…", flush=True)
        conflicts = conflict_pass(100_000, scratch)
    section = render({**machine(), "load_start": f"{load:.2f}"}, real, scale, conflicts)
    write_section(section)
    print(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
