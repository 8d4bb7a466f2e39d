"""Where the repository and the state folder are (no Dagster import: the fast paths of the
command line use them before deciding whether Dagster is needed at all)."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def home() -> Path:
    """The state folder (Dagster's home): $DAGSTER_HOME, else `.dagster/` in the repository."""
    return Path(os.environ.get("DAGSTER_HOME") or PROJECT_ROOT / ".dagster").resolve()
