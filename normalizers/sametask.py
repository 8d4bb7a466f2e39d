"""Same task in two documents: a directive assigns it, a report gives its status.

`same_task_pairs` pairs the tasks of every two documents by their names. Reports copy a
task's name, often shortened ("…" at the end, or cut by the author), reworded a little
("Xây dựng, ban hành" for "Xây dựng"), with abbreviations ("CSDL" for "cơ sở dữ liệu",
`data/task_abbreviations.csv`) or with the clause of a longer task they report on. Names
are compared on keys without case, diacritics and punctuation, abbreviations expanded:

- `whole`: rapidfuzz token_sort_ratio, for a name copied or lightly reworded;
- `prefix`: for a truncated name (ending with "…"/"..." or at least TRUNCATED_MIN_WORDS words
  shorter), the ratio of the shorter name with the start of the longer one;
- `contained`: partial_ratio (the shorter name aligned with the best-matching stretch of the
  longer one), for a task that is one clause of a longer one; only for
  names of CONTAINED_MIN_WORDS words or more, and only when the two tasks' lead agencies agree
  (a collective such as "Các bộ, ngành" agrees with anything).

Reports also leave out a bracketed remark of the name ("Luật Dữ liệu (đảm bảo … từ ngày
01/7/2025)"): the three are also scored with the bracketed remarks of one name left out, when
the other does not print them.

A pair scores the best of the three that apply, with its brackets or without; pairs scoring at least SAME_TASK_MIN_SCORE
are linked one to one (best score first: a task is linked to one task of each other
document; on equal scores the closer whole name wins, then the closer lead cell, so that of
two tasks printed alike the one with the same lead is taken). Names shorter than SAME_TASK_MIN_CHARS ("Báo cáo", "Tổ chức thực hiện") match
by chance and are never linked. Measured on labelled pairs in
tests/tasks/test_same_task_pairs.py.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import numpy as np
from rapidfuzz import fuzz, process

from .agencies import registry
from .fingerprint import bare_words
from .text import nfc

SAME_TASK_MIN_SCORE = 88.0
SAME_TASK_MIN_CHARS = 25
TRUNCATED_MIN_WORDS = 8  # a prefix must have at least this many words to stand for the whole
CONTAINED_MIN_WORDS = 12
PREFILTER_WORDS = 0.6  # share of the shorter name's words the other must hold to be scored
PREFIX_LENGTH_GAP = 4  # words: a name this much shorter than the other may be a truncation of it
_BRACKET = re.compile(r"\s*\([^()]{3,120}\)")
_ELLIPSIS = re.compile(r"(?:…|\.\.\.)\s*[\"”]?\s*$")
_DATA = Path(__file__).parent / "data"

Task = Mapping[str, Any]


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, list[str]]:
    with open(_DATA / "task_abbreviations.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return {"".join(bare_words(nfc(r["abbreviation"]))): bare_words(nfc(r["expansion"])) for r in rows}


def name_key(name: str) -> list[str]:
    """Words of a task name for matching: bare words, abbreviations expanded."""
    return list(_key(name))


@lru_cache(maxsize=65536)
def _key(name: str) -> tuple[str, ...]:
    abbr = _abbreviations()
    return tuple(x for w in bare_words(name) for x in abbr.get(w, [w]))


@lru_cache(maxsize=1)
def _collectives() -> frozenset[str]:
    return frozenset(a.name for a in registry() if a.kind == "group")


def leads_agree(a: Task, b: Task) -> bool:
    """No lead on either side, a collective on either side, or a lead in common."""
    la, lb = set(a.get("lead_agencies") or ()), set(b.get("lead_agencies") or ())
    if not la or not lb or (la | lb) & _collectives():
        return True
    return bool(la & lb)


def name_score(a: Task, b: Task) -> float:
    """Similarity of two tasks' names in [0, 100] (see the module docstring)."""
    return _name_score(a, b, 0.0)


def _name_score(a: Task, b: Task, cutoff: float) -> float:
    """`name_score`, exact when it is at least `cutoff`; below it, some score below `cutoff`
    (rapidfuzz skips what cannot reach it)."""
    best = _score(a, b, a["name"], b["name"], cutoff)
    for x, y, swap in ((a, b, False), (b, a, True)):
        if best >= 100.0:
            break
        bare = _without_remarks(x["name"], y["name"])
        if bare is not None:
            floor = max(best, cutoff)
            best = max(best, _score(a, b, y["name"], bare, floor) if swap else _score(a, b, bare, y["name"], floor))
    return best


def _without_remarks(name: str, other: str) -> str | None:
    """`name` without its bracketed remarks that `other` does not print (None when there are none)."""
    key = " ".join(_key(other))
    dropped = [m for m in _BRACKET.finditer(name) if " ".join(_key(m.group())) not in key]
    if not dropped:
        return None
    out = name
    for m in reversed(dropped):
        out = out[: m.start()] + out[m.end():]
    return out


