"""Faults that stuck (issue 20): each injected, each must leave every later run exiting 0 once
the input or the machine is right, without `--force`.

1. a damaged PDF (bit flips, forms nested 1,000 deep, a document over a low memory limit) is
   the document's failure, not an internal error that fails every run;
2. a failure of the machine (Tesseract's model missing) fails the run loudly and is never
   stored as the document's result: the rerun on the fixed machine reads it;
3. a crafted pickle in the state folder runs nothing; a truncated one is made again;
4. damaged state heals: last-run.json of another JSON type, a truncated Dagster index, a
   curated file truncated, replaced, or changed in place with its size and time put back;
5. the pipeline's own folders are never input, and a link out of the raw folder is skipped.
(6, pages that vanished quietly, is in tests/pdf/test_pdf_open.py.)
"""

from __future__ import annotations

import hashlib
import os
import pickle
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pyarrow.parquet as pq
import pytest

from extractors.pdf import INTERNAL_ERROR
from pipeline.runtime import sealed
from pipeline.tools.commands import EXIT_MACHINE, run
from pipeline.runtime.isolation import Limits
from pipeline.runtime.state import PARTS as PARTS_FILE
from tests.conftest import OCR_SEED, RAW, ROOT

pytestmark = pytest.mark.slow  # reads whole documents, OCRs or runs the pipeline

GOOD = RAW / "929_BCA-VPB.pdf"
OTHER = RAW / "bao_cao_02-KH_BCDTW.pdf"
SCAN = RAW / "552_TB-VPCP_PL2_scan.pdf"


def _digests(curated: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(curated.glob("*.parquet"))}


def _errors(curated: Path) -> list[str]:
    docs = pq.read_table(curated / "documents.parquet", columns=["error"]).column("error").to_pylist()
    pages = pq.read_table(curated / "pages.parquet", columns=["error"]).column("error").to_pylist()
    return [e for e in docs + pages if e]


def _ok(summary: dict) -> bool:
    """What makes `nhiemvu run` exit 0."""
    return not summary["checks_failed"]


