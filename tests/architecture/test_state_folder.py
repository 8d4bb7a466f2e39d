"""No test writes to the repository's state folder (`.dagster/`, the default DAGSTER_HOME): the
session's state folder is a temporary one (tests/conftest.py sets DAGSTER_HOME before any test runs,
and child processes inherit it), and generated corpora are cached in `.cache/`, never in `.dagster/`."""

from __future__ import annotations

import os
from pathlib import Path

from tests.conftest import ROOT


def test_the_session_runs_on_a_state_folder_of_its_own():
    home = Path(os.environ["DAGSTER_HOME"]).resolve()
    assert home != (ROOT / ".dagster").resolve() and not home.is_relative_to(ROOT)


def test_no_test_names_the_repositorys_state_folder():
    """But the one that checks the Makefile's default (it only reads `make`'s answer)."""
    named = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "tests").rglob("*.py")
                   if p != Path(__file__) and '".dagster"' in p.read_text(encoding="utf-8"))
    assert named == ["tests/tools/test_cli.py"]
