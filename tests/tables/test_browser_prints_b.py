"""Browser prints on seeds the first corpus does not draw (tests/fixtures/browser.py), read back as the pipeline does.

Six documents picked from the sweep of bench/bench_browser.py, each for a way the print broke
the reading before (issue 17, "documents that no test has seen"):

- a grid whose section row spans the columns between two deadlines merged over rows: no side
  rule is made up where a merged cell's neighbours stop (`grid.open_side_rules`);
- separate borders: a merged deadline the page cuts, its neighbours closing their boxes short
  of the page's edge (`grid._is_open`), and the sliver the cut row leaves at the next page's
  head (`stitch._inherit_merged`);
- a grid whose merged cell's next line is printed under the rules where the page cuts them
  (`stitch._spilled`);
- horizontal rules only: a section heading wrapped under itself (`grid.split_at_prose`), a
  section row whose words start at a column edge (`grid._labelled_across`), two tables one under
  the other with a heading between them (`grid.split_at_joints`), pages holding one rule or none
  (`grid.lone_rule_table`, extractors/cutrows.py), columns at the joints of the rules' pieces.

Targets >= 0.99 on every figure (`record("browser-prints-b", ...)`: the ratchet).
"""

from __future__ import annotations

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
    """The documents, named by their seed too: the same list every time."""
    return [replace(d, name=f"s{seed}_{d.name}") for seed, k in PICKS
            for d in (browser.corpus(seed=seed, n_docs=k + 1)[k],)]


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    if browser.chromium() is None:
        pytest.skip("Chromium is not installed (Debian: chromium)")
    return browser.render_corpus(picked(), tmp_path_factory.mktemp("browser-b"))


@pytest.fixture(scope="module")
def extracted(printed):
    return [extract_document(r.pdf) for r in printed]


@pytest.fixture(scope="module")
def scores(printed, extracted) -> Scores:
    return score_all(printed, extracted)


def test_corpus_has_the_variety_it_claims(printed):
    features = Counter(f for r in printed for f in r.doc.features)
    for f in ("grid", "separate", "hrules", "thead", "header once", "rows split", "rowspan deadlines",
              "portrait", "landscape"):
        assert features[f] >= 1, f
    assert sum(b > a for r in printed for t in r.row_pages for a, b in t) >= 20, "rows cut by a page break"
    crossing = sum(1 for r in printed for t, merges in enumerate(r.doc.merges) for row, _, n in merges
                   if r.row_pages[t][row][0] != r.row_pages[t][row + n - 1][1])
    assert crossing >= 3, "merged cells that a page break cuts"


def test_every_table_found(scores):
    assert not any(m.startswith("tables:") for ms in scores.misses.values() for m in ms), scores.report("tables")


@pytest.mark.parametrize("metric", METRICS)
def test_target(scores, metric):
    assert scores.rate(metric) >= TARGET, scores.report(metric)


def test_figures_hold(scores):
    """The ratchet: no figure of this corpus goes back (bench/figures.json)."""
    record("browser-prints-b", {m: scores.rate(m) for m in METRICS})
