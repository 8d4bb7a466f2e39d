"""Ruled-table fragments on one page: the cell grid from the page's rules, filled with words.

The grid comes from pdfplumber's `TableFinder` (lines strategy) for text PDFs, or from
camelot's lattice (which finds the rules in the page image) for scanned pages. Either
way the result is the same plain `Fragment`: rows of cells, each cell holding the text
lines whose words have their centre inside it.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Iterable, Sequence

from .layout import Box, Cell, Fragment, Line, Row, Word
from .words import group_lines

# pdfplumber table settings: rules only (task tables are fully ruled).
TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
EDGE_TOL = 2.0  # points: cell edges closer than this are the same rule


def pdfplumber_cell_boxes(page) -> list[list[Box]]:
    """Cell boxes of every ruled table pdfplumber finds on the page (one list per table)."""
    return [[tuple(map(float, c)) for c in t.cells] for t in page.find_tables(TABLE_SETTINGS)]


def build_fragments(page_no: int, tables: Iterable[Sequence[Box]], words: Sequence[Word]) -> tuple[list[Fragment], list[Word]]:
    """Fragments from cell boxes, and the words that lie outside every table.

    A "table" of a single cell (a framed heading) or a single column is not a table:
    its words stay with the prose.
    """
    fragments: list[Fragment] = []
    free = list(words)
    for boxes in tables:
        frag, free = _fragment(page_no, boxes, free)
        if frag is not None:
            fragments.append(frag)
    fragments.sort(key=lambda f: (f.box[1], f.box[0]))
    return fragments, free


def _fragment(page_no: int, boxes: Sequence[Box], words: list[Word]) -> tuple[Fragment | None, list[Word]]:
    xs = _cluster(sorted({b[0] for b in boxes} | {b[2] for b in boxes}))
    ys = _cluster(sorted({b[1] for b in boxes} | {b[3] for b in boxes}))
    if len(xs) < 3 or len(ys) < 2:
        return None, words
    box = (xs[0], ys[0], xs[-1], ys[-1])
    inside, outside = [], []
    for w in words:
        (inside if _contains(box, w) else outside).append(w)
    by_row: dict[int, list[tuple[Box, int, int]]] = {}
    for b in boxes:
        r = _index(ys, b[1])
        c0, c1 = _index(xs, b[0]), _index(xs, b[2])
        by_row.setdefault(r, []).append((b, c0, max(c1 - c0, 1)))
    cell_words = _assign(inside, [(b, r, c, s) for r, cells in by_row.items() for b, c, s in cells])
    rows = []
    for r in sorted(by_row):
        cells = sorted(by_row[r], key=lambda t: t[1])
        row_cells = tuple(
            Cell(b, c, s, tuple(group_lines(cell_words.get((r, c), ())))) for b, c, s in cells
        )
        top = min(b[1] for b, _, _ in cells)
        bottom = max(b[3] for b, _, _ in cells)
        rows.append(Row((xs[0], top, xs[-1], bottom), row_cells))
    return Fragment(page_no, box, tuple(xs), tuple(rows)), outside


def _assign(words: Iterable[Word], cells: Sequence[tuple[Box, int, int, int]]) -> dict[tuple[int, int], list[Word]]:
    """Map each word to the (row, col) of the cell holding its centre."""
    out: dict[tuple[int, int], list[Word]] = {}
    for w in words:
        for b, r, c, _ in cells:
            if b[0] <= w.xc <= b[2] and b[1] <= w.yc <= b[3]:
                out.setdefault((r, c), []).append(w)
                break
    return out


def _contains(box: Box, w: Word) -> bool:
    return box[0] <= w.xc <= box[2] and box[1] <= w.yc <= box[3]


def _cluster(values: Sequence[float]) -> list[float]:
    """Merge coordinates closer than EDGE_TOL (keep the first of each run)."""
    out: list[float] = []
    for v in values:
        if not out or v - out[-1] > EDGE_TOL:
            out.append(v)
    return out


def _index(edges: Sequence[float], v: float) -> int:
    """Index of the edge nearest to v."""
    i = bisect_right(edges, v)
    if i == 0:
        return 0
    if i == len(edges):
        return len(edges) - 1
    return i if edges[i] - v < v - edges[i - 1] else i - 1


def prose_lines(words: Iterable[Word]) -> list[Line]:
    """Text lines of the words outside tables, top to bottom."""
    return group_lines(words)
