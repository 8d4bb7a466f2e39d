"""Document identity (number, issued date, type, issuer, title) of scans at 100-300 dpi, as an
office files them (issue 17, cause 3), read through the pipeline's own functions
(extract_document, then document_records).

Generated: first pages of the header corpus (tests/fixtures/headers_corpus.py) scanned with the
scan matrix's damage (tests/fixtures/scan_matrix.py): 100, 150, 200 and 300 dpi in turn, JPEG
quality 30-90, colour and grey, tilt up to 2 degrees, a red seal stamped over the header on half
of them (over the issuer block or the place-and-date line), a number written by hand on one in
eight (`headers_corpus.lowres_cases`). Four pages per resolution here (OCR costs seconds a page),
and the 100-150 dpi part drawn wider: six pages per resolution of another seed
(`headers-scan-lowres-wide`); `python -m bench.headers --lowres 8 --only-lowres --real
../shared/realworld` sweeps more.

Real: the office's 100-dpi colour scan ttr409 (number and day written by hand: right or null)
and two printed 2010 scans of vn-luatvietnam resampled to 100 and 150 dpi
(`headers_corpus.rescan_first_page`).

A number or a date read is the one printed (or null, never a guess); number and issued date
>= 0.95 at 200 and 300 dpi; at 100 and 150 dpi the ratchet holds what is reached (short of
issue 17's 0.95: bench/README.md, "Identity of low-resolution scans").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures import headers_corpus as hc
from tests.fixtures.ratchet import record

pytestmark = pytest.mark.slow  # OCRs a page per case

PER_DPI = 4
SEED = 7
# the 100-150 dpi part drawn wider (issue 17: number and date >= 0.95 there): more pages of the
# same generator, another seed, at those two resolutions alone
WIDE_SEED, WIDE_PER_DPI, WIDE_DPIS = 8, 6, (100, 150)
FIELDS = ("number", "date", "issuer", "type", "title")
REAL_PRINTED = ("vn-luatvietnam/10209536.pdf", "vn-luatvietnam/10209667.pdf")
REAL_DPIS = (100, 150)


def _read(out, drawn):
    read = []
    for case, damage in drawn:
        pdf, scan = out / f"{case.name}.pdf", out / f"{case.name}_{damage.dpi}.pdf"
        hc.render_reportlab(case, pdf)
        hc.scan_case(case, pdf, scan, dpi=damage.dpi, damage=damage)
        read.append((case, damage, hc.read_document(scan)))
    return read


@pytest.fixture(scope="module")
def lowres(tmp_path_factory):
    return _read(tmp_path_factory.mktemp("headers-lowres"), hc.lowres_cases(PER_DPI, seed=SEED))


@pytest.fixture(scope="module")
def lowres_wide(tmp_path_factory):
    return _read(tmp_path_factory.mktemp("headers-lowres-wide"),
                 hc.lowres_cases(WIDE_PER_DPI, seed=WIDE_SEED, dpis=WIDE_DPIS))


def test_the_corpus_covers_the_scan_matrix_dimensions(lowres):
    damages = [d for _, d, _ in lowres]
    for dpi in hc.LOWRES_DPIS:
        at = [d for d in damages if d.dpi == dpi]
        assert len(at) == PER_DPI
        assert {(d.colour, bool(d.seal_page)) for d in at} == {(True, True), (False, True), (True, False), (False, False)}
    assert min(d.quality for d in damages) < 50 < max(d.quality for d in damages)
    assert max(abs(d.angles[0]) for d in damages) > 1.0
    cases = [c for c, _, _ in lowres]
    assert {c.number_mode for c in cases} >= {"inline", "gap", "stamped", "handwritten"}
    # every type; issuer blocks of one and two lines (the others: test_header_corpus)
    assert len({c.doc_type for c in cases}) == 6 and {len(c.issuer_lines) for c in cases} == {1, 2}


def test_identity_of_low_resolution_scans(lowres):
    scores = [(d.dpi, hc.score_case(c, doc, scanned=True)) for c, d, doc in lowres]
    rates = hc.rates([s for _, s in scores])
    figures = {k: rates[k] for k in FIELDS}
    for dpi in hc.LOWRES_DPIS:
        at = hc.rates([s for x, s in scores if x == dpi])
        figures.update({f"number {dpi}dpi": at["number"], f"date {dpi}dpi": at["date"]})
    wrong = [(c.name, d.dpi, {k: (c.truth[f], doc[f]) for k, f in (("number", "doc_number"), ("date", "issued_date"),
                                                                  ("issuer", "issuer"), ("type", "doc_type"),
                                                                  ("title", "title")) if not s[k]})
             for (c, d, doc), (_, s) in zip(lowres, scores) if not all(s[k] for k in FIELDS)]
    record("headers-scan-lowres", figures)
    # what is read is what is printed: a number or date that does not read (a seal over it, print
    # too small for 100 dpi) is null, never another number or date
    assert all(doc["doc_number"] in (None, c.truth["doc_number"]) for c, _, doc in lowres), wrong
    assert all(doc["issued_date"] in (None, c.truth["issued_date"]) for c, _, doc in lowres), wrong
    assert all(figures[f"{k} {dpi}dpi"] >= 0.95 for k in ("number", "date") for dpi in (200, 300)), (figures, wrong)
    # short of issue 17's 0.95 at 100 dpi (a grey seal over the whole left column at 100 dpi, its
    # rings as dark as the letters' edges: null): the ratchet holds what is reached
    assert all(figures[f"{k} {dpi}dpi"] >= 0.5 for k in ("number", "date") for dpi in (100, 150)), (figures, wrong)
    assert figures["type"] >= 0.9 and figures["title"] >= 0.9 and figures["issuer"] >= 0.75, (figures, wrong)


def test_identity_of_low_resolution_scans_drawn_wider(lowres_wide):
    """The 100 and 150 dpi pages of another seed: colour and grey, a seal over the header or
    not, a number inline, after a gap, stamped or written by hand, each drawn."""
    damages = [d for _, d, _ in lowres_wide]
    assert sorted({d.dpi for d in damages}) == list(WIDE_DPIS) and len(damages) == WIDE_PER_DPI * len(WIDE_DPIS)
    assert {(d.colour, bool(d.seal_page)) for d in damages} == {(True, True), (False, True), (True, False), (False, False)}
    scores = [(d.dpi, hc.score_case(c, doc, scanned=True)) for c, d, doc in lowres_wide]
    figures = {k: v for k, v in hc.rates([s for _, s in scores]).items() if k in FIELDS}
    for dpi in WIDE_DPIS:
        at = hc.rates([s for x, s in scores if x == dpi])
        figures.update({f"number {dpi}dpi": at["number"], f"date {dpi}dpi": at["date"]})
    wrong = [(c.name, d.dpi, d.colour, d.seal_page,
              {k: (c.truth[f], doc[f]) for k, f in (("number", "doc_number"), ("date", "issued_date"), ("issuer", "issuer"))
               if not s[k]}) for (c, d, doc), (_, s) in zip(lowres_wide, scores) if not all(s[k] for k in FIELDS)]
    record("headers-scan-lowres-wide", figures)
    # precision first: a number or date read is the one printed, or null
    assert all(doc["doc_number"] in (None, c.truth["doc_number"]) for c, _, doc in lowres_wide), wrong
    assert all(doc["issued_date"] in (None, c.truth["issued_date"]) for c, _, doc in lowres_wide), wrong


def test_identity_of_real_low_resolution_scans(realworld, tmp_path):
    """ttr409 as the office scanned it (100 dpi), and the printed 2010 scans at 100 and 150 dpi."""
    import pikepdf

    by_path = {s.path: s for s in hc.REAL_SCANS}
    pairs = []
    office = by_path["vn-lamdong/ttr409-cat-hoidong-scan.pdf"]
    one = tmp_path / "ttr409-p1.pdf"
    with pikepdf.open(realworld / office.path) as pdf:
        del pdf.pages[1:]
        pdf.save(one)
    pairs.append((office, hc.read_document(one)))
    for path in REAL_PRINTED:
        for dpi in REAL_DPIS:
            scan = tmp_path / f"{Path(path).stem}_{dpi}.pdf"
            hc.rescan_first_page(realworld / path, scan, dpi)
            pairs.append((by_path[path], hc.read_document(scan)))
    scores = [hc.score_real(s, d) for s, d in pairs]
    rates = hc.rates(scores)
    wrong = [(s.path, {k: v for k, v in sc.items() if not v}, d["doc_number"], d["issued_date"])
             for (s, d), sc in zip(pairs, scores) if not all(sc.values())]
    record("headers-scan-lowres-real", rates)
    assert rates["number"] >= 0.95, (rates, wrong)
    # a date read is the one printed, or null; 10209667 at 150 dpi: its month "01", read at a
    # confidence of 26, stands in its slot of the date line and is kept (`ocr_header.month_in_slot`)
    assert all(d["issued_date"] in (None, s.issued_date) for s, d in pairs), wrong
    assert rates["date"] >= 0.95, (rates, wrong)
