"""Running one document's work in a child process with a time and a memory limit.

One document must not be able to take the run down: a deflate bomb that inflates to
gigabytes, a page that makes a parser loop, a crash in a C library. Each document is
processed in a child process of its own (forked: it starts with everything imported,
in milliseconds), with an address-space limit
(`RLIMIT_AS`) and a wall-clock deadline. What comes back is the function's result,
or the reason it has none: `Failure("limit", "exceeded the time limit of 900 s")`, a
memory limit, a signal, or the exception's type and first line with its traceback kept
for the log.

Children die with their parent (`PR_SET_PDEATHSIG`), so a killed run leaves no worker
blocked on a pipe.

**The process budget.** `workers` bounds the processes working at once, in all: a child
reading a document counts one, and a document may read its pages over several processes of
its own (its child and helpers it forks: `extractors.pool`). Each child is given a share of
the processes free when it starts (`share`: the free ones spread over the documents waiting,
the largest first): with as many documents as workers each has one process, a document alone
has them all; the shares of the children running never add up to more than `workers`. The
memory limit is the document's, whatever its share: its child and helpers split it
(`extractors.pool`), so one document never maps more than `Limits.memory_mb` in all.
"""

from __future__ import annotations

import ctypes
import multiprocessing as mp
import os
import resource
import signal
import time
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Iterable, Iterator

from extractors.pool import out_of_memory

_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Limits:
    """Bounds on one document's work."""

    seconds: float = 900.0
    memory_mb: int = 6144

    def __post_init__(self):
        if self.seconds <= 0 or self.memory_mb <= 0:
            raise ValueError(f"limits must be positive: {self}")


@dataclass(frozen=True)
class Failure:
    """Why a task gave no result: the kind (exception type, or "limit"/"crash"), its message,
    and the traceback for the log."""

    kind: str
    message: str
    traceback: str = ""

    @property
    def reason(self) -> str:
        """One line for the data: "<kind>: <message>"."""
        return f"{self.kind}: {self.message}"


def die_with_parent() -> None:
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except OSError:  # not Linux: the parent's own cleanup still kills children it knows
        pass


