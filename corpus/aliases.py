"""Aliases: the curated alias file, acronym definitions and "also known as" phrases in the text."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from corpus.gazetteer import fold, without_article
from corpus.models import EntityKind
from corpus.nlp import load_nlp
from corpus.nlp import words as nlp_words


class AliasGroup(BaseModel):
    name: str
    kind: EntityKind
    aliases: list[str]


class AliasFile(BaseModel):
    groups: list[AliasGroup]


class AliasMatcher:
    """Token spans that spell a known alias, through spaCy's PhraseMatcher: case-sensitive aliases ("IS", "WHO")
    on the exact text, the others on the lowercased text, both as the pipeline's tokenizer splits them."""

    def __init__(self, surfaces: dict[str, tuple[EntityKind, bool]]) -> None:
        vocab = load_nlp().vocab
        self.exact = PhraseMatcher(vocab, attr="ORTH")
        self.folded = PhraseMatcher(vocab, attr="LOWER")
        self.kinds: dict[int, tuple[int, EntityKind]] = {}  # match id → (order of the alias, kind)
        for n, (surface, (kind, exact)) in enumerate(surfaces.items()):
            words = nlp_words(surface)
            if words:
                key = f"briefbot-alias-{n}"
                (self.exact if exact else self.folded).add(key, [Doc(vocab, words=list(words))])
                self.kinds[vocab.strings[key]] = (n, kind)

    def __call__(self, doc: Doc) -> list[tuple[int, int, bool, int, EntityKind]]:
        """(start, end, case-sensitive, order, kind) of every alias in `doc`, overlapping ones included."""
        return [(start, end, exact, *self.kinds[match_id])
                for exact, matcher in ((True, self.exact), (False, self.folded))
                for match_id, start, end in matcher(doc)]


def alias_spans(doc: Doc, matchers: list[AliasMatcher]) -> list[tuple[int, int, EntityKind]]:
    """Token spans of `doc` that spell an alias of one of `matchers`, left to right without overlaps: at each
    start the longest; on a tie a case-sensitive alias, then the earlier matcher's, then the alias added first."""
    best: dict[int, tuple[int, bool, int, int, EntityKind]] = {}  # start → (-end, not exact, matcher, order, kind)
    for m, matcher in enumerate(matchers):
        for start, end, exact, n, kind in matcher(doc):
            found = (-end, not exact, m, n, kind)
            if start not in best or found[:4] < best[start][:4]:
                best[start] = found
    out, free = [], 0
    for start in sorted(best):
        if start >= free:
            end = -best[start][0]
            out.append((start, end, best[start][4]))
            free = end
    return out


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
        self._matcher: AliasMatcher | None = None
        for group in groups:
            for alias in (group.name, *group.aliases):
                if is_case_sensitive(alias):
                    self.exact[alias] = group
                else:
                    self.folded[_key(alias)] = group

    def matcher(self) -> AliasMatcher:
        """The curated aliases' matcher, built on first use."""
        if self._matcher is None:
            self._matcher = AliasMatcher(self.kinds)
        return self._matcher

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
