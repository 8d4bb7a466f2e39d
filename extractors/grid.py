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

Rules that are not there are made up for where other software leaves them out:
- a box a page cut open (a browser draws no rule where the page cuts a row, a
  spreadsheet none under a merged cell it cuts) is closed at the page's content edge
  (`open_end_rules`), and its cells are marked open there for the stitcher; column rules
  that stop at a heading row spanning the columns are closed there out to the frame
  (`_to_sides`);
- `border-collapse: separate` side rules stopping just short of a rule meet it
  (`bridged_rules`); pieces drawn above or below the page (clipped) are no rules;
- a table ruled between rows only gets its columns from the gutters its text leaves
  (`rule_stacks`, `rule_only_table`, `text_columns`), or from the joints of its rules where
  each is drawn a cell a piece (a browser's `border-bottom` on every cell: `rule_joints`); a
  stack whose pieces' joints change between two rules is two tables (`split_at_joints`), and a
  page holding one such rule is a cut row's rest over it and the next row under it
  (`lone_rule_table`);
- a ruled box holding several rows (no rule between them) is split where an anchor
  column, the item number or a date, starts a line (`split_by_anchor`); the table's
  numbering decides first (`split_rows_of`): pieces of a number a narrow column wrapped
  ("1" over "0") are one number, and in a grid ruled between its rows a box closed by
  rules is one row unless its numbers go on one after the other; line-based splitting
  (`split_by_lines`) is for bands without row rules only;
- a heading row spanning columns with no rule under it (its column rules stop at it) is
  cut from the rows above and below where the column rules stop and start again, and stays
  one box across (`split_spans`);
- in a box holding several rows, the rest of a row the page cut above the first number is
  that row's (`_lead_in`), and the pieces of a number a narrow column wrapped stay one
  number at the box's own line pitch (`_unwrapped`, `_wrap_of`);
- where the numbers stand in the middle of their rows (a sheet centres its cells vertically:
  `numbers_centred`), a row starts where the other cells' text starts above its number, under
  the widest white band they leave between two numbers (`_centred_cuts`), and text above a
  box's first number is that row's.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace
from typing import Iterable, Sequence

from pdfplumber.table import merge_edges

from .celltext import CLOSING, OPENING
from .headers import looks_like_header
from .layout import Box, Cell, Fragment, Line, Row, Word
from .settings import TEXT, TextTableSettings
from .words import group_lines, page_words


def cell_walls(tables: Sequence[Sequence[Box]]) -> list[tuple[float, float, float]]:
    """The ruled sides (x, top, bottom) of the cells of tables ruled between their columns
    (not those whose columns come from their text, nor those ruled around a header only)."""
    return sorted({(b[k], b[1], b[3]) for t in tables if getattr(t, "ruled", True) and not getattr(t, "banded", False)
                   for b in t for k in (0, 2)})


def pdfplumber_cell_boxes(page, *, s: TextTableSettings = TEXT) -> list[list[Box]]:
    """Cell boxes of every ruled table pdfplumber finds on the page (one list per table)."""
    height = float(page.height)
    hidden = invisible_rects(page.rects, s=s) | {id(o) for o in (*page.rects, *page.lines, *page.curves)
                                            if not _on_page(o, height, s=s)}
    ruled = page.filter(lambda obj: id(obj) not in hidden) if hidden else page
    settings = s.pdfplumber_table
    rules = merged_rules(ruled.edges, s=s)
    sides = open_side_rules(rules, s=s) + bridged_rules(rules, s=s)
    if sides:
        settings["explicit_vertical_lines"] = sides
    ends = open_end_rules(rules, s=s)
    if ends:
        settings["explicit_horizontal_lines"] = ends
    tables = _continued_under_spans([CellBoxes(tuple(map(float, c)) for c in t.cells)
                                     for t in ruled.find_tables(settings)], s=s)
    for t in tables:
        t.open_edges = [(e["top"], e["x0"], e["x1"], e["end"]) for e in ends]
    stacks = rule_stacks(rules[0], [_bbox(t) for t in tables], float(page.width), min_rules=1, s=s)
    if stacks:
        words = page_words(page, s=s)
        pieces = [e for e in ruled.edges if e["orientation"] == "h"]
        stacks = [part for st in stacks for part in split_at_joints(st, pieces, s=s)]
        lone = [st for st in stacks if len(cluster_values(sorted(e["top"] for e in st), s=s)) == 1]
        parts = [part for st in stacks if not any(st is o for o in lone) for part in split_at_prose(st, words, single=True, s=s)]
        single = [len({round(e["top"]) for e in part}) == 1 for part in parts]
        stacks = [part for part, one in zip(parts, single) if not one]
        cut = [part for part, one in zip(parts, single) if one]  # a stack's last rule, prose over it
        from .headed import cut_header, headed_tables  # it builds on this module's grid steps

        grids, tables = tables, list(tables)
        for st in stacks:  # rules around a header only, else rules between rows
            joints = rule_joints(st, pieces, s=s)
            headed = headed_tables(st, words, joints, s=s)
            tables += headed or [t for t in (rule_only_table(st, words, joints, s=s),) if t is not None]
        tables += [t for st in lone if (t := cut_header(st, words, (j := rule_joints(st, pieces, s=s)), s=s)
                                        or lone_rule_table(st, words, j, s=s)) is not None]
        tables += [t for st in cut if (t := cut_header(st, words, rule_joints(st, pieces, s=s), s=s)) is not None]
        tables = grids + [t for t in tables[len(grids):] if not (t and any(g and _around(_bbox(t), _bbox(g), s=s) for g in grids))]
    return tables


def _around(outer: Box, inner: Box, *, s: TextTableSettings = TEXT) -> bool:
    """A box holds another (to `snap`): a table read from rules between rows around a ruled grid
    is that grid's rows with the rules beside it, not a table of its own."""
    return (outer[0] - s.snap <= inner[0] and outer[1] - s.snap <= inner[1]
            and inner[2] <= outer[2] + s.snap and inner[3] <= outer[3] + s.snap)


def _continued_under_spans(tables: list["CellBoxes"], *, s: TextTableSettings = TEXT) -> list["CellBoxes"]:
    """A table found inside a box of another that spans its columns, on the other's column
    edges, is the rest of that table: a heading row spanning the columns with no rule under
    it (the column rules start again below) leaves the rows under it apart. Joined (and
    `split_spans` cuts the spanning box where the rows start)."""
    out = list(tables)
    for inner in sorted(tables, key=len):
        if inner not in out:
            continue
        box = _bbox(inner)
        for outer in out:
            if outer is inner:
                continue
            xs = cluster_values(sorted({b[0] for b in outer} | {b[2] for b in outer}), s=s)
            holds = any(b[0] - s.edge_tol <= box[0] and box[2] <= b[2] + s.edge_tol and b[1] - s.edge_tol <= box[1]
                        and box[3] <= b[3] + s.edge_tol and sum(b[0] + s.edge_tol < x < b[2] - s.edge_tol for x in xs) >= 1
                        for b in outer)
            edges = {b[0] for b in inner} | {b[2] for b in inner}
            if holds and all(any(abs(e - x) <= s.edge_tol for x in xs) for e in edges):
                outer.extend(inner)
                out.remove(inner)
                break
    return out


class CellBoxes(list):
    """Cell boxes of one table, and the rules that close boxes the page cut open:
    `open_edges` holds (y, x0, x1, "top" | "bottom") of each (see `open_end_rules`);
    `ruled` is False for a table whose columns come from its text, not from rules; `banded`
    is True for a table ruled around its header only (`headed`): bands of rows with no rule
    between them, cut into rows as a column-ruled table's are."""

    open_edges: list[tuple[float, float, float, str]] = []
    ruled: bool = True
    banded: bool = False
    framed: bool = False
    one_row: bool = False
    headed: bool = False  # banded: its first band is the table's header (between two rules)
    centred: bool = False  # the table's numbers stand in the middle of their rows, as its other pages show
    going_on: int | None = None  # the last item number of the table's page before (its numbering goes on from it)
    # (`split_rows_of`: a page holding one row gives no vote of its own)


def _bbox(boxes: Sequence[Box]) -> Box:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


# ---------------------------------------------------------------- tables ruled between rows only


def rule_stacks(hs: Sequence[dict], tables: Sequence[Box], page_width: float, min_rules: int = 2,
                *, s: TextTableSettings = TEXT) -> list[list[dict]]:
    """Stacks of long horizontal rules (`min_rules` at different heights at least), outside every
    ruled table, over the same width: tables ruled between their rows only (no vertical rule).
    Rules of a stack overlap the stack's extent by most of their length (a rule stopping short
    leaves a merged cell open)."""
    free = [h for h in hs
            if not any(t[0] - s.snap <= h["x0"] and h["x1"] <= t[2] + s.snap and t[1] - s.snap <= h["top"] <= t[3] + s.snap
                       for t in tables)]
    at_y: dict[int, float] = {}  # pieces of one rule (stopping short of a merged cell) count together
    for h in free:
        at_y[round(h["top"])] = at_y.get(round(h["top"]), 0.0) + h["x1"] - h["x0"]
    free = [h for h in free if at_y[round(h["top"])] >= s.band_min_width * page_width]
    stacks: list[list[dict]] = []
    for group in _same_height(sorted(free, key=lambda e: e["top"]), s=s):  # a rule's pieces join a stack together
        a, b = min(e["x0"] for e in group), max(e["x1"] for e in group)
        for st in stacks:
            x0, x1 = min(e["x0"] for e in st), max(e["x1"] for e in st)
            if min(x1, b) - max(x0, a) >= s.band_overlap * min(x1 - x0, b - a):
                st.extend(group)
                break
        else:
            stacks.append(list(group))
    return [st for st in stacks if len({round(e["top"]) for e in st}) >= min_rules and not any(_holds(st, t, s=s) for t in tables)]


def _same_height(hs: Sequence[dict], *, s: TextTableSettings = TEXT) -> list[list[dict]]:
    """Rules sorted by height, in groups standing at one height (the pieces of one rule)."""
    out: list[list[dict]] = []
    for h in hs:
        if out and abs(h["top"] - out[-1][0]["top"]) <= s.snap:
            out[-1].append(h)
        else:
            out.append([h])
    return out


def split_at_prose(stack: Sequence[dict], words: Sequence[Word], *, single: bool = False,
                   s: TextTableSettings = TEXT) -> list[list[dict]]:
    """A stack cut where the space between two of its rules holds prose (two lines or more
    each running whole over most of its width, or three lines or more running whole, one of
    them that wide: a caption or a paragraph between two tables, or under a rule at the
    page's head; or a line of words starting flush with the rules' left end, where no cell's
    padded text starts: a heading between two tables), not rows, unless they are a section
    row's (`_labelled_heading`). Parts keep two rules or more; with `single`, the last part
    too when it is one rule (over a header the page cuts, a heading between it and the table
    above: `headed.cut_header` reads it)."""
    x0, x1 = min(e["x0"] for e in stack), max(e["x1"] for e in stack)
    ys = cluster_values(sorted(e["top"] for e in stack), s=s)
    inside = [w for w in words if x0 - s.snap <= w.xc <= x1 + s.snap]
    parts, at = [], ys[0]
    for a, b in zip(ys, ys[1:]):
        lines = group_lines(w for w in inside if a < w.yc < b)
        whole = [l for l in lines if len(_runs(l, s=s)) == 1]
        wide = [l for l in whole if l.box[2] - l.box[0] >= s.prose_width * (x1 - x0)]
        flush = [l for l in whole if l.box[0] <= x0 + s.flush and len(l.words) >= 3]  # no cell pads its text so
        if not any(len(_runs(l, s=s)) >= 3 for l in lines) and not _labelled_heading(lines, s=s) and (
                len(wide) >= 2 or (wide and len(whole) == len(lines) >= 3) or flush):
            parts.append((at, a))
            at = b
    parts.append((at, ys[-1]))
    out = [[e for e in stack if lo - s.edge_tol <= e["top"] <= hi + s.edge_tol] for lo, hi in parts]
    return [p for k, p in enumerate(out) if len({round(e["top"]) for e in p}) >= 2 or (single and k == len(out) - 1)]


_HEADING_LABEL = re.compile(r"^([A-ZĐ]|[IVXLC]{1,6}|\d{1,3})[.)]?$")


def _labelled_heading(lines: Sequence[Line], *, s: TextTableSettings = TEXT) -> bool:
    """Lines of a section row, not prose: a label ("A", "II.", "3") in a column of its own on the
    first line, every line's text starting where the first line's text after the label starts
    (a heading spanning the columns right of the number column, wrapped under itself)."""
    if len(lines) < 2:
        return False
    runs = _runs(lines[0], s=s)
    first = " ".join(w.text for w in lines[0].words if w.x1 <= runs[0][1] + 0.5)
    if len(runs) < 2 or not _HEADING_LABEL.match(first.replace(" ", "")):
        return False
    return all(l.box[0] >= runs[1][0] - s.snap for l in lines[1:])


def _holds(stack: Sequence[dict], table: Box, *, s: TextTableSettings = TEXT) -> bool:
    """Does a ruled table stand between the stack's rules (the rules frame it, they rule no rows)?"""
    x0, x1 = min(e["x0"] for e in stack), max(e["x1"] for e in stack)
    top, bottom = min(e["top"] for e in stack), max(e["top"] for e in stack)
    return (min(x1, table[2]) - max(x0, table[0]) > s.snap and top + s.snap < (table[1] + table[3]) / 2 < bottom - s.snap)


def rule_joints(stack: Sequence[dict], pieces: Sequence[dict], *, s: TextTableSettings = TEXT) -> list[float]:
    """Where the pieces of a stack's rules meet or stop inside it, on half of its rules at least
    (two at least): a writer that draws each cell's own border under it (a browser's
    `border-bottom` on every cell) draws each rule in pieces, one a column, and leaves a gap
    under a merged cell: the pieces' ends are the column edges. `pieces` are the page's
    horizontal edges before they are joined (`merged_rules`)."""
    x0, x1 = min(e["x0"] for e in stack), max(e["x1"] for e in stack)
    ys = cluster_values(sorted(e["top"] for e in stack), s=s)
    per_rule = []
    for y in ys:
        mine = [p for p in pieces if abs(p["top"] - y) <= s.snap and p["x0"] >= x0 - s.snap and p["x1"] <= x1 + s.snap]
        ends = [x for p in mine for x in (p["x0"], p["x1"]) if x0 + s.snap < x < x1 - s.snap]
        per_rule.append(cluster_values(sorted(ends), s.snap, s=s))
    found = cluster_values(sorted(x for ends in per_rule for x in ends), s.snap, s=s)
    need = max(min(2, len(ys)), (len(ys) + 1) // 2)
    return [x for x in found if sum(any(abs(x - e) <= s.snap for e in ends) for ends in per_rule) >= need]


def split_at_joints(stack: Sequence[dict], pieces: Sequence[dict], *, s: TextTableSettings = TEXT) -> list[list[dict]]:
    """A stack cut between two rules drawn in pieces (`rule_joints`) whose joints disagree (fewer
    than half of either's shared): two tables one under the other, each rule a cell's border,
    their columns elsewhere (a heading of one line between them is no prose to cut at). Rules in
    one piece or two (under a section row spanning the columns) say nothing."""
    groups = _same_height(sorted(stack, key=lambda e: e["top"]), s=s)
    parts: list[list[dict]] = []
    last: list[float] = []
    for group in groups:
        joints = rule_joints(group, pieces, s=s)
        if len(joints) >= 2:
            shared = sum(any(abs(a - b) <= s.snap for b in last) for a in joints)
            if len(last) >= 2 and 2 * shared < min(len(joints), len(last)):
                parts.append([])
            last = joints
        if not parts:
            parts.append([])
        parts[-1].extend(group)
    return parts


def joint_columns(joints: Sequence[float], lines: Sequence[Line], x0: float, x1: float,
                  *, s: TextTableSettings = TEXT) -> list[float] | None:
    """Column edges at the rules' joints (`rule_joints`) when they make three columns or more and
    the text keeps to them: no word across one but on one line in gutter_dissent, among the
    lines of three cells or more (a heading across the columns runs across them)."""
    if len(joints) < 2:
        return None
    lines = [l for l in lines if _interior_gaps([l], x0, x1, s=s) >= 2]
    crossed = [sum(any(w.x0 < j - 1.0 and w.x1 > j + 1.0 for w in l.words) for l in lines) for j in joints]
    if any(n > len(lines) // s.gutter_dissent for n in crossed):
        return None
    return [x0, *joints, x1]


def lone_rule_table(stack: Sequence[dict], words: Sequence[Word], joints: Sequence[float],
                    *, s: TextTableSettings = TEXT) -> CellBoxes | None:
    """A page of a table ruled between its rows that holds one rule only: the rest of a row the
    page above cut (or a row the page starts with) over it, the start of a row the page cuts
    again under it (a row taller than
    what is left of a page). One rule says where the columns are only when it is drawn in pieces,
    one a cell (`rule_joints`: three columns at least); the lines over it are one row's (one item
    number in the first column at most: rows of a table whose rules stand elsewhere, its
    header's or its end's, are not read here). Then it is read as any table ruled between its
    rows (`rule_only_table`), its rows cut open where the page cuts them."""
    if len(joints) < 2:
        return None
    x0, x1 = min(e["x0"] for e in stack), max(e["x1"] for e in stack)
    y = min(e["top"] for e in stack)
    inside = [w for w in words if x0 - s.snap <= w.xc <= x1 + s.snap]
    over = _next_lines(group_lines(w for w in inside if w.yc < y), y, down=False, s=s)
    if sum(is_anchor(" ".join(w.text for w in l.words if w.xc < joints[0])) for l in over) > 1:
        return None
    return rule_only_table(stack, words, joints, s=s)


def rule_only_table(stack: Sequence[dict], words: Sequence[Word], joints: Sequence[float] = (),
                    *, s: TextTableSettings = TEXT) -> CellBoxes | None:
    """Cell boxes of a table ruled between rows only: rows between the rules, columns
    where the text leaves a vertical gutter on every line (`text_columns`).

    A row cut by the page has no rule on the cut side: the lines just below the last
    rule (just above the first) that keep to the columns are that row, closed by an
    open edge. A cell under which a rule stops short is merged with the one below;
    a row whose text runs across a gutter (a section heading) gets one cell there.
    (Rules around a header only, with the rows under it: `headed`.)
    """
    x0, x1 = min(e["x0"] for e in stack), max(e["x1"] for e in stack)
    ys = cluster_values(sorted(e["top"] for e in stack), s=s)
    inside = [w for w in words if x0 - s.snap <= w.xc <= x1 + s.snap]
    bands = [group_lines(w for w in inside if a < w.yc < b) for a, b in zip(ys, ys[1:])]
    under = _next_lines(group_lines(w for w in inside if w.yc > ys[-1]), ys[-1], down=True, s=s)
    over = _next_lines(group_lines(w for w in inside if w.yc < ys[0]), ys[0], down=False, s=s)
    # each row votes: a band between two rules, or each line when a band holds several rows;
    # the lines of a row the page cut vote too, unless they run across half the gutters
    # (a title or a note over the table), or find fewer columns than the bands alone
    first = text_columns(bands, x0, x1, s=s)
    cut = [l for l in (*under, *over) if 2 * sum(runs_across(l, e, s=s) for e in first[1:-1]) <= max(2, len(first) - 2)]

    def columns(voters: list) -> list[float]:
        plain, with_cut = text_columns(voters, x0, x1, s=s), text_columns([*voters, *([l] for l in cut)], x0, x1, s=s)
        return plain if len(plain) > len(with_cut) else with_cut

    edges = columns(bands)
    by_line = columns([[l] for band in bands for l in band])
    if any(row_breaks(band, e, s=s) for band in bands if len(band) > 1 for e in (edges, by_line)):
        edges = by_line
    # the pieces the rules are drawn in, one a column, say where the columns are
    edges = joint_columns(joints, [l for band in bands for l in band] + list(cut), x0, x1, s=s) or edges
    if len(edges) < 3 + 1:
        return None
    ruled_at = {y: [(e["x0"], e["x1"]) for e in stack if abs(e["top"] - y) <= s.edge_tol] for y in ys}
    for band in bands:  # rows with no rule between them (a rule under the header only)
        for y in row_breaks(band, edges, s=s):
            ruled_at[y] = [(x0, x1)]
    ys = sorted(ruled_at)
    open_edges = []
    below = _rows_beyond(under, ys[-1], edges, down=True, s=s)
    if below is not None:
        ys.append(below)
        ruled_at[below] = [(x0, x1)]
        open_edges.append((below, x0, x1, "bottom"))
    above = _rows_beyond(over, ys[0], edges, down=False, s=s)
    if above is not None:
        ys.insert(0, above)
        ruled_at[above] = [(x0, x1)]
        open_edges.append((above, x0, x1, "top"))
    boxes = CellBoxes(grid_cells(ys, edges, ruled_at, inside, s=s))
    for b in boxes:  # a merged cell the page cut: the outermost rule stops short of it
        mid = (b[0] + b[2]) / 2
        for y, end in ((ys[0], "top"), (ys[-1], "bottom")):
            if abs((b[1] if end == "top" else b[3]) - y) <= s.edge_tol and not any(
                    a - s.snap <= mid <= c + s.snap for a, c in ruled_at[y]):
                open_edges.append((y, b[0], b[2], end))
    boxes.open_edges = open_edges
    boxes.ruled = False
    boxes.framed = True
    return boxes


_FIGURE = re.compile(r"^[-+(]?[$€£]?\d[\d,.]*\d[%)]?$|^[-+(]?[$€£]?\d{2,}[%)]?$")


def row_breaks(lines: Sequence[Line], edges: Sequence[float], *, s: TextTableSettings = TEXT) -> list[float]:
    """Where rows start among the lines of one ruled band that has no rule between its rows
    (a table ruled under its header only, or with every other row rule left out).

    A row starts at a line with text in the first column when the band has two such lines
    or more, unless the line is the wrapped rest of the line above: its first word starts
    in lower case, or would not have fit after the first column's text above (a column's
    text reaches its edge less the padding its text keeps on the left), and no column has
    a figure under a figure (numbers do not wrap). A
    line running across a gutter (a heading, a note) starts no row; lines without text in
    the first column go on the row above (its other cells wrapped, or a centred number).
    A line with a label and a value in a column of values (one figure a line: amounts, a
    balance) starts a row when its row has a value already (a row's values stand on one
    line, the first), whatever its label's shape (a statement's date over its reference in
    the first column: the date starts each transaction, debit or credit).
    When most breaks found are lines with nothing beside their first column, the band is
    a list inside one cell, not rows. Returns the y of each break (between two lines).
    """
    if len(lines) < 2 or len(edges) < 3:
        return []
    n_cols = len(edges) - 1
    cols = [[[w for w in l.words if edges[c] <= w.xc < edges[c + 1] or (c == 0 and w.xc < edges[1])
              or (c == n_cols - 1 and w.xc >= edges[-1])] for c in range(n_cols)] for l in lines]
    if sum(1 for l in cols if l[0]) < 2:
        return []
    pads = [max(0.0, min((l[c][0].x0 for l in cols if l[c]), default=edges[c]) - edges[c]) for c in range(n_cols)]

    def would_fit(c: int, k: int, j: int) -> bool:
        """Would line k's first word in column c have fit after line j's text there?"""
        word, before = cols[k][c][0], cols[j][c][-1]
        if _FIGURE.match(word.text) and _FIGURE.match(before.text):
            return True  # a figure under a figure: two values (a number does not wrap at its comma)
        if c > 0 or word.text[:1].islower():
            return False  # prose in a later column breaks where its author chose; a lower-case word goes on
        if not any(cols[j][1:]) and any(cols[k][1:]) and word.x0 > cols[j][c][0].x0 + s.edge_tol:
            return True  # indented under a label standing alone: the label heads the rows under it
        return before.x1 + 0.25 * (word.bottom - word.top) + (word.x1 - word.x0) <= edges[c + 1] - pads[c]

    # columns of values, one figure a line (amounts, a balance): a row holds one value in each
    values = [c for c in range(1, n_cols) if any(l[c] for l in cols)
              and all(len(l[c]) == 1 and _FIGURE.match(l[c][0].text) for l in cols if l[c])]
    held = {c for c in values if cols[0][c]}  # value columns the current row has filled

    tops = [l.box[1] for l in lines]
    pitch = sorted(b - a for a, b in zip(tops, tops[1:]))[(len(tops) - 2) // 2]  # the usual line pitch
    out, alone = [], 0
    for k in range(1, len(lines)):
        mine = {c for c in values if cols[k][c]}
        if not cols[k][0] or any(runs_across(lines[k], e, s=s) for e in edges[1:-1]):
            held |= mine
            continue
        j = max((i for i in range(k) if cols[i][0]), default=None)  # the last line with a label
        if j is None:
            held |= mine
            continue  # the band's first label: lines above it are its row's (a centred label)
        if cols[k][0][0].text[:1] in CLOSING or cols[j][0][-1].text[-1:] in OPENING:
            held |= mine
            continue  # the rest of a token cut in the first column ("(1" over ")")
        if (j == k - 1 and lines[k].box[1] - lines[j].box[1] <= pitch + s.pitch_slack and _glues(cols[j][0], cols[k][0])
                and not (mine and held)):
            held |= mine
            continue  # a number or date the first column wrapped ("9" over "6"), one line pitch down, no second value
        if not (mine and held) and not any(cols[k][c] and cols[j][c] and would_fit(c, k, j) for c in range(n_cols)):
            held |= mine
            continue  # wrapped: its words did not fit on the line above (and no second value of a row)
        alone += not any(cols[k][1:])
        held = mine
        out.append((lines[k - 1].box[3] + lines[k].box[1]) / 2)
    if 3 * alone > len(out):
        return []  # mostly lines with nothing beside them: a list inside one cell, not rows
    return out


def _glues(above: Sequence[Word], below: Sequence[Word]) -> bool:
    """Do two pieces of a first column read as one number or date ("9" over "6", "13/7/20" over "25")?"""
    return _wrap_of("".join(w.text for w in above), "".join(w.text for w in below))


def _wrap_of(a: str, b: str) -> bool:
    """Could `b` be the rest of a number or date that a column wrapped after `a`? They glue into
    one, the rest is no longer than the line it was cut from, and two numbers of two digits or
    more one after the other ("11" over "12") are two rows' numbers."""
    a, b = a.replace(" ", ""), b.replace(" ", "")
    glued = a + b
    if not ((glued.isdigit() and len(glued) <= 6) or _DATE.match(glued)):
        return False
    return len(b) <= len(a) and not (glued.isdigit() and len(a) >= 2 and int(b) == int(a) + 1)


def text_columns(bands: Sequence[Sequence[Line]], x0: float, x1: float, *, narrow: bool = False,
                 s: TextTableSettings = TEXT) -> list[float]:
    """Column edges (x0, ..., x1) from the gutters the text leaves in every row.

    Each band (the text lines of one row) leaves white runs between x0 and x1; a
    gutter is white, at least min_gutter wide, in every band of three filled cells or
    more (`_interior_gaps`: not a heading across columns) but one in gutter_dissent;
    the text of the other rows narrows it where it starts or ends inside it. Cell text is left-aligned more often than not, and the narrowest
    gutter is one full line's end, two paddings and a border away from the next
    column's text: each edge stands half that before the next column's text. With
    `narrow` (a table with no rule at all), a white run down to narrow_gutter is a gutter
    too where the next column's text starts at its edge on most lines (a spreadsheet's
    cells leave a point or two between a full line and the next column).
    """
    bands = [b for b in bands if b]
    voters = [b for b in bands if _interior_gaps(b, x0, x1, s=s) >= 2] or bands
    if not voters:
        return [x0, x1]
    step = 0.5
    n_bins = int((x1 - x0) / step) + 1
    votes = [0] * n_bins
    for band in voters:
        for a, b in white_runs(band, x0, x1):
            for k in range(int((a - x0) / step + 0.999), min(int((b - x0) / step) + 1, n_bins)):
                votes[k] += 1
    need = len(voters) - len(voters) // s.gutter_dissent
    white, k = [], 0
    while k < n_bins:
        if votes[k] < need:
            k += 1
            continue
        start = k
        while k < n_bins and votes[k] >= need:
            k += 1
        white.append((x0 + start * step, x0 + (k - 1) * step))
    others = [r for band in bands if not any(band is v for v in voters) for l in band for r in _runs(l, s=s)]
    # a heading over columns starts where a column's text starts; where it ends says nothing
    spanning = [any(r0 < a and b < r1 for a, b in white) for r0, r1 in others]
    others = [(r0, r1 if not span else float("inf")) for (r0, r1), span in zip(others, spanning)]
    gutters = [_trimmed(a, b, others) for a, b in white if a > x0 + step and b < x1 - step]
    lefts = sorted(w.x0 for band in bands for l in band for w in l.words)
    aligned = lambda b: bisect_right(lefts, b + 1.0) - bisect_right(lefts, b - 1.0)  # noqa: E731
    # (a narrow white run is measured on the step grid: up to a step narrower than it is)
    gutters = [(a, b) for a, b in gutters
               if b - a >= s.min_gutter or (narrow and b - a + step >= s.narrow_gutter and aligned(b) >= max(3, len(voters) / 2))]
    if not gutters:
        return [x0, x1]
    half = min(b - a for a, b in gutters) / 2  # the narrowest gutter is two paddings and a border: a full line
    return [x0, *(b - half for _, b in gutters), x1]


def column_border(start: float, pad: float, reach: float | None, *, s: TextTableSettings = TEXT) -> float:
    """Where a column's left border stands: `pad` before its text's `start`; where the text of
    the column before ends (`reach`) within a point of that border or past it (it would read as
    running across it, `runs_across`: a sheet pads its cells thinly), no further than
    edge_pad narrow gutters before the text, or in the middle of the white between the two."""
    if reach is None or reach < start - pad - 1.0:
        return start - pad
    near = start - min(pad, s.edge_pad * s.narrow_gutter)
    return near if reach <= near else (reach + start) / 2


def _runs(line: Line, *, s: TextTableSettings = TEXT) -> list[tuple[float, float]]:
    """(x0, x1) of each run of words on a line that follow each other at word spacing."""
    out: list[list[float]] = []
    for w in line.words:
        if out and w.x0 - out[-1][1] < s.min_gutter:
            out[-1][1] = max(out[-1][1], w.x1)
        else:
            out.append([w.x0, w.x1])
    return [(a, b) for a, b in out]


def _trimmed(a: float, b: float, runs: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """The gutter (a, b) narrowed by the text of rows that did not vote (a cell's text
    that starts or ends inside it); text running across it whole (a heading) is left out."""
    for r0, r1 in runs:
        if a < r0 < b < r1:
            b = r0
        elif r0 < a < r1 < b:
            a = r1
    return a, b


def _interior_gaps(lines: Sequence[Line], x0: float, x1: float, *, s: TextTableSettings = TEXT) -> int:
    """White runs at least min_gutter wide inside a row's text: a row of cells has one
    between each two filled cells, a heading across columns (a label and its text) one at most."""
    return sum(1 for a, b in white_runs(lines, x0, x1) if a > x0 and b < x1 and b - a >= s.min_gutter)


def white_runs(lines: Sequence[Line], x0: float, x1: float) -> list[tuple[float, float]]:
    """The x-intervals between x0 and x1 that no word of the lines covers."""
    spans = sorted((w.x0, w.x1) for l in lines for w in l.words)
    out, at = [], x0
    for a, b in spans:
        if a > at:
            out.append((at, min(a, x1)))
        at = max(at, b)
    if at < x1:
        out.append((at, x1))
    return out


def _intersect(a: Sequence[tuple[float, float]], b: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    out = []
    for p0, p1 in a:
        for q0, q1 in b:
            lo, hi = max(p0, q0), min(p1, q1)
            if hi > lo:
                out.append((lo, hi))
    return sorted(out)


def _next_lines(lines: Sequence[Line], y: float, *, down: bool, s: TextTableSettings = TEXT) -> list[Line]:
    """The lines beyond the outermost rule at `y` that could be a row the page cut: next
    to the rule (one cell padding away), one after the other."""
    out: list[Line] = []
    last = y
    for line in sorted(lines, key=lambda l: l.box[1], reverse=not down):
        gap = line.box[1] - last if down else last - line.box[3]
        if gap > (s.cut_gap if last == y else s.cut_line_gap * (line.box[3] - line.box[1])):
            break
        out.append(line)
        last = line.box[3] if down else line.box[1]
    return out


def _rows_beyond(lines: Sequence[Line], y: float, edges: Sequence[float], *, down: bool,
                 s: TextTableSettings = TEXT) -> float | None:
    """Where the text of a row cut by the page ends beyond the rule at `y`: the lines of
    `_next_lines` up to the first that runs across a column edge (prose, a heading).
    None when there are none."""
    last = y
    for line in lines:
        if any(runs_across(line, e, s=s) for e in edges[1:-1]):
            break
        last = line.box[3] if down else line.box[1]
    if last == y:
        return None
    return last + s.cut_pad if down else last - s.cut_pad


def grid_cells(ys: Sequence[float], edges: Sequence[float], ruled_at: dict[float, list[tuple[float, float]]],
               words: Sequence[Word], *, s: TextTableSettings = TEXT) -> list[Box]:
    """Cell boxes of the grid ys x edges: a cell goes down to the next rule under its
    column's middle; cells of a row whose text runs across their edge are one."""
    boxes: list[Box] = []
    taken: set[tuple[int, int]] = set()
    for r in range(len(ys) - 1):
        row: list[list[float]] = []
        for c in range(len(edges) - 1):
            if (r, c) in taken:
                continue
            mid = (edges[c] + edges[c + 1]) / 2
            k = r + 1
            while k < len(ys) - 1 and not any(a - s.snap <= mid <= b + s.snap for a, b in ruled_at[ys[k]]):
                k += 1
            taken |= {(j, c) for j in range(r, k)}
            row.append([edges[c], ys[r], edges[c + 1], ys[k]])
        in_row = [w for w in words if ys[r] < w.yc < ys[r + 1]]
        lines = group_lines(in_row)
        merged: list[list[float]] = []
        for b in row:
            prev = merged[-1] if merged else None
            if prev is not None and prev[2] == b[0] and prev[3] == b[3] and any(runs_across(l, b[0], s=s) for l in lines):
                prev[2] = b[2]
            else:
                merged.append(b)
        boxes += [tuple(b) for b in _heading_across(_labelled_across(merged, in_row, s=s), row, in_row)]
    return boxes


def _heading_across(merged: list[list[float]], row: Sequence[Sequence[float]], words: Sequence[Word]) -> list[list[float]]:
    """A heading that runs across columns and leaves the rest of its row empty is one
    cell to the row's end (an HTML colspan whose text is shorter than the span)."""
    runs = [k for k, b in enumerate(merged) if sum(1 for c in row if b[0] <= c[0] < b[2]) >= 2]
    if len(runs) != 1:
        return merged
    k = runs[0]
    rest = merged[k + 1:]
    if not rest or any(b[3] != merged[k][3] or any(b[0] <= w.xc <= b[2] and b[1] < w.yc < b[3] for w in words)
                       for b in rest):
        return merged
    return merged[:k] + [[merged[k][0], merged[k][1], rest[-1][2], merged[k][3]]]


def _labelled_across(merged: list[list[float]], words: Sequence[Word], *, s: TextTableSettings = TEXT) -> list[list[float]]:
    """A section row: a label alone in the first box ("II.", "B"), and right of it one run of words
    at word spacing on each line, starting in the second box and running past it, is one cell from
    the second box to the row's end (the heading's words may start right at an edge, where
    `runs_across` reads the next column's text)."""
    if len(merged) < 3 or any(b[1] != merged[1][1] or b[3] != merged[1][3] for b in merged[1:]):
        return merged
    label = " ".join(w.text for w in words if merged[0][0] <= w.xc <= merged[0][2])
    if not _HEADING_LABEL.match(label.replace(" ", "")):
        return merged
    lines = group_lines(w for w in words if w.xc > merged[1][0])
    if not lines or any(len(_runs(l, s=s)) > 1 or not merged[1][0] <= l.box[0] < merged[1][2] for l in lines):
        return merged
    if not any(l.box[2] > merged[1][2] for l in lines):
        return merged
    return [merged[0], [merged[1][0], merged[1][1], merged[-1][2], merged[1][3]]]


def _goes_on_across(heading: Sequence[float], rest: Sequence[Sequence[float]], words: Sequence[Word]) -> bool:
    """Is the text in the boxes `rest`, right of a heading's box, the heading going on: each of
    its lines the same line as the heading's, at word spacing all the way (an edge that happens to
    fall in a word space, the next word starting at it, cuts no heading)?"""
    x0, x1 = heading[0], rest[-1][2]
    for line in group_lines(w for w in words if x0 <= w.xc <= x1 and heading[1] < w.yc < heading[3]):
        if any(w.xc > heading[2] for w in line.words) and (
                line.words[0].xc > heading[2] or len(_runs(line)) > 1):
            return False
    return True


def runs_across(line: Line, x: float, *, s: TextTableSettings = TEXT) -> bool:
    """Does the text of `line` run across `x`: a word over it, or a plain word space around it?"""
    ws = line.words
    if any(w.x0 < x - 1.0 and w.x1 > x + 1.0 for w in ws):
        return True
    return any(a.x1 <= x + 1.0 and b.x0 >= x - 1.0 and b.x0 - a.x1 < s.min_gutter
               and not (a.x1 < x < b.x0 <= x + s.narrow_gutter)  # the next column's text at its edge
               and not cells_apart(line, b.x0 - a.x1, s=s) for a, b in zip(ws, ws[1:]))


def cells_apart(line: Line, white: float, *, s: TextTableSettings = TEXT) -> bool:
    """Is a white run of a line narrower than min_gutter still two cells' gap: space_gap times the
    line's own word space (its median, over three spaces or more) and narrow_gutter wide at
    least (a sheet pads its cells thinly: a full line ends a few points before the next column's
    text; a justified line stretches all its spaces alike)?"""
    ws = line.words
    spaces = sorted(b.x0 - a.x1 for a, b in zip(ws, ws[1:]))
    if len(spaces) < 3:
        return False
    return white >= max(s.space_gap * spaces[(len(spaces) - 1) // 2], s.narrow_gutter)


def _on_page(obj: dict, height: float, *, s: TextTableSettings = TEXT) -> bool:
    """Not drawn (even in part) above the page, nor wholly below it: a browser repeats the
    piece of a cut row that ended the previous page above the top edge, clipped away. What
    starts on the page and runs on past its foot is kept whole: a sheet never breaks a row, and
    one taller than a page runs its rules on below the page, where the viewer clips them; its
    item number stands in the middle of the whole row, not of the part the page shows."""
    return -s.snap <= obj["top"] <= height + s.snap


def bridged_rules(rules: tuple[list[dict], list[dict]], *, s: TextTableSettings = TEXT) -> list[dict]:
    """Vertical rules stretched to a horizontal rule they stop just short of.

    With `border-collapse: separate` a cell's borders stand a few points inside the
    next ones; where the page cut a row, its side rules start below the rule above
    (the header's) by the border spacing and the missing top border: more than the
    snapping tolerance, so nothing would meet there. The side of a frame drawn in another
    ink (`_other_frame`: a signing stamp's red box a few points over a black column rule) is
    no rule they stop short of.
    """
    hs, vs = rules
    out = []
    for v in vs:
        x = v["x0"]
        for end in ("top", "bottom"):
            y = v[end]
            near = [h["top"] for h in hs if h["x0"] - s.snap <= x <= h["x1"] + s.snap and 1.0 < abs(h["top"] - y) <= s.bridge
                    and (h["top"] < y if end == "top" else h["top"] > y) and not _other_frame(h, v, s=s)]
            if near and not any(h["x0"] - s.snap <= x <= h["x1"] + s.snap and abs(h["top"] - y) <= 1.0 for h in hs):
                a, b = sorted((y, min(near, key=lambda t: abs(t - y))))
                out.append({"object_type": "line", "x0": x, "x1": x, "top": a, "bottom": b, "width": 0.0,
                            "height": b - a})
    return out


def ink(edge: dict) -> tuple[float, float, float] | None:
    """The RGB colour a rule is seen in (a filled, unstroked rectangle's fill, else its stroke;
    grey and CMYK turned into RGB), None when not told as plain values."""
    color = edge.get("non_stroking_color") if edge.get("fill") and not edge.get("stroke") else edge.get("stroking_color")
    if isinstance(color, (int, float)):
        color = (color,)
    if not isinstance(color, (tuple, list)) or not all(isinstance(v, (int, float)) for v in color):
        return None
    if len(color) == 1:
        return (float(color[0]),) * 3
    if len(color) == 3:
        return tuple(float(v) for v in color)
    if len(color) == 4:
        c, m, y, k = color
        return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    return None


def same_ink(a: dict, b: dict, *, s: TextTableSettings = TEXT) -> bool:
    """Are two rules drawn in one colour (each channel within `ink_tol`; True when either's is
    not known)?"""
    x, y = ink(a), ink(b)
    return x is None or y is None or all(abs(u - v) <= s.ink_tol for u, v in zip(x, y))


def _other_frame(h: dict, v: dict, *, s: TextTableSettings = TEXT) -> bool:
    """Is the horizontal rule `h` a side of an outlined rectangle (stroked, not filled: a box
    drawn around something of its own, a stamp's frame) drawn in another ink than the vertical
    rule `v` (`same_ink`)? A table's rules may mix inks (grey rules among black ones, rules
    drawn as thin filled bars); a frame of another colour is no part of it."""
    return h.get("object_type") == "rect_edge" and bool(h.get("stroke")) and not h.get("fill") and not same_ink(h, v, s=s)


def _is_white(color) -> bool:
    if isinstance(color, (int, float)):
        color = (color,)
    if not isinstance(color, (tuple, list)) or not color or not all(isinstance(v, (int, float)) for v in color):
        return False
    return all(v <= 0.05 for v in color) if len(color) == 4 else all(v >= 0.95 for v in color)


def _inside(small: dict, big: dict, *, s: TextTableSettings = TEXT) -> bool:
    return (big["x0"] - s.fill_tol <= small["x0"] and small["x1"] <= big["x1"] + s.fill_tol
            and big["top"] - s.fill_tol <= small["top"] and small["bottom"] <= big["bottom"] + s.fill_tol)


def _area(r: dict) -> float:
    return (r["x1"] - r["x0"]) * (r["bottom"] - r["top"])


def invisible_rects(rects: Sequence[dict], *, s: TextTableSettings = TEXT) -> set[int]:
    """ids of filled, unstroked rectangles that draw nothing a reader sees.

    White ones that do not lie on a coloured fill, and any lying inside a larger
    filled rectangle of the same colour.
    """
    filled = [r for r in rects if r.get("fill") and not r.get("stroke")]
    coloured = [r for r in filled if not _is_white(r.get("non_stroking_color"))]
    hidden = {id(r) for r in filled if _is_white(r.get("non_stroking_color")) and not any(_inside(r, c, s=s) for c in coloured)}
    by_colour: dict[str, list[dict]] = {}
    for r in filled:
        by_colour.setdefault(str(r.get("non_stroking_color")), []).append(r)
    for group in by_colour.values():
        group.sort(key=_area, reverse=True)
        for i, r in enumerate(group):
            if any(_area(big) > _area(r) and _inside(r, big, s=s) for big in group[:i]):
                hidden.add(id(r))
    return hidden


def merged_rules(edges: Sequence[dict], *, s: TextTableSettings = TEXT) -> tuple[list[dict], list[dict]]:
    """(horizontal rules at least min_rule_length long, vertical rules) of the page's edges,
    collinear pieces joined as pdfplumber joins them."""
    hs = merge_edges([e for e in edges if e["orientation"] == "h"], s.snap, s.snap, s.snap, s.snap)
    vs = merge_edges([e for e in edges if e["orientation"] == "v"], s.snap, s.snap, s.snap, s.snap)
    return [e for e in hs if e["x1"] - e["x0"] >= s.min_rule_length], list(vs)


def open_side_rules(rules: tuple[list[dict], list[dict]], *, s: TextTableSettings = TEXT) -> list[dict]:
    """Vertical rules closing tables that are ruled inside but have no frame at a side.

    Between two horizontal rules (consecutive among those ending at the same x) that a
    real vertical rule crosses, where the rules end beyond every crossing vertical
    rule and no vertical rule stands at that end: a vertical rule at the end. Not where
    the table goes on past that end between them (a rule between them reaches a vertical
    rule further out: the two only stop short at a cell merged over the rows below them).
    """
    hs, vs = rules
    hs = sorted(hs, key=lambda e: e["top"])
    out = []
    for side in ("x0", "x1"):
        for i, a in enumerate(hs):
            b = next((h for h in hs[i + 1:] if abs(h[side] - a[side]) <= s.snap), None)
            if b is None:
                continue
            top, bottom, x = a["top"], b["top"], a[side]
            spans = lambda v: v["top"] <= top + s.snap and v["bottom"] >= bottom - s.snap  # noqa: E731
            lo, hi = max(a["x0"], b["x0"]), min(a["x1"], b["x1"])
            crossing = [v for v in vs if lo + s.snap < v["x0"] < hi - s.snap and spans(v)]
            at_end = any(abs(v["x0"] - x) <= s.snap and spans(v) for v in vs)
            beyond = all(x < v["x0"] - s.snap if side == "x0" else x > v["x0"] + s.snap for v in crossing)
            if crossing and beyond and not at_end and not _goes_on(hs, vs, top, bottom, x, side, s=s):
                out.append({"object_type": "line", "x0": x, "x1": x, "top": top, "bottom": bottom,
                            "width": 0.0, "height": bottom - top})
    return out


def _goes_on(hs: Sequence[dict], vs: Sequence[dict], top: float, bottom: float, x: float, side: str,
             *, s: TextTableSettings = TEXT) -> bool:
    """Does a horizontal rule between `top` and `bottom` run from `x` out to a vertical rule
    past it (on `side`) that spans `top`..`bottom`: the table goes on past `x` there."""
    out = 1 if side == "x1" else -1
    frames = [v["x0"] for v in vs if (v["x0"] - x) * out > s.snap
              and v["top"] <= top + s.snap and v["bottom"] >= bottom - s.snap]
    return any(top + s.snap < h["top"] < bottom - s.snap and h["x0"] <= x + s.snap and h["x1"] >= x - s.snap
               and any(h["x0"] - s.snap <= f <= h["x1"] + s.snap for f in frames) for h in hs)


def open_end_rules(rules: tuple[list[dict], list[dict]], *, s: TextTableSettings = TEXT) -> list[dict]:
    """Horizontal rules closing tables cut by a page break where no rule was drawn.

    A browser draws no rule where a page cuts a row, and a spreadsheet none where it
    cuts a merged cell: the cell boxes at the bottom of the page are open at the bottom,
    those at the top of the next page open at the top. Vertical rules that belong to a
    table (they cross one of its horizontal rules, or meet one at their other end, or
    are long) and end at the same height, with no horizontal rule there between two
    neighbours (no other rule passing between them), end at the page's content edge: a
    rule there closes the open boxes. Four vertical rules or more side by side with the same ends are a
    table's column rules too, however short (a few rows between two bands of page furniture; down to
    one line of text where they take up column rules that a heading row across them stopped, or where
    they stop at a heading row and the column rules take up again under it: the rest of a row a page
    break cut, over a section row at the next page's head),
    and so are two or more inside a frame whose side rules run on past their ends (rows
    between two heading rows that span the columns). Where column rules end open, the rule
    closing them reaches out to the frame (`_to_sides`).
    """
    hs, vs = rules
    meets = lambda v, y: any(h["x0"] - s.snap <= v["x0"] <= h["x1"] + s.snap and abs(h["top"] - y) <= s.snap  # noqa: E731
                             for h in hs)
    covered = lambda y, a, b: any(abs(h["top"] - y) <= s.snap and h["x0"] <= a + s.snap and h["x1"] >= b - s.snap  # noqa: E731
                                  for h in hs)
    same_ends = lambda v: sum(abs(w["top"] - v["top"]) <= s.snap and abs(w["bottom"] - v["bottom"]) <= s.snap  # noqa: E731
                              for w in vs)
    framing = lambda v: sum(w["top"] <= v["top"] + s.snap and w["bottom"] >= v["bottom"] - s.snap  # noqa: E731
                            and w["bottom"] - w["top"] > v["bottom"] - v["top"] + s.snap for w in vs)
    side_by_side = lambda v: same_ends(v) >= s.min_column_rules or (  # noqa: E731
        same_ends(v) >= 2 and same_ends(v) + min(framing(v), 2) >= s.min_column_rules)
    # the column rules of a heading row's neighbour: stopped above it and taken up under it (either side short)
    resumes = lambda v: any(abs(w["x0"] - v["x0"]) <= s.snap and (0.0 < v["top"] - w["bottom"] <= s.heading_gap  # noqa: E731
                                                                  or 0.0 < w["top"] - v["bottom"] <= s.heading_gap)
                            for w in vs)
    inside = [v for v in vs if v["bottom"] - v["top"] >= s.min_open_rule or meets(v, v["top"]) or meets(v, v["bottom"])
              or (v["bottom"] - v["top"] >= s.min_rule_length and side_by_side(v))
              or (v["bottom"] - v["top"] >= s.min_row_height and side_by_side(v) and resumes(v))
              or any(h["x0"] - s.snap <= v["x0"] <= h["x1"] + s.snap and v["top"] + s.snap < h["top"] < v["bottom"] - s.snap
                     for h in hs)]
    out = []
    for end in ("top", "bottom"):
        ordered = sorted(inside, key=lambda v: v[end])
        group: list[dict] = []
        for v in [*ordered, None]:
            if v is not None and (not group or abs(v[end] - group[0][end]) <= s.snap):
                group.append(v)
                continue
            if group:
                y = max(g[end] for g in group) if end == "bottom" else min(g[end] for g in group)
                xs = cluster_values(sorted(g["x0"] for g in group), s.snap, s=s)
                if any(not covered(y, a, b) for a, b in zip(xs, xs[1:])):  # the rules end open there
                    xs = _to_sides(xs, group, vs, y, end, s=s)
                between = lambda a, b: any(a + s.snap < v["x0"] < b - s.snap and v["top"] - s.snap <= y <= v["bottom"] + s.snap  # noqa: E731
                                           for v in vs)
                spans = [(a, b) for a, b in zip(xs, xs[1:])
                         if b - a > 2 * s.snap and not covered(y, a, b) and not between(a, b)]
                for a, b in _joined(spans, s=s):
                    out.append({"object_type": "line", "x0": a, "x1": b, "top": y, "bottom": y,
                                "width": b - a, "height": 0.0, "end": end})
            group = [v] if v is not None else []
    return out


def _to_sides(xs: list[float], group: Sequence[dict], vs: Sequence[dict], y: float, end: str,
              *, s: TextTableSettings = TEXT) -> list[float]:
    """The ends of column rules that stop at `y` (a heading row spanning the columns starts
    there, or the page cuts it), with the table's rules that run past `y` over the whole
    length of those column rules (the frame, a number column's rule): the boxes beside the
    stopped rules close there too."""
    top, bottom = min(g["top"] for g in group), max(g["bottom"] for g in group)
    passes = [v for v in vs if v["top"] - s.snap <= top and v["bottom"] + s.snap >= bottom and abs(v[end] - y) > s.snap]
    left = [v["x0"] for v in passes if v["x0"] < xs[0] - s.snap]
    right = [v["x0"] for v in passes if v["x0"] > xs[-1] + s.snap]
    return [*sorted(left), *xs, *sorted(right)]


def _joined(spans: Sequence[tuple[float, float]], *, s: TextTableSettings = TEXT) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for a, b in spans:
        if out and a - out[-1][1] <= s.snap:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def build_fragments(page_no: int, tables: Iterable[Sequence[Box]], words: Sequence[Word], *,
                    split_rows: bool = True, s: TextTableSettings = TEXT) -> tuple[list[Fragment], list[Word]]:
    """Fragments from cell boxes, and the words that lie outside every table.

    `split_rows=False` keeps every ruled box one row (no `split_by_anchor`): for a scanned
    grid, whose rows come from the rules found in the image, and whose OCR line boxes do not
    give the line pitch that tells a number a narrow column wrapped ("1" over "0") from two.

    A "table" of a single cell (a framed heading) or a single column is not a table:
    its words stay with the prose. Smaller tables take their words first, so a table
    nested in a layout table keeps its own text.
    """
    fragments: list[Fragment] = []
    free = list(words)
    for boxes in sorted(tables, key=_table_area):
        frag, free = _fragment(page_no, boxes, free, split_rows, s=s)
        if frag is not None:
            fragments.append(frag)
    fragments.sort(key=lambda f: (f.box[1], f.box[0]))
    return fragments, free


def _table_area(boxes: Sequence[Box]) -> float:
    if not boxes:
        return 0.0
    return (max(b[2] for b in boxes) - min(b[0] for b in boxes)) * (max(b[3] for b in boxes) - min(b[1] for b in boxes))


def split_spans(boxes: Sequence[Box], *, s: TextTableSettings = TEXT) -> Sequence[Box]:
    """Boxes of a table whose heading row spans columns with no rule under it (its column rules
    stop at it and start again below: a section row in a table ruled every other row, or with
    column rules only): where the column rules inside a spanning box start or stop, a row ends.
    Every box across such a height is cut there; in each band of a spanning box that holds boxes
    of the columns under it, the columns get a box each where they have none, and a band that
    holds none (no column rule drawn there: the heading) stays one box across. Other boxes are
    kept as they are (same list when none)."""
    xs = cluster_values(sorted({b[0] for b in boxes} | {b[2] for b in boxes}), s=s)
    cuts: set[float] = set()
    for big in boxes:
        if not any(big[0] + s.edge_tol < x < big[2] - s.edge_tol for x in xs):
            continue  # spans one column
        for b in boxes:
            if b is not big and b[0] >= big[0] - s.edge_tol and b[2] <= big[2] + s.edge_tol:
                cuts |= {y for y in (b[1], b[3]) if big[1] + s.edge_tol < y < big[3] - s.edge_tol}
    if not cuts:
        return boxes
    ys = cluster_values(sorted(cuts), s=s)
    out: list[Box] = []
    for b in boxes:
        inside = [y for y in ys if b[1] + s.edge_tol < y < b[3] - s.edge_tol]
        if not inside:
            out.append(b)
            continue
        spanning = any(b[0] + s.edge_tol < x < b[2] - s.edge_tol for x in xs)
        tops = [b[1], *inside, b[3]]
        for top, bottom in zip(tops, tops[1:]):
            if not spanning or not _holds_boxes(boxes, b, top, bottom, s=s):
                out.append((b[0], top, b[2], bottom))  # no column rule in this band: a heading across
                continue
            cols = [x for x in xs if b[0] - s.edge_tol <= x <= b[2] + s.edge_tol]
            for x0, x1 in zip(cols, cols[1:]):
                taken = any(o is not b and o[0] < x1 - s.edge_tol and o[2] > x0 + s.edge_tol
                            and o[1] < bottom - s.edge_tol and o[3] > top + s.edge_tol for o in boxes)
                if not taken:
                    out.append((x0, top, x1, bottom))
    kept = CellBoxes(out)
    kept.open_edges = getattr(boxes, "open_edges", [])
    kept.ruled = getattr(boxes, "ruled", True)
    return kept


def _holds_boxes(boxes: Sequence[Box], big: Box, top: float, bottom: float, *, s: TextTableSettings = TEXT) -> bool:
    """Does a box other than `big` lie under it between `top` and `bottom` (column rules drawn there)?"""
    return any(o is not big and o[0] >= big[0] - s.edge_tol and o[2] <= big[2] + s.edge_tol
               and o[1] < bottom - s.edge_tol and o[3] > top + s.edge_tol for o in boxes)


def _fragment(page_no: int, boxes: Sequence[Box], words: list[Word], split_rows: bool = True,
              *, s: TextTableSettings = TEXT) -> tuple[Fragment | None, list[Word]]:
    if getattr(boxes, "ruled", True):
        boxes = split_spans(boxes, s=s)
    xs = cluster_values(sorted({b[0] for b in boxes} | {b[2] for b in boxes}), s=s)
    ys = cluster_values(sorted({b[1] for b in boxes} | {b[3] for b in boxes}), s=s)
    if len(xs) < 3 or len(ys) < 2:
        return None, words
    box = (xs[0], ys[0], xs[-1], ys[-1])
    by_row: dict[int, list[tuple[Box, int, int, int]]] = {}
    owner: dict[tuple[int, int], tuple[int, int]] = {}  # grid position -> (row, col) of the cell covering it
    for b in boxes:
        r0, r1 = _index(ys, b[1]), _index(ys, b[3])
        c0, c1 = _index(xs, b[0]), _index(xs, b[2])
        by_row.setdefault(r0, []).append((b, c0, max(c1 - c0, 1), max(r1 - r0, 1)))
        for r in range(r0, max(r1, r0 + 1)):
            for c in range(c0, max(c1, c0 + 1)):
                owner.setdefault((r, c), (r0, c0))
    cell_words, outside = _assign(words, xs, ys, owner)
    edges = getattr(boxes, "open_edges", ())
    rows = []
    for r in sorted(by_row):
        cells = sorted(by_row[r], key=lambda t: t[1])
        row_cells = tuple(
            Cell(b, c, span, tuple(group_lines(cell_words.get((r, c), ()))), rs,
                 _is_open(b, edges, "top", boxes, s=s), _is_open(b, edges, "bottom", boxes, s=s))
            for b, c, span, rs in cells
        )
        top = min(b[1] for b, _, _, _ in cells)
        bottom = min(b[3] for b, _, _, _ in cells)  # a merged cell reaches further down than its row
        rows.append(Row((xs[0], top, xs[-1], bottom), row_cells))
    ruled, banded = getattr(boxes, "ruled", True), getattr(boxes, "banded", False)
    if split_rows and (ruled or banded):
        head = rows[:1] if banded and getattr(boxes, "headed", False) else []  # a header band is one row
        rows = [*head, *split_rows_of(rows[len(head):], centred=getattr(boxes, "centred", False),
                                      going_on=getattr(boxes, "going_on", None), s=s)]
    elif split_rows:  # columns from the text: its rows came from `row_breaks` already
        rows = [sub for row in rows for part in split_by_anchor(row, s=s) for sub in split_by_lines(part, s=s)]
    if not ruled and not banded and _sparse(rows):
        return None, words
    return Fragment(page_no, box, tuple(xs), tuple(rows), ruled, banded, getattr(boxes, "framed", False),
                    getattr(boxes, "one_row", False)), outside


def _sparse(rows: Sequence[Row]) -> bool:
    """Columns found in the text (no rule between them) that hold a row's values in less than
    half of the rows: labels of a chart's axes, not a table."""
    filled = [sum(1 for c in r.cells if c.lines) for r in rows]
    filled = [n for n in filled if n]
    return 2 * sum(n >= 2 for n in filled) < len(filled)


_ANCHOR = re.compile(r"^(\d{1,6}[.)]?|\(\d{1,4}\)|[IVXLC]{1,6}\.?|\d{1,2}/\d{1,2}/\d{2,4})$")


def is_anchor(text: str) -> bool:
    """An item number, a Roman numeral or a date: what starts a row in a numbering column."""
    return _ANCHOR.match(text.replace(" ", "")) is not None


def split_rows_of(rows: Sequence[Row], *, centred: bool = False, going_on: int | None = None,
                  s: TextTableSettings = TEXT) -> list[Row]:
    """The ruled boxes of a fragment split where a box holds several rows (`split_by_anchor`,
    then `split_by_lines`), judged against the table's numbering.

    Each box whose numbering cell holds several plain numbers can be read in a few ways
    (`_readings`: "1" over "0" is 10; "5" over "6" is 5 and 6, or 56); the reading of every
    box is chosen so that the numbers go on from box to box (`_read_numbering`). A box read
    as one number is one row. In a grid ruled between its rows (`rows_ruled`) a box closed by
    rules is one row unless its numbers say otherwise: lines that merely look like the start
    of a row do not split it; line-based splitting is for bands without row rules only.
    `centred`: the table's other pages say its numbers stand in the middle of their rows
    (`numbers_centred`), whatever this fragment's own numbers tell. `going_on`: the last item
    number of the table's page before, which the numbering of these rows goes on from.
    """
    ruled = rows_ruled(rows, s=s)
    centred = centred or numbers_centred(rows, s=s)
    if not centred:
        rows = [part for row in rows for part in _at_labels(row, s=s)]
    rows, rest = _lead_in_apart(rows, centred=centred, s=s)
    chosen = _read_numbering(rows, strict=ruled, going_on=going_on, rest_at_head=not centred, s=s)
    out: list[Row] = []
    for k, (row, starts) in enumerate(zip(rows, chosen)):
        if k == rest:  # the rest of a row the page cut, over the first numbered row: one row
            out.append(row)
            continue
        parts = split_by_anchor(row, starts=starts, strict=ruled, centred=centred, s=s)
        if not ruled and (starts is None or len(starts) > 1):
            parts = [sub for part in parts for sub in split_by_lines(part, s=s)]
        out += parts
    return out


def _lead_in_apart(rows: Sequence[Row], *, centred: bool, s: TextTableSettings = TEXT) -> tuple[list[Row], int | None]:
    """The rows with the first numbered box cut in two where it starts with the rest of a row the
    page cut (`_lead_in`: no rule between that rest and the numbered row under it), and the
    index of that rest (None when there is none). Cut before the numbering is read, so that
    the numbering knows the fragment is a table's rest (`_rest_first`)."""
    rows = list(rows)
    first = next((k for k, r in enumerate(rows) if _label_line(r) is not None), None)
    if first is None or centred or not (_top_aligned(rows, rows[first]) or _blank_above(rows[first], s=s)):
        return rows, None
    head = _lead_in(rows[first], s=s)
    if head is None:
        return rows, None
    rows[first:first + 1] = head
    return rows, first


# ---------------------------------------------------------------- numbers centred in their rows


def numbers_centred(rows: Sequence[Row], *, s: TextTableSettings = TEXT) -> bool:
    """Do the item numbers of a fragment stand in the middle of their rows (a sheet centres a
    cell's text vertically), not level with the first line of their rows' other cells? Centred
    when the centred ones outnumber the others twice over (`centred_votes`)."""
    return centred_by(centred_votes(rows, s=s))


def centred_by(votes: tuple[int, int]) -> bool:
    """Centred, by (centred, top-aligned) votes of numbers: the first outnumber the second twice over."""
    return votes[0] > 2 * votes[1]


def centred_votes(rows: Sequence[Row], *, s: TextTableSettings = TEXT) -> tuple[int, int]:
    """(centred, top-aligned): votes of the item numbers of `rows` that tell, each row's on its
    own (votes of several pages add up). Beside a run of three lines or more of another cell (lines
    at the cell's tightest pitch, `_runs_of`), a number stands at its row's top when it is
    level with the run's first line, and is centred when it stands a line height or more below
    it, level with none of the other cells' lines (the lines of two rows that follow each other
    as closely as a cell's lines make one run, and a number at the top of the second row is
    level with a line of it). A number is centred, too, when the other cells leave a white band
    across them between the number above and itself, more than twice as wide as the white
    between two lines of a cell, that ends a line height or more above it (a row's text starts
    higher than its number; in a print whose rows are that far apart a top-aligned number
    stands level with the first line under the band), unless the number stands level with a
    line right under a white band wider than a cell's (a heading alone in a blank band above a
    top-aligned row)."""
    centred = aligned = 0
    for row in rows:
        found = _number_lines(row, s=s)
        if found is None:
            continue
        numbers, others = found
        runs = [r for c in row.cells[1:] for r in _runs_of(c.lines, s=s) if len(r) >= 3]
        tight = min((b.box[1] - a.box[3] for c in row.cells[1:] for a, b in zip(c.lines, c.lines[1:])), default=0.0)
        bands = _bands(others)
        above = None  # the middle of the number above in the box
        for n in numbers:
            top, height = n.box[1], n.box[3] - n.box[1]
            level = any(abs(o.box[1] - top) <= s.level_tol for o in others)
            beside = [r for r in runs if r[0].box[1] - s.level_tol <= top <= r[-1].box[3]]
            wide = [b for b in bands if above is not None and above < b[1] <= top - height
                    and b[1] - b[0] >= s.row_band * tight + s.run_slack]
            if any(abs(r[0].box[1] - top) <= s.level_tol for r in beside):
                aligned += 1
            elif not level and any(top - r[0].box[1] >= height for r in beside):
                centred += 1
            elif wide and not any(abs(b[1] - top) <= s.level_tol and b[1] - b[0] > tight + s.run_slack for b in bands):
                centred += 1  # (a number level with a line under a white band starts a block: a heading's band above it)
            above = (n.box[1] + n.box[3]) / 2
    return centred, aligned


def _runs_of(lines: Sequence[Line], *, s: TextTableSettings = TEXT) -> list[list[Line]]:
    """The lines of a cell in runs that follow each other at the cell's tightest pitch (white
    between two lines at most run_slack wider than the narrowest such white)."""
    gaps = [b.box[1] - a.box[3] for a, b in zip(lines, lines[1:])]
    if not gaps:
        return [list(lines)] if lines else []
    tight = min(gaps) + s.run_slack
    out = [[lines[0]]]
    for gap, line in zip(gaps, lines[1:]):
        if gap <= tight:
            out[-1].append(line)
        else:
            out.append([line])
    return out


def _number_lines(row: Row, *, s: TextTableSettings = TEXT) -> tuple[list[Line], list[Line]] | None:
    """The numbers of a box's first cell (pieces of one a narrow column wrapped joined) and
    the lines of its other cells; None when the box is no plain row of numbered rows."""
    if len(row.cells) < 2 or any(c.col_span > 1 or c.row_span > 1 for c in row.cells):
        return None
    cell = _unwrapped(_rejoined(row.cells[0]), _line_pitch(row, s=s), s=s)
    if not cell.lines or not all(is_anchor(l.text) for l in cell.lines):
        return None
    others = sorted((l for c in row.cells[1:] for l in c.lines), key=lambda l: l.box[1])
    return (list(cell.lines), others) if others else None


def _bands(lines: Sequence[Line]) -> list[tuple[float, float]]:
    """(top, bottom) of each white band between the lines (sorted by top), across them all."""
    out, bottom = [], None
    for l in lines:
        if bottom is not None and l.box[1] > bottom:
            out.append((bottom, l.box[1]))
        bottom = l.box[3] if bottom is None else max(bottom, l.box[3])
    return out


def _centred_cuts(row: Row, numbers: Sequence[tuple[float, float]], skip: Cell, *,
                  s: TextTableSettings = TEXT) -> list[float]:
    """Where the rows of a box start when its numbers (top, bottom each) stand in the middle of
    their rows: each row after the first starts under the widest white band the other cells'
    lines leave between the number above and its own number (at its number's top when they
    leave none)."""
    others = sorted((l for c in row.cells if c is not skip and c.col != skip.col for l in c.lines),
                    key=lambda l: l.box[1])
    bands = _bands(others)
    cuts = []
    for (top0, bottom0), (top, _) in zip(numbers, numbers[1:]):
        mid0 = (top0 + bottom0) / 2
        between = [b for b in bands if b[1] - s.anchor_pad > mid0 and b[1] <= top + s.level_tol]
        if between:
            a, b = max(between, key=lambda b: b[1] - b[0])
            cuts.append(b - min(s.anchor_pad, (b - a) / 2))
        else:
            cuts.append(top - s.anchor_pad)
    return cuts


def _top_aligned(rows: Sequence[Row], row: Row) -> bool:
    """Do the item numbers stand level with the first line of their rows (all but one in five
    of those that tell, the number of `row` left out)? Those that tell: the number of a box holding one row
    whose other cells hold three lines or more (a centred number stands lower than their first
    line), and each number after the first of a box holding several rows (a top-aligned one has
    a line of another cell level with it). With none that tell: is the number of `row` not in
    the middle of its box?"""
    skip = _label_line(row)
    aligned = total = 0
    for r in rows:
        if not r.cells or r.cells[0].col_span > 1:
            continue
        labels = [l for l in _rejoined(r.cells[0]).lines if is_anchor(l.text)]
        others = [l.box[1] for c in r.cells[1:] for l in c.lines]
        if len(labels) == 1 and labels[0].box[1] != skip.box[1]:
            if max((len(c.lines) for c in r.cells[1:]), default=0) >= 3:
                total += 1
                aligned += abs(min(others) - labels[0].box[1]) <= 2.0
            continue
        for line in labels[1:]:
            if line.box[1] != skip.box[1] and any(t >= line.box[1] - 2.0 for t in others):  # else a page cut it
                total += 1
                aligned += any(abs(t - line.box[1]) <= 2.0 for t in others)
    if total:
        return 5 * aligned >= 4 * total
    return _heads_a_run(row) or not _centred(row)


def _heads_a_run(row: Row, *, s: TextTableSettings = TEXT) -> bool:
    """Does the box's first number stand level with the first line of a run of three lines or
    more of another cell that starts below the box's top (`_runs_of`)? A number at its row's
    top stands so; a centred one would only by chance."""
    line = _label_line(row)
    return any(abs(r[0].box[1] - line.box[1]) <= s.level_tol and r[0].box[1] > row.box[1] + s.level_tol
               for c in row.cells[1:] for r in _runs_of(c.lines, s=s) if len(r) >= 3)


def _blank_above(row: Row, *, s: TextTableSettings = TEXT) -> bool:
    """Does a white band across the whole box stand right above its first number, wider than
    any gap between two lines of one cell, with no line running across the number's top? Then
    the text above is another row's (the rest of a row the page cut), whatever the alignment:
    a centred number has the lines of a long cell running on past it at their usual pitch."""
    line = _label_line(row)
    top = line.box[1]
    lines = [l for c in row.cells[1:] for l in c.lines]
    if any(l.box[1] < top - 1.0 and l.box[3] > top + 1.0 for l in lines):
        return False
    above = [l.box[3] for l in lines if l.box[3] <= top + 1.0]
    if not above:
        return False
    gaps = [b.box[1] - a.box[3] for c in row.cells for a, b in zip(c.lines, c.lines[1:])
            if (b.box[1] < top - 1.0) == (a.box[1] < top - 1.0)]
    return top - max(above) >= max(gaps, default=0.0) + s.anchor_pad


def _label_line(row: Row) -> Line | None:
    """The first line of the box's first cell when it is an item number, a sub-item "(2)" or a
    label (`is_anchor`), else None. Lines of closing punctuation alone above it are passed
    over: the end of the number of the row above, which the page cut ("(2" over ")")."""
    cell = row.cells[0] if row.cells else None
    if cell is None or not cell.lines or cell.col_span > 1:
        return None
    lines = _rejoined(cell).lines
    k = 0
    while k < len(lines) - 1 and all(ch in CLOSING for ch in lines[k].text.replace(" ", "")):
        k += 1
    return lines[k] if is_anchor(lines[k].text) else None


def _line_height(line: Line) -> float:
    """The height of one line of `line`'s words: a label rejoined from two lines ("(1" over ")")
    is measured by one of them, not by both."""
    return min(w.bottom - w.top for w in line.words)


def _centred(row: Row) -> bool:
    """Does the first number of the box stand in its middle (a centred number)?"""
    line = _label_line(row)
    height = _line_height(line)
    return abs((line.box[1] + line.box[3]) / 2 - (row.box[1] + row.box[3]) / 2) <= height


def _lead_in(row: Row, *, s: TextTableSettings = TEXT) -> tuple[Row, Row] | None:
    """The first numbered box of a fragment whose numbers stand at the top of their boxes, with
    its number a line or more below text that starts at the top of the box: that text is the
    rest of the row above, which the page cut (no rule between the two rows). The box cut
    above its number; None if it is not such a box."""
    if len(row.cells) < 2 or any(c.col_span > 1 or c.row_span > 1 for c in row.cells):
        return None
    line = _label_line(row)
    height = _line_height(line)
    above = [l for c in row.cells for l in c.lines if l.box[3] <= line.box[1] + 1]
    if line.box[1] - row.box[1] < s.lead_in_min * height or not above:
        return None
    # another anchor column (a date) starting the box higher means the number is centred, unless
    # that cell also has a line level with the number ("25" over "Thường xuyên": the rest of the
    # row above's "Tháng 12/20" / "25" over the deadline of the number's own row)
    if any(is_anchor(c.lines[0].text) and c.lines[0].box[1] < line.box[1] - height
           and not any(abs(l.box[1] - line.box[1]) <= s.level_tol for l in c.lines)
           for c in (_rejoined(c) for c in row.cells[1:s.anchor_cols]) if c.lines):
        return None
    y = _snap(line.box[1] - s.anchor_pad, row, s=s)
    if y <= row.box[1] + s.anchor_pad:
        return None
    parts = _cut(row, [y])
    return (parts[0], parts[1]) if len(parts) == 2 else None


def _readings(pieces: Sequence[str], apart: Sequence[bool] = ()) -> list[tuple[int, list[int]]]:
    """(first number, indices of the pieces that start a number) of every way to read the
    pieces as numbers going on one after the other (pieces glued where a column wrapped one;
    never across `apart[k]`: piece k + 1 stands further below piece k than a line pitch)."""
    out, seen = [], set()
    for k in range(1, len(pieces) + 1):
        first = _glued(pieces[:k])
        if first is None or any(apart[:k - 1]):
            break
        for start in {first, 1}:
            if start in seen:
                continue
            seen.add(start)
            st = _numbering(pieces, start, apart)
            if st is not None:
                out.append((start, st))
    return out


def _head_box(rows: Sequence[Row]) -> Row | None:
    """The first box holding plain numbers when it stands at the fragment's head: no box above
    it holds an item number or a heading (one text cell across columns); else None."""
    for row in rows:
        if _numbers(row) is not None:
            return row
        held = [c for c in row.cells if c.lines]
        if _label_line(row) is not None or (len(held) == 1 and held[0].col_span > 1):
            return None
    return None


def _rest_readings(pieces: Sequence[str], apart: Sequence[bool] = ()) -> list[tuple[int, list[int]]]:
    """The readings (`_readings`) of the pieces after the first few, which are the rest of a
    number the page cut ("9" over 110 and 111 wrapped: the page before ends in "10"): the rest
    is the tail of the number before the first one read, and shorter ("9" of 109 under 110).
    Their starts begin past the rest."""
    out = []
    for j in range(1, len(pieces)):
        rest = "".join(pieces[:j])
        if len(rest) > 5:
            break  # the tail of a number of six digits at most (`_glued`)
        for first, starts in _readings(pieces[j:], apart[j:]):
            before = str(first - 1)
            if len(rest) < len(before) and before.endswith(rest):
                out.append((first, [j + k for k in starts]))
    return out


def _cut_readings(pieces: Sequence[str], apart: Sequence[bool] = ()) -> list[tuple[int, list[int]]]:
    """The readings (`_readings`) of the pieces before the last few, which are the head of the
    next number the page cut ("1" over "1" of 117 under 116 wrapped, "7" at the next page's
    head): the head is the start of the number after the last one read, and shorter. Their
    starts end with the head's (the head a row of its own: `stitch._rest_of_number` glues it
    to the rest). For a numbering cell the page cut at its foot (open at its bottom)."""
    out = []
    for j in range(len(pieces) - 1, 0, -1):
        head = "".join(pieces[j:])
        if len(head) > 5 or any(apart[j:]):
            break  # the head of a number of six digits at most, one run a column wrapped (`_glued`)
        for first, starts in _readings(pieces[:j], apart[:j - 1]):
            after = str(first + len(starts))
            if len(head) < len(after) and after.startswith(head):
                out.append((first, [*starts, j]))
    return out


def _read_numbering(rows: Sequence[Row], *, strict: bool, going_on: int | None = None, rest_at_head: bool = False,
                    s: TextTableSettings = TEXT) -> list[list[int] | None]:
    """For each row, the pieces of its numbering cell that start a number (None for a row
    without several plain numbers there): the readings (`_readings`) that make the numbering
    go on best from row to row, each number the one after the number above (or 1 under a
    label; past a label the numbering may also go on: item 13 after item 12's sub-item "(1)").
    Ties go to one number per box in a grid ruled between rows (`strict`), else to separate
    numbers where the pieces stand a row's padding apart (`_roomy`). `going_on`: the
    number before the first row (the last of the table's page before), None if not known.
    `rest_at_head`: the first numbered box at the page's head may start with the rest of a
    number the page before cut (`_rest_readings`, at a cost: `rest_cost`); a numbering cell the
    page cut at its foot may end with the head of the next number (`_cut_readings`, at the same
    cost). A numbering with nothing known before it starts at 1 only where the fragment is no
    table's rest (`_rest_first`). A start at 1 right under the table's header (`_is_header`) never
    cuts a number a narrow column wrapped (`_cuts_wrapped`: "1" over "2" under the header printed
    again at a page's head is 12, the page before not known here); under a section's label it may
    (one-line rows 1 and 2 of section B), and so may a numbering going on."""
    options: list[list[tuple[int, list[int], float]] | None] = []  # (first number, starts, cost) per row
    head = _head_box(rows) if rest_at_head else None  # the box that may start with the rest of a cut number
    cells: list[Cell | None] = []
    sizes: list[int] = []  # pieces in each row's numbering cell
    aparts: list[list[bool]] = []  # per row: which neighbouring pieces of its numbering cell stand apart (`_roomy`)
    pitches: list[float | None] = []  # each box's line pitch
    for row in rows:
        found = _numbers(row, s=s)
        pitch = _line_pitch(row, s=s)
        pitches.append(pitch)
        if found is None:
            options.append(None)
            cells.append(row.cells[0] if row.cells and row.cells[0].lines else None)
            sizes.append(0)
            aparts.append([])
            continue
        cell, pieces = found
        apart = [_roomy(replace(cell, lines=pair), pitch, s=s) for pair in zip(cell.lines, cell.lines[1:])]
        options.append([*((f, st, 0.0) for f, st in _readings(pieces, apart)),
                        *((f, st, s.rest_cost) for f, st in (_rest_readings(pieces, apart) if row is head else [])),
                        *((f, st, s.rest_cost) for f, st in (_cut_readings(pieces, apart) if cell.open_bottom else []))]
                       or None)
        cells.append(cell)
        sizes.append(len(pieces))
        aparts.append(apart)
    # out_back[k][j]: the reading of the row before that reading j of row k follows best; rows
    # without readings pass the last number on
    prev_last: list[int | None] = [going_on]
    fresh = not _rest_first(rows)  # a numbering not known to go on may start at 1 here
    prev_score: list[float] = [0.0]
    out_back: list[list[int]] = []
    labelled = False  # a label passed since the last numbered row
    headed = False  # ... and the last of them the table's header (printed again at a page's head, maybe)
    for k, opts in enumerate(options):
        if opts is None:
            # a label ("B", "(1)") or a sub-item: a numbering may start again at 1 under it, or go on
            # past it (sub-items "(1)", "(2)" under item 12, then 13): every reading is kept
            labelled = labelled or cells[k] is not None
            headed = _is_header(rows[k]) if cells[k] is not None else headed
            out_back.append(list(range(len(prev_score))))
            continue
        row_best, row_back, row_last = [], [], []
        for first, starts, cost in opts:
            n = first + len(starts) - 1
            tie = (len(starts) == 1) if strict else (len(starts) > 1) == _roomy(cells[k], pitches[k], s=s)
            # an item number of four digits glued from pieces ("96" over "97" as 9697) is two rows' numbers
            glued_big = any(first + i > s.glued_max and b - a >= 2 for i, (a, b) in enumerate(zip(starts, [*starts[1:], sizes[k]])))
            # a start at 1 under the header cuts no number a column wrapped ("1" over "2" is 12 there)
            anew = first == 1 and not (headed and _cuts_wrapped(starts, aparts[k]))
            scores = [prev_score[j] + (2.0 if pl is not None and first == pl + 1 else 1.0 if anew and ((pl is None and fresh) or labelled)
                                       else 0.0) + 0.1 * tie - 0.5 * glued_big - cost
                      for j, pl in enumerate(prev_last)]
            j = max(range(len(scores)), key=lambda i: scores[i])
            row_best.append(scores[j])
            row_back.append(j)
            row_last.append(n)
        out_back.append(row_back)
        prev_last, prev_score, labelled, headed = row_last, row_best, False, False
    chosen: list[list[int] | None] = [None] * len(rows)
    j = max(range(len(prev_score)), key=lambda i: prev_score[i]) if prev_score else 0
    for k in range(len(rows) - 1, -1, -1):
        if options[k] is not None:
            chosen[k] = options[k][j][1]
        j = out_back[k][j]
    return [c if c is not None and len(_numbers(r, s=s)[1]) >= 2 else None for c, r in zip(chosen, rows)]


def _is_header(row: Row) -> bool:
    """Does the box name the table's columns (`headers.looks_like_header`)?"""
    return looks_like_header([c.text for c in row.cells])


def _cuts_wrapped(starts: Sequence[int], apart: Sequence[bool]) -> bool:
    """Does a reading of a numbering cell (`starts`: the pieces that start a number) cut
    between two pieces that stand as one number a narrow column wrapped: one line pitch
    apart, glued a number, too wide side by side for the cell (`apart` False, `_roomy`)?"""
    return any(0 < k <= len(apart) and not apart[k - 1] for k in starts)


def _rest_first(rows: Sequence[Row]) -> bool:
    """Does the fragment start with the rest of a row the page cut: a first box holding text
    (boxes without any passed over: a strip between two rules) with text in a column's own
    cell (no heading across columns) and none in its numbering cell? Then the table began on
    a page before and its numbering goes on here, from a number not known (a box "1" over "2"
    under it is item 12 after 11, not items 1 and 2)."""
    first = next((r for r in rows if any(c.lines for c in r.cells)), None)
    if first is None or not first.cells or first.cells[0].lines:
        return False
    return any(c.lines and c.col_span == 1 for c in first.cells[1:])


PLAIN_NUMBER = re.compile(r"^(\d{1,6})[.)]?$")  # an item number alone: "12", "12.", "12)"


def last_number(rows: Sequence[Row]) -> int | None:
    """The item number of the last row that has a plain one in its first cell (pieces a narrow
    column wrapped glued), None when no row has."""
    for row in reversed(rows):
        if row.cells and row.cells[0].lines:
            m = PLAIN_NUMBER.match("".join(l.text for l in row.cells[0].lines).replace(" ", ""))
            if m:
                return int(m.group(1))
    return None


def _numbers(row: Row, *, s: TextTableSettings = TEXT) -> tuple[Cell, list[str]] | None:
    """The numbering cell of a row (the first of its anchor_cols cells whose every line is a
    plain number) and the digits of its lines; None when it has none."""
    for c in row.cells[:s.anchor_cols]:
        texts = [l.text.replace(" ", "") for l in c.lines]
        if texts and all(PLAIN_NUMBER.match(t) for t in texts):
            return c, [PLAIN_NUMBER.match(t).group(1) for t in texts]
    return None


def _glued(pieces: Sequence[str]) -> int | None:
    return int("".join(pieces)) if pieces and len("".join(pieces)) <= 6 else None


def _numbering(pieces: Sequence[str], expected: int, apart: Sequence[bool] = ()) -> list[int] | None:
    """Indices of the pieces that start a number when the pieces, glued in runs, read as
    `expected`, `expected` + 1, ... (a number a narrow column wrapped is one run, never across
    `apart`); None if they do not."""
    starts, k = [], 0
    while k < len(pieces):
        starts.append(k)
        acc = ""
        while k < len(pieces):
            acc += pieces[k]
            k += 1
            if int(acc) == expected or len(acc) >= len(str(expected)) or (k - 1 < len(apart) and apart[k - 1]):
                break
        if int(acc) != expected:
            return None
        expected += 1
    return starts


SUB_ITEM = re.compile(r"^\(\d{1,3}\)$")  # a sub-item's label: "(2)"


def rows_ruled(rows: Sequence[Row], *, s: TextTableSettings = TEXT) -> bool:
    """Is the grid ruled between its rows: do most boxes with a number hold one number (their
    pieces glued), each the one after the number of the box above (or a sub-item "(2)" glued
    whole)? Boxes holding two rows each (every other row rule left out) or a band of rows
    under the header are not."""
    ok = bad = 0
    previous: int | None = None
    for r in rows:
        found = _numbers(r, s=s)
        if found is None:
            first = r.cells[0].lines if r.cells else ()
            glued = "".join(l.text for l in first).replace(" ", "")
            if SUB_ITEM.match(glued):
                ok += 1
            continue
        n = _glued(found[1])
        if previous is not None and n is not None:
            if n == previous + 1 or n == 1:
                ok += 1
            else:
                bad += 1
        previous = n
    return ok >= 2 and 3 * ok >= 2 * (ok + bad)


def split_by_anchor(row: Row, *, starts: Sequence[int] | None = None, strict: bool = False,
                    centred: bool = False, s: TextTableSettings = TEXT) -> list[Row]:
    """A ruled box holding several rows (no rule between them: column rules only, or a
    row rule left out) split where an anchor column starts a line with an item number
    or a date; every cell's lines go to the row whose band holds them.

    Only plain rows are split (no cell spanning columns or rows). An anchor column is
    one of the first anchor_cols whose every line is such an anchor (one per row).
    Anchor columns with as many anchors, interleaved (`_interleaved`), number the same
    rows: the one whose text starts highest says where they start (top-aligned: a
    centred number stands in the middle of its row, a date at its top); other columns
    (sub-accounts under accounts) number rows of their own, and rows start at all of
    them. Pieces of one number a
    narrow column wrapped are no anchors (`_roomy`).

    `starts` are the lines of the numbering cell that start a number, as the table's numbering
    reads them (`_read_numbering`): one start is one row (a number a narrow column wrapped);
    numbers glued from pieces cut the box at their first pieces. With `strict` (a grid ruled
    between its rows) nothing else splits a box but several whole labels (`_several_labels`).

    With `centred` (the table's numbers stand in the middle of their rows: `numbers_centred`)
    a row starts where the other cells' text starts above its number (`_centred_cuts`), and a
    blank band between a row's start and its number starts no row.
    """
    if len(row.cells) < 2 or any(c.col_span > 1 or c.row_span > 1 for c in row.cells):
        return [row]
    if starts is not None:
        cell, pieces = _numbers(row, s=s)
        if starts == [0]:
            return [row]
        if strict or len(starts) < len(pieces):
            if centred:
                ends = [*starts[1:], len(cell.lines)]
                numbers = [(cell.lines[a].box[1], cell.lines[b - 1].box[3]) for a, b in zip(starts, ends)]
                cuts = _centred_cuts(row, numbers, cell, s=s)
                return _cut(row, [y for y in cuts if y > row.box[1] + s.anchor_pad])
            tops = [_snap(cell.lines[k].box[1] - s.anchor_pad, row, s=s) for k in starts if k > 0]
            return _cut(row, [y for y in tops if y > row.box[1] + s.anchor_pad])
    elif strict and not _several_labels(row):
        return [row]
    pitch = _line_pitch(row, s=s)
    read = _numbers(row, s=s)[0] if starts is not None else None  # the numbering read its pieces already
    anchors = [c for c in (_rejoined(c) if c is read else _unwrapped(_rejoined(c), pitch, s=s) for c in row.cells[:s.anchor_cols])
               if len(c.lines) >= 2 and all(_ANCHOR.match(l.text.replace(" ", "")) for l in c.lines)]
    if not anchors:
        return [row]
    by_count: dict[int, list[list[Cell]]] = {}
    for c in anchors:
        groups = by_count.setdefault(len(c.lines), [])
        same = next((g for g in groups if _interleaved(g[0], c)), None)
        if same is None:
            groups.append([c])
        else:
            same.append(c)
    starts: list[float] = []
    centred_starts: list[float] = []
    below: list[tuple[float, float]] = []  # (row start, number top): no blank band between them starts a row
    for same in (g for groups in by_count.values() for g in groups):  # the top-aligned one says where they start
        first = min(same, key=lambda c: c.lines[0].box[1] - c.box[1])
        if centred:
            cuts = _centred_cuts(row, [(l.box[1], l.box[3]) for l in first.lines], first, s=s)
            centred_starts += cuts
            below += list(zip([row.box[1], *cuts], [l.box[1] for l in first.lines]))
        else:
            starts += [l.box[1] - s.anchor_pad for l in first.lines]
    blank = [y for y in _after_blank(row, s=s) if not any(a < y < b for a, b in below)]
    starts = [_snap(y, row, s=s) for y in starts] + centred_starts + blank
    tol = min(l.box[3] - l.box[1] for c in anchors for l in c.lines) / 2
    cuts = [y for y in cluster_values(sorted(starts), tol, s=s) if y > row.box[1] + tol]
    return _cut(row, cuts)


def _at_labels(row: Row, *, s: TextTableSettings = TEXT) -> list[Row]:
    """A box whose first cell holds plain item numbers (pieces a narrow column wrapped among
    them: "1" over "2") and labels of another kind (a sub-item "(1)", a letter, a Roman
    numeral), one under the other, cut where the one kind gives way to the other: a label is
    no piece of a number, and the numbers on either side of it are read by the table's
    numbering (`_read_numbering`) on their own ("1" over "2", then "(1)", then "1" over "3" in
    boxes ruled every other row: 12, its sub-item, 13). The start of a sub-item the page cut ("("
    at the box's foot, "1)" at the next page's head: `_cut_label`) is such a label too, and is
    cut from the label over it as well ("(1)" wrapped, then "(" of "(2)": two rows). For
    numbers standing level with their rows' first lines only (the caller's `centred` is not)."""
    if len(row.cells) < 2 or any(c.col_span > 1 or c.row_span > 1 for c in row.cells) or not row.cells[0].lines:
        return [row]
    lines = _rejoined(row.cells[0]).lines
    texts = [l.text.replace(" ", "") for l in lines]
    cut = _cut_label(texts, row.cells[0].open_bottom)
    whole = texts[:-1] if cut else texts
    if not all(is_anchor(t) and not _DATE.match(t) for t in whole):
        return [row]
    plain = [PLAIN_NUMBER.match(t) is not None for t in whole] + [False] * (len(texts) - len(whole))
    cuts = [_snap(l.box[1] - s.anchor_pad, row, s=s) for k, l in enumerate(lines)
            if k and (plain[k] != plain[k - 1] or (cut and k == len(lines) - 1))]
    return _cut(row, [y for y in cuts if y > row.box[1] + s.anchor_pad]) if cuts else [row]


LABEL_START = re.compile(r"^\(\d{0,3}$")  # the start of a sub-item "(12)" a page cut: "(", "(1"


def _cut_label(texts: Sequence[str], open_bottom: bool) -> bool:
    """Is the last line of a numbering cell (its lines' `texts`, at least two) the start of a
    sub-item label the page cut in two, the cell open at its bottom: "(" at the page's foot,
    its "1)" at the head of the next page? No number starts with "(": it is a label's."""
    return open_bottom and len(texts) >= 2 and LABEL_START.match(texts[-1]) is not None


def _several_labels(row: Row) -> bool:
    """Does the box's first cell hold several whole labels, not one a narrow column wrapped: a
    sub-item "(1)" over an item number "2", "(2)" over "(3)"? Then its numbers say the box
    holds several rows, whatever the rules (a row rule left out where most are drawn)."""
    if not row.cells or not row.cells[0].lines:
        return False
    texts = [l.text.replace(" ", "") for l in _rejoined(row.cells[0]).lines]
    return (len(texts) >= 2 and all(is_anchor(t) and not _DATE.match(t) for t in texts)
            and not is_anchor("".join(texts)))


def _rejoined(cell: Cell) -> Cell:
    """The cell with a line that starts with closing punctuation (or follows one ending with
    opening punctuation) joined to the line above: "(1" over ")" is the sub-item "(1)"."""
    lines: list[Line] = []
    for l in cell.lines:
        if lines and (l.text[:1] in CLOSING or lines[-1].text[-1:] in OPENING):
            lines[-1] = Line(lines[-1].words + l.words)
        else:
            lines.append(l)
    return cell if len(lines) == len(cell.lines) else replace(cell, lines=tuple(lines))


def split_by_lines(row: Row, *, s: TextTableSettings = TEXT) -> list[Row]:
    """A ruled box holding several rows with no anchor column (column rules only, a rule
    under the header and over the total): split where `row_breaks` says a row starts."""
    if len(row.cells) < 2 or any(c.col_span > 1 or c.row_span > 1 for c in row.cells):
        return [row]
    lines = group_lines(w for c in row.cells for l in c.lines for w in l.words)
    edges = [row.cells[0].box[0], *(c.box[2] for c in row.cells)]
    return _cut(row, row_breaks(lines, edges, s=s))


def _cut(row: Row, cuts: Sequence[float]) -> list[Row]:
    """The row cut at the heights `cuts`: every cell's lines go to the piece holding them."""
    if not cuts:
        return [row]
    tops = [row.box[1], *cuts, row.box[3]]
    out = []
    for k, (top, bottom) in enumerate(zip(tops, tops[1:])):
        last = k == len(tops) - 2
        cells = tuple(
            Cell((c.box[0], top, c.box[2], bottom), c.col, 1,
                 tuple(l for l in c.lines if top <= _yc(l) < bottom or (last and _yc(l) >= bottom)),
                 1, c.open_top and k == 0, c.open_bottom and last)
            for c in row.cells
        )
        out.append(Row((row.box[0], top, row.box[2], bottom), cells))
    return out


def _snap(y: float, row: Row, *, s: TextTableSettings = TEXT) -> float:
    """A row that starts at an anchor's top starts higher where a line beside the anchor
    begins higher and reaches below that top (a sub-account number centred beside its
    name's two lines): the line is the row's, not the row's above."""
    top = y + s.anchor_pad
    over = [l.box[1] for c in row.cells for l in c.lines if l.box[1] < top - 1 and l.box[3] > top + 1]
    return min(over) - s.anchor_pad if over else y


def _after_blank(row: Row, *, s: TextTableSettings = TEXT) -> list[float]:
    """Rows that start after a blank band across the whole row (nothing in any column for
    blank_lines line heights): a heading standing alone between numbered rows ("LOẠI TÀI
    KHOẢN NỢ PHẢI TRẢ" between two accounts, each with a blank guide line around it)."""
    lines = sorted((l for c in row.cells for l in c.lines), key=lambda l: l.box[1])
    out, bottom = [], None
    for l in lines:
        height = l.box[3] - l.box[1]
        if bottom is not None and l.box[1] - bottom >= s.blank_lines * height:
            out.append(l.box[1] - s.anchor_pad)
        bottom = l.box[3] if bottom is None else max(bottom, l.box[3])
    return out


def _interleaved(a: Cell, b: Cell) -> bool:
    """Do two anchor columns with as many numbers number the same rows? Then each number of
    one stands above the next number of the other (a centred number and a top-aligned one
    of the same row stay within that row); sub-accounts that happen to be as many as the
    accounts beside them do not ("4111" … "4118" under "411")."""
    ya, yb = [l.box[1] for l in a.lines], [l.box[1] for l in b.lines]
    return all(p < q for p, q in zip(ya, yb[1:])) and all(p < q for p, q in zip(yb, ya[1:]))


_DATE = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$")
_PART_DATE = re.compile(r"^\d{1,2}/\d{1,2}/(\d|\d{3})?$|^\d{1,2}/$")


def _line_pitch(row: Row, *, s: TextTableSettings = TEXT) -> float | None:
    """The distance from one line's top to the next inside one row of the box's cells (None
    for a box without a cell of two lines): the smallest step between two lines of a cell
    that another step repeats (within pitch_slack), the middle one when none repeats. Not
    the middle step of all: in a box holding several rows (rules under the header only) most
    steps may go from one row to the next, a row's padding wider than a line pitch, and at
    that pitch the numbers of two short rows ("6" over "7") would read as one number wrapped."""
    steps = sorted(b.box[1] - a.box[1] for c in row.cells for a, b in zip(c.lines, c.lines[1:]))
    if not steps:
        return None
    return next((a for a, b in zip(steps, steps[1:]) if b - a <= s.pitch_slack), steps[(len(steps) - 1) // 2])


def _unwrapped(cell: Cell, pitch: float | None, *, s: TextTableSettings = TEXT) -> Cell:
    """The cell with the pieces of each number or date a narrow column wrapped joined into one
    line ("9" over "6" is 96; see `_roomy` and `_wrap_of`), each other line as it is. Pieces
    that glue into a number above `glued_max` are several numbers one after the other, as the
    numbering reads them (`_split_glued`: "1" "6" "1" "7" under 15 are 16 and 17, no 1617)."""
    groups: list[list[Line]] = []
    for prev, l in zip((None, *cell.lines), cell.lines):
        if groups and not _roomy(replace(cell, lines=(prev, l)), pitch, s=s) and _wrap_of(
                "".join(x.text for x in groups[-1]), l.text):
            groups[-1].append(l)
        else:
            groups.append([l])
    lines: list[Line] = []
    for group in groups:
        for part in _split_glued(group, lines[-1].text if lines else None, s=s):
            lines.append(part[0] if len(part) == 1 else Line(tuple(w for x in part for w in x.words)))
    return cell if len(lines) == len(cell.lines) else replace(cell, lines=tuple(lines))


def _split_glued(group: Sequence[Line], above: str | None, *, s: TextTableSettings = TEXT) -> list[list[Line]]:
    """The pieces of `group` (lines a narrow column may have wrapped from one number) cut into
    the numbers they hold: whole when they glue into a number of at most `glued_max`, else as
    consecutive numbers of at most `glued_max` (`_readings`), the reading that goes on from the
    number `above` first; whole when no reading does."""
    pieces = [l.text.replace(" ", "") for l in group]
    glued = "".join(pieces)
    if len(group) < 2 or not glued.isdigit() or int(glued) <= s.glued_max:
        return [list(group)]
    after = int(above.replace(" ", "")) + 1 if above and above.replace(" ", "").isdigit() else None
    fits = [(first, starts) for first, starts in _readings(pieces) if len(starts) > 1
            and first + len(starts) - 1 <= s.glued_max]
    if not fits:
        return [list(group)]
    _, starts = max(fits, key=lambda r: r[0] == after)
    return [list(group[a:b]) for a, b in zip(starts, [*starts[1:], len(group)])]


def _roomy(cell: Cell, pitch: float | None = None, *, s: TextTableSettings = TEXT) -> bool:
    """Are its lines separate anchors, not one number a narrow column wrapped ("1" over
    "0" is 10)? Wrapped pieces follow each other at the line pitch (`pitch`, the box's usual
    one, when given: a loose pitch puts them further apart) and glue into a number; the
    numbers of two rows stand a row's padding further apart, or do not glue. A column wraps
    a number only where it does not fit: pieces that would stand side by side in the cell
    with `wrap_room` to spare ("5" over "6" in a column as wide as two digits and the widest
    padding) are two numbers (`_fits`)."""
    for a, b in zip(cell.lines, cell.lines[1:]):
        glued = (a.text + b.text).replace(" ", "")
        step = b.box[1] - a.box[1]
        tight = step < s.anchor_pitch * (a.box[3] - a.box[1]) or (pitch is not None and step <= pitch + s.pitch_slack)
        if tight and (glued.isdigit() or _DATE.match(glued)) and not _fits(cell, a, b, s=s):
            return False  # "1" over "0", "13/7/20" over "25"
        if _DATE.match(glued) and _PART_DATE.match(a.text.replace(" ", "")):
            return False  # "31/10/202" over "5": no date ends with a three-digit year
    return True


def _fits(cell: Cell, a: Line, b: Line, *, s: TextTableSettings = TEXT) -> bool:
    """Would lines `a` and `b`, side by side, fit on one line of the cell with `wrap_room`
    (the widest padding of both sides and a word's space) to spare? Then no column wrapped
    them from one."""
    return (a.box[2] - a.box[0]) + (b.box[2] - b.box[0]) + s.wrap_room <= cell.box[2] - cell.box[0]


def _yc(line: Line) -> float:
    return (line.box[1] + line.box[3]) / 2


def _is_open(box: Box, edges, end: str, boxes: Sequence[Box] = (), *, s: TextTableSettings = TEXT) -> bool:
    """Is the box's top (or bottom) a rule drawn by `open_end_rules`, not by the document? Also
    when that rule stands a little (`bridge`) beyond it with no box of `boxes` between them:
    the box is closed short of it by its neighbours' rules (`border-collapse: separate`: the
    cells beside a merged cell the page cut close their own boxes, a border's width and the
    spacing before the page's edge where the merged cell's side rules end)."""
    y, x0, x1 = (box[1], box[0], box[2]) if end == "top" else (box[3], box[0], box[2])
    for ey, ex0, ex1, e in edges:
        if e != end or not (ex0 - s.edge_tol <= x0 and x1 <= ex1 + s.edge_tol):
            continue
        if abs(ey - y) <= s.edge_tol:
            return True
        beyond = ey - y if end == "bottom" else y - ey
        if 0 < beyond <= s.bridge and not any(
                o is not box and o[0] < x1 - s.edge_tol and o[2] > x0 + s.edge_tol
                and (o[1] >= y - s.edge_tol if end == "bottom" else o[3] <= y + s.edge_tol)
                and (o[1] < ey if end == "bottom" else o[3] > ey) for o in boxes):
            return True
    return False


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


def cluster_values(values: Sequence[float], tol: float | None = None, *, s: TextTableSettings = TEXT) -> list[float]:
    """Merge coordinates closer than `tol` (the edge tolerance if None; keep the first of each run)."""
    if tol is None:
        tol = s.edge_tol
    out: list[float] = []
    for v in values:
        if not out or v - out[-1] > tol:
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
