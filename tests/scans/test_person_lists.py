"""A list of persons scanned at 100 and 150 dpi (issue 17: names exact on scans >= 0.80), read as
the pipeline reads it: the curated cells of `document_records`, where a person's name read by OCR
is mended against the name registry (normalizers/persons.py).

Two scans of tests/fixtures/person_lists.py (a council's list of 20 members, one name in five one
the registry does not hold), at the resolutions where OCR slips most; `python -m
bench.bench_persons` sweeps more seeds at 100-300 dpi. A name read right is never changed."""

from __future__ import annotations

import pytest

from tests.fixtures.person_lists import scanned_list, score_list
from tests.fixtures.ratchet import record

pytestmark = pytest.mark.slow  # OCRs a page per scan

SCANS = ((1, 100, True), (2, 150, False))  # seed, dpi, colour


@pytest.mark.parametrize("seed, dpi, colour", SCANS)
def test_names_of_a_scanned_list_of_persons(seed, dpi, colour, tmp_path):
    spec, pdf = scanned_list(seed, dpi, tmp_path, colour=colour)
    f = score_list(spec, pdf)
    record(f"scan-person-lists-{dpi}dpi", {k: v for k, v in f.items() if k != "false mends"})
    assert f["rows"] >= 0.98, f
    assert f["false mends"] == 0, f
    assert f["names exact, curated"] >= max(0.80, f["names exact"]), f
