"""Ruled-table fragments on one page: the cell grid from the page's rules, filled with words.

The grid comes from pdfplumber's `TableFinder` (lines strategy) for text PDFs, or from
camelot's lattice (which finds the rules in the page image) for scanned pages. Either
way the result is the same plain `Fragment`: rows of cells, each cell holding the text
lines whose words have their centre inside it.

For text PDFs only the rules a reader sees count: a filled rectangle that draws
nothing (white on white paper, or inside a larger fill of its own colour: Word's
per-line paragraph shading inside a shaded cell) is not a rule. A table whose
horizontal rules run past its outermost vertical rule (no frame at the sides) is
closed with vertical rules at the ends of its horizontal rules.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Iterable, Sequence

from pdfplumber.table import merge_edges

from .layout import Box, Cell, Fragment, Line, Row, Word
from .words import group_lines

# pdfplumber table settings: rules only (task tables are fully ruled).
TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
EDGE_TOL = 2.0  # points: cell edges closer than this are the same rule
SNAP = 3.0  # points: pdfplumber's default snap/join tolerance, for closing open sides
MIN_RULE_LENGTH = 20.0  # points: shorter horizontal edges do not define an open side
FILL_TOL = 0.5  # points: slack when testing that a rectangle lies inside another


def pdfplumber_cell_boxes(page) -> list[list[Box]]:
    """Cell boxes of every ruled table pdfplumber finds on the page (one list per table)."""
    hidden = invisible_rects(page.rects)
    ruled = page.filter(lambda obj: id(obj) not in hidden) if hidden else page
    settings = dict(TABLE_SETTINGS)
    sides = open_side_rules(ruled.edges)
    if sides:
        settings["explicit_vertical_lines"] = sides
    return [[tuple(map(float, c)) for c in t.cells] for t in ruled.find_tables(settings)]


def _is_white(color) -> bool:
    if isinstance(color, (int, float)):
        color = (color,)
    if not isinstance(color, (tuple, list)) or not color or not all(isinstance(v, (int, float)) for v in color):
        return False
    return all(v <= 0.05 for v in color) if len(color) == 4 else all(v >= 0.95 for v in color)


def _inside(small: dict, big: dict) -> bool:
    return (big["x0"] - FILL_TOL <= small["x0"] and small["x1"] <= big["x1"] + FILL_TOL
            and big["top"] - FILL_TOL <= small["top"] and small["bottom"] <= big["bottom"] + FILL_TOL)


def _area(r: dict) -> float:
    return (r["x1"] - r["x0"]) * (r["bottom"] - r["top"])


def invisible_rects(rects: Sequence[dict]) -> set[int]:
    """ids of filled, unstroked rectangles that draw nothing a reader sees.

    White ones that do not lie on a coloured fill, and any lying inside a larger
    filled rectangle of the same colour.
    """
    filled = [r for r in rects if r.get("fill") and not r.get("stroke")]
    coloured = [r for r in filled if not _is_white(r.get("non_stroking_color"))]
    hidden = {id(r) for r in filled if _is_white(r.get("non_stroking_color")) and not any(_inside(r, c) for c in coloured)}
    by_colour: dict[str, list[dict]] = {}
    for r in filled:
        by_colour.setdefault(str(r.get("non_stroking_color")), []).append(r)
    for group in by_colour.values():
        group.sort(key=_area, reverse=True)
        for i, r in enumerate(group):
            if any(_area(big) > _area(r) and _inside(r, big) for big in group[:i]):
                hidden.add(id(r))
    return hidden


def open_side_rules(edges: Sequence[dict]) -> list[dict]:
    """Vertical rules closing tables that are ruled inside but have no frame at a side.

    Between two horizontal rules (consecutive among those ending at the same x) that a
    real vertical rule crosses, where the rules end beyond every crossing vertical
    rule and no vertical rule stands at that end: a vertical rule at the end.
    """
    hs = merge_edges([e for e in edges if e["orientation"] == "h"], SNAP, SNAP, SNAP, SNAP)
    vs = merge_edges([e for e in edges if e["orientation"] == "v"], SNAP, SNAP, SNAP, SNAP)
    hs = sorted((e for e in hs if e["x1"] - e["x0"] >= MIN_RULE_LENGTH), key=lambda e: e["top"])
    out = []
    for side in ("x0", "x1"):
        for i, a in enumerate(hs):
            b = next((h for h in hs[i + 1:] if abs(h[side] - a[side]) <= SNAP), None)
            if b is None:
                continue
            top, bottom, x = a["top"], b["top"], a[side]
            spans = lambda v: v["top"] <= top + SNAP and v["bottom"] >= bottom - SNAP  # noqa: E731
            lo, hi = max(a["x0"], b["x0"]), min(a["x1"], b["x1"])
            crossing = [v for v in vs if lo + SNAP < v["x0"] < hi - SNAP and spans(v)]
            at_end = any(abs(v["x0"] - x) <= SNAP and spans(v) for v in vs)
            beyond = all(x < v["x0"] - SNAP if side == "x0" else x > v["x0"] + SNAP for v in crossing)
            if crossing and beyond and not at_end:
                out.append({"object_type": "line", "x0": x, "x1": x, "top": top, "bottom": bottom,
                            "width": 0.0, "height": bottom - top})
    return out


def build_fragments(page_no: int, tables: Iterable[Sequence[Box]], words: Sequence[Word]) -> tuple[list[Fragment], list[Word]]:
    """Fragments from cell boxes, and the words that lie outside every table.

    A "table" of a single cell (a framed heading) or a single column is not a table:
    its words stay with the prose. Smaller tables take their words first, so a table
    nested in a layout table keeps its own text.
    """
    fragments: list[Fragment] = []
    free = list(words)
    for boxes in sorted(tables, key=_table_area):
        frag, free = _fragment(page_no, boxes, free)
        if frag is not None:
            fragments.append(frag)
    fragments.sort(key=lambda f: (f.box[1], f.box[0]))
    return fragments, free


def _table_area(boxes: Sequence[Box]) -> float:
    if not boxes:
        return 0.0
    return (max(b[2] for b in boxes) - min(b[0] for b in boxes)) * (max(b[3] for b in boxes) - min(b[1] for b in boxes))


def _fragment(page_no: int, boxes: Sequence[Box], words: list[Word]) -> tuple[Fragment | None, list[Word]]:
    xs = _cluster(sorted({b[0] for b in boxes} | {b[2] for b in boxes}))
    ys = _cluster(sorted({b[1] for b in boxes} | {b[3] for b in boxes}))
    if len(xs) < 3 or len(ys) < 2:
        return None, words
    box = (xs[0], ys[0], xs[-1], ys[-1])
    by_row: dict[int, list[tuple[Box, int, int]]] = {}
    owner: dict[tuple[int, int], tuple[int, int]] = {}  # grid position -> (row, col) of the cell covering it
    for b in boxes:
        r0, r1 = _index(ys, b[1]), _index(ys, b[3])
        c0, c1 = _index(xs, b[0]), _index(xs, b[2])
        by_row.setdefault(r0, []).append((b, c0, max(c1 - c0, 1)))
        for r in range(r0, max(r1, r0 + 1)):
            for c in range(c0, max(c1, c0 + 1)):
                owner.setdefault((r, c), (r0, c0))
    cell_words, outside = _assign(words, xs, ys, owner)
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


def _assign(words: Iterable[Word], xs: Sequence[float], ys: Sequence[float],
            owner: dict[tuple[int, int], tuple[int, int]]) -> tuple[dict[tuple[int, int], list[Word]], list[Word]]:
    """Map each word to the (row, col) of the cell holding its centre (two binary searches
    per word); words outside every cell are returned apart, to stay with the prose."""
    out: dict[tuple[int, int], list[Word]] = {}
    rest: list[Word] = []
    for w in words:
        key = owner.get((bisect_right(ys, w.yc) - 1, bisect_right(xs, w.xc) - 1))
        if key is None or not (xs[0] <= w.xc <= xs[-1] and ys[0] <= w.yc <= ys[-1]):
            rest.append(w)
        else:
            out.setdefault(key, []).append(w)
    return out, rest


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
