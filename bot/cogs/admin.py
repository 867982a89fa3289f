"""Owner commands: `!sync` publishes the slash commands (never done automatically at start)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import discord
from discord.ext import commands

from bot.render import NO_MENTIONS

if TYPE_CHECKING:
    from bot.client import BriefBot



class Admin(commands.Cog):
    """Only the owners (BRIEFBOT_OWNER_IDS, else the application's owner) may use these."""

    def __init__(self, bot: BriefBot) -> None:
        self.bot = bot

    async def cog_check(self, ctx: commands.Context) -> bool:  # type: ignore[override]
        if not await self.bot.is_owner(ctx.author):
            raise commands.NotOwner()
        return True

    @commands.command(name="sync", hidden=True)
    async def sync(self, ctx: commands.Context, scope: Literal["guild", "global", "clear"] = "guild") -> None:
        """`!sync` → this server (or BRIEFBOT_DEV_GUILD_ID) at once; `!sync global` → everywhere (Discord
        may take up to an hour); `!sync clear` → remove this server's copy."""
        tree = self.bot.tree
        if scope == "global":
            synced = await tree.sync()
            await ctx.send(f"Synced {len(synced)} slash commands globally.", allowed_mentions=NO_MENTIONS)
            return
        guild_id = ctx.guild.id if ctx.guild else self.bot.settings.dev_guild_id
        if guild_id is None:
            raise commands.BadArgument("Run it in a server, set BRIEFBOT_DEV_GUILD_ID, or use `!sync global`.")
        guild = discord.Object(guild_id)
        if scope == "clear":
            tree.clear_commands(guild=guild)
        else:
            tree.copy_global_to(guild=guild)
        synced = await tree.sync(guild=guild)
        await ctx.send(f"Synced {len(synced)} slash commands to server {guild_id}.", allowed_mentions=NO_MENTIONS)
