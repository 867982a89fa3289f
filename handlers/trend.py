"""`trend`: how often a name or topic comes up per week or month, as a PNG chart (matplotlib, Agg)."""

from __future__ import annotations

import hashlib
import tempfile
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from handlers import query
from handlers.common import quoted, safe, title
from handlers.index import Index
from handlers.models import Reply, TrendPoint
from handlers.text import check_arg, plural
from handlers.topics import topic_sentences

WEEKLY_DAYS = 120  # spans up to this many days are counted per week, longer ones per month
MAX_LINES = 24
MAX_SENTENCES = 50_000  # counted sentences (a timeline shows only the latest; a trend counts them all)


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def buckets(dates: list[str]) -> tuple[str, list[TrendPoint]]:
    """("week" or "month", counts per period in order, empty periods included) of full ISO dates."""
    days = sorted(d for d in (_day(t) for t in dates) if d)
    if not days:
        return "month", []
    if (days[-1] - days[0]).days <= WEEKLY_DAYS:
        counts = Counter(d - timedelta(days=d.weekday()) for d in days)
        start, end = min(counts), max(counts)
        periods = [start + timedelta(weeks=i) for i in range((end - start).days // 7 + 1)]
        return "week", [TrendPoint(period=p.isoformat(), count=counts.get(p, 0)) for p in periods]
    months = Counter((d.year, d.month) for d in days)
    (y, m), last = min(months), max(months)
    points = []
    while (y, m) <= last:
        points.append(TrendPoint(period=f"{y:04d}-{m:02d}", count=months.get((y, m), 0)))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return "month", points


def draw(label: str, unit: str, points: list[TrendPoint], path: Path) -> Path:
    """A bar chart of the points written to `path` as PNG."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 3.6), dpi=100)
    ax = fig.subplots()
    ax.bar(range(len(points)), [p.count for p in points], color="#5865F2")
    step = max(1, len(points) // 12)
    ax.set_xticks(range(0, len(points), step), [p.period for p in points][::step], rotation=45, ha="right",
                  fontsize=8)
    ax.set_ylabel(f"mentions per {unit}")
    ax.set_title(label)
    ax.yaxis.get_major_locator().set_params(integer=True)
    fig.subplots_adjust(left=0.08, right=0.98, top=0.9, bottom=0.25)  # room for the slanted labels
    fig.savefig(path, format="png")
    return path


@safe("trend")
def trend(index: Index, topic: str, out_dir: Path | None = None) -> Reply:
    """Sentences about a name or topic per week or month (by their article's date), as lines and a PNG
    written to `out_dir` (default: the system's temporary folder)."""
    topic = check_arg(topic, "name or topic", "trend coalition")
    label, keys = topic_sentences(index, topic, MAX_SENTENCES)
    known = query.doc_dates(index.conn, sorted({d for d, _ in keys}))
    dates = [date for date in (known.get(d) for d, _ in keys) if date]
    unit, points = buckets(dates)
    head = f"Trend — {label}"
    if not points:
        return Reply(status="not_found", command="trend", title=title(head),
                     lines=[f"No dated mentions of {quoted(topic)} in the index."], total=0)
    total = sum(p.count for p in points)
    digest = hashlib.sha256(f"{index.path}|{label}|{points}".encode()).hexdigest()[:12]
    folder = out_dir or Path(tempfile.gettempdir())
    folder.mkdir(parents=True, exist_ok=True)
    image = draw(f"{label}: mentions per {unit}", unit, points, folder / f"briefbot-trend-{digest}.png")
    peak = max(points, key=lambda p: p.count)
    lines = [f"{plural(total, 'mention')} in dated articles, per {unit}; the most in {peak.period} ({peak.count})."]
    shown = [p for p in points if p.count][-MAX_LINES:]
    lines += [f"{p.period} · {'▇' * min(p.count, 30)} {p.count}" for p in shown]
    return Reply(command="trend", title=title(head), lines=lines, series=points, total=total, image=str(image))
