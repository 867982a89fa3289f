"""Aliases: the curated alias file, acronym definitions and "also known as" phrases in the text."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from functools import lru_cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel

from corpus.gazetteer import fold, without_article
from corpus.models import EntityKind
from corpus.nlp import words as nlp_words


class AliasGroup(BaseModel):
    name: str
    kind: EntityKind
    aliases: list[str]


class AliasFile(BaseModel):
    groups: list[AliasGroup]


AliasIndex = dict[str, list[tuple[list[str], EntityKind, bool]]]


def alias_index(surfaces: dict[str, tuple[EntityKind, bool]]) -> AliasIndex:
    """First token → (token sequence, kind, case-sensitive) for every alias, longest first."""
    index: AliasIndex = defaultdict(list)
    for surface, (kind, exact) in surfaces.items():
        words = list(nlp_words(surface))
        if not words:
            continue
        index[words[0] if exact else words[0].lower()].append(
            (words if exact else [w.lower() for w in words], kind, exact))
    for entries in index.values():
        entries.sort(key=lambda e: -len(e[0]))
    return index


class Curated:
    """Lookup of curated alias groups: surface → (canonical name, kind)."""

    def __init__(self, groups: list[AliasGroup]) -> None:
        self.groups = groups
        self.exact: dict[str, AliasGroup] = {}
        self.folded: dict[str, AliasGroup] = {}
        self._seen: dict[str, AliasGroup | None] = {}
        self.kinds: dict[str, tuple[EntityKind, bool]] = {
            alias: (group.kind, is_case_sensitive(alias)) for group in groups for alias in (group.name, *group.aliases)
        }
        self._token_index: AliasIndex | None = None
        for group in groups:
            for alias in (group.name, *group.aliases):
                if is_case_sensitive(alias):
                    self.exact[alias] = group
                else:
                    self.folded[_key(alias)] = group

    def token_index(self) -> AliasIndex:
        """The curated aliases as a token index, built on first use."""
        if self._token_index is None:
            self._token_index = alias_index(self.kinds)
        return self._token_index

    def lookup(self, surface: str) -> AliasGroup | None:
        if surface not in self._seen:
            bare = without_article(surface)
            bare = re.sub(r"[’']s?$", "", bare)
            self._seen[surface] = self.exact.get(bare) or self.folded.get(_key(bare))
        return self._seen[surface]


def _key(text: str) -> str:
    return fold(text).replace(" ", "")


def is_case_sensitive(alias: str) -> bool:
    """Short all-capital aliases ("IS", "US", "WHO") only match with their case."""
    letters = re.sub(r"[^A-Za-z]", "", alias)
    return letters.isupper() and len(letters) <= 4


def load_curated(extra: Path | None = None) -> Curated:
    """The shipped alias file plus, when given, a user's file of the same shape."""
    return _load_curated(str(extra) if extra else None)


@lru_cache(maxsize=4)
def _load_curated(extra: str | None) -> Curated:
    text = resources.files("corpus").joinpath("data/aliases.json").read_text(encoding="utf-8")
    groups = AliasFile.model_validate_json(text).groups
    if extra:
        groups = groups + AliasFile.model_validate(json.loads(Path(extra).read_text(encoding="utf-8"))).groups
    return Curated(groups)


# --- acronym definitions (Schwartz & Hearst 2003) --------------------------------------------------

_SHORT_RE = re.compile(r"^[A-Za-z0-9][\w.&-]{0,9}$")


def _is_short_form(text: str) -> bool:
    return bool(_SHORT_RE.match(text)) and any(c.isupper() for c in text) and sum(c.isalpha() for c in text) >= 2


def _match_long_form(short: str, words: list[str]) -> str | None:
    """The shortest tail of `words` whose letters spell `short` (Schwartz–Hearst), or None."""
    long = " ".join(words)
    s_chars = [c.lower() for c in short if c.isalnum()]
    l_idx = len(long) - 1
    for s_pos in range(len(s_chars) - 1, -1, -1):
        ch = s_chars[s_pos]
        while l_idx >= 0 and (long[l_idx].lower() != ch or (s_pos == 0 and l_idx > 0 and long[l_idx - 1].isalnum())):
            l_idx -= 1
        if l_idx < 0:
            return None
        l_idx -= 1
    start = long.rfind(" ", 0, l_idx + 1) + 1
    result = long[start:].strip()
    n_words = len(result.split())
    if n_words < 2 or n_words > min(len(s_chars) + 5, 2 * len(s_chars)) + 1:
        return None
    if not result[0].isupper():
        return None
    return result


def acronym_definitions(sentence: str) -> list[tuple[str, str]]:
    """(long form, short form) pairs defined in a sentence: "Syrian Democratic Forces (SDF)"."""
    pairs = []
    for m in re.finditer(r"\(([^()]{1,120})\)", sentence):
        inner = m.group(1).strip()
        before = re.sub(r"[,;:]$", "", sentence[: m.start()].rstrip()).split()
        if _is_short_form(inner):
            window = before[-min(len(inner) + 5, 2 * len(inner)):]
            long = _match_long_form(inner, window)
            if long:
                pairs.append((without_article(long), inner))
        elif len(inner.split()) >= 2 and before and _is_short_form(before[-1]):
            long = _match_long_form(before[-1], inner.split())
            if long == inner:
                pairs.append((inner, before[-1]))
    return pairs


# --- "also known as" --------------------------------------------------------------------------------

_KNOWN_AS_RE = re.compile(
    r"\b(?:also |commonly |widely |often |sometimes )?(?:known|referred to|called|dubbed|abbreviated) as\s+(.+?)"
    r"(?=[.;:)]\s|[.;:)]$|\s[—–]\s|,\s(?:which|who|that|and|but|while)\b|$)"
)
_DESCRIPTIVE = re.compile(r"\b(?:acronym|abbreviation|name|nickname|initials|moniker|short)\b", re.IGNORECASE)


def known_as(sentence: str) -> list[tuple[int, str]]:
    """(offset of the phrase, alias) for each alias named by "also known as / referred to as …"."""
    found = []
    for m in _KNOWN_AS_RE.finditer(sentence):
        for piece in re.split(r",\s*|\s+or\s+", m.group(1)):
            piece = piece.strip(" \"“”'")
            piece = re.sub(r"^(?:by\s+)?(?:its|their|the|his|her)\s+", "", piece)
            if not piece or _DESCRIPTIVE.search(piece):
                continue
            words = piece.split()
            if all(w[0].isupper() or w.lower() in {"of", "the", "and", "al", "de"} for w in words if w) \
                    and words[0][0].isupper() and len(words) <= 8:
                found.append((m.start(), piece))
    return found
