"""One PDF -> its pages (prose lines and table fragments) and its logical tables.

`read_pages` reads the text layer page by page (in worker processes for long
documents, since pdfplumber is CPU-bound); a page that fails is recorded with its
error and the others go on. Pages without text but with images are OCR'd
(`ocr.ocr_pages`) and read again from the OCR'd copy, with the table grid from
camelot's lattice. Then page furniture is set aside and fragments are stitched
into logical tables.
"""

from __future__ import annotations

import logging
import os
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Sequence

from .furniture import split_furniture
from .grid import build_fragments, pdfplumber_cell_boxes, prose_lines
from .layout import PageContent
from .pdf import INTERNAL_ERROR, DocumentError, error_text, iter_pages, opened, page_count, sideways_rotation, write_rotated_page
from .stitch import LogicalTable, stitch
from .words import page_words

log = logging.getLogger(__name__)

MIN_TEXT_CHARS = 20  # a page with fewer characters than this and an image is a scan
SCAN_IMAGE_COVER = 0.9  # ... and so is a page covered by one image with only a watermark of text
WATERMARK_CHARS = 200
MIN_SKEW = 0.3  # degrees: an OCR'd page tilted more than this is also tried deskewed
PAGES_PER_WORKER_MIN = 8  # below this many pages, one process is faster


@dataclass(frozen=True)
class ExtractedDocument:
    n_pages: int
    pages: tuple[PageContent, ...]
    tables: tuple[LogicalTable, ...]


def _read_page(page, page_no: int, grid: Callable | None = None) -> tuple[PageContent, bool]:
    """Read one pdfplumber page; returns its content and whether it needs OCR."""
    try:
        n_chars = len(page.chars)
        words = page_words(page, ocr=grid is not None)
        boxes = grid(page_no, float(page.height)) if grid else pdfplumber_cell_boxes(page)
        fragments, free = build_fragments(page_no, boxes, words)
        content = PageContent(page_no, float(page.width), float(page.height), "text", n_chars, tuple(prose_lines(free)), tuple(fragments))
        needs_ocr = grid is None and is_scan(page, n_chars)
        return content, needs_ocr
    except Exception as e:  # a damaged page must not stop the document
        return _failed(page_no, e), False
    finally:
        page.close()


def is_scan(page, n_chars: int) -> bool:
    """A page whose content is an image: no text layer, or one page-sized image under a
    thin text layer (a watermark or a stamp), as scanning software leaves them."""
    if not page.images:
        return False
    if n_chars < MIN_TEXT_CHARS:
        return True
    area = float(page.width * page.height) or 1.0
    cover = max((img["x1"] - img["x0"]) * (img["bottom"] - img["top"]) for img in page.images) / area
    return n_chars < WATERMARK_CHARS and cover >= SCAN_IMAGE_COVER


def _failed(page_no: int, error: Exception) -> PageContent:
    """A page that could not be read; a bug of ours is marked as such and logged with its traceback."""
    text = error_text(error)
    if text.startswith(INTERNAL_ERROR):
        log.error("page %d: %s", page_no, text, exc_info=error)
    else:
        log.debug("page %d failed: %s", page_no, text, exc_info=error)
    return PageContent(page_no, 0.0, 0.0, "failed", 0, error=text)


def _read_upright(path: str, page, page_no: int) -> tuple[PageContent, bool]:
    """Read a page; a page of sideways text (a landscape table printed rotated) is read from
    a copy turned upright, so its boxes are those of the page as a reader turns it."""
    try:
        turn = sideways_rotation(page)
    except Exception:  # noqa: BLE001 - _read_page reports the page's own error
        turn = None
    if turn is None:
        return _read_page(page, page_no)
    page.close()
    with tempfile.TemporaryDirectory(prefix="nhiemvu-rot-") as tmp:
        copy = Path(tmp) / "page.pdf"
        write_rotated_page(path, page_no, turn, copy)
        with opened(copy) as pdf:
            (_, upright), = iter_pages(pdf)
            return (_failed(page_no, upright), False) if isinstance(upright, Exception) else _read_page(upright, page_no)


def _read_range(path: str, first: int, last: int) -> list[tuple[PageContent, bool]]:
    with opened(path) as pdf:
        return [
            (_failed(n, page), False) if isinstance(page, Exception) else _read_upright(path, page, n)
            for n, page in iter_pages(pdf, first, last)
        ]


