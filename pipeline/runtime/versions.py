"""Code versions of the per-document steps, so that an upgrade reprocesses what it changes.

A step's version is a fingerprint of the source and data files of the packages it runs
(and of the versions of the libraries that read the PDFs), so a fixed deadline parser
changes the records version and every document's records are rebuilt, while an
unchanged extractor keeps every extraction (and OCR) as it is. Reading scanned pages has
a version of its own (`ocr_version`: the OCR code and settings, its libraries and the OCR
engine), kept with each document that has scanned pages, so that a new Tesseract model
re-reads those documents and no other. The fingerprints are the
Dagster `code_version` of the assets and are written into every row (`pipeline_version`).
Every one is `extractors.fingerprint.fingerprint`, the scheme the OCR cache keys its pages by
too (`state.py`'s docstring lists how each kind of state is judged stale).
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

from extractors import ocr_cache
from extractors.fingerprint import fingerprint

from .. import __version__
from .state import home, ocr_store, tracked_on

# The libraries whose version can change what reading a PDF gives, each where it acts: every
# document (its text layer; pikepdf turns sideways pages upright; pyHanko reads signatures), or only those with scanned
# pages (rendering, image processing, Tesseract; img2pdf lays image files out as pages: `ocr_cache.LIBRARIES`,
# which key the OCR cache too). The product imports no other library that
# reads PDFs or images (camelot and OCRmyPDF are benchmarks' and nothing else's).
EXTRACT_LIBRARIES = ("pdfplumber", "pdfminer.six", "pikepdf", "pyhanko")
OCR_LIBRARIES = ocr_cache.LIBRARIES
# The extractors' modules that act on scanned pages only: a change to them (their settings
# included, `ocr_cells.OcrSettings`, `scan_grid.GridSettings`) reads the scans again, not the rest.
# The code that reads a page is the list the OCR cache keys its pages by (`ocr_cache.CODE`), and the
# cache's own module.
OCR_MODULES = tuple(f"extractors/{name}" for name in (*ocr_cache.CODE, "ocr_cache.py"))
# The settings of every stage (`extractors.settings`): not fingerprinted as source but by their
# values, each stage's in the version it changes (`ExtractSettings.text_key`, `.ocr_key`).
SETTINGS_MODULE = "extractors/settings.py"


@lru_cache(maxsize=None)
def extract_version() -> str:
    """Version of reading a PDF's text layer into pages and tables (the extractors but their
    OCR modules, the settings of the text layer and its tables, `settings.DEFAULT.text_key()`,
    and the libraries that read every document): a change re-reads every document."""
    from extractors import settings

    return fingerprint("extractors", libraries=EXTRACT_LIBRARIES, without=(*OCR_MODULES, SETTINGS_MODULE),
                       extra=settings.default().text_key())


@lru_cache(maxsize=None)
def ocr_version() -> str:
    """Version of reading scanned pages: the OCR modules and settings (`settings.DEFAULT.ocr_key()`:
    the OCR's, the scan grid's, the preparation's and the scanned tables'), the libraries that render
    and read the images, and the OCR engine (Tesseract's version, tesserocr's, the digest of each
    traineddata file: `extractors.ocr_cache.engine`). A change re-reads exactly the documents
    with scanned pages (`reading.Extraction.ocr_version` says which). On a machine without the
    models it says so, and those documents are read again, which fails the run on the machine."""
    from extractors import settings
    from extractors.pdf import EnvironmentFailure

    try:
        engine = ocr_cache.engine(settings.default().ocr, ocr_store(home()))
    except EnvironmentFailure as e:
        engine = f"unavailable: {e}"
    return fingerprint(*OCR_MODULES, libraries=OCR_LIBRARIES, extra=engine + settings.default().ocr_key())


@lru_cache(maxsize=None)
def records_version() -> str:
    """Version of turning an extraction into rows (the normalizers, and the extractor types they read)."""
    return fingerprint("extractors", "normalizers")


CURATED_FILES = ("pipeline/runtime/parts.py", "pipeline/runtime/store.py")


@lru_cache(maxsize=None)
def curated_version() -> str:
    """Version of the curated tables: the rows (records_version) and the code that puts every
    document's rows together and writes the tables (normalizers.corpus is in records_version)."""
    return fingerprint(*CURATED_FILES, extra=records_version())


def pipeline_version() -> str:
    """What goes into every row: the release, and the fingerprints of both steps (the OCR one
    is the documents' own: `reading.Extraction.ocr_version`)."""
    return f"{__version__}+x{extract_version()}.n{records_version()}"


def manifest_digest(manifest: dict[str, str]) -> str:
    """Identity of a raw folder's content, of the code (and OCR engine) that read it and of the
    date the tasks are tracked on (`state.tracked_on`)."""
    payload = json.dumps([sorted(manifest.items()), pipeline_version(), ocr_version(), tracked_on().isoformat()],
                         ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]
