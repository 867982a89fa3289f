"""`briefbot run`: open the index, wire the dependencies, run the bot until stopped."""

from __future__ import annotations

import asyncio
import logging

import aiohttp
import discord

from bot.client import BriefBot
from bot.digests import DigestService, SubscriptionStore
from bot.live import LiveIngest
from briefbot.settings import Settings
from handlers.commands import digest
from handlers.index import Index

log = logging.getLogger("briefbot")

INTENT_HELP = (
    "Discord refused the message-content intent. Either enable it (Developer Portal → your app → Bot → "
    "Privileged Gateway Intents → Message Content Intent) or set BRIEFBOT_MESSAGE_CONTENT=false to run with "
    "slash commands, DMs and @mention prefix commands only. See docs/DISCORD.md."
)


def build_bot(settings: Settings, index: Index, **options: object) -> BriefBot:
    """The bot with its dependencies: settings, the open index, the digest service and its job store."""
    service = DigestService(
        SubscriptionStore(settings.jobstore_url),
        lambda since: index.run(digest, since),
        misfire_grace=settings.digest_misfire_grace,
        empty=settings.digest_empty,
    )
    return BriefBot(settings, index, service, live=LiveIngest(settings), **options)


async def _serve(settings: Settings, index: Index) -> None:
    assert settings.discord_token is not None
    bot = build_bot(settings, index)
    try:
        async with bot:
            await bot.start(settings.discord_token.get_secret_value())
    finally:
        bot.digests.store.close()


def run_bot(settings: Settings) -> int:
    """Run the Discord bot until interrupted; on failure one clear line and an exit code: 2 for a missing or
    refused token or intent, 3 when Discord cannot be reached."""
    discord.utils.setup_logging(level=getattr(logging, settings.log_level), root=True)
    if settings.discord_token is None:
        log.error("DISCORD_TOKEN is not set (put it in .env; see docs/DISCORD.md).")
        return 2
    index = Index.open(settings.index)
    try:
        asyncio.run(_serve(settings, index))
    except discord.LoginFailure:
        log.error("Discord rejected DISCORD_TOKEN; reset it in the Developer Portal (see docs/DISCORD.md).")
        return 2
    except discord.PrivilegedIntentsRequired:
        log.error(INTENT_HELP)
        return 2
    except (aiohttp.ClientError, TimeoutError, discord.GatewayNotFound, discord.HTTPException,
            discord.ConnectionClosed) as exc:
        log.error("Could not reach Discord (%s). Check the network, then start again.",
                  str(exc) or type(exc).__name__)
        return 3
    finally:
        index.close()
    return 0
