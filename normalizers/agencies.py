"""Agency registry and matcher: which government bodies a cell of text names.

The registry is two data files in `normalizers/data/`:

- `agencies.csv`: one row per body (canonical name, short form, kind, successor and
  last day of existence for the bodies merged in 2025, parent body for units). A province
  or city is a `locality`; where its documents are read (Lâm Đồng and the provinces merged
  into it in 2025) its People's Committee is a body of its own (`local_committee`, "Ủy ban
  nhân dân tỉnh Lâm Đồng", parent: the locality, spelled "UBND tỉnh Lâm Đồng" too), and so
  are its council and departments (`local_unit`, "Sở Nội vụ tỉnh Lâm Đồng", parent: the committee;
  "Công an tỉnh Lâm Đồng", parent: Bộ Công an), those of the merged provinces with the
  same body of the new province as successor. Elsewhere "UBND tỉnh X" names the locality;
- `agency_aliases.csv`: other spellings and abbreviations, one per row.

`resolve_agencies` reads a cell such as "Bộ Tài chính: 03 dịch vụ (01 DVC BHXH chuyển
sang); Bộ Công thương: 01 dịch vụ" and returns the canonical names it names, in order,
plus the fragments it could not attribute. It works on word keys from
`normalizers.text.fold` (case, old/new accent placement, dashes) and in three steps:

1. notes about where a task came from ("(Nhiệm vụ Bộ Kế hoạch và Đầu tư chuyển sang)",
   "(nay là …)") are removed: they name no lead; "các Bộ (Tài chính, Công Thương)" is
   expanded to "Bộ Tài chính; Bộ Công Thương";
2. the text is scanned for known names and aliases, longest first, on exact word keys
   and then on keys without diacritics (OCR drops them). Names containing "," or "và"
   ("Bộ Văn hóa, Thể thao và Du lịch", "Các bộ, ngành, địa phương") are found whole;
3. what is left is split on ",", ";", ":", "(", ")", "/" and "và"; connectives, titles
   and counts ("Bộ trưởng", "chủ trì", "03 dịch vụ") are dropped; each remaining piece
   (or run of pieces) is matched fuzzily with rapidfuzz. A fuzzy match is accepted only
   when it is close for the name's length, keeps the head word ("Bộ", "Sở", "Cục"…)
   and beats every other body by a clear margin; otherwise the piece is `unmatched`.
   A leftover glued to a found name is first tried together with it ("Thủ tướn" +
   "Chính phủ"); if that names nothing, the found name is doubtful and goes to
   `unmatched` with it ("Phó Thủ tướng Chính phủ", "Công an tỉnh Bắc Ninh"): precision
   matters more than recall.

Results are cached per cell text; the keys of all names are computed once.
"""

from __future__ import annotations

import csv
import datetime
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from extractors.letters import nfc, unmarked
from normalizers.text import clean, fold

DATA_DIR = Path(__file__).parent / "data"
AGENCIES_CSV = DATA_DIR / "agencies.csv"
ALIASES_CSV = DATA_DIR / "agency_aliases.csv"


# ---------------------------------------------------------------- registry


@dataclass(frozen=True)
class Agency:
    """One body of the registry."""

    name: str
    short_name: str | None
    kind: str  # "ministry" | "government_body" | "locality" | "local_committee" | "local_unit" | "group" | "other"
    aliases: tuple[str, ...]
    successor: str | None
    valid_until: datetime.date | None
    parent: str | None = None  # body a unit belongs to (units of Bộ Công an, BHXH)


@dataclass(frozen=True)
class Resolution:
    """What a cell names: canonical names in order of appearance (deduplicated), and the
    raw fragments that matched nothing or were ambiguous."""

    names: tuple[str, ...]
    unmatched: tuple[str, ...]


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return [{k: nfc(v.strip()) for k, v in row.items()} for row in csv.DictReader(f)]


