"""Reading one PDF, as the `pdf_document` step does it in each child process (no Dagster here:
the command line's head start, `headstart.py`, runs the very same function before Dagster is
loaded).

A child reads the PDF (`extractors.document.extract_document`, the function the accuracy
tests and benchmarks measure) and builds the document's rows
(`normalizers.records.document_records`); the parent receives bytes and rows, and never
rebuilds the extraction's objects.
"""

from __future__ import annotations

import logging
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from extractors import signatures
from extractors.document import ExtractedDocument, extract_document
from extractors.ocr import OCR_FAILED
from extractors.pdf import as_document_error
from normalizers.records import DocRecords, document_records

from .state import FolderStore, ocr_store
from .versions import ocr_version, records_version

log = logging.getLogger(__name__)

WARM_UP_PDF = Path(__file__).with_name("data") / "warmup.pdf"  # a letter's first page and two pages of a task table
WARM_UP_MIN_DOCS = 4


@dataclass(frozen=True)
class Extraction:
    """What reading one PDF gave: its pages and tables (pickled once, in the child that read
    them, and decoded only when needed), or why it could not be read; and the document's rows
    as built in that child by the normalizers of `records_of_version`."""

    doc_id: str
    payload: bytes | None
    error: str | None = None
    records: DocRecords | None = None
    records_of_version: str = ""
    ocr_version: str = ""  # `versions.ocr_version()` when pages of it went to OCR ("" when none did)

    @property
    def document(self) -> ExtractedDocument | None:
        """The pages and tables, decoded (each time: keep the result, do not ask twice)."""
        return None if self.payload is None else pickle.loads(self.payload)


def read_document(doc_id: str, path: str, ocr_store: FolderStore | None = None, *, workers: int,
                  memory_mb: int | None = None) -> Extraction:
    """Read one PDF and build its rows (in the child process that `run_isolated` starts, which
    gives it its share of the run's processes, `workers`, and the document's memory limit,
    `memory_mb`, for its pages' processes to split), its scanned pages' OCR kept in `ocr_store`
    (the state folder's: `state.ocr_store`). A failure the document causes (a library
    choking on its bytes, its nesting) is raised as a `DocumentError`; our own bugs and the
    machine's failures (`EnvironmentFailure`) as they are."""
    try:
        document = extract_document(path, workers=workers, memory_mb=memory_mb, ocr_store=ocr_store)
    except Exception as e:
        problem = as_document_error(e)
        if problem is e:
            raise
        raise problem from e
    payload = pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL)
    scanned = any(p.method == "ocr" or (p.error or "").startswith(OCR_FAILED) for p in document.pages)
    ocr = ocr_version() if scanned else ""
    try:
        records = document_records(doc_id, document)
    except Exception:  # noqa: BLE001 - a normalizer bug: pdf_records rebuilds the rows and reports it
        log.exception("records of %s failed", doc_id)
        return Extraction(doc_id, payload, ocr_version=ocr)
    return Extraction(doc_id, payload, None, records, records_version(), ocr)


def reading_tasks(paths: Mapping[str, Path], state: Path) -> list[tuple[str, tuple]]:
    """The `run_isolated` tasks of reading these documents ({doc_id: path}) for the state folder
    `state` (its OCR cache), the largest files
    first, so that no long document is left to run alone at the end (and the first documents
    started, given the odd process of the budget, are the long ones: `isolation.share`)."""
    order = sorted(paths, key=lambda k: -_size(paths[k]))
    store = ocr_store(state)
    return [(k, (k, str(paths[k]), store)) for k in order]


def _size(path) -> int:
    try:
        return os.path.getsize(path)
    except OSError:  # gone or unreadable: its child will say why
        return 0


def warm_up(paths: Iterable[str | Path] = ()) -> None:
    """Read a small PDF once in this process before forking the children that read documents
    (`paths`, the files they will read).

    Much of the first document's cost in a fresh process is loading: modules imported on
    first use (the Vietnamese text tools, parts of pdfminer), registries and compiled
    patterns read on first use. A child forked from a warmed process inherits all of it
    (measured: a one-page letter costs a child 0.07 s of CPU instead of 0.54 s). pyHanko
    (about 0.4 s of imports) is loaded too when one of the files holds a signature (the
    warm-up PDF is not signed; most offices' documents are), and not for files none of
    which is signed: the children would never load it, and the warm-up delays the first."""
    try:
        read_document("warm-up", str(WARM_UP_PDF), workers=1)
        if any(_signed(p) for p in paths):
            signatures.preload()
    except Exception:  # noqa: BLE001 - only a loss of speed; the documents themselves will tell
        log.exception("warming up on %s failed", WARM_UP_PDF)


def load_text_tools() -> None:
    """Load the Vietnamese text tools (the accent rules `normalizers.text.fold` reads on its first
    use; underthesea itself only for the rare word they leave to it), which reading every document
    and checking the curated tables need."""
    from normalizers.text import fold

    fold("hoá")


def _signed(path: str | Path) -> bool:
    try:
        return signatures.has_signature_bytes(path)
    except OSError:  # gone or unreadable: its child will say why
        return False


def progress_bar(total: int):
    """The terminal's progress bar over documents."""
    from tqdm import tqdm

    return tqdm(total=total, desc="documents", unit="pdf")
