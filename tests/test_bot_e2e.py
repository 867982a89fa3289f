"""End to end: the real discord.py client (the bot as `briefbot run` builds it) against a fake Discord.

The fake (tests/fakediscord) serves REST and the gateway on 127.0.0.1; each test starts a bot, drives
it with gateway events, and reads what the bot POSTs. The index is a small hand-made one: two people
called Sales (an ambiguous name), fifteen documents (replies that page), and quotes that contain
`@everyone`.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import discord
import pytest
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.app import build_bot, run_bot
from bot.client import BriefBot
from briefbot.settings import Settings
from corpus.models import DocumentRow, EntityOut, IndexData, MentionRow, QuoteRow, Role, SentenceRow
from corpus.store import create_index, write_index
from handlers.index import Index
from tests.fakediscord import FakeDiscord, FakeUser, Recorded, option, subcommand

pytest_plugins = ("tests.fakediscord.plugin",)

NO_PINGS = {"parse": []}
EPHEMERAL = 1 << 6


@pytest.fixture(scope="session")
def tiny_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    docs = [DocumentRow(id=f"doc{i:02d}", title=f"Coalition briefing number {i}", date=f"2019-11-{i + 1:02d}",
                        date_source="header", outlet="AP" if i % 2 else None, path=f"doc{i}.txt", sha256=str(i))
            for i in range(15)]
    sentences, mentions, quotes = [], [], []
    for i, d in enumerate(docs):
        sentences += [SentenceRow(doc_id=d.id, idx=0, para=0, text=f"Nathan Sales spoke about detained fighters {i}."),
                      SentenceRow(doc_id=d.id, idx=1, para=0, text=f"Maria Sales answered questions on camps {i}.")]
        mentions += [MentionRow(entity_id="person:nathan-sales", doc_id=d.id, sent_idx=0, surface="Nathan Sales"),
                     MentionRow(entity_id="person:maria-sales", doc_id=d.id, sent_idx=1, surface="Maria Sales")]
        quotes.append(QuoteRow(id=f"q{i}", text=f"@everyone must act on repatriation now, point {i}",
                               speaker_id="person:nathan-sales", doc_id=d.id, sent_idx=0))
    doc_ids = [d.id for d in docs]
    entities = [
        EntityOut(id="person:nathan-sales", name="Nathan Sales", kind="person", doc_ids=doc_ids, mention_count=15,
                  roles=[Role(text="counterterrorism coordinator", doc_ids=["doc00"])]),
        EntityOut(id="person:maria-sales", name="Maria Sales", kind="person", doc_ids=doc_ids, mention_count=15),
    ]
    path = tmp_path_factory.mktemp("e2e") / "tiny.sqlite3"
    conn = create_index(path)
    write_index(conn, IndexData(documents=docs, entities=entities, quotes=quotes, sentences=sentences,
                                mentions=mentions), [])
    conn.close()
    return path


class Harness:
    """Starts and stops bots against one fake Discord; a test may restart the bot on the same job store."""

    def __init__(self, fake: FakeDiscord, index_path: Path, tmp_path: Path) -> None:
        self.fake = fake
        self.index = Index.open(index_path)
        self.settings = Settings(DISCORD_TOKEN="fake-token", BRIEFBOT_JOBSTORE_URL=f"sqlite:///{tmp_path}/jobs.db",
                                 BRIEFBOT_OWNER_IDS=str(fake.owner.id), BRIEFBOT_DIGEST_MISFIRE_GRACE=60)
        self.bot: BriefBot | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self, **options: Any) -> BriefBot:
        options.setdefault("guild_ready_timeout", 0.1)
        bot = build_bot(self.settings, self.index, **options)
        self._task = asyncio.create_task(bot.start("fake-token"))
        await asyncio.wait_for(bot.wait_until_ready(), 5)
        self.bot = bot
        return bot

    async def stop(self) -> None:
        if self.bot is not None:
            await self.bot.close()
            self.bot.digests.store.close()
            assert self._task is not None
            await asyncio.wait_for(self._task, 5)
            self.bot = None

    async def close(self) -> None:
        await self.stop()
        self.index.close()


@pytest.fixture
async def harness(fake_discord: FakeDiscord, tiny_index: Path, tmp_path: Path) -> AsyncIterator[Harness]:
    h = Harness(fake_discord, tiny_index, tmp_path)
    try:
        yield h
    finally:
        await h.close()


@pytest.fixture
async def bot(harness: Harness) -> BriefBot:
    return await harness.start()


def embeds_of(req: Recorded) -> list[dict[str, Any]]:
    body = req.json or {}
    return (body.get("data") or body).get("embeds") or []


def sent_text(req: Recorded) -> str:
    body = req.json or {}
    data = body.get("data") or body
    parts = [data.get("content") or ""]
    for e in data.get("embeds") or []:
        parts += [e.get("title") or "", e.get("description") or ""]
        parts += [f"{f['name']}\n{f['value']}" for f in e.get("fields", [])]
    return "\n".join(parts)


def components_of(req: Recorded) -> list[dict[str, Any]]:
    body = req.json or {}
    data = body.get("data") or body
    return [c for row in data.get("components") or [] for c in row["components"]]


async def ask(fake: FakeDiscord, user: FakeUser, text: str, *, dm: bool = False) -> Recorded:
    """`user` types `text`; the bot's answer (the next message it posts there)."""
    mark = fake.mark()
    await fake.say(user, text, dm=dm)
    channel = fake.dm_channel_of(user) if dm else fake.channel_id
    return await fake.wait_for_post(channel, after=mark)


