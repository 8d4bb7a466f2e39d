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
_NUMBER = re.compile(r"^Số\s*[:.]?\s*(.+)$", re.I)
_PLACE_DATE = re.compile(r"ngày\s+\S+\s+tháng\s+\S+\s+năm\s+\d{4}", re.I)
_SUBJECT = re.compile(r"^V/v\b\s*(.*)$", re.I)
_ATTACHED = re.compile(r"^\(?\s*kèm theo\b", re.I)
_APPENDIX = re.compile(r"^phụ lục\b\s*[IVX\d]*\s*[:.]?\s*(.*)$", re.I)
_MOTTO = ("cộng hòa xã hội chủ nghĩa việt nam", "cộng hoà xã hội chủ nghĩa việt nam", "độc lập - tự do - hạnh phúc")


@dataclass(frozen=True)
class DocumentFacts:
    doc_number: str | None = None
    doc_type: str | None = None
    issuer: str | None = None
    issued_date: date | None = None
    title: str | None = None
    attached_to: str | None = None


def segments(lines: Sequence[Line]) -> list[str]:
    """Text of each line cut at wide gaps (columns of the header block), top to bottom, left to right."""
    out: list[str] = []
    for line in lines:
        current = [line.words[0]]
        for w in line.words[1:]:
            if w.x0 - current[-1].x1 > SEGMENT_GAP:
                out.append(" ".join(x.text for x in current))
                current = [w]
            else:
                current.append(w)
        out.append(" ".join(x.text for x in current))
    return [clean(s) for s in out if clean(s)]


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def document_facts(first_page_lines: Sequence[Line]) -> DocumentFacts:
    """Facts printed in the header block (any of them may be missing)."""
    segs = segments(first_page_lines[:HEADER_LINES])
    number = issued = doc_type = title = attached = issuer = None
    type_at = None
    for i, s in enumerate(segs):
        low = s.lower()
        if number is None and (m := _NUMBER.match(s)):
            number = normalize_doc_number(m.group(1))
        elif issued is None and _PLACE_DATE.search(s):
            issued = parse_date(s)
        elif doc_type is None and (t := doc_type_from_word(s)) and _is_upper(s):
            doc_type, type_at = t, i
        elif doc_type is None and (m := _APPENDIX.match(s)):
            doc_type, type_at = "Phụ lục", i
            title = clean(m.group(1)) or None
        elif doc_type is None and (m := _SUBJECT.match(s)):
            doc_type = "Công văn"
            title = _continue(segs, i, clean(m.group(1)), stop=lambda x: x.lower().startswith("kính gửi"))
        if attached is None and _ATTACHED.match(s):
            found = find_doc_numbers(s)
            attached = found[0][0].normalized if found else None
        if issuer is None and i < 6 and _is_upper(s) and low not in _MOTTO and not _NUMBER.match(s):
            names = resolve_agencies(s).names
            issuer = names[0] if names else None
    if type_at is not None and title is None:
        title = _continue(segs, type_at, "", stop=lambda x: not _is_upper(x)) or None
    elif type_at is not None and doc_type == "Phụ lục":
        title = _continue(segs, type_at, title or "", stop=lambda x: not _is_upper(x)) or None
    return DocumentFacts(number, doc_type, issuer, issued, title, attached)


def _continue(segs: Sequence[str], start: int, first: str, *, stop) -> str:
    """Join the segments after `start` to `first` until `stop` says a segment is not part of it."""
    parts = [first] if first else []
    for s in segs[start + 1 : start + 6]:
        if stop(s) or _ATTACHED.match(s) or _NUMBER.match(s):
            break
        parts.append(s)
    return clean(" ".join(parts))
