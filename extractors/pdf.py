"""Opening a PDF safely: clear errors for files that are not PDFs, empty, truncated,
corrupt or encrypted, so the pipeline can record them as failed and go on; and its pages,
counted from the page tree itself, each built on its own (its content streams checked first,
`streams.check_content_streams`) so that a broken page is reported as that page's error
instead of being dropped, read as empty, or stopping the others.

Files are only ever opened through `open_regular`: a FIFO, a device or a folder (a stray
entry of the raw folder, or a symlink to /dev/zero) is refused before a byte is read,
so nothing here can block on it or read it forever.
"""

from __future__ import annotations

import errno
import hashlib
import itertools
import logging
import os
import stat
import zlib
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFNoPageLabels, PDFPasswordIncorrect
from pdfminer.pdfpage import LITERAL_PAGE, LITERAL_PAGES, PDFPage
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.pdftypes import PDFObjRef, resolve1
from pdfplumber.page import Page

from .pdfpage import LeanPage
from .streams import PageError, check_content_streams

log = logging.getLogger(__name__)

# Tolerances of opening and page building, in one place.
HEAD_BYTES = 1024  # "%PDF-" must appear in the first KB (as every reader requires)
TAIL_CHUNK = 1 << 20  # the end-of-file marker is looked for backwards, a MB at a time, up to the start


class DocumentError(Exception):
    """The document as a whole cannot be read; the message says why, for users."""


class EnvironmentFailure(Exception):
    """The machine cannot do the work (an OCR model not installed, an engine that does not
    start): not the document's fault, so never recorded as its result; the run fails and says
    what to install or fix, and a rerun on the fixed machine reads the document."""


class NotRegularFile(OSError):
    """A path that is not a regular file (a FIFO, a device, a folder): never read."""


