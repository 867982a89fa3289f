"""Settings from the environment and `.env` (pydantic-settings). `.env.example` lists every key."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_INDEX = Path("data/briefbot.sqlite3")
DEFAULT_JOBSTORE = "sqlite:///data/digests.sqlite3"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

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


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment and `.env`, with a message naming the key when a value is bad."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            key = ".".join(str(p) for p in err["loc"]) or "settings"
            problems.append(f"{key}: {err['msg']}")
        raise SettingsError("Bad setting — " + "; ".join(problems)) from None
