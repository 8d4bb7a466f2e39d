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
3. `_seeds`: runs of neighbouring lines (no gap over `max_line_gap` line heights, or
   `max_row_gap` before a line in pieces: a tall row's empty bottom) cut in pieces, with
   up to `max_lone` whole lines between two of them (a long cell wrapped; any number where
   they start at a later cell of the line above, and then any gap before a line in the seed's
   own columns, `keeps_to`: a sheet's tall row), holding at
   least `min_voters` lines of `min_cols` pieces or more.
4. Columns of a seed: `grid.text_columns` (the gutters left white in every line but one
   in eight; narrow ones where the next column's text is aligned at their edge). A seed with fewer than `min_cols` columns is no table (a bullet list, two
   blocks side by side as in a Vietnamese document's heading or signature block).
5. The table grows up and down over lines that keep to its columns (a header line, a
   wrapped cell, a label row) and stops at the first that runs across a gutter (a
   caption, a note, prose) or stands too far off.
6. Rows: where an anchor column (item numbers, dates) has entries with other lines
   between them, a row starts at each entry (`_anchor_starts`); otherwise each line
   starts a row, unless it continues the row above (`_continues`): it stands closer to
   it than rows stand to each other and leaves the first column empty (a wrapped cell).
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median
from typing import Sequence

from .grid import CellBoxes, grid_cells, runs_across, cells_apart, build_fragments, is_anchor, text_columns
from .layout import Fragment, Line, Word
from .settings import TEXT, TextTableSettings
from .words import group_lines


@dataclass(frozen=True)
class UnruledSettings:
    seg_gap: float = 1.0  # line heights: a wider white run inside a line separates two cells
    min_cols: int = 3  # fewer columns are a list or two blocks side by side, not a table
    min_voters: int = 2  # lines with min_cols pieces or more a table must hold
    min_rows: int = 3  # fewer rows are a chart's axis and legend, or a line of tabbed text
    max_lone: int = 8  # lines in one piece that may stand between two lines of a table's rows
    max_line_gap: float = 2.2  # line heights: a wider vertical gap ends the table
    max_row_gap: float = 8.0  # line heights: ... unless a line in pieces, keeping to the columns, follows
    tight_gap: float = 0.7  # of the table's usual gap between rows: a line this close continues a row
    pad: float = 1.0  # points: a row's box reaches this far beyond its text
    # a justified prose line stretched word by word (few words on a full line): this many spaces at
    # least, all within stretch_spread of their median, most words worded: one piece, no row
    stretch_min_spaces: int = 6
    stretch_spread: float = 0.1
    align_tol: float = 0.5  # points: text starting this close is one column's start


SETTINGS = UnruledSettings()


def add_unruled(page_no: int, fragments: list[Fragment], free: list[Word],
                settings: UnruledSettings = SETTINGS, text: TextTableSettings = TEXT) -> tuple[list[Fragment], list[Word]]:
    """Fragments of the unruled tables among the free words (those outside every ruled
    table) added to the ruled ones; the words they take leave the prose. `text`: the text
    path's settings, for the grid steps the unruled tables share with it."""
    if not free:
        return fragments, free
    lines = group_lines(free)
    if not plausible(lines, settings):
        return fragments, free
    tables = unruled_tables(lines, settings, text)
    if not tables:
        return fragments, free
    more, free = build_fragments(page_no, tables, free, s=text)
    return sorted([*fragments, *more], key=lambda f: (f.box[1], f.box[0])), free


def _height(line: Line) -> float:
    return median(w.bottom - w.top for w in line.words)


def segments(line: Line, settings: UnruledSettings = SETTINGS) -> list[tuple[float, float]]:
    """(x0, x1) of the pieces of a line separated by white runs wider than seg_gap line heights;
    a justified prose line stretched so far that its word spaces are that wide (`stretched`) is one."""
    if stretched(line, settings):
        return [(line.words[0].x0, max(w.x1 for w in line.words))]
    gap = settings.seg_gap * _height(line)
    out: list[list[float]] = []
    for w in line.words:
        if out and w.x0 - out[-1][1] <= gap:
            out[-1][1] = max(out[-1][1], w.x1)
        else:
            out.append([w.x0, w.x1])
    return [(a, b) for a, b in out]


def stretched(line: Line, settings: UnruledSettings = SETTINGS) -> bool:
    """Is a line a justified paragraph's line with few words on it (before a line break), its word
    spaces stretched alike past seg_gap line heights: stretch_min_spaces spaces or more, every one
    within stretch_spread of their median, most of its words worded (a row of figures in even
    columns leaves even gaps too)? A table's row leaves white runs as wide as its cells make them."""
    ws = line.words
    spaces = sorted(b.x0 - a.x1 for a, b in zip(ws, ws[1:]))
    if len(spaces) < settings.stretch_min_spaces:
        return False
    mid = spaces[len(spaces) // 2]
    if spaces[0] <= settings.seg_gap * _height(line) or any(abs(x - mid) > settings.stretch_spread * mid for x in spaces):
        return False
    return 2 * sum(any(c.isalpha() for c in w.text) for w in ws) > len(ws)


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
    """(first, last) line index of each run of neighbouring lines cut in pieces; up to
    `max_lone` lines in one piece may stand between two such lines (the wrapped rest of a
    long cell, a label row)."""
    pieces = [len(segments(l, settings)) for l in lines]
    out = []
    k = 0
    while k < len(lines):
        if pieces[k] < 2:
            k += 1
            continue
        start = end = k
        while True:
            j = end + 1
            while j < len(lines) and (j - end <= settings.max_lone or _wraps_cell(lines[end], lines[j], settings)) \
                    and _near(lines[j - 1], lines[j], settings) and pieces[j] < 2:
                j += 1
            wrapped = all(_wraps_cell(lines[end], l, settings) for l in lines[end + 1:j])  # the row's own long cell
            if j < len(lines) and (j - end <= settings.max_lone + 1 or wrapped) and pieces[j] >= 2 and (
                    _near(lines[j - 1], lines[j], settings) or _row_after_gap(lines[j - 1], lines[j], settings)
                    or (wrapped and keeps_to(lines[j], text_starts(lines[start:end + 1], shared=1, settings=settings), settings))):
                end = j
            else:
                break
        if sum(p >= settings.min_cols for p in pieces[start:end + 1]) >= settings.min_voters:
            out.append((start, end))
        k = end + 1
    return out


def _wraps_cell(row: Line, line: Line, settings: UnruledSettings = SETTINGS) -> bool:
    """Does a line go on with a cell of the row line above it: start where one of that line's
    pieces after the first starts (a long cell wrapped over any number of lines)?"""
    return any(abs(line.box[0] - a) <= settings.align_tol for a, _ in text_spans(row)[1:])


def _fits(line: Line, edges: Sequence[float], text: TextTableSettings = TEXT) -> bool:
    """Does the line keep to the columns (no text across an inner edge, inside the table's width)?"""
    x0, _, x1, _ = line.box
    if x0 < edges[0] - 2 or x1 > edges[-1] + 2:
        return False
    return not any(runs_across(line, e, s=text) for e in edges[1:-1])


def unruled_tables(lines: Sequence[Line], settings: UnruledSettings = SETTINGS,
                   text: TextTableSettings = TEXT) -> list[CellBoxes]:
    """Cell boxes of each unruled table among the lines (top to bottom)."""
    out: list[CellBoxes] = []
    taken = -1  # last line index used by a table
    for first, last in _seeds(lines, settings):
        if first <= taken:
            continue
        body = lines[first:last + 1]
        x0, x1 = min(l.box[0] for l in body), max(l.box[2] for l in body)
        edges = text_columns([[l] for l in body], x0, x1, narrow=True, s=text)
        if len(edges) - 1 < settings.min_cols:
            continue
        # keep only the lines that fit, from the ends inwards
        while first <= last and not _fits(lines[first], edges, text):
            first += 1
        while last >= first and not _fits(lines[last], edges, text):
            last -= 1
        if last - first + 1 < settings.min_voters:
            continue
        while first - 1 > taken and _fits(lines[first - 1], edges, text) and (
                _near(lines[first - 1], lines[first], settings) or _row_after_gap(lines[first - 1], lines[first], settings)):
            first -= 1  # (over a gap: the empty bottom of a tall row above a row)
        last, edges = _grown(lines, last, edges, lines[first:last + 1], settings, text)
        table = lines[first:last + 1]
        wider = text_columns([[l] for l in table], x0, x1, narrow=True, s=text)  # more rows tell the columns better
        if len(wider) == len(edges) and wider != edges and all(_fits(l, wider, text) for l in table):
            last, edges = _grown(lines, last, wider, table, settings, text)
            table = lines[first:last + 1]
        boxes = _boxes(table, edges, settings, text)
        if boxes is not None:
            out.append(boxes)
            taken = last
    return out


def _grown(lines: Sequence[Line], last: int, edges: list[float], table: Sequence[Line], settings: UnruledSettings,
           text: TextTableSettings) -> tuple[int, list[float]]:
    """The table's last line index once it goes down over the lines after it that keep to its
    columns: close under it, after a tall row's empty bottom, or after a gap of any height when
    the line is a row in the table's own columns (`keeps_to`)."""
    starts = text_starts(table, settings=settings)
    while last + 1 < len(lines) and _fits(lines[last + 1], edges, text) and (
            _near(lines[last], lines[last + 1], settings) or _row_after_gap(lines[last], lines[last + 1], settings)
            or keeps_to(lines[last + 1], starts, settings)):
        last += 1
    return last, edges


def text_starts(table: Sequence[Line], *, shared: int = 2, settings: UnruledSettings = SETTINGS) -> list[float]:
    """Where the cells' text starts in the table's lines: the left ends of its lines' pieces
    (word runs, `grid._runs`) that `shared` lines or more share (one per start, to `align_tol`)."""
    lefts = sorted(a for l in table for a, _ in text_spans(l))
    groups: list[list[float]] = []
    for x in lefts:
        if groups and x - groups[-1][-1] <= settings.align_tol:
            groups[-1].append(x)
        else:
            groups.append([x])
    return [g[0] for g in groups if len(g) >= shared]


def keeps_to(line: Line, starts: Sequence[float], settings: UnruledSettings) -> bool:
    """A row after a gap of any height (a spreadsheet row far higher than its text): a line in
    min_cols pieces or more starting where a column's text starts in the table above, one piece
    at most elsewhere (a number centred in its column)."""
    pieces = text_spans(line)
    aligned = sum(any(abs(a - x) <= settings.align_tol for x in starts) for a, _ in pieces)  # (starts: a group's leftmost)
    return aligned >= settings.min_cols and aligned >= len(pieces) - 1


def text_spans(line: Line, text: TextTableSettings = TEXT) -> list[tuple[float, float]]:
    """(x0, x1) of the runs of a line's words (`grid._runs`), cut also where a white run is two
    cells' gap though narrower than min_gutter (`grid.cells_apart`: a thinly padded sheet)."""
    out: list[list[float]] = []
    for a, w in zip((None, *line.words), line.words):
        if out and w.x0 - out[-1][1] < text.min_gutter and not cells_apart(line, w.x0 - a.x1, s=text):
            out[-1][1] = max(out[-1][1], w.x1)
        else:
            out.append([w.x0, w.x1])
    return [(a, b) for a, b in out]


def _row_after_gap(above: Line, line: Line, settings: UnruledSettings) -> bool:
    """A line in pieces (a row) after a wider gap: a tall row's empty bottom (a spreadsheet
    row higher than its text) is no end of the table."""
    return (_gap(above, line) <= settings.max_row_gap * max(_height(above), _height(line))
            and len(segments(line, settings)) >= 2)


def _filled(line: Line, edges: Sequence[float]) -> set[int]:
    return {_col(w, edges) for w in line.words}


def _continues(prev: Line, line: Line, usual_gap: float, edges: Sequence[float], settings: UnruledSettings) -> bool:
    """Is `line` more text of the row whose last line is `prev` (a wrapped cell)?"""
    if _gap(prev, line) > settings.tight_gap * usual_gap:
        return False
    return 0 not in _filled(line, edges)


def _anchor_starts(table: Sequence[Line], edges: Sequence[float], settings: UnruledSettings,
                   text: TextTableSettings = TEXT) -> list[int] | None:
    """Indices of the lines where rows start when an anchor column numbers them: one of the
    first `anchor_cols` columns whose every entry from its first anchor on is an item number or
    a date, with lines between its entries (rows of several lines). Of anchor columns with as
    many entries, the top-aligned one (entries on the rows' first lines) says where. None
    when no column does (every line its own row, `_continues`)."""
    n_cols = len(edges) - 1
    best: tuple[int, int, list[int]] | None = None
    for c in range(min(text.anchor_cols, n_cols)):
        entries = [k for k, l in enumerate(table) if c in _filled(l, edges)]
        texts = [" ".join(w.text for w in table[k].words if _col(w, edges) == c) for k in entries]
        first = next((i for i, t in enumerate(texts) if is_anchor(t)), None)
        if first is None:
            continue
        entries, texts = entries[first:], texts[first:]
        if len(entries) < settings.min_rows or not all(is_anchor(t) for t in texts):
            continue
        if len(table) - entries[0] <= len(entries):
            continue  # one line per entry: every line is a row anyway
        key = (len(entries), -sum(entries), entries)
        if best is None or key[:2] > best[:2]:
            best = key
    return best[2] if best else None


def _col(w: Word, edges: Sequence[float]) -> int:
    return max(0, min(len(edges) - 2, sum(e <= w.xc for e in edges[1:-1])))


def _boxes(table: Sequence[Line], edges: Sequence[float], settings: UnruledSettings,
           text: TextTableSettings = TEXT) -> CellBoxes | None:
    """The grid's cell boxes: rows from the lines (an anchor column's entries, or
    `_continues`), columns from the edges."""
    gaps = [_gap(a, b) for a, b in zip(table, table[1:])]
    usual = median(gaps) if gaps else 0.0
    starts = _anchor_starts(table, edges, settings, text)
    rows: list[list[Line]] = [[table[0]]]
    for k, (prev, line) in enumerate(zip(table, table[1:]), start=1):
        if starts is not None:
            joins = k not in starts  # the lines above the first entry are the header's row
        else:
            joins = _continues(prev, line, usual, edges, settings)
        if joins:
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
    boxes = CellBoxes(grid_cells(ys, edges, ruled_at, words, s=text))
    boxes.open_edges = []
    boxes.ruled = False
    return boxes
