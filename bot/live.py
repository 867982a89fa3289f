"""A live corpus while the bot runs: followed feeds polled by the bot's scheduler, watched folders
(watchfiles), each change built into the index in a worker thread; readers see it at their next command.

Builds are serialised by one lock; a failed poll or build is logged and loses nothing (the build's own
guarantees: parsed articles are checkpointed, the index changes in one transaction).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.base import BaseScheduler

from briefbot.settings import Settings
from corpus.build import BuildReport
from corpus.sources import FeedStore, PollResult

log = logging.getLogger(__name__)
JOBSTORE = "live"


class LiveIngest:
    """Feeds and watched folders flowing into the index."""

    def __init__(self, settings: Settings, on_build: Callable[[], Awaitable[object]] | None = None) -> None:
        self.settings = settings
        self.on_build = on_build  # called after each build that committed (the bot checks its watches)
        self.lock = asyncio.Lock()
        self.watcher: asyncio.Task[None] | None = None
        self.stop_event = asyncio.Event()

    def start(self, scheduler: BaseScheduler) -> None:
        """Poll the feeds on `scheduler` (a job in memory: the feeds file keeps the state) and watch folders."""
        if JOBSTORE not in scheduler._jobstores:
            scheduler.add_jobstore(MemoryJobStore(), JOBSTORE)
        scheduler.add_job(self.poll_feeds, "interval", seconds=self.settings.feed_poll_seconds, id="feeds",
                          jobstore=JOBSTORE, next_run_time=datetime.now(UTC), replace_existing=True,
                          coalesce=True, max_instances=1)
        if self.settings.watch_dirs:
            self.watcher = asyncio.get_running_loop().create_task(self.watch(self.settings.watch_dirs))

    async def stop(self) -> None:
        self.stop_event.set()
        if self.watcher is not None:
            self.watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.watcher

    async def poll_feeds(self) -> list[PollResult]:
        """Poll the due feeds; index the pages of their new entries."""
        if not self.settings.feeds_file.is_file():  # no feed was ever followed
            return []
        with FeedStore(self.settings.feeds_file) as store:
            results = await store.poll_due(self.settings.pages_dir, allow_private=self.settings.fetch_allow_private)
        for r in results:
            if r.error:
                log.warning("feed %s: %s", r.feed, r.error)
            for failed in r.failed:
                log.warning("feed %s: entry %s: %s", r.feed, failed.url, failed.reason)
        if any(r.new_pages for r in results):
            await self.rebuild([self.settings.pages_dir])
        return results

    async def watch(self, folders: list[Path]) -> None:
        """Rebuild a watched folder whenever files in it change (debounced by watchfiles)."""
        from watchfiles import awatch

        existing = [f for f in folders if f.is_dir()]
        for missing in set(folders) - set(existing):
            log.warning("not watching %s: no such folder", missing)
        if not existing:
            return
        await self.rebuild(existing)
        async for _ in awatch(*existing, stop_event=self.stop_event, debounce=2000):
            await self.rebuild(existing)

    async def rebuild(self, paths: list[Path]) -> BuildReport | None:
        """Build `paths` into the index in a worker thread (one build at a time)."""
        from corpus.build import build_index

        async with self.lock:
            try:
                report = await asyncio.to_thread(build_index, paths, self.settings.index,
                                                 aliases_file=self.settings.aliases_file)
            except Exception:
                log.exception("building %s failed; the index is as it was", ", ".join(map(str, paths)))
                return None
        log.info("indexed %s: %d added, %d updated, %d removed, %d skipped", ", ".join(map(str, paths)),
                 report.added, report.updated, report.removed, len(report.skipped))
        for problem in report.skipped:
            log.warning("skipped %s: %s", problem.path, problem.reason)
        if report.changed and self.on_build is not None:
            await self.on_build()
        return report
