"""Duplicates and stories: the same text is indexed once; the same wire story republished by several outlets
(near-duplicate text) is one story. MinHash signatures of word 5-shingles, banded for locality-sensitive
hashing: 16 bands of 8 rows find pairs whose resemblance is above about 0.7, and a pair joins one story when
its estimated resemblance is at least STORY_SIMILARITY.

The signature is datasketch's MinHash algorithm (universal hashing (a·h + b) mod the Mersenne prime 2⁶¹−1 of
each shingle's 32-bit hash, the minimum per permutation), written here with numpy: importing datasketch pulls
in scipy, 0.45 s per process, a quarter of the time budget of adding one article to a large index.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

import numpy as np

NUM_PERM = 128
BANDS = 16
ROWS = NUM_PERM // BANDS
SHINGLE = 5
STORY_SIMILARITY = 0.8


def _words(sentences: Iterable[str]) -> list[str]:
    return re.findall(r"\w+", " ".join(sentences).lower())


def body_hash(sentences: Iterable[str]) -> str:
    """The text's identity, whatever its spacing, case or punctuation."""
    return _hash_of(_words(sentences))


def _hash_of(words: list[str]) -> str:
    return hashlib.sha256(" ".join(words).encode()).hexdigest()


def identity(sentences: Iterable[str]) -> tuple[str, np.ndarray]:
    """The text's body_hash and signature, reading its words once."""
    words = _words(sentences)
    return _hash_of(words), _signature_of(words)


MERSENNE = np.uint64((1 << 61) - 1)
MAX_HASH = np.uint64((1 << 32) - 1)
_RNG = np.random.RandomState(1)
_A = _RNG.randint(1, int(MERSENNE), size=NUM_PERM, dtype=np.uint64)
_B = _RNG.randint(0, int(MERSENNE), size=NUM_PERM, dtype=np.uint64)


def signature(sentences: Iterable[str]) -> np.ndarray:
    """The MinHash signature of the text's word 5-shingles (a text shorter than that: its words)."""
    return _signature_of(_words(sentences))


def _signature_of(words: list[str]) -> np.ndarray:
    shingles = {" ".join(words[i:i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    digests = b"".join(hashlib.sha1(s.encode()).digest()[:4] for s in shingles)
    permuted = np.multiply.outer(np.frombuffer(digests, dtype="<u4").astype(np.uint64), _A)
    permuted += _B  # the products and sums wrap around 2⁶⁴ as in datasketch
    # mod 2⁶¹ − 1 without a division (a third of the time): x ≡ (x >> 61) + (x & (2⁶¹ − 1)), then at most one
    # subtraction
    high = permuted >> np.uint64(61)
    permuted &= MERSENNE
    permuted += high
    np.subtract(permuted, MERSENNE, out=permuted, where=permuted >= MERSENNE)
    permuted &= MAX_HASH
    return permuted.min(axis=0)


def band_keys(sig: np.ndarray) -> list[int]:
    """One key per band (a signed 63-bit hash, as SQLite stores integers)."""
    return [int.from_bytes(hashlib.blake2b(sig[b * ROWS:(b + 1) * ROWS].tobytes(), digest_size=8).digest(),
                           "big", signed=True) >> 1 for b in range(BANDS)]


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard resemblance of two signatures."""
    return float(np.mean(a == b))
