"""What every command shares: the error wrapper, name resolution replies, topic and date arguments."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from functools import wraps
from typing import ParamSpec

from handlers.index import Index
from handlers.models import Reply
from handlers.resolver import ALL_KINDS, MAX_CANDIDATES, Resolution
from handlers.text import BadArgument, shorten

log = logging.getLogger("handlers.commands")

P = ParamSpec("P")

TITLE_CHARS = 200
SENTENCE_CHARS = 220
MAX_LIST = 40  # lines of one list (quotes, events, documents); Reply.pages splits them for display
STRICT_STAGES = {"id", "alias", "token"}  # a topic names an entity only when it matches a name exactly
SEARCH_STOPWORDS = frozenset(
    {"the", "a", "an", "of", "and", "or", "to", "in", "on", "for", "is", "was", "at", "by", "with", "from",
     "that", "this", "it", "as", "be", "are", "not", "no"}
)
DATE_RE = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
RANGE_RE = re.compile(rf"^({DATE_RE})?\s*(?:\.\.|…)\s*({DATE_RE})?$|^({DATE_RE})$")


def error_reply(command: str, message: str) -> Reply:
    return Reply(status="error", command=command, title="That did not work", lines=[message])


def safe(command: str) -> Callable[[Callable[P, Reply]], Callable[P, Reply]]:
    """Turn BadArgument into an error reply and any other failure into a logged, apologetic one."""

    def wrap(fn: Callable[P, Reply]) -> Callable[P, Reply]:
        @wraps(fn)
        def inner(*args: P.args, **kwargs: P.kwargs) -> Reply:
            try:
                return fn(*args, **kwargs)
            except BadArgument as exc:
                return error_reply(command, str(exc))
            except Exception:
                log.exception("command %s failed", command)
                return error_reply(command, "Sorry, briefbot failed to answer that; the error has been logged.")

        return inner

    return wrap


def title(text: str) -> str:
    return shorten(text, TITLE_CHARS)


def quoted(text: str) -> str:
    return f"“{shorten(text, 60)}”"


def unresolved(index: Index, command: str, name: str, res: Resolution, kinds: tuple[str, ...]) -> Reply:
    """The reply to a name that is ambiguous or not found: the candidates, else the most mentioned names."""
    if res.status == "ambiguous":
        lines = [f"{quoted(name)} could be:"]
        lines += [f"{i}. {c.name} ({c.kind})" for i, c in enumerate(res.candidates, 1)]
        lines.append("Pick one, or ask again with the full name.")
        return Reply(status="ambiguous", command=command, title=title(f"Which {quoted(name)}?"), lines=lines,
                     candidates=res.candidates)
    lines = [f"Nobody and nothing called {quoted(name)} is in the index."]
    candidates = res.candidates
    if candidates:
        lines.append("Nearest names: " + ", ".join(c.name for c in candidates))
    else:
        candidates = index.resolver.top(kinds, MAX_CANDIDATES)
        if candidates:
            lines.append("Most mentioned: " + ", ".join(c.name for c in candidates))
    return Reply(status="not_found", command=command, title=title(f"{quoted(name)} not found"), lines=lines,
                 candidates=candidates)


def strict_entity(index: Index, topic: str) -> str | None:
    """The entity a topic names exactly (alias or whole words), else None: topics are never fuzzy-matched."""
    res = index.resolver.resolve(topic, ALL_KINDS)
    return res.entity_id if res.status == "ok" and res.stage in STRICT_STAGES else None


def terms(text: str) -> list[str]:
    """Words of a user's text; function words dropped when others remain."""
    words = [w[:50] for w in re.findall(r"\w+", text)][:12]
    content = [w for w in words if w.lower() not in SEARCH_STOPWORDS]
    return content or words


def fts_query(words: Sequence[str], op: str = " ") -> str:
    """An FTS5 query in which every term is a quoted string: user text can never be FTS syntax."""
    return op.join(fts_string(t) for t in words)


def fts_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def split_range(text: str) -> tuple[str, str | None, str | None]:
    """ "coalition 2019-01..2019-06" → ("coalition", "2019-01", "2019-06"); a lone year or month is a range
    of itself ("2019" → from 2019 to 2019); a trailing or leading date range is taken off the topic."""
    words = text.split()
    for at in (len(words) - 1, 0):
        if not words:
            break
        match = RANGE_RE.match(words[at])
        if match:
            rest = " ".join(words[:at] + words[at + 1:])
            if match[3]:
                return rest, match[3], match[3]
            if match[1] or match[2]:
                return rest, match[1], match[2]
    return text, None, None


def range_label(date_from: str | None, date_to: str | None) -> str:
    if date_from and date_from == date_to:
        return f" in {date_from}"
    if date_from and date_to:
        return f" from {date_from} to {date_to}"
    if date_from:
        return f" from {date_from}"
    return f" up to {date_to}" if date_to else ""
