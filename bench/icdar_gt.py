"""The ICDAR 2013 table-competition ground truth, and which of its tables are ruled.

`<doc>-str.xml` gives each table region (one per page: a table continuing over pages
is annotated as one region per page) with its cells: grid position, the bounding box
of the cell's *text* (PDF points, origin bottom-left) and the text. Boxes are turned
here into pdfplumber's top-left convention.

A table is *ruled* when drawn rules separate (nearly) every pair of adjacent columns
and every pair of adjacent rows: in the gap between the text of column k and column
k+1 there are vertical rules (`is_rule`: lines, curves, rectangle outlines and thin
filled rectangles, in a colour other than white) covering at least `RULE_COVER` of
the table's height, and likewise horizontal rules for rows. Backgrounds (white cell
rectangles, coloured bands) do not rule a table. This uses only the drawing, not any
table finder, so it favours none of the tools compared.

For the documents with an "a"/"b" pair of XML files (two annotations of the same
PDF), the "a" annotation is used.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

Box = tuple[float, float, float, float]  # x0, top, x1, bottom (top-left origin)

RULE_COVER = 0.3  # fraction of the table's height (width) the rules in a gap must cover
RULE_SLACK = 2.0  # points: a rule may sit this far outside the text gap
MIN_RULED_FRACTION = 0.9  # of the column gaps and of the row gaps that must hold a rule
MAX_RULE_WIDTH = 2.0  # points: a filled rectangle thicker than this both ways is a background
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@dataclass(frozen=True)
class GtCell:
    page: int
    box: Box  # the box of the cell's text
    text: str
    start_row: int
    start_col: int
    end_row: int
    end_col: int


@dataclass(frozen=True)
class GtTable:
    page: int
    cells: tuple[GtCell, ...]

    @property
    def box(self) -> Box:
        return (
            min(c.box[0] for c in self.cells),
            min(c.box[1] for c in self.cells),
            max(c.box[2] for c in self.cells),
            max(c.box[3] for c in self.cells),
        )


def norm(text: str | None) -> str:
    """Whitespace-normalised text: the form in which cell texts are compared."""
    return " ".join((text or "").split())


def structure_xml(pdf: Path) -> Path:
    """The structure ground truth of a PDF (`us-011a.pdf` -> `us-011a-str.xml`)."""
    return pdf.with_name(f"{pdf.stem}-str.xml")


def _number(value: str) -> float:
    """A coordinate; a few files have stray characters after the digits ("26ß")."""
    return float(_NUMBER.match(value.strip()).group())


def load_tables(xml_path: Path, page_heights: Sequence[float]) -> list[GtTable]:
    """Every table region of the ground truth, with top-left boxes (`page_heights[i]` is page i+1's)."""
    tables = []
    for table in ET.parse(xml_path).getroot().iter("table"):
        for region in table.iter("region"):
            page = int(region.get("page"))
            height = page_heights[page - 1]
            cells = []
            for c in region.iter("cell"):
                bb = c.find("bounding-box")
                x1, y1, x2, y2 = (_number(bb.get(k)) for k in ("x1", "y1", "x2", "y2"))
                content = c.find("content")
                sr, sc = int(c.get("start-row")), int(c.get("start-col"))
                cells.append(GtCell(
                    page, (x1, height - y2, x2, height - y1), content.text if content is not None and content.text else "",
                    sr, sc, int(c.get("end-row", sr)), int(c.get("end-col", sc)),
                ))
            if cells:
                tables.append(GtTable(page, tuple(cells)))
    return tables


def _gaps(cells: Sequence[GtCell], axis: str) -> list[tuple[float, float]]:
    """(end of the text before, start of the text after) for each boundary between grid lines."""
    if axis == "col":
        first, last = min(c.start_col for c in cells), max(c.end_col for c in cells)
        ends = lambda k: [c.box[2] for c in cells if c.end_col == k]  # noqa: E731
        starts = lambda k: [c.box[0] for c in cells if c.start_col == k]  # noqa: E731
    else:
        first, last = min(c.start_row for c in cells), max(c.end_row for c in cells)
        ends = lambda k: [c.box[3] for c in cells if c.end_row == k]  # noqa: E731
        starts = lambda k: [c.box[1] for c in cells if c.start_row == k]  # noqa: E731
    out = []
    for k in range(first, last):
        before, after = ends(k), starts(k + 1)
        if before and after:
            out.append((max(before), min(after)))
    return out


def _covered(gap: tuple[float, float], rules: Sequence[tuple[float, float, float]], lo: float, hi: float) -> bool:
    """Do rules (position, start, end) inside the gap cover RULE_COVER of [lo, hi]?"""
    a, b = sorted(gap)
    total = sum(max(0.0, min(end, hi) - max(start, lo)) for pos, start, end in rules if a - RULE_SLACK <= pos <= b + RULE_SLACK)
    return total >= RULE_COVER * (hi - lo)


def _is_white(color) -> bool:
    """Gray 1, RGB (1, 1, 1) or CMYK (0, 0, 0, 0); None and patterns count as not white."""
    if isinstance(color, (int, float)):
        color = (color,)
    if not isinstance(color, (tuple, list)) or not color or not all(isinstance(v, (int, float)) for v in color):
        return False
    if len(color) == 4:
        return all(v <= 0.05 for v in color)
    return all(v >= 0.95 for v in color)


def is_rule(obj: dict) -> bool:
    """Does this drawing object draw a line a reader sees as a rule?

    Stroked lines, curves and rectangle outlines in a colour other than white, and
    thin filled rectangles (at most MAX_RULE_WIDTH across). A larger filled rectangle is
    a background: its sides are colour changes, not rules.
    """
    if obj.get("stroke", obj["object_type"] != "rect") and not _is_white(obj.get("stroking_color")):
        return True
    if obj["object_type"] == "rect" and obj.get("fill") and not _is_white(obj.get("non_stroking_color")):
        return min(obj["x1"] - obj["x0"], obj["bottom"] - obj["top"]) <= MAX_RULE_WIDTH
    return False


def rule_edges(page) -> list[dict]:
    """The edges (pdfplumber's form) of the rules drawn on a pdfplumber page."""
    from pdfplumber.utils import obj_to_edges

    return [e for obj in (*page.lines, *page.curves, *page.rects) if is_rule(obj) for e in obj_to_edges(obj)]


def ruled_fractions(table: GtTable, edges: Sequence[dict]) -> tuple[float, float]:
    """Fraction of column gaps and of row gaps that hold a rule (`edges` from `rule_edges`)."""
    x0, top, x1, bottom = table.box
    vertical = [(e["x0"], e["top"], e["bottom"]) for e in edges if e["orientation"] == "v"]
    horizontal = [(e["top"], e["x0"], e["x1"]) for e in edges if e["orientation"] == "h"]
    cols = [_covered(g, vertical, top, bottom) for g in _gaps(table.cells, "col")]
    rows = [_covered(g, horizontal, x0, x1) for g in _gaps(table.cells, "row")]
    frac = lambda xs: sum(xs) / len(xs) if xs else 0.0  # noqa: E731
    return frac(cols), frac(rows)


def is_ruled(table: GtTable, edges: Sequence[dict]) -> bool:
    cols, rows = ruled_fractions(table, edges)
    return cols >= MIN_RULED_FRACTION and rows >= MIN_RULED_FRACTION
