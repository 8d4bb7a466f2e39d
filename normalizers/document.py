"""Document identity from the header block of the first page: number, type, issuer,
date, title, and the document an appendix is attached to.

An appendix takes the identity of the document it is attached to: its number (`doc_number` =
`attached_to`), date and issuer as the "Kèm theo" line prints them, or, when that line is
missing, as the signing system stamped them on the appendix ("Số: 2775/SNV-CCHC; 10/11/2025;
10:59:46;"). A number left blank there stays null, with its code kept (`doc_type_code`).

An appendix printed on its own ("Phụ lục II … (Kèm theo Thông báo kết luận số /TB-VPCP ngày
tháng 11 năm 2025 của Văn phòng Chính phủ)") has no issuer line and no place-and-date line:
its issuer is the body named at the end of the "Kèm theo" line, else the first body its title
names outside a citation ("DANH MỤC NHIỆM VỤ BỘ CÔNG AN THỰC HIỆN THEO NGHỊ QUYẾT 71/NQ-CP …
CỦA CHÍNH PHỦ" -> Bộ Công an); its date is the date printed in the "Kèm theo" line, with its
precision (a blank day leaves the month: 2025-11-30, "month"). A blank is never filled in:
`issued_date` stays null, only `dated` carries the lesser precision.

The header block of a Vietnamese administrative document is laid out in two columns
(issuer and "Số: …" on the left, the national motto and "Hà Nội, ngày …" on the
right): `header.header_columns` reads each column's lines whole, whatever the gaps a number
or a day was typed or stamped into, and signing stamps are set aside first. The issuer block
(the left column above "Số") gives the issuer, its lowest body, and its parent (`header_issuer`);
the "Số" line the number and its code; the right column the place and date. Without a motto
(a page OCR could not read) text lines are cut into segments at wide horizontal gaps instead.
The header block ends at the document type word (or, for a công văn, at the first line across
both columns, under its "V/v" subject): the number and the date are looked for there only,
never in the body, where "Căn cứ Nghị quyết số 43/2009/NQ-QH12 ngày 27 tháng 11 năm 2009"
cites another document. The title ends before "Kính gửi", whose addressees are listed
(`addressees`).

OCR'd numbers are checked against their ink: digits read from a box twice as wide as they need
lost some (a number written by hand read in part), and give null; an OCR'd type code one letter
off the registry's is mended ("331/TIr-BCA" -> "331/TTr-BCA").

On a scan the number and the day are often written by hand after printing (or left blank),
and OCR reads them as noise ("Sé⁄22⁄2010/TT-UBDT", "ngày/2 tháng 01 năm 2010"): what does
not read as a number gives null, never a guess, and the text as read is kept
(`doc_number_raw`, `issued_date_raw`) with what is printed around it (`doc_type_code`, the
code after the number; `dated`, the month or the year when only the day is missing). Only
the usual OCR confusions of digits inside a date part are mended ("0l" -> "01").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Sequence

from extractors.layout import Line
from extractors.letters import unmarked
from extractors.lookalikes import CODE_LETTERS, DIGIT_LOOKALIKES, YEAR_LOOKALIKES, as_digits

from .agencies import agency, match_agency, names_in_text, registry, resolve_agencies
from .dates import find_period_date, make_date
from .docnumbers import (doc_type_from_word, find_doc_numbers, normalize_doc_number, parse_doc_number, type_codes_of,
                         verify_ocr_number)
from .header import header_columns, line_pieces, stamp_identity, without_stamps
from .text import clean

HEADER_LINES = 40  # the header block lies within the first lines of page 1
_NUMBER = re.compile(r"^Số\s*[:.]?\s*(\d.*)$")  # "Số: 07/CT-TTg" (a lower-case "số 509/…" is prose)
_PLACE_DATE = re.compile(r"ngày\s+\S+\s+tháng\s+\S+\s+năm\s+\d{4}", re.I)
_SUBJECT = re.compile(r"^V/v\b\s*(.*)$", re.I)
_ATTACHED = re.compile(r"^\(?\s*(?:ban hành\s+)?kèm theo\b", re.I)
# an appendix headed as a table or form of the document it is attached to ("Bảng 2", "Biểu mẫu số 01",
# "Mẫu số 02"): one when a "(Ban hành) kèm theo …" line follows within TABLE_APPENDIX_REACH segments
_TABLE_APPENDIX = re.compile(r"^(?:bảng|biểu(?:\s+mẫu)?|mẫu)(?:\s+số)?\s+[IVX\d]+[a-zđ]?\s*[:.]?\s*(.*)$", re.I)
TABLE_APPENDIX_REACH = 3
# the code of the document an appendix is attached to, its number left blank: "… số         /TB-VPCP ngày …"
_ATTACHED_CODE = re.compile(r"\bsố\s*:?\s*[^\s/]{0,6}\s*/\s*(?:\d{4}\s*/\s*)?(?P<code>[A-ZĐ][A-Za-zĐđ&]*(?:-[A-Za-zĐđ0-9&]+)*)")
_APPENDIX = re.compile(r"^phụ lục\b\s*[IVX\d]*\s*[:.]?\s*(.*)$", re.I)
_HEADING = re.compile(r"^(\d+|[IVX]+)\.\s")  # "1. NHIỆM VỤ RIÊNG": a part heading, not the title
_OF_BODY = re.compile(r"\bcủa\s+([^()]+?)\s*\)?\s*$", re.I)  # "… của Văn phòng Chính phủ)"
# A citation in a title: type word, "số", the number, "ngày …", "của <issuer>" up to a bracket or comma.
_CITATION_TAIL = re.compile(r"^\s*(?:ngày\s+[\d/\s]+(?:tháng\s+\d+\s+năm\s+\d{4})?)?\s*(?:của\s+[^(),;]*)?", re.I)
_MOTTO = ("cộng hòa xã hội chủ nghĩa việt nam", "cộng hoà xã hội chủ nghĩa việt nam", "độc lập - tự do - hạnh phúc")
_MOTTO_START = re.compile(r"\bcộng\s+ho[àa]\s+xã\s+hội\b", re.I)
HEADER_SEGMENTS = 16  # without a type word, the header block is at most this many segments
SUBJECT_REACH = 3  # segments after a công văn's "V/v" line that may still be its place-and-date line
# "Số:" as printed or as OCR reads it ("Sô", "Sé", "S6", "S0", with its colon "56:"), then the rest of the segment
_NUMBER_LINE = re.compile(r"^(?:S[ốôốồổỗộóòỏõọoơớờởỡợéèẻẽẹêếềểễệ6ãáàảạöø0]\s*[:.;,]?|5[6ốôóòo0]\s*:)\s*(?P<rest>.*)$", re.I)
# the code printed after the number (and year): "/QĐ-UBND", "/2010/TT-UBDT", "/BCA-VPB"
_CODE_TAIL = re.compile(r"[/⁄]\s*(?P<code>[A-ZĐÐ][A-Za-zĐđÐ]*(?:\s*[-–]\s*[A-Za-zĐđÐ0-9]+)*)\s*\.?\s*$")
_CLEAN_NUMBER = re.compile(r"^\d{1,6}\s*[/-]")  # the number part read as digits
# "<place>, ngày …": a short name in capitals (Hà Nội, Thành phố Hồ Chí Minh, TP. Huế) before "ngày"
_PLACE_DATE_LINE = re.compile(r"^(?P<place>[^\W\d_][^\d,;:()/]{1,45}?)\s*,?\s*ngày(?P<rest>.*\bnăm\b.*)$", re.I)
_NOT_A_PLACE = re.compile(r"^(căn cứ|theo|kèm|số|về|tại|trong|ban hành|thực hiện|quyết định|nghị)\b", re.I)
_DATE_PARTS = re.compile(r"ngày\s*(?P<d>\S*?)\s*tháng\s*(?P<m>\S*?)\s*,?\s*năm\s*(?P<y>\S*)", re.I)
# a number stamped with its glyphs spaced apart ("1 5 6", "2 5"): single digits one space apart
_SPACED_DIGITS = re.compile(r"(?<![\d.,/])\d(?: \d(?![\d.,]))+(?![\d.,])")
# the number slot of a "Số" line holding only digits one space apart
_SPACED_NUMBER = re.compile(r"^(\d{1,4}(?: \d{1,4})+)\s*[/⁄]")


@dataclass(frozen=True)
class DocumentFacts:
    doc_number: str | None = None
    doc_type: str | None = None
    issuer: str | None = None
    issued_date: date | None = None
    title: str | None = None
    attached_to: str | None = None
    dated: date | None = None  # the document's date: issued_date, or what the header or "Kèm theo" line gives
    dated_precision: str | None = None  # "day" | "month" | "year"
    doc_number_raw: str | None = None  # the "Số: …" segment of the header as read
    doc_type_code: str | None = None  # the code printed after the number ("QĐ-TTg"), even when the number is not read
    issued_date_raw: str | None = None  # the place-and-date line of the header as read
    issuer_raw: str | None = None  # the issuer block as printed, its lines joined by " / "
    parent_body: str | None = None  # the body printed above the issuer, else the registry's parent of the issuer
    issued_place: str | None = None  # the place of the place-and-date line ("Lâm Đồng")
    addressees: tuple[str, ...] = ()  # "Kính gửi: …", one entry per body or person, as printed


@dataclass(frozen=True)
class HeaderDate:
    """What the place-and-date line gives: the date when every part reads, else the
    lesser date it allows (the month, the year) with its precision."""

    issued: date | None
    dated: date | None
    precision: str | None


@dataclass(frozen=True)
class Segment:
    text: str
    x0: float
    x1: float
    top: float = 0.0


def segments(lines: Sequence[Line]) -> list[Segment]:
    """Each line cut at wide gaps (columns of the header block), top to bottom, left to right."""
    out: list[Segment] = []
    for line in lines:
        runs = line_pieces(line)
        out += [Segment(clean(" ".join(w.text for w in r)), r[0].x0, r[-1].x1, min(w.top for w in r)) for r in runs]
    return [s for s in out if s.text]


def _centred(seg: Segment, left: float, right: float) -> bool:
    """A centred line narrower than the text block (a title line, not a justified body line)."""
    mid = (left + right) / 2
    return abs((seg.x0 + seg.x1) / 2 - mid) < 6 and seg.x1 - seg.x0 < 0.97 * (right - left)


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def document_facts(first_page_lines: Sequence[Line], *, ocr: bool = False) -> DocumentFacts:
    """Facts printed in the header block (any of them may be missing); `ocr`: the page was read by
    OCR (a type code one letter off the registry's is mended: "331/TIr-BCA" -> "331/TTr-BCA")."""
    stamped = stamp_identity(first_page_lines[:HEADER_LINES])
    lines = without_stamps(first_page_lines[:HEADER_LINES])
    segs_geo = segments(lines)
    if not segs_geo:
        return DocumentFacts()
    left, right = min(g.x0 for g in segs_geo), max(g.x1 for g in segs_geo)
    segs = [g.text for g in segs_geo]
    doc_type = title = attached = attached_line = None
    type_at = None
    for i, s in enumerate(segs):
        if doc_type is None and not _NUMBER.match(s) and not _is_place_date(s) and not _NUMBER_LINE.match(s):
            if m := _APPENDIX.match(s):
                doc_type, type_at, title = "Phụ lục", i, clean(m.group(1))
            elif (m := _TABLE_APPENDIX.match(s)) and any(_ATTACHED.match(x) for x in segs[i + 1:i + 1 + TABLE_APPENDIX_REACH]):
                doc_type, type_at, title = "Phụ lục", i, clean(m.group(1))
            elif m := _SUBJECT.match(s):
                doc_type, type_at, title = "Công văn", i, clean(m.group(1))
            elif _is_upper(s) and (t := doc_type_from_word(s)):
                doc_type, type_at, title = t, i, ""
        if attached_line is None and _ATTACHED.match(s):
            attached_line = _bracketed(segs, i)
            found = find_doc_numbers(attached_line)
            attached = found[0][0].normalized if found else None
    bottom = segs_geo[type_at].top if type_at is not None and doc_type != "Công văn" else None
    columns = header_columns(lines, bottom)
    if columns is not None:
        number_row = next((i for i, r in enumerate(columns.left) if _number_of(r.text)[1] is not None), None)
        number, number_raw, type_code = _number_of(columns.left[number_row].text) if number_row is not None \
            else (None, None, None)
        if number_row is not None and number is None and ocr and (text := _without_gap_speck(columns.left[number_row].words)):
            number = _number_of(text)[0]  # "Số: 61 Ð /QĐ-UBND": a speck of the scan read in the gap before the slash
            type_code = _code_of(number) or type_code
        if number_row is None and ocr:
            number_row, number, number_raw, type_code = _number_without_anchor(columns.left, doc_type)
        if number is not None and not _digits_fill_their_ink(columns.left[number_row].words):
            number = None  # OCR read fewer digits than the ink holds (a number written by hand): not a guess
        if number is not None and ocr and (parsed := parse_doc_number(number)) is not None:
            fixed, verdict = verify_ocr_number(parsed, _own_type_code(doc_type))
            if verdict == "repaired":
                number, type_code = fixed.normalized, _code_of(fixed.normalized)
        if number_row is None:  # a "Số" line whose code does not read still ends the issuer block
            number_row = next((i for i, r in enumerate(columns.left) if (m := _NUMBER_LINE.match(r.text))
                               and re.search(r"[\d/⁄]", m.group("rest")) or _CODE_ALONE.match(r.text)), None)
        date_raw = _place_date_line(_rejoined([r.text for r in columns.right]) + [r.text for r in columns.left])
        if date_raw is None and ocr:  # the place under a seal ("dội ngày 12 tiếng 10 năm 2025"): the right column's date line
            date_raw = next((r for r in _rejoined([r.text for r in columns.right])
                             if _DATE_LINE_WITHOUT_PLACE.search(_mended_date_words(r))), None)
        issuer_block = _issuer_rows([r.text for r in columns.left], number_row)
    else:
        header = _header_block(segs, type_at, doc_type)
        number, number_raw, type_code = _header_number(header)
        date_raw = _place_date_line(header)
        issuer_block = []
    when = header_date(date_raw)
    if type_at is not None:
        if doc_type == "Công văn":
            title = (_subject(columns.left) if columns is not None else None) or \
                _continue(segs, type_at, title or "", stop=lambda x: _is_place_date(x) or bool(_NUMBER_LINE.match(x))) or None
        else:  # the title: the capitalised or centred lines under the type word
            titled = {g.text for g in segs_geo if _is_upper(g.text) or _centred(g, left, right)}
            title = _continue(segs, type_at, title or "", stop=lambda x: x not in titled) or None
    issuer, parent = header_issuer(issuer_block)
    if issuer is None and not issuer_block:
        issuer = _issuer(segs, type_at)
        issuer = _as_issuer(issuer) if issuer else None
        parent = _registry_parent(issuer)
    if issuer is None and (doc_type == "Phụ lục" or attached_line):
        issuer = _appendix_issuer(attached_line, title)
        parent = _registry_parent(issuer)
    if when.dated is not None:
        dated = (when.dated, when.precision)
    else:
        dated = find_period_date(attached_line)
    issued = when.issued
    if (doc_type == "Phụ lục" or attached_line) and number is None and number_raw is None:
        # an appendix: the identity of the document it is attached to, as its "Kèm theo" line (or,
        # failing a number there, the stamp of the signing system on the appendix) prints it
        if attached is None and stamped is not None and not (attached_line and _ATTACHED_CODE.search(attached_line)):
            attached, dated = stamped.number, (stamped.date, "day")
        number = attached
        type_code = _code_of(attached) or (m.group("code") if attached_line and (m := _ATTACHED_CODE.search(attached_line)) else None)
        if issued is None and dated and dated[1] == "day":
            issued = dated[0]
    place = m.group("place").strip(" ,") if date_raw and _is_place_date(date_raw) and \
        (m := _PLACE_DATE_LINE.match(_mended_date_words(date_raw))) else None
    return DocumentFacts(number, doc_type, issuer, issued, title, attached, *(dated or (None, None)),
                         doc_number_raw=number_raw, doc_type_code=type_code, issued_date_raw=date_raw,
                         issuer_raw=" / ".join(issuer_block) or None, parent_body=parent, issued_place=place,
                         addressees=addressees(lines))


def _without_gap_speck(words) -> str | None:
    """The "Số" line without a lone letter read in the gap between the number and its "/code"
    ("Số: 61 Ð /QĐ-UBND"), when that letter stands apart from the number by more than a digit's
    width (a digit of the number is printed against the others); None when there is no such letter."""
    texts = [w.text for w in words]
    for i in range(1, len(words) - 1):
        number, speck, code = words[i - 1], words[i], words[i + 1]
        if len(speck.text) == 1 and speck.text.isalpha() and speck.text not in DIGIT_LOOKALIKES \
                and number.text.isdigit() and code.text[:1] in "/⁄" \
                and speck.x0 - number.x1 > (number.x1 - number.x0) / len(number.text):
            return " ".join(texts[:i] + texts[i + 1:])
    return None


# a left-column line that reads as a number whose "Số:" OCR lost to a speck or two ("ï.8279/KH-UBND")
_ANCHOR_LOST = re.compile(r"^[^\d\s]{1,3}\s*(?P<rest>\d{1,6}\s*[/⁄].*)$")


def _number_without_anchor(left, doc_type: str | None) -> tuple[int | None, str | None, str | None, str | None]:
    """(row, number, line as read, code) of the left column's line that is a document number with
    its "Số:" read as a speck or two, taken only when the registries know its codes (`verify_ocr_number`
    "known"); else all None."""
    for i, row in enumerate(left):
        if (m := _ANCHOR_LOST.match(row.text)) is None:
            continue
        number, _raw, code = _header_number([f"Số: {m.group('rest')}"])
        if number is not None and (parsed := parse_doc_number(number)) is not None \
                and verify_ocr_number(parsed, _own_type_code(doc_type))[1] == "known":
            return i, number, row.text, code
    return None, None, None, None


def _own_type_code(doc_type: str | None) -> str | None:
    """The type code of the document's own type word, when the registry has one code for it."""
    codes = type_codes_of(doc_type)
    return codes[0] if len(codes) == 1 else None


INK_PER_DIGIT = 1.8  # a number's ink wider than this many times the line's width per character lost digits


def _digits_fill_their_ink(words) -> bool:
    """Whether each run of digits of a "Số" line is as wide as its digits: OCR that reads "9" where
    "49" is written by hand leaves a box twice as wide as one digit."""
    others = [(w.x1 - w.x0) / len(w.text) for w in words if w.text and not any(c.isdigit() for c in w.text)]
    if not others:
        return True
    per_char = sorted(others)[len(others) // 2]
    return all((w.x1 - w.x0) / len(w.text) <= INK_PER_DIGIT * per_char for w in words if w.text.isdigit())


SUBJECT_LINES = 4  # lines a công văn's "V/v …" subject may take in the left column


def _subject(left) -> str | None:
    """A công văn's subject: the "V/v …" line of the header's left column and the lines under it."""
    start = next((i for i, r in enumerate(left) if _SUBJECT.match(r.text)), None)
    if start is None:
        return None
    parts = [_SUBJECT.match(left[start].text).group(1)]
    for r in left[start + 1 : start + SUBJECT_LINES]:
        if not any(c.isalnum() for c in r.text) or _ADDRESSED.match(r.text) or _NUMBER.match(r.text):
            break
        parts.append(r.text)
    return clean(" ".join(parts)) or None


_YEAR_AT_END = re.compile(r"\bnăm\s*\S*\d{4}\s*$", re.I)


def _rejoined(rows: Sequence[str]) -> list[str]:
    """The rows of the right column, a place-and-date line wrapped before its year ("…, ngày 18
    tháng 5 năm" / "2025") joined with the row under it."""
    out = list(rows)
    for i in range(len(rows) - 1):
        if re.search(r"\bngày\b", rows[i], re.I) and not _YEAR_AT_END.search(rows[i]) and re.search(r"\d{4}", rows[i + 1]):
            out[i] = f"{rows[i]} {rows[i + 1]}"
    return out


# a left-column line that is a number's "/code" alone: "Số:" and the number under a seal
_CODE_ALONE = re.compile(r"^[/⁄]\s*[A-ZĐ][A-Za-zĐđ]*\s*-\s*[A-ZĐ]")
SPECK_ROW_LETTERS = 2  # a line of the issuer block with no more letters than this is a piece of a seal, no name


def _issuer_rows(left: Sequence[str], number_row: int | None) -> list[str]:
    """The lines of the issuer block: the left column's lines in capitals above the "Số: …" line
    (or from the top, when there is none), rules ("-----") left out."""
    rows = left[:number_row] if number_row is not None else left
    out = []
    for r in rows:
        # specks OCR reads as marks ("ˆ", "'", "|") are no words of a name
        r = " ".join(t for t in r.split() if any(c.isalnum() and unicodedata.category(c) != "Lm" for c in t))
        if sum(c.isalpha() for c in r) <= SPECK_ROW_LETTERS:
            continue
        if not _is_upper(r):
            if number_row is None and out:
                break
            continue
        out.append(r.strip(" -_.:"))
    return out


def _registry_parent(name: str | None) -> str | None:
    body = agency(name)
    return body.parent if body else None


def _locality_phrase(body_name: str | None) -> str | None:
    """"tỉnh Lâm Đồng" for a locality or the committee of one (to name a department under it)."""
    body = agency(body_name)
    while body is not None and body.kind != "locality":
        body = agency(body.parent) if body.kind == "local_committee" else None
    return body.name[0].lower() + body.name[1:] if body else None


def _as_issuer(name: str) -> str:
    """A locality does not issue documents, its People's Committee does (when the registry has it)."""
    body = agency(name)
    if body is not None and body.kind == "locality":
        committee = next((a.name for a in registry() if a.kind == "local_committee" and a.parent == name), None)
        return committee or name
    return name


_KIND_RUN_ON = re.compile(r"^(TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG)(?=[^\W\d_])")


def _locality_at_end(line: str) -> str | None:
    """The locality a line of the issuer block ends with, when the words before it do not read
    (OCR of "UBND" under a seal: "UB.ID TỈNH LÂM ĐỒNG"): the locality alone, never a guess at
    the words lost."""
    words = line.split()
    for i in range(1, len(words)):
        # "TỈNHLÂM ĐỒNG": the space after the locality's kind lost
        body = agency(match_agency(_KIND_RUN_ON.sub(r"\1 ", " ".join(words[i:]))))
        if body is not None and body.kind == "locality":
            return body.name
    return None


def header_issuer(block: Sequence[str]) -> tuple[str | None, str | None]:
    """(issuer, parent body) of the issuer block's lines: the lowest lines that name one body
    (alone, or under the locality or the body named above them: "SỞ NỘI VỤ" under "UBND TỈNH
    LÂM ĐỒNG" is Sở Nội vụ tỉnh Lâm Đồng), the lines above them its parent; else the
    registry's parent of the issuer. Nothing is guessed: a block naming no known body gives None."""
    for k in range(len(block)):
        own = " ".join(block[k:])
        above = " ".join(block[:k])
        parent = (match_agency(above) or _locality_at_end(above)) if above else None
        candidates = [own]
        if parent is not None:
            if (phrase := _locality_phrase(parent)) is not None:
                candidates.append(f"{own} {phrase}")
            candidates.append(f"{own} {parent}")
        for c in candidates:
            if (name := match_agency(c)) is not None:
                name = _as_issuer(name)
                return name, (_as_issuer(parent) if parent else _registry_parent(name))
    return None, None


_BULLET = re.compile(r"^[-–+•*]\s*")
# "Kính gửi:", also as OCR reads it on a scan ("Rin: gui:", "Kinh gứi:")
_ADDRESSED = re.compile(r"^(?:kính\s+gửi\s*[:.]?|\w{2,5}\s*[:.]?\s+g[ửưuúùứừủũụữự]i\s*:)\s*", re.I)
ADDRESSEE_LINES = 14  # lines after "Kính gửi:" that may still list addressees


def addressees(lines: Sequence[Line]) -> tuple[str, ...]:
    """The addressees of "Kính gửi: …" (on its line, or listed under it with or without dashes),
    each as printed without its dash and its closing ";" or "."; the list ends at a full stop, at a
    line of the body (as wide as the text block, or opening a sentence: "Căn cứ …", "Thực hiện …")."""
    start = next((i for i, l in enumerate(lines) if _ADDRESSED.match(clean(l.text))), None)
    if start is None:
        return ()
    left, right = min(l.box[0] for l in lines), max(l.box[2] for l in lines)
    items: list[str] = [_ADDRESSED.sub("", clean(lines[start].text))]
    bulleted = bool(_BULLET.match(items[0]))  # a list with dashes: a line without one continues an item
    for line in lines[start + 1 : start + 1 + ADDRESSEE_LINES]:
        t = clean(line.text)
        if not t:
            continue
        bullet = _BULLET.match(t)
        body = _BULLET.sub("", t)
        last = items[-1].rstrip()
        if last.endswith(".") or _NOT_A_NAME.match(body) or line.box[2] - line.box[0] > BODY_WIDTH * (right - left):
            break
        if bullet or not last or (not bulleted and last.endswith(";")):
            bulleted = bulleted or bool(bullet)
            items.append(body)
        else:  # a wrapped line of the last addressee
            items[-1] = f"{last} {body}"
    out = []
    for item in items:
        for piece in item.split(";"):
            piece = _BULLET.sub("", piece.strip().rstrip(".,;:").strip())
            if piece:
                out.append(piece)
    return tuple(out)


BODY_WIDTH = 0.8  # a line wider than this share of the text block is body text, not an addressee
_NOT_A_NAME = re.compile(r"^(căn cứ|thực hiện|theo|ngày|để|nhằm|trên cơ sở|qua|sau|trong|với|tiếp|sở .{0,40} (kính )?(trình|báo cáo|đề nghị))\b", re.I)


def _code_of(number: str | None) -> str | None:
    """The code after the number: "12/KH-BCA" -> "KH-BCA", "47/2020/NĐ-CP" -> "NĐ-CP"."""
    return re.sub(r"^\d+[/-](?:\d{4}/)?", "", number) if number else None


def _number_of(row: str) -> tuple[str | None, str | None, str | None]:
    """`_header_number` of one line of the left column."""
    return _header_number([row])


def _header_block(segs: Sequence[str], type_at: int | None, doc_type: str | None) -> list[str]:
    """The segments of the header block: those above the type word (a công văn's "V/v" line
    sits beside the date line, so a few more there), after the national motto when it is read."""
    if type_at is None:
        end = HEADER_SEGMENTS
    else:
        end = type_at + (SUBJECT_REACH + 1 if doc_type == "Công văn" else 0)
    block = list(segs[:end])
    motto = [i for i, s in enumerate(block) if clean(s).lower().strip(" .") in _MOTTO]
    return block[motto[0]:] if motto and not any(_NUMBER_LINE.match(s) for s in block[:motto[0]]) else block


def _header_number(block: Sequence[str]) -> tuple[str | None, str | None, str | None]:
    """(number, the "Số: …" segment as read, the printed code after the number) of the header
    block; the number only when it reads as digits before the code, else None."""
    for k, s in enumerate(block):
        m = _NUMBER_LINE.match(s)
        if not m:
            continue
        if re.fullmatch(r"\d{1,6}", m.group("rest").strip()) and k + 1 < len(block) and re.match(r"[/⁄]", block[k + 1]):
            # "Số: 72" and "/QĐ-UBND" segments apart: the number printed with a gap before its slash
            s = f"{s} {block[k + 1]}"
            m = _NUMBER_LINE.match(s)
        rest = _mended_number(m.group("rest"))
        words = rest.split(" ")
        # the words after the number ("72 /QĐ-UBND Ehon Thiết, igày …": the date line beside it in
        # one segment) are no part of it: the longest run of words from the start that ends in a code
        code_m = next((c for j in range(len(words), 0, -1) if (c := _CODE_TAIL.search(" ".join(words[:j])))), None)
        if code_m is None:
            continue
        rest = rest[:code_m.end()]
        if spaced := _SPACED_NUMBER.match(rest):  # "1 5 6 /TTr-SNV", "55 37/KH-STC": glyphs spaced apart
            rest = spaced.group(1).replace(" ", "") + rest[spaced.end(1):]
        number = normalize_doc_number(rest) if _CLEAN_NUMBER.match(rest) else None
        if number is not None:
            return number, s, _code_of(number)
        code = "".join(code_m.group("code").split()).replace("–", "-").replace("Ð", "Đ")
        return None, s, code
    return None, None, None


# the number slot as OCR reads it: look-alikes of digits ("O7/CT-TTg", "47/2O20/NĐ-CP"), and the
# slash lost or read as a space ("3152 KH-STC")
_LOOKALIKE_NUMBER = re.compile(r"^(?P<num>[\d%s]{1,6})(?=\s*[/⁄])" % re.escape("".join(DIGIT_LOOKALIKES)))
_LOOKALIKE_YEAR = re.compile(r"(?<=[/⁄])(?P<year>[12][\d%s]{3})(?=\s*[/⁄])" % re.escape(YEAR_LOOKALIKES))
_LOST_SLASH = re.compile(r"^(?P<num>\d{1,6})\s*(?:[“”\"'‘’|]\s*|\s+)(?=[A-ZĐ][A-Za-zĐđ]{0,4}\s*-\s*[A-ZĐ])")


def _mended_number(rest: str) -> str:
    """The rest of a "Số" line with the usual OCR damage to a number mended: look-alikes of
    digits in the number and its year (when the number holds a digit), letters outside Vietnamese
    in its code (`CODE_LETTER_LOOKALIKES`), a slash read as a space
    or a quote ("35 “TB-SNV")."""
    if (m := _LOOKALIKE_NUMBER.match(rest)) and any(c.isdigit() for c in m.group("num")):
        rest = as_digits(m.group("num")) + rest[m.end():]
    rest = _LOOKALIKE_YEAR.sub(lambda y: as_digits(y.group("year")), rest)
    if (slash := re.search(r"[/⁄]", rest)) is not None:  # the code's letters: "19/ƑTr-UBND" -> "19/FTr-UBND"
        rest = rest[:slash.end()] + rest[slash.end():].translate(CODE_LETTERS)
    return _LOST_SLASH.sub(lambda n: n.group("num") + "/", rest, count=1)


# the words of a place-and-date line as OCR reads them ("ngủy", "thủng", "thán2", "nàm"), compared
# without their marks: those within one letter of "ngay", "thang", "nam" are read as those words
_DATE_WORDS = (("ngay", "ngày"), ("thang", "tháng"), ("nam", "năm"))


def _near_word(token: str, word: str) -> bool:
    t = unmarked(token).lower()
    if t == word:
        return True
    if abs(len(t) - len(word)) > 1 or len(t) < 3:
        return False
    if len(t) == len(word):
        return sum(a != b for a, b in zip(t, word)) == 1 and t[0] == word[0]
    long_, short = (t, word) if len(t) > len(word) else (word, t)
    return any(long_[:i] + long_[i + 1:] == short for i in range(1, len(long_)))


# after "ngày": [day] <a word> <month> <a word of n…> <year>, the words read past mending
# ("thöag", "\"Hồ" for "tháng"): the parts where they stand, each holding a digit, tell the words
_DATE_SHAPE = re.compile(r"^(?P<d>\s+\S{1,3})?\s+(?P<t>[^\s\d]{2,6})\s+(?P<m>\S{1,3})\s+(?P<n>[nN][^\s\d]{1,3})\s+(?P<y>\S{4})\b")


_DAY_WORD_LOST = re.compile(r"^[^\W\d_][^\d,;:()/]{1,45}?,\s*(?P<junk>[^\s\d]{1,5})\s+\d{1,2}\s+\S{4,6}\s+\d{1,2}\s+\S{2,4}\s+\d{4}\b")


def _mended_date_words(seg: str) -> str:
    """`seg` with its date words as printed, when it reads as "… ngày … tháng … năm …" within one
    letter a word (only after the first "ngày": "Quảng Nam" before it is a place), or when after
    that "ngày" the day, month and year stand where they are printed (`_DATE_SHAPE`)."""
    tokens = seg.split(" ")
    want = 0
    for i, tok in enumerate(tokens):
        core = tok.rstrip(":.,")
        if want < 3 and core and _near_word(core, _DATE_WORDS[want][0]):
            tokens[i] = _DATE_WORDS[want][1] + tok[len(core):]
            want += 1
    if want == 3:
        return " ".join(tokens)
    if want == 0 and (lost := _DAY_WORD_LOST.match(seg)) is not None:
        # "Thành phố Hồ Chí Minh, \",nờy 13 tháng 6 năm 2024": the word between the place's comma
        # and a day of digits before "tháng … năm …" can only be "ngày" (a seal over it)
        mended = seg[:lost.start("junk")] + "ngày" + seg[lost.end("junk"):]
        return _mended_date_words(mended) if _near_word(mended.split(" ngày ", 1)[1].split()[1].rstrip(":.,"), "thang") else seg
    if want >= 1:
        at = next(i for i, tok in enumerate(tokens) if tok.startswith("ngày"))
        head, tail = " ".join(tokens[:at + 1]), " " + " ".join(tokens[at + 1:])
        m = _DATE_SHAPE.match(tail)
        if m and any(c.isdigit() for c in m.group("m")) and sum(c.isdigit() for c in m.group("y")) >= 2 \
                and (m.group("d") is None or any(c.isdigit() for c in m.group("d"))):
            return head + (m.group("d") or "") + " tháng " + m.group("m") + " năm " + m.group("y") + tail[m.end():]
    return seg


_DATE_LINE_WITHOUT_PLACE = re.compile(r"\bngày\s+\S{1,3}\s+tháng\s+\S{1,3}\s+năm\s+\d{4}\s*$")


def _is_place_date(seg: str) -> bool:
    seg = _mended_date_words(seg)
    m = _PLACE_DATE_LINE.match(seg)
    return bool(m) and m.group("place")[0].isupper() and not _NOT_A_PLACE.match(m.group("place")) \
        and len(m.group("place").split()) <= 7


def _place_date_line(block: Sequence[str]) -> str | None:
    """The "<place>, ngày … tháng … năm …" segment of the header block, as read."""
    return next((s for s in block if _is_place_date(s)), None)


# letters OCR reads for more than one digit in a date part ("T1", "L1" for 11; "T" for 7 too)
_OTHER_DIGITS = {"T": "1", "L": "1", "J": "1", "t": "1"}


def _date_part(token: str, width: int, valid=range(0, 10**4)) -> int | None:
    """A day, month or year as printed, the usual OCR confusions of digits mended when the
    token holds a digit ("0l" -> 1, "1O" -> 10, "T1" -> 11 as a month); None when it is blank or
    does not read as a number in `valid`, or reads as more than one."""
    token = token.strip(".,;:")
    if not token or not any(ch.isdigit() for ch in token):
        return None
    readings = {as_digits(token)}
    if any(ch in _OTHER_DIGITS for ch in token):
        readings.add(as_digits(token.translate(str.maketrans(_OTHER_DIGITS))))
    values = {int(r) for r in readings if r.isdigit() and len(r) <= width and int(r) in valid}
    if not values and width == 4 and (r := as_digits(token)).isdigit() and len(r) == 5:
        # a year read with a digit too many ("23026"): the one way to drop a digit that gives a year
        values = {int(y) for i in range(5) if YEARS[0] <= int(y := r[:i] + r[i + 1:]) <= YEARS[1]}
    return values.pop() if len(values) == 1 else None


YEARS = (1945, 2100)  # years a Vietnamese administrative document may be dated


def header_date(line: str | None) -> HeaderDate:
    """The date of a place-and-date line: every part must read ("ngày    tháng 6 năm 2026",
    a day written by hand that OCR reads as "/2", give no issued date but the month)."""
    if not line:
        return HeaderDate(None, None, None)
    line = _mended_date_words(line)
    m = _DATE_PARTS.search(_SPACED_DIGITS.sub(lambda d: d.group().replace(" ", ""), line))
    if not m:
        found = find_period_date(line)
        return HeaderDate(found[0] if found and found[1] == "day" else None, *(found or (None, None)))
    day, month, year = _date_part(m.group("d"), 2, range(1, 32)), _date_part(m.group("m"), 2, range(1, 13)), \
        _date_part(m.group("y"), 4)
    if year is None or make_date(year, 12, 31) is None:
        return HeaderDate(None, None, None)
    if month is None or not 1 <= month <= 12:
        return HeaderDate(None, date(year, 12, 31), "year")
    if day is not None and (full := make_date(year, month, day)) is not None:
        return HeaderDate(full, full, "day")
    end = (date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)) - timedelta(days=1)
    return HeaderDate(None, end, "month")


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
    """The issuing body: the first capitalised segment of the header block naming a known body
    (the motto cut off a segment OCR ran into it: "BỘ KẾ HOẠCH VÀ ĐẦU TƯ CỘNG HOÀ XÃ HỘI …")."""
    for s in segs[: type_at if type_at is not None else 6][:6]:
        if (m := _MOTTO_START.search(s)) and m.start() > 0:
            s = s[:m.start()].strip()
        if _NUMBER.match(s) or _PLACE_DATE.search(s) or not _is_upper(s) or s.lower() in _MOTTO:
            continue
        names = resolve_agencies(s).names
        if names:
            return names[0]
    return None


def _continue(segs: Sequence[str], start: int, first: str, *, stop) -> str:
    """Join the segments after `start` to `first` until `stop` says a segment is not part of it
    (never past "Kính gửi")."""
    parts = [first] if first else []
    for s in segs[start + 1 : start + 6]:
        if stop(s) or not any(c.isalnum() for c in s) or _ADDRESSED.match(s) or _ATTACHED.match(s) or _NUMBER.match(s) or _HEADING.match(s):
            break
        parts.append(s)
    return clean(" ".join(parts))
