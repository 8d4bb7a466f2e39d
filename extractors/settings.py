"""Every tolerance of reading a document, in one frozen, validated settings object per stage.

Modelled on pdfplumber's `TableSettings` (pdfplumber/table.py): plain frozen dataclasses whose
`__post_init__` refuses a value of the wrong type or out of its range, so a typo fails at once
and not as a quietly different table. The stages:

- `TextTableSettings`: reading a page's text layer into words, ruled tables (`grid`), cell text
  (`celltext`), page furniture (`furniture`) and logical tables (`stitch`), and telling a
  scanned page from a text one (`document.is_scan`);
- `UnruledSettings` (`unruled`): tables without rules, in the words left outside the ruled ones;
- `ScanTableSettings`: laying the words OCR gives into a page and stitching scanned tables;
- `OcrSettings` (`ocr_cells`), `GridSettings` (`scan_grid`), `PrepSettings` (`scan_prep`):
  reading scanned pages (their classes live with the code that reads them).

`ExtractSettings` holds one of each; `DEFAULT` is what the pipeline runs with.
`extractors.document`'s entry points take a `settings` and hand each step its part; each
function has its part's default, so a test may call it directly. The settings are part of
the code version (`pipeline.runtime.versions`): `text_key()` of `extract_version` (every document is
read again), `ocr_key()` of `ocr_version` (only documents with scanned pages are).

Library constants are imported, not restated. Regular expressions and tables of characters
stay in their modules: they are no tolerances. This module holds values only (the code version
fingerprints them by value, not as source): what they mean is coded where they are used.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field, fields
from typing import TYPE_CHECKING

from pdfplumber.table import DEFAULT_SNAP_TOLERANCE, TABLE_STRATEGIES

if TYPE_CHECKING:
    from .ocr_cells import OcrSettings
    from .scan_grid import GridSettings
    from .scan_prep import PrepSettings
    from .unruled import UnruledSettings

def _setting(default, low: float | None = 0.0, high: float | None = None):
    """A numeric field whose value must lie in [low, high] (None: unbounded)."""
    return field(default=default, metadata={"range": (low, high)})


def _check(settings) -> None:
    """Each field of the type of its default (an int where an int is, a number where a float
    is, text where text is), finite, and within its declared range."""
    name = type(settings).__name__
    for f in fields(settings):
        value, default = getattr(settings, f.name), f.default
        if isinstance(default, bool) or isinstance(value, bool):
            ok = isinstance(value, bool) and isinstance(default, bool)
        elif isinstance(default, int):
            ok = isinstance(value, int)
        elif isinstance(default, float):
            ok = isinstance(value, (int, float)) and math.isfinite(value)
        elif isinstance(default, (str, tuple)):
            ok = isinstance(value, type(default))
        else:
            ok = True
        if not ok:
            raise TypeError(f"{name}.{f.name} must be like {default!r}, not {value!r}")
        low, high = f.metadata.get("range", (None, None))
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValueError(f"{name}.{f.name} = {value!r} is outside [{low}, {high}]")


@dataclass(frozen=True)
class TextTableSettings:
    """Tolerances of reading a text layer into words, ruled tables, cell text, page furniture
    and logical tables. Lengths are PDF points unless said otherwise."""

    # words (`words`): pdfplumber's word settings, tight enough to keep "13/7/" and "2025" apart
    # when a narrow column wrapped them, loose enough to keep a word's accented glyphs together
    x_tolerance: float = _setting(1.5)
    y_tolerance: float = _setting(2.5)
    # a word whose glyphs stand either side of a cell's ruled side, in white at least this wide around
    # it, is two words (a sheet's text runs up to the rule, the next cell's starts past it: "2025Bộ" is
    # "2025" "Bộ"; a side at a glyph's edge, with no white, cuts nothing: "20.4" stays whole)
    wall_white: float = _setting(0.5, 0.0, 1.5)
    # digits a stamp spaced apart ("1 5 6") are one number when the gaps between them are at most
    # this many digit widths (a stamp's letter spacing; a real space between numbers is wider)
    stamp_digit_gap: float = _setting(1.6)

    # ruled tables (`grid`): pdfplumber's strategies, rules only (task tables are fully ruled)
    vertical_strategy: str = "lines"
    horizontal_strategy: str = "lines"
    edge_tol: float = _setting(2.0)  # cell edges closer than this are the same rule
    snap: float = _setting(float(DEFAULT_SNAP_TOLERANCE))  # pdfplumber's snap/join tolerance, for closing open sides
    min_rule_length: float = _setting(20.0)  # shorter horizontal edges do not define an open side
    fill_tol: float = _setting(0.5)  # slack when testing that a rectangle lies inside another
    bridge: float = _setting(5.0)  # a vertical rule stopping this short of a horizontal one meets it
    ink_tol: float = _setting(0.25, 0.0, 1.0)  # rules whose colours differ by more (any RGB channel, 0-1) are drawn in two inks
    # vertical rules this long, crossing no rule, are a table's inside (a row taller than a page)
    min_open_rule: float = _setting(100.0)
    # ... and so are as many side by side with the same ends (a block of rows with column rules only)
    min_column_rules: int = _setting(4, 1)
    # ... down to one line of text where they take up, at most heading_gap below, column rules a heading row
    # across the columns stopped (the one-line row a page break leaves under a section row; the heading up to
    # section_max_lines lines at a loose pitch: four of 13 pt type at 1.5, with the cell padding)
    min_row_height: float = _setting(10.0)
    heading_gap: float = _setting(90.0)
    anchor_pad: float = _setting(2.0)  # a row split at an anchor line starts this far above it
    anchor_cols: int = _setting(3, 1)  # the columns where a row's number or date may stand
    blank_lines: float = _setting(1.5)  # line heights: a blank band this tall across a row split by anchors starts a row below it
    anchor_pitch: float = _setting(1.3)  # line heights: numbers closer than this, one under the other, may be one number wrapped
    pitch_slack: float = _setting(1.0)  # ... and so may pieces one line pitch apart (the box's own pitch) give or take this
    wrap_room: float = _setting(14.0)  # pt: pieces that fit side by side in their cell with this to spare (both paddings, a space) were never wrapped from one
    lead_in_min: float = _setting(0.8)  # line heights: text this far above a box's first number is the rest of a row the page cut
    glued_max: int = _setting(999, 1)  # an item number glued from pieces above this is two rows' numbers (96 over 97 is no 9697)
    rest_cost: float = _setting(0.5, 0.0, 1.5)  # the numbering's cost of reading a page's first pieces as the rest of a number the page cut (under 2, a number going on)
    # numbers centred in their rows (a sheet's vertically centred cells; `grid.numbers_centred`)
    level_tol: float = _setting(2.0)  # lines whose tops are this close stand level
    run_slack: float = _setting(1.0)  # white between two lines of a cell this much wider than its tightest parts two runs
    row_band: float = _setting(2.0)  # a white band across the other cells this many times a cell's tightest white (+ run_slack) is between rows
    # tables ruled between rows only (no vertical rules): columns from the text's gutters
    band_min_width: float = _setting(0.5, 0.0, 1.0)  # of the page width: shorter horizontal rules are no table's
    band_overlap: float = _setting(0.6, 0.0, 1.0)  # a rule joins a stack when it overlaps it by this share of the shorter
    min_gutter: float = _setting(5.0)  # a narrower white run between words is a space, not a column gap
    # ... unless the next column's text starts at its edge on most lines (a spreadsheet)
    narrow_gutter: float = _setting(1.5)
    edge_pad: float = _setting(0.9)  # of narrow_gutter: a border stands no further before its column's text where
    # the text of the column before ends within a point of it (a sheet pads its cells thinly: `grid.column_border`)
    space_gap: float = _setting(1.25)  # ... or a white run this many times the line's word space (a sheet pads cells thinly)
    gutter_dissent: int = _setting(8, 1)  # one row in this many may run text across a gutter
    prose_width: float = _setting(0.6, 0.0, 1.0)  # of a rule stack's width: lines running whole this wide between two rules are prose
    flush: float = _setting(1.0)  # a line starting this close to a rule stack's left end (or left of it) is no cell's padded text
    cut_gap: float = _setting(6.0)  # the first line of a cut row is this close to the rule (a cell padding)
    body_line_gap: float = _setting(2.2)  # line heights: a wider gap under a header's rule ends its rows
    body_min_lines: int = _setting(6, 1)  # lines under a header's rule that are rows, not one row the page cut
    cut_line_gap: float = _setting(0.8)  # line heights: the lines of a cut row follow each other this closely
    cut_pad: float = _setting(3.0)  # the open edge stands this far beyond the cut row's text

    # cell text (`celltext`): how far the cell's text width may be off (rules are drawn half a point wide)
    slack: float = _setting(1.0)

    # page furniture (`furniture`)
    margin_band: float = _setting(0.10, 0.0, 0.5)  # of the page height, at the top and at the bottom
    mid_page_share: float = _setting(0.5, 0.0, 1.0)  # of the pages: a line recurring on this many, anywhere on the page, is furniture
    mid_page_min: int = _setting(4, 1)  # ... and on at least this many
    mid_page_letters: int = _setting(4)  # ... holding at least this many letters

    # logical tables (`stitch`)
    col_tol: float = _setting(3.0)  # vertical rules this close are the same column boundary
    max_header_rows: int = _setting(3, 1)
    min_heading_letters: int = _setting(8, 1)  # a row holding only a heading in capitals this long is a section
    # a cell with no more letters and digits than this is a speck (of a seal, on a scan): beside a labelled
    # heading it makes no column; a scanned row under merged cells holding only specks is no row of its own
    scrap_chars: int = _setting(2)
    # a clipped piece of a cut merged cell (centred over all its rows) stands this close to the table
    spill_gap: float = _setting(60.0)
    ghost_rows: int = _setting(6)  # ... and repeats the text of one of the table's last rows
    max_block_gap: float = _setting(24.0)  # ruled blocks this close on one page, nothing between them, are one table
    # an empty box at the foot of a table's page, this low or lower (no line of text fits), is the top of the
    # row the page cut before its first line: that row, first on the next page, starts on this one
    foot_sliver: float = _setting(8.0)
    repeat_ratio: float = _setting(90.0, 0.0, 100.0)  # a row this close to the header (rapidfuzz ratio) is the header printed again
    repeat_ratio_bare: float = _setting(88.0, 0.0, 100.0)  # ... compared with spaces and marks left out (an OCR'd repeat)
    repeat_min_roles: int = _setting(3, 1)  # columns named alike by the header and a row before the row is taken for a repeat

    # header cells (`headers`): the roles their text names
    min_score: float = _setting(88.0, 0.0, 100.0)  # a role fits a header cell scoring this much (rapidfuzz, 0-100)
    max_extra_words: int = _setting(5)  # words a header cell may add to a known variant
    unmarked_penalty: float = _setting(3.0, 0.0, 100.0)  # a match only once tone and vowel marks are left out scores this much less
    span_split_score: float = _setting(95.0, 0.0, 100.0)  # each part of a header cell over several columns, split one part a column, names its role this well
    min_typed_cols: int = _setting(2, 1)  # columns whose body is all numbers under a worded first cell
    min_typed_body: int = _setting(2, 1)  # body rows needed to tell a column's type
    min_list_cols: int = _setting(3, 1)  # a numbered list's header names at least this many columns

    # scanned pages (`document.is_scan`)
    min_text_chars: int = _setting(20)  # a page with fewer characters than this and an image is a scan
    scan_image_cover: float = _setting(0.9, 0.0, 1.0)  # ... and so is a page covered by one image
    watermark_chars: int = _setting(200)  # ... with fewer characters than this (a watermark or a stamp)
    # tables ruled around their header only (`headed`); `flush` above holds for their cells too
    header_max_lines: int = _setting(20, 1)  # a header band holding more lines is a row of a table ruled between rows
    section_max_lines: int = _setting(4, 1)  # a longer run of lines running across the columns is prose, not a section heading
    section_pitch: float = _setting(0.6)  # line heights: a line this close under a section heading, its first column empty, wraps it
    columns_evidence: int = _setting(600, 1)  # body lines of a table over several pages that give its columns (the first ones)
    pad_search: float = _setting(12.0)  # a column's text starts this close after its edge found in the gutters
    repeat_share: float = _setting(0.8, 0.0, 1.0)  # of the words of two headers: shared this much, one header printed again
    header_space_evidence: int = _setting(40, 1)  # body lines that tell a narrow gutter in the header from a word space
    # of the body lines: the next column's text starts at one x just after a header gutter narrower than
    # min_gutter on this share of them at least, or the gutter is a word space of one header cell
    narrow_starts: float = _setting(0.15, 0.0, 1.0)
    header_spaces: float = _setting(2.0)  # word spaces of the header: a narrower gutter this many times as wide is two cells'
    row_gap: float = _setting(6.0)  # line heights: a wider gap between two lines that keep to the columns ends the table
    # line heights: a line running across the columns this much further down than the widest gap between rows
    # so far ends the table (when wider than body_line_gap, too): prose under it, not a section row
    row_slack: float = _setting(0.5)
    align_tol: float = _setting(0.5)  # points: words starting (or ending) this close keep to one edge

    def __post_init__(self) -> None:
        _check(self)
        for name in ("vertical_strategy", "horizontal_strategy"):
            if getattr(self, name) not in TABLE_STRATEGIES:
                raise ValueError(f"TextTableSettings.{name} must be one of {TABLE_STRATEGIES}")

    @property
    def pdfplumber_table(self) -> dict:
        """pdfplumber's table settings of the ruled tables."""
        return {"vertical_strategy": self.vertical_strategy, "horizontal_strategy": self.horizontal_strategy}



