"""Document numbers (số hiệu) of Vietnamese official documents: normalise, parse, find in text.

Forms (see docs/domain.md):
- state documents  NUMBER/[YEAR/]TYPE-ISSUER[-UNIT...]   07/CT-TTg, 47/2020/NĐ-CP, 193/TTr-BCA-C12
- công văn (letters, no type code)  NUMBER/ISSUER[-UNIT]   929/BCA-VPB, 6001/BKHCN-CĐSQG, 1479/BCA
- trailing year  NUMBER/TYPE/YEAR                          342/PLYK/2025
- Party documents, with a hyphen  NUMBER-TYPE/ISSUER     57-NQ/TW, 02-KH/BCĐTW, 163-CV/ĐU

The normalised form is NFC, with "-" for every dash variant, "Đ" for its look-alike "Ð"
(U+00D0), no spaces or line breaks, no "Số:" prefix, and codes in their printed case
("CT-TTg", "NĐ-CP"); a code found in the registries in another case is given the registry's
case ("07/ct-ttg" -> "07/CT-TTg"), unknown codes are kept as printed.

A document number needs a letter code: dates ("14/3/2025"), fractions ("58/76"), ratios
("24/7") and rates ("1,5%/năm") are not document numbers. A Party number's type must be a
known type code. In prose, "Đề án 06/CP" names a project, not a document, and is skipped.

The type codes (NQ Nghị quyết, ...) and issuer codes (CP Chính phủ, ...) are registries in
`data/doc_type_codes.csv` and `data/issuer_codes.csv`.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from extractors.letters import unmarked
from normalizers.text import clean, nfc, one_edit_apart, unify_dashes

_DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class DocNumber:
    normalized: str
    number: str  # as printed, leading zeros kept ("07")
    year: int | None
    type_code: str | None  # None for a công văn
    issuer: str | None  # issuer code ("BCA"), None when the number carries none ("342/PLYK/2025")
    unit: str | None  # what follows the issuer ("C12", "VPB"), "-"-joined
    party: bool  # Party numbering (57-NQ/TW)


def _read_registry(name: str) -> list[tuple[str, str]]:
    with open(_DATA / name, encoding="utf-8", newline="") as f:
        return [(nfc(row["code"].strip()), nfc(row["name"].strip())) for row in csv.DictReader(f)]


_TYPE_ROWS = _read_registry("doc_type_codes.csv")
_ISSUER_ROWS = _read_registry("issuer_codes.csv")
TYPE_NAMES: dict[str, str] = {code: name for code, name in _TYPE_ROWS if code}
ISSUER_NAMES: dict[str, str] = {code: name for code, name in _ISSUER_ROWS}
_TYPE_BY_KEY = {code.lower(): code for code in TYPE_NAMES}
_ISSUER_BY_KEY = {code.lower(): code for code in ISSUER_NAMES}
_TYPE_WORDS = {name.lower(): name for _, name in _TYPE_ROWS}

# 1:1 character fixes, so that spans in the fixed text are spans in the original.
_LOOKALIKES = str.maketrans({"\u00d0": "Đ", "\u00f0": "đ"})

_SEG = r"[A-Za-zĐđ][A-Za-zĐđ0-9&]*"
_YEAR = r"[12][0-9]{3}"
_STATE = re.compile(
    rf"(?P<num>[0-9]{{1,6}})/(?:(?P<year>{_YEAR})/)?(?P<codes>{_SEG}(?:-{_SEG})*)(?:/(?P<tyear>{_YEAR}))?"
)
_PARTY = re.compile(rf"(?P<num>[0-9]{{1,6}})-(?P<ptype>{_SEG})/(?P<codes>{_SEG}(?:-{_SEG})*)")
# In prose: a space may surround "/", and a line break may follow a "-" glued to a code.
_FIND = re.compile(
    rf"(?<![0-9A-Za-zĐđ/.,\-])[0-9]{{1,6}}"
    rf"(?:\s?-\s*{_SEG}\s?/\s?{_SEG}(?:-\s*{_SEG})*"  # Party: 02-\nKH/BCĐTW
    rf"|\s?/\s?(?:{_YEAR}\s?/\s?)?{_SEG}(?:-\s*{_SEG})*(?:/{_YEAR})?)"  # state: 193/TTr-BCA-\nC12
    rf"(?![\w&])"
)
_WRAPPED_SEG = re.compile(rf"-(?P<gap>\s*)(?P<seg>{_SEG})")
_PREFIX = re.compile(r"^(?:số\s*hiệu|số)\s*[:.]?\s*", re.IGNORECASE)
_NOT_A_CITATION = re.compile(r"đề\s+án\s*$", re.IGNORECASE)
_LOWER = re.compile(r"[a-zđ]")
_UPPER = re.compile(r"[A-ZĐ]")
_EDGE_PUNCT = "()[]{}.,;:\"'“”"
MIN_YEAR, MAX_YEAR = 1945, 2100


def _canonical(code: str) -> str:
    """Registry case for a known code ("ttr" -> "TTr"), the printed code otherwise."""
    key = code.lower()
    return _TYPE_BY_KEY.get(key) or _ISSUER_BY_KEY.get(key) or code


def _is_type(code: str) -> bool:
    return code.lower() in _TYPE_BY_KEY


def _party(num: str, ptype: str, codes: list[str]) -> DocNumber | None:
    """57-NQ/TW: the type must be a known type code."""
    if not _is_type(ptype):
        return None
    type_code = _canonical(ptype)
    normalized = f"{num}-{type_code}/{'-'.join(codes)}"
    return DocNumber(normalized, num, None, type_code, codes[0], "-".join(codes[1:]) or None, True)


def _state(num: str, codes: list[str], year: str | None, tyear: str | None) -> DocNumber | None:
    """07/CT-TTg, 47/2020/NĐ-CP, 929/BCA-VPB (no type code), 342/PLYK/2025."""
    if not any(_UPPER.search(c) for c in codes):
        return None  # "5/kg", "2/lần": no code in capitals
    if _is_type(codes[0]):
        type_code, issuer, unit = codes[0], (codes[1] if len(codes) > 1 else None), codes[2:]
    else:
        type_code, issuer, unit = None, codes[0], codes[1:]
    normalized = f"{num}/" + (f"{year}/" if year else "") + "-".join(codes) + (f"/{tyear}" if tyear else "")
    some_year = year or tyear
    year_int = int(some_year) if some_year else None
    return DocNumber(normalized, num, year_int, type_code, issuer, "-".join(unit) or None, False)


def _from_match(m: re.Match[str]) -> DocNumber | None:
    groups = m.groupdict()
    years = [groups.get("year"), groups.get("tyear")]
    if any(y is not None and not MIN_YEAR <= int(y) <= MAX_YEAR for y in years):
        return None
    codes = [_canonical(c) for c in groups["codes"].split("-")]
    if groups.get("ptype") is not None:
        return _party(groups["num"], groups["ptype"], codes)
    return _state(groups["num"], codes, *years)


def _prepare(raw: str) -> str:
    return unify_dashes(nfc(raw).translate(_LOOKALIKES))


def parse_doc_number(raw: str | None) -> DocNumber | None:
    """The document number `raw` holds (possibly after "Số:", with spaces and breaks), or None."""
    if not raw:
        return None
    text = _PREFIX.sub("", clean(_prepare(raw)))
    text = "".join(text.split()).strip(_EDGE_PUNCT)
    for pattern in (_PARTY, _STATE):
        m = pattern.fullmatch(text)
        if m:
            return _from_match(m)
    return None


def normalize_doc_number(raw: str | None) -> str | None:
    """Normalised form of the document number in `raw` (see the module docstring), or None."""
    parsed = parse_doc_number(raw)
    return parsed.normalized if parsed else None


def _code_like(segment: str) -> bool:
    """A segment that may follow a line break: capitals and digits, or a known code ("TTg")."""
    key = segment.lower()
    return not _LOWER.search(segment) or key in _TYPE_BY_KEY or key in _ISSUER_BY_KEY


def _wrap_cut(text: str, start: int, end: int) -> int:
    """End of the number, cut before a '-', a break and a word of prose ("2001/QLĐĐ-\\nĐang")."""
    for m in _WRAPPED_SEG.finditer(text, start, end):
        if m.group("gap") and not _code_like(m.group("seg")):
            return m.start()
    return end


def find_doc_numbers(text: str | None) -> list[tuple[DocNumber, int, int]]:
    """Every document number cited in `text` as (DocNumber, start, end), in reading order.

    Spans index into the NFC form of `text`. Numbers broken by a line break after a hyphen
    ("193/TTr-BCA-\\nC12") are rejoined without a space; "Số: 929 /BCA-VPB" is read too.
    """
    if not text:
        return []
    prepared = _prepare(text)
    out = []
    for m in _FIND.finditer(prepared):
        if _NOT_A_CITATION.search(prepared[max(0, m.start() - 12) : m.start()]):
            continue
        end = _wrap_cut(prepared, m.start(), m.end())
        parsed = parse_doc_number(prepared[m.start() : end])
        if parsed is not None:
            out.append((parsed, m.start(), end))
    return out


def doc_type_name(type_code: str | None) -> str | None:
    """Name of a document type code: "CT" -> "Chỉ thị", "NĐ" -> "Nghị định"; None if unknown."""
    if not type_code:
        return None
    code = nfc(type_code).translate(_LOOKALIKES).strip()
    return TYPE_NAMES.get(code) or TYPE_NAMES.get(_TYPE_BY_KEY.get(code.lower(), ""))


def issuer_name(issuer_code: str | None) -> str | None:
    """Name of an issuer code: "BCA" -> "Bộ Công an"; None if unknown."""
    if not issuer_code:
        return None
    code = nfc(issuer_code).translate(_LOOKALIKES).strip()
    return ISSUER_NAMES.get(code) or ISSUER_NAMES.get(_ISSUER_BY_KEY.get(code.lower(), ""))


_WORD_CLEAN = re.compile(r"[^\w\s]")


def type_codes_of(doc_type: str | None) -> tuple[str, ...]:
    """The registry's type codes of a document type: "Báo cáo" -> ("BC",)."""
    return tuple(code for code, name in TYPE_NAMES.items() if name == doc_type) if doc_type else ()


