"""Web sources into the index through the one ingest path: fetch → save the page as a file in the pages
folder (named by its address, so the same URL is one document) → `build_index` of that folder.

Feeds (RSS, Atom, JSON Feed via feedparser) are kept in a small SQLite file of their own: each feed's
conditional-GET validators, its next poll time (per-host interval, jitter, back-off on errors) and the
entries already taken, so every entry's page is fetched and indexed once.
"""

from __future__ import annotations

import asyncio
import hashlib
import random
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from corpus.fetch import FEED_TYPES, FetchError, check_url, fetch
from corpus.pages import source_comment

FEED_INTERVAL = timedelta(minutes=30)
HOST_INTERVAL = timedelta(minutes=10)  # two feeds of one host are polled at least this far apart
MAX_BACKOFF = timedelta(hours=24)
MAX_NEW_ENTRIES = 50  # per poll of one feed; the rest wait for the next poll


def page_path(pages_dir: Path, url: str) -> Path:
    """Where the page of `url` is kept: one file per address (its host, then a hash of the whole URL)."""
    host = re.sub(r"[^a-z0-9.-]+", "-", (urlsplit(url).hostname or "page").lower()).strip("-.")[:60] or "page"
    return pages_dir / f"{host}-{hashlib.sha1(url.encode()).hexdigest()[:12]}.html"


@dataclass
class Saved:
    url: str
    path: Path | None = None
    status: str = "new"  # new | updated | unchanged | failed
    reason: str = ""


async def save_page(url: str, pages_dir: Path, *, allow_private: bool = False) -> Saved:
    """Fetch a page and keep it in `pages_dir` (with its address in a first-line comment)."""
    try:
        got = await fetch(url, allow_private=allow_private)
    except FetchError as exc:
        return Saved(url=url, status="failed", reason=str(exc))
    path = page_path(pages_dir, url)
    data = source_comment(got.url).encode() + got.body
    if path.exists():
        if path.read_bytes() == data:
            return Saved(url=url, path=path, status="unchanged")
        status = "updated"
    else:
        status = "new"
    pages_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    tmp.write_bytes(data)
    tmp.replace(path)
    return Saved(url=url, path=path, status=status)


async def save_pages(urls: list[str], pages_dir: Path, *, allow_private: bool = False) -> list[Saved]:
    return list(await asyncio.gather(*(save_page(u, pages_dir, allow_private=allow_private) for u in urls)))


# --- feeds ------------------------------------------------------------------------------------------------

FEEDS_SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (url TEXT PRIMARY KEY, added_at TEXT NOT NULL, title TEXT, etag TEXT,
    last_modified TEXT, next_poll TEXT NOT NULL, failures INTEGER NOT NULL DEFAULT 0, last_error TEXT,
    last_polled TEXT);
CREATE TABLE IF NOT EXISTS entries (feed_url TEXT NOT NULL, entry TEXT NOT NULL, link TEXT NOT NULL,
    taken_at TEXT NOT NULL, status TEXT NOT NULL, PRIMARY KEY (feed_url, entry));
