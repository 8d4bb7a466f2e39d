"""Running one document's work in a child process with a time and a memory limit.

One document must not be able to take the run down: a deflate bomb that inflates to
gigabytes, a page that makes a parser loop, a crash in a C library. Each document is
processed in a child process (forked: it starts with everything imported, in milliseconds;
one that read a document well may read the next, below), with an address-space limit
(`RLIMIT_AS`) and a wall-clock deadline. What comes back is the function's result,
or the reason it has none: `Failure("limit", "exceeded the time limit of 900 s")`, a
memory limit, a signal, or the exception's type and first line with its traceback kept
for the log.

Children die with their parent (`PR_SET_PDEATHSIG`), so a killed run leaves no worker
blocked on a pipe.

**A reader goes on to the next document.** Forking a child and ending it costs a few
milliseconds of CPU, and the child's first pages of memory are copied from the parent on first
write: about 0.01 s a document, as much as reading a one-page letter. So a child that read a
document well is handed the next one waiting, as a new child would be, with its own deadline
and its share of the processes, when that document left it mapping at most
`Limits.reuse_growth_mb` more than it mapped before its first (so that every document has, within
that margin, the memory limit to itself). A child whose document failed, timed out, crashed or
grew it more ends, and the next document gets a new child: no document is read by a process that
one before it left broken or full. A child waiting for a document holds no share of the
processes, and is ended when the shares of those at work and the children waiting would add up
to more than `workers`, and when no document is left to start.

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

from extractors.pool import mapped_mb, out_of_memory

_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Limits:
    """Bounds on one document's work."""

    seconds: float = 900.0
    memory_mb: int = 6144
    # a child that read a document reads the next one only if its address space grew by at
    # most this much since before its first (MB; 0: only when it did not grow at all)
    reuse_growth_mb: int = 256

    def __post_init__(self):
        if self.seconds <= 0 or self.memory_mb <= 0 or self.reuse_growth_mb < 0:
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


def _child(conn: Connection, inherited: list[Connection], fn: Callable, memory_mb: int, reuse_growth_mb: int) -> None:
    """A child reading documents: `(args, kwargs)` from `conn`, one at a time, each outcome sent
    back with whether it may be handed another (`_outcome`); it ends after one it may not, or when
    the parent sends None or closes its end.

    `inherited` are the parent's ends of the pipes (this child's and its siblings') that the fork
    copied: closed at once, so that only the parent holds them and a pipe the parent closes
    reaches its child as an end of file."""
    for end in inherited:
        end.close()
    os.setpgid(0, 0)  # its own process group: a timeout stops the page workers it started too
    die_with_parent()
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    before = mapped_mb()
    try:
        while (task := conn.recv()) is not None:
            args, kwargs = task
            status, value = _outcome(fn, args, kwargs, memory_mb)
            grown = mapped_mb() - before
            again = status == "ok" and before > 0 and grown <= reuse_growth_mb
            if not _send(conn, (status, value, again), memory_mb) or not again:
                return
    except EOFError:  # the parent closed the pipe: no more documents
        pass
    finally:
        conn.close()


def _outcome(fn: Callable, args: tuple, kwargs: dict, memory_mb: int) -> tuple[str, Any]:
    """("ok", fn's result) or ("err", the `Failure` saying why there is none)."""
    try:
        return "ok", fn(*args, **kwargs)
    except MemoryError:
        return "err", Failure("limit", f"exceeded the memory limit of {memory_mb} MB")
    except BaseException as e:  # noqa: BLE001 - sent to the parent, which logs the traceback
        if (cause := out_of_memory(e)) is not None:  # a library or a pool that could not get memory
            return "err", Failure("limit", f"exceeded the memory limit of {memory_mb} MB ({cause})", traceback.format_exc())
        message = (str(e).splitlines() or [""])[0][:500]
        return "err", Failure(type(e).__name__, message, traceback.format_exc())


def _send(conn: Connection, outcome: tuple[str, Any, bool], memory_mb: int) -> bool:
    """Send an outcome; False when it could not be sent as it was (a failure was sent instead)."""
    try:
        conn.send(outcome)
        return True
    except MemoryError:
        conn.send(("err", Failure("limit", f"exceeded the memory limit of {memory_mb} MB"), False))
    except Exception as e:  # noqa: BLE001 - e.g. a result that cannot be pickled
        conn.send(("err", Failure("crash", f"result could not be returned: {type(e).__name__}: {e}", traceback.format_exc()),
                   False))
    return False


def _context() -> mp.context.BaseContext:
    # fork, not a fork server: the child's parent is the run itself, so PR_SET_PDEATHSIG
    # ends it with the run (a fork server outlives a killed run, and its children with it).
    return mp.get_context("fork")


