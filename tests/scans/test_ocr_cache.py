"""The OCR cache (extractors/ocr_cache.py): keyed by the page image and the OCR settings, kept
in the store the caller passes (the state folder's, `state.ocr_store`, or where
NHIEMVU_OCR_CACHE says), a torn entry read again rather than trusted."""

from pathlib import Path

import numpy as np
import pytest

from extractors import ocr_cache
from extractors.ocr_cells import SETTINGS, OcrSettings
from pipeline.runtime.state import OCR_CACHE_ENV, FolderStore, ocr_store


def test_the_key_follows_the_pixels_and_the_settings():
    a = np.zeros((4, 5, 3), np.uint8)
    b = a.copy()
    b[0, 0, 0] = 1
    key = ocr_cache.page_key(a.tobytes(), a.shape, SETTINGS)
    assert key == ocr_cache.page_key(a.copy().tobytes(), a.shape, SETTINGS)
    assert key != ocr_cache.page_key(b.tobytes(), b.shape, SETTINGS)
    assert key != ocr_cache.page_key(a.tobytes(), (5, 4, 3), SETTINGS)
    assert key != ocr_cache.page_key(a.tobytes(), a.shape, OcrSettings(dpi=200))


def test_entries_round_trip_in_the_store_passed_in(tmp_path):
    store = FolderStore(tmp_path)
    assert ocr_cache.get("ab" * 32, store) is None
    ocr_cache.put("ab" * 32, ENTRY, store)
    assert ocr_cache.get("ab" * 32, store) == ENTRY
    assert list(tmp_path.rglob("*")) == [tmp_path / "ab", tmp_path / "ab" / f"{'ab' * 32}.json"]  # no temporary left
    assert ocr_cache.get("ab" * 32, FolderStore(tmp_path / "other")) is None


def test_without_a_store_the_cache_is_off_and_a_default_store_serves_calls_that_pass_none(tmp_path):
    previous = ocr_cache.use(None)
    try:
        ocr_cache.put("ab" * 32, ENTRY)
        assert ocr_cache.get("ab" * 32) is None
        ocr_cache.use(FolderStore(tmp_path))
        ocr_cache.put("ab" * 32, ENTRY)
        assert ocr_cache.get("ab" * 32, FolderStore(tmp_path)) == ENTRY
    finally:
        ocr_cache.use(previous)


ENTRY = {"width": 595.0, "height": 842.0, "turn": 0, "angle": 0.0, "back": [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]],
         "tables": [[[10.0, 20.0, 30.0, 40.0]]], "words": [["Bộ", 1.0, 2.0, 3.0, 4.0, 96.5]]}


@pytest.mark.parametrize("wrong", [
    [1, 2, 3], {"words": [["Bộ", 1.0, 2.0, 3.0, 4.0, 96.5]]}, {**ENTRY, "words": [["Bộ", 1.0]]},
    {**ENTRY, "tables": [[["a", 1, 2, 3]]]}, {**ENTRY, "width": "wide"}, "text", None,
])
def test_an_entry_of_the_wrong_shape_is_removed_and_the_page_read_again(tmp_path, caplog, wrong):
    """Issue 20: a cache entry of the wrong shape was an internal error on every run, and stayed."""
    store = FolderStore(tmp_path)
    ocr_cache.put("12" * 32, wrong, store)
    assert ocr_cache.get("12" * 32, store) is None and "not an OCR result" in caplog.text
    assert not (tmp_path / "12" / f"{'12' * 32}.json").exists()
    ocr_cache.put("12" * 32, ENTRY, store)  # what the page gives when read again is kept
    assert ocr_cache.get("12" * 32, store) == ENTRY


def test_the_key_follows_the_engine():
    """Issue 20: a new Tesseract, tesserocr or traineddata finds no entry of the old one."""
    a = np.zeros((4, 5, 3), np.uint8)
    engine = ocr_cache.engine()
    assert engine.startswith("tesseract=") and "tesserocr=" in engine and "vie=" in engine and "osd=" in engine
    key = ocr_cache.page_key(a.tobytes(), a.shape, SETTINGS, engine)
    for changed in (engine.replace("tesseract=", "tesseract=9"), engine.replace("tesserocr=", "tesserocr=9"),
                    engine.replace("vie=", "vie=0")):
        assert ocr_cache.page_key(a.tobytes(), a.shape, SETTINGS, changed) != key


def test_a_missing_model_is_the_machine_s_failure(tmp_path, monkeypatch):
    from extractors.ocr_cells import tessdata
    from extractors.pdf import EnvironmentFailure

    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))
    tessdata.cache_clear()
    ocr_cache._engine.cache_clear()
    try:
        with pytest.raises(EnvironmentFailure, match="'vie' model is not installed"):
            ocr_cache.engine()
    finally:
        monkeypatch.undo()
        tessdata.cache_clear()
        ocr_cache._engine.cache_clear()


def test_a_torn_entry_is_not_trusted(tmp_path, caplog):
    (tmp_path / "cd").mkdir()
    (tmp_path / "cd" / f"{'cd' * 32}.json").write_text('{"words": [', encoding="utf-8")
    assert ocr_cache.get("cd" * 32, FolderStore(tmp_path)) is None
    assert "unreadable" in caplog.text


def test_the_state_folder_holds_the_cache_unless_the_environment_names_another_or_none(tmp_path, monkeypatch):
    monkeypatch.delenv(OCR_CACHE_ENV, raising=False)
    assert ocr_store(tmp_path) == FolderStore(tmp_path / "ocr-cache")
    monkeypatch.setenv(OCR_CACHE_ENV, str(tmp_path / "elsewhere"))
    assert ocr_store(tmp_path) == FolderStore(tmp_path / "elsewhere")
    monkeypatch.setenv(OCR_CACHE_ENV, "")
    assert ocr_store(tmp_path) is None
    with pytest.raises(ValueError):
        FolderStore(tmp_path).read("../state.key")  # the extractors name entries inside the folder only


def test_a_model_is_hashed_again_only_when_its_file_changed(tmp_path, monkeypatch):
    store = FolderStore(tmp_path / "cache")
    model = tmp_path / "vie.traineddata"
    model.write_bytes(b"model one")
    first = ocr_cache._model_digest(model, store)
    assert (tmp_path / "cache" / ocr_cache.MODELS).exists()
    reads = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self) or real(self))
    assert ocr_cache._model_digest(model, store) == first and reads == [tmp_path / "cache" / ocr_cache.MODELS]
    reads.clear()  # known by its size and time: the model itself is not read
    model.write_bytes(b"model two, longer")
    assert ocr_cache._model_digest(model, store) != first and model in reads


def test_the_key_follows_the_code_that_reads_the_page(monkeypatch):
    """One fingerprint of the code that reads a page (rendering, low-resolution preparation, grid,
    cells) keys the cache, and the documents' OCR version fingerprints the same modules."""
    from pipeline.runtime.versions import OCR_MODULES

    assert {"ocr.py", "ocr_cells.py", "scan_grid.py", "scan_prep.py"} <= set(ocr_cache.CODE)
    assert {f"extractors/{name}" for name in ocr_cache.CODE} < set(OCR_MODULES)
    a = np.zeros((4, 5, 3), np.uint8)
    key = ocr_cache.page_key(a.tobytes(), a.shape, SETTINGS, "engine")
    monkeypatch.setattr(ocr_cache, "CODE_VERSION", "another")
    assert ocr_cache.page_key(a.tobytes(), a.shape, SETTINGS, "engine") != key
