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


def _fragment(no: int, top: float, *rows: Row) -> Fragment:
    return Fragment(no, (0, top, EDGES[-1], top + 30 * len(rows)), EDGES, rows)


def _titled(no: int, *rows: Row) -> PageContent:
    """A page whose table stands under a title (a document's first page): rows from y 100."""
    title = Line((Word("PHỤ", 2, 40, 30, 52, 5, 5), Word("LỤC", 32, 40, 60, 52, 5, 5)))
    return PageContent(no, 400, 600, "ocr", 100, (title,), (_fragment(no, 100, *rows),))


def test_pages_fed_out_of_order_with_two_tables_of_one_shape():
    """The scan of a document with two tables of the same columns, its first two pages fed the
    other way round. Physical page 1 (printed page 2) holds the rest of table 1 (items 3-4, no
    header), a line of prose, then table 2 with its header (under a seal: its lead cell read past
    recognition) and item 1; page 2 (printed page 1) holds a title, table 1's header and items
    1-2; page 3 the rest of table 2 (items 2-3). Each rest goes on the table whose numbering it goes on, table 1
    is read first, and table 2's unreadable header cell takes table 1's."""
    damaged = ("STT", "Tên nhiệm vụ", "/⁄\\ ¬` com", "Thời hạn")
    assert column_roles(damaged)[2] is None
    prose = Line((Word("Nội", 2, 72, 30, 84, 5, 5), Word("dung", 32, 72, 60, 84, 5, 5)))
    page1 = PageContent(1, 400, 600, "ocr", 100, (prose,), (
        _fragment(1, 0, _row(0, "3", "Gamma", "Bộ Y tế", "Quý II/2025"), _row(30, "4", "Delta", "Bộ Tài chính", "2025")),
        _fragment(1, 100, _row(100, *damaged), _row(130, "1", "Eta", "Bộ Công an", "Thường xuyên"))))
    page2 = _titled(2, _row(100, *HEADER), _row(130, "1", "Alpha", "Bộ Y tế", "Quý I/2025"),
                    _row(160, "2", "Beta", "Bộ Nội vụ", "Tháng 6/2025"))
    page3 = _page(3, _row(0, "2", "Theta", "Bộ Xây dựng", "2026"), _row(30, "3", "Iota", "Bộ Tư pháp", "2027"))
    first, second = stitch([page1, page2, page3])
    assert [r.text_at(1) for r in first.rows if r.kind == "data"] == ["Alpha", "Beta", "Gamma", "Delta"]
    assert [r.text_at(1) for r in second.rows if r.kind == "data"] == ["Eta", "Theta", "Iota"]
    assert column_roles(first.headers) == column_roles(second.headers) == ["item_no", "name", "lead", "deadline"]


def test_a_rest_whose_numbers_go_on_from_the_page_before_stays_with_it():
    """Pages in order: a fragment whose first number goes on from the table of the page before
    goes on that table, even when another table of its shape ended its page with the same number."""
    page1 = _page(1, _row(0, *HEADER), _row(30, "1", "Alpha", "Bộ Y tế", "2025"))
    page2 = _titled(2, _row(100, *HEADER), _row(130, "1", "Beta", "Bộ Nội vụ", "2025"))
    page3 = _page(3, _row(0, "2", "Gamma", "Bộ Xây dựng", "2026"))
    first, second = stitch([page1, page2, page3])
    assert [r.text_at(1) for r in first.rows if r.kind == "data"] == ["Alpha"]
    assert [r.text_at(1) for r in second.rows if r.kind == "data"] == ["Beta", "Gamma"]
