"""The instance's SQLite storage keeps its connections (pipeline/orchestration/dagster_internals.py): the files
are Dagster's own, so Dagster's default classes read what a run wrote; a long-lived process
keeps the engines of a few runs only; a forked child never uses its parent's connections."""

from __future__ import annotations

import os
import shutil

from dagster import AssetKey, DagsterInstance
import pytest

from pipeline.tools.commands import run
from pipeline.orchestration.resources import instance_for
from pipeline.orchestration.dagster_internals import RUN_ENGINES_KEPT, InstanceRef, PooledSqliteEventLogStorage, PooledSqliteStorage
from tests.conftest import RAW

pytestmark = pytest.mark.slow  # reads whole documents, OCRs or runs the pipeline


def test_a_run_stored_with_kept_connections_reads_the_same_with_dagsters_default_storage(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / "929_BCA-VPB.pdf", raw / "letter.pdf")
    run(raw, tmp_path / "out", quiet=True, state=tmp_path / "state")
    with instance_for(tmp_path / "state") as ours:
        assert isinstance(ours.get_ref().storage_data.rehydrate(), PooledSqliteStorage)
        mine = ours.fetch_materializations(AssetKey("tasks"), limit=10).records
    default = InstanceRef.from_dir(str(tmp_path / "state"))  # what `dagster dev` opens
    with DagsterInstance.from_ref(default) as theirs:
        assert theirs.get_ref().storage_data.class_name == "DagsterSqliteStorage"
        records = theirs.fetch_materializations(AssetKey("tasks"), limit=10).records
        assert [r.storage_id for r in records] == [r.storage_id for r in mine] and len(records) == 1
        assert records[0].asset_materialization.metadata["dagster/row_count"].value == 0
        runs = theirs.get_run_records()
        assert len(runs) == 1 and runs[0].dagster_run.is_success


def test_only_the_engines_of_the_last_runs_are_kept_and_a_forked_child_drops_them(tmp_path):
    storage = PooledSqliteEventLogStorage(str(tmp_path))
    try:
        for i in range(RUN_ENGINES_KEPT + 3):
            assert storage.get_logs_for_run(f"run-{i}") == []  # opens (and makes) the run's database
        assert len(storage._runs.engines) == RUN_ENGINES_KEPT
        assert len(storage._index.engines) == 1
        pid = os.fork()
        if pid == 0:  # the child: no engine, so no connection of the parent's is ever used here
            os._exit(0 if not storage._runs.engines and not storage._index.engines else 1)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert len(storage._runs.engines) == RUN_ENGINES_KEPT  # the parent keeps its own
        assert storage.get_logs_for_run(f"run-{RUN_ENGINES_KEPT + 2}") == []
    finally:
        storage.dispose()
    assert not storage._runs.engines
