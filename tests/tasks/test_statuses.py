"""Statuses: every Tiến độ value of seed 004, result prose of seeds 000/004, the phrase registry."""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalizers.statuses import PHRASES, STATUSES, infer_status, status_from_column
from tests.fixtures.ratchet import record

LABELLED = Path(__file__).resolve().parents[1] / "fixtures" / "labelled" / "labelled_statuses.csv"
FUNCTIONS = {"column": status_from_column, "infer": infer_status}


def _rows(function: str) -> list[dict[str, str]]:
    with open(LABELLED, encoding="utf-8", newline="") as f:
        return [row for row in csv.DictReader(f) if row["function"] == function]


@pytest.mark.parametrize("function", ["column", "infer"])
def test_labelled_statuses_accuracy(function):
    rows = _rows(function)
    read = FUNCTIONS[function]
    misses = [
        f"{row['raw'][:200]!r} ({row['ref']}): expected {row['status']}, got {read(row['raw'])}"
        for row in rows
        if read(row["raw"]) != row["status"]
    ]
    accuracy = 1 - len(misses) / len(rows)
    record("labelled-statuses", {function: accuracy})
    assert accuracy >= 0.99, f"{function} accuracy {accuracy:.3f}, misses:\n" + "\n".join(misses)


def test_labelled_set_size_and_coverage():
    infer = _rows("infer")
    assert sum(row["source"] == "seed" for row in infer) >= 40
    assert {row["status"] for row in infer} == set(STATUSES)
    assert sum(row["ref"].startswith("004:") for row in _rows("column")) == 49  # every row of 552/TB-VPCP


def test_phrase_registry_is_well_formed():
    seen = set()
    for row in PHRASES:
        assert row["use"] in ("column", "result"), row
        assert row["strength"] in ("strong", "weak", "hedge"), row
        assert row["status"] in STATUSES or (row["status"] == "pending" and row["strength"] == "hedge"), row
        assert row["phrase"] == unicodedata.normalize("NFC", row["phrase"]) == row["phrase"].lower().strip()
        assert (row["use"], row["phrase"]) not in seen, row
        seen.add((row["use"], row["phrase"]))


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Đã hoàn thành", "completed"),
        ("Đã hoàn thành quá hạn", "completed_late"),
        ("Đã hoàn thành quá \nhạn", "completed_late"),
        ("Đang thực hiện", "in_progress"),
        ("Đang triển khai", "in_progress"),
        ("Đang hoàn thành", "in_progress"),
        ("Chưa hoàn thành", "not_completed"),
        ("Quá hạn", "overdue"),
        ("Chậm tiến độ", "overdue"),
        ("", "unknown"),
        (None, "unknown"),
        ("Xem phụ lục", "unknown"),
    ],
)
def test_column_examples(raw, expected):
    assert status_from_column(raw) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Đã ban hành Nghị định số 13/2023/NĐ-CP ngày 17/4/2023", "completed"),
        ("Đang xây dựng dự thảo Nghị định", "in_progress"),
        ("Chưa ban hành", "not_completed"),
        ("Nhiệm vụ chậm tiến độ", "overdue"),
        ("Nhiệm vụ đã quá hạn", "overdue"),
        ("Đã ban hành Kế hoạch; đang xây dựng Đề án", "unknown"),  # mixed
        ("Dự kiến ban hành trong tháng 6/2025", "unknown"),  # hedged
        ("Đã hoàn thành cung cấp 42 tiện ích", "unknown"),  # counted, target unknown
        ("Có 11/11 địa phương hoàn thành, đạt tỷ lệ 100%", "completed"),
        ("Đến nay đã có 26/63 địa phương sử dụng", "in_progress"),
        (None, "unknown"),
    ],
)
def test_infer_examples(text, expected):
    assert infer_status(text) == expected


@given(st.text())
def test_any_text_gives_a_status(text):
    assert status_from_column(text) in STATUSES
    assert infer_status(text) in STATUSES


@given(st.sampled_from([row for f in FUNCTIONS for row in _rows(f)]))
def test_unicode_form_and_surrounding_space_do_not_matter(row):
    read = FUNCTIONS[row["function"]]
    expected = read(row["raw"])
    assert read(unicodedata.normalize("NFD", row["raw"])) == expected
    assert read(f"  {row['raw']}\n") == expected
