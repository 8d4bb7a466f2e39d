"""The command line as a person reads it: help texts, `checks` of another folder, error texts,
the Makefile's DAGSTER_HOME, and `nhiemvu dev`'s command (the UI itself: test_dev.py)."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.cli import _parser
from pipeline.tools.commands import checks, dev_command, run
from tests.conftest import RAW, ROOT
from tests.fixtures import bad_inputs
from tests.fixtures.runs import state_folder

pytestmark = pytest.mark.slow  # reads whole documents, OCRs or runs the pipeline

NHIEMVU = [sys.executable, "-m", "pipeline.cli"]


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_help_shows_no_empty_default_and_every_subcommand_has_a_description():
    subs = _subparsers()
    assert set(subs) == {"run", "checks", "show", "trace", "report", "dev"}
    for name, sub in subs.items():
        text = sub.format_help()
        assert "(default: None)" not in text and "(default: False)" not in text, name
        assert sub.description and len(sub.description) > 40, name
        assert sub.description.split()[0] in text, name  # printed under the usage line
    assert "(default: 2)" in subs["run"].format_help()  # a real default is still shown
    top = _parser().format_help()
    for name in subs:
        assert f"    {name}" in top  # each listed with its one-line help


def test_trace_help_as_printed_by_the_command():
    done = subprocess.run([*NHIEMVU, "trace", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0 and "default: None" not in done.stdout
    assert "--section" in done.stdout and "--pages" in done.stdout


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    """One letter and a truncated copy of it, run into one curated folder."""
    base = tmp_path_factory.mktemp("cli")
    raw, curated = base / "raw", base / "curated"
    raw.mkdir()
    shutil.copy(RAW / "929_BCA-VPB.pdf", raw / "929.pdf")
    bad_inputs.truncated(RAW / "929_BCA-VPB.pdf", raw / "truncated.pdf")
    with state_folder(base / "state") as state:
        summary = run(raw, curated, quiet=True, state=state)
        yield {"state": state, "raw": raw, "curated": curated, "summary": summary, "base": base}


def test_error_texts_have_no_doubled_percent_signs(small_run):
    (name, error), = small_run["summary"]["failed"]
    assert name == "truncated.pdf" and error.startswith("truncated PDF") and "%%" not in error
    docs = pq.read_table(small_run["curated"] / "documents.parquet").to_pylist()
    assert all("%%" not in (d["error"] or "") for d in docs)


def test_checks_of_another_folder_are_that_folders(small_run, capsys):
    state, curated = small_run["state"], small_run["curated"]
    recorded = checks(curated, state)
    out = capsys.readouterr().out
    assert "as the last run recorded them" in out and str(curated) in out
    assert any(c["check"] == "tasks:stated_counts" for c in recorded)
    assert all(c["passed"] or c["severity"] == "WARN" for c in recorded)

    elsewhere = small_run["base"] / "elsewhere"
    shutil.copytree(curated, elsewhere)
    docs = pq.read_table(elsewhere / "documents.parquet")
    bad = docs.set_column(docs.schema.get_field_index("status"), docs.schema.field("status"),
                          pa.array(["bogus"] * docs.num_rows, pa.string()))
    pq.write_table(bad, elsewhere / "documents.parquet")
    results = {c["check"]: c for c in checks(elsewhere, state)}
    out = capsys.readouterr().out
    assert "evaluated now" in out and str(elsewhere) in out
    assert results["documents:conforms_to_schema"]["passed"] is False  # the other folder's problem, not the run's
    assert "bogus" in results["documents:conforms_to_schema"]["metadata"]["problems"]
    assert "tasks:stated_counts" not in results
    assert {c["check"] for c in recorded} - {"tasks:stated_counts"} == set(results)

    done = subprocess.run([*NHIEMVU, "checks", "--curated", str(elsewhere)], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "DAGSTER_HOME": str(state)})
    assert done.returncode == 1 and "FAIL  documents:conforms_to_schema" in done.stdout, done.stderr[-2000:]
    again = subprocess.run([*NHIEMVU, "checks", "--curated", str(curated)], capture_output=True, text=True, cwd=ROOT,
                           env={**os.environ, "DAGSTER_HOME": str(state)})
    assert again.returncode == 0 and "ok    documents:conforms_to_schema" in again.stdout, again.stderr[-2000:]


def _make_home(env: dict) -> str:
    done = subprocess.run(["make", "-s", "--eval", "print-home: ; @echo $$DAGSTER_HOME", "print-home"],
                          capture_output=True, text=True, cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_makefile_respects_dagster_home_from_the_environment(tmp_path):
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    assert _make_home({**env, "DAGSTER_HOME": str(tmp_path)}) == str(tmp_path)
    assert _make_home(env) == str(ROOT / ".dagster")


def test_dev_runs_dagster_dev_where_its_instance_configuration_is(tmp_path, monkeypatch):
    monkeypatch.setenv("NHIEMVU_RAW", "raw")
    cmd, env, cwd = dev_command(3999, tmp_path)
    assert cwd == tmp_path and env["DAGSTER_HOME"] == str(tmp_path)  # dagster.yaml is read from the cwd: no warning
    assert cmd[cmd.index("--working-directory") + 1] == str(ROOT)
    assert env["PYTHONPATH"].split(os.pathsep)[0] == str(ROOT)
    assert env["NHIEMVU_RAW"] == str(ROOT / "raw")
    assert "superseded" in env["PYTHONWARNINGS"]
