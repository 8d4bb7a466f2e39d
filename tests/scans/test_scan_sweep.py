"""Two scans of the scan matrix drawn from seeds its own test does not draw (issue 17: "we will
check on documents that no test has seen"; the sweep over more of them: bench/bench_scan_sweep.py).

tests/fixtures/scan_sweep.py draws them (variety seed 7, damage seed 11) and each is read with
`extract_document` and scored as tests/scans/test_scan_matrix.py scores its own:

- v04 (200 dpi, grey, quality 47, a seal over a one-line row): the strokes of the seal ran from
  rule to rule across that short row and cut it into four false columns; the page's table
  then had another shape than the next page's, whose rows were lost with their table (a
  column rule standing in one row alone of a table is no column: `scan_grid.column_rules`);
- v10 (100 dpi, colour, quality 38, the STT column 0.6 cm): a column rule was drawn through a
  one-cell section row from the ends of the rules above and below it (`scan_prep.complete_rules`
  counts a rule's pieces inside the row only), and the sub-item numbers wrapped in the narrow
  column ("(1" over ")") read as "q)", "a2)" (`ocr_cells._wrapped_number`).
"""

from __future__ import annotations

import pytest

from extractors.document import extract_document
from tests.fixtures.ratchet import record
from tests.fixtures.scan_score import ScanScores, as_curated, curated_tasks, expected_tasks, score
from tests.fixtures.scan_sweep import drawn
from tests.scans.test_scan_matrix import one_table_share, section_score

pytestmark = pytest.mark.slow  # OCRs scanned pages

NAMES = ("v04_short4_reportlab", "v10_plan6_reportlab")


def _figures(docs, extracted) -> tuple[dict[str, float], ScanScores]:
    """The ratchet's figures of scanned documents read back (`extracted`: name -> document), as
    the scan matrix's test scores them, and the scores (for their report)."""
    scores = ScanScores()
    for d in docs:
        score(scores, d.name, as_curated(expected_tasks(d.spec, d.row_pages)), curated_tasks(extracted[d.name]))
        section_score(scores, d.name, d, extracted[d.name])
    figures = {m: scores.rate(m) for m in ("recall", "precision", "item_no", "section", "cut rows whole", "pages")}
    figures["one table per table"] = one_table_share(docs, extracted)
    return figures, scores


@pytest.fixture(scope="module")
def docs():
    return [d for d in drawn(n=5) if d.name in NAMES]  # the first five of the draw: v10 is its fifth


def test_scans_no_matrix_test_draws(docs):
    """One table per table of the spec's columns; every sub-item number "(k)" read; every row
    found in its section. Every figure goes into the ratchet: what is short of issue 17's
    targets here is reading, not structure (the name of v04's row 4 under the seal reads as
    debris and pairs with no expected row)."""
    assert [d.name for d in docs] == list(NAMES)
    extracted = {d.name: extract_document(d.scan_pdf) for d in docs}
    figures, scores = _figures(docs, extracted)
    record("scan-sweep", figures)
    for d in docs:
        assert [t.n_cols for t in extracted[d.name].tables] == [len(t["columns"]) for t in d.spec["appendix"]["tables"]]
    misses = [m for ms in scores.misses.values() for m in ms]
    assert not [m for m in misses if m.startswith("item_no: '(")], scores.report("item_no")
    assert not [m for m in misses if m.startswith("section") and not m.endswith("-> None")], scores.report("section")


def test_a_header_word_read_past_recognition_still_gives_the_name_column():
    """The first document of another draw (variety seed 8, damage seed 13): v00 at 100 dpi,
    colour, quality 34, a seal over the header on page 1. "NHIỆM VỤ" reads "NHII!M VỤ", so the
    header names no column for the tasks and all 11 rows were lost; the widest column of long
    text under a header with an item-number column is the name column
    (`normalizers.columns.name_column`)."""
    (d,) = drawn(8, 13, n=1)
    assert d.name == "v00_ct07_reportlab" and d.damage.dpi == 100 and d.damage.seal_page == 1
    doc = extract_document(d.scan_pdf)
    figures, scores = _figures([d], {d.name: doc})
    record("scan-sweep-100dpi", figures)
    assert figures["recall"] >= 0.98 and figures["precision"] >= 0.98, scores.report()


def test_a_header_cell_read_over_two_columns_still_names_both():
    """The first document of another draw (variety seed 41, damage seed 43): v03 at 100 dpi,
    colour, quality 81, pages fed 2, 1, 3, a seal on page 1. The rule between the header's
    "Nội dung" and "Cơ quan chủ trì" is lost, OCR reads one cell over both columns, and both
    took one role of the two ("lead" left of "name"): all 8 rows were lost. The cell's parts
    name a role each, left to right (`headers.split_spans`); and the section row "I." keeps its
    kind beside a speck of the seal read as a cell ("z^": `stitch.row_kind`)."""
    (d,) = drawn(41, 43, n=1)
    assert d.name == "v03_plan6_reportlab" and d.damage.dpi == 100 and d.damage.seal_page == 1
    doc = extract_document(d.scan_pdf)
    assert [t.headers[:3] for t in doc.tables] == [("STT", "Nội dung", "Cơ quan chủ trì")]
    figures, scores = _figures([d], {d.name: doc})
    record("scan-sweep-split-header", figures)
    assert figures["recall"] >= 0.98 and figures["precision"] >= 0.98 and figures["section"] >= 0.98, scores.report()


def test_a_line_the_block_reading_misread_is_read_alone():
    """v00 of the same draw (100 dpi, colour, quality 39, a seal on page 2): Tesseract, reading a
    cell of three lines as a block, took the marks over "tin hộ chiếu" for a line of their own
    ("2< si bÃ -h:Z") and lost the words under them, so the piece of row 4 on page 2 read
    "thông chí" and the row cut by the page break was not whole; on page 1 it dropped the line
    "giáo dục, ngân hàng, thuế, bảo hiểm, doanh" of row 3 as noise. A line of a cell whose ink
    no word covers, or over which a word runs into the next line, is read again alone
    (`ocr_cells._by_lines`)."""
    from extractors.ocr import ocr_scanned_pages

    (d,) = [d for d in drawn(n=5) if d.name == "v00_ct07_reportlab"]
    assert d.damage.dpi == 100 and tuple(d.row_pages[0][6]) == (1, 2)  # row 4 runs from page 1 onto page 2
    read = ocr_scanned_pages(d.scan_pdf, [1, 2])
    text = {page: " ".join(w[0] for w in result["words"]) for page, result in read.items()}
    assert "sử dụng thông tin hộ chiếu và CMND" in text[2]
    assert "tư pháp, giáo dục," in text[1] and "doanh nghiệp, đất đai" in text[1]
