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


def test_the_state_folders_dagster_yaml_follows_the_code_unless_it_is_the_users(tmp_path):
    """An older copy of our dagster.yaml (an upgrade of the code changed the shipped one) is
    copied again; a file of the user's own (a PostgreSQL instance) is kept."""
    from pipeline.runtime.state import INSTANCE_CONFIG, instance_config

    ours = (ROOT / "dagster.yaml").read_text(encoding="utf-8")
    assert instance_config(tmp_path).read_text(encoding="utf-8") == ours  # missing: copied
    older = ours.split("\n", 1)[0] + "\ntelemetry:\n  enabled: false\n"
    (tmp_path / INSTANCE_CONFIG).write_text(older, encoding="utf-8")
    assert instance_config(tmp_path).read_text(encoding="utf-8") == ours
    users = "storage:\n  postgres:\n    postgres_url: postgresql://x/y\n"
    (tmp_path / INSTANCE_CONFIG).write_text(users, encoding="utf-8")
    assert instance_config(tmp_path).read_text(encoding="utf-8") == users
