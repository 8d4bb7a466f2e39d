"""The task tables of the sample corpus come out exactly as the ground truth says.

The PDFs in raw/ are rendered from tests/fixtures/groundtruth/*.json; here they are
read back with the extractor and compared row by row, cell by cell.
"""

from __future__ import annotations

import pytest

from extractors.document import extract_document
from tests.conftest import RAW, load_spec, table_specs
from tests.fixtures.ratchet import record

pytestmark = pytest.mark.slow  # reads whole documents, OCRs or runs the pipeline


def _norm(text: str) -> str:
    return " ".join(text.split())


def _expected_rows(table: dict) -> list[tuple[str, list[str]]]:
    return [(r["kind"], [_norm(c) for c in r["cells"] if _norm(c)]) for r in table["rows"]]


@pytest.fixture(scope="module", params=table_specs())
def sample(request):
    name = request.param
    return load_spec(name), extract_document(RAW / f"{name}.pdf")


def test_every_row_every_cell_exact(sample):
    spec, doc = sample
    expected_tables = spec["appendix"]["tables"]
    exact = total = 0
    for exp, got in zip(expected_tables, doc.tables):
        body = [(r.kind, [c.text for c in r.cells if c.text]) for r in got.rows if r.kind != "header"]
        want = _expected_rows(exp)
        exact += sum(a == b for a, b in zip(body, want))
        total += max(len(body), len(want))
    total += sum(len(t["rows"]) for t in expected_tables[len(doc.tables):])
    record("sample-corpus", {f"{spec['name']} rows exact": exact / total})
    assert len(doc.tables) == len(expected_tables)
    for exp, got in zip(expected_tables, doc.tables):
        assert [_norm(h) for h in got.headers] == [_norm(h) for h in exp["columns"]]
        body = [(r.kind, [c.text for c in r.cells if c.text]) for r in got.rows if r.kind != "header"]
        assert body == _expected_rows(exp)


def test_provenance_spans_cover_the_pages_of_each_row(sample):
    _, doc = sample
    for table in doc.tables:
        for row in table.rows:
            pages = [p for p, _ in row.spans]
            assert pages == sorted(set(pages))
            assert pages == list(range(pages[0], pages[-1] + 1))
            for _, (x0, top, x1, bottom) in row.spans:
                assert x0 < x1 and top < bottom
            for cell in row.cells:
                assert cell.page == pages[0] or cell.page in pages


def test_07_ct_ttg_has_its_112_tasks():
    doc = extract_document(RAW / "07_CT-TTg.pdf")
    (table,) = doc.tables
    groups: dict[str, int] = {}
    current = None
    for row in table.rows:
        if row.kind == "section":
            current = row.cells[0].text
        elif row.kind == "data":
            groups[current] = groups.get(current, 0) + 1
    assert groups == {"A": 26, "B": 81, "C": 5}
    assert sum(groups.values()) == 112
