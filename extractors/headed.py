"""Tables ruled around their header only: the header gives the columns, the body and later pages take them.

Some prints rule a table's header above and below (and maybe the table's end) and nothing
else: no column rule, no rule between rows; the header may be printed on the first page only.
One mechanism reads them, on the header's page and on the pages after it:

1. `headed_tables`: a stack of two rules (three with one closing the table) whose first band
   holds a header and whose rows follow under its lower rule. The columns come from the
   header and the body together (`header_columns`): each white run down the header's lines
   is a gutter between two header cells, and the edge stands inside it where the body's
   lines leave it white (a body gutter inside it, or its least covered point); a gutter of
   the body under a header cell's text is no column edge (a wide cell's justified text).
   A header alone at a page's foot (nothing under its lower rule) is a table of its header
   band only: its rows are the next page's, carried (4).
2. `body_lines`: the lines under the header's rule (or from the top of a later page) that
   are the table's rows, down to the closing rule, a gap wider than rows leave, or prose (two
   lines in a row running across the columns over most of the width); one line running
   across (a section row) stays in.
3. `banded_boxes`: the grid, one box per column over each band of rows, a section row
   running across the columns a band of its own. The boxes are `banded`: the rows inside a
   band are cut where a column-ruled table's rows are (`grid.split_rows_of`: the numbering,
   wrapped numbers, the rest of a row the page cut), and the page's cut is an open edge.
4. `carry_columns`: a page after a page whose headed table runs to its foot, with no ruled
   table at its head, takes that table's columns for the lines at its head (the rows the
   page goes on with, without a header or under a header printed again without rules);
   the lines after them are read as before (`unruled.add_unruled`). Page furniture (a page
   number, a browser's print line) is not a row (`furniture.split_furniture` on every line).
5. A header over a single row shows what a print with a rule under every row shows: the page
   reads it as a table ruled between its rows, marked `one_row`, and the document decides
   (`carry_columns`): when none of its tables shows two rows closed by rules, it is a table
   ruled around its header only, read as in 1-3, and its later pages are carried.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Sequence

from .furniture import PAGE_NUMBER, split_furniture
from .headers import looks_like_header
from .grid import (CellBoxes, cells_apart, centred_by, centred_votes, column_border, is_anchor, grid_cells, cluster_values, joint_columns, last_number, numbers_centred,
                   runs_across, white_runs, build_fragments, prose_lines, rule_only_table, text_columns)
from .layout import Fragment, Line, PageContent, Word
from .settings import TEXT, TextTableSettings
from .unruled import SETTINGS as UNRULED, UnruledSettings, text_spans, add_unruled, keeps_to
from .words import group_lines


def headed_tables(stack: Sequence[dict], words: Sequence[Word], joints: Sequence[float] = (),
                  *, s: TextTableSettings = TEXT) -> list[CellBoxes]:
    """Cell boxes of each table ruled around its header only in a stack of rules (see the
    module's docstring): two rules around a header with rows under them; in a stack whose bands name a table's columns (`headers.looks_like_header`), each such band over
    the band under it (two tables one under the other, a heading between them; the rule closing
    the rows of the page above, then a header), every other band after the first header just above
    a header. Empty when
    the stack frames no header over rows (a band of its own between two rules is a row: a table
    ruled between its rows)."""
    x0, x1 = min(e["x0"] for e in stack), max(e["x1"] for e in stack)
    ys = cluster_values(sorted(e["top"] for e in stack), s=s)
    inside = [w for w in words if x0 - s.snap <= w.xc <= x1 + s.snap]
    heads = [_names_columns(group_lines(w for w in inside if a < w.yc < b), x0, x1, s=s) for a, b in zip(ys, ys[1:])]
    if len(ys) == 2 and not any(heads):  # a header in other words than a task table's, over its rows
        one, single = _headed(ys[0], ys[1], None, x0, x1, inside, named=False, joints=joints, s=s)
        return [one] if one is not None else _ruled_between(stack, words, single, joints, s=s)
    out: list[CellBoxes] = []
    singles: list[list[dict]] = []  # the rules around headers over one row (tables ruled between rows for now)
    k = 0
    while k < len(heads):
        if heads[k]:
            closing = ys[k + 2] if k + 2 < len(ys) and not heads[k + 1] else None
            one, alone = _headed(ys[k], ys[k + 1], closing, x0, x1, inside, named=True, joints=joints,
                                 headed_above=bool(out), s=s)
            if one is not None:
                out.append(one)
                k += 2
                continue
            if alone:
                last = closing if closing is not None else ys[k + 1]
                singles.append([e for e in stack if ys[k] - s.edge_tol <= e["top"] <= last + s.edge_tol])
                k += 2 if closing is not None else 1
                continue
        if out and not (k + 1 < len(heads) and heads[k + 1]):
            return []  # a band of rows of its own: a table ruled between its rows (`grid.rule_only_table`)
        k += 1  # a heading between two tables, or the end of a table from the page above
    if not out:  # the whole stack, a table ruled between its rows (over one row: marked so)
        return _ruled_between(stack, words, bool(singles), joints, s=s)
    return [*out, *(t for part in singles for t in _ruled_between(part, words, True, joints, s=s))]


def cut_header(stack: Sequence[dict], words: Sequence[Word], joints: Sequence[float] = (),
               *, s: TextTableSettings = TEXT) -> CellBoxes | None:
    """A header the page cuts: one rule with a header's lines under it (`_names_columns`), one
    after the other, and no row under them (no line in min_cols pieces after them): its lower
    rule and the table's rows are on the next page. Its band, open at the bottom, is a headed
    table's header only (`banded_boxes`); the next page goes on with it (`carry_columns`: the
    rest of the header over the rule there, then the rows). None when the rule heads no such lines."""
    x0, x1 = min(e["x0"] for e in stack), max(e["x1"] for e in stack)
    y = min(e["top"] for e in stack)
    inside = [w for w in words if x0 - s.snap <= w.xc <= x1 + s.snap]
    under = group_lines(w for w in inside if w.yc > y)
    if not under or under[0].box[1] - y > s.body_line_gap * (under[0].box[3] - under[0].box[1]):
        return None
    k = 1
    while k < len(under) and under[k].box[1] - under[k - 1].box[3] <= s.body_line_gap * (under[k].box[3] - under[k].box[1]):
        k += 1
    header, rest = under[:k], under[k:]
    if len(header) > s.header_max_lines or any(len(text_spans(l)) >= UNRULED.min_cols for l in rest):
        return None
    if not _names_columns(header, x0, x1, s=s):
        return None
    edges = joint_columns(joints, header, x0, x1, s=s) or header_columns(header, (), x0, x1, s=s)
    if len(edges) < 3 + 1:
        return None
    bottom = header[-1].box[3] + s.cut_pad
    return banded_boxes(edges, [y, bottom], (), bottom, open_bottom=True, words=inside, s=s)


def _ruled_between(stack: Sequence[dict], words: Sequence[Word], one_row: bool, joints: Sequence[float] = (),
                   *, s: TextTableSettings) -> list[CellBoxes]:
    """The stack read as a table ruled between its rows (`grid.rule_only_table`) when its header
    stands over one row: marked `one_row` (the document tells whether its rows are ruled:
    `carry_columns`); empty otherwise (the caller reads it so)."""
    if not one_row:
        return []
    boxes = rule_only_table(stack, words, joints, s=s)
    if boxes is None:
        return []
    boxes.one_row = True
    return [boxes]


def _names_columns(lines: Sequence[Line], x0: float, x1: float, *, s: TextTableSettings) -> bool:
    """Do the lines of a band name a table's columns (each run of text between its gutters a cell)?"""
    if not lines:
        return False
    edges = text_columns([lines], x0, x1, s=s)
    texts = [" ".join(w.text for l in lines for w in l.words if a <= w.xc < b) for a, b in zip(edges, edges[1:])]
    return looks_like_header(texts, s=s)


