"""Text of a table cell from its lines: one space between lines, except where a narrow
column broke a word, a number, a date or a document number.

A line break inside a word is recognised from the geometry of the cell and the shape
of the pieces, never from a dictionary of the text at hand:

- a line never starts with closing punctuation ("," "." ")" ...) nor ends with
  opening punctuation ("(" "“" ...): such a break is inside a token ("III" + ".",
  "thành" + ",", "(" + "2)");
- after a piece that ends with an attached "-" or "/" ("193/TTr-BCA-" + "C12",
  "13/7/" + "2025", "1%-" + "1,5%", "tỉnh/" + "thành"), the break is inside a code,
  a date, a range or a pair of words; but a hyphen between small letters is a dash
  that lost its space ("đủ-" + "sạch" is "đủ- sạch": Vietnamese joins no syllables
  with hyphens, codes are capitals and digits);
- any other cut needs the geometry of one: the previous line is full (the next
  line's first glyph would not have fit after it) and the word cut is wider than the
  line (a word that fits on a line is moved whole; a wider one is cut where the line
  ends, wherever on the line it starts, so its middle pieces fill lines alone).
  Then the letters and digits on both sides of the break decide (`_one_word`).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Sequence

from .layout import Line, Word
from .letters import nfc
from .settings import TEXT, TextTableSettings

_TONES = "\u0300\u0301\u0303\u0309\u0323"
_TONE_MARKS = dict.fromkeys(map(ord, _TONES))
_NUCLEI = (
    "iêu yêu oai oay oeo uây uôi uya uyê uyu ươi ươu "
    "ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi ua uâ uê ui uô uơ uy ưa ưi ưu ươ yê oo "
    "a ă â e ê i o ô ơ u ư y"
).split()
_SYLLABLE = re.compile(
    r"^(ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdđghklmnprstvx])?"
    r"(" + "|".join(_NUCLEI) + r")"
    r"(ch|nh|ng|[cmnpt])?$"
)
_ROMAN = re.compile(r"^(X{0,3})(IX|IV|V?I{0,3})$")
_VOWELS = re.compile(r"[aăâeêioôơuưy]", re.I)
_EDGE_PUNCT = "\"'“”‘’()[]{},.;:!?…"
CLOSING = ",.;:!?)]}”’…%"  # punctuation no line starts with
OPENING = "([{“‘"  # ... and none ends with


def is_syllable(token: str) -> bool:
    """True if `token` has the shape of one Vietnamese syllable: onset, a known vowel
    nucleus, coda, and at most one tone mark."""
    word = unicodedata.normalize("NFD", token.strip(_EDGE_PUNCT).lower())
    if sum(word.count(t) for t in _TONES) > 1:
        return False
    return bool(_SYLLABLE.match(unicodedata.normalize("NFC", word.translate(_TONE_MARKS))))


def join_lines(lines: Sequence[Line], left: float, right: float, *, s: TextTableSettings = TEXT) -> str:
    """Join a cell's lines; `left`/`right` bound the cell's text area (inside the padding)."""
    words: list[str] = []
    for i, line in enumerate(lines):
        after = lines[i + 1] if i + 1 < len(lines) else None
        if i and _glued(lines[i - 1], line, after, left, right, words[-1], s=s):
            words[-1] += line.words[0].text
            words.extend(w.text for w in line.words[1:])
        else:
            words.extend(w.text for w in line.words)
    return nfc(" ".join(words))


def _full(line: Line, following: Word, width: float, *, s: TextTableSettings = TEXT) -> bool:
    """Would the first glyph of `following` not have fit on `line` (of the given text width)?

    The room left is the width minus the line's own, so this holds for left-aligned,
    justified and centred text alike.
    """
    used = line.words[-1].x1 - line.words[0].x0
    return width - used < following.first_char_width + s.slack


def _glued(prev: Line, line: Line, after: Line | None, left: float, right: float, word: str,
           *, s: TextTableSettings = TEXT) -> bool:
    """Is the break between line `prev` and the next `line` inside a word?

    `word` is the text that ends `prev`, with the pieces already glued to it (the
    shape test is on the whole word so far: "GIA" + "N" is "GIAN", and then "GIAN" +
    "HO" is not one syllable). `after` is the line after `line`: when `line` holds a
    single word and is full too, that word goes on, so the word cut is wider than the
    line whatever its pieces.
    """
    a, b = prev.words[-1], line.words[0]
    ta, tb = word, b.text
    if tb[0] in CLOSING or ta[-1] in OPENING:
        return True
    if len(ta) >= 2 and ta[-1] in "-/" and tb[0].isalnum():
        return not (ta[-1] == "-" and ta[-2].islower() and tb[0].islower())
    width = right - left
    middle_piece = len(line.words) == 1 and after is not None and _full(line, after.words[0], width, s=s)
    too_wide = middle_piece or (a.x1 - a.x0) + (b.x1 - b.x0) > width - s.slack
    if not (_full(prev, b, width, s=s) and too_wide and ta[-1].isalnum()):
        return False
    return _one_word(ta, tb, first_alone=len(prev.words) == 1)


def _one_word(ta: str, tb: str, *, first_alone: bool) -> bool:
    """Are `ta` (ending a full line) and `tb` (starting the next) pieces of one token?

    A piece starting with an attached "/", "-" or "&" continues a date or code ("31/10"
    + "/2025", "BNN" + "&MT").
    Digits joined to digits are one number ("1" + "0", "13/7/2" + "025"). Letters are
    one word when together they make one Vietnamese syllable ("Thườ" + "ng", "xu" +
    "yên", "t" + "hườn"); a vowel-less run of small letters is no word on its own
    ("Vietinba" + "nk"); capitals are one when they make a Roman numeral ("I" +
    "I/2025"), belong to a code ("01/KHPH-B" + "CA-NHNNVN"), or are vowel-less pieces
    of an abbreviation, one of them a single letter or the first filling its line
    alone ("ST" + "T", "C" + "SDL"; but "DVC" + "BHXH" after other words are two).
    """
    if tb[0] in "/-&":
        return len(tb) > 1 and tb[1].isalnum()  # "31/10" + "/2025", "Quý II" + "/2025", "BNN" + "&MT"
    pa, pb = _tail_run(ta), _head_run(tb)
    if not pb:
        return False
    if pa[-1].isdigit() and pb[0].isdigit():
        return True
    if not (pa.isalpha() and pb.isalpha()):
        return False
    if pb.islower() and not _VOWELS.search(_base(pb)):
        return True
    if pa.isupper() and pb.isupper():
        if _ROMAN.match(pa + pb) or _is_code(ta) or _is_code(tb):
            return True
        short = first_alone or min(len(pa), len(pb)) == 1
        if short and not _VOWELS.search(_base(pa)) and not _VOWELS.search(_base(pb)):
            return True
    return is_syllable(pa + pb)


def _is_code(token: str) -> bool:
    """A document number or code: a number, letters or digits joined by "-" or "/"
    ("01/KHPH-B", "515/KH-BCA-B"); "QUẢ/SẢN" is two words."""
    return bool(re.search(r"[^\W_][-/][^\W_]", token)) and any(c.isdigit() for c in token)


def _tail_run(token: str) -> str:
    """The letters or digits at the end of a token ("BCA-B" -> "B", "31/10" -> "10")."""
    m = re.search(r"[^\W_]+$", token)
    return m.group() if m else ""


def _head_run(token: str) -> str:
    m = re.match(r"[^\W_]+", token)
    return m.group() if m else ""


def _base(token: str) -> str:
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", token).translate(_TONE_MARKS))
