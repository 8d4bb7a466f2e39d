"""Words with boxes from a pdfplumber page, and their grouping into text lines."""

from __future__ import annotations

import unicodedata
from typing import Iterable, Sequence

from .layout import Line, Word

# pdfplumber settings for words: tight enough to keep "13/7/" and "2025" apart when a
# narrow column wrapped them, loose enough to keep a word's accented glyphs together.
WORD_SETTINGS = {"x_tolerance": 1.5, "y_tolerance": 2.5, "keep_blank_chars": False, "return_chars": True}


def page_words(page, *, ocr: bool = False) -> list[Word]:
    """Upright words of a pdfplumber page as `Word`s, text in NFC.

    With `ocr`, the vertical rules of a scanned table that Tesseract read as "|" are dropped.
    """
    words = []
    for w in page.extract_words(**WORD_SETTINGS):
        if not w.get("upright", True):
            continue
        chars = w.get("chars") or ()
        text = unicodedata.normalize("NFC", w["text"])
        if ocr:
            text = text.strip("|")
            if not text:
                continue
        first = chars[0]["width"] if chars else (w["x1"] - w["x0"]) / max(len(text), 1)
        last = chars[-1]["width"] if chars else first
        words.append(Word(text, float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"]), float(first), float(last)))
    return words


def group_lines(words: Iterable[Word]) -> list[Line]:
    """Group words into visual lines (top to bottom, each left to right).

    Two words are on one line when their vertical centres are within half the
    smaller word height of each other.
    """
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.yc, w.x0)):
        if lines:
            last = lines[-1]
            ref = last[-1]
            tol = 0.5 * min(w.bottom - w.top, ref.bottom - ref.top)
            if abs(w.yc - _mean_yc(last)) <= tol:
                last.append(w)
                continue
        lines.append([w])
    return [Line(tuple(sorted(ws, key=lambda w: w.x0))) for ws in lines]


def _mean_yc(words: Sequence[Word]) -> float:
    return sum(w.yc for w in words) / len(words)
