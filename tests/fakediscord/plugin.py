"""pytest plugin: the `fake_discord` fixture — a started FakeDiscord that discord.py is pointed at."""

from __future__ import annotations

from collections.abc import AsyncIterator

import discord
import pytest
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from .server import FakeDiscord


@pytest.fixture
async def fake_discord(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    """A fake Discord on 127.0.0.1; REST (`Route.BASE`) and the gateway point at it for this test."""
    fake = FakeDiscord()
    await fake.start()
    monkeypatch.setattr(Route, "BASE", fake.api_base)
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.gateway_url))
    assert discord.http.Route.BASE.startswith("http://127.0.0.1:")
    try:
        yield fake
    finally:
        await fake.stop()
