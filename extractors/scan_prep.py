"""Low-resolution scans brought to the resolution OCR reads at, their faint rules restored.

An office's sheet-fed scanner files pages at 100 or 150 dpi in colour JPEG: rules one
pixel wide that the scanner's optics and JPEG left pale grey (vertical ones paler
than horizontal ones, with long stretches that nearly vanish) and small text. Read
as such, the rules are not ink (`scan_grid.ink` wants a contrast the rules no longer
have) and the grid falls apart into loose pieces; Tesseract reads 100-dpi text badly.

`prepare` takes the page's image at its own resolution and returns it as a page
scanned at `PrepSettings.dpi` would look:

- `upsample`: resized with bicubic interpolation to the target resolution (what a
  scanner's own interpolation does; Tesseract's models are trained on such sizes);
- `restore_rules`: straight, thin runs of faint ink (a lenient threshold, a few grey
  levels under the paper) long enough that no letter has them are the rules: their
  pixels are darkened, and vertical rules drawn over the rows where the scan lost
  them (`complete_rules`), so the grid is found as on a clean scan;
- `stretch`: levels stretched, the strokes of the letters darkened (pale print) or
  thinned (small print the blur ran together) until the letters stand apart.

Pages scanned at `min_dpi` or more are left as they are (the renderer's resampling
serves them). Pure functions over numpy arrays; `ocr.ocr_page` decides when to call
them, and keys its cache by the image as scanned and the preparation's settings (this
module's code is in the OCR code's fingerprint, `ocr_cache.CODE`).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from . import ocr_cells, scan_grid


@dataclass(frozen=True)
class PrepSettings:
    dpi: int = 300  # the resolution OCR reads at (= ocr_cells.SETTINGS.dpi)
    min_dpi: float = 180.0  # a page image of less than this resolution is prepared
    rule_contrast: float = 12.0  # grey levels under the paper: faint ink that may be a rule
    horizontal_piece: int = 120  # pixels (at dpi): a straight horizontal run this long is a rule ...
    vertical_piece: int = 60  # ... a vertical one this long (no letter has either)
    across: int = 3  # pixels: a tilted rule is followed across this width
    max_thickness: int = 15  # pixels: a run of faint ink this thick across is text run together, no rule
    rule_grey: int = 70  # grey level a restored rule's pixels are darkened to (at most)
    band_share: float = 0.2  # a vertical rule covering this share of a row's height (between two
    #                          horizontal rules) is drawn over all of it (the scan lost the rest)
    column_share: float = 0.4  # ... when its pieces cover this share of the table's height (a
    #                            letter's stroke in one row is no column rule)
    rule_width: int = 3  # pixels: width of a rule drawn where it was lost
    merge_tol: float = 10.0  # pixels: vertical pieces this close across are one rule
    black_share: float = 1.0  # percent of the page's pixels darkest: the ink's own black
    chroma: int = 60  # grey levels between a pixel's channels beyond which it is coloured ink
    white_margin: float = 10.0  # grey levels under the paper that are paper still
    gammas: tuple[float, ...] = (3.0, 2.0, 1.5, 1.0, 0.7, 0.5, 0.3)  # > 1 darkens pale strokes, < 1 thins them
    upright_min: float = 0.3  # glyph uprightness of a page whose letters stand apart (see `prepare`)
    extra_rules: int = 2  # rules a darkening may add to those found without it (see `prepare`)
    text_gamma: float = 1.0  # the cells' text is read at the page's gamma, but never thinner than this
    #                          (`prepare_text`: strokes thinned apart for the grid lose letters' marks)
    text_sharpen: float = 0.8  # unsharp mask of the text's image: amount ...
    text_blur: float = 1.5  # ... and the sigma (pixels at dpi) of the blur it takes away


SETTINGS = PrepSettings()
if SETTINGS.dpi != ocr_cells.SETTINGS.dpi:  # a prepared page is read, and mapped back, at the OCR's resolution
    raise ImportError(f"scan_prep upsamples to {SETTINGS.dpi} dpi, OCR reads at {ocr_cells.SETTINGS.dpi}")


def needs_prep(native_dpi: float | None, s: PrepSettings = SETTINGS) -> bool:
    """Whether a page whose image has `native_dpi` is prepared (None: not an image page)."""
    return native_dpi is not None and 0 < native_dpi < s.min_dpi


def upsample(pixels: np.ndarray, native_dpi: float, s: PrepSettings = SETTINGS) -> np.ndarray:
    """The page image at `s.dpi` (bicubic)."""
    k = s.dpi / native_dpi
    return cv2.resize(pixels, None, fx=k, fy=k, interpolation=cv2.INTER_CUBIC)


def _lightest(pixels: np.ndarray) -> np.ndarray:
    if pixels.ndim == 2:
        return pixels
    return pixels.max(axis=2)


def rule_mask(pixels: np.ndarray, s: PrepSettings = SETTINGS) -> np.ndarray:
    """Pixels (255) of long, thin, straight runs of faint ink, horizontal and vertical, at s.dpi
    (a blurred, noisy scan runs the letters of a line, or lines of text, together at so
    lenient a threshold: such runs are thicker than `max_thickness` and left out).
    Measured on the lightest channel, as the grid is (red seals and blue signatures fade)."""
    grey = cv2.GaussianBlur(_lightest(pixels), (3, 3), 0)
    paper = float(np.median(grey[::8, ::8]))
    _, faint = cv2.threshold(grey, paper - s.rule_contrast, 255, cv2.THRESH_BINARY_INV)
    faint[_coloured(pixels, s)] = 0  # a seal's rings and a signature are no rules
    out = np.zeros_like(faint)
    for length, horizontal in ((s.horizontal_piece, True), (s.vertical_piece, False)):
        across = cv2.getStructuringElement(cv2.MORPH_RECT, (1, s.across) if horizontal else (s.across, 1))
        along = cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1) if horizontal else (1, length))
        lines = cv2.morphologyEx(cv2.dilate(faint, across), cv2.MORPH_OPEN, along)
        thick = cv2.getStructuringElement(cv2.MORPH_RECT, (1, s.max_thickness) if horizontal else (s.max_thickness, 1))
        lines = cv2.subtract(lines, cv2.dilate(cv2.morphologyEx(faint, cv2.MORPH_OPEN, thick), across))
        out = cv2.bitwise_or(out, cv2.bitwise_and(lines, faint))  # the rule's own pixels, not the widening
    return out


def complete_rules(mask: np.ndarray, s: PrepSettings = SETTINGS,
                   grid: scan_grid.GridSettings = scan_grid.SETTINGS) -> np.ndarray:
    """The rule mask with the vertical rules the scan lost drawn in: turned upright (the page's
    tilt, from its rules), each vertical rule (its pieces, `scan_grid.find_rules`) is drawn
    over every row, between two consecutive horizontal rules that cross it, where its pieces
    cover `band_share` of the row's height; a row they do not reach (a cell merged across
    columns) stays open, and so does a column whose pieces cover less than `column_share` of
    the height of the rules crossing it (strokes of letters in two lines one over the other).
    Turned back to the page's tilt."""
    angle = scan_grid.skew_angle(mask, grid)
    upright, back = 255 - mask, None
    if abs(angle) >= grid.min_skew:
        upright, back = scan_grid.rotate(upright, angle)  # white (255) fills the corners: the mask inverted
    upright = 255 - upright
    hs, vs = scan_grid.find_rules(upright, s.dpi, grid)
    drawn = np.zeros_like(upright)
    tol = s.merge_tol
    for pos, pieces in _columns(vs, tol):
        crossing = _crossing(hs, pos, tol)
        ys = [y for y, _, _ in crossing]
        if len(ys) < 2 or sum(r.hi - r.lo for r in pieces) < s.column_share * (ys[-1] - ys[0]):
            continue
        for (top, _, inside_top), (bottom, inside_bottom, _) in zip(crossing, crossing[1:]):
            # the pieces inside the row: the ends of the column rules above and below reach into
            # the ink of the row rules that bound it, and no further
            got = sum(max(0.0, min(r.hi, inside_bottom) - max(r.lo, inside_top)) for r in pieces)
            if got >= s.band_share * (bottom - top):
                x = int(round(pos))
                drawn[top:bottom + 1, max(x - s.rule_width // 2, 0):x + s.rule_width // 2 + 1] = 255
    if back is not None:
        h, w = drawn.shape
        drawn = cv2.warpAffine(drawn, back, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
    return cv2.bitwise_or(mask, drawn)


def _crossing(hs, pos: float, tol: float) -> list[tuple[int, float, float]]:
    """The horizontal rules crossing x = `pos`, top to bottom: (position, where their ink starts,
    where it ends). The pieces at one position are one rule from the first to the last: a rule
    that a seal or JPEG broke beside a column still bounds the rows on either side of its gap."""
    out: list[tuple[float, float, float, float, float]] = []  # position, near, far, lo, hi
    for h in sorted(hs, key=lambda h: h.pos):
        a, b = h.pos if h.near is None else h.near, h.pos if h.far is None else h.far
        if out and h.pos - out[-1][0] <= tol:
            y, near, far, lo, hi = out[-1]
            out[-1] = (y, min(near, a), max(far, b), min(lo, h.lo), max(hi, h.hi))
        else:
            out.append((h.pos, a, b, h.lo, h.hi))
    return [(round(y), near, far) for y, near, far, lo, hi in out if lo - tol <= pos <= hi + tol]


def _columns(vs, tol: float) -> list[tuple[float, list]]:
    """Vertical rule pieces grouped by position: (mean position, pieces)."""
    out: list[tuple[float, list]] = []
    for r in sorted(vs, key=lambda r: r.pos):
        if out and r.pos - out[-1][0] <= tol:
            pieces = out[-1][1] + [r]
            out[-1] = (sum(p.pos * (p.hi - p.lo) for p in pieces) / max(sum(p.hi - p.lo for p in pieces), 1e-9), pieces)
        else:
            out.append((r.pos, [r]))
    return out


def restore_rules(pixels: np.ndarray, s: PrepSettings = SETTINGS,
                  grid: scan_grid.GridSettings = scan_grid.SETTINGS) -> np.ndarray:
    """The image with the pixels of its faint rules darkened to at most `rule_grey` (every
    channel), and the vertical rules the scan lost drawn in (`complete_rules`)."""
    return darken(pixels, complete_rules(rule_mask(pixels, s), s, grid), s)


def darken(pixels: np.ndarray, mask: np.ndarray, s: PrepSettings = SETTINGS) -> np.ndarray:
    out = pixels.copy()
    on = mask > 0
    out[on] = np.minimum(out[on], s.rule_grey)
    return out


def stretch(pixels: np.ndarray, gamma: float, s: PrepSettings = SETTINGS) -> np.ndarray:
    """Levels stretched: the ink's black to 0, the paper to 255, the greys between darkened
    by `gamma` (> 1: the pale middle of thin strokes), one table for every channel (colours
    keep their order: seals still fade)."""
    light = _lightest(pixels)
    black = float(np.percentile(light[::2, ::2], s.black_share))
    white = float(np.median(light[::8, ::8])) - s.white_margin
    if white - black < 32:
        return pixels
    levels = np.clip((np.arange(256, dtype=np.float64) - black) / (white - black), 0.0, 1.0)
    out = cv2.LUT(pixels, (255 * levels ** gamma).round().astype(np.uint8))
    coloured = _coloured(pixels, s)
    out[coloured] = pixels[coloured]  # red seals and blue signatures stay as pale as they were
    return out


def _coloured(pixels: np.ndarray, s: PrepSettings = SETTINGS) -> np.ndarray:
    """Pixels of coloured ink (a seal, a signature): channels further apart than `chroma`."""
    if pixels.ndim == 2:
        return np.zeros(pixels.shape, bool)
    spread = pixels.max(axis=2).astype(np.int16) - pixels.min(axis=2)
    return spread > s.chroma


def _n_rules(pixels: np.ndarray, s: PrepSettings, grid: scan_grid.GridSettings) -> int:
    hs, vs = scan_grid.find_rules(scan_grid.ink(_lightest(pixels), grid), s.dpi, grid)
    return len(hs) + len(vs)


def _upright(pixels: np.ndarray, s: PrepSettings, grid: scan_grid.GridSettings) -> float:
    return scan_grid.glyph_uprightness(scan_grid.ink(_lightest(pixels), grid), s.dpi, grid)


def prepare(pixels: np.ndarray, native_dpi: float, s: PrepSettings = SETTINGS,
            grid: scan_grid.GridSettings = scan_grid.SETTINGS) -> np.ndarray:
    """The page image the grid is found in (`prepare_text`)."""
    return prepare_text(pixels, native_dpi, s, grid)[0]


def prepare_text(pixels: np.ndarray, native_dpi: float, s: PrepSettings = SETTINGS,
                 grid: scan_grid.GridSettings = scan_grid.SETTINGS) -> tuple[np.ndarray, np.ndarray]:
    """(the image the grid is found in, the image the cells' text is read in) of a
    low-resolution page. The grid's: see below. The text's is the page upsampled and
    stretched at the grid's gamma, but never thinner than `text_gamma`, its rules not
    darkened (the grid's are erased from it), and sharpened (`sharpen`): thinning keeps small,
    close print from running together into rules and lying words, but it breaks the strokes
    of the letters and takes their marks away (measured on the cells of a 100-dpi 11 pt print:
    36% of the words misread thinned, 12% at gamma 1, 9% sharpened); pale print (an office
    scan) is read darkened as the grid is (22% of its words misread, 21% sharpened; cells
    read exactly 26 -> 29 of 64).

    A low-resolution page image as OCR reads it: at s.dpi, its faint rules restored, its
    strokes darkened or thinned (`gammas`, strongest first) as far as its letters stand apart:
    the first whose letters stand up (`scan_grid.glyph_uprightness` at least `upright_min`;
    letters run together lie down like words) and that runs no letters together into rules
    (no more than at gamma 1, give or take `extra_rules`), else the one whose letters stand
    most upright. Pale, airy print (an office scan) gets darker; small, close print blurred
    at 100 dpi gets thinner."""
    up = upsample(pixels, native_dpi, s)
    rules = complete_rules(rule_mask(up, s), s, grid)

    def at(gamma: float) -> np.ndarray:
        return base if gamma == 1.0 else darken(stretch(up, gamma, s), rules, s)

    base = darken(stretch(up, 1.0, s), rules, s)
    most = _n_rules(base, s, grid) + s.extra_rules
    best = (_upright(base, s, grid), 1.0, base)
    chosen = None
    for gamma in s.gammas:
        candidate = at(gamma)
        if gamma != 1.0 and _n_rules(candidate, s, grid) > most:
            continue
        upright = best[0] if candidate is base else _upright(candidate, s, grid)
        if upright >= s.upright_min:
            chosen = (gamma, candidate)
            break
        if upright > best[0]:
            best = (upright, gamma, candidate)
    gamma, found = chosen if chosen is not None else best[1:]
    text = sharpen(stretch(up, max(gamma, s.text_gamma), s), s)
    return np.ascontiguousarray(found), np.ascontiguousarray(text)


def sharpen(pixels: np.ndarray, s: PrepSettings = SETTINGS) -> np.ndarray:
    """Unsharp mask: the blur of bicubic upsampling and JPEG taken back from the edges of the
    strokes (a tone mark stands apart from its letter again)."""
    blur = cv2.GaussianBlur(pixels, (0, 0), s.text_blur)
    return cv2.addWeighted(pixels, 1.0 + s.text_sharpen, blur, -s.text_sharpen, 0)
