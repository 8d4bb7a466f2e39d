"""A task table ruled around its header only (no column rule, no rule between rows): on the
header's page, the rows under the header's lower rule are the table's body
(`headed.headed_tables`): one row per task, names whole, the section row alone."""

from __future__ import annotations

import pdfplumber
import pytest

from extractors.document import extract_document
from extractors.grid import build_fragments, pdfplumber_cell_boxes, page_words
from tests.fixtures import matrix
from tests.fixtures.ratchet import record
from tests.fixtures.taskscore import expected_tasks, score_all


def _number(text: str) -> str:
    return "".join(text.split())  # "(1 )": a narrow column wrapped the number


def test_rows_under_the_header_rule(tmp_path):
    (r,) = matrix.render(matrix.corpus("reportlab", [0], rules="header"), tmp_path)
    tasks = expected_tasks(r.doc.spec, r.row_pages)
    first = min(t.pages[0] for t in tasks)
    whole = [t for t in tasks if t.pages == (first, first)]  # tasks the header's page holds whole
    assert len(whole) >= 3
    with pdfplumber.open(r.pdf) as pdf:
        page = pdf.pages[first - 1]
        fragments, _ = build_fragments(first, pdfplumber_cell_boxes(page), page_words(page))
    rows = [[c.text for c in row.cells] for f in fragments for row in f.rows]
    numbered = [row for row in rows if len(row) >= 4 and _number(row[0]).strip("()").isdigit()]
    assert [_number(row[0]) for row in numbered][:len(whole)] == [t.item_no for t in whole]
    for row, task in zip(numbered, whole):
        assert " ".join(row[1].split()) == task.name
    assert any(len(row) == 1 and row[0].strip() for row in rows)  # the section row, alone across the columns


#: layouts of the matrix ruled around the header only that each showed a way to fail (bench_matrix,
#: seeds 8-32): (producer, seed, what it holds)
HARD = (
    ("reportlab", 8, "section headings across the columns among the rows, a narrow deadline column "
                     "cutting words: the cell padding measured on the rows' text, not the headings'"),
    ("reportlab", 14, "the writer splits the table and prints its header again mid-page, right "
                      "under the rows: one table"),
    ("libreoffice", 9, "a paragraph after the table at the next page's head, its first line "
                       "indented: prose, no carried row"),
    ("libreoffice", 15, "a later page whose lines show two gutters inside one of the header's: the "
                        "edge no line runs over"),
    ("chromium", 19, "a section heading across the whole row wrapped onto a second line at the row's "
                     "left edge: one section row"),
    ("reportlab", 23, "a word space in a header cell ('Cơ quan chủ trì') over a column of short lines "
                      "that leave a gutter under it by chance: no column edge"),
    ("libreoffice", 22, "item numbers a narrow column wraps one digit a line, two rows' numbers "
                        "stacked ('1' '6' '1' '7' under 15): 16 and 17, no 1617"),
    ("libreoffice", 23, "the last row's rest between two rules at the next page's head, read without "
                        "columns as three rows: given back to the table above, one row"),
    # seeds 12-28 (branch hdr3)
    ("calc", 20, "a first row far taller than its text: the rows under the white are the table's "
                 "(its columns found from them, not from the first row alone)"),
    ("calc", 15, "a cell's text ending 1.4 pt short of the next column's, that column empty on its "
                 "line: the border between them, no section row"),
    ("calc", 26, "rows taller than six line heights, cells so thinly padded that a line runs to the "
                 "next cell's text at word spacing: the rows go on where their columns' text starts"),
    ("chromium", 24, "the browser's print line at the page's foot, left of the table: no heading of "
                     "rows"),
    ("chromium", 23, "the second table's header cut by the page break, its lower rule on the next "
                     "page under the header's rest: one header, its rows carried on the later pages"),
    ("libreoffice", 26, "a heading under the first table's closing rule over the second table; a "
                        "section heading the page cuts, its last word under the header printed again"),
    ("stamped", 27, "a heading at the next page's head over the second table's header: no rows of "
                    "the first table"),
    ("reportlab", 30, "a cell's last lines, the same words at the foot of four pages, taken for a "
                      "recurring band: the cell's text, the table runs to the page's foot"),
    ("calc", 30, "two header cells 4.8 pt apart (twice the header's word space), the later column "
                 "mostly empty: two columns; a row's text running past the page's foot"),
    ("reportlab", 32, "rules under the header only, one box of rows: two short rows' numbers '6' over "
                      "'7' a row's padding apart, most of the box's steps from row to row: two rows, "
                      "no 67 (the line pitch is the tightest step that repeats, not the middle one)"),
    ("libreoffice", 37, "a row over five pages, one word a line in its last column, the header on the "
                        "first page only: the page the row ends on reaches its foot only with the "
                        "whole table's columns, and the pages after it are carried too"),
    ("calc", 42, "a name's wrapped line running 1.8 pt over its cell's border, the next cell's text at word "
                 "spacing after it (or nothing): the border in the white between the two, no section row "
                 "across the columns"),
)


@pytest.mark.slow  # renders twenty documents with five producers and reads them whole
def test_hard_layouts_ruled_around_the_header(tmp_path):
    """The layouts of HARD, read back whole: every figure of the task rows at 1.0 when measured
    (kept by the ratchet as `matrix-text-header-hard`)."""
    producers = sorted({p for p, _, _ in HARD})
    if any(matrix.missing_tools(p) for p in producers):
        pytest.skip("missing: " + ", ".join(t for p in producers for t in matrix.missing_tools(p)))
    docs = [matrix.build(matrix.draw(seed, p, rules="header")) for p, seed, _ in HARD]
    rendered = matrix.render(docs, tmp_path)
    s = score_all(rendered, [extract_document(r.pdf) for r in rendered])
    assert s.counts["recall n"] >= 150, "rows scored"
    for metric in ("recall", "precision", "name exact", "cut rows exact", "item_no", "section", "deadline"):
        assert s.rate(metric) >= 0.99, f"{metric}\n" + s.report(metric.split()[0])
    record("matrix-text-header-hard", {m: s.rate(m) for m in
                                       ("recall", "precision", "name exact", "cut rows exact", "item_no", "section",
                                        "deadline", "pages")})


@pytest.mark.slow  # renders a LibreOffice document and reads it whole
def test_header_alone_at_a_page_foot(tmp_path):
    """A second table's header printed alone at a page's foot (LibreOffice 22: nothing under its
    lower rule), its rows on the pages after it: one table, its rows read with its columns (before:
    the header was lost and the rows were a headerless table of their own, recall 0.35)."""
    if matrix.missing_tools("libreoffice"):
        pytest.skip("missing: " + ", ".join(matrix.missing_tools("libreoffice")))
    (r,) = matrix.render([matrix.build(matrix.draw(22, "libreoffice", rules="header"))], tmp_path)
    tasks = expected_tasks(r.doc.spec, r.row_pages)
    doc = extract_document(r.pdf)
    assert len(doc.tables) == len({t.table for t in tasks})
    second = doc.tables[1]
    first_rows = min(t.pages[0] for t in tasks if t.table == 2)
    assert min(second.pages) == first_rows - 1, "the header's page, above its first rows"
    assert any("Nội dung nhiệm vụ" in h for h in second.headers)
    s = score_all([r], [doc])
    assert s.rate("recall") >= 0.95 and s.rate("precision") >= 0.95, s.report("recall")
