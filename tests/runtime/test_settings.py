"""The settings of reading a document (extractors/settings.py): frozen, validated, passed in, and
part of the code version of exactly the step they change."""

from __future__ import annotations

import dataclasses
import json

import pytest
from pdfplumber.table import DEFAULT_SNAP_TOLERANCE

from extractors import ocr_cells, scan_grid, scan_prep, settings, unruled
from extractors.settings import ExtractSettings, ScanTableSettings, TextTableSettings
from pipeline.runtime import versions


def test_defaults_are_the_modules_own_and_the_librarys():
    s = ExtractSettings()
    assert s == settings.DEFAULT == settings.default()
    assert s.ocr is ocr_cells.SETTINGS and s.scan_grid is scan_grid.SETTINGS and s.scan_prep is scan_prep.SETTINGS
    assert s.unruled is unruled.SETTINGS
    assert s.text.snap == DEFAULT_SNAP_TOLERANCE and isinstance(s.text.snap, float)


def test_settings_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.TEXT.edge_tol = 3.0  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.DEFAULT.text = settings.TEXT  # type: ignore[misc]


@pytest.mark.parametrize("make,error", [
    (lambda: TextTableSettings(edge_tol=-1.0), ValueError),  # below its range
    (lambda: TextTableSettings(margin_band=0.6), ValueError),  # above it: the bands would overlap
    (lambda: TextTableSettings(repeat_ratio=101.0), ValueError),  # a rapidfuzz ratio is 0..100
    (lambda: TextTableSettings(anchor_cols=0), ValueError),
    (lambda: TextTableSettings(anchor_cols=2.5), TypeError),  # a count is an int
    (lambda: TextTableSettings(edge_tol="2"), TypeError),
    (lambda: TextTableSettings(edge_tol=float("nan")), TypeError),
    (lambda: TextTableSettings(min_text_chars=True), TypeError),
    (lambda: TextTableSettings(vertical_strategy="rules"), ValueError),  # not one of pdfplumber's
    (lambda: ScanTableSettings(width_tol=1.5), ValueError),
    (lambda: ExtractSettings(text=ScanTableSettings()), TypeError),  # a part of another stage
    (lambda: ExtractSettings(ocr=dataclasses.replace(ocr_cells.SETTINGS, min_ink="12")), TypeError),
    (lambda: ExtractSettings(ocr=dataclasses.replace(ocr_cells.SETTINGS, dpi=200)), ValueError),  # not scan_prep's
])
def test_a_wrong_value_is_refused_at_once(make, error):
    with pytest.raises(error):
        make()


def test_an_int_passes_for_a_float_and_reads_the_same():
    assert TextTableSettings(edge_tol=2) == TextTableSettings(edge_tol=2.0)


def test_the_keys_are_canonical_json_of_each_stage():
    s = settings.DEFAULT
    text, ocr = json.loads(s.text_key()), json.loads(s.ocr_key())
    assert set(text) == {"TextTableSettings", "UnruledSettings"}
    assert set(ocr) == {"ScanTableSettings", "OcrSettings", "GridSettings", "PrepSettings"}
    assert text["TextTableSettings"]["edge_tol"] == 2.0 and ocr["OcrSettings"]["min_ink"] == ocr_cells.SETTINGS.min_ink
    assert ExtractSettings().text_key() == s.text_key() and ExtractSettings().ocr_key() == s.ocr_key()


@pytest.fixture
def fresh_versions():
    versions.extract_version.cache_clear()
    versions.ocr_version.cache_clear()
    yield
    versions.extract_version.cache_clear()
    versions.ocr_version.cache_clear()


@pytest.mark.parametrize("stage,name,value,text_changes,ocr_changes", [
    ("text", "edge_tol", 2.5, True, False),
    ("text", "min_text_chars", 21, True, False),  # which pages are scans: every document's question
    ("unruled", "min_rows", 4, True, False),
    ("scans", "glyph_advance", 1.25, False, True),
    ("ocr", "min_ink", 13, False, True),
    ("scan_grid", "min_cell", 15, False, True),
    ("scan_prep", "min_dpi", 200.0, False, True),
])
def test_a_setting_changes_the_version_of_its_step_only(monkeypatch, fresh_versions, stage, name, value,
                                                         text_changes, ocr_changes):
    before = versions.extract_version(), versions.ocr_version()
    part = dataclasses.replace(getattr(settings.DEFAULT, stage), **{name: value})
    monkeypatch.setattr(settings, "DEFAULT", dataclasses.replace(settings.DEFAULT, **{stage: part}))
    versions.extract_version.cache_clear()
    versions.ocr_version.cache_clear()
    after = versions.extract_version(), versions.ocr_version()
    assert (before[0] != after[0], before[1] != after[1]) == (text_changes, ocr_changes)


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    """One page scanned at 300 dpi (read as rendered) and at 100 dpi (prepared before it is read)."""
    from tests.conftest import RAW
    from tests.fixtures.scan import make_scanned_twin

    folder = tmp_path_factory.mktemp("scanned")
    for dpi in (300, 100):
        make_scanned_twin(RAW / "929_BCA-VPB.pdf", folder / f"{dpi}.pdf", pages=[1], dpi=dpi)
    return folder


def _changed(stage: str, **values) -> ExtractSettings:
    return dataclasses.replace(settings.DEFAULT, **{stage: dataclasses.replace(getattr(settings.DEFAULT, stage), **values)})


@pytest.mark.parametrize("stage,values,at_300,at_100", [
    ("text", {"edge_tol": 2.5}, False, False),  # acts on the OCR's result, which stays cached
    ("unruled", {"min_rows": 4}, False, False),
    ("scans", {"glyph_advance": 1.25}, False, False),
    ("ocr", {"min_ink": 13}, True, True),
    ("scan_grid", {"min_cell": 15}, True, True),
    ("scan_prep", {"rule_grey": 60}, False, True),  # only a page that is prepared reads otherwise
    ("scan_prep", {"min_dpi": 90.0}, False, True),  # ... and the 100-dpi page is no longer prepared
])
def test_the_ocr_keys_a_page_by_the_settings_passed_in_that_change_its_reading(scanned, stage, values, at_300,
                                                                                at_100):
    """The OCR cache key of a page (what `ocr.ocr_page` looks up) under the OCR parts of the
    settings passed in: another value of a setting the OCR reads with is another key, and a
    text setting finds the page's reading cached."""
    from extractors import ocr

    def key(dpi: int, s: ExtractSettings) -> str:
        return ocr.keyed_page(str(scanned / f"{dpi}.pdf"), 1, ocr.OcrParts.of(s))[0]

    other = _changed(stage, **values)
    assert (key(300, other) != key(300, settings.DEFAULT), key(100, other) != key(100, settings.DEFAULT)) == (at_300,
                                                                                                            at_100)
