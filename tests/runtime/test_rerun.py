"""A run with nothing new (pipeline/runtime/lastrun.py): it answers from the record of the last run
without starting Dagster, and anything that changed takes the full path again."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pyarrow.parquet as pq
import pytest

from pipeline.tools.commands import run
from tests.conftest import RAW, ROOT

pytestmark = pytest.mark.slow  # reads whole documents, OCRs or runs the pipeline

PROBE = (
    "import sys, json\n"
    "from pipeline.cli import main\n"
    "rc = main(['run', '--raw', sys.argv[1], '--curated', sys.argv[2]])\n"
    "print(json.dumps({'rc': rc, 'dagster': 'dagster' in sys.modules}))\n"
)


def _rerun(tmp_path, raw, out):
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "state")}
    done = subprocess.run([sys.executable, "-c", PROBE, str(raw), str(out)], env=env, capture_output=True, text=True,
                          cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_nothing_new_needs_no_dagster_and_a_change_takes_the_full_path(tmp_path):
    raw, out, state = tmp_path / "raw", tmp_path / "out", tmp_path / "state"
    raw.mkdir()
    shutil.copy(RAW / "929_BCA-VPB.pdf", raw / "a.pdf")
    first = run(raw, out, quiet=True, state=state)
    assert (first["processed"], first["documents"]) == (1, 1)

    again = _rerun(tmp_path, raw, out)
    assert "0 document(s) read, 0 rebuilt" in again and '"dagster": false' in again
    assert "documents  1: 1 ok" in again

    (out / "tasks.parquet").unlink()  # a curated file gone: rebuilt, nothing read again
    repaired = _rerun(tmp_path, raw, out)
    assert '"dagster": true' in repaired and (out / "tasks.parquet").exists()
    assert '"dagster": false' in _rerun(tmp_path, raw, out)

    shutil.copy(RAW / "bao_cao_02-KH_BCDTW.pdf", raw / "b.pdf")  # a new file: read
    added = run(raw, out, quiet=True, state=state)
    assert (added["processed"], added["documents"]) == (1, 2)
    (raw / "a.pdf").unlink()  # a removed file: gone from the tables
    removed = run(raw, out, quiet=True, state=state)
    assert removed["documents"] == 1
    assert [d["source_file"] for d in pq.read_table(out / "documents.parquet").to_pylist()] == ["b.pdf"]
    shutil.copy(RAW / "929_BCA-VPB.pdf", raw / "a.pdf")  # put back: its stored rows went with it, so it is read again
    back = run(raw, out, quiet=True, state=state)
    assert (back["processed"], back["documents"]) == (1, 2)
    forced = run(raw, out, quiet=True, state=state, force=True)
    assert forced["processed"] == 2


def test_the_plan_reads_a_curated_file_only_when_its_stamp_changed(tmp_path, monkeypatch):
    """The plan (every run, every sensor tick) checks the curated files by the stamp recorded
    when they were written (size, times, inode) and hashes a file only when its stamp differs:
    a byte flipped in place, size and modification time put back, is still found (its change
    time moved), and a thorough check hashes every file."""
    from normalizers.schema import TABLES
    from pipeline.orchestration import plan
    from pipeline.orchestration.resources import instance_for
    from pipeline.runtime import store

    raw, out, state = tmp_path / "raw", tmp_path / "out", tmp_path / "state"
    raw.mkdir()
    shutil.copy(RAW / "929_BCA-VPB.pdf", raw / "a.pdf")
    run(raw, out, quiet=True, state=state)
    hashed = []
    real_digest = store.file_digest
    monkeypatch.setattr(plan, "file_digest", lambda path: hashed.append(path.name) or real_digest(path))
    with instance_for(state) as instance:
        assert plan.curated_intact(instance, out) and hashed == []  # nothing read
        assert plan.curated_intact(instance, out, thorough=True) and len(hashed) == len(TABLES)
        hashed.clear()
        path = out / "tasks.parquet"
        st = path.stat()
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0xFF
        path.write_bytes(bytes(data))
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
        assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
        assert not plan.curated_intact(instance, out) and hashed == ["tasks.parquet"]
