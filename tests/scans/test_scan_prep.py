"""Low-resolution pages prepared for OCR (extractors/scan_prep.py) and scanned pieces of one
table told by their shape (extractors/stitch.py `same_shape`)."""

from __future__ import annotations

import cv2
import numpy as np

from extractors import scan_grid, scan_prep
from extractors.layout import Fragment
from extractors.stitch import same_shape


def faint_grid(dpi: int = 100, grey: int = 225, lost: float = 0.45, seed: int = 1) -> np.ndarray:
    """A page at `dpi` with a 4 x 6 grid of one-pixel rules as pale as a sheet-fed scanner
    leaves them, the vertical ones with stretches lost (`lost` of each row), some text."""
    rng = np.random.default_rng(seed)
    h, w = int(11.7 * dpi), int(8.3 * dpi)
    page = np.full((h, w, 3), 255, np.uint8)
    xs = [int(w * f) for f in (0.1, 0.2, 0.5, 0.7, 0.9)]
    ys = [int(h * f) for f in (0.2, 0.27, 0.37, 0.47, 0.57, 0.67, 0.77)]
    for y in ys:
        page[y, xs[0]:xs[-1] + 1] = grey
    for x in xs:
        for top, bottom in zip(ys, ys[1:]):
            keep = rng.uniform(0, lost)
            cut = top + int((bottom - top) * keep)
            page[top:bottom + 1, x] = grey
            page[cut:cut + int((bottom - top) * lost), x] = 255  # the stretch the scanner lost
    for top, bottom in zip(ys, ys[1:]):
        cv2.putText(page, "Nguyen Van A", (xs[1] + 8, (top + bottom) // 2), cv2.FONT_HERSHEY_SIMPLEX,
                    dpi / 300, (60, 60, 60), 1)
    return page


def cells_of(pixels: np.ndarray) -> list:
    grey = scan_grid.grey_of(pixels)
    hs, vs = scan_grid.find_rules(scan_grid.ink(grey), 300)
    return scan_grid.table_cells(hs, vs, 300)


def test_a_pale_broken_grid_at_100_dpi_is_found_whole_once_prepared():
    page = faint_grid()
    assert scan_prep.needs_prep(100) and not scan_prep.needs_prep(200) and not scan_prep.needs_prep(None)
    plain = cells_of(scan_prep.upsample(page, 100))
    assert sum(len(t) for t in plain) < 24  # as it is, the grid falls apart
    prepared = scan_prep.prepare(page, 100)
    assert prepared.shape[:2] == (page.shape[0] * 3, page.shape[1] * 3)
    tables = cells_of(prepared)
    assert [len(t) for t in tables] == [24]


def test_a_row_no_vertical_rule_reaches_stays_one_cell():
    page = faint_grid(lost=0.3)
    h, w = page.shape[:2]
    top, bottom = int(h * 0.37), int(h * 0.47)
    page[top + 2:bottom - 1, int(w * 0.1) + 2:int(w * 0.9) - 1] = 255  # a section row across the table
    page[top + 2:bottom - 1, int(w * 0.1)] = 225
    page[top + 2:bottom - 1, int(w * 0.9)] = 225
    (boxes,) = cells_of(scan_prep.prepare(page, 100))
    assert len(boxes) == 21  # 5 rows of 4 cells, and the section row whole


def _frag(edges, page=1) -> Fragment:
    return Fragment(page, (edges[0], 100.0, edges[-1], 700.0), tuple(edges), ())


def test_pieces_of_a_scanned_table_have_the_same_shape_wherever_the_scan_put_them():
    a = _frag([68.0, 103.0, 215.0, 328.0, 441.0, 553.0])
    shifted = _frag([x + 9.5 for x in a.col_edges], 2)
    scaled = _frag([60 + (x - 68) * 1.02 for x in a.col_edges], 2)
    assert same_shape(a, shifted) and same_shape(a, scaled)
    other = _frag([68.0, 150.0, 215.0, 328.0, 441.0, 553.0], 2)
    assert not same_shape(a, other)
    assert not same_shape(a, _frag([68.0, 103.0, 215.0, 328.0, 553.0], 2))


def test_cells_are_read_in_an_image_no_thinner_than_text_gamma():
    """The grid may be found in strokes thinned apart (gamma < 1), but the cells' text is read
    at `text_gamma` at least, sharpened, its rules not darkened (thinned strokes lose letters
    and tone marks at 100 dpi: the scan matrix's 100-dpi print read 1/12 names exact so)."""
    from dataclasses import replace

    page = faint_grid()
    thin = replace(scan_prep.SETTINGS, gammas=(0.3,), upright_min=0.0, extra_rules=99)
    grid, text = scan_prep.prepare_text(page, 100, thin)
    up = scan_prep.upsample(page, 100, thin)
    assert np.array_equal(text, scan_prep.sharpen(scan_prep.stretch(up, 1.0, thin), thin))
    assert np.array_equal(grid, scan_prep.prepare(page, 100, thin)) and not np.array_equal(grid, text)
    dark = replace(thin, gammas=(3.0,))  # pale print: the text is darkened as the grid is
    _, text = scan_prep.prepare_text(page, 100, dark)
    assert np.array_equal(text, scan_prep.sharpen(scan_prep.stretch(up, 3.0, dark), dark))