@lru_cache(maxsize=1)
def registry() -> tuple[Agency, ...]:
    """All bodies, sorted by name (loaded once from the data files)."""
    aliases: dict[str, list[str]] = {}
    for row in _read_csv(ALIASES_CSV):
        aliases.setdefault(row["name"], []).append(row["alias"])
    agencies = [
        Agency(
            name=row["name"],
            short_name=row["short_name"] or None,
            kind=row["kind"],
            aliases=tuple(aliases.pop(row["name"], ())),
            successor=row["successor"] or None,
            valid_until=datetime.date.fromisoformat(row["valid_until"]) if row["valid_until"] else None,
            parent=row["parent"] or None,
        )
        for row in _read_csv(AGENCIES_CSV)
    ]
    if aliases:
        raise ValueError(f"{ALIASES_CSV.name}: aliases of unknown bodies: {sorted(aliases)}")
    return tuple(sorted(agencies, key=lambda a: a.name))


def registry_rows() -> list[dict]:
    """Rows for agencies.parquet, sorted by name."""
    return [
        {
            "name": a.name,
            "short_name": a.short_name,
            "kind": a.kind,
            "aliases": list(a.aliases),
            "successor": a.successor,
            "valid_until": a.valid_until,
            "parent": a.parent,
        }
        for a in registry()
    ]


# ---------------------------------------------------------------- keys

_WORD = re.compile(r"\w+")
# Punctuation that separates bodies in a list ("-" and "&" do not: "KH&CN", "Bà Rịa - Vũng Tàu").
_SEPARATOR = re.compile(r"[,;:()/\[\]\n]")


@lru_cache(maxsize=65536)
def _word_key(word: str) -> str:
    return fold(word)


@lru_cache(maxsize=65536)
def _bare(key: str) -> str:
    """Key without diacritics ("bộ công an" -> "bo cong an")."""
    return unmarked(key)


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    key: str
    bare: str


def _words(text: str) -> list[_Word]:
    """Word tokens of `text` with their keys; a word repeated right after itself
    ("Ngân hàng hàng Nhà nước") is dropped."""
    out: list[_Word] = []
    for m in _WORD.finditer(text):
        key = _word_key(m.group())
        if out and out[-1].key == key and not _SEPARATOR.search(text[out[-1].end : m.start()]):
            continue
        out.append(_Word(m.start(), m.end(), key, _bare(key)))
    return out


def _name_key(name: str) -> tuple[str, ...]:
    return tuple(w.key for w in _words(clean(name)))


# ---------------------------------------------------------------- index


@dataclass(frozen=True)
class _Index:
    exact: dict[tuple[str, ...], str]  # word keys of every name and alias -> canonical name
    bare: dict[tuple[str, ...], str]  # the same without diacritics
    max_words: int
    choices: tuple[str, ...]  # bare keys joined by spaces, for fuzzy matching
    owners: tuple[str, ...]  # canonical name of each choice


def _spellings(agency: Agency) -> list[str]:
    return [agency.name, *([agency.short_name] if agency.short_name else []), *agency.aliases]


@lru_cache(maxsize=1)
def _index() -> _Index:
    exact: dict[tuple[str, ...], str] = {}
    bare: dict[tuple[str, ...], str] = {}
    for agency in registry():
        for spelling in _spellings(agency):
            key = _name_key(spelling)
            if not key:
                raise ValueError(f"empty spelling for {agency.name!r}")
            for table, k in ((exact, key), (bare, tuple(_bare(w) for w in key))):
                other = table.setdefault(k, agency.name)
                if other != agency.name:
                    raise ValueError(f"{spelling!r} names both {other!r} and {agency.name!r}")
    choices = tuple(" ".join(k) for k in bare)
    return _Index(exact, bare, max(map(len, exact)), choices, tuple(bare.values()))


# ---------------------------------------------------------------- matching one name


def _allowed_edits(length: int) -> int:
    """Edits (on keys without diacritics) a fuzzy match may need, by the name's length."""
    if length < 8:
        return 0
    if length < 13:
        return 1
    if length < 21:
        return 2
    if length < 31:
        return 3
    return 4


_MARGIN = 2  # the runner-up body must need at least this many more edits


