"""The three table extractors being compared, each giving plain `PredCell`s per page.

- ours: `extractors.document.extract_document` -> logical tables -> one cell per
  `LogicalCell` (the rows of the pipeline's `cells` table), placed on the page where
  the cell starts;
- camelot lattice (pdfium backend, no fallback to other renderers), merged cells
  rebuilt from the rule flags of its elementary grid so that a spanning cell is one
  box with its text (camelot puts that text in the top-left grid cell);
- pdfplumber `find_tables()` with its default settings (what `extract_tables()` uses),
  one cell per cell box with the text `Table.extract()` gives it.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Iterable

from .cellmatch import PredCell

CAMELOT_OPTIONS = {"flavor": "lattice", "backend": "pdfium", "use_fallback": False}


def ours(path: str | Path, *, workers: int | None = None) -> list[PredCell]:
    from extractors.document import extract_document

    doc = extract_document(path, workers=workers, ocr=False)
    return [PredCell(c.page, c.box, c.text) for t in doc.tables for r in t.rows for c in r.cells]


def pdfplumber_cells(path: str | Path, pages: Iterable[int]) -> list[PredCell]:
    import pdfplumber

    out = []
    with pdfplumber.open(path) as pdf:
        for n in pages:
            page = pdf.pages[n - 1]
            for table in page.find_tables():
                for row, texts in zip(table.rows, table.extract()):
                    for box, text in zip(row.cells, texts):
                        if box is not None:
                            out.append(PredCell(n, tuple(map(float, box)), text or ""))
            page.close()
    return out


def camelot_tables(path: str | Path, pages: Iterable[int]):
    import camelot

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return camelot.read_pdf(str(path), pages=",".join(map(str, pages)), **CAMELOT_OPTIONS)


def camelot_cells(path: str | Path, pages: Iterable[int], page_heights: dict[int, float]) -> list[PredCell]:
    out = []
    for table in camelot_tables(path, pages):
        page = int(table.page)
        out += [PredCell(page, box, text) for box, text in merged_cells(table.cells, page_heights[page])]
    return out


def merged_cells(grid, page_height: float) -> list[tuple[tuple[float, float, float, float], str]]:
    """(box top-left, text) of each merged cell of camelot's grid of elementary cells.

    Neighbouring elementary cells not separated by a rule (camelot's `right`/`bottom`
    flags) form one cell; its text is the non-empty text among them.
    """
    n_rows, n_cols = len(grid), len(grid[0]) if grid else 0
    parent = {(r, c): (r, c) for r in range(n_rows) for c in range(n_cols)}

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for r in range(n_rows):
        for c in range(n_cols):
            if c + 1 < n_cols and not grid[r][c].right:
                parent[find((r, c + 1))] = find((r, c))
            if r + 1 < n_rows and not grid[r][c].bottom:
                parent[find((r + 1, c))] = find((r, c))
    groups: dict[tuple[int, int], list] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            groups.setdefault(find((r, c)), []).append(grid[r][c])
    out = []
    for cells in groups.values():
        box = (min(c.x1 for c in cells), page_height - max(c.y2 for c in cells), max(c.x2 for c in cells), page_height - min(c.y1 for c in cells))
        text = " ".join(c.text for c in cells if c.text.strip())
        out.append((tuple(map(float, box)), text))
    return out
