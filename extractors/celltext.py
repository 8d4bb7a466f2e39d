"""Text of a table cell from its lines: one space between lines, except where a narrow
column broke a word, a number, a date or a document number.

A line break inside a word is recognised from the geometry of the cell and the shape
of the pieces, never from a dictionary of the text at hand:

- after a piece that ends with an attached "-" or "/" ("193/TTr-BCA-" + "C12",
  "13/7/" + "2025"), the break is inside a code or a date;
- otherwise the previous line must be full (the next line's first glyph would not
  have fit after it) and the two pieces together must be wider than the line (a
  word that fits on a line is moved whole, never cut); then digits joined to digits
  are one number ("1" + "0"), and letters are one word when the pieces make one
  Vietnamese syllable but are not both syllables ("Thườ" + "ng", "x" + "uyên"),
  or are both vowel-less pieces of an abbreviation ("ST" + "T").
"""

from __future__ import annotations

import re
import unicodedata
from typing import Sequence

from .layout import Line, Word

_TONE_MARKS = dict.fromkeys(map(ord, "\u0300\u0301\u0303\u0309\u0323"))
_SYLLABLE = re.compile(
    r"^(ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdđghklmnprstvx])?"
    r"[aăâeêioôơuưy]{1,3}"
    r"(ch|nh|ng|[cmnpt])?$"
)
_VOWELS = re.compile(r"[aăâeêioôơuưy]", re.I)
_EDGE_PUNCT = "\"'“”‘’()[]{},.;:!?…"


def is_syllable(token: str) -> bool:
    """True if `token` has the shape of one Vietnamese syllable (tone marks ignored)."""
    base = unicodedata.normalize("NFD", token.strip(_EDGE_PUNCT).lower()).translate(_TONE_MARKS)
    return bool(_SYLLABLE.match(unicodedata.normalize("NFC", base)))


def join_lines(lines: Sequence[Line], left: float, right: float) -> str:
    """Join a cell's lines; `left`/`right` bound the cell's text area (inside the padding)."""
    words: list[str] = []
    prev: Line | None = None
    for line in lines:
        if prev is not None and _glued(prev.words[-1], line.words[0], left, right):
            words[-1] += line.words[0].text
            words.extend(w.text for w in line.words[1:])
        else:
            words.extend(w.text for w in line.words)
        prev = line
    return unicodedata.normalize("NFC", " ".join(words))


def _glued(a: Word, b: Word, left: float, right: float) -> bool:
    """Is the break between word `a` (end of a line) and `b` (start of the next) inside a word?"""
    ta, tb = a.text, b.text
    if not tb[:1].isalnum():
        return False
    if len(ta) >= 2 and ta[-1] in "-/" and ta[-2].isalnum():
        return True
    line_full = right - a.x1 < b.first_char_width + 0.5
    too_wide = (a.x1 - a.x0) + (b.x1 - b.x0) > (right - left) - 0.5
    if not (line_full and too_wide):
        return False
    pa, pb = _core(ta, tail=True), _core(tb, tail=False)
    if not pa or not pb:
        return False
    if pa[-1].isdigit() and pb[0].isdigit():
        return True
    if pa.isalpha() and pb.isalpha():
        if not _VOWELS.search(pa) and not _VOWELS.search(_base(pb)):
            return True  # pieces of an abbreviation
        joined = pa + pb
        return is_syllable(joined) and not (is_syllable(pa) and is_syllable(pb))
    return False


def _core(token: str, *, tail: bool) -> str:
    """The letters/digits of a token next to the break (punctuation on the far side dropped)."""
    return token.lstrip(_EDGE_PUNCT) if tail else token.rstrip(_EDGE_PUNCT)


def _base(token: str) -> str:
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", token).translate(_TONE_MARKS))
