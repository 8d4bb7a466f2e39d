"""Header rows told by the type of the columns under them, on a real print that is no
task table (../shared/realworld/pdfplumber/issue-140-example.pdf, page 1: a web page's
table printed with a grey header row, "Line no", "UPC code", …, over four rows of
codes, quantities and amounts). Header and row count read off the page image.

Across the realworld folder the same rule gives a header to 11 more tables that had
none (ICDAR 2013 eu-007, eu-008, eu-012, eu-021, eu-023, eu-024, eu-027, us-006, us-033;
the pdfplumber WARN report), and changes no cell text.
"""

from __future__ import annotations

import pytest

from extractors.document import extract_document

pytestmark = pytest.mark.slow  # reads whole documents, OCRs or runs the pipeline

FILE = "pdfplumber/issue-140-example.pdf"
HEADERS = ("Line no", "UPC code", "Location", "Item Description", "Item Quantity", "Bill Amount", "Accrued Amount",
           "Handling Rate", "PO number")


@pytest.fixture(scope="module")
def first_table(realworld):
    path = realworld / FILE
    if not path.exists():
        pytest.skip(f"{FILE} is not present")
    return extract_document(path, ocr=False).tables[0]


def test_the_header_row_is_a_header(first_table):
    assert first_table.headers == HEADERS
    assert [r.kind for r in first_table.rows] == ["header"] + ["data"] * 4
    assert [r.text_at(4) for r in first_table.rows[1:]] == ["637", "688", "560", "415"]
