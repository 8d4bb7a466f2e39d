"""Image files in raw/ (a three-page TIFF, a JPEG) are scanned documents: one document per
file, a page per frame, read by the OCR path of scanned PDFs, through the whole pipeline as
`nhiemvu run` runs it. Each is compared with its PDF twin (the same scanned pages in a PDF)
and with the ground truth of the generated document (tests/fixtures/image_files.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from normalizers.schema import TABLES, check_table
from tests.fixtures.image_files import make_image_files
from tests.fixtures.ratchet import record
from tests.fixtures.runs import run_into
from tests.fixtures.scan_score import expected_tasks, norm

pytestmark = pytest.mark.slow  # reads whole documents, OCRs or runs the pipeline

TASK_FIELDS = ("item_no", "name", "lead_agency_raw", "deadline_raw", "deadline_kind", "deadline_due",
               "page_start", "page_end", "spans", "extraction_method")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    base = tmp_path_factory.mktemp("images")
    files = make_image_files(base / "src", base / "raw")
    # the pages' OCR results are cached by page image where the other scan tests keep theirs:
    # the session's seeded cache (tests/conftest.py)
    done = run_into(base / "raw", base, NHIEMVU_OCR_CACHE=str(Path(os.environ["DAGSTER_HOME"]) / "ocr-cache"))
    curated = done["curated"]
    tables = {name: pq.read_table(curated / f"{name}.parquet") for name in TABLES}
    yield {"files": files, "raw": base / "raw", "summary": done["summary"], "tables": tables, "curated": curated}


def _rows(ws, table):
    return ws["tables"][table].to_pylist()


def _doc(ws, path):
    name = path.relative_to(ws["raw"]).as_posix()
    return next(d for d in _rows(ws, "documents") if d["source_file"] == name)


def _tasks(ws, doc_id):
    return [{k: t[k] for k in TASK_FIELDS} for t in _rows(ws, "tasks") if t["doc_id"] == doc_id]


def test_the_tables_conform(workspace):
    for name, table in TABLES.items():
        assert check_table(table, workspace["tables"][name]) == [], name


@pytest.mark.parametrize("kind, pages", [("tiff", 3), ("jpeg", 1)])
def test_an_image_file_is_a_scanned_document_of_its_frames(workspace, kind, pages):
    files = workspace["files"]
    image, twin = (files.tiff, files.tiff_twin) if kind == "tiff" else (files.jpeg, files.jpeg_twin)
    doc, twin_doc = _doc(workspace, image), _doc(workspace, twin)
    assert doc["status"] == "ok" and doc["error"] is None
    assert (doc["n_pages"], doc["n_ocr_pages"], doc["n_text_pages"]) == (pages, pages, 0)
    page_rows = sorted((p["page"], p["method"], p["n_chars"], p["n_table_rows"]) for p in _rows(workspace, "pages")
                       if p["doc_id"] == doc["doc_id"])
    twin_pages = sorted((p["page"], p["method"], p["n_chars"], p["n_table_rows"]) for p in _rows(workspace, "pages")
                        if p["doc_id"] == twin_doc["doc_id"])
    assert [p[:2] for p in page_rows] == [(n, "ocr") for n in range(1, pages + 1)]
    assert all(p[3] > 0 for p in page_rows)  # every page holds table rows
    assert page_rows == twin_pages  # the same pages read the same
    tasks = _tasks(workspace, doc["doc_id"])
    assert tasks and tasks == _tasks(workspace, twin_doc["doc_id"])  # row for row, box for box
    cells = [c for c in _rows(workspace, "cells") if c["doc_id"] == doc["doc_id"]]
    twin_cells = [c for c in _rows(workspace, "cells") if c["doc_id"] == twin_doc["doc_id"]]
    def where(c):
        return (c["table_no"], c["row_no"], c["col_no"], c["page"], c["text"], c["x0"], c["top"], c["x1"], c["bottom"])

    assert cells and [where(c) for c in cells] == [where(c) for c in twin_cells]


def test_the_tiff_holds_the_documents_tasks(workspace):
    files = workspace["files"]
    want = expected_tasks(files.spec, files.row_pages)
    got = _tasks(workspace, _doc(workspace, files.tiff)["doc_id"])
    from rapidfuzz import fuzz

    found = {t["item_no"]: t for t in got}
    paired = [(w, found.get(w.item_no)) for w in want]
    recall = sum(t is not None for _, t in paired) / len(want)
    names = [fuzz.ratio(w.name, norm(t["name"])) / 100 if t else 0.0 for w, t in paired]
    pages = sum(t is not None and (t["page_start"], t["page_end"]) == w.pages for w, t in paired) / len(want)
    figures = {"task recall": recall, "name ratio": sum(names) / len(names), "pages": pages}
    record("image-files-tiff", figures)
    assert recall >= 0.95 and figures["name ratio"] >= 0.95 and pages >= 0.95, figures


def test_the_jpeg_holds_the_tasks_of_its_page(workspace):
    files = workspace["files"]
    want = [w for w in expected_tasks(files.spec, files.row_pages) if w.pages == (1, 1)]
    got = {t["item_no"] for t in _tasks(workspace, _doc(workspace, files.jpeg)["doc_id"])}
    assert want and sum(w.item_no in got for w in want) / len(want) >= 0.95


def test_nothing_is_reported_broken(workspace):
    assert all(d["status"] == "ok" for d in _rows(workspace, "documents")), _rows(workspace, "documents")
    assert len(_rows(workspace, "documents")) == 4


def test_a_task_of_the_tiff_is_traced_on_its_frame(workspace, tmp_path, capsys):
    """`nhiemvu trace` draws a task of the TIFF on the frame it came from, at its row, as it
    draws the same task of the PDF twin."""
    from PIL import Image, ImageChops

    from pipeline.tools.trace import trace

    files = workspace["files"]
    task = next(t for t in _rows(workspace, "tasks")
                if t["doc_id"] == _doc(workspace, files.tiff)["doc_id"] and t["page_start"] == 2)
    twin = next(t for t in _rows(workspace, "tasks") if t["doc_id"] == _doc(workspace, files.tiff_twin)["doc_id"]
                and t["item_no"] == task["item_no"] and t["page_start"] == 2)
    ours = Image.open(trace(workspace["curated"], workspace["raw"], task["task_id"], out=tmp_path / "tif.png"))
    theirs = Image.open(trace(workspace["curated"], workspace["raw"], twin["task_id"], out=tmp_path / "pdf.png"))
    assert abs(ours.width - theirs.width) <= 1 and abs(ours.height - theirs.height) <= 1  # pixels rounded
    label = 40  # the labels name different files; the page crops below them are compared
    box = (0, label, min(ours.width, theirs.width), min(ours.height, theirs.height))

    def coarse(image):  # glyph edges resampled one way or the other differ; the picture does not
        crop = image.convert("L").crop(box)
        return crop.resize((crop.width // 4, crop.height // 4), Image.Resampling.BOX)

    histogram = ImageChops.difference(coarse(ours), coarse(theirs)).histogram()
    assert sum(histogram[40:]) / sum(histogram) < 0.01, sum(histogram[40:]) / sum(histogram)
