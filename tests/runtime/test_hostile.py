"""`nhiemvu run` over a raw folder holding every hostile entry of issue 7 (defects 9-17)
beside two good PDFs: the run ends, the good PDFs are ok, each bad one gets the row it
deserves (failed with a clear reason, or partial with the failed page), stray entries are
skipped with a reason, and no page is lost or renumbered.
"""

from __future__ import annotations

import os
import shutil
import signal
import time
import unicodedata

import pyarrow.parquet as pq
import pypdfium2 as pdfium
import pytest

from pipeline.tools.commands import run
from pipeline.runtime.manifest import scan
from tests.conftest import RAW, ROOT
from tests.fixtures import hostile

pytestmark = pytest.mark.slow  # reads whole documents, OCRs or runs the pipeline

GOOD = {"good.pdf": RAW / "929_BCA-VPB.pdf", "other.pdf": RAW / "bao_cao_02-KH_BCDTW.pdf"}
RUN_TIMEOUT = 600  # seconds: a hang (a FIFO read, a quadratic loop) fails the test instead of blocking it
NON_UTF8 = "names/r\\xe9sum\\xe9.pdf"
NFD = "names/" + unicodedata.normalize("NFC", hostile.NFD_NAME)
STRAY = {
    "stray/loop_a.pdf": "symlink loop",
    "stray/loop_b.pdf": "symlink loop",
    "stray/gone.pdf": "dangling symlink",
    "stray/x.pdf": "not a regular file: FIFO",
    "stray/z.pdf": "not a regular file: character device",
    "stray/locked.pdf": "cannot be read: Permission denied",
    "stray/locked_dir": "unreadable folder: Permission denied",
    "stray/.hidden.pdf": "hidden file",
}


def _build(raw):
    for name, src in GOOD.items():
        shutil.copy(src, raw / name)
    good, other = GOOD["good.pdf"], GOOD["other.pdf"]
    for sub in ("stray", "names", "damaged"):
        (raw / sub).mkdir()
    hostile.symlink_loop(raw / "stray")
    hostile.dangling_symlink(raw / "stray")
    hostile.fifo(raw / "stray")
    hostile.dev_zero_link(raw / "stray")
    hostile.hidden_file(raw / "stray", good)
    locked = [hostile.unreadable_file(raw / "stray", good), hostile.unreadable_folder(raw / "stray", other)]
    hostile.non_utf8_name(raw / "names", good)
    hostile.nfd_name(raw / "names", other)
    hostile.page_without_type(other, raw / "damaged/no_type.pdf", page=2)
    hostile.uninflatable_page(good, raw / "damaged/uninflatable.pdf", page=2)
    hostile.deflate_bomb(good, raw / "damaged/bomb.pdf", page=3)
    hostile.trailing_data(good, raw / "damaged/trailing.pdf", n=3000)
    hostile.long_line(raw / "damaged/long_line.pdf")
    return locked


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    home, raw, curated = base / "home", base / "raw", base / "curated"
    home.mkdir()
    raw.mkdir()
    shutil.copy(ROOT / "dagster.yaml", home)
    mp = pytest.MonkeyPatch()
    locked = _build(raw)
    hostile.deny_reading(mp, *locked)
    mp.setenv("DAGSTER_HOME", str(home))
    mp.chdir(base)

    def expire(signum, frame):
        raise TimeoutError(f"nhiemvu run still running after {RUN_TIMEOUT} s")

    old = signal.signal(signal.SIGALRM, expire)
    signal.alarm(RUN_TIMEOUT)
    try:
        start = time.monotonic()
        summary = run(raw, curated, quiet=True)
        elapsed = time.monotonic() - start
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    yield {"raw": raw, "curated": curated, "summary": summary, "elapsed": elapsed}
    mp.undo()


def _rows(ws, name):
    return pq.read_table(ws["curated"] / f"{name}.parquet").to_pylist()


def _docs(ws):
    return {d["source_file"]: d for d in _rows(ws, "documents")}


def _pages(ws, doc_id):
    return {p["page"]: p for p in _rows(ws, "pages") if p["doc_id"] == doc_id}


def test_the_run_ends_and_its_tables_pass_the_checks(workspace):
    s = workspace["summary"]
    assert s["checks_failed"] == []  # the schema check: every source_file NFC
    assert all(unicodedata.is_normalized("NFC", f) for f in _docs(workspace))
    print(f"hostile run: {workspace['elapsed']:.0f} s")


