"""Header rows of task tables: recognising them, and giving each column its meaning.

Column meanings ("roles") come from fuzzy matching of the header text against the
variants in `data/header_terms.csv` (rapidfuzz), never from column positions:
wording, case, line breaks inside a narrow header cell ("S T T", "THỜI GIAN HOÀN
THÀNH") and dates in the header ("Kết quả (đến ngày 10/5/2025)") all vary. On scans
OCR damages the header too: spaces put in the wrong place ("THỜ IGI AN HOÀ NT HÀNH")
and marks lost or changed ("Thởi hạn", "Đon vi chủ tri") are matched with the spaces
and then the marks left out (see `role_candidates`).
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from rapidfuzz import fuzz

from .letters import nfc, unmarked
from .settings import TEXT, TextTableSettings

ROLES = (
    "item_no", "name", "lead", "coordinators", "required_result", "deadline",
    "result", "expected_result", "obstacles", "status", "note",
)
_DATEISH = re.compile(r"\(.*?\)|\bđến\s+(ngày|tháng)\b.*$|\d+([/.-]\d+)*", re.I)
_NON_WORD = re.compile(r"[^\w\s]")


@lru_cache(maxsize=1)
def header_terms() -> tuple[tuple[str, str], ...]:
    """(role, folded variant) pairs from the data file."""
    path = Path(__file__).with_name("data") / "header_terms.csv"
    with path.open(encoding="utf-8") as f:
        return tuple((r["role"], _fold(r["variant"])) for r in csv.DictReader(f))


@lru_cache(maxsize=1)
def _squeezed_terms() -> tuple[tuple[str, str, str, str], ...]:
    """(role, folded variant, variant without spaces, the same without marks)."""
    return tuple((role, v, v.replace(" ", ""), unmarked(v.replace(" ", ""))) for role, v in header_terms())


def _fold(text: str) -> str:
    t = nfc(text).lower()
    t = _DATEISH.sub(" ", t)
    t = _NON_WORD.sub(" ", t)
    return " ".join(t.split())


def role_candidates(text: str, *, s: TextTableSettings = TEXT) -> tuple[tuple[float, str], ...]:
    """Roles that fit one header cell, best first, as (score 0-100, role); only scores >= min_score.

    The score is rapidfuzz's token-set ratio (a header may add a few words to a known
    variant, e.g. a date); among equal scores the closest variant overall (plain ratio)
    wins. A text with many more words than the variant is a body cell that happens to
    contain it ("... cho các đơn vị để thực hiện"), never a header: plain ratio only.
    OCR'd headers: the text and the variant are also compared with their spaces left
    out (a narrow cell wraps a header inside its words, OCR moves a space: "THỜ IGI AN
    HOÀ NT HÀNH"), and then without tone and vowel marks too ("Thởi hạn", "Tiên đô"),
    the latter unmarked_penalty lower so a match with the marks right wins.
    """
    return _role_candidates(text, s.min_score, s.max_extra_words, s.unmarked_penalty)


@lru_cache(maxsize=4096)
def _role_candidates(text: str, min_score: float, max_extra_words: int,
                     unmarked_penalty: float) -> tuple[tuple[float, str], ...]:
    key = _fold(text)
    if not key:
        return ()
    squeezed = key.replace(" ", "")
    n_words = key.count(" ") + 1
    bare = unmarked(squeezed)
    best: dict[str, tuple[float, float]] = {}
    for role, variant, v_squeezed, v_bare in _squeezed_terms():
        if n_words <= variant.count(" ") + 1 + max_extra_words:
            score = fuzz.token_set_ratio(key, variant)
        else:
            score = fuzz.ratio(key, variant)
        score = max(score, fuzz.ratio(squeezed, v_squeezed), fuzz.ratio(bare, v_bare) - unmarked_penalty)
        cand = (score, fuzz.ratio(key, variant))
        if cand > best.get(role, (0.0, 0.0)):
            best[role] = cand
    ranked = sorted(((score, r, role) for role, (score, r) in best.items() if score >= min_score), reverse=True)
    return tuple((score, role) for score, _, role in ranked)


def header_role(text: str, *, s: TextTableSettings = TEXT) -> str | None:
    """Best role for one header cell text, or None."""
    cands = role_candidates(text, s=s)
    return cands[0][1] if cands else None


def column_roles(headers: Sequence[str], *, s: TextTableSettings = TEXT) -> list[str | None]:
    """Role of each column (None where no role fits); each role goes to one column at most,
    the column that fits it best, and a column whose best role is taken gets its next best.
    Columns under one header cell that names a role for each of them are split first
    (`split_spans`)."""
    headers = split_spans(headers, s=s)
    options = sorted(
        ((-score, rank, i, role) for i, h in enumerate(headers) for rank, (score, role) in enumerate(role_candidates(h, s=s)))
    )
    roles: list[str | None] = [None] * len(headers)
    taken: set[str] = set()
    for _, _, i, role in options:
        if roles[i] is None and role not in taken:
            roles[i] = role
            taken.add(role)
    return roles


def split_spans(headers: Sequence[str], *, s: TextTableSettings = TEXT) -> list[str]:
    """`headers` with each run of k > 1 neighbouring columns of one text (a header cell over
    them: on a scan, the rule between two header cells lost, so OCR read "Nội dung Cơ quan
    chủ trì" as one cell) given the k parts of that text, left to right, when it splits at
    words into k parts that each name a different role scoring at least span_split_score
    (`span_parts`). A parent header over columns named by a row below it reads
    "Parent / Child" per column: no run, nothing split."""
    out = list(headers)
    i = 0
    while i < len(out):
        j = i + 1
        while j < len(out) and out[j] == out[i]:
            j += 1
        if j - i > 1 and out[i].strip():
            parts = span_parts(out[i], j - i, s=s)
            if parts is not None:
                out[i:j] = parts
        i = j
    return out


def span_parts(text: str, k: int, *, s: TextTableSettings = TEXT) -> list[str] | None:
    """The split of `text` at words into `k` parts, left to right, each of whose best role
    scores at least span_split_score, above its next best (a part of a variant, "thực hiện",
    fits several roles alike: no evidence), and all of whose best roles differ (the split
    whose weakest part scores most, then whose parts are closest to whole variants), or None
    where no split does.

    Only runs of words that can be a part (`_part_role`) are joined into splits, and a run is
    scored only when the runs before it are parts, so a long text over several columns (a
    section row across the table) costs a few runs of its words, not every way of cutting it."""
    words = text.split()

    @lru_cache(maxsize=None)
    def role(a: int, b: int) -> tuple[float, str] | None:
        return _part_role(" ".join(words[a:b]), s)

    best: tuple[tuple[float, float], list[str]] | None = None
    for bounds in _splits(role, len(words), k):
        parts = [" ".join(words[a:b]) for a, b in zip(bounds, bounds[1:])]
        picked = [role(a, b) for a, b in zip(bounds, bounds[1:])]
        if len({role for _, role in picked}) < k:
            continue
        rank = (min(score for score, _ in picked), sum(_closeness(p, role) for p, (_, role) in zip(parts, picked)))
        if best is None or rank > best[0]:
            best = (rank, parts)
    return best[1] if best else None


def _part_role(part: str, s: TextTableSettings) -> tuple[float, str] | None:
    """(score, role) of a run of words that may be one part of a split header cell: its best
    role scores at least span_split_score and above its next best; else None."""
    tops = role_candidates(part, s=s)
    if not tops or tops[0][0] < s.span_split_score or (len(tops) > 1 and tops[1][0] >= tops[0][0]):
        return None
    return tops[0]


def _splits(part, n: int, k: int, start: int = 0):
    """Bounds (0, cut, ..., n) of every split of words start..n into k runs, each a part
    (`part(a, b)` not None), in the order of their cuts; a run is scored only when a split
    reaches it."""
    if k == 1:
        if part(start, n) is not None:
            yield (start, n)
        return
    for end in range(start + 1, n - k + 2):
        if part(start, end) is not None:
            for rest in _splits(part, n, k - 1, end):
                yield (start, *rest)


def _closeness(text: str, role: str) -> float:
    """Plain ratio (0-100) of `text`, folded, to the closest variant of `role`: "Nội dung"
    is a whole variant of the name role, "Nội" only a part of one."""
    key = _fold(text)
    return max(fuzz.ratio(key, v) for r, v in header_terms() if r == role)


def looks_like_header(texts: Sequence[str], *, s: TextTableSettings = TEXT) -> bool:
    """A row whose non-empty cells mostly name known column headers or are bilingual
    headers ("Ngày giao dịch (Trans.Date)"), or a column-number row."""
    filled = [t for t in texts if t.strip()]
    if len(filled) < 2:
        return False
    if is_column_number_row(filled):
        return True
    known = sum(1 for t in filled if header_role(t, s=s) is not None or is_bilingual_header(t))
    return known >= max(2, (len(filled) + 1) // 2)


_BILINGUAL = re.compile(r"^[^()]*\w[^()]*\(\s*([A-Za-z][A-Za-z0-9 .,/&'-]*)\)\s*$")


def is_bilingual_header(text: str) -> bool:
    """A header cell with its English name in parentheses: "STT (No)", "Phát sinh có
    (Credit amount)". The English part has a small letter: "(BCA)" is an abbreviation."""
    m = _BILINGUAL.match(" ".join(text.split()))
    return m is not None and any(ch.islower() for ch in m.group(1))


_COLNUM = re.compile(r"^\(?(\d{1,2})\)?$")


def is_column_number_row(texts: Sequence[str]) -> bool:
    """A row "(1) (2) (3) …" or "1 2 3 …" numbering the columns."""
    nums = [_COLNUM.match(t.replace(" ", "")) for t in texts]
    if len(texts) < 3 or not all(nums):
        return False
    values = [int(m.group(1)) for m in nums]  # type: ignore[union-attr]
    return values == list(range(values[0], values[0] + len(values)))


_NUMERIC = re.compile(r"^[(+\-−–]?\d[\d.,/:\s]*%?\)?$")


def is_numeric_cell(text: str) -> bool:
    """A number as a table prints it: "5", "1.200", "12,5%", "(3)", "15/3/2025"."""
    return bool(_NUMERIC.match(" ".join(text.split())))


def heads_by_type(first: Sequence[str], body: Sequence[Sequence[str]], *, s: TextTableSettings = TEXT) -> bool:
    """A first row that names its columns, told by the type of what stands under it: every
    cell of it is worded (letters, no bare number), and in at least min_typed_cols columns
    every body cell is a number ("Bậc thuế" over 1 … 5, "Thuế suất (%)" over 5 … 35).
    For tables whose header words are not task-table vocabulary (`looks_like_header`);
    a data row never stands worded over numbers in two columns of every row below it.
    `first` holds one text per column; `body` the rows below, one text per column each."""
    if len(first) < 2 or len(body) < s.min_typed_body:
        return False
    if not all(any(ch.isalpha() for ch in t) and not is_numeric_cell(t) for t in first):
        return False
    typed = sum(1 for k in range(len(first)) if all(is_numeric_cell(row[k]) for row in body if k < len(row)))
    return typed >= s.min_typed_cols


ITEM_NUMBER = re.compile(r"^(\d{1,3})[.)]?$")  # a list's item number: "12", "12.", "12)"


def heads_numbered_list(first: Sequence[str], body: Sequence[Sequence[str]], *, s: TextTableSettings = TEXT) -> bool:
    """A first row that heads a numbered list ("STT | Họ và tên | Chức vụ | Đơn vị công tác",
    "STT | Đơn vị | Phân loại"): its first cell names the item-number column, every cell of it
    is worded, and under it the first column holds item numbers (or nothing: an inserted row),
    at least min_typed_body of them. For lists whose other header words are no task-table
    vocabulary (`looks_like_header`)."""
    if len(first) < s.min_list_cols or header_role(first[0], s=s) != "item_no":
        return False
    if not all(any(ch.isalpha() for ch in t) and not is_numeric_cell(t) for t in first):
        return False
    firsts = [" ".join(row[0].split()) for row in body if row and any(t.strip() for t in row)]
    numbered = [t for t in firsts if t]
    return len(numbered) >= s.min_typed_body and all(ITEM_NUMBER.match(t) for t in numbered)
