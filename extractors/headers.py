"""Header rows of task tables: recognising them, and giving each column its meaning.

Column meanings ("roles") come from fuzzy matching of the header text against the
variants in `data/header_terms.csv` (rapidfuzz), never from column positions:
wording, case, line breaks inside a narrow header cell ("S T T", "THỜI GIAN HOÀN
THÀNH") and dates in the header ("Kết quả (đến ngày 10/5/2025)") all vary.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from rapidfuzz import fuzz

ROLES = (
    "item_no", "name", "lead", "coordinators", "required_result", "deadline",
    "result", "expected_result", "obstacles", "status", "note",
)
MIN_SCORE = 88.0
_DATEISH = re.compile(r"\(.*?\)|\bđến\s+(ngày|tháng)\b.*$|\d+([/.-]\d+)*", re.I)
_NON_WORD = re.compile(r"[^\w\s]")


@lru_cache(maxsize=1)
def header_terms() -> tuple[tuple[str, str], ...]:
    """(role, folded variant) pairs from the data file."""
    path = Path(__file__).with_name("data") / "header_terms.csv"
    with path.open(encoding="utf-8") as f:
        return tuple((r["role"], _fold(r["variant"])) for r in csv.DictReader(f))


def _fold(text: str) -> str:
    t = unicodedata.normalize("NFC", text).lower()
    t = _DATEISH.sub(" ", t)
    t = _NON_WORD.sub(" ", t)
    return " ".join(t.split())


@lru_cache(maxsize=4096)
def header_role(text: str) -> tuple[str | None, float]:
    """Best role for one header cell text, with its score (0-100); (None, score) if too weak."""
    key = _fold(text)
    if not key:
        return None, 0.0
    squeezed = key.replace(" ", "")
    best: tuple[float, int, str | None] = (0.0, 0, None)
    for role, variant in header_terms():
        score = fuzz.token_set_ratio(key, variant)
        if len(squeezed) <= 6:  # short headers wrapped inside the word: "S T T", "ST T"
            score = max(score, fuzz.ratio(squeezed, variant.replace(" ", "")))
        cand = (score, len(variant), role)
        if cand[:2] > best[:2]:
            best = cand
    return (best[2], best[0]) if best[0] >= MIN_SCORE else (None, best[0])


def column_roles(headers: Sequence[str]) -> list[str | None]:
    """Role of each column (None where no role fits); each role goes to one column at most."""
    scored = [(header_role(h)[1], i, header_role(h)[0]) for i, h in enumerate(headers)]
    roles: list[str | None] = [None] * len(headers)
    taken: set[str] = set()
    for score, i, role in sorted(scored, key=lambda t: (-t[0], t[1])):
        if role and role not in taken:
            roles[i] = role
            taken.add(role)
    return roles


def looks_like_header(texts: Sequence[str]) -> bool:
    """A row whose non-empty cells mostly name known column headers, or a column-number row."""
    filled = [t for t in texts if t.strip()]
    if len(filled) < 2:
        return False
    if is_column_number_row(filled):
        return True
    known = sum(1 for t in filled if header_role(t)[0] is not None)
    return known >= max(2, (len(filled) + 1) // 2)


_COLNUM = re.compile(r"^\(?(\d{1,2})\)?$")


def is_column_number_row(texts: Sequence[str]) -> bool:
    """A row "(1) (2) (3) …" or "1 2 3 …" numbering the columns."""
    nums = [_COLNUM.match(t.replace(" ", "")) for t in texts]
    if len(texts) < 3 or not all(nums):
        return False
    values = [int(m.group(1)) for m in nums]  # type: ignore[union-attr]
    return values == list(range(values[0], values[0] + len(values)))
