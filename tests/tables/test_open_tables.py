"""Tables whose rules are not all there: boxes a page cut open, tables ruled between rows
only, merged cells and their rows, browser furniture. Synthetic geometry, as Chromium
draws it (see tests/tables/test_browser_prints.py for the real prints)."""

from extractors.furniture import split_furniture
from extractors.grid import (
    build_fragments,
    bridged_rules,
    open_end_rules,
    rule_only_table,
    rule_stacks,
    text_columns,
)
from extractors.layout import Cell, Fragment, Line, PageContent, Row, Word
from extractors.stitch import stitch

CHAR = 5.0


def h(x0, x1, y):
    return {"orientation": "h", "x0": x0, "x1": x1, "top": y, "bottom": y}


def v(x, top, bottom):
    return {"orientation": "v", "x0": x, "x1": x, "top": top, "bottom": bottom}


def word(text, x, y):
    return Word(text, x, y, x + CHAR * len(text), y + 10, CHAR, CHAR)


def line(*words):
    return Line(tuple(words))


# ---------------------------------------------------------------- open ends


def test_rules_open_at_the_page_bottom_are_closed_there():
    # a 3-column table whose last row the page cut: its column rules run on to y=500
    hs = [h(50, 350, 100), h(50, 350, 200)]
    vs = [v(50, 100, 500), v(150, 100, 500), v(250, 100, 500), v(350, 100, 500)]
    (rule,) = open_end_rules((hs, vs))
    assert (rule["top"], rule["x0"], rule["x1"], rule["end"]) == (500, 50, 350, "bottom")


def test_a_closed_table_gets_no_extra_rule():
    hs = [h(50, 350, 100), h(50, 350, 200)]
    vs = [v(x, 100, 200) for x in (50, 150, 250, 350)]
    assert open_end_rules((hs, vs)) == []


def test_a_page_that_one_row_fills_is_closed_at_both_ends():
    vs = [v(x, 40, 790) for x in (50, 150, 250, 350)]
    rules = open_end_rules(([], vs))
    assert sorted((r["end"], r["top"]) for r in rules) == [("bottom", 790), ("top", 40)]


def test_a_merged_cell_cut_by_the_page_is_closed_alone():
    # the rest of the row is closed at y=300, the merged cell (250-350) runs on
    hs = [h(50, 350, 100), h(50, 350, 200), h(50, 250, 300)]
    vs = [v(50, 100, 300), v(150, 100, 300), v(250, 100, 500), v(350, 100, 500)]
    (rule,) = open_end_rules((hs, vs))
    assert (rule["x0"], rule["x1"], rule["top"]) == (250, 350, 500)


def test_one_line_rest_of_a_cut_row_over_a_section_row_keeps_its_column_rules():
    # page head: the rest of a row the page break cut (one line, column rules 18 pt long, shorter
    # than min_rule_length), a section row across the columns (the column rules stop at it), the
    # rows under it; the frame's side rules run through. The short rules are the table's: the rest
    # closes at the heading, and the page's head is an open top
    frame = [v(85, 56.7, 535.9), v(799, 56.7, 535.9)]
    cols = (113, 409, 534, 627)
    above, under = [v(x, 56.7, 74.6) for x in cols], [v(x, 92.5, 535.9) for x in cols]
    got = sorted((r["end"], r["top"], r["x0"], r["x1"]) for r in open_end_rules(([], [*frame, *above, *under])))
    assert got == [("bottom", 74.6, 85, 799), ("bottom", 535.9, 85, 799), ("top", 56.7, 85, 799), ("top", 92.5, 85, 799)]
    # alone (no column rules taken up under them) such short rules close nothing
    assert [r["top"] for r in open_end_rules(([], [*frame, *above]))] == [535.9]


def test_separate_borders_stopping_short_of_a_rule_are_bridged():
    hs = [h(50, 350, 100)]
    (rule,) = bridged_rules((hs, [v(150, 103.5, 400)]))
    assert (rule["x0"], rule["top"], rule["bottom"]) == (150, 100, 103.5)
    assert bridged_rules((hs, [v(150, 100.5, 400)])) == []  # meets it already


