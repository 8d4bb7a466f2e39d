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
