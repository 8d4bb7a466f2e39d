"""OCR of one scanned page: turned upright, deskewed, its grid found, its text read cell by cell.

`ocr_page_image` takes the rendered page (RGB or grey pixels) and returns a
plain, JSON-ready `dict`: the page size in points (upright), how it was turned and
tilted, the cell boxes of its ruled tables and its words with boxes (points, in the
upright, deskewed frame), and the map back to the page as scanned.

Text is read with Tesseract's Vietnamese model through tesserocr (the engine stays
loaded in the process: no start-up per call). Inside each table cell the cell alone
is read (page segmentation "block", or "single line" for one line of text), so a
lone "7" in a narrow number cell is not lost to the page layout analysis; an item
number cell that does not read as an item number is read again by the English model
among the characters of item numbers (the Vietnamese one reads "(1" as "q"), and, when
that is still no item number, read again whole (not cut to the box of its ink). A cell of
text whose block reading misread a line (ink of it left unread, a word over two lines) has
that line read again alone (`_by_lines`). Where the grid finds a cell over smaller ones (a
broken rule), the words it reads inside them are theirs, not read twice (`_without_overlaid`).
Outside the tables, the page with the tables whited out is read with the automatic
layout analysis (prose, the header block, headings).
"""

from __future__ import annotations

import logging
import math
import os
import re
import subprocess
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np

from . import scan_grid
from .layout import POINTS_PER_INCH

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OcrSettings:
    language: str = "vie"
    numbers_language: str = "eng"  # reads "(14)" and a lone "5" where the Vietnamese model does not
    dpi: int = 300  # pages are rendered at this resolution
    inset: int = 5  # pixels cut from each side of a cell (the rule and its blur)
    min_ink: int = 12  # ink pixels below which a cell is empty
    pad: int = 12  # white border around a cell image given to Tesseract
    item_width: float = 0.09  # a first column narrower than this share of the table holds item numbers
    item_chars: str = "0123456789().IVXABCDEFGH"
    word_confidence: float = 60.0  # a word read first with this much is re-read by the Vietnamese model only
    lone_confidence: float = 80.0  # a piece starting a line read with less is read again in context
    single_line: float = 1.5  # a cell whose ink is less tall than this many 12 pt lines is one line
    short_width: float = 108.0  # points: a one-line cell's ink narrower than this is short ("(4)", "12", "Xã")
    edge_band: int = 12  # pixels: a blob at most this thin, long along a cell's side and touching it,
    edge_touch: int = 3  # ... (within this many pixels) is a piece of a rule
    edge_rule_share: float = 0.8  # ... when it runs along this share of the side
    stem_share: float = 0.9  # a column of a Roman numeral's stem has ink in this share of the middle rows
    whole_item_confidence: float = 80.0  # an item cell read again whole is taken at this confidence or more
    unread_width: float = 18.0  # points: a cell's ink this wide along a line that no word read covers was lost
    #                             by the block reading (the cell is read again line by line: `_by_lines`)
    unread_gap: float = 6.0  # points: unread ink this close along a line is one piece of it
    mark_band: float = 0.5  # a band of ink less tall than this share of a cell's tallest is marks or dots
    #                         of the line nearest to it, not a line


SETTINGS = OcrSettings()
SPECK = re.compile(r"[.,:;'`~_]+")
ITEM = re.compile(r"^(\d{1,3}\.?|\(\d{1,2}\)|[IVX]{1,4}\.?|[A-H]\.?)$")  # 12, 12., (3), IV., B
ROMAN_READ = "IVXlHi"  # the letters of Roman numerals, and what their stems are read as ("l", "H", "i")


@lru_cache(maxsize=1)
def tessdata() -> str | None:
    """Tesseract's data folder, as the installed tesseract reports it (None: tesserocr's default)."""
    if os.environ.get("TESSDATA_PREFIX"):
        return os.environ["TESSDATA_PREFIX"]
    try:
        out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        log.debug("tesseract --list-langs failed", exc_info=True)
        return None
    m = re.search(r'"([^"]+)"', out)
    return m.group(1) if m else None


