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


# ---------------------------------------------------------------- the header read as its parts (issue 18)


def _block(issuer_lines: tuple[str, ...], number: list[tuple[float, str]], date: list[tuple[float, str]],
           *, after: tuple[str, ...] = (), type_word: str | None = "TỜ TRÌNH", above: tuple[str, ...] = (),
           dy: float = 0.0) -> list[Line]:
    """A first page: the issuer block over the "Số" line on the left, the motto over the date line on
    the right; `number` and `date` are pieces (x, text) of their lines: words a typist or a signing
    system put at any x, those after the first drawn `dy` points off the baseline (a widget)."""
    lines = [_line(10 + 10 * k, (RIGHT, t)) for k, t in enumerate(above)]
    for k, text in enumerate(issuer_lines):
        cols = [(LEFT + 10, text)]
        if k == 0:
            cols.append((RIGHT, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
        elif k == 1:
            cols.append((RIGHT + 30, "Độc lập - Tự do - Hạnh phúc"))
        lines.append(_line(57 + 15 * k, *cols))
    if len(issuer_lines) == 1:
        lines.append(_line(72, (RIGHT + 30, "Độc lập - Tự do - Hạnh phúc")))
    y = 57 + 15 * max(len(issuer_lines), 2) + 14
    pieces = [(x, t, y if k == 0 else y + dy) for k, (x, t) in enumerate(number)]
    pieces += [(x, t, y if k == 0 else y + dy) for k, (x, t) in enumerate(date)]
    words = []
    for x, text, top in pieces:
        for token in text.split():
            w = len(token) * CHAR
            words.append(Word(token, x, top, x + w, top + 12, CHAR, CHAR))
            x += w + CHAR
    lines.append(Line(tuple(sorted(words, key=lambda w: w.x0))))
    y += 40
    if type_word:  # centred on the body's lines
        mid = (LEFT + max(_line(0, (LEFT, t)).box[2] for t in BODY)) / 2
        for k, text in enumerate((type_word, "Về việc đề nghị phê duyệt kế hoạch")):
            lines.append(_line(y + 15 * k, (mid - len(text) * CHAR / 2, text)))
        y += 40
    for k, text in enumerate(after):
        lines.append(_line(y + 15 * k, (LEFT + 60, text)))
    lines += [_line(y + 15 * len(after) + 20 + 14 * k, (LEFT, t)) for k, t in enumerate(BODY)]
    return lines


@pytest.mark.parametrize("issuer_lines, issuer, parent", [
    (("UBND TỈNH LÂM ĐỒNG", "SỞ NỘI VỤ"), "Sở Nội vụ tỉnh Lâm Đồng", "Ủy ban nhân dân tỉnh Lâm Đồng"),
    (("ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG"), "Ủy ban nhân dân tỉnh Lâm Đồng", "Tỉnh Lâm Đồng"),
    (("CÔNG AN TỈNH LÂM ĐỒNG",), "Công an tỉnh Lâm Đồng", "Bộ Công an"),  # not Bộ Công an
    (("BỘ CÔNG AN", "CÔNG AN TỈNH LÂM ĐỒNG"), "Công an tỉnh Lâm Đồng", "Bộ Công an"),
    (("UBND TỈNH BÌNH THUẬN", "SỞ NỘI VỤ"), "Sở Nội vụ tỉnh Bình Thuận", "Ủy ban nhân dân tỉnh Bình Thuận"),
    (("BỘ CÔNG AN", "CỤC CẢNH SÁT QUẢN LÝ", "HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI"),
     "Cục Cảnh sát quản lý hành chính về trật tự xã hội", "Bộ Công an"),
    (("ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG", "VĂN PHÒNG"), "Văn phòng Ủy ban nhân dân tỉnh Lâm Đồng",
     "Ủy ban nhân dân tỉnh Lâm Đồng"),
    (("UBND TỈNH NGHỆ AN", "SỞ NỘI VỤ"), None, None),  # a department the registry does not list: null, not a guess
    # a long name in capitals reaching past the motto's edge is still the issuer block
    (("UBND TỈNH LÂM ĐỒNG", "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH TỈNH LÂM ĐỒNG"),
     "Sở Văn hóa, Thể thao và Du lịch tỉnh Lâm Đồng", "Ủy ban nhân dân tỉnh Lâm Đồng"),
])
def test_the_issuer_is_the_lower_body_of_the_block(issuer_lines, issuer, parent):
    f = document_facts(_block(issuer_lines, [(LEFT + 20, "Số: 156/TTr-SNV")],
                              [(RIGHT + 10, "Lâm Đồng, ngày 19 tháng 12 năm 2025")]))
    assert (f.issuer, f.parent_body) == (issuer, parent)
    assert f.issuer_raw == " / ".join(issuer_lines)
    assert (f.doc_number, f.issued_date, f.issued_place) == ("156/TTr-SNV", dt.date(2025, 12, 19), "Lâm Đồng")


@pytest.mark.parametrize("dy", [0.0, 1.5, -2.0])
def test_a_number_and_a_day_stamped_into_their_gaps(dy):
    # the page prints "Số:" and "/TTr-SNV" far apart, and "ngày" and "tháng" far apart; a signing
    # system stamps "1 5 6" and "2 5" into the gaps, glyphs spaced apart, a little off the baseline
    number = [(LEFT, "Số:"), (LEFT + 60, "/TTr-SNV"), (LEFT + 22, "1"), (LEFT + 30, "5"), (LEFT + 38, "6")]
    date = [(RIGHT, "Lâm Đồng, ngày"), (RIGHT + 120, "tháng 8 năm 2025"), (RIGHT + 92, "2"), (RIGHT + 100, "5")]
    f = document_facts(_block(("UBND TỈNH LÂM ĐỒNG", "SỞ NỘI VỤ"), number, date, dy=dy))
    assert (f.doc_number, f.doc_type_code, f.issued_date) == ("156/TTr-SNV", "TTr-SNV", dt.date(2025, 8, 25))
    assert f.issuer == "Sở Nội vụ tỉnh Lâm Đồng"


def test_gaps_left_blank_give_null_with_what_is_printed():
    number = [(LEFT, "Số:"), (LEFT + 60, "/TTr-SNV")]
    date = [(RIGHT, "Lâm Đồng, ngày"), (RIGHT + 120, "tháng 8 năm 2025")]
    f = document_facts(_block(("UBND TỈNH LÂM ĐỒNG", "SỞ NỘI VỤ"), number, date))
    assert (f.doc_number, f.doc_type_code, f.doc_number_raw) == (None, "TTr-SNV", "Số: /TTr-SNV")
    assert (f.issued_date, f.dated, f.dated_precision) == (None, dt.date(2025, 8, 31), "month")
    assert f.issued_date_raw == "Lâm Đồng, ngày tháng 8 năm 2025"


def test_a_signing_stamp_over_the_header_is_ignored():
    stamp = ("Ký bởi: Sở Nội vụ", "Email: snv@lamdong.gov.vn", "Cơ quan: Tỉnh Lâm Đồng",
             "Thời gian ký: 25.08.2025 16:48:29 +07:00", "Số: 2775/SNV-CCHC; 10/11/2025; 10:59:46;")
    f = document_facts(_block(("UBND TỈNH LÂM ĐỒNG", "SỞ NỘI VỤ"), [(LEFT + 20, "Số: 156/TTr-SNV")],
                              [(RIGHT + 10, "Lâm Đồng, ngày 19 tháng 12 năm 2025")], above=stamp))
    assert (f.doc_number, f.issued_date, f.issuer) == ("156/TTr-SNV", dt.date(2025, 12, 19), "Sở Nội vụ tỉnh Lâm Đồng")
    assert f.title == "Về việc đề nghị phê duyệt kế hoạch"


@pytest.mark.parametrize("after, addressees", [
    (("Kính gửi: Chủ tịch UBND tỉnh Lâm Đồng.",), ("Chủ tịch UBND tỉnh Lâm Đồng",)),
    (("Kính gửi:", "- Bộ Nội vụ;", "- Văn phòng Chính phủ;", "- Ủy ban nhân dân các xã, phường,", "đặc khu."),
     ("Bộ Nội vụ", "Văn phòng Chính phủ", "Ủy ban nhân dân các xã, phường, đặc khu")),
    (("Kính gửi: Bộ Nội vụ; Sở Tài chính.",), ("Bộ Nội vụ", "Sở Tài chính")),
])
def test_addressees_are_listed_and_the_title_ends_before_them(after, addressees):
    f = document_facts(_block(("UBND TỈNH LÂM ĐỒNG", "SỞ NỘI VỤ"), [(LEFT + 20, "Số: 156/TTr-SNV")],
                              [(RIGHT + 10, "Lâm Đồng, ngày 19 tháng 12 năm 2025")], after=after))
    assert f.addressees == addressees
    assert f.title == "Về việc đề nghị phê duyệt kế hoạch"


def test_a_number_wider_in_ink_than_its_digits_is_not_a_guess():
    # OCR read one digit of "49" written by hand: its box is as wide as two
    line = [Word("Số:", LEFT, 100, LEFT + 15, 112, 5, 5), Word("9", LEFT + 25, 100, LEFT + 40, 112, 15, 15),
            Word("/KH-UBND", LEFT + 54, 100, LEFT + 118, 112, 8, 8)]
    page = _block(("ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG"), [], [(RIGHT + 10, "Lâm Đồng, ngày 19 tháng 12 năm 2025")])
    page = [l if l.words[0].text != "Lâm" else Line(tuple(line) + l.words) for l in page]
    f = document_facts(page)
    assert (f.doc_number, f.doc_type_code) == (None, "KH-UBND")


# ---------------------------------------------------------------- appendix identity (issue 19)


def _appendix(*heading: str) -> list[Line]:
    lines = [_line(50 + 16 * k, (150, t)) for k, t in enumerate(heading)]
    return lines + [_line(50 + 16 * len(heading) + 30 + 14 * k, (LEFT, t)) for k, t in enumerate(BODY)]


def test_an_appendix_takes_the_identity_of_the_document_it_is_attached_to():
    f = document_facts(_appendix("Phụ lục", "KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2025",
                                 "(Kèm theo Báo cáo số 12/BC-BCA ngày 05 tháng 6 năm 2025 của Bộ Công an)"))
    assert (f.doc_type, f.attached_to, f.doc_number, f.doc_type_code) == ("Phụ lục", "12/BC-BCA", "12/BC-BCA", "BC-BCA")
    assert (f.issued_date, f.issuer) == (dt.date(2025, 6, 5), "Bộ Công an")


def test_an_appendix_of_a_document_whose_number_is_blank_keeps_its_code_and_month():
    f = document_facts(_appendix("Phụ lục II", "KẾT QUẢ THỰC HIỆN NHIỆM VỤ TẠI THÔNG BÁO SỐ 552/TB-VPCP",
                                 "(Kèm theo Thông báo kết luận số         /TB-VPCP ngày     tháng 11 năm 2025 của "
                                 "Văn phòng Chính phủ)"))
    assert (f.doc_number, f.attached_to, f.issued_date) == (None, None, None)  # never the 552 of the title
    assert (f.doc_type_code, f.dated, f.dated_precision) == ("TB-VPCP", dt.date(2025, 11, 30), "month")
    assert f.issuer == "Văn phòng Chính phủ"


def test_an_appendix_stamped_by_the_signing_system_takes_the_stamped_number():
    page = [_line(24, (534, "Số: 2775/SNV-CCHC&amp;VTLT; 10/11/2025; 10:59:46;"))] + _appendix(
        "PHỤ LỤC I:", "HƯỚNG DẪN CHẤM ĐIỂM XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH")
    f = document_facts(page)
    assert (f.doc_number, f.attached_to, f.issued_date) == ("2775/SNV-CCHC&VTLT", "2775/SNV-CCHC&VTLT", dt.date(2025, 11, 10))
    assert f.title == "HƯỚNG DẪN CHẤM ĐIỂM XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH"


# ---------------------------------------------------------------- OCR of 100-150 dpi scans (issue 17, point 3)


def test_a_speck_read_in_the_gap_before_the_slash_is_no_digit():
    # "Số: 61     /QĐ-UBND" at 100 dpi: a speck of the gap read as "Ð", far from the number
    gap = [Word("Số:", LEFT, 100, LEFT + 15, 112, 5, 5), Word("61", LEFT + 22, 100, LEFT + 32, 112, 5, 5),
           Word("Ð", LEFT + 50, 100, LEFT + 56, 112, 6, 6), Word("/QĐ-UBND", LEFT + 75, 100, LEFT + 125, 112, 6, 6)]
    page = _block(("ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG"), [], [(RIGHT + 10, "Lâm Đồng, ngày 19 tháng 12 năm 2025")])
    page = [l if l.words[0].text != "Lâm" else Line(tuple(gap) + l.words) for l in page]
    assert document_facts(page, ocr=True).doc_number == "61/QĐ-UBND"
    # a letter against the digits may be one of them: not dropped, the number stays null
    tight = list(gap)
    tight[2] = Word("Ð", LEFT + 33, 100, LEFT + 39, 112, 6, 6)
    page = [l if l.words[0].text not in ("Lâm", "Số:") else Line(tuple(tight) + l.words[len(gap):]) for l in page]
    assert document_facts(page, ocr=True).doc_number is None


def test_a_number_whose_anchor_reads_as_a_speck_is_taken_only_when_the_registries_know_it():
    def facts(number_line: str):
        return document_facts(_block(("ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI"), [(LEFT + 10, number_line)],
                                     [(RIGHT + 10, "Hà Nội, ngày 19 tháng 12 năm 2025")], type_word="KẾ HOẠCH"), ocr=True)
    assert facts("ï.8279/KH-UBND").doc_number == "8279/KH-UBND"
    assert facts("ï.8279/XYZ-QWE").doc_number is None  # codes no registry knows: no number


def test_a_number_line_run_into_the_date_line_beside_it():
    # a seal over "ngày": OCR reads "Số: 25/TTr-BNV" and the date line as one line across both columns
    page = _block(("BỘ NỘI VỤ",), [(LEFT + 10, "Số: 25/TTr-BNV")],
                  [(LEFT + 95, "Thành phố Hồ Chí Minh, \",nờy 13 tháng 6 năm 2024")])
    f = document_facts(page, ocr=True)
    assert (f.doc_number, f.issued_date) == ("25/TTr-BNV", dt.date(2024, 6, 13))


def test_a_number_and_its_code_read_apart_and_the_date_after_them():
    page = _page("Số: 72", "Hà Nội, ngày 13 tháng 6 năm 2024")
    page = [Line(tuple(sorted(l.words + (Word("/QĐ-UBND", LEFT + 120, l.words[0].top, LEFT + 160, l.words[0].bottom, 5, 5),),
                              key=lambda w: w.x0))) if l.words[0].text == "Số:" else l for l in page]
    assert document_facts(page, ocr=True).doc_number == "72/QĐ-UBND"


@pytest.mark.parametrize("parent", ["UB.ID TỈNH LÂM ĐỒNG", ".UỦBND TỈNHLÂM ĐỒNG"])
def test_a_department_under_a_parent_line_read_in_part(parent):
    from normalizers.document import header_issuer

    assert header_issuer([parent, "SỞ NỘI VỤ"])[0] == "Sở Nội vụ tỉnh Lâm Đồng"
    assert header_issuer(["UB.ID XYZ", "SỞ NỘI VỤ"]) == (None, None)  # no locality read: no guess


def test_a_date_line_whose_place_or_day_word_is_under_a_seal():
    assert header_date("Thành phố Hồ Chí Minh, \",nờy 13 tháng 6 năm 2024").issued == dt.date(2024, 6, 13)
    assert header_date("Hà Nội, ab 13 giờ 6 năm 2024").issued is None  # no "tháng" there: not a date line
    page = _page("Số: 18/TTr-BNV", "dội ngày 12 tiếng 10 năm 2025", type_word="TỜ TRÌNH")
    f = document_facts(page, ocr=True)
    assert (f.issued_date, f.issued_place) == (dt.date(2025, 10, 12), None)
    assert document_facts(page).issued_date is None  # a text page prints its place
