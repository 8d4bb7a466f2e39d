"""Layouts of the layout matrix (tests/fixtures/matrix.py) drawn from seeds no other test draws,
each of which showed a way to fail (bench/bench_matrix.py; bench/README.md "Seeds no test draws"),
read back whole as the pipeline does: every figure of their task rows at 1.0 (ratchet corpus
`matrix-text-hard`). Kept apart from tests/tables/test_matrix.py so that the two run on different
workers of `make test`."""

from __future__ import annotations

import pytest

from extractors.document import extract_document
from tests.fixtures import matrix
from tests.fixtures.ratchet import record
from tests.fixtures.taskscore import score_all
from tests.tables.test_matrix import RECORDED

pytestmark = pytest.mark.slow  # renders and reads whole documents


#: layouts of seeds no test draws that each showed a way to fail (bench_matrix, seeds 30-33):
#: (producer, seed, row rules, what it holds)
HARD = (
    ("calc", 30, "all", "rows taller than a page: a sheet never breaks a row, its rules run on below the "
                        "page's foot and its item number stands in the middle of the whole row, not of the "
                        "part the page shows: one row, and one table"),
    ("libreoffice", 31, "columns", "a section heading of three lines across the columns at a page's foot and a "
                                   "one-line row under it, its number wrapped ('10' / '3' on the next page): "
                                   "the short column rules under the heading are the table's, row 103 whole"),
    ("libreoffice", 32, "header", "the rest of a narrow deadline cell the page break cut, a lone '5' at the next "
                                  "page's head under its page number: the cell's, no second page number"),
    ("stamped", 40, "columns", "the one-line rest of a row the page break cut at the next page's head, over a "
                               "section row across the columns: its column rules (18 pt, stopped by the "
                               "section row) are the table's, one table, not two"),
    ("libreoffice", 45, "all", "a justified paragraph above the table, its line before a line break stretched "
                               "word by word (17.5 pt spaces) over a line of blanks to fill in: prose, no "
                               "table of seven columns before the task table"),
    ("reportlab", 45, "all", "item 12 wrapped in its ruled box ('1' over '2' at a line pitch of 1.5: as far "
                             "apart as two rows' numbers) under the rest of row 11 the page cut, sub-item "
                             "'(1)' and item 13 after it: the numbering goes on past the sub-item, one row 12"),
    ("calc", 44, "header", "no rule but under the header, which page 1 only prints; rows of a sheet, each "
                           "number centred in a row taller than its text, page 2 holding one row whose long "
                           "cell runs on past its number: the numbers page 1 showed centred stay so on the "
                           "pages after it, no page's text taken for the rest of the row above"),
    ("reportlab", 45, "alternate", "every other row rule: the rest of row 11 and item 12 wrapped ('1' over '2' "
                                   "at a line pitch of 1.5) in one box, sub-item '(1)' and item 13 wrapped in "
                                   "the next: the box is cut where a label of another kind starts, and the "
                                   "numbering reads 12 and 13"),
    ("stamped", 44, "all", "a row the page cut before its first line: an empty ruled box 6 pt high at page "
                           "4's foot, the row's text all on page 5: the row runs over pages 4 and 5"),
    ("calc", 46, "header", "a sheet's full line ends 2 pt before the next column's text, the border kept in "
                           "the white between them: the line is its row's name, no section row across the "
                           "columns"),
    ("calc", 50, "all", "a row taller than the page (its text clipped at the foot) naming the next task's work "
                        "word for word: the next row stands at the next page's head, where its words start a "
                        "line (the sheet's truth, `spreadsheet.row_pages_by_text`)"),
    ("calc", 53, "header", "a section heading flush with the table's edge, the row under it a sheet's, its "
                           "deadline running up to the agency at word spacing (one piece of two cells): its "
                           "first words stand where the rows above start theirs, the heading heads rows 106-108"),
    ("chromium", 55, "header", "a second table's header cut by the page (its last cell's 'thực' / 'hiện' and its "
                               "lower rule on the next page) under a heading flush with the rules between the "
                               "first table's closing rule and its own: the rule over it heads a header, one table"),
    ("calc", 55, "header", "the rest of one tall row at the page's head under the header printed again, 150 pt "
                           "of white under its text, its other columns empty: the next row's words stand where "
                           "the rows' columns start, the table goes on"),
    ("stamped", 54, "header", "a section row laid out 400 pt tall under the header printed again (a writer's "
                              "spanning row): the rows under its white stand in the columns of the table's rows "
                              "on the pages before, the table goes on"),
    ("reportlab", 47, "header", "pages numbered at their head; row 18's number alone at page 3's foot (its "
                                "text all on page 4) is the row's, no page number"),
    ("chromium", 46, "alternate", "the rest of row 7 the page cut over item 8 in one box, its deadline's "
                                  "last piece '25' first in the deadline column over row 8's own deadline: "
                                  "the rest is row 7's, no centred 8"),
    ("libreoffice", 49, "columns", "column rules only; the page's head (no rule) holds one-line rows 5 and 6 "
                                   "at one line pitch, their numbers '5' over '6' in a number column as wide "
                                   "as two digits and more: no column wrapped them, rows 5 and 6, no 56"),
    ("calc", 51, "header", "the header's wrapped cell 'Dự kiến kết quả đến tháng / 6/2025' 3 pt before a centred "
                           "one-line cell: a gutter narrower than two word spaces, its words either side on "
                           "different lines, eight columns; a section heading alone under the header's rule "
                           "at page 1's foot (its rows on page 2): the table's first row, one table"),
    ("libreoffice", 50, "columns", "column rules only, a narrow number column, numbering past 100: page 7's last "
                                   "box holds 102 and 103 wrapped ('1' / '0' / '2') and the '(' of sub-item '(1)' "
                                   "the page cut ('1)' at page 8's head): the box is cut at the label's start, "
                                   "rows 102, 103 and (1) whole; item 111 cut as '1' at page 10's foot and '11' "
                                   "at page 11's head, sub-items (1)-(3) of 110 above it: one row 111"),
    ("stamped", 57, "header", "a stamp on every page, the page number run into its line ('8 Email: ...'); "
                              "the last piece '25' of a deadline the page cut alone at page 9's head, inside "
                              "the top margin band under that line: the cell's, no page number"),
    ("libreoffice", 57, "all", "header on page 1 only; the last word 'hạn' of a status cell the page cut alone "
                               "at page 13's head: a word of the header ('Thời hạn'), but in another column "
                               "than the header's: the rest of the row, no piece of the header"),
    ("calc", 57, "header", "a rule under the header only, rows of a sheet far taller than their text; row 3 "
                           "fills no result or status cell, row 4's first line starts 166 pt under its text "
                           "in five columns: the columns row 3 leaves empty tell nothing, the line keeps to "
                           "the three it shares, one table"),
    ("libreoffice", 59, "columns", "column rules only, a narrow number column, numbering past 100: item 109 "
                                   "wrapped '1' / '0' / '9' and cut after '10' at page 3's foot; page 4's first "
                                   "box (no rule at its top) holds the rest '9' over 110 and 111 wrapped alike: "
                                   "the rest is row 109's, rows 110 and 111, no '911011'"),
    ("stamped", 61, "all", "item 12 wrapped '1' over '2' in its ruled box at page 9, under the rest of row 11 "
                           "(which started on page 7 and fills page 8 without a number): no number on the "
                           "page before to go on from, yet the box above holds a cut row's rest, so the "
                           "numbering does not start at 1 here: one row 12, cut over pages 9 and 10"),
    ("libreoffice", 61, "header", "a rule under the header only, the header and row 1's first lines at page 1's "
                                  "foot, row 1's rest filling pages 2 and 3 in one justified cell (its word "
                                  "spaces wide as gutters, the number and name cells empty): the white every "
                                  "line leaves between the columns gives their edges, one table"),
    ("stamped", 61, "columns", "column rules only: the rest of row 11 (no number on the page before to go on "
                               "from) and item 12 wrapped '1' over '2' share page 9's one box, under a strip "
                               "of 5 pt between two rules with no text: the rest is cut off above the number "
                               "before the numbering is read, so it does not start at 1: one row 12"),
    ("stamped", 61, "header", "a rule under the header only, which page 1 alone prints: page 9, laid out on the "
                              "columns carried from the pages before (page 8 holds row 11's rest alone, no "
                              "number to go on from), is one band holding that rest and item 12 wrapped '1' "
                              "over '2' under it: one row 12, cut over pages 9 and 10"),
    ("reportlab", 62, "all", "item 12 wrapped '1' over '2' in the first box under the header printed again at "
                             "page 26's head (row 11 closed on the page before), sub-items '(1)', '(2)' under "
                             "it: a start at 1 under the header cuts no number a column wrapped, one row 12"),
    ("reportlab", 65, "all", "item 12 wrapped '1' over '2' at page 14's foot under the rest of row 11, the "
                             "header printed again above that rest: one row 12, cut over pages 14 and 15"),
    ("stamped", 62, "all", "a stamp on every page, item 12 wrapped '1' over '2' under the rest of row 11 at "
                           "page 12's head, the header printed again above it: one row 12, cut over pages "
                           "12 and 13"),
    ("calc", 64, "all", "a narrow deadline column: the sheet's 'Quý II/2025' runs up to its cell's ruled "
                        "side and the next cell's 'Bộ' starts 0.7 pt past it, one word to the word spacing: "
                        "two words at the rule, the deadline alone"),
    ("calc", 62, "header", "a rule under the header only, edges laid out on the header and its first rows "
                           "(columns they leave empty): under a section heading of two lines, its label "
                           "centred below its first line, row 2's first line runs over two edges yet starts "
                           "its words where the rows above start theirs: a row under the heading, one table"),
    ("libreoffice", 74, "columns", "column rules only, a narrow number column past 100: page 4's last box holds "
                                   "116 wrapped ('1' / '1' / '6') and the head '1' / '1' of 117 the page cut ('7' "
                                   "at page 5's head): rows 116 and 117, no '11611'"),
    ("libreoffice", 79, "columns", "column rules only, a narrow number column: page 2's last box holds sub-item "
                                   "'(1)' wrapped ('(' / '1' / ')') and the '(' of '(2)' the page cut ('2)' at "
                                   "page 3's head): rows (1) and (2), no '(1)('"),
    ("stamped", 75, "columns", "a stamp on every page, its red frame 4.7 pt over a column rule's top, its left "
                               "side 1.3 pt from that rule: no border of the table stops short of it, the stamp "
                               "is no row and adds no column, one table"),
    ("reportlab", 81, "header", "rules around the header only, the header printed again at page 1's foot over "
                                "one row (row 2 of section B), under row 1 and the heading over it: no table "
                                "ruled between its rows, the rows above stay under the header, one table"),
)


@pytest.mark.slow  # renders five documents (LibreOffice, Calc, a stamped print) and reads them whole
def test_hard_layouts(tmp_path):
    """The layouts of HARD, read back whole: every figure of the task rows at 1.0 when measured
    (kept by the ratchet as `matrix-text-hard`)."""
    producers = sorted({p for p, _, _, _ in HARD})
    if any(matrix.missing_tools(p) for p in producers):
        pytest.skip("missing: " + ", ".join(t for p in producers for t in matrix.missing_tools(p)))
    docs = [matrix.build(matrix.draw(seed, p, rules=rules)) for p, seed, rules, _ in HARD]
    rendered = matrix.render(docs, tmp_path)
    s = score_all(rendered, [extract_document(r.pdf) for r in rendered])
    assert s.counts["recall n"] >= 50, "rows scored"
    assert s.counts["cut rows exact n"] >= 5, "rows cut by a page break"
    for metric in RECORDED:
        assert s.rate(metric) >= 0.99, f"{metric}\n" + s.report(metric.split()[0])
    record("matrix-text-hard", {m: s.rate(m) for m in RECORDED})
