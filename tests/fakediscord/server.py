"""A fake Discord on 127.0.0.1: the REST API and the gateway a real discord.py client talks to.

It keeps one guild with two text channels and three users (an owner/admin, a member, and someone
else), records every REST request, can inject faults (429 with `Retry-After`, 5xx, 403 50013) on the
next matching request, and lets a test drive the gateway: MESSAGE_CREATE, INTERACTION_CREATE
(slash, autocomplete, button, select), closing the socket to force a RESUME.

Traps it avoids (see DESIGN.md): JSON is served as exactly `application/json`; a 429 carries
`Via` (without it discord.py treats the 429 as a Cloudflare ban); ids are snowflakes of now.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from . import payloads as p
from .payloads import Payload

API_PREFIX = "/api/v10"
EPHEMERAL = 1 << 6


@dataclass
class Recorded:
    """One REST request the client made."""

    method: str
    path: str
    query: dict[str, str]
    json: Any
    at: float = field(default_factory=time.monotonic)

    @property
    def channel_id(self) -> int | None:
        match = re.match(r"/channels/(\d+)/", self.path)
        return int(match.group(1)) if match else None


@dataclass
class Fault:
    method: str
    pattern: re.Pattern[str]
    status: int
    body: Payload
    headers: dict[str, str]
    times: int


@dataclass
class FakeUser:
    id: int
    name: str
    role_ids: list[int]

    @property
    def payload(self) -> Payload:
        return p.user(self.id, self.name)


class FakeDiscord:
    """An aiohttp app serving Discord's REST routes under /api/v10 and a gateway at /."""

    def __init__(self) -> None:
        self.bot_id = p.snowflake()
        self.application_id = self.bot_id
        self.bot_user = p.user(self.bot_id, "briefbot", bot=True)
        self.guild_id = p.snowflake()
        self.admin_role = p.snowflake()
        self.channel_id = p.snowflake()
        self.other_channel_id = p.snowflake()
        self.owner = FakeUser(p.snowflake(), "olivia", [self.admin_role])
        self.member = FakeUser(p.snowflake(), "max", [])
        self.stranger = FakeUser(p.snowflake(), "sam", [])
        self.users = {u.id: u for u in (self.owner, self.member, self.stranger)}

        self.requests: list[Recorded] = []
        self.messages: dict[int, Payload] = {}
        self.dm_channels: dict[int, int] = {}  # user id → DM channel id
        self.identifies = 0
        self.resumes = 0
        self.close_on_identify: int | None = None  # e.g. 4014: privileged intents not enabled for the app
        self._faults: list[Fault] = []
        self._changed = asyncio.Condition()
        self._ws: web.WebSocketResponse | None = None
        self._ws_ready = False
        self._seq = 0
        self._pending: list[Payload] = []
        self._originals: dict[str, int] = {}  # interaction token → response message id
        self._interaction_channels: dict[str, int] = {}  # interaction id → channel id
        self._component_messages: dict[str, int] = {}  # component interaction id → message id
        self._token_channels: dict[str, int] = {}  # interaction token → channel id
        self._runner: web.AppRunner | None = None
        self.port = 0

    # --- lifecycle --------------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/", self._gateway)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        if self._ws is not None and not self._ws.closed:
            await self._ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    # --- faults -----------------------------------------------------------------------------------

    def fail_next(self, method: str, path_regex: str, status: int, body: Payload | None = None,
                  headers: dict[str, str] | None = None, times: int = 1) -> None:
        """The next `times` requests matching `method` and `path_regex` (after /api/v10) fail so."""
        self._faults.append(Fault(method, re.compile(path_regex), status,
                                  body or {"message": "fault", "code": 0}, headers or {}, times))

    def rate_limit_next(self, method: str, path_regex: str, retry_after: float = 0.3) -> None:
        """A 429 as Discord sends it, behind Google's proxy (`Via`), with the rate-limit headers."""
        self.fail_next(method, path_regex, 429,
                       {"message": "You are being rate limited.", "retry_after": retry_after, "global": False},
                       {"Via": "1.1 google", "Retry-After": str(retry_after), "X-RateLimit-Limit": "5",
                        "X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": str(retry_after),
                        "X-RateLimit-Bucket": "fakebucket", "X-RateLimit-Scope": "user"})

    def forbid_next(self, method: str, path_regex: str) -> None:
        self.fail_next(method, path_regex, 403, {"message": "Missing Permissions", "code": 50013})

    # --- waiting on what the client did ------------------------------------------------------------

    def mark(self) -> int:
        return len(self.requests)

    async def wait_for(self, predicate: Callable[[Recorded], bool], *, after: int = 0,
                       timeout: float = 15.0) -> Recorded:
        """The first request from index `after` on that satisfies `predicate` (waiting for it)."""
        async def find() -> Recorded:
            async with self._changed:
                while True:
                    for req in self.requests[after:]:
                        if predicate(req):
                            return req
                    await self._changed.wait()

        return await asyncio.wait_for(find(), timeout)

    def matching(self, predicate: Callable[[Recorded], bool], *, after: int = 0) -> list[Recorded]:
        return [r for r in self.requests[after:] if predicate(r)]

    async def wait_for_post(self, channel_id: int, *, after: int = 0, timeout: float = 15.0) -> Recorded:
        path = f"/channels/{channel_id}/messages"
        return await self.wait_for(lambda r: r.method == "POST" and r.path == path, after=after, timeout=timeout)

    async def wait_for_callback(self, interaction: Payload, *, after: int = 0, timeout: float = 15.0) -> Recorded:
        path = f"/interactions/{interaction['id']}/{interaction['token']}/callback"
        return await self.wait_for(lambda r: r.method == "POST" and r.path == path, after=after, timeout=timeout)

    def dm_channel_of(self, user: FakeUser) -> int:
        if user.id not in self.dm_channels:
            self.dm_channels[user.id] = p.snowflake()
        return self.dm_channels[user.id]

    # --- REST -------------------------------------------------------------------------------------

    @staticmethod
    def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
        # exactly `application/json`: discord.py compares the header verbatim (no charset suffix)
        return web.Response(body=json.dumps(data).encode(), status=status,
                            headers={"Content-Type": "application/json", **(headers or {})})

    async def _body(self, request: web.Request) -> Any:
        if not request.can_read_body:
            return None
        if request.content_type.startswith("multipart/"):
            form = await request.post()
            raw = form.get("payload_json")
            return json.loads(str(raw)) if raw is not None else None
        text = await request.text()
        return json.loads(text) if text else None

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body = await self._body(request)
        async with self._changed:
            self.requests.append(Recorded(request.method, path, dict(request.query), body))
            self._changed.notify_all()
        for fault in self._faults:
            if fault.times > 0 and fault.method == request.method and fault.pattern.fullmatch(path):
                fault.times -= 1
                return self._json(fault.body, fault.status, fault.headers)
        for method, pattern, handler in self._routes():
            match = re.fullmatch(pattern, path)
            if method == request.method and match:
                result = await handler(body, *match.groups())
                if isinstance(result, web.Response):
                    return result
                return web.Response(status=204) if result is None else self._json(result)
        return self._json({"message": "404: Not Found", "code": 0}, 404)

    def _routes(self) -> list[tuple[str, str, Callable[..., Awaitable[Any]]]]:
        return [
            ("GET", r"/gateway/bot", self._get_gateway_bot),
            ("GET", r"/gateway", self._get_gateway),
            ("GET", r"/users/@me", self._get_me),
            ("GET", r"/oauth2/applications/@me", self._get_application),
            ("GET", r"/applications/@me", self._get_application),
            ("POST", r"/users/@me/channels", self._create_dm),
            ("POST", r"/channels/(\d+)/messages", self._create_message),
            ("PATCH", r"/channels/(\d+)/messages/(\d+)", self._edit_message),
            ("POST", r"/channels/(\d+)/typing", self._no_content),
            ("GET", r"/channels/(\d+)", self._get_channel),
            ("POST", r"/interactions/(\d+)/([^/]+)/callback", self._interaction_callback),
            ("POST", r"/webhooks/(\d+)/([^/]+)", self._followup),
            ("GET", r"/webhooks/(\d+)/([^/]+)/messages/(@original|\d+)", self._get_webhook_message),
            ("PATCH", r"/webhooks/(\d+)/([^/]+)/messages/(@original|\d+)", self._edit_webhook_message),
            ("PUT", r"/applications/(\d+)/commands", self._sync_commands),
            ("PUT", r"/applications/(\d+)/guilds/(\d+)/commands", self._sync_commands),
        ]

    async def _no_content(self, *_: Any) -> None:
        return None

    async def _get_gateway_bot(self, _body: Any) -> Payload:
        return {"url": self.gateway_url, "shards": 1,
                "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}}

    async def _get_gateway(self, _body: Any) -> Payload:
        return {"url": self.gateway_url}

    async def _get_me(self, _body: Any) -> Payload:
        return self.bot_user

    async def _get_application(self, _body: Any) -> Payload:
        return {"id": str(self.application_id), "name": "briefbot", "icon": None, "description": "",
                "bot_public": True, "bot_require_code_grant": False, "verify_key": "0" * 64, "flags": 0,
                "owner": self.owner.payload, "team": None, "summary": ""}

    async def _create_dm(self, body: Payload) -> Payload:
        user = self.users[int(body["recipient_id"])]
        return p.dm_channel(self.dm_channel_of(user), user.payload)

    async def _get_channel(self, _body: Any, channel_id: str) -> Payload | web.Response:
        names = {self.channel_id: "news", self.other_channel_id: "general"}
        if int(channel_id) not in names:
            return self._json({"message": "Unknown Channel", "code": 10003}, 404)
        return p.text_channel(int(channel_id), self.guild_id, names[int(channel_id)])

    def _store(self, channel_id: int, body: Payload, *, message_id: int | None = None) -> Payload:
        guild_id = self.guild_id if channel_id in (self.channel_id, self.other_channel_id) else None
        msg = p.message(message_id or p.snowflake(), channel_id, self.bot_user, body.get("content") or "",
                        guild_id=guild_id, embeds=body.get("embeds"), components=body.get("components"),
                        flags=body.get("flags") or 0)
        self.messages[int(msg["id"])] = msg
        return msg

    async def _create_message(self, body: Payload, channel_id: str) -> Payload:
        return self._store(int(channel_id), body)

    async def _edit_message(self, body: Payload, _channel_id: str, message_id: str) -> Payload:
        msg = self.messages[int(message_id)]
        for key in ("content", "embeds", "components"):
            if key in body:
                msg[key] = body[key]
        return msg

    async def _interaction_callback(self, body: Payload, interaction_id: str, token: str) -> Payload:
        kind = body["type"]
        data = body.get("data") or {}
        info: Payload = {"id": interaction_id, "type": 2, "response_message_loading": kind == 5,
                         "response_message_ephemeral": bool((data.get("flags") or 0) & EPHEMERAL)}
        result: Payload = {"interaction": info}
        channel_id = self._interaction_channels.get(interaction_id, self.channel_id)
        if kind in (4, 5):  # a message (or its "thinking…" placeholder)
            msg = self._store(channel_id, data)
            self._originals[token] = int(msg["id"])
            info["response_message_id"] = msg["id"]
            result["resource"] = {"type": kind, "message": msg}
        elif kind == 7:  # update the message the component is on
            message_id = self._component_messages[interaction_id]
            msg = await self._edit_message(data, str(channel_id), str(message_id))
            self._originals[token] = message_id
            info["response_message_id"] = msg["id"]
            result["resource"] = {"type": kind, "message": msg}
        return result

    async def _followup(self, body: Payload, _app_id: str, token: str) -> Payload:
        channel_id = self._token_channels.get(token, self.channel_id)
        return self._store(channel_id, body)

    async def _get_webhook_message(self, _body: Any, _app_id: str, token: str, which: str) -> Payload:
        return self.messages[self._originals[token] if which == "@original" else int(which)]

    async def _edit_webhook_message(self, body: Payload, _app_id: str, token: str, which: str) -> Payload:
        message_id = self._originals[token] if which == "@original" else int(which)
        return await self._edit_message(body, "0", str(message_id))

    async def _sync_commands(self, body: list[Payload], app_id: str, guild_id: str | None = None) -> Any:
        return [{**cmd, "id": str(p.snowflake()), "application_id": app_id, "version": "1",
                 **({"guild_id": guild_id} if guild_id else {})} for cmd in body]

    # --- gateway ----------------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._ws, self._ws_ready = ws, False
        await ws.send_json({"op": 10, "d": {"heartbeat_interval": 41250}, "s": None, "t": None})
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            frame = json.loads(msg.data)
            op = frame.get("op")
            if op == 1:
                await ws.send_json({"op": 11, "d": None, "s": None, "t": None})
            elif op == 2 and self.close_on_identify is not None:
                await ws.close(code=self.close_on_identify)
            elif op == 2:
                self.identifies += 1
                await self._send_event(ws, "READY", self._ready(frame["d"]))
                await self._send_event(ws, "GUILD_CREATE", self._guild())
                await self._flush(ws)
            elif op == 6:
                self.resumes += 1
                await self._send_event(ws, "RESUMED", {})
                await self._flush(ws)
        if self._ws is ws:
            self._ws, self._ws_ready = None, False
        return ws

    async def _send_event(self, ws: web.WebSocketResponse, name: str, data: Payload) -> None:
        self._seq += 1
        await ws.send_json({"op": 0, "t": name, "s": self._seq, "d": data})

    async def _flush(self, ws: web.WebSocketResponse) -> None:
        self._ws_ready = True
        pending, self._pending = self._pending, []
        for name_data in pending:
            await self._send_event(ws, name_data["t"], name_data["d"])

    def _ready(self, identify: Payload) -> Payload:
        shard = identify.get("shard") or [0, 1]
        return {"v": 10, "user": self.bot_user, "guilds": [{"id": str(self.guild_id), "unavailable": True}],
                "session_id": f"session-{self.identifies}", "resume_gateway_url": self.gateway_url,
                "shard": shard, "application": {"id": str(self.application_id), "flags": 0},
                "private_channels": [], "relationships": []}

    def _guild(self) -> Payload:
        everyone = p.role(self.guild_id, "@everyone", p.PERM_VIEW_SEND)
        admin = p.role(self.admin_role, "admin", p.PERM_VIEW_SEND | p.PERM_MANAGE_GUILD, position=1)
        channels = [p.text_channel(self.channel_id, self.guild_id, "news"),
                    p.text_channel(self.other_channel_id, self.guild_id, "general", 1)]
        members = [p.member(self.bot_user, []), *(p.member(u.payload, u.role_ids) for u in self.users.values())]
        return p.guild(self.guild_id, "Newsroom", self.owner.id, [everyone, admin], channels, members)

    async def dispatch(self, name: str, data: Payload) -> None:
        """Send a gateway event now, or once the client has (re)connected."""
        if self._ws is not None and self._ws_ready and not self._ws.closed:
            await self._send_event(self._ws, name, data)
        else:
            self._pending.append({"t": name, "d": data})

    async def drop_gateway(self, code: int = 4000) -> None:
        """Close the gateway socket with a resumable code, as Discord does on a server restart."""
        assert self._ws is not None, "no gateway connection"
        self._ws_ready = False
        await self._ws.close(code=code)

    # --- what users do ----------------------------------------------------------------------------

    def _member(self, user: FakeUser, *, with_permissions: bool = False) -> Payload:
        perms = p.PERM_VIEW_SEND | (p.PERM_MANAGE_GUILD if self.admin_role in user.role_ids else 0)
        if user.id == self.owner.id:
            perms |= p.PERM_ADMIN
        return p.member(user.payload if with_permissions else None, user.role_ids,
                        permissions=perms if with_permissions else None)

    async def say(self, user: FakeUser, content: str, *, dm: bool = False, channel_id: int | None = None) -> Payload:
        """A user posts `content` in a guild channel (default the news channel) or in their DM."""
        if dm:
            msg = p.message(p.snowflake(), self.dm_channel_of(user), user.payload, content)
        else:
            msg = p.message(p.snowflake(), channel_id or self.channel_id, user.payload, content,
                            guild_id=self.guild_id, member_payload=self._member(user))
        await self.dispatch("MESSAGE_CREATE", msg)
        return msg

    def _interaction(self, kind: int, user: FakeUser, data: Payload, *, dm: bool = False,
                     channel_id: int | None = None, message: Payload | None = None) -> Payload:
        interaction_id = p.snowflake()
        token = f"token-{interaction_id}"
        payload: Payload = {"id": str(interaction_id), "application_id": str(self.application_id), "type": kind,
                            "data": data, "token": token, "version": 1, "locale": "en-US",
                            "entitlements": [], "app_permissions": str(p.PERM_VIEW_SEND),
                            "attachment_size_limit": 10 * 1024 * 1024}
        if dm:
            channel = self.dm_channel_of(user)
            payload |= {"user": user.payload, "channel_id": str(channel), "context": 1,
                        "channel": p.dm_channel(channel, user.payload),
                        "authorizing_integration_owners": {"1": str(user.id)}}
        else:
            channel = channel_id or self.channel_id
            payload |= {"guild_id": str(self.guild_id), "channel_id": str(channel), "context": 0,
                        "member": self._member(user, with_permissions=True), "guild_locale": "en-US",
                        "channel": p.text_channel(channel, self.guild_id, "news"),
                        "authorizing_integration_owners": {"0": str(self.guild_id)}}
        if message is not None:
            payload["message"] = message
            self._component_messages[str(interaction_id)] = int(message["id"])
        self._interaction_channels[str(interaction_id)] = channel
        self._token_channels[token] = channel
        return payload

    async def slash(self, user: FakeUser, name: str, options: list[Payload] | None = None, *,
                    dm: bool = False, autocomplete: bool = False) -> Payload:
        """A slash command (INTERACTION_CREATE type 2), or its autocomplete request (type 4)."""
        data: Payload = {"id": str(p.snowflake()), "name": name, "type": 1, "options": options or []}
        resolved = self._resolved(options or [])
        if resolved:
            data["resolved"] = resolved
        interaction = self._interaction(4 if autocomplete else 2, user, data, dm=dm)
        await self.dispatch("INTERACTION_CREATE", interaction)
        return interaction

    def _resolved(self, options: list[Payload]) -> Payload:
        channels = {}
        for opt in options:
            if opt.get("type") == 7:
                channels[opt["value"]] = {**p.text_channel(int(opt["value"]), self.guild_id, "news"),
                                          "permissions": str(p.PERM_VIEW_SEND)}
            channels_in_sub = self._resolved(opt.get("options") or []).get("channels", {})
            channels.update(channels_in_sub)
        return {"channels": channels} if channels else {}

    async def click(self, user: FakeUser, message: Payload, *, label: str | None = None,
                    values: list[str] | None = None) -> Payload:
        """Press the button labelled `label`, or choose `values` in the select menu, on `message`."""
        component = self._find_component(self.messages[int(message["id"])], label, values is not None)
        data: Payload = {"custom_id": component["custom_id"], "component_type": component["type"]}
        if values is not None:
            data["values"] = values
        interaction = self._interaction(3, user, data, dm=message.get("guild_id") is None,
                                        channel_id=int(message["channel_id"]),
                                        message=self.messages[int(message["id"])])
        await self.dispatch("INTERACTION_CREATE", interaction)
        return interaction

    @staticmethod
    def _find_component(message: Payload, label: str | None, select: bool) -> Payload:
        for row in message.get("components") or []:
            for component in row.get("components", []):
                if select and component["type"] == 3:
                    return component
                if not select and component["type"] == 2 and component.get("label") == label:
                    return component
        raise AssertionError(f"no component {label or 'select'} on message {message['id']}")


def option(name: str, value: Any, kind: int = 3, *, focused: bool = False) -> Payload:
    """A slash-command option (3 string, 4 integer, 5 boolean, 7 channel)."""
    data: Payload = {"name": name, "type": kind, "value": value}
    if focused:
        data["focused"] = True
    return data


def subcommand(name: str, options: list[Payload] | None = None) -> Payload:
    return {"name": name, "type": 1, "options": options or []}
