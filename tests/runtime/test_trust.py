"""The machinery data engineers rely on: any number of files, upgrades, concurrent runs,
interrupted replacements, one extraction path, clean process state and CLI errors."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from extractors.document import extract_document
from normalizers.records import document_records
from normalizers.schema import TABLES
from pipeline.tools.commands import run
from pipeline.runtime.store import STAGING, recover_curated, write_curated
from tests.conftest import _NOT_SEED, OCR_SEED, RAW, ROOT

pytestmark = pytest.mark.slow  # reads whole documents, OCRs or runs the pipeline

SMALL = ["929_BCA-VPB.pdf", "bao_cao_02-KH_BCDTW.pdf", "07_CT-TTg.pdf"]  # text PDFs, no OCR
NHIEMVU = [sys.executable, "-m", "pipeline.cli"]


def _digests(curated: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(curated.glob("*.parquet"))}


@pytest.mark.parametrize("n_files", [0, 1, 2, 3])
def test_nhiemvu_run_works_on_0_1_2_and_3_files(tmp_path, n_files):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in SMALL[:n_files]:
        shutil.copy(RAW / name, raw / name)
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "state")}
    done = subprocess.run([*NHIEMVU, "run", "--raw", str(raw), "--curated", str(tmp_path / "out")],
                          env=env, capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"documents  {n_files}: {n_files} ok" in done.stdout
    docs = pq.read_table(tmp_path / "out" / "documents.parquet").to_pylist()
    assert sorted(d["source_file"] for d in docs) == sorted(SMALL[:n_files])
    assert {p.stem for p in (tmp_path / "out").glob("*.parquet")} == set(TABLES)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    base = tmp_path_factory.mktemp("trust")
    raw = base / "raw"
    raw.mkdir()
    for name in SMALL[:2]:
        shutil.copy(RAW / name, raw / name)
    summary = run(raw, base / "out", quiet=True, state=base / "state")
    return {"base": base, "raw": raw, "out": base / "out", "state": base / "state", "summary": summary}


def test_the_pipeline_stores_what_extract_document_gives(corpus):
    """What is measured is what runs: the records the pipeline stored for a document (through
    its child process, its IO manager) equal `document_records(extract_document(path))`."""
    from pipeline.runtime import sealed

    path = corpus["raw"] / SMALL[0]
    doc_id = hashlib.sha256(path.read_bytes()).hexdigest()
    stored = sealed.load(corpus["state"], corpus["state"] / "docs" / "pdf_records" / f"{doc_id}.pkl")
    direct = document_records(doc_id, extract_document(path))
    assert stored == direct and direct.document["doc_number"] == "929/BCA-VPB"


def _upgraded_code(tmp_path: Path, changed: str) -> Path:
    """A copy of the three packages with one file changed, as an upgrade would change it."""
    code = tmp_path / "code"
    for package in ("extractors", "normalizers", "pipeline"):
        shutil.copytree(ROOT / package, code / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "dagster.yaml", code / "dagster.yaml")
    with open(code / changed, "a", encoding="utf-8") as f:
        f.write("\n# a fix\n")
    return code


def test_an_upgrade_of_the_normalizers_rebuilds_the_rows_and_reads_nothing(corpus, tmp_path):
    """A copy of the code with one normalizer changed: every document's rows are rebuilt with
    the new version stamped, no PDF is read again; the old code then rebuilds them back."""
    code = _upgraded_code(tmp_path, "normalizers/deadlines.py")
    before = {d["doc_id"]: d["pipeline_version"] for d in pq.read_table(corpus["out"] / "documents.parquet").to_pylist()}
    env = {**os.environ, "DAGSTER_HOME": str(corpus["state"]), "PYTHONPATH": str(code)}
    args = ["run", "--raw", str(corpus["raw"]), "--curated", str(corpus["out"])]
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", *args], env=env, cwd=code,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "0 document(s) read, 2 rebuilt" in done.stdout
    after = {d["doc_id"]: d["pipeline_version"] for d in pq.read_table(corpus["out"] / "documents.parquet").to_pylist()}
    assert after.keys() == before.keys()
    for doc_id in after:  # same extractor, new normalizers: the stamp says so
        old_x, old_n = before[doc_id].split("+")[1].split(".")
        new_x, new_n = after[doc_id].split("+")[1].split(".")
        assert old_x == new_x and old_n != new_n
    summary = run(corpus["raw"], corpus["out"], quiet=True, state=corpus["state"])  # back to this code
    assert (summary["processed"], summary["records_rebuilt"]) == (0, 2)
    assert {d["doc_id"]: d["pipeline_version"] for d in pq.read_table(corpus["out"] / "documents.parquet").to_pylist()} == before


def test_a_rerun_changes_nothing_and_leaves_process_state_alone(corpus):
    import gc

    cwd, env, filters = os.getcwd(), dict(os.environ), list(warnings.filters)
    before = _digests(corpus["out"])
    summary = run(corpus["raw"], corpus["out"], quiet=True, state=corpus["state"])
    assert (summary["processed"], summary["records_rebuilt"]) == (0, 0)
    assert _digests(corpus["out"]) == before
    assert (os.getcwd(), dict(os.environ), list(warnings.filters)) == (cwd, env, filters)
    summary = run(corpus["raw"], corpus["out"], quiet=True, state=corpus["state"], force=True)  # through Dagster
    assert summary["processed"] == 2 and _digests(corpus["out"]) == before
    assert (os.getcwd(), dict(os.environ), list(warnings.filters)) == (cwd, env, filters)
    assert gc.get_freeze_count() == 0  # the run froze its objects for its own time only


def test_a_file_replaced_in_place_is_read_again(corpus):
    raw = corpus["raw"]
    target = raw / SMALL[1]
    st = target.stat()
    shutil.copy(RAW / SMALL[2], target)
    summary = run(raw, corpus["out"], quiet=True, state=corpus["state"])
    assert summary["processed"] == 1
    docs = {d["source_file"]: d for d in pq.read_table(corpus["out"] / "documents.parquet").to_pylist()}
    assert docs[SMALL[1]]["doc_number"] == "07/CT-TTg" and len(docs) == 2
    shutil.copy(RAW / SMALL[1], target)
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))


def test_concurrent_runs_wait_for_each_other_and_all_succeed(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / SMALL[0], raw / SMALL[0])
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "state")}
    cmd = [*NHIEMVU, "run", "--raw", str(raw), "--curated", str(tmp_path / "out")]
    procs = [subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(4)]
    outs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], [err[-2000:] for _, err in outs]
    assert sum("1 document(s) read" in out for out, _ in outs) == 1  # the others found it done


def test_curated_tables_are_replaced_all_at_once(tmp_path):
    rows = {name: [] for name in TABLES}
    write_curated(tmp_path, rows)
    first = _digests(tmp_path)
    # a run killed while staging: the old set stays, the staging is dropped
    (tmp_path / STAGING).mkdir()
    (tmp_path / STAGING / "tasks.parquet").write_bytes(b"half")
    assert recover_curated(tmp_path) == "rolled back" and _digests(tmp_path) == first
    # a run killed between two renames: the next run finishes the replacement
    doc = {c.name: None for c in TABLES["documents"].columns} | {
        "doc_id": "d", "source_file": "a.pdf", "n_pages": 1, "n_text_pages": 1, "n_ocr_pages": 0, "signature_count": 0,
        "addressees": [],
        "status": "ok", "pipeline_version": "v"}
    write_curated(tmp_path / "new", {**rows, "documents": [doc]})
    staging = tmp_path / STAGING
    staging.mkdir()
    for p in (tmp_path / "new").glob("*.parquet"):
        shutil.copy(p, staging / p.name)
    (staging / "COMPLETE").touch()
    os.replace(staging / "documents.parquet", tmp_path / "documents.parquet")  # one rename done, then killed
    assert recover_curated(tmp_path) == "rolled forward"
    assert _digests(tmp_path) == _digests(tmp_path / "new")
    # a table that does not match its schema: nothing is replaced
    with pytest.raises(ValueError):
        write_curated(tmp_path, {**rows, "documents": [{**doc, "n_pages": "1"}]})
    assert _digests(tmp_path) == _digests(tmp_path / "new") and not (tmp_path / STAGING).exists()


def test_cli_refuses_bad_options_and_explains_missing_folders(tmp_path):
    bad = subprocess.run([*NHIEMVU, "run", "--workers", "0"], capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 2 and "must be at least 1" in bad.stderr
    show = subprocess.run([*NHIEMVU, "show", "abc", "--curated", str(tmp_path / "none")], capture_output=True, text=True, cwd=ROOT)
    assert show.returncode == 1 and "no curated tables" in show.stderr and "Traceback" not in show.stderr
    help_ = subprocess.run([*NHIEMVU, "run", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert "(default: 2)" in help_.stdout and "NHIEMVU_RAW" in help_.stdout


def test_a_bug_of_ours_is_not_a_damaged_page_it_fails_the_run(tmp_path, monkeypatch):
    """A bug in the grid code used to show up as 'page failed' rows in a green run."""
    import extractors.document as document

    real = document.build_fragments

    def buggy(page_no, boxes, words, **settings):
        if page_no == 2:
            return real(page_no, None, words, **settings)  # our own code fails on bad input: a TypeError in extractors/
        return real(page_no, boxes, words, **settings)

    monkeypatch.setattr(document, "build_fragments", buggy)
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / "bao_cao_02-KH_BCDTW.pdf", raw / "a.pdf")
    summary = run(raw, tmp_path / "out", quiet=True, state=tmp_path / "state")
    assert summary["checks_failed"] == ["pages:no_internal_errors"]
    pages = {p["page"]: p for p in pq.read_table(tmp_path / "out" / "pages.parquet").to_pylist()}
    assert pages[2]["method"] == "failed" and pages[2]["error"].startswith("internal error: TypeError")
    assert pages[1]["method"] == "text"


def test_an_upgrade_of_the_extractors_reads_every_document_again_and_ocrs_nothing(tmp_path):
    """OCR results are cached by page image: a new extractor version reads the scan again
    from the cache (no new cache entry is made), and its rows come out the same."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("552_TB-VPCP_PL2_scan.pdf", "929_BCA-VPB.pdf"):
        shutil.copy(RAW / name, raw / name)
    cache = tmp_path / "ocr-cache"  # a cache of its own, seeded (the seed's pages are OCR'd once, by the seed's run)
    shutil.copytree(OCR_SEED, cache, ignore=_NOT_SEED)
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "state"), "NHIEMVU_OCR_CACHE": str(cache)}
    args = ["run", "--raw", str(raw), "--curated", str(tmp_path / "out")]
    first = subprocess.run([*NHIEMVU, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert first.returncode == 0, first.stderr[-3000:]
    entries = sorted(p for p in cache.rglob("*.json"))
    assert entries, "the scan's pages are in the cache"
    stamps = {p: p.stat().st_mtime_ns for p in entries}
    tasks_before = pq.read_table(tmp_path / "out" / "tasks.parquet").to_pylist()

    code = _upgraded_code(tmp_path, "extractors/stitch.py")
    second = subprocess.run([sys.executable, "-m", "pipeline.cli", *args], env={**env, "PYTHONPATH": str(code)},
                            cwd=code, capture_output=True, text=True, timeout=900)
    assert second.returncode == 0, second.stderr[-3000:]
    assert "2 document(s) read, 2 rebuilt" in second.stdout
    assert sorted(cache.rglob("*.json")) == entries and all(p.stat().st_mtime_ns == stamps[p] for p in entries)
    assert pq.read_table(tmp_path / "out" / "tasks.parquet").to_pylist() == tasks_before
