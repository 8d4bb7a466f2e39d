"""Page furniture: page numbers, running headers and footers, which are never content.

A line is furniture when it sits in the top or bottom margin band of its page and
either looks like a page number ("2", "- 2 -", "Trang 2/10"), or is what a browser
prints around a page (the print date and time, the page's address, "3/12"), or
repeats (digits aside) at the same height on several pages.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Sequence

from .layout import Line

MARGIN_BAND = 0.10  # fraction of the page height at the top and at the bottom
_PAGE_NUMBER = re.compile(r"^(-\s*)?(trang\s+)?\d{1,4}(\s*/\s*\d{1,4})?(\s*-)?$", re.I)
_DIGITS = re.compile(r"\d+")
_LONE_NUMBER = re.compile(r"(?:^|\s)#(?=\s|$)")
# A browser's print header and footer: "11/29/26, 1:41 PM  <title>", "<address>  3/12".
_BROWSER = re.compile(
    r"^\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d{2}(\s*[AP]M)?\b"  # print date and time first
    r"|^(https?|file)://\S+(\s+\d{1,4}\s*/\s*\d{1,4})?$",  # the address, with the page count after it
    re.I,
)


def _in_band(line: Line, height: float) -> bool:
    top, bottom = line.box[1], line.box[3]
    return bottom <= height * MARGIN_BAND or top >= height * (1 - MARGIN_BAND)


def _key(line: Line, height: float) -> tuple[str, int]:
    """The line's text with its numbers left out, and its height on the page: a page number
    that ran into a recurring line (a signature stamp beside it, "2 Email: ...") is left out."""
    text = _LONE_NUMBER.sub(" ", _DIGITS.sub("#", line.text.lower())).strip()
    return text or "#", round(line.box[1] / max(height, 1) * 50)


def split_furniture(pages: Sequence[tuple[Sequence[Line], float]]) -> list[tuple[list[Line], list[Line]]]:
    """For each page (its lines, its height): (body lines, furniture lines)."""
    repeats = Counter(
        key for lines, h in pages for key in {_key(l, h) for l in lines if _in_band(l, h)}
    )
    min_repeat = 3 if len(pages) >= 4 else max(len(pages), 2)
    out = []
    for lines, h in pages:
        body, furniture = [], []
        for line in lines:
            text = line.text.strip()
            is_furniture = _in_band(line, h) and (
                _PAGE_NUMBER.match(text) is not None or _BROWSER.match(text) is not None
                or repeats[_key(line, h)] >= min_repeat
            )
            (furniture if is_furniture else body).append(line)
        out.append((body, furniture))
    return out
