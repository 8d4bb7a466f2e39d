"""Temporary folders that a killed run does not leave behind for good.

Every temporary folder of the extractors (OCR copies, rotated pages) is made by `temp_dir`
under one parent folder per user, `<tmp>/nhiemvu-<uid>/`, and named after the process
that owns it: `<prefix><pid>-<start time>-<random>`. A process killed with SIGKILL cannot
remove its folders; `clean_stale_temp`, called at the start of a run, removes every folder
of that parent whose owner is gone (no such pid, or the pid now belongs to a process
started at another time), and leaves the folders of processes still running alone, so two
runs at once never remove each other's files (processes sharing the temporary folder are
assumed to share one pid namespace, as on one machine).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

log = logging.getLogger(__name__)

PARENT_NAME = "nhiemvu-{uid}"
_NAME = re.compile(r"^(?P<prefix>[a-z]+-)(?P<pid>\d+)-(?P<start>\d+)-[A-Za-z0-9_]+$")


def temp_parent() -> Path:
    """The per-user parent of the temporary folders (made private if missing)."""
    uid = os.getuid() if hasattr(os, "getuid") else 0
    parent = Path(tempfile.gettempdir()) / PARENT_NAME.format(uid=uid)
    _ensure_private(parent)
    return parent


def _ensure_private(parent: Path) -> None:
    parent.mkdir(mode=0o700, exist_ok=True)
    st = parent.lstat()
    if not stat.S_ISDIR(st.st_mode) or (hasattr(os, "getuid") and st.st_uid != os.getuid()):
        raise RuntimeError(f"{parent} is not a folder of this user; remove it or set TMPDIR")
    if st.st_mode & 0o077:
        parent.chmod(0o700)


_PROC = Path("/proc/self/stat").exists()


def _start_time(pid: int) -> int | None:
    """Start time of a process in clock ticks since boot (from /proc on Linux; 0 where the
    system does not say), or None if there is no such process."""
    if _PROC:
        try:
            text = Path(f"/proc/{pid}/stat").read_text()
        except (FileNotFoundError, ProcessLookupError):
            return None
        return int(text.rsplit(")", 1)[1].split()[19])  # field 22; the name in (...) may hold spaces
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:  # another user's process: alive
        pass
    return 0


@contextmanager
def temp_dir(prefix: str, parent: Path | None = None) -> Iterator[Path]:
    """A new empty folder named after this process, removed on exit (like
    tempfile.TemporaryDirectory); `prefix` is lower-case letters ending in '-', e.g. 'ocr-'."""
    if not re.fullmatch(r"[a-z]+-", prefix):
        raise ValueError(f"prefix must be lower-case letters and a '-': {prefix!r}")
    base = parent or temp_parent()
    path = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-{_start_time(os.getpid()) or 0}-", dir=base))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def is_stale(path: Path) -> bool:
    """Whether a folder made by `temp_dir` belongs to a process that is gone."""
    m = _NAME.match(path.name)
    if m is None:
        return False
    started = _start_time(int(m["pid"]))
    if started is None:
        return True
    recorded = int(m["start"])
    return bool(started and recorded and started != recorded)


def clean_stale_temp(parent: Path | None = None) -> list[Path]:
    """Remove the temporary folders whose owning process is gone; returns them.
    Call it at the start of a run."""
    base = parent or temp_parent()
    removed = []
    for entry in sorted(base.iterdir()):
        if entry.is_dir() and not entry.is_symlink() and is_stale(entry):
            try:
                shutil.rmtree(entry)
            except OSError as e:
                log.warning("stale temporary folder %s not removed: %s", entry, e)
                continue
            log.info("removed the temporary folder %s left by a process that is gone", entry)
            removed.append(entry)
    return removed
