"""Counts one document states about another's tasks, checked against the tasks extracted.

Công văn 929/BCA-VPB says that Chỉ thị 07/CT-TTg has "tổng số 112 nhiệm vụ (26 nhiệm vụ chung,
86 nhiệm vụ cụ thể)"; the directive's appendix prints groups A (26), B (81) and C (5). Such a
statement is a free test of the extraction: the tasks extracted from the cited document must
number the stated total, the stated parts must add up to it, and the parts must be made of
whole groups of the cited document (its top-level headings: parts, else sections), a group
whose heading carries a part's qualifier ("chung", "cụ thể") going to that part when it can.

`find_stated_counts` reads the statements in prose (pure, per document); `stated_count_problems`
compares them with the curated rows of the whole corpus and returns the differences as
sentences (an empty list when everything agrees). A statement about a document that is not
in the corpus is not checked.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from .docnumbers import find_doc_numbers
from .fingerprint import bare_words
from .text import clean

MAX_GROUPS = 12  # groups of a cited document tried in assignments (parts ** groups combinations)
CITATION_WINDOW = 400  # characters before a statement where the cited document's number is looked for
_STATEMENT = re.compile(
    r"(?P<total>\d{1,4})\s+nhiệm\s+vụ\b[^()\d]{0,40}\(\s*(?P<parts>\d{1,4}\s+nhiệm\s+vụ[^()]*)\)", re.IGNORECASE
)
_PART = re.compile(r"(?P<n>\d{1,4})\s+nhiệm\s+vụ\s*(?P<label>[^,;()]*?)\s*(?=,|;|\bvà\b|$)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.;:!?]\s")


@dataclass(frozen=True)
class StatedCount:
    """"N nhiệm vụ (a nhiệm vụ X, b nhiệm vụ Y)" printed on `page` about document `cited`."""

    page: int
    cited: str  # normalized number of the document the counts are about
    total: int
    parts: tuple[tuple[int, str], ...]  # (count, qualifier as printed)
    text: str


def find_stated_counts(pages: Iterable[tuple[int, str]]) -> list[StatedCount]:
    """Statements of task counts in prose, given (page number, prose text) of each page. The
    cited document is the last number printed before the statement in its sentence."""
    out = []
    for page, text in pages:
        text = clean(text)
        for m in _STATEMENT.finditer(text):
            before = text[max(0, m.start() - CITATION_WINDOW) : m.start()]
            ends = list(_SENTENCE_END.finditer(before))
            sentence = before[ends[-1].end() :] if ends else before
            cited = find_doc_numbers(sentence)
            if not cited:
                continue
            parts = tuple((int(p["n"]), clean(p["label"])) for p in _PART.finditer(m.group("parts")))
            out.append(StatedCount(page, cited[-1][0].normalized, int(m.group("total")), parts, clean(m.group())))
    return out


def stated_count_problems(stated: Mapping[str, Sequence[StatedCount]], curated: Mapping[str, Sequence[Mapping]]) -> list[str]:
    """Differences between stated counts and the extracted tasks (empty when all agree).

    `stated` maps the stating document's doc_id to its statements (`DocRecords.stated_counts`);
    `curated` holds the curated rows ("documents" and "tasks" are used). Duplicates
    (documents.duplicate_of) are not checked twice."""
    docs = {d["doc_id"]: d for d in curated["documents"]}
    index: dict[str, str] = {}
    for column in ("doc_number", "attached_to"):
        for d in sorted(docs.values(), key=lambda d: (d["duplicate_of"] is not None, d["source_file"])):
            if d[column] and not (column == "doc_number" and d["attached_to"] == d["doc_number"]):
                index.setdefault(d[column], d["doc_id"])  # an appendix is found by its attached_to, after the document
    tasks_of: dict[str, list[Mapping]] = {}
    for t in curated["tasks"]:
        tasks_of.setdefault(t["doc_id"], []).append(t)
    problems = []
    for doc_id in sorted(stated, key=lambda d: docs[d]["source_file"] if d in docs else d):
        if doc_id in docs and docs[doc_id]["duplicate_of"]:
            continue
        for s in stated[doc_id]:
            target = index.get(s.cited)
            if target is None or target == doc_id:
                continue
            where = f"{docs[doc_id]['source_file']} p.{s.page} ({s.text!r}) about {s.cited}"
            problems += [f"{where}: {p}" for p in _compare(s, tasks_of.get(target, []))]
    return problems


def _compare(s: StatedCount, tasks: Sequence[Mapping]) -> list[str]:
    out = []
    if len(tasks) != s.total:
        out.append(f"states {s.total} tasks, {len(tasks)} extracted")
    if s.parts and sum(n for n, _ in s.parts) != s.total:
        out.append(f"parts {'+'.join(str(n) for n, _ in s.parts)} do not add up to {s.total}")
    if s.parts and not out:
        groups = _groups(tasks)
        if not _assignable(s.parts, groups):
            shown = ", ".join(f"{g}: {n}" for g, (n, _) in groups.items())
            out.append(f"parts {[n for n, _ in s.parts]} are not made of whole groups ({shown})")
    return out


def _groups(tasks: Sequence[Mapping]) -> dict[str, tuple[int, str]]:
    """Top-level group of each task (its part, else its section) -> (number of tasks, heading)."""
    out: dict[str, tuple[int, str]] = {}
    for t in tasks:
        label = t["part"] or t["section"] or ""
        n, _ = out.get(label, (0, label))
        out[label] = (n + 1, label)
    return out


def _assignable(parts: Sequence[tuple[int, str]], groups: Mapping[str, tuple[int, str]]) -> bool:
    """Can every group go to one stated part so that each part's count is met? A group whose
    heading carries exactly one part's qualifier must go to that part."""
    names = list(groups)[:MAX_GROUPS]
    if len(names) < len(groups):
        return True  # too many groups to try: say nothing rather than guess
    options = [_allowed_parts(groups[g][1], parts) for g in names]
    for choice in itertools.product(*options):
        sums = [0] * len(parts)
        for g, k in zip(names, choice):
            sums[k] += groups[g][0]
        if all(total == n for total, (n, _) in zip(sums, parts)):
            return True
    return False


def _allowed_parts(heading: str, parts: Sequence[tuple[int, str]]) -> list[int]:
    words = set(bare_words(heading))
    named = [k for k, (_, label) in enumerate(parts) if bare_words(label) and set(bare_words(label)) <= words]
    return named if len(named) == 1 else list(range(len(parts)))