def _headed(top: float, under_header: float, closing: float | None, x0: float, x1: float, inside: Sequence[Word],
            *, named: bool, joints: Sequence[float] = (), headed_above: bool = False,
            s: TextTableSettings) -> tuple[CellBoxes | None, bool]:
    """The table whose header stands between the rules at `top` and `under_header`, its rows under
    it down to the rule at `closing` (None: no rule closes them on the page), and whether it was
    left for a header over a single row (`_one_row`: the rules may rule every row). Unless the
    header names a table's columns (`named`), body_min_lines lines at least must follow when no
    rule closes them (fewer are a row the page cut under a rule, no header's). Under
    a header printed again below a header over rows of the stack (`headed_above`: the rules
    stand around the headers only), one row is no table ruled between its rows either."""
    header = group_lines(w for w in inside if top < w.yc < under_header)
    if not header or len(header) > s.header_max_lines:
        return None, False
    closed = closing is not None
    under = group_lines(w for w in inside if w.yc > under_header and (not closed or w.yc < closing))
    body = body_lines(under, under_header, None, x0, x1, s=s)
    if named and not closed and not body:  # a header alone at the page's foot: its rows are on the next page
        edges = header_columns(header, (), x0, x1, s=s)  # (`carry_columns` lays them out)
        if len(edges) < 3 + 1:
            return None, False
        # a section's heading alone under the header, its rows on the next page (`_heads_rows`)
        heading = body_lines(under, under_header, edges, x0, x1, at_foot=True, s=s)
        if heading:
            return banded_boxes(edges, [top, under_header], heading, heading[-1].box[3] + s.cut_pad, open_bottom=True,
                                words=inside, s=s), False
        return banded_boxes(edges, [top, under_header], (), under_header, open_bottom=False, words=inside, s=s), False
    least = 1 if named else 2 if closed else s.body_min_lines
    if len(body) < least:
        return None, False
    edges = joint_columns(joints, [*header, *body], x0, x1, s=s) or header_columns(header, body, x0, x1, s=s)
    if len(edges) < 3 + 1 and len(body) >= s.body_min_lines:  # a header whose cells leave no white run
        edges = text_columns([[l] for l in body], x0, x1, narrow=True, s=s)  # down it: the body's own gutters
    if len(edges) < 3 + 1:
        return None, False
    if not named and is_anchor(" ".join(w.text for l in header for w in l.words if w.xc < edges[1])):
        return None, False  # a band numbered as a row is one (a table ruled under every row, a page of it)
    if not closed:  # the lines that keep to the columns found (prose under them stops the table)
        first, body = body, body_lines(under, under_header, edges, x0, x1, at_foot=True, s=s)
        if len(body) > len(first) and not joints:  # more rows than the first guess: they tell the columns better
            again = header_columns(header, body[:s.columns_evidence], x0, x1, s=s)
            if len(again) == len(edges):
                edges, body = again, body_lines(under, under_header, again, x0, x1, at_foot=True, s=s)
        if len(body) < least:
            return None, False
    if closed and joints and not any(w.xc < edges[1] for l in body for w in l.words):
        return None, False  # the rest of a row the page above cut (its number there) under the header printed
        # again, the rules drawn a cell a piece (`grid.rule_joints`): a table ruled under every row
    if _one_row(body, edges, closed, header, x0, x1, s=s) and not headed_above:
        return None, True  # a row under a header's rule: maybe a table ruled between its rows (`_ruled_between`)
    bottom = closing if closed else body[-1].box[3] + s.cut_pad
    return banded_boxes(edges, [top, under_header], body, bottom, open_bottom=not closed, words=inside, s=s), False


def _labels(text: str) -> bool:
    """An item number, a date or a section's label ("A", "II.") standing first in a row."""
    return is_anchor(text) or _LETTER.match(text.replace(" ", "")) is not None


_LETTER = re.compile(r"^[A-ZĐ][.)]?$")
_SECTION_LABEL = re.compile(r"^([A-ZĐ]|[IVXLC]{1,6})[.)]?$")  # a section's label: a letter or a Roman numeral


def _one_row(body: Sequence[Line], edges: Sequence[float], closed: bool, header: Sequence[Line], x0: float, x1: float,
             *, s: TextTableSettings) -> bool:
    """Are the lines under the header one row (then the rules may rule every row, the header's
    page shows no more): closed by a rule over one item number, or, open, fewer than
    body_min_lines lines, or lines that merge columns the header keeps apart."""
    anchors = sum(_labels(" ".join(w.text for w in l.words if w.xc < edges[1])) for l in body)
    if closed:
        return anchors == 1
    return anchors == 1 and len(body) < s.body_min_lines


