"""A real Công báo table read against a ground truth written by hand from its page images.

../shared/realworld/vn-congbao/congbao-1565-1566-2025-tt99-phuluc2.pdf, Phụ lục II of
Thông tư 99/2025/TT-BTC, "A - DANH MỤC TÀI KHOẢN KẾ TOÁN" (printed pages 34-44): a
two-level header ("SỐ HIỆU TK" over "Cấp 1" and "Cấp 2", repeated on every page),
column rules and a column-number row, accounts listed one per line with only dotted
guide lines between them (no rules: rows come from the account numbers), continuing
over page breaks. The rows below were read off the page images (pages 33, 34 and 35
of the file, and 40 and 41 for the page with sub-accounts of a third level, a
sub-account numbering going on over a page break and headings in capitals standing
alone between accounts), not from the extractor. The invariants the document gives
(STT 01 … 71 without a gap; level-1 numbers of 3 digits, ascending; each lower-level
number starts with its level-1 number; the "LOẠI TÀI KHOẢN …" headings are rows of
their own) are checked over the whole table.
"""

from __future__ import annotations

import re

import pytest

from extractors.document import extract_document
from tests.fixtures.pages import realworld_pages

pytestmark = pytest.mark.slow  # reads whole documents, OCRs or runs the pipeline

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

# (file page, kind, Số TT, Cấp 1, Cấp 2, Tên tài khoản): all of page 40 and the top of page 41
SECTION = "section"
PAGES_40_41 = [
    (40, SECTION, "", "", "", "LOẠI TÀI KHOẢN VỐN CHỦ SỞ HỮU"),
    (40, "data", "50", "411", "", "Vốn đầu tư của chủ sở hữu"),
    (40, "data", "", "", "4111", "Vốn góp của chủ sở hữu"),
    (40, "data", "", "", "41111", "Cổ phiếu phổ thông có quyền biểu quyết"),
    (40, "data", "", "", "41112", "Cổ phiếu ưu đãi"),
    (40, "data", "", "", "4112", "Thặng dư vốn"),
    (40, "data", "", "", "4113", "Quyền chọn chuyển đổi trái phiếu"),
    (40, "data", "", "", "4118", "Vốn khác"),
    (40, "data", "51", "412", "", "Chênh lệch đánh giá lại tài sản"),
    (40, "data", "52", "413", "", "Chênh lệch tỷ giá hối đoái"),
    (40, "data", "53", "414", "", "Quỹ đầu tư phát triển"),
    (40, "data", "54", "418", "", "Các quỹ khác thuộc vốn chủ sở hữu"),
    (40, "data", "55", "419", "", "Cổ phiếu mua lại của chính mình"),
    (40, "data", "56", "421", "", "Lợi nhuận sau thuế chưa phân phối"),
    (40, "data", "", "", "4211", "Lợi nhuận sau thuế chưa phân phối lũy kế đến cuối năm trước"),
    (41, "data", "", "", "4212", "Lợi nhuận sau thuế chưa phân phối năm nay"),
    (41, SECTION, "", "", "", "LOẠI TÀI KHOẢN DOANH THU"),
    (41, "data", "57", "511", "", "Doanh thu bán hàng và cung cấp dịch vụ"),
    (41, "data", "58", "515", "", "Doanh thu hoạt động tài chính"),
    (41, "data", "59", "521", "", "Các khoản giảm trừ doanh thu"),
    (41, SECTION, "", "", "", "LOẠI TÀI KHOẢN CHI PHÍ SẢN XUẤT, KINH DOANH"),
    (41, "data", "60", "621", "", "Chi phí nguyên liệu, vật liệu trực tiếp"),
]
# (file page, heading): the headings in capitals, one per account type (read off pages 33, 37, 40, 41, 43)
HEADINGS = [
    (33, "LOẠI TÀI KHOẢN TÀI SẢN"),
    (37, "LOẠI TÀI KHOẢN NỢ PHẢI TRẢ"),
    (40, "LOẠI TÀI KHOẢN VỐN CHỦ SỞ HỮU"),
    (41, "LOẠI TÀI KHOẢN DOANH THU"),
    (41, "LOẠI TÀI KHOẢN CHI PHÍ SẢN XUẤT, KINH DOANH"),
    (43, "LOẠI TÀI KHOẢN THU NHẬP KHÁC"),
    (43, "LOẠI TÀI KHOẢN CHI PHÍ KHÁC"),
    (43, "TÀI KHOẢN XÁC ĐỊNH KẾT QUẢ KINH DOANH"),
]

FIRST, LAST = 33, 44  # file pages read (the table's, and the page after it)


@pytest.fixture(scope="module")
def accounts(realworld, tmp_path_factory):
    part = realworld_pages(realworld / FILE, FIRST, LAST, tmp_path_factory.mktemp("congbao") / "pages.pdf")
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


def _all_rows(table):
    """(file page, kind, cells...) of each body row (data and section)."""
    return [(r.spans[0][0] + FIRST - 1, r.kind, *(" ".join(r.text_at(c).split()) for c in range(table.n_cols)))
            for r in table.rows if r.kind != "header"]


def test_sub_accounts_and_headings_over_a_page_break(accounts):
    rows = _all_rows(accounts)
    start = rows.index(PAGES_40_41[0])
    assert rows[start:start + len(PAGES_40_41)] == PAGES_40_41


def test_invariants_the_document_gives(accounts):
    rows = [r for r in _all_rows(accounts) if r[1] == "data"]
    numbered = [r for r in rows if r[2]]
    assert [r[2] for r in numbered] == [f"{k:02d}" for k in range(1, 72)]  # STT 01 … 71, no gap
    level1 = [r[3] for r in numbered]
    assert all(re.fullmatch(r"\d{3}", a) for a in level1) and level1 == sorted(level1)
    current = None
    for r in rows:
        if r[2]:
            current = r[3]
            assert not r[4], r  # a level-1 row holds no level-2 number
        else:
            assert not r[3] and re.fullmatch(r"\d{4,6}", r[4]) and r[4].startswith(current), r
        assert r[5], r  # every account has its name
    assert [(r[0], r[5]) for r in _all_rows(accounts) if r[1] == SECTION] == HEADINGS
    assert not any("LOẠI TÀI KHOẢN" in r[5] for r in rows)  # never glued to an account's name
