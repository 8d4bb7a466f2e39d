"""Document identity from the header block of the first page: number, type, issuer,
date, title, and the document an appendix is attached to.

An appendix printed on its own ("Phụ lục II … (Kèm theo Thông báo kết luận số /TB-VPCP ngày
tháng 11 năm 2025 của Văn phòng Chính phủ)") has no issuer line and no place-and-date line:
its issuer is the body named at the end of the "Kèm theo" line, else the first body its title
names outside a citation ("DANH MỤC NHIỆM VỤ BỘ CÔNG AN THỰC HIỆN THEO NGHỊ QUYẾT 71/NQ-CP …
CỦA CHÍNH PHỦ" -> Bộ Công an); its date is the date printed in the "Kèm theo" line, with its
precision (a blank day leaves the month: 2025-11-30, "month"). A blank is never filled in:
`issued_date` stays null, only `dated` carries the lesser precision.

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

from .agencies import match_agency, names_in_text, resolve_agencies
from .dates import find_period_date, parse_date
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
_OF_BODY = re.compile(r"\bcủa\s+([^()]+?)\s*\)?\s*$", re.I)  # "… của Văn phòng Chính phủ)"
# A citation in a title: type word, "số", the number, "ngày …", "của <issuer>" up to a bracket or comma.
_CITATION_TAIL = re.compile(r"^\s*(?:ngày\s+[\d/\s]+(?:tháng\s+\d+\s+năm\s+\d{4})?)?\s*(?:của\s+[^(),;]*)?", re.I)
_MOTTO = ("cộng hòa xã hội chủ nghĩa việt nam", "cộng hoà xã hội chủ nghĩa việt nam", "độc lập - tự do - hạnh phúc")


@dataclass(frozen=True)
class DocumentFacts:
    doc_number: str | None = None
    doc_type: str | None = None
    issuer: str | None = None
    issued_date: date | None = None
    title: str | None = None
    attached_to: str | None = None
    dated: date | None = None  # the document's date: issued_date, or the date of the "Kèm theo" line
    dated_precision: str | None = None  # "day" | "month" | "year"


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
    number = issued = doc_type = title = attached = attached_line = None
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
        if attached_line is None and _ATTACHED.match(s):
            attached_line = _bracketed(segs, i)
            found = find_doc_numbers(attached_line)
            attached = found[0][0].normalized if found else None
    if type_at is not None:
        if doc_type == "Công văn":
            title = _continue(segs, type_at, title or "", stop=lambda x: x.lower().startswith("kính gửi")) or None
        else:  # the title: the capitalised or centred lines under the type word
            titled = {g.text for g in segs_geo if _is_upper(g.text) or _centred(g, left, right)}
            title = _continue(segs, type_at, title or "", stop=lambda x: x not in titled) or None
    issuer = _issuer(segs, type_at)
    if issuer is None and doc_type == "Phụ lục":
        issuer = _appendix_issuer(attached_line, title)
    dated = (issued, "day") if issued else find_period_date(attached_line)
    return DocumentFacts(number, doc_type, issuer, issued, title, attached, *(dated or (None, None)))


def _bracketed(segs: Sequence[str], start: int) -> str:
    """The "(Kèm theo …)" line, joined with the segments it runs over until its bracket closes."""
    parts = [segs[start]]
    for s in segs[start + 1 : start + 4]:
        if ")" in parts[-1] or not parts[0].startswith("("):
            break
        parts.append(s)
    return clean(" ".join(parts))


def _appendix_issuer(attached_line: str | None, title: str | None) -> str | None:
    """An appendix's issuer (none printed above its heading): the body the "Kèm theo …" line
    ends with, else the first body the title names outside its citations."""
    if attached_line and (m := _OF_BODY.search(attached_line)) and (name := match_agency(m.group(1))):
        return name
    found = names_in_text(_without_citations(title or ""))
    return found[0] if found else None


def _without_citations(text: str) -> str:
    """`text` with each cited number cut out, together with its date and "của <issuer>" after it."""
    out, pos = [], 0
    for _, start, end in find_doc_numbers(text):
        out.append(text[pos:start])
        pos = end + _CITATION_TAIL.match(text[end:]).end()
    out.append(text[pos:])
    return " ".join(out)


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
