"""Where the repository, the state folder and its per-document store are, and which executor
runs the steps (no Dagster import: the fast paths of the command line use them before
deciding whether Dagster is needed at all)."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
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
