"""Cache keys and fingerprints (issue 20): a new version of a library that changes what reading
gives, a new OCR engine or model, or a changed setting re-reads exactly the documents it
affects: every document for the text layer's libraries and settings, only the documents with
scanned pages for the OCR's (rendering, image processing, tesserocr, Tesseract, traineddata,
OCR settings). Each run is a `nhiemvu run` in a process of its own with one thing changed,
from the state of a first run with nothing changed (the state folder is put back before each
test); going back to what was there re-reads the same documents, checked once per kind of change."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from pipeline.runtime.versions import EXTRACT_LIBRARIES, OCR_LIBRARIES
from tests.conftest import RAW, ROOT
from tests.fixtures.scan import make_scanned_twin

pytestmark = pytest.mark.slow  # reads whole documents, OCRs or runs the pipeline

PROBE = r"""
import json, sys
import importlib.metadata as md
change = sys.argv[3]
if change.startswith("library:"):  # this library's version seen as another one
    name, real = change.split(":", 1)[1], md.version
    md.version = lambda n: "999." + real(n) if n == name else real(n)
if change.startswith("setting:"):  # the run's settings (extractors.settings.DEFAULT) with one value changed
    import dataclasses
    from extractors import settings
    stage, rest = change.split(":", 1)[1].split(".", 1)
    name, value = rest.split("=")
    part = getattr(settings.DEFAULT, stage)
    changed = dataclasses.replace(part, **{name: type(getattr(part, name))(value)})
    settings.DEFAULT = dataclasses.replace(settings.DEFAULT, **{stage: changed})
from extractors import ocr_cache
if change in ("tesseract", "traineddata"):  # another Tesseract, or another vie.traineddata
    real_engine = ocr_cache._engine
    old = "tesseract=" if change == "tesseract" else "vie="
    ocr_cache._engine = lambda *args: real_engine(*args).replace(old, old + "0")
