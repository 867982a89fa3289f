"""Scheduled digests: subscriptions, their APScheduler jobs, and posting one digest exactly once.

One cron job per subscription in an `AsyncIOScheduler` whose `SQLAlchemyJobStore` lives at
`BRIEFBOT_JOBSTORE_URL`; the subscriptions themselves (target, schedule, last post) live in a small
table of the same database. A run works out the *slot* it serves — the latest scheduled time not
after now, from the subscription's own cron trigger — and posts only if that slot was not served
yet. So a restart, a coalesced misfire, or a DST fall-back that repeats a wall-clock time never
posts twice; a run that comes late says so, and scheduled times missed beyond the grace time are
named in the next digest, which covers everything since the last post anyway.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from pydantic import BaseModel, field_validator

from handlers.models import Reply

log = logging.getLogger(__name__)

Schedule = Literal["daily", "weekdays", "weekly"]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Outcome = Literal["posted", "empty", "duplicate", "paused", "missing", "failed"]

JOB_TABLE = "briefbot_digest_jobs"
LATE_AFTER = timedelta(minutes=5)
LOOKBACK = timedelta(days=8)  # a weekly slot plus a DST hour, for finding the latest slot
MAX_COUNTED_MISSES = 366

_TIME = re.compile(r"^\s*([01]?\d|2[0-3])[:h.]([0-5]\d)(?::([0-5]\d))?\s*$")


def utc_now() -> datetime:
    return datetime.now(UTC)


def parse_time(text: str) -> tuple[int, int, int]:
    """`08:30`, `8h30`, `18:05:30` → (hour, minute, second); ValueError with a usable message otherwise."""
    match = _TIME.match(text)
    if not match:
        raise ValueError(f"`{text}` is not a time; use 24-hour HH:MM, for example 08:30")
    return int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)


def check_timezone(name: str) -> str:
    """An IANA time-zone name, or ValueError naming it."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"`{name}` is not a time zone; use an IANA name such as Europe/Paris") from None
    return name


class Subscription(BaseModel):
    """Where and when one digest is posted, and what was last posted."""

    id: str
    target: Literal["channel", "dm"]
    channel_id: int | None = None  # the guild channel (target "channel")
    guild_id: int | None = None
    user_id: int  # who subscribed; the recipient for target "dm"
    hour: int
    minute: int
    second: int = 0
    timezone: str
    schedule: Schedule = "daily"
    day: Weekday = "mon"
    created_at: datetime
    last_slot: datetime | None = None  # the latest scheduled time already served (claimed before sending)
    last_posted_at: datetime | None = None  # the content watermark: what was new up to then has been posted
    paused_reason: str | None = None

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        return check_timezone(value)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def job_id(self) -> str:
        return f"digest:{self.id}"

    def trigger(self) -> CronTrigger:
        days = {"daily": "*", "weekdays": "mon-fri", "weekly": self.day}[self.schedule]
        return CronTrigger(day_of_week=days, hour=self.hour, minute=self.minute, second=self.second,
                           timezone=self.zone)

    def when(self) -> str:
        """`weekdays at 08:30 (Europe/Paris)`."""
        clock = f"{self.hour:02d}:{self.minute:02d}" + (f":{self.second:02d}" if self.second else "")
        days = {"daily": "daily", "weekdays": "weekdays", "weekly": f"every {self.day}"}[self.schedule]
        return f"{days} at {clock} ({self.timezone})"

    def local(self, moment: datetime) -> str:
        return moment.astimezone(self.zone).strftime("%Y-%m-%d %H:%M %Z")


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment else None


