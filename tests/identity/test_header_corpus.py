"""The header of the Nghị định 30/2020 layout read as its parts, through the pipeline's own functions
(extract_document, then document_records), on a generated corpus with its truth
(tests/fixtures/headers_corpus.py) and on real documents (../shared/realworld/vn-lamdong).

Text: first pages drawn by reportlab and written in Word and converted by LibreOffice; scans of
the reportlab pages at 150, 200 and 300 dpi (a few pages: OCR costs seconds a page; bench/headers.py
sweeps more, 100 dpi too). Number, date, issuer, type and title >= 0.98 on text and >= 0.95 on
scans; a blank number or day is null, never a guess; addressees listed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from tests.fixtures import headers_corpus as hc
from tests.fixtures import render_docx
from tests.fixtures.ratchet import record

pytestmark = pytest.mark.slow  # reads whole documents, OCRs or runs the pipeline

TEXT_CASES, DOCX_CASES = 48, 12
SCAN_DPIS = (150, 200, 300)
SCAN_CASES_PER_DPI = 2
FIELDS = ("number", "date", "issuer", "type", "title")


def _blanks_null(pairs) -> float:
    """Share of blank numbers and days (in the truth) that came out null."""
    blanks = [(c, d) for c, d in pairs if c.number_mode == "blank" or c.day_mode == "blank"]
    ok = [(c.number_mode != "blank" or d["doc_number"] is None) and (c.day_mode != "blank" or d["issued_date"] is None)
          for c, d in blanks]
    return sum(ok) / len(ok)


@pytest.fixture(scope="module")
def text_corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("headers-text")
    pairs = []
    for case in hc.cases(TEXT_CASES, seed=0):
        pdf = out / f"{case.name}.pdf"
        hc.render_reportlab(case, pdf)
        pairs.append((case, hc.read_document(pdf), "reportlab"))
    if not render_docx.missing_tools():
        docx_cases = hc.cases(DOCX_CASES, seed=1)
        paths = []
        for case in docx_cases:
            paths.append(out / f"{case.name}.docx")
            hc.build_docx(case, paths[-1])
        for case, pdf in zip(docx_cases, render_docx.convert(paths, out)):
            pairs.append((case, hc.read_document(pdf), "libreoffice"))
    return pairs


def test_headers_of_text_pdfs(text_corpus):
    scores = [hc.score_case(c, d, scanned=False) for c, d, _ in text_corpus]
    wrong = [(c.name, producer, [k for k, v in s.items() if not v]) for (c, _, producer), s in zip(text_corpus, scores)
             if not all(s.values())]
    rates = hc.rates(scores)
    rates["blanks_null"] = _blanks_null([(c, d) for c, d, _ in text_corpus])
    record("headers-text", rates)
    assert all(rates[k] >= 0.98 for k in FIELDS), (rates, wrong)
    assert rates["blanks_null"] == 1.0 and rates["addressees"] >= 0.98, (rates, wrong)


def test_the_text_corpus_has_the_variety_it_claims(text_corpus):
    cases = [c for c, _, _ in text_corpus]
    assert {len(c.issuer_lines) for c in cases} == {1, 2, 3}
    assert {c.number_mode for c in cases} >= {"inline", "gap", "stamped", "blank"}
    assert {c.day_mode for c in cases} == {"inline", "stamped", "blank"}
    assert len({c.place for c in cases}) >= 12 and any(c.stamp for c in cases)
    assert any(c.addressee_list for c in cases) and any(c.addressees and not c.addressee_list for c in cases)
    assert {c.doc_type for c in cases} == {t for _, t, _ in hc.TYPES}
    if not render_docx.missing_tools():
        assert sum(p == "libreoffice" for _, _, p in text_corpus) == DOCX_CASES


def test_addressees_are_a_list_column(text_corpus):
    addressed = [(c, d) for c, d, _ in text_corpus if c.addressees]
    assert addressed and all(isinstance(d["addressees"], list) for _, d in addressed)
    assert all(d["addressees"] == [] for c, d, _ in text_corpus if not c.addressees)


def test_headers_of_scans(tmp_path):
    """Scans at 150-300 dpi, a number written by hand into the gap on every other page."""
    pairs = []
    for k, dpi in enumerate(SCAN_DPIS):
        for i, case in enumerate(hc.cases(SCAN_CASES_PER_DPI, seed=20 + k)):
            if i % 2:
                case = dataclasses.replace(case, number_mode="handwritten")
            pdf, scan = tmp_path / f"{case.name}.pdf", tmp_path / f"{case.name}_{dpi}.pdf"
            hc.render_reportlab(case, pdf)
            hc.scan_case(case, pdf, scan, dpi=dpi)
            pairs.append((case, hc.read_document(scan)))
    scores = [hc.score_case(c, d, scanned=True) for c, d in pairs]
    rates = hc.rates(scores)
    wrong = [(c.name, [k for k, v in s.items() if not v]) for (c, _), s in zip(pairs, scores) if not all(s.values())]
    record("headers-scan", rates)
    assert all(rates[k] >= 0.95 for k in FIELDS), (rates, wrong)
    # a number written by hand reads right or gives null: never another number
    assert all(d["doc_number"] in (None, c.truth["doc_number"]) for c, d in pairs if c.number_mode == "handwritten")


# ---------------------------------------------------------------- real documents


def _first_page(src, tmp_path, *, flatten: bool = False):
    """Page 1 of `src` alone (the header is there; reading 35 pages of tables would only cost time),
    its annotations' appearances drawn into its content with `flatten`."""
    pikepdf = pytest.importorskip("pikepdf")
    out = tmp_path / f"{src.stem}-p1{'-flat' if flatten else ''}.pdf"
    with pikepdf.open(src) as pdf:
        if flatten:
            pdf.flatten_annotations("all")
        del pdf.pages[1:]
        pdf.save(out)
    return out