def doc_type_from_word(word: str | None) -> str | None:
    """Document type named by a type word as printed in a header: "CHỈ THỊ" -> "Chỉ thị".

    Case and spacing do not matter; a longer heading starting with a type word is read as
    that type ("THÔNG BÁO KẾT LUẬN" -> "Thông báo", "PHỤ LỤC II" -> "Phụ lục"); a heading whose
    letters are those of one type word with a mark read wrong (OCR: "BẢO CÁO") is that type.
    """
    if not word:
        return None
    key = " ".join(_WORD_CLEAN.sub(" ", clean(word).translate(_LOOKALIKES).lower()).split())
    if key in _TYPE_WORDS:
        return _TYPE_WORDS[key]
    prefixes = [name for name in _TYPE_WORDS if key.startswith(name + " ")]
    if prefixes:
        return _TYPE_WORDS[max(prefixes, key=len)]
    # a mark OCR read wrong ("BẢO CÁO", "QUYÉT ĐỊNH"): the one type word with the same letters
    bare = [name for name in _TYPE_WORDS if unmarked(name) == unmarked(key)]
    return _TYPE_WORDS[bare[0]] if len(bare) == 1 else None


# ---------------------------------------------------------------- numbers read by OCR


def _bare_code(code: str) -> str:
    return code.lower().replace("đ", "d")


