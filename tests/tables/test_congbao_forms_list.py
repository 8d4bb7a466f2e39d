"""A real Công báo table over four pages, read against a ground truth written by hand.

../shared/realworld/vn-congbao/congbao-1575-1576-2025-tt99-phuluc3.pdf, Phụ lục III of
Thông tư 99/2025/TT-BTC, "PHẦN A - DANH MỤC BIỂU MẪU SỔ KẾ TOÁN" (printed pages 2-5,
file pages 1-4): a fully ruled table with a two-level header ("Hình thức kế toán" over
four narrow columns whose header texts wrap word by word; "Số TT", "Tên sổ", "Ký hiệu"
merged down over both levels), a column-number row (1 … 7), both repeated on every
page, and 43 rows: items 01-42 and a last, unnumbered row ("Các sổ chi tiết khác …").

The rows below were typed from the page images (rendered at 110-200 dpi), not from the
extractor. Reading decisions, stated once:
- a cell of several printed lines is its lines joined by one space; a line ending in a
  hyphen inside a word ("S04b10-" / "DN)", header "ký-" / "Chứng") is joined without one;
- item 04 and item 11 are each one ruled row (no rule inside them): item 04's "Ký hiệu"
  cell holds two codes, S02c1-DN and S02c2-DN, and its "Chứng từ ghi sổ" cell one "x"
  beside each code; its other cells are one value centred over both lines. Item 11's
  mark cells hold one mark beside each of its three codes (S04-DN, S04a-DN, S04b-DN).
  There is no rule to make any of these a cell of its own, so no data cell spans rows.
"""

from __future__ import annotations

import re

import pytest

from extractors.document import extract_document
from tests.fixtures.pages import realworld_pages
from tests.fixtures.ratchet import record

pytestmark = pytest.mark.slow  # reads whole documents, OCRs or runs the pipeline

FILE = "vn-congbao/congbao-1575-1576-2025-tt99-phuluc3.pdf"
FIRST, LAST = 1, 5  # file pages read: the table's four, and the form page after it (an image)

HEADERS = (
    "Số TT", "Tên sổ", "Ký hiệu",
    "Hình thức kế toán / Nhật ký chung",
    "Hình thức kế toán / Nhật ký - Sổ Cái",
    "Hình thức kế toán / Chứng từ ghi sổ",
    "Hình thức kế toán / Nhật ký-Chứng từ",
)
# the top header row as printed: (text, col, col_span, row_span)
TOP_HEADER = (("Số TT", 0, 1, 2), ("Tên sổ", 1, 1, 2), ("Ký hiệu", 2, 1, 2), ("Hình thức kế toán", 3, 4, 1))

X4 = ("x", "x", "x", "x")
# (file page, Số TT, Tên sổ, Ký hiệu, marks under the four "Hình thức kế toán" columns)
ROWS = [
    # printed page 2 (file page 1)
    (1, "01", "Nhật ký - Sổ Cái", "S01-DN", ("-", "x", "-", "-")),
    (1, "02", "Chứng từ ghi sổ", "S02a-DN", ("-", "-", "x", "-")),
    (1, "03", "Sổ Đăng ký Chứng từ ghi sổ", "S02b-DN", ("-", "-", "x", "-")),
    (1, "04", "Sổ Cái (dùng cho hình thức Chứng từ ghi sổ)", "S02c1-DN S02c2-DN", ("-", "-", "x x", "-")),
    (1, "05", "Sổ Nhật ký chung", "S03a-DN", ("x", "-", "-", "-")),
    (1, "06", "Sổ Nhật ký thu tiền", "S03a1-DN", ("x", "-", "-", "-")),
    (1, "07", "Sổ Nhật ký chi tiền", "S03a2-DN", ("x", "-", "-", "-")),
    (1, "08", "Sổ Nhật ký mua hàng", "S03a3-DN", ("x", "-", "-", "-")),
    (1, "09", "Sổ Nhật ký bán hàng", "S03a4-DN", ("x", "-", "-", "-")),
    (1, "10", "Sổ Cái (dùng cho hình thức Nhật ký chung)", "S03b-DN", ("x", "-", "-", "-")),
    # printed page 3 (file page 2)
    (2, "11", "Nhật ký - Chứng từ, các loại Nhật ký - Chứng từ, Bảng kê Gồm: - Nhật ký - Chứng từ "
              "từ số 1 đến số 10 - Bảng kê từ số 1 đến số 10",
     "S04-DN S04a-DN (từ S04a1-DN đến S04a10-DN) S04b-DN (từ S04b1-DN đến S04b10-DN)",
     ("- - -", "- - -", "- - -", "x x x")),
    (2, "12", "Sổ Cái (dùng cho hình thức Nhật ký - Chứng từ)", "S05-DN", ("-", "-", "-", "x")),
    (2, "13", "Bảng cân đối số phát sinh", "S06-DN", ("x", "-", "x", "-")),
    (2, "14", "Sổ quỹ tiền mặt", "S07-DN", ("x", "x", "x", "-")),
    (2, "15", "Sổ kế toán chi tiết quỹ tiền mặt", "S07a-DN", ("x", "x", "x", "-")),
    (2, "16", "Sổ tiền gửi không kỳ hạn", "S08-DN", X4),
    (2, "17", "Sổ chi tiết vật liệu, dụng cụ (sản phẩm, hàng hóa)", "S10-DN", X4),
    (2, "18", "Bảng tổng hợp chi tiết vật liệu, dụng cụ, sản phẩm, hàng hóa", "S11-DN", X4),
    (2, "19", "Thẻ kho (Sổ kho)", "S12-DN", X4),
    (2, "20", "Sổ tài sản cố định", "S21-DN", X4),
    (2, "21", "Sổ theo dõi TSCĐ và công cụ, dụng cụ tại nơi sử dụng", "S22-DN", X4),
    (2, "22", "Thẻ Tài sản cố định", "S23-DN", X4),
    (2, "23", "Sổ chi tiết thanh toán với người mua (người bán)", "S31-DN", X4),
    # printed page 4 (file page 3)
    (3, "24", "Sổ chi tiết thanh toán với người mua (người bán) bằng ngoại tệ", "S32-DN", X4),
    (3, "25", "Sổ theo dõi thanh toán bằng ngoại tệ", "S33-DN", X4),
    (3, "26", "Sổ chi tiết tiền vay", "S34-DN", X4),
    (3, "27", "Sổ chi tiết bán hàng", "S35-DN", X4),
    (3, "28", "Sổ chi phí sản xuất, kinh doanh", "S36-DN", X4),
    (3, "29", "Thẻ tính giá thành sản phẩm, dịch vụ", "S37-DN", X4),
    (3, "30", "Sổ chi tiết các tài khoản", "S38-DN", X4),
    (3, "31", "Sổ kế toán chi tiết theo dõi các khoản đầu tư vào công ty liên doanh", "S41a-DN", X4),
    (3, "32", "Sổ theo dõi phân bổ các khoản chênh lệch phát sinh khi mua khoản đầu tư vào công ty liên doanh",
     "S42a-DN", X4),
    (3, "33", "Sổ kế toán chi tiết theo dõi các khoản đầu tư vào công ty liên kết", "S41b-DN", X4),
    (3, "34", "Sổ theo dõi phân bổ các khoản chênh lệch phát sinh khi mua khoản đầu tư vào công ty liên kết",
     "S42b-DN", X4),
    (3, "35", "Sổ chi tiết phát hành cổ phiếu", "S43-DN", X4),
    # printed page 5 (file page 4)
    (4, "36", "Sổ chi tiết cổ phiếu mua lại của chính mình", "S44-DN", X4),
    (4, "37", "Sổ chi tiết đầu tư chứng khoán", "S45-DN", X4),
    (4, "38", "Sổ theo dõi chi tiết vốn đầu tư của chủ sở hữu", "S51-DN", X4),
    (4, "39", "Sổ chi phí đầu tư xây dựng", "S52-DN", X4),
    (4, "40", "Sổ theo dõi thuế GTGT", "S61-DN", X4),
    (4, "41", "Sổ chi tiết thuế GTGT được hoàn lại", "S62-DN", X4),
    (4, "42", "Sổ chi tiết thuế GTGT được miễn giảm", "S63-DN", X4),
    (4, "", "Các sổ chi tiết khác theo yêu cầu quản lý của doanh nghiệp", "", ("", "", "", "")),
]
TRUTH = [(page, no, name, code, *marks) for page, no, name, code, marks in ROWS]


