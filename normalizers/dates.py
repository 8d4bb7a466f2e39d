"""Calendar dates written in Vietnamese documents: find them in text and parse them.

Forms read: "ngày 14 tháng 3 năm 2025" (the word "ngày" optional, any case), "14/3/2025",
"14-3-2025", "14.3.2025", "06/02/2025", and ISO "2025-03-14". Day and month come first
(never the US order). Dumps of narrow table columns add breaks and spaces, so a space or
line break is tolerated around "/" and inside the year ("13/7/2 025", "01/5/\\n2025").

Only real calendar dates between 1945-01-01 and 2100-12-31 are produced: "31/02/2025" and the
misprinted "17/02/205" give nothing. Fractions ("58/76"), ratios ("24/7"), month-only
references ("tháng 6/2025") and document numbers ("47/2020/NĐ-CP") are not dates.

Spans index into the NFC form of the input (identical to the input when it is NFC, as all
curated text is) and cover the date itself, without a leading "ngày".
"""

from __future__ import annotations

import datetime as dt
import re

from normalizers.text import nfc

MIN_YEAR = 1945
MAX_YEAR = 2100

_D = r"[0-9]{1,2}"
# A year of the allowed range, possibly split once or more by a wrap: "2025", "2 025", "20\n25".
_Y = r"[12](?:\s?[0-9]){3}"
# Not glued to a preceding number, separator or letter ("v1.2.2025", "12.500.2025", "147/2020").
_START = r"(?<![0-9/.\-\w])"
# Not followed by more digits or by a separator and digits ("1.2.2025.3").
_END = r"(?![0-9]|[/.\-][0-9])"

_DATE = re.compile(
    "|".join(
        (
            # ngày 14 tháng 3 năm 2025 (the leading "ngày" stays outside the span)
            rf"{_START}(?P<ld>{_D})\s+tháng\s+(?P<lm>{_D})\s*,?\s+năm\s+(?P<ly>{_Y}){_END}",
            # 14/3/2025, with a space or a break tolerated around the slashes
            rf"{_START}(?P<sd>{_D})\s?/\s?(?P<sm>{_D})\s?/\s?(?P<sy>{_Y}){_END}",
            # 14-3-2025 and 14.3.2025: no spaces, the separators must agree
            rf"{_START}(?P<hd>{_D})(?P<sep>[.\-])(?P<hm>{_D})(?P=sep)(?P<hy>[12][0-9]{{3}}){_END}",
            # 2025-03-14
            rf"{_START}(?P<iy>[12][0-9]{{3}})-(?P<im>{_D})-(?P<id>{_D}){_END}",
        )
    ),
    re.IGNORECASE,
)
_DIGITS_ONLY = re.compile(r"\D")


def make_date(year: int, month: int, day: int) -> dt.date | None:
    """The date, or None if it is not a real date within 1945-2100."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _number(text: str) -> int:
    return int(_DIGITS_ONLY.sub("", text))


def _match_date(m: re.Match[str]) -> dt.date | None:
    for d, mo, y in (("ld", "lm", "ly"), ("sd", "sm", "sy"), ("hd", "hm", "hy"), ("id", "im", "iy")):
        if m.group(d) is not None:
            return make_date(_number(m.group(y)), _number(m.group(mo)), _number(m.group(d)))
    return None  # pragma: no cover - one alternative always matches


def find_dates(text: str | None) -> list[tuple[dt.date, int, int]]:
    """Every date in `text` as (date, start, end), in reading order.

    Spans index into the NFC form of `text`. Invalid dates ("31/02/2025") and dates outside
    1945-2100 are skipped.
    """
    if not text:
        return []
    out = []
    for m in _DATE.finditer(nfc(text)):
        day = _match_date(m)
        if day is not None:
            out.append((day, m.start(), m.end()))
    return out


def parse_date(text: str | None) -> dt.date | None:
    """The first date in `text`, or None."""
    found = find_dates(text)
    return found[0][0] if found else None


# ---------------------------------------------------------------- dates of a lesser precision

PRECISIONS = ("day", "month", "year")
# "tháng 11 năm 2025", "tháng 11/2025" (a blank day before it, "ngày    tháng 11 năm 2025", is fine)
_MONTH_YEAR = re.compile(rf"(?<!\w)tháng\s+(?P<m>{_D})\s*(?:/|,?\s+năm)\s*(?P<y>{_Y}){_END}", re.IGNORECASE)
_YEAR_ONLY = re.compile(rf"(?<!\w)năm\s+(?P<y>{_Y}){_END}", re.IGNORECASE)


def _month_end(year: int, month: int) -> dt.date | None:
    if not 1 <= month <= 12:
        return None
    first_next = make_date(year + (month == 12), month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1) if first_next else None


def find_period_date(text: str | None) -> tuple[dt.date, str] | None:
    """The first date in `text` with its precision: a full date -> (date, "day"); else a month
    ("tháng 11 năm 2025", "tháng 11/2025", also with a blank day before it) -> (its last day,
    "month"); else a year ("năm 2025") -> (31 December, "year"); None when there is none."""
    full = parse_date(text)
    if full is not None:
        return full, "day"
    if not text:
        return None
    text = nfc(text)
    m = _MONTH_YEAR.search(text)
    if m and (end := _month_end(_number(m.group("y")), _number(m.group("m")))):
        return end, "month"
    m = _YEAR_ONLY.search(text)
    if m and (last := make_date(_number(m.group("y")), 12, 31)):
        return last, "year"
    return None