def _near_type_codes(code: str) -> list[str]:
    """Type codes that differ from `code` only by the stroke of "Đ" (OCR drops it); failing
    that, those one edit away (a letter added, dropped or changed, case aside)."""
    same = [c for k, c in _TYPE_BY_KEY.items() if _bare_code(k) == _bare_code(code) and k != code.lower()]
    if same:
        return same
    key = code.lower()
    out = []
    for other_key, other in _TYPE_BY_KEY.items():
        if abs(len(other_key) - len(key)) > 1 or other_key == key:
            continue
        if one_edit_apart(key, other_key):
            out.append(other)
    return out


def verify_ocr_number(dn: DocNumber, prefer: str | None = None) -> tuple[DocNumber, str]:
    """Check a number read by OCR against the code registries: (number, verdict).

    - "known": its type code (if any) and its issuer code are in the registries;
    - "repaired": its first code is in neither registry but exactly one type code is near it
      (`_near_type_codes`), or several are and `prefer` (the type code of the type word printed
      in the same header: "BÁO CÁO" -> "BC") is one of them, and an issuer code follows (any
      code, when the type word names it: "35/TR-SNV" under "THÔNG BÁO" -> "35/TB-SNV")
      ("1039/TTTr-CP" -> "1039/TTr-CP", "5/QD-TTg" -> "5/QĐ-TTg", "3600/RC-VPCP" under
      "BÁO CÁO" -> "3600/BC-VPCP"); the repaired number;
    - "unverified": anything else (kept as read; the caller gives it a low score).
    """
    if dn.issuer and (dn.issuer.lower() in _ISSUER_BY_KEY) and (dn.type_code is None or _is_type(dn.type_code)):
        return dn, "known"
    if not dn.party and dn.type_code is None and dn.issuer and dn.unit:
        near = _near_type_codes(dn.issuer)
        if len(near) > 1 and prefer in near:
            near = [prefer]
        rest = dn.unit.split("-")
        if len(near) == 1 and (rest[0].lower() in _ISSUER_BY_KEY or near[0] == prefer):
            code = near[0]
            normalized = dn.normalized.replace(f"/{dn.issuer}-", f"/{code}-", 1)
            fixed = DocNumber(normalized, dn.number, dn.year, code, _canonical(rest[0]), "-".join(rest[1:]) or None, False)
            return fixed, "repaired"
    return dn, "unverified"
