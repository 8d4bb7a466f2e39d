"""The header block of the Nghị định 30/2020 layout read as its columns, from the page's words.

The block is two columns above the document type word::

    UBND TỈNH LÂM ĐỒNG               CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
        SỞ NỘI VỤ                        Độc lập - Tự do - Hạnh phúc
    Số: 156/TTr-SNV                  Lâm Đồng, ngày 19 tháng 12 năm 2025

The left column holds the parent body and the issuing body (one to three lines, the issuer
the lower body), then the "Số: …" line (and a công văn's "V/v …" subject); the right column
holds the national motto and the place-and-date line. The column edge is where the motto
begins. Within a column every word of a line belongs to it whatever the gaps: the number and
the day are often typed into gaps left for them, or stamped there by a signing system as the
appearance of a signature widget (words that may sit a little off the printed baseline), so
the words of a column are grouped into lines by their height on the page, not by the line
the page's text gave them, and joined left to right.

Stamps of signing software ("Ký bởi: …", "Email: …", "Thời gian ký: 25.08.2025 16:48:29",
"Số: 2775/SNV-CCHC; 10/11/2025; 10:59:46;") are not part of the header: `without_stamps`
sets their words aside first. A page without a motto (an appendix printed alone, a page
OCR could not read) has no columns: `header_columns` gives None and the caller reads the
segments of the lines as before.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from statistics import median
from typing import Sequence

from extractors.layout import Line, Word

from .dates import make_date
from .docnumbers import normalize_doc_number
from .text import clean, fold

# the first words of the national motto (or of the Party's, on a Party document), case and accents aside
_MOTTO_HEADS = (("cộng", "hòa", "xã", "hội"), ("đảng", "cộng", "sản", "việt"))  # matched folded: "hoà" is "hòa"
# a line of a signing system's stamp: "Ký bởi: …", "Người ký: …", "Email: …", "Cơ quan: …",
# "Thời gian ký: …", "Ngày ký: …", or anything carrying a clock time (10:59:46)
_STAMP = re.compile(
    r"^(?:[kKrRlL][ýyỷ] bởi|người ký|e[.-]?mail|cơ quan|chức vụ|[tTlL]hời gian [kKbB]\S*|ngày ký|ký ngày|signed by|"
    r"signature valid|"
    r"date|reason|location)\s*:|\b\d{1,2}:\d{2}:\d{2}\b|@[\w-]+\.(?:gov|com|vn)",
    re.I,
)
_DAY = re.compile(r"\bngày\b|\btháng\s+\S{1,3}\s+năm\s+\S{4}\s*$", re.I)  # a place-and-date line ("ngày" read or not)
# a run that begins with the "Số: 25/TTr-BNV" of the left column: OCR may run the number line into
# the place-and-date line beside it (a seal over the gap, "ngày" read as ",nờy")
_NUMBER_HEAD = re.compile(r"^S\S{0,2}\s*[:.;]?\s*\d{1,6}\s*[/⁄]")
ROW_TOLERANCE = 0.6  # words whose centres lie within this many word heights share a line
EDGE_SLACK = 4.0  # points: a word starting this little left of the motto is still in the right column
STAMP_GAP = 18.0  # points: words further apart than this on a line belong to different pieces (columns, stamps)


@dataclass(frozen=True)
class HeaderRow:
    """One line of one column of the header block."""

    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    words: tuple[Word, ...]


@dataclass(frozen=True)
class HeaderColumns:
    left: tuple[HeaderRow, ...]
    right: tuple[HeaderRow, ...]
    edge: float  # x where the right column begins


def line_pieces(line: Line, gap: float = STAMP_GAP) -> list[list[Word]]:
    """The words of a line in runs, cut where two words stand more than `gap` apart."""
    runs = [[line.words[0]]]
    for w in line.words[1:]:
        if w.x0 - runs[-1][-1].x1 > gap:
            runs.append([w])
        else:
            runs[-1].append(w)
    return runs


def is_stamp(text: str) -> bool:
    """A piece of text a signing system stamps on the page (see the module docstring)."""
    return bool(_STAMP.search(clean(text)))


def without_stamps(lines: Sequence[Line]) -> list[Line]:
    """The lines with the pieces a signing system's stamp printed removed (empty lines dropped)."""
    out = []
    for line in lines:
        if not line.words:
            continue
        kept = [w for run in line_pieces(line) if not is_stamp(" ".join(w.text for w in run)) for w in run]
        if kept:
            out.append(Line(tuple(kept)))
    return out