class Reader:
    """Tesseract engines kept loaded: Vietnamese text, and orientation detection."""

    def __init__(self, s: OcrSettings = SETTINGS):
        import tesserocr

        self.tesserocr = tesserocr
        self.s = s
        path = tessdata()
        kw = {"path": path} if path else {}
        self.api = tesserocr.PyTessBaseAPI(lang=s.language, psm=tesserocr.PSM.SINGLE_BLOCK, **kw)
        self.numbers_api = tesserocr.PyTessBaseAPI(lang=s.numbers_language, psm=tesserocr.PSM.SINGLE_LINE, **kw)
        self._osd_kw = kw
        self._osd = None

    def close(self) -> None:
        self.api.End()
        self.numbers_api.End()
        if self._osd is not None:
            self._osd.End()

    def orientation(self, grey: np.ndarray) -> int:
        """Degrees (0/90/180/270) to turn the page counter-clockwise to make it upright."""
        from PIL import Image

        if self._osd is None:
            self._osd = self.tesserocr.PyTessBaseAPI(lang="osd", psm=self.tesserocr.PSM.OSD_ONLY, **self._osd_kw)
        small = cv2.resize(grey, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
        self._osd.SetImage(Image.fromarray(small))
        found = self._osd.DetectOrientationScript() or {}
        return int(found.get("orient_deg", 0))

    def words(self, grey: np.ndarray, psm: int, whitelist: str = "", *,
              numbers: bool = False, keep_rows: bool = False) -> list[tuple[str, float, float, float, float, float]]:
        """(text, x0, top, x1, bottom, confidence) of every word Tesseract reads in the image
        (`numbers`: with the model for item numbers; `keep_rows`: no row of the image is
        dropped as noise, Tesseract's `textord_noise_rejrows`, which drops a line of plain
        text now and then: "giáo dục, ngân hàng, thuế, bảo hiểm, doanh" at 100 dpi)."""
        from PIL import Image

        tr = self.tesserocr
        api = self.numbers_api if numbers else self.api
        api.SetPageSegMode(psm)
        api.SetVariable("tessedit_char_whitelist", whitelist)
        api.SetVariable("textord_noise_rejrows", "0" if keep_rows else "1")
        api.SetImage(Image.fromarray(grey))
        api.SetSourceResolution(self.s.dpi)
        api.Recognize()
        out = []
        it = api.GetIterator()
        level = tr.RIL.WORD
        if it is None:
            return out
        for w in tr.iterate_level(it, level):
            try:
                text = w.GetUTF8Text(level)
            except RuntimeError:  # tesserocr's word with no text
                continue
            box = w.BoundingBox(level)
            if text and text.strip() and box:
                out.append((text.strip(), *map(float, box), float(w.Confidence(level))))
        return out


def _is_text(token: str) -> bool:
    """Two letters or more, not a Roman numeral: a header word ("STT"), not a number."""
    return sum(ch.isalpha() for ch in token) >= 2 and not re.fullmatch(r"[IVX]+\.?", token)


def _is_word(token: str) -> bool:
    """Two letters or more, one of them no letter of a Roman numeral nor a letter read for one
    (`ROMAN_READ`): a word ("ST", "TT", "STT"), not a Roman numeral read badly ("IH", "HI")."""
    return sum(ch.isalpha() for ch in token) >= 2 and any(ch.isalpha() and ch not in ROMAN_READ for ch in token)


def _to_page(words, dx: float, dy: float, pad: int) -> list[list]:
    return [[t, x0 - pad + dx, y0 - pad + dy, x1 - pad + dx, y1 - pad + dy, c] for t, x0, y0, x1, y1, c in words]


def _cell_words(reader: Reader, grey: np.ndarray, mask: np.ndarray, box, item: bool,
                soft: np.ndarray | None = None) -> list[list]:
    s = reader.s
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    x0, y0, x1, y1 = x0 + s.inset, y0 + s.inset, x1 - s.inset, y1 - s.inset
    if x1 - x0 < 4 or y1 - y0 < 4:
        return []
    raw = mask[y0:y1, x0:x1]
    sub = _without_edge_rules(raw, s)
    cell = grey[y0:y1, x0:x1]
    soft_cell = None if soft is None else soft[y0:y1, x0:x1]
    if sub is not raw:  # pieces of rules whited out of the image too
        removed = cv2.dilate(((raw > 0) & (sub == 0)).astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
        cell = np.where(removed, 255, cell).astype(np.uint8)
        if soft_cell is not None:
            soft_cell = np.where(removed, 255, soft_cell).astype(np.uint8)
    if int(np.count_nonzero(sub)) < s.min_ink:
        return []
    rows = np.flatnonzero(sub.any(axis=1))
    cols = np.flatnonzero(sub.any(axis=0))
    # the ink's own box, a little margin kept: less blank for Tesseract to look at
    m = 4
    ty0, ty1 = max(rows[0] - m, 0), min(rows[-1] + m + 1, sub.shape[0])
    tx0, tx1 = max(cols[0] - m, 0), min(cols[-1] + m + 1, sub.shape[1])
    crop = cell[ty0:ty1, tx0:tx1]
    padded = cv2.copyMakeBorder(crop, s.pad, s.pad, s.pad, s.pad, cv2.BORDER_CONSTANT, value=255)
    psm = reader.tesserocr.PSM
    one_line = (ty1 - ty0) < s.single_line * s.dpi / POINTS_PER_INCH * 12  # one short line: a number, a unit, "(3)"
    words = reader.words(padded, psm.SINGLE_LINE if one_line else psm.SINGLE_BLOCK)
    if not one_line and not item:
        words = _by_lines(reader, crop, sub[ty0:ty1, tx0:tx1], words)
    if one_line and (tx1 - tx0) < s.short_width * s.dpi / POINTS_PER_INCH and _doubtful(words, item, s):
        words = _best_reading(reader, padded, words, item)
    elif not item:
        words = _lone_letters_in_context(reader, padded, words)
    if item and one_line:
        if soft_cell is not None:
            words = _item_in_soft_ink(reader, soft_cell[ty0:ty1, tx0:tx1], words)
        words = _roman_by_stems(words, sub[ty0:ty1, tx0:tx1], s)
    elif item and (tx1 - tx0) < s.short_width * s.dpi / POINTS_PER_INCH:
        words = _wrapped_number(reader, crop, None if soft_cell is None else soft_cell[ty0:ty1, tx0:tx1],
                                sub[ty0:ty1, tx0:tx1], words)
    if item and words and not all(ITEM.match(w[0]) or _is_text(w[0]) for w in words):
        whole = _item_in_whole_cell(reader, cell, soft_cell)
        if whole:
            return _to_page(whole, x0, y0, s.pad)
    return _to_page(_without_specks(words), x0 + tx0, y0 + ty0, s.pad)


def _item_in_whole_cell(reader: Reader, cell: np.ndarray, soft: np.ndarray | None) -> list:
    """An item cell whose reading is no item number and no word, read again whole among the
    characters an item column holds (digits, Roman numerals, letters, dots, brackets): the
    cell's image is cut to the box of its ink, and at a low resolution the thin stroke of a
    small "7" falls under the ink threshold, so the box holds its bar alone, read as a letter
    ("Ắ", 3 pt tall). The whole cell as prepared is read as one line by the model for item
    numbers and by the text model, the cell as scanned (`soft`) by the model for item numbers;
    the reading that is an item number with the best confidence, `whole_item_confidence` or
    more, is returned (in the cell's padded frame), else none."""
    s = reader.s
    psm = reader.tesserocr.PSM.SINGLE_LINE
    pad = lambda image: cv2.copyMakeBorder(image, s.pad, s.pad, s.pad, s.pad, cv2.BORDER_CONSTANT, value=255)  # noqa: E731
    readings = [reader.words(pad(cell), psm, s.item_chars, numbers=True), reader.words(pad(cell), psm, s.item_chars)]
    if soft is not None:
        readings.append(reader.words(pad(soft), psm, s.item_chars, numbers=True))
    items = [r for r in readings if r and all(ITEM.match(w[0]) for w in r) and _confidence(r) >= s.whole_item_confidence]
    return max(items, key=_confidence) if items else []


def _line_bands(ink: np.ndarray) -> list[tuple[int, int]]:
    """Rows of ink separated by blank rows: the lines of a cell, top to bottom."""
    rows = ink.any(axis=1)
    out: list[tuple[int, int]] = []
    for y, on in enumerate(rows):
        if on and (not out or out[-1][1] < y):
            out.append((y, y + 1))
        elif on:
            out[-1] = (out[-1][0], y + 1)
    return out


def _side_by_side(image: np.ndarray, bands: list[tuple[int, int]], gap: int, fill: int) -> np.ndarray:
    """The lines `bands` of `image` set on one line, left to right, centred on one another."""
    height = max(b - a for a, b in bands)
    pieces = []
    for a, b in bands:
        top = (height - (b - a)) // 2
        piece = cv2.copyMakeBorder(image[a:b], top, height - (b - a) - top, 0, gap, cv2.BORDER_CONSTANT, value=fill)
        pieces.append(piece)
    return np.hstack(pieces)[:, :-gap] if gap else np.hstack(pieces)


def _wrapped_number(reader: Reader, crop: np.ndarray, soft: np.ndarray | None, ink: np.ndarray,
                    words: list) -> list:
    """An item number that a narrow column wrapped ("(1" over ")", "1" over "0") read as the one
    line it is: its lines set side by side and read as a one-line item cell is (a second look,
    the grey as scanned, Roman stems). Kept when that reads as an item number; the first reading
    stays otherwise (a word, a section label over two lines). Its box is the cell's ink.
    A word the column wrapped (its header, "ST" over "T") stays text: when both the first reading
    and the lines set side by side hold a word (`_is_word`), the lines are not read again among the
    characters of item numbers, where the letters of "STT" read as "I" and its stems as "II". A
    wrapped number does not read as a word both times ("(1" over "2)" reads "lại" / "2)" first,
    but "(12)" side by side)."""
    s = reader.s
    bands = _line_bands(ink)
    bands = [(a, b) for a, b in bands if 4 * (b - a) >= max(b - a for a, b in bands)]  # no speck is a line
    line = s.single_line * s.dpi / POINTS_PER_INCH * 12
    if not 2 <= len(bands) <= 3 or any(b - a >= line for a, b in bands):
        return words
    gap = max(2, int(round(0.05 * s.dpi / POINTS_PER_INCH * 12)))
    joined = _side_by_side(crop, bands, gap, 255)
    padded = cv2.copyMakeBorder(joined, s.pad, s.pad, s.pad, s.pad, cv2.BORDER_CONSTANT, value=255)
    got = reader.words(padded, reader.tesserocr.PSM.SINGLE_LINE)
    if any(_is_word(w[0]) for w in words) and any(_is_word(w[0]) for w in got):
        return words  # a word over two lines ("ST" over "T": the header of the column), read as one: no number
    if _doubtful(got, True, s):
        got = _best_reading(reader, padded, got, True)
    if soft is not None:
        got = _item_in_soft_ink(reader, _side_by_side(soft, bands, gap, 255), got)
    got = _roman_by_stems(got, _side_by_side(ink, bands, gap, 0), s)
    text = "".join(w[0] for w in got)
    if not got or not ITEM.match(text):
        return words
    h, w = crop.shape[:2]
    return [[text, s.pad, s.pad, s.pad + w, s.pad + h, min(w_[5] for w_ in got)]]


def _unread(ink: np.ndarray, words: list, s: OcrSettings) -> int:
    """Pixels of the widest piece of a cell's ink (`ink`, in the frame of the words: the crop
    padded by `s.pad`) that no word of the reading covers, along one line: ink columns none of
    the words covers, within `unread_gap` of one another, as one piece. A word taller than
    `single_line` lines (Tesseract's lines run into one another) covers nothing. Only the
    cells of text are so checked (`_by_lines`); an item cell has its own second looks."""
    k = s.dpi / POINTS_PER_INCH
    covered = np.zeros(ink.shape, bool)
    margin = int(round(1.5 * k))
    for _, x0, y0, x1, y1, _ in words:
        if y1 - y0 < s.single_line * 12 * k:
            covered[max(int(y0) - margin, 0):int(y1) + margin + 1, max(int(x0) - margin, 0):int(x1) + margin + 1] = True
    left = (ink > 0) & ~covered
    widest = 0
    for a, b in _line_bands(ink > 0):
        cols = np.flatnonzero(left[a:b].any(axis=0))
        if cols.size == 0:
            continue
        breaks = np.flatnonzero(np.diff(cols) > s.unread_gap * k)
        starts, ends = np.r_[cols[0], cols[breaks + 1]], np.r_[cols[breaks], cols[-1]]
        widest = max(widest, int((ends - starts + 1).max()))
    return widest


def _lines_of(ink: np.ndarray, s: OcrSettings) -> list[tuple[int, int]]:
    """The lines of a cell's ink, top to bottom (`_line_bands`): a band less tall than
    `mark_band` of the tallest (the marks over a line of capitals, a dot under one) is joined
    to the band nearest to it."""
    bands = _line_bands(ink)
    while len(bands) > 1:
        tallest = max(b - a for a, b in bands)
        short = [k for k, (a, b) in enumerate(bands) if b - a < s.mark_band * tallest]
        if not short:
            break
        k = short[0]
        above = bands[k][0] - bands[k - 1][1] if k > 0 else None
        below = bands[k + 1][0] - bands[k][1] if k + 1 < len(bands) else None
        j = k - 1 if below is None or (above is not None and above <= below) else k + 1
        lo, hi = min(k, j), max(k, j)
        bands[lo:hi + 1] = [(bands[lo][0], bands[hi][1])]
    return bands


def _by_lines(reader: Reader, crop: np.ndarray, ink: np.ndarray, words: list) -> list:
    """A cell of several lines whose block reading misread a line, that line read again alone.

    Each line of the cell's ink (`_lines_of`) holds the words of the reading that lie most on
    it. A line is misread when a word of the reading runs over it and the next (Tesseract took
    the marks over a line for a line of their own and read the letters under them with the
    line below), or when it holds ink at least `unread_width` wide that none of its words
    covers (`_unread`: words lost, or the line dropped as noise). Such a line is read again
    alone, as one line (a band taller than a line: as a block), no row of it dropped as noise;
    its words replace the reading's when they leave less of its ink unread (the strokes of a
    seal over a line are ink no reading covers: its first reading stays). A cell without such
    a line keeps its reading as it is."""
    s = reader.s
    k = s.dpi / POINTS_PER_INCH
    tall = s.single_line * 12 * k
    padded = cv2.copyMakeBorder(ink, s.pad, s.pad, s.pad, s.pad, cv2.BORDER_CONSTANT, value=0)
    bands = [(a + s.pad, b + s.pad) for a, b in _lines_of(ink > 0, s)]
    if len(bands) < 2:
        return words
    held: list[list] = [[] for _ in bands]
    misread = [False] * len(bands)
    for w in words:
        on = [max(0.0, min(w[4], b) - max(w[2], a)) for a, b in bands]
        if w[4] - w[2] >= tall:
            misread = [m or o > 0 for m, o in zip(misread, on)]
        elif max(on) > 0:
            held[on.index(max(on))].append(w)
    alone = [_band_alone(padded, a, b) for a, b in bands]
    unread = [_unread(only, mine, s) for only, mine in zip(alone, held)]
    misread = [m or u >= s.unread_width * k for m, u in zip(misread, unread)]
    if not any(misread):
        return words
    psm = reader.tesserocr.PSM
    out: list = []
    for j, (a, b) in enumerate(bands):
        if not misread[j]:
            out += held[j]
            continue
        # the line in the crop, to the middle of the gaps beside it: the text's image holds
        # more of the marks and dots than the ink the lines are found in
        y0 = 0 if j == 0 else (bands[j - 1][1] + a) // 2 - s.pad
        y1 = crop.shape[0] if j == len(bands) - 1 else (b + bands[j + 1][0]) // 2 - s.pad
        image = cv2.copyMakeBorder(crop[y0:y1], s.pad, s.pad, s.pad, s.pad, cv2.BORDER_CONSTANT, value=255)
        got = reader.words(image, psm.SINGLE_LINE if b - a < tall else psm.SINGLE_BLOCK, keep_rows=True)
        got = [(t, x0, wy0 + y0, x1, wy1 + y0, c) for t, x0, wy0, x1, wy1, c in got]
        out += got if _unread(alone[j], got, s) < unread[j] else held[j]
    return out


def _band_alone(padded: np.ndarray, a: int, b: int) -> np.ndarray:
    """The cell's ink of rows a..b alone (the rest blank): one line's ink."""
    alone = np.zeros_like(padded)
    alone[a:b] = padded[a:b]
    return alone


def _without_overlaid(read: list[tuple]) -> list:
    """The words of a table's cells, (cell box, its words) each, less the words a cell read where
    a smaller cell of the table lies: where a rule is broken (a header row's lower rule under one
    column) the grid finds, beside the cells the rules close, a cell over several of them (that
    column's header and the section row below, across the table), and both read the words there
    ("Nhiệm Nhiệm vụ vụ", and the rules' stubs as "\\"). A word whose middle lies inside a smaller
    cell than its own is that cell's to read. Cells that do not overlap keep every word."""
    if not read:
        return []
    boxes = np.array([box for box, _ in read], dtype=float).reshape(-1, 4)
    area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    out: list = []
    for (box, words), own in zip(read, area):
        if not words:
            continue
        inner = boxes[(area < own) & (boxes[:, 0] < box[2]) & (box[0] < boxes[:, 2])
                      & (boxes[:, 1] < box[3]) & (box[1] < boxes[:, 3])]
        if not len(inner):
            out += words
            continue
        mx = np.array([(w[1] + w[3]) / 2 for w in words])[:, None]
        my = np.array([(w[2] + w[4]) / 2 for w in words])[:, None]
        covered = ((inner[:, 0] <= mx) & (mx <= inner[:, 2]) & (inner[:, 1] <= my) & (my <= inner[:, 3])).any(axis=1)
        out += [w for w, c in zip(words, covered) if not c]
    return out


def _without_specks(words: list) -> list:
    """Words without a lone dot or tick far from the word before it on its line (a speck of
    the scan: punctuation sits against the word it follows)."""
    out = []
    for w in words:
        text, x0, y0, x1, y1, _ = w
        prev = out[-1] if out else None
        if prev is not None and SPECK.fullmatch(text) and prev[2] < y1 and prev[4] > y0 \
                and x0 - prev[3] > max(prev[4] - prev[2], y1 - y0):
            continue
        out.append(w)
    return out


def _without_edge_rules(sub: np.ndarray, s: OcrSettings) -> np.ndarray:
    """A cell's ink without what is left of its rules along its sides (a thick frame, a rule
    the eraser missed): blobs that touch a side, run along most of it and are thin across it."""
    h, w = sub.shape
    n, labels, stats, _ = cv2.connectedComponentsWithStats(sub, connectivity=8)
    thin, near = s.edge_band, s.edge_touch
    out = sub
    for k in range(1, n):
        x, y, bw, bh, _ = stats[k]
        vertical = bh >= s.edge_rule_share * h and bw <= thin and (x < near or x + bw > w - near)
        horizontal = bw >= s.edge_rule_share * w and bh <= thin and (y < near or y + bh > h - near)
        if vertical or horizontal:
            if out is sub:
                out = sub.copy()
            out[labels == k] = 0
    return out


def _doubtful(words: list, item: bool, s: OcrSettings) -> bool:
    """Whether a short one-line reading is worth a second look: no word, a word read with
    little confidence, or (in an item cell) something that is not an item number or a word."""
    if not words or min(w[5] for w in words) < s.lone_confidence:
        return True
    return item and not all(ITEM.match(w[0]) or _is_text(w[0]) for w in words)


def _best_reading(reader: Reader, image: np.ndarray, first: list, item: bool) -> list:
    """A short line read again, enlarged 1.5 and 2 times (small italic "(4)" is lost at print size).

    A word read with some confidence first ("STT", "Kg/ngườửnăm") keeps the Vietnamese model:
    the text with the best mean confidence over the sizes that read it wins ("STT" 79 stays
    against "SIT" 86 and 59). Otherwise (a number, "(6)", a piece read as "kì") the model for
    item numbers reads it too, and the reading with the best confidence wins, among those that
    read as item numbers in an item cell when there are any; a reading of punctuation alone
    never wins."""
    psm = reader.tesserocr.PSM.SINGLE_LINE
    big = cv2.resize(image, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    mid = cv2.resize(image, None, fx=1.5, fy=1.5, interpolation=cv2.INTER_CUBIC)
    readings = [first, _scaled(reader.words(big, psm), 0.5), _scaled(reader.words(mid, psm), 1 / 1.5)]
    word = any(_is_text(w[0]) for w in first) and min(w[5] for w in first) >= reader.s.word_confidence
    if not word:
        chars = reader.s.item_chars
        readings += [reader.words(image, psm, chars, numbers=True), _scaled(reader.words(big, psm, chars, numbers=True), 0.5)]
    readings = [r for r in readings if r and any(ch.isalnum() for w in r for ch in w[0])]
    if not readings:
        return first
    if word:
        by_text: dict[str, list] = {}
        for r in readings:
            by_text.setdefault(" ".join(w[0] for w in r), []).append(r)
        return max(by_text.values(), key=lambda rs: sum(_confidence(r) for r in rs) / len(rs))[0]
    if item and any(all(ITEM.match(w[0]) for w in r) for r in readings):
        readings = [r for r in readings if all(ITEM.match(w[0]) for w in r)]
    return max(readings, key=_confidence)


def _item_in_soft_ink(reader: Reader, crop: np.ndarray, words: list) -> list:
    """An item number read again in the cell's grey as scanned (not whited out where the ink
    threshold ends): the thin, pale strokes of a small number scanned at a low resolution fall
    under the threshold, and what is left reads as another digit or a letter ("3" as "4", "2"
    as "F", "6" as "Á"). Read as one word by the text model and as one line by the model for
    item numbers among their characters; the reading that is an item number with the best
    confidence wins. The first reading stays when none is, when it is a word ("STT") or a
    Roman numeral of two letters or more (a section), and a lone "I" (a section, or a thin
    "1") when no reading is more confident."""
    if any(_is_text(w[0]) or re.fullmatch(r"[IVX]{2,}\.?", w[0]) for w in words):
        return words
    s = reader.s
    psm = reader.tesserocr.PSM
    padded = cv2.copyMakeBorder(crop, s.pad, s.pad, s.pad, s.pad, cv2.BORDER_CONSTANT, value=255)
    readings = [reader.words(padded, psm.SINGLE_WORD), reader.words(padded, psm.SINGLE_LINE),
                reader.words(padded, psm.SINGLE_LINE, s.item_chars, numbers=True)]
    items = [r for r in readings if r and all(ITEM.match(w[0]) for w in r)]
    if not items:
        return words
    best = max(items, key=_confidence)
    if len(words) == 1 and words[0][0].rstrip(".") == "I" and _confidence(best) <= words[0][5]:
        return words
    return best


def _confidence(words: list) -> float:
    return sum(w[5] for w in words) / len(words)


def _scaled(words: list, k: float) -> list:
    return [(t, x0 * k, y0 * k, x1 * k, y1 * k, c) for t, x0, y0, x1, y1, c in words]


def _roman_by_stems(words: list, ink: np.ndarray, s: OcrSettings) -> list:
    """A Roman item number of upright stems whose serifs touch ("II" read as "H", "III" as
    "II"): when the reading is one word of I, l, H or | only, the stems are counted across
    the middle of the ink, and the number is that many I's."""
    if len(words) != 1 or not re.fullmatch(r"[IlH|]{1,3}\.?", words[0][0]):
        return words
    rows = np.flatnonzero(ink.any(axis=1))
    if rows.size == 0:
        return words
    top, bottom = rows[0], rows[-1] + 1
    band = ink[top + (bottom - top) * 3 // 10: top + (bottom - top) * 7 // 10] > 0
    if band.shape[0] == 0:
        return words
    stem = band.mean(axis=0) >= s.stem_share
    runs = int(np.count_nonzero(stem[1:] & ~stem[:-1]) + stem[0])
    if not 1 <= runs <= 3 or words[0][0].rstrip(".") in ("1", "l") and runs == 1:
        return words
    dot = "." if words[0][0].endswith(".") else ""
    return [("I" * runs + dot, *words[0][1:])]


def _lone_letters_in_context(reader: Reader, image: np.ndarray, words: list) -> list:
    """One or two characters starting a line (the end of a word a narrow column cut:
    "Thán" / "g", "Thờ" / "i", "Thườ" / "ng xuyên") are read badly without the letters
    around them: they are read again set right after the word that ends the line above,
    and the letters that reading adds to the word are taken."""
    out = list(words)
    for k, w in enumerate(words):
        text, x0, y0, x1, y1, conf = w
        if len(text) > 2 or k == 0 or (text.isalpha() and conf >= reader.s.lone_confidence):
            continue
        prev = words[k - 1]
        before = [v for v in words if v is not w and v[2] < y1 and v[4] > y0 and v[1] < x0]
        if before or prev[4] > y0 + 0.5 * (y1 - y0) or not any(ch.isalpha() for ch in prev[0]):
            continue  # not the first word of a line below a line that ends in a word
        left, right = _crop(image, prev), _crop(image, w)
        ph = left.shape[0]
        gap = max(int(0.06 * ph), 2)
        pad = reader.s.pad
        # the piece's bottom on the word's baseline, or below it (a descender: g, p, y)
        for drop in (0.0, 0.25, 0.4):
            base = pad + ph + int(drop * ph)
            top = min(pad, base - right.shape[0])
            line = np.full((max(base, pad + ph) - top + 2 * pad, left.shape[1] + gap + right.shape[1] + 2 * pad), 255,
                           np.uint8)
            line[pad - top:pad - top + ph, pad:pad + left.shape[1]] = left
            xr = pad + left.shape[1] + gap
            line[base - top - right.shape[0]:base - top, xr:xr + right.shape[1]] = right
            joined = reader.words(line, reader.tesserocr.PSM.SINGLE_LINE)
            got = joined[0][0] if len(joined) == 1 else ""
            added = got[len(prev[0]):]
            if got.startswith(prev[0]) and len(added) == len(text) and added.isalpha():
                out[k] = (added, *w[1:])
                break
    return out


def _crop(image: np.ndarray, w) -> np.ndarray:
    _, x0, y0, x1, y1, _ = w
    return image[max(int(y0), 0):int(y1) + 1, max(int(x0), 0):int(x1) + 1]


def _item_column(boxes, s: OcrSettings = SETTINGS) -> float | None:
    """Right edge of a narrow first column (item numbers), or None."""
    x_left = min(b[0] for b in boxes)
    x_right = max(b[2] for b in boxes)
    firsts = [b[2] for b in boxes if abs(b[0] - x_left) < 3]
    if not firsts:
        return None
    edge = min(firsts)
    return edge if edge - x_left < s.item_width * (x_right - x_left) else None


def orientation(mask: np.ndarray, grey: np.ndarray, reader: Reader, s: OcrSettings = SETTINGS,
                grid: scan_grid.GridSettings = scan_grid.SETTINGS) -> int:
    """0, 90 or 270: the quarter turns (counter-clockwise) that make the page upright.
    Letters lying on their side show a page fed sideways; Tesseract's orientation
    detection tells which way."""
    if scan_grid.glyph_uprightness(mask, s.dpi, grid) >= grid.sideways_below:
        return 0
    turn = reader.orientation(grey)
    return turn if turn in (90, 270) else 90


def ocr_page_image(pixels: np.ndarray, reader: Reader, s: OcrSettings = SETTINGS, *, upsampled: bool = False,
                   grid: scan_grid.GridSettings = scan_grid.SETTINGS, text: np.ndarray | None = None) -> dict:
    """Read one rendered page (at s.dpi) with the OCR's settings `s` (the reader's, `Reader.s`)
    and the scan grid's `grid`; see the module docstring for what comes back.
    `upsampled`: a page scanned at a low resolution and brought to s.dpi (`scan_prep`), whose
    item numbers are read again in its grey (`_item_in_soft_ink`). `text`: the same page as
    an image whose cells read better than the one the grid is found in (`scan_prep.prepare_text`):
    turned and deskewed as the page, its rules erased, its cells are read in it as they are
    (not whited out around the grid image's ink: the thinner ink of the grid's image would cut
    the strokes and marks of the letters)."""
    if reader.s != s:
        raise ValueError("the reader was made with other OCR settings than the page is read with")
    grey = scan_grid.grey_of(pixels)
    mask = scan_grid.ink(grey, grid)
    cells_grey = None if text is None else scan_grid.grey_of(text)
    turn = orientation(mask, grey, reader, s, grid)
    if turn:
        k = turn // 90  # np.rot90 turns counter-clockwise
        grey, mask = np.ascontiguousarray(np.rot90(grey, k)), np.ascontiguousarray(np.rot90(mask, k))
        if cells_grey is not None:
            cells_grey = np.ascontiguousarray(np.rot90(cells_grey, k))
    angle = scan_grid.skew_angle(mask, grid)
    if abs(angle) >= grid.min_skew:
        grey, back = scan_grid.rotate(grey, angle)
        mask = scan_grid.ink(grey, grid)
        if cells_grey is not None:
            cells_grey, _ = scan_grid.rotate(cells_grey, angle)
    else:
        angle, back = 0.0, np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    soft = grey if upsampled else None  # the grey as scanned, for what the threshold breaks (`_item_in_soft_ink`)
    # paper noise and JPEG ringing whited out: Tesseract reads clean ink faster and better
    grey = np.where(cv2.dilate(mask, np.ones((3, 3), np.uint8)) > 0, grey, 255).astype(np.uint8)
    hs, vs = scan_grid.find_rules(mask, s.dpi, grid)
    tables = scan_grid.table_cells(hs, vs, s.dpi, grid)
    hs, vs = scan_grid.erasable(hs, vs, s.dpi, grid)
    grey = scan_grid.erase_rules(grey, hs, vs, s.dpi, s=grid)
    if soft is not None:
        soft = scan_grid.erase_rules(soft, hs, vs, s.dpi, s=grid)
    mask = scan_grid.erase_rules(mask, hs, vs, s.dpi, value=0, s=grid)
    cells_grey = grey if cells_grey is None else scan_grid.erase_rules(cells_grey, hs, vs, s.dpi, s=grid)
    words: list[list] = []
    outside = grey.copy()
    for boxes in tables:
        edge = _item_column(boxes, s)
        read = [(b, _cell_words(reader, cells_grey, mask, b, item=edge is not None and b[2] <= edge + 3, soft=soft))
                for b in boxes]
        words += _without_overlaid(read)
        x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
        x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
        outside[int(y0) - 3:int(y1) + 4, int(x0) - 3:int(x1) + 4] = 255
    if np.count_nonzero(outside < 128) > s.min_ink:
        words += reader.words(outside, reader.tesserocr.PSM.AUTO)
    k = POINTS_PER_INCH / s.dpi
    h, w = grey.shape
    return {
        "width": w * k, "height": h * k, "turn": turn, "angle": angle,
        "back": [[float(v) for v in row] for row in back],  # pixels; same map in points (uniform scale)
        "tables": [[[round(v * k, 2) for v in b] for b in boxes] for boxes in tables],
        "words": [[t, round(x0 * k, 2), round(y0 * k, 2), round(x1 * k, 2), round(y1 * k, 2), round(c, 1)]
                  for t, x0, y0, x1, y1, c in words],
    }


def map_back(box, back, scale: float) -> tuple[float, float, float, float]:
    """The axis-aligned box, in points on the page as scanned, of a box in the upright frame."""
    x0, y0, x1, y1 = (v / scale for v in box)
    pts = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]]) @ np.array(back).T
    return (float(pts[:, 0].min() * scale), float(pts[:, 1].min() * scale),
            float(pts[:, 0].max() * scale), float(pts[:, 1].max() * scale))


def angle_of(back) -> float:
    return math.degrees(math.atan2(back[1][0], back[0][0]))
