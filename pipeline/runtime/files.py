"""Files of the state folder written whole: a reader finds the old file or the new one, never
a part (written under a temporary name in the same folder, then renamed over the old one)."""

from __future__ import annotations

import os
from pathlib import Path


def atomic_write_bytes(path: Path, data: bytes, *, sync: bool = True) -> None:
    """Replace `path` by `data` at once. `sync`: flush it to the disk first, so that a crash
    leaves the old file or the new one (not needed for what a run can make again: caches, the
    head start's outcomes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # hidden: a scan of the folder never takes it
    with open(tmp, "wb") as f:
        f.write(data)
        if sync:
            f.flush()
            os.fsync(f.fileno())
    os.replace(tmp, path)
