"""End to end on loopback: a feed served by a real HTTP server, the real bot against the fake Discord. A new
entry is fetched, indexed, found by !who and !search without restart, and announced once by a watch — also
across a restart in the middle; adding pages needs the right permission; a private address is refused."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.live import LiveIngest
from corpus.build import build_index
from corpus.sources import FeedStore
from tests.fakediscord import FakeDiscord
from tests.test_bot_e2e import Harness, ask, sent_text, until
from tests.test_sources import Site, site  # noqa: F401 (the loopback web server fixture)

pytest_plugins = ("tests.fakediscord.plugin",)


@pytest.fixture
async def live(fake_discord: FakeDiscord, site: Site, tmp_path: Path) -> AsyncIterator[Harness]:  # noqa: F811
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "first.txt").write_text(" date 2024-03-01 Harbour plans\n\nMayor Ana Lindqvist of Velmora presented "
                                      "plans for the harbour on Friday.", encoding="utf-8")
    index = tmp_path / "index.sqlite3"
    build_index([corpus], index)
    h = Harness(fake_discord, index, tmp_path)
    h.settings = h.settings.model_copy(update={
        "index": index, "pages_dir": tmp_path / "pages", "feeds_file": tmp_path / "feeds.sqlite3",
        "fetch_allow_private": True, "alert_check_seconds": 600, "feed_poll_seconds": 600})
    try:
        yield h
    finally:
        await h.close()


def alerts(fake: FakeDiscord, mark: int) -> list[str]:
    return [sent_text(r) for r in fake.matching(lambda r: r.method == "POST" and r.channel_id == fake.channel_id,
                                                after=mark) if "🔔" in sent_text(r)]


async def test_feed_entry_indexed_found_and_announced_once(fake_discord: FakeDiscord, live: Harness,
                                                           site: Site) -> None:  # noqa: F811
    fake = fake_discord
    bot = await live.start()
    assert "Watching **Ana Lindqvist**" in sent_text(await ask(fake, fake.owner, "!watch Lindqvist"))
    assert "Following" in sent_text(await ask(fake, fake.owner, f"!feed add {site.base}/feed.xml"))
    assert "feed.xml" in sent_text(await ask(fake, fake.member, "!feed list"))
    site.feed_items = [("One", f"{site.base}/story1")]

    mark = fake.mark()
    assert bot.live is not None
    await bot.live.poll_feeds()  # what the scheduler runs every BRIEFBOT_FEED_POLL_SECONDS
    await until(lambda: len(alerts(fake, mark)) == 1, timeout=30)
    [alert] = alerts(fake, mark)
    assert "Ana Lindqvist" in alert and "Harbour story 1" in alert and "We are back in business" in alert
    assert "Harbour story 1" in sent_text(await ask(fake, fake.member, "!search harbour storm"))
    assert "2 articles" in sent_text(await ask(fake, fake.member, "!who Lindqvist"))
    assert "Harbour story 1" in sent_text(await ask(fake, fake.member, "!digest now 1h"))

    await live.stop()  # the bot goes down; the ingester keeps running (as `briefbot ingest` would)
    site.feed_items.append(("Two", f"{site.base}/story2"))
    store = FeedStore(live.settings.feeds_file)  # polled now, whatever its schedule
    assert (await store.poll(f"{site.base}/feed.xml", live.settings.pages_dir, allow_private=True)).new_pages
    store.close()
    await LiveIngest(live.settings).rebuild([live.settings.pages_dir])
    mark = fake.mark()
    await live.start()  # back: the article indexed meanwhile is announced, the first one not again
    await until(lambda: len(alerts(fake, mark)) == 1, timeout=30)
    await asyncio.sleep(1.0)
    [again] = alerts(fake, mark)
    assert "Harbour story 2" in again
    assert site.hits["story1"] == 1 and site.hits["story2"] == 1


async def test_add_needs_permission_and_refuses_private_addresses(fake_discord: FakeDiscord, live: Harness,
                                                                  site: Site) -> None:  # noqa: F811
    fake = fake_discord
    await live.start()
    refused = await ask(fake, fake.member, f"!add {site.base}/story3")
    assert "permission" in sent_text(refused).lower()
    added = await ask(fake, fake.owner, f"!add {site.base}/story3")
    assert "new" in sent_text(added) and "1 added" in sent_text(added)
    assert "Harbour story 3" in sent_text(await ask(fake, fake.member, "!search storm 3"))
    failed = await ask(fake, fake.owner, f"!add {site.base}/missing")
    assert "404" in sent_text(failed)
    await live.stop()
    live.settings = live.settings.model_copy(update={"fetch_allow_private": False})
    await live.start()
    private = await ask(fake, fake.owner, f"!add {site.base}/story4")
    assert "private or local address" in sent_text(private)
