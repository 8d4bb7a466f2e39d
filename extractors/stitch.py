"""Logical tables: table fragments on consecutive pages joined, rows cut by a page break rejoined.

Steps, each a small function:
1. `continues`: a fragment continues the current table when it is the first thing on
   the next page (only furniture above it), the table was the last thing on its page
   (only furniture below), and it has the same header or the same column rules (a
   table that has shown only its header so far always goes on: its header row was cut);
   `goes_on`: on one page, a ruled block right under the table's last one (a gap of
   a few points, nothing between) with the same column rules and no header goes on;
   so does one under a band of page furniture (`_furniture_between`: the footer of a
   system whose own page is shorter than the sheet, mid-page), as after a page break.
2. `_header_rows`: the header rows at the top of the first fragment; the repeated
   header at the top of later fragments is dropped. On scans OCR damages the repeats:
   a repeat is matched with spaces and marks left out, or by the roles its cells give
   the columns (`_is_repeated_header`), and a column whose header OCR left without a
   role takes the text of a repeat that gives it one (`_finish`).
3. `row_kind`: header, section (one cell across the table, a Roman-numeral or letter
   label) or data.
4. `is_continuation`: a row at the top of a continuing fragment with nothing in its
   number or label cell (or, for a one-cell section, a sentence going on; for a
   header, more header words) is the rest of the row cut by the page break: its cells
   are appended to that row's cells.
5. cell text is made once per logical cell from all its lines (`celltext.join_lines`),
   so a word cut by the page break is rejoined like one cut by a line break.
6. `_inherit_merged`: a cell merged over several rows is listed once (its `row_span`),
   and every row it covers inherits it (`LogicalRow.inherited`), also across a page
   break (the grid marks cells the page cut open). A piece of a cut cell printed just
   above or below the table (clipped away in print) neither ends the table nor stands
   between its fragments (`_ghost`, `_spilled`).

Scanned tables (each page shifted, scaled and tilted on its own): a fragment first on its
page continues the table above when its columns have the same relative widths
(`scan_continues`, `same_shape`, tolerances in `settings.ScanTableSettings`), and a headerless table
joins or takes the columns of the headed table of its shape (`adopt_headerless`: pages
fed out of order), and a fragment first on its page whose item numbers go on from another
table of its shape than the one of the page before goes on that table (`_taken_up`: pages fed
out of order); a header cell read past recognition takes the text of the header of another table
of its shape (`_lend_headers`); a numbered list's worded first row is its header (`_list_header`); a row
under a cell merged over the item column that holds only specks (a seal's strokes read as
rules across a narrow column) is no row (`_drop_speck_rows`); a header cell read over several
columns whose parts name a role each is split (`headers.split_spans`).

Tables that are no task tables (a law's tax schedule, a gazette's chart of accounts):
a first row worded over columns of numbers is their header (`_typed_header`), and a
heading in capitals alone in its row is a section (`row_kind`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import takewhile
from statistics import median
from typing import Iterable, Sequence

from rapidfuzz import fuzz

from .celltext import join_lines
from .grid import LABEL_START, PLAIN_NUMBER, SUB_ITEM, is_anchor
from .headers import (ITEM_NUMBER, column_roles, heads_by_type, heads_numbered_list, is_column_number_row,
                      looks_like_header, split_spans)
from .layout import Box, Cell, Fragment, Line, PageContent, Row
from .letters import unmarked
from .settings import SCANS, TEXT, ScanTableSettings, TextTableSettings

_LABELLED = re.compile(r"^([IVXLC]+|[A-ZĐ])[.)]\s+\S")  # a heading with its label in front
_LABEL = re.compile(r"^([IVXLC]+|[A-ZĐ]|[a-zđ])[.)]?$")


@dataclass(frozen=True, slots=True)
class LogicalCell:
    col: int
    col_span: int
    text: str
    page: int  # page where the cell starts
    box: Box  # its box on that page
    row_span: int = 1  # logical rows it covers (a merged cell: the rows below inherit it)


@dataclass(frozen=True, slots=True)
class LogicalRow:
    kind: str  # "header" | "section" | "data"
    cells: tuple[LogicalCell, ...]
    spans: tuple[tuple[int, Box], ...]  # the row's box on each page it occupies
    inherited: tuple[LogicalCell, ...] = ()  # cells merged over this row from a row above (listed there)

    def text_at(self, col: int) -> str:
        """The text of the row's cell in column `col`, or of the merged cell above covering it."""
        for c in (*self.cells, *self.inherited):
            if c.col <= col < c.col + c.col_span:
                return c.text
        return ""

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]


@dataclass(frozen=True, slots=True)
class LogicalTable:
    table_no: int  # 1-based, in reading order
    n_cols: int
    headers: tuple[str, ...]  # header text of each column ("" if none)
    rows: tuple[LogicalRow, ...]

    @property
    def pages(self) -> tuple[int, ...]:
        return tuple(sorted({p for r in self.rows for p, _ in r.spans}))


# ---------------------------------------------------------------- building blocks


@dataclass
class _Part:
    page: int
    box: Box
    lines: tuple[Line, ...]


@dataclass(eq=False)
class _PendingCell:
    col: int
    col_span: int
    left: float  # text area of the cell (inside its padding), for the word-break test
    right: float
    parts: list[_Part]
    open_bottom: bool = False  # its last part was cut by the page (no rule below it)
    merged_open: bool = False  # ... and it is a merged cell going on below, not a cut row's cell

    @property
    def raw_text(self) -> str:
        return " ".join(l.text for p in self.parts for l in p.lines)

    def finish(self, row_span: int = 1, *, s: TextTableSettings = TEXT) -> LogicalCell:
        lines = [l for p in self.parts for l in p.lines]
        first = self.parts[0]
        return LogicalCell(self.col, self.col_span, join_lines(lines, self.left, self.right, s=s), first.page, first.box,
                           row_span)


@dataclass
class _PendingRow:
    kind: str
    cells: list[_PendingCell]
    spans: list[tuple[int, Box]]
    inherited: list[_PendingCell] = field(default_factory=list)  # merged cells of rows above covering it

    def cell_covering(self, col: int) -> _PendingCell | None:
        for c in self.cells:
            if c.col <= col < c.col + c.col_span:
                return c
        return None