async def respond(fake: FakeDiscord, start: Callable[[], Awaitable[dict[str, Any]]]) -> tuple[dict, Recorded]:
    mark = fake.mark()
    interaction = await start()
    return interaction, await fake.wait_for_callback(interaction, after=mark)


# --- lookups ------------------------------------------------------------------------------------------


async def test_prefix_command_in_a_guild(fake_discord: FakeDiscord, bot: BriefBot) -> None:
    fake = fake_discord
    answer = await ask(fake, fake.member, "!who Nathan Sales")
    [embed] = embeds_of(answer)
    assert embed["title"].startswith("Nathan Sales — counterterrorism coordinator")
    assert "Sources" in [f["name"] for f in embed["fields"]]
    assert answer.json["allowed_mentions"] == NO_PINGS
    assert not fake.matching(lambda r: r.method == "PUT")  # slash commands are never synced at start


async def test_dm_lookups_prefix_and_slash(fake_discord: FakeDiscord, bot: BriefBot) -> None:
    fake = fake_discord
    answer = await ask(fake, fake.stranger, "!who Maria Sales", dm=True)
    assert embeds_of(answer)[0]["title"] == "Maria Sales"
    _, callback = await respond(fake, lambda: fake.slash(fake.stranger, "who", [option("name", "Nathan Sales")],
                                                         dm=True))
    assert callback.json["type"] == 4
    assert embeds_of(callback)[0]["title"].startswith("Nathan Sales")


async def test_slash_command_with_autocomplete(fake_discord: FakeDiscord, bot: BriefBot) -> None:
    fake = fake_discord
    _, callback = await respond(fake, lambda: fake.slash(
        fake.member, "who", [option("name", "nath", focused=True)], autocomplete=True))
    assert callback.json["type"] == 8
    choices = callback.json["data"]["choices"]
    assert {"name": "Nathan Sales (person)", "value": "person:nathan-sales"} in choices
    _, callback = await respond(fake, lambda: fake.slash(fake.member, "who", [option("name", "person:nathan-sales")]))
    assert callback.json["type"] == 4
    assert embeds_of(callback)[0]["title"].startswith("Nathan Sales")
    assert callback.json["data"]["allowed_mentions"] == NO_PINGS


