"""Document identity from the header block of the first page: number, type, issuer,
date, title, and the document an appendix is attached to.

The header block of a Vietnamese administrative document is laid out in two columns
(issuer and "Số: …" on the left, the national motto and "Hà Nội, ngày …" on the
right), so text lines are first cut into segments at wide horizontal gaps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Sequence

from extractors.layout import Line

from .agencies import resolve_agencies
from .dates import parse_date
from .docnumbers import doc_type_from_word, find_doc_numbers, normalize_doc_number
from .text import clean

SEGMENT_GAP = 18.0  # points: a wider gap between two words separates two columns
HEADER_LINES = 40  # the header block lies within the first lines of page 1
_NUMBER = re.compile(r"^Số\s*[:.]?\s*(\d.*)$")  # "Số: 07/CT-TTg" (a lower-case "số 509/…" is prose)
_PLACE_DATE = re.compile(r"ngày\s+\S+\s+tháng\s+\S+\s+năm\s+\d{4}", re.I)
_SUBJECT = re.compile(r"^V/v\b\s*(.*)$", re.I)
_ATTACHED = re.compile(r"^\(?\s*kèm theo\b", re.I)
_APPENDIX = re.compile(r"^phụ lục\b\s*[IVX\d]*\s*[:.]?\s*(.*)$", re.I)
_HEADING = re.compile(r"^(\d+|[IVX]+)\.\s")  # "1. NHIỆM VỤ RIÊNG": a part heading, not the title
_MOTTO = ("cộng hòa xã hội chủ nghĩa việt nam", "cộng hoà xã hội chủ nghĩa việt nam", "độc lập - tự do - hạnh phúc")


@dataclass(frozen=True)
class DocumentFacts:
    doc_number: str | None = None
    doc_type: str | None = None
    issuer: str | None = None
    issued_date: date | None = None
    title: str | None = None
    attached_to: str | None = None


@dataclass(frozen=True)
class Segment:
    text: str
    x0: float
    x1: float


def segments(lines: Sequence[Line]) -> list[Segment]:
    """Each line cut at wide gaps (columns of the header block), top to bottom, left to right."""
    out: list[Segment] = []
    for line in lines:
        runs = [[line.words[0]]]
        for w in line.words[1:]:
            if w.x0 - runs[-1][-1].x1 > SEGMENT_GAP:
                runs.append([w])
            else:
                runs[-1].append(w)
        out += [Segment(clean(" ".join(w.text for w in r)), r[0].x0, r[-1].x1) for r in runs]
    return [s for s in out if s.text]


def _centred(seg: Segment, left: float, right: float) -> bool:
    """A centred line narrower than the text block (a title line, not a justified body line)."""
    mid = (left + right) / 2
    return abs((seg.x0 + seg.x1) / 2 - mid) < 6 and seg.x1 - seg.x0 < 0.97 * (right - left)


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def document_facts(first_page_lines: Sequence[Line]) -> DocumentFacts:
    """Facts printed in the header block (any of them may be missing)."""
    segs_geo = segments(first_page_lines[:HEADER_LINES])
    if not segs_geo:
        return DocumentFacts()
    left, right = min(g.x0 for g in segs_geo), max(g.x1 for g in segs_geo)
    segs = [g.text for g in segs_geo]
    number = issued = doc_type = title = attached = None
    type_at = None
    for i, s in enumerate(segs):
        if number is None and (m := _NUMBER.match(s)):
            number = normalize_doc_number(m.group(1))
        elif issued is None and _PLACE_DATE.search(s):
            issued = parse_date(s)
        elif doc_type is None and (m := _APPENDIX.match(s)):
            doc_type, type_at, title = "Phụ lục", i, clean(m.group(1))
        elif doc_type is None and (m := _SUBJECT.match(s)):
            doc_type, type_at, title = "Công văn", i, clean(m.group(1))
        elif doc_type is None and _is_upper(s) and (t := doc_type_from_word(s)):
            doc_type, type_at, title = t, i, ""
        if attached is None and _ATTACHED.match(s):
            found = find_doc_numbers(s)
            attached = found[0][0].normalized if found else None
    if type_at is not None:
        if doc_type == "Công văn":
            title = _continue(segs, type_at, title or "", stop=lambda x: x.lower().startswith("kính gửi")) or None
        else:  # the title: the capitalised or centred lines under the type word
            titled = {g.text for g in segs_geo if _is_upper(g.text) or _centred(g, left, right)}
            title = _continue(segs, type_at, title or "", stop=lambda x: x not in titled) or None
    return DocumentFacts(number, doc_type, _issuer(segs, type_at), issued, title, attached)


def _issuer(segs: Sequence[str], type_at: int | None) -> str | None:
    """The issuing body: the first capitalised segment of the header block naming a known body."""
    for s in segs[: type_at if type_at is not None else 6][:6]:
        if _NUMBER.match(s) or _PLACE_DATE.search(s) or not _is_upper(s) or s.lower() in _MOTTO:
            continue
        names = resolve_agencies(s).names
        if names:
            return names[0]
    return None


def _continue(segs: Sequence[str], start: int, first: str, *, stop) -> str:
    """Join the segments after `start` to `first` until `stop` says a segment is not part of it."""
    parts = [first] if first else []
    for s in segs[start + 1 : start + 6]:
        if stop(s) or _ATTACHED.match(s) or _NUMBER.match(s) or _HEADING.match(s):
            break
        parts.append(s)
    return clean(" ".join(parts))
