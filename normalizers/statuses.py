"""Task statuses: read from a status column (Tiến độ) or inferred from result prose.

Statuses: completed, completed_late, in_progress, not_completed, overdue, unknown. The
phrases behind them are a registry, `data/status_phrases.csv` (use = column or result).

`status_from_column` reads a short status cell ("Đã hoàn thành", "Đã hoàn thành quá hạn",
"Đang thực hiện", "Chưa hoàn thành", "Quá hạn" ...). Spaces and line breaks are ignored, so
wraps such as "Đã hoàn thành quá \\nhạn" or "Đã hoàn thàn h" read the same; the longest
phrase wins ("Chưa hoàn thành" is not "Hoàn thành"). Two phrases combine: done + late ->
completed_late, under way or not done + late -> overdue, not done + under way -> in_progress;
any other mix, or no phrase, -> unknown.

`infer_status` reads result prose ("Kết quả thực hiện") and is conservative: it answers
"unknown" rather than guess. Its policy, which the labelled test set follows:
- completed: the text reports the deliverable as done ("Đã ban hành …", "Đã hoàn thành …",
  "đã trình", "đã báo cáo", "đã gửi", "đã được phê duyệt", "Đã hoàn thiện và đưa vào khai thác",
  or every unit done: "34/34 địa phương hoàn thành", "… hoàn thành, đạt tỷ lệ 100%");
- in_progress: work under way ("đang …", a draft "dự thảo", consultation "xin ý kiến",
  testing "kiểm thử"); weaker signs count only when nothing stronger is said: routine work
  ("thường xuyên", "định kỳ", "tiếp tục"), meetings ("làm việc với", "cuộc họp"), a partial
  share ("26/63", "95%");
- not_completed: "chưa hoàn thành", "chưa ban hành", "chưa được …";
- overdue: "chậm tiến độ", "quá hạn"; with a completion it is completed_late;
- unknown: nothing of the above, or done and under way together ("Đã ban hành Nghị định;
  đang xây dựng Thông tư"), or done with planned further work ("Dự kiến …", "phấn đấu …").
  Cues after a hedge ("dự kiến", "phấn đấu", "trong thời gian tới", "ngay sau khi") up to
  the end of the sentence do not count. A completion counted in items ("Đã hoàn thành cung cấp
  42 tiện ích") does not count either: whether 42 is all of them is not in the text.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import AbstractSet

from normalizers.schema import STATUS_VALUES
from normalizers.text import clean, nfc, unify_dashes

STATUSES = STATUS_VALUES  # declared once, with the curated columns

_DATA = Path(__file__).parent / "data"


def _read_phrases() -> list[dict[str, str]]:
    with open(_DATA / "status_phrases.csv", encoding="utf-8", newline="") as f:
        return [{k: nfc(v.strip()) for k, v in row.items()} for row in csv.DictReader(f)]


PHRASES = _read_phrases()


def _letters(text: str) -> str:
    """Lower-case letters only: the matching key of status cells (wraps and spaces vanish)."""
    return "".join(ch for ch in nfc(text).lower() if ch.isalpha())


def _alternation(phrases: list[str]) -> str:
    return "|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True))


_COLUMN = {_letters(r["phrase"]): r["status"] for r in PHRASES if r["use"] == "column"}
_COLUMN_RE = re.compile(_alternation(list(_COLUMN)))

_RESULT = {r["phrase"]: (r["status"], r["strength"]) for r in PHRASES if r["use"] == "result"}
_RESULT_RE = re.compile(rf"(?<!\w)(?:{_alternation(list(_RESULT))})(?!\w)")
_SENTENCE = re.compile(r"[^.;!?]+")
_FRACTION = re.compile(r"(?<![0-9/])([0-9]{1,9})/([0-9]{1,9})(?![0-9/])")
_PERCENT = re.compile(r"(?<![0-9])([0-9]{1,3}(?:[.,][0-9]{1,3})?) ?%")
_DONE = re.compile(r"(?<!chưa )(?<!\w)hoàn thành(?!\w)")
_CLAUSE_END = re.compile(r"[,;:]")
_NUMBER = re.compile(r"[0-9]")
_YEAR_TOKEN = re.compile(r"(?:19|20)[0-9]{2}|2100")


def _combine(strong: AbstractSet[str], weak: AbstractSet[str] = frozenset(), pending: bool = False) -> str:
    """One status from the signals found (see the module docstring)."""
    if "completed_late" in strong:
        return "completed_late"
    open_work = {"in_progress", "not_completed"} & strong
    if "overdue" in strong:
        return "completed_late" if "completed" in strong and not open_work else "overdue"
    if "completed" in strong:
        return "unknown" if open_work or pending else "completed"
    if "in_progress" in strong:
        return "in_progress"
    if "not_completed" in strong:
        return "not_completed"
    if "in_progress" in weak:
        return "in_progress"
    return "unknown"


def status_from_column(raw: str | None) -> str:
    """Status read from a status-column cell; "unknown" when it names none (or two that clash)."""
    if not raw:
        return "unknown"
    found = frozenset(_COLUMN[m.group()] for m in _COLUMN_RE.finditer(_letters(raw)))
    if len(found) == 1:
        return next(iter(found))
    return _COLUMN_PAIRS.get(found, "unknown")


# Two phrases in one cell that still make one status.
_COLUMN_PAIRS = {
    frozenset({"completed", "overdue"}): "completed_late",
    frozenset({"in_progress", "overdue"}): "overdue",
    frozenset({"not_completed", "overdue"}): "overdue",
    frozenset({"not_completed", "in_progress"}): "in_progress",
}


def _counted_completion(sentence: str, end: int) -> bool:
    """True if a count follows "đã hoàn thành" in its clause ("… cung cấp 42 tiện ích")."""
    clause = _CLAUSE_END.split(sentence[end:], maxsplit=1)[0]
    tokens = clause.split()[:8]
    return any(_NUMBER.match(t) and not _YEAR_TOKEN.fullmatch(t) for t in tokens)


def _numeric_signals(sentence: str) -> tuple[set[str], set[str]]:
    """(strong, weak) signals of shares: all units done with "hoàn thành" / some done."""
    shares = [  # "6/2025" is a month, not a share
        (int(a), int(b))
        for a, b in _FRACTION.findall(sentence)
        if int(b) > 0 and not _YEAR_TOKEN.fullmatch(b)
    ]
    percents = [float(p.replace(",", ".")) for p in _PERCENT.findall(sentence)]
    full = any(a == b for a, b in shares) or any(p == 100 for p in percents)
    partial = any(a < b for a, b in shares) or any(p < 100 for p in percents)
    strong = {"completed"} if full and _DONE.search(sentence) else set()
    weak = {"in_progress"} if partial else set()
    return strong, weak


def infer_status(result_text: str | None) -> str:
    """Status a careful reader would conclude from result prose; "unknown" when unclear."""
    text = unify_dashes(clean(result_text)).lower()
    if not text:
        return "unknown"
    strong: set[str] = set()
    weak: set[str] = set()
    pending = False
    for sentence in _SENTENCE.findall(text):
        cues = []
        for m in _RESULT_RE.finditer(sentence):
            if _RESULT[m.group()][1] == "hedge":
                pending = True
                sentence = sentence[: m.start()]  # the rest of the sentence is hedged
                break
            cues.append(m)
        for m in cues:
            status, strength = _RESULT[m.group()]
            counted = status == "completed" and "hoàn thành" in m.group()
            if counted and _counted_completion(sentence, m.end()):
                continue
            (strong if strength == "strong" else weak).add(status)
        numeric_strong, numeric_weak = _numeric_signals(sentence)
        strong |= numeric_strong
        weak |= numeric_weak
    return _combine(strong, weak, pending)