@pytest.fixture(scope="module")
def doc(realworld, tmp_path_factory):
    part = realworld_pages(realworld / FILE, FIRST, LAST, tmp_path_factory.mktemp("congbao-forms") / "pages.pdf")
    return extract_document(part, ocr=False)


@pytest.fixture(scope="module")
def forms(doc):
    (table,) = [t for t in doc.tables if any(r.kind == "data" for r in t.rows)]
    return table


def _data_rows(table):
    """(file page, cells...) of each data row, whitespace runs made one space."""
    return [(r.spans[0][0] + FIRST - 1, *(" ".join(r.text_at(c).split()) for c in range(table.n_cols)))
            for r in table.rows if r.kind == "data"]


def test_one_logical_table_over_four_pages(doc, forms):
    assert [t for t in doc.tables if t.rows] == [forms]  # the form page after it holds an image, no table
    assert tuple(p + FIRST - 1 for p in forms.pages) == (1, 2, 3, 4)
    assert forms.n_cols == 7


def test_two_level_header_and_its_merged_cells(forms):
    assert forms.headers == HEADERS
    headers = [r for r in forms.rows if r.kind == "header"]
    assert len(headers) == 2  # the header printed again on pages 2-4, and the column-number rows, are not rows
    top = tuple((" ".join(c.text.split()), c.col, c.col_span, c.row_span) for c in headers[0].cells)
    assert top == TOP_HEADER
    assert [(c.col, c.col_span, c.row_span) for c in headers[1].cells] == [(k, 1, 1) for k in range(3, 7)]


def test_every_data_row_exact(forms):
    rows = _data_rows(forms)
    exact = sum(got == want for got, want in zip(rows, TRUTH))
    record("congbao-forms-list", {"rows exact": exact / max(len(rows), len(TRUTH))})
    assert len(rows) == len(TRUTH)
    wrong = [(got, want) for got, want in zip(rows, TRUTH) if got != want]
    assert not wrong, wrong[:5]


def test_no_data_cell_merged(forms):
    data = [r for r in forms.rows if r.kind == "data"]
    assert all(c.col_span == 1 and c.row_span == 1 for r in data for c in r.cells)
    assert not any(r.inherited for r in data)
    assert all(len(r.cells) == 7 for r in data)


def test_invariants_the_document_gives(forms):
    rows = _data_rows(forms)
    numbers = [r[1] for r in rows if r[1]]
    assert numbers == [f"{k:02d}" for k in range(1, 43)]  # 01 … 42, ascending, no gap
    assert [r[1] for r in rows][-1] == ""  # the last row is unnumbered
    code = re.compile(r"^S\d{2}[a-z]?\d*-DN$")
    for r in rows[:-1]:
        first_code = r[3].split()[0]
        assert code.match(first_code), r
        assert all(mark in {"x", "-"} for c in r[4:] for mark in c.split()), r
    # every row is marked for at least one form of bookkeeping
    assert all("x" in " ".join(r[4:]) for r in rows[:-1])
