"""The stitcher on scans: a repeated header that OCR damaged is still the header, and a
column whose header OCR left unreadable takes its role from a repeat (extractors/stitch.py)."""

from rapidfuzz import fuzz

from extractors.headers import column_roles
from extractors.layout import Cell, Fragment, Line, PageContent, Row, Word
from extractors.stitch import stitch

EDGES = (0, 40, 200, 300, 380)


def _cell(col: int, text: str, top: float, bottom: float) -> Cell:
    x0 = EDGES[col]
    lines = (Line(tuple(Word(w, x0 + 2 + 30 * k, top + 2, x0 + 30 + 30 * k, top + 12, 5, 5)
                        for k, w in enumerate(text.split()))),) if text else ()
    return Cell((x0, top, EDGES[col + 1], bottom), col, 1, lines)


def _row(top: float, *texts: str) -> Row:
    return Row((0, top, EDGES[-1], top + 30), tuple(_cell(k, t, top, top + 30) for k, t in enumerate(texts)))


def _page(no: int, *rows: Row) -> PageContent:
    frag = Fragment(no, (0, 0, EDGES[-1], 30 * len(rows)), EDGES, rows)
    return PageContent(no, 400, 600, "ocr", 100, (), (frag,))


HEADER = ("STT", "Tên nhiệm vụ", "Đơn vị chủ trì", "Thời hạn")


def test_a_repeat_damaged_by_ocr_is_the_header_and_lends_its_roles():
    first = ("STT", "Tên nhiệm vụ", "Đơn vị chủ trì", "Tl~ờ! h@m")  # the last cell OCR'd past recognition
    repeat = ("S TT", "Tên nhiệm vu", "Đon vi chủ trì", "Thởi hạn")  # spaces and marks damaged
    assert column_roles(first)[3] is None and column_roles(repeat) == ["item_no", "name", "lead", "deadline"]
    assert fuzz.ratio(" ".join(first).lower(), " ".join(repeat).lower()) < 90  # not the header by its plain text
    page1 = _page(1, _row(0, *first), _row(30, "1", "Alpha", "Bộ Y tế", "Quý II/2025"))
    page2 = _page(2, _row(0, *repeat), _row(30, "2", "Beta", "Bộ Công an", "Thường xuyên"))
    (table,) = stitch([page1, page2])
    assert [r.kind for r in table.rows] == ["header", "data", "data"]
    assert [r.text_at(1) for r in table.rows if r.kind == "data"] == ["Alpha", "Beta"]
    assert column_roles(table.headers) == ["item_no", "name", "lead", "deadline"]


def test_a_header_of_other_columns_still_starts_a_new_table():
    other = ("TT", "Nội dung nhiệm vụ", "Cơ quan phối hợp", "Kết quả thực hiện")
    page1 = _page(1, _row(0, *HEADER), _row(30, "1", "Alpha", "Bộ Y tế", "Quý II/2025"))
    page2 = _page(2, _row(0, *other), _row(30, "1", "Beta", "Bộ Công an", "Đã hoàn thành"))
    first, second = stitch([page1, page2])
    assert column_roles(first.headers) == ["item_no", "name", "lead", "deadline"]
    assert column_roles(second.headers) == ["item_no", "name", "coordinators", "result"]
