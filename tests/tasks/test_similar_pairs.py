"""normalizers.corpus.similar_pairs: with pairs known for some documents, the same answer as
finding every pair anew (fingerprint.containing_pairs)."""

from __future__ import annotations

import random

import pytest

from normalizers.corpus import DUPLICATE_MIN_CONTAINMENT, SimilarPairs, similar_pairs
from normalizers.fingerprint import containing_pairs


def _corpus(rng: random.Random, n: int) -> dict[str, frozenset[int]]:
    common = set(range(60))  # a letterhead every document shares
    sets = {}
    for i in range(n):
        own = set(rng.sample(range(1000, 3000), rng.randint(20, 120)))
        sets[f"d{i:03d}"] = frozenset(common | own)
    for i in range(0, n, 7):  # copies and extracts of some documents
        src = sets[f"d{i:03d}"]
        sets[f"c{i:03d}"] = frozenset(rng.sample(sorted(src), max(1, len(src) * rng.randint(5, 10) // 10)))
    return sets


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("new_count", [0, 1, 2, 30])
def test_known_pairs_give_the_same_answer(seed, new_count):
    rng = random.Random(seed)
    sets = _corpus(rng, 80)
    everything = frozenset(containing_pairs(sets, DUPLICATE_MIN_CONTAINMENT))
    assert everything  # the corpus has duplicates
    new = set(rng.sample(sorted(sets), new_count))
    old = {d: s for d, s in sets.items() if d not in new}
    known = similar_pairs(old)
    removed = rng.choice(sorted(old))  # a document gone since: its pairs must not come back
    now = {d: s for d, s in sets.items() if d != removed}
    expected = frozenset(containing_pairs(now, DUPLICATE_MIN_CONTAINMENT))
    assert similar_pairs(now, known) == SimilarPairs(frozenset(now), expected)
    assert similar_pairs(sets) == SimilarPairs(frozenset(sets), everything)
