"""Lookups: who, quotes, figures, search, sources, doc, timeline, trend, help — each one hybrid command
(`!who`, `/who`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from discord import Interaction, app_commands
from discord.ext import commands

from handlers.commands import (
    autocomplete,
    doc,
    figures,
    help_reply,
    quotes,
    search,
    sources,
    split_name,
    timeline,
    trend,
    who,
)

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

    @commands.hybrid_command(name="who", description="Who is someone (roles, quotes, figures), or who held a role")
    @app_commands.describe(name="A person, organisation, group or place (a surname or a typo is fine), or a role")
    @app_commands.autocomplete(name=entity_names)
    async def who(self, ctx: commands.Context, *, name: str) -> None:
        reply = await self.bot.ask(who, name)
        await self.bot.respond(ctx, reply, lambda picked: self.bot.index.run(who, picked))

    @commands.hybrid_command(name="quotes", description="What someone said, newest first, cited")
    @app_commands.describe(name="Who said it: a name, surname, typo or role; empty: the latest; unknown: no speaker",
                           words="Only quotes containing these words")
    @app_commands.autocomplete(name=entity_names)
    async def quotes(self, ctx: commands.Context, name: str = "", *, words: str = "") -> None:
        if ctx.interaction is None and name and not any(ch.isspace() for ch in name):
            # `!quotes Ada Okafor budget`: an unquoted name may be several words; split where it resolves
            name, words = split_name(self.bot.index, f"{name} {words}".strip())
        reply = await self.bot.ask(quotes, name, words)
        await self.bot.respond(ctx, reply, lambda picked: self.bot.index.run(quotes, picked, words))

    @commands.hybrid_command(name="figures", description="Numbers in the news, grouped across sources")
    @app_commands.describe(topic="A topic or a name to filter by, e.g. fighters (default: all)")
    @EXPENSIVE
    async def figures(self, ctx: commands.Context, *, topic: str = "") -> None:
        await self.bot.respond(ctx, await self.bot.ask(figures, topic))

    @commands.hybrid_command(name="search", description="Full-text search of every sentence, cited, paged")
    @app_commands.describe(words='Words, "phrases", OR, -word, from:2019-11 to:2019-12 source:outlet page:2')
    @EXPENSIVE
    async def search(self, ctx: commands.Context, *, words: str) -> None:
        await self.bot.respond(ctx, await self.bot.ask(search, words))

    @commands.hybrid_command(name="sources", description="The articles: all, of a name, or of a date range")
    @app_commands.describe(about="A name or an outlet, and/or dates such as 2019 or 2019-01..2019-06 (default: all)")
    async def sources(self, ctx: commands.Context, *, about: str = "") -> None:
        await self.bot.respond(ctx, await self.bot.ask(sources, about))

    @commands.hybrid_command(name="doc", description="One article: title, outlet, date, a cited sentence")
    @app_commands.describe(ref="A document id as sources lists it (optionally #sentence), or n for source [n] "
                                "of your last answer here")
    async def doc(self, ctx: commands.Context, *, ref: str) -> None:
        await self.bot.respond(ctx, await self.bot.ask(doc, ref, self.bot.recent_citations(ctx)))

    @commands.hybrid_command(name="trend", description="How often a name or topic comes up, as a chart")
    @app_commands.describe(topic="A name or words, e.g. coalition")
    @app_commands.autocomplete(topic=entity_names)
    @EXPENSIVE
    async def trend(self, ctx: commands.Context, *, topic: str) -> None:
        await self.bot.respond(ctx, await self.bot.ask(trend, topic))

    @commands.hybrid_command(name="timeline", description="Dated events and statements, in order")
    @app_commands.describe(topic="A topic or a name, and/or a year or range such as 2019-01..2019-06 (default: all)")
    @EXPENSIVE
    async def timeline(self, ctx: commands.Context, *, topic: str = "") -> None:
        await self.bot.respond(ctx, await self.bot.ask(timeline, topic))

    @commands.hybrid_command(name="help", description="Every command, with an example")
    @app_commands.describe(command="One command to explain, e.g. search (default: all)")
    async def help(self, ctx: commands.Context, *, command: str = "") -> None:
        prefix = "/" if ctx.interaction else self.bot.settings.command_prefix
        await self.bot.respond(ctx, await self.bot.ask(lambda index: help_reply(prefix, index, command)),
                               ephemeral=True)
