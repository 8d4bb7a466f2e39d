"""Content fingerprints of documents: which documents hold the same text.

A document's fingerprint is the set of its word 3-grams (shingles), on keys that OCR
cannot easily change: lower case, no diacritics ("đ" -> "d"), letters and digits only.
Each shingle is hashed with CRC-32 (stable across processes, unlike `hash`). Comparing
two sets tells how much of one document's text the other holds, whatever the layout,
the page breaks or the reading method (text layer or OCR).
"""

from __future__ import annotations

import math
import re
import zlib
from typing import Iterable, Iterator, Mapping

from extractors.letters import unmarked

SHINGLE_WORDS = 3
_TOKEN = re.compile(r"[a-z0-9]+")


def bare_words(text: str) -> list[str]:
    """Lower-case words without diacritics: "Bộ Công an" -> ["bo", "cong", "an"]."""
    return _TOKEN.findall(unmarked(text.lower()))


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


def containing_pairs(sets: Mapping[str, frozenset[int]], threshold: float) -> Iterator[tuple[str, str]]:
    """Every pair (a, b), a < b, whose containment is at least `threshold`, without comparing
    every pair: a prefix filter (Chaudhuri et al., set-similarity joins). Shingles are ranked
    rarest first; if the smaller set A shares at least ceil(threshold * |A|) shingles with B,
    B holds one of A's |A| - ceil(threshold * |A|) + 1 rarest, so only documents holding one
    of those are compared with A. Same answer as comparing all pairs, in about linear time
    for documents that do not share most of their text."""
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    holders: dict[int, list[str]] = {}
    for key in sorted(sets):
        for s in sets[key]:
            holders.setdefault(s, []).append(key)
    rank = {key: (len(sets[key]), key) for key in sets}
    for a in sorted(sets):
        small = sets[a]
        if not small:
            continue
        need = math.ceil(threshold * len(small) - 1e-9)
        prefix = sorted(small, key=lambda s: (len(holders[s]), s))[: len(small) - need + 1]
        # each pair once: from the smaller set of the two (ties broken by key)
        candidates = {b for s in prefix for b in holders[s] if rank[b] > rank[a]}
        for b in sorted(candidates):
            if containment(small, sets[b]) >= threshold:
                yield (a, b) if a < b else (b, a)
