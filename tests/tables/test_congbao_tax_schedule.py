"""A small ruled table inside a law's prose, read against a ground truth written by hand.

../shared/realworld/vn-congbao/luat-thue-tncn-109-2025-QH15.pdf (Luật Thuế thu nhập cá
nhân 109/2025/QH15 in Công báo số 37, a Word print), Điều 9 "Biểu thuế luỹ tiến từng
phần" on file page 8 (printed page 37): a 4-column ruled table whose header names no
task-table column ("Bậc thuế", "Phần thu nhập tính thuế/năm (triệu đồng)", …), is not
bold, and is printed once; five brackets under it. The only table of the document's 15
pages (the other pages hold rules under headings and signatures, no table).

The header and rows below were typed from the page image (file page 8 rendered at 110
and 170 dpi), not from the extractor; a header cell of several lines is its lines
joined by one space.
"""

from __future__ import annotations

import re

import pytest

from extractors.document import extract_document
from tests.fixtures.ratchet import record

pytestmark = pytest.mark.slow  # reads whole documents, OCRs or runs the pipeline

FILE = "vn-congbao/luat-thue-tncn-109-2025-QH15.pdf"
PAGE = 8
HEADERS = ("Bậc thuế", "Phần thu nhập tính thuế/năm (triệu đồng)", "Phần thu nhập tính thuế/tháng (triệu đồng)",
           "Thuế suất (%)")
ROWS = [
    ("1", "Đến 120", "Đến 10", "5"),
    ("2", "Trên 120 đến 360", "Trên 10 đến 30", "10"),
    ("3", "Trên 360 đến 720", "Trên 30 đến 60", "20"),
    ("4", "Trên 720 đến 1.200", "Trên 60 đến 100", "30"),
    ("5", "Trên 1.200", "Trên 100", "35"),
]
ABOVE = "2. Biểu thuế luỹ tiến từng phần được quy định như sau:"  # the prose line right above the table
BELOW = "Điều 10. Giảm trừ gia cảnh"  # ... and right below it


@pytest.fixture(scope="module")
def doc(realworld):
    path = realworld / FILE
    if not path.exists():
        pytest.skip(f"{FILE} is not present")
    return extract_document(path, ocr=False)


@pytest.fixture(scope="module")
def schedule(doc):
    (table,) = doc.tables
    return table


def _data_rows(table):
    return [tuple(" ".join(r.text_at(c).split()) for c in range(table.n_cols)) for r in table.rows if r.kind == "data"]


def test_one_table_on_its_page(schedule):
    assert schedule.pages == (PAGE,)
    assert schedule.n_cols == 4


def test_header_told_from_the_numbers_under_it(schedule):
    assert schedule.headers == HEADERS
    (header,) = [r for r in schedule.rows if r.kind == "header"]
    assert [(c.col, c.col_span, c.row_span) for c in header.cells] == [(k, 1, 1) for k in range(4)]


def test_every_row_exact(schedule):
    rows = _data_rows(schedule)
    record("congbao-tax-schedule", {"rows exact": sum(a == b for a, b in zip(rows, ROWS)) / max(len(rows), len(ROWS))})
    assert _data_rows(schedule) == ROWS
    assert all(c.col_span == 1 and c.row_span == 1 for r in schedule.rows for c in r.cells)


def test_the_prose_around_it_stays_prose(doc):
    lines = [" ".join(l.text.split()) for l in doc.pages[PAGE - 1].lines]
    assert ABOVE in lines and BELOW in lines
    assert not any(ABOVE in c.text or BELOW in c.text for t in doc.tables for r in t.rows for c in r.cells)


def _bounds(text: str) -> list[int]:
    return [int(n.replace(".", "")) for n in re.findall(r"\d[\d.]*", text)]


def test_invariants_the_schedule_gives(schedule):
    rows = _data_rows(schedule)
    assert [r[0] for r in rows] == [str(k) for k in range(1, len(rows) + 1)]  # brackets 1 … 5, no gap
    rates = [int(r[3]) for r in rows]
    assert rates == sorted(rates) and len(set(rates)) == len(rates)
    for col in (1, 2):
        bounds = [_bounds(r[col]) for r in rows]
        assert len(bounds[0]) == 1 and len(bounds[-1]) == 1  # "Đến …" and "Trên …" at the ends
        for prev, cur in zip(bounds, bounds[1:]):
            assert cur[0] == prev[-1]  # each bracket starts where the one before it ends
    for r in rows:
        assert [12 * m for m in _bounds(r[2])] == _bounds(r[1])  # a year's bounds are twelve months'