@dataclass
class _Builder:
    first: Fragment
    rows: list[_PendingRow] = field(default_factory=list)
    header_keys: list[str] = field(default_factory=list)
    header_repeats: list[list[tuple[int, int, str]]] = field(default_factory=list)  # (col, span, text) of repeats
    last_page: int = 0
    ends_page: bool = False  # nothing but furniture below the table on its last page
    borrowed: tuple[str, ...] = ()  # headers of the table whose shape a headerless one has (`adopt_headerless`)
    foot_sliver: tuple[int, Box] | None = None  # an empty box closing its last fragment (`_foot_sliver`)


def _cell_texts(row: Row) -> list[str]:
    return [c.text for c in row.cells]


def _row_key(row: Row) -> str:
    return " ".join(t for t in _cell_texts(row) if t).lower()


def _pads(frag: Fragment) -> list[float]:
    """Cell padding of each column: the gap between a cell's edge and its text.

    A cell of two or more lines that all start at the same x (left-aligned or justified
    text) shows the table's padding; centred cells (numbers, headers) do not. The
    median of those gaps holds for the whole fragment; a fragment without such a cell
    falls back on the smallest gap of each column.
    """
    aligned: list[float] = []
    smallest = [8.0] * frag.n_cols
    for row in frag.rows:
        for cell in row.cells:
            if cell.col_span != 1 or not cell.lines:
                continue
            starts = [l.box[0] for l in cell.lines]
            gap = max(min(starts) - cell.box[0], 0.5)
            smallest[cell.col] = min(smallest[cell.col], gap)
            if len(starts) >= 2 and max(starts) - min(starts) < 0.5:
                aligned.append(gap)
    if aligned:
        return [median(aligned)] * frag.n_cols
    return smallest


def _pending(row: Row, frag: Fragment, pads: Sequence[float], kind: str) -> _PendingRow:
    cells = []
    cut_row = all(c.open_bottom for c in row.cells)
    for c in row.cells:
        pad = pads[c.col]
        cells.append(_PendingCell(c.col, c.col_span, c.box[0] + pad, c.box[2] - pad, [_Part(frag.page, c.box, c.lines)],
                                  c.open_bottom, c.open_bottom and (c.row_span > 1 or not cut_row)))
    return _PendingRow(kind, cells, [(frag.page, row.box)])


def row_kind(texts_by_col: Sequence[tuple[int, int, str]], n_cols: int, item_col: int,
             *, s: TextTableSettings = TEXT) -> str:
    """'section' or 'data' for a body row given (col, span, text) of its cells."""
    filled = [(c, span, t) for c, span, t in texts_by_col if t.strip()]
    if not filled:
        return "data"
    wide = any(span >= max(2, n_cols - 2) for _, span, t in filled)
    if len(filled) <= 2 and wide and n_cols > 2:
        return "section"
    label = next((t for c, _, t in filled if c == item_col), "")
    if len(_unscrapped(filled, item_col, s=s)) <= 2 and _LABEL.match(label.strip()) and n_cols > 2:
        return "section"  # "I." and its heading (and, on a scan, a speck of a seal beside them)
    if len(filled) == 1 and filled[0][0] <= item_col and _LABELLED.match(label.strip()) and n_cols > 2:
        return "section"  # "II. Các dự án …" alone in the first cell, the rest of the row empty
    if len(filled) == 1 and not label.strip() and n_cols > 2 and _is_caps_heading(filled[0][2], s=s):
        return "section"  # "LOẠI TÀI KHOẢN TÀI SẢN" alone in its row, no number beside it
    return "data"


def _unscrapped(filled: Sequence[tuple[int, int, str]], item_col: int,
                *, s: TextTableSettings = TEXT) -> list[tuple[int, int, str]]:
    """The filled (col, span, text) cells of a row but the scraps: cells outside the item
    column with at most scrap_chars letters and digits ("z^" OCR'd from a seal's edge)."""
    return [(c, span, t) for c, span, t in filled if c == item_col or not _is_scrap(t, s=s)]


