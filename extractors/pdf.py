"""Opening a PDF safely: clear errors for files that are not PDFs, empty, truncated,
corrupt or encrypted, so the pipeline can record them as failed and go on."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pdfplumber
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
        n = len(pdf.pages)
    except (PDFPasswordIncorrect, PDFEncryptionError) as e:
        raise DocumentError(f"encrypted PDF: cannot be read without a password ({type(e).__name__})") from e
    except PDFSyntaxError as e:
        raise DocumentError(f"corrupt PDF: {e}") from e
    except Exception as e:  # pdfminer raises many kinds of errors on damaged files
        if "password" in str(e).lower() or "encrypt" in str(e).lower():
            raise DocumentError(f"encrypted PDF: cannot be read without a password ({e})") from e
        raise DocumentError(f"corrupt PDF: {type(e).__name__}: {e}") from e
    if n == 0:
        pdf.close()
        raise DocumentError("corrupt PDF: no pages")
    return pdf