def _facts(path, tmp_path, **kw):
    return hc.read_document(_first_page(path, tmp_path, **kw))


def test_bc329_with_the_signing_widgets_in_the_page_content(realworld, tmp_path):
    """329/BC-UBND prints "Số: /BC-UBND" and "Lâm Đồng, ngày tháng 12 năm 2025": the number and the
    day are the appearances of its two signature widgets. Flattened into the page content (as the
    extractor reads widgets), they give the document's identity."""
    d = _facts(realworld / "vn-lamdong" / "bc329-ubnd-cchc-2025.pdf", tmp_path, flatten=True)
    assert (d["doc_number"], d["issued_date"], d["issuer"]) == ("329/BC-UBND", dt.date(2025, 12, 19),
                                                                "Ủy ban nhân dân tỉnh Lâm Đồng")
    assert (d["doc_type"], d["issued_place"], d["parent_body"]) == ("Báo cáo", "Lâm Đồng", "Tỉnh Lâm Đồng")
    assert d["title"] == "Công tác cải cách hành chính năm 2025 và phương hướng, nhiệm vụ năm 2026 của tỉnh Lâm Đồng"


def test_bc329_page_content_alone_gives_nulls_and_what_is_printed(realworld, tmp_path):
    """Without the widgets' words (the page's own content only) the gaps are blank: null, with the
    printed code and month kept."""
    from extractors.document import extract_pages
    from extractors.layout import Line
    from normalizers.document import document_facts

    page = extract_pages(_first_page(realworld / "vn-lamdong" / "bc329-ubnd-cchc-2025.pdf", tmp_path), workers=1)[0]
    content = [Line(ws) for l in page.lines if (ws := tuple(w for w in l.words if getattr(w, "source", "content") == "content"))]
    f = document_facts(content)
    assert (f.doc_number, f.doc_type_code, f.doc_number_raw) == (None, "BC-UBND", "Số: /BC-UBND")
    assert (f.issued_date, f.dated, f.dated_precision) == (None, dt.date(2025, 12, 31), "month")
    assert f.issuer == "Ủy ban nhân dân tỉnh Lâm Đồng" and f.issuer_raw == "ỦY BAN NHÂN DÂN / TỈNH LÂM ĐỒNG"


