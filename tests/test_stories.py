"""Near-duplicate detection: the MinHash signature is its plain formula whatever numpy does, and it estimates
resemblance as well as datasketch's SHA-1 MinHash."""

from __future__ import annotations

import hashlib
import random
import zlib

import gender_guesser.detector
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.entities import forename_table
from corpus.stories import _A, _B, _MIX, NUM_PERM, SHINGLE, _words, signature, similarity

WORDS = st.lists(st.sampled_from(["harbour", "ferry", "Velmora", "rose", "3.5", "board", "votes", "the", "naïve"]),
                 max_size=40)


def plain_signature(text: str) -> list[int]:
    """The signature in Python integers: a shingle's hash is the polynomial of its words' CRC-32 in _MIX modulo
    2⁶⁴ (a text shorter than a shingle: of all its words); each hash function is (a·x + b) mod 2⁶⁴, top 32 bits."""
    words = _words([text])
    hashes = [zlib.crc32(w.encode()) for w in words]
    spans = [hashes[i:i + SHINGLE] for i in range(len(hashes) - SHINGLE + 1)] or [hashes]
    shingles = []
    for span in spans:
        x = 0
        for h in span:
            x = (x * int(_MIX) + h) % 2**64
        shingles.append(x)
    return [min(((int(a) * x + int(b)) % 2**64) >> 32 for x in shingles) for a, b in zip(_A, _B, strict=True)]


@settings(max_examples=200, deadline=None)
@given(WORDS)
def test_signature_is_the_plain_formula(words: list[str]) -> None:
    text = " ".join(words)
    assert signature([text]).tolist() == plain_signature(text)


def sha1_minhash(words: list[str]) -> np.ndarray:
    """MinHash of a word list's 5-shingles as datasketch makes it: SHA-1 (first 4 bytes) of each, then (a·h + b)
    mod 2⁶¹ − 1 (in exact integers: datasketch lets a·h + b wrap around 2⁶⁴ first)."""
    prime = (1 << 61) - 1
    rng = np.random.RandomState(1)
    a = rng.randint(1, prime, size=NUM_PERM, dtype=np.uint64).tolist()
    b = rng.randint(0, prime, size=NUM_PERM, dtype=np.uint64).tolist()
    shingles = {" ".join(words[i:i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    hashes = [int.from_bytes(hashlib.sha1(s.encode()).digest()[:4], "little") for s in shingles]
    return np.array([min((h * ai + bi) % prime & 0xFFFFFFFF for h in hashes) for ai, bi in zip(a, b, strict=True)])


def test_resemblance_is_estimated_as_well_as_by_datasketchs_minhash() -> None:
    rng = random.Random(7)
    vocabulary = [f"vel{i}" for i in range(2000)]
    ours, theirs = [], []
    for _ in range(60):
        text = [rng.choice(vocabulary) for _ in range(rng.randint(40, 300))]
        edited = [rng.choice(vocabulary) if rng.random() < rng.random() * 0.3 else w for w in text]
        shingles = [{" ".join(t[i:i + SHINGLE]) for i in range(len(t) - SHINGLE + 1)} for t in (text, edited)]
        true = len(shingles[0] & shingles[1]) / len(shingles[0] | shingles[1])
        ours.append(abs(similarity(signature([" ".join(text)]), signature([" ".join(edited)])) - true))
        theirs.append(abs(similarity(sha1_minhash(text), sha1_minhash(edited)) - true))
    assert np.mean(ours) <= max(np.mean(theirs), 0.03) + 0.01


def test_near_duplicates_are_similar_and_others_not() -> None:
    story = ("The Velmora Ferry Board said on Monday that fares would rise by 12 per cent from March, the first "
             "increase in four years, citing fuel costs and a smaller subsidy from the harbour authority.")
    reprint = story.replace("Monday", "Tuesday")
    other = "Rain closed three schools in the northern valley as rivers rose above their banks overnight."
    assert similarity(signature([story]), signature([reprint])) > 0.6
    assert similarity(signature([story]), signature([other])) < 0.1


def test_first_name_table_is_gender_guessers() -> None:
    assert forename_table().names == gender_guesser.detector.Detector(case_sensitive=False).names
