"""Repair of OCR'd text against what the domain knows; the raw text is always kept beside.

Pure functions, each returning the repaired value (the caller stores the raw one too):

- `repair_item_numbers`: a column of item numbers read by OCR. Letters Tesseract puts
  for digits ("l", "|" for 1, "O" for 0, "S" for 5 ...) are digits: no item is spelt
  so. "I", "V", "X" may be Roman section labels and become digits only where the
  numbering asks for that number. A number that breaks the sequence is replaced by
  the one its neighbours call for when it has one digit more or fewer ("17" between
  6 and 8 is 7, "(0)" between (9) and (11) is (10)); "37" after 37 stays (a document
  may number twice). Letters A-H are left alone. A sign with no letter or digit ("-", "—")
  right between two numbers that leave one out (6 and 8) is that number: a digit misread.
- `repair_section_labels`: the labels of a table's section rows read by OCR: a Roman
  numeral read with the look-alikes of I ("IIL" between "II" and "IV") is the numeral the
  Roman labels around it call for; a label cell read as nothing, or as digits of look-alikes
  ("1" for "I."), is the numeral the section rows right beside it call for.
- `repair_text`: Vietnamese text. A space inside a word is removed where a piece is
  not a syllable and the joined token is one ("thự c" -> "thực"); a space put one
  letter off is moved ("hiệuq uả" -> "hiệu quả"); two syllables that form no word are
  given other tone or vowel marks when that makes more dictionary words of them and
  their neighbours than any other choice ("xuất nhập khãu" -> "xuất nhập khẩu"; "tống
  đạt", a real word, stays). A syllable that is itself one of the language is changed
  only on strong evidence: two words more ("chuyến đỗi số" -> "chuyển đổi số"), not one
  ("thì điểm", "tỉnh Lâm Đồng" of real text stay), unless the administrative text below
  takes it (a misread "đối mới sáng tạo" -> "đổi mới").
  The syllables and words are underthesea's Viet74K dictionary (shipped with the
  package, read offline), the names and phrases of the registries in data/, and the
  syllable pairs of underthesea's VLSP 2013 sentences (data/lexicon_pairs.csv): no
  text the tests score the repair on (tests/tasks/test_repair_held_out.py measures
  it on real text it was not made from). The administrative text decides where the word
  lists cannot: the syllable pairs counted from the text layers of real administrative prints
  (data/domain_pairs.csv, `build_domain_pairs`; pages no test scores) take a Tesseract slip of
  the marks above (a hook read as an acute or where there is none) back when the read pairs are
  never seen there and the mended ones are ("vụ chỉ trả" -> "chi trả", "cấp tính" -> "cấp
  tỉnh", a syllable never seen there: "đế nghiên cứu" -> "để"), and keep a syllable as read
  when it stands there beside its neighbour more often than the choice ("của năm", "bàn tỉnh"
  of real text stay); a syllable the text seldom has may have had any marks above misread: it is
  read as the pair the text has often ("thông tín" -> "thông tin"), or, when it makes no known
  pair with either neighbour, as the marks the text pairs with them far more often, a word of the
  word lists ("kiểm soát tải sản" -> "tài sản", "quốc gia vẽ" -> "về"); a pair it never has,
  neither the word lists, is read as the pair of that text its tone marks away (any tone mark,
  the dot below too) when that pair is seen often and far more often than any other such
  choice: both syllables at once ("Nghi đỉnh" -> "Nghị định"), or one when it then makes a
  known pair on its other side and made none as read ("thẩm quyên về" -> "thẩm quyền về";
  "Sổ tiền gửi", "khi nhân rộng" stay); tolerances in `DomainSettings`.
  A quarter's Roman numeral read with the look-alikes of I ("Quý 11/2025", "Quý Il/2025") is
  mended as in a deadline cell (`repair_deadline_text`); "Quý 1/2025" stays (both are written).
- `repair_date_text`: a deadline or date cell: odd slashes ("⁄"), a date cut by a narrow
  column and read with a space inside ("31/1 0/2025"), then `repair_text`.
- `repair_deadline_text`: a deadline cell mended against the deadline vocabulary, then as
  `repair_date_text`: a slash read twice ("13/7/⁄2025") or lost before the year
  ("13/72025"), marks read as a word of their own ("ˆ"), the last letter of a word cut
  off by a narrow column and read as another sign ("Thán Š 12/2025", "thườn Š xuyên"),
  a word of the vocabulary misspelt by one letter ("Nhệm vụ") or read without its marks
  before a number ("Quy II/2025", "Thang 6/2025"), and the Roman numeral of a quarter
  read with the usual look-alikes ("Quý Il", "Quý I 1", "Quý 11", "Quý lV").
- `repair_doc_number`: a document number whose type code is not known is mended by
  the usual OCR slips (a doubled letter "TTTr" -> "TTr", 0/O, 1/l/I, D/Đ) only when
  the mended code is in data/doc_type_codes.csv.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from extractors.letters import nfc, toneless
from extractors.lookalikes import as_digits
from normalizers.agencies import NOTE_MARKERS

from .text import one_edit_apart, underthesea_file

DATA = Path(__file__).parent / "data"

# --------------------------------------------------------------------------- item numbers

_NUMBER = re.compile(r"^(\d{1,3})\.?$")
_SUB = re.compile(r"^\((\d{1,2})\)$")
_ROMAN = re.compile(r"^(?=[IVX])X{0,3}(IX|IV|V?I{0,3})\.?$")
_LETTER = re.compile(r"^[A-H]\.?$")


ROMANS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI",
          "XVII", "XVIII", "XIX", "XX")  # the Roman numerals a table's sections are labelled with


def repair_section_labels(labels: Sequence[str | None]) -> list[str | None]:
    """The labels of a table's section rows, top to bottom, with a Roman numeral read with the
    look-alikes of I ("IIL", "Il", "1I", "|V") mended where the Roman labels around it call
    for that numeral: the one after the nearest Roman label above, or the one before the
    nearest Roman label below (other labels, letters of parts, digits of sub-sections,
    are passed over). A label that is a numeral already, or all digits ("1": a sub-section's
    number), or None (a row with no label cell) stays; then a label cell read as nothing ("")
    or as look-alike digits takes the numeral the rows right beside it fix (`_lost_labels`)."""
    out = list(labels)
    for k, raw in enumerate(labels):
        if not raw or raw in ROMANS or raw.isdigit():
            continue
        mended = raw.translate(_ROMAN_LOOKALIKES)
        if mended not in ROMANS:
            continue
        above = next((x for x in reversed(out[:k]) if x in ROMANS), None)
        below = next((x for x in labels[k + 1:] if x in ROMANS), None)
        calls = {ROMANS[ROMANS.index(above) + 1] if above and above != ROMANS[-1] else None,
                 ROMANS[ROMANS.index(below) - 1] if below and below != ROMANS[0] else None}
        if mended in calls:
            out[k] = mended
    return _lost_labels(out)


def _lost_labels(labels: list[str | None]) -> list[str | None]:
    """A label cell read as nothing ("") or as digits that are look-alikes of a Roman numeral
    ("1", "11") takes the numeral the section rows right beside it call for: the one after the
    Roman label of the row above and the one before the Roman label of the row below. Both
    neighbours, where the row has them, must be Roman and call for the same numeral; so a lost
    label is mended only where the sequence fixes it ("" before "II" is "I", "" between "II" and
    "IV" is "III", "" after "II" as the last section row is "III"), and a "1" that numbers a
    sub-section ("I", "1", "2", "II") stays, and so do two lost labels side by side."""
    out = list(labels)
    for k, label in enumerate(labels):
        if label is None or not (label == "" or (label.isdigit() and label.translate(_ROMAN_LOOKALIKES) in ROMANS)):
            continue
        above = out[k - 1] if k > 0 else None
        below = labels[k + 1] if k + 1 < len(labels) else None
        if (k > 0 and above not in ROMANS) or (below is not None and below not in ROMANS):
            continue  # a neighbour of another style, or lost too: the sequence does not fix it
        calls = set()
        if above is not None:
            calls.add(ROMANS[ROMANS.index(above) + 1] if above != ROMANS[-1] else None)
        if below is not None:
            calls.add(ROMANS[ROMANS.index(below) - 1] if below != ROMANS[0] else None)
        if len(calls) == 1 and None not in calls and (label == "" or label.translate(_ROMAN_LOOKALIKES) in calls):
            out[k] = calls.pop()
    return out


def _as_number(token: str) -> int | None:
    m = _NUMBER.match(token)
    return int(m.group(1)) if m else None


def _digitised(token: str) -> str:
    """The token with look-alike letters read as digits ('l2' -> '12'); '' if it is not then a number."""
    body = token.rstrip(".")
    out = as_digits(body)
    return out if out.isdigit() and len(out) <= 3 else ""


def _neighbours(out: list[str], k: int, number) -> tuple[int | None, int | None]:
    """The numbers before and after row k in the same numbering (items, or sub-items)."""
    prev = next((number(out[j]) for j in range(k - 1, -1, -1) if number(out[j]) is not None), None)
    nxt = next((number(out[j]) for j in range(k + 1, len(out)) if number(out[j]) is not None), None)
    return prev, nxt


def _between(out: list[str], k: int, number) -> bool:
    """Row k stands right between two numbered rows whose numbers leave one out for it (6 and 8)."""
    if not 0 < k < len(out) - 1:
        return False
    before, after = number(out[k - 1]), number(out[k + 1])
    return before is not None and after == before + 2


def _sub_number(token: str) -> int | None:
    m = _SUB.match(token)
    return int(m.group(1)) if m else None


def _dropped_or_added(got: int, want: int) -> bool:
    """One digit more or fewer: a rule read as "1" ("17" for 7), or a digit lost ("(0)" for (10))."""
    a, b = str(got), str(want)
    return len(a) != len(b) and one_edit_apart(a, b)


def repair_item_numbers(items: Sequence[str]) -> list[str]:
    """The item-number column of a table, top to bottom, mended (see module docstring).

    An empty string is a row without a number (a continuation or a section row) and
    stays empty; the numbering may restart (per section) at 1. Items and sub-items
    "(k)" are two numberings.
    """
    out = [t.strip() for t in items]
    item_number = lambda t: _as_number(_digitised(t) or t)  # noqa: E731
    for k, raw in enumerate(out):
        if not raw or _LETTER.match(raw):
            continue
        sub = _sub_number(raw)
        if sub is not None:
            prev, nxt = _neighbours(out, k, _sub_number)
            if prev is not None and nxt == prev + 2 and sub != prev + 1 and _dropped_or_added(sub, prev + 1):
                out[k] = f"({prev + 1})"
            continue
        prev, nxt = _neighbours(out, k, item_number)
        want = prev + 1 if prev is not None else (nxt - 1 if nxt is not None else None)
        number = _as_number(raw)
        if number is not None:
            if prev is not None and nxt == prev + 2 and number != want and _dropped_or_added(number, want):
                out[k] = str(want)
            continue
        mended = _digitised(raw)
        if not mended:
            if _between(out, k, item_number) and not any(ch.isalnum() for ch in raw):
                out[k] = str(want)  # a digit read as a sign ("7" as "-") between 6 and 8
            continue
        if _ROMAN.match(raw):  # "I" is a section label unless the numbering asks for 1 here
            if want is not None and int(mended) == want:
                out[k] = mended
        else:  # "l", "S", "1O": no item is spelt so, it is a number misread
            out[k] = str(int(mended))
    return out


# --------------------------------------------------------------------------- Vietnamese words


def _base(syllable: str) -> str:
    """The letters without tone or vowel marks (đ stays distinct from d)."""
    out = []
    for ch in unicodedata.normalize("NFD", syllable):
        if unicodedata.category(ch) != "Mn":
            out.append(ch)
    return "".join(out)


_LETTERS = re.compile(r"^[^\W\d_]+$")


# The registries whose names and phrases are words of the domain (table, column).
_REGISTRY_WORDS = (
    ("agencies.csv", "name"), ("agency_aliases.csv", "name"), ("task_abbreviations.csv", "expansion"),
    ("status_phrases.csv", "phrase"),
)
LEXICON_PAIRS = DATA / "lexicon_pairs.csv"
DOMAIN_PAIRS = DATA / "domain_pairs.csv"
# The real administrative prints the domain pairs are counted from (`build_domain_pairs`): (file
# under the shared realworld folder, first page, last page or None). The first two pages of every
# print are the held-out text of tests/tasks/test_repair_held_out.py; the pages a test has a
# hand-made truth of (bc329's Phụ lục pp. 25-35 and all of cv12094: vn-lamdong/*.expected.json),
# the scan ttr409 and every generated test document (made from the seeds' truth files) are
# not read.
DOMAIN_SOURCES = (
    ("vn-congbao/congbao-1565-1566-2025-tt99-phuluc2.pdf", 3, None),
    ("vn-congbao/congbao-1575-1576-2025-tt99-phuluc3.pdf", 3, None),
    ("vn-congbao/luat-thue-tncn-109-2025-QH15.pdf", 3, None),
    ("vn-lamdong/cv2775-snv-phuluc1.pdf", 3, None),
    ("vn-lamdong/qd1187-bnv-bang2.pdf", 3, None),
    ("vn-lamdong/bc329-ubnd-cchc-2025.pdf", 3, 24),
)


def _phrases(text: str) -> list[list[str]]:
    """The runs of letter syllables of a text, lower case NFC, broken at punctuation and numbers."""
    return [p.split() for p in re.split(r"[^\w\s]|[\d_]", nfc(text.lower())) if p.split()]


@lru_cache(maxsize=1)
def _lexicon() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(syllables, two-syllable words of the word lists, syllable pairs of the sentences)."""
    words: set[str] = set()
    path = underthesea_file("corpus", "data", "Viet74K.txt")  # read without importing underthesea (0.3 s)
    try:
        if path is None:
            raise FileNotFoundError("underthesea")
        text = path.read_text(encoding="utf-8")
        words.update(nfc(line.strip().lower()) for line in text.splitlines() if line.strip())
    except FileNotFoundError:  # underthesea is a dependency; without it, the registries only
        pass
    for name, column in _REGISTRY_WORDS:
        with open(DATA / name, encoding="utf-8", newline="") as f:
            words.update(" ".join(p) for row in csv.DictReader(f) for p in _phrases(row[column]))
    words.update(NOTE_MARKERS)  # the notes of a lead cell the agency reader knows ("chuyển sang")
    # no Vietnamese syllable is a lone consonant: Viet74K lists the letters of the alphabet
    syllables = {s for w in words for s in w.split() if _LETTERS.match(s) and (len(s) > 1 or _base(s) in "aeiouy")}
    word_pairs = set()
    for w in words:
        parts = w.split()
        word_pairs.update(f"{a} {b}" for a, b in zip(parts, parts[1:]))
    with open(LEXICON_PAIRS, encoding="utf-8", newline="") as f:
        seen = {nfc(row["pair"]) for row in csv.DictReader(f)}
    return frozenset(syllables), frozenset(word_pairs), frozenset(seen)


