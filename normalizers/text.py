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


# The ellipsis printed as one character; OCR reads it as three dots, and real prints use both.
_ELLIPSIS = {ord("\u2026"): "..."}


def canonical_ellipsis(text: str) -> str:
    """The ellipsis in one form, three full stops ("du lịch,…" -> "du lịch,..."): the form Unicode's
    compatibility decomposition (NFKC) gives "…", and the one OCR reads either form as. Applied to
    the task text of text and OCR'd rows alike, so the same printed task reads the same."""
    return text.translate(_ELLIPSIS)


def one_edit_apart(a: str, b: str) -> bool:
    """One character inserted, deleted or changed turns a into b (OCR's commonest slip of a
    code, a word or a name)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:k] + long_[k + 1:] == short for k in range(len(long_)))


def unify_dashes(text: str) -> str:
    """Replace the dash variants (en dash, minus, non-breaking hyphen, ...) by '-'."""
    return text.translate(_DASHES)


_WORD = re.compile(r"\w+")


@lru_cache(maxsize=65536)
def _normalize_word(word: str) -> str:
    plain = _accent_rules().normalize(word)
    if plain is not None:
        return plain
    from underthesea import text_normalize  # heavy import (0.3 s), only for words `_AccentRules` leaves to it

    return nfc(text_normalize(word)).strip() or word


class _AccentRules:
    """underthesea's `text_normalize` of one word that does not start with a digit, or is only
    digits, without importing underthesea (0.3-0.4 s, most of it modules of its taggers and models
    that `text_normalize` never calls): its own rule tables, read from the file its
    `text_normalizer` module reads, applied as its `token_normalize` applies them.

    Such a word is one token of underthesea's tokenizer (its `word` pattern, or its `number` one),
    except a word it splits or marks apart (one starting with "ʺ", its punctuation, or with
    "Th.S", its abbreviation pattern whose dot matches any letter): those, words that start with
    digits and go on with letters ("2025abc", "4K": its `number`, `name` or `special` patterns
    cut them), and every word when the rule file is not where underthesea keeps it, go to
    underthesea itself (`normalize` returns None).
    tests/tasks/test_text.py checks the two agree on every word of the rule tables and more."""

    RULES = ("pipeline", "text_normalize", "tn_rules_2023_07_14.bin")  # underthesea 9's text_normalizer.rule_file
    PLAIN = re.compile(r"(?!\d)\w+|\d+")
    SPLIT = re.compile(r"Th.[Ss]|ʺ")

    def __init__(self):
        import pickle

        self.characters: dict[str, str] = {}
        self.tokens: dict[str, str] | None = None
        path = underthesea_file(*self.RULES)
        if path is None:
            return
        try:
            with open(path, "rb") as f:  # the installed package's own data (a pickle, as joblib wrote it)
                rules = pickle.load(f)
            self.characters, self.tokens = dict(rules["character"]), dict(rules["token"])
        except (OSError, KeyError, TypeError, pickle.UnpicklingError, EOFError):
            self.tokens = None

    def _characters(self, text: str) -> str:
        text = nfc(text)
        for odd, standard in self.characters.items():
            text = text.replace(odd, standard)
        return text

    def _token(self, token: str) -> str:
        if len(token) > 6:
            return token
        token = self._characters(token)
        return self.tokens.get(token, token)

    def normalize(self, word: str) -> str | None:
        """`nfc(text_normalize(word)).strip() or word`, or None when underthesea must say."""
        if self.tokens is None:
            return None
        text = self._characters(word)  # the tokenizer's own clean-up
        if not self.PLAIN.fullmatch(text) or self.SPLIT.match(text):
            return None
        return nfc(self._token(self._token(text))).strip() or word  # by the tokenizer, then by text_normalize


def underthesea_file(*parts: str):
    """The path of a data file of the installed underthesea package, found without importing it
    (its package imports its taggers and models); None when underthesea is not installed."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("underthesea")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]).joinpath(*parts)


@lru_cache(maxsize=1)
def _accent_rules() -> _AccentRules:
    return _AccentRules()


def new_style_accents(text: str) -> str:
    """Put tone marks where modern orthography puts them ("hoá" -> "hóa").

    Uses underthesea's offline `text_normalize` word by word: on a whole string it
    would also re-tokenise ("KH&CN," -> "KH&CN ,"), which we do not want. Its rules are
    applied here for the words it does not split (`_AccentRules`), the rest by underthesea.
    """
    return _WORD.sub(lambda m: _normalize_word(m.group()), text)


def fold(text: str | None) -> str:
    """Matching key: clean, new-style accents, lower case, dashes unified."""
    t = clean(text)
    if not t:
        return ""
    return unify_dashes(new_style_accents(t)).lower()
