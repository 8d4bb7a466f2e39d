"""Specks of a header band read again (extractors/ocr_header.py `without_specks`): words as the
reader gives them, [text, x0, y0, x1, y1, confidence], on one line of a band."""

from extractors.ocr_header import without_specks


def _line(*words):
    out, x = [], 0
    for text, conf in words:
        out.append([text, x, 100, x + 10 * len(text), 112, conf])
        x += 10 * len(text) + 6
    return out


def test_a_month_read_unsure_in_its_slot_of_the_date_line_is_kept():
    # 10209667 at 150 dpi: "Hà Nội, ngày 22 tháng 01 năm 2010", the month read at 26
    words = _line(("Hà", 90), ("Nội,", 90), ("ngày", 91), ("22", 88), ("tháng", 92), ("01", 26), ("năm", 93), ("2010", 90))
    assert [w[0] for w in without_specks(words)] == ["Hà", "Nội,", "ngày", "22", "tháng", "01", "năm", "2010"]


def test_short_words_read_unsure_elsewhere_are_specks():
    # a number written by hand read in part next to "Số:", a speck after the year, a month
    # read too unsure, a slot holding no month, marks
    assert [w[0] for w in without_specks(_line(("Số:", 90), ("12", 30), ("/QĐ-UBND", 85)))] == ["Số:", "/QĐ-UBND"]
    assert [w[0] for w in without_specks(_line(("năm", 90), ("2010", 90), ("1", 30)))] == ["năm", "2010"]
    assert [w[0] for w in without_specks(_line(("tháng", 90), ("01", 12), ("năm", 90)))] == ["tháng", "năm"]
    assert [w[0] for w in without_specks(_line(("tháng", 90), ("13", 40), ("năm", 90)))] == ["tháng", "năm"]
    assert [w[0] for w in without_specks(_line(("tháng", 90), ("0Ì", 40), ("năm", 90)))] == ["tháng", "năm"]
    assert [w[0] for w in without_specks(_line(("ngày", 90), ("^", 95), ("22", 90)))] == ["ngày", "22"]
    # on another line, "tháng" and "năm" make no slot
    words = _line(("tháng", 90), ("năm", 90)) + [["01", 6, 140, 26, 152, 30]]
    assert [w[0] for w in without_specks(words)] == ["tháng", "năm"]


def test_a_mark_read_apart_inside_a_longer_word_is_dropped():
    # h08_015 at 150 dpi: the breve of "năm" read as "ă" over it ("năm ă 2025": no date)
    from extractors.ocr_header import without_marks

    words = _line(("ngày", 96), ("19", 97), ("tháng", 97), ("11", 97), ("năm", 96), ("2025", 96))
    nam = words[4]
    mark = ["ă", nam[1] + 9, nam[2], nam[1] + 13, nam[2] + 2, 64]
    assert [w[0] for w in without_marks(words + [mark])] == ["ngày", "19", "tháng", "11", "năm", "2025"]
    # a word of its own height inside a longer word's box (two readings merged: "XÃ" within a
    # "HÒA" read wide), or a digit there ("8" within a "tháng" read wide), stays
    hoa, xa = ["HÒA", 0, 100, 320, 160, 96], ["XÃ", 130, 102, 190, 158, 96]
    assert [w[0] for w in without_marks([hoa, xa])] == ["HÒA", "XÃ"]
    thang, eight = ["tháng", 0, 100, 280, 154, 96], ["8", 150, 100, 170, 118, 96]
    assert [w[0] for w in without_marks([thang, eight])] == ["tháng", "8"]
    # a short word beside a longer one, not inside it, stays
    assert [w[0] for w in without_marks(_line(("Số:", 90), ("52", 90), ("/TB-SNV", 90)))] == ["Số:", "52", "/TB-SNV"]


def test_a_band_with_a_number_line_and_a_date_line_has_its_identity():
    from extractors.ocr_header import has_identity

    number = _line(("Số:", 90), ("52", 90), ("/TB-SNV", 90))
    date = [[t, x + 400, 100, x1 + 400, 112, c] for t, x, _, x1, _, c in
            _line(("ngày", 90), ("21", 90), ("tháng", 90), ("8", 90), ("năm", 90), ("2024", 90))]
    below = [[t, x, 200, x1, 212, c] for t, x, _, x1, _, c in _line(("Căn", 90), ("cứ", 90), ("30/2020/NĐ-CP", 90))]
    assert has_identity(number + date + below)
    assert not has_identity(date + below)  # a citation's number is no number line
    assert not has_identity(number + below)
    assert not has_identity(number + [[t, x + 400, 100, x1 + 400, 112, c] for t, x, _, x1, _, c in
                                      _line(("ngày", 90), ("T9", 90), ("tháng", 90), ("TT", 90), ("năm", 90), ("2095", 90))])


def _sealed_band(seal: bool):
    """A band as a grey 100-dpi scan upsampled 3x shows it: paper 245, a line of dark print
    (strokes 2 scan pixels wide, black 20), and a seal's ring of a middle grey (5 pixels wide,
    130) across it, the print under the ring a darker grey (70), blurred."""
    import cv2
    import numpy as np

    g = np.full((300, 600), 245, np.uint8)
    for x in range(60, 540, 30):  # letters' stems
        g[120:180, x:x + 6] = 20
    g[147:153, 60:540] = 20  # a thin bar through them
    if seal:
        ring = np.zeros_like(g)
        cv2.circle(ring, (300, 150), 130, 255, 15)
        g[(ring > 0) & (g > 100)] = 130
        g[(ring > 0) & (g <= 100)] = 70
    return cv2.GaussianBlur(g, (0, 0), 2)


def test_a_grey_seal_over_print_is_taken_out_and_the_print_under_it_kept():
    import numpy as np

    from extractors.ocr_header import without_seal

    assert without_seal(_sealed_band(False), 3.0) is None  # no seal: nothing to take out
    band = _sealed_band(True)
    out = without_seal(band, 3.0)
    assert out is not None
    # the ring where it crosses paper is paper now; the print under it stays dark
    assert out[150 - 130 + 0, 300] >= 230 and band[150 - 130, 300] <= 150
    assert out[150, 300 - 130] <= 120  # the bar under the ring (x 170): print
    assert np.abs(out[130, 63].astype(int) - band[130, 63]) == 0  # print away from the seal: as it was
