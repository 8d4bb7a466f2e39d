"""The header block of a document: number and issue date from the header only, never from the
body, and a number or day written by hand (OCR noise) or left blank gives null with the raw
text kept. Lines are built as OCR lays them out: two columns cut by a wide gap."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.layout import Line, Word
from normalizers.document import document_facts, header_date

CHAR = 5.0  # points per character, roughly, of a 12 pt Times line
LEFT, RIGHT = 70.0, 300.0  # x where the left and the right column of the header block start


def _line(y: float, *columns: tuple[float, str]) -> Line:
    words = []
    for x, text in columns:
        for token in text.split():
            w = len(token) * CHAR
            words.append(Word(token, x, y, x + w, y + 12, CHAR, CHAR))
            x += w + CHAR
    return Line(tuple(words))


def _page(number: str, date_line: str, *, body: tuple[str, ...] = (), before: tuple[str, ...] = (),
          issuer: str = "ỦY BAN NHÂN DÂN", type_word: str = "QUYẾT ĐỊNH") -> list[Line]:
    lines = [_line(40 + 14 * k, (LEFT, t)) for k, t in enumerate(before)]
    y = 40 + 14 * len(before)
    lines += [
        _line(y, (LEFT, issuer), (RIGHT, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")),
        _line(y + 14, (RIGHT + 30, "Độc lập - Tự do - Hạnh phúc")),
        _line(y + 34, (LEFT + 20, number), (RIGHT + 20, date_line)),
        _line(y + 70, (250, type_word)),
        _line(y + 84, (200, "Về việc ban hành kế hoạch")),
    ]
    lines += [_line(y + 110 + 14 * k, (LEFT, t)) for k, t in enumerate(body)]
    return lines


BODY = ("Căn cứ Quyết định số 1234/QĐ-TTg ngày 13 tháng 7 năm 2023 của Thủ tướng Chính phủ;",
        "Căn cứ Nghị quyết số 43/2009/NQ-QH12 ngày 27 tháng 11 năm 2009 của Quốc hội;")


def test_printed_header():
    f = document_facts(_page("Số: 23/QĐ-UBND", "Hà Nội, ngày 06 tháng 01 năm 2010", body=BODY))
    assert (f.doc_number, f.doc_type_code, f.issued_date) == ("23/QĐ-UBND", "QĐ-UBND", dt.date(2010, 1, 6))
    assert (f.doc_number_raw, f.issued_date_raw) == ("Số: 23/QĐ-UBND", "Hà Nội, ngày 06 tháng 01 năm 2010")
    assert (f.doc_type, f.dated, f.dated_precision) == ("Quyết định", dt.date(2010, 1, 6), "day")


@pytest.mark.parametrize("date_line", [
    "Thành phố Hồ Chí Minh, ngày    tháng 6 năm 2026",  # a blank day
    "Thành phố Hồ Chí Minh, ngày/2 tháng 6 năm 2026",  # a day written by hand, as OCR reads it
    "Thành phố Hồ Chí Minh, ngàyØ tháng 6 năm 2026",
])
def test_a_day_not_read_is_null_never_a_date_of_the_body(date_line):
    f = document_facts(_page("Số: 12/KH-ĐHKT", date_line, body=BODY))
    assert f.issued_date is None  # not 2023-07-13 nor 2009-11-27, cited in the body
    assert f.issued_date_raw == " ".join(date_line.split())  # as read (words joined by one space)
    assert (f.dated, f.dated_precision) == (dt.date(2026, 6, 30), "month")


def test_a_month_not_read_leaves_the_year():
    f = document_facts(_page("Số: 02/2010/TT-BKH", "Hà Nội, ngàyØthángôl năm 2010", body=BODY))
    assert f.issued_date is None
    assert (f.dated, f.dated_precision) == (dt.date(2010, 12, 31), "year")


def test_a_body_date_before_the_header_date_is_not_taken():
    # a stray line of the body read above the header block (a page scanned with its neighbour's
    # last line): its date is cited text, not the issue date
    page = _page("Số: 5/QĐ-UBND", "Hà Nội, ngày    tháng 3 năm 2025", before=BODY[:1], body=BODY[1:])
    assert document_facts(page).issued_date is None
    page = _page("Số: 5/QĐ-UBND", "Hà Nội, ngày 14 tháng 3 năm 2025", before=BODY[:1], body=BODY[1:])
    assert document_facts(page).issued_date == dt.date(2025, 3, 14)


def test_no_place_and_date_line_gives_no_date():
    f = document_facts(_page("Số: 5/QĐ-UBND", "", body=BODY))
    assert (f.issued_date, f.issued_date_raw, f.dated) == (None, None, None)


def test_ocr_digit_lookalikes_in_a_printed_date():
    f = document_facts(_page("Số : 02/2010/TT-NHNN", "Hà Nội, ngày 22 tháng 0l năm 2010", body=BODY))
    assert (f.doc_number, f.issued_date) == ("02/2010/TT-NHNN", dt.date(2010, 1, 22))


@pytest.mark.parametrize("number, code", [
    ("Số: /QĐ-UBND", "QĐ-UBND"),  # left blank, to be written by hand
    ("Số:      /QĐ-UBND", "QĐ-UBND"),
    ("Sé⁄22⁄2010/TT-UBDT", "TT-UBDT"),  # written by hand, as OCR reads it
    ("Số: 02. /2010/TT-BKH", "TT-BKH"),
    ("Số: ql/KH-ĐHKT", "KH-ĐHKT"),
])
def test_a_number_not_read_is_null_with_its_printed_code(number, code):
    f = document_facts(_page(number, "Hà Nội, ngày 06 tháng 01 năm 2010"))
    assert (f.doc_number, f.doc_type_code, f.doc_number_raw) == (None, code, " ".join(number.split()))


def test_a_number_cited_in_the_body_is_not_the_documents():
    f = document_facts(_page("Số: /QĐ-UBND", "Hà Nội, ngày 06 tháng 01 năm 2010",
                             body=("Số: 1234/QĐ-TTg của Thủ tướng Chính phủ",) + BODY))
    assert (f.doc_number, f.doc_type_code) == (None, "QĐ-UBND")


def test_header_date_parts():
    assert header_date("Hà Nội, ngày 31 tháng 12 năm 2025").issued == dt.date(2025, 12, 31)
    assert header_date("Hà Nội, ngày 31 tháng 02 năm 2025").issued is None  # no such day
    assert header_date("Hà Nội, ngày    tháng 12 năm 2025").dated == dt.date(2025, 12, 31)
    assert header_date("Hà Nội, ngày 1O tháng 3 năm 2O25").issued == dt.date(2025, 3, 10)
    assert header_date(None).dated is None


def test_issuer_run_into_the_motto_by_ocr():
    page = [_line(40, (LEFT, "BỘ KẾ HOẠCH VÀ ĐẦU TƯ CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"))] + _page(
        "Số: 02/2010/TT-BKH", "Hà Nội, ngày 19 tháng 01 năm 2010", issuer="")[1:]
    f = document_facts(page)
    assert (f.issuer, f.doc_number, f.issued_date) == ("Bộ Kế hoạch và Đầu tư", "02/2010/TT-BKH", dt.date(2010, 1, 19))
