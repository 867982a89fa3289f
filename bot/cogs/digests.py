"""Digests: `/digest now`, and scheduled digests — subscribe, list, unsubscribe."""

from __future__ import annotations

import zoneinfo
from typing import TYPE_CHECKING, Literal

import discord
from discord import Interaction, app_commands
from discord.ext import commands

from bot.cogs.lookups import EXPENSIVE
from bot.digests import DigestService, Schedule, Subscription, Weekday, check_timezone, parse_time
from handlers.commands import digest, parse_since
from handlers.models import Reply

if TYPE_CHECKING:
    from bot.client import BriefBot

_ZONES = sorted(zoneinfo.available_timezones())


def _require_manage_server(ctx: commands.Context) -> None:
    """Channel digests are a server setting: they need Manage Server (a user's own DMs need nothing)."""
    member = ctx.author
    if not isinstance(member, discord.Member) or not member.guild_permissions.manage_guild:
        raise commands.MissingPermissions(["manage_guild"])


class ZoneName(commands.Converter[str]):
    """An IANA time-zone name (so `!digest subscribe 08:00 daily #news` skips the optional zone)."""

    async def convert(self, ctx: commands.Context, argument: str) -> str:
        try:
            return check_timezone(argument.strip())
        except ValueError as exc:
            raise commands.BadArgument(str(exc)) from None


async def zone_names(_interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
    needle = current.strip().casefold().replace(" ", "_")
    starts = [z for z in _ZONES if z.casefold().startswith(needle)]
    contains = [z for z in _ZONES if needle in z.casefold() and z not in starts]
    return [app_commands.Choice(name=z, value=z) for z in (starts + contains)[:25]]


class Digests(commands.Cog):
    """The briefing on demand and on a schedule."""

    def __init__(self, bot: BriefBot) -> None:
        self.bot = bot

    @property
    def service(self) -> DigestService:
        return self.bot.digests

    def _where(self, sub: Subscription) -> str:
        return f"<#{sub.channel_id}>" if sub.target == "channel" else "your DMs"

    def _describe(self, sub: Subscription) -> str:
        line = f"`{sub.id}` · {self._where(sub)} · {sub.when()}"
        if sub.paused_reason:
            return line + f" · ⏸ paused ({sub.paused_reason}); unsubscribe and subscribe again once fixed"
        upcoming = self.service.next_run(sub)
        return line + (f" · next {discord.utils.format_dt(upcoming, 'R')}" if upcoming else "")

    @commands.hybrid_group(name="digest", invoke_without_command=True,
                           description="The briefing: what is new, now or on a schedule")
    async def digest_group(self, ctx: commands.Context, *, since: str | None = None) -> None:
        """`!digest [since]` is `!digest now [since]`."""
        await ctx.invoke(self.digest_now, since=since)  # type: ignore[arg-type]

    @digest_group.command(name="now", description="The briefing: new documents, people, figures and quotes")
    @app_commands.describe(since="What is new since: 24h, 7d, yesterday or a date such as 2019-11-15 (default: a week)")
    @EXPENSIVE
    async def digest_now(self, ctx: commands.Context, *, since: str | None = None) -> None:
        try:
            moment = parse_since(since) if since else None
        except ValueError as exc:
            raise commands.BadArgument(str(exc)) from None
        await self.bot.respond(ctx, await self.bot.ask(digest, moment))

    @digest_group.command(name="subscribe", description="Post the digest on a schedule, here or in your DMs")
    @app_commands.describe(
        time="Time of day, 24-hour HH:MM, e.g. 08:30",
        schedule="daily (default), weekdays (Mon–Fri) or weekly",
        day="For weekly: the day (default Monday)",
        timezone="IANA time zone, e.g. Europe/Paris (default: the bot's)",
        channel="Channel to post in (default: this one); needs Manage Server",
        dm="Send it to your direct messages instead",
    )
    @app_commands.autocomplete(timezone=zone_names)
    async def subscribe(self, ctx: commands.Context, time: str, schedule: Schedule | None = None,
                        day: Weekday | None = None, timezone: ZoneName | None = None,
                        channel: discord.TextChannel | None = None, dm: bool = False) -> None:
        try:
            hour, minute, second = parse_time(time)
        except ValueError as exc:
            raise commands.BadArgument(str(exc)) from None
        zone = str(timezone) if timezone else self.bot.settings.timezone
        target: Literal["channel", "dm"] = "dm" if dm or ctx.guild is None else "channel"
        channel_id = None
        if target == "channel":
            _require_manage_server(ctx)
            channel_id = (channel or ctx.channel).id
        sub = self.service.subscribe(
            target=target, user_id=ctx.author.id, hour=hour, minute=minute, second=second, timezone=zone,
            schedule=schedule or "daily", day=day or "mon", channel_id=channel_id,
            guild_id=ctx.guild.id if ctx.guild and target == "channel" else None,
        )
        reply = Reply(command="digest", title="Digest scheduled", lines=[
            self._describe(sub),
            "Each digest covers what is new since the previous one. "
            f"Stop it with `/digest unsubscribe {sub.id}`.",
        ])
        await self.bot.respond(ctx, reply, ephemeral=True)

    @digest_group.command(name="list", description="Scheduled digests of this server and your DMs")
    async def list_(self, ctx: commands.Context) -> None:
        subs = self.service.store.visible_to(guild_id=ctx.guild.id if ctx.guild else None, user_id=ctx.author.id)
        lines = [self._describe(s) for s in subs] or ["No scheduled digests. Add one with `/digest subscribe`."]
        await self.bot.respond(ctx, Reply(command="digest", title="Scheduled digests", lines=lines),
                               ephemeral=True)

    async def _visible_ids(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        subs = self.service.store.visible_to(guild_id=interaction.guild_id, user_id=interaction.user.id)
        return [app_commands.Choice(name=f"{s.id} · {s.when()}"[:100], value=s.id)
                for s in subs if current.lower() in s.id][:25]

    @digest_group.command(name="unsubscribe", description="Stop a scheduled digest")
    @app_commands.describe(subscription="The id shown by /digest list")
    @app_commands.autocomplete(subscription=_visible_ids)
    async def unsubscribe(self, ctx: commands.Context, subscription: str) -> None:
        guild_id = ctx.guild.id if ctx.guild else None
        sub = next((s for s in self.service.store.visible_to(guild_id=guild_id, user_id=ctx.author.id)
                    if s.id == subscription.strip()), None)
        if sub is None:
            raise commands.BadArgument(f"No digest `{subscription}` here; see `/digest list`.")
        if sub.target == "channel":
            _require_manage_server(ctx)
        self.service.unsubscribe(sub.id)
        await self.bot.respond(ctx, Reply(command="digest", title="Digest stopped",
                                          lines=[f"`{sub.id}` · {self._where(sub)} · {sub.when()}"]),
                               ephemeral=True)