@lru_cache(maxsize=1)
def domain_pairs() -> dict[str, int]:
    """{"a b": n}: how often two letter syllables follow each other in the real administrative
    text of data/domain_pairs.csv (see `build_domain_pairs`); lower case NFC."""
    with open(DOMAIN_PAIRS, encoding="utf-8", newline="") as f:
        return {nfc(row["pair"]): int(row["count"]) for row in csv.DictReader(f)}


@lru_cache(maxsize=1)
def dictionary() -> tuple[frozenset[str], frozenset[str]]:
    """(syllables, two-syllable words), lower case NFC: underthesea's Viet74K word list (shipped
    with the package, read offline), the names and phrases of the registries in data/ (agencies,
    aliases, abbreviations' expansions, status phrases), the notes the agency reader knows
    (`agencies.NOTE_MARKERS`); the two-syllable words also the syllable pairs of
    data/lexicon_pairs.csv (two syllables that follow each other in underthesea's VLSP 2013
    sentences, see `build_lexicon_pairs`). No text a test scores the repair on is among them."""
    syllables, word_pairs, seen = _lexicon()
    return syllables, word_pairs | seen


_TOKEN = re.compile(r"^([\"'“(\[]*)(.*?)([\"'”)\].,;:!?]*)$")


def _split(token: str) -> tuple[str, str, str]:
    m = _TOKEN.match(token)
    return (m.group(1), m.group(2), m.group(3)) if m else ("", token, "")


