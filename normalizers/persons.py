"""Names of persons read by OCR (a council's members, a list of officials), mended against the
registry of Vietnamese surnames and given names (`data/person_names.csv`).

A Vietnamese full name is a surname, then middle and given names: "Nguyễn Văn Thanh", "Phạm Thị
Minh Hiếu". On a 100-dpi office scan OCR reads a mark wrong ("Hoảng" for Hoàng, "Hiêu" for
Hiếu) or a letter ("Trắr." for Trần). Surnames are a closed set and given names a large but
common one, so such a slip is mended when exactly one name of the registry is near:

- the surname (the first word): a word that is no registry surname becomes the one surname
  with the same letters, marks aside ("Hoảng" -> "Hoàng"), or, when the word is no Vietnamese
  syllable, the one surname a letter away, marks aside ("Trắr." -> "Trần");
- a middle or given name: a word that is no Vietnamese syllable becomes the one registry name
  with the same letters, marks aside ("Hiêu" -> "Hiếu"); a syllable that is no registry name
  becomes the one registry name it is with a hook read for an acute or an acute for a hook
  (Tesseract's commonest slip of the tone marks: "Tháo" -> "Thảo", "Thẳng" -> "Thắng"), when
  every other word of the name is a registry name. A syllable that is a registry name stays:
  "Tân" and "Tấn" are both names, and only the page can tell them apart.

Before that the cell is cleaned of what no name holds: what specks left at either end (signs, a
lone lower-case letter or digit: "` Nguyễn Văn Nghĩa", "Phạm Công Bình $,.", "Hoàng Bảo Huy 4",
"Đỗ Công Quang Nga`"), and names read without the spaces between them, split at the capitals
inside ("Nguyễn ThuHòa" -> "Nguyễn Thu Hòa", "LêĐứcHương" -> "Lê Đức Hương").
A mended word is the registry's (in capitals when read so), without the stops OCR put on it: a
name's words carry none. A cell is taken for a person's name only when it reads as one: two to
six capitalised words, each of them a registry name or a Vietnamese syllable but the one mended,
at least one of the others a registry name, one slip at most. Names the registry does not hold
stay as read ("Bon Yô Soan", "Giàng Seo Phử", of minority peoples).

A column holds persons' names when its header says so ("Họ và tên", "Họ tên") or when most of
its filled cells read as a name that starts with a registry surname (`is_person_column`).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from extractors.letters import ACUTE, HOOK, nfc, tone, toneless, unmarked

from .repair import is_syllable
from .text import clean, fold, one_edit_apart

REGISTRY = Path(__file__).parent / "data" / "person_names.csv"
PARTS = ("surname", "given")
_WORD = re.compile(r"^[^\W\d_]+[.,;:]*$")
_SPECK = re.compile(r"^(?:[^\w]+|[^\W\d_]?[a-zđ\d][^\w]*)$")  # signs, or one lower-case letter or digit
_TAIL = re.compile(r"[^\w.,;:]+$")  # signs a speck glued to a word's end ("Nga`")
_HEADER = re.compile(r"\bho\s*(?:va|,)?\s*ten\b")


@dataclass(frozen=True)
class PersonSettings:
    min_words: int = 2  # of a person's full name
    max_words: int = 6
    min_cells: int = 3  # filled cells a column needs before its content says it holds names
    name_share: float = 0.6  # of them that read as a name starting with a registry surname


SETTINGS = PersonSettings()


@lru_cache(maxsize=1)
def registry() -> dict[str, frozenset[str]]:
    """Names of each part ("surname", "given": middle and given names), NFC."""
    with REGISTRY.open(encoding="utf-8") as f:
        rows = [(r["part"].strip(), nfc(r["name"].strip())) for r in csv.DictReader(f)]
    unknown = {part for part, _ in rows} - set(PARTS)
    if unknown:
        raise ValueError(f"{REGISTRY.name}: unknown parts {sorted(unknown)}")
    return {part: frozenset(name for p, name in rows if p == part) for part in PARTS}


@lru_cache(maxsize=1)
def _keys() -> dict[str, frozenset[str]]:
    """The registry's names as matching keys (case, old/new accent placement aside)."""
    return {part: frozenset(fold(n) for n in names) for part, names in registry().items()}


@lru_cache(maxsize=1)
def _by_unmarked() -> dict[str, dict[str, tuple[str, ...]]]:
    out: dict[str, dict[str, list[str]]] = {part: {} for part in PARTS}
    for part, names in registry().items():
        for name in sorted(names):
            out[part].setdefault(unmarked(name).lower(), []).append(name)
    return {part: {k: tuple(v) for k, v in d.items()} for part, d in out.items()}


def _letters(word: str) -> str:
    return word.rstrip(".,;:")


