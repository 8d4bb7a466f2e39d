"""The record of the last complete run, so that a run with nothing new answers at once.

After every run `nhiemvu run` writes `<state>/last-run.json`: the digest of the raw folder's
manifest and of the code versions (`versions.manifest_digest`), the identity of each curated
file (size, modification and change times, inode) and the check results (a record of
another shape is ignored). A later run whose manifest
digest is the same, and whose curated files are those very files, has nothing to do: it
prints the summary from the curated tables without starting Dagster. Anything else (a new,
changed or removed PDF, an upgrade of the code, a curated file touched or deleted, another
curated folder, `--force`) takes the full path, which asks the Dagster instance.
"""

from __future__ import annotations

import json
from pathlib import Path

from normalizers.schema import TABLES

from .state import atomic_write_bytes, file_stamp, last_run_file



def _files(curated: Path) -> dict[str, list[int]] | None:
    """Identity of each curated file (`state.file_stamp`); None when one is missing."""
    out = {}
    for name in TABLES:
        stamp = file_stamp(curated / f"{name}.parquet")
        if stamp is None:
            return None
        out[name] = stamp
    return out


def save(state: Path, digest: str, curated: Path, checks: list[tuple[str, bool, str]]) -> None:
    """Record a finished run (atomically: a killed run leaves the previous record or none)."""
    files = _files(curated)
    path = last_run_file(state)
    if files is None:
        path.unlink(missing_ok=True)
        return
    record = {"digest": digest, "curated": str(curated), "files": files, "checks": [list(c) for c in checks]}
    atomic_write_bytes(path, json.dumps(record, ensure_ascii=False, sort_keys=True).encode(), sync=False)


def forget(state: Path) -> None:
    """Drop the record (before a run changes anything)."""
    last_run_file(state).unlink(missing_ok=True)


def unchanged(state: Path, digest: str, curated: Path) -> list[tuple[str, bool, str]] | None:
    """The checks of the last run when it was made for this manifest digest and these very
    curated files; None when the run has work to do."""
    try:
        record = json.loads(last_run_file(state).read_text())
    except (OSError, ValueError):
        return None
    try:  # a record of another shape (damaged, hand-edited) is no record: the run plans
        if record.get("digest") != digest or record.get("curated") != str(curated) or record.get("files") != _files(curated):
            return None
        return [(str(name), bool(ok), str(severity)) for name, ok, severity in record["checks"]]
    except (AttributeError, TypeError, ValueError):
        return None


def wrote(state: Path, curated: Path) -> bool:
    """Whether the last run recorded in `state` wrote the curated folder `curated` and its
    files are still the ones it wrote (so the check results it recorded are this folder's)."""
    try:
        record = json.loads(last_run_file(state).read_text())
    except (OSError, ValueError):
        return False
    try:  # a record of another shape is no record
        return record.get("curated") == str(curated) and record.get("files") == _files(curated)
    except (AttributeError, TypeError, ValueError):
        return False
