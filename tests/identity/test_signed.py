"""Digitally signed PDFs read whole: what signature widgets show on the page (the number and
the day a signing system stamps into the header's gaps) is part of the page's words, at its
place, marked as coming from an annotation; the signatures are facts of the document (how
many, when, by whom, whether the file changed after signing). The PDFs are signed here, with
self-made certificates (tests/fixtures/signed.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pikepdf
import pytest

from extractors.document import extract_document
from extractors.pdf import iter_pages, opened
from extractors.signatures import read_signatures
from extractors.words import group_lines, join_spaced_digits, page_words
from extractors.layout import Word
from normalizers.records import document_records
from normalizers.schema import DOCUMENTS, check_table, to_arrow
from tests.fixtures.signed import DAY_GAP, NUMBER_GAP, PAGE_H, append_update, header_page, signed_header_document

pytestmark = pytest.mark.slow  # reads whole documents, OCRs or runs the pipeline

UTC = dt.timezone.utc


@pytest.fixture(scope="module")
def signed(tmp_path_factory) -> Path:
    return signed_header_document(tmp_path_factory.mktemp("signed"))


def _page1_words(path: Path) -> list[Word]:
    with opened(path) as pdf:
        (_, page), *_ = iter_pages(pdf, 1, 1)
        return page_words(page)


def _inside(word: Word, gap: tuple[float, float, float, float]) -> bool:
    x0, y0, x1, y1 = gap  # PDF space: the widget's /Rect
    return x0 <= word.x0 and word.x1 <= x1 and PAGE_H - y1 <= word.top and word.bottom <= PAGE_H - y0


def test_the_number_and_day_are_only_in_the_widgets(signed, tmp_path):
    """The page content alone has gaps: what the test asserts next comes from the widgets."""
    content = [w.text for w in _page1_words(signed) if w.source == "content"]
    assert "Số:" in content and "/TTr-SNV" in content and "ngày" in content
    assert not {"156", "1", "5", "6", "25", "2"} & set(content)


def test_widget_words_are_page_words_at_their_place(signed):
    words = _page1_words(signed)
    stamped = {w.text: w for w in words if w.source == "annotation"}
    assert set(stamped) == {"156", "25"}  # "1 5 6" and "2 5": the stamp's spaced digits joined
    assert _inside(stamped["156"], NUMBER_GAP) and _inside(stamped["25"], DAY_GAP)
    lines = [l.text for l in group_lines(words)]
    assert any("Số: 156 /TTr-SNV" in l and "ngày 25 tháng 8 năm 2025" in l for l in lines), lines


def test_widget_words_reach_the_document_pages(signed):
    import pickle

    ex = pickle.loads(pickle.dumps(extract_document(signed, workers=1, ocr=False)))  # as the pipeline stores it
    first = ex.pages[0]
    stamped = [w for l in first.lines for w in l.words if w.source == "annotation"]
    assert sorted(w.text for w in stamped) == ["156", "25"]
    assert any("Số: 156 /TTr-SNV" in l.text for l in first.lines)
    assert any("ngày 25 tháng 8 năm 2025" in l.text for l in first.lines)


def test_signatures_are_document_facts(signed):
    sigs = read_signatures(signed)
    assert [s.field for s in sigs] == ["Signature1", "Signature2"]
    assert [s.signed_at for s in sigs] == [dt.datetime(2025, 8, 25, 9, 40, 3, tzinfo=UTC),
                                          dt.datetime(2025, 8, 25, 9, 48, 29, tzinfo=UTC)]
    assert [s.coverage for s in sigs] == ["entire_revision", "entire_file"]
    assert all(s.intact for s in sigs)

    ex = extract_document(signed, workers=1, ocr=False)
    row = document_records("a" * 64, ex).document
    assert row["signature_count"] == 2
    assert row["signed_at"] == dt.datetime(2025, 8, 25, 9, 48, 29, tzinfo=UTC)  # 16:48:29 +07:00, the issue
    assert row["signer_org"] == "SỞ NỘI VỤ TỈNH LÂM ĐỒNG"
    assert row["signer_name"] == "Nguyễn Văn An"  # the official, not the office's own certificate
    assert row["signatures_cover_file"] is True and row["signatures_intact"] is True
    full = {**row, "source_file": "signed.pdf", "pipeline_version": "test", "duplicate_of": None}
    assert check_table(DOCUMENTS, to_arrow(DOCUMENTS, [full])) == []


def test_a_change_after_signing_is_not_covered(signed, tmp_path):
    changed = tmp_path / "changed.pdf"
    append_update(signed, changed)
    assert changed.read_bytes().startswith(signed.read_bytes())
    sigs = read_signatures(changed)
    assert len(sigs) == 2 and [s.coverage for s in sigs] == ["entire_revision", "entire_revision"]
    row = document_records("b" * 64, extract_document(changed, workers=1, ocr=False)).document
    assert row["signatures_cover_file"] is False
    assert row["signatures_intact"] is True  # what was signed is still as signed


def test_bytes_changed_inside_a_signed_range_are_not_intact(signed, tmp_path):
    data = bytearray(signed.read_bytes())
    at = data.index(b"ReportLab")  # the /Producer string, inside both signatures' byte ranges
    data[at:at + 9] = b"ReportLaX"
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(bytes(data))
    sigs = read_signatures(broken)
    assert len(sigs) == 2 and not any(s.intact for s in sigs)
    assert document_records("c" * 64, extract_document(broken, workers=1, ocr=False)).document["signatures_intact"] is False


def test_an_unsigned_page_without_annotations_is_unchanged(tmp_path):
    plain = tmp_path / "plain.pdf"
    header_page(plain)
    words = _page1_words(plain)
    assert words and all(w.source == "content" for w in words)
    assert read_signatures(plain) == ()
    row = document_records("d" * 64, extract_document(plain, workers=1, ocr=False)).document
    assert row["signature_count"] == 0 and row["signed_at"] is None and row["signatures_cover_file"] is None


def test_hidden_annotations_show_nothing(signed, tmp_path):
    hidden = tmp_path / "hidden.pdf"
    with pikepdf.open(signed) as pdf:
        for annot in pdf.pages[0].obj.Annots:
            annot.F = 2  # Hidden
        pdf.save(hidden)
    assert all(w.source == "content" for w in _page1_words(hidden))


def test_spaced_digits_of_a_stamp_join_but_not_separate_numbers():
    def w(text, x0, x1):
        return Word(text, x0, 10.0, x1, 20.0, 5.0, 5.0, "annotation")

    joined = join_spaced_digits([w("1", 0, 5), w("5", 10, 15), w("6", 20, 25), w("2025", 60, 80)])
    assert [x.text for x in joined] == ["156", "2025"]
    assert (joined[0].x0, joined[0].x1) == (0, 25)


def test_the_pipeline_writes_the_signature_columns(signed, tmp_path, monkeypatch):
    """`nhiemvu run` over the signed PDF and a copy changed after signing: the documents table
    holds their signature facts, typed, and every table passes its checks."""
    import shutil

    import pyarrow.parquet as pq

    from normalizers.schema import TABLES
    from pipeline.tools.commands import run
    from tests.conftest import ROOT

    home, raw, curated = tmp_path / "home", tmp_path / "raw", tmp_path / "curated"
    home.mkdir()
    raw.mkdir()
    shutil.copy(ROOT / "dagster.yaml", home)
    shutil.copy(signed, raw / "ttr-156.pdf")
    append_update(signed, raw / "ttr-156-changed.pdf")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    monkeypatch.chdir(tmp_path)
    run(raw, curated, quiet=True)
    tables = {name: pq.read_table(curated / f"{name}.parquet") for name in TABLES}
    for name, table in TABLES.items():
        assert check_table(table, tables[name]) == [], name
    docs = {d["source_file"]: d for d in tables["documents"].to_pylist()}
    for name, covered in (("ttr-156.pdf", True), ("ttr-156-changed.pdf", False)):
        d = docs[name]
        assert d["signature_count"] == 2 and d["signer_name"] == "Nguyễn Văn An", d
        assert d["signed_at"] == dt.datetime(2025, 8, 25, 9, 48, 29, tzinfo=UTC)
        assert d["signatures_cover_file"] is covered and d["signatures_intact"] is True
