"""The test renderer draws a spec faithfully: pdfplumber must read the spec back.

A small spec with a table whose long row cannot fit under the rows before it is
rendered; the checks read the PDF with pdfplumber (ruled-table detection and
plain text) and compare with the spec itself, never with the renderer's output.
"""

from __future__ import annotations

import copy
import hashlib
import json
import unicodedata

import pdfplumber
import pytest

from tests.fixtures.render import (
    RenderOptions,
    is_heading,
    markup,
    missing_glyphs,
    relative_widths,
    render_pdf,
)
from tests.fixtures.make_samples import GROUNDTRUTH
from tests.fixtures.scan import make_scanned_twin

COLUMNS = ["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời hạn hoàn thành"]
LONG_TASK = " ".join(
    f"Bước {i}: rà soát, cập nhật dữ liệu dân cư của xã, phường, thị trấn và đồng bộ với Cơ sở dữ liệu quốc gia;"
    for i in range(1, 23)
)
BODY = [
    "Thực hiện Nghị quyết số 71/NQ-CP ngày 01/4/2025 của Chính phủ, Bộ Công an báo cáo kết quả như sau:",
    "1. Kết quả thực hiện",
    "Ứng dụng định danh điện tử đã được triển khai rộng khắp; những điểm nghẽn về thể chế, hạ tầng và "
    "nhân lực được tháo gỡ kịp thời, bảo đảm “rõ người, rõ việc, rõ thời gian, rõ trách nhiệm”¹.",
]
ROWS = [
    {"kind": "section", "cells": ["I", "Hoàn thiện thể chế, chính sách"]},
    {"kind": "data", "cells": ["1", "Xây dựng Nghị định quy định chi tiết Luật Dữ liệu", "Bộ Công an", "Tháng 6/2025"]},
    {"kind": "data", "cells": ["2", "Sửa đổi Thông tư số 08/2025/TT-BCA", "Bộ Công an", "Quý II/2025"]},
    {"kind": "data", "cells": ["3", "Đánh giá, tổng kết việc thực hiện\n(1) Đề án 06;\n(2) Nghị quyết 57-NQ/TW",
                               "Bộ Tư pháp", "Thường xuyên"]},
    {"kind": "data", "cells": ["4", LONG_TASK, "Ủy ban nhân dân các tỉnh, thành phố", "31/12/2025"]},
    {"kind": "section", "cells": ["II. Phát triển hạ tầng số, bảo đảm an ninh mạng"]},
    {"kind": "data", "cells": ["5", "Kết nối hệ thống giám sát an ninh mạng với Trung tâm dữ liệu quốc gia",
                               "Bộ Công an", "Tháng 8/2025"]},
]
SPEC = {
    "seed": None,
    "name": "unit_test",
    "document": {
        "issuer": ["BỘ CÔNG AN"],
        "doc_number": "123/BC-BCA",
        "place_date": "Hà Nội, ngày 15 tháng 5 năm 2025",
        "type_word": "BÁO CÁO",
        "title": "Kết quả thực hiện nhiệm vụ chuyển đổi số",
        "subject": None,
        "recipients": None,
        "body": BODY,
        "footnotes": ["1 Theo Chỉ thị số 07/CT-TTg ngày 14/3/2025 của Thủ tướng Chính phủ."],
        "closing": {"noi_nhan": ["- Như trên;", "- Lưu: VT."], "signer_title": ["BỘ TRƯỞNG"],
                    "signer_name": "Lương Tam Quang"},
    },
    "appendix": {
        "heading": ["PHỤ LỤC", "DANH MỤC NHIỆM VỤ", "(Kèm theo Báo cáo số 123/BC-BCA ngày 15/5/2025)"],
        "orientation": "landscape",
        "tables": [{"pre_heading": "1. NHIỆM VỤ RIÊNG", "columns": COLUMNS, "col_widths": [6, 54, 22, 18],
                    "rows": ROWS}],
    },
}