def is_syllable(word: str) -> bool:
    """A Vietnamese syllable of the dictionary (any case), or not letters at all (a number, a code)."""
    if not _LETTERS.match(word):
        return True
    return nfc(word.lower()) in dictionary()[0]


def _recase(like: str, word: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _checkable(core: str) -> bool:
    """Lower-case or capitalised letters: acronyms (KHCN, CSDL) and codes are left alone."""
    return bool(_LETTERS.match(core)) and not (core.isupper() and len(core) > 1)


def _join_pieces(tokens: list[str]) -> list[str]:
    """'thự c' -> 'thực', 'hiệuq uả' -> 'hiệu quả' (see module docstring)."""
    out: list[str] = []
    k = 0
    while k < len(tokens):
        tok = tokens[k]
        if k + 1 < len(tokens):
            nxt = tokens[k + 1]
            a_pre, a, a_post = _split(tok)
            b_pre, b, b_post = _split(nxt)
            if not a_post and not b_pre and _checkable(a) and _checkable(b.lower() if b[:1].isupper() else b):
                a_ok, b_ok = is_syllable(a), is_syllable(b)
                if not (a_ok and b_ok) and is_syllable(a + b):
                    out.append(a_pre + a + b + b_post)
                    k += 2
                    continue
                if not (a_ok and b_ok):
                    moved = _move_boundary(a, b)
                    if moved:
                        out += [a_pre + moved[0], moved[1] + b_post]
                        k += 2
                        continue
        out.append(tok)
        k += 1
    return out


def _move_boundary(a: str, b: str) -> tuple[str, str] | None:
    """The space moved by one letter when that makes two syllables of two non-syllables."""
    options = []
    if len(a) > 1 and is_syllable(a[:-1]) and is_syllable(a[-1] + b):
        options.append((a[:-1], a[-1] + b))
    if len(b) > 1 and is_syllable(a + b[0]) and is_syllable(b[1:]):
        options.append((a + b[0], b[1:]))
    return options[0] if len(options) == 1 else None


_ABOVE = frozenset("\u0300\u0301\u0303\u0309\u0302\u0306")  # marks above: huyền, sắc, ngã, hỏi, ^, breve


def _below(syllable: str) -> str:
    """The letters with the marks below and the horn (ơ, ư), without the marks above the
    letters: the small marks OCR misreads ("đối" for "đổi", "khãu" for "khẩu")."""
    return nfc("".join(ch for ch in unicodedata.normalize("NFD", syllable) if ch not in _ABOVE))


def _above(syllable: str) -> frozenset[str]:
    return frozenset(ch for ch in unicodedata.normalize("NFD", syllable) if ch in _ABOVE)


@lru_cache(maxsize=1)
def _by_below() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for s in dictionary()[0]:
        out.setdefault(_below(s), []).append(s)
    return {k: tuple(sorted(v)) for k, v in out.items()}


def _remarked(syllable: str) -> tuple[str, ...]:
    """The syllable and the dictionary's syllables OCR reads as it when it misreads the marks
    above the letters; the same marks on another vowel ("hóa", "hoá") is the same syllable."""
    own = _above(syllable)
    return (syllable, *(x for x in _by_below().get(_below(syllable), ()) if _above(x) != own))


def _mend_pairs(tokens: list[str]) -> list[str]:
    """Two syllables that make no word given other marks above their letters (tone marks,
    circumflex, breve: the dot below, the horn and đ are kept) when exactly one such choice
    makes more dictionary words of the two and their neighbours (two more when a syllable of
    the language is changed; a tie goes to the choice the word lists know, not the pairs the
    VLSP sentences saw); no word runs across punctuation. Twice over (a syllable mended makes
    a word with the next one)."""
    out = list(tokens)
    for _ in range(2):
        out = _mend_pass(out)
    return out


@dataclass(frozen=True)
class DomainSettings:
    """How much the administrative text (data/domain_pairs.csv, `build_domain_pairs`) must say
    before a syllable read as one of the language is given other marks, or kept as read."""

    min_pair: int = 2  # times the variant's pair with a neighbour is seen, the read one never
    min_odds: float = 3.0  # how many times likelier the chosen pairs are than the read ones (counts + 1)
    min_odds_alone: float = 30.0  # the odds for a hook dropped that makes a word with one neighbour only
    min_syllable: int = 5  # times a syllable is seen for an unseen one to be read as it
    min_syllable_alone: int = 100  # the same when it makes no known pair with a neighbour either
    min_known: int = 20  # times a pair is seen for an unseen one a slip away to be read as it
    min_keep: int = 3  # times a read pair is seen (more than the chosen one) for it to stand
    min_tones: int = 8  # times a pair is seen for an unseen one its tone marks away to be read as it
    min_tones_odds: float = 4.0  # how many times more often than any other such pair (counts + 1)
    min_read_as: int = 3  # times the pairs of a non-syllable's chosen reading are seen with its neighbours
    min_read_as_odds: float = 4.0  # how many times more often than those of any other reading (counts + 1)
    max_seldom: int = 20  # times at most a syllable is seen for any other marks above it to be a slip
    min_stranded: int = 3  # times a stranded syllable's chosen pairs with its neighbours are seen
    min_stranded_odds: float = 4.0  # how many times more often than those of any other marks (counts + 1)
    min_stranded_ratio: float = 5.0  # how many times more often the chosen syllable is seen (read's + 1)


DOMAIN = DomainSettings()
_HOOK, _ACUTE = "\u0309", "\u0301"


def _slip(read: str, other: str) -> bool:
    """`other` is what Tesseract misreads as `read` by its slips of the marks above: a hook read
    as an acute ("đối" for "đổi", "tính" for "tỉnh"), a hook read where there is none ("chỉ" for
    "chi")."""
    r, o = _above(read), _above(other)
    return _hook_read_acute(read, other) or (r - o == {_HOOK} and not o - r)


@lru_cache(maxsize=1)
def domain_syllables() -> dict[str, int]:
    """{syllable: n}: how often a syllable stands in the pairs of data/domain_pairs.csv."""
    out: dict[str, int] = {}
    for pair, n in domain_pairs().items():
        for s in pair.split():
            out[s] = out.get(s, 0) + n
    return out


def _domain_says(read: list[str | None], chosen: list[str | None], changed: list[int], pairs,
                 s: DomainSettings = DOMAIN) -> bool:
    """The administrative text takes the chosen syllables over the read ones: `read` and `chosen`
    are the pairs (left, x), (x, y), (y, right) (None where there is no neighbour), `changed`
    the positions (0: x, 1: y) given other marks. Each is a Tesseract slip (`_slip`); over the
    sides of the changed syllables the chosen pairs are `s.min_odds` times likelier than the read
    ones (each count + 1: "vụ chỉ trả" 2, 0 -> "vụ chi trả" 1, 6), and on one side the read pair
    is never seen and the chosen one at least `s.min_pair` times. A hook dropped ("chỉ" -> "chi")
    must make a word with every neighbour it has, unless the odds are `s.min_odds_alone` or more
    ("kế hoạch chỉ tiết" -> "chi tiết")."""
    domain = domain_pairs()
    sides = [i for i in dict.fromkeys(j for c in changed for j in (c, c + 1)) if chosen[i]]
    seen = [(domain.get(read[i] or "", 0), domain.get(chosen[i], 0)) for i in sides]
    odds = 1.0
    for r, c in seen:
        odds *= (c + 1) / (r + 1)
    if not seen or odds < s.min_odds or not any(r == 0 and c >= s.min_pair for r, c in seen):
        return False
    for c in changed:
        was, now = read[1].split()[c], chosen[1].split()[c]
        if not _slip(was, now):
            return False
        if not _above(now) - _above(was):  # a hook dropped
            if odds < s.min_odds_alone and not all(w in pairs or w in domain for w in chosen[c:c + 2] if w):
                return False
    return True


def _domain_keeps(read: list[str | None], chosen: list[str | None], changed: list[int],
                  s: DomainSettings = DOMAIN) -> bool:
    """The administrative text takes the syllables as read: on a side of a changed syllable
    (`read`, `chosen`, `changed` as in `_domain_says`) the read pair is seen there `s.min_keep`
    times or more, and more often than the chosen one ("của năm", "bàn tỉnh" of real text stay)."""
    domain = domain_pairs()
    sides = dict.fromkeys(j for c in changed for j in (c, c + 1))
    counts = [(domain.get(read[i] or "", 0), domain.get(chosen[i] or "", 0)) for i in sides]
    return any(r >= s.min_keep and r > c for r, c in counts)


def _run_on(tokens: Sequence[str], k: int) -> tuple[str | None, str | None]:
    """The words token k runs on to, lowercased: the one before and the one after it, each None
    past the ends or where punctuation stands between."""
    pre, _, post = _split(tokens[k])
    left = right = None
    if k > 0 and not pre:
        _, word, end = _split(tokens[k - 1])
        left = word.lower() if word and not end else None
    if k + 1 < len(tokens) and not post:
        start, word, _ = _split(tokens[k + 1])
        right = word.lower() if word and not start else None
    return left, right


def _pairs(tokens: list[str]):
    """(k, a, b) for each two syllables a, b of tokens k and k + 1 that can be checked, no
    punctuation between them; read as the loop goes (a mend of the pair before is seen)."""
    for k in range(len(tokens) - 1):
        _, a, a_post = _split(tokens[k])
        b_pre, b, _ = _split(tokens[k + 1])
        if not (a_post or b_pre) and _checkable(a) and _checkable(b):
            yield k, a, b


def _mend_pass(tokens: list[str]) -> list[str]:
    syllables, pairs = dictionary()
    strong = _lexicon()[1]
    domain = domain_pairs()
    out = list(tokens)
    for k, a, b in _pairs(out):
        la, lb = a.lower(), b.lower()
        if f"{la} {lb}" in pairs:
            continue
        found = [(x, y) for x in _remarked(la) for y in _remarked(lb) if f"{x} {y}" in pairs]
        if not found:
            continue
        left, right = _run_on(out, k)[0], _run_on(out, k + 1)[1]

        def around(x: str, y: str) -> list[str | None]:
            return [f"{p} {q}" if p and q else None for p, q in ((left, x), (x, y), (y, right))]

        def covered(x: str, y: str) -> tuple[int, int]:  # dictionary pairs around and across the two
            words = [w for w in around(x, y) if w]
            return sum(w in pairs for w in words), sum(w in strong for w in words)

        def seen(x: str, y: str) -> int:  # how often the administrative text has the pairs
            return sum(domain.get(w, 0) for w in around(x, y) if w)

        def domain_says(x: str, y: str) -> bool:
            changed = [i for i, (r, c) in enumerate(((la, x), (lb, y))) if r != c]
            return _domain_says(around(la, lb), around(x, y), changed, pairs)

        base = covered(la, lb)
        scored = sorted(((covered(x, y), x, y) for x, y in found), reverse=True)
        score, x, y = scored[0]
        if len(scored) > 1 and scored[1][0] == score:
            # a tie of words goes to the word lists' word, or to the administrative text's
            tied = sorted(((seen(x2, y2), x2, y2) for s2, x2, y2 in scored if s2 == score), reverse=True)
            if tied[0][0] == tied[1][0] or not domain_says(tied[0][1], tied[0][2]):
                continue
            _, x, y = tied[0]
        # a syllable that is itself a word of the language is traded only on strong evidence:
        # two words more, not one ("thì điểm" stays, though "thí điểm" is a word), or one more
        # that the administrative text takes (`_domain_says`), no word of the read ones lost
        valid_changed = (x != la and la in syllables) or (y != lb and lb in syllables)
        if score[0] < base[0] + 1 + valid_changed:
            kept = all(not (u and u in pairs) or v in pairs for u, v in zip(around(la, lb), around(x, y)))
            if not (valid_changed and score[0] == base[0] + 1 and kept and domain_says(x, y)):
                continue
        changed = [i for i, (r, c) in enumerate(((la, x), (lb, y))) if r != c]
        if _domain_keeps(around(la, lb), around(x, y), changed):
            continue
        out[k] = out[k].replace(a, _recase(a, x), 1)
        out[k + 1] = out[k + 1].replace(b, _recase(b, y), 1)
    return out


def _mend_unseen(tokens: list[str], s: DomainSettings = DOMAIN) -> list[str]:
    """A syllable of the language the administrative text never has, read where the one a
    Tesseract slip makes it of (`_slip`, marks added: "thấm" for "thẩm", "tống" for "tổng", "đế"
    for "để") is seen there `s.min_syllable` times or more, is that one when it makes no word
    with its neighbours as read and the other makes one with a neighbour, or is seen
    `s.min_syllable_alone` times or more ("Giấy chuyến tuyến" -> "chuyển")."""
    syllables, pairs = dictionary()
    domain, common = domain_pairs(), domain_syllables()
    out = list(tokens)
    for k, tok in enumerate(out):
        pre, core, post = _split(tok)
        if not _checkable(core):
            continue
        r = core.lower()
        if common.get(r, 0) or r not in syllables:
            continue
        options = [x for x in _remarked(r)
                   if x != r and _slip(r, x) and _above(x) - _above(r) and common.get(x, 0) >= s.min_syllable]
        if len(options) != 1:
            continue
        x = options[0]
        left, right = _run_on(out, k)
        known = lambda w: w in pairs or w in domain  # noqa: E731
        if any(known(p) for p in _pairs_with(left, r, right)):
            continue
        if not (common[x] >= s.min_syllable_alone or any(known(p) for p in _pairs_with(left, x, right))):
            continue
        out[k] = tok.replace(core, _recase(core, x), 1)
    return out


_D_SWAP = str.maketrans("dđDĐ", "đdĐD")
_VIETNAMESE_MARKS = _ABOVE | {"\u0323", "\u031b"}  # and the dot below, the horn


def _without_foreign_marks(token: str) -> str:
    """The token without the marks no Vietnamese letter carries ("rö" -> "ro", "Tö" -> "To"):
    Tesseract's reading of a mark it could not make out."""
    return nfc("".join(ch for ch in unicodedata.normalize("NFD", token)
                       if unicodedata.category(ch) != "Mn" or ch in _VIETNAMESE_MARKS))


def _readings(read: str) -> set[str]:
    """The syllables of the dictionary a token that is none may have been printed as: other marks
    above its letters (`_remarked`), its "đ" read as "d" or the other way round, one of two
    vowels of the same letter read for one ("dừữ", "tõố": Tesseract reads a mark twice), and a
    mark no Vietnamese letter carries taken off first ("Tö" -> "Tổ")."""
    syllables = dictionary()[0]
    forms = {read, read.translate(_D_SWAP), _without_foreign_marks(read)}
    base = [(i, ch) for i, ch in enumerate(read) if _base(ch) in "aeiouy"]
    for (i, a), (j, b) in zip(base, base[1:]):
        if j == i + 1 and _base(a) == _base(b):
            forms |= {read[:i] + read[i + 1:], read[:j] + read[j + 1:]}
    out = {x for f in forms for x in _remarked(f) if x in syllables}
    out.discard(read)
    return out


def _mend_nonsyllables(tokens: list[str], s: DomainSettings = DOMAIN) -> list[str]:
    """A token of letters that is no syllable of the language ("bãng", "đữ", "sõ", "dừữ") is the
    reading of it (`_readings`) the administrative text pairs with its neighbours: seen with them
    `s.min_read_as` times or more in all, and `s.min_read_as_odds` times as often as any other
    reading ("doanh nghiệp bãng tài khoản" -> "bằng", "chia sẻ đữ liệu" -> "dữ"). Left as read
    when the text does not decide (a name, a foreign word)."""
    syllables, pairs = dictionary()
    domain = domain_pairs()
    out = list(tokens)
    for k, tok in enumerate(out):
        _, core, _ = _split(tok)
        if not _checkable(core) or (r := core.lower()) in syllables:
            continue
        options = _readings(r)
        if not options:
            continue
        left, right = _run_on(out, k)

        def seen(x: str) -> int:
            return sum(domain.get(w, 0) + (w in pairs) for w in (left and f"{left} {x}", right and f"{x} {right}") if w)

        ranked = sorted(((seen(x), x) for x in options), reverse=True)
        best, x = ranked[0]
        if best < s.min_read_as or (len(ranked) > 1 and best + 1 < s.min_read_as_odds * (ranked[1][0] + 1)):
            continue
        out[k] = tok.replace(core, _recase(core, x), 1)
    return out


def _hook_read_acute(read: str, other: str) -> bool:
    """`other` has a hook where `read` has an acute, its other marks the same."""
    r, o = _above(read), _above(other)
    return r - o == {_ACUTE} and o - r == {_HOOK}


def _mend_slips_to_words(tokens: list[str]) -> list[str]:
    """Two syllables that neither the word lists nor the administrative text have side by side,
    where exactly one hook read as an acute (Tesseract's most frequent slip of the marks on a poor
    scan) in one of them makes a word of the word lists ("phố cập" -> "phổ cập", "cấm nang" ->
    "cẩm nang"), are that word, unless the changed syllable as read makes a known pair with its
    other neighbour that the word would not, or the administrative text has the syllable as read
    more often than the word's ("học tập số" stays, though "tập sổ" is a word). A hook read where
    there is none is not mended so: "Cổng", "chỉ" of real text stand beside words they make none
    with."""
    _, pairs = dictionary()
    strong, domain, common = _lexicon()[1], domain_pairs(), domain_syllables()
    known = lambda w: w in pairs or domain.get(w, 0) > 0  # noqa: E731
    out = list(tokens)
    for k, a, b in _pairs(out):
        la, lb = a.lower(), b.lower()
        if known(f"{la} {lb}"):
            continue
        options = [(x, lb) for x in _remarked(la) if _hook_read_acute(la, x) and f"{x} {lb}" in strong
                   and common.get(x, 0) >= common.get(la, 0)]
        options += [(la, y) for y in _remarked(lb) if _hook_read_acute(lb, y) and f"{la} {y}" in strong
                    and common.get(y, 0) >= common.get(lb, 0)]
        if len(options) != 1:
            continue
        (x, y), (left, right) = options[0], (_run_on(out, k)[0], _run_on(out, k + 1)[1])
        if x != la and left and known(f"{left} {la}") and not known(f"{left} {x}"):
            continue
        if y != lb and right and known(f"{lb} {right}") and not known(f"{y} {right}"):
            continue
        out[k] = out[k].replace(a, _recase(a, x), 1)
        out[k + 1] = out[k + 1].replace(b, _recase(b, y), 1)
    return out


def _mend_known(tokens: list[str], s: DomainSettings = DOMAIN) -> list[str]:
    """Two syllables the administrative text never has side by side, one of them given the
    marks a Tesseract slip takes from it (`_slip`), or any other marks above its letters when
    the text has it as read `s.max_seldom` times or fewer, when the text has that pair
    `s.min_known` times or more and no other such choice ("cấp tính" -> "cấp tỉnh", "thông tín"
    -> "thông tin"; "Sổ tiền", "cả nước" of real text stay: the text has "sổ", "cả" often)."""
    domain, common = domain_pairs(), domain_syllables()
    out = list(tokens)
    for k, a, b in _pairs(out):
        la, lb = a.lower(), b.lower()
        if domain.get(f"{la} {lb}", 0):
            continue
        seldom = lambda r, x: _slip(r, x) or common.get(r, 0) <= s.max_seldom  # noqa: E731
        options = [(x, lb) for x in _remarked(la) if x != la and seldom(la, x)]
        options += [(la, y) for y in _remarked(lb) if y != lb and seldom(lb, y)]
        options = [(x, y) for x, y in options if domain.get(f"{x} {y}", 0) >= s.min_known]
        if len(options) != 1:
            continue
        x, y = options[0]
        # the changed syllable with its other neighbour: the text must not hold the read pair more
        left, right = _run_on(out, k)[0], _run_on(out, k + 1)[1]
        if x != la and left and domain.get(f"{left} {la}", 0) > domain.get(f"{left} {x}", 0):
            continue
        if y != lb and right and domain.get(f"{lb} {right}", 0) > domain.get(f"{y} {right}", 0):
            continue
        out[k] = out[k].replace(a, _recase(a, x), 1)
        out[k + 1] = out[k + 1].replace(b, _recase(b, y), 1)
    return out


@lru_cache(maxsize=1)
def _by_toneless() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for s in domain_syllables():
        if _LETTERS.match(s):
            out.setdefault(toneless(s), []).append(s)
    return {k: tuple(sorted(v)) for k, v in out.items()}


def _retoned(syllable: str) -> tuple[str, ...]:
    """The syllable and the syllables of the administrative text that differ from it by their
    tone mark alone ("nghi", "nghị", "nghỉ"; "đỉnh", "định")."""
    return (syllable, *(x for x in _by_toneless().get(toneless(syllable), ()) if x != syllable))


def _mend_tones(tokens: list[str], s: DomainSettings = DOMAIN) -> list[str]:
    """Two syllables neither the word lists nor the administrative text have side by side, read
    as the pair of that text their tone marks away (any of the five, the dot below too, which
    `_slip` leaves out) when the text has it `s.min_tones` times or more and `s.min_tones_odds`
    times as often as any other such pair: both syllables at once ("Nghi đỉnh" -> "Nghị định"),
    or one when it then makes a known pair on its other side and made none as read ("thẩm
    quyên về" -> "thẩm quyền về"). Neither changed syllable may lose a known pair with its other
    neighbour, nor stand beside it in the text less often than as read."""
    _, pairs = dictionary()
    domain = domain_pairs()
    out = list(tokens)
    for k, a, b in _pairs(out):
        la, lb = a.lower(), b.lower()
        if f"{la} {lb}" in pairs or domain.get(f"{la} {lb}", 0):
            continue
        options = sorted(((domain.get(f"{x} {y}", 0), x, y) for x in _retoned(la) for y in _retoned(lb)
                          if (x, y) != (la, lb)), reverse=True)
        if not options or options[0][0] < s.min_tones:
            continue
        if len(options) > 1 and options[0][0] + 1 < s.min_tones_odds * (options[1][0] + 1):
            continue
        _, x, y = options[0]
        # a changed syllable with its other neighbour: the text must not hold the read pair more
        left, right = _run_on(out, k)[0], _run_on(out, k + 1)[1]
        # nor a word of the read ones lost with a neighbour ("đồng chí Hồ" stays)
        known = lambda w: w in pairs or domain.get(w, 0) > 0  # noqa: E731
        if left and (domain.get(f"{left} {la}", 0) > domain.get(f"{left} {x}", 0)
                     or known(f"{left} {la}") and not known(f"{left} {x}")):
            continue
        if right and (domain.get(f"{lb} {right}", 0) > domain.get(f"{y} {right}", 0)
                      or known(f"{lb} {right}") and not known(f"{y} {right}")):
            continue
        # one syllable changed: on its other side it makes a known pair, and made none as read
        # ("Sổ tiền gửi", "và Cổng TTĐT", "khi nhân rộng", "giao ban hàng" stay)
        if x == la and not (right and known(f"{y} {right}") and not known(f"{lb} {right}")):
            continue
        if y == lb and not (left and known(f"{left} {x}") and not known(f"{left} {la}")):
            continue
        out[k] = out[k].replace(a, _recase(a, x), 1)
        out[k + 1] = out[k + 1].replace(b, _recase(b, y), 1)
    return out


def _pairs_with(left: str | None, syllable: str, right: str | None) -> list[str]:
    """The pairs `syllable` makes with its neighbours (`_run_on`), the left one's first: the words
    as read, whatever they hold (OCR gives "{", "}" and "%" too)."""
    return ([f"{left} {syllable}"] if left else []) + ([f"{syllable} {right}"] if right else [])


def _mend_stranded(tokens: list[str], s: DomainSettings = DOMAIN) -> list[str]:
    """A syllable of the language the administrative text seldom has (`s.max_seldom` times or
    fewer), stranded: it makes no known pair (the word lists', or that text's) with a neighbour,
    is given the other marks above its letters (`_remarked`, any of them: the neighbours are the
    evidence, not the slip) that the text pairs with its neighbours `s.min_stranded` times or
    more in all and `s.min_stranded_odds` times as often as any other marks, when one of those
    pairs is a word of the word lists seen there `s.min_stranded` times or more and the text has
    the chosen syllable `s.min_stranded_ratio` times as often as the read one (+1): "kiểm soát
    tải sản" -> "tài sản", "quốc gia vẽ đất đai" -> "về", "giám sắt" -> "giám sát". A syllable
    the text has often ("16 Sổ tiền gửi", "đảm bảo đến này", "tư các"), a chosen pair no word
    ("vào tái sử dụng"), a chosen syllable not far commoner ("20 khoá học") stay."""
    syllables, pairs = dictionary()
    strong, domain, common = _lexicon()[1], domain_pairs(), domain_syllables()
    known = lambda w: w in pairs or domain.get(w, 0) > 0  # noqa: E731
    out = list(tokens)
    for k, tok in enumerate(out):
        _, core, _ = _split(tok)
        if not _checkable(core) or (r := core.lower()) not in syllables or common.get(r, 0) > s.max_seldom:
            continue
        left, right = _run_on(out, k)
        if not (left or right) or any(known(p) for p in _pairs_with(left, r, right)):
            continue
        ranked = sorted(((sum(domain.get(p, 0) for p in _pairs_with(left, x, right)), x) for x in _remarked(r) if x != r),
                        reverse=True)
        if not ranked or ranked[0][0] < s.min_stranded:
            continue
        if len(ranked) > 1 and ranked[0][0] + 1 < s.min_stranded_odds * (ranked[1][0] + 1):
            continue
        x = ranked[0][1]
        if common.get(x, 0) < s.min_stranded_ratio * (common.get(r, 0) + 1):
            continue
        if not any(p in strong and domain.get(p, 0) >= s.min_stranded for p in _pairs_with(left, x, right)):
            continue
        out[k] = tok.replace(core, _recase(core, x), 1)
    return out


def repair_text(raw: str) -> str:
    """OCR'd Vietnamese text mended (see module docstring); whitespace normalised."""
    tokens = nfc(raw).split()
    if not tokens:
        return ""
    tokens = _mend_nonsyllables(_join_pieces(tokens))
    text = " ".join(_mend_stranded(_mend_slips_to_words(_mend_tones(_mend_known(_mend_unseen(_mend_pairs(tokens)))))))
    return _QUARTER_NUMERAL.sub(_mend_quarter, text)  # "Quý 11/2025": no quarter is 11


# --------------------------------------------------------------------------- deadlines and dates

_SLASHES = dict.fromkeys(map(ord, "\u2044\u2215\uff0f"), "/")  # fraction slash, division slash, full-width
_DATE_CUTS = (
    re.compile(r"\b(\d{1,2}/\d)\s+(\d/\d{4})\b"),  # "31/1 0/2025": the line break inside the month
    re.compile(r"\b(\d{1,2}/\d{1,2}/\d{1,3})\s+(\d{1,3})\b"),  # "13/7/202 5": inside the year
    re.compile(r"\b(\d{1,2}/\d{1,3})\s+(\d{1,3})\b(?!/)"),  # "9/202 5"
)
_LETTERS_ON_DATE = re.compile(r"(?<=\s)([^\W\d_]{1,2})(\d{1,2}/\d{4})")  # "Thán g12/2025": the cut "g" glued


def repair_date_text(raw: str) -> str:
    """A deadline or date cell mended: odd slashes to "/", a date a narrow column cut and
    OCR left with a space inside joined again, a cut word's letters parted from the date
    they were read onto, then `repair_text`."""
    text = " " + nfc(raw).translate(_SLASHES)
    text = _LETTERS_ON_DATE.sub(r"\1 \2", text)
    for pattern in _DATE_CUTS:
        text = pattern.sub(r"\1\2", text)
    return repair_text(text)


# The words deadline cells are written with (normalizers/deadlines.py reads them).
DEADLINE_WORDS = (
    "tháng", "năm", "quý", "thường", "xuyên", "hằng", "hàng", "định", "kỳ", "nhiệm", "vụ", "thực", "hiện",
    "trước", "ngày", "đến", "hết", "hạn", "hoàn", "thành", "trong", "đầu", "cuối", "sáu", "nửa", "những",
    "các", "tiếp", "theo", "sau", "giai", "đoạn", "hoặc", "chậm", "nhất", "muộn", "kết", "thúc", "xong", "vào",
    "và", "là",
)
_SLASH_TWICE = re.compile(r"/\s*/")
_GLUED_YEAR = re.compile(r"(?<![\d/])(?P<d>\d{1,2})/(?P<m>\d{1,2})(?P<y>(?:19|20)\d{2})(?![\d/])")
_AFTER_THANG = re.compile(r"th\S*\s*$", re.IGNORECASE)
# The numeral after "Quý": I, V and their look-alikes, a space maybe inside ("I 1"); then "/", "-",
# ".", "năm", a year or the end.
_QUARTER_NUMERAL = re.compile(
    r"(?P<quy>\bQu[ýÝ]\s?)(?P<q>[IVlL1|!i](?: ?[IVlL1|!i]){0,3})(?=\s?[/\-.]|\s+(?:năm|NĂM|Năm)\b|\s+[12]\d{3}|\s*$)"
)
_ROMAN_LOOKALIKES = str.maketrans({"l": "I", "L": "I", "1": "I", "|": "I", "!": "I", "i": "I"})
_QUARTERS = {"I", "II", "III", "IV"}


def _is_marks_only(token: str) -> bool:
    """A token of marks alone ("ˆ", "´"): the accent of a cut word read on its own."""
    return all(unicodedata.category(ch) in ("Sk", "Lm", "Mn") for ch in token)


@lru_cache(maxsize=1)
def _deadline_words_by_unmarked() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for w in DEADLINE_WORDS:
        out.setdefault(_unmarked(w), []).append(w)
    return {k: tuple(v) for k, v in out.items()}


def _unmarked(word: str) -> str:
    return _base(word.lower().replace("đ", "d"))


def _edit1(a: str, b: str) -> bool:
    """One letter of b lost or changed gives a (a letter more may be a word glued on: "Inăm")."""
    return len(a) <= len(b) and one_edit_apart(a, b)


def _vocabulary_word(token: str, nxt: str | None) -> str | None:
    """The deadline word `token` stands for, or None (see `repair_deadline_text`)."""
    low = token.lower()
    if not _LETTERS.match(token) or low in DEADLINE_WORDS:
        return None
    if not is_syllable(token):
        near = [w for w in DEADLINE_WORDS if _edit1(low, w)]
        if len(near) == 1 and len(low) >= 3:
            return near[0]
    if nxt is not None and re.match(r"^[0-9IVXivx]", nxt):
        same = _deadline_words_by_unmarked().get(_unmarked(low), ())
        if len(same) == 1 and low != same[0]:
            return same[0]
    return None


def _join_deadline_words(tokens: list[str]) -> list[str]:
    """Two pieces that make a deadline word joined: "Thực h iện" -> "Thực hiện", "v à" -> "và",
    also when the joined word has one letter wrong, lost or doubled ("Xxuy ên" -> "xuyên")."""
    out: list[str] = []
    for tok in tokens:
        if out:
            a_pre, a, a_post = _split(out[-1])
            b_pre, b, b_post = _split(tok)
            joined = (a + b).lower()
            if (not a_post and not b_pre and _LETTERS.match(a) and _LETTERS.match(b)
                    and not (a.lower() in DEADLINE_WORDS or b.lower() in DEADLINE_WORDS)):
                if joined in DEADLINE_WORDS:
                    out[-1] = a_pre + a + b + b_post
                    continue
                # and with one letter wrong, lost or doubled: "Xxuy ên" -> "xuyên"
                near = [w for w in DEADLINE_WORDS if len(w) >= 4 and one_edit_apart(joined, w)]
                if len(near) == 1:
                    out[-1] = a_pre + _recase(a, near[0]) + b_post
                    continue
        out.append(tok)
    return out


def _mend_deadline_words(tokens: list[str]) -> list[str]:
    tokens = _join_deadline_words(tokens)
    out: list[str] = []
    k = 0
    while k < len(tokens):
        pre, core, post = _split(tokens[k])
        nxt = tokens[k + 1] if k + 1 < len(tokens) else None
        # a word cut before its last letter, the letter read as another sign: "Thán Š", "thườn 5"
        if (nxt is not None and len(nxt) == 1 and not post and _LETTERS.match(core) and len(core) >= 3
                and core.lower() not in DEADLINE_WORDS and k + 2 < len(tokens)):
            whole = [w for w in DEADLINE_WORDS if len(w) == len(core) + 1 and w.startswith(core.lower())]
            if len(whole) == 1:
                out.append(pre + _recase(core, whole[0]) + post)
                k += 2
                continue
        if _is_marks_only(tokens[k]):  # an accent read as a word of its own
            k += 1
            continue
        word = _vocabulary_word(core, _split(nxt)[1] if nxt else None) if core else None
        out.append(pre + _recase(core, word) + post if word else tokens[k])
        k += 1
    return out


def _mend_quarter(m: re.Match[str]) -> str:
    q = m.group("q")
    roman = q.replace(" ", "").translate(_ROMAN_LOOKALIKES)
    if q == "1" or roman not in _QUARTERS:  # "Quý 1" is the first quarter, written in Arabic
        return m.group(0)
    return m.group("quy") + roman


def _mend_glued_year(m: re.Match[str]) -> str:
    d, mo, y = int(m.group("d")), int(m.group("m")), int(m.group("y"))
    if _AFTER_THANG.search(m.string[: m.start()]) or not (1 <= d <= 31 and 1 <= mo <= 12 and 1945 <= y <= 2100):
        return m.group(0)
    return f"{m.group('d')}/{m.group('m')}/{m.group('y')}"


def repair_deadline_text(raw: str) -> str:
    """A deadline cell read by OCR mended against the deadline vocabulary (see the module
    docstring), then as `repair_date_text`. Only the forms listed there change: a text that
    is already a deadline comes back as it was (whitespace normalised)."""
    text = _SLASH_TWICE.sub("/", nfc(raw).translate(_SLASHES))
    text = repair_date_text(" ".join(_mend_deadline_words(text.split())))
    text = " ".join(_mend_deadline_words(text.split()))  # `repair_text` may re-mark one: "và Quý IV" -> "và Quy IV"
    text = _GLUED_YEAR.sub(_mend_glued_year, text)
    return _QUARTER_NUMERAL.sub(_mend_quarter, text)


# --------------------------------------------------------------------------- document numbers


@lru_cache(maxsize=1)
def _type_codes() -> frozenset[str]:
    with open(DATA / "doc_type_codes.csv", encoding="utf-8", newline="") as f:
        return frozenset(nfc(r["code"].strip()) for r in csv.DictReader(f) if r["code"].strip())


_DOC_NUMBER = re.compile(r"(?P<num>[0-9lIO]{1,5})/(?:(?P<year>[0-9lIO]{4})/)?(?P<type>[A-Za-zĐđ]{1,8})(?P<rest>-[\wĐđ-]+)")
_CODE_SLIPS = (("0", "O"), ("D", "Đ"), ("l", "I"))


def _mend_code(code: str) -> str | None:
    known = _type_codes()
    if code in known:
        return code
    candidates = set()
    for k in range(1, len(code)):  # a doubled letter: TTTr -> TTr
        if code[k] == code[k - 1]:
            candidates.add(code[:k] + code[k + 1:])
    for a, b in _CODE_SLIPS:
        candidates.add(code.replace(a, b))
    found = sorted(c for c in candidates if c in known)
    return found[0] if len(found) == 1 else None


def repair_doc_number(raw: str) -> str:
    """Document numbers inside `raw` with OCR slips mended where the type code then exists."""

    def fix(m: re.Match[str]) -> str:
        code = _mend_code(m.group("type"))
        if code is None:
            return m.group(0)
        num = as_digits(m.group("num"))
        year = m.group("year")
        year = as_digits(year) + "/" if year else ""
        return f"{num}/{year}{code}{m.group('rest')}"

    return _DOC_NUMBER.sub(fix, nfc(raw))


def build_lexicon_pairs(source: Path, out: Path = LEXICON_PAIRS) -> int:
    """Write data/lexicon_pairs.csv from the VLSP 2013 sentences underthesea ships (`source`: the
    `test_output.txt` of underthesea/pipeline/pos_tag/models/pos_crf_vlsp2013_*/, one word and its
    tags a line, a blank line between sentences): every two letter syllables that follow each other
    in a sentence, not across punctuation or numbers. Run:
    `python -m normalizers.repair .venv/lib/python3.11/site-packages/underthesea/pipeline/pos_tag/models/pos_crf_vlsp2013_20230303/test_output.txt`."""
    pairs: set[str] = set()
    for sentence in Path(source).read_text(encoding="utf-8").split("\n\n"):
        words = [line.split("\t")[0].replace("_", " ") for line in sentence.splitlines() if line.strip()]
        run: list[str] = []
        for w in [*words, ","]:
            syl = nfc(w.lower()).split()
            if syl and all(_LETTERS.match(s) for s in syl):
                run += syl
                continue
            pairs.update(f"{a} {b}" for a, b in zip(run, run[1:]))
            run = []
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["pair"])
        w.writerows([x] for x in sorted(pairs))
    return len(pairs)


