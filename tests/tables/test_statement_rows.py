"""Statement prints: a footer band recurring mid-page is furniture and cuts no table
(furniture.split_furniture, stitch), rows without rules start at a transaction's date
(grid.row_breaks), a block of column rules between two bands is a table
(grid.open_end_rules), and a blank number cell merged over rows at a page's top heads
rows of their own (stitch.is_continuation). Synthetic geometry."""

from __future__ import annotations

from extractors.furniture import split_furniture
from extractors.grid import open_end_rules, row_breaks
from extractors.layout import Cell, Fragment, Line, PageContent, Row, Word
from extractors.stitch import _Part, _PendingCell, _PendingRow, is_continuation, stitch
from extractors.words import group_lines
from tests.fixtures import geometry

CHAR = 4.5
HEIGHT = 9.0


def words_at(y: float, *cells: tuple[float, str]) -> list[Word]:
    return geometry.words_at(y, *cells, char=CHAR, height=HEIGHT)


def text_line(y: float, x: float, text: str) -> Line:
    return Line(tuple(words_at(y, (x, text))))


# ---------------------------------------------------------------- a band mid-page


FOOTER = "Sao kê được in từ hệ thống lúc 08:{:02d}. Quý khách vui lòng liên hệ 1900 5454 khi có sai sót."


def _pages(n: int, with_band: int) -> list[tuple[list[Line], float]]:
    out = []
    for k in range(n):
        lines = [text_line(400, 40, ["Một đoạn văn", "Đoạn khác hẳn", "Câu thứ ba", "Bảng kê"][k % 4])]
        if k < with_band:
            y = 300 + 37 * k  # the band drifts down the page
            lines += [text_line(y, 40, FOOTER.format(k)), text_line(y + 11, 480, f"Trang {k + 1}/{n}")]
        out.append((lines, 842.0))
    return out


def test_a_band_recurring_on_most_pages_is_furniture_wherever_it_sits():
    split = split_furniture(_pages(8, 8))
    for k, (body, furniture) in enumerate(split):
        assert [l.text for l in furniture] == [FOOTER.format(k), f"Trang {k + 1}/8"]
        assert len(body) == 1


def test_a_line_recurring_on_few_pages_mid_page_stays_prose():
    split = split_furniture(_pages(8, 3))
    assert all(not furniture for _, furniture in split)


def test_a_short_recurring_number_is_no_band():
    pages = [([text_line(400, 40, "1."), text_line(420, 40, ["Một", "Hai", "Ba"][k % 3])], 842.0) for k in range(6)]
    assert all(not furniture for _, furniture in split_furniture(pages))


def _cell(col: int, x0: float, x1: float, top: float, bottom: float, text: str = "") -> Cell:
    lines = (text_line(top + 3, x0 + 3, text),) if text else ()
    return Cell((x0, top, x1, bottom), col, 1, lines)


EDGES = (40.0, 140.0, 240.0, 340.0)


def _block(page: int, top: float, rows: list[tuple[str, str, str]]) -> Fragment:
    out, y = [], top
    for texts in rows:
        out.append(Row((EDGES[0], y, EDGES[-1], y + 20),
                       tuple(_cell(c, EDGES[c], EDGES[c + 1], y, y + 20, t) for c, t in enumerate(texts))))
        y += 20
    return Fragment(page, (EDGES[0], top, EDGES[-1], y), EDGES, tuple(out))


def test_a_band_of_furniture_between_two_blocks_cuts_no_table():
    header = [("Ngày (Date)", "Số tiền (Amount)", "Nội dung (Description)")]
    first = _block(1, 100, header + [("02/01/2025", "100.000", "Chuyển tiền"), ("03/01/2025", "200.000", "Thu phí")])
    second = _block(1, 220, [("04/01/2025", "300.000", "Nộp tiền"), ("05/01/2025", "400.000", "Rút tiền")])
    band = text_line(176, 40, FOOTER.format(1))
    page = PageContent(1, 595, 842, "text", 500, (), (first, second), furniture=(band.text,),
                       furniture_boxes=(band.box,))
    (table,) = stitch([page])
    assert [r.kind for r in table.rows] == ["header", "data", "data", "data", "data"]
    # the same band left as prose: two tables (it is text between them)
    apart = PageContent(1, 595, 842, "text", 500, (band,), (first, second))
    assert len(stitch([apart])) == 2


# ---------------------------------------------------------------- rows without rules


