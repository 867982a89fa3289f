"""`/watch` alerts: a post in a channel or a DM when a newly indexed article mentions or quotes a watched
entity — with the digests' guarantees. Each (watch, article) pair is claimed in the database before it is
posted, so nothing is posted twice across restarts; a failed post releases its claim (tried again at the
next check) or, when the target is gone or forbids it, pauses the watch with the reason shown in
`/watch list`; articles indexed while the bot was down are found at the next check, since a watch looks at
every document indexed after the last one the index held when it was made."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Literal

import sqlalchemy as sa
from pydantic import BaseModel

from bot.digests import DeliveryFailed, engine_for
from corpus.store import utc_now
from handlers.index import Index
from handlers.watch import NewArticle, entity_name, new_articles

log = logging.getLogger(__name__)


class Watch(BaseModel):
    id: str
    entity_id: str
    entity_name: str
    target: Literal["channel", "dm"]
    channel_id: int | None = None
    guild_id: int | None = None
    user_id: int
    created_at: str
    after_document: int = 0  # the index's last document when the watch was made: later ones are news
    paused_reason: str | None = None


class WatchStore:
    """Watches and the alerts already claimed, in the digests' database (any SQLAlchemy URL)."""

    _metadata = sa.MetaData()
    watches = sa.Table(
        "briefbot_watches", _metadata,
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("entity_id", sa.String(300), nullable=False),
        sa.Column("entity_name", sa.String(300), nullable=False),
        sa.Column("target", sa.String(8), nullable=False),
        sa.Column("channel_id", sa.BigInteger),
        sa.Column("guild_id", sa.BigInteger),
        sa.Column("user_id", sa.BigInteger, nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("after_document", sa.Integer, nullable=False),
        sa.Column("paused_reason", sa.String(300)),
    )
    alerts = sa.Table(
        "briefbot_alerts", _metadata,
        sa.Column("watch_id", sa.String(16), primary_key=True),
        sa.Column("doc_id", sa.String(300), primary_key=True),
        sa.Column("claimed_at", sa.String(40), nullable=False),
    )

    def __init__(self, url: str) -> None:
        self.engine = engine_for(url)
        self._metadata.create_all(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def add(self, watch: Watch) -> None:
        with self.engine.begin() as conn:
            conn.execute(self.watches.insert().values(**watch.model_dump()))

    def all(self) -> list[Watch]:
        with self.engine.connect() as conn:
            rows = conn.execute(self.watches.select().order_by(self.watches.c.created_at, self.watches.c.id)).all()
        return [Watch.model_validate(dict(r._mapping)) for r in rows]

    def visible_to(self, *, guild_id: int | None, user_id: int) -> list[Watch]:
        """A server's channel watches (in that server) and the user's own DM watches."""
        return [w for w in self.all() if (w.target == "channel" and guild_id is not None and w.guild_id == guild_id)
                or (w.target == "dm" and w.user_id == user_id)]

    def remove(self, watch_id: str) -> bool:
        with self.engine.begin() as conn:
            conn.execute(self.alerts.delete().where(self.alerts.c.watch_id == watch_id))
            return conn.execute(self.watches.delete().where(self.watches.c.id == watch_id)).rowcount == 1

    def pause(self, watch_id: str, reason: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(self.watches.update().where(self.watches.c.id == watch_id).values(paused_reason=reason[:300]))

    def claim(self, watch_id: str, doc_id: str) -> bool:
        """True when this alert was not claimed before (and is now)."""
        try:
            with self.engine.begin() as conn:
                conn.execute(self.alerts.insert().values(watch_id=watch_id, doc_id=doc_id,
                                                         claimed_at=datetime.now(UTC).isoformat()))
        except sa.exc.IntegrityError:
            return False
        return True

    def release(self, watch_id: str, doc_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(self.alerts.delete().where((self.alerts.c.watch_id == watch_id)
                                                    & (self.alerts.c.doc_id == doc_id)))

    def claimed(self, watch_id: str) -> set[str]:
        with self.engine.connect() as conn:
            return {d for (d,) in conn.execute(sa.select(self.alerts.c.doc_id)
                                               .where(self.alerts.c.watch_id == watch_id))}


def new_watch(entity_id: str, name: str, *, after_document: int, target: Literal["channel", "dm"], user_id: int,
              channel_id: int | None = None, guild_id: int | None = None) -> Watch:
    return Watch(id=secrets.token_hex(4), entity_id=entity_id, entity_name=name, target=target,
                 channel_id=channel_id, guild_id=guild_id, user_id=user_id, created_at=utc_now(),
                 after_document=after_document)


def alert_text(watch: Watch, name: str, article: NewArticle) -> str:
    """One alert line: who, the article (date, outlet, address) and their first quote in it."""
    when = f"{article.date}, " if article.date else ""
    where = f"{when}{article.outlet}" if article.outlet else (article.date or "undated")
    text = f"🔔 **{name}** in a new article: “{article.title[:200]}” ({where}) · `{article.doc_id}`"
    if article.url:
        text += f"\n<{article.url}>"
    if article.quote:
        text += f"\n> “{article.quote[:600]}”"
    return text


Send = Callable[[Watch, str], Awaitable[None]]


class AlertService:
    """Checks every active watch against what was indexed since it was made, posting each alert once."""

    def __init__(self, store: WatchStore, index: Index) -> None:
        self.store = store
        self.index = index

    async def check(self, send: Send) -> int:
        """Post the alerts not posted yet; returns how many were posted."""
        posted = 0
        for watch in self.store.all():
            if watch.paused_reason:
                continue
            with self.index.reading():
                name = entity_name(self.index, watch.entity_id) or watch.entity_name
                fresh = new_articles(self.index, watch.entity_id, watch.after_document)
            done = self.store.claimed(watch.id)
            for article in fresh:
                if article.doc_id in done or not self.store.claim(watch.id, article.doc_id):
                    continue
                try:
                    await send(watch, alert_text(watch, name, article))
                except DeliveryFailed as exc:
                    self.store.release(watch.id, article.doc_id)
                    if exc.permanent:
                        self.store.pause(watch.id, exc.reason)
                        log.warning("watch %s paused: %s", watch.id, exc.reason)
                    else:
                        log.warning("watch %s: alert for %s not posted (%s); will retry", watch.id,
                                    article.doc_id, exc.reason)
                    break
                posted += 1
        return posted
