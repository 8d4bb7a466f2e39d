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
