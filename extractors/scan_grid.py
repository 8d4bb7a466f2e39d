"""The ruled grid of a scanned page, from its image (OpenCV): orientation, tilt, rules, cells.

A scanned page is an image: a page fed sideways, tilted by a degree or two, with
rules that JPEG broke, that are faint, or that a red seal or a blue signature
crosses. Here, on a greyscale page image (the lightest channel of the colour scan,
so red and blue ink fade while black print stays):

- `glyph_uprightness`: whether the letters stand up or lie on their side (fed sideways);
- `skew_angle`: the tilt, the angle at which the rows of ink (text lines and rules)
  are sharpest (projection profile over a range of angles);
- `rotate`: the page turned upright by that angle, and the affine map back;
- `find_rules` and `table_cells`: long horizontal and vertical runs of ink (morphology),
  mended across small gaps, grouped into tables, and each table's cells: the boxes
  between consecutive rules, merged where no rule separates them (merged cells).

Pixels throughout; the caller scales to points.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import cv2
import numpy as np

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GridSettings:
    max_skew: float = 3.0  # degrees searched either way
    coarse_step: float = 0.2
    fine_step: float = 0.02
    skew_width: int = 900  # pixels: the page is shrunk to this width to find its tilt
    min_skew: float = 0.05  # degrees: a smaller tilt is not corrected (resampling costs sharpness)
    rule_fraction: float = 1 / 30  # a horizontal rule is at least this share of the page's width
    rule_piece: int = 60  # pixels (at 300 dpi): a run of ink this long is a piece of a rule
    rule_gap: int = 60  # pixels: pieces of one rule further apart than this (a seal, JPEG) are two rules
    rule_half_width: int = 5  # pixels painted over on each side of a rule's centre, at least
    rule_max_half: int = 14  # pixels: at most this far from its centre (a double frame's two strokes)
    rule_merge: int = 10  # pixels: rule pieces this close across are one rule
    min_cell: int = 14  # pixels: grid rows/columns thinner than this are a double rule
    coverage: float = 0.5  # share of a cell side a rule must cover to separate two cells
    end_tol: int = 20  # pixels (at 300 dpi): a column rule ends this close to a row rule (a seal's
    #                    ring, a letter's stroke ends anywhere)
    long_share: float = 0.5  # ... unless its pieces cover this share of the rules it crosses (an end lost)
    ink_contrast: float = 60.0  # grey levels: ink is at least this much darker than the paper
    min_letters: int = 50  # fewer letter-sized blobs than this: too little text to tell the orientation
    aspect_margin: float = 0.15  # log(height / width) beyond which a blob stands up or lies down
    sideways_below: float = -0.15  # glyph uprightness under this: the page was fed sideways


SETTINGS = GridSettings()


def grey_of(rgb: np.ndarray) -> np.ndarray:
    """The lightest channel: black print stays dark, red seals and blue ink fade."""
    if rgb.ndim == 2:
        return rgb
    r, g, b = cv2.split(rgb)
    return cv2.max(cv2.max(r, g), b)


def ink(grey: np.ndarray, s: GridSettings = SETTINGS) -> np.ndarray:
    """Binary ink mask (255 = ink): Otsu's threshold on a lightly smoothed page, but at
    least `ink_contrast` grey levels below the paper (a nearly blank page has no two modes)."""
    blur = cv2.GaussianBlur(grey, (3, 3), 0)
    otsu, _ = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    paper = float(np.median(blur[::8, ::8]))
    _, out = cv2.threshold(blur, min(otsu, paper - s.ink_contrast), 255, cv2.THRESH_BINARY_INV)
    return out


def _sharpest(mask: np.ndarray, angles: np.ndarray, width: int) -> tuple[float, float]:
    """(sharpness, angle) of the angle whose horizontal ink profile is sharpest; sharpness is
    the squared change of the profile from one pixel row to the next, over its squared size."""
    scale = width / mask.shape[1]
    small = cv2.resize(mask, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    h, w = small.shape
    centre = (w / 2, h / 2)
    best = (-1.0, 0.0)
    for angle in angles:
        m = cv2.getRotationMatrix2D(centre, float(angle), 1.0)
        profile = cv2.warpAffine(small, m, (w, h), flags=cv2.INTER_NEAREST, borderValue=0).sum(axis=1, dtype=np.float64)
        total = float(np.sum(profile ** 2)) or 1.0
        best = max(best, (float(np.sum(np.diff(profile) ** 2)) / total, float(angle)))
    return best


def glyph_uprightness(mask: np.ndarray, dpi: float, s: GridSettings = SETTINGS) -> float:
    """Share of letter-sized blobs taller than wide minus the share wider than tall: about
    +0.4 on an upright page of text, -0.4 on a page fed sideways (letters lie on their side)."""
    _, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    w, h = stats[1:, cv2.CC_STAT_WIDTH].astype(float), stats[1:, cv2.CC_STAT_HEIGHT].astype(float)
    k = dpi / 300
    letters = (np.maximum(w, h) >= 12 * k) & (np.maximum(w, h) <= 70 * k) & (np.minimum(w, h) >= 4 * k)
    if letters.sum() < s.min_letters:
        return 0.0
    r = np.log(h[letters] / w[letters])
    return float(np.mean(r > s.aspect_margin) - np.mean(r < -s.aspect_margin))


def skew_angle(mask: np.ndarray, s: GridSettings = SETTINGS) -> float:
    """Tilt of an upright page in degrees (counter-clockwise positive, as cv2/PIL rotate):
    the angle whose horizontal projection of the ink is sharpest, coarse then fine."""
    coarse = np.arange(-s.max_skew, s.max_skew + 1e-9, s.coarse_step)
    _, best = _sharpest(mask, coarse, s.skew_width)
    fine = np.arange(best - s.coarse_step, best + s.coarse_step + 1e-9, s.fine_step)
    return -round(_sharpest(mask, fine, s.skew_width)[1], 3)


def rotate(grey: np.ndarray, angle: float) -> tuple[np.ndarray, np.ndarray]:
    """The page turned by -angle about its centre (upright), white outside, and the 2x3
    affine map from the upright image back to the scanned one."""
    h, w = grey.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
    upright = cv2.warpAffine(grey, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
    back = cv2.invertAffineTransform(m)
    return upright, back


@dataclass(frozen=True)
class Rule:
    pos: float  # y of a horizontal rule, x of a vertical one
    lo: float  # where it starts along its length
    hi: float
    near: float | None = None  # where its ink starts and ends across (a thick or double rule is wide)
    far: float | None = None


def _segments(mask: np.ndarray, horizontal: bool, piece: int) -> list[Rule]:
    """Straight runs of ink at least `piece` long (no letter has one: its strokes are
    shorter, and the gaps between letters break a line of text)."""
    k_len = cv2.getStructuringElement(cv2.MORPH_RECT, (piece, 1) if horizontal else (1, piece))
    k_thick = cv2.getStructuringElement(cv2.MORPH_RECT, (1, 3) if horizontal else (3, 1))
    lines = cv2.morphologyEx(cv2.dilate(mask, k_thick), cv2.MORPH_OPEN, k_len)
    n, _, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
    out = []
    for x, y, w, h, _ in stats[1:]:
        if horizontal:
            out.append(Rule(y + h / 2, float(x), float(x + w), float(y), float(y + h)))
        else:
            out.append(Rule(x + w / 2, float(y), float(y + h), float(x), float(x + w)))
    return out


def _merge(rules: list[Rule], tol: float, gap: float) -> list[Rule]:
    """Pieces of one rule (same position within tol, touching within gap) joined."""
    out: list[Rule] = []
    for r in sorted(rules, key=lambda r: (round(r.pos / tol), r.lo)):
        for k, o in enumerate(out):
            if abs(o.pos - r.pos) <= tol and r.lo <= o.hi + gap and o.lo <= r.hi + gap:
                out[k] = Rule((o.pos + r.pos) / 2, min(o.lo, r.lo), max(o.hi, r.hi),
                              min(_near(o), _near(r)), max(_far(o), _far(r)))
                break
        else:
            out.append(r)
    return out


def _near(r: Rule) -> float:
    return r.pos if r.near is None else r.near


def _far(r: Rule) -> float:
    return r.pos if r.far is None else r.far


def find_rules(mask: np.ndarray, dpi: float, s: GridSettings = SETTINGS) -> tuple[list[Rule], list[Rule]]:
    """Horizontal and vertical rules of an upright page mask."""
    h, w = mask.shape
    k = dpi / 300
    piece, gap, tol = max(int(s.rule_piece * k), 10), s.rule_gap * k, s.rule_merge * k
    hs = _merge(_segments(mask, True, piece), tol, gap)
    vs = _merge(_segments(mask, False, piece), tol, gap)
    # a vertical rule may be as short as a one-line row; a horizontal one spans a column or more
    return [r for r in hs if r.hi - r.lo >= w * s.rule_fraction], vs


def erase_rules(img: np.ndarray, hs: list[Rule], vs: list[Rule], dpi: float, value: int = 255,
                s: GridSettings = SETTINGS) -> np.ndarray:
    """The image with its rules painted over (`value`), so that no cell shows a piece of one:
    `rule_half_width` either side of its centre, or its whole ink across when wider (a thick
    frame, a double rule), up to `rule_max_half` beyond its centre."""
    out = img.copy()
    k = dpi / 300
    half, most = s.rule_half_width * k, s.rule_max_half * k

    def band(r: Rule) -> tuple[int, int]:
        a = max(min(_near(r) - 1, r.pos - half), r.pos - most)
        b = min(max(_far(r) + 1, r.pos + half), r.pos + most)
        return max(int(round(a)), 0), int(round(b)) + 1

    for r in hs:
        a, b = band(r)
        out[a:b, max(int(r.lo), 0):int(r.hi) + 1] = value
    for r in vs:
        a, b = band(r)
        out[max(int(r.lo), 0):int(r.hi) + 1, a:b] = value
    return out


def erasable(hs: list[Rule], vs: list[Rule], dpi: float, s: GridSettings = SETTINGS) -> tuple[list[Rule], list[Rule]]:
    """The rules to paint over before the text is read: every vertical run, and every horizontal
    one but those inside a table that are none of its row rules (`row_rules`): there a
    straight horizontal run is a line of text run together (bold print at a low resolution),
    and painting it over would cut its letters through."""
    tol = s.rule_merge * dpi / 300
    columns = column_rules(hs, vs, dpi, s)
    rows = row_rules(hs, columns, dpi, s)
    boxes = [(min(r.lo for r in th), min(r.pos for r in th), max(r.hi for r in th), max(r.pos for r in th))
             for th, _ in _tables(rows, columns, 2 * tol)]
    kept = {id(r) for r in rows}

    def inside(r: Rule) -> bool:
        return any(x0 - tol <= r.lo and r.hi <= x1 + tol and top < r.pos < bottom for x0, top, x1, bottom in boxes)

    return [r for r in hs if id(r) in kept or not inside(r)], vs


def _cluster(values: list[float], tol: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


def _covered(rules: list[Rule], pos: float, lo: float, hi: float, tol: float, share: float) -> bool:
    """Does a rule at `pos` cover at least `share` of the span lo..hi?"""
    span = hi - lo
    got = 0.0
    for r in rules:
        if abs(r.pos - pos) <= tol:
            got += max(0.0, min(r.hi, hi) - max(r.lo, lo))
    return got >= share * span


def _tables(hs: list[Rule], vs: list[Rule], tol: float) -> list[tuple[list[Rule], list[Rule]]]:
    """Rules grouped into tables: rules that cross or touch belong together (union-find)."""
    rules = [("h", r) for r in hs] + [("v", r) for r in vs]
    parent = list(range(len(rules)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (ki, a) in enumerate(rules):
        if ki != "h":
            continue
        for j, (kj, b) in enumerate(rules):
            if kj == "v" and a.lo - tol <= b.pos <= a.hi + tol and b.lo - tol <= a.pos <= b.hi + tol:
                parent[find(i)] = find(j)
    groups: dict[int, tuple[list[Rule], list[Rule]]] = {}
    for i, (k, r) in enumerate(rules):
        g = groups.setdefault(find(i), ([], []))
        (g[0] if k == "h" else g[1]).append(r)
    return [g for g in groups.values() if len(g[0]) >= 2 and len(g[1]) >= 2]


def table_cells(hs: list[Rule], vs: list[Rule], dpi: float, s: GridSettings = SETTINGS) -> list[list[tuple[float, float, float, float]]]:
    """Cell boxes (x0, top, x1, bottom, pixels) of every ruled table, merged cells whole."""
    tol = s.rule_merge * dpi / 300
    min_cell = s.min_cell * dpi / 300
    out = []
    vs = column_rules(hs, vs, dpi, s)
    hs = row_rules(hs, vs, dpi, s)
    for th, tv in _tables(hs, vs, 2 * tol):
        ys = _thin_out(_cluster([r.pos for r in th], tol), min_cell)
        xs = _thin_out(_cluster([r.pos for r in tv], tol), min_cell)
        if len(xs) < 2 or len(ys) < 2:
            continue
        boxes = _merged(xs, ys, th, tv, 2 * tol, s.coverage)
        if boxes:
            out.append(boxes)
    return out


def column_rules(hs: list[Rule], vs: list[Rule], dpi: float, s: GridSettings = SETTINGS) -> list[Rule]:
    """The vertical rules of a grid: the pieces at one position (within `rule_merge`), taken
    together, start and end within `end_tol` of horizontal rules that reach them, or cover at
    least `long_share` of the height of those rules (`_inked`). A seal's ring or star, a signature's
    stroke over a table make straight runs that start and end between the rules, and would
    cut the cells into false columns. Nor does a rule stand in one row alone of a table's three
    or more at its place (`_in_one_row`): the strokes of a seal's star, its ring and the text
    under them run from rule to rule across a short row."""
    rows = _framed(hs, vs, dpi, s)
    tol = s.rule_merge * dpi / 300
    return [r for group in _groups(_framed(vs, hs, dpi, s), tol) if not _in_one_row(group, rows, tol, s)
            for r in group]


def _in_one_row(group: list[Rule], rows: list[Rule], tol: float, s: GridSettings) -> bool:
    """Do the pieces of a column rule cover (`coverage`) one row alone of the three or more
    that the row rules crossing its place bound?"""
    pos = sum(r.pos for r in group) / len(group)
    ys = _cluster([h.pos for h in rows if h.lo - 2 * tol <= pos <= h.hi + 2 * tol], tol)
    if len(ys) < 4:
        return False
    covered = sum(_covered(group, pos, top, bottom, 2 * tol, s.coverage) for top, bottom in zip(ys, ys[1:]))
    return covered == 1


def row_rules(hs: list[Rule], vs: list[Rule], dpi: float, s: GridSettings = SETTINGS) -> list[Rule]:
    """The horizontal rules of a grid, as `column_rules` (across: ends on column rules, or
    `long_share` of their width)."""
    return _framed(hs, vs, dpi, s)


def _framed(rules: list[Rule], across: list[Rule], dpi: float, s: GridSettings) -> list[Rule]:
    k = dpi / 300
    tol, end = s.rule_merge * k, s.end_tol * k
    out: list[Rule] = []
    for group in _groups(rules, tol):
        pos = sum(r.pos for r in group) / len(group)
        lo, hi = min(r.lo for r in group), max(r.hi for r in group)
        crossing = [c.pos for c in across if c.lo - 2 * tol <= pos <= c.hi + 2 * tol]
        if not crossing:
            continue
        framed = any(abs(y - lo) <= end for y in crossing) and any(abs(y - hi) <= end for y in crossing)
        if framed or _inked(group) >= s.long_share * (max(crossing) - min(crossing)):
            out += group
    return out


def _inked(group: list[Rule]) -> float:
    """The length the pieces of a group of rules cover together: pieces at one height in several
    cells (the lines of bold text a low resolution runs together, each in its own column) are far
    apart, and the span from the first to the last is no rule's."""
    total, reach = 0.0, float("-inf")
    for r in sorted(group, key=lambda r: r.lo):
        if r.hi > reach:
            total += r.hi - max(r.lo, reach)
            reach = r.hi
    return total


