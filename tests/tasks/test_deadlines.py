"""Deadlines: every deadline cell of the seeds, damaged variants, the brief's forms, properties."""

from __future__ import annotations

import csv
import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalizers.deadlines import KINDS, Deadline, parse_deadline
from normalizers.repair import repair_deadline_text
from tests.fixtures.ratchet import record

LABELLED = Path(__file__).resolve().parents[1] / "fixtures" / "labelled" / "labelled_deadlines.csv"
D = dt.date


def _rows() -> list[dict[str, str]]:
    with open(LABELLED, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _expected(row: dict[str, str]) -> Deadline:
    due = D.fromisoformat(row["due"]) if row["due"] else None
    return Deadline(row["kind"], due, row["open_ended"] == "true")


def test_labelled_deadlines_accuracy():
    rows = _rows()
    misses = [
        f"{row['raw']!r} ({row['ref']}): expected {_expected(row)}, got {parse_deadline(row['raw'])}"
        for row in rows
        if parse_deadline(row["raw"]) != _expected(row)
    ]
    accuracy = 1 - len(misses) / len(rows)
    record("labelled-deadlines", {"accuracy": accuracy})
    assert accuracy >= 0.99, f"accuracy {accuracy:.3f}, misses:\n" + "\n".join(misses)


def test_labelled_set_covers_the_seed_tables():
    refs = [row["ref"] for row in _rows() if row["source"] == "seed"]
    assert sum(r.startswith("001:") for r in refs) == 112  # the 112 tasks of 07/CT-TTg
    # every row of the 552/TB-VPCP appendix (items 22 and 37 twice, no 38)
    assert sum(r.startswith("004:") for r in refs) == 49
    assert sum(r.startswith("000:") for r in refs) >= 60
    assert {row["kind"] for row in _rows()} == set(KINDS)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Tháng 6/2025", Deadline("month", D(2025, 6, 30), False)),
        ("tháng 6 năm 2025", Deadline("month", D(2025, 6, 30), False)),
        ("Quý II/2025", Deadline("quarter", D(2025, 6, 30), False)),
        ("Quý I năm 2025", Deadline("quarter", D(2025, 3, 31), False)),
        ("31/10/2025", Deadline("date", D(2025, 10, 31), False)),
        ("Năm 2025", Deadline("year", D(2025, 12, 31), False)),
        ("2025", Deadline("year", D(2025, 12, 31), False)),
        ("Thường xuyên", Deadline("recurring", None, True)),
        ("Thực hiện thường xuyên", Deadline("recurring", None, True)),
        ("Nhiệm vụ thường xuyên", Deadline("recurring", None, True)),
        ("Hằng năm", Deadline("recurring", None, True)),
        ("2025 và những năm tiếp theo", Deadline("year", D(2025, 12, 31), True)),
        ("Tháng 12/2025 và những năm tiếp theo", Deadline("month", D(2025, 12, 31), True)),
        ("6 tháng đầu năm 2025", Deadline("half_year", D(2025, 6, 30), False)),
        ("6 tháng cuối năm 2025", Deadline("half_year", D(2025, 12, 31), False)),
        ("hoàn thành trong tháng 6 năm 2025", Deadline("month", D(2025, 6, 30), False)),
        ("trong Quý II năm 2025", Deadline("quarter", D(2025, 6, 30), False)),
        ("trước ngày 30/6/2025", Deadline("date", D(2025, 6, 30), False)),
        ("", Deadline("none", None, False)),
        (None, Deadline("none", None, False)),
        ("Khi các CSDL quốc gia hoàn thành", Deadline("unparsed", None, False)),
        ("Tháng  \n 6/2025", Deadline("month", D(2025, 6, 30), False)),
        ("Thườn g xuyên", Deadline("recurring", None, True)),
        ("13/7/2 025", Deadline("date", D(2025, 7, 13), False)),
        ("Quý II/2025 (CSDL); Tháng 12/2025", Deadline("month", D(2025, 12, 31), False)),
    ],
)
def test_brief_examples(raw, expected):
    assert parse_deadline(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "Triển khai Quyết định số 422/QĐ-TTg ngày 04/4/2022",  # date of a cited document
        "Dự kiến tập huấn từ tháng 11/2025",  # a start
        "31/02/2025",
        "Tháng 13/2025",
        "Tháng 6 / 1944",
        "Đã hoàn thành",
        "Tháng",
    ],
)
def test_not_deadlines(raw):
    assert parse_deadline(raw) == Deadline("unparsed", None, False)


def test_no_joining_across_expressions():
    # each number stays in its expression: not "Tháng 6/20252026" nor a year 2026 glued to the month
    assert parse_deadline("Tháng 6/2025 2026") == Deadline("year", D(2026, 12, 31), False)
    assert parse_deadline("Tháng 12/2025; 31/10/2025") == Deadline("month", D(2025, 12, 31), False)


