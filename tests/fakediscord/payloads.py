"""Discord API v10 payloads shaped the way discord.py parses them (only the fields it reads)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from discord.utils import time_snowflake

Payload = dict[str, Any]

_counter = itertools.count(1)

PERM_VIEW_SEND = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 15) | (1 << 16)  # view, send, links, files, history
PERM_MANAGE_GUILD = 1 << 5
PERM_ADMIN = 1 << 3


def snowflake() -> int:
    """A fresh snowflake of the current time (interactions older than 15 minutes count as expired)."""
    return time_snowflake(datetime.now(UTC)) + next(_counter) % 4096


def iso_now() -> str:
    return datetime.now(UTC).isoformat()


def user(user_id: int, name: str, *, bot: bool = False) -> Payload:
    return {"id": str(user_id), "username": name, "discriminator": "0", "global_name": name, "avatar": None,
            "bot": bot, "public_flags": 0}


def role(role_id: int, name: str, permissions: int, position: int = 0) -> Payload:
    return {"id": str(role_id), "name": name, "permissions": str(permissions), "position": position,
            "color": 0, "hoist": False, "managed": False, "mentionable": False, "flags": 0}


def member(user_payload: Payload | None, roles: list[int], *, permissions: int | None = None) -> Payload:
    data: Payload = {"roles": [str(r) for r in roles], "joined_at": iso_now(), "deaf": False, "mute": False,
                     "flags": 0, "nick": None}
    if user_payload is not None:
        data["user"] = user_payload
    if permissions is not None:
        data["permissions"] = str(permissions)
    return data


def text_channel(channel_id: int, guild_id: int, name: str, position: int = 0) -> Payload:
    return {"id": str(channel_id), "type": 0, "guild_id": str(guild_id), "name": name, "position": position,
            "permission_overwrites": [], "nsfw": False, "parent_id": None, "topic": None,
            "last_message_id": None, "rate_limit_per_user": 0}


def dm_channel(channel_id: int, recipient: Payload) -> Payload:
    return {"id": str(channel_id), "type": 1, "recipients": [recipient], "last_message_id": None}


def guild(guild_id: int, name: str, owner_id: int, roles: list[Payload], channels: list[Payload],
          members: list[Payload]) -> Payload:
    return {
        "id": str(guild_id), "name": name, "owner_id": str(owner_id), "icon": None, "splash": None,
        "discovery_splash": None, "features": [], "roles": roles, "channels": channels, "members": members,
        "member_count": len(members), "threads": [], "stage_instances": [], "guild_scheduled_events": [],
        "soundboard_sounds": [], "voice_states": [], "presences": [], "emojis": [], "stickers": [],
        "large": False, "unavailable": False, "joined_at": iso_now(), "verification_level": 0,
        "default_message_notifications": 0, "explicit_content_filter": 0, "mfa_level": 0, "nsfw_level": 0,
        "premium_tier": 0, "preferred_locale": "en-US", "system_channel_id": None, "afk_channel_id": None,
        "afk_timeout": 300, "application_id": None, "vanity_url_code": None, "description": None,
        "banner": None, "max_members": 500000, "premium_subscription_count": 0,
    }


def message(message_id: int, channel_id: int, author: Payload, content: str, *, guild_id: int | None = None,
            member_payload: Payload | None = None, embeds: list[Payload] | None = None,
            components: list[Payload] | None = None, flags: int = 0) -> Payload:
    data: Payload = {
        "id": str(message_id), "channel_id": str(channel_id), "author": author, "content": content,
        "timestamp": iso_now(), "edited_timestamp": None, "tts": False, "mention_everyone": False,
        "mentions": [], "mention_roles": [], "attachments": [], "embeds": embeds or [], "pinned": False,
        "type": 0, "flags": flags, "components": components or [],
    }
    if guild_id is not None:
        data["guild_id"] = str(guild_id)
    if member_payload is not None:
        data["member"] = member_payload
    return data