"""


@dataclass
class Feed:
    url: str
    title: str | None
    next_poll: str
    failures: int
    last_error: str | None
    last_polled: str | None


@dataclass
class PollResult:
    feed: str
    new_pages: list[Path] = field(default_factory=list)
    failed: list[Saved] = field(default_factory=list)
    not_modified: bool = False
    error: str | None = None


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class FeedStore:
    """The feeds a team follows and what was taken from each (a SQLite file)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(path)
        self.conn.executescript(FEEDS_SCHEMA)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> FeedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(self, url: str, allow_private: bool = False) -> bool:
        """Follow a feed (polled at once); False when it was already followed."""
        url = check_url(url, allow_private)
        with self.conn:
            cur = self.conn.execute("INSERT OR IGNORE INTO feeds (url, added_at, next_poll) VALUES (?, ?, ?)",
                                    (url, _now().isoformat(), _now().isoformat()))
        return cur.rowcount == 1

    def remove(self, url: str) -> bool:
        with self.conn:
            cur = self.conn.execute("DELETE FROM feeds WHERE url = ?", (url.strip(),))
        return cur.rowcount == 1

    def feeds(self) -> list[Feed]:
        return [Feed(*r) for r in self.conn.execute(
            "SELECT url, title, next_poll, failures, last_error, last_polled FROM feeds ORDER BY url")]

    def due(self, now: datetime) -> list[str]:
        return [u for (u,) in self.conn.execute("SELECT url FROM feeds WHERE next_poll <= ? ORDER BY next_poll",
                                                (now.isoformat(),))]

    def _schedule(self, url: str, now: datetime, failures: int, error: str | None, rng: random.Random) -> None:
        """Next poll: the feed interval (doubled per consecutive failure, at most a day), plus jitter, and no
        sooner than HOST_INTERVAL after the next poll already planned for the same host."""
        wait = min(FEED_INTERVAL * (2 ** failures), MAX_BACKOFF)
        when = now + wait + timedelta(seconds=rng.uniform(0, wait.total_seconds() * 0.1))
        host = urlsplit(url).hostname
        for other, planned in self.conn.execute("SELECT url, next_poll FROM feeds WHERE url != ?", (url,)):
            if urlsplit(other).hostname == host and abs(datetime.fromisoformat(planned) - when) < HOST_INTERVAL:
                when = max(when, datetime.fromisoformat(planned) + HOST_INTERVAL)
        self.conn.execute("UPDATE feeds SET next_poll = ?, failures = ?, last_error = ?, last_polled = ?"
                          " WHERE url = ?", (when.isoformat(), failures, error, now.isoformat(), url))

    async def poll(self, url: str, pages_dir: Path, *, allow_private: bool = False, now: datetime | None = None,
                   rng: random.Random | None = None) -> PollResult:
        """Poll one feed (conditional GET) and fetch the pages of its new entries into `pages_dir`."""
        import feedparser

        now, rng = now or _now(), rng or random.Random()
        result = PollResult(feed=url)
        row = self.conn.execute("SELECT etag, last_modified, failures FROM feeds WHERE url = ?", (url,)).fetchone()
        if row is None:
            result.error = "not a followed feed"
            return result
        etag, modified, failures = row
        headers = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", modified)) if v}
        try:
            got = await fetch(url, allow_private=allow_private, accept=FEED_TYPES, headers=headers)
        except FetchError as exc:
            result.error = str(exc)
            with self.conn:
                self._schedule(url, now, failures + 1, result.error, rng)
            return result
        if got.status == 304:
            result.not_modified = True
            with self.conn:
                self._schedule(url, now, 0, None, rng)
            return result
        parsed = feedparser.parse(got.body)
        if parsed.bozo and not any(e.get("link") for e in parsed.entries):  # malformed, nothing usable
            result.error = f"not a readable feed ({parsed.get('bozo_exception', 'malformed')})"
            with self.conn:
                self._schedule(url, now, failures + 1, result.error, rng)
            return result
        taken = {e for (e,) in self.conn.execute("SELECT entry FROM entries WHERE feed_url = ?", (url,))}
        fresh = []
        for entry in parsed.entries:
            link = entry.get("link")
            key = entry.get("id") or link
            if link and key and key not in taken:
                fresh.append((key, urljoin(got.url, link.strip())))
        for key, link in fresh[:MAX_NEW_ENTRIES]:
            saved = await save_page(link, pages_dir, allow_private=allow_private)
            if saved.status == "failed":
                result.failed.append(saved)
                continue  # not recorded: tried again at the next poll
            if saved.path is not None and saved.status in {"new", "updated"}:
                result.new_pages.append(saved.path)
            with self.conn:
                self.conn.execute("INSERT OR IGNORE INTO entries VALUES (?, ?, ?, ?, ?)",
                                  (url, key, link, now.isoformat(), saved.status))
        with self.conn:
            self.conn.execute("UPDATE feeds SET etag = ?, last_modified = ?, title = ? WHERE url = ?",
                              (got.headers.get("ETag"), got.headers.get("Last-Modified"),
                               parsed.feed.get("title"), url))
            self._schedule(url, now, 0, None, rng)
        return result

    async def poll_due(self, pages_dir: Path, *, allow_private: bool = False, now: datetime | None = None
                       ) -> list[PollResult]:
        now = now or _now()
        return [await self.poll(u, pages_dir, allow_private=allow_private, now=now) for u in self.due(now)]

