"""OCR of scanned pages, offline: each page rendered, read once, the result cached.

`ocr_scanned_pages` renders every scanned page of a PDF (pypdfium2, at the OCR's resolution) and
reads it with `ocr_cells.ocr_page_image` (turned upright, deskewed, the grid from the
rules in the image, Tesseract's Vietnamese model cell by cell), with the OCR's, the scan grid's
and the preparation's settings passed in (`settings.ExtractSettings`: `ocr`, `scan_grid`,
`scan_prep`; `settings.DEFAULT` when none are), over as many processes as the
caller gives the document (`workers`, this one among them, within `memory_mb` in all:
`pool.map_shared`), Tesseract with one OpenMP thread in each: a process is one core. A page whose image was read
before (`ocr_cache`, keyed by the pixels, in the store the caller passes) is not read again. `STATS` counts pages
read and pages found in the cache in this process, for tests and benchmarks.
"""

from __future__ import annotations

import logging
import math
import os
from collections import Counter
from pathlib import Path
from typing import Sequence

from typing import TYPE_CHECKING, NamedTuple

from . import ocr_cache
from .layout import POINTS_PER_INCH
from .pool import default_workers, map_shared, mapped_mb, out_of_memory

if TYPE_CHECKING:
    from .ocr_cells import OcrSettings
    from .scan_grid import GridSettings
    from .scan_prep import PrepSettings
    from .settings import ExtractSettings

log = logging.getLogger(__name__)

# One OpenMP thread per process (read when Tesseract is loaded, after this): a process of the
# budget is one core, and Tesseract is faster on these machines so.
os.environ["OMP_THREAD_LIMIT"] = "1"
# address space a process OCRing pages is to have beyond what it maps when the pages are handed
# out (measured: a helper OCRing a scan peaked 600 MB above its parent, Tesseract's models loaded)
OCR_WORKER_MB = 1024
# what loading Tesseract's engine and models adds to a process's address space (measured: 390 MB);
# under a memory limit that leaves less, the OCR cannot start (a library fails to map, or worse)
OCR_LOAD_MB = 400
STATS: Counter = Counter()  # "ocr": pages read by Tesseract, "cached": pages found in the cache

_reader = None  # one Tesseract engine per process, loaded on first use
OCR_FAILED = "OCR failed"  # how the error of a page whose OCR failed begins


class OcrParts(NamedTuple):
    """The settings that change what a scanned page reads as (the parts of `ExtractSettings`
    the OCR takes; the scanned tables' `scans` act after it, on its result)."""

    ocr: OcrSettings
    grid: GridSettings
    prep: PrepSettings

    @classmethod
    def of(cls, settings: ExtractSettings | None = None) -> OcrParts:
        from .settings import default

        s = settings if settings is not None else default()
        return cls(s.ocr, s.scan_grid, s.scan_prep)


def _get_reader(s: OcrSettings):
    """This process's Tesseract engines, reading with `s` (loaded again only for other models)."""
    global _reader
    if _reader is not None and (_reader.s.language, _reader.s.numbers_language) != (s.language, s.numbers_language):
        _reader.close()
        _reader = None
    if _reader is None:
        from .ocr_cells import Reader

        _reader = Reader(s)
    _reader.s = s
    return _reader


