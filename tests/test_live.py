"""The running bot's live corpus: a feed's new entry and a file dropped in a watched folder reach the index,
and a reader opened before sees them at its next command, without restart."""

from __future__ import annotations

import asyncio
from pathlib import Path

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.live import LiveIngest
from briefbot.settings import load_settings
from corpus.build import build_index
from corpus.sources import FeedStore
from handlers.commands import dispatch
from handlers.index import Index
from tests.test_sources import Site, site  # noqa: F401 (the loopback web server fixture)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


async def test_a_feed_entry_reaches_a_running_reader(site: Site, tmp_path: Path) -> None:  # noqa: F811
    settings = load_settings(BRIEFBOT_INDEX=tmp_path / "i.sqlite3", BRIEFBOT_PAGES=tmp_path / "pages",
                             BRIEFBOT_FEEDS=tmp_path / "feeds.sqlite3", BRIEFBOT_FETCH_ALLOW_PRIVATE=True)
    build_index([SEEDS], settings.index)
    store = FeedStore(settings.feeds_file)
    store.add(f"{site.base}/feed.xml", allow_private=True)
    store.close()
    site.feed_items = [("Harbour", f"{site.base}/story7")]
    live = LiveIngest(settings)
    with Index.open(settings.index) as reader:
        assert dispatch(reader, "!who Lindqvist").status != "ok"
        results = await live.poll_feeds()
        assert len(results[0].new_pages) == 1
        who = dispatch(reader, "!who Lindqvist")
        assert who.status == "ok" and who.entity is not None and who.entity.name == "Ana Lindqvist"
        assert dispatch(reader, "!search harbour storm").lines
        assert await live.poll_feeds() == []  # not due again before its interval: nothing fetched twice
        assert site.hits["story7"] == 1


async def test_a_file_dropped_in_a_watched_folder_is_indexed(tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    settings = load_settings(BRIEFBOT_INDEX=tmp_path / "i.sqlite3", BRIEFBOT_WATCH=str(drop),
                             BRIEFBOT_FEEDS=tmp_path / "feeds.sqlite3")
    build_index([SEEDS], settings.index)
    live = LiveIngest(settings)
    scheduler = AsyncIOScheduler()
    scheduler.start()
    live.start(scheduler)
    try:
        with Index.open(settings.index) as reader:
            await asyncio.sleep(1.0)
            (drop / "late.txt").write_text(" date 2024-05-01 Bridge opens\n\nEngineer Tomas Vrell opened the new "
                                           "bridge in Velmora on Wednesday.", encoding="utf-8")
            for _ in range(60):
                await asyncio.sleep(0.5)
                if dispatch(reader, "!who Vrell").status == "ok":
                    break
            assert dispatch(reader, "!who Vrell").status == "ok"
            assert not (tmp_path / "feeds.sqlite3").exists()  # no feed followed: no state file made
    finally:
        await live.stop()
        scheduler.shutdown(wait=False)


def test_briefbot_ingest_indexes_a_watched_folder_without_discord(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys
    import time

    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "first.txt").write_text(" date 2024-05-01 Bridge\n\nEngineer Tomas Vrell opened a bridge in Velmora.",
                                    encoding="utf-8")
    index = tmp_path / "i.sqlite3"
    env = {**os.environ, "BRIEFBOT_WATCH": str(drop), "BRIEFBOT_FEEDS": str(tmp_path / "feeds.sqlite3")}
    proc = subprocess.Popen([sys.executable, "-m", "briefbot.cli", "ingest", "--index", str(index)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not index.exists():
            time.sleep(0.5)
        found = False
        while time.monotonic() < deadline and not found:
            time.sleep(0.5)
            try:
                with Index.open(index) as reader:
                    found = dispatch(reader, "!who Vrell").status == "ok"
            except Exception:  # not built yet
                continue
        assert found
    finally:
        proc.terminate()
        proc.wait(10)
