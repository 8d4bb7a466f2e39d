"""Real 1-bit 300 dpi scans (../shared/realworld/vn-luatvietnam, SOURCES.md section 4a), read by
what the pipeline runs: `extract_document`, then `document_records` (the rows `records_of`
stores). OCR is slow, so only the pages needed are read (copied into a temporary PDF with
pypdfium2, /Rotate kept); the OCR cache makes reruns free.

- 10209536.pdf pp. 9-14: the last page of the decision (prose and signature, no table), then
  the Phụ lục table on landscape pages whose /Rotate alternates 90 and 270. Every page gets a
  `pages` row, and the rotated pages are read upright.
- 10209597.pdf p. 8: "Biểu 1", a dense ruled form (STT / Chỉ tiêu / Đơn vị tính, Roman section
  numbers, item numbers merged over several rows, a thick double frame). Its cells are compared
  with a truth typed by hand from the page image (not from the extractor's output). The
  column-number row "(1) … (6)" is left out of the truth: the pipeline drops that row from
  every table, text or scan.
- The first pages of the four documents: the header block (number and issue date from the
  header only; a number or day written by hand gives null, with the raw text kept).
"""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from extractors.document import extract_document
from normalizers.records import document_records
from tests.fixtures.pages import realworld_pages
from tests.fixtures.ratchet import record

pytestmark = pytest.mark.slow  # reads whole documents, OCRs or runs the pipeline

DIR = "vn-luatvietnam"

# 10209597.pdf p. 8, row by row as printed (the "(1)…(6)" row left out, see above); None marks a
# position covered by the merged cell above it (the item number printed once for its sub-rows).
E = ""
BIEU_1 = [
    ["STT", "Chỉ tiêu", "Đơn vị tính", "Thực hiện năm trước kỳ báo cáo", "Kế hoạch của năm báo cáo", "Ghi chú"],
    ["I", "Chỉ tiêu chung", E, E, E, E],
    ["1", "+ Tổng GDP (Giá cố định 1994)", "Tỷ đồng", E, E, E],
    ["2", "+ GDP bình quân/người/năm", "Triệu đồng", E, E, E],
    [None, "Trong đó: GDP bình quân/người/năm vùng DT & MN", "Triệu đồng", E, E, E],
    ["3", "Lương thực bình quân (LTBQ) đầu người/năm toàn tỉnh", "Kg/người/năm", E, E, E],
    [None, "Trong đó: LTBQ đầu người/năm vùng DT & MN", "Kg/người/năm", E, E, E],
    ["II", "Chỉ tiêu Kinh tế", E, E, E, E],
    ["1", "Tốc độ tăng trưởng kinh tế", "%", E, E, E],
    [None, "+ Nông - Lâm nghiệp", "%", E, E, E],
    [None, "+ Công nghiệp - Xây dựng", "%", E, E, E],
    [None, "+ Các ngành Dịch vụ và Thương mại", "%", E, E, E],
    ["2", "Cơ cấu kinh tế toàn tỉnh", E, E, E, E],
    [None, "+ Nông - Lâm nghiệp", "%", E, E, E],
    [None, "+ Công nghiệp - Xây dựng", "%", E, E, E],
    [None, "+ Các ngành dịch vụ và thương mại", "%", E, E, E],
    ["3", "Cơ cấu kinh tế vùng DT&MN", E, E, E, E],
    [None, "+ Nông - Lâm nghiệp", "%", E, E, E],
    [None, "+ Công nghiệp - Xây dựng", "%", E, E, E],
    [None, "+ Các ngành dịch vụ và thương mại", "%", E, E, E],
    ["4", "Tổng thu ngân sách Nhà nước trên địa bàn", "Tỷ đồng", E, E, E],
    ["5", "Ngân sách Trung ương phân bổ cho địa phương", "Tỷ đồng", E, E, E],
    ["6", "Chi ngân sách địa phương", "Tỷ đồng", E, E, E],
    ["7", "Diện tích trồng rừng mới", "Ha", E, E, E],
    ["8", "Tỷ lệ che phủ rừng", "%", E, E, E],
    ["9", "Diện tích canh tác bình quân/người", "Ha/người", E, E, E],
    ["III", "Chỉ tiêu xã hội", E, E, E, E],
    ["1", "Tổng số lao động có việc làm", "Nghìn người", E, E, E],
    [None, "Trong đó: Lao động là người DTTS", "Nghìn người", E, E, E],
    ["2", "Tổng số lao động được giải quyết việc làm mới", "Nghìn người", E, E, E],
    [None, "Trong đó: Lao động là người DTTS", "Nghìn người", E, E, E],
]
MIN_EXACT = 0.95


def _read(realworld, tmp_path_factory, name: str, first: int, last: int):
    """(extracted document, its records) of pages first..last of a file, as the pipeline reads them."""
    import pypdfium2 as pdfium

    path = realworld / DIR / name
    part = realworld_pages(path, first, last, tmp_path_factory.mktemp("luatvn") / f"{path.stem}-{first}-{last}.pdf")
    saved = pdfium.PdfDocument(part)
    rotations = [saved[i].get_rotation() for i in range(len(saved))]
    saved.close()
    doc = extract_document(part)
    return doc, document_records(path.stem, doc), rotations