@dataclass
class _Child:
    """A child process reading documents, and the parent's end of its pipe."""

    process: Any
    conn: Connection


@dataclass
class _Running:
    key: str
    child: _Child
    deadline: float
    share: int  # processes of the budget it holds: its own and its helpers'


def run_isolated(
    fn: Callable, tasks: Iterable[tuple[str, tuple]], *, workers: int, limits: Limits = Limits(),
    pooled: bool = False,
) -> Iterator[tuple[str, Any]]:
    """Run `fn(*args)` for each `(key, args)` in a child process, up to `workers`
    processes at once; yields `(key, result)` as they finish, `result` being a `Failure` when
    there is none. A child that read one well reads the next (see the module's docstring), so
    `args` are sent to it pickled.

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
    waiting: list[_Child] = []  # children that read a document well, ready for another
    try:
        while pending or running:
            while pending and (free := workers - sum(r.share for r in running)) > 0:
                k = share(free, len(pending)) if pooled else 1
                kwargs = {"workers": k, "memory_mb": limits.memory_mb} if pooled else {}
                key, args = pending.pop()
                held = [r.child.conn for r in running]
                child = _hand(waiting, held, ctx, fn, limits, (args, kwargs))
                running.append(_Running(key, child, time.monotonic() + limits.seconds, k))
                # a waiting child holds no share, but is a process: never more than `workers` in all
                while waiting and (not pending or sum(r.share for r in running) + len(waiting) > workers):
                    _end(waiting.pop())
            timeout = max(0.0, min(r.deadline for r in running) - time.monotonic())
            ready = wait([r.child.conn for r in running] + [r.child.process.sentinel for r in running], timeout=timeout)
            now = time.monotonic()
            for r in list(running):
                outcome = _collect(r, ready, now, limits)
                if outcome is not None:
                    running.remove(r)
                    value, again = outcome
                    if again and pending:
                        waiting.append(r.child)
                    elif again:
                        _end(r.child)
                    yield r.key, value
    finally:
        for r in running:  # the consumer stopped early, or we are being interrupted
            _stop(r.child.process)
            r.child.conn.close()
        for child in waiting:
            _end(child)


def _hand(waiting: list[_Child], held: list[Connection], ctx, fn: Callable, limits: Limits,
          task: tuple[tuple, dict]) -> _Child:
    """A child given this task: one waiting for another if it is still there, else a new one
    (`held`: the parent's ends of the pipes of the children at work, which a new one closes)."""
    while waiting:
        child = waiting.pop()
        if child.process.is_alive():
            try:
                child.conn.send(task)
                return child
            except (BrokenPipeError, ConnectionResetError):  # it died meanwhile: it read nothing of this one
                pass
        _stop(child.process)  # died while waiting (killed from outside): the document gets a new child
        child.conn.close()
    here, there = ctx.Pipe(duplex=True)
    inherited = [here, *held, *(c.conn for c in waiting)]
    process = ctx.Process(target=_child, args=(there, inherited, fn, limits.memory_mb, limits.reuse_growth_mb),
                          daemon=False)
    process.start()
    there.close()
    child = _Child(process, here)
    child.conn.send(task)
    return child


def _end(child: _Child) -> None:
    """End a child waiting for a document: None tells it there are no more (its siblings closed
    their copies of this end, but a process forked by the caller may hold one: the message does
    not depend on that)."""
    try:
        child.conn.send(None)
    except OSError:  # it is gone already
        pass
    child.conn.close()
    child.process.join(timeout=END_SECONDS)
    if child.process.exitcode is None:
        _stop(child.process)


END_SECONDS = 5.0  # a child told there are no more documents ends at once; after this it is killed


def _collect(r: _Running, ready: list, now: float, limits: Limits) -> tuple[Any, bool] | None:
    """The outcome of a child if it has one now (result, failure, death or timeout) and whether
    the child may read another document; else None."""
    conn, process = r.child.conn, r.child.process
    if conn in ready:
        try:
            status, value, again = conn.recv()
        except (EOFError, OSError):  # died without sending: killed by the kernel or a signal
            process.join()
            value, again = Failure("crash", _death_reason(process.exitcode, limits)), False
        if not again:
            process.join()
            conn.close()
        return value, again
    if process.sentinel in ready and not conn.poll():
        process.join()
        conn.close()
        return Failure("crash", _death_reason(process.exitcode, limits)), False
    if now >= r.deadline:
        _stop(process)
        conn.close()
        return Failure("limit", f"exceeded the time limit of {limits.seconds:g} s"), False
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
