"""OCR of scanned pages with OCRmyPDF + Tesseract (Vietnamese), offline.

`ocr_pages` writes a copy of the PDF in which the given pages carry an invisible
text layer; the rest of the extraction then reads that copy like a text PDF. The
ruled grid of a scanned table exists only in the image, so scanned pages get their
cell grid from camelot's lattice (`camelot_cell_boxes`), which finds the rules in
the rendered page.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Sequence

from .layout import Box

OCR_LANGUAGE = ("vie",)
# Tesseract is faster on these machines with one OpenMP thread per process.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def ocr_pages(src: str | Path, dst: str | Path, pages: Sequence[int], *, jobs: int = 2) -> None:
    """Write `dst`: `src` with an OCR text layer on `pages` (1-based); raises on failure."""
    import ocrmypdf

    logging.getLogger("ocrmypdf").setLevel(logging.ERROR)
    ocrmypdf.ocr(
        src,
        dst,
        language=list(OCR_LANGUAGE),
        pages=",".join(str(p) for p in pages),
        force_ocr=True,
        output_type="pdf",
        optimize=0,
        jobs=jobs,
        progress_bar=False,
        rotate_pages=False,
        deskew=False,
    )


def camelot_cell_boxes(path: str | Path, page: int, page_height: float) -> list[list[Box]]:
    """Cell boxes (top-left origin) of the ruled tables camelot's lattice finds on `page`.

    Camelot reports a grid of elementary cells with flags for the rules around each;
    cells not separated by a rule belong to one merged cell, whose box we rebuild.
    """
    import warnings

    import camelot

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tables = camelot.read_pdf(str(path), pages=str(page), flavor="lattice")
    return [_merged_boxes(t.cells, page_height) for t in tables]


def _merged_boxes(grid, page_height: float) -> list[Box]:
    n_rows, n_cols = len(grid), len(grid[0]) if grid else 0
    parent = {(r, c): (r, c) for r in range(n_rows) for c in range(n_cols)}

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for r in range(n_rows):
        for c in range(n_cols):
            cell = grid[r][c]
            if c + 1 < n_cols and not cell.right:
                parent[find((r, c + 1))] = find((r, c))
            if r + 1 < n_rows and not cell.bottom:
                parent[find((r + 1, c))] = find((r, c))
    groups: dict[tuple[int, int], list] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            groups.setdefault(find((r, c)), []).append(grid[r][c])
    boxes = []
    for cells in groups.values():
        x0 = min(c.x1 for c in cells)
        x1 = max(c.x2 for c in cells)
        y_low = min(c.y1 for c in cells)
        y_high = max(c.y2 for c in cells)
        boxes.append((float(x0), float(page_height - y_high), float(x1), float(page_height - y_low)))
    return boxes
