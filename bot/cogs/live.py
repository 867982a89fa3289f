"""A live corpus from Discord: `/add` (a URL or an attached file), `/feed add|list|remove`, and
`/watch <name>|list|remove` alerts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.alerts import new_watch
from bot.cogs.lookups import entity_names
from bot.render import NO_MENTIONS, plain_chunks
from corpus.fetch import FetchError, fetch
from corpus.sources import FeedStore, save_page
from handlers.watch import last_document

if TYPE_CHECKING:
    from bot.client import BriefBot

ADD_LIMIT = commands.cooldown(3, 60.0, commands.BucketType.user)  # per user: 3 additions a minute
UPLOAD_SUFFIXES = {".txt", ".md", ".html", ".htm"}


def _can_add(ctx: commands.Context) -> None:
    """Adding to the corpus is for members with Manage Server or one of BRIEFBOT_ADD_ROLES (in a DM: owners)."""
    bot: BriefBot = ctx.bot  # type: ignore[assignment]
    member = ctx.author
    if isinstance(member, discord.Member):
        if member.guild_permissions.manage_guild or {r.id for r in member.roles} & set(bot.settings.add_roles):
            return
    elif bot.owner_ids and member.id in bot.owner_ids:
        return
    raise commands.MissingPermissions(["manage_guild"])


async def _say(ctx: commands.Context, text: str, *, ephemeral: bool = False) -> None:
    for chunk in plain_chunks(text):
        await ctx.send(chunk, allowed_mentions=NO_MENTIONS, ephemeral=ephemeral)


class Live(commands.Cog):
    """Pages, feeds and watches."""

    def __init__(self, bot: BriefBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """Alerts for what was indexed while the bot was away go out as soon as it is back."""
        await self.bot.check_alerts()

    @commands.hybrid_command(name="add", description="Add a web page or an attached article file to the index")
    @app_commands.describe(url="The address of an article (http or https)", file="A .txt, .md or .html article")
    @ADD_LIMIT
    async def add(self, ctx: commands.Context, url: str | None = None, file: discord.Attachment | None = None) -> None:
        _can_add(ctx)
        files = [file] if file else list(ctx.message.attachments) if ctx.interaction is None else []
        if not url and not files:
            raise commands.BadArgument("Give a web address (`/add https://…`) or attach a .txt, .md or .html file.")
        await ctx.defer()
        settings, lines, changed = self.bot.settings, [], False
        if url:
            saved = await save_page(url, settings.pages_dir, allow_private=settings.fetch_allow_private)
            lines.append(f"{url}: {saved.reason if saved.status == 'failed' else saved.status}")
            changed = saved.status in {"new", "updated"}
        for attachment in files:
            line, ok = await self._upload(attachment)
            lines.append(line)
            changed = changed or ok
        if changed:
            report = await self.bot.live.rebuild([settings.pages_dir]) if self.bot.live else None
            if report is None:
                lines.append("Indexing failed; the index is as it was (see the bot's log).")
            else:
                lines.append(f"Indexed: {report.added} added, {report.updated} updated"
                             + "".join(f"\n· skipped {Path(p.path).name}: {p.reason}" for p in report.skipped))
        await _say(ctx, "\n".join(lines))

    async def _upload(self, attachment: discord.Attachment) -> tuple[str, bool]:
        """Keep an attached article in the uploads folder of the pages folder: (what happened, whether kept)."""
        name = re.sub(r"[^A-Za-z0-9._-]+", "-", attachment.filename).strip("-.") or "upload.txt"
        if Path(name).suffix.lower() not in UPLOAD_SUFFIXES:
            return f"{attachment.filename}: refused (only .txt, .md and .html articles)", False
        try:
            got = await fetch(attachment.url, allow_private=self.bot.settings.fetch_allow_private,
                              accept=("text/plain", "text/markdown", "text/html", "application/octet-stream"))
        except FetchError as exc:
            return f"{attachment.filename}: {exc}", False
        folder = self.bot.settings.pages_dir / "uploads"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(got.body)
        return f"{attachment.filename}: new", True

    @commands.hybrid_group(name="feed", invoke_without_command=True, description="Feeds followed into the index")
    async def feed(self, ctx: commands.Context) -> None:
        await ctx.invoke(self.feed_list)  # type: ignore[arg-type]

    @feed.command(name="add", description="Follow an RSS, Atom or JSON feed: its new entries are indexed")
    @app_commands.describe(url="The feed's address")
    async def feed_add(self, ctx: commands.Context, url: str) -> None:
        _can_add(ctx)
        with FeedStore(self.bot.settings.feeds_file) as store:
            try:
                added = store.add(url, self.bot.settings.fetch_allow_private)
            except FetchError as exc:
                raise commands.BadArgument(str(exc)) from None
        await _say(ctx, f"Following {url}: its new entries will be indexed." if added else f"Already following {url}.")

    @feed.command(name="list", description="The feeds followed, with their state")
    async def feed_list(self, ctx: commands.Context) -> None:
        with FeedStore(self.bot.settings.feeds_file) as store:
            feeds = store.feeds()
        lines = [f"{f.url} — {f.title or 'untitled'} · next poll {f.next_poll[:16]}"
                 + (f" · ⚠ {f.last_error}" if f.last_error else "") for f in feeds]
        await _say(ctx, "\n".join(lines) or "No feed is followed. `/feed add URL` follows one.")

    @feed.command(name="remove", description="Stop following a feed (what it brought stays indexed)")
    @app_commands.describe(url="The feed's address, as in /feed list")
    async def feed_remove(self, ctx: commands.Context, url: str) -> None:
        _can_add(ctx)
        with FeedStore(self.bot.settings.feeds_file) as store:
            removed = store.remove(url)
        await _say(ctx, f"No longer following {url}." if removed else f"{url} was not followed.")

    @commands.hybrid_group(name="watch", invoke_without_command=True,
                           description="Be alerted when a new article mentions or quotes someone")
    @app_commands.describe(name="A person, organisation, group or place")
    @app_commands.autocomplete(name=entity_names)
    async def watch(self, ctx: commands.Context, *, name: str) -> None:
        in_guild = ctx.guild is not None
        if in_guild:
            member = ctx.author
            if not isinstance(member, discord.Member) or not member.guild_permissions.manage_guild:
                raise commands.MissingPermissions(["manage_guild"])
        res = self.bot.index.run(lambda index: index.resolver.resolve(name))
        if res.status != "ok" or not res.candidates:
            names = ", ".join(c.name for c in res.candidates[:5])
            raise commands.BadArgument(f"Which one? {names}" if names else f"I found nobody called {name!r}.")
        chosen = res.candidates[0]
        w = new_watch(chosen.id, chosen.name, after_document=self.bot.index.run(last_document),
                      target="channel" if in_guild else "dm", user_id=ctx.author.id,
                      channel_id=ctx.channel.id if in_guild else None, guild_id=ctx.guild.id if ctx.guild else None)
        self.bot.watches.add(w)
        where = "this channel" if in_guild else "your DMs"
        await _say(ctx, f"Watching **{chosen.name}** (`{w.id}`): new articles that mention or quote them will be "
                        f"posted in {where}.")

    @watch.command(name="list", description="The watches of this server and your own")
    async def watch_list(self, ctx: commands.Context) -> None:
        watches = self.bot.watches.visible_to(guild_id=ctx.guild.id if ctx.guild else None, user_id=ctx.author.id)
        lines = [f"`{w.id}` · {w.entity_name} · " + (f"<#{w.channel_id}>" if w.target == "channel" else "your DMs")
                 + (f" · ⏸ paused ({w.paused_reason})" if w.paused_reason else "") for w in watches]
        await _say(ctx, "\n".join(lines) or "No watch here. `/watch NAME` starts one.")

    @watch.command(name="remove", description="Stop a watch")
    @app_commands.describe(watch_id="The id shown by /watch list")
    async def watch_remove(self, ctx: commands.Context, watch_id: str) -> None:
        mine = {w.id: w for w in self.bot.watches.visible_to(guild_id=ctx.guild.id if ctx.guild else None,
                                                             user_id=ctx.author.id)}
        w = mine.get(watch_id.strip())
        if w is None:
            raise commands.BadArgument(f"No watch `{watch_id[:20]}` here; `/watch list` shows them.")
        if w.target == "channel":
            member = ctx.author
            if not isinstance(member, discord.Member) or not member.guild_permissions.manage_guild:
                raise commands.MissingPermissions(["manage_guild"])
        self.bot.watches.remove(w.id)
        await _say(ctx, f"Stopped watching {w.entity_name}.")