async def test_ambiguous_name_select_then_pick(fake_discord: FakeDiscord, bot: BriefBot) -> None:
    fake = fake_discord
    answer = await ask(fake, fake.member, "!who sales")
    [select] = components_of(answer)
    assert select["type"] == 3
    assert {o["value"] for o in select["options"]} == {"person:nathan-sales", "person:maria-sales"}
    message = fake.messages[max(fake.messages)]

    _, refused = await respond(fake, lambda: fake.click(fake.stranger, message, values=["person:maria-sales"]))
    assert refused.json["type"] == 4 and refused.json["data"]["flags"] & EPHEMERAL
    assert "Only the person who asked" in refused.json["data"]["content"]

    _, picked = await respond(fake, lambda: fake.click(fake.member, message, values=["person:maria-sales"]))
    assert picked.json["type"] == 7  # the message is replaced by the answer
    assert embeds_of(picked)[0]["title"] == "Maria Sales"


async def test_paginator_author_turns_pages_and_others_are_refused(fake_discord: FakeDiscord,
                                                                     bot: BriefBot) -> None:
    fake = fake_discord
    answer = await ask(fake, fake.member, "!sources")
    assert embeds_of(answer)[0]["footer"]["text"] == "Page 1/2"
    labels = [c.get("label") for c in components_of(answer)]
    assert labels == ["◀", "1/2", "▶"]
    message = fake.messages[max(fake.messages)]

    _, refused = await respond(fake, lambda: fake.click(fake.stranger, message, label="▶"))
    assert refused.json["type"] == 4 and refused.json["data"]["flags"] & EPHEMERAL

    _, turned = await respond(fake, lambda: fake.click(fake.member, message, label="▶"))
    assert turned.json["type"] == 7
    assert embeds_of(turned)[0]["footer"]["text"] == "Page 2/2"
    assert [c.get("label") for c in components_of(turned)] == ["◀", "2/2", "▶"]
    assert [c.get("disabled", False) for c in components_of(turned)] == [False, True, True]


async def test_paginator_disables_itself_on_timeout(fake_discord: FakeDiscord, harness: Harness) -> None:
    fake = fake_discord
    await harness.start(view_timeout=0.5)
    answer = await ask(fake, fake.member, "!sources")
    mark = fake.mark()
    edit = await fake.wait_for(lambda r: r.method == "PATCH", after=mark, timeout=5)
    assert edit.path.endswith(f"/messages/{max(fake.messages)}")
    assert len(components_of(answer)) == 3
    assert all(c["disabled"] for c in components_of(edit))


async def test_everyone_in_a_quote_does_not_ping(fake_discord: FakeDiscord, bot: BriefBot) -> None:
    fake = fake_discord
    answer = await ask(fake, fake.member, "!quotes Nathan Sales repatriation")
    text = sent_text(answer)
    assert "must act on repatriation" in text
    assert "@everyone" not in text and "@\u200beveryone" in text
    assert answer.json["allowed_mentions"] == NO_PINGS


async def test_who_sales_on_the_seed_index(fake_discord: FakeDiscord, seed_index: Path, tmp_path: Path) -> None:
    fake = fake_discord
    harness = Harness(fake, seed_index, tmp_path)
    try:
        await harness.start()
        answer = await ask(fake, fake.member, "!who Sales")
        [embed] = embeds_of(answer)
        assert embed["title"].startswith("Nathan Sales")
        assert "counterterrorism" in sent_text(answer).lower()
        _, callback = await respond(fake, lambda: fake.slash(fake.member, "figures", [option("topic", "fighters")]))
        assert "10,000" in sent_text(callback)
    finally:
        await harness.close()


async def test_role_lookup_lists_the_holder(fake_discord: FakeDiscord, bot: BriefBot) -> None:
    answer = await ask(fake_discord, fake_discord.member, "!who counterterrorism coordinator")
    [embed] = embeds_of(answer)
    assert embed["title"] == "Who was “counterterrorism coordinator” — 1 name"
    assert embed["description"].startswith("Nathan Sales — counterterrorism coordinator (2019-11-01) [1]")


