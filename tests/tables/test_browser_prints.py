"""Task tables printed by a browser (tests/fixtures/browser.py), read back as the pipeline does.

Two corpora, each kept by the ratchet under its own name:

- `browser-prints`: twelve HTML pages in the three seed layouts, printed by headless Chromium:
  `<thead>` repeated or the header printed once, rows cut by page breaks (where a browser draws
  no rule) or kept whole, a 1px grid, a thick frame, `border-collapse: separate`, horizontal
  rules only, deadlines merged over 2-3 rows (some across a page break), portrait and
  landscape, the browser's own header and footer or none.
- `browser-prints-b`: six documents on seeds the first corpus does not draw, picked from the
  sweep of bench/bench_browser.py, each for a way the print broke the reading before (issue 17,
  "documents that no test has seen"): a grid whose section row spans the columns between two
  deadlines merged over rows (no side rule is made up where a merged cell's neighbours stop,
  `grid.open_side_rules`); separate borders, a merged deadline the page cuts, its neighbours
  closing their boxes short of the page's edge (`grid._is_open`), and the sliver the cut row
  leaves at the next page's head (`stitch._inherit_merged`); a grid whose merged cell's next
  line is printed under the rules where the page cuts them (`stitch._spilled`); horizontal rules
  only: a section heading wrapped under itself (`grid.split_at_prose`), a section row whose words
  start at a column edge (`grid._labelled_across`), two tables one under the other with a heading
  between them (`grid.split_at_joints`), pages holding one rule or none (`grid.lone_rule_table`,
  extractors/cutrows.py), columns at the joints of the rules' pieces.

Each PDF goes through `extract_document` and `document_records`; the curated task rows are
scored against the spec (tests/fixtures/taskscore.py). Targets >= 0.99 on every figure.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

import pytest

from extractors.document import extract_document
from tests.fixtures import browser
from tests.fixtures.ratchet import record
from tests.fixtures.taskscore import METRICS, Scores, score_all

pytestmark = pytest.mark.slow  # reads whole documents, OCRs or runs the pipeline

TARGET = 0.99
PICKS = ((4242, 0), (31337, 6), (99, 0), (7, 3), (99, 3), (99, 7))  # (seed, document) of browser.corpus


def picked() -> list[browser.BrowserDoc]:
    """The documents of `browser-prints-b`, named by their seed too: the same list every time."""
    return [replace(d, name=f"s{seed}_{d.name}") for seed, k in PICKS
            for d in (browser.corpus(seed=seed, n_docs=k + 1)[k],)]


#: corpus -> (its documents, the features it must hold, rows cut by a page break, merged cells a break cuts)
CORPORA = {
    "browser-prints": (browser.corpus, (*browser.STYLES, *browser.SEED_LAYOUTS, "thead", "header once", "rows split",
                                        "rows whole", "browser furniture", "no furniture", "portrait", "landscape",
                                        "rowspan deadlines"), 50, 5),
    "browser-prints-b": (picked, ("grid", "separate", "hrules", "thead", "header once", "rows split",
                                  "rowspan deadlines", "portrait", "landscape"), 20, 3),
}


@pytest.fixture(scope="module", params=list(CORPORA))
def corpus(request, tmp_path_factory):
    """(name, printed documents, their extractions, their scores)."""
    if browser.chromium() is None:
        pytest.skip("Chromium is not installed (Debian: chromium)")
    name = request.param
    printed = browser.render_corpus(CORPORA[name][0](), tmp_path_factory.mktemp(name))
    extracted = [extract_document(r.pdf) for r in printed]
    return name, printed, extracted, score_all(printed, extracted)


def test_corpus_has_the_variety_it_claims(corpus):
    name, printed, _, _ = corpus
    _, claimed, cut_rows, cut_merges = CORPORA[name]
    features = Counter(f for r in printed for f in r.doc.features)
    for f in claimed:
        assert features[f] >= 1, f
    assert sum(b > a for r in printed for t in r.row_pages for a, b in t) >= cut_rows, "rows cut by a page break"
    crossing = sum(1 for r in printed for t, merges in enumerate(r.doc.merges) for row, _, n in merges
                   if r.row_pages[t][row][0] != r.row_pages[t][row + n - 1][1])
    assert crossing >= cut_merges, "merged cells that a page break cuts"


def test_every_table_found(corpus):
    scores: Scores = corpus[3]
    assert not any(m.startswith("tables:") for ms in scores.misses.values() for m in ms), scores.report("tables")


@pytest.mark.parametrize("metric", METRICS)
def test_target(corpus, metric):
    scores: Scores = corpus[3]
    assert scores.rate(metric) >= TARGET, scores.report(metric)


def test_merged_cells_appear_once_with_their_span(corpus):
    """A deadline merged over n rows is one cell with row_span n (the rows it covers inherit it)."""
    _, printed, extracted, _ = corpus
    for r, doc in zip(printed, extracted):
        for t, (table, merges) in enumerate(zip(r.doc.spec["appendix"]["tables"], r.doc.merges)):
            want = Counter((" ".join(table["rows"][row]["cells"][col].split()), n) for row, col, n in merges)
            got = Counter((" ".join(c.text.split()), c.row_span) for row in doc.tables[t].rows for c in row.cells
                          if c.row_span > 1)
            assert got == want, f"{r.doc.name} table {t + 1}"


_BROWSER_LINE = re.compile(r"file://|\d{1,2}/\d{1,2}/\d{2}, \d{1,2}:\d{2}")


def test_browser_header_and_footer_are_furniture(corpus):
    _, printed, extracted, _ = corpus
    for r, doc in zip(printed, extracted):
        if not r.doc.header_footer:
            continue
        for page in doc.pages:
            assert not any(_BROWSER_LINE.search(l.text) for l in page.lines), f"{r.doc.name} page {page.page}"
            assert any(re.search(rf"\b{page.page}/{doc.n_pages}$", f) for f in page.furniture), \
                f"{r.doc.name} page {page.page}: {page.furniture}"


def test_figures_hold(corpus):
    """The ratchet: no figure of this corpus goes back (bench/figures.json)."""
    name, _, _, scores = corpus
    record(name, {m: scores.rate(m) for m in METRICS})
