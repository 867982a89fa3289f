"""Lookups: who, quotes, figures, search, sources, timeline, help — each one hybrid command (`!who`, `/who`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from discord import Interaction, app_commands
from discord.ext import commands

from handlers.commands import autocomplete, figures, help_reply, quotes, search, sources, split_name, timeline, who

if TYPE_CHECKING:
    from bot.client import BriefBot

CHOICE_MAX = 100
EXPENSIVE = commands.cooldown(4, 20.0, commands.BucketType.user)  # per user: 4 uses every 20 s


async def entity_names(interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
    """Fuzzy autocomplete over people, organisations, groups and places (answered from memory)."""
    bot: BriefBot = interaction.client  # type: ignore[assignment]
    choices = []
    for candidate in autocomplete(bot.index, current, limit=25):
        label = f"{candidate.name} ({candidate.kind})"
        label = label if len(label) <= CHOICE_MAX else label[: CHOICE_MAX - 1] + "…"
        value = candidate.id if len(candidate.id) <= CHOICE_MAX else candidate.name[:CHOICE_MAX]
        choices.append(app_commands.Choice(name=label, value=value))
    return choices


class Lookups(commands.Cog):
    """Questions about the corpus."""

    def __init__(self, bot: BriefBot) -> None:
        self.bot = bot

    @commands.hybrid_command(name="who", description="Who is someone: roles, quotes, figures, related names")
    @app_commands.describe(name="A person, organisation, group or place (a surname or a typo is fine)")
    @app_commands.autocomplete(name=entity_names)
    async def who(self, ctx: commands.Context, *, name: str) -> None:
        reply = await self.bot.ask(who, name)
        await self.bot.respond(ctx, reply, lambda picked: self.bot.index.run(who, picked))

    @commands.hybrid_command(name="quotes", description="What someone said, newest first, cited")
    @app_commands.describe(name="Who said it: a name, surname or typo", words="Only quotes containing these words")
    @app_commands.autocomplete(name=entity_names)
    async def quotes(self, ctx: commands.Context, name: str, *, words: str = "") -> None:
        if ctx.interaction is None and not any(ch.isspace() for ch in name):
            # `!quotes Ada Okafor budget`: an unquoted name may be several words; split where it resolves
            name, words = split_name(self.bot.index, f"{name} {words}".strip())
        reply = await self.bot.ask(quotes, name, words)
        await self.bot.respond(ctx, reply, lambda picked: self.bot.index.run(quotes, picked, words))

    @commands.hybrid_command(name="figures", description="Numbers in the news, grouped across sources")
    @app_commands.describe(topic="A topic or a name to filter by, e.g. fighters (default: all)")
    @EXPENSIVE
    async def figures(self, ctx: commands.Context, *, topic: str = "") -> None:
        await self.bot.respond(ctx, await self.bot.ask(figures, topic))

    @commands.hybrid_command(name="search", description="Full-text search of every sentence, cited")
    @app_commands.describe(words="Words to look for, e.g. detained fighters")
    @EXPENSIVE
    async def search(self, ctx: commands.Context, *, words: str) -> None:
        await self.bot.respond(ctx, await self.bot.ask(search, words))

    @commands.hybrid_command(name="sources", description="The articles in the index")
    async def sources(self, ctx: commands.Context) -> None:
        await self.bot.respond(ctx, await self.bot.ask(sources))

    @commands.hybrid_command(name="timeline", description="Dated events and statements, in order")
    @app_commands.describe(topic="A topic or a name to filter by (default: everything)")
    @EXPENSIVE
    async def timeline(self, ctx: commands.Context, *, topic: str = "") -> None:
        await self.bot.respond(ctx, await self.bot.ask(timeline, topic))

    @commands.hybrid_command(name="help", description="Every command, with an example")
    async def help(self, ctx: commands.Context) -> None:
        prefix = "/" if ctx.interaction else self.bot.settings.command_prefix
        await self.bot.respond(ctx, help_reply(prefix), ephemeral=True)
