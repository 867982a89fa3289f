"""Pages, feeds and other encodings through the one ingest path, against a real HTTP server on loopback."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp import web

from briefbot.cli import main
from corpus.build import build_index
from corpus.fetch import FetchError, check_url, fetch
from corpus.ingest import read_text
from corpus.sources import FeedStore, page_path, save_page
from tests.test_build import export

PAGE = """<html><head><title>{title} | Velmora Times</title>
<meta property="og:site_name" content="Velmora Times"><meta name="author" content="Jo Reed">
<meta property="article:published_time" content="{day}T09:00:00Z"></head>
<body><nav>Home · World · Sport</nav><article><h1>{title}</h1>
<p>{body}</p><p>"We are back in business," said Mayor Ana Lindqvist, who thanked 300 dock workers.</p>
</article><footer>Copyright Velmora Times</footer></body></html>"""


def page(title: str, day: str, body: str) -> str:
    return PAGE.format(title=title, day=day, body=body)


def rss(items: list[tuple[str, str]]) -> str:
    entries = "".join(f"<item><title>{t}</title><link>{link}</link><guid>{link}</guid></item>" for t, link in items)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Velmora wire</title>{entries}</channel></rss>'


class Site:
    """A small web server: pages, a feed with ETag, and misbehaving endpoints."""

    def __init__(self) -> None:
        self.feed_items: list[tuple[str, str]] = []
        self.hits: dict[str, int] = {}
        self.base = ""

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/feed.xml", self.feed)
        app.router.add_get("/{name}", self.route)
        return app

    async def feed(self, request: web.Request) -> web.Response:
        self.hits["feed"] = self.hits.get("feed", 0) + 1
        body = rss(self.feed_items)
        etag = '"' + str(hash(body) & 0xFFFF) + '"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(text=body, content_type="application/rss+xml", headers={"ETag": etag})

    async def route(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        self.hits[name] = self.hits.get(name, 0) + 1
        if name.startswith("story"):
            n = name.removeprefix("story")
            return web.Response(text=page(f"Harbour story {n}", "2024-03-05",
                                          f"The harbour of Velmora reopened on Tuesday after storm {n}, "
                                          "officials said."), content_type="text/html")
        if name == "latin":
            html = page("Café reopens", "2024-03-06", "The café of Velmora reopened after repairs, said the owner.")
            return web.Response(body=html.encode("cp1252"), content_type="text/html")
        if name == "missing":
            return web.Response(status=404, text="no such page")
        if name == "broken":
            return web.Response(status=500, text="oops")
        if name == "slow":
            await asyncio.sleep(5)
            return web.Response(text="late", content_type="text/html")
        if name == "huge":
            return web.Response(body=b"<p>" + b"x" * (6 * 1024 * 1024), content_type="text/html")
        if name == "loop":
            raise web.HTTPFound(f"{self.base}/loop")
        if name == "image":
            return web.Response(body=b"\x89PNG....", content_type="image/png")
        if name == "badfeed":
            return web.Response(text="<rss><channel><item><title>unclosed", content_type="application/rss+xml")
        if name == "menu":
            return web.Response(text="<html><body><nav><a href='/'>Home</a></nav></body></html>",
                                content_type="text/html")
        return web.Response(status=404)


@pytest.fixture
async def site() -> AsyncIterator[Site]:
    s = Site()
    runner = web.AppRunner(s.app())
    await runner.setup()
    tcp = web.TCPSite(runner, "127.0.0.1", 0)
    await tcp.start()
    port = runner.addresses[0][1]
    s.base = f"http://127.0.0.1:{port}"
    yield s
    await runner.cleanup()


async def test_a_page_is_indexed_with_its_own_metadata(site: Site, tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    saved = await save_page(f"{site.base}/story1", pages, allow_private=True)
    assert saved.status == "new" and saved.path == page_path(pages, f"{site.base}/story1")
    assert (await save_page(f"{site.base}/story1", pages, allow_private=True)).status == "unchanged"
    build_index([pages], tmp_path / "i.sqlite3")
    [doc] = export(tmp_path / "i.sqlite3")["documents"]
    assert (doc["title"], doc["date"], doc["date_source"]) == ("Harbour story 1", "2024-03-05", "metadata")
    assert doc["outlet"] == "Velmora Times" and doc["url"] == f"{site.base}/story1"
    quotes = export(tmp_path / "i.sqlite3")["quotes"]
    assert [q["speaker"] for q in quotes] == ["Ana Lindqvist"]


async def test_a_page_in_another_encoding_is_read_and_reported(site: Site, tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    saved = await save_page(f"{site.base}/latin", pages, allow_private=True)
    read = read_text(saved.path)  # type: ignore[arg-type]
    assert not isinstance(read, type(None)) and read.encoding == "cp1252" and "café" in read.text
    report = build_index([pages], tmp_path / "i.sqlite3")
    assert report.documents == 1 and "cp1252" in report.notes[0].reason


@pytest.mark.parametrize(("name", "reason"), [
    ("missing", "404"), ("broken", "500"), ("slow", "timed out"), ("huge", "too large"),
    ("loop", "too many redirects"), ("image", "content type image/png"),
])
async def test_each_failure_has_a_reason(site: Site, tmp_path: Path, name: str, reason: str) -> None:
    with pytest.raises(FetchError, match=reason):
        await fetch(f"{site.base}/{name}", allow_private=True, timeout=1.5)


async def test_a_page_without_article_text_is_skipped_with_a_reason(site: Site, tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    await save_page(f"{site.base}/menu", pages, allow_private=True)
    await save_page(f"{site.base}/story2", pages, allow_private=True)
    report = build_index([pages], tmp_path / "i.sqlite3")
    assert report.documents == 1
    assert "no article text" in report.skipped[0].reason


async def test_private_addresses_are_refused_by_default(site: Site, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="private or local"):
        await fetch(f"{site.base}/story1")  # 127.0.0.1
    with pytest.raises(FetchError, match="private or local"):
        await fetch(f"http://localhost:{site.base.rsplit(':', 1)[1]}/story1")  # a name that resolves to loopback
    for url in ("http://10.1.2.3/x", "http://169.254.169.254/latest", "http://[::1]/x", "http://192.168.0.1/"):
        with pytest.raises(FetchError):
            check_url(url)
    with pytest.raises(FetchError, match="not a web address"):
        check_url("file:///etc/passwd")
    saved = await save_page(f"{site.base}/story1", tmp_path / "p")
    assert saved.status == "failed" and "private" in saved.reason


async def test_a_feed_entry_is_fetched_and_indexed_once(site: Site, tmp_path: Path) -> None:
    pages, index = tmp_path / "pages", tmp_path / "i.sqlite3"
    store = FeedStore(tmp_path / "feeds.sqlite3")
    assert store.add(f"{site.base}/feed.xml", allow_private=True)
    assert not store.add(f"{site.base}/feed.xml", allow_private=True)
    site.feed_items = [("One", f"{site.base}/story1")]
    now = datetime(2024, 3, 5, 12, tzinfo=UTC)
    first = await store.poll(f"{site.base}/feed.xml", pages, allow_private=True, now=now, rng=random.Random(1))
    assert len(first.new_pages) == 1
    build_index([pages], index)
    again = await store.poll(f"{site.base}/feed.xml", pages, allow_private=True, now=now, rng=random.Random(1))
    assert again.not_modified and site.hits["story1"] == 1  # conditional GET: nothing fetched again
    site.feed_items.append(("Two", f"{site.base}/story2"))
    later = await store.poll(f"{site.base}/feed.xml", pages, allow_private=True, now=now, rng=random.Random(1))
    assert len(later.new_pages) == 1 and site.hits["story1"] == 1 and site.hits["story2"] == 1
    report = build_index([pages], index)
    assert (report.added, report.documents) == (1, 2)
    [feed] = store.feeds()
    assert feed.title == "Velmora wire" and feed.failures == 0
    assert datetime.fromisoformat(feed.next_poll) > now + timedelta(minutes=29)
    store.close()


async def test_a_broken_feed_backs_off_and_loses_nothing(site: Site, tmp_path: Path) -> None:
    store = FeedStore(tmp_path / "feeds.sqlite3")
    store.add(f"{site.base}/badfeed", allow_private=True)
    store.add(f"{site.base}/missing", allow_private=True)
    now = datetime.now(UTC) + timedelta(minutes=1)  # both are due: a new feed is polled at once
    results = await store.poll_due(tmp_path / "pages", allow_private=True, now=now)
    errors = {r.feed.rsplit("/", 1)[1]: r.error for r in results}
    assert "not a readable feed" in errors["badfeed"] and "404" in errors["missing"]
    feeds = {f.url.rsplit("/", 1)[1]: f for f in store.feeds()}
    assert feeds["badfeed"].failures == 1 and feeds["badfeed"].last_error
    waits = sorted(datetime.fromisoformat(f.next_poll) - now for f in feeds.values())
    assert timedelta(minutes=60) <= waits[0] <= timedelta(minutes=66)  # doubled interval, with up to 10% jitter
    assert waits[1] - waits[0] >= timedelta(minutes=10)  # feeds of one host are polled 10 minutes apart
    assert store.due(now) == []
    store.close()


def test_cli_add_and_feed(site_sync: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFBOT_PAGES", str(tmp_path / "pages"))
    monkeypatch.setenv("BRIEFBOT_FEEDS", str(tmp_path / "feeds.sqlite3"))
    monkeypatch.setenv("BRIEFBOT_FETCH_ALLOW_PRIVATE", "true")
    index = str(tmp_path / "i.sqlite3")
    assert main(["add", f"{site_sync}/story3", "--index", index]) == 0
    assert main(["add", f"{site_sync}/missing", "--index", index]) == 1
    assert [d["title"] for d in export(Path(index))["documents"]] == ["Harbour story 3"]
    assert main(["feed", "add", f"{site_sync}/feed.xml", "--index", index]) == 0
    assert main(["feed", "list", "--index", index]) == 0
    assert main(["feed", "remove", f"{site_sync}/feed.xml", "--index", index]) == 0
    monkeypatch.setenv("BRIEFBOT_FETCH_ALLOW_PRIVATE", "false")
    assert main(["add", f"{site_sync}/story4", "--index", index]) == 1


@pytest.fixture
def site_sync() -> object:
    """The test site served from a thread, for the synchronous command line."""
    import threading

    s = Site()
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(s.app())
    loop.run_until_complete(runner.setup())
    tcp = web.TCPSite(runner, "127.0.0.1", 0)
    loop.run_until_complete(tcp.start())
    s.base = f"http://127.0.0.1:{runner.addresses[0][1]}"
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield s.base
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.run_until_complete(runner.cleanup())
    loop.close()


WIRE = ("Flood waters rose across the Velmora river valley on Monday, forcing 1,200 families from their homes, "
        "regional officials said. The river crested at 6.4 metres in the town of Ostrava Nova, the highest level "
        "recorded since records began. Emergency crews used boats to reach villages cut off by the water, and "
        "the regional governor, Mira Hollan, declared a state of emergency. \"We are doing everything we can to "
        "reach every family,\" Hollan told reporters. Forecasters expect more rain through Wednesday.")


def test_one_wire_story_in_two_outlets_is_one_story_and_the_same_text_is_indexed_once(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "outlet_a.txt").write_text(f" date 2024-05-06 Floods force families out\n\n{WIRE}\n\n"
                                         "Copyright 2024 Velmora Herald.", encoding="utf-8")
    (folder / "outlet_b.txt").write_text(f" date 2024-05-06 Valley floods\n\n{WIRE} Schools will stay closed on "
                                         "Tuesday.\n\nCopyright 2024 Ostrava Daily.", encoding="utf-8")
    (folder / "outlet_c.txt").write_text(f" date 2024-05-06 Valley floods (copy)\n\n{WIRE}\n", encoding="utf-8")
    (folder / "other.txt").write_text(" date 2024-05-06 Harbour\n\nThe harbour of Velmora reopened on Tuesday after "
                                      "a week of repairs, officials said.", encoding="utf-8")
    report = build_index([folder], tmp_path / "i.sqlite3")
    docs = {d["id"]: d for d in export(tmp_path / "i.sqlite3")["documents"]}
    assert set(docs) == {"outlet_a", "outlet_b", "other"}  # outlet_c has outlet_a's text: indexed once
    assert any("same text as document 'outlet_a'" in p.reason for p in report.skipped)
    assert docs["outlet_a"]["story_id"] == docs["outlet_b"]["story_id"] == "outlet_a"
    assert docs["other"]["story_id"] == "other"


def test_an_index_signed_under_an_earlier_scheme_is_signed_again_and_still_finds_its_stories(tmp_path: Path) -> None:
    import sqlite3

    from corpus.stories import NUM_PERM, SIGNATURE_SCHEME

    folder, later = tmp_path / "c", tmp_path / "later"
    folder.mkdir()
    later.mkdir()
    (folder / "herald.txt").write_text(f" date 2024-05-06 Valley floods\n\n{WIRE}\n", encoding="utf-8")
    index = tmp_path / "i.sqlite3"
    build_index([folder], index)
    with sqlite3.connect(index) as conn:  # what an index of the earlier scheme holds: other signatures and bands
        conn.execute("UPDATE documents SET signature = ?", (bytes(8 * NUM_PERM),))
        conn.execute("UPDATE doc_bands SET key = key + 1")
        conn.execute("DELETE FROM meta WHERE key = 'signature'")
    (later / "daily.txt").write_text(f" date 2024-05-07 Valley floods\n\n{WIRE} Schools will stay closed on "
                                     "Tuesday.\n", encoding="utf-8")
    build_index([later], index)
    docs = {d["id"]: d for d in export(index)["documents"]}
    assert docs["daily"]["story_id"] == docs["herald"]["story_id"] == "herald"
    with sqlite3.connect(index) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'signature'").fetchone() == (SIGNATURE_SCHEME,)
        assert conn.execute("SELECT count(*) FROM doc_bands").fetchone() == (2 * 16,)


def test_replies_say_a_story_is_also_in_other_outlets_and_count_it_once(tmp_path: Path) -> None:
    from handlers.commands import dispatch
    from handlers.index import Index

    folder = tmp_path / "c"
    folder.mkdir()
    for name, extra in (("herald", ""), ("daily", " Schools will stay closed on Tuesday.")):
        (folder / f"{name}.txt").write_text(f" date 2024-05-06 Valley floods\n\n{WIRE}{extra}\n", encoding="utf-8")
    build_index([folder], tmp_path / "i.sqlite3")
    with Index.open(tmp_path / "i.sqlite3") as index:
        reply = dispatch(index, "!figures families")
        assert any("1,200 families" in line and "1 source" in line for line in reply.lines)
        assert {c.also_in for c in reply.citations} == {1}