@given(st.text())
def test_any_text_gives_a_consistent_deadline(raw):
    deadline = parse_deadline(raw)
    assert deadline.kind in KINDS
    assert (deadline.due is None) == (deadline.kind in ("recurring", "none", "unparsed"))
    if deadline.due is not None:
        assert 1945 <= deadline.due.year <= 2100
    if deadline.kind == "recurring":
        assert deadline.open_ended
    assert parse_deadline(raw) == deadline


_YEARS = st.integers(min_value=1945, max_value=2100)


def _month_end(year: int, month: int) -> D:
    return (D(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))


@given(_YEARS, st.integers(min_value=1, max_value=12))
def test_months_read_back_in_every_spelling(year, month):
    expected = Deadline("month", _month_end(year, month), False)
    spellings = (f"Tháng {month}/{year}", f"tháng {month} năm {year}", f"THÁNG {month:02d}/{year}", f"Tháng\n{month}/{year}")
    for raw in spellings:
        assert parse_deadline(raw) == expected, raw
        assert parse_deadline(unicodedata.normalize("NFD", raw)) == expected, raw


@given(_YEARS, st.sampled_from([("I", 3), ("II", 6), ("III", 9), ("IV", 12), ("2", 6), ("4", 12)]))
def test_quarters_read_back(year, quarter):
    label, last_month = quarter
    expected = Deadline("quarter", _month_end(year, last_month), False)
    assert parse_deadline(f"Quý {label}/{year}") == expected
    assert parse_deadline(f"trong Quý {label} năm {year}") == expected


WRAPPED = (  # deadlines that narrow columns cut (docs/domain.md, tests/fixtures/variety.py)
    "Thường xuyên", "Thực hiện thường xuyên", "Nhiệm vụ thường xuyên", "Hằng năm", "13/7/2025", "31/10/2025",
    "Tháng 12/2025", "Quý II/2025", "Quý I năm 2025", "Năm 2025", "6 tháng đầu năm 2025",
    "2025 và những năm tiếp theo", "Tháng 12/2025 và những năm tiếp theo", "trước ngày 30/6/2025",
)


@given(st.sampled_from(WRAPPED), st.integers(min_value=1), st.sampled_from([" ", "\n", "  \n "]))
def test_a_cut_inside_a_word_or_number_changes_nothing(raw, position, cut):
    position = 1 + position % (len(raw) - 1)
    if raw[position] == " " or raw[position - 1] == " ":
        damaged = raw[:position].rstrip() + raw[position:].lstrip()  # a lost space
    else:
        damaged = raw[:position] + cut + raw[position:]
    assert parse_deadline(damaged) == parse_deadline(raw)


@given(st.sampled_from(WRAPPED), st.integers(min_value=1), st.sampled_from([" ", "\n", "  \n "]))
def test_ocr_repair_keeps_every_cut_deadline(raw, position, cut):
    """`repair_deadline_text` (applied to OCR'd cells) never changes what a cut cell means."""
    position = 1 + position % (len(raw) - 1)
    if raw[position] == " " or raw[position - 1] == " ":
        damaged = raw[:position].rstrip() + raw[position:].lstrip()
    else:
        damaged = raw[:position] + cut + raw[position:]
    assert parse_deadline(repair_deadline_text(damaged)) == parse_deadline(raw)


@given(st.sampled_from([w for w in WRAPPED if " " in w]), st.integers(min_value=0),
       st.sampled_from(["Š", "5", "ˆ", "q"]))
def test_a_cut_word_whose_last_letter_is_misread_is_mended(raw, k, sign):
    """A narrow column cuts a word before its last letter and OCR reads that letter as
    another sign ("Thán Š 12/2025"): the deadline is read as printed."""
    words = raw.split()
    candidates = [i for i, w in enumerate(words[:-1]) if len(w) >= 4 and w.isalpha()]
    if not candidates:
        return
    i = candidates[k % len(candidates)]
    damaged = " ".join(words[:i] + [words[i][:-1], sign] + words[i + 1:])
    assert parse_deadline(repair_deadline_text(damaged)) == parse_deadline(raw)


def test_ocr_repair_changes_no_labelled_deadline():
    """Every deadline of the labelled set reads the same after `repair_deadline_text`."""
    changed = [row["raw"] for row in _rows() if parse_deadline(repair_deadline_text(row["raw"])) != parse_deadline(row["raw"])]
    assert not changed


@given(st.dates(min_value=D(1945, 1, 1), max_value=D(2100, 12, 31)))
def test_dates_read_back_and_are_stable(day):
    deadline = parse_deadline(f"{day.day}/{day.month}/{day.year}")
    assert deadline == Deadline("date", day, False)
    assert parse_deadline(f"{deadline.due.day:02d}/{deadline.due.month:02d}/{deadline.due.year}") == deadline
