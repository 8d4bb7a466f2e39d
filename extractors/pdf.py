"""Opening a PDF safely: clear errors for files that are not PDFs, empty, truncated,
corrupt or encrypted, so the pipeline can record them as failed and go on."""

from __future__ import annotations

import hashlib
from pathlib import Path

from contextlib import contextmanager
from typing import Iterator

import pdfplumber
from pdfminer.pdfpage import PDFPage
from pdfplumber.page import Page
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError


class DocumentError(Exception):
    """The document as a whole cannot be read; the message says why, for users."""


def sha256_file(path: str | Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def check_pdf_bytes(path: str | Path) -> None:
    """Cheap checks before parsing: empty file, not a PDF at all, no end-of-file marker."""
    p = Path(path)
    size = p.stat().st_size
    if size == 0:
        raise DocumentError("empty file (0 bytes)")
    with p.open("rb") as f:
        head = f.read(1024)
        f.seek(max(size - 2048, 0))
        tail = f.read()
    if b"%PDF-" not in head:
        raise DocumentError("not a PDF: the file does not start with a %PDF- header")
    if b"%%EOF" not in tail and b"startxref" not in tail:
        raise DocumentError("truncated PDF: no end-of-file marker (%%EOF) at the end of the file")


def open_pdf(path: str | Path) -> pdfplumber.PDF:
    """Open with pdfplumber, turning every failure into a DocumentError with a reason."""
    check_pdf_bytes(path)
    try:
        pdf = pdfplumber.open(path)
        n = page_count(pdf)
    except Exception as e:  # pdfminer raises many kinds of errors on damaged files
        cause = next((a for a in (*getattr(e, "args", ()), e.__context__, e) if isinstance(a, BaseException)), e)
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)) or "password" in str(e).lower():
            raise DocumentError(f"encrypted PDF: cannot be read without its password ({type(cause).__name__})") from e
        if isinstance(cause, PDFSyntaxError):
            raise DocumentError(f"corrupt PDF: {cause}") from e
        raise DocumentError(f"corrupt PDF: {type(cause).__name__}: {cause}") from e
    if n == 0:
        _close(pdf)
        raise DocumentError("corrupt PDF: no pages")
    return pdf


def _close(pdf: pdfplumber.PDF) -> None:
    # pdfplumber's own close() builds every page first, which fails on a malformed page.
    if not pdf.stream_is_external:
        pdf.stream.close()


@contextmanager
def opened(path: str | Path) -> Iterator[pdfplumber.PDF]:
    """`open_pdf` as a context manager that closes the file even if a page is malformed."""
    pdf = open_pdf(path)
    try:
        yield pdf
    finally:
        _close(pdf)


def page_count(pdf: pdfplumber.PDF) -> int:
    """Number of pages in the page tree (without building the pages)."""
    return sum(1 for _ in PDFPage.create_pages(pdf.doc))


def iter_pages(pdf: pdfplumber.PDF, first: int = 1, last: int | None = None) -> Iterator[tuple[int, Page | Exception]]:
    """(page number, pdfplumber page) for pages first..last; a page that cannot even be
    built (a malformed page dictionary) comes as its exception, and the others still come."""
    for number, obj in enumerate(PDFPage.create_pages(pdf.doc), start=1):
        if number < first:
            continue
        if last is not None and number > last:
            break
        try:
            yield number, Page(pdf, obj, page_number=number, initial_doctop=0)
        except Exception as e:  # noqa: BLE001 - reported as the page's error
            yield number, e


def sideways_rotation(page: Page) -> int | None:
    """Extra /Rotate (90 or 270) that makes a page of mostly sideways text upright, or None."""
    chars = page.chars
    sideways = [c for c in chars if not c.get("upright", True)]
    if not chars or len(sideways) * 2 < len(chars):
        return None
    b = sum(c["matrix"][1] for c in sideways)
    return 90 if b > 0 else 270


def write_rotated_page(src: str | Path, page_no: int, extra: int, dst: str | Path) -> None:
    """Write page `page_no` of `src` alone to `dst`, turned by `extra` degrees more."""
    import pikepdf

    with pikepdf.open(src) as pdf:
        out = pikepdf.new()
        out.pages.append(pdf.pages[page_no - 1])
        page = out.pages[0]
        page.Rotate = (int(page.obj.get("/Rotate", 0)) + extra) % 360
        out.save(dst, deterministic_id=True)
