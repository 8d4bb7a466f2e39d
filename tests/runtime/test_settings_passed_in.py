"""Settings passed to `extract_document` reach every step, in worker processes too: a document
read with another margin band keeps its page numbers as text, with one anchor column its rows
are split by the first column's numbers alone."""

from __future__ import annotations

import dataclasses
import pytest

from extractors import settings
from extractors.document import extract_document
from tests.conftest import RAW

pytestmark = pytest.mark.slow  # reads whole documents, OCRs or runs the pipeline


def test_settings_passed_in_reach_the_workers_pages_and_tables():
    path = RAW / "71_NQ-CP_BCA.pdf"  # 22 pages: read by two worker processes
    plain = extract_document(path, workers=2, ocr=False)
    assert plain == extract_document(path, workers=2, ocr=False, settings=settings.DEFAULT)
    text = dataclasses.replace(settings.TEXT, margin_band=0.0, anchor_cols=1)
    other = extract_document(path, workers=2, ocr=False, settings=dataclasses.replace(settings.DEFAULT, text=text))
    assert sum(len(p.furniture) for p in plain.pages) >= plain.n_pages - 1  # a page number on each but the first
    assert sum(len(p.furniture) for p in other.pages) == 0  # no margin band: no furniture
    assert [len(t.rows) for t in other.tables] != [len(t.rows) for t in plain.tables]


def test_ocr_settings_passed_in_reach_the_ocr_of_every_page_in_its_workers(tmp_path):
    """A two-page scan read by two processes with the OCR's `min_ink` above any cell's ink: no
    cell and nothing outside the tables holds ink enough to be read, on either page (the
    helper's included), where the default reads the pages' text; the grids are still found."""
    from tests.fixtures.scan import make_scanned_twin

    scan = tmp_path / "scan.pdf"
    make_scanned_twin(RAW / "929_BCA-VPB.pdf", scan, pages=[1, 2], dpi=300)
    plain = extract_document(scan, workers=2)
    ocr = dataclasses.replace(settings.DEFAULT.ocr, min_ink=10**9)
    blind = extract_document(scan, workers=2, settings=dataclasses.replace(settings.DEFAULT, ocr=ocr))
    assert [p.method for p in plain.pages] == [p.method for p in blind.pages] == ["ocr", "ocr"]
    assert all(p.n_chars > 100 for p in plain.pages)
    assert [p.n_chars for p in blind.pages] == [0, 0]
