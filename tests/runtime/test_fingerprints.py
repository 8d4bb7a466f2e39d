"""One fingerprint scheme (issue 20, `pipeline/runtime/state.py`'s docstring): code by one
fingerprint of sources and libraries, whether it keys a step's values or the OCR cache's pages,
and files trusted without reading them by one stamp (size, both times, inode)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from extractors import ocr_cache
from pipeline.runtime import lastrun, state, store
from tests.conftest import ROOT

PROBE = r"""
import json, sys
import importlib.metadata as md
name, real = sys.argv[1], md.version
if name:  # this library's version seen as another one
    md.version = lambda n: "999." + real(n) if n == name else real(n)
from extractors import ocr_cache
from pipeline.runtime import versions
print(json.dumps({"ocr_cache": ocr_cache.CODE_VERSION, "ocr": versions.ocr_version(),
                  "extract": versions.extract_version(), "records": versions.records_version()}))
"""


def _versions(library: str) -> dict[str, str]:
    done = subprocess.run([sys.executable, "-c", PROBE, library], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("library,changed", [
    ("opencv-python-headless", {"ocr_cache", "ocr"}),  # the OCR's library: its pages and its documents
    ("pypdfium2", {"ocr_cache", "ocr"}),
    ("pdfplumber", {"extract"}),  # the text layer's: every document, none of the OCR cache's pages
])
def test_the_ocr_cache_and_the_documents_follow_the_same_libraries(library, changed):
    """The OCR cache keyed its pages by the OCR modules' bytes alone: a new OpenCV re-read the
    documents with scans (their OCR version lists it) and found their pages' old reading."""
    before, after = _versions(""), _versions(library)
    assert {k for k in before if before[k] != after[k]} == changed


def _in_place(path, data: bytes) -> None:
    """`path` given other bytes of the same size, its modification time put back."""
    st = path.stat()
    assert len(data) == st.st_size
    with open(path, "r+b") as f:
        f.write(data)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def test_a_file_changed_in_place_with_its_size_and_time_put_back_is_seen_by_every_stamp(tmp_path):
    # a stored value (what a curated part was made from)
    folder = tmp_path / "state"
    state.save_values(folder, "pdf_records", {"d": "a value"})
    before = state.value_identity(folder, "pdf_records", "d")
    path = state.value_file(folder, "pdf_records", "d")
    _in_place(path, path.read_bytes())
    assert state.value_identity(folder, "pdf_records", "d") not in (None, before)

    # a curated file, as its materialization and last-run.json know it
    curated = tmp_path / "curated"
    curated.mkdir()
    for name in lastrun.TABLES:
        (curated / f"{name}.parquet").write_bytes(b"PAR1" + name.encode())
    files, stamp = lastrun._files(curated), store.file_stamp(curated / "documents.parquet")
    assert files["documents"] == state.file_stamp(curated / "documents.parquet")
    assert stamp == ":".join(map(str, files["documents"]))
    _in_place(curated / "documents.parquet", b"PAR2documents")
    assert lastrun._files(curated)["documents"] != files["documents"]
    assert store.file_stamp(curated / "documents.parquet") != stamp

    # an OCR model, whose digest keys the OCR cache
    cache = state.FolderStore(tmp_path / "cache")
    model = tmp_path / "vie.traineddata"
    model.write_bytes(b"model one")
    first = ocr_cache._model_digest(model, cache)
    _in_place(model, b"model two")
    assert ocr_cache._model_digest(model, cache) != first
    kept = json.loads((tmp_path / "cache" / ocr_cache.MODELS).read_text())[str(model)]
    assert kept[:4] == state.file_stamp(model)
