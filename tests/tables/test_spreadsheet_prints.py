"""Sheets printed by LibreOffice Calc (tests/fixtures/spreadsheet.py), read back as the pipeline does.

Five sheets of 150 rows (25-35 pages in all): a long list ruled in blocks with gaps
between them and the header on page 1 only, column rules only, every other row rule
missing, one rule under the header and none else (these three with a repeated bilingual
header), and a task list with a two-level
header and deadlines merged over 2-5 rows, some across page breaks. Each must come
out as one logical table, every row exact; headers and column roles right; every
merged cell once with its span, its value on every row it covers.
"""

from __future__ import annotations

from collections import Counter

import pytest

from extractors.document import extract_document
from extractors.headers import column_roles
from normalizers.records import document_records
from tests.fixtures import spreadsheet
from tests.fixtures.ratchet import record

pytestmark = pytest.mark.slow  # reads whole documents, OCRs or runs the pipeline

N_ROWS = 150
TARGET = 0.99


def norm(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    missing = spreadsheet.calc_missing()
    if missing:
        pytest.skip(f"missing: {', '.join(missing)}")
    sheets = [spreadsheet.sheet(k, N_ROWS) for k in spreadsheet.KINDS]
    pdfs = spreadsheet.render(sheets, tmp_path_factory.mktemp("sheets"))
    return {s.kind: (s, extract_document(pdf)) for s, pdf in zip(sheets, pdfs)}


@pytest.mark.parametrize("kind", spreadsheet.KINDS)
def test_one_logical_table_every_row_exact(printed, kind):
    s, doc = printed[kind]
    assert doc.n_pages >= 4, "the sheet spans pages"
    (table,) = doc.tables
    got = [tuple(norm(r.text_at(c)) for c in range(table.n_cols)) for r in table.rows if r.kind == "data"]
    want = [tuple(norm(c) for c in row) for row in s.rows]
    exact = sum((Counter(got) & Counter(want)).values())
    record("spreadsheet-prints", {f"{kind} rows exact": exact / len(want), f"{kind} rows counted": min(len(got), len(want)) / max(len(got), len(want))})
    assert exact / len(want) >= TARGET and len(got) == len(want), (exact, len(got), len(want))
    assert [norm(h) for h in table.headers] == list(s.columns)


def test_blocks_are_ruled_apart_on_the_page(printed):
    """The generator's gaps are real: more ruled blocks than pages, one table."""
    _, doc = printed["blocks"]
    assert sum(len(p.fragments) for p in doc.pages) > doc.n_pages + 5


def test_bilingual_and_two_level_headers_give_column_roles(printed):
    _, ledger = printed["columns"]
    assert column_roles(ledger.tables[0].headers)[0] == "item_no"
    assert [r.kind for r in ledger.tables[0].rows].count("header") == 1
    _, tasks = printed["tasks"]
    assert column_roles(tasks.tables[0].headers) == ["item_no", "name", "lead", "coordinators", "deadline"]


def test_merged_cells_have_their_span_and_are_inherited(printed):
    s, doc = printed["tasks"]
    want = Counter((norm(s.rows[r][c]), n, s.rows[r][0]) for r, c, n in s.merges)
    got = Counter((norm(c.text), c.row_span, row.text_at(0)) for row in doc.tables[0].rows for c in row.cells
                  if c.row_span > 1)
    assert got == want
    crossing = [m for m in s.merges if len({p for row in doc.tables[0].rows
                                            if row.kind == "data" and m[0] < int(row.text_at(0)) <= m[0] + m[2]
                                            for p, _ in row.spans}) > 1]
    assert len(crossing) >= 2, "merged cells that a page break cuts"
    tasks = {t["item_no"]: t for t in document_records("sheet", doc).tasks}
    for row in s.rows:
        assert norm(tasks[row[0]]["deadline_raw"] or "") == norm(row[4]), row[0]



def test_merged_cells_appear_once_in_the_cells_table_with_their_spans(printed):
    """What analysts read: one `cells` row per merged deadline with its row_span, and every task
    row it covers has that deadline in `tasks`."""
    s, doc = printed["tasks"]
    records = document_records("d" * 64, doc)
    merged = [c for c in records.cells if c["row_span"] > 1]
    assert Counter((norm(c["text"]), c["row_span"]) for c in merged) == \
        Counter((norm(s.rows[r][c]), n) for r, c, n in s.merges)
    deadlines = {t["item_no"]: t["deadline_raw"] for t in records.tasks}
    for r, c, n in s.merges:
        for k in range(r, r + n):
            assert norm(deadlines[s.rows[k][0]] or "") == norm(s.rows[r][c]), s.rows[k][0]
