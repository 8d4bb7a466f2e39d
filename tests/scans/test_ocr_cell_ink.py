"""What a cell's image is cleaned of before OCR, and the Roman item numbers counted by their
stems (extractors/ocr_cells.py), on drawn cells: no Tesseract needed; and an item cell whose
ink box holds part of its number read again whole (Tesseract)."""

import cv2
import numpy as np
import pytest

from extractors.ocr_cells import (SETTINGS, _lines_of, _roman_by_stems, _unread, _without_edge_rules, _without_overlaid,
                                  _without_specks)


def _cell(h: int = 80, w: int = 110) -> np.ndarray:
    return np.zeros((h, w), np.uint8)  # an ink mask: 255 = ink


def _stems(n: int) -> np.ndarray:
    """A bold Roman numeral of n stems whose serifs touch (as on a 1-bit scan): "II" looks like "H"."""
    ink = _cell()
    x = 20
    for _ in range(n):
        cv2.rectangle(ink, (x, 25), (x + 7, 55), 255, -1)
        x += 16
    cv2.rectangle(ink, (16, 22), (x - 5, 26), 255, -1)  # the serifs, run together
    cv2.rectangle(ink, (16, 54), (x - 5, 58), 255, -1)
    return ink


def test_rule_remnants_along_the_sides_go_and_the_digit_stays():
    ink = _cell()
    ink[:, 0:4] = 255  # what is left of the left rule, the whole height
    ink[0:3, 8:] = 255  # and of the top rule (apart: blobs that meet at a corner are one blob, kept)
    cv2.putText(ink, "1", (45, 60), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 255, 3)
    clean = _without_edge_rules(ink, SETTINGS)
    assert np.count_nonzero(clean[:, :6]) == 0 and np.count_nonzero(clean[:4, :]) == 0
    assert np.count_nonzero(clean[10:, 30:80]) == np.count_nonzero(ink[10:, 30:80])  # the "1" untouched


def test_a_tall_letter_away_from_the_side_is_not_a_rule():
    ink = _cell(h=50)
    cv2.rectangle(ink, (20, 3), (26, 47), 255, -1)  # an "l" nearly as tall as the cell, inside it
    assert np.count_nonzero(_without_edge_rules(ink, SETTINGS)) == np.count_nonzero(ink)


@pytest.mark.parametrize("read, n, expected", [("H", 2, "II"), ("II", 3, "III"), ("I", 1, "I"), ("II.", 2, "II.")])
def test_roman_numbers_by_their_stems(read, n, expected):
    words = [(read, 0.0, 0.0, 10.0, 10.0, 50.0)]
    assert _roman_by_stems(words, _stems(n), SETTINGS)[0][0] == expected


def test_digits_are_not_counted_as_stems():
    words = [("12", 0.0, 0.0, 10.0, 10.0, 90.0)]
    assert _roman_by_stems(words, _stems(2), SETTINGS) == words


def test_marks_over_a_line_of_capitals_are_part_of_that_line():
    """Bands of ink apart from the letters under them (the marks over "Ễ" at 300 dpi) join the
    line nearest to them; lines the width of a cell's gap apart stay lines."""
    ink = _cell(h=200, w=300)
    ink[40:44, 20:40] = 255  # a mark, 3 px over its letter
    ink[47:80, 10:280] = 255  # line 1
    ink[100:133, 10:280] = 255  # line 2
    ink[136:140, 50:60] = 255  # a dot under line 2
    assert _lines_of(ink > 0, SETTINGS) == [(40, 80), (100, 140)]


def test_ink_of_a_line_no_word_covers_is_measured_along_the_line():
    """`_unread`: the widest piece of a line's ink that no word of the reading covers (words
    lost by Tesseract); a word over two lines covers nothing."""
    ink = _cell(h=120, w=600)
    ink[20:60, 10:590] = 255  # one line of text across the cell
    words = [("a", 10, 20, 290, 60, 96)]
    assert 280 <= _unread(ink, words, SETTINGS) <= 300  # its right half read by no word
    assert _unread(ink, words + [("b", 290, 20, 590, 60, 96)], SETTINGS) == 0
    assert _unread(ink, words + [("b", 290, 0, 590, 119, 96)], SETTINGS) >= 280  # "b" runs over two lines


def test_a_speck_far_from_the_word_before_it_is_dropped():
    words = [("Kinh", 0, 10, 60, 40, 95), ("tế", 70, 10, 100, 40, 95), (".", 300, 30, 305, 36, 30)]
    assert [w[0] for w in _without_specks(words)] == ["Kinh", "tế"]
    words = [("tế", 70, 10, 100, 40, 95), (".", 102, 30, 107, 36, 30)]  # a full stop against its word
    assert [w[0] for w in _without_specks(words)] == ["tế", "."]


