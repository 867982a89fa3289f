"""Fuzzy entity resolution and autocomplete, answered from memory.

Order (DESIGN.md, "Fuzzy resolution"), each step only when the previous one found nothing:

1. exact id (`person:nathan-sales`), then exact alias, with case, accents, punctuation and possessives folded;
2. the token index: entities having every query word among their name or alias words (surname, forename);
3. `token_set_ratio` (on text folded with `rapidfuzz.utils.default_process`) between the query and the
   names of the entities whose words cover every query word, allowing a typo per word;
4. per-word `ratio` for typos ("Stoltenburg", "Pompei") over the same covering entities.

Every query word must be covered by a word of the entity (exactly, or by `ratio` ≥ TOKEN_MIN for words of
MIN_FUZZY_LEN letters or more), so a query never resolves through a fragment: "sales tax" is not
Nathan-Sales-with-an-extra-word, and "Salesforce" is not "Sales" (no partial_ratio / WRatio anywhere).

Typo lookup is blocked by first and by last letter (one typo cannot change both), which keeps it to a
fraction of the vocabulary; entity numbers are assigned in decreasing mention order, so "most mentioned
first" is "smallest number first" everywhere.
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz, process

from handlers.models import Candidate
from handlers.text import fold

ALL_KINDS: tuple[str, ...] = ("person", "organization", "group", "place")
WHO_KINDS: tuple[str, ...] = ALL_KINDS  # people first, then organizations and groups, places last

NAME_MIN = 85.0  # token_set_ratio for a name-level match
TOKEN_MIN = 80.0  # ratio for a word-level match: one substitution in a 5-letter word, one typo in longer ones
NEAR_MIN = 60.0  # what is still worth offering as "did you mean"
MARGIN = 6.0  # how far the best must beat the runner-up to be picked without asking
MIN_FUZZY_LEN = 4  # shorter words must match exactly
MAX_CANDIDATES = 5
MAX_POOL = 20  # "did you mean": most-mentioned entities considered per similar word
MAX_NEAR_WORDS = 10  # "did you mean": similar index words considered per query word
MAX_POSTINGS = 1000  # a word shared by more entities than this only narrows among the most mentioned
MAX_SCORED = 50  # covering candidates (best word scores first) whose names are scored with token_set_ratio
SCAN_THRESHOLD = 2000  # autocomplete: above this many prefix postings, scan entities in mention order

# Words a user may add around a name that are never needed to find it.
OPTIONAL_WORDS = frozenset({
    "the", "of", "and", "a", "an", "mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "prof",
    "president", "minister", "secretary", "senator", "sen", "rep", "general", "gen", "king", "queen",
    "prince", "princess", "pope", "chancellor", "governor", "mayor",
})

Kinds = tuple[str, ...] | None
Ranker = Callable[[int], int | None]
Stage = Literal["id", "alias", "token", "name", "typo", "none"]


@dataclass
class Resolution:
    """The outcome of resolving one name."""

    status: Literal["ok", "ambiguous", "not_found"]
    entity_id: str | None = None
    candidates: list[Candidate] = field(default_factory=list)
    stage: Stage = "none"


class Resolver:
    """In-memory lookup tables over the entities and aliases of an index (read-only once built)."""

    def __init__(
        self, entities: Iterable[tuple[str, str, str, int]], aliases: Iterable[tuple[str, str]]
    ) -> None:
        """`entities`: (id, name, kind, mention_count); `aliases`: (entity_id, alias)."""
        rows = sorted(entities, key=lambda r: (-r[3], r[0]))
        self.ids: list[str] = [r[0] for r in rows]
        self.names: list[str] = [r[1] for r in rows]
        self.kinds: list[str] = [r[2] for r in rows]
        self.mentions: list[int] = [r[3] for r in rows]
        self.number: dict[str, int] = {eid: n for n, eid in enumerate(self.ids)}
        forms: list[list[str]] = [[fold(name)] for name in self.names]
        for eid, alias in aliases:
            n = self.number.get(eid)
            if n is not None:
                key = fold(alias)
                if key and key not in forms[n]:
                    forms[n].append(key)
        # Folded forms of each entity, canonical name first.
        self.forms: list[tuple[str, ...]] = [tuple(f for f in fs if f) for fs in forms]
        exact: dict[str, list[int]] = {}
        postings: dict[str, list[int]] = {}
        for n, fs in enumerate(self.forms):
            words: set[str] = set()
            for form in fs:
                exact.setdefault(form, []).append(n)
                words.update(form.split())
            for word in words:
                postings.setdefault(word, []).append(n)  # n ascends: most mentioned first
        self.exact: dict[str, list[int]] = exact
        self.postings: dict[str, list[int]] = postings
        self.words: list[str] = sorted(self.postings)
        by_first: dict[str, list[str]] = {}
        by_last: dict[str, list[str]] = {}
        for word in self.words:
            if len(word) >= MIN_FUZZY_LEN - 1:
                by_first.setdefault(word[0], []).append(word)
                by_last.setdefault(word[-1], []).append(word)
        self.by_first = by_first
        self.by_last = by_last

    @classmethod
    def from_connection(cls, conn: sqlite3.Connection) -> Resolver:
        entities = conn.execute("SELECT id, name, kind, mention_count FROM entities").fetchall()
        return cls(entities, conn.execute("SELECT entity_id, alias FROM aliases ORDER BY entity_id, alias"))

    def __len__(self) -> int:
        return len(self.ids)

    # --- public API -------------------------------------------------------------------------------------

    def resolve(self, query: str, kinds: Kinds = None) -> Resolution:
        """Resolve a user-typed name (or an exact entity id) to one entity, candidates, or nothing."""
        raw = query.strip()
        if raw in self.number:
            return Resolution("ok", raw, [self.candidate(self.number[raw], 100.0)], "id")
        q = fold(raw)
        rank = self._ranker(kinds)
        if not q:
            return Resolution("not_found", candidates=[])
        hits = [n for n in self.exact.get(q, ()) if rank(n) is not None]
        if hits:
            named = [n for n in hits if self.forms[n][0] == q]
            chosen = named if len(named) == 1 else hits
            return self._decide({n: 100.0 for n in chosen}, rank, "alias")
        words = self._needed_words(q.split())
        exact_hits = self._covering([{w: 100.0} if w in self.postings else {} for w in words], rank)
        if exact_hits:
            return self._decide({n: 100.0 for n in exact_hits}, rank, "token")
        covering = self._covering([self._word_matches(w, TOKEN_MIN) for w in words], rank)
        if covering:
            best = sorted(covering, key=lambda n: (-sum(covering[n]), n))[:MAX_SCORED]
            covering = {n: covering[n] for n in best}
            by_name = {n: s for n, s in ((n, self._name_score(q, n)) for n in covering) if s >= NAME_MIN}
            if by_name:
                return self._decide(by_name, rank, "name")
            typo = {n: sum(scores) / len(scores) for n, scores in covering.items()}
            return self._decide(typo, rank, "typo")
        return Resolution("not_found", candidates=self.nearest(q, kinds))

    def nearest(self, q: str, kinds: Kinds = None, limit: int = MAX_CANDIDATES) -> list[Candidate]:
        """Names close to the folded query `q` (any word similar), best first; empty when nothing is close."""
        rank = self._ranker(kinds)
        words = q.split()
        per_word = [self._word_matches(word, NEAR_MIN, MAX_NEAR_WORDS) for word in words]
        pool = {
            n
            for matches in per_word
            for match in matches
            for n in self.postings[match][:MAX_POOL]
            if rank(n) is not None
        }
        scored = []
        for n in pool:
            entity_words = self._entity_words(n)
            # Mean over the query words of the best similar word of the entity: uncovered words count 0.
            coverage = [max((m.get(w, 0.0) for w in entity_words), default=0.0) for m in per_word]
            scored.append((sum(coverage) / len(words), n))
        scored.sort(key=lambda sn: (-sn[0], rank(sn[1]), sn[1]))
        return [self.candidate(n, s) for s, n in scored[:limit]]

    def top(self, kinds: Kinds = None, limit: int = MAX_CANDIDATES) -> list[Candidate]:
        """The most-mentioned entities of the given kinds."""
        rank = self._ranker(kinds)
        out: list[Candidate] = []
        for n in range(len(self.ids)):
            if len(out) >= limit:
                break
            if rank(n) is not None:
                out.append(self.candidate(n, 0.0))
        return out

    def complete(self, partial: str, kinds: Kinds = None, limit: int = 25) -> list[Candidate]:
        """Autocomplete: up to `limit` names for a partly typed one; empty input → the most mentioned."""
        limit = max(0, min(limit, 100))
        q = fold(partial)
        if not q:
            return self.top(kinds, limit)
        rank = self._ranker(kinds)
        words = q.split()
        whole, last = (words, None) if partial[-1:].isspace() else (words[:-1], words[-1])
        found = self._prefix_matches(whole, last, rank, limit)
        scores = {n: self._complete_score(q, n) for n in found}
        if len(scores) < limit and len(q) >= MIN_FUZZY_LEN:
            covering = self._covering([self._word_matches(w, TOKEN_MIN) for w in words], rank)
            for n, word_scores in covering.items():
                scores.setdefault(n, min(word_scores) * 0.6)
        ranked = sorted(scores, key=lambda n: (-scores[n], rank(n), n))[:limit]
        return [self.candidate(n, round(scores[n], 1)) for n in ranked]

    def candidate(self, n: int, score: float) -> Candidate:
        return Candidate(id=self.ids[n], name=self.names[n], kind=self.kinds[n], score=round(score, 1))

    # --- steps --------------------------------------------------------------------------------------------

    def _ranker(self, kinds: Kinds) -> Ranker:
        """n → preference rank of its kind (0 best, the order of `kinds`), or None when filtered out."""
        if kinds is None:
            return lambda n: 0
        order = {kind: i for i, kind in enumerate(kinds)}
        entity_kinds = self.kinds
        return lambda n: order.get(entity_kinds[n])

    def _needed_words(self, words: list[str]) -> list[str]:
        """The query words that must be covered: optional words (titles, articles) only if nothing else."""
        needed = [w for w in words if w not in OPTIONAL_WORDS]
        return needed or words

    def _word_matches(self, word: str, cutoff: float, limit: int | None = None) -> dict[str, float]:
        """Index words equal or similar (rapidfuzz `ratio` ≥ cutoff) to `word`, with their scores."""
        matches: dict[str, float] = {word: 100.0} if word in self.postings else {}
        if len(word) >= MIN_FUZZY_LEN:
            for bucket in (self.by_first.get(word[0]), self.by_last.get(word[-1])):
                if bucket:
                    for match, score, _ in process.extract(
                        word, bucket, scorer=fuzz.ratio, score_cutoff=cutoff, limit=limit
                    ):
                        if score > matches.get(match, 0.0):
                            matches[match] = score
        return matches

    def _covering(self, per_word: list[dict[str, float]], rank: Ranker) -> dict[int, list[float]]:
        """Entities with a matching word for every query word → the best score per query word."""
        if not per_word or any(not m for m in per_word):
            return {}
        sizes = [sum(len(self.postings[w]) for w in matches) for matches in per_word]
        order = sorted(range(len(per_word)), key=sizes.__getitem__)
        first = self._best_by_entity(per_word[order[0]], MAX_POSTINGS)
        result = {n: [s] for n, s in first.items() if rank(n) is not None}
        for i in order[1:]:
            matches = per_word[i]
            if sizes[i] <= 8 * len(result):  # cheaper through the postings than through each candidate's words
                scores = self._best_by_entity(matches, None)
                result = {n: [*v, scores[n]] for n, v in result.items() if n in scores}
            else:
                narrowed: dict[int, list[float]] = {}
                for n, v in result.items():
                    score = max((matches.get(w, 0.0) for w in self._entity_words(n)), default=0.0)
                    if score > 0.0:
                        narrowed[n] = [*v, score]
                result = narrowed
            if not result:
                break
        return result

    def _best_by_entity(self, matches: dict[str, float], cap: int | None) -> dict[int, float]:
        """Entity → its best score among the matched words (each word's `cap` most mentioned entities)."""
        best: dict[int, float] = {}
        for word, score in matches.items():
            for n in self.postings[word][:cap]:
                if score > best.get(n, 0.0):
                    best[n] = score
        return best

    def _entity_words(self, n: int) -> set[str]:
        return {w for form in self.forms[n] for w in form.split()}

    def _name_score(self, q: str, n: int) -> float:
        """token_set_ratio of the query against the entity's best name or alias (both already folded)."""
        return max(fuzz.token_set_ratio(q, form) for form in self.forms[n])

    def _decide(self, scores: dict[int, float], rank: Ranker, stage: Stage) -> Resolution:
        ranked = sorted(scores, key=lambda n: (-scores[n], rank(n), n))
        best = ranked[0]
        if len(ranked) == 1 or scores[best] - scores[ranked[1]] >= MARGIN:
            return Resolution("ok", self.ids[best], [self.candidate(best, scores[best])], stage)
        return Resolution(
            "ambiguous", None, [self.candidate(n, scores[n]) for n in ranked[:MAX_CANDIDATES]], stage
        )

    # --- autocomplete ---------------------------------------------------------------------------------

    def _prefix_matches(
        self, whole: list[str], last: str | None, rank: Ranker, limit: int
    ) -> list[int]:
        """Entities having every word of `whole` and a word starting with `last`, most mentioned first."""
        if whole:
            pool = sorted(self._covering([{w: 100.0} if w in self.postings else {} for w in whole], rank))
            if last is None:
                return pool[: limit * 4]
            return [n for n in pool if self._has_prefix(n, last)][: limit * 4]
        assert last is not None
        lo = bisect_left(self.words, last)
        hi = bisect_left(self.words, last + "\U0010ffff")
        found: set[int] = set()
        for word in self.words[lo:hi]:
            found.update(self.postings[word])
            if len(found) > SCAN_THRESHOLD:
                # So many names share the prefix that the most mentioned are found quickly by scanning.
                picked: list[int] = []
                for n in range(len(self.ids)):
                    if rank(n) is not None and self._has_prefix(n, last):
                        picked.append(n)
                        if len(picked) >= limit * 4:
                            break
                return picked
        return sorted(n for n in found if rank(n) is not None)[: limit * 4]

    def _has_prefix(self, n: int, prefix: str) -> bool:
        return any(w.startswith(prefix) for form in self.forms[n] for w in form.split())

    def _complete_score(self, q: str, n: int) -> float:
        forms = self.forms[n]
        if q in forms:
            return 100.0
        if any(f.startswith(q) for f in forms):
            return 90.0
        return 80.0
