"""The command dispatcher. Each command (one module each, over `handlers.query`) takes an open `Index` and
the user's arguments and returns a `Reply`; none raises on any user string (bad arguments are an `error`
reply, unexpected failures are logged and reported).

Lines cite documents as `[n]`; `Reply.citations` says which document each n is.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from rapidfuzz import fuzz, process

from handlers.common import quoted, safe
from handlers.digest import digest, parse_since
from handlers.figures import figures
from handlers.help import COMMANDS, help_reply
from handlers.index import Index
from handlers.models import Candidate, Reply
from handlers.quotes import quotes
from handlers.resolver import WHO_KINDS
from handlers.search import search
from handlers.sources import doc, sources
from handlers.text import BadArgument, check_arg
from handlers.timeline import timeline
from handlers.trend import trend
from handlers.who import who

__all__ = ["BadArgument", "autocomplete", "digest", "dispatch", "doc", "figures", "help_reply", "parse_since",
           "quotes", "search", "sources", "split_name", "timeline", "trend", "who"]

log = logging.getLogger(__name__)

MAX_COMMAND_CHARS = 400
DISCORD_ONLY = {name.split()[-1] for name, c in COMMANDS.items() if c.discord_only}  # subscribe, list, sync…


def split_name(index: Index, args: str) -> tuple[str, str]:
    """ "quotes" arguments → (name, words): a quoted name, else the longest leading words that resolve."""
    if args[:1] in {'"', "“"}:
        name, _, rest = args[1:].partition("”" if args[0] == "“" else '"')
        return name, rest
    parts = args.split()
    fallback = None
    for k in range(min(len(parts), 6), 0, -1):
        res = index.resolver.resolve(" ".join(parts[:k]), WHO_KINDS)
        if res.status == "ok":
            return " ".join(parts[:k]), " ".join(parts[k:])
        if res.status == "ambiguous" and fallback is None:
            fallback = (" ".join(parts[:k]), " ".join(parts[k:]))
    return fallback or (args, "")


def _needs_discord(what: str) -> Reply:
    return Reply(status="error", command="help", title="That needs Discord",
                 lines=[f"{what} works only in the Discord bot (set DISCORD_TOKEN in .env and run `make run`);"
                        " everything else works here the same."])


@safe("digest")
def _digest_args(index: Index, args: str) -> Reply:
    word, _, rest = args.partition(" ")
    if word.lower() in DISCORD_ONLY:
        return _needs_discord(f"`digest {word.lower()}`")
    if word.lower() == "now":
        args = rest.strip()
    return digest(index, parse_since(args) if args else None)


def _quotes_args(index: Index, args: str) -> Reply:
    return quotes(index, *split_name(index, args)) if args else quotes(index)


RUNNERS: dict[str, Callable[[Index, str, str], Reply]] = {
    "who": lambda ix, args, _: who(ix, args),
    "quotes": lambda ix, args, _: _quotes_args(ix, args),
    "figures": lambda ix, args, _: figures(ix, args),
    "search": lambda ix, args, _: search(ix, args),
    "sources": lambda ix, args, _: sources(ix, args),
    "doc": lambda ix, args, _: doc(ix, args),
    "timeline": lambda ix, args, _: timeline(ix, args),
    "trend": lambda ix, args, _: trend(ix, args),
    "digest": lambda ix, args, _: _digest_args(ix, args),
    "sync": lambda ix, _, __: _needs_discord("`sync`"),
    "help": lambda ix, args, prefix: help_reply(prefix, ix, args, console=True),
}
COMMAND_NAMES: dict[str, str] = {
    **{name: name for name in RUNNERS},
    "whois": "who", "quote": "quotes", "said": "quotes", "figure": "figures", "numbers": "figures",
    "find": "search", "source": "sources", "docs": "sources", "documents": "sources", "document": "doc",
    "open": "doc", "events": "timeline", "chart": "trend", "briefing": "digest", "brief": "digest",
    "news": "digest", "commands": "help", "?": "help",
}


@safe("dispatch")
def dispatch(index: Index, text: str, prefix: str = "!") -> Reply:
    """Answer one typed command: "!who X", "/figures fighters" or "who X" (prefix optional)."""
    text = check_arg(text, "command", f"{prefix}help", max_chars=MAX_COMMAND_CHARS)
    for lead in (prefix, "/"):
        if lead and text.startswith(lead):
            text = text[len(lead):].lstrip()
            break
    word, _, args = text.partition(" ")
    command = COMMAND_NAMES.get(word.lower())
    if command is None:
        guess = process.extractOne(word.lower(), list(RUNNERS), scorer=fuzz.ratio, score_cutoff=60)
        hint = f" Did you mean {prefix}{guess[0]}?" if guess else ""
        raise BadArgument(f"I don't know the command {quoted(word)}.{hint} Type {prefix}help for the list.")
    return index.run(RUNNERS[command], args.strip(), prefix)


def autocomplete(
    index: Index, partial: str, kinds: tuple[str, ...] | None = None, limit: int = 25
) -> list[Candidate]:
    """Up to `limit` names for a partly typed one, from memory; empty input → the most mentioned names."""
    try:
        cleaned = check_arg(partial[:100], "name", "", required=False)
        typed_on = cleaned + " " if cleaned and partial[:100][-1:].isspace() else cleaned
        index.sync()
        return index.resolver.complete(typed_on, kinds, limit)
    except BadArgument:
        return []
    except Exception:
        log.exception("autocomplete failed")
        return []
