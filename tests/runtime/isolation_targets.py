"""Functions run in child processes by tests/runtime/test_isolation.py (importable by the fork server)."""

from __future__ import annotations

import ctypes
import faulthandler
import os
import time
from pathlib import Path


def slow_square(x: int, seconds: float) -> int:
    time.sleep(seconds)
    return x * x


def boom():
    raise ValueError("bad page 3\nsecond line")


def greedy(mb: int) -> int:
    block = bytearray(mb * 1024 * 1024)
    return len(block)


def crash_or_square(crash: bool) -> int:
    if crash:
        faulthandler.disable()  # pytest's handler would print the crash into the test output
        ctypes.string_at(0)  # segmentation fault
    return 9


def report_pid_and_sleep(folder: str) -> None:
    Path(folder, f"{os.getpid()}.pid").touch()
    time.sleep(120)


def meet(folder: str, me: str, other: str) -> bool:
    Path(folder, me).touch()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if Path(folder, other).exists():
            return True
        time.sleep(0.05)
    return False


def cannot_map(what: str):
    """What a child under a low memory limit meets when it first imports a compiled library."""
    if what == "import":
        raise ImportError("/x/cv2.abi3.so: failed to map segment from shared object")
    import errno

    raise OSError(errno.ENOMEM, "Cannot allocate memory")


def given(**kwargs) -> dict:
    """What `run_isolated(..., pooled=True)` gave the task: its share of processes and memory."""
    return kwargs


def who(i: int, seconds: float) -> tuple[int, int, int]:
    """(the call, the process that made it, that process's soft address-space limit)."""
    import resource

    time.sleep(seconds)
    return i, os.getpid(), resource.getrlimit(resource.RLIMIT_AS)[0]


def fails_at(i: int, bad: int) -> int:
    if i == bad:
        raise ValueError(f"call {i} failed")
    return i


_KEPT: list = []


def pid_of(i: int, fail: bool = False, keep_mb: int = 0) -> tuple[int, int, int]:
    """(the call, the process that made it, its soft address-space limit); keeps `keep_mb` MB
    mapped after it returns (a document leaving its process larger), or fails."""
    import resource

    if keep_mb:
        _KEPT.append(bytearray(keep_mb * 1024 * 1024))
    if fail:
        raise ValueError(f"call {i} failed")
    return i, os.getpid(), resource.getrlimit(resource.RLIMIT_AS)[0]


def sockets_held(seconds: float) -> int:
    """How many sockets this process holds open (a pipe end of `run_isolated` is one), after
    `seconds` (so that the siblings started with it are all running)."""
    time.sleep(seconds)
    return sum(os.readlink(f"/proc/self/fd/{fd}").startswith("socket:") for fd in os.listdir("/proc/self/fd")
               if os.path.exists(f"/proc/self/fd/{fd}"))