def _lookup(words: list[_Word]) -> str | None:
    """Canonical name for a run of words: exact key, key without diacritics, or fuzzy."""
    if not words:
        return None
    index = _index()
    key = tuple(w.key for w in words)
    bare_key = tuple(w.bare for w in words)
    found = index.exact.get(key) or index.bare.get(bare_key)
    if found:
        return found
    return _fuzzy(" ".join(bare_key))


_MAX_EDITS = _allowed_edits(10**6)


def _edits_allowed_for(choice: str, head: str) -> int:
    """Edits allowed to reach `choice` from a query whose first word is `head`.

    Head words ("bo", "cac", "van", "tinh"...) must agree: "Sở Công Thương" is not "Bộ
    Công Thương". A damaged head of three letters or more ("cae" for "cac") costs one
    allowed edit, so short names cannot drift ("Tài nguyên" is not "Thái Nguyên")."""
    allowed = _allowed_edits(len(choice))
    choice_head = choice.split(" ", 1)[0]
    if choice_head == head:
        return allowed
    if min(len(choice_head), len(head)) >= 3 and Levenshtein.distance(choice_head, head) <= 1:
        return allowed - 1
    return -1


@lru_cache(maxsize=65536)
def _fuzzy(query: str) -> str | None:
    """Body whose spelling is close to `query` (keys without diacritics), if one clearly is."""
    if len(query) < 8:
        return None
    index = _index()
    head = query.split(" ", 1)[0]
    nearest: dict[str, int] = {}  # body -> fewest edits to any of its spellings
    accepted: dict[str, int] = {}  # body -> fewest edits to a spelling close enough, same head word
    for choice, dist, i in process.extract(
        query, index.choices, scorer=Levenshtein.distance, limit=None, score_cutoff=_MAX_EDITS + _MARGIN
    ):
        owner = index.owners[i]
        nearest[owner] = min(dist, nearest.get(owner, dist))
        if dist <= _edits_allowed_for(choice, head):
            accepted[owner] = min(dist, accepted.get(owner, dist))
    if not accepted:
        return None
    name = min(accepted, key=lambda owner: (accepted[owner], owner))
    if any(d < accepted[name] + _MARGIN for owner, d in nearest.items() if owner != name):
        return None
    return name


# ---------------------------------------------------------------- resolving a cell

# Parenthesised notes about where a task came from; they name no lead.
_PAREN = re.compile(r"\([^()]*(?:\)|$)")
NOTE_MARKERS = ("chuyển sang", "nay là", "trước đây là", "trước là", "chuyển giao")
# The same note without parentheses: "Nhiệm vụ (của) Bộ … chuyển sang".
_BARE_NOTE = re.compile(r"\bnhiệm vụ\b[^,;()]*?\bchuyển sang\b", re.IGNORECASE)

# Word sequences that carry no body: connectives, roles, titles, counts (keys without
# diacritics, longest first).
_NOISE = tuple(
    sorted(
        (
            tuple(_bare(w) for w in phrase.split())
            for phrase in (
                "và", "với", "cùng", "các", "những", "của", "khác", "có liên quan", "liên quan",
                "chủ trì", "phối hợp", "chỉ đạo", "nhiệm vụ giao",
                "đơn vị chủ trì", "cơ quan chủ trì", "đơn vị phối hợp", "cơ quan phối hợp",
                "bộ trưởng", "thủ trưởng", "chủ tịch", "phó chủ tịch", "thống đốc", "tổng giám đốc", "giám đốc",
                "dịch vụ", "dvc", "nhiệm vụ", "thủ tục", "tthc", "đối với", "đồng chí", "kính gửi",
            )
        ),
        key=len,
        reverse=True,
    )
)
# After a name, a piece starting with these (or after "và") is a body of its own, not the
# end of a longer unknown name.
_LIST_WORDS = ("va", "voi", "cung", "cac", "nhung")  # without diacritics
# "các Bộ (Tài chính, Công Thương và KH&CN)" names each ministry.
_MINISTRY_LIST = re.compile(r"\bcác bộ\s*\(([^()]*)\)", re.IGNORECASE)
_LIST_SPLIT = re.compile(r",|;|\bvà\b", re.IGNORECASE)


