"""A real signed document (../shared/realworld/vn-lamdong/bc329-ubnd-cchc-2025.pdf: Báo cáo
329/BC-UBND of 19/12/2025, Ủy ban nhân dân tỉnh Lâm Đồng): its page content leaves the number
and the day blank ("Số: /BC-UBND", "ngày tháng 12 năm 2025"); the signing system stamped
"329" and "19" as the appearances of two signature widgets on page 1 (and again on the
appendix's page 25). Eight signatures: two officials, then the office's six issuing ones."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.document import extract_document
from extractors.pdf import iter_pages, opened
from extractors.pdfpage import page_appearances
from extractors.words import group_lines, page_words
from normalizers.records import document_records

pytestmark = pytest.mark.slow  # reads whole documents, OCRs or runs the pipeline

NAME = "vn-lamdong/bc329-ubnd-cchc-2025.pdf"


@pytest.fixture(scope="module")
def bc329(realworld):
    path = realworld / NAME
    if not path.is_file():
        pytest.skip(f"{NAME} is not present")
    return path


@pytest.fixture(scope="module")
def bc329_row(bc329):
    return document_records("f" * 64, extract_document(bc329)).document


def test_the_widgets_words_come_out_at_their_place(bc329):
    with opened(bc329) as pdf:
        (_, page), = iter_pages(pdf, 1, 1)
        height = float(page.height)
        rects = [a.matrix for a in page_appearances(page.page_obj) if a.subtype == "Widget"]
        words = page_words(page)
    content = [w.text for w in words if w.source == "content"]
    assert "Số:" in content and "329" not in content and "19" not in content  # blank in the page itself
    stamped = [w for w in words if w.source == "annotation"]
    assert [w.text for w in stamped] == ["329", "19"]
    # each word lies in the widget that draws it (the appearance's origin, the /Rect's corner)
    for word, matrix in zip(stamped, rects):
        x0, y0 = matrix[4], matrix[5]
        assert x0 <= word.x0 < x0 + 60 and height - y0 - 30 <= word.top <= word.bottom <= height - y0 + 1
    lines = [l.text for l in group_lines(words)]
    assert "Số: 329 /BC-UBND Lâm Đồng, ngày 19 tháng 12 năm 2025" in lines


def test_the_signatures_are_facts_of_the_document(bc329_row):
    row = bc329_row
    assert row["signature_count"] == 8
    assert row["signed_at"] == dt.datetime(2025, 12, 19, 8, 10, 36, tzinfo=dt.timezone.utc)  # 15:10:36 +07:00
    assert row["signer_org"] == "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"
    assert row["signer_name"] == "Nguyễn Ngọc Phúc"
    assert row["signatures_cover_file"] is True and row["signatures_intact"] is True


def test_number_and_date_read_from_the_stamps(bc329_row):
    assert bc329_row["doc_number"] == "329/BC-UBND"
    assert bc329_row["issued_date"] == dt.date(2025, 12, 19)


def test_issuer_is_the_provincial_peoples_committee(bc329_row):
    assert bc329_row["issuer"] == "Ủy ban nhân dân tỉnh Lâm Đồng"


@pytest.mark.parametrize("name, stamped, line", [
    ("cv12094-bnv-phuluc2.pdf", ["12094", "15", "12"],
     "(Kèm theo Công văn số 12094 /BNV-CCHC ngày 15 / 12 /2025 của Bộ Nội vụ)"),
    ("qd1187-bnv-bang2.pdf", ["1187", "15", "10"],
     "(Ban hành kèm theo Quyết định số 1187 /QĐ-BNV ngày 15 tháng 10 năm 2025 của Bộ Nội vụ)"),
    ("ttr666-snv-gopy.pdf", ["Số:", "666/TTr-SNV;", "22/12/2025;", "18:56:39;", "+07:00"],
     "Số: 666/TTr-SNV; 22/12/2025; 18:56:39; +07:00"),  # a signing system's stamp in the margin
], ids=["cv12094", "qd1187", "ttr666"])
def test_the_other_signed_files_show_their_stamps(realworld, name, stamped, line):
    path = realworld / "vn-lamdong" / name
    if not path.is_file():
        pytest.skip(f"{name} is not present")
    with opened(path) as pdf:
        (_, page), = iter_pages(pdf, 1, 1)
        words = page_words(page)
    assert [w.text for w in words if w.source == "annotation"] == stamped
    assert line in [l.text for l in group_lines(words)]


def test_pages_copied_out_of_a_signed_file_show_the_stamp_but_count_no_signature(realworld):
    """A Công báo appendix cut out of a signed issue keeps the widget (its stamp is shown on
    page 1) but no form names it and its byte range is the whole issue's: not a signature of
    this file."""
    from extractors.signatures import has_signature_bytes, read_signatures

    path = realworld / "vn-congbao" / "congbao-1575-1576-2025-tt99-phuluc3.pdf"
    if not path.is_file():
        pytest.skip("the Công báo appendix is not present")
    with opened(path) as pdf:
        (_, page), = iter_pages(pdf, 1, 1)
        stamp = " ".join(w.text for w in page_words(page) if w.source == "annotation")
    assert stamp.startswith("Người ký: CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ")
    assert has_signature_bytes(path) and read_signatures(path) == ()


def test_an_appendix_without_an_issuer_block_is_issued_by_its_signing_body(realworld):
    """ttr666 prints no issuer block (a spreadsheet page, the Phụ lục of Tờ trình 666/TTr-SNV); its
    issuing signature's certificate names "SỞ NỘI VỤ" under "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG": the
    body a title merely mentions ("… TỈNH LÂM ĐỒNG") is not its issuer."""
    name = "ttr666-snv-gopy.pdf"
    row = document_records(name, extract_document(realworld / "vn-lamdong" / name, ocr=False)).document
    assert row["issuer_raw"] is None and row["signature_count"] == 2
    assert (row["issuer"], row["parent_body"]) == ("Sở Nội vụ tỉnh Lâm Đồng", "Ủy ban nhân dân tỉnh Lâm Đồng")
    assert (row["doc_number"], row["issued_date"]) == ("666/TTr-SNV", dt.date(2025, 12, 22))


def test_a_signature_of_a_person_names_no_issuer():
    from extractors.signatures import Signature
    from normalizers.signing import issuing_body

    def sig(org, name):
        return Signature(**{**{f: None for f in Signature.__dataclass_fields__}, "signer_org": org, "signer_name": name})

    assert issuing_body([sig("ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "Nguyễn Ngọc Phúc")]) == (None, None)
    assert issuing_body([sig("ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "SỞ NỘI VỤ"),
                         sig("ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "Nguyễn Văn A")])[0] == "Sở Nội vụ tỉnh Lâm Đồng"