def test_a_frame_of_another_ink_is_no_rule_a_border_stops_short_of():
    # a signing stamp's red box, its lower side 4.7 pt over a black column rule's top: no bridge
    stamp = {**h(626.9, 826.9, 52.0), "object_type": "rect_edge", "stroking_color": (0.8, 0.0, 0.0),
             "stroke": True, "fill": False}
    rule = {**v(625.6, 56.7, 537.9), "stroking_color": (0.0,), "stroke": True}
    assert bridged_rules(([stamp], [rule])) == []
    black = {**stamp, "stroking_color": (0.0, 0.0, 0.0, 1.0)}  # CMYK black: one ink with grey 0
    assert len(bridged_rules(([black], [rule]))) == 1
    grey = {**h(626.9, 826.9, 52.0), "object_type": "line", "stroking_color": (0.8, 0.8, 0.8), "stroke": True}
    assert len(bridged_rules(([grey], [rule]))) == 1  # a grey rule among black ones: the table's


# ---------------------------------------------------------------- rules between rows only


def _rows(*rows):
    """Bands of lines; each row: (y, [(text, x), ...])."""
    return [[line(*(word(t, x, y) for t, x in cells))] for y, cells in rows]


def test_columns_come_from_the_gutters_every_row_leaves():
    bands = _rows((110, [("1", 55), ("Task", 80), ("Agency", 200)]),
                  (130, [("2", 55), ("Another task", 80), ("Agency", 200)]),
                  (150, [("3", 55), ("Short", 80), ("Bộ", 200)]))
    bands = [b + [line(word("x", b[0].words[1].x0, b[0].box[1] + 12), word("y", 200, b[0].box[1] + 12))]
             for b in bands]
    edges = text_columns(bands, 50, 300)
    assert len(edges) == 4 and edges[0] == 50 and edges[-1] == 300
    assert 60 < edges[1] < 80 and 140 < edges[2] < 200


def test_a_heading_across_columns_does_not_close_a_gutter():
    data = [[line(word("1", 55, y), word("Task", 80, y), word("Agency", 200, y)),
             line(word("Task", 80, y + 12), word("Bộ", 200, y + 12))] for y in (110, 140, 170, 200, 230, 260, 290, 320)]
    heading = [[line(word("Nhiệm", 55, 350), word("vụ", 87, 350), word("giao", 100, 350), word("Bộ", 123, 350),
                     word("Tài", 136, 350), word("chính", 154, 350), word("chỉ", 182, 350), word("đạo", 199, 350))]]
    assert len(text_columns(data + heading, 50, 300)) == 4


def test_a_table_ruled_between_rows_only_is_a_grid():
    stack = [h(50, 300, 100), h(50, 300, 125), h(50, 300, 150)]
    words = [word("1", 55, 107), word("Task", 80, 107), word("Bộ", 200, 107),
             word("2", 55, 132), word("Other", 80, 132), word("Sở", 200, 132),
             word("3", 55, 153), word("Cut", 80, 153), word("Ban", 200, 153)]  # a row the page cut
    (stack_found,) = rule_stacks(stack, [], 400)
    boxes = rule_only_table(stack_found, words)
    assert boxes is not None and not boxes.ruled
    (frag,), free = build_fragments(1, [boxes], words)
    assert not frag.ruled and frag.n_cols == 3 and free == []
    assert [[c.text for c in r.cells] for r in frag.rows] == [["1", "Task", "Bộ"], ["2", "Other", "Sở"],
                                                             ["3", "Cut", "Ban"]]
    assert all(c.open_bottom for c in frag.rows[-1].cells)


def test_rules_inside_a_ruled_table_make_no_stack():
    assert rule_stacks([h(50, 300, 100), h(50, 300, 125)], [(50, 100, 300, 125)], 400) == []


# ---------------------------------------------------------------- merged cells in the stitcher


