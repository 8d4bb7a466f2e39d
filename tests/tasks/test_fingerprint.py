"""The prefix-filtered duplicate search finds exactly the pairs an all-pairs comparison finds."""

from __future__ import annotations

import random

import pytest

from normalizers.fingerprint import containing_pairs, containment


def _all_pairs(sets, threshold):
    keys = sorted(sets)
    return {(a, b) for i, a in enumerate(keys) for b in keys[i + 1:] if containment(sets[a], sets[b]) >= threshold}


@pytest.mark.parametrize("seed", range(6))
def test_same_pairs_as_comparing_every_pair(seed):
    rng = random.Random(seed)
    base = [frozenset(rng.sample(range(5000), rng.randint(20, 300))) for _ in range(15)]
    sets = {}
    for i in range(120):  # near copies, parts of documents, unrelated documents, shared boilerplate
        src = rng.choice(base)
        keep = frozenset(x for x in src if rng.random() < rng.choice([1.0, 0.9, 0.7, 0.5, 0.3]))
        noise = frozenset(rng.sample(range(5000, 9000), rng.randint(0, 200)))
        boiler = frozenset(range(9000, 9000 + rng.randint(0, 40)))
        sets[f"d{i:03d}"] = keep | noise | boiler
    sets["empty"] = frozenset()
    for threshold in (0.3, 0.6, 0.9, 1.0):
        found = list(containing_pairs(sets, threshold))
        assert len(found) == len(set(found))
        assert set(found) == _all_pairs(sets, threshold)
    assert _all_pairs(sets, 0.6)  # the corpus has duplicates to find


def test_threshold_out_of_range():
    with pytest.raises(ValueError):
        list(containing_pairs({"a": frozenset({1})}, 0))
