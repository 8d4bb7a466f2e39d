"""One PDF (or image file) -> its pages (prose lines and table fragments), its logical tables
and its signatures.

`read_pages` reads the text layer page by page (long documents over several processes, the
caller's among them, since pdfplumber is CPU-bound: `pool.py`); a page that fails is recorded with its
error and the others go on. Pages without text but with images are OCR'd
(`ocr.ocr_scanned_pages`: each page image turned upright and deskewed, its grid
found from the rules in the image, its text read cell by cell; once: results are
cached by the page image). Then page furniture is set aside, a page holding only the
middle of a row two page breaks cut gets that row (`cutrows.carry_cut_rows`), and fragments
are stitched into logical tables.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from .cutrows import carry_cut_rows
from .furniture import split_furniture
from .grid import build_fragments, cell_walls, pdfplumber_cell_boxes, prose_lines
from .images import image_kind, image_pdf
from .layout import POINTS_PER_INCH, PageContent, Word
from .letters import nfc
from .pool import default_workers, map_shared
from .pdf import (INTERNAL_ERROR, DocumentError, close_pdf, error_text, iter_pages, open_pdf, opened, page_count,
                  sideways_rotation, write_rotated_page)
from .settings import TEXT, ExtractSettings, ScanTableSettings, TextTableSettings, default
from .signatures import Signature, read_signatures
from .stitch import LogicalTable, stitch
from .tempdirs import temp_dir
from .headed import carry_columns
from .unruled import SETTINGS as UNRULED, UnruledSettings, add_unruled
from .words import rejoin_split_syllables, without_rules, page_words

if TYPE_CHECKING:
    from . import ocr_cache

log = logging.getLogger(__name__)

# How the pages are shared among processes (no tolerance: the pages read the same either way)
PAGES_PER_WORKER_MIN = 8  # below this many pages, one process is faster
PAGES_PER_TASK = 16  # pages a worker reads and sends back at a time (its memory: a few pages' results)
# address space a process reading pages is to have beyond what it maps when the pages are handed
# out (a 300-page task table: the helpers' peak was what they inherited; a margin for heavy pages)
PAGE_WORKER_MB = 512


@dataclass(frozen=True)
class ExtractedDocument:
    n_pages: int
    pages: tuple[PageContent, ...]
    tables: tuple[LogicalTable, ...]
    signatures: tuple[Signature, ...] = ()  # digital signatures, in signing order (`signatures.read_signatures`)


def _read_page(page, page_no: int, s: TextTableSettings = TEXT,
               unruled: UnruledSettings = UNRULED) -> tuple[PageContent, bool]:
    """Read one pdfplumber page; returns its content and whether it needs OCR."""
    try:
        n_chars = len(page.chars)
        boxes = pdfplumber_cell_boxes(page, s=s)
        words = page_words(page, walls=cell_walls(boxes), s=s)
        fragments, free = build_fragments(page_no, boxes, words, s=s)
        fragments, free = add_unruled(page_no, fragments, free, unruled, s)  # tables without rules, in what is left
        content = PageContent(page_no, float(page.width), float(page.height), "text", n_chars, tuple(prose_lines(free)), tuple(fragments))
        needs_ocr = is_scan(page, n_chars, s)
        return content, needs_ocr
    except Exception as e:  # a damaged page must not stop the document
        return _failed(page_no, e), False
    finally:
        page.close()


def is_scan(page, n_chars: int, s: TextTableSettings = TEXT) -> bool:
    """A page whose content is an image: no text layer, or one page-sized image under a
    thin text layer (a watermark or a stamp), as scanning software leaves them."""
    if not page.images:
        return False
    if n_chars < s.min_text_chars:
        return True
    area = float(page.width * page.height) or 1.0
    cover = max((img["x1"] - img["x0"]) * (img["bottom"] - img["top"]) for img in page.images) / area
    return n_chars < s.watermark_chars and cover >= s.scan_image_cover


@dataclass(frozen=True)
class _TextParts:
    """The settings of reading a text layer, as a process reading pages gets them (the OCR's stay home)."""
    text: TextTableSettings = TEXT
    unruled: UnruledSettings = UNRULED

    def __iter__(self):
        return iter((self.text, self.unruled))


def _text_parts(settings: ExtractSettings | None) -> _TextParts:
    settings = settings if settings is not None else default()
    return _TextParts(settings.text, settings.unruled)


def _failed(page_no: int, error: Exception) -> PageContent:
    """A page that could not be read; a bug of ours is marked as such and logged with its traceback."""
    text = error_text(error)
    if text.startswith(INTERNAL_ERROR):
        log.error("page %d: %s", page_no, text, exc_info=error)
    else:
        log.debug("page %d failed: %s", page_no, text, exc_info=error)
    return PageContent(page_no, 0.0, 0.0, "failed", 0, error=text)


def _read_upright(path: str, page, page_no: int, parts: _TextParts) -> tuple[PageContent, bool]:
    """Read a page; a page of sideways text (a landscape table printed rotated) is read from
    a copy turned upright, so its boxes are those of the page as a reader turns it."""
    try:
        turn = sideways_rotation(page)
    except Exception:  # noqa: BLE001 - _read_page reports the page's own error
        turn = None
    if turn is None:
        return _read_page(page, page_no, *parts)
    page.close()
    with temp_dir("rot-") as tmp:
        copy = tmp / "page.pdf"
        write_rotated_page(path, page_no, turn, copy)
        with opened(copy) as pdf:
            (_, upright), = iter_pages(pdf)
            return (_failed(page_no, upright), False) if isinstance(upright, Exception) else _read_page(upright, page_no, *parts)


def _read_range(path: str, first: int, last: int, parts: _TextParts) -> list[tuple[PageContent, bool]]:
    with opened(path) as pdf:
        return _read_open(pdf, path, first, last, parts)


def _read_open(pdf, path: str, first: int, last: int, parts: _TextParts) -> list[tuple[PageContent, bool]]:
    return [
        (_failed(n, page), False) if isinstance(page, Exception) else _read_upright(path, page, n, parts)
        for n, page in iter_pages(pdf, first, last)
    ]


_worker_pdf: tuple[str, object] | None = None  # the document a process reading pages has open: (path, pdf)


def _read_task(path: str, first: int, last: int, parts: _TextParts) -> list[tuple[PageContent, bool]]:
    """Pages first..last, in a process that opens the document once for all its tasks."""
    global _worker_pdf
    if _worker_pdf is None or _worker_pdf[0] != path:
        _close_worker_pdf()
        _worker_pdf = (path, open_pdf(path))
    return _read_open(_worker_pdf[1], path, first, last, parts)


def _close_worker_pdf() -> None:
    global _worker_pdf
    if _worker_pdf is not None:
        close_pdf(_worker_pdf[1])
        _worker_pdf = None


def _ranges(n_pages: int, size: int) -> list[tuple[int, int]]:
    return [(a, min(a + size - 1, n_pages)) for a in range(1, n_pages + 1, size)]


def read_pages(path: str | Path, *, workers: int | None = None, memory_mb: int | None = None,
               settings: ExtractSettings | None = None) -> list[tuple[PageContent, bool]]:
    """Every page's content read from the text layer, with a needs-OCR flag (the text
    layer's parts of `settings`, `settings.DEFAULT` if None).

    `workers` processes at most read the pages, this one among them (`pool.map_shared`; one
    per PAGES_PER_WORKER_MIN pages at most), within `memory_mb` in all. With several, pages go
    out in tasks of PAGES_PER_TASK (taken in turn by whichever process is free) and come back
    task by task: a process holds the results of a few pages at a time, not those of its
    half of the document."""
    path = str(path)
    parts = _text_parts(settings)
    with opened(path) as pdf:
        n_pages = page_count(pdf)
    workers = workers or default_workers()
    workers = max(1, min(workers, n_pages // PAGES_PER_WORKER_MIN))
    if workers == 1:
        return _read_range(path, 1, n_pages, parts)
    tasks = _ranges(n_pages, min(PAGES_PER_TASK, -(-n_pages // workers)))
    try:
        done = map_shared(_read_task, [(path, a, b, parts) for a, b in tasks], workers=workers, memory_mb=memory_mb,
                          need_mb=PAGE_WORKER_MB)
    finally:
        _close_worker_pdf()  # this process read some of the tasks itself
    return [item for part in done for item in part]


def _ocr(path: str, pages: Sequence[PageContent], settings: ExtractSettings, workers: int | None = None,
         memory_mb: int | None = None, ocr_store: ocr_cache.Store | None = None) -> dict[int, PageContent]:
    """OCR the given pages once each (`ocr.ocr_scanned_pages`: upright, deskewed, grid
    from the image, text cell by cell, cached; `workers` processes within `memory_mb`);
    returns their content ('ocr' or 'failed')."""
    from .ocr import ocr_scanned_pages

    results = ocr_scanned_pages(path, [p.page for p in pages], workers=workers, memory_mb=memory_mb,
                                settings=settings, store=ocr_store)
    out = {}
    for n, result in results.items():
        if isinstance(result, str):
            out[n] = PageContent(n, 0.0, 0.0, "failed", 0, error=result)
            continue
        try:
            out[n] = ocr_content(n, result, settings)
        except Exception as e:  # a damaged result must not stop the document
            log.debug("page %d of %s: OCR result unusable", n, path, exc_info=True)
            out[n] = _failed(n, e)
    return out


def ocr_content(page_no: int, result: dict, settings: ExtractSettings | None = None) -> PageContent:
    """A page's content from its OCR result: words into the cells of its grid (upright,
    deskewed frame), the rest prose; each row's box mapped back onto the page as scanned
    (so a highlight sits on the tilted row)."""
    from .ocr_cells import map_back

    settings = settings if settings is not None else default()
    words = []
    heights = sorted(w[4] - w[2] for w in result["words"]) or [0.0]
    half = heights[len(heights) // 2] / 2  # a dash or a word without ascenders still spans a line's height
    for text, *box, _conf in without_specks(result["words"], 2 * half, settings.scans):
        text = nfc(text)
        x0, top, x1, bottom = map(float, box)
        mid = (top + bottom) / 2
        top, bottom = min(top, mid - half), max(bottom, mid + half)
        # an OCR box holds the ink; a glyph's advance is wider by its side bearings
        per_char = settings.scans.glyph_advance * (x1 - x0) / max(len(text), 1)
        words.extend(without_rules(Word(text, x0, top, x1, bottom, per_char, per_char)))
    words = rejoin_split_syllables(words)
    tables = [[tuple(map(float, b)) for b in boxes] for boxes in result["tables"]]
    fragments, free = build_fragments(page_no, tables, words, split_rows=False,  # rows from the image's rules
                                      s=settings.text)
    back, scale = result["back"], POINTS_PER_INCH / settings.ocr.dpi  # OCR results are in pixels at this resolution
    fragments = [
        replace(f, rows=tuple(replace(r, box=map_back(r.box, back, scale)) for r in f.rows)) for f in fragments
    ]
    n_chars = sum(len(w.text) for w in words)
    return PageContent(page_no, float(result["width"]), float(result["height"]), "ocr", n_chars,
                       tuple(prose_lines(free)), tuple(fragments))


def without_specks(words: list, median_height: float, s: ScanTableSettings) -> list:
    """OCR words (text, x0, top, x1, bottom, confidence) less the strokes of a seal or specks of
    the scan read as words, read with less than `speck_confidence`: ink no taller than
    `speck_height` of the page's `median_height` ("lân" 2 pt tall at 38 over a 9-pt line), or a
    word of letters no Vietnamese text prints ("V,ÏÍ" at 0: `_foreign`). A dash or a dot of the text
    is read with confidence and stays."""
    return [w for w in words if w[5] >= s.speck_confidence
            or (w[4] - w[2] > s.speck_height * median_height and not _foreign(w[0]))]


def _foreign(text: str) -> bool:
    """Letters of a word no Vietnamese text prints, two letters or more: a lone one read unsure
    may stand for a letter the next steps mend (a wrapped "g" of "Thán|g" read as "Š")."""
    return sum(ch.isalpha() for ch in text) >= 2 and not all(map(printed_in_vietnamese, text))


_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b"}  # tones, hats, horn


def printed_in_vietnamese(ch: str) -> bool:
    """Is `ch` no letter, or a letter of the Vietnamese alphabet (a Latin letter or đ with the
    tone marks, circumflex, breve and horn only)? Signs are not judged: a date's "⁄" is one."""
    if not ch.isalpha():
        return True
    base, *marks = unicodedata.normalize("NFD", ch)
    return (base.isascii() or base in "đĐ") and all(m in _MARKS for m in marks)


def extract_pages(path: str | Path, *, workers: int | None = None, ocr: bool = True,
                  memory_mb: int | None = None, settings: ExtractSettings | None = None,
                  ocr_store: ocr_cache.Store | None = None) -> tuple[PageContent, ...]:
    """Every page read (OCR'd where it is a scan, the OCR kept in `ocr_store`: `ocr_cache`),
    furniture set aside, by at most `workers` processes at once (this one among them) within
    `memory_mb` in all, with `settings` (`settings.DEFAULT` if None). Raises DocumentError."""
    settings = settings if settings is not None else default()
    read = read_pages(path, workers=workers, memory_mb=memory_mb, settings=settings)
    pages = [c for c, _ in read]
    scans = [c for c, needs in read if needs]
    if scans and ocr:
        redone = _ocr(str(path), scans, settings, workers, memory_mb, ocr_store)
        pages = [redone.get(p.page, p) for p in pages]
    pages = carry_columns(pages, s=settings.text, unruled=settings.unruled)  # a header's columns on the pages after it
    split = split_furniture([(p.lines, p.height) for p in pages], s=settings.text)
    pages = [replace(p, lines=tuple(body), furniture=tuple(l.text for l in furn), furniture_boxes=tuple(l.box for l in furn))
             for p, (body, furn) in zip(pages, split)]
    return tuple(carry_cut_rows(pages, s=settings.text))  # a page holding only the middle of a cut row


def document_signatures(path: str | Path) -> tuple[Signature, ...]:
    """The PDF's digital signatures; a signature part pyHanko cannot parse is logged with its
    traceback and leaves the document unsigned in the data (its pages are read as usual)."""
    try:
        return read_signatures(path)
    except Exception as e:  # noqa: BLE001 - the pages and tables do not depend on it
        log.warning("%s: signatures not read (%s: %s)", path, type(e).__name__, e, exc_info=True)
        return ()


def extract_document(path: str | Path, *, workers: int | None = None, ocr: bool = True,
                     memory_mb: int | None = None, settings: ExtractSettings | None = None,
                     ocr_store: ocr_cache.Store | None = None) -> ExtractedDocument:
    """Pages, logical tables and signatures of one PDF, or the pages and tables of an image
    file (TIFF, JPEG, PNG, PGM: a page per frame, read as a scanned PDF, `images.py`).
    At most `workers` processes read its pages at once, this one among them (default: two,
    or one on a one-core machine); `memory_mb`, when given, is the address space of all of
    them together (`pool.py`). Read with `settings` (`settings.DEFAULT` if None: what
    `pipeline.runtime.versions` fingerprints); scanned pages' OCR kept in `ocr_store`
    (`ocr_cache.Store`; the process's default store if None: `ocr_cache.use`). Raises DocumentError."""
    settings = settings if settings is not None else default()
    try:
        kind = image_kind(path)
    except OSError as e:
        raise DocumentError(f"cannot be read: {e.strerror or e}") from e
    if kind is not None:
        with temp_dir("img-") as tmp:
            pdf = tmp / "pages.pdf"
            image_pdf(path, pdf)
            pages = extract_pages(pdf, workers=workers, ocr=ocr, memory_mb=memory_mb, settings=settings,
                                  ocr_store=ocr_store)
            return ExtractedDocument(len(pages), pages, _tables(pages, settings))
    pages = extract_pages(path, workers=workers, ocr=ocr, memory_mb=memory_mb, settings=settings, ocr_store=ocr_store)
    return ExtractedDocument(len(pages), pages, _tables(pages, settings), document_signatures(path))


def _tables(pages: Sequence[PageContent], settings: ExtractSettings) -> tuple[LogicalTable, ...]:
    return tuple(stitch(pages, s=settings.text, scan=settings.scans))


__all__ = ["DocumentError", "ExtractedDocument", "extract_document", "extract_pages", "read_pages"]
