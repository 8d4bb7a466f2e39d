"""Page furniture: page numbers, running headers and footers, which are never content.

A line is furniture when it sits in the top or bottom margin band of its page and
either looks like a page number ("2", "- 2 -", "Trang 2/10": one in a band at most, the
one nearest the page's edge, `_page_numbers`; of a page holding one in each band, the one in
the band the document numbers its pages in, `_numbers_where_printed`), or is what a browser prints around a page
(the print date and time, the page's address, "3/12"), or repeats (digits aside) at the
same height on several pages.

A band that recurs on most pages is furniture wherever it sits: a system whose own
page is shorter than the sheet (a bank's statement printed onto A4) prints its footer,
a sentence and "Trang 3/335", between two rows in the middle of each sheet, each time a
little higher or lower. Such a line has the same text (digits aside) and the same
glyph height on at least half of the pages (`TextTableSettings.mid_page_share`, `mid_page_min` of them), and
a few letters (a lone "1." or "-" that recurs is no band).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Sequence

from .layout import Line
from .settings import TEXT, TextTableSettings

PAGE_NUMBER = re.compile(r"^(-\s*)?(trang\s+)?\d{1,4}(\s*/\s*\d{1,4})?(\s*-)?$", re.I)
_DIGITS = re.compile(r"\d+")
_LONE_NUMBER = re.compile(r"(?:^|\s)#(?=\s|$)")
# A browser's print header and footer: "11/29/26, 1:41 PM  <title>", "<address>  3/12".
_BROWSER = re.compile(
    r"^\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d{2}(\s*[AP]M)?\b"  # print date and time first
    r"|^(https?|file)://\S+(\s+\d{1,4}\s*/\s*\d{1,4})?$",  # the address, with the page count after it
    re.I,
)


def _in_band(line: Line, height: float, *, s: TextTableSettings = TEXT) -> bool:
    top, bottom = line.box[1], line.box[3]
    return bottom <= height * s.margin_band or top >= height * (1 - s.margin_band)


def _key(line: Line, height: float) -> tuple[str, int]:
    """The line's text with its numbers left out, and its height on the page: a page number
    that ran into a recurring line (a signature stamp beside it, "2 Email: ...") is left out."""
    text = _LONE_NUMBER.sub(" ", _DIGITS.sub("#", line.text.lower())).strip()
    return text or "#", round(line.box[1] / max(height, 1) * 50)


def _band_key(line: Line) -> tuple[str, int]:
    """A line's text (digits aside) and its glyph height: what a recurring band keeps, wherever it sits."""
    return _DIGITS.sub("#", " ".join(line.text.lower().split())), round(line.box[3] - line.box[1])


def split_furniture(pages: Sequence[tuple[Sequence[Line], float]],
                    *, s: TextTableSettings = TEXT) -> list[tuple[list[Line], list[Line]]]:
    """For each page (its lines, its height): (body lines, furniture lines)."""
    repeats = Counter(
        key for lines, h in pages for key in {_key(l, h) for l in lines if _in_band(l, h, s=s)}
    )
    min_repeat = 3 if len(pages) >= 4 else max(len(pages), 2)
    running = {k for k, n in repeats.items() if n >= min_repeat}
    bands = Counter(key for lines, _ in pages for key in {_band_key(l) for l in lines})
    min_band = max(s.mid_page_min, math.ceil(s.mid_page_share * len(pages)))
    recurring = {k for k, n in bands.items() if n >= min_band and sum(ch.isalpha() for ch in k[0]) >= s.mid_page_letters}
    out = []
    for (lines, h), numbers in zip(pages, _numbers_where_printed(pages, running, s=s)):
        body, furniture = [], []
        for line in lines:
            text = line.text.strip()
            is_furniture = (_in_band(line, h, s=s) and (
                any(line is n for n in numbers) or _BROWSER.match(text) is not None
                or repeats[_key(line, h)] >= min_repeat
            )) or (recurring and _band_key(line) in recurring)
            (furniture if is_furniture else body).append(line)
        out.append((body, furniture))
    return out


def _numbers_where_printed(pages: Sequence[tuple[Sequence[Line], float]], running: set = frozenset(), *,
                           s: TextTableSettings = TEXT) -> list[list[Line]]:
    """Each page's page numbers (`_page_numbers`, `running` the keys of the lines recurring in the
    margin bands: `_key`). A page holding a number in both margin bands
    keeps the one in the band where the document prints its page numbers, when the pages holding
    one in that band outnumber those holding one in the other more than twice over: a lone number
    at the foot of a page numbered at its head is the number of a row the page cut under it."""
    found = [_page_numbers(lines, h, running, s=s) for lines, h in pages]
    top = [[l for l in ns if l.box[3] <= h * s.margin_band] for ns, (_, h) in zip(found, pages)]
    tops, feet = sum(bool(t) for t in top), sum(len(t) < len(ns) for t, ns in zip(top, found))
    out = []
    for ns, t in zip(found, top):
        if len(ns) == 2 and tops > 2 * feet:
            ns = t
        elif len(ns) == 2 and feet > 2 * tops:
            ns = [l for l in ns if l not in t]
        out.append(ns)
    return out


def _page_numbers(lines: Sequence[Line], height: float, running: set = frozenset(), *,
                  s: TextTableSettings = TEXT) -> list[Line]:
    """The lines of a page that look like its page number: in a margin band, one in each band at
    most, the one nearest the page's edge (a lone number further in, "5" under the page number
    at the head of a page, is the rest of a table's cell the page break cut). A page number that
    ran into a line recurring in the band (`_run_into`: "8 Email: ..." of a signature stamp) is
    the band's number too: a lone number further in than it is no page number."""
    looks = [l for l in lines if _in_band(l, height, s=s) and PAGE_NUMBER.match(l.text.strip()) is not None]
    run_into = [l for l in lines if _in_band(l, height, s=s) and _run_into(l, height, running)]
    top = [l for l in looks + run_into if l.box[3] <= height * s.margin_band]
    foot = [l for l in looks + run_into if l.box[3] > height * s.margin_band]
    edge = ([min(top, key=lambda l: l.box[1])] if top else []) + ([max(foot, key=lambda l: l.box[3])] if foot else [])
    return [l for l in edge if not any(l is r for r in run_into)]


def _run_into(line: Line, height: float, running: set) -> bool:
    """Whether the line is a page number run into a line that recurs in the margin bands (its
    `_key`, the lone number left out, among `running`): "8 Email: vpcp@..." beside a stamp."""
    key = _key(line, height)
    return key in running and key[0] != "#" and _LONE_NUMBER.search(_DIGITS.sub("#", line.text.lower())) is not None