def share(free: int, waiting: int) -> int:
    """The processes of the next document to start: the `free` ones spread over the `waiting`
    documents (itself included), rounded up, so that the first, the largest, gets the odd one;
    one when there are more documents waiting than processes free."""
    if free < 1 or waiting < 1:
        raise ValueError(f"no process to share: {free} free, {waiting} waiting")
    return -(-free // waiting)


def _child(conn: Connection, fn: Callable, args: tuple, kwargs: dict, memory_mb: int) -> None:
    os.setpgid(0, 0)  # its own process group: a timeout stops the page workers it started too
    die_with_parent()
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        outcome: Any = ("ok", fn(*args, **kwargs))
    except MemoryError:
        outcome = ("err", Failure("limit", f"exceeded the memory limit of {memory_mb} MB"))
    except BaseException as e:  # noqa: BLE001 - sent to the parent, which logs the traceback
        if (cause := out_of_memory(e)) is not None:  # a library or a pool that could not get memory
            outcome = ("err", Failure("limit", f"exceeded the memory limit of {memory_mb} MB ({cause})",
                                      traceback.format_exc()))
            return _send(conn, outcome, memory_mb)
        message = (str(e).splitlines() or [""])[0][:500]
        outcome = ("err", Failure(type(e).__name__, message, traceback.format_exc()))
    _send(conn, outcome, memory_mb)


def _send(conn: Connection, outcome: Any, memory_mb: int) -> None:
    try:
        conn.send(outcome)
    except MemoryError:
        conn.send(("err", Failure("limit", f"exceeded the memory limit of {memory_mb} MB")))
    except Exception as e:  # noqa: BLE001 - e.g. a result that cannot be pickled
        conn.send(("err", Failure("crash", f"result could not be returned: {type(e).__name__}: {e}", traceback.format_exc())))
    finally:
        conn.close()


def _context() -> mp.context.BaseContext:
    # fork, not a fork server: the child's parent is the run itself, so PR_SET_PDEATHSIG
    # ends it with the run (a fork server outlives a killed run, and its children with it).
    return mp.get_context("fork")


@dataclass
class _Running:
    key: str
    process: Any
    conn: Connection
    deadline: float
    share: int  # processes of the budget it holds: its own and its helpers'


def run_isolated(
    fn: Callable, tasks: Iterable[tuple[str, tuple]], *, workers: int, limits: Limits = Limits(),
    pooled: bool = False,
) -> Iterator[tuple[str, Any]]:
    """Run `fn(*args)` for each `(key, args)` in its own child process, up to `workers`
    processes at once; yields `(key, result)` as they finish, `result` being a `Failure` when
    there is none.

    With `pooled`, `fn` may start processes of its own: it is called as
    `fn(*args, workers=k, memory_mb=M)`, `k` its share of the processes (`share`, counting
    its child) and `M` the memory limit of the document, which its processes are to split."""
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    if mp.current_process().daemon:
        raise RuntimeError("documents are processed in child processes, which a daemonic process cannot start: "
                           "run the workers as non-daemonic processes (dask: distributed.worker.daemon = False)")
    ctx = _context()
    pending = list(tasks)[::-1]
    running: list[_Running] = []
    try:
        while pending or running:
            while pending and (free := workers - sum(r.share for r in running)) > 0:
                k = share(free, len(pending)) if pooled else 1
                kwargs = {"workers": k, "memory_mb": limits.memory_mb} if pooled else {}
                key, args = pending.pop()
                recv, send = ctx.Pipe(duplex=False)
                proc = ctx.Process(target=_child, args=(send, fn, args, kwargs, limits.memory_mb), daemon=False)
                proc.start()
                send.close()
                running.append(_Running(key, proc, recv, time.monotonic() + limits.seconds, k))
            timeout = max(0.0, min(r.deadline for r in running) - time.monotonic())
            ready = wait([r.conn for r in running] + [r.process.sentinel for r in running], timeout=timeout)
            now = time.monotonic()
            for r in list(running):
                outcome = _collect(r, ready, now, limits)
                if outcome is not None:
                    running.remove(r)
                    yield r.key, outcome
    finally:
        for r in running:  # the consumer stopped early, or we are being interrupted
            _stop(r.process)
            r.conn.close()


def _collect(r: _Running, ready: list, now: float, limits: Limits) -> Any | None:
    """The outcome of a child if it has one now (result, failure, death or timeout), else None."""
    if r.conn in ready:
        try:
            status, value = r.conn.recv()
        except (EOFError, OSError):  # died without sending: killed by the kernel or a signal
            r.process.join()
            value = Failure("crash", _death_reason(r.process.exitcode, limits))
        else:
            r.process.join()
        r.conn.close()
        return value
    if r.process.sentinel in ready and not r.conn.poll():
        r.process.join()
        r.conn.close()
        return Failure("crash", _death_reason(r.process.exitcode, limits))
    if now >= r.deadline:
        _stop(r.process)
        r.conn.close()
        return Failure("limit", f"exceeded the time limit of {limits.seconds:g} s")
    return None


def _death_reason(exitcode: int | None, limits: Limits) -> str:
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name
        hint = f" (probably the memory limit of {limits.memory_mb} MB)" if name in ("SIGKILL", "SIGSEGV", "SIGABRT") else ""
        return f"the worker process was killed by {name}{hint}"
    return f"the worker process exited with code {exitcode} without a result"


def _stop(proc) -> None:
    for kill in (lambda: os.killpg(proc.pid, signal.SIGKILL), lambda: os.kill(proc.pid, signal.SIGKILL)):
        try:
            kill()
        except (ProcessLookupError, PermissionError):
            pass
    proc.join()
