"""Tables drawn without any rule: columns from the text's vertical alignment, rows from its lines.

Runs on the words a page's ruled tables left over (prose and unruled tables alike),
after `grid.build_fragments`, and gives the same cell boxes (`grid.CellBoxes`, marked
`ruled=False`) that the ruled path gives, so the rest (fragments, stitching, `cells`
rows) does not know the difference.

1. `segments`: each text line is cut where a white run is wider than `seg_gap` line
   heights (word spaces, even a justified line's, are narrower): a table's line falls
   into one piece per filled cell, a prose line stays whole.
2. `plausible` is the cheap pre-test: fewer than `min_voters` lines of `min_cols`
   pieces or more on the page (every prose page, letters and directives included), and
   nothing more is done.
3. `_seeds`: runs of neighbouring lines (no gap over `max_line_gap` line heights)
   cut in pieces, holding at least `min_voters` lines of `min_cols` pieces or more.
4. Columns of a seed: `grid.text_columns` (the gutters left white in every line but one
   in eight). A seed with fewer than `min_cols` columns is no table (a bullet list, two
   blocks side by side as in a Vietnamese document's heading or signature block).
5. The table grows up and down over lines that keep to its columns (a header line, a
   wrapped cell, a label row) and stops at the first that runs across a gutter (a
   caption, a note, prose) or stands too far off.
6. Rows: each line starts a row, unless it continues the row above (`_continues`):
   it stands closer to it than rows stand to each other and leaves the first column
   empty (a wrapped cell), as an unruled table's rows carry no rule to tell.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median
from typing import Sequence

from .grid import CellBoxes, _cells, _runs_across, build_fragments, text_columns
from .layout import Fragment, Line, Word
from .words import group_lines


@dataclass(frozen=True)
class UnruledSettings:
    seg_gap: float = 1.0  # line heights: a wider white run inside a line separates two cells
    min_cols: int = 3  # fewer columns are a list or two blocks side by side, not a table
    min_voters: int = 2  # lines with min_cols pieces or more a table must hold
    min_rows: int = 3  # fewer rows are a chart's axis and legend, or a line of tabbed text
    max_line_gap: float = 2.2  # line heights: a wider vertical gap ends the table
    tight_gap: float = 0.7  # of the table's usual gap between rows: a line this close continues a row
    pad: float = 1.0  # points: a row's box reaches this far beyond its text


SETTINGS = UnruledSettings()


def add_unruled(page_no: int, fragments: list[Fragment], free: list[Word],
                settings: UnruledSettings = SETTINGS) -> tuple[list[Fragment], list[Word]]:
    """Fragments of the unruled tables among the free words (those outside every ruled
    table) added to the ruled ones; the words they take leave the prose."""
    if not free:
        return fragments, free
    lines = group_lines(free)
    if not plausible(lines, settings):
        return fragments, free
    tables = unruled_tables(lines, settings)
    if not tables:
        return fragments, free
    more, free = build_fragments(page_no, tables, free)
    return sorted([*fragments, *more], key=lambda f: (f.box[1], f.box[0])), free


def _height(line: Line) -> float:
    return median(w.bottom - w.top for w in line.words)


def segments(line: Line, settings: UnruledSettings = SETTINGS) -> list[tuple[float, float]]:
    """(x0, x1) of the pieces of a line separated by white runs wider than seg_gap line heights."""
    gap = settings.seg_gap * _height(line)
    out: list[list[float]] = []
    for w in line.words:
        if out and w.x0 - out[-1][1] <= gap:
            out[-1][1] = max(out[-1][1], w.x1)
        else:
            out.append([w.x0, w.x1])
    return [(a, b) for a, b in out]


def plausible(lines: Sequence[Line], settings: UnruledSettings = SETTINGS) -> bool:
    """Could the page hold an unruled table? (At least min_voters lines in min_cols pieces.)"""
    n = 0
    for line in lines:
        if len(line.words) >= settings.min_cols and len(segments(line, settings)) >= settings.min_cols:
            n += 1
            if n >= settings.min_voters:
                return True
    return False


def _gap(a: Line, b: Line) -> float:
    return b.box[1] - a.box[3]


def _near(a: Line, b: Line, settings: UnruledSettings) -> bool:
    return _gap(a, b) <= settings.max_line_gap * max(_height(a), _height(b))


def _seeds(lines: Sequence[Line], settings: UnruledSettings) -> list[tuple[int, int]]:
    """(first, last) line index of each run of neighbouring lines cut in pieces."""
    pieces = [len(segments(l, settings)) for l in lines]
    out = []
    k = 0
    while k < len(lines):
        if pieces[k] < 2:
            k += 1
            continue
        start = k
        while k + 1 < len(lines) and pieces[k + 1] >= 2 and _near(lines[k], lines[k + 1], settings):
            k += 1
        if sum(p >= settings.min_cols for p in pieces[start:k + 1]) >= settings.min_voters:
            out.append((start, k))
        k += 1
    return out


def _fits(line: Line, edges: Sequence[float]) -> bool:
    """Does the line keep to the columns (no text across an inner edge, inside the table's width)?"""
    x0, _, x1, _ = line.box
    if x0 < edges[0] - 2 or x1 > edges[-1] + 2:
        return False
    return not any(_runs_across(line, e) for e in edges[1:-1])


def unruled_tables(lines: Sequence[Line], settings: UnruledSettings = SETTINGS) -> list[CellBoxes]:
    """Cell boxes of each unruled table among the lines (top to bottom)."""
    out: list[CellBoxes] = []
    taken = -1  # last line index used by a table
    for first, last in _seeds(lines, settings):
        if first <= taken:
            continue
        body = lines[first:last + 1]
        x0, x1 = min(l.box[0] for l in body), max(l.box[2] for l in body)
        edges = text_columns([[l] for l in body], x0, x1)
        if len(edges) - 1 < settings.min_cols:
            continue
        # keep only the lines that fit, from the ends inwards
        while first <= last and not _fits(lines[first], edges):
            first += 1
        while last >= first and not _fits(lines[last], edges):
            last -= 1
        if last - first + 1 < settings.min_voters:
            continue
        while first - 1 > taken and _near(lines[first - 1], lines[first], settings) and _fits(lines[first - 1], edges):
            first -= 1
        while last + 1 < len(lines) and _near(lines[last], lines[last + 1], settings) and _fits(lines[last + 1], edges):
            last += 1
        table = lines[first:last + 1]
        boxes = _boxes(table, edges, settings)
        if boxes is not None:
            out.append(boxes)
            taken = last
    return out


def _filled(line: Line, edges: Sequence[float]) -> set[int]:
    return {max(0, min(len(edges) - 2, sum(e <= w.xc for e in edges[1:-1]))) for w in line.words}


def _continues(prev: Line, line: Line, usual_gap: float, edges: Sequence[float], settings: UnruledSettings) -> bool:
    """Is `line` more text of the row whose last line is `prev` (a wrapped cell)?"""
    if _gap(prev, line) > settings.tight_gap * usual_gap:
        return False
    return 0 not in _filled(line, edges)


def _boxes(table: Sequence[Line], edges: Sequence[float], settings: UnruledSettings) -> CellBoxes | None:
    """The grid's cell boxes: rows from the lines (`_continues`), columns from the edges."""
    gaps = [_gap(a, b) for a, b in zip(table, table[1:])]
    usual = median(gaps) if gaps else 0.0
    rows: list[list[Line]] = [[table[0]]]
    for prev, line in zip(table, table[1:]):
        if _continues(prev, line, usual, edges, settings):
            rows[-1].append(line)
        else:
            rows.append([line])
    if len(rows) < settings.min_rows:
        return None
    ys = [rows[0][0].box[1] - settings.pad]
    for above, below in zip(rows, rows[1:]):
        ys.append((above[-1].box[3] + below[0].box[1]) / 2)
    ys.append(rows[-1][-1].box[3] + settings.pad)
    edges = [edges[0] - settings.pad, *edges[1:-1], edges[-1] + settings.pad]
    ruled_at = {y: [(edges[0], edges[-1])] for y in ys}
    words = [w for l in table for w in l.words]
    boxes = CellBoxes(_cells(ys, edges, ruled_at, words))
    boxes.open_edges = []
    boxes.ruled = False
    return boxes
