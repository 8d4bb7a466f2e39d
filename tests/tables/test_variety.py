"""Table reconstruction measured on the variety corpus (tests/fixtures/variety.py).

Some 40 generated documents with known ground truth, drawn by reportlab and (when
it is installed) by LibreOffice from a Word document, are read back with
`extract_document` and `document_records`, as the pipeline runs them, and scored by
tests/fixtures/taskscore.py (shared with the browser and spreadsheet prints).
Expected rows come from the specs; the pages where each row
starts and ends come from the producer (reportlab's drawing, LibreOffice's
bookmarks), never from the extractor. Targets, over the whole corpus:

- task rows: recall and precision >= 0.995, a row matching on (section, item
  number, task name with whitespace normalised);
- task name text exact (whitespace normalised) >= 0.99;
- rows the PDF cuts with a page break: extracted exactly (every cell, item,
  section, pages) >= 0.99;
- item number, section, first and last page right >= 0.99 each;
- tables whose header gives every column its meaning (`headers.column_roles`) as
  the spec's header does >= 0.99.

A failing target prints every document's misses.
"""

from __future__ import annotations

from collections import Counter

import pytest

from extractors.document import extract_document
from tests.fixtures import render_docx
from tests.fixtures.ratchet import record
from tests.fixtures.taskscore import Scores, score_all
from tests.fixtures.variety import CUT_DEADLINES, RenderedDoc, corpus, render_corpus

pytestmark = pytest.mark.slow  # reads whole documents, OCRs or runs the pipeline

TARGET = {"recall": 0.995, "precision": 0.995, "name exact": 0.99, "cut rows exact": 0.99,
          "item_no": 0.99, "section": 0.99, "pages": 0.99, "column roles": 0.99}


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> list[RenderedDoc]:
    docs = corpus()
    if render_docx.missing_tools():
        docs = [d for d in docs if d.producer != "libreoffice"]
    return render_corpus(docs, tmp_path_factory.mktemp("variety"))


@pytest.fixture(scope="session")
def extracted(generated) -> list:
    return [extract_document(r.pdf) for r in generated]


@pytest.fixture(scope="session")
def scores(generated, extracted) -> Scores:
    return score_all(generated, extracted)


# --------------------------------------------------------------------------- the corpus itself


def test_corpus_is_deterministic():
    assert [d.spec for d in corpus()] == [d.spec for d in corpus()]


def test_corpus_has_the_variety_it_claims(generated):
    rendered = generated
    features = Counter(f for r in rendered for f in r.doc.features)
    assert len(rendered) >= 30
    for f in ("portrait", "landscape", "header not repeated", "narrow deadline", "narrow item", "intro", "prose",
              "bare", "2 tables same header", "sub-items", "sections roman", "sections letter", "sections owner"):
        assert features[f] >= 2, f
    assert {f for f in features if f.startswith("font ")} >= {"font 11", "font 12", "font 13"}
    spans = Counter(b - a for r in rendered for t in r.row_pages for a, b in t)
    assert spans[1] >= 100, "rows cut by one page break"
    assert spans[2] >= 5, "rows cut by two page breaks"
    cut_words = sum(1 for r in rendered if "narrow deadline" in r.doc.features
                    for t in r.doc.spec["appendix"]["tables"] for row in t["rows"]
                    if any(c in CUT_DEADLINES for c in row["cells"]))
    assert cut_words >= 50, "deadlines that a narrow column cuts inside the word"


def test_libreoffice_documents_are_in_the_corpus(generated):
    missing = render_docx.missing_tools()
    if missing:
        pytest.skip(f"the Word/LibreOffice producer is left out, missing: {', '.join(missing)}")
    assert sum(r.doc.producer == "libreoffice" for r in generated) >= 6


# --------------------------------------------------------------------------- the targets


def test_every_table_found(generated, extracted, scores):
    assert not any(m.startswith("tables:") for ms in scores.misses.values() for m in ms), scores.report("tables")


@pytest.mark.parametrize("metric", list(TARGET))
def test_target(scores, metric):
    assert scores.rate(metric) >= TARGET[metric], scores.report(metric)


def test_figures_hold(scores):
    """The ratchet: no figure of this corpus goes back (bench/figures.json)."""
    record("variety-text", {m: scores.rate(m) for m in TARGET})
