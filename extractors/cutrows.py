"""A page that holds only the middle of a row two page breaks cut: that row's cells, on the columns of the table above.

A row taller than what is left of a page goes on over the next one, and a long cell (a
report's result) may fill a whole page on its own. Where the table is ruled between its rows
only (no column rule: `grid.rule_only_table`), such a page draws one rule at most (under the
row's end), so nothing on it makes a table: its lines would be prose between two parts of
the table, and the table would end there (`stitch.continues` wants a fragment first on each
page).

`carry_cut_rows`: the lines at the head of a text page (nothing but page furniture above
them), one under the other at a cut row's line pitch, each inside one column of the last
fragment of the page before, whose last row the page cut open in that column (a cell open at
its bottom, the fragment the last thing on its page), are the rest of that row: a fragment of
one row on those columns, open at its top (and at its bottom when nothing follows it on the
page). The stitcher then joins it as any row the page cut (`stitch.is_continuation`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from .grid import runs_across
from .layout import Cell, Fragment, Line, PageContent, Row
from .settings import TEXT, TextTableSettings


def carry_cut_rows(pages: Sequence[PageContent], *, s: TextTableSettings = TEXT) -> list[PageContent]:
    """The pages, each text page that goes on with a row the page before cut (see the module's
    docstring) with those lines made a fragment of that row; the other pages unchanged.
    Pages have their furniture set aside already."""
    out = list(pages)
    for k in range(1, len(out)):
        page = out[k]
        above = _cut_at_foot(out[k - 1])
        if above is None or page.method != "text":
            continue
        frag = _rest_of_row(page, above, s=s)
        if frag is None:
            continue
        frag, used = frag
        out[k] = replace(page, lines=tuple(l for l in page.lines if all(l is not u for u in used)),
                         fragments=tuple(sorted((frag, *page.fragments), key=lambda f: (f.box[1], f.box[0]))))
    return out


def _cut_at_foot(page: PageContent) -> Fragment | None:
    """The page's last fragment when the page cut its last row open (a cell open at its bottom)
    and no text stands under it."""
    if not page.fragments or page.method == "failed":
        return None
    last = page.fragments[-1]
    if not last.rows or not any(c.open_bottom for c in last.rows[-1].cells):
        return None
    if any(l.box[1] >= last.box[3] - 1 for l in page.lines):
        return None
    return last


def _pieces(line: Line, edges: Sequence[float], *, s: TextTableSettings) -> list[tuple[Line, int]] | None:
    """`line` cut at the column edges: (its words in a column, that column) left to right; None
    when its text runs across an edge (prose) or out of the table."""
    if line.box[0] < edges[0] - s.snap or line.box[2] > edges[-1] + s.snap:
        return None
    if any(line.box[0] < e < line.box[2] and runs_across(line, e, s=s) for e in edges[1:-1]):
        return None
    out: list[tuple[Line, int]] = []
    for c in range(len(edges) - 1):
        words = tuple(w for w in line.words if edges[c] <= w.xc < edges[c + 1])
        if words:
            out.append((Line(words), c))
    return out if sum(len(p.words) for p, _ in out) == len(line.words) else None


def _rest_of_row(page: PageContent, above: Fragment, *, s: TextTableSettings) -> tuple[Fragment, list[Line]] | None:
    """The fragment of the row `above` cut, made of the lines at the head of `page` (and those
    lines), or None."""
    edges = list(above.col_edges)
    open_cols = {c for cell in above.rows[-1].cells if cell.open_bottom
                 for c in range(cell.col, cell.col + cell.col_span)}
    limit = min((f.box[1] for f in page.fragments), default=page.height)
    lines = sorted((l for l in page.lines if l.box[3] <= limit + 1), key=lambda l: l.box[1])
    if not lines or any(l.box[1] < lines[0].box[1] - 1 for l in page.lines):
        return None
    taken: list[tuple[Line, int]] = []
    used: list[Line] = []
    for line in lines:
        pieces = _pieces(line, edges, s=s)
        if not pieces or any(c not in open_cols for _, c in pieces):
            break
        if used and line.box[1] - used[-1].box[3] > s.cut_line_gap * (line.box[3] - line.box[1]):
            break
        taken += pieces
        used.append(line)
    if not taken:
        return None
    top = min(l.box[1] for l in used) - s.cut_pad
    bottom = max(l.box[3] for l in used) + s.cut_pad
    open_bottom = len(used) == len(page.lines) and not page.fragments
    cells = tuple(Cell((edges[c], top, edges[c + 1], bottom), c, 1,
                       tuple(l for l, col in taken if col == c), 1, True, open_bottom)
                  for c in range(len(edges) - 1))
    box = (edges[0], top, edges[-1], bottom)
    return Fragment(page.page, box, tuple(edges), (Row(box, cells),), above.ruled, above.banded, above.framed), used


__all__ = ["carry_cut_rows"]