def _motto_edge(lines: Sequence[Line]) -> tuple[int, float] | None:
    """(index of the line, x where it begins) of the national motto, if read."""
    for i, line in enumerate(lines):
        keys = [fold(w.text).strip(".,:;") for w in line.words]
        for j in range(len(keys)):
            if any(tuple(keys[j : j + len(h)]) == h for h in _MOTTO_HEADS):
                return i, line.words[j].x0
    return None


def _rows(words: list[Word]) -> list[HeaderRow]:
    """Words grouped into lines by the height of their centres, each line left to right."""
    if not words:
        return []
    height = median(w.bottom - w.top for w in words) or 1.0
    rows: list[list[Word]] = []
    for w in sorted(words, key=lambda w: w.yc):
        if rows and w.yc - sum(x.yc for x in rows[-1]) / len(rows[-1]) <= ROW_TOLERANCE * height:
            rows[-1].append(w)
        else:
            rows.append([w])
    out = []
    for r in rows:
        r.sort(key=lambda w: w.x0)
        out.append(HeaderRow(clean(" ".join(w.text for w in r)), min(w.top for w in r), max(w.bottom for w in r),
                             r[0].x0, r[-1].x1, tuple(r)))
    return out


def _issuer_line(run: list[Word], edge: float) -> bool:
    """A long line of the issuer block in capitals that reaches past the motto's edge (mostly left of it)."""
    letters = [c for w in run for c in w.text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and edge - run[0].x0 > run[-1].x1 - edge


def header_columns(lines: Sequence[Line], bottom: float | None) -> HeaderColumns | None:
    """The two columns of the header block, or None when no motto is read. The block ends above
    `bottom` (the top of the type word's line) and at the first line under the motto that runs
    across both columns (a title, "Kính gửi", the body; not a long place-and-date line)."""
    found = _motto_edge(lines)
    if found is None:
        return None
    motto_at, edge = found
    left: list[Word] = []
    right: list[Word] = []
    for i, line in enumerate(lines):
        if bottom is not None and line.box[1] >= bottom - 1:
            break
        if i == motto_at:  # OCR may run the issuer into the motto: cut at the motto's first word
            left += [w for w in line.words if w.x0 < edge - EDGE_SLACK]
            right += [w for w in line.words if w.x0 >= edge - EDGE_SLACK]
            continue
        runs = line_pieces(line)
        across = [r for r in runs if r[0].x0 < edge - EDGE_SLACK < edge + EDGE_SLACK < r[-1].x1
                  and not _issuer_line(r, edge)]
        numbered = [r for r in across if _NUMBER_HEAD.match(clean(" ".join(w.text for w in r)))]
        if i > motto_at and any(not _DAY.search(" ".join(w.text for w in r)) for r in across if r not in numbered):
            break  # a line across both columns (the title, "Kính gửi", the body): the header block has ended
        for run in runs:
            if run in numbered:  # the number line run into the date line: cut after the number's code
                cut = next(j for j, w in enumerate(run) if "/" in w.text or "⁄" in w.text) + 1
                left += run[:cut]
                right += run[cut:]
            elif run in across or run[0].x0 >= edge - EDGE_SLACK:  # a long place-and-date line may start left of the edge
                right += run
            else:
                left += run
    return HeaderColumns(tuple(_rows(left)), tuple(_rows(right)), edge)


# "Số: 2775/SNV-CCHC&amp;VTLT; 10/11/2025; 10:59:46;": the number and date a signing system stamps on a
# document's attachments
_NUMBER_STAMP = re.compile(r"^Số\s*:\s*(?P<number>[^;]+?)\s*;\s*(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})\s*;")


@dataclass(frozen=True)
class StampedNumber:
    number: str
    date: date


def stamp_identity(lines: Sequence[Line]) -> StampedNumber | None:
    """The document number and date a signing system stamped on the page, if any."""
    for line in lines:
        if not line.words:
            continue
        for run in line_pieces(line):
            m = _NUMBER_STAMP.match(html.unescape(clean(" ".join(w.text for w in run))))
            if m and (number := normalize_doc_number(m.group("number"))) and (
                    when := make_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))):
                return StampedNumber(number, when)
    return None
