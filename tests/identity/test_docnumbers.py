"""Document numbers: every number of the seeds, damaged variants, the registries, properties."""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalizers.docnumbers import (
    ISSUER_NAMES,
    TYPE_NAMES,
    DocNumber,
    doc_type_from_word,
    doc_type_name,
    find_doc_numbers,
    issuer_name,
    normalize_doc_number,
    parse_doc_number,
)
from tests.fixtures.ratchet import record

DATA = Path(__file__).resolve().parents[1] / "fixtures" / "labelled"
REGISTRIES = Path(__file__).parents[2] / "normalizers" / "data"


def _rows(function: str) -> list[dict[str, str]]:
    with open(DATA / "labelled_docnumbers.csv", encoding="utf-8", newline="") as f:
        return [row for row in csv.DictReader(f) if row["function"] == function]


def _expected(row: dict[str, str]) -> DocNumber | None:
    if not row["normalized"]:
        return None
    return DocNumber(
        normalized=row["normalized"],
        number=row["number"],
        year=int(row["year"]) if row["year"] else None,
        type_code=row["type_code"] or None,
        issuer=row["issuer"] or None,
        unit=row["unit"] or None,
        party=row["party"] == "true",
    )


def _check(rows, got, expected, figure: str) -> None:
    misses = [
        f"{row['raw']!r} ({row['ref']}): expected {expected(row)}, got {got(row)}"
        for row in rows
        if got(row) != expected(row)
    ]
    accuracy = 1 - len(misses) / len(rows)
    record("labelled-doc-numbers", {figure: accuracy})
    assert accuracy >= 0.99, f"accuracy {accuracy:.3f}, misses:\n" + "\n".join(misses)


def test_labelled_parse_accuracy():
    _check(_rows("parse"), lambda row: parse_doc_number(row["raw"]), _expected, "parse")


def test_labelled_normalize_accuracy():
    _check(
        _rows("parse"),
        lambda row: normalize_doc_number(row["raw"]),
        lambda row: row["normalized"] or None,
        "normalize",
    )


def test_labelled_find_accuracy():
    _check(
        _rows("find"),
        lambda row: [d.normalized for d, _, _ in find_doc_numbers(row["raw"])],
        lambda row: row["normalized"].split(";") if row["normalized"] else [],
        "find",
    )


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("07/CT-TTg", DocNumber("07/CT-TTg", "07", None, "CT", "TTg", None, False)),
        ("71/NQ-CP", DocNumber("71/NQ-CP", "71", None, "NQ", "CP", None, False)),
        ("47/2020/NĐ-CP", DocNumber("47/2020/NĐ-CP", "47", 2020, "NĐ", "CP", None, False)),
        ("08/2025/TT-BCA", DocNumber("08/2025/TT-BCA", "08", 2025, "TT", "BCA", None, False)),
        ("131/QĐ-TTg", DocNumber("131/QĐ-TTg", "131", None, "QĐ", "TTg", None, False)),
        ("552/TB-VPCP", DocNumber("552/TB-VPCP", "552", None, "TB", "VPCP", None, False)),
        ("929/BCA-VPB", DocNumber("929/BCA-VPB", "929", None, None, "BCA", "VPB", False)),
        ("6001/BKHCN-CĐSQG", DocNumber("6001/BKHCN-CĐSQG", "6001", None, None, "BKHCN", "CĐSQG", False)),
        ("193/TTr-BCA-C12", DocNumber("193/TTr-BCA-C12", "193", None, "TTr", "BCA", "C12", False)),
        ("342/PLYK/2025", DocNumber("342/PLYK/2025", "342", 2025, "PLYK", None, None, False)),
        ("1552/BTTTT-THH", DocNumber("1552/BTTTT-THH", "1552", None, None, "BTTTT", "THH", False)),
        ("10862/VPCP-KSTT", DocNumber("10862/VPCP-KSTT", "10862", None, None, "VPCP", "KSTT", False)),
        ("509/CD-VPCP", DocNumber("509/CD-VPCP", "509", None, "CD", "VPCP", None, False)),
        ("57-NQ/TW", DocNumber("57-NQ/TW", "57", None, "NQ", "TW", None, True)),
        ("02-KH/BCĐTW", DocNumber("02-KH/BCĐTW", "02", None, "KH", "BCĐTW", None, True)),
        ("127-KL/TW", DocNumber("127-KL/TW", "127", None, "KL", "TW", None, True)),
        ("Số: 929 /BCA-VPB", DocNumber("929/BCA-VPB", "929", None, None, "BCA", "VPB", False)),
        ("193/TTr-BCA-\nC12", DocNumber("193/TTr-BCA-C12", "193", None, "TTr", "BCA", "C12", False)),
        ("47/2020/N\u00d0-CP", DocNumber("47/2020/NĐ-CP", "47", 2020, "NĐ", "CP", None, False)),
    ],
)
def test_brief_forms(raw, expected):
    assert parse_doc_number(raw) == expected


