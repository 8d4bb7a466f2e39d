"""A task table ruled around its header only (no column rule, no rule between rows): on the
header's page, the rows under the header's lower rule are the table's body
(`headed.headed_tables`): one row per task, names whole, the section row alone."""

from __future__ import annotations

import pdfplumber

from extractors.grid import build_fragments, pdfplumber_cell_boxes, page_words
from tests.fixtures import matrix
from tests.fixtures.taskscore import expected_tasks


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
