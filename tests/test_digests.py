"""Digest subscriptions and runs: slots, DST, lateness, never twice, pausing, persistence across restarts."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.digests import (
    DeliveryFailed,
    DigestPost,
    DigestService,
    Subscription,
    SubscriptionStore,
    is_empty,
    latest_slot,
    parse_time,
    slots_between,
)
from handlers.models import Citation, Reply

PARIS = "Europe/Paris"


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class Recorder:
    """A deliver callback that records posts and can fail for chosen subscriptions."""

    def __init__(self) -> None:
        self.posts: list[tuple[str, DigestPost]] = []
        self.fail: dict[str, DeliveryFailed] = {}

    async def __call__(self, sub: Subscription, post: DigestPost) -> None:
        if sub.id in self.fail:
            raise self.fail[sub.id]
        self.posts.append((sub.id, post))


def news(since: datetime | None) -> Reply:
    return Reply(command="digest", title=f"Digest since {since}", lines=["New documents (1)", "  a [1]"],
                 citations=[Citation(n=1, doc_id="a", title="A")])


def quiet(since: datetime | None) -> Reply:
    return Reply(command="digest", title="Nothing new", lines=["No documents were added."])


@pytest.fixture
def store(tmp_path: Path) -> SubscriptionStore:
    s = SubscriptionStore(f"sqlite:///{tmp_path}/sub/jobs.db")  # the folder is created
    yield s
    s.close()


@pytest.fixture
async def service(store: SubscriptionStore) -> AsyncIterator[tuple[DigestService, Clock, Recorder]]:
    clock = Clock(datetime(2024, 3, 4, 8, 0, 5, tzinfo=UTC))  # a Monday, just after 08:00 UTC
    recorder = Recorder()
    svc = DigestService(store, news, misfire_grace=3600, clock=clock)
    svc.start(recorder)
    try:
        yield svc, clock, recorder
    finally:
        svc.shutdown()


def subscribe(svc: DigestService, **kw: object) -> Subscription:
    values: dict[str, object] = {"target": "channel", "user_id": 1, "hour": 8, "minute": 0, "timezone": "UTC",
                                 "channel_id": 10, "guild_id": 20}
    values.update(kw)
    return svc.subscribe(**values)  # type: ignore[arg-type]


def test_parse_time() -> None:
    assert parse_time("08:30") == (8, 30, 0)
    assert parse_time(" 8h05 ") == (8, 5, 0)
    assert parse_time("23:59:58") == (23, 59, 58)
    for bad in ("24:00", "8", "08:60", "noon", ""):
        with pytest.raises(ValueError, match="HH:MM"):
            parse_time(bad)


def test_slots_daily_weekdays_weekly() -> None:
    now = datetime(2024, 3, 4, 7, 0, tzinfo=UTC)  # Monday 07:00
    sub = Subscription(id="x", target="dm", user_id=1, hour=8, minute=0, timezone="UTC", created_at=now)
    assert latest_slot(sub.trigger(), now) == datetime(2024, 3, 3, 8, 0, tzinfo=UTC)
    weekdays = sub.model_copy(update={"schedule": "weekdays"})
    assert latest_slot(weekdays.trigger(), now) == datetime(2024, 3, 1, 8, 0, tzinfo=UTC)  # Friday
    weekly = sub.model_copy(update={"schedule": "weekly", "day": "wed"})
    assert latest_slot(weekly.trigger(), now) == datetime(2024, 2, 28, 8, 0, tzinfo=UTC)
    assert slots_between(sub.trigger(), datetime(2024, 2, 28, 8, tzinfo=UTC), datetime(2024, 3, 3, 8, tzinfo=UTC)) == 3
    assert weekly.when() == "every wed at 08:00 (UTC)"


def test_a_dst_fall_back_repeats_no_slot() -> None:
    # 2024-10-27 in Paris: 03:00 CEST → 02:00 CET, so 02:30 happens twice (APScheduler fires at both)
    sub = Subscription(id="x", target="dm", user_id=1, hour=2, minute=30, timezone=PARIS,
                       created_at=datetime(2024, 10, 1, tzinfo=UTC))
    first = datetime(2024, 10, 27, 0, 30, tzinfo=UTC)
    assert latest_slot(sub.trigger(), datetime(2024, 10, 27, 1, 45, tzinfo=UTC)) == first
    assert slots_between(sub.trigger(), first, datetime(2024, 10, 28, 1, 30, tzinfo=UTC)) == 0


def test_a_dst_spring_forward_still_has_its_slot() -> None:
    # 2024-03-31 in Paris: 02:30 does not exist; the digest comes at the first valid instant, not never
    sub = Subscription(id="x", target="dm", user_id=1, hour=2, minute=30, timezone=PARIS,
                       created_at=datetime(2024, 3, 1, tzinfo=UTC))
    slot = latest_slot(sub.trigger(), datetime(2024, 3, 31, 12, tzinfo=UTC))
    assert slot is not None and slot.date() == datetime(2024, 3, 31).date()


def test_empty_means_nothing_cited() -> None:
    assert is_empty(quiet(None))
    assert not is_empty(news(None))
    assert not is_empty(Reply(status="error", command="digest", title="That did not work"))


async def test_posts_once_per_slot(service: tuple[DigestService, Clock, Recorder]) -> None:
    svc, clock, recorder = service
    sub = subscribe(svc)
    assert await svc.run(sub.id) == "posted"
    assert await svc.run(sub.id) == "duplicate"  # a second firing for the same slot
    clock.now += timedelta(hours=3)
    assert await svc.run(sub.id) == "duplicate"  # still the 08:00 slot
    [(sub_id, post)] = recorder.posts
    assert sub_id == sub.id and post.note is None and post.reply is not None
    stored = svc.store.get(sub.id)
    assert stored is not None and stored.last_slot == datetime(2024, 3, 4, 8, tzinfo=UTC)

    clock.now = datetime(2024, 3, 5, 8, 0, 1, tzinfo=UTC)
    assert await svc.run(sub.id) == "posted"
    assert recorder.posts[-1][1].reply.title == "Digest since 2024-03-04 08:00:05+00:00"  # type: ignore[union-attr]


async def test_a_late_digest_says_so_and_names_missed_ones(service: tuple[DigestService, Clock, Recorder]) -> None:
    svc, clock, recorder = service
    sub = subscribe(svc)
    await svc.run(sub.id)
    clock.now = datetime(2024, 3, 7, 9, 30, tzinfo=UTC)  # three days later, 90 minutes after the slot
    assert await svc.run(sub.id) == "posted"
    note = recorder.posts[-1][1].note or ""
    assert "late: it was due 2024-03-07 08:00 UTC (90 min ago)" in note
    assert "2 earlier scheduled digest(s)" in note and "since 2024-03-04 08:00 UTC" in note


async def test_nothing_new_is_one_line_or_nothing(store: SubscriptionStore) -> None:
    clock = Clock(datetime(2024, 3, 4, 8, 0, 5, tzinfo=UTC))
    for setting, outcome, posted in (("line", "empty", 1), ("skip", "empty", 0)):
        recorder = Recorder()
        svc = DigestService(store, quiet, misfire_grace=60, empty=setting, clock=clock)
        svc.start(recorder)
        try:
            sub = subscribe(svc)
            assert await svc.run(sub.id) == outcome
        finally:
            svc.shutdown()
        assert len(recorder.posts) == posted
        if posted:
            post = recorder.posts[0][1]
            assert post.reply is None and post.note == "Nothing new since the subscription."


async def test_a_lost_channel_pauses_only_its_subscription(service: tuple[DigestService, Clock, Recorder]) -> None:
    svc, _clock, recorder = service
    lost, kept, flaky = subscribe(svc, channel_id=11), subscribe(svc, channel_id=12), subscribe(svc, channel_id=13)
    recorder.fail[lost.id] = DeliveryFailed("403 50013: Missing Permissions", permanent=True)
    recorder.fail[flaky.id] = DeliveryFailed("503 0: unavailable", permanent=False)
    outcomes = [await svc.run(s.id) for s in (lost, kept, flaky)]
    assert outcomes == ["failed", "posted", "failed"]
    assert svc.store.get(lost.id).paused_reason == "403 50013: Missing Permissions"  # type: ignore[union-attr]
    assert svc.scheduler.get_job(lost.job_id).next_run_time is None  # type: ignore[union-attr]
    assert await svc.run(lost.id) == "paused"
    assert svc.store.get(flaky.id).paused_reason is None  # type: ignore[union-attr]
    assert svc.store.get(flaky.id).last_posted_at is None  # type: ignore[union-attr]  # its content comes next time
    assert [p[0] for p in recorder.posts] == [kept.id]


async def test_unsubscribe_and_visibility(service: tuple[DigestService, Clock, Recorder]) -> None:
    svc, _clock, _recorder = service
    mine = subscribe(svc, target="dm", channel_id=None, guild_id=None, user_id=5)
    guild = subscribe(svc, guild_id=20)
    subscribe(svc, guild_id=99)
    assert {s.id for s in svc.store.visible_to(guild_id=20, user_id=5)} == {mine.id, guild.id}
    assert {s.id for s in svc.store.visible_to(guild_id=None, user_id=5)} == {mine.id}
    assert svc.unsubscribe(guild.id)
    assert svc.scheduler.get_job(guild.job_id) is None  # type: ignore[union-attr]
    assert not svc.unsubscribe(guild.id)
    assert await svc.run(guild.id) == "missing"


async def test_jobs_and_subscriptions_survive_a_restart(store: SubscriptionStore) -> None:
    first = DigestService(store, news, misfire_grace=60)
    first.start(Recorder())
    sub = subscribe(first)
    gone = subscribe(first)
    next_run = first.next_run(sub)
    first.shutdown()
    store.remove(gone.id)  # deleted while down: its orphan job is dropped at start

    second = DigestService(store, news, misfire_grace=60)
    second.start(Recorder())
    try:
        assert second.next_run(sub) == next_run
        assert second.scheduler is not None and second.scheduler.get_job(gone.job_id) is None
        assert [s.id for s in second.store.all()] == [sub.id]
    finally:
        second.shutdown()


async def test_the_scheduler_fires_the_job(store: SubscriptionStore) -> None:
    recorder = Recorder()
    svc = DigestService(store, news, misfire_grace=60)
    svc.start(recorder)
    try:
        at = datetime.now(UTC) + timedelta(seconds=1)
        sub = subscribe(svc, hour=at.hour, minute=at.minute, second=at.second)
        for _ in range(400):
            if recorder.posts:
                break
            await asyncio.sleep(0.02)
        assert [p[0] for p in recorder.posts] == [sub.id]
        assert svc.next_run(sub) > datetime.now(UTC) + timedelta(hours=23)  # type: ignore[operator]
    finally:
        svc.shutdown()