@dataclass(frozen=True)
class ScanTableSettings:
    """The words OCR gives laid into a page, and pieces of scanned tables stitched: each page of
    a scan is shifted, scaled and tilted on its own, so column rules are compared by their share
    of the table's width (`stitch.same_shape`)."""

    glyph_advance: float = _setting(1.2)  # a glyph's advance over the width of its ink (digits and letters of Times-like fonts)
    width_tol: float = _setting(0.02, 0.0, 1.0)  # each column edge within this share of the table's width
    scale_tol: float = _setting(0.04, 0.0, 1.0)  # the two tables' widths within this share of each other
    # a line above a continuation holding at most this many characters is a page number or a
    # speck of the scan, not text between the pieces
    mark_chars: int = _setting(4)
    # a word whose ink is this share of the page's median word height or less, read with less
    # confidence than `speck_confidence`, is a stroke of a seal or a speck of the scan, not text
    speck_height: float = _setting(0.45, 0.0, 1.0)
    speck_confidence: float = _setting(50.0, 0.0, 100.0)

    def __post_init__(self) -> None:
        _check(self)


def _unruled() -> UnruledSettings:
    from .unruled import SETTINGS
    return SETTINGS


def _ocr() -> OcrSettings:
    from .ocr_cells import SETTINGS
    return SETTINGS