def _parse(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def engine_for(url: str) -> sa.Engine:
    """An engine for a SQLAlchemy URL (a SQLite file's folder is created)."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    return sa.create_engine(url)


class SubscriptionStore:
    """Subscriptions in one SQL table (any SQLAlchemy URL; the job store's database by default)."""

    _metadata = sa.MetaData()
    table = sa.Table(
        "briefbot_digest_subscriptions", _metadata,
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("target", sa.String(8), nullable=False),
        sa.Column("channel_id", sa.BigInteger),
        sa.Column("guild_id", sa.BigInteger),
        sa.Column("user_id", sa.BigInteger, nullable=False),
        sa.Column("hour", sa.Integer, nullable=False),
        sa.Column("minute", sa.Integer, nullable=False),
        sa.Column("second", sa.Integer, nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("schedule", sa.String(16), nullable=False),
        sa.Column("day", sa.String(3), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("last_slot", sa.String(40)),
        sa.Column("last_posted_at", sa.String(40)),
        sa.Column("paused_reason", sa.String(300)),
    )
    _times = ("created_at", "last_slot", "last_posted_at")

    def __init__(self, url: str) -> None:
        self.engine = engine_for(url)
        self._metadata.create_all(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def _row(self, sub: Subscription) -> dict[str, object]:
        row = sub.model_dump()
        for key in self._times:
            row[key] = _iso(row[key])
        return row

    def _model(self, row: sa.Row) -> Subscription:
        data = dict(row._mapping)
        for key in self._times:
            data[key] = _parse(data[key])
        return Subscription.model_validate(data)

    def add(self, sub: Subscription) -> None:
        with self.engine.begin() as conn:
            conn.execute(self.table.insert().values(**self._row(sub)))

    def get(self, sub_id: str) -> Subscription | None:
        with self.engine.connect() as conn:
            row = conn.execute(self.table.select().where(self.table.c.id == sub_id)).first()
        return self._model(row) if row else None

    def all(self) -> list[Subscription]:
        with self.engine.connect() as conn:
            rows = conn.execute(self.table.select().order_by(self.table.c.created_at, self.table.c.id)).all()
        return [self._model(r) for r in rows]

    def visible_to(self, *, guild_id: int | None, user_id: int) -> list[Subscription]:
        """A guild's channel subscriptions (in a guild) plus the user's own DM subscriptions."""
        return [s for s in self.all()
                if (guild_id is not None and s.guild_id == guild_id)
                or (s.target == "dm" and s.user_id == user_id)]

    def update(self, sub_id: str, **values: object) -> None:
        values = {k: _iso(v) if k in self._times else v for k, v in values.items()}  # type: ignore[arg-type]
        with self.engine.begin() as conn:
            conn.execute(self.table.update().where(self.table.c.id == sub_id).values(**values))

    def remove(self, sub_id: str) -> bool:
        with self.engine.begin() as conn:
            return conn.execute(self.table.delete().where(self.table.c.id == sub_id)).rowcount > 0


def _fire_times(trigger: CronTrigger, after: datetime, until: datetime, limit: int) -> list[datetime]:
    """Up to `limit` fire times in (after, until], in UTC, strictly increasing, one per wall-clock time: when a
    DST fall-back repeats a local time (APScheduler fires at both), only the first one is a slot.

    Steps are taken in UTC: wall-clock arithmetic on a local time repeated by a DST fall-back would
    step back an hour, and given a `previous_fire_time` the cron trigger of APScheduler 3 can return
    the same instant again there.
    """
    tick = timedelta(microseconds=1)
    times: list[datetime] = []
    seen: set[datetime] = set()
    moment = trigger.get_next_fire_time(None, after.astimezone(UTC) + tick)
    while moment is not None and moment <= until and len(times) < limit:
        wall = moment.replace(tzinfo=None)
        if wall not in seen:
            seen.add(wall)
            times.append(moment.astimezone(UTC))  # UTC: an ambiguous local time never compares equal
        moment = trigger.get_next_fire_time(None, moment.astimezone(UTC) + tick)
    return times


def latest_slot(trigger: CronTrigger, now: datetime) -> datetime | None:
    """The latest fire time of `trigger` that is not after `now` (within the last eight days)."""
    times = _fire_times(trigger, now - LOOKBACK, now, limit=LOOKBACK.days * 24 * 60 * 60)
    return times[-1] if times else None


def slots_between(trigger: CronTrigger, after: datetime, before: datetime) -> int:
    """How many fire times fall strictly between `after` and `before` (counted up to a year's worth)."""
    # start a little early so that a DST repeat of the `after` slot itself is recognised as one
    times = _fire_times(trigger, after - timedelta(hours=3), before, MAX_COUNTED_MISSES + 8)
    return min(len([t for t in times if after < t < before]), MAX_COUNTED_MISSES)


def is_empty(reply: Reply) -> bool:
    """A digest with nothing new in it: it cites no document (every new document is cited). An error
    reply is not empty: it is posted, so a failure is never mistaken for a quiet day."""
    return reply.status == "ok" and not reply.citations


@dataclass
class DigestPost:
    """What one run sends: an optional notice line, then the digest (None when there is nothing new)."""

    note: str | None
    reply: Reply | None


class DeliveryFailed(Exception):
    """A post could not be delivered; `permanent` when the target is gone or forbids it (pause it)."""

    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


Compose = Callable[[datetime | None], Reply]
Deliver = Callable[[Subscription, DigestPost], Awaitable[None]]

_active: DigestService | None = None


async def fire_digest(subscription_id: str) -> None:
    """The job function APScheduler stores by reference: run one subscription in the running service."""
    service = _active
    if service is None:
        log.warning("digest %s fired with no running digest service; skipped", subscription_id)
        return
    await service.run(subscription_id)


class DigestService:
    """Subscriptions plus the scheduler that runs them; posts go out one at a time."""

    def __init__(self, store: SubscriptionStore, compose: Compose, *, misfire_grace: int, empty: str = "line",
                 clock: Callable[[], datetime] = utc_now) -> None:
        self.store = store
        self.compose = compose
        self.deliver: Deliver | None = None
        self.misfire_grace = misfire_grace
        self.empty = empty
        self.clock = clock
        self.scheduler: AsyncIOScheduler | None = None
        self._lock = asyncio.Lock()

    # --- lifecycle ---------------------------------------------------------------------------------

    def start(self, deliver: Deliver) -> None:
        """Start the scheduler in the running loop (posting through `deliver`) and make its jobs match
        the subscriptions."""
        global _active
        self.deliver = deliver
        self.scheduler = AsyncIOScheduler(
            jobstores={"default": SQLAlchemyJobStore(engine=self.store.engine, tablename=JOB_TABLE)},
            job_defaults={"coalesce": True, "misfire_grace_time": self.misfire_grace, "max_instances": 1},
            timezone=UTC,
        )
        _active = self
        self.scheduler.start(paused=True)
        subs = {s.job_id: s for s in self.store.all()}
        for job in self.scheduler.get_jobs():
            if job.id.startswith("digest:") and job.id not in subs:
                log.info("removing the job of deleted subscription %s", job.id)
                job.remove()
        for sub in subs.values():
            if sub.paused_reason is None and self.scheduler.get_job(sub.job_id) is None:
                self._schedule(sub)
        self.scheduler.resume()

    def shutdown(self) -> None:
        global _active
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        self.scheduler = None
        if _active is self:
            _active = None

    def _schedule(self, sub: Subscription) -> None:
        assert self.scheduler is not None, "start() the service first"
        self.scheduler.add_job(fire_digest, trigger=sub.trigger(), args=[sub.id], id=sub.job_id,
                               name=f"digest {sub.id} {sub.when()}", replace_existing=True)

    # --- subscriptions -----------------------------------------------------------------------------

    def subscribe(self, *, target: Literal["channel", "dm"], user_id: int, hour: int, minute: int,
                  second: int = 0, timezone: str, schedule: Schedule = "daily", day: Weekday = "mon",
                  channel_id: int | None = None, guild_id: int | None = None) -> Subscription:
        sub = Subscription(id=secrets.token_hex(4), target=target, channel_id=channel_id, guild_id=guild_id,
                           user_id=user_id, hour=hour, minute=minute, second=second, timezone=timezone,
                           schedule=schedule, day=day, created_at=self.clock())
        self.store.add(sub)
        self._schedule(sub)
        log.info("subscription %s: %s → %s %s", sub.id, sub.when(), sub.target, sub.channel_id or sub.user_id)
        return sub

    def unsubscribe(self, sub_id: str) -> bool:
        if self.scheduler is not None and self.scheduler.get_job(f"digest:{sub_id}") is not None:
            self.scheduler.remove_job(f"digest:{sub_id}")
        return self.store.remove(sub_id)

    def next_run(self, sub: Subscription) -> datetime | None:
        job = self.scheduler.get_job(sub.job_id) if self.scheduler else None
        return job.next_run_time if job else None

    # --- one run -----------------------------------------------------------------------------------

    async def run(self, sub_id: str) -> Outcome:
        """Post the digest of `sub_id` for the current slot, unless that slot was already served."""
        async with self._lock:  # one post at a time, in the order the jobs fired
            return await self._run(sub_id)

    async def _run(self, sub_id: str) -> Outcome:
        sub = self.store.get(sub_id)
        if sub is None:
            log.warning("digest job for unknown subscription %s; removing it", sub_id)
            if self.scheduler is not None and self.scheduler.get_job(f"digest:{sub_id}"):
                self.scheduler.remove_job(f"digest:{sub_id}")
            return "missing"
        if sub.paused_reason:
            return "paused"
        now = self.clock()
        slot = latest_slot(sub.trigger(), now) or now  # `or now`: fired by hand before its first slot
        if sub.last_slot is not None and slot <= sub.last_slot:
            log.info("digest %s already posted for %s; not posting again", sub.id, sub.local(slot))
            return "duplicate"
        missed = slots_between(sub.trigger(), sub.last_slot, slot) if sub.last_slot else 0
        self.store.update(sub.id, last_slot=slot)  # claimed first: a crash mid-send never re-posts

        reply = self.compose(sub.last_posted_at)
        empty = is_empty(reply)
        if empty and self.empty == "skip":
            log.info("digest %s: nothing new; skipped by setting", sub.id)
            return "empty"
        post = DigestPost(note=self._note(sub, slot, now, missed, empty), reply=None if empty else reply)
        assert self.deliver is not None, "start() the service first"
        try:
            await self.deliver(sub, post)
        except DeliveryFailed as exc:
            if exc.permanent:
                log.warning("digest %s paused: %s", sub.id, exc.reason)
                self.store.update(sub.id, paused_reason=exc.reason)
                if self.scheduler is not None and self.scheduler.get_job(sub.job_id):
                    self.scheduler.pause_job(sub.job_id)
            else:
                log.error("digest %s for %s not delivered: %s", sub.id, sub.local(slot), exc.reason)
            return "failed"
        self.store.update(sub.id, last_posted_at=now)
        return "empty" if empty else "posted"

    def _note(self, sub: Subscription, slot: datetime, now: datetime, missed: int, empty: bool) -> str | None:
        notes = []
        if now - slot > LATE_AFTER:
            late = int((now - slot).total_seconds() // 60)
            notes.append(f"⏰ This digest is late: it was due {sub.local(slot)} ({late} min ago).")
        if missed:
            since = sub.local(sub.last_posted_at) if sub.last_posted_at else "the start"
            notes.append(f"{missed} earlier scheduled digest(s) could not be posted while I was offline; "
                         f"this one covers everything since {since}.")
        if empty:
            since = sub.local(sub.last_posted_at) if sub.last_posted_at else "the subscription"
            notes.append(f"Nothing new since {since}.")
        return " ".join(notes) or None