def _ranges(n_pages: int, workers: int) -> list[tuple[int, int]]:
    size = -(-n_pages // workers)
    return [(a, min(a + size - 1, n_pages)) for a in range(1, n_pages + 1, size)]


def read_pages(path: str | Path, *, workers: int | None = None) -> list[tuple[PageContent, bool]]:
    """Every page's content read from the text layer, with a needs-OCR flag."""
    path = str(path)
    with opened(path) as pdf:
        n_pages = page_count(pdf)
    workers = workers or min(os.cpu_count() or 1, 2)
    workers = max(1, min(workers, n_pages // PAGES_PER_WORKER_MIN))
    if workers == 1:
        return _read_range(path, 1, n_pages)
    with ProcessPoolExecutor(workers) as pool:
        parts = pool.map(_read_range, [path] * workers, *zip(*_ranges(n_pages, workers)))
        return [item for part in parts for item in part]


def _ocr(path: str, pages: Sequence[PageContent]) -> dict[int, PageContent]:
    """OCR the given pages; returns their new content (method 'ocr' or 'failed').

    Pages whose OCR'd lines are tilted by more than MIN_SKEW are OCR'd again, deskewed,
    and the reading whose table grid is better is kept (`_grid_quality`): a tilt turns
    rules into bands that break the grid, but resampling a straight-enough scan can
    erase a faint rule.
    """
    result = _ocr_pass(path, [p.page for p in pages], deskew=False)
    tilted = [n for n, (_, skew) in result.items() if abs(skew) > MIN_SKEW]
    if tilted:
        for n, (content, skew) in _ocr_pass(path, tilted, deskew=True).items():
            if _grid_quality(content) >= _grid_quality(result[n][0]):  # a tie goes to the straight page
                result[n] = (content, skew)
    return {n: content for n, (content, _) in result.items()}


def _grid_quality(page: PageContent) -> tuple[int, int]:
    """More cells holding text is better (no rule lost); then fewer empty cells (no bands)."""
    cells = [c for f in page.fragments for r in f.rows for c in r.cells]
    filled = sum(1 for c in cells if c.lines)
    return filled, filled - len(cells)


def _ocr_pass(path: str, numbers: Sequence[int], *, deskew: bool) -> dict[int, tuple[PageContent, float]]:
    """(content, skew of its text in degrees) of each page OCR'd into a temporary copy."""
    from .ocr import camelot_cell_boxes, ocr_pages, text_skew

    with tempfile.TemporaryDirectory(prefix="nhiemvu-ocr-") as tmp:
        out = Path(tmp) / "ocr.pdf"
        try:
            ocr_pages(path, out, numbers, deskew=deskew)
        except Exception as e:
            failed = PageContent(0, 0.0, 0.0, "failed", 0, error=f"OCR failed: {type(e).__name__}: {e}")
            return {n: (replace(failed, page=n), 0.0) for n in numbers}
        result = {}
        grid = lambda page_no, height: camelot_cell_boxes(out, page_no, height)  # noqa: E731
        with opened(out) as pdf:
            for n, page in iter_pages(pdf):
                if n not in numbers:
                    continue
                if isinstance(page, Exception):
                    result[n] = (_failed(n, page), 0.0)
                    continue
                skew = text_skew(page.chars)
                content = _read_page(page, n, grid)[0]
                result[n] = (content if content.method == "failed" else replace(content, method="ocr"), skew)
        return result


def extract_pages(path: str | Path, *, workers: int | None = None, ocr: bool = True) -> tuple[PageContent, ...]:
    """Every page read (OCR'd where it is a scan), furniture set aside. Raises DocumentError."""
    read = read_pages(path, workers=workers)
    pages = [c for c, _ in read]
    scans = [c for c, needs in read if needs]
    if scans and ocr:
        redone = _ocr(str(path), scans)
        pages = [redone.get(p.page, p) for p in pages]
    split = split_furniture([(p.lines, p.height) for p in pages])
    return tuple(
        replace(p, lines=tuple(body), furniture=tuple(l.text for l in furn)) for p, (body, furn) in zip(pages, split)
    )


def extract_document(path: str | Path, *, workers: int | None = None, ocr: bool = True) -> ExtractedDocument:
    """Pages and logical tables of one PDF. Raises DocumentError."""
    pages = extract_pages(path, workers=workers, ocr=ocr)
    return ExtractedDocument(len(pages), pages, tuple(stitch(pages)))


__all__ = ["DocumentError", "ExtractedDocument", "extract_document", "extract_pages", "read_pages"]
