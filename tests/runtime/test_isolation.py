"""A document's work in a bounded child process: results come back, and a slow, greedy,
crashing or orphaned worker gives a failure with its reason instead of taking the run down."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from pipeline.runtime.isolation import Failure, Limits, run_isolated, share
from tests.runtime import isolation_targets as t


def test_results_come_back_keyed():
    out = dict(run_isolated(t.slow_square, [(str(i), (i, 0)) for i in range(5)], workers=2))
    assert out == {"0": 0, "1": 1, "2": 4, "3": 9, "4": 16}


def test_two_documents_run_at_once(tmp_path):
    """Each child waits (up to 20 s) for the other to have started: only true if both run together."""
    out = dict(run_isolated(t.meet, [(n, (str(tmp_path), n, other)) for n, other in (("a", "b"), ("b", "a"))], workers=2))
    assert out == {"a": True, "b": True}


def test_an_exception_is_a_failure_with_its_traceback():
    (key, result), = run_isolated(t.boom, [("x", ())], workers=1)
    assert isinstance(result, Failure) and result.kind == "ValueError" and result.message == "bad page 3"
    assert "Traceback" in result.traceback and "boom" in result.traceback


def test_the_time_limit_stops_a_document():
    (key, result), = run_isolated(t.slow_square, [("x", (2, 30))], workers=1, limits=Limits(seconds=1))
    assert isinstance(result, Failure) and result.kind == "limit" and "time limit of 1 s" in result.message


def test_the_memory_limit_stops_a_document():
    (key, result), = run_isolated(t.greedy, [("x", (3000,))], workers=1, limits=Limits(memory_mb=1024))
    assert isinstance(result, Failure) and "memory limit of 1024 MB" in result.message


def test_a_crashing_worker_is_a_failure_and_the_others_go_on():
    out = dict(run_isolated(t.crash_or_square, [("a", (True,)), ("b", (False,))], workers=2))
    assert isinstance(out["a"], Failure) and "SIGSEGV" in out["a"].message
    assert out["b"] == 9


def test_bad_settings_are_refused():
    with pytest.raises(ValueError):
        Limits(seconds=0)
    with pytest.raises(ValueError):
        Limits(reuse_growth_mb=-1)
    with pytest.raises(ValueError):
        list(run_isolated(t.slow_square, [("a", (1, 0))], workers=0))


def test_workers_die_with_a_killed_parent(tmp_path):
    """kill -9 of the run leaves no worker behind (blocked on its pipe, or still working)."""
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {os.getcwd()!r})
        from pipeline.runtime.isolation import run_isolated
        from tests.runtime import isolation_targets as t
        for _ in run_isolated(t.report_pid_and_sleep, [("a", ({str(tmp_path)!r},)), ("b", ({str(tmp_path)!r},))], workers=2):
            pass
    """)
    parent = subprocess.Popen([sys.executable, "-c", script])
    deadline = time.monotonic() + 30
    while len(list(tmp_path.glob("*.pid"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    pids = [int(p.stem) for p in tmp_path.glob("*.pid")]
    assert len(pids) == 2
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(p) for p in pids)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.parametrize("what", ["import", "semaphore"])
def test_a_library_that_cannot_get_memory_is_the_memory_limit(what):
    """Issue 20: an ImportError or ENOMEM under a low --doc-memory was an internal error."""
    (key, result), = run_isolated(t.cannot_map, [("x", (what,))], workers=1, limits=Limits(memory_mb=2048))
    assert isinstance(result, Failure) and result.kind == "limit"
    assert result.message.startswith("exceeded the memory limit of 2048 MB (")


@pytest.mark.parametrize("workers", [1, 2, 3, 4, 6])
@pytest.mark.parametrize("documents", [1, 2, 3, 5, 8])
def test_shares_of_the_processes_never_exceed_the_workers(workers, documents):
    """Documents started one after another, each taking its share of what is free: together
    never more than `workers`; each at least one; a document alone gets them all; with as many
    documents as workers, one each."""
    free, shares = workers, []
    while free > 0 and len(shares) < documents:
        shares.append(share(free, documents - len(shares)))
        free -= shares[-1]
    assert sum(shares) <= workers and min(shares) >= 1
    assert shares == sorted(shares, reverse=True)  # the first started (the largest file) gets the most
    if documents == 1:
        assert shares == [workers]
    if documents >= workers:
        assert shares == [1] * workers


def test_pooled_tasks_are_given_their_share_and_the_documents_memory():
    tasks = [(k, ()) for k in "abc"]
    out = dict(run_isolated(t.given, tasks, workers=4, limits=Limits(memory_mb=3000), pooled=True))
    assert out == {"a": {"workers": 2, "memory_mb": 3000}, "b": {"workers": 1, "memory_mb": 3000},
                   "c": {"workers": 1, "memory_mb": 3000}}
    out = dict(run_isolated(t.given, tasks, workers=2, pooled=True))
    # a and b start together, one process each; c when one or both have ended: what is free then
    assert out["a"]["workers"] == out["b"]["workers"] == 1 and out["c"]["workers"] in (1, 2)


def test_a_child_that_read_a_document_well_reads_the_next_with_its_whole_limit():
    out = dict(run_isolated(t.pid_of, [(str(i), (i,)) for i in range(6)], workers=1, limits=Limits(memory_mb=3000)))
    assert [v[0] for v in out.values()] == list(range(6))
    assert len({pid for _, pid, _ in out.values()}) == 1  # one process read them all
    assert {limit for _, _, limit in out.values()} == {3000 * 1024 * 1024}
    two = dict(run_isolated(t.pid_of, [(str(i), (i,)) for i in range(8)], workers=2))
    assert len({pid for _, pid, _ in two.values()}) == 2


def test_a_failed_document_ends_its_child_and_the_next_gets_a_new_one():
    out = dict(run_isolated(t.pid_of, [("a", (0,)), ("b", (1, True)), ("c", (2,)), ("d", (3,))], workers=1))
    assert isinstance(out["b"], Failure) and out["b"].message == "call 1 failed"
    assert out["a"][1] != out["c"][1] == out["d"][1]


def test_a_document_that_leaves_its_child_larger_ends_it():
    """A child grown by more than `reuse_growth_mb` since before its first document is not
    given another: the next document has the memory limit to itself."""
    limits = Limits(memory_mb=3000, reuse_growth_mb=100)
    out = dict(run_isolated(t.pid_of, [("a", (0, False, 50)), ("b", (1, False, 80)), ("c", (2,)), ("d", (3,))],
                            workers=1, limits=limits))
    assert out["a"][1] == out["b"][1]  # 50 MB more: reused; then 130 MB more: ended
    assert out["b"][1] != out["c"][1] == out["d"][1]


def test_each_document_of_a_reused_child_has_its_own_deadline():
    tasks = [("a", (1, 0.6)), ("b", (2, 0.6)), ("c", (3, 0.6))]
    out = dict(run_isolated(t.slow_square, tasks, workers=1, limits=Limits(seconds=1.5)))
    assert out == {"a": 1, "b": 4, "c": 9}


def test_no_child_is_left_when_the_documents_are_done(tmp_path):
    import multiprocessing as mp

    list(run_isolated(t.pid_of, [(str(i), (i,)) for i in range(5)], workers=2))
    assert mp.active_children() == []


def test_a_waiting_child_killed_from_outside_is_replaced():
    """The document after a child that died while waiting for it is read by a new child, not
    reported as that document's crash."""
    out = {}
    for key, value in run_isolated(t.pid_of, [("a", (0,)), ("b", (1,))], workers=1):
        out[key] = value
        if key == "a":  # its child now waits for "b": killed before it gets it
            os.kill(value[1], signal.SIGKILL)
            deadline = time.monotonic() + 10
            while _alive(value[1]) and time.monotonic() < deadline:
                time.sleep(0.01)
    assert not isinstance(out["b"], Failure) and out["b"][1] != out["a"][1]


def test_a_child_holds_only_its_own_end_of_the_pipes():
    """A child forked while its siblings work closes the copies of their pipes' parent ends (and of
    its own) that the fork gave it: each holds what the parent held before the run, plus its end."""
    before = t.sockets_held(0)
    out = dict(run_isolated(t.sockets_held, [(str(i), (0.5,)) for i in range(4)], workers=4))
    assert out == {str(i): before + 1 for i in range(4)}, (before, out)