def file_kind(mode: int) -> str:
    """What a stat mode is, in words, for messages: 'FIFO', 'character device', ..."""
    for test, name in (
        (stat.S_ISREG, "regular file"), (stat.S_ISDIR, "folder"), (stat.S_ISFIFO, "FIFO"),
        (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device"), (stat.S_ISSOCK, "socket"),
        (stat.S_ISLNK, "symlink"),
    ):
        if test(mode):
            return name
    return "special file"


def open_regular(path: str | Path) -> BinaryIO:
    """Open a regular file for binary reading; anything else raises `NotRegularFile` (an
    OSError) without blocking: the open is non-blocking and the kind is checked on the open
    descriptor, so a file swapped for a FIFO after a stat cannot hang the reader."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(errno.EINVAL, f"not a regular file ({file_kind(mode)})", os.fsdecode(path))
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def sha256_file(path: str | Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open_regular(path) as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def _has_end_marker(f: BinaryIO, size: int) -> bool:
    """Whether "%%EOF" or "startxref" occurs anywhere, looking backwards from the end (where
    it nearly always is, unless data was appended after it, which readers accept)."""
    end, keep = size, b""
    while end > 0:
        start = max(end - TAIL_CHUNK, 0)
        f.seek(start)
        block = f.read(end - start) + keep
        if b"%%EOF" in block or b"startxref" in block:
            return True
        keep, end = block[:16], start
    return False


def check_pdf_bytes(f: BinaryIO | str | Path) -> None:
    """Cheap checks before parsing: empty file, not a PDF at all, no end-of-file marker
    (of an open file, or of the regular file at a path)."""
    if isinstance(f, (str, Path)):
        with open_regular(f) as opened_file:
            return check_pdf_bytes(opened_file)
    size = os.fstat(f.fileno()).st_size
    if size == 0:
        raise DocumentError("empty file (0 bytes)")
    f.seek(0)
    if b"%PDF-" not in f.read(HEAD_BYTES):
        raise DocumentError("not a PDF (nor an image file): the file does not start with a %PDF- header")
    if not _has_end_marker(f, size):
        raise DocumentError("truncated PDF: no end-of-file marker at the end of the file")
    f.seek(0)


def open_pdf(path: str | Path) -> pdfplumber.PDF:
    """Open with pdfplumber, turning every failure into a DocumentError with a reason."""
    try:
        f = open_regular(path)
    except OSError as e:
        raise DocumentError(f"cannot be read: {e.strerror or e}") from e
    try:
        check_pdf_bytes(f)
        pdf = pdfplumber.open(f)
    except DocumentError:
        f.close()
        raise
    except Exception as e:  # pdfminer raises many kinds of errors on damaged files
        f.close()
        raise _document_error(e) from e
    try:
        n = page_count(pdf)
    except Exception as e:
        close_pdf(pdf)
        raise _document_error(e) from e
    if n == 0:
        close_pdf(pdf)
        raise DocumentError("corrupt PDF: no pages")
    return pdf


def _document_error(e: Exception) -> DocumentError:
    cause = next((a for a in (*getattr(e, "args", ()), e.__context__, e) if isinstance(a, BaseException)), e)
    if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)) or "password" in str(e).lower():
        return DocumentError(f"encrypted PDF: cannot be read without its password ({type(cause).__name__})")
    if isinstance(cause, PDFSyntaxError):
        return DocumentError(f"corrupt PDF: {cause}")
    return DocumentError(f"corrupt PDF: {type(cause).__name__}: {cause}")


def close_pdf(pdf: pdfplumber.PDF) -> None:
    """Close a PDF `open_pdf` opened. (pdfplumber's own close() builds every page first,
    which fails on a malformed page; the stream is always ours.)"""
    pdf.stream.close()


@contextmanager
def opened(path: str | Path) -> Iterator[pdfplumber.PDF]:
    """`open_pdf` as a context manager that closes the file even if a page is malformed."""
    pdf = open_pdf(path)
    try:
        yield pdf
    finally:
        close_pdf(pdf)


def _labels(doc) -> Iterator[str | None]:
    try:
        yield from doc.get_page_labels()
    except PDFNoPageLabels:
        pass
    except Exception:  # noqa: BLE001 - labels are cosmetic; a broken label tree leaves them out
        log.debug("page labels unreadable", exc_info=True)
    yield from itertools.repeat(None)


def _page_tree(doc) -> list[tuple[object, dict] | Exception]:
    """The leaves of the page tree, in order: (object id, attributes with the inherited
    ones) or the exception that made a leaf unreadable.

    pdfminer's `PDFPage.create_pages` keeps only leaves whose /Type is /Page, so a page
    object without /Type vanishes and every later page is numbered one too low. Here, as
    in pdfium and qpdf, a node with /Kids is an inner node and any other node is a page.
    """
    root = doc.catalog.get("Pages")
    if root is None:
        return []
    out: list[tuple[object, dict] | Exception] = []
    seen: set[int] = set()
    leaves: dict[int, int] = {}  # object id of each page -> its page number
    stack: list[Iterator] = [iter([(root, doc.catalog)])]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
            continue
        ref, parent = item
        objid = ref.objid if isinstance(ref, PDFObjRef) else None
        if objid is not None:
            if objid in seen:
                if objid in leaves:  # a page listed twice: its place is kept, and said (pdfium counts it too)
                    out.append(PageError(f"page object {objid} 0 R is listed a second time in the page tree "
                                         f"(it is page {leaves[objid]}); not read twice"))
                    log.warning("page tree: page object %s listed twice", objid)
                else:
                    log.warning("page tree: object %s appears twice (a loop); left out the second time", objid)
                continue
            seen.add(objid)
        try:
            node = resolve1(ref)
            if not isinstance(node, dict):
                raise PageError(f"page object {objid} is not a dictionary but {type(node).__name__}")
        except Exception as e:  # noqa: BLE001 - the page's error
            out.append(e)
            continue
        attrs = dict(node)
        for k in PDFPage.INHERITABLE_ATTRS:
            if k not in attrs and k in parent:
                attrs[k] = parent[k]
        kind = resolve1(attrs.get("Type", attrs.get("type")))
        kids = resolve1(attrs.get("Kids"))
        if parent is doc.catalog and kind is not LITERAL_PAGE and kids is None:
            return []  # a root without /Kids: no tree to walk (pdfminer's fallback looks for pages)
        if kind is LITERAL_PAGES or (kind is not LITERAL_PAGE and kids is not None):
            if kind is not LITERAL_PAGES:
                log.warning("page tree: node %s has /Kids but no /Type /Pages; read as an inner node", objid)
            stack.append(iter([(kid, attrs) for kid in (kids if isinstance(kids, list) else [])]))
        else:
            if kind is not LITERAL_PAGE:
                log.warning("page tree: page object %s has no /Type /Page; read as a page", objid)
            out.append((objid, attrs))
            if objid is not None:
                leaves[objid] = len(out)
    return out


def _pages(doc) -> list[PDFPage | Exception]:
    """Every page (a PDFPage, or the exception that prevented building it), numbered from 1."""
    leaves = _page_tree(doc)
    if not leaves:  # no page tree: pdfminer's fallback looks for /Type /Page objects
        return list(PDFPage.create_pages(doc))
    pages: list[PDFPage | Exception] = []
    for leaf, label in zip(leaves, _labels(doc)):
        if isinstance(leaf, Exception):
            pages.append(leaf)
            continue
        try:
            pages.append(PDFPage(doc, leaf[0], leaf[1], label))
        except Exception as e:  # noqa: BLE001 - the page's error
            pages.append(e)
    return pages


def _pages_of(pdf: pdfplumber.PDF) -> list[PDFPage | Exception]:
    """`_pages` of an open PDF, worked out once per opening."""
    cached = pdf.__dict__.get("_nhiemvu_pages")
    if cached is None:
        cached = pdf.__dict__["_nhiemvu_pages"] = _pages(pdf.doc)
    return cached


def page_count(pdf: pdfplumber.PDF) -> int:
    """Number of pages in the page tree (without reading their content)."""
    return len(_pages_of(pdf))


def iter_pages(pdf: pdfplumber.PDF, first: int = 1, last: int | None = None) -> Iterator[tuple[int, Page | Exception]]:
    """(page number, pdfplumber page) for pages first..last; a page that cannot even be
    built (a malformed page dictionary, a content stream that does not inflate) comes as
    its exception, and the others still come."""
    for number, obj in enumerate(_pages_of(pdf), start=1):
        if number < first:
            continue
        if last is not None and number > last:
            break
        if isinstance(obj, Exception):
            yield number, obj
            continue
        try:
            check_content_streams(obj)
        except PageError as e:
            yield number, e
            continue
        except Exception as e:  # noqa: BLE001 - the check is a guard; pdfminer reads the page as usual
            log.warning("page %d: content streams not checked (%s: %s)", number, type(e).__name__, e)
            log.debug("content stream check of page %d", number, exc_info=True)
        try:
            page: Page | Exception = LeanPage(pdf, obj, page_number=number, initial_doctop=0)
        except Exception as e:  # noqa: BLE001 - reported as the page's error
            log.debug("page %d cannot be built", number, exc_info=True)
            page = e
        yield number, page


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


INTERNAL_ERROR = "internal error"
_OUR_PACKAGES = (f"{os.sep}extractors{os.sep}", f"{os.sep}normalizers{os.sep}")


def _wrapped(error: BaseException) -> BaseException:
    """The library error inside pdfplumber's `PdfminerException` (raised from pdfplumber's
    frames or ours, wrapping what pdfminer raised from its own)."""
    seen = set()
    while type(error).__name__ == "PdfminerException" and id(error) not in seen:
        seen.add(id(error))
        inner = error.__cause__ or error.__context__ or next(
            (a for a in getattr(error, "args", ()) if isinstance(a, BaseException)), None)
        if inner is None:
            break
        error = inner
    return error


def is_our_bug(error: BaseException) -> bool:
    """Whether an exception comes from our own code rather than from a damaged file: the frame
    that raised it is in extractors/ or normalizers/ (a library that chokes on a malformed page
    raises from its own frames, whatever the exception's type; pdfplumber's wrapper of
    pdfminer's errors is judged by what it wraps). Too deep a recursion is the file's nesting
    (forms in forms, a thousand levels)."""
    error = _wrapped(error)
    if isinstance(error, (DocumentError, PageError, NotRegularFile, MemoryError, RecursionError, zlib.error)):
        return False  # raised on purpose to say what is wrong with the file, or its nesting
    tb = error.__traceback__
    last = None
    while tb is not None:
        last = tb
        tb = tb.tb_next
    return last is not None and any(p in last.tb_frame.f_code.co_filename for p in _OUR_PACKAGES) \
        and "site-packages" not in last.tb_frame.f_code.co_filename


def error_text(error: BaseException) -> str:
    """One line for the data: the exception's type and first line, marked when it is our bug."""
    inner = _wrapped(error)
    text = f"{type(inner).__name__}: {(str(inner).splitlines() or [''])[0][:300]}"
    return f"{INTERNAL_ERROR}: {text}" if is_our_bug(error) else text


def as_document_error(error: Exception) -> Exception:
    """What a failure of reading a whole document is: the document's (a `DocumentError` saying
    why) unless our own code raised it or the machine failed (a library that is not installed
    is the machine's: `EnvironmentFailure`; one that cannot be mapped under the memory limit
    stays as it is, for the limit to be reported)."""
    if isinstance(error, (DocumentError, EnvironmentFailure)) or is_our_bug(error):
        return error
    text = str(error).lower()
    if isinstance(error, ImportError) and not any(s in text for s in ("failed to map segment", "cannot allocate")):
        return EnvironmentFailure(f"a library cannot be loaded on this machine: {type(error).__name__}: {error}")
    if isinstance(_wrapped(error), RecursionError):
        return DocumentError("too deeply nested to be read (forms or objects inside one another, "
                             "beyond Python's recursion limit)")
    return DocumentError(f"cannot be read: {error_text(error)}")

