"""Duplicates and stories: the same text is indexed once; the same wire story republished by several outlets
(near-duplicate text) is one story. MinHash signatures of word 5-shingles, banded for locality-sensitive
hashing: 16 bands of 8 rows find pairs whose resemblance is above about 0.7, and a pair joins one story when
its estimated resemblance is at least STORY_SIMILARITY.

The signature (scheme SIGNATURE_SCHEME, kept in the index's meta) is MinHash with numpy: each word is hashed
once (CRC-32), a shingle's 64-bit hash is a polynomial of its five word hashes, and each of the 128 hash
functions is a multiply-add-shift of it (random odd multiplier, 64-bit wrap-around, the top 32 bits), the
minimum over the shingles. datasketch's MinHash (SHA-1 of each shingle's text, then universal hashing modulo
2⁶¹−1) estimates resemblance as well (a test compares them) at three times the cost; importing datasketch would
also pull in scipy, 0.45 s per process."""

from __future__ import annotations

import hashlib
import re
import zlib
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


SIGNATURE_SCHEME = "crc32-words/poly5/multiply-shift-128"
_RNG = np.random.RandomState(1)
_A = _RNG.randint(0, 1 << 62, size=NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)  # odd multipliers
_B = _RNG.randint(0, 1 << 62, size=NUM_PERM, dtype=np.uint64)
_MIX = np.uint64(0x9E3779B97F4A7C15)  # an odd 64-bit constant: the shingle polynomial's base
_TOP = np.uint64(32)


def signature(sentences: Iterable[str]) -> np.ndarray:
    """The MinHash signature of the text's word 5-shingles (a text shorter than that: its words as one)."""
    return _signature_of(_words(sentences))


def _shingle_hashes(words: list[str]) -> np.ndarray:
    hashes = np.fromiter(map(zlib.crc32, map(str.encode, words)), dtype=np.uint64, count=len(words))
    width = min(SHINGLE, len(hashes))  # a text shorter than a shingle is one shingle of all its words
    n = len(hashes) - width + 1
    out = np.zeros(n, dtype=np.uint64)
    for k in range(width):
        out *= _MIX  # wraps around 2⁶⁴
        out += hashes[k:k + n]
    return out


def _signature_of(words: list[str]) -> np.ndarray:
    permuted = np.multiply.outer(_shingle_hashes(words), _A)
    permuted += _B
    # the top 32 bits of each value; taking them is monotone, so the minimum is taken first
    return permuted.min(axis=0) >> _TOP


def band_keys(sig: np.ndarray) -> list[int]:
    """One key per band (a signed 63-bit hash, as SQLite stores integers)."""
    return [int.from_bytes(hashlib.blake2b(sig[b * ROWS:(b + 1) * ROWS].tobytes(), digest_size=8).digest(),
                           "big", signed=True) >> 1 for b in range(BANDS)]


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard resemblance of two signatures."""
    return float(np.mean(a == b))
