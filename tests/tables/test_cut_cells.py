"""Words cut by narrow columns and rows cut by page breaks, as the variety corpus met them.

Each case is the geometry a real producer (reportlab or LibreOffice) drew, reduced to
synthetic lines: every glyph `CHAR` points wide unless a word says otherwise.
"""

from types import SimpleNamespace

from extractors.celltext import is_syllable, join_lines
from extractors.grid import _at_labels, _cut_readings, _rest_readings
from extractors.headers import looks_like_header
from extractors.layout import Cell, Line, Row, Word
from extractors.stitch import (_Part, _PendingCell, _PendingRow, _number_before, _rest_of_label, _rest_of_number,
                               is_continuation)

CHAR = 5.0
SPACE = 2.5


def line(*texts: str, x: float = 0.0, char: float = CHAR) -> Line:
    words = []
    for t in texts:
        words.append(Word(t, x, 0, x + char * len(t), 10, char, char))
        x += char * len(t) + SPACE
    return Line(tuple(words))


def test_line_starting_with_closing_punctuation_continues_the_token():
    assert join_lines([line("III"), line(".")], 0, 16) == "III."
    assert join_lines([line("hoàn", "thành"), line(",", "khai", "thác")], 0, 60) == "hoàn thành, khai thác"


def test_date_cut_before_its_slash_is_rejoined():
    assert join_lines([line("31/10"), line("/2025")], 0, 27) == "31/10/2025"


def test_word_started_mid_line_is_rejoined_through_its_middle_piece():
    # reportlab starts a word wider than the column after "Quý " and cuts it twice.
    assert join_lines([line("Quý", "I"), line("I/202"), line("5")], 0, 26) == "Quý II/2025"
    # "thường": "t" ends a full line, "hườn" fills the next alone, "g" ends it.
    lines = [line("hiện", "t"), line("hườn", char=6.5), line("g", "xuyên")]
    assert join_lines(lines, 0, 27.5) == "hiện thường xuyên"


def test_pieces_are_tested_as_the_word_glued_so_far():
    # "GIA" + "N" is one syllable, "GIAN" + "HO" is not: two words, each cut.
    lines = [line("GIA"), line("N"), line("HO"), line("ÀN")]
    assert join_lines(lines, 0, 15.5) == "GIAN HOÀN"


def test_vowel_less_small_letters_are_no_word():
    assert join_lines([line("Vietinba"), line("nk,")], 0, 40.5) == "Vietinbank,"


def test_capitals_of_a_code_and_single_capitals_are_rejoined():
    assert join_lines([line("01/KHPH-B"), line("CA-NHNNVN")], 0, 45.5) == "01/KHPH-BCA-NHNNVN"
    assert join_lines([line("các", "C", char=3.0), line("SDL")], 0, 18) == "các CSDL"


def test_two_abbreviations_after_other_words_keep_their_space():
    assert join_lines([line("(01", "DVC"), line("BHXH")], 0, 33) == "(01 DVC BHXH"


def test_range_cut_after_its_hyphen_is_rejoined():
    assert join_lines([line("từ", "1%-"), line("1,5%/năm")], 0, 40) == "từ 1%-1,5%/năm"


def test_hyphen_between_small_letters_keeps_its_space():
    assert join_lines([line("đúng", "-", "đủ-"), line("sạch", "-", "sống")], 0, 60) == "đúng - đủ- sạch - sống"
    assert join_lines([line("tỉnh/"), line("thành", "phố")], 0, 40) == "tỉnh/thành phố"


def test_line_ending_with_an_opening_bracket_is_cut_inside_the_token():
    assert join_lines([line("("), line("2)")], 0, 8) == "(2)"


def test_syllables_have_one_tone_and_a_known_vowel_nucleus():
    assert is_syllable("xuyên") and is_syllable("Thường") and is_syllable("quyết")
    assert not is_syllable("vàủy")  # two tone marks
    assert not is_syllable("choông")  # no such nucleus


def test_body_cell_containing_header_words_is_not_a_header():
    body = ["", "chính trong thực hiện nhiệm vụ khoa học công nghệ, đổi mới sáng tạo và chuyển đổi số", "", "",
            "quyết, chương trình hành động, thông báo kết luận cho các đơn vị để thực hiện"]
    assert not looks_like_header(body)


# ---------------------------------------------------------------- rows cut by a page break


def _cell(col: int, span: int, text: str) -> Cell:
    return Cell((col * 50.0, 0, (col + span) * 50.0, 20), col, span, (line(*text.split()),) if text else ())


def _row(*cells: tuple[int, int, str]) -> Row:
    return Row((0, 0, 250, 20), tuple(_cell(*c) for c in cells))


def _pending(kind: str, *cells: tuple[int, int, str]) -> _PendingRow:
    parts = [_PendingCell(c, s, 0, 50, [_Part(1, (0, 0, 50, 20), (line(*t.split()),))]) for c, s, t in cells]
    return _PendingRow(kind, parts, [(1, (0, 0, 250, 20))])


def test_rest_of_a_cut_labelled_section_has_only_the_cut_label_piece():
    prev = _pending("section", (0, 1, "III"), (1, 4, "Khẩn trương hoàn thiện thể chế"))
    rest = _row((0, 1, "."), (1, 4, "đang cản trở sự phát triển"))
    assert is_continuation(prev, rest, "section", ".")
    new = _row((0, 1, "IV."), (1, 4, "Phát triển hạ tầng số"))
    assert not is_continuation(prev, new, "section", "IV.")