def header_columns(header: Sequence[Line], body: Sequence[Line], x0: float, x1: float,
                   *, s: TextTableSettings = TEXT) -> list[float]:
    """Column edges (x0, ..., x1) of a header's lines over body lines: one edge in each white run
    down the whole header (narrow_gutter wide at least), where the body leaves it white: the
    edge of a body gutter inside it (`grid.text_columns`; of several, the one the fewest lines
    run over, then the widest white, then the rightmost; when lines run over each, the end of a
    white run every body line leaves there is offered too: `_clear_ends`; in a header gutter narrower than min_gutter
    and than header_spaces word spaces of the header, only where the next column's text starts at
    one x on `s.narrow_starts` of the lines: `_starts_after`),
    else, in a gutter min_gutter wide or more, its point the fewest body lines cover (the rightmost
    of those: text is left-aligned; with no body lines, its middle)."""
    gutters = [(a, b) for a, b in white_runs(header, x0, x1) if a > x0 + 1 and b < x1 - 1 and b - a >= s.narrow_gutter]
    found = text_columns([[l] for l in body], x0, x1, narrow=True, s=s)[1:-1]
    white = white_runs(body, x0, x1)
    edges = [x0]
    space = _word_space(header, s=s)
    for a, b in gutters:
        mine = [e for e in found if a - 1 <= e <= b + 1 and _crossing(body, e) <= len(body) // s.gutter_dissent]
        if mine and all(_crossing(body, e) for e in mine):
            mine += _clear_ends(white, a, b, s=s)
        # (a gutter that many body lines run over is a word space of the few lines in cells: no column's edge)
        narrow = (b - a < s.min_gutter and not (space and b - a >= s.header_spaces * space)
                  and not _lines_apart(header, a, b, s=s))
        # (narrow: header cells that nearly touch, or a word space of one cell, told apart by many body
        # lines; header_spaces of the header's word spaces wide: two cells' gap, a sheet's thin padding;
        # no line's word space: two cells' gap, the words either side of it on different lines)
        if mine and (not narrow or len(body) >= s.header_space_evidence):
            edge = min(mine, key=lambda e: (_crossing(body, e), -_white_width(white, e), -e))
            if not narrow or _starts_after(body, edge, s=s) >= s.narrow_starts * len(body):
                edges.append(edge)
        elif not narrow:  # (no body lines: a header alone at a page's foot, its middle)
            edges.append(_least_covered(body, a, b) if body else (a + b) / 2)
    return _padded([*edges, x1], body, s=s)


def _clear_ends(white: Sequence[tuple[float, float]], a: float, b: float, *, s: TextTableSettings) -> list[float]:
    """The right ends of the white runs every body line leaves (`white`, min_gutter wide at
    least) that end inside the header's gutter (a, b): the next column's text starts there on
    every line that has any. Offered beside body gutters that lines run over: one cell's long
    justified lines (a row's rest over a page) vote its word spaces as gutters
    (`grid.text_columns`) and may outvote the few lines that fill the table's columns."""
    return [d for c, d in white if a - 1 <= d <= b + 1 and d - c >= s.min_gutter]


def _lines_apart(header: Sequence[Line], a: float, b: float, *, s: TextTableSettings = TEXT) -> bool:
    """Is the white run (a, b) down the header no word space of any of its lines: on each line the
    white around it is min_gutter wide at least? A word space of one cell is narrow on the line it
    stands in; a narrow run whose words either side stand on different lines is two cells' gap (a
    wrapped cell filling its width beside a cell of fewer lines, centred on other baselines)."""
    for line in header:
        before = max((w.x1 for w in line.words if w.x1 <= a + s.align_tol), default=None)
        after = min((w.x0 for w in line.words if w.x0 >= b - s.align_tol), default=None)
        if before is not None and after is not None and after - before < s.min_gutter:
            return False
    return True


def _word_space(lines: Sequence[Line], *, s: TextTableSettings = TEXT) -> float | None:
    """The lines' usual word space (the median white between two words at word spacing,
    under min_gutter), None with fewer than three such spaces. A white run down a header
    several times as wide is two cells' gap, narrow as it is (a sheet pads its cells thinly)."""
    spaces = sorted(b.x0 - a.x1 for l in lines for a, b in zip(l.words, l.words[1:]) if 0 < b.x0 - a.x1 < s.min_gutter)
    return spaces[(len(spaces) - 1) // 2] if len(spaces) >= 3 else None


def _padded(edges: Sequence[float], body: Sequence[Line], *, s: TextTableSettings = TEXT) -> list[float]:
    """The inner edges moved to where the cell borders stand: a cell pads its text alike on both
    sides, so the border is half the narrowest gutter (the white between a full line's end and
    the next column's text; min_gutter wide at least, a narrower one is a line that ran over its
    cell) before the next column's text. Cell text is measured against its box (`celltext`: does
    a word cut at a line's end fit the line?). A line running across the columns (a section row's
    heading) is no cell's: its words start anywhere."""
    firsts = [_text_start(body, e, s=s) for e in edges[1:-1]]
    body = [l for l in body if not any(runs_across(l, e, s=s) and not _overflows(l, e, x, s=s)
                                       for e, x in zip(edges[1:-1], firsts))] or body
    starts, gaps, reach = [], [], []
    for e in edges[1:-1]:
        hi = _text_start(body, e, s=s)
        if hi is None:
            starts.append(None)
            reach.append(None)
            continue
        ends = [(a.x1, l) for l in body for a, b in zip(l.words, l.words[1:]) if a.x1 < hi - 0.5 <= b.x0 <= hi + 0.5]
        white = [(hi - x, l) for x, l in ends]
        close = [w.x1 for l in body for w in l.words if hi - s.min_gutter <= w.x1 < hi - 0.5]  # (a line of the
        starts.append(hi)  # column before that ends a few points short of its text, that column's empty there)
        reach.append(max([*(x for x, _ in ends), *close], default=None))
        narrowest, line = min(white, key=lambda w: w[0], default=(None, None))
        if (narrowest is not None and narrowest <= 2 * s.pad_search
                and (narrowest >= s.min_gutter or cells_apart(line, narrowest, s=s))):
            gaps.append(narrowest)  # narrower: a line ran over its cell (unless a thinly padded sheet's);
            # wider: no line runs full there (a cut row's rest in two columns), no padding shown
    if not gaps:
        return list(edges)
    pad = min(gaps) / 2
    return [edges[0], *(_border(e, hi, end, pad, s=s) for e, hi, end in zip(edges[1:-1], starts, reach)), edges[-1]]


def _text_start(body: Sequence[Line], edge: float, *, s: TextTableSettings = TEXT) -> float | None:
    """Where the text of the column right of `edge` starts (up to `s.pad_search` after it): the
    leftmost x two lines or more start a word at (a heading's word starts anywhere), else the
    leftmost start there; None when no word starts there."""
    near = [w.x0 for l in body for w in l.words if edge - s.align_tol <= w.x0 <= edge + s.pad_search]
    if not near:
        return None
    shared = [x for x in near if sum(abs(y - x) <= s.align_tol for y in near) >= 2]
    return min(shared or near)


def _overflows(line: Line, edge: float, start: float | None, *, s: TextTableSettings = TEXT) -> bool:
    """Does a line run over `edge` only as a thinly padded sheet's cell runs over its border (its
    wrapped line measured with other metrics than it is printed in): the word of the column before
    (its centre left of the edge) ends in the white before the next column's text (`start`), and
    the next word starts there (the next cell's text on that line) or none follows? A heading
    running across the edge goes on past it at word spacing."""
    if start is None:
        return False
    before = [w for w in line.words if w.xc < edge]
    after = [w for w in line.words if w.xc >= edge]
    if not before or before[-1].x1 >= start - s.align_tol or (after and after[0].x0 < edge):
        return False
    return not after or abs(after[0].x0 - start) <= s.align_tol


def _border(edge: float, start: float | None, reach: float | None, pad: float, *, s: TextTableSettings) -> float:
    """Where a column's left border stands (`grid.column_border`: `pad` before its text's `start`,
    nearer where the column before reaches, `reach`, close to it). Where the border would cut the
    text of the column before, the edge stays in the white between that text and the column's,
    moved no further from the column's text than `column_border` puts it (a thinly padded sheet's
    text stands right after its border, and the line ending before it ends in its own cell:
    `grid.runs_across`). An edge far from the text's start (more than `pad`) stays put, unless the
    text of the column before runs over it into the white before the column's text (`_overflows`:
    the border stands in that white)."""
    overrun = reach is not None and start is not None and edge + 1.0 < reach < start
    if start is None or (abs(start - pad - edge) > pad and not overrun):
        return edge
    if reach is not None and reach > start - pad and reach < edge < start:
        return max(edge, column_border(start, pad, reach, s=s))
    return column_border(start, pad, reach, s=s)


def _starts_after(lines: Sequence[Line], x: float, *, s: TextTableSettings = TEXT) -> int:
    """How many of the lines have a word starting at one point (within 2 * align_tol) just after x (up
    to `s.pad_search`): a column's left-aligned text starts there on every line it fills, a cell's
    justified words after a chance gutter start anywhere."""
    starts = sorted((w.x0, k) for k, l in enumerate(lines) for w in l.words if x - s.align_tol <= w.x0 <= x + s.pad_search)
    best, j = 0, 0
    for i, (at, _) in enumerate(starts):
        while starts[j][0] < at - 2 * s.align_tol:
            j += 1
        best = max(best, len({k for _, k in starts[j:i + 1]}))
    return best


def _crossing(lines: Sequence[Line], x: float) -> int:
    """How many of the lines a word runs over x in (a body gutter may let a few lines through)."""
    return sum(any(w.x0 < x < w.x1 for w in l.words) for l in lines)


def _white_width(runs: Sequence[tuple[float, float]], x: float) -> float:
    """How wide the white run around x is in `runs` (`grid.white_runs` of the lines: what every
    line leaves white); 0 when a line covers x."""
    return next((b - a for a, b in runs if a < x < b), 0.0)


def _least_covered(lines: Sequence[Line], a: float, b: float, *, step: float = 0.5) -> float:
    """The point of [a, b] the fewest lines cover (a word of theirs over it), the rightmost of
    those on a `step` grid down from b: one walk over the lines' word intervals."""
    starts: dict[float, int] = {}
    ends: dict[float, int] = {}
    for line in lines:
        spans: list[list[float]] = []  # a line counts once where its words touch
        for w in sorted(line.words, key=lambda w: w.x0):
            if w.x1 < a or w.x0 > b:
                continue
            if spans and w.x0 <= spans[-1][1]:
                spans[-1][1] = max(spans[-1][1], w.x1)
            else:
                spans.append([w.x0, w.x1])
        for x0, x1 in spans:
            starts[max(x0, a)] = starts.get(max(x0, a), 0) + 1
            ends[min(x1, b)] = ends.get(min(x1, b), 0) + 1
    cuts = sorted({a, b, *starts, *ends})
    inside, n = [], 0  # lines over the open segment after each cut, and over the cut itself
    at_cut = []
    for c in cuts:
        at_cut.append(n + starts.get(c, 0))
        n += starts.get(c, 0) - ends.get(c, 0)
        inside.append(n)
    best, at, j = None, b, len(cuts) - 1
    for k in range(int((b - a) / step) + 1):
        x = b - k * step
        while j > 0 and cuts[j] > x:
            j -= 1
        covered = at_cut[j] if x == cuts[j] else inside[j]
        if best is None or covered < best:
            best, at = covered, x
    return at


def body_lines(lines: Sequence[Line], top: float | None, edges: Sequence[float] | None, x0: float, x1: float,
               *, at_foot: bool = False, known: Sequence[Line] = (), s: TextTableSettings = TEXT) -> list[Line]:
    """The lines, top to bottom from `top` (a header's rule; None: the page's head), that are a
    table's rows: one after the other (no gap over body_line_gap line heights, or s.row_gap for a
    line that keeps to the columns: a tall row's empty bottom), inside the table's width, down
    to prose (two lines in a row running across the columns over most of the width; a line
    flush with the table's edge, and the lines running across just above it: its paragraph's).
    `at_foot`: nothing but `lines` stands under the table on the page (no rule, no other table).
    `known`: the table's rows on the pages before; a line where their columns' text starts is a
    row after a gap of any height too (a page holding only a section row so far, a writer's
    spanning row laid out far taller than its heading)."""
    out: list[Line] = []
    last = top
    wide: list[bool] = []  # lines running across the columns over most of the width
    spaced = 0.0  # the widest gap between two lines that keep to the columns so far (tall rows' white)
    ordered = sorted(lines, key=lambda l: l.box[1])
    for k, line in enumerate(ordered):
        lx0, _, lx1, _ = line.box
        h = line.box[3] - line.box[1]
        flush = lx0 < x0 + s.flush
        if (flush or lx1 > x1 + s.snap) and not (
                x0 - s.snap <= lx0 and lx1 <= x1 + s.snap
                and _heads_rows(line, ordered[k + 1:], out, edges, x0=x0, at_foot=at_foot,
                                under_rule=not out and top is not None and line.box[1] - top <= s.body_line_gap * h, s=s)):
            # text flush with the table's edge or beyond it: no cell's (unless a section row's heading
            # in a thinly padded cell, rows under it)
            if wide and wide[-1] and last is not None and line.box[1] - last <= s.body_line_gap * h:
                while wide and wide[-1]:  # (a cell pads its text) and the wide lines just above it are
                    out.pop()  # its paragraph's first ones (the first indented)
                    wide.pop()
            break
        across = edges is not None and any(runs_across(line, e, s=s) for e in edges[1:-1])
        nxt = ordered[k + 1] if k + 1 < len(ordered) else None
        labelled = edges is not None and (_labelled(line, edges) or (  # (or its label beside its next line:
            not any(w.xc < edges[1] for w in line.words) and nxt is not None  # a label centred on a heading of two)
            and nxt.box[1] - line.box[3] <= s.body_line_gap * h and _labelled(nxt, edges)))
        if last is not None:
            gap = line.box[1] - last
            loose = across if edges is not None else len(text_spans(line)) < UNRULED.min_cols  # (no columns yet: a
            # line in pieces is a row, a tall row's empty bottom above it)
            if (gap > max(s.body_line_gap * h, spaced + s.row_slack * h) and (loose or gap > s.row_gap * h)
                    and not keeps_to(line, _word_starts([*known, *out]), UNRULED)
                    and not (edges is not None and not across and _keeps_columns(line, [*known, *out], edges, s=s))
                    and not ((across or flush or labelled)
                             and _heads_rows(line, ordered[k + 1:], out, edges, x0=x0, at_foot=at_foot, s=s))):
                break  # (a row in the rows' own columns goes on after a gap of any height: a sheet's tall row;
                # a section row's heading after one, rows in those columns under it, too)
            if out and not across and edges is not None and gap <= s.row_gap * h:
                spaced = max(spaced, gap)
        out.append(line)
        wide.append(across and lx1 - lx0 >= s.prose_width * (x1 - x0))
        last = line.box[3]
    # prose under the table: the wide lines at its end when two or more (unless they are a section
    # row's heading of s.section_max_lines at most, its label first), or a run of more than s.section_max_lines
    # of them (a section row's heading is shorter, with rows under it)
    k = len(out)
    while k and wide[k - 1]:
        k -= 1
    labelled = edges is not None and k < len(out) and _SECTION_LABEL.match(
        "".join(w.text for w in out[k].words if w.xc < edges[1])) is not None
    if len(out) - k >= 2 and not (labelled and len(out) - k <= s.section_max_lines):
        out = out[:k]
    run = 0
    for j, w in enumerate(wide[:len(out)]):
        run = run + 1 if w else 0
        if run > s.section_max_lines:
            return out[:j + 1 - run]
    return out


def _word_starts(lines: Sequence[Line]) -> list[float]:
    """Where the words of the lines start: a cell's text starts at one of them, even where a
    thinly padded sheet's line runs up to the next cell's text at word spacing (no white run
    tells the two cells apart on that line; `unruled.keeps_to` looks a row's pieces up here)."""
    return sorted({w.x0 for l in lines for w in l.words})


def _keeps_columns(line: Line, rows: Sequence[Line], edges: Sequence[float], *, s: TextTableSettings) -> bool:
    """Does a line start its text in min_cols columns or more where the rows above start theirs
    in those columns (its first word in each column), all but one column at most (a centred
    number) of those the rows above hold text in (a column they leave empty tells nothing)? A
    sheet's row far taller than its text, its cells padded so thinly that a line runs up to the
    next cell's text at word spacing (no white run cuts it in pieces: `keeps_to`)."""
    def firsts(l: Line) -> dict[int, float]:
        out: dict[int, float] = {}
        for w in l.words:
            c = next((k for k in range(len(edges) - 1) if w.xc < edges[k + 1]), len(edges) - 2)
            out.setdefault(c, w.x0)
        return out
    seen: dict[int, set[float]] = {}
    for r in rows:
        for c, x in firsts(r).items():
            seen.setdefault(c, set()).add(x)
    mine = firsts(line)
    aligned = sum(any(abs(x - y) <= s.align_tol for y in seen.get(c, ())) for c, x in mine.items())
    return aligned >= UNRULED.min_cols and aligned >= sum(c in seen for c in mine) - 1


def _in_cells(line: Line, edges: Sequence[float], *, s: TextTableSettings) -> bool:
    """Does a line's text right of the first column stand in two cells or more (a white run
    min_gutter wide, or two cells' gap: `grid.cells_apart`)?"""
    ws = [w for w in line.words if w.xc >= edges[1]]
    return any(b.x0 - a.x1 >= s.min_gutter or cells_apart(line, b.x0 - a.x1, s=s) for a, b in zip(ws, ws[1:]))


def _heads_rows(heading: Line, after: Sequence[Line], rows: Sequence[Line], edges: Sequence[float] | None, *,
               x0: float | None = None, at_foot: bool = False, under_rule: bool = False, s: TextTableSettings) -> bool:
    """Does a line running across the columns (or flush with the table's edge at `x0`, or a
    section's label first) head rows: under it (and s.section_max_lines - 1 more such lines at
    most, a line holding the heading's label among them), close, a line in the columns of the
    rows above it (`unruled.keeps_to`; or its first word in each column where theirs start,
    `_keeps_columns`: a sheet's cells padded so thinly that a deadline runs up to the agency
    beside it at word spacing, one piece), or, no rows above, a line in min_cols pieces or more? A
    section's heading with its label and nothing under it is the page's last row (its rows on
    the next page); so is one line flush with the table's edge (a thinly padded cell) under
    rows, in no two cells (`_in_cells`), with nothing under it on the page (`at_foot`: no rule,
    no other table): a heading without a label ("Nhiệm vụ giao ...") whose rows the page break
    put on the next page; so is such a line with no rows above it, close under the header's
    rule (`under_rule`): the table's first section heading, all its rows on the next page.
    A line under the heading that runs over an edge yet starts its words where the rows above
    start theirs (`_keeps_columns`) is a row, not more of the heading: the edges a header was
    laid out on from its first rows only (a sheet's thin padding, columns those rows leave
    empty) can stand inside the next rows' text."""
    starts = _word_starts(rows)
    above = heading.box[3]
    labels = edges is not None and _labelled(heading, edges)
    for line in after[:s.section_max_lines]:
        label = edges is not None and _labelled(line, edges)  # (a label centred on a heading of two lines)
        heads = (edges is not None and any(runs_across(line, e, s=s) for e in edges[1:-1])
                 and not (rows and _keeps_columns(line, rows, edges, s=s))) or (
            x0 is not None and line.box[0] < x0 + s.flush) or label
        if not heads:
            close = line.box[1] - above <= s.body_line_gap * (line.box[3] - line.box[1])
            return close and (keeps_to(line, starts, UNRULED) or (edges is not None and _keeps_columns(line, rows, edges, s=s))
                              if rows else len(text_spans(line)) >= UNRULED.min_cols)
        labels = labels or label
        above = line.box[3]
    if (at_foot and not after and (rows or under_rule) and edges is not None and x0 is not None and x0 - s.snap <= heading.box[0] < x0 + s.flush
            and not _in_cells(heading, edges, s=s)):
        return True  # (a heading alone at the page's foot, under the rows: its rows on the next page)
    return len(after) < s.section_max_lines and labels


def _labelled(line: Line, edges: Sequence[float]) -> bool:
    """Does a line hold a section's label ("B", "II.") in the first column?"""
    return _SECTION_LABEL.match("".join(w.text for w in line.words if w.xc < edges[1])) is not None


def banded_boxes(edges: Sequence[float], header_ys: Sequence[float], body: Sequence[Line], bottom: float,
                 *, open_bottom: bool, words: Sequence[Word], s: TextTableSettings = TEXT) -> CellBoxes:
    """The grid of a headed table (or its part on a later page, `header_ys` empty): the header's
    band between its rules, then the body as one band per run of rows, a line running across the
    columns (a section row) a band of its own; `banded` (rows cut inside each band as in a
    column-ruled table), the bottom an open edge when the page cut the table."""
    x0, x1 = edges[0], edges[-1]
    top = body[0].box[1] - s.cut_pad if not header_ys else header_ys[-1]
    ys = {*header_ys, top, bottom}
    across = _section_lines(body, edges, s=s)
    for k, line in enumerate(body):
        if across[k]:
            if k and not across[k - 1]:
                ys.add((body[k - 1].box[3] + line.box[1]) / 2)
            if k + 1 < len(body) and not across[k + 1]:
                ys.add((line.box[3] + body[k + 1].box[1]) / 2)
    ys = sorted(ys)
    ruled_at = {y: [(x0, x1)] for y in ys}
    inside = [w for w in words if ys[0] < w.yc < ys[-1]]
    sections = {k for k, (a, b) in enumerate(zip(ys, ys[1:]))
                if any(across[j] for j, l in enumerate(body) if a < (l.box[1] + l.box[3]) / 2 < b)}
    boxes = CellBoxes(b for b in grid_cells(ys, edges, ruled_at, inside, s=s) if ys.index(b[1]) not in sections)
    for k in sorted(sections):
        boxes += _section_boxes(ys[k], ys[k + 1], edges, [w for w in inside if ys[k] < w.yc < ys[k + 1]], s=s)
    boxes.open_edges = [(bottom, x0, x1, "bottom")] if open_bottom else []
    if not header_ys:
        boxes.open_edges.append((ys[0], x0, x1, "top"))
    boxes.ruled = False
    boxes.banded = True
    boxes.headed = bool(header_ys)
    return boxes


def _section_boxes(top: float, bottom: float, edges: Sequence[float], words: Sequence[Word],
                   *, s: TextTableSettings) -> list[tuple[float, float, float, float]]:
    """The cells of a section row's band: one across each edge its heading runs over (a word over
    it, or a word space around it, even where a word starts just after it) and on to the row's end."""
    lines = group_lines(words)  # word spaces are between two words of one line
    cuts = [edges[0]]
    for e in edges[1:-1]:
        over = any(w.x0 < e - 1.0 and w.x1 > e + 1.0 for w in words)
        spaced = any(a.x1 <= e + 1.0 and b.x0 >= e - 1.0 and b.x0 - a.x1 < s.min_gutter
                     for l in lines for a, b in zip(l.words, l.words[1:]))
        if not (over or spaced) and any(w.x0 > e for w in words):
            cuts.append(e)  # empty cells after the heading are its own (a heading across the row)
    cuts.append(edges[-1])
    return [(a, top, b, bottom) for a, b in zip(cuts, cuts[1:])]


def _section_lines(body: Sequence[Line], edges: Sequence[float], *, s: TextTableSettings = TEXT) -> list[bool]:
    """Which lines are a section row's: a line running across the columns, or a section's label
    ("B", "II.") with its heading beside it at word spacing from the next column on (its text in
    no two cells, `_in_cells`; in that column only: a heading shorter than it), and the lines
    under it at the heading's own line pitch that wrap it (in no two cells either): nothing in the
    first column, or there the rest of its label a narrow column wrapped ("II" over "I": "III"),
    or a heading across the whole row going on where it starts (no item number or label there)."""
    out: list[bool] = []
    label = ""  # the first column's text of the section row so far
    beside = False  # the section row's heading stands in the second column only
    for k, line in enumerate(body):
        first = " ".join(w.text for w in line.words if w.xc < edges[1]).replace(" ", "")
        labelled = _SECTION_LABEL.match(first) is not None and len(edges) > 3
        short = labelled and all(w.xc < edges[2] for w in line.words)
        rest = [w for w in line.words if w.xc >= edges[1]]
        spans = labelled and bool(rest) and rest[0].xc < edges[2] and not _in_cells(line, edges, s=s)
        if short or spans or _flows_on(line, edges, s=s) or any(runs_across(line, e, s=s) for e in edges[1:-1]):
            # (a label's heading at word spacing is a section row's, where its word starts at a column's text, too)
            out.append(True)
            label = first
            beside = short
            continue
        prev = body[k - 1] if k else None
        close = prev is not None and line.box[1] - prev.box[3] < s.section_pitch * (line.box[3] - line.box[1])
        wraps = (not first or (label and _labels(label + first)) or (
            prev is not None and abs(line.box[0] - prev.box[0]) <= 1.0 and not _labels(first))) and not (
            beside and any(w.xc >= edges[2] for w in line.words)) and not _in_cells(line, edges, s=s)
        # (text in later columns, or in two cells: a row, its number lower)
        out.append(bool(out) and out[-1] and close and bool(wraps))
        label = label + first if out[-1] else ""
    return out


def _flows_on(line: Line, edges: Sequence[float], *, s: TextTableSettings = TEXT) -> bool:
    """Is a line a heading that starts in a narrow first column with words (no item number or
    label: "Nhiệm vụ giao ...") and goes on at word spacing into the next one, its text in no two
    cells (`_in_cells`)? A row's number stands a gutter before its name; a heading's first word
    fits in a narrow number column and its next word stands past the column's border."""
    first = [w for w in line.words if w.xc < edges[1]]
    rest = [w for w in line.words if w.xc >= edges[1]]
    text = "".join(w.text for w in first)
    return (bool(first) and bool(rest) and not is_anchor(text) and _SECTION_LABEL.match(text) is None
            and any(c.isalpha() for c in text) and rest[0].x0 - first[-1].x1 < s.min_gutter
            and not _in_cells(line, edges, s=s))


# ---------------------------------------------------------------- pages after the header's page


def _runs_to_foot(page: PageContent, furniture: set) -> Fragment | None:
    """The page's last fragment when it is a headed table's (or a carried part) with nothing but page
    furniture under it: the table may go on over the page (a rule under it says little: a writer
    draws the bottom rule of a table's last row on each page the row is cut by)."""
    if not page.fragments:
        return None
    last = page.fragments[-1]
    if not last.banded or not last.rows:
        return None
    if any(l.box[1] >= last.box[3] - 1 and l.box not in furniture for l in page.lines):
        return None  # text under it: the table ended on this page
    return last


def _fragment_words(frag: Fragment, *, body: bool = False) -> list[Word]:
    """The words of a fragment's cells; with `body`, without its header band (`_header_row`)."""
    rows = frag.rows[1:] if body and _header_row(frag) is not None else frag.rows
    return [w for r in rows for c in r.cells for l in c.lines for w in l.words]


def carry_columns(pages: Sequence[PageContent], *, s: TextTableSettings = TEXT,
                  unruled: UnruledSettings = UNRULED) -> list[PageContent]:
    """The pages, each page after one whose headed table runs to its foot read again with that
    table's columns (see the module's docstring). Pages with no such table above are unchanged.

    The columns of one table are the same on every page: once the pages are carried, the body
    lines of every page of the table (and its header, printed again or not) give its edges once
    (`header_columns`), and each of its pages is laid out again on them."""
    out = list(pages)
    if not any(f.banded or f.one_row for p in pages for f in p.fragments):
        return out
    loose = [_loose(p) for p in pages]
    furniture = [{l.box for l in furn} for _, furn in split_furniture([(ls, p.height) for ls, p in zip(loose, pages)], s=s)]
    if not _rows_ruled(out):  # a header over one row is a table ruled around its header only
        for k, page in enumerate(out):
            for frag in [f for f in page.fragments if f.one_row]:
                out[k] = _as_headed(out[k], frag, furniture[k], s=s, unruled=unruled)
    for _ in range(len(out)):  # bounded: each pass after the first carries a page more
        out, feet = _carry_pass(out, furniture, s=s, unruled=unruled)
        if feet == [_runs_to_foot(p, f) is not None for p, f in zip(out, furniture)]:
            break  # else a table's columns laid out again take a page to its foot: the next is carried
    return out


def _carry_pass(pages: Sequence[PageContent], furniture: Sequence[set], *, s: TextTableSettings,
                unruled: UnruledSettings) -> tuple[list[PageContent], list[bool]]:
    """One pass of `carry_columns`: each page after one running to its foot carried with the
    columns known so far, then each table's pages laid out again on the columns of all its pages.
    Also returns which pages ran to their foot before the second step (it may take more there)."""
    out = list(pages)
    loose = [_loose(p) for p in out]
    evidence: tuple[list[Line], list[Line], Fragment] | None = None  # header, body lines, last fragment
    votes = (0, 0)  # of the numbers of the table running to the page's foot, on every page it has run over so far
    for k in range(len(out)):
        above = _runs_to_foot(out[k - 1], furniture[k - 1]) if k else None
        votes = _table_votes(votes, above, s=s)
        if above is not None and evidence is not None and out[k].method == "text":
            page = _rest_released(out[k], furniture[k], above, s=s)
            again = _repeated(page, evidence, above, furniture[k], s=s)
            more = _loose(page) if page is not out[k] else loose[k]
            carried = _carried(page, _edges_with(evidence, above, more, furniture[k], again, s=s),
                               furniture[k], s=s, unruled=unruled, headed=again, centred=centred_by(votes),
                               going_on=last_number(above.rows), known=evidence[1])
            if carried is not None:
                out[k] = carried
        evidence = _evidence(evidence, out[k], above, s=s)
    feet = [_runs_to_foot(p, f) is not None for p, f in zip(out, furniture)]
    chains = [[(k, out[k].fragments[i].box) for k, i in chain] for chain in _chains(out, furniture)]
    for chain in chains:
        members = [(k, _at(out[k], box)) for k, box in chain]
        if any(f is None for _, f in members):
            continue  # laid out again with another table of its page
        edges = _chain_edges(out, [(k, out[k].fragments.index(f)) for k, f in members], s=s)
        if edges is None:
            continue
        centred = numbers_centred([r for _, f in members for r in f.rows], s=s)  # the whole table votes
        going_on = None  # the last item number of the table's page before
        known: list[Line] = []  # the table's rows on its pages before
        for k, box in chain:
            frag = _at(out[k], box)
            if frag is None:
                continue
            headed = frag if _header_row(frag) is not None else None
            if headed is None:  # the carried part, read again from the page as it was before
                out[k] = replace(out[k], fragments=tuple(f for f in out[k].fragments if f is not frag),
                                 lines=tuple(prose_lines([*(w for l in out[k].lines for w in l.words), *_fragment_words(frag)])))
            out[k] = _carried(out[k], edges, furniture[k], s=s, unruled=unruled, headed=headed, centred=centred,
                              going_on=going_on, known=known) or out[k]
            again = _at(out[k], box)
            going_on = last_number(again.rows) if again is not None else None
            if again is not None:
                known = [*known, *group_lines(_fragment_words(again, body=True))][-s.columns_evidence:]
    return out, feet


def _table_votes(votes: tuple[int, int], above: Fragment | None, *, s: TextTableSettings) -> tuple[int, int]:
    """The votes whether the table running to a page's foot centres its numbers
    (`grid.centred_votes`): those of `above`, that fragment, added to `votes`, those of the
    pages the table ran over before, unless `above` starts a table (its header row) or there is
    none. A page whose numbers do not tell (one row whose long cell runs on past its number)
    does not undo what the pages before it told; each page's rows are counted once."""
    if above is None:
        return (0, 0)
    mine = centred_votes(above.rows, s=s)
    if _header_row(above) is not None:
        return mine
    return (votes[0] + mine[0], votes[1] + mine[1])


def _rows_ruled(pages: Sequence[PageContent]) -> bool:
    """Does the document rule the rows of a table anywhere: a table ruled between its rows that
    shows two rows or more closed by rules on both sides (its header not counted)? Then a header
    over one row under rules (`one_row`) is such a table's page too; else it is a table ruled
    around its header only."""
    for f in (f for p in pages for f in p.fragments if f.framed and not f.one_row):
        rows = f.rows[1:] if f.rows and looks_like_header([c.text for c in f.rows[0].cells]) else f.rows
        if sum(not any(c.open_top or c.open_bottom for c in r.cells) for r in rows) >= 2:
            return True
    return False


def _rest_released(page: PageContent, furniture: set, above: Fragment | None = None, *,
                   s: TextTableSettings = TEXT) -> PageContent:
    """The page with a band of one row between two rules at its head (the rest of a row the page
    cut, and the rule that closes the table or that row) given back to its lines, to be read with
    the columns of the table above; the page itself otherwise. A band read as several rows is
    one row's rest too when none but its first starts with an item number or a date (`_starts`)
    and its first names no columns (a header printed again over the rest): the reading without
    the table's columns cut it where no row starts. Under a header the page above cut (`above`
    its header band alone, open at the bottom: `cut_header`), the table read from the rule
    under the header's rest is given back whole: the rest and the rows under it are the table's."""
    first = page.fragments[0] if page.fragments else None
    if first is None or not first.framed or first.one_row:
        return page
    cut = (above is not None and len(above.rows) == 1 and any(c.open_bottom for c in above.rows[0].cells)
           and bool(first.rows) and any(c.open_top for c in first.rows[0].cells))
    if not cut and len(first.rows) > 1 and (any(_starts(r) for r in first.rows[1:]) or looks_like_header(
            [" ".join(l.text for l in c.lines) for c in first.rows[0].cells], s=s)):
        return page
    if any(l.box[3] <= first.box[1] + 1 and l.box not in furniture for l in page.lines):
        return page  # text above it: not the page's head
    words = [*(w for l in page.lines for w in l.words), *_fragment_words(first)]
    return replace(page, fragments=page.fragments[1:], lines=tuple(prose_lines(words)))


def _starts(row) -> bool:
    """Does the row's first cell start with an item number or a date (its first word)?"""
    lines = row.cells[0].lines if row.cells else ()
    return bool(lines) and bool(lines[0].words) and is_anchor(lines[0].words[0].text)


def _as_headed(page: PageContent, frag: Fragment, furniture: set, *, s: TextTableSettings,
               unruled: UnruledSettings) -> PageContent:
    """The page with a header over one row (`one_row`) read as a table ruled around its header:
    its header band gives the columns over the lines under it (`header_columns`), and the lines
    under it down to what is no row of it are its rows (`_carried`)."""
    head = _header_row(frag)
    if head is None:
        return page
    header = group_lines(w for c in head.cells for l in c.lines for w in l.words)
    below = [l for l in _loose(page) if l.box not in furniture and l.box[1] >= head.box[3]]
    body = sorted([*group_lines(_fragment_words(frag, body=True)), *below], key=lambda l: l.box[1])
    edges = header_columns(header, body[:s.columns_evidence], frag.col_edges[0], frag.col_edges[-1], s=s)
    if len(edges) < 3 + 1:
        return page
    return _carried(page, edges, furniture, s=s, unruled=unruled, headed=frag) or page


def _cells_going_on(lines: Sequence[Line], furniture: set, edges: Sequence[float], *,
                    s: TextTableSettings) -> set:
    """The boxes of the lines taken for page furniture that are the text of a cell going on: no
    page number, inside one column after the first, starting where a line of the page just above
    it (body_line_gap line heights at most, itself no furniture or such a line) starts. A task
    table's cell text recurs (the same words on several pages, at one height by chance) and reads
    as a running footer or a recurring band; a page's furniture stands apart from the table."""
    def column(line: Line) -> int | None:
        k = next((i for i in range(1, len(edges) - 1) if edges[i] <= line.box[0] < edges[i + 1]), None)
        return k if k is not None and line.box[2] <= edges[k + 1] else None

    ordered = sorted(lines, key=lambda l: l.box[1])
    out: set = set()
    for k, line in enumerate(ordered):
        if line.box not in furniture or PAGE_NUMBER.match(line.text.strip()) or column(line) is None:
            continue
        h = line.box[3] - line.box[1]
        if any((a.box not in furniture or a.box in out) and abs(a.box[0] - line.box[0]) <= 1.0
               and 0 <= line.box[1] - a.box[3] <= s.body_line_gap * h for a in ordered[:k]):
            out.add(line.box)
    return out


def _at(page: PageContent, box) -> Fragment | None:
    """The page's banded fragment at the top of `box` (as laid out again since)."""
    return next((f for f in page.fragments if f.banded and abs(f.box[1] - box[1]) <= 1), None)


def _evidence(evidence, page: PageContent, above: Fragment | None, *, s: TextTableSettings = TEXT):
    """What the table running over the pages so far gives its columns: (header lines, body
    lines, its fragment last seen), once `page` is read; None when no headed table runs on."""
    for i, frag in enumerate(page.fragments):
        if not frag.banded:
            continue
        words = _fragment_words(frag, body=True)
        head = _header_row(frag)
        if i == 0 and evidence is not None and above is not None and frag.n_cols == above.n_cols:
            evidence = (evidence[0], [*evidence[1], *group_lines(words)][:s.columns_evidence], frag)
        elif head is not None:
            evidence = (group_lines(w for c in head.cells for l in c.lines for w in l.words), group_lines(words), frag)
    return evidence


def _repeated(page: PageContent, evidence, above: Fragment, furniture: set, *,
              s: TextTableSettings = TEXT) -> Fragment | None:
    """The page's first fragment when it is the table going on under its header printed again
    (a headed fragment at the page's head whose header's words are those of the table's header;
    text above it is the table going on, and the header another table's of the same columns)."""
    first = page.fragments[0] if page.fragments else None
    if first is None or not first.banded:
        return None  # (its columns may differ: found on this page alone)
    if any(l.box[3] <= first.box[1] + 1 and l.box not in furniture for l in page.lines):
        return None
    head = _header_row(first)
    if head is None:
        return None
    mine = {w.text for c in head.cells for l in c.lines for w in l.words}
    theirs = {w.text for l in evidence[0] for w in l.words}
    return first if len(mine & theirs) >= s.repeat_share * len(mine | theirs) else None


def _edges_with(evidence, above: Fragment, loose: Sequence[Line], furniture: set, again: Fragment | None = None,
                *, s: TextTableSettings) -> list[float]:
    """The columns of the table running on, from its header and its body so far with the lines of
    the next page; the columns of the fragment above when they do not give as many."""
    header, body, _ = evidence
    more = [l for l in loose if l.box not in furniture]
    if again is not None:
        more += group_lines(_fragment_words(again, body=True))
    edges = header_columns(header, [*body, *more][:s.columns_evidence], above.col_edges[0], above.col_edges[-1], s=s)
    return edges if len(edges) == len(above.col_edges) else list(above.col_edges)


def _header_row(frag: Fragment):
    """The header band of a headed table's fragment (its first row, closed above by a rule), or None."""
    first = frag.rows[0] if frag.rows else None
    return None if first is None or any(c.open_top for c in first.cells) else first


def _chains(pages: Sequence[PageContent], furniture: Sequence[set]) -> list[list[tuple[int, int]]]:
    """(page index, fragment index) of the fragments of each headed table over several pages: a
    headed fragment, then on each next page the first fragment when it is banded with as many
    columns (carried, or under its header printed again) while the one above runs to its foot."""
    chains: list[list[tuple[int, int]]] = []
    for k, page in enumerate(pages):
        for i, frag in enumerate(page.fragments):
            if not frag.banded:
                continue
            last = chains[-1][-1] if chains else None
            if (last is not None and i == 0 and last[0] == k - 1
                    and _runs_to_foot(pages[k - 1], furniture[k - 1]) is pages[k - 1].fragments[last[1]]
                    and pages[k - 1].fragments[last[1]].n_cols == frag.n_cols):
                chains[-1].append((k, i))
            elif _header_row(frag) is not None:
                chains.append([(k, i)])
    return [c for c in chains if len(c) >= 2]


def _chain_edges(pages: Sequence[PageContent], chain: Sequence[tuple[int, int]], *,
                 s: TextTableSettings) -> list[float] | None:
    first = pages[chain[0][0]].fragments[chain[0][1]]
    head = _header_row(first)
    header = group_lines(w for c in head.cells for l in c.lines for w in l.words)
    body: list[Line] = []
    for k, i in chain:
        body += group_lines(_fragment_words(pages[k].fragments[i], body=True))
    edges = header_columns(header, body[:s.columns_evidence], first.col_edges[0], first.col_edges[-1], s=s)
    return edges if len(edges) == len(first.col_edges) else None


def _loose(page: PageContent) -> list[Line]:
    """The page's lines that no ruled or headed table holds: its prose and its unruled tables'."""
    return [*page.lines, *(l for f in page.fragments if not f.ruled and not f.banded and not f.framed
                           for l in group_lines(_fragment_words(f)))]


def _carried(page: PageContent, edges: Sequence[float], furniture: set, *,
             s: TextTableSettings, unruled: UnruledSettings, headed: Fragment | None = None,
             centred: bool = False, going_on: int | None = None, known: Sequence[Line] = ()) -> PageContent | None:
    """The page read again with the table's columns: the lines at its head (or under the header
    band of `headed`, its fragment printed under its own header) are the table's rows, down to
    the next table or to what is no row of it (`body_lines`); the rest is read as before.
    `centred`: the table's numbers stand in the middle of their rows (`grid.CellBoxes.centred`);
    `going_on`: the last item number of the table's page before (`grid.CellBoxes.going_on`);
    `known`: the table's rows on the pages before (`body_lines`)."""
    edges = list(edges)
    x0, x1 = edges[0], edges[-1]
    head = _header_row(headed) if headed is not None else None
    top = head.box[3] if head is not None else None
    kept = [f for f in page.fragments if (f.ruled or f.banded or f.framed) and f is not headed]
    below = [f.box[1] for f in kept if top is None or f.box[1] >= top]
    limit = min(below, default=float("inf"))  # (a sheet's row overflowing the page's foot: its text is there)
    if head is not None and len(headed.rows) > 1 and not any(c.open_bottom for c in headed.rows[-1].cells):
        limit = min(limit, headed.box[3] + s.snap)  # a rule closes its rows: a heading under it is no row
    lines = [*_loose(page), *(group_lines(_fragment_words(headed)) if headed is not None else ())]
    free = [w for l in lines for w in l.words]
    furniture = furniture - _cells_going_on(lines, furniture, edges, s=s)
    candidates = [l for l in lines if l.box not in furniture and l.box[3] <= limit and (top is None or (l.box[1] + l.box[3]) / 2 > top)]
    body = body_lines(candidates, top, edges, x0, x1, at_foot=limit >= page.height, known=known, s=s)
    if not body and head is None:
        return None
    if head is None and limit < page.height and all(_section_lines(body, edges, s=s)):
        return None  # a heading over the next table on the page (its header), not the table going on
    bottom = body[-1].box[3] + s.cut_pad if body else top  # (no body: a header alone at the page's foot)
    ends_here = not body or limit < page.height or any(l.box[1] >= bottom for l in candidates)
    header_ys = [headed.box[1], top] if headed is not None else []
    boxes = banded_boxes(edges, header_ys, body, bottom, open_bottom=not ends_here, words=free, s=s)
    boxes.centred = centred
    boxes.going_on = going_on
    frags, rest = build_fragments(page.page, [boxes], free, s=s)
    if not frags:
        return None
    frags, rest = add_unruled(page.page, [*kept, *frags], rest, unruled, s)
    frags = sorted(frags, key=lambda f: (f.box[1], f.box[0]))
    return replace(page, lines=tuple(prose_lines(rest)), fragments=tuple(frags))


__all__ = ["banded_boxes", "body_lines", "carry_columns", "cut_header", "header_columns", "headed_tables"]