def norm(text: str | None) -> str:
    return " ".join((text or "").split())


def squeeze(text: str | None) -> str:
    return "".join((text or "").split())


def table_rows(path, first_page: int) -> list[tuple[int, list[str | None]]]:
    """(page number, cells) of every ruled-table row from `first_page` on; None for a spanned cell."""
    with pdfplumber.open(path) as pdf:
        return [
            (page.page_number, [None if c is None else norm(c) for c in row])
            for page in pdf.pages[first_page - 1:]
            for table in page.find_tables()
            for row in table.extract()
        ]


def merged_rows(rows: list[tuple[int, list[str | None]]]) -> list[list[str]]:
    """Rows as the reader sees them: repeated headers dropped, a continuation (no number) joined up."""
    out: list[list[str]] = []
    for _, cells in rows:
        if cells == [norm(c) for c in COLUMNS]:
            continue
        visible = [c for c in cells if c is not None]
        if out and cells[0] == "" and len(visible) == len(out[-1]):
            out[-1] = [norm(a + " " + b) for a, b in zip(out[-1], visible)]
        else:
            out.append(visible)
    return out


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    path = tmp_path_factory.mktemp("render") / "doc.pdf"
    return path, render_pdf(SPEC, path)


def test_appendix_starts_on_a_new_page_and_has_more_than_one(rendered):
    _, info = rendered
    assert info.appendix_first_page == 2
    assert info.n_pages >= 3


def test_header_row_is_on_every_table_page(rendered):
    path, info = rendered
    rows = table_rows(path, info.appendix_first_page)
    pages = range(info.appendix_first_page, info.n_pages + 1)
    firsts = {page: cells for page, cells in reversed(rows)}  # first row of each page
    assert set(firsts) == set(pages)
    for page in pages:
        assert firsts[page] == COLUMNS, page


def test_long_row_is_cut_by_the_page_break(rendered):
    path, info = rendered
    rows = table_rows(path, info.appendix_first_page)
    parts = [(page, cells) for page, cells in rows if cells[1] and cells[1] in norm(LONG_TASK)]
    assert len(parts) == 2, parts
    (page1, first), (page2, rest) = parts
    assert page2 == page1 + 1
    assert first[0] == "4" and rest[0] == ""  # the number stays with the first part
    assert first[1].startswith("Bước 1:") and rest[1].endswith(norm(LONG_TASK)[-40:])
    assert norm(first[1] + " " + rest[1]) == norm(LONG_TASK)


def test_every_cell_is_read_back_in_order(rendered):
    path, info = rendered
    got = merged_rows(table_rows(path, info.appendix_first_page))
    assert got == [[norm(c) for c in row["cells"]] for row in ROWS]


def test_vietnamese_text_round_trips_exactly(rendered):
    path, _ = rendered
    with pdfplumber.open(path) as pdf:
        text = pdf.pages[0].extract_text()
    assert unicodedata.is_normalized("NFC", text)
    flat = norm(text)
    for paragraph in BODY + SPEC["document"]["footnotes"]:
        assert paragraph in flat
    assert "Số: 123/BC-BCA" in flat and "Hà Nội, ngày 15 tháng 5 năm 2025" in flat


def test_page_numbers_at_top_from_page_two(rendered):
    path, info = rendered
    with pdfplumber.open(path) as pdf:
        tops = [page.extract_text().split("\n")[0].strip() for page in pdf.pages]
    assert tops[0] != "1"
    assert tops[1:] == [str(n) for n in range(2, info.n_pages + 1)]


def test_same_spec_same_bytes(tmp_path):
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    render_pdf(SPEC, a)
    render_pdf(copy.deepcopy(SPEC), b)
    assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()


