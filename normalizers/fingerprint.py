"""Content fingerprints of documents: which documents hold the same text.

A document's fingerprint is the set of its word 3-grams (shingles), on keys that OCR
cannot easily change: lower case, no diacritics ("đ" -> "d"), letters and digits only.
Each shingle is hashed with CRC-32 (stable across processes, unlike `hash`). Comparing
two sets tells how much of one document's text the other holds, whatever the layout,
the page breaks or the reading method (text layer or OCR).
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from typing import Iterable

SHINGLE_WORDS = 3
_TOKEN = re.compile(r"[a-z0-9]+")


def bare_words(text: str) -> list[str]:
    """Lower-case words without diacritics: "Bộ Công an" -> ["bo", "cong", "an"]."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return _TOKEN.findall("".join(c for c in decomposed if not unicodedata.combining(c)))


def shingles(texts: Iterable[str]) -> frozenset[int]:
    """Hashed word 3-grams of the texts taken in order as one stream of words."""
    words = [w for t in texts for w in bare_words(t)]
    return frozenset(
        zlib.crc32(" ".join(words[i : i + SHINGLE_WORDS]).encode()) for i in range(len(words) - SHINGLE_WORDS + 1)
    )


def containment(a: frozenset[int], b: frozenset[int]) -> float:
    """Share of the smaller set found in the other (0 when either is empty)."""
    small = min(len(a), len(b))
    return len(a & b) / small if small else 0.0