def _strip_notes(text: str) -> str:
    def drop(m: re.Match) -> str:
        return " ; " if any(mark in fold(m.group()) for mark in NOTE_MARKERS) else m.group()

    return _BARE_NOTE.sub(" ; ", _PAREN.sub(drop, text))


def _expand_ministry_lists(text: str) -> str:
    def expand(m: re.Match) -> str:
        items = [i.strip() for i in _LIST_SPLIT.split(m.group(1)) if i.strip()]
        return "; ".join(i if fold(i).startswith("bộ ") else f"Bộ {i}" for i in items)

    return _MINISTRY_LIST.sub(expand, text)


def _core(words: list[_Word], piece: list[int]) -> list[int]:
    """`piece` (word indices) without leading and trailing noise."""
    lo, hi = 0, len(piece)
    while lo < hi:
        keys = tuple(words[i].bare for i in piece[lo:hi])
        if keys[0].isdigit():
            lo += 1
        elif keys[-1].isdigit():
            hi -= 1
        else:
            head = next((len(p) for p in _NOISE if keys[: len(p)] == p), 0)
            tail = 0 if head else next((len(p) for p in _NOISE if len(p) <= len(keys) and keys[-len(p) :] == p), 0)
            if not head and not tail:
                break
            lo, hi = lo + head, hi - tail
    return piece[lo:hi]


def _scan(words: list[_Word]) -> list[tuple[int, int, str]]:
    """Known names in `words`, left to right, longest first: (start, end, canonical)."""
    index = _index()
    found, i = [], 0
    while i < len(words):
        for n in range(min(index.max_words, len(words) - i), 0, -1):
            run = words[i : i + n]
            name = index.exact.get(tuple(w.key for w in run)) or index.bare.get(tuple(w.bare for w in run))
            if name:
                found.append((i, i + n, name))
                i += n
                break
        else:
            i += 1
    return found


def _pieces(text: str, words: list[_Word], lo: int, hi: int) -> list[list[int]]:
    """Word indices lo..hi-1 split at separators and at the word "và"."""
    pieces: list[list[int]] = [[]]
    for i in range(lo, hi):
        if i > lo and _SEPARATOR.search(text[words[i - 1].end : words[i].start]):
            pieces.append([])
        if words[i].bare == "va":
            pieces.append([])
        else:
            pieces[-1].append(i)
    return [p for p in pieces if p]


def _glued(text: str, words: list[_Word], left: int, right: int) -> bool:
    """True when no separator lies between words `left` and `right` (spaces, "-", "và" do not separate)."""
    return not _SEPARATOR.search(text[words[left].end : words[right].start])


_MAX_JOIN = 6  # pieces one name may span ("Bộ, cơ quan ngang bộ, …, thành phố trực thuộc trung ương")


def _first_name(words: list[_Word], pieces: list[list[int]], cores: list[list[int]], k: int) -> tuple[str, int] | None:
    """The longest run of pieces k..j that names a body, as printed or without its
    leading and trailing noise: (canonical, j)."""
    for j in range(min(len(pieces), k + _MAX_JOIN) - 1, k - 1, -1):
        if cores[j]:
            name = _lookup(words[pieces[k][0] : pieces[j][-1] + 1]) or _lookup(words[cores[k][0] : cores[j][-1] + 1])
            if name:
                return name, j
    return None


def _extension(words: list[_Word], start: int, pieces: list[list[int]]) -> tuple[str, int] | None:
    """A name found at `start` continued by pieces 0..j names a body as a whole
    ("Các bộ" + ", ngàmh, địa phương"): (canonical, j)."""
    for j in range(min(len(pieces), _MAX_JOIN) - 1, -1, -1):
        name = _lookup(words[start : pieces[j][-1] + 1])
        if name:
            return name, j
    return None


