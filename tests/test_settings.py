"""Settings: environment and `.env`, a bad value names its key, the token never shows, `.env.example` is complete."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefbot.settings import Settings, SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[1]
KEYS = [field.alias for field in Settings.model_fields.values()]
EVAL_KEYS = ["BRIEFBOT_NEWS_ARCHIVE", "BRIEFBOT_POLNEAR_ARCHIVE"]  # read by `make eval` (bench/eval), not by briefbot


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No briefbot variables from the outer environment, and no `.env` but the test's own."""
    for key in KEYS:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("BRIEFBOT_HOME", str(tmp_path))
    return tmp_path


def test_defaults() -> None:
    s = load_settings()
    assert s.discord_token is None
    assert s.command_prefix == "!"
    assert s.jobstore_url.startswith("sqlite:///")
    assert s.timezone == "UTC"
    assert s.owner_ids == []
    assert s.digest_empty == "line"
    assert s.message_content is True


def test_environment_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFBOT_PREFIX", "?")
    monkeypatch.setenv("BRIEFBOT_OWNER_IDS", "111, 222;333")
    monkeypatch.setenv("BRIEFBOT_TIMEZONE", "Europe/Paris")
    monkeypatch.setenv("BRIEFBOT_SHARD_COUNT", "2")
    monkeypatch.setenv("BRIEFBOT_DIGEST_EMPTY", "skip")
    monkeypatch.setenv("BRIEFBOT_LOG_LEVEL", "debug")
    monkeypatch.setenv("BRIEFBOT_MESSAGE_CONTENT", "false")
    s = load_settings()
    assert (s.command_prefix, s.owner_ids, s.timezone, s.shard_count) == ("?", [111, 222, 333], "Europe/Paris", 2)
    assert (s.digest_empty, s.log_level, s.message_content) == ("skip", "DEBUG", False)


def test_dotenv_file_is_read(clean_env: Path) -> None:
    (clean_env / ".env").write_text("BRIEFBOT_PREFIX=>>\nBRIEFBOT_DEV_GUILD_ID=42\n", encoding="utf-8")
    s = load_settings()
    assert s.command_prefix == ">>"
    assert s.dev_guild_id == 42


@pytest.mark.parametrize(("key", "value"), [
    ("BRIEFBOT_TIMEZONE", "Mars/Olympus_Mons"),
    ("BRIEFBOT_SHARD_COUNT", "0"),
    ("BRIEFBOT_DIGEST_EMPTY", "sometimes"),
    ("BRIEFBOT_OWNER_IDS", "123,abc"),
    ("BRIEFBOT_LOG_LEVEL", "LOUD"),
    ("BRIEFBOT_DIGEST_MISFIRE_GRACE", "-5"),
    ("BRIEFBOT_PREFIX", "toolongprefix"),
    ("BRIEFBOT_MESSAGE_CONTENT", "perhaps"),
    ("BRIEFBOT_DEV_GUILD_ID", "my-guild"),
])
def test_a_bad_value_names_its_key(monkeypatch: pytest.MonkeyPatch, key: str, value: str) -> None:
    monkeypatch.setenv(key, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert key in str(caught.value)


def test_the_token_is_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "MTIzNDU2Nzg5MDEyMzQ1Njc4.secret-token-value"
    monkeypatch.setenv("DISCORD_TOKEN", secret)
    s = load_settings()
    assert s.discord_token is not None and s.discord_token.get_secret_value() == secret
    for shown in (str(s), repr(s), s.model_dump_json()):
        assert secret not in shown


def test_env_example_lists_every_setting_with_a_comment() -> None:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    listed = re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE)
    assert sorted(set(listed)) == sorted(KEYS + EVAL_KEYS)
    lines = text.splitlines()
    for key in KEYS + EVAL_KEYS:
        at = next(i for i, line in enumerate(lines) if re.match(rf"#?\s*{key}=", line))
        assert at > 0 and lines[at - 1].startswith("#"), f"{key} has no comment above it"


def test_an_empty_token_is_no_token(monkeypatch: pytest.MonkeyPatch, clean_env: Path) -> None:
    (clean_env / ".env").write_text("DISCORD_TOKEN=\n", encoding="utf-8")
    assert load_settings().discord_token is None
    monkeypatch.setenv("DISCORD_TOKEN", "   ")
    assert load_settings().discord_token is None


def test_paths_start_at_the_project_folder_not_the_current_one(monkeypatch: pytest.MonkeyPatch, clean_env: Path,
                                                              tmp_path_factory: pytest.TempPathFactory) -> None:
    (clean_env / ".env").write_text("BRIEFBOT_PREFIX=?\nBRIEFBOT_ALIASES=mine.json\n", encoding="utf-8")
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / ".env").write_text("BRIEFBOT_PREFIX=%\n", encoding="utf-8")
    monkeypatch.chdir(elsewhere)
    s = load_settings()
    assert s.command_prefix == "?"  # the project's .env, not the current folder's
    assert (s.index, s.seeds, s.aliases_file) == (clean_env / "data/briefbot.sqlite3", clean_env / "seeds",
                                                  clean_env / "mine.json")
    assert s.jobstore_url == f"sqlite:///{clean_env}/data/digests.sqlite3"
    monkeypatch.setenv("BRIEFBOT_INDEX", "/srv/index.sqlite3")
    monkeypatch.setenv("BRIEFBOT_JOBSTORE_URL", "postgresql://db/briefbot")
    s = load_settings()
    assert (s.index, s.jobstore_url) == (Path("/srv/index.sqlite3"), "postgresql://db/briefbot")
    monkeypatch.delenv("BRIEFBOT_HOME")
    assert load_settings().seeds == ROOT / "seeds"
