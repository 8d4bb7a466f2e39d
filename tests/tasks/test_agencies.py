"""Tests of the agency registry (normalizers/data/agencies.csv, agency_aliases.csv) and matcher."""

from __future__ import annotations

import csv
import datetime
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normalizers import agencies
from normalizers.agencies import (
    Agency,
    Resolution,
    match_agency,
    registry,
    registry_rows,
    resolve_agencies,
)
from normalizers.schema import AGENCY_KINDS
from tests.fixtures.ratchet import record

LABELLED = Path(__file__).resolve().parents[1] / "fixtures" / "labelled" / "labelled_agencies.csv"
MINISTRY_MERGER_END = datetime.date(2025, 2, 28)
PROVINCE_MERGER_END = datetime.date(2025, 6, 30)


def by_name() -> dict[str, Agency]:
    return {a.name: a for a in registry()}


# ---------------------------------------------------------------- registry integrity


def test_names_unique_nfc_and_kinds_valid():
    names = [a.name for a in registry()]
    assert len(names) == len(set(names))
    for a in registry():
        assert a.kind in AGENCY_KINDS, a
        for text in filter(None, (a.name, a.short_name, *a.aliases)):
            assert text == unicodedata.normalize("NFC", text) and text == text.strip() and text, (a.name, text)


def test_every_spelling_resolves_to_its_own_body():
    """Each name, short name and alias maps to exactly that body (no alias is shared)."""
    wrong = []
    for a in registry():
        for spelling in (a.name, a.short_name, *a.aliases):
            if spelling and match_agency(spelling) != a.name:
                wrong.append((spelling, a.name, resolve_agencies(spelling)))
    assert not wrong, wrong


def test_successors_and_parents_exist():
    agencies = by_name()
    for a in registry():
        if a.successor:
            assert a.successor in agencies, a
            assert agencies[a.successor].valid_until is None, f"{a.name}: successor no longer exists"
            assert agencies[a.successor].kind == a.kind or a.kind == "government_body", a
        if a.parent:
            assert a.parent in agencies, a


def test_merged_bodies_have_valid_until_and_successor():
    for a in registry():
        assert (a.successor is None) == (a.valid_until is None), a


def test_ministries_merged_on_1_march_2025():
    agencies = by_name()
    expected = {
        "Bộ Kế hoạch và Đầu tư": "Bộ Tài chính",
        "Bộ Thông tin và Truyền thông": "Bộ Khoa học và Công nghệ",
        "Bộ Tài nguyên và Môi trường": "Bộ Nông nghiệp và Môi trường",
        "Bộ Nông nghiệp và Phát triển nông thôn": "Bộ Nông nghiệp và Môi trường",
        "Bộ Giao thông vận tải": "Bộ Xây dựng",
        "Bộ Lao động - Thương binh và Xã hội": "Bộ Nội vụ",
        "Ủy ban Dân tộc": "Bộ Dân tộc và Tôn giáo",
    }
    for old, new in expected.items():
        assert agencies[old].successor == new
        assert agencies[old].valid_until == MINISTRY_MERGER_END
    current = {a.name for a in registry() if a.kind == "ministry" and a.valid_until is None}
    assert current == {
        "Bộ Quốc phòng", "Bộ Công an", "Bộ Ngoại giao", "Bộ Nội vụ", "Bộ Tư pháp", "Bộ Tài chính",
        "Bộ Công Thương", "Bộ Nông nghiệp và Môi trường", "Bộ Xây dựng", "Bộ Văn hóa, Thể thao và Du lịch",
        "Bộ Khoa học và Công nghệ", "Bộ Giáo dục và Đào tạo", "Bộ Y tế", "Bộ Dân tộc và Tôn giáo",
    }
    for body in ("Văn phòng Chính phủ", "Thanh tra Chính phủ", "Ngân hàng Nhà nước Việt Nam",
                 "Bảo hiểm xã hội Việt Nam", "Đài Truyền hình Việt Nam", "Đài Tiếng nói Việt Nam",
                 "Thông tấn xã Việt Nam", "Chính phủ", "Thủ tướng Chính phủ"):
        assert agencies[body].kind == "government_body" and agencies[body].valid_until is None