@pytest.fixture(scope="module")
def appendix(realworld, tmp_path_factory):
    return _read(realworld, tmp_path_factory, "10209536.pdf", 9, 14)


@pytest.fixture(scope="module")
def bieu(realworld, tmp_path_factory):
    return _read(realworld, tmp_path_factory, "10209597.pdf", 8, 8)


def _norm(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def test_every_page_has_a_pages_row(appendix):
    doc, records, rotations = appendix
    assert rotations == [0, 90, 270, 90, 270, 90]  # the file's own /Rotate, kept in the copy
    assert [p["page"] for p in records.pages] == list(range(1, 7))
    assert all(p["method"] == "ocr" and p["error"] is None for p in records.pages)
    assert records.pages[0]["n_table_rows"] == 0 and records.pages[0]["n_chars"] > 500  # prose, no table
    assert all(p["n_table_rows"] >= 1 for p in records.pages[1:])


def test_pages_turned_90_and_270_are_read_upright(appendix):
    doc, records, _ = appendix
    for page in doc.pages[1:]:
        assert page.width > page.height  # landscape, as a reader sees it
    by_page: dict[int, str] = {}
    for c in records.cells:
        by_page[c["page"]] = by_page.get(c["page"], "") + " " + _norm(c["text"]).lower()
    for n in range(2, 7):  # upside-down or sideways text would not read as these words
        assert "trung ương" in by_page.get(n, ""), n
        assert "dự án" in by_page.get(n, "") and "đồng" in by_page.get(n, ""), n


def _truth_cells() -> dict[tuple[int, int], tuple[str, int]]:
    """{(row_no, col_no): (text, row_span)} of the hand-typed truth."""
    out = {}
    for r, row in enumerate(BIEU_1):
        for c, text in enumerate(row):
            if text is None:
                continue
            span = 1
            while r + span < len(BIEU_1) and BIEU_1[r + span][c] is None:
                span += 1
            out[(r + 1, c + 1)] = (text, span)
    return out


def test_form_cells_against_a_hand_typed_truth(bieu):
    doc, records, _ = bieu
    tables = {c["table_no"] for c in records.cells}
    assert tables == {1}
    got = {(c["row_no"], c["col_no"]): (_norm(c["text"]), c["row_span"]) for c in records.cells}
    truth = _truth_cells()
    # scored over the positions where the truth or the extractor has text: empty cells right
    # by default do not count, and text where the page has none counts as an error
    scored = {k for k, (t, _) in truth.items() if t} | {k for k, (t, _) in got.items() if t}
    exact = sum(got.get(k) == truth.get(k) for k in scored)
    wrong = sorted((k, truth.get(k), got.get(k)) for k in scored if got.get(k) != truth.get(k))
    record("luatvietnam-scan-form", {"cells exact": exact / len(scored)})
    assert exact / len(scored) >= MIN_EXACT, wrong
    assert max(r for r, _ in got) == len(BIEU_1)  # no row lost or split


def test_item_numbers_and_sections_of_the_form(bieu):
    _, records, _ = bieu
    first_col = [_norm(c["text"]) for c in sorted(records.cells, key=lambda c: c["row_no"]) if c["col_no"] == 1]
    truth = [row[0] for row in BIEU_1 if row[0] is not None]
    assert first_col == truth


@pytest.fixture(scope="module")
def first_pages(realworld, tmp_path_factory):
    return {name: _read(realworld, tmp_path_factory, f"{name}.pdf", 1, 1)[1].document
            for name in ("10209536", "10209597", "10209667", "10209656")}


def test_header_block_of_scans(first_pages):
    assert {k: d["issuer"] for k, d in first_pages.items()} == {
        "10209536": "Thủ tướng Chính phủ", "10209597": "Ủy ban Dân tộc",
        "10209667": "Ngân hàng Nhà nước Việt Nam", "10209656": "Bộ Kế hoạch và Đầu tư"}
    assert all(d["doc_type"] == ("Quyết định" if k == "10209536" else "Thông tư") for k, d in first_pages.items())
    # printed number and date (checked by eye on the page images)
    d = first_pages["10209536"]
    assert (d["doc_number"], d["doc_type_code"], d["issued_date"]) == ("23/QĐ-TTg", "QĐ-TTg", dt.date(2010, 1, 6))
    d = first_pages["10209667"]
    assert (d["doc_number"], d["issued_date"]) == ("02/2010/TT-NHNN", dt.date(2010, 1, 22))
    # number and day written by hand over the printed "Số:    /2010/TT-UBDT" and "ngày    tháng 01":
    # no guess, the printed code and the raw text kept; never the dates the body cites
    # ("Nghị định số 179/2007/NĐ-CP ngày 03/12/2007", "Luật Đấu thầu … ngày 29 tháng 11 năm 2005")
    for name, code in (("10209597", "TT-UBDT"), ("10209656", "TT-BKH")):
        d = first_pages[name]
        assert d["doc_type_code"] == code and d["doc_number_raw"], name
        assert d["issued_date_raw"] and d["issued_date_raw"].startswith("Hà Nội"), name
        assert d["issued_date"] in (None, {"10209597": dt.date(2010, 1, 13), "10209656": dt.date(2010, 1, 19)}[name]), name
        assert d["doc_number"] in (None, f"02/2010/{code}"), name
