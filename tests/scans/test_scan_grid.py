"""The grid of a scanned page from its image (extractors/scan_grid.py), on drawn pages:
tilt, sideways text, rules broken or crossed by a seal, merged cells."""

import cv2
import numpy as np
import pytest

from extractors import scan_grid
from extractors.ocr_cells import map_back

DPI = 300


def page_with_table(rows=(300, 420, 540, 900), cols=(200, 330, 1500, 2200), *, text=True) -> np.ndarray:
    """A white A4 page at 300 dpi with a ruled table (3 px rules) and lines of 'text'."""
    img = np.full((3508, 2480), 255, np.uint8)
    for y in rows:
        cv2.line(img, (cols[0], y), (cols[-1], y), 0, 3)
    for x in cols:
        cv2.line(img, (x, rows[0]), (x, rows[-1]), 0, 3)
    if text:
        rng = np.random.default_rng(7)
        words = "thuc hien nhiem vu chuyen doi so quoc gia bo cong an ke hoach trien khai".split()
        for k in range(30):  # prose below the table, ragged like real lines
            line = " ".join(rng.choice(words, 7))
            cv2.putText(img, line, (250 + int(rng.integers(0, 120)), 1100 + 70 * k), cv2.FONT_HERSHEY_SIMPLEX, 1.6, 0, 4)
    return img


def rotated(img: np.ndarray, angle: float) -> np.ndarray:
    h, w = img.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)  # counter-clockwise, as a tilted scan
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


@pytest.mark.parametrize("angle", [-1.9, -0.7, 0.4, 1.3, 2.0])
def test_the_tilt_is_found_within_a_tenth_of_a_degree(angle):
    mask = scan_grid.ink(rotated(page_with_table(), angle))
    assert scan_grid.skew_angle(mask) == pytest.approx(angle, abs=0.1)


def test_a_deskewed_page_gives_the_grid_of_the_straight_one():
    straight = scan_grid.table_cells(*scan_grid.find_rules(scan_grid.ink(page_with_table()), DPI), DPI)
    grey = rotated(page_with_table(), 1.6)
    upright, back = scan_grid.rotate(grey, scan_grid.skew_angle(scan_grid.ink(grey)))
    tilted = scan_grid.table_cells(*scan_grid.find_rules(scan_grid.ink(upright), DPI), DPI)
    assert len(straight) == len(tilted) == 1 and len(straight[0]) == len(tilted[0]) == 9
    for a, b in zip(sorted(straight[0]), sorted(tilted[0])):
        assert np.allclose(a, b, atol=6)
    # the map back puts a cell's centre where it lies on the tilted scan
    x0, y0, x1, y1 = sorted(tilted[0])[0]
    bx0, by0, bx1, by1 = map_back((x0, y0, x1, y1), back, 1.0)
    h, w = grey.shape
    forward = cv2.getRotationMatrix2D((w / 2, h / 2), 1.6, 1.0)
    sx, sy = forward @ np.array([(sorted(straight[0])[0][0] + sorted(straight[0])[0][2]) / 2,
                                 (sorted(straight[0])[0][1] + sorted(straight[0])[0][3]) / 2, 1.0])
    assert abs((bx0 + bx1) / 2 - sx) < 6 and abs((by0 + by1) / 2 - sy) < 6


def test_rules_broken_by_jpeg_gaps_or_crossed_by_a_seal_still_close_the_cells():
    img = page_with_table(text=False)
    for x in range(400, 1400, 160):  # gaps of 20 px along the middle rules
        img[418:423, x:x + 20] = 255
        img[538:543, x + 60:x + 80] = 255
    cv2.circle(img, (1500, 480), 160, 205, 8)  # a red seal ring (its grey: red fades) over rules
    xs = np.arange(1300, 1800, 4)
    ys = 480 + 40 * np.sin(xs / 30.0)
    cv2.polylines(img, [np.stack([xs, ys], 1).astype(np.int32)], False, 0, 6)  # a signature across a rule
    cells = scan_grid.table_cells(*scan_grid.find_rules(scan_grid.ink(img), DPI), DPI)
    assert len(cells) == 1 and len(cells[0]) == 9


def test_a_cell_without_a_rule_between_is_one_merged_cell():
    img = page_with_table(text=False)
    img[421:539, 325:336] = 255  # no rule between columns 1 and 2 on the middle row
    img[421:539, 1495:1506] = 255  # nor between 2 and 3
    cells = scan_grid.table_cells(*scan_grid.find_rules(scan_grid.ink(img), DPI), DPI)
    widths = sorted(round(b[2] - b[0]) for b in cells[0] if 400 < (b[1] + b[3]) / 2 < 560)
    assert widths == [pytest.approx(2000, abs=6)]
    assert len(cells[0]) == 7


