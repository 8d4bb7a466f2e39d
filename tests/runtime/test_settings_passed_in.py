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
