"""Tables without rules (extractors/unruled.py) and rows inside a ruled band without row
rules (grid.row_breaks), on words laid out as a page would hold them."""

from __future__ import annotations

from extractors.grid import build_fragments, row_breaks
from extractors.layout import Word
from extractors.unruled import add_unruled, plausible, unruled_tables
from extractors.words import group_lines
from tests.fixtures.geometry import words_at

CHAR = 5.0  # points per character of a 10 pt font
HEIGHT = 10.0


def ledger(top: float = 100.0, pitch: float = 14.0) -> list[Word]:
    rows = [("Country", "Fund", "Grants", "Total"), ("Bulgaria", "2.3", "3.2", "5.5"),
            ("Cyprus", "0.21", "0", "0.21"), ("Czech Republic", "8.8", "13.4", "22.2"), ("Estonia", "1.1", "1.9", "3.0")]
    return [w for k, row in enumerate(rows) for w in words_at(top + k * pitch, *zip((72, 200, 300, 400), row))]


def prose(top: float = 100.0, n: int = 6) -> list[Word]:
    text = ("Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ và Ủy ban nhân dân các tỉnh thành phố "
            "trực thuộc trung ương khẩn trương triển khai thực hiện các nhiệm vụ được giao tại Nghị quyết này")
    tokens = text.split()
    out = []
    for k in range(n):
        line = " ".join(tokens[(k * 12) % len(tokens):][:12])
        out += words_at(top + k * 14, (72, line))
    return out


def test_an_aligned_table_without_rules_is_found_with_a_row_per_line():
    (boxes,) = unruled_tables(group_lines(ledger()))
    assert boxes.ruled is False
    frags, free = build_fragments(1, [boxes], ledger())
    (frag,) = frags
    assert not free
    assert frag.n_cols == 4
    assert [[c.text for c in r.cells] for r in frag.rows][3] == ["Czech Republic", "8.8", "13.4", "22.2"]
    assert len(frag.rows) == 5


def test_prose_is_no_table():
    lines = group_lines(prose())
    assert not plausible(lines)
    assert add_unruled(1, [], prose()) == ([], prose())


def stretched_line(top: float) -> list[Word]:
    """A justified paragraph's line with few words on it (before a line break): each word space
    stretched to 17.5 pt, wider than a line height."""
    out, x = [], 72.0
    for token in "ngăn chặn nguy cơ tụt hậu, đưa đất nước phát triển bứt phá, giàu mạnh".split():
        out += words_at(top, (x, token))
        x = out[-1].x1 + 17.5
    return out


def test_a_justified_line_stretched_word_by_word_is_no_table():
    """A paragraph above a task table (m0045, LibreOffice): its line before a line break stretched so
    far that every word is a piece, over a line of blanks to fill in ("số      /TB-VPCP ngày"): prose,
    no table of seven columns."""
    words = [*words_at(86, (72, "(Kèm theo Thông báo số"), (220, "/TB-VPCP ngày"), (330, "tháng 11 năm 2025")),
             *prose(100, 2), *stretched_line(128), *prose(142, 3)]
    lines = group_lines(words)
    assert unruled_tables(lines) == []
    # figures in even columns leave even gaps too: a table's row, still in pieces
    figures = [w for r in range(4) for w in words_at(200 + 14 * r, *((72 + 60 * k, f"{k}.{r}") for k in range(8)))]
    (boxes,) = unruled_tables(group_lines(figures))
    frags, _ = build_fragments(1, [boxes], figures)
    assert [len(f.rows) for f in frags] == [4] and frags[0].n_cols == 8


def test_two_blocks_side_by_side_are_no_table():
    """A Vietnamese document's heading: the agency on the left, the motto on the right."""
    words = [*words_at(60, (72, "BỘ TÀI CHÍNH"), (300, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")),
             *words_at(74, (72, "Số: 12/BTC-KH"), (300, "Độc lập - Tự do - Hạnh phúc")),
             *words_at(88, (300, "Hà Nội, ngày 5 tháng 3 năm 2025"))]
    assert unruled_tables(group_lines(words)) == []


def test_a_table_between_paragraphs_keeps_only_its_own_lines():
    words = [*prose(40, 3), *ledger(100), *prose(180, 3)]
    (boxes,) = unruled_tables(group_lines(words))
    frags, free = build_fragments(1, [boxes], words)
    assert len(frags[0].rows) == 5
    assert len(group_lines(free)) == 6  # the paragraphs stay prose


def test_row_breaks_split_labelled_lines_and_keep_wrapped_ones():
    edges = [70.0, 190.0, 290.0, 390.0, 460.0]
    lines = group_lines([
        *words_at(100, (72, "Bulgaria"), (200, "2.3"), (300, "3.2"), (400, "5.5")),
        *words_at(112, (72, "Cyprus"), (200, "0.21"), (300, "0"), (400, "0.21")),
        *words_at(124, (72, "Technical assistance"), (300, "0.87")),
        *words_at(136, (72, "and other costs")),  # lower case: the label wrapped
    ])
    assert row_breaks(lines, edges) == [111.0, 123.0]


def test_row_breaks_leave_a_list_inside_one_cell_alone():
    edges = [70.0, 190.0, 290.0, 390.0]
    lines = group_lines([
        *words_at(100, (72, "Xây dựng"), (200, "Bộ Công an")),
        *words_at(112, (72, "Đề án")),
        *words_at(124, (72, "Báo cáo")),
        *words_at(136, (72, "Tổng kết")),
    ])
    assert row_breaks(lines, edges) == []