def test_bc329_as_the_pipeline_reads_it(realworld, tmp_path):
    """Once the extractor reads the appearances of annotations as words of the page (Word.source),
    the signed file itself gives its identity; until then its gaps are null, never a guess."""
    from extractors.layout import Word

    d = _facts(realworld / "vn-lamdong" / "bc329-ubnd-cchc-2025.pdf", tmp_path)
    if "source" in Word.__dataclass_fields__:
        assert (d["doc_number"], d["issued_date"]) == ("329/BC-UBND", dt.date(2025, 12, 19))
    else:
        assert (d["doc_number"], d["issued_date"], d["doc_type_code"]) == (None, None, "BC-UBND")
    assert d["issuer"] == "Ủy ban nhân dân tỉnh Lâm Đồng"


def test_appendices_of_vn_lamdong_take_the_identity_of_their_documents(realworld, tmp_path):
    from extractors.layout import Word

    folder = realworld / "vn-lamdong"
    d = _facts(folder / "cv2775-snv-phuluc1.pdf", tmp_path)  # the signing system stamped "Số: 2775/…; 10/11/2025; …"
    assert (d["doc_type"], d["attached_to"], d["doc_number"]) == ("Phụ lục", "2775/SNV-CCHC&VTLT", "2775/SNV-CCHC&VTLT")
    assert d["issued_date"] == dt.date(2025, 11, 10)
    assert d["title"].startswith("HƯỚNG DẪN CHẤM ĐIỂM XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH")
    # "(Kèm theo Công văn số /BNV-CCHC ngày / /2025 của Bộ Nội vụ)": the number 12094 is a signature widget's
    d = _facts(folder / "cv12094-bnv-phuluc2.pdf", tmp_path)
    number = "12094/BNV-CCHC" if "source" in Word.__dataclass_fields__ else None
    assert (d["doc_number"], d["attached_to"], d["doc_type_code"], d["issuer"]) == (number, number, "BNV-CCHC", "Bộ Nội vụ")
    d = _facts(folder / "qd1187-bnv-bang2.pdf", tmp_path)  # "(Ban hành kèm theo Quyết định số /QĐ-BNV … của Bộ Nội vụ)"
    number = "1187/QĐ-BNV" if "source" in Word.__dataclass_fields__ else None  # 1187: a widget's too
    assert (d["doc_number"], d["doc_type_code"], d["issuer"]) == (number, "QĐ-BNV", "Bộ Nội vụ")


def test_the_office_scan_of_a_to_trinh(realworld, tmp_path):
    """ttr409: a 100 dpi colour scan, number and date written by hand over a red seal."""
    d = _facts(realworld / "vn-lamdong" / "ttr409-cat-hoidong-scan.pdf", tmp_path)
    assert (d["doc_type"], d["issuer"], d["parent_body"]) == ("Tờ trình", "Công an tỉnh Lâm Đồng", "Bộ Công an")
    assert d["doc_number"] in (None, "409/TTr-CAT(PC04)")  # written by hand: right or null, never a guess
    # the start of the title as OCR reads it at 100 dpi (one letter may go: "thành lậ › hội đồng")
    from rapidfuzz import fuzz
    assert fuzz.ratio(d["title"][:46], "Về việc thành lập hội đồng cấp tỉnh xét duyệt") >= 90, d["title"]
    assert "Kính" not in d["title"] and "gửi" not in d["title"] and len(d["addressees"]) == 1


# ---------------------------------------------------------------- the seeds' appendices (issue 19)


def test_the_seeds_appendices(tmp_path):
    from tests.conftest import ROOT

    d = _facts(ROOT / "raw" / "552_TB-VPCP_PL2.pdf", tmp_path)
    # "(Kèm theo Thông báo kết luận số /TB-VPCP ngày tháng 11 năm 2025 của Văn phòng Chính phủ)": the
    # number and day are blank in the original, so they stay null; what is printed is kept
    assert (d["doc_number"], d["attached_to"], d["issued_date"]) == (None, None, None)
    assert (d["doc_type_code"], d["dated"], d["dated_precision"]) == ("TB-VPCP", dt.date(2025, 11, 30), "month")
    assert d["issuer"] == "Văn phòng Chính phủ"
    d = _facts(ROOT / "raw" / "71_NQ-CP_BCA.pdf", tmp_path)
    # no "Kèm theo" line: the document it belongs to is not printed; 71/NQ-CP is the one it reports on
    assert (d["doc_number"], d["attached_to"], d["issuer"]) == (None, None, "Bộ Công an")