def test_provinces_63_before_and_34_after_1_july_2025():
    localities = [a for a in registry() if a.kind == "locality"]
    assert len(localities) == 63
    after = [a for a in localities if a.valid_until is None]
    merged = [a for a in localities if a.valid_until is not None]
    assert len(after) == 34 and len(merged) == 29
    assert {a.valid_until for a in merged} == {PROVINCE_MERGER_END}
    cities = {a.name for a in after if a.name.startswith("Thành phố ")}
    assert cities == {f"Thành phố {n}" for n in ("Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế")}
    # every merged province went into one of the 34; 23 of the 34 absorbed at least one
    assert all(a.successor in {b.name for b in after} for a in merged)
    assert len({a.successor for a in merged}) == 23
    agencies = by_name()
    for old, new in [("Tỉnh Hà Giang", "Tỉnh Tuyên Quang"), ("Tỉnh Bình Dương", "Thành phố Hồ Chí Minh"),
                     ("Tỉnh Bà Rịa - Vũng Tàu", "Thành phố Hồ Chí Minh"), ("Tỉnh Quảng Nam", "Thành phố Đà Nẵng"),
                     ("Tỉnh Hải Dương", "Thành phố Hải Phòng"), ("Tỉnh Nam Định", "Tỉnh Ninh Bình"),
                     ("Tỉnh Kiên Giang", "Tỉnh An Giang"), ("Tỉnh Bình Định", "Tỉnh Gia Lai"),
                     ("Tỉnh Sóc Trăng", "Thành phố Cần Thơ"), ("Tỉnh Bến Tre", "Tỉnh Vĩnh Long")]:
        assert agencies[old].successor == new


def test_groups_and_units():
    agencies = by_name()
    for group in ("Các bộ, ngành, địa phương", "Các bộ, ngành", "Các địa phương"):
        assert agencies[group].kind == "group"
    units = [a for a in registry() if a.parent == "Bộ Công an"]
    assert {a.short_name for a in units} >= {"C06", "C12", "A05", "V06", "X02"}
    assert all(a.kind == "other" for a in units)


def test_registry_rows_match_the_schema():
    rows = registry_rows()
    assert [r["name"] for r in rows] == sorted(r["name"] for r in rows)
    assert len(rows) == len(registry())
    for r in rows:
        assert isinstance(r["aliases"], list)
        assert r["valid_until"] is None or isinstance(r["valid_until"], datetime.date)
    from normalizers.schema import AGENCIES, to_arrow

    table = to_arrow(AGENCIES, rows)
    assert table.num_rows == len(rows)


# ---------------------------------------------------------------- API behaviour


@pytest.mark.parametrize(
    "raw, names",
    [
        ("Bộ Công\nan", ["Bộ Công an"]),
        ("Bộ Công ạ", ["Bộ Công an"]),
        ("BỘ KHOA HỌC VÀ CÔNG NGHỆ", ["Bộ Khoa học và Công nghệ"]),
        ("Bộ KH&CN", ["Bộ Khoa học và Công nghệ"]),
        ("Bộ Văn hoá, Thể thao và Du lịch", ["Bộ Văn hóa, Thể thao và Du lịch"]),
        ("Bộ Kế hoạch và Đầu tư", ["Bộ Kế hoạch và Đầu tư"]),  # the body named, not its successor
        ("Ngân hàng hàng Nhà nước, Bộ Tài chính; Bộ Nội vụ",
         ["Ngân hàng Nhà nước Việt Nam", "Bộ Tài chính", "Bộ Nội vụ"]),
        ("Bộ Công an, Bộ Nội vụ Văn phòng Chính phủ", ["Bộ Công an", "Bộ Nội vụ", "Văn phòng Chính phủ"]),
        ("Bộ Tài chính\n(Nhiệm vụ Bộ Kế hoạch và Đầu tư chuyển sang)", ["Bộ Tài chính"]),
        ("Bộ Thông tin và Truyền thông (nay là Bộ Khoa học và Công nghệ)", ["Bộ Thông tin và Truyền thông"]),
        ("Bộ Tài chính: 03 dịch vụ (01 DVC BHXH chuyển sang); Bộ Y tế: 02 dịch vụ", ["Bộ Tài chính", "Bộ Y tế"]),
        ("Các bộ, ngành, địa phương", ["Các bộ, ngành, địa phương"]),
        ("Bộ Lao động - Thương binh và Xã hội, Bộ Y tế", ["Bộ Lao động - Thương binh và Xã hội", "Bộ Y tế"]),
        ("UBND tỉnh Bình Định, Thanh Hóa", ["Tỉnh Bình Định", "Tỉnh Thanh Hóa"]),
        ("Bộ Công an, Bộ Công an", ["Bộ Công an"]),
        ("(Nhiệm vụ của Bộ Thông tin và Truyền thông chuyển sang)", []),
        ("", []),
        (None, []),
    ],
)
def test_resolve_examples(raw, names):
    assert list(resolve_agencies(raw).names) == names


