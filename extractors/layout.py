"""Plain data types that the extractors produce: words, lines, cells, table fragments, pages.

Coordinates are PDF points with the origin at the top-left of the page (pdfplumber's
convention): x grows to the right, `top`/`bottom` grow downwards. Everything here is
plain, picklable data so that pages can be read in worker processes and stored by
the pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Box = tuple[float, float, float, float]  # x0, top, x1, bottom
POINTS_PER_INCH = 72.0  # PDF user space: a point is 1/72 inch (PDF 32000-1, 8.3.2.3)


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    first_char_width: float  # width of the first glyph, to judge what would have fit
    last_char_width: float
    # where the word is drawn: "content" (the page's content stream, or its image read by OCR)
    # or "annotation" (the appearance of an annotation over the page: a signing system's
    # stamp of the number and the day in a signature widget)
    source: str = "content"

    def __reduce__(self):  # pickled as its fields (a slotted dataclass's default state is slower to pickle)
        if self.source == "content":
            return (Word, (self.text, self.x0, self.top, self.x1, self.bottom, self.first_char_width, self.last_char_width))
        return (Word, (self.text, self.x0, self.top, self.x1, self.bottom, self.first_char_width, self.last_char_width,
                       self.source))

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def yc(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True, slots=True)
class Line:
    """Words on one visual line, left to right."""

    words: tuple[Word, ...]

    def __reduce__(self):
        return (Line, (self.words,))

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def box(self) -> Box:
        return (
            min(w.x0 for w in self.words),
            min(w.top for w in self.words),
            max(w.x1 for w in self.words),
            max(w.bottom for w in self.words),
        )


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of a ruled table on one page; `lines` are the text lines inside it."""

    box: Box
    col: int  # first grid column it covers (0-based)
    col_span: int
    lines: tuple[Line, ...]
    row_span: int = 1  # grid rows of its fragment it covers (a merged cell: more than one)
    open_top: bool = False  # no rule above it: the page cut it (its box is closed by the content edge)
    open_bottom: bool = False  # no rule below it: the page cut it

    def __reduce__(self):
        return (Cell, (self.box, self.col, self.col_span, self.lines, self.row_span, self.open_top, self.open_bottom))

    @property
    def text(self) -> str:
        """The lines joined by spaces, as printed (word cuts not yet mended)."""
        return " ".join(l.text for l in self.lines)


@dataclass(frozen=True, slots=True)
class Row:
    """One row of a table fragment: its cells left to right (spanning cells once).

    A cell merged over several rows belongs to the first of them; `box` is the row's
    own extent (down to the first rule below it), not the merged cell's."""

    box: Box
    cells: tuple[Cell, ...]

    def __reduce__(self):
        return (Row, (self.box, self.cells))

    def cell_at(self, col: int) -> Cell | None:
        for c in self.cells:
            if c.col <= col < c.col + c.col_span:
                return c
        return None


@dataclass(frozen=True, slots=True)
class Fragment:
    """The part of a ruled table that lies on one page."""

    page: int  # 1-based
    box: Box
    col_edges: tuple[float, ...]  # x of the vertical rules, left to right (n_cols + 1)
    rows: tuple[Row, ...]
    ruled: bool = True  # False: no vertical rules, the column edges come from the text's gutters
    banded: bool = False  # a table ruled around its header only (or its part on a later page): `headed`
    framed: bool = False  # a table ruled between its rows only (`grid.rule_only_table`): no page carries over it
    one_row: bool = False  # framed: a header over one row, as a table ruled around its header only shows it too
    # (which of the two the document tells: `headed.carry_columns`)

    @property
    def n_cols(self) -> int:
        return len(self.col_edges) - 1


@dataclass(frozen=True, slots=True)
class PageContent:
    """What one page holds once read: prose lines (outside tables) and table fragments."""

    page: int  # 1-based
    width: float
    height: float
    method: str  # "text" | "ocr" | "failed"
    n_chars: int
    lines: tuple[Line, ...] = ()  # text lines outside tables, top to bottom (furniture removed)
    fragments: tuple[Fragment, ...] = ()
    error: str | None = None
    furniture: tuple[str, ...] = field(default=())  # page numbers, running headers removed
    furniture_boxes: tuple[Box, ...] = field(default=())  # where each furniture line stood (same order)
