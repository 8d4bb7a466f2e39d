"""Scanned twins read back against the ground truth of their text twins (issue 8).

The scanned corpus (tests/fixtures/scan_corpus.py: 15 documents, 140 pages, both
producers, portrait and landscape, 200/300 dpi, tilted up to 2 degrees, pages fed
sideways, a seal and a signature over a table) is extracted with `extract_document`
and scored with tests/fixtures/scan_score.py, the item numbers and names as the
curated tables hold them (`normalizers.repair` applied) and as read.

OCR results are cached by page image (extractors/ocr_cache.py) in the session state folder
(seeded from tests/fixtures/ocr-cache): without a seed every page is read (some minutes), later
runs read only REAL_DOC, whose pages go through Tesseract every time (a fresh
cache), then a second extraction of it must read nothing.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import cv2
import numpy as np
import pytest

from extractors import ocr
from extractors.document import extract_document
from extractors.headers import column_roles
from pipeline.runtime.state import FolderStore
from tests.fixtures.scan_corpus import scan_corpus
from tests.fixtures.scan_score import (
    METRICS, ScanScores, Task, as_curated, curated_tasks, expected_tasks, extracted_tasks, pair, score,
)
from tests.fixtures.ratchet import record

pytestmark = pytest.mark.slow  # reads whole documents, OCRs or runs the pipeline

ROOT = Path(__file__).resolve().parents[2]
REAL_DOC = "v24_plan6_reportlab"  # 3 pages, one fed sideways: OCR'd for real in every run
# The issue's targets. Deadlines as curated: (kind, due) of `repair.repair_deadline_text` of
# the OCR'd cell, the deadline column known from a damaged header or, past recognition, from
# its content (`normalizers.columns`).
TARGET = {
    "recall": 0.98, "precision": 0.98, "item_no": 0.98, "name ratio": 0.97, "name exact": 0.80,
    "cut rows whole": 0.95, "lead": 0.97, "deadline": 0.97, "status": 0.97, "pages": 0.98,
}
TARGET_RAW = {"recall": 0.98, "precision": 0.98, "item_no": 0.98, "name ratio": 0.97}
# Names exact as curated is below the issue's target and recorded so it cannot fall (the ratchet,
# test_figures_hold): it reached 0.80 only while the repair's dictionary held the words of the
# ground-truth seeds these scans are made from (issue 17); the repair without them changes a
# syllable of the language only on strong evidence, and most slips of marks stay as read.
BELOW_TARGET = ("name exact",)


@pytest.fixture(scope="session")
def corpus():
    return scan_corpus()


@pytest.fixture(scope="session")
def extracted(corpus, tmp_path_factory):
    """{name: ExtractedDocument}, and the OCR counts of REAL_DOC's two runs."""
    out, counts = {}, []
    empty = FolderStore(tmp_path_factory.mktemp("ocr-cache"))
    real = next(d for d in corpus if d.name == REAL_DOC)
    for _ in range(2):
        before = ocr.STATS.copy()
        out[REAL_DOC] = extract_document(real.scan_pdf, ocr_store=empty)
        counts.append(ocr.STATS - before)
    for d in corpus:
        if d.name != REAL_DOC:
            out[d.name] = extract_document(d.scan_pdf)  # the session's cache, seeded
    return out, counts


@pytest.fixture(scope="session")
def scores(corpus, extracted):
    docs, _ = extracted
    raw, mended = ScanScores(), ScanScores()
    for d in corpus:
        want, got = expected_tasks(d.spec, d.row_pages), extracted_tasks(docs[d.name])
        score(raw, d.name, want, got)
        score(mended, d.name, as_curated(want), curated_tasks(docs[d.name]))
    return raw, mended


def test_the_corpus_has_what_the_issue_asks_for(corpus):
    assert sum(d.n_pages for d in corpus) >= 120
    assert sum(d.name.startswith("v") for d in corpus) >= 10
    assert {d.producer for d in corpus} == {"reportlab", "libreoffice"}
    assert {d.orientation for d in corpus} == {"portrait", "landscape"}
    assert {d.dpi for d in corpus} == {200, 300}
    angles = [p.angle for d in corpus for p in d.damage]
    assert min(angles) < -1.8 and max(angles) > 1.8 and max(abs(a) for a in angles) <= 2.0
    assert sum(p.turn in (90, 270) for d in corpus for p in d.damage) >= 3
    assert sum(p.seal for d in corpus for p in d.damage) == 1