from pipeline.tools.commands import run
s = run(sys.argv[1], sys.argv[2], quiet=True)
print(json.dumps({"processed": s["processed"], "failed": s["checks_failed"], "ocr": s["pages_ocr"]}))
"""


def _stored(state: Path) -> dict[str, int]:
    """{doc_id: inode} of the stored extractions: a document read again is stored anew."""
    return {p.stem: p.stat().st_ino for p in (state / "docs" / "pdf_document").glob("*.pkl")}


def _code_copy(tmp: Path, file: str, old: str, new: str) -> Path:
    """A copy of the code with one setting changed."""
    code = tmp / "code"
    shutil.rmtree(code, ignore_errors=True)
    for package in ("extractors", "normalizers", "pipeline"):
        shutil.copytree(ROOT / package, code / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "dagster.yaml", code / "dagster.yaml")
    text = (code / file).read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    (code / file).write_text(text.replace(old, new), encoding="utf-8")
    return code


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    base = tmp_path_factory.mktemp("keys")
    raw = base / "raw"
    raw.mkdir()
    with pikepdf.open(RAW / "07_CT-TTg.pdf") as pdf:  # its first two pages: a text document read in every run
        del pdf.pages[2:]
        pdf.save(raw / "text.pdf")
    one = base / "one.pdf"
    with pikepdf.open(RAW / "929_BCA-VPB.pdf") as pdf:  # a one-page letter, scanned: one page to OCR
        del pdf.pages[1:]
        pdf.save(one)
    make_scanned_twin(one, raw / "scan.pdf", dpi=300)
    ids = {name: hashlib.sha256((raw / name).read_bytes()).hexdigest() for name in ("text.pdf", "scan.pdf")}
    env = {**os.environ, "DAGSTER_HOME": str(base / "state"), "NHIEMVU_OCR_CACHE": str(base / "ocr-cache")}
    ws = {"raw": raw, "out": base / "out", "state": base / "state", "env": env, "ids": ids, "tmp": base}
    first = _run(ws, "none")
    assert first == {"processed": 2, "failed": [], "ocr": 1}
    shutil.copytree(ws["state"], base / "state-first")
    return ws


@pytest.fixture
def keys(corpus):
    """The corpus with its state as the first run left it."""
    shutil.rmtree(corpus["state"])
    shutil.copytree(corpus["tmp"] / "state-first", corpus["state"])
    return corpus


def _run(ws, change: str, code: Path = ROOT) -> dict:
    env = {**ws["env"], "PYTHONPATH": str(code)}
    done = subprocess.run([sys.executable, "-c", PROBE, str(ws["raw"]), str(ws["out"]), change], env=env, cwd=code,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _reread(ws, change: str, code: Path = ROOT) -> set[str]:
    """The documents a run with this change read again (by name)."""
    before = _stored(ws["state"])
    result = _run(ws, change, code)
    assert not result["failed"] and result["ocr"] == 1
    after = _stored(ws["state"])
    names = {v: k for k, v in ws["ids"].items()}
    got = {names[d] for d in after if after[d] != before.get(d)}
    assert result["processed"] == len(got)
    return got


def test_the_fingerprints_list_what_the_product_imports():
    assert {"pdfplumber", "pdfminer.six", "pikepdf"} <= set(EXTRACT_LIBRARIES)
    assert {"tesserocr", "pypdfium2", "opencv-python-headless"} <= set(OCR_LIBRARIES)
    assert not {"camelot-py", "ocrmypdf", "pytesseract"} & set(EXTRACT_LIBRARIES + OCR_LIBRARIES)


def _ocr_entries(ws) -> set[Path]:
    return set((ws["tmp"] / "ocr-cache").glob("*/*.json"))


@pytest.mark.parametrize("change,affected,ocr_read,back", [
    ("library:pdfplumber", {"text.pdf", "scan.pdf"}, False, True),  # as pdfminer.six, pikepdf: the OCR is kept
    ("library:tesserocr", {"scan.pdf"}, True, False),  # as pypdfium2, numpy, pillow
    ("library:opencv-python-headless", {"scan.pdf"}, True, False),
    ("tesseract", {"scan.pdf"}, True, True),
    ("traineddata", {"scan.pdf"}, True, False),
])
def test_a_new_library_or_engine_rereads_exactly_the_documents_it_affects(keys, change, affected, ocr_read, back):
    """... and a library or engine of the OCR keys the scan's page anew in the OCR cache (one more
    entry: the page read by it, not found as the old one read it)."""
    before = _ocr_entries(keys)
    assert _reread(keys, change) == affected
    assert len(_ocr_entries(keys) - before) == (1 if ocr_read else 0)
    if back:  # and back: the same documents again, and the OCR cache has the old engine's pages
        before = _ocr_entries(keys)
        assert _reread(keys, "none") == affected
        assert _ocr_entries(keys) == before


@pytest.mark.parametrize("file,old,new,affected,back", [
    ("extractors/ocr_cells.py", "min_ink: int = 12", "min_ink: int = 13", {"scan.pdf"}, True),
    # the settings module is fingerprinted by its values, each stage's where it acts
    ("extractors/settings.py", "min_text_chars: int = _setting(20)", "min_text_chars: int = _setting(21)",
     {"text.pdf", "scan.pdf"}, False),
])
def test_a_changed_setting_rereads_exactly_the_documents_it_affects(keys, file, old, new, affected, back):
    code = _code_copy(keys["tmp"], file, old, new)
    assert _reread(keys, "none", code) == affected
    if back:  # and back, then nothing new
        assert _reread(keys, "none") == affected
        assert _reread(keys, "none") == set()


@pytest.mark.parametrize("change,affected,ocr_read", [
    ("setting:text.edge_tol=2.1", {"text.pdf", "scan.pdf"}, False),  # the scans' grids are built by the same code
    ("setting:scans.glyph_advance=1.25", {"scan.pdf"}, False),  # the OCR'd words laid into the page
    ("setting:ocr.min_ink=13", {"scan.pdf"}, True),  # what the OCR reads a page with (the scan grid's and the
    # preparation's settings key the page too: tests/runtime/test_settings.py)
])
def test_settings_passed_in_reread_exactly_the_documents_they_affect(keys, change, affected, ocr_read):
    """A run whose settings object differs from the default (`extractors.settings.DEFAULT`, as
    the run reads it) re-reads the documents that stage reads, and back; a setting the OCR reads
    with reaches it (its page is keyed anew: one more entry in the OCR cache), one that acts on
    the OCR's result finds the page in the cache."""
    before = _ocr_entries(keys)
    assert _reread(keys, change) == affected
    assert len(_ocr_entries(keys) - before) == (1 if ocr_read else 0)
    if ocr_read:  # and back
        assert _reread(keys, "none") == affected