def _cell(col, text, box, *, rs=1, open_top=False, open_bottom=False):
    lines = (line(word(text, box[0] + 2, box[1] + 2)),) if text else ()
    return Cell(box, col, 1, lines, rs, open_top, open_bottom)


def _row(top, bottom, *cells):
    return Row((0, top, 300, bottom), tuple(cells))


def _page(no, frag):
    return PageContent(no, 400, 600, "text", 100, (), (frag,))


def test_rows_under_a_merged_cell_inherit_it_across_a_page_break():
    edges = (0, 40, 200, 300)
    header = _row(0, 20, _cell(0, "STT", (0, 0, 40, 20)), _cell(1, "Nhiệm vụ", (40, 0, 200, 20)),
                  _cell(2, "Thời hạn", (200, 0, 300, 20)))
    one = _row(20, 60, _cell(0, "1", (0, 20, 40, 60)), _cell(1, "Alpha", (40, 20, 200, 60)),
               _cell(2, "Quý", (200, 20, 300, 580), rs=2, open_bottom=True))
    two = _row(60, 580, _cell(0, "2", (0, 60, 40, 580)), _cell(1, "Beta", (40, 60, 200, 580)))
    page1 = Fragment(1, (0, 0, 300, 580), edges, (header, one, two))
    three = _row(20, 60, _cell(0, "3", (0, 20, 40, 60)), _cell(1, "Gamma", (40, 20, 200, 60)),
                 _cell(2, "", (200, 20, 300, 60), open_top=True))
    four = _row(60, 100, _cell(0, "4", (0, 60, 40, 100)), _cell(1, "Delta", (40, 60, 200, 100)),
                _cell(2, "Năm", (200, 60, 300, 100)))
    page2 = Fragment(2, (0, 0, 300, 100), edges, (header, three, four))
    (table,) = stitch([_page(1, page1), _page(2, page2)])
    body = [r for r in table.rows if r.kind == "data"]
    assert [r.text_at(2) for r in body] == ["Quý", "Quý", "Quý", "Năm"]
    assert [c.row_span for r in body for c in r.cells if c.col == 2] == [3, 1]  # once, with its span
    assert [c.col for c in body[2].cells] == [0, 1]  # the empty rest of the merged cell is gone


def test_an_empty_sliver_ends_what_the_page_cut():
    edges = (0, 40, 200, 300)
    one = _row(0, 580, _cell(0, "1", (0, 0, 40, 580), open_bottom=True),
               _cell(1, "Alpha", (40, 0, 200, 580), open_bottom=True),
               _cell(2, "Bộ Y tế", (200, 0, 300, 580), open_bottom=True))
    sliver = _row(0, 4, _cell(0, "", (0, 0, 40, 4), open_top=True), _cell(1, "", (40, 0, 200, 4), open_top=True),
                  _cell(2, "", (200, 0, 300, 4), open_top=True))
    two = _row(4, 40, _cell(0, "2", (0, 4, 40, 40)), _cell(1, "Beta", (40, 4, 200, 40)),
               _cell(2, "", (200, 4, 300, 40)))
    (table,) = stitch([_page(1, Fragment(1, (0, 0, 300, 580), edges, (one,))),
                       _page(2, Fragment(2, (0, 0, 300, 40), edges, (sliver, two)))])
    assert [(r.text_at(0), r.text_at(2)) for r in table.rows] == [("1", "Bộ Y tế"), ("2", "")]


# ---------------------------------------------------------------- browser furniture


def test_browser_header_and_footer_are_furniture_even_on_one_page():
    top = Line((word("11/29/26,", 24, 16), word("1:41", 70, 16), word("PM", 95, 16), word("Kế", 300, 16)))
    body = Line((word("Nội", 50, 300), word("dung", 70, 300)))
    foot = Line((word("file:///tmp/a.html", 24, 818), word("1/1", 550, 818)))
    url = Line((word("https://vanban.chinhphu.vn/?docid=1", 24, 818),))
    ((kept, furniture),) = split_furniture([([top, body, foot], 842.0)])
    assert kept == [body] and furniture == [top, foot]
    ((kept, _),) = split_furniture([([url], 842.0)])
    assert kept == []