@pytest.mark.parametrize(
    "raw",
    ["Bộ phận một cửa", "Ban Chỉ đạo", "Tổ công tác", "Sở Công Thương", "Sở Giáo dục và Đào tạo",
     "Phó Thủ tướng Chính phủ", "Công an tỉnh Bắc Ninh", "Cục Tiền lương và Bảo hiểm xã hội", "Văn phòng Bộ Công an"],
)
def test_hard_negatives_are_unmatched_not_mapped(raw):
    result = resolve_agencies(raw)
    assert result.names == ()
    assert result.unmatched, raw


def test_unmatched_keeps_the_unknown_fragments():
    result = resolve_agencies("Bộ Công an, các nhà mạng viễn thông")
    assert result == Resolution(("Bộ Công an",), ("các nhà mạng viễn thông",))


def test_match_agency_single_name_only():
    assert match_agency("BCA") == "Bộ Công an"
    assert match_agency("Tổng Thanh tra Chính phủ") == "Thanh tra Chính phủ"
    assert match_agency("Bộ Công an, Bộ Y tế") is None
    assert match_agency("Bộ chỉ số") is None


def test_the_registry_is_indexed_once_and_a_cell_text_resolved_once():
    """What keeps resolving fast (the speed itself is measured in bench/, never asserted by a clock
    here): the keys of all names are computed once, and a cell text met again is not resolved again."""
    texts = [f"{r['raw']} " * (i % 2 + 1) for i, r in enumerate(_labelled() * 5) if r["raw"].strip()]
    resolve_agencies("Bộ Công an")  # load the registry
    loaded = (agencies._index.cache_info().misses, registry.cache_info().misses)
    before = agencies._resolve_cached.cache_info()
    first = [resolve_agencies(t) for t in texts]
    after = agencies._resolve_cached.cache_info()
    assert after.misses - before.misses <= len(set(texts))  # each distinct text resolved at most once
    assert after.hits - before.hits >= len(texts) - len(set(texts))  # every repeat answered from the cache
    assert (agencies._index.cache_info().misses, registry.cache_info().misses) == loaded
    assert [resolve_agencies(t) for t in texts] == first


# ---------------------------------------------------------------- labelled set


def _labelled() -> list[dict[str, str]]:
    with LABELLED.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_labelled_set_is_large_and_consistent():
    rows = _labelled()
    assert len(rows) >= 250
    assert Counter(r["source"] for r in rows).keys() == {"seed", "variant"}
    known = set(by_name())
    for r in rows:
        for name in filter(None, r["expected"].split(" | ")):
            assert name in known, (r["raw"], name)


def test_precision_and_recall_on_labelled_set():
    true_pos = false_pos = false_neg = 0
    misses = []
    for r in _labelled():
        expected = [n for n in r["expected"].split(" | ") if n]
        got = list(resolve_agencies(r["raw"]).names)
        tp = len(set(got) & set(expected))
        true_pos += tp
        false_pos += len(got) - tp
        false_neg += len(expected) - tp
        if set(got) != set(expected):
            misses.append(f"{r['raw']!r}: expected {expected}, got {got}")
    precision = true_pos / (true_pos + false_pos)
    recall = true_pos / (true_pos + false_neg)
    report = f"precision={precision:.4f} recall={recall:.4f}\n" + "\n".join(misses)
    record("labelled-agencies", {"precision": precision, "recall": recall})
    print(report)
    assert precision >= 0.995 and recall >= 0.98, report


