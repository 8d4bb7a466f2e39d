"""Vietnamese letters in Unicode, the one definition of each form every package uses.

A letter reaches us composed or decomposed (NFC/NFD) and is compared with its marks or
without them: `nfc` is the form every extracted and curated string has; `unmarked` leaves
out tone and vowel marks and writes đ as d, for matching text whose marks OCR or a typist
got wrong ("Thởi hạn", "Tiên đô"). `normalizers.text` builds its matching keys on these.
"""

from __future__ import annotations

import unicodedata


def nfc(text: str) -> str:
    """Unicode NFC form (composed letters)."""
    return unicodedata.normalize("NFC", text)


def unmarked(text: str) -> str:
    """Text without tone and vowel marks, đ as d: "thời hạn" -> "thoi han", "Đội" -> "Doi"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")  # huyền, sắc, ngã, hỏi, nặng
ACUTE, HOOK = "\u0301", "\u0309"


def toneless(syllable: str) -> str:
    """The syllable without its tone mark, the vowel marks (^, breve, horn) and đ kept:
    "Thắng" -> "Thăng", "nghị" -> "nghi"."""
    return nfc("".join(ch for ch in unicodedata.normalize("NFD", syllable) if ch not in TONES))


def tone(syllable: str) -> str | None:
    """The tone mark of the syllable (a combining character of TONES), None for the level tone."""
    return next((ch for ch in unicodedata.normalize("NFD", syllable) if ch in TONES), None)
