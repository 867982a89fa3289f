"""A fake Discord (REST + gateway on 127.0.0.1) for end-to-end tests with the real discord.py client.

Use it through the pytest plugin `tests.fakediscord.plugin` (fixture `fake_discord`), or directly:
start a `FakeDiscord`, point `discord.http.Route.BASE` and the gateway at it (`patch_discord`).
"""

from .server import FakeDiscord, FakeUser, Recorded, option, subcommand

__all__ = ["FakeDiscord", "FakeUser", "Recorded", "option", "subcommand"]
