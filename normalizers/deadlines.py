"""Deadlines of tasks ("Thời hạn", "Thời gian hoàn thành" cells) as a kind and a due date.

A deadline cell reads "Tháng 6/2025", "Quý II/2025", "31/10/2025", "Năm 2025", "2025",
"6 tháng đầu năm 2025", "Thường xuyên", "2025 và những năm tiếp theo", ...; prose carries
the same expressions after a cue ("hoàn thành trong tháng 6 năm 2025", "trước ngày
30/6/2025"). `parse_deadline` turns any of them into a `Deadline`:

- kind: "date", "month", "quarter", "half_year", "year", "recurring", "none" (empty cell) or
  "unparsed" (text that holds no deadline; the caller keeps the raw text);
- due: the last day of the period ("Tháng 6/2025" -> 2025-06-30, "Quý II/2025" -> 2025-06-30),
  None for recurring, none and unparsed;
- open_ended: True for recurring deadlines and for "… và những năm tiếp theo".

Rules worth knowing:
- Several deadlines in one cell ("Quý II/2025 (CSDL); Tháng 12/2025") give the latest due
  date; on a tie the finer kind wins (a date before a month, a month before a quarter ...).
  A recurring part next to a dated one ("Tháng 9/2025 …; thường xuyên cập nhật …") keeps the
  dated kind and sets open_ended.
- An expression counts only where a deadline can stand: at the start of the text, after a
  separator (";", ",", "(", ":", "-", "và" ...) or after a cue word ("trong", "trước", "đến",
  "hết", "hạn", "hoàn thành", "vào", "cuối", "giai đoạn", "thực hiện", "nhiệm vụ" ...).
  So the date of a cited document ("Quyết định số 422/QĐ-TTg ngày 04/4/2022") and a start
  ("từ tháng 11/2025") are not deadlines. A bare "2025" or "6/2025" must also end its clause.
- Narrow-column damage is tolerated inside the expressions only: a line break anywhere, a
  word split by a space ("Thườn g xuyên"), a number split by a space ("13/7/2 025",
  "Tháng 1 0/2025"). Text is never joined across expressions.
- Every due date is a real date within 1945-2100 ("31/02/2025", "Tháng 13/2025" -> unparsed).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Callable

from normalizers.dates import find_dates, make_date
from normalizers.schema import DEADLINE_KINDS
from normalizers.text import clean, unify_dashes

KINDS = DEADLINE_KINDS  # declared once, with the curated columns
# On equal due dates the finer kind wins.
_FINENESS = {"date": 0, "month": 1, "quarter": 2, "half_year": 3, "year": 4}


@dataclass(frozen=True)
class Deadline:
    kind: str
    due: dt.date | None
    open_ended: bool


NONE = Deadline("none", None, False)
UNPARSED = Deadline("unparsed", None, False)


def _loose(phrase: str) -> str:
    """Regex for `phrase` that tolerates a space inside words and a missing space between them.

    Input is already `clean`ed (single spaces), so " ?" is the only damage to allow.
    """
    words = [" ?".join(re.escape(ch) for ch in word) for word in phrase.split()]
    return " ?".join(words)


_THANG = _loose("tháng")
_NAM = _loose("năm")
_QUY = _loose("quý")
# A year, possibly split by a space ("2 025"); range is checked when building the date.
_YEAR = r"[12](?: ?[0-9]){3}(?![0-9])"
_MONTH_NUM = r"(?<![0-9])[0-9](?: ?[0-9])?"
_SEP_OR_NAM = rf" ?(?:[/.\-]|{_NAM}) ?"
_ROMAN = r"I ?V|I ?I ?I|I ?I|I"

_HALF = re.compile(
    rf"(?:(?<![0-9])0?6|{_loose('sáu')}) ?{_THANG} ?(?P<half>{_loose('đầu')}|{_loose('cuối')}) ?"
    rf"(?:{_NAM} ?)?(?P<y>{_YEAR})"
    rf"|{_loose('nửa')} ?(?P<half2>{_loose('đầu')}|{_loose('cuối')}) ?(?:{_NAM} ?)?(?P<y2>{_YEAR})",
    re.IGNORECASE,
)
_MONTH = re.compile(rf"{_THANG} ?(?P<m>{_MONTH_NUM}){_SEP_OR_NAM}(?P<y>{_YEAR})", re.IGNORECASE)
_QUARTER = re.compile(
    rf"{_QUY} ?(?P<q>{_ROMAN}|[1-4])(?=[^A-Za-z0-9]|{_NAM}){_SEP_OR_NAM}(?P<y>{_YEAR})", re.IGNORECASE
)
_YEAR_WORD = re.compile(rf"{_NAM} ?(?P<y>{_YEAR})", re.IGNORECASE)
# 13/7/2025 with a narrow-column split anywhere in the numbers ("1 3/7/2025", "31/1 0/2025").
_DAY_MONTH = r"[0-9](?: ?[0-9])?"
_SPLIT_DATE = re.compile(
    rf"(?<![0-9/.\-])(?P<d>{_DAY_MONTH}) ?/ ?(?P<m>{_DAY_MONTH}) ?/ ?(?P<y>{_YEAR})(?![/.\-][0-9])"
)
# Bare forms must not touch other numbers; the month must not be split (that would join "1 2/2025").
_BARE_MONTH = re.compile(rf"(?<![0-9/.\-])(?P<m>[0-9]{{1,2}})/(?P<y>{_YEAR})(?![/.\-][0-9])")
_BARE_YEAR = re.compile(rf"(?<![0-9/.\-])(?P<y>{_YEAR})(?![/.\-][0-9])")
_RECURRING = re.compile(
    "|".join(
        [_loose("thường xuyên"), _loose("định kỳ")]
        + [rf"{_loose(w)} ?(?:{_NAM}|{_THANG}|{_QUY})" for w in ("hằng", "hàng")]
    ),
    re.IGNORECASE,
)
_OPEN = re.compile(
    rf"(?:{_loose('những')}|{_loose('các')}) ?{_NAM} ?(?:{_loose('tiếp theo')}|{_loose('sau')})",
    re.IGNORECASE,
)

# Where a deadline may begin (besides the start of the text): after a separator, an earlier
# expression (masked) or a cue word, itself possibly split by a narrow column ("Thực h iện").
_CUES = (
    "và", "hoặc", "trong", "trước", "đến", "hết", "hạn", "xong", "hoàn thành", "vào", "cuối", "giai đoạn",
    "thực hiện", "nhiệm vụ", "là", "định kỳ", "chậm nhất", "muộn nhất", "kết thúc",
)
_ANCHOR = re.compile(
    rf"(?:[;,(:)\-.…\[\ue000]|\b(?:{'|'.join(_loose(c) for c in _CUES)}))\s*$",
    re.IGNORECASE,
)
_TRAILING_NGAY = re.compile(rf"{_loose('ngày')}\s*$", re.IGNORECASE)
# After a bare year or month: the end, a separator, a conjunction or "những năm tiếp theo".
_CLAUSE_END = re.compile(
    rf"\s*(?:$|[;,()\-.…]|(?:{_loose('và')} ?)?{_OPEN.pattern}|(?:{_loose('và')}|{_loose('hoặc')})\b)",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"[0-9]")
_MASK = "\ue000"  # private-use character that replaces an expression already read
_ANCHOR_WINDOW = 40  # longest cue plus slack; keeps the check linear on long prose


def _anchored(text: str, start: int) -> bool:
    """True if an expression starting at `start` stands where a deadline can (see _ANCHOR)."""
    prefix = text[max(0, start - _ANCHOR_WINDOW) : start]
    for candidate in (prefix, _TRAILING_NGAY.sub("", prefix)):
        if (start <= _ANCHOR_WINDOW and not candidate.strip()) or _ANCHOR.search(candidate):
            return True
    return False


def _num(text: str) -> int:
    return int("".join(_DIGITS.findall(text)))


def _last_day(year: int, month: int) -> dt.date | None:
    if not 1 <= month <= 12:
        return None
    return make_date(year, month, calendar.monthrange(year, month)[1])


def _half_due(m: re.Match[str]) -> dt.date | None:
    half = (m.group("half") or m.group("half2")).replace(" ", "").lower()
    year = _num(m.group("y") or m.group("y2"))
    return _last_day(year, 6 if half == "đầu" else 12)


def _month_due(m: re.Match[str]) -> dt.date | None:
    return _last_day(_num(m.group("y")), _num(m.group("m")))


def _quarter_due(m: re.Match[str]) -> dt.date | None:
    q = m.group("q").replace(" ", "").upper()
    quarter = {"I": 1, "II": 2, "III": 3, "IV": 4}.get(q) or int(q)
    return _last_day(_num(m.group("y")), quarter * 3)


def _year_due(m: re.Match[str]) -> dt.date | None:
    return _last_day(_num(m.group("y")), 12)


def _date_due(m: re.Match[str]) -> dt.date | None:
    return make_date(_num(m.group("y")), _num(m.group("m")), _num(m.group("d")))


_DueOf = Callable[[re.Match[str]], "dt.date | None"]
# (kind, pattern, due builder, must end its clause), in priority order after dates.
_PATTERNS: tuple[tuple[str, re.Pattern[str], _DueOf, bool], ...] = (
    ("half_year", _HALF, _half_due, False),
    ("month", _MONTH, _month_due, False),
    ("quarter", _QUARTER, _quarter_due, False),
    ("year", _YEAR_WORD, _year_due, False),
    ("month", _BARE_MONTH, _month_due, True),
    ("year", _BARE_YEAR, _year_due, True),
)


def _mask(text: str, start: int, end: int) -> str:
    """Blank out a found expression so lower-priority patterns cannot reuse its digits."""
    return text[:start] + _MASK * (end - start) + text[end:]


def _dated_expressions(text: str) -> list[tuple[str, dt.date]]:
    """(kind, due) of every anchored dated expression, highest-priority pattern first."""
    found: list[tuple[str, dt.date]] = []
    masked = text
    # split numeric dates first: `find_dates` would read "3/7/2025" in "1 3/7/2025"
    for m in list(_SPLIT_DATE.finditer(masked)):
        day = _date_due(m)
        if day is not None and _anchored(masked, m.start()):
            found.append(("date", day))
        masked = _mask(masked, m.start(), m.end())
    for day, start, end in find_dates(masked):  # "ngày 30 tháng 6 năm 2025", "30-6-2025"
        if _anchored(masked, start):
            found.append(("date", day))
        masked = _mask(masked, start, end)
    for kind, pattern, due_of, bare in _PATTERNS:
        for m in list(pattern.finditer(masked)):
            due = due_of(m)
            if (
                due is not None
                and _anchored(masked, m.start())
                and (not bare or _CLAUSE_END.match(masked, m.end()))
            ):
                found.append((kind, due))
            masked = _mask(masked, m.start(), m.end())
    return found


def _has_recurring(text: str) -> bool:
    return any(_anchored(text, m.start()) for m in _RECURRING.finditer(text))


def parse_deadline(raw: str | None) -> Deadline:
    """The deadline in a cell or a phrase; see the module docstring for the rules.

    With several deadlines in one text the latest due date is returned (finer kind on a tie).
    """
    text = unify_dashes(clean(raw))
    if not text:
        return NONE
    dated = _dated_expressions(text)
    recurring = _has_recurring(text)
    if dated:
        kind, due = max(dated, key=lambda kd: (kd[1], -_FINENESS[kd[0]]))
        return Deadline(kind, due, recurring or bool(_OPEN.search(text)))
    if recurring:
        return Deadline("recurring", None, True)
    return UNPARSED
