"""Words with boxes from a pdfplumber page, and their grouping into text lines.

A page's words are those of its content stream and those its annotations show (their
appearance streams, at their place: the number and the day a signing system stamps into
the gaps of a document's header), the latter with `source = "annotation"`."""

from __future__ import annotations

import math
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import replace
from typing import Iterable, Sequence

from pdfplumber.utils import extract_words

from .layout import Line, Word
from .letters import nfc
from .pdfpage import annotation_chars
from .settings import TEXT, TextTableSettings

_WORD_OPTIONS = {"keep_blank_chars": False, "return_chars": True}  # words of single glyphs, with their characters


def word_settings(s: TextTableSettings = TEXT) -> dict:
    """pdfplumber's word settings."""
    return {"x_tolerance": s.x_tolerance, "y_tolerance": s.y_tolerance, **_WORD_OPTIONS}


def _word(w: dict, source: str = "content") -> Word:
    chars = w.get("chars") or ()
    text = nfc(w["text"])
    first = chars[0]["width"] if chars else (w["x1"] - w["x0"]) / max(len(text), 1)
    last = chars[-1]["width"] if chars else first
    return Word(text, float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"]), float(first), float(last), source)


def page_words(page, *, ocr: bool = False, annotations: bool = True, walls: Sequence[Wall] = (),
               s: TextTableSettings = TEXT) -> list[Word]:
    """Upright words of a pdfplumber page as `Word`s, text in NFC, then (with `annotations`)
    the words its annotations show (`annotation_words`).

    With `ocr`, the rules of a scanned table that Tesseract read as characters are
    removed: "|" (a vertical rule) splits a word in two, "_" (a horizontal rule) is dropped.
    `walls`: the ruled sides of table cells (x, top, bottom), sorted (`grid.cell_walls`); a word's glyphs either side of one
    are two words (`cut_at_walls`).
    """
    words = []
    for found in page.extract_words(**word_settings(s)):
        if not found.get("upright", True):
            continue
        for w in cut_at_walls(found, walls, s=s):
            word = _word(w)
            words.extend(without_rules(word) if ocr else [word])
    if ocr:
        return rejoin_split_syllables(words)
    return words + annotation_words(page, s=s) if annotations else words


Wall = tuple[float, float, float]  # a ruled side of a cell: x, top, bottom


def cut_at_walls(word: dict, walls: Sequence[Wall], *, s: TextTableSettings = TEXT) -> list[dict]:
    """A pdfplumber word (with its glyphs, `return_chars`) cut where a wall (of `walls`, sorted:
    only those within the word's width are looked at) stands in the white
    between two of its glyphs (the one before ends before it, the next starts after it, the white
    `wall_white` wide at least) at the height of the word's middle: two cells' text the word
    spacing ran together across the rule between them (a sheet's text up to its cell's side, the
    next cell's just past it). A side at a glyph's edge or through a glyph cuts nothing. Else
    the word as it is."""
    chars = word.get("chars") or ()
    if len(chars) < 2 or not walls:
        return [word]
    middle = (word["top"] + word["bottom"]) / 2
    inside = walls[bisect_right(walls, (word["x0"], math.inf, math.inf)):bisect_left(walls, (word["x1"], -math.inf, -math.inf))]
    xs = [x for x, top, bottom in inside if top <= middle <= bottom]
    cuts = [k for k in range(1, len(chars)) if chars[k]["x0"] - chars[k - 1]["x1"] >= s.wall_white
            and any(chars[k - 1]["x1"] < x < chars[k]["x0"] for x in xs)]
    if not cuts:
        return [word]
    parts = [chars[a:b] for a, b in zip([0, *cuts], [*cuts, len(chars)])]
    return [{**word, "text": "".join(c["text"] for c in part), "chars": part,
             "x0": min(c["x0"] for c in part), "x1": max(c["x1"] for c in part)} for part in parts]


def annotation_words(page, *, s: TextTableSettings = TEXT) -> list[Word]:
    """Upright words that the annotations of a pdfplumber page show, at their place on the
    page, `source = "annotation"`; digits a stamp spaced apart within one annotation joined."""
    words: list[Word] = []
    for _appearance, chars in annotation_chars(page):
        found = [_word(w, "annotation") for w in extract_words(chars, **word_settings(s)) if w.get("upright", True)]
        words.extend(join_spaced_digits(found, s=s))
    return words


def join_spaced_digits(words: list[Word], *, s: TextTableSettings = TEXT) -> list[Word]:
    """Digits of one stamp that its letter spacing set apart ("1 5 6", "2 5") as one word:
    all-digit words on one line whose gap is at most `stamp_digit_gap` digit widths."""
    out: list[Word] = []
    for w in sorted(words, key=lambda w: (round(w.yc), w.x0)):
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.text.isdigit()
            and w.text.isdigit()
            and abs(w.yc - prev.yc) < 0.5 * min(w.bottom - w.top, prev.bottom - prev.top)
            and 0 <= w.x0 - prev.x1 <= s.stamp_digit_gap * max(prev.last_char_width, w.first_char_width)
        ):
            out[-1] = replace(prev, text=prev.text + w.text, top=min(prev.top, w.top), x1=w.x1,
                              bottom=max(prev.bottom, w.bottom), last_char_width=w.last_char_width)
        else:
            out.append(w)
    return out


