"""A document's work over its share of processes (extractors/pool.py): the calling process works
too, never more than `workers` processes at once, each held to its share of the memory limit, and
fewer processes when the shares would not hold what a forked process maps."""

from __future__ import annotations

import os
import resource

import pytest

from extractors.pool import map_shared, mapped_mb, pool_size
from tests.runtime import isolation_targets as t

MB = 1024 * 1024


def test_the_caller_and_its_helpers_share_the_calls_and_the_memory():
    memory = 3 * (mapped_mb() + 1024)
    before = resource.getrlimit(resource.RLIMIT_AS)
    out = map_shared(t.who, [(i, 0.05) for i in range(12)], workers=3, memory_mb=memory)
    assert [i for i, _, _ in out] == list(range(12))  # in order
    pids = {pid for _, pid, _ in out}
    assert os.getpid() in pids and len(pids) <= 3  # the caller worked, with at most two helpers
    assert {limit for _, _, limit in out} == {memory // 3 * MB}  # each process its third, the caller too
    assert resource.getrlimit(resource.RLIMIT_AS) == before  # the caller's own limit given back


def test_one_worker_starts_no_process():
    out = map_shared(t.who, [(i, 0) for i in range(4)], workers=1, memory_mb=64)
    assert {pid for _, pid, _ in out} == {os.getpid()}


def test_a_low_limit_gives_fewer_processes():
    mapped = mapped_mb()
    assert pool_size(4, 100, None, 512) == 4
    assert pool_size(4, 3, None, 512) == 3  # no more processes than calls
    assert pool_size(4, 100, 4 * (mapped + 600), 512) == 4
    assert pool_size(4, 100, 2 * (mapped + 600), 512) == 2  # two halves hold it, three thirds not
    assert pool_size(4, 100, mapped + 600, 512) == 1
    out = map_shared(t.who, [(i, 0) for i in range(6)], workers=3, memory_mb=mapped + 600, need_mb=512)
    assert {pid for _, pid, _ in out} == {os.getpid()}


def test_a_failing_call_fails_the_map():
    with pytest.raises(ValueError, match="call 9 failed"):
        map_shared(t.fails_at, [(i, 9) for i in range(12)], workers=2, memory_mb=None)
    with pytest.raises(ValueError, match="call 0 failed"):  # one a helper made
        map_shared(t.fails_at, [(i, 0) for i in range(12)], workers=2, memory_mb=None)
