"""Task tables printed by a browser (tests/fixtures/browser.py), read back as the pipeline does.

Twelve HTML pages in the three seed layouts, printed by headless Chromium: `<thead>`
repeated or the header printed once, rows cut by page breaks (where a browser draws
no rule) or kept whole, a 1px grid, a thick frame, `border-collapse: separate`,
horizontal rules only, deadlines merged over 2-3 rows (some across a page break),
portrait and landscape, the browser's own header and footer or none. Each PDF goes
through `extract_document` and `document_records`; the curated task rows are
scored against the spec (tests/fixtures/taskscore.py). Targets >= 0.99 on every figure.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from extractors.document import extract_document
from tests.fixtures import browser
from tests.fixtures.ratchet import record
from tests.fixtures.taskscore import METRICS, Scores, score_all

pytestmark = pytest.mark.slow  # reads whole documents, OCRs or runs the pipeline

TARGET = 0.99


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    if browser.chromium() is None:
        pytest.skip("Chromium is not installed (Debian: chromium)")
    return browser.render_corpus(browser.corpus(), tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="module")
def extracted(printed):
    return [extract_document(r.pdf) for r in printed]


@pytest.fixture(scope="module")
def scores(printed, extracted) -> Scores:
    return score_all(printed, extracted)


def test_corpus_has_the_variety_it_claims(printed):
    rendered = printed
    features = Counter(f for r in rendered for f in r.doc.features)
    for f in (*browser.STYLES, *browser.SEED_LAYOUTS, "thead", "header once", "rows split", "rows whole",
              "browser furniture", "no furniture", "portrait", "landscape", "rowspan deadlines"):
        assert features[f] >= 1, f
    assert sum(b > a for r in rendered for t in r.row_pages for a, b in t) >= 50, "rows cut by a page break"
    crossing = sum(1 for r in rendered for t, merges in enumerate(r.doc.merges) for row, _, n in merges
                   if r.row_pages[t][row][0] != r.row_pages[t][row + n - 1][1])
    assert crossing >= 5, "merged cells that a page break cuts"


def test_every_table_found(scores):
    assert not any(m.startswith("tables:") for ms in scores.misses.values() for m in ms), scores.report("tables")


@pytest.mark.parametrize("metric", METRICS)
def test_target(scores, metric):
    assert scores.rate(metric) >= TARGET, scores.report(metric)


def test_merged_cells_appear_once_with_their_span(printed, extracted):
    """A deadline merged over n rows is one cell with row_span n (the rows it covers inherit it)."""
    for r, doc in zip(printed, extracted):
        for t, (table, merges) in enumerate(zip(r.doc.spec["appendix"]["tables"], r.doc.merges)):
            want = Counter((" ".join(table["rows"][row]["cells"][col].split()), n) for row, col, n in merges)
            got = Counter((" ".join(c.text.split()), c.row_span) for row in doc.tables[t].rows for c in row.cells
                          if c.row_span > 1)
            assert got == want, f"{r.doc.name} table {t + 1}"


_BROWSER_LINE = re.compile(r"file://|\d{1,2}/\d{1,2}/\d{2}, \d{1,2}:\d{2}")


def test_browser_header_and_footer_are_furniture(printed, extracted):
    for r, doc in zip(printed, extracted):
        if not r.doc.header_footer:
            continue
        for page in doc.pages:
            assert not any(_BROWSER_LINE.search(l.text) for l in page.lines), f"{r.doc.name} page {page.page}"
            assert any(re.search(rf"\b{page.page}/{doc.n_pages}$", f) for f in page.furniture), \
                f"{r.doc.name} page {page.page}: {page.furniture}"


def test_figures_hold(scores):
    """The ratchet: no figure of this corpus goes back (bench/figures.json)."""
    record("browser-prints", {m: scores.rate(m) for m in METRICS})
