"""A real office scan read back against its list transcribed by hand (issue 17, cause 3).

`vn-lamdong/ttr409-cat-hoidong-scan.pdf`: five pages from a sheet-fed scanner, 100-dpi
colour JPEG, no text layer. Its list of council members (STT / Họ và tên / Chức vụ / Đơn
vị công tác / Chức danh) starts on PDF p.5 and continues on PDF p.4 (the pages were fed
out of order), the header printed once, two inserted rows without a number. The truth is
tests/fixtures/groundtruth-real/ttr409.json, transcribed from page renders.

The pages go through `extract_document` as the pipeline reads them: low-resolution pages
are prepared (`extractors/scan_prep.py`), the grid found, the cells OCR'd, the two pieces
stitched into one table in the order of the list (`stitch.adopt_headerless`).
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from extractors.document import extract_document
from normalizers.records import cell_rows
from normalizers.repair import repair_text
from tests.fixtures.ratchet import record

pytestmark = pytest.mark.slow  # reads whole documents, OCRs or runs the pipeline

TRUTH = Path(__file__).resolve().parents[1] / "fixtures" / "groundtruth-real" / "ttr409.json"
PAIR_RATIO = 80.0
# The scan targets for the rows of such a list and for names (as the curated cells give them);
# the other figures are recorded.
TARGET = {"rows": 0.98, "precision": 0.98, "names exact, curated": 0.80}


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.fixture(scope="module")
def truth() -> dict:
    return json.loads(TRUTH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def extracted(realworld, truth):
    path = realworld / truth["file"]
    if not path.is_file():
        pytest.skip(f"{path} is not present")
    return extract_document(path)


def _data_rows(doc):
    return [(t, r) for t in doc.tables for r in t.rows if r.kind == "data"]


def _curated_names(doc) -> dict[int, str]:
    """The name (column 2) of each data row as the curated cells table gives it (`cell_rows`:
    a person's name read by OCR mended against the name registry), by the row's id."""
    methods = {p.page: p.method for p in doc.pages}
    out = {}
    for t in doc.tables:
        cells = {(c["row_no"], c["col_no"]): c["text"] for c in cell_rows("ttr409", t, methods)}
        for row_no, r in enumerate(t.rows, start=1):
            out[id(r)] = cells.get((row_no, 2), "")
    return out


def test_the_list_is_one_table_with_its_header_in_the_order_of_the_list(extracted, truth):
    tables = [t for t in extracted.tables if t.n_cols == len(truth["columns"])]
    assert len(tables) == 1, [(t.n_cols, t.pages) for t in extracted.tables]
    (table,) = tables
    assert table.pages == (4, 5)
    assert [_norm(h) for h in table.headers] == truth["columns"]
    numbers = [r.text_at(0) for r in table.rows if r.kind == "data" and r.text_at(0).isdigit()]
    assert numbers[0] == "1" and numbers[-1] == "13"


def test_rows_of_the_list(extracted, truth):
    want = truth["rows"]
    got = [r for _, r in _data_rows(extracted)]
    curated = _curated_names(extracted)
    scores = {"rows": 0, "precision": 0, "item_no": 0, "names exact": 0, "names exact, repaired": 0,
              "names exact, curated": 0, "pages": 0}
    start, misses = 0, []
    for row in want:
        name = row["cells"][1]
        best = max(range(start, len(got)), key=lambda k: fuzz.ratio(name, _norm(got[k].text_at(1))), default=None)
        if best is None or fuzz.ratio(name, _norm(got[best].text_at(1))) < PAIR_RATIO:
            misses.append(name)
            continue
        g = got[best]
        start = best + 1
        scores["rows"] += 1
        scores["precision"] += 1
        scores["item_no"] += _norm(g.text_at(0)) == row["cells"][0]
        scores["names exact"] += _norm(g.text_at(1)) == name
        scores["names exact, repaired"] += _norm(repair_text(g.text_at(1))) == name  # as task names are repaired
        scores["names exact, curated"] += _norm(curated[id(g)]) == name  # as the curated cells table
        scores["pages"] += [p for p, _ in g.spans] == [row["page"]]
    figures = {"rows": scores["rows"] / len(want), "precision": scores["precision"] / max(len(got), 1),
               "item_no": scores["item_no"] / len(want), "names exact": scores["names exact"] / len(want),
               "names exact, repaired": scores["names exact, repaired"] / len(want),
               "names exact, curated": scores["names exact, curated"] / len(want),
               "pages": scores["pages"] / len(want)}
    record("scan-real-ttr409", figures)
    for metric, target in TARGET.items():
        assert figures[metric] >= target, (metric, figures, misses)
    assert figures["pages"] == 1.0, figures
