"""The OCR cache (extractors/ocr_cache.py): keyed by the page image and the OCR settings,
stored where NHIEMVU_OCR_CACHE says, a torn entry read again rather than trusted."""

import numpy as np

from extractors import ocr_cache
from extractors.ocr_cells import SETTINGS, OcrSettings


def test_the_key_follows_the_pixels_and_the_settings():
    a = np.zeros((4, 5, 3), np.uint8)
    b = a.copy()
    b[0, 0, 0] = 1
    key = ocr_cache.page_key(a.tobytes(), a.shape, SETTINGS)
    assert key == ocr_cache.page_key(a.copy().tobytes(), a.shape, SETTINGS)
    assert key != ocr_cache.page_key(b.tobytes(), b.shape, SETTINGS)
    assert key != ocr_cache.page_key(a.tobytes(), (5, 4, 3), SETTINGS)
    assert key != ocr_cache.page_key(a.tobytes(), a.shape, OcrSettings(dpi=200))


def test_entries_round_trip_under_the_folder_the_environment_names(tmp_path, monkeypatch):
    monkeypatch.setenv(ocr_cache.ENV, str(tmp_path))
    assert ocr_cache.cache_dir() == tmp_path
    assert ocr_cache.get("ab" * 32) is None
    ocr_cache.put("ab" * 32, {"words": [["Bộ", 1.0, 2.0, 3.0, 4.0, 96.5]]})
    assert ocr_cache.get("ab" * 32) == {"words": [["Bộ", 1.0, 2.0, 3.0, 4.0, 96.5]]}
    assert list(tmp_path.rglob("*.json")) == [tmp_path / "ab" / f"{'ab' * 32}.json"]


def test_a_torn_entry_is_not_trusted(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv(ocr_cache.ENV, str(tmp_path))
    (tmp_path / "cd").mkdir()
    (tmp_path / "cd" / f"{'cd' * 32}.json").write_text('{"words": [', encoding="utf-8")
    assert ocr_cache.get("cd" * 32) is None
    assert "unreadable" in caplog.text


def test_an_empty_setting_turns_the_cache_off_and_the_default_is_under_dagster_home(tmp_path, monkeypatch):
    monkeypatch.setenv(ocr_cache.ENV, "")
    assert ocr_cache.cache_dir() is None
    ocr_cache.put("ef" * 32, {"x": 1})
    assert ocr_cache.get("ef" * 32) is None
    monkeypatch.delenv(ocr_cache.ENV)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    assert ocr_cache.cache_dir() == tmp_path / "ocr-cache"
