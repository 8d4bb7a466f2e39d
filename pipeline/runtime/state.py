"""Where the repository, the state folder and its per-document store are, and which executor
runs the steps (no Dagster import: the fast paths of the command line use them before
deciding whether Dagster is needed at all)."""

from __future__ import annotations

import datetime
import fcntl
import logging
import os
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger("nhiemvu")

PROJECT_ROOT = Path(__file__).resolve().parents[2]
EXECUTORS = ("in_process", "multiprocess", "dask")


def home() -> Path:
    """The state folder (Dagster's home): $DAGSTER_HOME, else `.dagster/` in the repository."""
    return Path(os.environ.get("DAGSTER_HOME") or PROJECT_ROOT / ".dagster").resolve()


def stored(state: Path, asset: str | None = None) -> Path:
    """The per-document store of a state folder (`io.DocStateIOManager`), or the folder of
    one asset's values in it (`<doc_id>.pkl` each)."""
    folder = Path(state) / "docs"
    return folder / asset if asset else folder


def stored_keys(folder: Path) -> set[str]:
    """The documents with a whole value in one asset's folder of the per-document store (a
    file cut short is not one: `sealed.intact`)."""
    from .sealed import intact

    return {p.stem for p in folder.glob("*.pkl") if intact(p)} if folder.is_dir() else set()


def executor_name() -> str:
    """The executor of the steps, chosen by configuration only (`NHIEMVU_EXECUTOR`)."""
    name = os.environ.get("NHIEMVU_EXECUTOR", "in_process")
    if name not in EXECUTORS:
        raise ValueError(f"NHIEMVU_EXECUTOR={name!r}: choose one of {EXECUTORS}")
    return name


TRACKED_ON_ENV = "NHIEMVU_TRACKED_ON"


def tracked_on() -> datetime.date:
    """The date the task tracking says tasks are open or overdue on (`task_tracking.tracked_on`):
    `NHIEMVU_TRACKED_ON` (YYYY-MM-DD), else the day of the run. It is part of the curated
    tables' digest, so a run on a later day rebuilds them (from the kept parts: cheap)."""
    value = os.environ.get(TRACKED_ON_ENV, "").strip()
    if not value:
        return datetime.date.today()
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{TRACKED_ON_ENV}={value!r}: give a date as YYYY-MM-DD") from None


RUN_LOCK = "run.lock"


@contextmanager
def run_lock(state: Path, *, wait_message: bool = True):
    """Hold the state folder's lock for the duration of a run (a second run waits)."""
    state.mkdir(parents=True, exist_ok=True)
    with open(state / RUN_LOCK, "a+") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if wait_message:
                log.warning("another nhiemvu run is using %s; waiting for it to finish", state)
            fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