def _right(x1: float, text: str) -> tuple[float, str]:
    return x1 - len(text) * CHAR, text  # an amount right-aligned at x1


def test_a_transaction_starts_at_its_date_over_the_reference_of_the_one_above():
    edges = [40.0, 132.0, 204.0, 276.0, 356.0, 555.0]
    lines = group_lines([
        *words_at(100, (43, "02/01/2025"), _right(272, "727.000"), _right(352, "49.873.000"),
                  (360, "Nhận tiền từ công nghiệp")),
        *words_at(110.5, (43, "FT25111159312"), (360, "chiến lược Ban hành cơ chế")),
        *words_at(121, (360, "chính sách hợp tác")),
        *words_at(135, (43, "03/01/2025"), _right(200, "1.885.000"), _right(352, "51.758.000"), (360, "Trả lãi tiền gửi")),
        *words_at(145.5, (43, "FT25982044262")),
        *words_at(159, (43, "04/01/2025"), _right(200, "571.000"), _right(352, "52.329.000"), (360, "Thu phí dịch vụ")),
        *words_at(169.5, (43, "IB25882053062"), (360, "tổ chức thực hiện")),
    ])
    assert len(lines) == 7
    assert row_breaks(lines, edges) == [(130 + 135) / 2, (154.5 + 159) / 2]


def test_lines_of_one_row_with_no_second_value_stay_together():
    edges = [40.0, 132.0, 204.0, 356.0]
    lines = group_lines([
        *words_at(100, (43, "02/01/2025"), _right(352, "49.873.000"), (210, "Nhận tiền")),
        *words_at(110.5, (43, "FT25111159312"), (210, "chiến lược")),
    ])
    assert row_breaks(lines, edges) == []


def test_short_column_rules_side_by_side_are_a_table_between_two_bands():
    vs = [{"x0": x, "x1": x, "top": 300.0, "bottom": 340.0} for x in EDGES]
    ends = open_end_rules(([], vs))
    assert sorted((e["end"], e["top"]) for e in ends) == [("bottom", 340.0), ("top", 300.0)]
    assert open_end_rules(([], vs[:2])) == []  # two short rules are no table's


# ---------------------------------------------------------------- a group of rows at a page's top


def _pending(*texts: str) -> _PendingRow:
    cells = [_PendingCell(c, 1, 0, 50, [_Part(1, (0, 0, 50, 20), (text_line(3, 3, t),) if t else ())])
             for c, t in enumerate(texts)]
    return _PendingRow("data", cells, [(1, (0, 0, 250, 20))])


def _top_row(number_span: int, *texts: str) -> Row:
    cells = [Cell((0, 0, 50, 20), 0, 1, (), number_span)]
    cells += [_cell(c, 50 * c, 50 * c + 50, 0, 20, t) for c, t in enumerate(texts, start=1)]
    return Row((0, 0, 250, 20), tuple(cells))


def test_a_blank_number_merged_over_rows_under_a_numbered_row_heads_a_group():
    prev = _pending("3.3.2.", "Tỷ lệ thực hiện TTHC", "1.00")
    options = _top_row(3, "Đạt 100% TTHC: 1", "")
    assert not is_continuation(prev, options, "data", "", 0)
    rest = _top_row(1, "phạm vi cấp tỉnh", "")  # one blank cell: the rest of the cut row
    assert is_continuation(prev, rest, "data", "", 0)
    cut_option = _pending("", "100% số lãnh đạo cấp sở được bổ nhiệm đúng quy định:", "")
    assert is_continuation(cut_option, _top_row(3, "0.25", ""), "data", "", 0)  # under a blank cell: its rest


def test_a_debit_under_a_credit_starts_a_row_too():
    """Without a balance column a row holds one amount, in either column: a row's values
    stand on its first line, so a second value, in any column of values, starts a row."""
    edges = [40.0, 132.0, 212.0, 292.0, 555.0]
    lines = group_lines([
        *words_at(100, (43, "02/01/2025"), _right(208, "727.000"), (296, "Nhận tiền từ công nghiệp")),
        *words_at(110.5, (43, "FT25111159312"), (296, "chiến lược Ban hành")),
        *words_at(124, (43, "03/01/2025"), _right(288, "1.885.000"), (296, "Trả lãi tiền gửi")),
        *words_at(134.5, (43, "FT25982044262")),
    ])
    assert row_breaks(lines, edges) == [(119.5 + 124) / 2]
