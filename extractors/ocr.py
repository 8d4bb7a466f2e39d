"""OCR of scanned pages with OCRmyPDF + Tesseract (Vietnamese), offline.

`ocr_pages` writes a copy of the PDF in which the given pages carry an invisible
text layer; the rest of the extraction then reads that copy like a text PDF. The
ruled grid of a scanned table exists only in the image, so scanned pages get their
cell grid from camelot's lattice (`camelot_cell_boxes`), which finds the rules in
the rendered page.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Sequence

from .layout import Box

OCR_LANGUAGE = ("vie",)
LINE_SCALE = 40  # camelot finds rules longer than page size / LINE_SCALE: a one-line header cell's rules too
# Tesseract is faster on these machines with one OpenMP thread per process.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def ocr_pages(src: str | Path, dst: str | Path, pages: Sequence[int], *, jobs: int = 2, deskew: bool = False) -> None:
    """Write `dst`: `src` with an OCR text layer on `pages` (1-based); raises on failure.

    OCRmyPDF runs in a child process: in-process it patches pdfminer globally, after
    which pdfminer reads some fonts of other PDFs as "(cid:97)(cid:105)…".
    """
    cmd = [
        sys.executable, "-m", "ocrmypdf", "--quiet", "--language", "+".join(OCR_LANGUAGE),
        "--pages", ",".join(str(p) for p in pages), "--force-ocr", "--output-type", "pdf",
        "--optimize", "0", "--jobs", str(jobs), *(["--deskew"] if deskew else []), str(src), str(dst),
    ]
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"ocrmypdf exited {done.returncode}: {done.stderr.strip()[-500:]}")


def text_skew(chars: Sequence[dict]) -> float:
    """Median angle (degrees) of the baselines of an OCR'd page: OCRmyPDF writes each
    word along the slope Tesseract found, so a tilted scan shows in its text layer."""
    angles = sorted(math.degrees(math.atan2(c["matrix"][1], c["matrix"][0])) for c in chars if c.get("matrix"))
    return angles[len(angles) // 2] if angles else 0.0


def camelot_cell_boxes(path: str | Path, page: int, page_height: float) -> list[list[Box]]:
    """Cell boxes (top-left origin) of the ruled tables camelot's lattice finds on `page`.

    Camelot reports a grid of elementary cells with flags for the rules around each;
    cells not separated by a rule belong to one merged cell, whose box we rebuild.
    """
    import warnings

    import camelot

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tables = camelot.read_pdf(str(path), pages=str(page), flavor="lattice", line_scale=LINE_SCALE)
    return [_merged_boxes(t.cells, page_height) for t in tables]


SLIVER = 6.0  # points: grid rows/columns thinner than this are the inside of a thick or double rule


def _merged_boxes(grid, page_height: float) -> list[Box]:
    """Merged cell boxes from camelot's elementary grid and its rule flags.

    Slivers (a thick or double rule seen as two rules) are folded into the rule: two
    kept rows/columns are separated when any rule lies between them. Then cells not
    separated by a rule are joined (union-find) and each group gives one box.
    """
    n_rows, n_cols = len(grid), len(grid[0]) if grid else 0
    if not n_rows or not n_cols:
        return []
    rows = [r for r in range(n_rows) if grid[r][0].y2 - grid[r][0].y1 >= SLIVER]
    cols = [c for c in range(n_cols) if grid[0][c].x2 - grid[0][c].x1 >= SLIVER]
    parent = {(r, c): (r, c) for r in rows for c in cols}

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def open_right(r: int, c: int, c2: int) -> bool:  # no rule between columns c and c2 on row r
        return not any(grid[r][k].right or grid[r][k + 1].left for k in range(c, c2))

    def open_below(r: int, r2: int, c: int) -> bool:  # no rule between rows r and r2 in column c
        return not any(grid[k][c].bottom or grid[k + 1][c].top for k in range(r, r2))

    for i, r in enumerate(rows):
        for j, c in enumerate(cols):
            if j + 1 < len(cols) and open_right(r, c, cols[j + 1]):
                parent[find((r, cols[j + 1]))] = find((r, c))
            if i + 1 < len(rows) and open_below(r, rows[i + 1], c):
                parent[find((rows[i + 1], c))] = find((r, c))
    groups: dict[tuple[int, int], list] = {}
    for r in rows:
        for c in cols:
            groups.setdefault(find((r, c)), []).append(grid[r][c])
    boxes = []
    for cells in groups.values():
        x0, x1 = min(c.x1 for c in cells), max(c.x2 for c in cells)
        y_low, y_high = min(c.y1 for c in cells), max(c.y2 for c in cells)
        boxes.append((float(x0), float(page_height - y_high), float(x1), float(page_height - y_low)))
    return boxes
