"""Text clean-up shared by every normalizer: Unicode NFC, whitespace, accent style.

Vietnamese text reaches us in several encodings of the same letters: composed or
decomposed (NFC/NFD), and with the tone mark on different vowels ("hoá" vs "hóa").
`clean` fixes the first two and is safe to apply to any printed text; `fold` goes
further and produces a key for matching (lower case, new-style accents, no
punctuation noise) that must never be shown to users.
"""

from __future__ import annotations

import re
from functools import lru_cache

from extractors.letters import nfc

_WS = re.compile(r"\s+")
# Characters that PDFs and Word put in place of a plain space or hyphen.
_SPACE_LIKE = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u200b\ufeff"), " ")
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")


def clean(text: str | None) -> str:
    """NFC, odd spaces to plain spaces, runs of whitespace to one space, stripped."""
    if not text:
        return ""
    return _WS.sub(" ", nfc(text).translate(_SPACE_LIKE)).strip()


def unify_dashes(text: str) -> str:
    """Replace the dash variants (en dash, minus, non-breaking hyphen, ...) by '-'."""
    return text.translate(_DASHES)


_WORD = re.compile(r"\w+")


@lru_cache(maxsize=65536)
def _normalize_word(word: str) -> str:
    from underthesea import text_normalize  # heavy import, only when needed

    return nfc(text_normalize(word)).strip() or word


def new_style_accents(text: str) -> str:
    """Put tone marks where modern orthography puts them ("hoá" -> "hóa").

    Uses underthesea's offline `text_normalize` word by word: on a whole string it
    would also re-tokenise ("KH&CN," -> "KH&CN ,"), which we do not want.
    """
    return _WORD.sub(lambda m: _normalize_word(m.group()), text)


def fold(text: str | None) -> str:
    """Matching key: clean, new-style accents, lower case, dashes unified."""
    t = clean(text)
    if not t:
        return ""
    return unify_dashes(new_style_accents(t)).lower()
