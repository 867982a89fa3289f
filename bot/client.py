"""The Discord client: an `AutoShardedBot` with its dependencies injected (settings, index, digests)."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import discord
from discord import app_commands
from discord.ext import commands

from bot import errors
from bot.alerts import AlertService, Watch, WatchStore
from bot.digests import DeliveryFailed, DigestPost, DigestService, Subscription
from bot.live import JOBSTORE as LIVE_JOBSTORE
from bot.live import LiveIngest
from bot.render import IMAGE_NAME, NO_MENTIONS, plain_chunks, render_reply
from bot.views import DEFAULT_TIMEOUT, Paginator, view_for
from briefbot.settings import Settings
from handlers.index import Index
from handlers.models import Citation, Reply

log = logging.getLogger(__name__)

DIGEST_VIEW_TIMEOUT = 3600.0  # a scheduled digest's page turner works for an hour
RECENT_MAX = 1000  # (channel, user) pairs whose last answer's sources `!doc <n>` can open


@contextmanager
def _delivery() -> Iterator[None]:
    """Discord errors of a scheduled post as DeliveryFailed: permanent when the target is gone or forbids it."""
    try:
        yield
    except (discord.Forbidden, discord.NotFound) as exc:
        raise DeliveryFailed(f"{exc.status} {exc.code}: {exc.text or 'no access'}", permanent=True) from exc
    except discord.HTTPException as exc:
        raise DeliveryFailed(f"{exc.status} {exc.code}: {exc.text}", permanent=False) from exc


def intents_for(settings: Settings) -> discord.Intents:
    """Guilds and messages; message content (privileged) only when prefix commands in guilds are wanted."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.dm_messages = True
    intents.message_content = settings.message_content
    return intents


class BriefBot(commands.AutoShardedBot):
    """briefbot on Discord. Slash commands are synced only by an owner's `!sync`, never at start."""

    def __init__(self, settings: Settings, index: Index, digests: DigestService, *,
                 view_timeout: float = DEFAULT_TIMEOUT, live: LiveIngest | None = None, **options: object) -> None:
        intents = intents_for(settings)
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False  # text only: no voice libraries
        super().__init__(
            command_prefix=commands.when_mentioned_or(settings.command_prefix),
            intents=intents,
            member_cache_flags=discord.MemberCacheFlags.from_intents(intents),
            chunk_guilds_at_startup=False,
            help_command=None,
            allowed_mentions=NO_MENTIONS,
            owner_ids=set(settings.owner_ids) or None,
            shard_count=settings.shard_count,
            allowed_contexts=app_commands.AppCommandContext(guild=True, dm_channel=True, private_channel=True),
            allowed_installs=app_commands.AppInstallationType(guild=True, user=True),
            **options,  # type: ignore[arg-type]
        )
        self.settings = settings
        self.index = index
        self.digests = digests
        self.view_timeout = view_timeout
        self.live = live
        self.watches = WatchStore(settings.jobstore_url)
        self.alerts = AlertService(self.watches, index)
        if live is not None:
            live.on_build = self.check_alerts
        self.recent: OrderedDict[tuple[int, int], list[Citation]] = OrderedDict()

    async def setup_hook(self) -> None:
        from bot.cogs.admin import Admin
        from bot.cogs.digests import Digests
        from bot.cogs.live import Live
        from bot.cogs.lookups import Lookups

        for cog in (Lookups(self), Digests(self), Admin(self), Live(self)):
            await self.add_cog(cog)
        self.tree.on_error = errors.on_app_command_error  # type: ignore[method-assign]
        self.digests.start(self.deliver_digest)
        if self.live is not None and self.digests.scheduler is not None:
            self.live.start(self.digests.scheduler)
            self.digests.scheduler.add_job(self.check_alerts, "interval", seconds=self.settings.alert_check_seconds,
                                           id="alerts", jobstore=LIVE_JOBSTORE, replace_existing=True,
                                           coalesce=True, max_instances=1)
        log.info("briefbot ready to connect: %d commands, index %s", len(self.commands), self.index.path)

    async def close(self) -> None:
        if self.live is not None:
            await self.live.stop()
        self.digests.shutdown()
        self.watches.close()
        await super().close()

    async def on_command_error(self, ctx: commands.Context, error: commands.CommandError) -> None:  # type: ignore[override]
        await errors.on_command_error(ctx, error)

    # --- answering ---------------------------------------------------------------------------------

    async def ask(self, handler: Callable[..., Reply], *args: object) -> Reply:
        """Run a (synchronous) handler off the event loop, over the latest build of the index."""
        return await asyncio.to_thread(self.index.run, handler, *args)

    async def respond(self, ctx: commands.Context, reply: Reply,
                      answer: Callable[[str], Reply] | None = None, *, ephemeral: bool = False) -> None:
        """Send a reply as embeds, with a page turner or a candidate picker when it needs one."""
        if reply.citations:
            self._remember(ctx, reply.citations)
        pages = render_reply(reply)
        view = view_for(reply, pages, ctx.author.id, answer, timeout=self.view_timeout)
        image = discord.File(reply.image, filename=IMAGE_NAME) if reply.image else discord.utils.MISSING
        message = await ctx.send(embed=pages[0], view=view or discord.utils.MISSING, file=image,
                                 ephemeral=ephemeral or reply.status == "error", allowed_mentions=NO_MENTIONS)
        if view is not None:
            view.message = message

    def _remember(self, ctx: commands.Context, citations: list[Citation]) -> None:
        key = (ctx.channel.id, ctx.author.id)
        self.recent[key] = citations
        self.recent.move_to_end(key)
        while len(self.recent) > RECENT_MAX:
            self.recent.popitem(last=False)

    def recent_citations(self, ctx: commands.Context) -> list[Citation]:
        """The sources of the last answer this user got in this channel (for `!doc <n>`)."""
        return self.recent.get((ctx.channel.id, ctx.author.id), [])

    # --- digests -----------------------------------------------------------------------------------

    async def _digest_target(self, sub: Subscription | Watch) -> discord.abc.Messageable:
        if sub.target == "dm":
            return await self.create_dm(discord.Object(sub.user_id))
        assert sub.channel_id is not None
        return self.get_partial_messageable(sub.channel_id, guild_id=sub.guild_id, type=discord.ChannelType.text)

    async def check_alerts(self) -> int:
        """Post the `/watch` alerts not posted yet (each once; see bot/alerts.py)."""
        if not self.is_ready():
            return 0
        return await self.alerts.check(self.deliver_alert)

    async def deliver_alert(self, watch: Watch, text: str) -> None:
        with _delivery():
            target = await self._digest_target(watch)
            for chunk in plain_chunks(text):
                await target.send(chunk, allowed_mentions=NO_MENTIONS)

    async def deliver_digest(self, sub: Subscription, post: DigestPost) -> None:
        """Post one digest as ONE message: the notice line as its text, the first page as its embed (the
        sections are fields), and further pages behind a page turner anyone in the channel may use."""
        with _delivery():
            target = await self._digest_target(sub)
            notes = plain_chunks(post.note) if post.note else []
            for text in notes[:-1] if post.reply else notes:
                await target.send(text, allowed_mentions=NO_MENTIONS)
            if post.reply is not None:
                pages = render_reply(post.reply)
                view = Paginator(pages, None, timeout=DIGEST_VIEW_TIMEOUT) if len(pages) > 1 else None
                message = await target.send(notes[-1] if notes else None, embed=pages[0],
                                            view=view or discord.utils.MISSING, allowed_mentions=NO_MENTIONS)
                if view is not None:
                    view.message = message