def _is_caps_heading(text: str, *, s: TextTableSettings = TEXT) -> bool:
    """A heading in capitals: two words or more, every letter upper case."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(text.split()) >= 2 and len(letters) >= s.min_heading_letters and all(ch.isupper() for ch in letters)


def _same_columns(a: Fragment, b: Fragment, *, s: TextTableSettings = TEXT) -> bool:
    return a.n_cols == b.n_cols and all(abs(x - y) <= s.col_tol for x, y in zip(a.col_edges, b.col_edges))


def _bare(key: str) -> str:
    return unmarked(key.replace(" ", ""))


def _is_repeated_header(row: Row, header_keys: Sequence[str], header_roles: Sequence[str | None] = (),
                        *, seen: Counter | None = None, heads: Sequence[str] = (), s: TextTableSettings = TEXT) -> bool:
    """The header printed again: the same text, or on a scan nearly (spaces and marks left
    out), or a row that gives at least repeat_min_roles columns the roles the header gives
    them, all but one of those the header names, and no named column another role (a column
    the damaged header leaves unnamed may be named by the repeat). A row holding only some of
    the header's words is a piece of it printed over two rows, if the header still has those
    words after the pieces of it `seen` above on the page: the rest of a cut cell under the
    whole header ("vụ" under "... Tên nhiệm vụ ...") is not, nor is a piece whose words stand
    in other columns than the header's (`heads`, each column's header text: `_under_own_heads`):
    "hạn" of a status cell the page cut, at the head of a page the header is not printed on
    again, is no piece of "Thời hạn"."""
    key = _row_key(row)
    if not key:
        return False
    if is_column_number_row([t for t in _cell_texts(row) if t]):
        return True
    # a header printed again may carry a clipped piece of a cut cell drawn under it: all
    # of the header's words and a few more are the header still
    if any(fuzz.ratio(key, h) >= s.repeat_ratio or (len(key) <= 1.5 * len(h) and fuzz.token_set_ratio(key, h) >= 98
                                                     and (len(key) >= len(h) or (_left_in(key, h, seen)
                                                                                 and _under_own_heads(row, heads))))
           for h in header_keys):
        return True
    near = [h for h in header_keys if len(key) <= 1.5 * len(h)]  # a body row is longer than the header
    if not near:
        return False
    bare = _bare(key)
    if any(fuzz.ratio(bare, _bare(h)) >= s.repeat_ratio_bare for h in near):
        return True
    return bool(header_roles) and _names_columns_alike(row, header_roles, s=s)


def _left_in(key: str, header: str, seen: Counter | None) -> bool:
    """Are the words of `key` among those of `header` that the pieces `seen` left?"""
    return not Counter(key.split()) - (Counter(header.split()) - (seen or Counter()))


def _under_own_heads(row: Row, heads: Sequence[str]) -> bool:
    """Does each filled cell of `row` hold only words of the header over its own columns
    (`heads`: each column's header text; True when they are not known)?"""
    if not heads or any(c.col + c.col_span > len(heads) for c in row.cells):
        return True
    return all(not Counter(c.text.lower().split()) - Counter(" ".join(heads[c.col:c.col + c.col_span]).lower().split())
               for c in row.cells if c.text.strip())


def _names_columns_alike(row: Row, header_roles: Sequence[str | None], *, s: TextTableSettings = TEXT) -> bool:
    mine = column_roles(header_texts([[(c.col, c.col_span, c.text) for c in row.cells]], len(header_roles)), s=s)
    named = [k for k, r in enumerate(header_roles) if r]
    same = sum(mine[k] == header_roles[k] for k in named)
    other = any(r is not None and header_roles[k] is not None and r != header_roles[k] for k, r in enumerate(mine))
    return not other and same >= max(s.repeat_min_roles, len(named) - 1)


def _header_roles(b: _Builder, *, s: TextTableSettings = TEXT) -> list[str | None]:
    headers = _headers(b) if b.header_keys else []
    return column_roles(headers, s=s) if any(headers) else []


def continues(builder: _Builder, frag: Fragment, page_no: int, text_above: bool,
              *, s: TextTableSettings = TEXT) -> bool:
    """Does `frag` (first fragment of its page) continue the table being built?"""
    if text_above or not builder.ends_page or builder.last_page != page_no - 1:
        return False
    return _goes_on_after_break(builder, frag, s=s)


def _goes_on_after_break(builder: _Builder, frag: Fragment, *, s: TextTableSettings = TEXT) -> bool:
    """Does `frag`, after a break (a page's, or a band of page furniture), continue the table?"""
    if frag.n_cols != builder.first.n_cols:
        return False  # a logical table keeps one set of columns
    if frag.rows and _is_repeated_header(frag.rows[0], builder.header_keys, _header_roles(builder, s=s), s=s):
        return True
    if builder.rows and all(r.kind == "header" for r in builder.rows) and _same_columns(builder.first, frag, s=s):
        return True  # a table does not end with its header: the page break cut the header row
    if frag.rows and builder.header_keys and looks_like_header(_cell_texts(frag.rows[0]), s=s):
        return False  # a different header: a new table
    return _same_columns(builder.first, frag, s=s)


def goes_on(builder: _Builder, frag: Fragment, above: Fragment, text_above: bool,
            *, s: TextTableSettings = TEXT) -> bool:
    """Does `frag` continue, on the same page, the table whose fragment `above` it is?

    A spreadsheet prints ruled blocks with a gap of a few points between them: nothing
    between them, a gap under max_block_gap, the same column rules, and no header of
    its own (or the table's header printed again: a writer that split the table there)
    make them one table.
    """
    if text_above or builder.last_page != frag.page or frag.box[1] - above.box[3] > s.max_block_gap:
        return False
    if not _same_columns(builder.first, frag, s=s) or not frag.rows:
        return False
    if _row_key(frag.rows[0]) in builder.header_keys:
        return True
    return not looks_like_header(_cell_texts(frag.rows[0]), s=s)


# ---------------------------------------------------------------- scanned tables


def same_shape(a: Fragment, b: Fragment, scan: ScanTableSettings = SCANS) -> bool:
    """The same number of columns, of the same relative widths."""
    if a.n_cols != b.n_cols or a.n_cols < 2:
        return False
    wa, wb = a.col_edges[-1] - a.col_edges[0], b.col_edges[-1] - b.col_edges[0]
    if wa <= 0 or wb <= 0 or abs(wa - wb) > scan.scale_tol * max(wa, wb):
        return False
    return all(abs((x - a.col_edges[0]) / wa - (y - b.col_edges[0]) / wb) <= scan.width_tol
               for x, y in zip(a.col_edges, b.col_edges))


def scan_continues(builder: _Builder, frag: Fragment, page: PageContent, above_limit: float,
                   scan: ScanTableSettings = SCANS, *, s: TextTableSettings = TEXT) -> bool:
    """Does `frag`, first on a scanned page, continue the table of the page before without
    repeating its header? Its columns have the table's shape (`same_shape`: the scan moved
    them), nothing but a page number or a speck stands above it, and its first row is not
    another table's header."""
    if not builder.ends_page or builder.last_page != page.page - 1 or not same_shape(builder.first, frag, scan):
        return False
    if not _bare_above(frag, page, above_limit, scan):
        return False
    return not (frag.rows and builder.header_keys and looks_like_header(_cell_texts(frag.rows[0]), s=s)
                and not _is_repeated_header(frag.rows[0], builder.header_keys, _header_roles(builder, s=s), s=s))


def _bare_above(frag: Fragment, page: PageContent, above_limit: float, scan: ScanTableSettings = SCANS) -> bool:
    """Nothing but a page number or a speck (`scan.mark_chars` characters at most) stands above
    `frag` on its scanned page, below `above_limit`."""
    above = [l for l in page.lines if l.box[1] >= above_limit - 1 and l.box[3] <= frag.box[1] + 1]
    return not any(len(l.text.replace(" ", "")) > scan.mark_chars for l in above)


def _taken_up(builders: Sequence[_Builder], current: _Builder | None, frag: Fragment, page: PageContent,
              above_limit: float, scan: ScanTableSettings = SCANS, *, s: TextTableSettings = TEXT) -> _Builder | None:
    """Pages fed out of order: the table whose rest `frag` is, when that is not the table of the
    page read before. `frag` stands first on a scanned page with nothing above it (`_bare_above`)
    and no header row; its first item number goes on from no number of `current` (neither the
    next one nor a 1 that may start a part again) and from the last number of exactly one other
    table of its shape that ended its page: that table goes on here."""
    if current is None or page.method != "ocr" or not frag.rows or looks_like_header(_cell_texts(frag.rows[0]), s=s) \
            or not _bare_above(frag, page, above_limit, scan):
        return None  # (no table before: no other to take it up either)
    first = _first_number(frag, current, s=s)
    if first is None or first == 1 or _numbers(current, s=s)[-1:] in ([], [first - 1]):
        return None
    takers = [b for b in builders if b is not current and b.ends_page and same_shape(b.first, frag, scan)
              and _numbers(b, s=s)[-1:] == [first - 1]]
    return takers[0] if len(takers) == 1 else None


def _first_number(frag: Fragment, b: _Builder, *, s: TextTableSettings = TEXT) -> int | None:
    """The first item number of `frag`'s rows, in the item column of the table `b` (its shape)."""
    col = _item_col(b, s=s)
    cells = (row.cell_at(col) for row in frag.rows)
    return next((n for n in (_item_number(c.text) for c in cells if c is not None) if n is not None), None)


def _item_number(text: str) -> int | None:
    """The item number a numbering cell's text holds ("12", "12."), None if none."""
    m = ITEM_NUMBER.match(text.replace(" ", ""))
    return int(m.group(1)) if m else None


def _numbers(b: _Builder, rows: Sequence[_PendingRow] | None = None, *, s: TextTableSettings = TEXT) -> list[int]:
    """The item numbers of a table's data rows (or of `rows` of it), in order (rows without one skipped)."""
    col = _item_col(b, s=s)
    cells = (r.cell_covering(col) for r in (b.rows if rows is None else rows) if r.kind == "data")
    return [n for n in (_item_number(c.raw_text) for c in cells if c is not None) if n is not None]


def _list_header(b: _Builder, *, s: TextTableSettings = TEXT) -> None:
    """A scanned table without a header whose first row heads a numbered list ("STT | Họ và
    tên | Chức vụ | ...", `headers.heads_numbered_list`) has that row for its header."""
    if not b.rows or b.rows[0].kind == "header" or not b.first.rows:
        return
    first = b.rows[0]
    texts = [first.cell_covering(k).raw_text if first.cell_covering(k) else "" for k in range(b.first.n_cols)]
    body = [[r.cell_covering(k).raw_text if r.cell_covering(k) else "" for k in range(b.first.n_cols)]
            for r in b.rows[1:] if r.kind == "data"]
    if heads_numbered_list(texts, body, s=s):
        first.kind = "header"
        b.header_keys.append(_pending_key(first))


def _starts_a_part(b: _Builder) -> bool:
    """The table's first row is a section (its numbering may start again)."""
    return bool(b.rows) and b.rows[0].kind == "section"


def _pages(b: _Builder) -> set[int]:
    """The pages a table's rows stand on."""
    return {p for r in b.rows for p, _ in r.spans} | {b.first.page}


def _first_place(b: _Builder) -> tuple[int, float]:
    """(page, top) of the first row of a table on the pages as fed: where it is read first."""
    return min(((p, box[1]) for r in b.rows for p, box in r.spans), default=(b.first.page, b.first.box[1]))


def _headed(b: _Builder) -> bool:
    return bool(b.rows) and b.rows[0].kind == "header"


def adopt_headerless(builders: list[_Builder], scanned: set[int], scan: ScanTableSettings = SCANS,
                     *, s: TextTableSettings = TEXT) -> list[_Builder]:
    """Scanned tables without a header of their own, in a document with a headed table of the
    same shape (of several, the one whose first page comes right after one of its pages): the
    rest of that table on pages fed before it (one of them just before the headed table's
    first: a table's header stands on its first page) joins it after the rows
    of that first page, unless its item numbers say otherwise (they neither go on from the
    last one there nor start again under a section above or below the break); any other
    takes its columns' headers."""
    out = list(builders)
    for b in builders:
        if _headed(b) or b.first.page not in scanned or b not in out:
            continue
        models = [m for m in out if m is not b and _headed(m) and same_shape(m.first, b.first, scan)]
        if not models:
            continue
        pages = _pages(b)
        model = next((m for m in models if m.first.page - 1 in pages), models[0])
        cut = 1 + max(k for k, r in enumerate(model.rows) if r.spans[0][0] == model.first.page)
        mine, theirs = _numbers(b, s=s), _numbers(model, model.rows[:cut], s=s)
        restarts = mine and mine[0] == 1 and model.rows[cut - 1].kind == "section"  # numbered anew under it
        goes_on = not mine or not theirs or mine[0] == theirs[-1] + 1 or restarts or _starts_a_part(b)
        if model.first.page - 1 in pages and goes_on:
            model.rows[cut:cut] = b.rows
            model.last_page = max(model.last_page, b.last_page)
            out.remove(b)
        else:
            b.borrowed = tuple(_headers(model))
    return out


# ---------------------------------------------------------------- the stitcher


def stitch(pages: Sequence[PageContent], *, s: TextTableSettings = TEXT,
           scan: ScanTableSettings = SCANS) -> list[LogicalTable]:
    """All logical tables of a document, in reading order (`scan`: of its scanned pages' tables)."""
    builders: list[_Builder] = []
    current: _Builder | None = None
    for page in pages:
        frags = page.fragments
        for i, frag in enumerate(frags):
            above_limit = frags[i - 1].box[3] if i else 0.0
            lines = page.lines
            if current is not None and i == 0:
                lines = [l for l in lines if not _ghost(l, current, frag, s=s)]
            text_above = _text_between(lines, above_limit, frag.box[1])
            taken_up = _taken_up(builders, current, frag, page, above_limit, scan, s=s) if i == 0 else None
            if taken_up is not None:  # pages fed out of order: the rest of a table of a page before
                current = taken_up
                _extend(current, frag, s=s)
            elif current is not None and i == 0 and (continues(current, frag, page.page, text_above, s=s) or (
                    page.method == "ocr" and scan_continues(current, frag, page, above_limit, scan, s=s))):
                _extend(current, frag, s=s)
            elif current is not None and i > 0 and goes_on(current, frag, frags[i - 1], text_above, s=s):
                _extend(current, frag, s=s)
            elif current is not None and i > 0 and not text_above and current.last_page == page.page \
                    and _furniture_between(page, frags[i - 1], frag) and _goes_on_after_break(current, frag, s=s):
                _extend(current, frag, s=s)  # a footer band mid-page (a shorter page of the system that printed it)
            else:
                current = _Builder(frag)
                builders.append(current)
                _start(current, frag, s=s)
            below_limit = frags[i + 1].box[1] if i + 1 < len(frags) else page.height
            current.last_page = page.page
            spilled = [l for l in page.lines if _spilled(l, frag, s=s)]
            below = [l for l in page.lines if l not in spilled]
            if spilled and i == len(frags) - 1:
                _take_spilled(current, spilled, page.page, s=s)
            current.ends_page = i == len(frags) - 1 and not _text_between(below, frag.box[3], below_limit)
    scanned = {p.page for p in pages if p.method == "ocr"}
    for b in builders:
        if b.first.page in scanned:
            _list_header(b, s=s)
    builders = adopt_headerless(builders, scanned, scan, s=s)
    if scanned:  # pages fed out of order: a table whose rest came first is read first
        builders.sort(key=_first_place)
    _lend_headers(builders, scanned, scan)
    for b in builders:
        _drop_speck_rows(b, scanned, s=s)
    return [_finish(b, n, s=s) for n, b in enumerate(builders, start=1)]


def _lend_headers(builders: Sequence[_Builder], scanned: set[int], scan: ScanTableSettings = SCANS) -> None:
    """A scanned table's header cells read past recognition (a seal over them) may take the text
    of the header of another table of its shape in the document, as of a repeat of its own
    header (`_carry_header_roles`: only a column its header gives no role)."""
    for b in builders:
        if _headed(b) and b.first.page in scanned:
            b.header_repeats += [[(c.col, c.col_span, c.text) for c in m.first.rows[0].cells] for m in builders
                                 if m is not b and _headed(m) and m.first.rows and same_shape(m.first, b.first, scan)]


def _drop_speck_rows(b: _Builder, scanned: set[int], *, s: TextTableSettings = TEXT) -> None:
    """Drop the data rows of scanned pages that stand under a cell merged over the item
    column and hold nothing of their own but scraps (`_is_scrap`: "v4", "—"): a seal's
    strokes read as rules across a narrow column cut a row's cell there into pieces that
    are no rows. The merged cells then span the rows left (`_finish` counts them)."""
    item_col = _item_col(b, s=s)
    b.rows = [r for r in b.rows if not (
        r.kind == "data" and r.spans and all(p in scanned for p, _ in r.spans)
        and _merged_over(r, item_col) is not None and r.cell_covering(item_col) is None
        and all(_is_scrap(c.raw_text, s=s) for c in r.cells))]


def _is_scrap(text: str, *, s: TextTableSettings = TEXT) -> bool:
    """A cell's text with at most scrap_chars letters and digits (empty included)."""
    return sum(ch.isalnum() for ch in text) <= s.scrap_chars


def _ghost(line: Line, builder: _Builder, frag: Fragment, *, s: TextTableSettings = TEXT) -> bool:
    """A line just above the next page's table that repeats a piece of a cell the page
    break cut (a spreadsheet prints a merged cell's text centred over all its rows, and
    the part that falls above the next page's table is clipped away, invisible)."""
    if not builder.rows or not 0 <= frag.box[1] - line.box[3] <= s.spill_gap:
        return False
    key = " ".join(line.text.split())
    recent = builder.rows[-s.ghost_rows:]
    return bool(key) and any(key in " ".join(c.raw_text.split()) for r in recent for c in (*r.cells, *r.inherited))


def _spilled(line: Line, frag: Fragment, *, s: TextTableSettings = TEXT) -> bool:
    """A line just below the table, inside an empty cell the page cut open at the bottom:
    the text of a merged cell centred over rows on the next page, clipped away here; or
    inside one that holds text, its next line (a browser prints the line a merged cell's text
    goes on with across the page's cut, under the rules that stop there)."""
    height = line.box[3] - line.box[1]
    if not -height <= line.box[1] - frag.box[3] <= s.spill_gap:
        return False
    return any(c.open_bottom and c.box[0] <= line.box[0] and line.box[2] <= c.box[2] and (
               (not c.lines and line.box[1] >= frag.box[3])
               or (c.lines and line.box[1] - c.lines[-1].box[3] <= s.cut_line_gap * height))
               for row in frag.rows[-s.ghost_rows:] for c in row.cells)


def _take_spilled(b: _Builder, lines: Sequence[Line], page: int, *, s: TextTableSettings = TEXT) -> None:
    """Give spilled lines (`_spilled`) to the cut-open cell they stand under."""
    for line in lines:
        for row in reversed(b.rows[-s.ghost_rows:]):
            cell = next((c for c in (*row.cells, *row.inherited) if c.merged_open and c.parts[-1].page == page
                         and c.parts[-1].box[0] <= line.box[0] and line.box[2] <= c.parts[-1].box[2]), None)
            if cell is not None:
                cell.parts.append(_Part(page, cell.parts[-1].box, (line,)))
                break


def _furniture_between(page: PageContent, above: Fragment, frag: Fragment) -> bool:
    """Does a band of page furniture stand between two fragments of one page (and side by
    side with neither)? Then it is a page break within the page (`furniture.split_furniture`)."""
    return any(above.box[3] - 1 <= b[1] and b[3] <= frag.box[1] + 1 for b in page.furniture_boxes)


def _text_between(lines: Sequence[Line], top: float, bottom: float) -> bool:
    return any(l.box[1] >= top - 1 and l.box[3] <= bottom + 1 for l in lines)


def _item_col(builder: _Builder, *, s: TextTableSettings = TEXT) -> int:
    headers = _headers(builder)
    roles = column_roles(headers, s=s) if any(headers) else []
    return roles.index("item_no") if "item_no" in roles else 0


def _start(b: _Builder, frag: Fragment, *, s: TextTableSettings = TEXT) -> None:
    pads = _pads(frag)
    n_header = 0
    for k, row in enumerate(frag.rows[:s.max_header_rows]):
        texts = _cell_texts(row)
        if looks_like_header(texts, s=s) or (k == 0 and _typed_header(frag, s=s)) or (
                n_header and is_column_number_row([t for t in texts if t])) or (
                n_header and _sub_header(row, frag.rows[k - 1])):
            n_header += 1
        else:
            break
    for row in frag.rows[:n_header]:
        b.rows.append(_pending(row, frag, pads, "header"))
        b.header_keys.append(_row_key(row))
    _add_body(b, frag, frag.rows[n_header:], pads, continuing=False, s=s)


def _column_texts(row: Row, n_cols: int) -> list[str]:
    """The text standing in each column of `row` (a spanning cell's in each column it covers)."""
    cells = [row.cell_at(k) for k in range(n_cols)]
    return [c.text if c is not None else "" for c in cells]


def _typed_header(frag: Fragment, *, s: TextTableSettings = TEXT) -> bool:
    """The fragment's first row names its columns by the type of the rows under it
    (`headers.heads_by_type`): for tables whose header is not task-table vocabulary."""
    rows = [_column_texts(r, frag.n_cols) for r in frag.rows]
    body = [r for r in rows[1:] if any(t.strip() for t in r)]
    return bool(rows) and heads_by_type(rows[0], body, s=s)


def _sub_header(row: Row, above: Row) -> bool:
    """The lower level of a two-level header: its cells all stand under a header cell
    spanning columns ("Cấp 1", "Cấp 2" under "Số hiệu TK"); the columns beside them are
    headed by cells merged down over both levels, so the row has nothing else."""
    spanning = [c for c in above.cells if c.col_span > 1]
    filled = [c for c in row.cells if c.text.strip()]
    return len(filled) >= 2 and all(
        any(sp.col <= c.col and c.col + c.col_span <= sp.col + sp.col_span for sp in spanning) for c in row.cells)


def _extend(b: _Builder, frag: Fragment, *, s: TextTableSettings = TEXT) -> None:
    pads = _pads(frag)
    rows = list(frag.rows)
    if not b.header_keys and rows and b.rows and _first_row_repeats(b, rows[0]):
        b.rows[0].kind = "header"  # a generic table whose first row is repeated on each page
        b.header_keys.append(_row_key(rows[0]))
        first, j = b.first.rows, 1
        for k in range(1, min(s.max_header_rows, len(first))):  # ... with the levels under it
            if is_column_number_row([t for t in _cell_texts(first[k]) if t]):
                continue  # never a body row
            if not _sub_header(first[k], first[k - 1]) or j >= len(b.rows) or _pending_key(b.rows[j]) != _row_key(first[k]):
                break
            b.rows[j].kind = "header"
            b.header_keys.append(_row_key(first[k]))
            j += 1
    _add_body(b, frag, rows, pads, continuing=True, s=s)


def _first_row_repeats(b: _Builder, row: Row) -> bool:
    first = b.first.rows[0] if b.first.rows else None
    return first is not None and _row_key(first) != "" and fuzz.ratio(_row_key(first), _row_key(row)) >= 95


def _add_body(b: _Builder, frag: Fragment, rows: Sequence[Row], pads: Sequence[float], *, continuing: bool,
              s: TextTableSettings = TEXT) -> None:
    item_col = _item_col(b, s=s)
    at_top = continuing  # the first body row of a continuing fragment may finish a cut row
    above = b.rows[-1] if continuing and b.rows else None  # the last row before the page break
    placed: list[tuple[Row, _PendingRow]] = []
    slivers: list[Row] = []  # empty rows at the top: the padding of a cut row pushed over the break
    header_roles = _header_roles(b, s=s)
    heads = _headers(b) if b.header_keys else []  # each column's header text
    seen: Counter = Counter()  # words of the header's repeats on this page
    for k, row in enumerate(rows):
        texts = [(c.col, c.col_span, c.text) for c in row.cells]
        if any(t for _, _, t in texts) and _is_repeated_header(row, b.header_keys, header_roles, seen=seen,
                                                               heads=heads, s=s):
            b.header_repeats.append(texts)
            seen.update(_row_key(row).split())
            continue  # the header printed again inside the table
        if not any(t for _, _, t in texts):
            if not placed:
                slivers.append(row)
            continue  # empty rows
        kind = row_kind(texts, frag.n_cols, item_col, s=s)
        prev = b.rows[-1] if b.rows else None
        item_text = next((t for c, span, t in texts if c <= item_col < c + span), "")
        if at_top and prev is not None and (is_continuation(prev, row, kind, item_text, item_col, s=s)
                                            or _rest_of_number(b, prev, item_text, rows[k + 1:], item_col)
                                            or _rest_of_label(prev, item_text, item_col)):
            _append_continuation(prev, row, frag, pads)
            if prev.kind == "header":  # the header row itself was cut: match its repeats whole
                b.header_keys[-1] = _pending_key(prev)
            at_top = False
            placed.append((row, prev))
            continue
        at_top = False
        b.rows.append(_pending(row, frag, pads, kind))
        if continuing and not placed and b.foot_sliver is not None and b.foot_sliver[0] < frag.page:
            b.rows[-1].spans.insert(0, b.foot_sliver)  # the page before cut it above its first line
        placed.append((row, b.rows[-1]))
    _inherit_merged(placed, above, slivers[0] if slivers else None)
    b.foot_sliver = _foot_sliver(frag, rows, s=s)


def _foot_sliver(frag: Fragment, rows: Sequence[Row], *, s: TextTableSettings = TEXT) -> tuple[int, Box] | None:
    """(page, box) of the empty box that closes the fragment's body, lower than a line of text
    (`foot_sliver`), ruled as the table's rows are (a cell a column, a rule under it): the top
    of a row the page cut before its first line, whose text all stands on the next page. None
    if the body ends otherwise (white the page cut beside a merged cell, in no column's box:
    a browser's separate borders)."""
    if not rows or any(c.text or c.open_bottom or c.col_span > 1 for c in rows[-1].cells):
        return None
    row = rows[-1]
    return (frag.page, row.box) if row.box[3] - row.box[1] <= s.foot_sliver else None


def _merged_source(row: _PendingRow, col: int) -> _PendingCell | None:
    """The cell whose text `row` shows in column `col`: its own with text, or one merged over it."""
    own = row.cell_covering(col)
    if own is not None and own.raw_text:
        return own
    return next((c for c in row.inherited if c.col <= col < c.col + c.col_span), None)


def _inherit(row: _PendingRow, source: _PendingCell, col: int) -> None:
    """`row` shows the merged cell `source` in column `col` (its own empty piece there is dropped)."""
    own = row.cell_covering(col)
    if own is source or source in row.inherited:
        return
    if own is not None and own.raw_text:
        return
    if own is not None:
        row.cells.remove(own)
    row.inherited.append(source)


def _inherit_merged(placed: Sequence[tuple[Row, _PendingRow]], above: _PendingRow | None,
                    sliver: Row | None = None) -> None:
    """Rows covered by a merged cell inherit it, also across a page break.

    On one page, a cell of `row_span` > 1 covers the rows whose boxes start above its
    bottom. At the top of a continuing fragment, an empty cell below a cell the page
    cut open at the bottom (or open at the top itself, below a merged cell) is the
    rest of that cell: the row it belongs to, and the rows that rest covers, show the
    cell from the previous page. When an empty sliver comes first (only the padding of
    the cut row went over), the cut cells end there, unless a merged one goes on below.
    """
    if sliver is not None and above is not None:  # what the page cut went on in the sliver, not below it
        for c in sliver.cells:
            up = above.cell_covering(c.col) or _merged_over(above, c.col)  # its own, or one merged over it
            if c.row_span > 1 and up is not None and up.merged_open and (source := _merged_source(above, c.col)):
                for other, covered in placed:
                    if other.box[1] < c.box[3] - 1.0:
                        _inherit(covered, source, c.col)
        above = None
    for i, (row, pending) in enumerate(placed):
        for c in row.cells:
            source = _across_break(c, pending, above) if i == 0 and above is not None else None
            if c.row_span <= 1:
                continue
            source = source or pending.cell_covering(c.col) or _merged_source(pending, c.col)
            if source is None:
                continue
            for other, covered in placed[i + 1:]:
                if other.box[1] >= c.box[3] - 1.0:
                    break
                if covered is not pending:
                    _inherit(covered, source, c.col)


def _merged_over(row: _PendingRow, col: int) -> _PendingCell | None:
    return next((m for m in row.inherited if m.col <= col < m.col + m.col_span), None)


def _across_break(c: Cell, pending: _PendingRow, above: _PendingRow) -> _PendingCell | None:
    """Cell `c` of the first row on a page, under `above`, the last row before the break:
    if it is the rest of a merged cell the break cut, `pending` (its row) shows that cell
    and it is returned. Its text may stand on this side (centred over all its rows):
    then it moves to the merged cell, unless the same text already spilled below the
    previous page; so does text in lower case under a merged cell that holds text (the rest
    of its sentence, which the page cut)."""
    up = above.cell_covering(c.col)
    merged = _merged_over(above, c.col)
    if c.lines:
        up = up or merged
        own = pending.cell_covering(c.col)
        if pending is above or up is None or own is None or not up.merged_open:
            return None
        same = up.raw_text.split() == own.raw_text.split()
        if up.raw_text and not same and not own.raw_text[:1].islower():
            return None  # (text in lower case goes on with the merged cell's sentence: its rest)
        if not same:
            if up.raw_text and above.cell_covering(c.col) is up:  # its row goes on over the break there
                above.spans.extend((part.page, part.box) for part in own.parts)
            up.parts.extend(own.parts)
        up.open_bottom = up.merged_open = own.open_bottom
        pending.cells.remove(own)
        pending.inherited.append(up)
        return None  # the rows it covers below inherit it through `pending`
    if (up is not None and up.merged_open) or (merged is not None and (merged.open_bottom or c.open_top)):
        source = _merged_source(above, c.col)
        if source is not None and pending is not above:
            _inherit(pending, source, c.col)
        return source
    return None


def is_continuation(prev: _PendingRow, row: Row, kind: str, item_text: str, item_col: int = 0,
                    *, s: TextTableSettings = TEXT) -> bool:
    """Is `row`, first on a continuing page, the rest of `prev`, the row the page break cut?

    A new row starts with its number or label; the rest of a cut row has none there
    (or only what the cut left of it, e.g. the "." of "III."). The rest of a
    one-cell section row (no label cell) continues a sentence: it starts in lower
    case or with punctuation. A header row can be cut too (it is not repeated then):
    its rest looks like a header, or like a data row without a number.
    A blank number cell merged over several rows, under a numbered one the page closed
    with its rule, heads a group of rows of their own (the options scored under a
    criterion), not the rest of the numbered row: a cut cell goes on as one cell.
    """
    if prev.kind == "header" and kind == "data":
        if looks_like_header(_cell_texts(row), s=s):
            return True
        kind = "header"
    if prev.kind == "section" and kind == "data" and not _has_alnum(item_text):
        return _rest_of_heading(prev, row)
    if kind != prev.kind:
        return False
    if kind == "data" and _numbers_a_row(prev, row, s=s):
        return False
    if kind == "data" and _blank_group_under_number(prev, row, item_col, item_text):
        return False
    if [(c.col, c.col_span) for c in row.cells] != [(c.col, c.col_span) for c in prev.cells]:
        return kind == "data" and not _has_alnum(item_text)
    if len(row.cells) > 1 or kind != "section":
        return not _has_alnum(item_text)
    text = row.cells[0].text
    return bool(text) and (text[0].islower() or not text[0].isalnum())


def _rest_of_heading(prev: _PendingRow, row: Row) -> bool:
    """Is `row` (no number, first on a continuing page) the rest of the section row `prev` the
    page cut (its cells open at the foot): text only under the heading's cell across columns?"""
    if not any(c.open_bottom for c in prev.cells):
        return False
    held = [c for c in row.cells if c.text.strip()]
    return bool(held) and all((own := prev.cell_covering(c.col)) is not None and own.col_span > 1
                              and c.col + c.col_span <= own.col + own.col_span for c in held)


def _cut_pieces(prev: _PendingRow, item_text: str, item_col: int) -> tuple[str, str]:
    """(the item cell's text of `prev`, the text `item_text` first on the next page), spaces
    left out: the two pieces of a number or label the page break may have cut."""
    own = prev.cell_covering(item_col)
    return (own.raw_text if own else "").replace(" ", ""), item_text.replace(" ", "")


def _rest_of_number(b: _Builder, prev: _PendingRow, item_text: str, below: Sequence[Row], item_col: int) -> bool:
    """Is `item_text`, first on a continuing page, the rest of the number of `prev`, the row the
    page break cut inside its number ("4" at the foot of the page, "2" at the head of the next:
    a narrow column wrapped 42)? The numbering says so: the pieces glued are the number after
    the row above `prev` (past its sub-items: `_number_before`; or the one before the next
    row's), and neither piece alone is."""
    head, rest = _cut_pieces(prev, item_text, item_col)
    if prev.kind != "data" or not (head.isdigit() and rest.isdigit()) or len(head + rest) > 6:
        return False
    glued = int(head + rest)
    above = _number_before(b.rows[:-1], item_col)
    if above.isdigit():
        return glued == int(above) + 1 and int(head) != int(above) + 1
    nxt = next((t for r in below for c in r.cells if c.col <= item_col < c.col + c.col_span
                if (t := c.text.replace(" ", ""))), "")
    return nxt.isdigit() and glued + 1 == int(nxt) and int(rest) + 1 != int(nxt)


def _number_before(rows: Sequence[_PendingRow], item_col: int) -> str:
    """The text of the item cell of the last of `rows` (the rows above a row) that is a data
    row, passing over sub-items ("(1)", "(2)" under item 110: the numbering goes on past them
    to 111); "" when it is no data row or none is left."""
    for row in reversed(rows):
        cell = row.cell_covering(item_col) if row.kind == "data" else None
        text = cell.raw_text.replace(" ", "") if cell is not None else ""
        if not SUB_ITEM.match(text):
            return text
    return ""


def _rest_of_label(prev: _PendingRow, item_text: str, item_col: int) -> bool:
    """Is `item_text`, first on a continuing page, the rest of a sub-item's label the page break
    cut in `prev` ("(" at the foot of the page, "1)" at the head of the next)? The start of a
    label is no label alone (`grid.LABEL_START`); glued, the two pieces are one ("(1)")."""
    head, rest = _cut_pieces(prev, item_text, item_col)
    return (prev.kind == "data" and LABEL_START.match(head) is not None and bool(rest)
            and SUB_ITEM.match(head + rest) is not None)


def _numbers_a_row(prev: _PendingRow, row: Row, *, s: TextTableSettings = TEXT) -> bool:
    """Does `row` start with a number of its own where `prev` has none (a sub-account
    "1331" under "07 133": no item number, yet no continuation either), or one counting
    on from `prev`'s ("4212" under "4211")?"""
    for c in row.cells:
        if c.col < s.anchor_cols and c.lines and is_anchor(c.lines[0].text):
            above = prev.cell_covering(c.col)
            if above is None or not above.raw_text.strip() or _counts_on(above.raw_text, c.lines[0].text):
                return True
    return False


def _blank_group_under_number(prev: _PendingRow, row: Row, item_col: int, item_text: str) -> bool:
    """Does `row` start with a blank number cell merged over rows below it, under a numbered
    cell of `prev` that its rule closed (not a merged cell the page cut open)?"""
    cell, above = row.cell_at(item_col), prev.cell_covering(item_col)
    return (cell is not None and cell.row_span > 1 and not cell.open_top and not _has_alnum(item_text)
            and above is not None and _has_alnum(above.raw_text) and not above.open_bottom)




def _counts_on(above: str, text: str) -> bool:
    """Is `text` a number after the last number of the cell above ("4212" under "4211"):
    the numbering going on over a page break, not the rest of a cut row."""
    a, b = PLAIN_NUMBER.match((above.split() or [""])[-1]), PLAIN_NUMBER.match(text.replace(" ", ""))
    return a is not None and b is not None and int(b.group(1)) > int(a.group(1))


def _pending_key(row: _PendingRow) -> str:
    texts = (c.raw_text for c in row.cells)
    return " ".join(t for t in texts if t).lower()


def _has_alnum(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _append_continuation(prev: _PendingRow, row: Row, frag: Fragment, pads: Sequence[float]) -> None:
    for c in row.cells:
        target = prev.cell_covering(c.col)
        if target is None:
            if not c.lines and any(m.col <= c.col < m.col + m.col_span for m in prev.inherited):
                continue  # the rest of a merged cell the row already shows
            pad = pads[c.col]
            prev.cells.append(_PendingCell(c.col, c.col_span, c.box[0] + pad, c.box[2] - pad,
                                           [_Part(frag.page, c.box, c.lines)], c.open_bottom,
                                           c.open_bottom and c.row_span > 1))
            prev.cells.sort(key=lambda x: x.col)
        else:
            target.parts.append(_Part(frag.page, c.box, c.lines))
            target.open_bottom = c.open_bottom
            target.merged_open = c.open_bottom and (target.merged_open or c.row_span > 1)
    prev.spans.append((frag.page, row.box))


def header_texts(header_rows: Iterable[Sequence[tuple[int, int, str]]], n_cols: int) -> list[str]:
    """Each column's header text from the header rows' (col, span, text) cells, top to bottom.

    A spanning cell heads every column under it, and a two-level header reads "Parent /
    Child" ("Cơ quan thực hiện / Cơ quan chủ trì", "Cơ quan thực hiện / Cơ quan phối
    hợp"); a column-number row "(1) (2) …" adds nothing.
    """
    heads = [""] * n_cols
    parent = [False] * n_cols  # the column's text so far is that of a cell over several columns
    for cells in header_rows:
        if is_column_number_row([t for _, _, t in cells if t]):
            continue
        for col, span, text in cells:
            for k in range(col, min(col + span, n_cols)):
                if text and text not in heads[k]:
                    joint = " / " if parent[k] and span == 1 else " "
                    heads[k] = f"{heads[k]}{joint}{text}" if heads[k] else text
                    parent[k] = span > 1
    return heads


def _leading_headers(rows: Sequence) -> list:
    return list(takewhile(lambda r: r.kind == "header", rows))


def _headers(b: _Builder) -> list[str]:
    rows = ([(c.col, c.col_span, c.raw_text) for c in r.cells]
            for r in _leading_headers(b.rows))
    return header_texts(rows, b.first.n_cols)


def _finish(b: _Builder, table_no: int, *, s: TextTableSettings = TEXT) -> LogicalTable:
    covers: dict[int, int] = {}  # id of a merged cell -> rows below that inherit it
    for r in b.rows:
        for m in r.inherited:
            covers[id(m)] = covers.get(id(m), 0) + 1
    done = {id(c): c.finish(1 + covers.get(id(c), 0), s=s) for r in b.rows for c in r.cells}
    rows = tuple(
        LogicalRow(r.kind, tuple(done[id(c)] for c in r.cells), tuple(_merge_spans(r.spans)),
                   tuple(done[id(m)] for m in r.inherited if id(m) in done))
        for r in b.rows
    )
    leading = _leading_headers(rows)
    heads = header_texts(([(c.col, c.col_span, c.text) for c in r.cells] for r in leading), b.first.n_cols)
    if len(leading) == 1:
        heads = _carry_header_roles(heads, b.header_repeats, b.first.n_cols, s=s)
    if not leading and b.borrowed:
        heads = list(b.borrowed)
    return LogicalTable(table_no, b.first.n_cols, tuple(split_spans(heads, s=s)), rows)


def _carry_header_roles(heads: list[str], repeats: Sequence[Sequence[tuple[int, int, str]]], n_cols: int,
                        *, s: TextTableSettings = TEXT) -> list[str]:
    """A column whose header (OCR'd past recognition) gives it no role takes the text of a
    repeat of the header on a later page that gives it a role no other column has."""
    out = list(heads)
    for repeat in repeats:
        roles = column_roles(out, s=s)
        if all(roles):
            break
        if is_column_number_row([t for _, _, t in repeat if t]):
            continue
        again = column_roles(header_texts([repeat], n_cols), s=s)
        for k, role in enumerate(again):
            if roles[k] is None and role is not None and role not in roles:
                out[k] = header_texts([repeat], n_cols)[k]
                roles[k] = role
    return out


def _merge_spans(spans: Sequence[tuple[int, Box]]) -> list[tuple[int, Box]]:
    out: dict[int, Box] = {}
    for page, box in spans:
        if page in out:
            a = out[page]
            out[page] = (min(a[0], box[0]), min(a[1], box[1]), max(a[2], box[2]), max(a[3], box[3]))
        else:
            out[page] = box
    return sorted(out.items())
