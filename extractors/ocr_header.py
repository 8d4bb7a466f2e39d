"""The header band of a scanned first page read again, whole, as printed.

The page pass (`ocr_cells.ocr_page_image`) whitens everything around the ink mask before it
reads the page (paper noise and JPEG ringing gone: prose and table cells read faster and
better). On a page scanned at 100-150 dpi and brought to 300 (`scan_prep`), the soft grey
edges of the letters are what tells "ngày" from "ngủy", "tháng" from "thủng", a "/" from an
"R" and "2025" from "2035"; cut at the mask, the header block (issuer, "Số: …", the place and
date, the type word and title) reads wrong where it matters most: the document's identity.

`with_header_band` reads the band from the top of the page down to the first table of more
than one cell (at most
`HeaderBandSettings.share` of the page, cut at the emptiest row near there) again in the
page's grey, upright and deskewed as the page pass left it but not whitened, with
Tesseract's automatic layout analysis, and puts its words in place of the page pass's words
of the band. A seal stamped over the header and scanned in grey lies over the print in a
middle grey: the band is read a second time with that grey lifted to paper (`dark_only`), and
line by line the reading Tesseract is surer of is kept (`merged`). A page scanned at 100-150 dpi
is read twice more in its scan only upsampled: as it is, and with its grey lifted (the
preparation binarises a grey seal into the print; upsampled, its rings are lighter than the
letters). When the band still shows no number line or no date line (`has_identity`) and a
grey seal lies over it (at 100 dpi its rings are as dark as the thin print's edges), it is read
twice more with the seal taken out by the width of its strokes (`without_seal`).
Pure function over the page's pixels and the page pass's result; `ocr.read_page`
calls it for the first page of a document (the one whose header gives the identity).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cv2
import numpy as np

from . import scan_grid
from .layout import POINTS_PER_INCH
from .letters import nfc


@dataclass(frozen=True)
class HeaderBandSettings:
    share: float = 0.42  # the band reaches at most this share of the page's height down
    slack: float = 0.06  # ... cut at the emptiest pixel row within this share of the height above that
    table_gap: float = 6.0  # points kept clear above the first table
    black_share: float = 1.0  # percent of the band's pixels darkest: the print's own black
    dark_cut: float = 0.45  # share of the way from that black to the paper above which grey is no print
    sure: float = 50.0  # Tesseract's confidence above which a word's letters count for its line, below against
    speck_chars: int = 2  # a word this short read with less than `sure` confidence is a speck of the scan
    slot_floor: float = 20.0  # ... unless it is a month in its slot ("tháng 01 năm") read with this much
    mark_height: float = 0.5  # share of a word's height under which a word inside its box is a mark of it
    # a grey seal over the header of a page scanned at 100-150 dpi (`without_seal`)
    seal_contrast: float = 40.0  # grey levels under the paper that are ink
    seal_floor: float = 0.25  # share of the way from the print's black to the paper below which ink is print
    seal_stroke: float = 3.5  # pixels of the scan as scanned: a patch of mid-grey ink this wide all round
    #                           is a seal's stroke (a letter's stroke there is 1-2 pixels with soft edges)
    seal_edge: float = 1.0  # pixels of the scan: the seal's strokes grown by this much (their soft edges)
    seal_share: float = 0.01  # share of the band's pixels in such strokes from which a seal lies over it
    #                          (a grey seal over the header: 1.8-2 %; print with no seal, blurred at 100 dpi: 0.1-0.5 %)
    seal_level: float = 25.0  # percentile of the strokes' grey taken as the seal's own grey
    seal_gain: float = 3.0  # how much darker than the seal's grey the print under it is drawn


SETTINGS = HeaderBandSettings()


def band_bottom(mask: np.ndarray, tables_top: float | None, s: HeaderBandSettings = SETTINGS) -> int:
    """Pixel row where the header band ends: `share` of the page down or the first table's top
    (pixels), whichever is higher, moved up to the row with the least ink within `slack`."""
    h = mask.shape[0]
    limit = int(h * s.share)
    if tables_top is not None:
        limit = min(limit, int(tables_top))
    lo = max(limit - int(h * s.slack), 0)
    if limit <= lo:
        return max(limit, 0)
    ink = np.count_nonzero(mask[lo:limit], axis=1)
    return lo + int(np.flatnonzero(ink == ink.min())[-1])


def upright_grey(pixels: np.ndarray, result: dict) -> np.ndarray:
    """The page's grey in the frame of the page pass's words: turned and deskewed as it was."""
    grey = scan_grid.grey_of(pixels)
    if result.get("turn"):
        grey = np.ascontiguousarray(np.rot90(grey, result["turn"] // 90))
    if result.get("angle"):
        grey, _ = scan_grid.rotate(grey, result["angle"])
    return grey


def dark_only(grey: np.ndarray, s: HeaderBandSettings = SETTINGS) -> np.ndarray:
    """The band with its pale ink lifted to paper: levels stretched so that grey lighter than
    `dark_cut` of the way from the print's black to the paper is white. A seal scanned in grey
    (its rings and star a middle grey laid over the print) fades; the print under it stays."""
    black = float(np.percentile(grey[::2, ::2], s.black_share))
    paper = float(np.median(grey[::8, ::8]))
    cut = black + s.dark_cut * (paper - black)
    if cut - black < 16:
        return grey
    levels = np.clip((np.arange(256, dtype=np.float64) - black) / (cut - black), 0.0, 1.0)
    return cv2.LUT(grey, (255 * levels).round().astype(np.uint8))


def _lines(words: list) -> list[list]:
    """Words grouped into lines: a word whose middle lies within the height of the line so far joins it."""
    out: list[list] = []
    for w in sorted(words, key=lambda w: (w[2] + w[4]) / 2):
        mid = (w[2] + w[4]) / 2
        if out and min(v[2] for v in out[-1]) <= mid <= max(v[4] for v in out[-1]):
            out[-1].append(w)
        else:
            out.append([w])
    return out


def _sureness(words: list, s: HeaderBandSettings) -> float:
    """Letters read with confidence above `sure` count for a reading, letters below against it."""
    return sum(len(w[0]) * (w[5] - s.sure) / s.sure for w in words)


def merged(first: list, second: list, s: HeaderBandSettings = SETTINGS) -> list:
    """Line by line, the reading Tesseract is surer of (`_sureness`): each line of `first` with
    the words of `second` whose middles fall within its height, whichever is surer; lines of
    `second` that meet no line of `first` are taken when sure."""
    out: list = []
    used: set[int] = set()
    for line in _lines(first):
        top, bottom = min(w[2] for w in line), max(w[4] for w in line)
        other = [(i, w) for i, w in enumerate(second) if i not in used and top <= (w[2] + w[4]) / 2 <= bottom]
        used |= {i for i, _ in other}
        alt = [w for _, w in other]
        out += alt if alt and _sureness(alt, s) > _sureness(line, s) else line
    rest = [w for i, w in enumerate(second) if i not in used]
    for line in _lines(rest):
        if _sureness(line, s) > 0:
            out += line
    return out


def without_specks(words: list, s: HeaderBandSettings = SETTINGS) -> list:
    """Words of a band read without the page pass's whitening, less the specks of the scan it
    reads as marks ("^", "`", "ˆ") or as a letter or two read with little confidence (a number
    written by hand read in part must not stand as a number). A month of digits in its slot of
    a date line, right after "tháng" and right before "năm" (`month_in_slot`), read with at
    least `slot_floor` is no speck: a printed "01" reads at a confidence of 25-45 at 100-150 dpi."""
    slot = month_in_slot(words, s)
    return [w for i, w in enumerate(words) if any(c.isalnum() for c in w[0])
            and (len(w[0]) > s.speck_chars or w[5] >= s.sure or i in slot)]


def without_marks(words: list, s: HeaderBandSettings = SETTINGS) -> list:
    """`words` (the readings of a band merged) less the marks of a word read apart (`_mark_of`)."""
    return [w for w in words if len(w[0]) > s.speck_chars or not _mark_of(w, words, s)]


def _mark_of(word: list, words: list, s: HeaderBandSettings = SETTINGS) -> bool:
    """Whether `word` (no digit in it) lies wholly within the box of a longer word and is less
    than `mark_height` of its height: a mark of that word read apart (the breve of "năm" read
    as "ă" at its top: "năm ă 2025"), not a word of its own."""
    if any(c.isdigit() for c in word[0]):
        return False
    return any(len(v[0]) > len(word[0]) and v[1] <= word[1] and word[3] <= v[3] and v[2] <= word[2]
               and word[4] <= v[4] and word[4] - word[2] < s.mark_height * (v[4] - v[2]) for v in words)


_MONTH = re.compile(r"^(0?[1-9]|1[0-2])$")


def month_in_slot(words: list, s: HeaderBandSettings = SETTINGS) -> set[int]:
    """Indices of the words that read as a month (1-12, digits) standing between "tháng" and
    "năm" on their line, read with at least `slot_floor` confidence."""
    out: set[int] = set()
    for line in _lines(list(_indexed(words))):
        line.sort(key=lambda w: w[1])
        for before, w, after in zip(line, line[1:], line[2:]):
            if (_MONTH.match(w[0]) and w[5] >= s.slot_floor and nfc(before[0]).lower() == "tháng"
                    and nfc(after[0]).lower() == "năm"):
                out.add(w[6])
    return out


def _indexed(words: list):
    """Each word with its index appended (after its confidence)."""
    for i, w in enumerate(words):
        yield [*w[:6], i]


def _disk(size: int) -> np.ndarray:
    return cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))


def without_seal(grey: np.ndarray, scale: float, s: HeaderBandSettings = SETTINGS) -> np.ndarray | None:
    """`grey` (a band of a scan upsampled by `scale`) with a grey seal laid over its print taken
    out, or None when no seal lies over it. A seal scanned in grey is a middle grey, at 100-150
    dpi as dark as the soft edges and thin strokes of the print, so no level parts them
    (`dark_only`); but its strokes (rings, lettering, star) are wider: the seal is the mid-grey
    ink (lighter than `seal_floor` of the way from the black to the paper) that stays under an
    opening `seal_stroke` scan pixels wide, grown by `seal_edge`, when it covers `seal_share` of
    the band. Inside it, the seal's own grey (the `seal_level` percentile of its strokes) is
    paper, and the print under the seal (darker than the seal alone, whether the seal's ink is
    laid over or multiplied) is drawn `seal_gain` times as dark as it stands out from the seal.
    Outside it the band is left as it is: print that meets no seal stroke keeps its thin strokes."""
    black = float(np.percentile(grey[::2, ::2], s.black_share))
    paper = float(np.median(grey[::8, ::8]))
    floor = black + s.seal_floor * (paper - black)
    mid = ((grey < paper - s.seal_contrast) & (grey >= floor)).astype(np.uint8)
    strokes = cv2.morphologyEx(mid, cv2.MORPH_OPEN, _disk(int(s.seal_stroke * scale) | 1)) > 0
    if strokes.mean() < s.seal_share:
        return None
    level = float(np.percentile(grey[strokes], s.seal_level))
    seal = cv2.dilate(strokes.astype(np.uint8), _disk(2 * int(s.seal_edge * scale) + 1)) > 0
    out = grey.astype(np.float32)
    out[seal] = paper - np.clip((level - out[seal]) * s.seal_gain, 0.0, paper)
    return out.round().astype(np.uint8)


_NUMBER_LINE = re.compile(r"^\S{0,4}\s*\d{1,6}\s*/\s*[A-ZĐ]")
_DATE_LINE = re.compile(r"tháng\s+\d{1,2}\s+năm\s+(19|20)\d\d", re.IGNORECASE)


def has_identity(words: list) -> bool:
    """Whether a band's words hold a line that starts with a number ("Số: <digits>/<code>") and
    a date line ("tháng <digits> năm <year>"): the header read, no need to read it again."""
    texts = [" ".join(nfc(w[0]) for w in sorted(line, key=lambda w: w[1])) for line in _lines(words)]
    return any(_NUMBER_LINE.search(t) for t in texts) and any(_DATE_LINE.search(t) for t in texts)


def with_header_band(pixels: np.ndarray, result: dict, reader, s: HeaderBandSettings = SETTINGS,
                     plain: np.ndarray | None = None, grid: scan_grid.GridSettings = scan_grid.SETTINGS,
                     low_dpi: float | None = None) -> dict:
    """`result` (the page pass over `pixels`, at the reader's resolution) with the words of the
    header band read again in the page's grey, in its dark print alone (`dark_only`) and, for a
    page scanned at a low resolution, in `plain` (the scan only upsampled, `scan_prep.upsample`:
    the preparation's levels and strokes serve the rules and cells, and can cost the header's
    small print its shapes) as it is and in its dark print alone, line by line the surest reading (`merged`; see the module docstring).
    Ink is found with the scan grid's settings `grid`; a band with no more ink than the OCR's
    `min_ink` (the reader's settings) is not read, as the page pass reads no such text."""
    dpi = reader.s.dpi
    k = POINTS_PER_INCH / dpi
    grey = upright_grey(pixels, result)
    mask = scan_grid.ink(grey, grid)
    # a box of one cell (a signing system's stamp, a framed note) is read with the band
    tables_top = min((b[1] for boxes in result["tables"] if len(boxes) > 1 for b in boxes), default=None)
    bottom = band_bottom(mask, None if tables_top is None else tables_top / k - s.table_gap / k, s)
    if bottom <= 0 or np.count_nonzero(mask[:bottom]) <= reader.s.min_ink:
        return result
    band = np.ascontiguousarray(grey[:bottom])
    auto = reader.tesserocr.PSM.AUTO
    words = without_specks(reader.words(band, auto), s)
    dark = dark_only(band, s)
    if dark is not band:
        words = merged(words, without_specks(reader.words(dark, auto), s), s)
    if plain is not None and plain.shape[:2] == pixels.shape[:2]:
        soft = np.ascontiguousarray(upright_grey(plain, result)[:bottom])
        words = merged(words, without_specks(reader.words(soft, auto), s), s)
        soft_dark = dark_only(soft, s)  # a grey seal over small print scanned at 100-150 dpi
        if soft_dark is not soft:
            words = merged(words, without_specks(reader.words(soft_dark, auto), s), s)
        unsealed = None if low_dpi is None or has_identity(words) else without_seal(soft, dpi / low_dpi, s)
        if unsealed is not None:  # a grey seal over the number or the date: read without it
            words = merged(words, without_specks(reader.words(unsealed, auto), s), s)
            words = merged(words, without_specks(reader.words(dark_only(unsealed, s), auto), s), s)
    words = without_marks(words, s)
    edge = bottom * k
    kept = [w for w in result["words"] if (w[2] + w[4]) / 2 > edge]
    band = [[t, round(x0 * k, 2), round(y0 * k, 2), round(x1 * k, 2), round(y1 * k, 2), round(c, 1)]
            for t, x0, y0, x1, y1, c in words]
    return {**result, "words": band + kept}
