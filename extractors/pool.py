"""A document's work over a few processes: the calling one and helpers forked from it, within
one memory limit.

`map_shared(fn, calls, workers=k, memory_mb=M)` gives `[fn(*args) for args in calls]`, in
order, computed by at most `k` processes at once: the calling process (a document's child, say)
and `k - 1` helpers it forks (a `ProcessPoolExecutor`). The helpers take the calls from the
front, the calling process from the back, until they meet; so `k` processes work and no one
waits idle, and `workers=1` runs everything here, with no process started.

`memory_mb` is the address space (`RLIMIT_AS`) of all of them together: while the helpers live,
each of the `k` processes (the calling one included) may map `M // k`; afterwards the calling
process has its whole limit back. A forked helper starts out mapping what the calling process
maps (on Linux `RLIMIT_AS` counts it, shared or not), so fewer helpers are started when `M // k`
would not leave each process `need_mb` beyond that (`pool_size`): a low limit gives one process
with all of it rather than several that cannot work. `out_of_memory` tells a failure to get
memory under such a limit (a library that cannot be mapped, a buffer or a semaphore that cannot
be had) from others.
"""

from __future__ import annotations

import errno
import multiprocessing as mp
import os
import re
import resource
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Callable, Iterator, Sequence

DEFAULT_WORKERS = 2  # processes when the caller names none (the pipeline always does: its budget's share)


def default_workers() -> int:
    """Processes a document may use when its caller does not say (library use, benchmarks)."""
    return min(os.cpu_count() or 1, DEFAULT_WORKERS)


def mapped_mb() -> int:
    """Address space this process maps now (VmSize), in MB; 0 where /proc does not say."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            m = re.search(r"^VmSize:\s+(\d+) kB", f.read(), re.M)
    except OSError:
        return 0
    return int(m.group(1)) // 1024 if m else 0


def pool_size(workers: int, n_calls: int, memory_mb: int | None, need_mb: int) -> int:
    """How many processes to use: at most `workers`, one per call at most, and only as many as
    the memory limit gives each (`memory_mb // k`) what this process maps now plus `need_mb`."""
    k = max(1, min(workers, n_calls))
    if memory_mb is not None:
        while k > 1 and memory_mb // k < mapped_mb() + need_mb:
            k -= 1
    return k


# What a process under an address-space limit meets instead of a MemoryError: a shared library
# that cannot be mapped when first imported, a semaphore or a pool worker that cannot be made.
_NO_MEMORY = ("failed to map segment", "cannot allocate memory", "out of memory", "std::bad_alloc")


def out_of_memory(error: BaseException) -> str | None:
    """The first failure among `error` and its causes that says memory could not be had, in
    one line (None when there is none)."""
    seen = set()
    found = None
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        text = str(error)
        if isinstance(error, MemoryError) or (isinstance(error, OSError) and error.errno == errno.ENOMEM) \
                or any(s in text.lower() for s in _NO_MEMORY):
            found = f"{type(error).__name__}: {(text.splitlines() or [''])[0][:200]}"
        error = error.__cause__ or error.__context__
    return found


def _limit_memory(mb: int) -> None:
    """A helper's share of the document's memory (set when it starts, soft and hard)."""
    limit = mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


@contextmanager
def _own_share(mb: int | None) -> Iterator[None]:
    """This process's soft address-space limit lowered to its share while its helpers live,
    then put back (the hard limit stays: raising the soft one again is allowed)."""
    if mb is None:
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    share = mb * 1024 * 1024
    if soft != resource.RLIM_INFINITY:  # never above what it had
        share = min(share, soft)
    resource.setrlimit(resource.RLIMIT_AS, (share, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def map_shared(fn: Callable, calls: Sequence[tuple], *, workers: int, memory_mb: int | None = None,
               need_mb: int = 0) -> list:
    """`[fn(*args) for args in calls]` over up to `workers` processes, this one among them
    (`pool_size`), `memory_mb` split evenly between them while they work together."""
    calls = list(calls)
    k = pool_size(workers, len(calls), memory_mb, need_mb)
    if k == 1:
        return [fn(*args) for args in calls]
    share = None if memory_mb is None else memory_mb // k
    results: list = [None] * len(calls)
    with _own_share(share):
        # fork: a helper starts with everything this process has loaded, and in its process group
        # (a document's child stops its whole group on a timeout)
        with ProcessPoolExecutor(k - 1, mp_context=mp.get_context("fork"),
                                 initializer=_limit_memory if share else None,
                                 initargs=(share,) if share else ()) as pool:
            futures = [pool.submit(fn, *args) for args in calls]
            try:
                for i in range(len(calls) - 1, -1, -1):  # from the back, until the helpers' next call
                    if not futures[i].cancel():
                        break
                    results[i] = fn(*calls[i])
                for i, future in enumerate(futures):
                    if not future.cancelled():
                        results[i] = future.result()
            except BaseException:  # the helpers stop after the call they are on
                for future in futures:
                    future.cancel()
                raise
    return results
