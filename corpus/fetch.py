"""Fetching pages and feeds safely: http(s) only; every address a name resolves to, on every redirect, must be
public (no private, loopback, link-local, multicast or reserved address unless a setting allows it);
a size cap, a timeout, a redirect limit and a content-type check; conditional GET for feeds. Each failure
is a `FetchError` whose message a user can read.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

MAX_BYTES = 5 * 1024 * 1024
TIMEOUT_SECONDS = 20.0
MAX_REDIRECTS = 5
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/feed+json",
              "application/json", "text/html", "text/plain")
USER_AGENT = "briefbot/0.1 (+a news briefing bot; fetches pages it is asked to index)"


class FetchError(Exception):
    """A page or feed that could not be fetched, with the reason in words."""


@dataclass
class Fetched:
    url: str
    status: int
    content_type: str = ""
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class GuardedResolver(AbstractResolver):
    """Resolves like the system resolver, then refuses non-public addresses (so a redirect or a DNS answer
    can never reach the local network)."""

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private
        self.inner = aiohttp.ThreadedResolver()

    async def resolve(self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
                      ) -> list[ResolveResult]:
        results = await self.inner.resolve(host, port, family)
        if not self.allow_private:
            blocked = [r["host"] for r in results if not _public(r["host"])]
            if blocked:
                raise FetchError(f"{host} resolves to a private or local address ({blocked[0]}); refused")
        return results

    async def close(self) -> None:
        await self.inner.close()


def check_url(url: str, allow_private: bool = False) -> str:
    """The URL if it is an http(s) URL whose host is not a literal private address; FetchError otherwise."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise FetchError(f"not a web address: {url[:200]!r} (http:// or https:// only)")
    try:
        literal = ipaddress.ip_address(parts.hostname)
    except ValueError:
        literal = None
    if literal is not None and not allow_private and not _public(str(literal)):
        raise FetchError(f"{parts.hostname} is a private or local address; refused")
    return url.strip()


async def fetch(url: str, *, allow_private: bool = False, accept: tuple[str, ...] = PAGE_TYPES,
                max_bytes: int = MAX_BYTES, timeout: float = TIMEOUT_SECONDS, max_redirects: int = MAX_REDIRECTS,
                headers: dict[str, str] | None = None) -> Fetched:
    """GET `url` within the limits; a 304 answer (to conditional `headers`) comes back with an empty body."""
    url = check_url(url, allow_private)
    connector = aiohttp.TCPConnector(resolver=GuardedResolver(allow_private), limit=4)
    client_timeout = aiohttp.ClientTimeout(total=timeout)
    send = {"User-Agent": USER_AGENT, **(headers or {})}
    try:
        async with aiohttp.ClientSession(connector=connector, timeout=client_timeout) as session:
            for _ in range(max_redirects + 1):
                async with session.get(url, headers=send, allow_redirects=False) as resp:
                    if resp.status in {301, 302, 303, 307, 308} and "Location" in resp.headers:
                        url = check_url(urljoin(url, resp.headers["Location"]), allow_private)
                        continue
                    return await _read(resp, url, accept, max_bytes)
            raise FetchError(f"too many redirects (more than {max_redirects})")
    except FetchError:
        raise
    except aiohttp.ClientConnectorError as exc:
        cause: Any = exc.__cause__ or exc.os_error
        if isinstance(cause, FetchError):
            raise cause from None
        raise FetchError(f"could not connect to {urlsplit(url).hostname} ({exc.os_error})") from None
    except TimeoutError:
        raise FetchError(f"timed out after {timeout:.0f} s") from None
    except aiohttp.ClientError as exc:
        raise FetchError(f"the request failed ({exc.__class__.__name__}: {exc})") from None


async def _read(resp: aiohttp.ClientResponse, url: str, accept: tuple[str, ...], max_bytes: int) -> Fetched:
    kept = {k: resp.headers[k] for k in ("ETag", "Last-Modified") if k in resp.headers}
    if resp.status == 304:
        return Fetched(url=url, status=304, headers=kept)
    if resp.status >= 400:
        raise FetchError(f"the server answered {resp.status} {resp.reason or ''}".rstrip())
    ctype = resp.content_type or ""
    if ctype not in accept:
        raise FetchError(f"not an article or feed (content type {ctype or 'unknown'})")
    if resp.content_length is not None and resp.content_length > max_bytes:
        raise FetchError(f"too large ({resp.content_length:,} bytes; the limit is {max_bytes:,})")
    body = bytearray()
    async for chunk in resp.content.iter_chunked(65536):
        body += chunk
        if len(body) > max_bytes:
            raise FetchError(f"too large (over {max_bytes:,} bytes)")
    return Fetched(url=url, status=resp.status, content_type=ctype, body=bytes(body), headers=kept)


def fetch_sync(url: str, **kw: Any) -> Fetched:
    """`fetch` for the command line."""
    return asyncio.run(fetch(url, **kw))
