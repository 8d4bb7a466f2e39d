"""The head start of `nhiemvu run` (pipeline/runtime/headstart.py): documents new to the state folder
are read while Dagster starts, the step takes what was read and reads the rest, the tables
are the same as without it, and a stopped run leaves neither process nor file behind."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
from dagster import AssetKey
import pytest

from pipeline.tools import commands
from pipeline.runtime import headstart
from pipeline.runtime.isolation import Failure, Limits
from pipeline.runtime.reading import Extraction
from pipeline.orchestration.resources import instance_for
from tests.conftest import RAW, ROOT
from tests.tools.test_dev import _alive, _descendants, as_in_a_terminal

pytestmark = pytest.mark.slow  # reads whole documents, OCRs or runs the pipeline

SMALL = ["929_BCA-VPB.pdf", "bao_cao_02-KH_BCDTW.pdf", "07_CT-TTg.pdf"]


def _doc_id(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.parquet"))}


def _read_ahead(state: Path) -> list[int]:
    """How many documents each run's pdf_document step took from the head start, oldest run
    first (each partition's materialization says whether its document was read ahead)."""
    with instance_for(state) as instance:
        records = instance.fetch_materializations(AssetKey("pdf_document"), limit=1000, ascending=True).records
        runs: dict[str, int] = {}
        for r in records:
            value = r.asset_materialization.metadata.get("read_ahead")
            if value is not None:
                runs[r.run_id] = runs.get(r.run_id, 0) + bool(value.value)
        return list(runs.values())


def test_new_documents_are_read_ahead_and_the_tables_are_the_same_without_it(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in SMALL[:2]:
        shutil.copy(RAW / name, raw / name)
    ahead = commands.run(raw, tmp_path / "out", quiet=True, state=tmp_path / "state")
    assert ahead["processed"] == 2 and _read_ahead(tmp_path / "state") == [2]
    assert not (tmp_path / "state" / headstart.FOLDER).exists()

    shutil.copy(RAW / SMALL[2], raw / SMALL[2])  # one new file: read ahead; the two others are stored
    commands.run(raw, tmp_path / "out", quiet=True, state=tmp_path / "state")
    assert _read_ahead(tmp_path / "state") == [2, 1]

    monkeypatch.setattr(commands, "_head_start", lambda *a, **k: None)  # the same folder, read by the step alone
    alone = commands.run(raw, tmp_path / "alone", quiet=True, state=tmp_path / "state-alone")
    assert alone["processed"] == 3 and _read_ahead(tmp_path / "state-alone") == [0]
    assert _digests(tmp_path / "alone") == _digests(tmp_path / "out")


def test_take_waits_for_the_head_start_and_gives_each_outcome_once(tmp_path):
    good = RAW / SMALL[0]
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 this is not a PDF")
    paths = {_doc_id(good): good, _doc_id(bad): bad}
    started = headstart.start(tmp_path, paths, workers=2, limits=Limits())
    try:
        waited = []  # what the caller does meanwhile: called while the head start still reads
        got = headstart.take(tmp_path, [*paths, "someone-else"],  # at once: it waits for the head start to end
                             while_waiting=lambda: waited.append(started.process.is_alive()))
        assert waited == [True]
        assert set(got) == set(paths)  # both, though the second one was still being read when asked
        assert isinstance(got[_doc_id(good)], Extraction) and got[_doc_id(good)].records.document["doc_number"] == "929/BCA-VPB"
        assert isinstance(got[_doc_id(bad)], Failure) and got[_doc_id(bad)].kind == "DocumentError"
        assert headstart.take(tmp_path, list(paths)) == {}  # taken once
    finally:
        started.close()
    assert not (tmp_path / headstart.FOLDER).exists()
    left = tmp_path / headstart.FOLDER  # as a run killed by SIGKILL leaves it
    left.mkdir()
    (left / headstart.LOCK).touch()
    (left / next(iter(paths))).with_suffix(".pkl").write_bytes(b"half-written")
    assert headstart.start(tmp_path, {}, workers=2, limits=Limits()) is None
    assert not left.exists()
    assert headstart.take(tmp_path, list(paths), while_waiting=waited.append) == {}  # no head start: nothing to wait for
    assert waited == [True]  # nor anything done while waiting


def test_a_run_stopped_while_reading_ahead_leaves_nothing_behind(tmp_path):
    """Ctrl-C (SIGINT to the terminal's process group) while the head start reads: the run,
    the head start and the children reading documents all end; the next run reads everything."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for i in range(6):  # enough work that the run is still reading when stopped
        shutil.copy(RAW / "71_NQ-CP_BCA.pdf", raw / f"r{i}.pdf")
        with open(raw / f"r{i}.pdf", "ab") as f:
            f.write(f"\n% copy {i}\n".encode())
    state, out = tmp_path / "state", tmp_path / "out"
    env = {**os.environ, "DAGSTER_HOME": str(state)}
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "run", "--raw", str(raw), "--curated", str(out)],
                            env=env, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            preexec_fn=as_in_a_terminal)
    try:
        deadline = time.monotonic() + 60
        tree: set[int] = set()
        while time.monotonic() < deadline and len(tree) < 3:  # the head start and its readers
            time.sleep(0.05)
            tree |= _descendants(proc.pid)
        assert len(tree) >= 3, "the head start did not start"
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode != 0
        deadline = time.monotonic() + 20
        while any(_alive(p) for p in tree) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert [p for p in tree if _alive(p)] == [], err[-2000:]
        assert not (state / headstart.FOLDER).exists()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    summary = commands.run(raw, out, quiet=True, state=state)
    assert summary["processed"] == 6 and summary["ok"] == 6
    assert len(pq.read_table(out / "documents.parquet")) == 6


def test_the_warm_up_loads_pyhanko_only_for_signed_files(tmp_path):
    """The children forked after the warm-up inherit what it loaded: pyHanko when one of the
    files to read holds a signature dictionary's bytes, and not otherwise (no child would load it)."""
    marked = tmp_path / "marked.pdf"
    marked.write_bytes((RAW / SMALL[0]).read_bytes() + b"\n% /ByteRange\n")
    code = ("import sys; from pipeline.runtime.reading import warm_up; warm_up(sys.argv[1:]); "
            "print(any(m.split('.')[0] == 'pyhanko' for m in sys.modules))")
    loaded = {}
    for name, paths in {"unsigned": [RAW / n for n in SMALL], "one signed": [RAW / SMALL[1], marked]}.items():
        done = subprocess.run([sys.executable, "-c", code, *map(str, paths)], cwd=ROOT, capture_output=True, text=True,
                              check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        loaded[name] = done.stdout.split()[-1]
    assert loaded == {"unsigned": "False", "one signed": "True"}