def _resolve_text(text: str) -> Resolution:
    """Resolve a cleaned cell: known names first, then the gaps between them, in order."""
    words = _words(text)
    matches = _scan(words)  # replaced in place when an unknown piece and the next name join up
    out: list[tuple[str, str]] = []  # ("name", canonical) or ("raw", fragment), in order
    dropped: set[int] = set()  # matches made doubtful by a glued unknown word
    for m in range(len(matches) + 1):
        prev = matches[m - 1] if m > 0 and m - 1 not in dropped else None
        lo = matches[m - 1][1] if m > 0 else 0
        hi = matches[m][0] if m < len(matches) else len(words)
        pieces = _pieces(text, words, lo, hi)
        cores = [_core(words, p) for p in pieces]
        k = 0
        if prev and pieces and cores[0]:
            extended = _extension(words, prev[0], pieces)
            if extended:
                out[-1] = ("name", extended[0])
                k = extended[1] + 1
        while k < len(pieces):
            if not cores[k]:
                k += 1
                continue
            a, b = pieces[k][0], pieces[k][-1] + 1
            glued_next = k == len(pieces) - 1 and m < len(matches) and _glued(text, words, b - 1, matches[m][0])
            if glued_next:  # "Thủ tướn" + "Chính phủ", "Ủy ban nhân dân ạtỉnh" + "Hòa Bình"
                nxt_end = matches[m][1]
                joined = _lookup(words[a:nxt_end]) or _lookup(words[cores[k][0] : nxt_end])
                if joined:
                    matches[m] = (a, nxt_end, joined)
                    break
            found = _first_name(words, pieces, cores, k)
            if found:
                out.append(("name", found[0]))
                k = found[1] + 1
                continue
            # An unknown piece glued to a neighbouring name makes that name doubtful,
            # unless it is listed after it ("Bộ Nội vụ và các Ngân hàng").
            listed = words[a].bare in _LIST_WORDS or words[a - 1].bare in _LIST_WORDS
            if k == 0 and prev and not listed and _glued(text, words, prev[1] - 1, a):
                out.pop()  # the previous name, just emitted
                a = prev[0]
            if glued_next:
                dropped.add(m)
                b = matches[m][1]
            out.append(("raw", text[words[a].start : words[b - 1].end]))
            k += 1
        if m < len(matches) and m not in dropped:
            out.append(("name", matches[m][2]))
    names = tuple(dict.fromkeys(v for kind, v in out if kind == "name"))
    unmatched = tuple(dict.fromkeys(v for kind, v in out if kind == "raw"))
    return Resolution(names, unmatched)


@lru_cache(maxsize=65536)
def _resolve_cached(raw: str) -> Resolution:
    return _resolve_text(_expand_ministry_lists(_strip_notes(clean(raw))))


def resolve_agencies(raw: str | None) -> Resolution:
    """Canonical names of the bodies a cell names, in order, and what could not be matched."""
    if not raw or not raw.strip():
        return Resolution((), ())
    return _resolve_cached(raw)


def match_agency(fragment: str | None) -> str | None:
    """Canonical name of the one body `fragment` names; None if none, several, or unsure."""
    if not fragment or not fragment.strip():
        return None
    result = _resolve_cached(fragment)
    return result.names[0] if len(result.names) == 1 and not result.unmatched else None


def agency(name: str | None) -> Agency | None:
    """The registry's body of that canonical name."""
    return _by_name().get(name) if name else None


@lru_cache(maxsize=1)
def _by_name() -> dict[str, Agency]:
    return {a.name: a for a in registry()}


def current_agency(name: str) -> str:
    """The body that holds an agency's duties now, following the 2025 successors to the end."""
    seen: set[str] = set()
    while (a := agency(name)) is not None and a.successor and name not in seen:
        seen.add(name)
        name = a.successor
    return name


def names_in_text(text: str | None) -> tuple[str, ...]:
    """Canonical names of the bodies whose name or alias occurs word for word in running text
    (a title, a sentence), in order of appearance; no fuzzy matching, nothing reported unmatched."""
    if not text or not text.strip():
        return ()
    words = _words(clean(text))
    return tuple(dict.fromkeys(name for _, _, name in _scan(words)))
