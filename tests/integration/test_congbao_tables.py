"""A real Công báo table read against a ground truth written by hand from its page images.

../shared/realworld/vn-congbao/congbao-1565-1566-2025-tt99-phuluc2.pdf, Phụ lục II of
Thông tư 99/2025/TT-BTC, "A - DANH MỤC TÀI KHOẢN KẾ TOÁN" (printed pages 34-44): a
two-level header ("SỐ HIỆU TK" over "Cấp 1" and "Cấp 2", repeated on every page),
column rules and a column-number row, accounts listed one per line with only dotted
guide lines between them (no rules: rows come from the account numbers), continuing
over page breaks. The rows below were read off the page images (pages 33, 34 and 35
of the file), not from the extractor.
"""

from __future__ import annotations

import pytest

from extractors.document import extract_document

FILE = "vn-congbao/congbao-1565-1566-2025-tt99-phuluc2.pdf"
HEADERS = ("Số TT", "SỐ HIỆU TK / Cấp 1", "SỐ HIỆU TK / Cấp 2", "TÊN TÀI KHOẢN")
# (file page where the row starts, Số TT, Cấp 1, Cấp 2, Tên tài khoản), in order, across the break after page 33
ACROSS_THE_BREAK = [
    (33, "06", "131", "", "Phải thu của khách hàng"),
    (33, "07", "133", "", "Thuế GTGT được khấu trừ"),
    (34, "", "", "1331", "Thuế GTGT được khấu trừ của hàng hóa, dịch vụ"),
    (34, "", "", "1332", "Thuế GTGT được khấu trừ của TSCĐ"),
    (34, "08", "136", "", "Phải thu nội bộ"),
    (34, "", "", "1361", "Vốn kinh doanh ở đơn vị trực thuộc"),
    (34, "", "", "1362", "Phải thu nội bộ về chênh lệch tỷ giá"),
    (34, "", "", "1363", "Phải thu nội bộ về chi phí đi vay đủ điều kiện được vốn hóa"),
    (34, "", "", "1368", "Phải thu nội bộ khác"),
    (34, "09", "138", "", "Phải thu khác"),
    (34, "", "", "1381", "Tài sản thiếu chờ xử lý"),
    (34, "", "", "1383", "Thuế TTĐB của hàng nhập khẩu"),
    (34, "", "", "1388", "Phải thu khác"),
    (34, "10", "141", "", "Tạm ứng"),
]
PAGE_35 = [
    ("16", "156", "", "Hàng hóa"),
    ("17", "157", "", "Hàng gửi đi bán"),
    ("18", "158", "", "Nguyên liệu, vật tư tại kho bảo thuế"),
    ("19", "171", "", "Giao dịch mua, bán lại trái phiếu chính phủ"),
    ("20", "211", "", "Tài sản cố định hữu hình"),
    ("21", "212", "", "Tài sản cố định thuê tài chính"),
    ("22", "213", "", "Tài sản cố định vô hình"),
]


FIRST, LAST = 33, 44  # file pages read (the table's, and the page after it)


@pytest.fixture(scope="module")
def accounts(realworld, tmp_path_factory):
    import pypdfium2 as pdfium

    path = realworld / FILE
    if not path.exists():
        pytest.skip(f"{FILE} is not present")
    part = tmp_path_factory.mktemp("congbao") / "pages.pdf"
    new = pdfium.PdfDocument.new()
    new.import_pages(pdfium.PdfDocument(path), list(range(FIRST - 1, LAST)))
    new.save(part)
    doc = extract_document(part, ocr=False)
    (table,) = [t for t in doc.tables if t.headers and t.headers[0] == "Số TT"]
    return table


def _rows(table):
    """(file page, cells...) of each data row."""
    return [(r.spans[0][0] + FIRST - 1, *(" ".join(r.text_at(c).split()) for c in range(table.n_cols)))
            for r in table.rows if r.kind == "data"]


def test_two_level_header(accounts):
    assert accounts.headers == HEADERS
    assert [r.kind for r in accounts.rows].count("header") == 2  # printed again on every page, kept once


def test_rows_across_a_page_break_one_account_each(accounts):
    rows = _rows(accounts)
    start = rows.index(ACROSS_THE_BREAK[0])
    assert rows[start:start + len(ACROSS_THE_BREAK)] == ACROSS_THE_BREAK


def test_rows_of_a_later_page(accounts):
    rows = [r[1:] for r in _rows(accounts) if r[0] == 35]
    assert rows[:len(PAGE_35)] == PAGE_35


def test_one_logical_table_over_the_pages(accounts):
    assert tuple(p + FIRST - 1 for p in accounts.pages) == tuple(range(33, 44))
