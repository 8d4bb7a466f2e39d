"""The same Definitions on a distributed engine, chosen by configuration only: a
dask.distributed cluster with two worker processes runs the steps (`NHIEMVU_EXECUTOR=dask`),
and the curated tables are byte-identical to those of the default in-process run."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from normalizers.schema import TABLES
from tests.conftest import RAW, ROOT

DOCS = ["07_CT-TTg.pdf", "929_BCA-VPB.pdf", "71_NQ-CP_BCA.pdf", "552_TB-VPCP_PL2.pdf"]


def _digests(curated: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(curated.glob("*.parquet"))}


def _run(env: dict, raw: Path, curated: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", "run", "--raw", str(raw), "--curated", str(curated)],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=900)


def test_a_dask_cluster_of_two_workers_gives_the_same_curated_tables(tmp_path, monkeypatch):
    distributed = pytest.importorskip("dask.distributed")
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in DOCS:
        shutil.copy(RAW / name, raw / name)
    local = _run({**os.environ, "DAGSTER_HOME": str(tmp_path / "state-local")}, raw, tmp_path / "local")
    assert local.returncode == 0, local.stderr[-3000:]

    env = {"DAGSTER_HOME": str(tmp_path / "state-dask"), "NHIEMVU_RAW": str(raw), "NHIEMVU_CURATED": str(tmp_path / "dask"),
           "PYTHONPATH": str(ROOT)}
    for k, v in env.items():
        monkeypatch.setenv(k, v)  # the workers started below inherit it: their Definitions read the same folders
    import dask

    # documents run in child processes of the worker: workers must not be daemonic (docs/scale-out.md)
    with dask.config.set({"distributed.worker.daemon": False}), \
            distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        done = _run({**os.environ, "NHIEMVU_EXECUTOR": "dask", "NHIEMVU_DASK_SCHEDULER": cluster.scheduler_address},
                    raw, tmp_path / "dask")
        assert done.returncode == 0, done.stderr[-3000:]
        ran = client.run_on_scheduler(lambda dask_scheduler: sorted({str(k) for k in dask_scheduler.task_prefixes}))
    assert any("pdf_document" in k for k in ran) and any("curated" in k for k in ran), ran
    assert _digests(tmp_path / "dask") == _digests(tmp_path / "local")
    assert len(_digests(tmp_path / "local")) == len(TABLES)


def test_the_multiprocess_executor_reads_the_folders_of_the_command_line(tmp_path):
    """No NHIEMVU_RAW in the environment: the step processes the executor starts take the
    command line's --raw and --curated (they used to read the repository's raw/)."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in DOCS[:2]:
        shutil.copy(RAW / name, raw / name)
    env = {k: v for k, v in os.environ.items() if k not in ("NHIEMVU_RAW", "NHIEMVU_CURATED")}
    local = _run({**env, "DAGSTER_HOME": str(tmp_path / "state-local")}, raw, tmp_path / "local")
    assert local.returncode == 0, local.stderr[-3000:]
    done = _run({**env, "DAGSTER_HOME": str(tmp_path / "state-mp"), "NHIEMVU_EXECUTOR": "multiprocess"}, raw, tmp_path / "mp")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "documents  2: 2 ok" in done.stdout
    assert _digests(tmp_path / "mp") == _digests(tmp_path / "local") and len(_digests(tmp_path / "mp")) == len(TABLES)
