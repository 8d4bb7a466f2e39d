"""Rows of a chart of accounts with no rules between them (synthetic geometry, as the
Công báo prints Phụ lục II of Thông tư 99/2025/TT-BTC; see
tests/tables/test_congbao_tables.py for the real pages): sub-accounts that happen
to be as many as the accounts beside them, a sub-account number centred beside its
name's two lines, a heading standing alone between accounts, a numbering going on over
a page break."""

from extractors.grid import split_by_anchor
from extractors.layout import Cell, Line, Row, Word
from extractors.stitch import _counts_on, row_kind

CHAR = 5.0
EDGES = (0, 30, 60, 100, 300)


def _line(text, x, y):
    return Line((Word(text, x, y, x + CHAR * len(text), y + 10, CHAR, CHAR),))


def _row(bottom, *columns):
    """A ruled box (0, 0)-(300, bottom) of four columns; `columns[k]` lists (text, y) of its lines."""
    cells = tuple(Cell((EDGES[k], 0, EDGES[k + 1], bottom), k, 1,
                       tuple(_line(t, EDGES[k] + 2, y) for t, y in lines)) for k, lines in enumerate(columns))
    return Row((0, 0, 300, bottom), cells)


def _texts(rows):
    return [[c.text for c in r.cells] for r in rows]


def test_sub_accounts_as_many_as_the_accounts_start_rows_of_their_own():
    row = _row(180, [("50", 2), ("51", 150)], [("411", 2), ("412", 150)], [("4111", 28), ("4112", 54)],
               [("Von", 2), ("Von gop", 28), ("Thang du", 54), ("Chenh lech", 150)])
    assert _texts(split_by_anchor(row)) == [["50", "411", "", "Von"], ["", "", "4111", "Von gop"],
                                            ["", "", "4112", "Thang du"], ["51", "412", "", "Chenh lech"]]


def test_a_centred_sub_account_takes_the_first_line_of_its_name():
    row = _row(90, [("56", 2)], [("421", 2)], [("4211", 36), ("4212", 70)],
               [("Loi nhuan", 2), ("Loi nhuan luy ke", 28), ("nam truoc", 41), ("nam nay", 70)])
    assert _texts(split_by_anchor(row)) == [["56", "421", "", "Loi nhuan"],
                                            ["", "", "4211", "Loi nhuan luy ke nam truoc"],
                                            ["", "", "4212", "nam nay"]]


def test_a_heading_between_blank_bands_is_a_row_of_its_own():
    row = _row(120, [("33", 2), ("34", 100)], [("244", 2), ("331", 100)], [],
               [("Ky quy", 2), ("LOAI TAI KHOAN NO", 50), ("Phai tra", 100)])
    assert _texts(split_by_anchor(row)) == [["33", "244", "", "Ky quy"], ["", "", "", "LOAI TAI KHOAN NO"],
                                            ["34", "331", "", "Phai tra"]]


def test_a_number_wrapped_in_one_cell_is_still_one_row():
    row = _row(40, [("1", 2), ("2", 26)], [], [], [("Alpha", 2), ("goes on", 13), ("Beta", 26)])
    assert _texts(split_by_anchor(row)) == [["1", "", "", "Alpha goes on"], ["2", "", "", "Beta"]]


def test_a_heading_in_capitals_alone_is_a_section():
    assert row_kind([(0, 1, ""), (1, 1, ""), (2, 1, ""), (3, 1, "LOẠI TÀI KHOẢN NỢ PHẢI TRẢ")], 4, 0) == "section"
    assert row_kind([(0, 1, ""), (1, 1, ""), (2, 1, ""), (3, 1, "Phải trả cho người bán")], 4, 0) == "data"
    assert row_kind([(0, 1, "34"), (1, 1, "331"), (2, 1, ""), (3, 1, "THUẾ GTGT PHẢI NỘP")], 4, 0) == "data"
    assert row_kind([(0, 1, ""), (1, 1, ""), (2, 1, ""), (3, 1, "TSCĐ")], 4, 0) == "data"


def test_a_numbering_going_on_over_a_page_break():
    assert _counts_on("4211", "4212") and _counts_on("5", "6.")
    assert not _counts_on("4212", "4211") and not _counts_on("", "6")
    assert not _counts_on("15/3/2025", "30/6/2025")  # two dates of one cut cell
