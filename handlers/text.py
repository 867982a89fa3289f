"""Text helpers shared by the resolver and the handlers: folding for lookup, argument checks, formatting."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz.utils import default_process

MAX_ARG_CHARS = 300
MAX_COMBINING_RUN = 3  # more stacked marks than any real script needs on one letter: "zalgo" text

_POSSESSIVE_RE = re.compile(r"(?<=\w)['’ʼ](?:s\b|(?=\s|$))", re.IGNORECASE)
_DROP_RE = re.compile(r"['’ʼ.]")  # "U.S." → "US", "O'Brien" → "OBrien": the same on both sides of a lookup
_MAY_DROP = frozenset("'’ʼ.")
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


class BadArgument(ValueError):
    """A user argument that no command can use; the message is shown to the user as is."""


def fold(text: str) -> str:
    """The lookup form of a name: accents, case, punctuation and possessives folded, single spaces.

    "Marie-Claire Le Roux" → "marie claire le roux"; "Ortiz'" → "ortiz"; "U.S." → "us"; "Jordan’s" → "jordan".
    """
    if not text.isascii():
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    if _MAY_DROP.intersection(text):
        text = _DROP_RE.sub("", _POSSESSIVE_RE.sub("", text))
    return " ".join(default_process(text).split())


def check_arg(
    text: str, what: str, example: str, *, required: bool = True, max_chars: int = MAX_ARG_CHARS
) -> str:
    """`text` stripped, or BadArgument with a friendly message naming `what` and showing `example`."""
    if any(unicodedata.category(ch) == "Cs" for ch in text):
        raise BadArgument(f"The {what} contains characters that are not valid text.")
    cleaned = " ".join(text.split())  # tabs and newlines are spaces
    if not cleaned:
        if required:
            raise BadArgument(f"Please give a {what}, for example `{example}`.")
        return ""
    if len(cleaned) > max_chars:
        raise BadArgument(f"That {what} is too long ({len(cleaned):,} characters; at most {max_chars}).")
    for ch in cleaned:
        if unicodedata.category(ch) == "Cc" or ch in _BIDI_CONTROLS:
            raise BadArgument(f"The {what} contains control characters; please type plain text.")
    run = 0
    for ch in unicodedata.normalize("NFD", cleaned):
        run = run + 1 if unicodedata.combining(ch) else 0
        if run > MAX_COMBINING_RUN:
            raise BadArgument(f"The {what} is full of stacked accent marks; please type plain text.")
    return cleaned


def shorten(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(" ,;:") + "…"


INFERRED_SOURCES = frozenset({"text", "caption", "copyright"})  # dates no header or page metadata gave


def shown_date(date: str | None, source: str | None, missing: str = "undated") -> str:
    """An article's date as a reply shows it: marked "(inferred)" when it was read from the text, a caption or a
    copyright line rather than given by a header or the page's metadata."""
    if not date:
        return missing
    return f"{date} (inferred)" if source in INFERRED_SOURCES else date


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (many or word + 's')}"