def test_text_of_a_page_fed_sideways_runs_up_the_page():
    page = page_with_table()
    assert scan_grid.glyph_uprightness(scan_grid.ink(page), DPI) > 0.15
    sideways = np.ascontiguousarray(np.rot90(rotated(page, 1.5)))
    assert scan_grid.glyph_uprightness(scan_grid.ink(sideways), DPI) < scan_grid.SETTINGS.sideways_below


def test_red_and_blue_ink_fade_black_print_stays():
    rgb = np.full((10, 30, 3), 255, np.uint8)
    rgb[:, :10] = (200, 30, 30)  # seal red
    rgb[:, 10:20] = (25, 45, 150)  # signature blue
    rgb[:, 20:] = (20, 20, 20)  # print
    grey = scan_grid.grey_of(rgb)
    assert grey[0, 0] == 200 and grey[0, 15] == 150 and grey[0, 25] == 20


def test_a_thick_double_frame_is_erased_whole():
    """A form's frame drawn as a thick stroke beside a thin one (the 1-bit scans of
    vn-luatvietnam): painting 5 px around the merged rule's centre left strokes in the first
    column's cells, read as "|" or glued to the item number."""
    img = page_with_table(text=False)
    rows, cols = (300, 420, 540, 900), (200, 330, 1500, 2200)
    cv2.line(img, (cols[0] - 9, rows[0] - 9), (cols[0] - 9, rows[-1] + 9), 0, 9)  # the outer, thick stroke
    mask = scan_grid.ink(img)
    hs, vs = scan_grid.find_rules(mask, DPI)
    erased = scan_grid.erase_rules(mask, hs, vs, DPI, value=0)
    left = erased[rows[0] + 10:rows[-1] - 10, cols[0] - 20:cols[0] + 10]
    assert np.count_nonzero(left) == 0
    # a digit in the first column, clear of the frame, stays
    cv2.putText(img, "7", (cols[0] + 40, rows[1] + 90), cv2.FONT_HERSHEY_SIMPLEX, 2, 0, 5)
    mask = scan_grid.ink(img)
    erased = scan_grid.erase_rules(mask, *scan_grid.find_rules(mask, DPI), DPI, value=0)
    assert np.count_nonzero(erased[rows[1] + 10:rows[2] - 10, cols[0] + 10:cols[1] - 10]) > 100


def test_a_seal_inside_the_cells_cuts_no_false_columns_or_rows():
    """Issue 17: a grey scan's seal over a table (a ring, an inner ring, a star: straight runs as
    long as a rule piece that start and end between the rules) cut a cell into false columns and
    rows; a column rule runs from a row rule to a row rule, a row rule from a column rule to one."""
    img = page_with_table(rows=(300, 420, 1100, 1300), text=False)
    cv2.circle(img, (900, 760), 230, 90, 9)  # dark enough to be ink: a grey scan of a red seal
    cv2.circle(img, (900, 760), 150, 90, 5)
    star = np.array([[900, 640], [930, 730], [1020, 730], [950, 780], [980, 870], [900, 815], [820, 870],
                     [850, 780], [780, 730], [870, 730]], np.int32)
    cv2.fillPoly(img, [star], 90)
    cv2.rectangle(img, (760, 690), (1040, 700), 90, -1)  # the star's arms drawn straight across
    cells = scan_grid.table_cells(*scan_grid.find_rules(scan_grid.ink(img), DPI), DPI)
    assert len(cells) == 1 and len(cells[0]) == 9, sorted(cells[0])


def test_lines_of_bold_text_run_together_in_several_cells_are_no_row_rule():
    """Issue 17 (scan sweep 91/93, a 100-dpi page holding one row): the lines of bold text in
    three cells of a row, each run together into a straight stroke at one height, were taken as
    one row rule from the first to the last (together 0.8 of the table's width) and painted over:
    the tops of the letters cut off ("CSnI “huấ gia" for "CSDL Quốc gia", "Các địa phương" read
    as nothing). Their pieces cover a quarter of that width: no rule, the row stays one row."""
    rows, cols = (300, 560), (200, 330, 1500, 1700, 2200)
    img = page_with_table(rows=rows, cols=cols, text=False)
    for x0, x1 in ((345, 700), (1000, 1300), (1715, 2050)):  # three cells' first lines, 60 px under the top rule
        cv2.rectangle(img, (x0, 356), (x1, 366), 0, -1)
    hs, vs = scan_grid.find_rules(scan_grid.ink(img), DPI)
    assert len([h for h in hs if 340 < h.pos < 380]) == 3, "the strokes are found as rule pieces"
    kept = scan_grid.row_rules(hs, scan_grid.column_rules(hs, vs, DPI), DPI)
    assert sorted(round(h.pos) for h in kept) == [300, 560]
    erased, _ = scan_grid.erasable(hs, vs, DPI)
    assert all(not 340 < h.pos < 380 for h in erased)
    cells = scan_grid.table_cells(hs, vs, DPI)
    assert len(cells) == 1 and len(cells[0]) == 4