# ---------------------------------------------------------------- spreadsheet prints


def test_a_box_of_several_rows_is_split_at_its_item_numbers():
    from extractors.grid import split_by_anchor

    numbers = _cell(0, "", (0, 0, 40, 60))
    numbers = Cell(numbers.box, 0, 1, (line(word("1", 15, 2)), line(word("2", 15, 32))), 1, False, False)
    names = Cell((40, 0, 200, 60), 1, 1, (line(word("Alpha", 42, 2)), line(word("goes", 42, 15)),
                                          line(word("Beta", 42, 32))), 1, False, True)
    rows = split_by_anchor(Row((0, 0, 200, 60), (numbers, names)))
    assert [[c.text for c in r.cells] for r in rows] == [["1", "Alpha goes"], ["2", "Beta"]]
    assert [c.open_bottom for r in rows for c in r.cells] == [False, False, False, True]


def test_a_number_a_narrow_column_wrapped_is_not_split():
    from extractors.grid import split_by_anchor

    numbers = Cell((0, 0, 14, 40), 0, 1, (line(word("1", 2, 2)), line(word("0", 2, 13))), 1, False, False)
    names = Cell((14, 0, 200, 40), 1, 1, (line(word("Alpha", 16, 2)), line(word("goes", 16, 13))), 1, False, False)
    row = Row((0, 0, 200, 40), (numbers, names))
    assert split_by_anchor(row) == [row]


def test_bilingual_and_two_level_headers():
    from extractors.headers import is_bilingual_header, looks_like_header
    from extractors.stitch import header_texts

    assert is_bilingual_header("Ngày giao dịch (Trans.Date)") and is_bilingual_header("STT (No)")
    assert not is_bilingual_header("Bộ Công an (BCA)") and not is_bilingual_header("Bộ Tài chính (Nhiệm vụ Bộ)")
    assert looks_like_header(["STT (No)", "Ngày giao dịch (Trans.Date)", "Diễn giải (Txn. Description)"])
    rows = [[(0, 1, "STT"), (1, 2, "Cơ quan thực hiện"), (3, 1, "Thời hạn")], [(1, 1, "Chủ trì"), (2, 1, "Phối hợp")]]
    assert header_texts(rows, 4) == ["STT", "Cơ quan thực hiện / Chủ trì", "Cơ quan thực hiện / Phối hợp", "Thời hạn"]


def test_ruled_blocks_with_a_gap_on_one_page_are_one_table():
    edges = (0, 40, 200, 300)
    header = _row(0, 20, _cell(0, "STT (No)", (0, 0, 40, 20)), _cell(1, "Diễn giải (Description)", (40, 0, 200, 20)),
                  _cell(2, "Số tiền (Amount)", (200, 0, 300, 20)))
    one = _row(20, 40, _cell(0, "1", (0, 20, 40, 40)), _cell(1, "Alpha", (40, 20, 200, 40)),
               _cell(2, "1.000", (200, 20, 300, 40)))
    two = _row(46, 66, _cell(0, "2", (0, 46, 40, 66)), _cell(1, "Beta", (40, 46, 200, 66)),
               _cell(2, "2.000", (200, 46, 300, 66)))
    far = _row(200, 220, _cell(0, "3", (0, 200, 40, 220)), _cell(1, "Gamma", (40, 200, 200, 220)),
               _cell(2, "3.000", (200, 200, 300, 220)))
    frags = (Fragment(1, (0, 0, 300, 40), edges, (header, one)), Fragment(1, (0, 46, 300, 66), edges, (two,)),
             Fragment(1, (0, 200, 300, 220), edges, (far,)))
    first, second = stitch([PageContent(1, 400, 600, "text", 100, (), frags)])
    assert [r.text_at(0) for r in first.rows] == ["STT (No)", "1", "2"] and first.rows[0].kind == "header"
    assert [r.text_at(0) for r in second.rows] == ["3"]  # too far below: another table