def is_registry_name(word: str, part: str) -> bool:
    return fold(_letters(word)) in _keys()[part]


def _candidates(word: str, part: str) -> tuple[str, ...]:
    """Registry names of `part` the word may be read from: the same letters, marks aside;
    for a surname that is no syllable, failing those, the surnames a letter away."""
    key = unmarked(_letters(word)).lower()
    same = _by_unmarked()[part].get(key, ())
    if same or part != "surname" or is_syllable(_letters(word)):
        return same
    return tuple(n for k, names in _by_unmarked()[part].items() if one_edit_apart(key, k) for n in names)


def _tone_slip(read: str, name: str) -> bool:
    """`name` is `read` with a hook for its acute, or an acute for its hook."""
    return toneless(read).lower() == toneless(name).lower() and {tone(read), tone(name)} == {ACUTE, HOOK}


def _mend_word(word: str, part: str, others_named: bool) -> str | None:
    """The registry name `word` was read from, or None (kept as read). `others_named`: every
    other word of the name is a registry name (a syllable is mended only then)."""
    if is_registry_name(word, part):
        return None
    if part == "given" and is_syllable(_letters(word)):
        if not others_named:
            return None
        near = tuple(n for n in registry()[part] if _tone_slip(_letters(word), n))
    else:
        near = _candidates(word, part)
    return near[0] if len(near) == 1 else None


def _split_glued(word: str) -> list[str]:
    """A word read from names whose spaces were lost, split at each capital inside ("ThuHòa",
    "LêĐứcHương") when every piece is a name or a syllable; else the word."""
    cuts = [i for i in range(1, len(word)) if word[i].isupper() and word[i - 1].islower()]
    pieces = [word[a:b] for a, b in zip([0, *cuts], [*cuts, len(word)])]
    if cuts and all(_WORD.match(p) and _known(p, "given") for p in pieces):
        return pieces
    return [word]


def _cleaned(words: list[str]) -> list[str]:
    """The words without what specks left at either end (signs, a lone lower-case letter or
    digit: no word of a name is such), signs glued to the last word, and names read as one
    word split (`_split_glued`)."""
    while words and _SPECK.match(words[0]):
        words = words[1:]
    while words and _SPECK.match(words[-1]):
        words = words[:-1]
    if words:
        words = [*words[:-1], _TAIL.sub("", words[-1]) or words[-1]]
    return [piece for w in words for piece in _split_glued(w)]


def _is_word(word: str) -> bool:
    return bool(_WORD.match(word)) and word[:1].isupper()


def _known(word: str, part: str) -> bool:
    return is_registry_name(word, part) or is_syllable(_letters(word))


def reads_as_name(text: str | None, s: PersonSettings = SETTINGS) -> bool:
    """Two to six capitalised words, each a registry name or a syllable (surname aside)."""
    words = clean(text).split()
    return (s.min_words <= len(words) <= s.max_words and all(_is_word(w) for w in words)
            and all(_known(w, "given") for w in words[1:]))


def mend_person_name(text: str | None, s: PersonSettings = SETTINGS) -> str | None:
    """A person's full name read by OCR, its slips mended against the registry (see the
    module's docstring); any other text as it came."""
    if not text:
        return text
    read = clean(text).split()
    words = _cleaned(read)
    if not (s.min_words <= len(words) <= s.max_words) or not all(_is_word(w) for w in words):
        return text
    parts = ["surname"] + ["given"] * (len(words) - 1)
    named = [is_registry_name(w, p) for w, p in zip(words, parts)]
    mended = [_mend_word(w, p, all(named[:i] + named[i + 1:])) for i, (w, p) in enumerate(zip(words, parts))]
    slips = [i for i, m in enumerate(mended) if m is not None]
    if len(slips) > 1:  # one slip per name, the rest read right
        return text
    others = [i for i in range(len(words)) if i not in slips]
    if not all(_known(words[i], parts[i]) for i in others) or sum(named[i] for i in others) < (1 if slips else 2):
        return text
    for k in slips:
        words[k] = mended[k].upper() if words[k].rstrip(".,;:").isupper() and len(words[k]) > 1 else mended[k]
    return " ".join(words) if words != read or slips else text


def is_person_column(header: str | None, cells: Sequence[str | None], s: PersonSettings = SETTINGS) -> bool:
    """A column of persons' names: its header says so ("Họ và tên", "Họ tên"), or most of its
    filled cells read as a name that starts with a registry surname."""
    if _HEADER.search(unmarked(fold(header or ""))):
        return True
    filled = [clean(c) for c in cells if c and c.strip()]
    if len(filled) < s.min_cells:
        return False
    named = sum(reads_as_name(c, s) and is_registry_name(c.split()[0], "surname") for c in filled)
    return named / len(filled) >= s.name_share