async def test_search_is_paged_with_a_count(fake_discord: FakeDiscord, bot: BriefBot) -> None:
    answer = await ask(fake_discord, fake_discord.member, '!search "detained fighters" -camps')
    [embed] = embeds_of(answer)
    assert embed["title"].endswith("— 15 sentences")
    assert embed["footer"]["text"] == "Page 1/2"
    assert [c.get("label") for c in components_of(answer)] == ["◀", "1/2", "▶"]
    assert "**" in embed["description"]  # Discord shows the highlight in bold
    assert len(embed["description"]) <= 4096


async def test_doc_opens_a_source_of_the_last_answer(fake_discord: FakeDiscord, bot: BriefBot) -> None:
    await ask(fake_discord, fake_discord.member, "!who Nathan Sales")
    answer = await ask(fake_discord, fake_discord.member, "!doc 1")
    [embed] = embeds_of(answer)
    assert embed["title"].startswith("Document doc14 — Coalition briefing number 14")
    assert "Sources" not in [f["name"] for f in embed.get("fields", [])]
    other = await ask(fake_discord, fake_discord.owner, "!doc 1")  # someone else has no last answer here
    assert "no earlier answer here" in sent_text(other)


async def test_trend_attaches_its_chart(fake_discord: FakeDiscord, bot: BriefBot) -> None:
    answer = await ask(fake_discord, fake_discord.member, "!trend Nathan Sales")
    [embed] = embeds_of(answer)
    assert embed["title"] == "Trend — Nathan Sales"
    assert embed["image"]["url"] == "attachment://chart.png"
    assert [a["filename"] for a in answer.json["attachments"]] == ["chart.png"]


async def test_digest_now_prefix_and_slash(fake_discord: FakeDiscord, bot: BriefBot) -> None:
    fake = fake_discord
    answer = await ask(fake, fake.member, "!digest 7d")
    assert embeds_of(answer)[0]["title"].startswith("Digest — 15 new documents")
    assert [f["name"] for f in embeds_of(answer)[0]["fields"]][:2] == ["New documents (15)", "People in the news"]
    _, callback = await respond(fake, lambda: fake.slash(fake.member, "digest", [
        subcommand("now", [option("since", "banana")])]))
    assert callback.json["data"]["flags"] & EPHEMERAL
    assert "can't read" in callback.json["data"]["content"]


# --- errors -------------------------------------------------------------------------------------------


async def test_slash_error_is_ephemeral_and_friendly(fake_discord: FakeDiscord, bot: BriefBot) -> None:
    fake = fake_discord
    _, callback = await respond(fake, lambda: fake.slash(fake.owner, "digest", [
        subcommand("subscribe", [option("time", "banana")])]))
    assert callback.json["data"]["flags"] & EPHEMERAL
    assert "is not a time" in callback.json["data"]["content"]


async def test_channel_digest_needs_manage_server(fake_discord: FakeDiscord, bot: BriefBot) -> None:
    fake = fake_discord
    answer = await ask(fake, fake.member, "!digest subscribe 08:00")
    assert answer.json["content"] == "You need the Manage Server permission to do that."
    assert bot.digests.store.all() == []


async def test_cooldown_on_expensive_commands(fake_discord: FakeDiscord, bot: BriefBot) -> None:
    fake = fake_discord
    for _ in range(4):
        assert embeds_of(await ask(fake, fake.member, "!search fighters"))
    slow = await ask(fake, fake.member, "!search fighters")
    assert slow.json["content"].startswith("Slow down")


