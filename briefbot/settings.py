"""Settings from the environment and `.env` (pydantic-settings). `.env.example` lists every key.

`.env` and every relative path in the settings (index, seeds, aliases, an SQLite job store) are taken from
the project folder — `BRIEFBOT_HOME` when set, else the folder this package is in — never from the
current folder, so `briefbot ask` works the same from anywhere.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SQLITE_URL = "sqlite:///"
DEFAULT_INDEX = Path("data/briefbot.sqlite3")
DEFAULT_JOBSTORE = "sqlite:///data/digests.sqlite3"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, env_file_encoding="utf-8", extra="ignore")

    discord_token: SecretStr | None = Field(None, alias="DISCORD_TOKEN")
    command_prefix: str = Field("!", alias="BRIEFBOT_PREFIX", min_length=1, max_length=5)
    message_content: bool = Field(True, alias="BRIEFBOT_MESSAGE_CONTENT")
    index: Path = Field(DEFAULT_INDEX, alias="BRIEFBOT_INDEX")
    seeds: Path = Field(Path("seeds"), alias="BRIEFBOT_SEEDS")
    aliases_file: Path | None = Field(None, alias="BRIEFBOT_ALIASES")
    jobstore_url: str = Field(DEFAULT_JOBSTORE, alias="BRIEFBOT_JOBSTORE_URL")
    timezone: str = Field("UTC", alias="BRIEFBOT_TIMEZONE")
    owner_ids: Annotated[list[int], NoDecode] = Field(default_factory=list, alias="BRIEFBOT_OWNER_IDS")
    dev_guild_id: int | None = Field(None, alias="BRIEFBOT_DEV_GUILD_ID")
    log_level: str = Field("INFO", alias="BRIEFBOT_LOG_LEVEL")
    shard_count: int | None = Field(None, alias="BRIEFBOT_SHARD_COUNT", ge=1)
    digest_empty: str = Field("line", alias="BRIEFBOT_DIGEST_EMPTY", pattern="^(line|skip)$")
    digest_misfire_grace: int = Field(3600, alias="BRIEFBOT_DIGEST_MISFIRE_GRACE", ge=1)
    pages_dir: Path = Field(Path("data/pages"), alias="BRIEFBOT_PAGES")
    feeds_file: Path = Field(Path("data/feeds.sqlite3"), alias="BRIEFBOT_FEEDS")
    fetch_allow_private: bool = Field(False, alias="BRIEFBOT_FETCH_ALLOW_PRIVATE")
    feed_poll_seconds: int = Field(300, alias="BRIEFBOT_FEED_POLL_SECONDS", ge=10)
    watch_dirs: Annotated[list[Path], NoDecode] = Field(default_factory=list, alias="BRIEFBOT_WATCH")
    add_roles: Annotated[list[int], NoDecode] = Field(default_factory=list, alias="BRIEFBOT_ADD_ROLES")
    alert_check_seconds: int = Field(60, alias="BRIEFBOT_ALERT_CHECK_SECONDS", ge=5)

    @field_validator("watch_dirs", mode="before")
    @classmethod
    def _split_paths(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("discord_token", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        """`DISCORD_TOKEN=` (as in .env.example) means no token, not an empty one."""
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("owner_ids", "add_roles", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Europe/Paris)") from exc
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return level


class SettingsError(Exception):
    """A setting has a bad value; the message names the key."""


def project_home() -> Path:
    """`BRIEFBOT_HOME`, else the project folder: where `.env` is and relative paths start."""
    home = os.environ.get("BRIEFBOT_HOME", "").strip()
    return Path(home).expanduser().resolve() if home else PROJECT_ROOT


def anchored(settings: Settings, home: Path) -> Settings:
    """The settings with their relative paths (index, seeds, aliases, pages, feeds, watched folders, and a
    relative SQLite job store) made relative to `home`."""

    def at_home(path: Path) -> Path:
        path = path.expanduser()
        return path if path.is_absolute() else home / path

    url = settings.jobstore_url
    if url.startswith(SQLITE_URL) and not Path(url[len(SQLITE_URL):]).is_absolute() and url != SQLITE_URL:
        url = SQLITE_URL + str(home / url[len(SQLITE_URL):])
    return settings.model_copy(update={
        "index": at_home(settings.index), "seeds": at_home(settings.seeds), "jobstore_url": url,
        "pages_dir": at_home(settings.pages_dir), "feeds_file": at_home(settings.feeds_file),
        "watch_dirs": [at_home(p) for p in settings.watch_dirs],
        "aliases_file": at_home(settings.aliases_file) if settings.aliases_file else None,
    })


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment and the project's `.env`, relative paths anchored at the project
    folder; a message naming the key when a value is bad."""
    home = project_home()
    try:
        return anchored(Settings(_env_file=home / ".env", **overrides), home)  # type: ignore[call-arg]
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            key = ".".join(str(p) for p in err["loc"]) or "settings"
            problems.append(f"{key}: {err['msg']}")
        raise SettingsError("Bad setting — " + "; ".join(problems)) from None