def test_a_page_is_ocrd_once_then_found_in_the_cache(corpus, extracted):
    _, (first, second) = extracted
    n = next(d for d in corpus if d.name == REAL_DOC).n_pages
    assert first["ocr"] == n and first["cached"] == 0
    assert second["ocr"] == 0 and second["cached"] == n


def test_every_page_is_read_upright(corpus, extracted):
    docs, _ = extracted
    for d in corpus:
        text = extract_document(d.text_pdf, ocr=False)
        for page, twin, damage in zip(docs[d.name].pages, text.pages, d.damage):
            assert page.method == "ocr", (d.name, page.page, page.error)
            assert abs(page.width - twin.width) < 2 and abs(page.height - twin.height) < 2, \
                (d.name, page.page, damage, page.width, page.height)  # the scan's whole pixels


def test_rows_on_a_tilted_scan_are_boxed_where_the_scan_shows_them(corpus, extracted):
    """A row's box on a tilted page is centred where the tilt moved the row of the text twin."""
    docs, _ = extracted
    checked = 0
    for d in corpus:
        tilted = {k + 1: p.angle for k, p in enumerate(d.damage) if abs(p.angle) >= 1.5 and not p.turn}
        if not tilted:
            continue
        text = extract_document(d.text_pdf, ocr=False)
        twin_rows = [r for t in text.tables for r in t.rows if r.kind == "data" and len(r.spans) == 1]
        scan_rows = [r for t in docs[d.name].tables for r in t.rows if r.kind == "data" and len(r.spans) == 1]
        by_name = {r.text_at(1)[:40]: r for r in scan_rows}
        for r in twin_rows:
            page, box = r.spans[0]
            got = by_name.get(r.text_at(1)[:40])
            if page not in tilted or got is None or got.spans[0][0] != page:
                continue
            w, h = text.pages[page - 1].width, text.pages[page - 1].height
            m = cv2.getRotationMatrix2D((w / 2, h / 2), tilted[page], 1.0)  # as the scanner tilted it
            want = m @ np.array([(box[0] + box[2]) / 2, (box[1] + box[3]) / 2, 1.0])
            g = got.spans[0][1]
            assert abs((g[0] + g[2]) / 2 - want[0]) < 4 and abs((g[1] + g[3]) / 2 - want[1]) < 4, \
                (d.name, page, r.text_at(0), want, g)
            checked += 1
    assert checked >= 20


def test_rows_under_the_seal_and_signature_are_read(corpus, extracted):
    docs, _ = extracted
    for d in corpus:
        sealed = [k + 1 for k, p in enumerate(d.damage) if p.seal]
        if not sealed:
            continue
        want = expected_tasks(d.spec, d.row_pages)
        partners = pair(want, curated_tasks(docs[d.name]))
        on_page = [(e, g) for e, g in zip(want, partners) if sealed[0] in range(e.pages[0], e.pages[1] + 1)]
        assert on_page and all(g is not None and g.item_no == e.item_no for e, g in on_page)


def test_columns_whose_header_is_past_recognition_are_known_by_their_content(corpus, extracted):
    """The header cells of the lead and deadline columns OCR'd to nothing recognisable: the
    columns are found from what they hold (`normalizers.columns`), the figures stay."""
    docs, _ = extracted
    blind = ScanScores()
    for d in corpus:
        ex = docs[d.name]
        tables = []
        for t in ex.tables:
            heads = tuple("~ ~" if r in ("lead", "deadline") else h for h, r in zip(t.headers, column_roles(t.headers)))
            assert column_roles(heads).count("lead") == column_roles(heads).count("deadline") == 0
            tables.append(dataclasses.replace(t, headers=heads))
        blinded = dataclasses.replace(ex, tables=tuple(tables))
        score(blind, d.name, as_curated(expected_tasks(d.spec, d.row_pages)), curated_tasks(blinded))
    for metric in ("recall", "lead", "deadline"):
        assert blind.rate(metric) >= TARGET[metric], blind.report(metric)


@pytest.mark.parametrize("metric", [m for m in TARGET if m not in BELOW_TARGET])
def test_target_as_curated(scores, metric):
    _, mended = scores
    assert mended.rate(metric) >= TARGET[metric], mended.report(metric)


@pytest.mark.parametrize("metric", list(TARGET_RAW))
def test_target_as_read(scores, metric):
    raw, _ = scores
    assert raw.rate(metric) >= TARGET_RAW[metric], raw.report(metric)


def test_figures_hold(scores):
    """The ratchet: no figure of this corpus goes back (bench/figures.json)."""
    raw, mended = scores
    record("scan-corpus-curated", {m: mended.rate(m) for m in METRICS})
    record("scan-corpus-as-read", {m: raw.rate(m) for m in METRICS})