def test_without_row_splitting_the_long_row_moves_whole(tmp_path):
    path = tmp_path / "nosplit.pdf"
    info = render_pdf(SPEC, path, options=RenderOptions(split_rows=False))
    rows = table_rows(path, info.appendix_first_page)
    parts = [cells for _, cells in rows if cells[1] and cells[1] in norm(LONG_TASK)]
    assert parts == [["4", norm(LONG_TASK), "Ủy ban nhân dân các tỉnh, thành phố", "31/12/2025"]]


def test_header_not_repeated_when_asked(tmp_path):
    path = tmp_path / "norepeat.pdf"
    info = render_pdf(SPEC, path, options=RenderOptions(repeat_header=False))
    rows = table_rows(path, info.appendix_first_page)
    assert sum(cells == COLUMNS for _, cells in rows) == 1
    assert merged_rows(rows) == [[norm(c) for c in row["cells"]] for row in ROWS]


def test_bad_rows_and_glyphs_are_refused(tmp_path):
    bad = copy.deepcopy(SPEC)
    bad["appendix"]["tables"][0]["rows"].append({"kind": "data", "cells": ["6", "thiếu ô"]})
    with pytest.raises(ValueError, match="expected 4"):
        render_pdf(bad, tmp_path / "bad.pdf")
    bad = copy.deepcopy(SPEC)
    bad["document"]["body"].append("liệt kê ⁽⁶⁾")  # superscript parentheses: not in the font
    with pytest.raises(ValueError, match="glyph"):
        render_pdf(bad, tmp_path / "bad.pdf")


def test_scanned_twin_is_images_only(rendered, tmp_path):
    path, info = rendered
    out = tmp_path / "scan.pdf"
    pages = range(info.appendix_first_page, info.n_pages + 1)
    assert make_scanned_twin(path, out, pages=pages, dpi=60, seed=3) == len(pages)
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) == len(pages)
        assert sum(len(page.chars) for page in pdf.pages) == 0
        assert all(len(page.images) == 1 for page in pdf.pages)
        assert round(pdf.pages[0].width) == 842  # landscape A4 kept
    again = tmp_path / "again.pdf"
    make_scanned_twin(path, again, pages=pages, dpi=60, seed=3)
    assert again.read_bytes() == out.read_bytes()
    other = tmp_path / "other.pdf"
    make_scanned_twin(path, other, pages=pages, dpi=60, seed=4)
    assert other.read_bytes() != out.read_bytes()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1. Kết quả thực hiện Đề án 06/CP", True),
        ("2.1. Kết quả triển khai của Bộ Công an:", True),
        ("II. Khẩn trương hoàn thiện thể chế", True),
        ("3.1. Về pháp lý: Đến tháng 5/2025, vẫn còn 11 bộ chưa công bố.", False),
        ("(1) Về thực hiện Đề án 06/CP:", False),
        ("- Bộ Công an:", False),
    ],
)
def test_is_heading(text, expected):
    assert is_heading(text) is expected


def test_markup_escapes_and_breaks_lines():
    assert markup("a < b & c\nd") == "a &lt; b &amp; c<br/>d"
    assert markup("số   /TB") == "số \u00a0\u00a0/TB"


def test_relative_widths():
    assert relative_widths([1, 3], 100.0) == [25.0, 75.0]
    with pytest.raises(ValueError):
        relative_widths([0, 0], 100.0)


def test_font_covers_vietnamese():
    letters = "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
    assert missing_glyphs([letters, letters.lower(), "“”–…¹²³⁴⁵⁶⁷⁸⁹"]) == set()
    assert missing_glyphs(["⁽⁾"]) == {"⁽", "⁾"}


@pytest.mark.parametrize("spec_path", sorted(GROUNDTRUTH.glob("*.json")), ids=lambda p: p.stem)
def test_every_ground_truth_spec_renders(spec_path, tmp_path):
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    info = render_pdf(spec, tmp_path / "doc.pdf")
    assert info.n_pages >= 1
    assert (info.appendix_first_page is not None) == bool(spec.get("appendix"))
