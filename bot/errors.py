"""One error handler for prefix commands, hybrid commands and app commands.

Expected errors (bad input, cooldowns, permissions, wrong place) become one short, friendly line —
ephemeral for slash commands. Anything else is logged with its context and the user is told it
failed, without details.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.render import NO_MENTIONS

log = logging.getLogger(__name__)

FAILED = "Sorry, that failed on my side. It has been logged; please try again later."

_PERMISSION_NAMES = {"manage_guild": "Manage Server"}


def _permissions(names: list[str]) -> str:
    return ", ".join(_PERMISSION_NAMES.get(n, n.replace("_", " ").title()) for n in names)


def unwrap(error: BaseException) -> BaseException:
    """The error a command really raised, under discord.py's invoke and hybrid wrappers."""
    while True:
        if isinstance(error, commands.HybridCommandError | commands.CommandInvokeError
                      | app_commands.CommandInvokeError):
            error = error.original
        elif isinstance(error, app_commands.TransformerError) and isinstance(error.__cause__, Exception):
            error = error.__cause__
        else:
            return error


def friendly_message(error: BaseException, usage: str | None = None) -> str | None:
    """The user-facing line for an expected error, or None when the error is unexpected."""
    hint = f" Usage: `{usage}`" if usage else ""
    match error:
        case commands.MissingRequiredArgument():
            return f"Missing `{error.param.name}`.{hint}"
        case commands.TooManyArguments():
            return f"Too many arguments.{hint}"
        case commands.CommandOnCooldown() | app_commands.CommandOnCooldown():
            return f"Slow down — you can use that again in {max(error.retry_after, 1):.0f} s."
        case commands.MaxConcurrencyReached():
            return "That is already running; try again in a moment."
        case commands.MissingPermissions() | app_commands.MissingPermissions():
            return f"You need the {_permissions(error.missing_permissions)} permission to do that."
        case commands.BotMissingPermissions() | app_commands.BotMissingPermissions():
            return f"I need the {_permissions(error.missing_permissions)} permission here to do that."
        case commands.NoPrivateMessage() | app_commands.NoPrivateMessage():
            return "That only works in a server, not in direct messages."
        case commands.PrivateMessageOnly():
            return "That only works in direct messages."
        case commands.NotOwner():
            return "Only the bot's owner can do that."
        case commands.UserInputError():  # BadArgument, BadLiteralArgument, conversion errors …
            return f"{error}{hint}"
        case app_commands.TransformerError():
            return f"`{error.value}` is not a valid {error.type.name.lower()}."
        case commands.CheckFailure() | app_commands.CheckFailure():
            return "You can't use that here."
    return None


def _usage(ctx: commands.Context) -> str | None:
    if ctx.command is None:
        return None
    prefix = "/" if ctx.interaction else ctx.clean_prefix
    return f"{prefix}{ctx.command.qualified_name} {ctx.command.signature}".rstrip()


async def _tell(ctx_or_interaction: commands.Context | discord.Interaction, text: str) -> None:
    """Answer in the place of the failed command: ephemeral for an interaction."""
    try:
        if isinstance(ctx_or_interaction, commands.Context):
            await ctx_or_interaction.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
        elif ctx_or_interaction.response.is_done():
            await ctx_or_interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
        else:
            await ctx_or_interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
    except discord.HTTPException as exc:
        log.warning("could not send an error reply: %s", exc)


async def on_command_error(ctx: commands.Context, error: commands.CommandError) -> None:
    """Prefix and hybrid command errors (a hybrid command's slash errors come here too)."""
    if isinstance(error, commands.CommandNotFound):
        return  # other bots share prefixes; unknown commands are not ours to answer
    original = unwrap(error)
    message = friendly_message(original, _usage(ctx))
    if message is None:
        log.error(
            "command %r failed (user %s, channel %s, guild %s, %s: %r)",
            ctx.command.qualified_name if ctx.command else None, ctx.author.id, ctx.channel.id,
            ctx.guild.id if ctx.guild else None, "slash" if ctx.interaction else "prefix",
            ctx.message.content if not ctx.interaction else ctx.kwargs,
            exc_info=original,
        )
        message = FAILED
    await _tell(ctx, message)


async def on_app_command_error(interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
    """Errors of pure app commands and of app-command checks (the tree's handler)."""
    original = unwrap(error)
    message = friendly_message(original)
    if message is None:
        command = interaction.command.qualified_name if interaction.command else None
        log.error("app command %r failed (user %s, channel %s, guild %s, options %r)", command,
                  interaction.user.id, interaction.channel_id, interaction.guild_id,
                  interaction.namespace.__dict__, exc_info=original)
        message = FAILED
    await _tell(interaction, message)
