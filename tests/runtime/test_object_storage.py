"""Raw and curated folders on object storage (pipeline/runtime/remote.py), through fsspec: the
in-memory store in this process (any fsspec store takes the same path: s3://, gs://), and a
file:// URL given to the command line. The published tables are byte-identical to a run on
local folders; a replaced object is read again, a removed one leaves the tables, a run with
nothing new uploads nothing, and a table the bucket lost is published again."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys

import fsspec
import pyarrow.parquet as pq
import pytest

from normalizers.schema import TABLES
from pipeline.tools.commands import run
from pipeline.runtime.remote import PUBLISHED
from tests.conftest import RAW, ROOT

pytestmark = pytest.mark.slow  # reads whole documents, OCRs or runs the pipeline

FILES = {"929_BCA-VPB.pdf": "929_BCA-VPB.pdf", "sub/bao_cao.pdf": "bao_cao_02-KH_BCDTW.pdf"}


def _digests(fs, folder: str) -> dict[str, str]:
    return {name: hashlib.sha256(fs.cat_file(f"{folder}/{name}.parquet")).hexdigest() for name in TABLES}


def test_raw_and_curated_in_a_bucket_give_the_tables_of_local_folders(tmp_path):
    mem = fsspec.filesystem("memory")
    bucket = f"/nhiemvu-test-{os.getpid()}"
    for name, source in FILES.items():
        mem.pipe_file(f"{bucket}/raw/{name}", (RAW / source).read_bytes())
    raw_url, curated_url = f"memory://{bucket}/raw", f"memory://{bucket}/curated"
    try:
        state = tmp_path / "state"
        summary = run(raw_url, curated_url, quiet=True, state=state)
        assert (summary["processed"], summary["ok"], summary["curated"]) == (2, 2, curated_url)

        local = tmp_path / "raw"
        for name, source in FILES.items():
            (local / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(RAW / source, local / name)
        run(local, tmp_path / "out", quiet=True, state=tmp_path / "state-local")
        assert _digests(mem, f"{bucket}/curated") == _digests(fsspec.filesystem("file"), str(tmp_path / "out"))
        assert json.loads(mem.cat_file(f"{bucket}/curated/{PUBLISHED}")) == {
            f"{n}.parquet": d for n, d in _digests(mem, f"{bucket}/curated").items()}

        # nothing new: nothing read, nothing uploaded; a table the bucket lost is published again
        published = mem.info(f"{bucket}/curated/tasks.parquet")["created"]
        assert run(raw_url, curated_url, quiet=True, state=state)["processed"] == 0
        assert mem.info(f"{bucket}/curated/tasks.parquet")["created"] == published
        mem.rm_file(f"{bucket}/curated/cells.parquet")
        run(raw_url, curated_url, quiet=True, state=state)
        assert mem.exists(f"{bucket}/curated/cells.parquet")

        # an object replaced by another document is read again; a removed one leaves the tables
        mem.pipe_file(f"{bucket}/raw/sub/bao_cao.pdf", (RAW / "07_CT-TTg.pdf").read_bytes())
        assert run(raw_url, curated_url, quiet=True, state=state)["processed"] == 1
        docs = pq.read_table(mem.open(f"{bucket}/curated/documents.parquet")).to_pylist()
        assert {d["source_file"]: d["doc_number"] for d in docs} == {"929_BCA-VPB.pdf": "929/BCA-VPB", "sub/bao_cao.pdf": "07/CT-TTg"}
        mem.rm_file(f"{bucket}/raw/929_BCA-VPB.pdf")
        summary = run(raw_url, curated_url, quiet=True, state=state)
        assert summary["documents"] == 1
        assert [d["source_file"] for d in pq.read_table(mem.open(f"{bucket}/curated/documents.parquet")).to_pylist()] == ["sub/bao_cao.pdf"]
    finally:
        mem.rm(bucket, recursive=True)


def test_the_command_line_takes_urls_and_says_when_the_raw_one_is_missing(tmp_path):
    """`run` with file:// URLs; `checks` reads the copy the run keeps; clear errors otherwise."""
    (tmp_path / "bucket" / "raw").mkdir(parents=True)
    shutil.copy(RAW / "929_BCA-VPB.pdf", tmp_path / "bucket" / "raw" / "letter.pdf")
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "state")}
    cmd = [sys.executable, "-m", "pipeline.cli", "run", "--curated", f"file://{tmp_path}/bucket/curated"]
    done = subprocess.run([*cmd, "--raw", f"file://{tmp_path}/bucket/raw"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"written to file://{tmp_path}/bucket/curated/*.parquet" in done.stdout
    assert {p.name for p in (tmp_path / "bucket" / "curated").iterdir()} == {f"{n}.parquet" for n in TABLES} | {PUBLISHED}
    checks = subprocess.run([sys.executable, "-m", "pipeline.cli", "checks", "--curated", f"file://{tmp_path}/bucket/curated"],
                            env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert checks.returncode == 0 and "ok    tasks:conforms_to_schema" in checks.stdout, checks.stderr[-2000:]
    elsewhere = subprocess.run([sys.executable, "-m", "pipeline.cli", "checks", "--curated", f"file://{tmp_path}/bucket/curated"],
                               env={**env, "DAGSTER_HOME": str(tmp_path / "other")}, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert elsewhere.returncode == 2 and "there is none yet" in elsewhere.stderr and "Traceback" not in elsewhere.stderr
    missing = subprocess.run([*cmd, "--raw", f"file://{tmp_path}/nowhere"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert missing.returncode == 2 and "raw folder not found" in missing.stderr and "Traceback" not in missing.stderr
    unknown = subprocess.run([*cmd, "--raw", "nosuchprotocol://bucket/raw"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert unknown.returncode == 2 and "nosuchprotocol" in unknown.stderr and "Traceback" not in unknown.stderr