def _groups(rules: list[Rule], tol: float) -> list[list[Rule]]:
    """Rules grouped by position (consecutive positions within tol)."""
    out: list[list[Rule]] = []
    for r in sorted(rules, key=lambda r: r.pos):
        if out and r.pos - out[-1][-1].pos <= tol:
            out[-1].append(r)
        else:
            out.append([r])
    return out


def _thin_out(edges: list[float], min_gap: float) -> list[float]:
    """Edges closer than min_gap (the two strokes of a double rule) become one."""
    out: list[float] = []
    for e in edges:
        if out and e - out[-1] < min_gap:
            out[-1] = (out[-1] + e) / 2
        else:
            out.append(e)
    return out


def _merged(xs: list[float], ys: list[float], hs: list[Rule], vs: list[Rule], tol: float,
            share: float) -> list[tuple[float, float, float, float]]:
    """Elementary cells between consecutive rules, joined where no rule separates them;
    rows of the grid outside every vertical rule (no frame) are dropped."""
    n_r, n_c = len(ys) - 1, len(xs) - 1
    parent = {(r, c): (r, c) for r in range(n_r) for c in range(n_c)}

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for r in range(n_r):
        for c in range(n_c):
            if c + 1 < n_c and not _covered(vs, xs[c + 1], ys[r], ys[r + 1], tol, share):
                parent[find((r, c + 1))] = find((r, c))
            if r + 1 < n_r and not _covered(hs, ys[r + 1], xs[c], xs[c + 1], tol, share):
                parent[find((r + 1, c))] = find((r, c))
    groups: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for k in parent:
        groups.setdefault(find(k), []).append(k)
    boxes = []
    for members in groups.values():
        r0, r1 = min(r for r, _ in members), max(r for r, _ in members)
        c0, c1 = min(c for _, c in members), max(c for _, c in members)
        box = (xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1])
        # a cell must be closed: rules on its left and right sides
        if _covered(vs, box[0], box[1], box[3], tol, share) and _covered(vs, box[2], box[1], box[3], tol, share):
            boxes.append(box)
    return boxes