async def test_unexpected_failure_is_logged_and_reported(fake_discord: FakeDiscord, bot: BriefBot,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    def broken(*_: object) -> None:
        raise RuntimeError("index exploded")

    monkeypatch.setattr("bot.cogs.lookups.sources", broken)
    with caplog.at_level(logging.ERROR, logger="bot.errors"):
        answer = await ask(fake_discord, fake_discord.member, "!sources")
    assert answer.json["content"].startswith("Sorry, that failed on my side")
    [record] = [r for r in caplog.records if r.name == "bot.errors"]
    assert "'sources'" in record.getMessage() and str(fake_discord.member.id) in record.getMessage()
    assert record.exc_info is not None and "index exploded" in str(record.exc_info[1])


async def test_owner_only_sync(fake_discord: FakeDiscord, bot: BriefBot) -> None:
    fake = fake_discord
    refused = await ask(fake, fake.member, "!sync")
    assert refused.json["content"] == "Only the bot's owner can do that."
    mark = fake.mark()
    done = await ask(fake, fake.owner, "!sync")
    [put] = fake.matching(lambda r: r.method == "PUT", after=mark)
    assert put.path == f"/applications/{fake.application_id}/guilds/{fake.guild_id}/commands"
    by_name = {c["name"]: c for c in put.json}
    assert {"who", "quotes", "figures", "search", "sources", "timeline", "digest", "help"} <= by_name.keys()
    assert "sync" not in by_name
    assert by_name["who"]["contexts"] == [0, 1, 2] and by_name["who"]["integration_types"] == [0, 1]
    assert by_name["who"]["options"][0]["autocomplete"] is True
    assert {o["name"] for o in by_name["digest"]["options"]} == {"now", "subscribe", "list", "unsubscribe"}
    assert done.json["content"].startswith(f"Synced {len(put.json)} slash commands")


# --- resilience ---------------------------------------------------------------------------------------


async def test_rate_limited_then_success(fake_discord: FakeDiscord, bot: BriefBot) -> None:
    fake = fake_discord
    fake.rate_limit_next("POST", rf"/channels/{fake.channel_id}/messages", retry_after=0.3)
    mark = fake.mark()
    await fake.say(fake.member, "!who Nathan Sales")
    posts = [await fake.wait_for_post(fake.channel_id, after=mark)]
    posts.append(await fake.wait_for_post(fake.channel_id, after=fake.requests.index(posts[0]) + 1))
    assert posts[1].at - posts[0].at >= 0.25  # waited Retry-After, then sent again
    assert embeds_of(posts[1])[0]["title"].startswith("Nathan Sales")


async def test_server_error_then_success(fake_discord: FakeDiscord, bot: BriefBot) -> None:
    fake = fake_discord
    fake.fail_next("POST", rf"/channels/{fake.channel_id}/messages", 500)
    mark = fake.mark()
    await fake.say(fake.member, "!who Maria Sales")
    first = await fake.wait_for_post(fake.channel_id, after=mark)
    retry = await fake.wait_for_post(fake.channel_id, after=fake.requests.index(first) + 1, timeout=5)
    assert embeds_of(retry)[0]["title"] == "Maria Sales"


async def test_gateway_close_then_resume(fake_discord: FakeDiscord, bot: BriefBot) -> None:
    fake = fake_discord
    await fake.drop_gateway(4000)
    await until(lambda: fake.resumes > 0, timeout=10)
    assert (fake.identifies, fake.resumes) == (1, 1)  # the same session, resumed
    answer = await ask(fake, fake.member, "!who Nathan Sales", dm=False)
    assert embeds_of(answer)[0]["title"].startswith("Nathan Sales")


# --- digests ------------------------------------------------------------------------------------------


async def until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


def soon(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).strftime("%H:%M:%S")


async def test_digest_fires_into_a_channel_and_a_dm(fake_discord: FakeDiscord, bot: BriefBot) -> None:
    fake = fake_discord
    at = soon(2.5)
    _, callback = await respond(fake, lambda: fake.slash(fake.owner, "digest", [subcommand("subscribe", [
        option("time", at), option("channel", str(fake.other_channel_id), 7)])]))
    assert callback.json["data"]["flags"] & EPHEMERAL
    assert "Digest scheduled" in sent_text(callback)
    reply = await ask(fake, fake.member, f"!digest subscribe {at}", dm=True)
    assert "your DMs" in sent_text(reply)

    mark = fake.mark()
    in_channel = await fake.wait_for_post(fake.other_channel_id, after=mark, timeout=8)
    in_dm = await fake.wait_for_post(fake.dm_channel_of(fake.member), after=mark, timeout=8)
    for post in (in_channel, in_dm):
        assert embeds_of(post)[0]["title"].startswith("Digest — 15 new documents")
        assert post.json["allowed_mentions"] == NO_PINGS
    assert fake.matching(lambda r: r.path == "/users/@me/channels", after=mark)
    await until(lambda: all(s.last_posted_at is not None for s in bot.digests.store.all()))
    assert len(bot.digests.store.all()) == 2


async def test_missing_permission_on_a_digest_post_is_survived(fake_discord: FakeDiscord, bot: BriefBot) -> None:
    fake = fake_discord
    now = datetime.now(UTC) + timedelta(seconds=2)
    common = {"user_id": fake.owner.id, "hour": now.hour, "minute": now.minute, "second": now.second,
              "timezone": "UTC", "guild_id": fake.guild_id, "target": "channel"}
    lost = bot.digests.subscribe(channel_id=fake.channel_id, **common)
    kept = bot.digests.subscribe(channel_id=fake.other_channel_id, **common)
    fake.forbid_next("POST", rf"/channels/{fake.channel_id}/messages")

    mark = fake.mark()
    posted = await fake.wait_for_post(fake.other_channel_id, after=mark, timeout=8)
    assert embeds_of(posted)[0]["title"].startswith("Digest")
    paused = bot.digests.store.get(lost.id)
    assert paused is not None and "50013" in (paused.paused_reason or "")
    assert bot.digests.scheduler is not None and bot.digests.scheduler.get_job(lost.job_id).next_run_time is None
    assert bot.digests.store.get(kept.id).paused_reason is None  # type: ignore[union-attr]
    listing = await ask(fake, fake.owner, "!digest list")
    assert "paused" in sent_text(listing)


async def test_restart_posts_a_missed_digest_exactly_once(fake_discord: FakeDiscord, harness: Harness) -> None:
    fake = fake_discord
    first = await harness.start()
    at = datetime.now(UTC) + timedelta(seconds=2)
    reply = await ask(fake, fake.owner, f"!digest subscribe {at:%H:%M:%S}")
    assert "Digest scheduled" in sent_text(reply)
    [sub] = first.digests.store.all()
    await harness.stop()  # down before the digest is due

    await asyncio.sleep(max(0.0, (at - datetime.now(UTC)).total_seconds()) + 0.5)
    mark = fake.mark()
    second = await harness.start()  # due while it was down: posted once, on start
    await fake.wait_for_post(fake.channel_id, after=mark, timeout=5)
    await asyncio.sleep(1.0)
    posts = fake.matching(lambda r: r.method == "POST" and r.channel_id == fake.channel_id, after=mark)
    assert len(posts) == 1  # one digest, one message: its sections are fields
    [embed] = embeds_of(posts[0])
    assert embed["title"].startswith("Digest — 15 new documents")
    assert {"New documents (15)", "New quotes"} <= {f["name"] for f in embed["fields"]}
    job = second.digests.scheduler.get_job(sub.job_id)  # type: ignore[union-attr]
    assert job is not None and job.next_run_time > datetime.now(UTC) + timedelta(hours=23)
    await harness.stop()

    mark = fake.mark()
    await harness.start()  # a further restart posts nothing: that slot was served
    await asyncio.sleep(1.0)
    assert not fake.matching(lambda r: r.method == "POST" and r.channel_id == fake.channel_id, after=mark)
    assert [s.id for s in harness.bot.digests.store.all()] == [sub.id]  # type: ignore[union-attr]


async def test_dm_digest_unsubscribe_is_the_subscriber_s_own(fake_discord: FakeDiscord, bot: BriefBot) -> None:
    fake = fake_discord
    await ask(fake, fake.member, "!digest subscribe 07:15 weekly fri Europe/Paris", dm=True)
    [sub] = bot.digests.store.all()
    assert (sub.target, sub.schedule, sub.day, sub.timezone, sub.hour, sub.minute) == (
        "dm", "weekly", "fri", "Europe/Paris", 7, 15)
    _, choices = await respond(fake, lambda: fake.slash(fake.member, "digest", [subcommand(
        "unsubscribe", [option("subscription", "", focused=True)])], dm=True, autocomplete=True))
    assert [c["value"] for c in choices.json["data"]["choices"]] == [sub.id]
    refused = await ask(fake, fake.stranger, f"!digest unsubscribe {sub.id}", dm=True)
    assert "No digest" in refused.json["content"]
    _, done = await respond(fake, lambda: fake.slash(fake.member, "digest", [subcommand(
        "unsubscribe", [option("subscription", sub.id)])], dm=True))
    assert "Digest stopped" in sent_text(done)
    assert bot.digests.store.all() == []
    assert bot.digests.scheduler.get_job(sub.job_id) is None  # type: ignore[union-attr]


# --- `briefbot run` (run_bot) against the fake, on its own event loop as in production ------------------


@pytest.fixture
def fake_in_thread(monkeypatch: pytest.MonkeyPatch) -> Any:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    fake = FakeDiscord()
    asyncio.run_coroutine_threadsafe(fake.start(), loop).result(5)
    monkeypatch.setattr(Route, "BASE", fake.api_base)
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.gateway_url))
    monkeypatch.setattr(discord.utils, "setup_logging", lambda **_: None)  # keep pytest's log capture
    yield fake
    asyncio.run_coroutine_threadsafe(fake.stop(), loop).result(5)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)


