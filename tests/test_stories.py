"""Near-duplicate detection: the MinHash signature is datasketch's formula, whatever the arithmetic shortcuts."""

from __future__ import annotations

import hashlib

import gender_guesser.detector
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.entities import forename_table
from corpus.stories import _A, _B, MAX_HASH, MERSENNE, SHINGLE, _words, signature, similarity


def plain_signature(text: str) -> np.ndarray:
    """The MinHash of the text's word 5-shingles as datasketch computes it: (a·h + b) mod (2⁶¹ − 1), low 32 bits."""
    words = _words([text])
    shingles = {" ".join(words[i:i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    hashes = np.array([int.from_bytes(hashlib.sha1(s.encode()).digest()[:4], "little") for s in shingles],
                      dtype=np.uint64)
    with np.errstate(over="ignore"):
        return ((np.outer(hashes, _A) + _B) % MERSENNE & MAX_HASH).min(axis=0)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["harbour", "ferry", "Velmora", "rose", "3.5", "board", "votes", "the"]),
                max_size=40))
def test_signature_is_the_plain_formula(words: list[str]) -> None:
    text = " ".join(words)
    assert signature([text]).tobytes() == plain_signature(text).tobytes()


def test_near_duplicates_are_similar_and_others_not() -> None:
    story = ("The Velmora Ferry Board said on Monday that fares would rise by 12 per cent from March, the first "
             "increase in four years, citing fuel costs and a smaller subsidy from the harbour authority.")
    reprint = story.replace("Monday", "Tuesday")
    other = "Rain closed three schools in the northern valley as rivers rose above their banks overnight."
    assert similarity(signature([story]), signature([reprint])) > 0.6
    assert similarity(signature([story]), signature([other])) < 0.1


def test_first_name_table_is_gender_guessers() -> None:
    assert forename_table().names == gender_guesser.detector.Detector(case_sensitive=False).names