def _doc_id(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def nested_forms(path: Path, depth: int = 1000) -> Path:
    """One page drawing a form that draws a form ... `depth` deep, the last one printing text."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(300, 200))
    form = pdf.make_stream(b"BT /F1 12 Tf 10 10 Td (deep) Tj ET")
    form.Type, form.Subtype, form.BBox = pikepdf.Name.XObject, pikepdf.Name.Form, [0, 0, 300, 200]
    font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)
    form.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    for _ in range(depth):
        outer = pdf.make_stream(b"/X0 Do")
        outer.Type, outer.Subtype, outer.BBox = pikepdf.Name.XObject, pikepdf.Name.Form, [0, 0, 300, 200]
        outer.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(X0=form))
        form = outer
    page = pdf.pages[0]
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(X0=form))
    page.Contents = pdf.make_stream(b"/X0 Do")
    pdf.save(path)
    return path


def bit_flipped(good: Path, path: Path, seed: int, flips: int = 20) -> Path:
    data = bytearray(good.read_bytes())
    r = random.Random(seed)
    for _ in range(flips):
        i = r.randrange(len(data))
        data[i] ^= 1 << r.randrange(8)
    path.write_bytes(bytes(data))
    return path


# seeds whose flips made pdfminer raise from inside pdfplumber's wrapper (recorded as "internal
# error" before): invalid dictionaries, bad ASCII85, an unknown filter, a bad octal escape
FLIP_SEEDS = (0, 1, 10, 19, 29, 37)


def test_damaged_pdfs_are_their_documents_failures_not_internal_errors(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(GOOD, raw / "good.pdf")
    nested_forms(raw / "nested.pdf")
    for seed in FLIP_SEEDS:
        bit_flipped(GOOD, raw / f"flipped_{seed}.pdf", seed)
    summary = run(raw, tmp_path / "out", quiet=True, state=tmp_path / "state")
    assert _ok(summary), summary["checks_failed"]
    errors = _errors(tmp_path / "out")
    assert errors and not [e for e in errors if INTERNAL_ERROR in e]
    pages = {(p["doc_id"], p["page"]): p for p in pq.read_table(tmp_path / "out" / "pages.parquet").to_pylist()}
    nested = pages[_doc_id(raw / "nested.pdf"), 1]
    assert nested["method"] == "failed" and "RecursionError" in nested["error"]
    again = run(raw, tmp_path / "out", quiet=True, state=tmp_path / "state")
    assert _ok(again) and again["processed"] == 0


def test_a_document_over_a_low_memory_limit_is_its_failure_not_an_internal_error(tmp_path):
    """Under a low --doc-memory the child cannot map a library or make a semaphore (ImportError,
    OSError ENOMEM): the document failed on its limit; the run and every rerun exit 0."""
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(GOOD, raw / "good.pdf")
    shutil.copy(SCAN, raw / "scan.pdf")
    for memory in (150, 300):
        out, state = tmp_path / f"out{memory}", tmp_path / f"state{memory}"
        summary = run(raw, out, quiet=True, state=state, limits=Limits(memory_mb=memory))
        assert _ok(summary), summary["checks_failed"]
        errors = _errors(out)
        assert not [e for e in errors if INTERNAL_ERROR in e]
        if memory == 150:  # too low to load the OCR libraries: the scan failed on its limit
            docs = {d["source_file"]: d for d in pq.read_table(out / "documents.parquet").to_pylist()}
            assert docs["scan.pdf"]["error"].startswith("exceeded the memory limit of 150 MB ("), docs
        assert _ok(run(raw, out, quiet=True, state=state, limits=Limits(memory_mb=memory)))


def test_a_missing_ocr_model_fails_the_run_and_is_not_stored(tmp_path):
    raw, out, state = tmp_path / "raw", tmp_path / "out", tmp_path / "state"
    raw.mkdir()
    shutil.copy(GOOD, raw / "good.pdf")
    shutil.copy(SCAN, raw / "scan.pdf")
    cache = tmp_path / "ocr-cache"
    shutil.copytree(OCR_SEED, cache)  # the fixed run finds the pages' OCR: no Tesseract needed here
    empty = tmp_path / "tessdata"
    empty.mkdir()
    env = {**os.environ, "DAGSTER_HOME": str(state), "NHIEMVU_OCR_CACHE": str(cache), "TESSDATA_PREFIX": str(empty)}
    args = [sys.executable, "-m", "pipeline.cli", "run", "--raw", str(raw), "--curated", str(out)]
    broken = subprocess.run(args, env=env, capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert broken.returncode == EXIT_MACHINE, broken.stderr[-3000:]
    assert "'vie' model is not installed" in broken.stderr and "fix the machine and run again" in broken.stderr
    assert not (state / "docs" / "pdf_document" / f"{_doc_id(raw / 'scan.pdf')}.pkl").exists()  # nothing stored
    del env["TESSDATA_PREFIX"]  # the machine fixed: a plain rerun reads the scan
    fixed = subprocess.run([*args, "--json"], env=env, capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert fixed.returncode == 0, fixed.stderr[-3000:]
    docs = {d["source_file"]: d for d in pq.read_table(out / "documents.parquet").to_pylist()}
    assert docs["scan.pdf"]["status"] == "ok" and docs["scan.pdf"]["n_ocr_pages"] == 6


class _Payload:
    """A pickle that creates a file when loaded: what a crafted state file would do."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


@pytest.fixture(scope="module")
def _first_run(tmp_path_factory) -> Path:
    """Two documents run once; their folders kept as that run left them (`corpus` puts them back)."""
    base = tmp_path_factory.mktemp("faults")
    raw = base / "raw"
    raw.mkdir()
    shutil.copy(GOOD, raw / "a.pdf")
    shutil.copy(OTHER, raw / "b.pdf")
    assert _ok(run(raw, base / "out", quiet=True, state=base / "state"))
    for name in ("raw", "out", "state"):
        shutil.copytree(base / name, base / "first" / name, symlinks=True)
    return base


@pytest.fixture
def corpus(_first_run, tmp_path):
    """The folders of the first run, as it left them (in the same place: the state names them)."""
    base = _first_run
    for name in ("raw", "out", "state"):
        shutil.rmtree(base / name)
        shutil.copytree(base / "first" / name, base / name, symlinks=True)
    return {"raw": base / "raw", "out": base / "out", "state": base / "state", "digests": _digests(base / "out"),
            "tmp": tmp_path}


def _rerun(corpus, **kw) -> dict:
    summary = run(corpus["raw"], corpus["out"], quiet=True, state=corpus["state"], **kw)
    assert _ok(summary), summary["checks_failed"]
    return summary


def _add_third(corpus) -> None:
    shutil.copy(RAW / "07_CT-TTg.pdf", corpus["raw"] / "c.pdf")


def test_a_crafted_parts_file_runs_nothing_and_the_parts_are_made_again(corpus):
    marker = corpus["tmp"] / "ran"
    (corpus["state"] / PARTS_FILE).write_bytes(pickle.dumps(_Payload(marker)))
    _add_third(corpus)  # a run that rebuilds the tables
    _rerun(corpus)
    assert not marker.exists()
    sealed.load(corpus["state"], corpus["state"] / PARTS_FILE)  # made again, sealed


@pytest.mark.parametrize("asset", ["pdf_records", "pdf_document"])
@pytest.mark.parametrize("how", ["raw pickle", "sealed header, wrong digest"])
def test_a_crafted_stored_value_runs_nothing_and_is_made_again(corpus, asset, how):
    marker = corpus["tmp"] / "ran"
    doc = _doc_id(corpus["raw"] / "a.pdf")
    payload = pickle.dumps(_Payload(marker))
    if how == "raw pickle":
        blob = payload
    else:  # whole by its header and size: only the digest tells it is not ours
        blob = sealed.MAGIC + len(payload).to_bytes(8, "big") + bytes(32) + payload
    (corpus["state"] / "docs" / asset / f"{doc}.pkl").write_bytes(blob)
    if asset == "pdf_document":  # its records to be made again: the step loads the extraction
        (corpus["state"] / "docs" / "pdf_records" / f"{doc}.pkl").unlink()
    _add_third(corpus)  # a run that rebuilds the tables, reading the stored values it needs
    _rerun(corpus)
    assert not marker.exists()
    (corpus["raw"] / "c.pdf").unlink()
    _rerun(corpus)
    assert _digests(corpus["out"]) == corpus["digests"]
    sealed.load(corpus["state"], corpus["state"] / "docs" / asset / f"{doc}.pkl")  # made again, sealed
    assert _rerun(corpus)["processed"] == 0


def test_a_truncated_stored_value_is_made_again_without_force(corpus):
    for asset in ("pdf_document", "pdf_records"):
        path = corpus["state"] / "docs" / asset / f"{_doc_id(corpus['raw'] / 'a.pdf')}.pkl"
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    _add_third(corpus)
    summary = _rerun(corpus)
    assert summary["processed"] == 2  # the new file, and the one whose extraction was cut short
    (corpus["raw"] / "c.pdf").unlink()
    _rerun(corpus)
    assert _digests(corpus["out"]) == corpus["digests"]
    assert _rerun(corpus)["processed"] == 0


def test_a_truncated_parts_file_is_made_again(corpus):
    path = corpus["state"] / PARTS_FILE
    path.write_bytes(path.read_bytes()[:100])
    _add_third(corpus)
    _rerun(corpus)
    (corpus["raw"] / "c.pdf").unlink()
    _rerun(corpus)
    assert _digests(corpus["out"]) == corpus["digests"]


@pytest.mark.parametrize("record", ["[1, 2, 3]", "42", '"text"', '{"digest": 1, "files": 2, "checks": 3}', "null"])
def test_last_run_of_another_json_type_is_no_record(corpus, record):
    (corpus["state"] / "last-run.json").write_text(record)
    assert _rerun(corpus)["processed"] == 0
    assert _rerun(corpus)["processed"] == 0
    assert _digests(corpus["out"]) == corpus["digests"]


@pytest.mark.parametrize("size", [0, 8192])
def test_a_truncated_dagster_index_is_set_aside_and_made_again(corpus, size):
    index = corpus["state"] / "history" / "runs" / "index.db"
    with open(index, "r+b") as f:
        f.truncate(size)
    for suffix in ("-wal", "-shm"):
        Path(f"{index}{suffix}").unlink(missing_ok=True)
    _add_third(corpus)
    _rerun(corpus)
    assert (index.parent / "index.db.damaged").exists()
    (corpus["raw"] / "c.pdf").unlink()
    _rerun(corpus)
    assert _digests(corpus["out"]) == corpus["digests"]
    assert _rerun(corpus)["processed"] == 0


def _flip_in_place(path: Path) -> None:
    """One byte changed in the middle, the size and modification time put back."""
    st = path.stat()
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    with open(path, "r+b") as f:
        f.write(bytes(data))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)