def run_settings(index: Path, tmp_path: Path, token: str | None) -> Settings:
    return Settings(DISCORD_TOKEN=token, BRIEFBOT_INDEX=str(index), BRIEFBOT_JOBSTORE_URL=f"sqlite:///{tmp_path}/j.db")


def test_run_bot_without_a_token(tiny_index: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR):
        assert run_bot(run_settings(tiny_index, tmp_path, None)) == 2
    assert "DISCORD_TOKEN is not set" in caplog.text


def test_run_bot_with_a_rejected_token(fake_in_thread: FakeDiscord, tiny_index: Path, tmp_path: Path,
                                       caplog: pytest.LogCaptureFixture) -> None:
    token = "rejected-token-value"
    fake_in_thread.fail_next("GET", "/users/@me", 401, {"message": "401: Unauthorized", "code": 0})
    with caplog.at_level(logging.DEBUG):
        assert run_bot(run_settings(tiny_index, tmp_path, token)) == 2
    assert "Discord rejected DISCORD_TOKEN" in caplog.text
    assert token not in caplog.text


def test_run_bot_when_discord_is_unreachable(monkeypatch: pytest.MonkeyPatch, tiny_index: Path, tmp_path: Path,
                                            caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(Route, "BASE", "http://127.0.0.1:9/api/v10")  # nothing listens there
    monkeypatch.setattr(discord.utils, "setup_logging", lambda **_: None)
    with caplog.at_level(logging.ERROR):
        assert run_bot(run_settings(tiny_index, tmp_path, "token")) == 3
    [record] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert record.getMessage().startswith("Could not reach Discord") and record.exc_info is None


def test_run_bot_explains_the_message_content_intent(fake_in_thread: FakeDiscord, tiny_index: Path,
                                                     tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    fake_in_thread.close_on_identify = 4014
    with caplog.at_level(logging.ERROR):
        assert run_bot(run_settings(tiny_index, tmp_path, "token")) == 2
    assert "Message Content Intent" in caplog.text and "BRIEFBOT_MESSAGE_CONTENT=false" in caplog.text