def test_rest_of_a_one_cell_section_goes_on_in_lower_case():
    prev = _pending("section", (0, 5, "Nhiệm vụ giao Bộ trưởng, Thủ trưởng cơ quan ngang bộ,"))
    assert is_continuation(prev, _row((0, 5, "cơ quan thuộc Chính phủ chỉ đạo")), "section", "")
    assert not is_continuation(prev, _row((0, 5, "Nhiệm vụ giao Bộ Tư pháp chỉ đạo")), "section", "")


def test_rest_of_a_cut_header_row_continues_the_header():
    prev = _pending("header", (0, 1, "TT"), (1, 1, "Tên nhiệm vụ"), (2, 1, "Thời hạn"))
    rest = _row((0, 1, ""), (1, 1, ""), (2, 1, "hoàn thành"))
    assert is_continuation(prev, rest, "data", "")
    assert not is_continuation(prev, _row((0, 1, "1"), (1, 1, "Xây dựng"), (2, 1, "2025")), "data", "1")


def test_rest_of_a_cut_header_may_hold_header_words_in_every_cell():
    prev = _pending("header", (0, 1, ""), (1, 1, "NỘI DUNG NHIỆM VỤ"), (2, 1, "THỜI"))
    assert is_continuation(prev, _row((0, 1, "T T"), (1, 1, ""), (2, 1, "HẠN")), "data", "T T")


def test_sub_item_label_cut_by_a_page_break_is_the_rest_of_its_row():
    # "(" alone at a page's foot (column rules only), "1)" at the next page's head: sub-item (1).
    prev = _pending("data", (0, 1, "("), (1, 1, "Ban hành, triển khai các chiến lược"))
    assert _rest_of_label(prev, "1)", 0)
    assert not _rest_of_label(prev, "2", 0)  # "(2" is no label
    whole = _pending("data", (0, 1, "103"), (1, 1, "Xây dựng Đề án"))
    assert not _rest_of_label(whole, "1)", 0)


def test_number_cut_by_a_page_break_goes_on_past_sub_items():
    # item 110, its sub-items (1) to (3), then "1" at the page's foot and "11" at the next
    # page's head: one item 111, not rows 1 and 11.
    rows = [_pending("data", (0, 1, "110"), (1, 1, "Khắc phục")), *(_pending("data", (0, 1, f"({k})"), (1, 1, "x"))
                                                                   for k in (1, 2, 3)),
            _pending("data", (0, 1, "1"), (1, 1, "Chủ trì phối hợp"))]
    assert _rest_of_number(SimpleNamespace(rows=rows), rows[-1], "11", [], 0)
    assert not _rest_of_number(SimpleNamespace(rows=rows), rows[-1], "2", [], 0)  # 12 is no 111
    assert _number_before(rows[:-1], 0) == "110"


def test_rest_of_a_number_cut_by_a_page_break_heads_the_next_page():
    # item 109 wrapped "1" / "0" / "9", the page cut after "10": "9" at the next page's head over
    # 110 and 111, wrapped alike. The rest is the tail of the number before the first one read.
    assert (110, [1, 4]) in _rest_readings(["9", "1", "1", "0", "1", "1", "1"])
    assert _rest_readings(["9", "1", "0"]) == []  # 9 over 10: two numbers, "9" is no tail of 9
    assert _rest_readings(["1", "2", "1", "3"]) == []  # 12 and 13 wrapped: nothing left over


def test_head_of_a_number_cut_by_a_page_break_ends_the_page():
    # item 116 wrapped "1" / "1" / "6" over "1" / "1" of 117 at the page's foot, its "7" at the
    # next page's head: 116 and the head "11", which the stitcher glues to "7".
    assert (116, [0, 3]) in _cut_readings(["1", "1", "6", "1", "1"])
    assert _cut_readings(["1", "2"]) == []  # 1 over 2: 12 whole, or 1 and 2; no head is left over
    assert _cut_readings(["1", "1", "6", "1", "2"]) == []  # "12" is no start of 117
    assert (9, [0, 1]) in _cut_readings(["9", "1"])  # 9, then "1" of 10 the page cut


def _cell_lines(*texts, pitch=12.0):
    return tuple(Line((Word(t, 0, k * pitch, 6 * len(t), k * pitch + 10, 6, 6),)) for k, t in enumerate(texts))


def test_start_of_a_sub_item_cut_by_a_page_break_is_cut_from_the_label_over_it():
    # "(1)" wrapped in a narrow column ("(" / "1" / ")"), then "(" of "(2)" at the page's foot, its
    # "2)" at the next page's head: two rows, "(1)" and "(".
    first = Cell((0, 0, 20, 48), 0, 1, _cell_lines("(", "1", ")", "("), open_bottom=True)
    name = Cell((20, 0, 200, 48), 1, 1, (Line((Word("Triển", 22, 0, 50, 10, 6, 6),)),
                                         Line((Word("Đôn", 22, 36, 45, 46, 6, 6),))), open_bottom=True)
    parts = _at_labels(Row((0, 0, 200, 48), (first, name)))
    assert [[l.text for l in p.cells[0].lines] for p in parts] == [["(", "1", ")"], ["("]]
    assert [[l.text for l in p.cells[1].lines] for p in parts] == [["Triển"], ["Đôn"]]
    closed = Cell((0, 0, 20, 48), 0, 1, _cell_lines("(", "1", ")", "("))
    assert len(_at_labels(Row((0, 0, 200, 48), (closed, name)))) == 1  # not cut by the page: no label's start
