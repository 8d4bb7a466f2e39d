"""Code versions of the per-document steps, so that an upgrade reprocesses what it changes.

A step's version is a fingerprint of the source and data files of the packages it runs
(and of the versions of the libraries that read the PDFs), so a fixed deadline parser
changes the records version and every document's records are rebuilt, while an
unchanged extractor keeps every extraction (and OCR) as it is. The fingerprints are the
Dagster `code_version` of the assets and are written into every row (`pipeline_version`).
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from . import __version__
from .paths import tracked_on

ROOT = Path(__file__).resolve().parents[1]
SOURCE_SUFFIXES = {".py", ".csv", ".json", ".yaml", ".txt"}
EXTRACT_LIBRARIES = ("pdfplumber", "pdfminer.six", "camelot-py", "pypdfium2", "ocrmypdf", "opencv-python-headless",
                     "pyhanko", "img2pdf", "pillow")


def _library_versions(names: tuple[str, ...]) -> str:
    out = []
    for name in names:
        try:
            out.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            out.append(f"{name}=none")
    return ";".join(out)


def fingerprint(*packages: str, libraries: tuple[str, ...] = ()) -> str:
    """Short hash of every source/data file under the given top-level packages (sorted paths)."""
    h = hashlib.sha256(_library_versions(libraries).encode())
    for package in packages:
        for path in sorted((ROOT / package).rglob("*")):
            if path.suffix in SOURCE_SUFFIXES and "__pycache__" not in path.parts:
                h.update(path.relative_to(ROOT).as_posix().encode())
                h.update(path.read_bytes())
    return h.hexdigest()[:12]


@lru_cache(maxsize=None)
def extract_version() -> str:
    """Version of reading a PDF into pages and tables (the extractors and their libraries)."""
    return fingerprint("extractors", libraries=EXTRACT_LIBRARIES)


@lru_cache(maxsize=None)
def records_version() -> str:
    """Version of turning an extraction into rows (the normalizers, and the extractor types they read)."""
    return fingerprint("extractors", "normalizers")


CURATED_FILES = ("pipeline/parts.py", "pipeline/store.py")


@lru_cache(maxsize=None)
def curated_version() -> str:
    """Version of the curated tables: the rows (records_version) and the code that puts every
    document's rows together and writes the tables (normalizers.corpus is in records_version)."""
    h = hashlib.sha256(records_version().encode())
    for name in CURATED_FILES:
        h.update(name.encode())
        h.update((ROOT / name).read_bytes())
    return h.hexdigest()[:12]


def pipeline_version() -> str:
    """What goes into every row: the release, and the fingerprints of both steps."""
    return f"{__version__}+x{extract_version()}.n{records_version()}"


def manifest_digest(manifest: dict[str, str]) -> str:
    """Identity of a raw folder's content, of the code that read it and of the date the tasks
    are tracked on (`paths.tracked_on`)."""
    payload = json.dumps([sorted(manifest.items()), pipeline_version(), tracked_on().isoformat()], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]