def _score(a: Task, b: Task, name_a: str, name_b: str, cutoff: float = 0.0) -> float:
    """`name_score` of tasks `a` and `b` on the names given (exact when at least `cutoff`)."""
    ka, kb = _key(name_a), _key(name_b)
    if not ka or not kb:
        return 0.0
    sa, sb = " ".join(ka), " ".join(kb)
    best = fuzz.token_sort_ratio(sa, sb, score_cutoff=cutoff)
    if best >= 100.0:  # neither of the others can score more
        return float(best)
    short, long_, short_name = (ka, kb, name_a) if len(ka) <= len(kb) else (kb, ka, name_b)
    truncated = _ELLIPSIS.search(short_name) or len(long_) - len(short) >= PREFIX_LENGTH_GAP
    if truncated and len(short) >= TRUNCATED_MIN_WORDS:
        best = max(best, fuzz.ratio(" ".join(short), " ".join(long_[: len(short)]), score_cutoff=max(best, cutoff)))
    if best < 100.0 and len(short) >= CONTAINED_MIN_WORDS and leads_agree(a, b):
        best = max(best, fuzz.partial_ratio(" ".join(short), " ".join(long_), score_cutoff=max(best, cutoff)))
    return float(best)


def same_task_pairs(tasks: Sequence[Task], related: Callable[[str, str], bool] | None = None
                    ) -> list[tuple[Task, Task, float]]:
    """(task, task, score in [0, 1]) for every pair of tasks of two documents judged the same;
    only between two documents `related(doc_id, doc_id)` allows, when it is given (the names of
    two documents that cannot be linked are not compared at all).

    The first task of a pair belongs to the document that comes first by source_file."""
    by_doc: dict[str, list[Task]] = {}
    for t in tasks:
        if len(t["name"]) >= SAME_TASK_MIN_CHARS:
            by_doc.setdefault(t["doc_id"], []).append(t)
    docs = sorted(by_doc, key=lambda d: (by_doc[d][0]["source_file"], d))
    names: dict[str, _Names] = {}
    pairs = []
    for i, a in enumerate(docs):
        for b in docs[i + 1 :]:
            if related is None or related(a, b):
                for d in (a, b):
                    if d not in names:
                        names[d] = _Names(by_doc[d])
                pairs += _match(names[a], names[b])
    return pairs


class _Names:
    """One document's task names as `_match` compares them: their keys and their sets of words."""

    def __init__(self, tasks: Sequence[Task]):
        self.tasks = tasks
        keys = [_key(t["name"]) for t in tasks]
        self.keys = [" ".join(k) for k in keys]
        self.words = [frozenset(k) for k in keys]
        self.sizes = np.array([len(w) for w in self.words], dtype=np.int64)
        self.vocabulary = frozenset().union(*self.words)

    def matrix(self, columns: dict[str, int]) -> np.ndarray:
        """A 0/1 matrix: task by word of `columns` ({word: column}; words not there left out)."""
        out = np.zeros((len(self.tasks), len(columns)), dtype=np.float32)
        for i, words in enumerate(self.words):
            out[i, [columns[w] for w in words if w in columns]] = 1.0
        return out


def _match(left: _Names, right: _Names) -> list[tuple[Task, Task, float]]:
    """One-to-one pairs between two documents' tasks, best score first.

    Only pairs that can pass are scored: `whole` at the threshold already (computed for all
    pairs at once by rapidfuzz), or names where most of the shorter one's words are in the
    other (PREFILTER_WORDS; a passing `prefix` or `contained` score implies it; the words in
    common counted for all pairs at once, as a product of word matrices)."""
    keys_l, keys_r = left.keys, right.keys
    whole = process.cdist(keys_l, keys_r, scorer=fuzz.token_sort_ratio, score_cutoff=SAME_TASK_MIN_SCORE)
    columns = {w: k for k, w in enumerate(sorted(left.vocabulary & right.vocabulary))}
    # words in common, for every pair at once (whole numbers, exact in float32 below 2**24)
    common = (left.matrix(columns) @ right.matrix(columns).T).astype(np.float64)
    smaller = np.minimum(left.sizes[:, None], right.sizes[None, :])
    shared = (smaller > 0) & (common >= PREFILTER_WORDS * smaller)
    candidates = sorted({*((int(i), int(j)) for i, j in zip(*whole.nonzero())),
                         *((int(i), int(j)) for i, j in zip(*shared.nonzero()))})
    scored = []
    for i, j in candidates:
        a, b = left.tasks[i], right.tasks[j]
        s = _name_score(a, b, SAME_TASK_MIN_SCORE)
        if s >= SAME_TASK_MIN_SCORE:
            lead = fuzz.ratio(a.get("lead_agency_raw") or "", b.get("lead_agency_raw") or "")
            scored.append((-s, -fuzz.token_sort_ratio(keys_l[i], keys_r[j]), -lead, i, j))
    used_l, used_r, out = set(), set(), []
    for neg, _, _, i, j in sorted(scored):
        if i in used_l or j in used_r:
            continue
        used_l.add(i)
        used_r.add(j)
        out.append((left.tasks[i], right.tasks[j], round(-neg / 100, 4)))
    return sorted(out, key=lambda p: (p[0]["table_no"], p[0]["row_no"]))
