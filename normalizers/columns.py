"""Column meanings of a logical table: from its header, and on scans from what a column holds.

`extractors.headers.column_roles` gives each column its role from the header text. On
a scanned page OCR can damage a header cell past recognition; then the column's body
tells what it is: a column without a role whose cells mostly read as deadlines
("Quý II/2025", "Thường xuyên", "31/10/2025", after `repair.repair_deadline_text`) is the
deadline column of a table that has none, and one whose cells mostly name bodies of the
agency registry ("Bộ Công an", "UBND các tỉnh") is the lead column of a table that has
none (the coordinating column, when both are unnamed, stands to its right: the
leftmost of equals is the lead); a first column without a role whose cells mostly read
as item numbers ("STT" OCR'd to nothing in a narrow cell of a 100-dpi scan) is the
item-number column of a table that has none; and in a table with an item-number column but
no name column (its header word OCR'd past recognition: "NHII!M VỤ" under a seal), the column
without a role that holds the longest text, words of prose in most rows, is the name column
(a task table prints its tasks as its widest column of long text). Only tables read by OCR
are inferred so: on a
text page the header is exactly as printed, and a column it does not name (a date of
issue, a period) keeps no role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from extractors.headers import column_roles
from extractors.stitch import LogicalTable

from .agencies import resolve_agencies
from .deadlines import parse_deadline
from .repair import repair_deadline_text


@dataclass(frozen=True)
class ColumnSettings:
    min_cells: int = 3  # filled body cells a column needs before its content says anything
    deadline_share: float = 0.75  # of them that must read as deadlines
    agency_share: float = 0.75  # ... or name registry bodies, every word of the cell matched
    item_share: float = 0.6  # ... or, in the first column, read as item numbers (OCR misreads some)
    name_words: float = 4.0  # mean words of its filled cells for a column to be taken as the name column
    name_width: float = 0.9  # ... and its width, of the table's widest column's, at least


SETTINGS = ColumnSettings()
_NOT_A_DEADLINE = ("none", "unparsed")


def _share(cells: Iterable[str], hit) -> tuple[float, int]:
    filled = [c for c in cells if c and c.strip()]
    if not filled:
        return 0.0, 0
    return sum(bool(hit(c)) for c in filled) / len(filled), len(filled)


def deadline_share(cells: Iterable[str]) -> tuple[float, int]:
    """(share of the filled cells that read as a deadline, number of filled cells)."""
    return _share(cells, lambda c: parse_deadline(repair_deadline_text(c)).kind not in _NOT_A_DEADLINE)


def agency_share(cells: Iterable[str]) -> tuple[float, int]:
    """(share of the filled cells that name registry bodies and nothing else, number of filled cells)."""
    def names_bodies(c: str) -> bool:
        found = resolve_agencies(c)
        return bool(found.names) and not found.unmatched

    return _share(cells, names_bodies)


_ITEM = re.compile(r"^(\(?\d{1,3}[.)]?|[IVXLC]{1,5}\.?|[A-ZĐ]\.?)$")


def item_share(cells: Iterable[str]) -> tuple[float, int]:
    """(share of the filled cells that read as an item number: "12", "(3)", "IV", "B", number of filled cells)."""
    return _share(cells, lambda c: _ITEM.match(c.replace(" ", "")))


def roles_from_content(roles: Sequence[str | None], columns: Sequence[Sequence[str]],
                       s: ColumnSettings = SETTINGS, widths: Sequence[float] | None = None) -> list[str | None]:
    """`roles` with the item-number role given to the first column when it has no role, its
    cells read as item numbers (`item_share`) and the table has none; the deadline role given
    to the column without a role whose body cells (`columns[k]`: the texts of column k's data
    rows) read as deadlines best, if the table has no deadline column and that column reaches
    `deadline_share` of `min_cells` cells; then the lead role likewise to the column that names
    registry bodies best (`agency_share`), the leftmost of equals; last, in a table with an
    item-number column and no name column, the name role to the column of longest text
    (`name_column`)."""
    out = list(roles)
    if "item_no" not in out and out and out[0] is None and columns:
        share, n = item_share(columns[0])
        if n >= s.min_cells and share >= s.item_share:
            out[0] = "item_no"
    for role, share_of, least in (("deadline", deadline_share, s.deadline_share),
                                  ("lead", agency_share, s.agency_share)):
        if role in out:
            continue
        best: tuple[float, int] | None = None
        for k, have in enumerate(out):
            if have is not None or k >= len(columns):
                continue
            share, n = share_of(columns[k])
            if n >= s.min_cells and share >= least and (best is None or share > best[0]):
                best = (share, k)
        if best is not None:
            out[best[1]] = role
    if "name" not in out and "item_no" in out:
        k = name_column(out, columns, s, widths)
        if k is not None:
            out[k] = "name"
    return out


def mean_words(cells: Iterable[str]) -> tuple[float, int]:
    """(mean number of words of the filled cells, number of filled cells)."""
    filled = [c for c in cells if c and c.strip()]
    if not filled:
        return 0.0, 0
    return sum(len(c.split()) for c in filled) / len(filled), len(filled)


def name_column(roles: Sequence[str | None], columns: Sequence[Sequence[str]],
                s: ColumnSettings = SETTINGS, widths: Sequence[float] | None = None) -> int | None:
    """The column without a role whose filled cells hold the most words on average, if it has
    `min_cells` of them and `name_words` words each on average (the leftmost of equals), and,
    where the columns' `widths` are known, it is (within `name_width`) the table's widest."""
    best: tuple[float, int] | None = None
    for k, have in enumerate(roles):
        if have is not None or k >= len(columns):
            continue
        words, n = mean_words(columns[k])
        if n >= s.min_cells and words >= s.name_words and (best is None or words > best[0]):
            best = (words, k)
    if best is None:
        return None
    if widths and len(widths) == len(roles) and widths[best[1]] < s.name_width * max(widths):
        return None
    return best[1]


def table_roles(table: LogicalTable, read_by_ocr: bool) -> list[str | None]:
    """Role of each column of `table`: from its header, and for a table read by OCR, from the
    content of columns the header leaves without a role (see the module docstring)."""
    roles = column_roles(table.headers)
    if not read_by_ocr or all(roles):
        return roles
    data = [r for r in table.rows if r.kind == "data"]
    columns = [[r.text_at(k) for r in data] for k in range(table.n_cols)]
    return roles_from_content(roles, columns, widths=column_widths(table))


def column_widths(table: LogicalTable) -> list[float] | None:
    """Median width of each column's one-column cells (their boxes on their pages), or None
    where a column has no such cell."""
    out = []
    for k in range(table.n_cols):
        w = sorted(c.box[2] - c.box[0] for r in table.rows for c in r.cells if c.col == k and c.col_span == 1)
        if not w:
            return None
        out.append(w[len(w) // 2])
    return out