@pytest.mark.parametrize(
    "raw", ["14/3/2025", "58/76", "24/7", "10/5/2025", "Số:", "", None, "Tháng 6/2025", "1,5%/năm"]
)
def test_not_document_numbers(raw):
    assert parse_doc_number(raw) is None
    assert normalize_doc_number(raw) is None
    assert find_doc_numbers(raw) == []


def test_find_rejoins_wraps_and_reports_spans():
    text = "có Tờ trình số 193/TTr-BCA-\nC12 ngày 01/5/2025 và Số: 929 /BCA-VPB; Nghị quyết 57-NQ/TW."
    found = find_doc_numbers(text)
    assert [d.normalized for d, _, _ in found] == ["193/TTr-BCA-C12", "929/BCA-VPB", "57-NQ/TW"]
    assert [text[s:e] for _, s, e in found] == ["193/TTr-BCA-\nC12", "929 /BCA-VPB", "57-NQ/TW"]


def test_find_does_not_join_prose_after_a_wrapped_hyphen():
    text = "(văn bản số 2001/QLĐĐ-\nĐang thực hiện"
    assert [d.normalized for d, _, _ in find_doc_numbers(text)] == ["2001/QLĐĐ"]


@pytest.mark.parametrize(
    "word, name",
    [
        ("CHỈ THỊ", "Chỉ thị"),
        ("BÁO CÁO", "Báo cáo"),
        ("THÔNG BÁO", "Thông báo"),
        ("KẾ HOẠCH", "Kế hoạch"),
        ("QUYẾT ĐỊNH", "Quyết định"),
        ("NGHỊ QUYẾT", "Nghị quyết"),
        ("CÔNG ĐIỆN", "Công điện"),
        ("TỜ TRÌNH", "Tờ trình"),
        ("PHỤ LỤC", "Phụ lục"),
        ("Phụ lục II", "Phụ lục"),
        ("THÔNG BÁO KẾT LUẬN", "Thông báo"),
        ("  nghị   định ", "Nghị định"),
        (unicodedata.normalize("NFD", "CHỈ THỊ"), "Chỉ thị"),
        ("V/v báo cáo", None),
        ("", None),
        (None, None),
    ],
)
def test_doc_type_from_word(word, name):
    assert doc_type_from_word(word) == name


@pytest.mark.parametrize(
    "code, name",
    [
        ("CT", "Chỉ thị"),
        ("NĐ", "Nghị định"),
        ("N\u00d0", "Nghị định"),
        ("TTr", "Tờ trình"),
        ("CD", "Công điện"),
        ("CĐ", "Công điện"),
        ("KL", "Kết luận"),
        ("ttr", "Tờ trình"),
        ("XYZ", None),
        (None, None),
    ],
)
def test_doc_type_name(code, name):
    assert doc_type_name(code) == name


def test_issuer_name():
    assert issuer_name("BCA") == "Bộ Công an"
    assert issuer_name("TTg") == "Thủ tướng Chính phủ"
    assert issuer_name("VPB") is None


BRIEF_CODES = {  # the codes the brief and docs/domain.md name
    "doc_type_codes.csv": {"NQ", "NĐ", "QĐ", "CT", "TT", "TB", "KH", "BC", "TTr", "CĐ", "CD", "HD", "KL", "TTLT"},
    "issuer_codes.csv": {"CP", "TTg", "VPCP", "BCA", "BKHCN", "BTC", "BNV", "BYT", "TW", "QH"},
}