def test_an_item_number_whose_thin_stroke_is_not_ink_is_read_from_the_whole_cell():
    """At 100 dpi the thin stem of a small "7" falls under the ink threshold: the ink's box holds
    its bar alone, read as "-" (or "Ắ"), no item number. The whole cell is read again among the
    characters of item numbers (`_item_in_whole_cell`), the box the number's own."""
    from extractors import ocr_cells

    grey = np.full((120, 76), 255, np.uint8)
    cv2.putText(grey, "7", (24, 60), cv2.FONT_HERSHEY_DUPLEX, 1.1, 0, 3)
    ink = grey < 128
    rows = np.flatnonzero(ink.any(axis=1))
    mask = np.zeros_like(grey)
    mask[rows[0]:rows[0] + 3][ink[rows[0]:rows[0] + 3]] = 255  # the bar alone is ink
    reader = ocr_cells.Reader()
    try:
        words = ocr_cells._cell_words(reader, grey, mask, (0, 0, 76, 120), True)
        assert [w[0] for w in words] == ["7"]
        assert words[0][2] <= rows[0] + 2 and words[0][4] >= rows[-1] - 2  # the whole digit's height
        # a cell read as a word ("STT") is not read again as a number
        header = np.full((60, 120), 255, np.uint8)
        cv2.putText(header, "STT", (10, 42), cv2.FONT_HERSHEY_DUPLEX, 1.0, 0, 2)
        ink = (header < 128).astype(np.uint8) * 255
        assert [w[0] for w in ocr_cells._cell_words(reader, header, ink, (0, 0, 120, 60), True)] == ["STT"]
    finally:
        reader.close()


def test_words_a_cell_over_smaller_cells_read_inside_them_are_theirs():
    header, under = (0, 0, 100, 40), (100, 0, 200, 40)
    over = (0, 0, 300, 80)  # a broken rule: a cell found over the header cells and the row below
    read = [(header, [["Nhiệm", 10, 10, 40, 30, 96.0], ["vụ", 45, 10, 60, 30, 97.0]]),
            (under, [["Thời", 110, 10, 140, 30, 96.0]]),
            (over, [["Nhiệm", 10, 8, 40, 28, 96.8], ["vụ", 45, 8, 60, 28, 97.0], ["hạn", 210, 10, 240, 30, 95.0],
                    ["Đẩy", 10, 50, 40, 70, 97.0]])]
    assert [w[0] for w in _without_overlaid(read)] == ["Nhiệm", "vụ", "Thời", "hạn", "Đẩy"]
    # cells side by side, none over another: every word kept
    apart = [(header, read[0][1]), (under, read[1][1])]
    assert [w[0] for w in _without_overlaid(apart)] == ["Nhiệm", "vụ", "Thời"]


def _narrow_cell(lines: list[str], dpi: int, bold: bool) -> np.ndarray:
    """A cell of a narrow item column (25 x 40 pt) with `lines` of 12 pt Times (Liberation
    Serif) centred one under the other, printed at `dpi` and brought to the OCR's 300 dpi as a
    page scanned at a low resolution is (grey; 0 = ink)."""
    from PIL import Image, ImageDraw, ImageFont

    from tests.fixtures.headers_corpus import FONT_DIR

    k = dpi / 72
    face = "LiberationSerif-Bold.ttf" if bold else "LiberationSerif-Regular.ttf"
    font = ImageFont.truetype(str(FONT_DIR / face), int(round(12 * k)))
    image = Image.new("L", (int(25 * k), int(40 * k)), 255)
    draw = ImageDraw.Draw(image)
    for n, text in enumerate(lines):
        draw.text(((image.width - draw.textlength(text, font=font)) / 2, (4 + 14.4 * n) * k), text, fill=0, font=font)
    grey = np.asarray(image)
    return grey if dpi == SETTINGS.dpi else cv2.resize(grey, None, fx=SETTINGS.dpi / dpi, fy=SETTINGS.dpi / dpi,
                                                       interpolation=cv2.INTER_CUBIC)


def _read_item_cell(reader, grey: np.ndarray) -> list[str]:
    from extractors import ocr_cells

    mask = (grey < 128).astype(np.uint8) * 255
    return [w[0] for w in ocr_cells._cell_words(reader, grey, mask, (0, 0, grey.shape[1], grey.shape[0]), True)]


@pytest.fixture(scope="module")
def reader():
    from extractors import ocr_cells

    r = ocr_cells.Reader()
    yield r
    r.close()


DPIS = (100, 150, 200, 300)


@pytest.mark.parametrize("bold", [True, False], ids=["bold", "regular"])
def test_a_header_word_the_item_column_wraps_stays_text(reader, bold):
    """The header of a narrow item column wraps "STT" as "ST" over "T". The cell is in the item
    column, so its lines are set side by side and read as a wrapped item number would be
    (`_wrapped_number`); among the characters of item numbers "STT" read as "I", its stems
    counted as "II", an item number: the header was taken for a section row (a fresh scan
    draw, 101/103, 300 dpi; drawn here the bold one at 150 dpi). A word over two lines stays
    the word, at every resolution."""
    read = {dpi: _read_item_cell(reader, _narrow_cell(["ST", "T"], dpi, bold)) for dpi in DPIS}
    assert read == {dpi: ["ST", "T"] for dpi in DPIS}


@pytest.mark.parametrize("lines, number", [(["1", "0"], "10"), (["(1", ")"], "(1)"), (["1", "2"], "12"),
                                           (["(1", "2)"], "(12)"), (["IV", "."], "IV")])
def test_a_number_the_item_column_wraps_is_read_as_one(reader, lines, number):
    """A number a narrow item column wraps ("1" over "0", "(1" over ")") is still read as the one
    number it is, though its first reading holds a word ("(1" read as "lại"), and a Roman section
    label over two lines is read as now."""
    for bold in (True, False):
        assert {dpi: _read_item_cell(reader, _narrow_cell(lines, dpi, bold)) for dpi in DPIS} == \
            {dpi: [number] for dpi in DPIS}, f"bold={bold}"