@pytest.mark.parametrize("damage", ["truncated", "replaced", "flipped byte"])
def test_a_damaged_curated_file_is_written_again(corpus, damage):
    tasks = corpus["out"] / "tasks.parquet"
    if damage == "truncated":
        tasks.write_bytes(tasks.read_bytes()[:50])
    elif damage == "replaced":
        shutil.copy(corpus["out"] / "links.parquet", tasks)
    else:
        _flip_in_place(tasks)
    assert _digests(corpus["out"]) != corpus["digests"]
    summary = _rerun(corpus)
    assert summary["processed"] == 0 and _digests(corpus["out"]) == corpus["digests"]
    assert _rerun(corpus)["processed"] == 0


def test_our_own_folders_and_links_out_of_raw_are_never_input(tmp_path):
    top = tmp_path / "top"
    raw = top / "raw"
    raw.mkdir(parents=True)
    shutil.copy(GOOD, raw / "a.pdf")
    os.symlink("..", raw / "up")  # reaches the state and curated folders beside raw/
    (top / "outside.pdf").write_bytes(OTHER.read_bytes())
    for state, out in ((top / "state", top / "out"), (raw / "state", raw / "out")):
        for _ in range(3):  # the first run makes the folders, the next ones must not read them
            summary = run(raw, out, quiet=True, state=state)
            assert _ok(summary), summary["checks_failed"]
            docs = pq.read_table(out / "documents.parquet").to_pylist()
            assert [d["source_file"] for d in docs] == ["a.pdf"] and docs[0]["status"] == "ok"
        skipped = dict(summary["skipped"])
        assert "outside the raw folder" in skipped["up"]
        if state.parent == raw:
            assert "own state folder" in skipped["state"] and "own curated folder" in skipped["out"]