def _scan_grid() -> GridSettings:
    from .scan_grid import SETTINGS
    return SETTINGS


def _scan_prep() -> PrepSettings:
    from .scan_prep import SETTINGS
    return SETTINGS


def _parts() -> dict[str, type]:
    from .ocr_cells import OcrSettings
    from .scan_grid import GridSettings
    from .scan_prep import PrepSettings
    from .unruled import UnruledSettings
    return {"text": TextTableSettings, "unruled": UnruledSettings, "scans": ScanTableSettings, "ocr": OcrSettings,
            "scan_grid": GridSettings, "scan_prep": PrepSettings}


@dataclass(frozen=True)
class ExtractSettings:
    """One settings object per stage of reading a document (the OCR's built on first use: their
    modules load OpenCV)."""

    text: TextTableSettings = field(default_factory=TextTableSettings)
    unruled: UnruledSettings = field(default_factory=_unruled)
    scans: ScanTableSettings = field(default_factory=ScanTableSettings)
    ocr: OcrSettings = field(default_factory=_ocr)
    scan_grid: GridSettings = field(default_factory=_scan_grid)
    scan_prep: PrepSettings = field(default_factory=_scan_prep)

    def __post_init__(self) -> None:
        for name, kind in _parts().items():
            part = getattr(self, name)
            if type(part) is not kind:
                raise TypeError(f"ExtractSettings.{name} must be a {kind.__name__}, not {type(part).__name__}")
            _check(part)
        if self.scan_prep.dpi != self.ocr.dpi:  # a prepared page is read, and mapped back, at the OCR's resolution
            raise ValueError(f"scan_prep.dpi {self.scan_prep.dpi} is not the OCR's {self.ocr.dpi}")

    def text_key(self) -> str:
        """Canonical text of the settings that every document's reading depends on."""
        return canonical(self.text, self.unruled)

    def ocr_key(self) -> str:
        """Canonical text of the settings that only scanned pages' reading depends on."""
        return canonical(self.scans, self.ocr, self.scan_grid, self.scan_prep)


def canonical(*parts) -> str:
    """The settings as sorted JSON, each under its class's name."""
    return json.dumps({type(p).__name__: asdict(p) for p in parts}, sort_keys=True, ensure_ascii=False)


TEXT = TextTableSettings()
SCANS = ScanTableSettings()


def __getattr__(name: str):
    """`DEFAULT` is built on first use (it loads the OCR modules); a test may replace it."""
    if name == "DEFAULT":
        value = globals()["DEFAULT"] = ExtractSettings()
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def default() -> ExtractSettings:
    """The settings the pipeline runs with (`DEFAULT`, looked up at each call)."""
    import sys

    return getattr(sys.modules[__name__], "DEFAULT")