def test_order_follows_the_text():
    rows = [r for r in _labelled() if r["expected"].count(" | ") >= 2]
    assert rows
    for r in rows:
        got = list(resolve_agencies(r["raw"]).names)
        expected = r["expected"].split(" | ")
        if set(got) == set(expected):
            assert got == expected, r["raw"]


# ---------------------------------------------------------------- properties


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_crashes(text):
    result = resolve_agencies(text)
    assert isinstance(result, Resolution)
    assert all(name in by_name() for name in result.names)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from([a.name for a in registry()]), st.sampled_from(["", " ", "\n", ";", ","]))
def test_canonical_name_resolves_to_itself(name, trailer):
    assert resolve_agencies(name + trailer).names == (name,)


@pytest.mark.parametrize(
    "raw",
    [
        "Cơ quan ngang bộ, cơ quan thuộc Chính phủ, UBND các tỉnh, thành phố",
        "Cơ quan ngang bộ, cơ quan thuộc Chính phủ, Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương",
        "Cơ quan ngang bộ, \ncơ quan thuộc \nChính phủ, Ủy ban \nnhân dân các tỉnh, \nthành phố trực thuộc \ntrung ương ",
    ],
)
def test_a_collective_without_the_ministries_is_kept_as_printed(raw):
    """Ministerial-level and government agencies plus provinces are not 'all ministries, sectors and
    localities': the collective is its own registry entry (a group), not 'Các bộ, ngành, địa phương'."""
    names = resolve_agencies(raw).names
    assert names == ("Cơ quan ngang bộ, cơ quan thuộc Chính phủ, Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương",)
    assert by_name()[names[0]].kind == "group"
    assert resolve_agencies("Cơ quan ngang bộ, cơ quan thuộc Chính phủ").names == ("Cơ quan ngang bộ, cơ quan thuộc Chính phủ",)


# ---------------------------------------------------------------- bodies of a province (issue 18)


def test_lam_dong_committee_and_departments_with_their_parents():
    agencies = by_name()
    committee = agencies["Ủy ban nhân dân tỉnh Lâm Đồng"]
    assert (committee.kind, committee.parent, committee.successor) == ("local_committee", "Tỉnh Lâm Đồng", None)
    assert agencies["Sở Nội vụ tỉnh Lâm Đồng"].parent == "Ủy ban nhân dân tỉnh Lâm Đồng"
    assert agencies["Công an tỉnh Lâm Đồng"].parent == "Bộ Công an"
    for spelling, name in [("UBND tỉnh Lâm Đồng", "Ủy ban nhân dân tỉnh Lâm Đồng"),
                           ("ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "Ủy ban nhân dân tỉnh Lâm Đồng"),
                           ("SỞ NỘI VỤ TỈNH LÂM ĐỒNG", "Sở Nội vụ tỉnh Lâm Đồng"),
                           ("CÔNG AN TỈNH LÂM ĐỒNG", "Công an tỉnh Lâm Đồng"),
                           ("Văn phòng UBND tỉnh Lâm Đồng", "Văn phòng Ủy ban nhân dân tỉnh Lâm Đồng")]:
        assert match_agency(spelling) == name, spelling


@pytest.mark.parametrize("old", ["Bình Thuận", "Đắk Nông"])
def test_bodies_of_the_provinces_merged_into_lam_dong_resolve_with_their_successors(old):
    """Before 1 July 2025 the same office signed with its old province's name: both spellings
    resolve, the old body to the new one through its successor."""
    agencies = by_name()
    for old_name, new_name in [(f"Ủy ban nhân dân tỉnh {old}", "Ủy ban nhân dân tỉnh Lâm Đồng"),
                               (f"Sở Nội vụ tỉnh {old}", "Sở Nội vụ tỉnh Lâm Đồng"),
                               (f"Công an tỉnh {old}", "Công an tỉnh Lâm Đồng")]:
        assert match_agency(old_name.upper()) == old_name
        assert agencies[old_name].successor == new_name
        assert agencies[old_name].valid_until == PROVINCE_MERGER_END
    assert agencies[f"Tỉnh {old}"].successor == "Tỉnh Lâm Đồng"
