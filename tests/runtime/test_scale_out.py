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

pytestmark = pytest.mark.slow  # reads whole documents, OCRs or runs the pipeline

DOCS = ["07_CT-TTg.pdf", "929_BCA-VPB.pdf", "552_TB-VPCP_PL2.pdf"]  # a directive, a letter, an appendix


def _digests(curated: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(curated.glob("*.parquet"))}


def _run(env: dict, raw: Path, curated: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", "run", "--raw", str(raw), "--curated", str(curated)],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def local(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """The raw folder of the module's documents and the digests of its curated tables, as the
    default in-process run on SQLite makes them (the reference of every other engine)."""
    base = tmp_path_factory.mktemp("scale-out")
    raw = base / "raw"
    raw.mkdir()
    for name in DOCS:
        shutil.copy(RAW / name, raw / name)
    env = {k: v for k, v in os.environ.items() if k not in ("NHIEMVU_RAW", "NHIEMVU_CURATED", "NHIEMVU_EXECUTOR")}
    done = _run({**env, "DAGSTER_HOME": str(base / "state-local")}, raw, base / "local")
    assert done.returncode == 0, done.stderr[-3000:]
    digests = _digests(base / "local")
    assert len(digests) == len(TABLES)
    return raw, digests


def test_a_dask_cluster_of_two_workers_gives_the_same_curated_tables(tmp_path, monkeypatch, local):
    distributed = pytest.importorskip("dask.distributed")
    raw, reference = local
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
    assert _digests(tmp_path / "dask") == reference


def test_the_multiprocess_executor_reads_the_folders_of_the_command_line(tmp_path, local):
    """No NHIEMVU_RAW in the environment: the step processes the executor starts take the
    command line's --raw and --curated (they used to read the repository's raw/)."""
    raw, reference = local
    env = {k: v for k, v in os.environ.items() if k not in ("NHIEMVU_RAW", "NHIEMVU_CURATED")}
    done = _run({**env, "DAGSTER_HOME": str(tmp_path / "state-mp"), "NHIEMVU_EXECUTOR": "multiprocess"}, raw, tmp_path / "mp")
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"documents  {len(DOCS)}: {len(DOCS)} ok" in done.stdout
    assert _digests(tmp_path / "mp") == reference


# --------------------------------------------------------------------------- PostgreSQL storage


class PostgresServer:
    """A PostgreSQL server of its own for one test: a cluster made with Debian's `initdb` in a
    temporary folder, listening on a free localhost port (and a socket in that folder), trusted
    local connections only; `stop` stops it and removes the folder. As root, the server runs as
    the `postgres` user (initdb refuses root)."""

    def __init__(self):
        import glob
        import pwd
        import socket
        import tempfile

        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            pytest.skip("PostgreSQL is not installed (Debian: postgresql; `make test` installs it)")
        self.bin = Path(found[-1]).parent
        self.folder = Path(tempfile.mkdtemp(prefix="nhiemvu-pg-"))
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.folder, user.pw_uid, user.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.data = self.folder / "data"
        self._pg("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-sync")
        self._pg("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"), "-w", "-t", "120", "start",
                 "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off")
        self.started = True
        self._pg("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "nhiemvu")

    def _pg(self, tool: str, *args: str) -> None:
        done = subprocess.run([*self.as_user, str(self.bin / tool), *args], capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, f"{tool}: {done.stdout[-2000:]}{done.stderr[-2000:]}"

    @property
    def url(self) -> str:
        return f"postgresql+psycopg2://postgres@127.0.0.1:{self.port}/nhiemvu"

    def stop(self) -> None:
        if getattr(self, "started", False):
            self._pg("pg_ctl", "-D", str(self.data), "-w", "-t", "120", "-m", "fast", "stop")
            self.started = False
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def postgres():
    server = PostgresServer()
    try:
        yield server
    finally:
        server.stop()


def test_runs_on_a_dask_cluster_with_postgresql_storage_give_the_same_curated_tables(tmp_path, monkeypatch, postgres,
                                                                                     local):
    """Several machines share one instance: a PostgreSQL server (started and stopped here) holds
    the runs, events and partitions; the steps run on a dask cluster of two workers; the curated
    tables are byte-identical to those of the default run on SQLite."""
    distributed = pytest.importorskip("dask.distributed")
    pytest.importorskip("dagster_postgres")
    raw, reference = local

    state = tmp_path / "state-pg"
    state.mkdir()
    (state / "dagster.yaml").write_text((ROOT / "dagster.yaml").read_text()
                                        + f"storage:\n  postgres:\n    postgres_url: {postgres.url}\n")
    env = {"DAGSTER_HOME": str(state), "NHIEMVU_RAW": str(raw), "NHIEMVU_CURATED": str(tmp_path / "pg"),
           "PYTHONPATH": str(ROOT)}
    for k, v in env.items():
        monkeypatch.setenv(k, v)  # the workers started below inherit it
    import dask

    with dask.config.set({"distributed.worker.daemon": False}), \
            distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster):
        dask_env = {**os.environ, "NHIEMVU_EXECUTOR": "dask", "NHIEMVU_DASK_SCHEDULER": cluster.scheduler_address}
        done = _run(dask_env, raw, tmp_path / "pg")
        assert done.returncode == 0, done.stderr[-3000:]
        assert f"{len(DOCS)} document(s) read" in done.stdout
        (state / "last-run.json").unlink()  # the next run plans against the instance's records
        again = _run(dask_env, raw, tmp_path / "pg")
        assert again.returncode == 0, again.stderr[-3000:]
        assert "0 document(s) read, 0 rebuilt" in again.stdout
    assert _digests(tmp_path / "pg") == reference
    assert not list(state.rglob("*.db"))  # the instance kept nothing in SQLite
    import psycopg2

    with psycopg2.connect(postgres.url.replace("+psycopg2", "")) as db, db.cursor() as cur:
        cur.execute("SELECT count(*) FROM runs")
        assert cur.fetchone()[0] >= 1
        cur.execute("SELECT count(DISTINCT partition) FROM dynamic_partitions")
        assert cur.fetchone()[0] == len(DOCS)
