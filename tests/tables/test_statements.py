"""Bank statement prints (tests/fixtures/statements.py), read back as the pipeline does.

A core banking system prints its own pages, shorter than A4, onto A4 sheets: its footer
band (a sentence and "Trang k/N") falls between two rows in the middle of each sheet, at a
position that drifts; the header is on page 1 only. Every statement must come out as ONE
logical table with its header, one row per transaction (the exact count), every cell
exact. Variants: every transaction ruled; column rules only (no rule between
transactions, each starts with its date over its reference in the first column, its
description wrapping over 1-3 lines), with each block of rows closed by rules or left
open at the band.
"""

from __future__ import annotations

from collections import Counter

import pytest

from extractors.document import extract_document
from extractors.settings import TEXT
from normalizers.records import document_records
from tests.fixtures import statements
from tests.fixtures.ratchet import record

pytestmark = pytest.mark.slow  # reads whole documents, OCRs or runs the pipeline

N_TXNS = 160
# seeds 2 of `unruled`: blocks left open at the band; 3: closed, no balance column (one amount a row)
SPECS = [("ruled", 1), ("ruled", 2), ("unruled", 1), ("unruled", 2), ("unruled", 3)]


def norm(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    out = tmp_path_factory.mktemp("statements")
    docs = {}
    for variant, seed in SPECS:
        s = statements.statement(variant, N_TXNS, seed)
        p = statements.render(s, out / f"{s.name}.pdf")
        docs[(variant, seed)] = (s, p, extract_document(p.path))
    return docs


def _rows(table):
    return [tuple(norm(r.text_at(c)) for c in range(table.n_cols)) for r in table.rows if r.kind == "data"]


def test_the_footer_band_falls_mid_page(printed):
    """The generator is what it claims: bands between rows in the middle of most sheets."""
    for s, p, doc in printed.values():
        mid = {sheet for sheet, top in p.bands if TEXT.margin_band < top / 842 < 1 - TEXT.margin_band}
        assert p.n_sheets >= 6 and len(mid) >= p.n_sheets - 2, (s.name, p.bands)
        assert len({round(top) for _, top in p.bands}) >= len(p.bands) // 2 + 2, "the band's position drifts"
        assert doc.n_pages == p.n_sheets


@pytest.mark.parametrize("spec", SPECS, ids=[f"{v}-{s}" for v, s in SPECS])
def test_one_table_one_row_per_transaction_header_found(printed, spec):
    s, p, doc = printed[spec]
    assert len(doc.tables) == 1, [(t.n_cols, len(t.rows), t.pages) for t in doc.tables]
    (table,) = doc.tables
    assert table.pages == tuple(range(1, p.n_sheets + 1))
    assert [norm(h) for h in table.headers] == list(s.columns)
    assert [r.kind for r in table.rows[:1]] == ["header"]
    got, want = _rows(table), [tuple(map(norm, r)) for r in s.rows()]
    assert len(got) == len(want), (len(got), len(want))
    exact = sum((Counter(got) & Counter(want)).values())
    assert exact == len(want), [g for g in got if g not in set(want)][:3]
    assert [g[-1] for g in got] == [w[-1] for w in want], "descriptions whole, in order"


def test_footer_bands_are_furniture_not_prose(printed):
    for s, p, doc in printed.values():
        texts = [f for page in doc.pages for f in page.furniture]
        assert sum(f.startswith("Trang ") for f in texts) == p.system_pages, s.name
        assert not any("Sao kê được in" in l.text for page in doc.pages for l in page.lines), s.name


def _cell_grid(cells) -> dict[int, list[tuple[str, ...]]]:
    """Data rows of each table as the curated `cells` rows hold them (empty cells as "")."""
    rows: dict[tuple[int, int], dict[int, str]] = {}
    n_cols: dict[int, int] = {}
    for c in cells:
        if c["row_kind"] == "data":
            rows.setdefault((c["table_no"], c["row_no"]), {})[c["col_no"]] = norm(c["text"])
        n_cols[c["table_no"]] = max(n_cols.get(c["table_no"], 0), c["col_no"])
    out: dict[int, list[tuple[str, ...]]] = {}
    for (t, _), row in sorted(rows.items()):
        out.setdefault(t, []).append(tuple(row.get(k, "") for k in range(1, n_cols[t] + 1)))
    return out


def test_statement_figures(printed):
    """Row figures over all statements, from the `cells` rows the pipeline writes (the ratchet)."""
    want_rows = found = exact = tables = 0
    for s, _, doc in printed.values():
        grid = _cell_grid(document_records(s.name, doc).cells)
        tables += len(grid)
        got = [r for rows in grid.values() for r in rows]
        want = [tuple(map(norm, r)) for r in s.rows()]
        want_rows += len(want)
        found += len(got)
        exact += sum((Counter(got) & Counter(want)).values())
    figures = {"rows": exact / want_rows, "precision": exact / max(found, 1), "one_table": len(printed) / max(tables, 1)}
    record("statements", figures)
    assert figures == {"rows": 1.0, "precision": 1.0, "one_table": 1.0}
