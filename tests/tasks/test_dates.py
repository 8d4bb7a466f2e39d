"""Dates in text: labelled seed snippets, the forms of the brief, spans, and properties."""

from __future__ import annotations

import csv
import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalizers.dates import MAX_YEAR, MIN_YEAR, find_dates, parse_date
from tests.fixtures.ratchet import record

LABELLED = Path(__file__).resolve().parents[1] / "fixtures" / "labelled" / "labelled_dates.csv"


def _rows() -> list[dict[str, str]]:
    with open(LABELLED, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_labelled_dates_accuracy():
    rows = _rows()
    misses = []
    for row in rows:
        first = parse_date(row["raw"])
        every = ";".join(d.isoformat() for d, _, _ in find_dates(row["raw"]))
        got = (first.isoformat() if first else "", every)
        if got != (row["first"], row["all"]):
            misses.append(f"{row['raw']!r} ({row['ref']}): expected {(row['first'], row['all'])}, got {got}")
    accuracy = 1 - len(misses) / len(rows)
    record("labelled-dates", {"accuracy": accuracy})
    assert accuracy >= 0.99, f"accuracy {accuracy:.3f}, misses:\n" + "\n".join(misses)


def test_labelled_set_has_seed_and_variant_rows():
    sources = {row["source"] for row in _rows()}
    assert sources == {"seed", "variant"}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ngày 14 tháng 3 năm 2025", dt.date(2025, 3, 14)),
        ("14/3/2025", dt.date(2025, 3, 14)),
        ("14-3-2025", dt.date(2025, 3, 14)),
        ("ngày 06/02/2025", dt.date(2025, 2, 6)),
        ("14.3.2025", dt.date(2025, 3, 14)),
        ("Hà Nội, ngày 17 tháng 3 năm 2025", dt.date(2025, 3, 17)),
        ("31/02/2025", None),
        ("58/76", None),
        ("24/7", None),
        ("tháng 6/2025", None),
        ("47/2020/NĐ-CP", None),
        (None, None),
    ],
)
def test_brief_examples(text, expected):
    assert parse_date(text) == expected


def test_spans_cover_the_dates():
    text = "Tờ trình số 193/TTr-BCA-C12 ngày \n01/5/2025; Ngày 12/5/2025 và ngày 14 tháng 3 năm 2025."
    found = find_dates(text)
    assert [d for d, _, _ in found] == [dt.date(2025, 5, 1), dt.date(2025, 5, 12), dt.date(2025, 3, 14)]
    assert [text[s:e] for _, s, e in found] == ["01/5/2025", "12/5/2025", "14 tháng 3 năm 2025"]


def test_spans_index_the_nfc_text():
    text = unicodedata.normalize("NFD", "Hà Nội, ngày 14 tháng 3 năm 2025")
    ((day, start, end),) = find_dates(text)
    assert unicodedata.normalize("NFC", text)[start:end] == "14 tháng 3 năm 2025"
    assert day == dt.date(2025, 3, 14)


@given(st.text())
def test_any_text_gives_valid_dates_in_range(text):
    for day, start, end in find_dates(text):
        assert MIN_YEAR <= day.year <= MAX_YEAR
        assert 0 <= start < end <= len(unicodedata.normalize("NFC", text))


@given(st.dates(min_value=dt.date(MIN_YEAR, 1, 1), max_value=dt.date(MAX_YEAR, 12, 31)))
def test_written_dates_read_back(day):
    for written in (
        f"{day.day}/{day.month}/{day.year}",
        f"{day.day:02d}/{day.month:02d}/{day.year}",
        f"{day.day}-{day.month}-{day.year}",
        f"{day.day}.{day.month}.{day.year}",
        f"ngày {day.day} tháng {day.month} năm {day.year}",
        f"Hà Nội, NGÀY {day.day:02d} THÁNG {day.month:02d} NĂM {day.year}",
    ):
        assert parse_date(written) == day, written


_TOO_EARLY = st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(MIN_YEAR - 1, 12, 31))
_TOO_LATE = st.dates(min_value=dt.date(MAX_YEAR + 1, 1, 1), max_value=dt.date(2999, 12, 31))


@given(_TOO_EARLY | _TOO_LATE)
def test_dates_out_of_range_are_not_produced(day):
    assert parse_date(f"ngày {day.day}/{day.month}/{day.year}") is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("(Kèm theo Thông báo kết luận số         /TB-VPCP ngày     tháng 11 năm 2025 của Văn phòng Chính phủ)",
         (dt.date(2025, 11, 30), "month")),
        ("Kết quả (đến ngày 10/5/2025)", (dt.date(2025, 5, 10), "day")),
        ("Kết quả đến tháng 2/2024", (dt.date(2024, 2, 29), "month")),
        ("Tình hình năm 2025", (dt.date(2025, 12, 31), "year")),
        ("Kết quả thực hiện", None),
        ("tháng 13/2025", None),
        (None, None),
    ],
)
def test_period_dates_keep_their_precision(text, expected):
    from normalizers.dates import find_period_date

    assert find_period_date(text) == expected