def render_page(path: str | Path, page_no: int, dpi: int):
    """RGB pixels (numpy array) of page `page_no` (1-based) at `dpi`, /Rotate applied."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return _render(pdf[page_no - 1], dpi)
    finally:
        pdf.close()


def _render(page, dpi: float):
    import numpy as np

    bitmap = page.render(scale=dpi / POINTS_PER_INCH, rev_byteorder=True)
    return np.ascontiguousarray(bitmap.to_numpy()[:, :, :3])


def image_dpi(page) -> float | None:
    """Resolution of the largest image on a pypdfium2 page as the page shows it (pixels per
    inch of the page), or None for a page without images."""
    import pypdfium2.raw as pdfium_c

    best = None
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        meta = obj.get_metadata()
        size = meta.width * meta.height
        if meta.horizontal_dpi > 0 and (best is None or size > best[0]):
            best = (size, min(meta.horizontal_dpi, meta.vertical_dpi or meta.horizontal_dpi))
    return best[1] if best else None


def page_source(path: str, page_no: int, parts: OcrParts | None = None) -> tuple:
    """(pixels that key the page, what keys them besides the pixels, the resolution of a page
    scanned at a low one, else None): such a page is rendered at its own resolution and
    prepared (`scan_prep.prepare`: upsampled, faint rules restored) only when it is read, its
    key the image as scanned with the OCR's, the grid's and the preparation's settings; any
    other page is rendered at the OCR's resolution, its key the OCR's and the grid's settings
    (what the preparation's are does not change what it reads as)."""
    import pypdfium2 as pdfium

    from . import scan_prep

    ocr, grid, prep = parts if parts is not None else OcrParts.of()
    pdf = pdfium.PdfDocument(str(path))  # opened once for the page's resolution and its pixels
    try:
        page = pdf[page_no - 1]
        native = image_dpi(page)
        if scan_prep.needs_prep(native, prep):
            return _render(page, native), (ocr, grid, prep), native
        return _render(page, ocr.dpi), (ocr, grid), None
    finally:
        pdf.close()


def read_page(pixels, low_dpi: float | None, reader, parts: OcrParts | None = None, *, first: bool = False) -> dict:
    """The OCR result of a page's pixels (`page_source`): a low-resolution page prepared first
    (`scan_prep.prepare_text`: the image its grid is found in, the one its cells are read in),
    and its item numbers read again in its grey (`ocr_cells.ocr_page_image`, `upsampled`); the
    `first` page of a document its header band read again as printed (`ocr_header`)."""
    from . import ocr_header, scan_prep
    from .ocr_cells import ocr_page_image

    ocr, grid, prep = parts if parts is not None else OcrParts.of()
    if low_dpi is None:
        prepared = pixels
        result = ocr_page_image(pixels, reader, ocr, grid=grid)
    else:
        prepared, text = scan_prep.prepare_text(pixels, low_dpi, prep, grid)
        result = ocr_page_image(prepared, reader, ocr, upsampled=True, grid=grid, text=text)
    if not first:
        return result
    plain = None if low_dpi is None else scan_prep.upsample(pixels, low_dpi, prep)
    return ocr_header.with_header_band(prepared, result, reader, plain=plain, grid=grid, low_dpi=low_dpi)


def keyed_page(path: str, page_no: int, parts: OcrParts,
               store: ocr_cache.Store | None = None) -> tuple[str, object, float | None]:
    """(the page's OCR cache key, its pixels, its resolution when it is prepared): the key is
    the pixels and what changes what they read as (`page_source`), the OCR code and the engine
    of `parts.ocr` (`ocr_cache.page_key`)."""
    engine = ocr_cache.engine(parts.ocr, store)
    pixels, keyed, low_dpi = page_source(path, page_no, parts)
    if page_no == 1:  # the page whose header band is read again (`read_page`): keyed so
        keyed = (keyed, "first page")
    return ocr_cache.page_key(pixels.tobytes(), pixels.shape, keyed, engine), pixels, low_dpi


def ocr_page(path: str, page_no: int, parts: OcrParts,
             store: ocr_cache.Store | None = None) -> tuple[int, dict | None, str | None, bool]:
    """(page, result, error, read by Tesseract?) for one page; the cache (`store`) is used both ways."""
    ocr_cache.engine(parts.ocr, store)  # raises EnvironmentFailure, for the run, when a model is missing
    try:
        key, pixels, low_dpi = keyed_page(path, page_no, parts, store)
        found = ocr_cache.get(key, store)
        if found is not None:
            return page_no, found, None, False
        result = read_page(pixels, low_dpi, _get_reader(parts.ocr), parts, first=page_no == 1)
        ocr_cache.put(key, result, store)
        return page_no, result, None, True
    except Exception as e:  # a page that cannot be read must not stop the others
        if not isinstance(e, MemoryError) and out_of_memory(e) is not None:
            raise  # a library that cannot be mapped under the memory limit: the document's limit, not the page
        log.debug("OCR of page %d of %s failed", page_no, path, exc_info=True)
        return page_no, None, f"{OCR_FAILED}: {type(e).__name__}: {e}", False


def ocr_scanned_pages(path: str | Path, pages: Sequence[int], *, workers: int | None = None,
                      memory_mb: int | None = None, settings: ExtractSettings | None = None,
                      store: ocr_cache.Store | None = None) -> dict[int, dict | str]:
    """{page: OCR result (`ocr_cells.ocr_page_image`) or an error message} for `pages`, read
    with the OCR parts of `settings` (`settings.DEFAULT` if None) by at most `workers` processes
    (this one among them; default `pool.default_workers`) within `memory_mb` in all, the
    results kept in `store` (`ocr_cache.Store`; the process's default store if None)."""
    path = str(path)
    parts = OcrParts.of(settings)
    store = ocr_cache.chosen(store)
    ocr_cache.engine(parts.ocr, store)  # once, before the workers are forked (they inherit it); a missing model stops here
    if memory_mb is not None and (mapped := mapped_mb()) + OCR_LOAD_MB > memory_mb:
        raise MemoryError(f"OCR needs about {OCR_LOAD_MB} MB more than the {mapped} MB this process maps")
    done = map_shared(ocr_page, [(path, n, parts, store) for n in pages], workers=workers or default_workers(),
                      memory_mb=memory_mb, need_mb=OCR_WORKER_MB)
    out: dict[int, dict | str] = {}
    for n, result, error, read in done:
        STATS["ocr" if read else ("cached" if result is not None else "failed")] += 1
        if error:
            log.warning("%s page %d: %s", path, n, error)
        out[n] = result if result is not None else error
    return out


def text_skew(chars: Sequence[dict]) -> float:
    """Median angle (degrees) of the baselines of a text layer that OCR wrote (each word
    along the slope Tesseract found), so a tilted scan shows in it."""
    angles = sorted(math.degrees(math.atan2(c["matrix"][1], c["matrix"][0])) for c in chars if c.get("matrix"))
    return angles[len(angles) // 2] if angles else 0.0