@pytest.mark.parametrize("name", sorted(BRIEF_CODES))
def test_registries_are_well_formed(name):
    with open(REGISTRIES / name, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    codes = [row["code"] for row in rows if row["code"]]
    assert len(codes) == len(set(codes)), "duplicate code"
    assert len({c.lower() for c in codes}) == len(codes), "codes differing only by case"
    for row in rows:
        for value in row.values():
            assert value == unicodedata.normalize("NFC", value) == value.strip()
            assert "\u00d0" not in value
        assert row["name"]
    assert BRIEF_CODES[name] <= set(codes)


def test_type_and_issuer_codes_do_not_collide():
    assert not {c.lower() for c in TYPE_NAMES} & {c.lower() for c in ISSUER_NAMES}


_CODE = st.sampled_from(sorted(ISSUER_NAMES)) | st.from_regex(r"[A-Z][A-Z0-9]{1,5}", fullmatch=True)


@given(st.text())
def test_normalizing_twice_changes_nothing(raw):
    normalized = normalize_doc_number(raw)
    if normalized is not None:
        assert normalize_doc_number(normalized) == normalized
        assert parse_doc_number(normalized).normalized == normalized
    for doc, start, end in find_doc_numbers(raw):
        assert 0 <= start < end <= len(unicodedata.normalize("NFC", raw))
        assert normalize_doc_number(doc.normalized) == doc.normalized


@given(
    st.integers(min_value=1, max_value=99999),
    st.sampled_from(sorted(TYPE_NAMES)),
    st.sampled_from(sorted(ISSUER_NAMES)),
    st.none() | _CODE,
    st.none() | st.integers(min_value=1945, max_value=2100),
)
def test_generated_numbers_parse_and_survive_damage(number, type_code, issuer, unit, year):
    printed = f"{number}/" + (f"{year}/" if year else "") + f"{type_code}-{issuer}" + (f"-{unit}" if unit else "")
    expected = DocNumber(printed, str(number), year, type_code, issuer, unit, False)
    assert parse_doc_number(printed) == expected
    for damaged in (
        printed.replace("-", "\u2013"),
        printed.replace("Đ", "\u00d0"),
        unicodedata.normalize("NFD", f"Số: {printed}"),
        printed.replace("/", " /", 1),
        printed.replace("-", "-\n"),
    ):
        assert normalize_doc_number(damaged) == printed, damaged
    prose = f"Thực hiện văn bản số {printed.replace('-', '-' + chr(10))} ngày 14/3/2025 của Bộ."
    assert [d for d, _, _ in find_doc_numbers(prose)] == [expected]


@given(st.integers(min_value=1, max_value=999), st.sampled_from(sorted(TYPE_NAMES)), st.sampled_from(["TW", "BCĐTW", "ĐU"]))
def test_generated_party_numbers(number, type_code, issuer):
    printed = f"{number}-{type_code}/{issuer}"
    assert parse_doc_number(printed) == DocNumber(printed, str(number), None, type_code, issuer, None, True)
    assert [d.normalized for d, _, _ in find_doc_numbers(f"Kết luận số {printed}, ngày 28/02/2025")] == [printed]


@given(st.dates())
def test_dates_are_not_document_numbers(day):
    for written in (f"{day.day}/{day.month}/{day.year}", f"{day.day}-{day.month}-{day.year}", f"{day.month}/{day.year}"):
        assert parse_doc_number(written) is None
        assert find_doc_numbers(f"ngày {written} và") == []


@pytest.mark.parametrize(
    "read, expected, verdict",
    [
        ("1039/TTTr-CP", "1039/TTr-CP", "repaired"),  # OCR doubled a letter; only TTr is one edit away
        ("5/QD-TTg", "5/QĐ-TTg", "repaired"),  # OCR dropped the stroke of Đ
        ("47/2020/ND-CP", "47/2020/NĐ-CP", "repaired"),
        ("1039/TTr-CP", "1039/TTr-CP", "known"),
        ("6001/BKHCN-CĐSQG", "6001/BKHCN-CĐSQG", "known"),  # a công văn: issuer code first
        ("02-KH/BCĐTW", "02-KH/BCĐTW", "known"),
        ("12/KHH-BCA", "12/KHH-BCA", "unverified"),  # KH and KHPH are both one edit away
        ("2071/QLĐĐ-TKKKTTĐĐ", "2071/QLĐĐ-TKKKTTĐĐ", "unverified"),
    ],
)
def test_numbers_read_by_ocr_are_checked_against_the_type_codes(read, expected, verdict):
    from normalizers.docnumbers import parse_doc_number, verify_ocr_number

    fixed, got = verify_ocr_number(parse_doc_number(read))
    assert (fixed.normalized, got) == (expected, verdict)
    assert parse_doc_number(fixed.normalized) == fixed