def test_the_good_pdfs_are_ok(workspace):
    docs = _docs(workspace)
    for name, src in GOOD.items():
        assert docs[name]["status"] == "ok", docs[name]["error"]
        assert docs[name]["n_pages"] == len(pdfium.PdfDocument(str(src)))


def test_no_page_is_lost_or_renumbered(workspace):
    files = scan(workspace["raw"])
    for doc in _docs(workspace).values():
        if doc["status"] == "failed":
            continue
        n = len(pdfium.PdfDocument(str(files.path_of(doc["doc_id"]))))  # source_file may only show the name
        assert doc["n_pages"] == n, doc["source_file"]
        assert sorted(_pages(workspace, doc["doc_id"])) == list(range(1, n + 1)), doc["source_file"]


def test_a_page_without_type_is_read_in_its_place(workspace):
    docs = _docs(workspace)
    doc, other = docs["damaged/no_type.pdf"], docs["other.pdf"]
    assert doc["status"] == "ok" and doc["n_pages"] == other["n_pages"] == 6
    mine, theirs = _pages(workspace, doc["doc_id"]), _pages(workspace, other["doc_id"])
    assert [mine[n]["n_chars"] for n in mine] == [theirs[n]["n_chars"] for n in theirs]


@pytest.mark.parametrize("name,page,reason", [
    ("damaged/uninflatable.pdf", 2, "does not inflate"),
    ("damaged/bomb.pdf", 3, "inflates to more than"),
])
def test_a_page_that_cannot_be_read_fails_and_the_document_is_partial(workspace, name, page, reason):
    doc = _docs(workspace)[name]
    assert doc["status"] == "partial" and f"page {page}" in doc["error"] and reason in doc["error"]
    pages = _pages(workspace, doc["doc_id"])
    assert pages[page]["method"] == "failed" and reason in pages[page]["error"]
    assert all(p["method"] == "text" and p["n_chars"] > 100 for n, p in pages.items() if n != page)


def test_data_after_eof_is_not_called_truncated(workspace):
    doc = _docs(workspace)["damaged/trailing.pdf"]
    assert doc["status"] == "ok" and doc["error"] is None


def test_one_line_of_25000_words_is_read(workspace):
    doc = _docs(workspace)["damaged/long_line.pdf"]
    assert doc["status"] == "ok"
    (page,) = _pages(workspace, doc["doc_id"]).values()
    assert page["method"] == "text" and page["n_chars"] == 25_000


def test_stray_entries_are_not_documents_and_are_reported_by_the_scan(workspace):
    docs = _docs(workspace)
    assert not [f for f in docs if f.startswith("stray/")]
    skipped = {s.path: s.reason for s in scan(workspace["raw"]).skipped}
    for path, reason in STRAY.items():
        assert reason in skipped[path], path
    assert set(STRAY) <= set(skipped)


def test_odd_names_are_nfc_text_in_the_tables(workspace):
    docs = _docs(workspace)
    assert NON_UTF8 in docs and NFD in docs


@pytest.mark.parametrize("name", [NON_UTF8, NFD])
def test_files_with_odd_names_are_processed(workspace, name):
    doc = _docs(workspace)[name]
    assert doc["status"] == "ok", doc["error"]


def test_the_summary_lists_the_skipped_entries(workspace):
    skipped = dict(workspace["summary"]["skipped"])
    for path, reason in STRAY.items():
        assert reason in skipped[path], path


def test_a_file_rewritten_with_the_same_size_and_mtime_is_processed_again(workspace):
    raw, curated = workspace["raw"], workspace["curated"]
    path = raw / "damaged/trailing.pdf"
    before = _docs(workspace)["damaged/trailing.pdf"]["doc_id"]
    st = path.stat()
    data = path.read_bytes()
    time.sleep(0.05)
    with open(path, "r+b") as f:
        f.seek(len(data) - 4)
        f.write(b"EDIT")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    summary = run(raw, curated, quiet=True)
    assert summary["processed"] == 1
    doc = _docs(workspace)["damaged/trailing.pdf"]
    assert doc["doc_id"] != before and doc["status"] == "ok"