def count_domain_pairs(lines) -> dict[str, int]:
    """{"a b": n}: two letter syllables that follow each other in a line, lower case NFC, not
    across punctuation or numbers (`_phrases`)."""
    counts: dict[str, int] = {}
    for line in lines:
        for run in _phrases(line):
            run = [s for s in run if _LETTERS.match(s)]
            for a, b in zip(run, run[1:]):
                counts[f"{a} {b}"] = counts.get(f"{a} {b}", 0) + 1
    return counts


def domain_lines(root: Path) -> list[str]:
    """The lines of the text layers of the pages of DOMAIN_SOURCES (under `root`, the shared
    realworld folder)."""
    from extractors.pdf import iter_pages, opened

    out: list[str] = []
    for name, first, last in DOMAIN_SOURCES:
        with opened(Path(root) / name) as pdf:
            for _, page in iter_pages(pdf, first, last):
                if isinstance(page, Exception):
                    raise page
                out += (page.extract_text() or "").splitlines()
    return out


def build_domain_pairs(root: Path, out: Path = DOMAIN_PAIRS) -> int:
    """Write data/domain_pairs.csv (pair, count) from the real administrative prints of
    DOMAIN_SOURCES under `root` (see `domain_lines`). Run:
    `python -m normalizers.repair --domain ../shared/realworld`."""
    counts = count_domain_pairs(domain_lines(root))
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["pair", "count"])
        w.writerows(sorted(counts.items()))
    return len(counts)


if __name__ == "__main__":
    import sys

    if sys.argv[1] == "--domain":
        print(build_domain_pairs(Path(sys.argv[2])), "domain pairs")
    else:
        print(build_lexicon_pairs(Path(sys.argv[1])), "pairs")