_CONSONANTS = set("bcdđghklmnpqrstvx")


def _starts_with_vowel(text: str) -> bool:
    return unicodedata.normalize("NFD", text[:1])[:1].lower() in set("aeiouy")


def rejoin_split_syllables(words: list[Word]) -> list[Word]:
    """Tesseract sometimes cuts a Vietnamese syllable after its first consonant
    ("B ộ", "C ông", "Đ ang"); a lone consonant letter right before a piece that starts
    with a lower-case vowel is the same syllable (no Vietnamese word is one consonant)."""
    out: list[Word] = []
    for w in words:
        prev = out[-1] if out else None
        if (
            prev is not None
            and len(prev.text) == 1
            and prev.text.lower() in _CONSONANTS
            and w.text[:1].islower()
            and _starts_with_vowel(w.text)
            and abs(w.yc - prev.yc) < 0.5 * (w.bottom - w.top)
            and -1.0 <= w.x0 - prev.x1 < 0.6 * (w.bottom - w.top)
        ):
            out[-1] = Word(prev.text + w.text, prev.x0, min(prev.top, w.top), w.x1, max(prev.bottom, w.bottom),
                           prev.first_char_width, w.last_char_width)
        else:
            out.append(w)
    return out


def without_rules(word: Word) -> list[Word]:
    """The pieces of an OCR'd word between "|" glyphs, each with its share of the box."""
    text = word.text.replace("_", "")
    if "|" not in text:
        return [replace(word, text=text)] if text else []
    per_char = (word.x1 - word.x0) / max(len(word.text), 1)
    pieces, x = [], word.x0
    for part in text.split("|"):
        if part:
            pieces.append(replace(word, text=part, x0=x, x1=x + per_char * len(part)))
        x += per_char * (len(part) + 1)
    return pieces


def group_lines(words: Iterable[Word]) -> list[Line]:
    """Group words into visual lines (top to bottom, each left to right).

    Two words are on one line when their vertical centres are within half the
    smaller word height of each other. The line's mean centre is kept as a running
    sum (added in the same order as before, so the same floats), which makes the
    grouping linear in the words of a line instead of quadratic.
    """
    lines: list[list[Word]] = []
    yc_sum = 0.0
    for w in sorted(words, key=lambda w: (w.yc, w.x0)):
        if lines:
            last = lines[-1]
            ref = last[-1]
            tol = 0.5 * min(w.bottom - w.top, ref.bottom - ref.top)
            if abs(w.yc - yc_sum / len(last)) <= tol:
                last.append(w)
                yc_sum += w.yc
                continue
        lines.append([w])
        yc_sum = w.yc
    return [Line(tuple(sorted(ws, key=lambda w: w.x0))) for ws in lines]
