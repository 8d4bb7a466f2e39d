"""One extracted document -> the rows it contributes to each curated table.

Pure functions from the extractor's plain data (pages, logical tables) to row dicts
whose keys are the columns declared in `schema`. Each row is built once, whole, by
`_build` (which refuses a missing or an unknown column) and never changed afterwards.
Facts that need the whole corpus are the columns listed in `CORPUS_COLUMNS`
(`source_file`, `pipeline_version`, `duplicate_of`, the cited document's id); `corpus.py`
adds them when it builds the curated rows, and those rows are new dicts.

Task ids are stable: they hash the task's item path (the rule is the description of
`tasks.task_id` in `schema`, implemented by `task_id`), not its row
number, so a change in how rows are stitched (a header row more, an empty row less) keeps
every task, status and link id.

The hierarchy of a task table: a heading printed just above the table ("1. NHIỆM VỤ
RIÊNG") is the `part` of that table and of the tables after it until the next one; section
rows inside the table ("II. …", "A", "Nhiệm vụ giao Bộ trưởng Bộ … chỉ đạo") set `section`.
When a table's section rows are labelled in two styles (arabic "1." then Roman "I.", or
letters "A" then Roman), the style seen first is the part and the other the section.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Mapping, Sequence

from extractors.document import ExtractedDocument
from extractors.layout import Box, PageContent
from extractors.stitch import LogicalCell, LogicalRow, LogicalTable

from .agencies import resolve_agencies
from .columns import table_roles
from .crosschecks import StatedCount, find_stated_counts
from .dates import find_period_date
from .deadlines import parse_deadline
from .docnumbers import find_doc_numbers, verify_ocr_number
from .repair import ROMANS, repair_deadline_text, repair_item_numbers, repair_section_labels, repair_text
from .document import DocumentFacts, document_facts
from .fingerprint import shingles
from .persons import is_person_column, mend_person_name
from .schema import TABLES
from .signing import issuing_body, signature_columns
from .statuses import infer_status, status_from_column
from .text import canonical_ellipsis, clean, nfc

Row = dict[str, Any]
TASK_ROLES = {"lead", "deadline", "result", "status", "required_result", "coordinators"}
# Columns only the whole corpus can fill (corpus.corpus_rows adds them).
CORPUS_COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": ("source_file", "pipeline_version", "duplicate_of"),
    "tasks": ("source_file",),
    "links": ("dst_doc_id",),
}
# Citation scores: as printed on a text page; read by OCR with codes found in the registries;
# OCR'd and repaired against the type codes; OCR'd with codes the registries do not know.
CITE_SCORE_TEXT, CITE_SCORE_OCR_KNOWN, CITE_SCORE_OCR_REPAIRED, CITE_SCORE_OCR_UNVERIFIED = 1.0, 0.9, 0.8, 0.5

_SUB_ITEM = re.compile(r"^\(\d+\)$")
# "1. NHIỆM VỤ RIÊNG", "II. Khẩn trương …", "A Nhiệm vụ chung …", "Phần I …": label and its punctuation
_LABEL = re.compile(r"^(?:(?i:phần)\s+(?:(?i:thứ)\s+)?)?(?P<no>[IVXLC]+|\d{1,3}|[A-ZĐ])[.):]?(?=\s|$)")
_ROMAN = re.compile(r"^[IVXLC]+$")
# a label that may be a Roman numeral read with the look-alikes of I ("IIL", "Il", "1I")
_LABEL_LOOKALIKE = re.compile(r"^(?:(?i:phần)\s+(?:(?i:thứ)\s+)?)?(?P<no>[IVXLCl1|!i]{1,6})[.):]?(?=\s|$)")
PART_HEADING_GAP = 45.0  # points: a part heading lies at most this far above its table


def stable_id(*parts: object) -> str:
    """Deterministic id from the parts (same input bytes -> same id on every run)."""
    return hashlib.sha256("|".join(map(str, parts)).encode("utf-8")).hexdigest()[:20]


def _build(table: str, **values: Any) -> Row:
    """A row of `table` (per-document part: every column but the corpus-level ones), checked whole."""
    expected = [c for c in TABLES[table].column_names if c not in CORPUS_COLUMNS.get(table, ())]
    if set(values) != set(expected):
        missing, extra = sorted(set(expected) - set(values)), sorted(set(values) - set(expected))
        raise ValueError(f"{table} row: missing {missing}, unknown {extra}")
    return {c: values[c] for c in expected}


@dataclass(frozen=True)
class DocRecords:
    """Rows of one document for each curated table (documents has exactly one)."""

    document: Row
    pages: tuple[Row, ...] = ()
    cells: tuple[Row, ...] = ()
    tasks: tuple[Row, ...] = ()
    statuses: tuple[Row, ...] = ()
    links: tuple[Row, ...] = ()
    shingles: frozenset[int] = frozenset()  # content fingerprint (fingerprint.shingles), for duplicates
    stated_counts: tuple[StatedCount, ...] = ()  # counts of another document's tasks (crosschecks)


def failed_document(doc_id: str, error: str, n_pages: int = 0) -> DocRecords:
    doc = _build(
        "documents", doc_id=doc_id, n_pages=n_pages, doc_number=None, doc_number_raw=None, doc_type_code=None,
        doc_type=None, issuer=None, issuer_raw=None, parent_body=None, issued_date=None, issued_date_raw=None,
        issued_place=None, dated=None, dated_precision=None, title=None, addressees=[], attached_to=None, n_text_pages=0, n_ocr_pages=0, status="failed", error=error,
        **signature_columns(()),
    )
    return DocRecords(doc)


def document_records(doc_id: str, ex: ExtractedDocument) -> DocRecords:
    facts = document_facts(ex.pages[0].lines, ocr=ex.pages[0].method == "ocr") if ex.pages else DocumentFacts()
    methods = {p.page: p.method for p in ex.pages}
    tables = [(t, table_roles(t, any(methods.get(p) == "ocr" for p in t.pages))) for t in ex.tables]
    tasks: list[Row] = []
    statuses: list[Row] = []
    part = _Heading()
    for table, roles in tables:
        part = _heading_above(ex.pages, table) or part
        if _is_task_table(roles):
            t_rows, s_rows = task_rows(doc_id, table, roles, facts, part=part, methods=methods)
            tasks += t_rows
            statuses += s_rows
    return DocRecords(
        document=_document_row(doc_id, ex, facts),
        pages=tuple(page_rows(doc_id, ex)),
        cells=tuple(c for t, _ in tables for c in cell_rows(doc_id, t, methods)),
        tasks=tuple(tasks),
        statuses=tuple(statuses),
        links=tuple(citation_links(doc_id, ex, tasks, facts)),
        shingles=shingles(_all_text(ex)),
        stated_counts=tuple(find_stated_counts((p.page, "\n".join(l.text for l in p.lines)) for p in ex.pages)),
    )


def _all_text(ex: ExtractedDocument) -> Iterable[str]:
    """Prose lines, then table cells, in reading order."""
    for page in ex.pages:
        yield from (l.text for l in page.lines)
    for table in ex.tables:
        for row in table.rows:
            yield from row.texts


def _is_task_table(roles: Sequence[str | None]) -> bool:
    return "name" in roles and bool(TASK_ROLES & set(roles))


def _document_row(doc_id: str, ex: ExtractedDocument, facts: DocumentFacts) -> Row:
    failed = [p for p in ex.pages if p.method == "failed"]
    status = "ok" if not failed else ("failed" if len(failed) == len(ex.pages) else "partial")
    error = "; ".join(f"page {p.page}: {p.error}" for p in failed) or None
    issuer, parent_body = facts.issuer, facts.parent_body
    if facts.issuer_raw is None and ex.signatures:  # no issuer block printed: the signing body says who issued it
        signed, signed_parent = issuing_body(ex.signatures)
        if signed is not None:
            issuer, parent_body = signed, signed_parent
    return _build(
        "documents", doc_id=doc_id, n_pages=ex.n_pages, doc_number=facts.doc_number, doc_number_raw=facts.doc_number_raw,
        doc_type_code=facts.doc_type_code, doc_type=facts.doc_type, issuer=issuer, issuer_raw=facts.issuer_raw,
        parent_body=parent_body, issued_date=facts.issued_date, issued_date_raw=facts.issued_date_raw,
        issued_place=facts.issued_place, dated=facts.dated, dated_precision=facts.dated_precision if facts.dated else None,
        title=facts.title, addressees=list(facts.addressees),
        attached_to=facts.attached_to,
        n_text_pages=sum(p.method == "text" for p in ex.pages), n_ocr_pages=sum(p.method == "ocr" for p in ex.pages),
        status=status, error=error, **signature_columns(ex.signatures),
    )


def page_rows(doc_id: str, ex: ExtractedDocument) -> list[Row]:
    per_page: dict[int, int] = {}
    for t in ex.tables:
        for r in t.rows:
            for page, _ in r.spans:
                per_page[page] = per_page.get(page, 0) + 1
    return [
        _build("pages", doc_id=doc_id, page=p.page, method=p.method, n_chars=p.n_chars,
               n_table_rows=per_page.get(p.page, 0), error=p.error)
        for p in ex.pages
    ]


def _person_columns(table: LogicalTable) -> set[int]:
    """Columns of persons' names (`persons.is_person_column`), by header and data cells."""
    cells: dict[int, list[str]] = {}
    for row in table.rows:
        if row.kind == "data":
            for c in row.cells:
                cells.setdefault(c.col, []).append(c.text)
    return {col for col in range(table.n_cols) if is_person_column(table.headers[col], cells.get(col, []))}


def cell_rows(doc_id: str, table: LogicalTable, methods: dict[int, str] | None = None) -> list[Row]:
    """The cells of a table; on OCR'd pages (`methods`: page -> how it was read) a person's name
    in a column of names is mended against the name registry (`persons.mend_person_name`), the
    text as read kept in text_raw."""
    persons = _person_columns(table) if methods and "ocr" in methods.values() else set()

    def text(row: LogicalRow, c: LogicalCell) -> tuple[str, str | None]:
        if c.col in persons and row.kind == "data" and methods.get(c.page) == "ocr":
            mended = mend_person_name(c.text)
            if mended != c.text:
                return mended, c.text
        return c.text, None

    return [
        _build("cells", doc_id=doc_id, table_no=table.table_no, row_no=row_no, col_no=c.col + 1,
               header=table.headers[c.col] or None, text=t, text_raw=raw, row_kind=row.kind, row_span=c.row_span,
               col_span=c.col_span, page=c.page, x0=c.box[0], top=c.box[1], x1=c.box[2], bottom=c.box[3])
        for row_no, row in enumerate(table.rows, start=1)
        for c in row.cells
        for t, raw in [text(row, c)]
    ]


def _box(page: int, box: Box) -> dict[str, float | int]:
    return {"page": page, "x0": box[0], "top": box[1], "x1": box[2], "bottom": box[3]}


# ---------------------------------------------------------------- hierarchy


@dataclass(frozen=True)
class _Heading:
    """A part or section heading: its text as printed and its printed number ("1", "II", "A")."""

    text: str | None = None
    no: str | None = None

    @property
    def key(self) -> str:
        return self.no or self.text or ""


def _heading(text: str) -> _Heading:
    text = clean(text)
    m = _LABEL.match(text)
    return _Heading(text or None, m.group("no").upper() if m else None)


def _style(no: str | None, previous_letter: str | None, previous_roman: str | None = None) -> str:
    """'arabic', 'roman', 'letter' or 'none'. A single letter that is also a Roman numeral is
    Roman when it follows the Roman numeral before it ("V" after "IV"), and a letter when it
    is the next letter, or the one after ("C" after "B", or after "A" when the row of "B" was
    not read as a heading; "I" only after "H": a Roman "I" starts again under every part)."""
    if no is None:
        return "none"
    if no.isdigit():
        return "arabic"
    if not _ROMAN.match(no):
        return "letter"
    if len(no) == 1 and previous_letter:
        goes_on = previous_roman in ROMANS[:-1] and ROMANS[ROMANS.index(previous_roman) + 1] == no
        gap = ord(no) - ord(previous_letter)
        if not goes_on and (gap == 1 or (gap == 2 and no != "I")):
            return "letter"
    return "roman"


def _section_levels(headings: Sequence[_Heading]) -> list[str]:
    """'part' or 'section' for each section row of a table (see the module docstring)."""
    styles, previous_letter, previous_roman = [], None, None
    for h in headings:
        style = _style(h.no, previous_letter, previous_roman)
        if style == "letter":
            previous_letter = h.no
        elif style == "roman":
            previous_roman = h.no
        styles.append(style)
    top = styles[0] if len(set(styles)) >= 2 else None
    return ["part" if s == top else "section" for s in styles]


def _heading_above(pages: Sequence[PageContent], table: LogicalTable) -> _Heading | None:
    """A numbered heading printed just above the table ("1. NHIỆM VỤ RIÊNG"), if there is one."""
    if not table.rows or not table.rows[0].spans:
        return None
    page_no, box = table.rows[0].spans[0]
    page = next((p for p in pages if p.page == page_no), None)
    if page is None:
        return None
    if page.method == "ocr":  # the row's box is where the (tilted) scan shows it; lines and grids are upright
        holding = [f for f in page.fragments if f.box[1] - 1 <= (box[1] + box[3]) / 2 <= f.box[3] + 1]
        if holding:
            box = (box[0], min(f.box[1] for f in holding), box[2], box[3])
    floor = max((f.box[3] for f in page.fragments if f.box[3] <= box[1] + 1), default=0.0)
    above = [l for l in page.lines if floor - 1 <= l.box[1] and l.box[3] <= box[1] + 1]
    if not above:
        return None
    line = max(above, key=lambda l: l.box[3])
    heading = _heading(line.text)
    letters = [ch for ch in line.text if ch.isalpha()]
    upper = bool(letters) and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)
    if heading.no is None or not upper or box[1] - line.box[3] > PART_HEADING_GAP:
        return None
    return heading


# ---------------------------------------------------------------- tasks and statuses


def _texts(row: LogicalRow, roles: Sequence[str | None]) -> dict[str, str]:
    return {role: row.text_at(i) for i, role in enumerate(roles) if role}


def _cell(row: LogicalRow, col: int) -> LogicalCell | None:
    return next((c for c in row.cells if c.col <= col < c.col + c.col_span), None)


@dataclass(frozen=True)
class _Path:
    part: _Heading
    section: _Heading
    parent: str | None
    item: str | None
    item_key: str
    item_raw: str | None = None  # as OCR read it, when repaired from that


def _item_numbers(table: LogicalTable, item_col: int | None, methods: Mapping[int, str]) -> dict[int, tuple[str | None, str | None]]:
    """(item number, as read) of every data row by row index; numbers read by OCR are repaired
    against the table's sequence (`repair.repair_item_numbers`: "l" -> 1, a digit lost or doubled)."""
    rows = [(i, r) for i, r in enumerate(table.rows) if r.kind == "data"]
    read = [(r.text_at(item_col) if item_col is not None else "").replace(" ", "") or None for _, r in rows]
    ocr = [methods.get(r.spans[0][0]) == "ocr" if r.spans else False for _, r in rows]
    repaired = repair_item_numbers([x or "" for x in read]) if any(ocr) else [x or "" for x in read]
    return {i: ((fixed or None) if is_ocr else raw, raw if is_ocr else None)
            for (i, _), raw, fixed, is_ocr in zip(rows, read, repaired, ocr)}


def _section_headings(table: LogicalTable, methods: Mapping[int, str]) -> list[tuple[int, _Heading]]:
    """(row index, heading) of every section row; on rows read by OCR, a Roman label read with
    look-alikes ("IIL") is mended against the labels around it (`repair.repair_section_labels`),
    in its number and in the text's label alike. A label cell read as nothing (an empty first
    cell beside the heading's cell) takes the numeral the section rows beside it fix, as its
    number; the heading's text stays as read."""
    rows = [(i, r) for i, r in enumerate(table.rows) if r.kind == "section"]
    out = [(i, _heading(" ".join(t for t in r.texts if t))) for i, r in rows]
    ocr = [bool(r.spans) and methods.get(r.spans[0][0]) == "ocr" for _, r in rows]
    found = [_LABEL_LOOKALIKE.match(h.text or "") for _, h in out]
    tokens = ["" if read and h.no is None and _label_cell_lost(row) else (m.group("no") if m else h.no)
              for m, (_, h), (_, row), read in zip(found, out, rows, ocr)]
    mended = repair_section_labels(tokens)
    for k, ((i, row), m, raw, fixed, read) in enumerate(zip(rows, found, tokens, mended, ocr)):
        if fixed == raw or not read:
            continue
        text = out[k][1].text or ""
        if raw == "":
            out[k] = (i, _Heading(text or None, fixed))
        elif m is not None:
            out[k] = (i, _Heading(text[:m.start("no")] + fixed + text[m.end("no"):], fixed))
    return out


def _label_cell_lost(row: LogicalRow) -> bool:
    """The section row has a label cell of its own (its first cell, one column wide, beside
    the heading's cell) that was read as nothing."""
    cells = row.cells
    return (len(cells) >= 2 and cells[0].col_span == 1 and not cells[0].text.strip()
            and any(c.text.strip() for c in cells[1:]))


def _paths(table: LogicalTable, roles: Sequence[str | None], part: _Heading,
           methods: Mapping[int, str] | None = None) -> dict[int, _Path]:
    """The item path of every data row (by row index), from the section rows above it."""
    item_col = roles.index("item_no") if "item_no" in roles else None
    numbers = _item_numbers(table, item_col, methods or {})
    sections = _section_headings(table, methods or {})
    levels = dict(zip((i for i, _ in sections), _section_levels([h for _, h in sections])))
    headings = dict(sections)
    section, parent = _Heading(), None
    seen: dict[tuple, int] = {}
    out: dict[int, _Path] = {}
    for i, row in enumerate(table.rows):
        if row.kind == "section":
            if levels[i] == "part":
                part, section = headings[i], _Heading()
            else:
                section = headings[i]
            parent = None
            continue
        if row.kind != "data":
            continue
        item = numbers[i][0]
        if item and _SUB_ITEM.match(item):
            parent_no = parent
        else:
            parent_no, parent = None, item
        place = (part.key, section.key, parent_no, item)
        seen[place] = seen.get(place, 0) + 1
        k = seen[place]
        item_key = (item or "") + (f"#{k}" if k > 1 or not item else "")
        out[i] = _Path(part, section, parent_no, item, item_key, numbers[i][1])
    return out


def task_id(doc_id: str, table_no: int, path: _Path) -> str:
    """The stable id of a task (the rule is the description of tasks.task_id in schema)."""
    return stable_id(doc_id, table_no, path.part.key, path.section.key, path.parent or "", path.item_key)


def task_rows(
    doc_id: str,
    table: LogicalTable,
    roles: Sequence[str | None],
    facts: DocumentFacts,
    *,
    part: _Heading = _Heading(),
    methods: Mapping[int, str] | None = None,
) -> tuple[list[Row], list[Row]]:
    """Tasks and their statuses from one task table."""
    as_of_by_role = {role: find_period_date(table.headers[i]) for i, role in enumerate(roles) if role}
    header_as_of = as_of_by_role.get("result") or as_of_by_role.get("status")
    as_of = header_as_of or ((facts.dated, facts.dated_precision) if facts.dated else (None, None))
    tasks, statuses = [], []
    for i, path in _paths(table, roles, part, methods).items():
        row = table.rows[i]
        v = _texts(row, roles)
        if not v.get("name"):
            continue
        task = _task(doc_id, table.table_no, i + 1, row, v, path, methods or {})
        tasks.append(task)
        status = _status(task, row, roles, v, as_of)
        if status:
            statuses.append(status)
    return tasks, statuses


def _task(doc_id: str, table_no: int, row_no: int, row: LogicalRow, v: dict[str, str], path: _Path,
          methods: Mapping[int, str]) -> Row:
    pages = [p for p, _ in row.spans]
    ocr = methods.get(min(pages)) == "ocr"
    deadline = parse_deadline(repair_deadline_text(v["deadline"]) if ocr and v.get("deadline") else v.get("deadline"))
    lead_raw = v.get("lead") or None
    coord_raw = v.get("coordinators") or None
    # the bodies are resolved from the OCR'd cell as mended (a slip of a mark, "Tống Thanh tra",
    # would otherwise hide the body); the cell is kept as read
    lead_text = repair_text(lead_raw) if ocr and lead_raw else lead_raw
    coord_text = repair_text(coord_raw) if ocr and coord_raw else coord_raw
    return _build(
        "tasks",
        task_id=task_id(doc_id, table_no, path),
        doc_id=doc_id,
        table_no=table_no,
        row_no=row_no,
        part=path.part.text,
        part_no=path.part.no,
        section=path.section.text,
        section_no=path.section.no,
        item_no=path.item,
        item_no_raw=path.item_raw,
        parent_item_no=path.parent,
        name=repair_text(canonical_ellipsis(v["name"])) if ocr else canonical_ellipsis(v["name"]),
        name_raw=v["name"] if ocr else None,
        lead_agency_raw=lead_raw,
        lead_agencies=list(resolve_agencies(lead_text).names),
        coordinating_agency_raw=coord_raw,
        coordinating_agencies=list(resolve_agencies(coord_text).names),
        required_result=v.get("required_result") or None,
        deadline_raw=v.get("deadline") or None,
        deadline_kind=deadline.kind,
        deadline_due=deadline.due,
        deadline_open_ended=deadline.open_ended,
        page_start=min(pages),
        page_end=max(pages),
        spans=[_box(p, b) for p, b in row.spans],
        extraction_method="ocr" if ocr else "text",
    )


def _status(task: Row, row: LogicalRow, roles: Sequence[str | None], v: dict[str, str],
            as_of: tuple[date | None, str | None]) -> Row | None:
    raw = v.get("status") or None
    result = v.get("result") or None
    if raw is None and result is None and not v.get("expected_result") and not v.get("obstacles"):
        return None
    if raw is not None:
        status, inferred = status_from_column(raw), False
    else:
        status, inferred = infer_status(result), True
    source = next(
        (_cell(row, roles.index(r)) for r in ("status", "result", "expected_result", "obstacles") if r in roles and v.get(r)),
        None,
    )
    return _build(
        "statuses",
        status_id=stable_id(task["task_id"], "status"),
        task_id=task["task_id"],
        doc_id=task["doc_id"],
        as_of=as_of[0],
        as_of_precision=as_of[1] if as_of[0] else None,
        status_raw=raw,
        status=status,
        status_inferred=inferred,
        result=result,
        expected_result=v.get("expected_result") or None,
        obstacles=v.get("obstacles") or None,
        page_start=task["page_start"],
        page_end=task["page_end"],
        cell_box=_box(source.page, source.box) if source else None,
    )


# ---------------------------------------------------------------- citations


@dataclass(frozen=True)
class _Found:
    page: int
    task_id: str | None
    raw: str
    number: str
    score: float
    box: Box


def _prose_citations(page: PageContent) -> Iterable[_Found]:
    """Numbers cited in the page's prose, each with the box of the words that print it."""
    pieces, spans, pos = [], [], 0  # text of each word and its (start, end, word) in the page text
    for li, line in enumerate(page.lines):
        if li:
            pieces.append("\n")
            pos += 1
        for wi, w in enumerate(line.words):
            if wi:
                pieces.append(" ")
                pos += 1
            t = nfc(w.text)
            pieces.append(t)
            spans.append((pos, pos + len(t), w))
            pos += len(t)
    text = "".join(pieces)
    ocr = page.method == "ocr"
    for dn, s, e in find_doc_numbers(text):
        words = [w for a, b, w in spans if a < e and b > s]
        box = (min(w.x0 for w in words), min(w.top for w in words), max(w.x1 for w in words), max(w.bottom for w in words))
        number, score = _checked(dn, ocr)
        yield _Found(page.page, None, text[s:e], number, score, box)


def _checked(dn, ocr: bool) -> tuple[str, float]:
    """The number to link and its score (see the CITE_SCORE_* constants)."""
    if not ocr:
        return dn.normalized, CITE_SCORE_TEXT
    fixed, verdict = verify_ocr_number(dn)
    score = {"known": CITE_SCORE_OCR_KNOWN, "repaired": CITE_SCORE_OCR_REPAIRED}.get(verdict, CITE_SCORE_OCR_UNVERIFIED)
    return fixed.normalized, score


def citation_links(doc_id: str, ex: ExtractedDocument, tasks: Sequence[Row], facts: DocumentFacts) -> list[Row]:
    """A 'cites' link for every document number printed in prose or in a table cell."""
    found: list[_Found] = []
    for page in ex.pages:
        found += _prose_citations(page)
    methods = {p.page: p.method for p in ex.pages}
    for table in ex.tables:
        tids = _row_task_ids(table, tasks)
        for i, row in enumerate(table.rows):
            for c in row.cells:
                for dn, s, e in find_doc_numbers(c.text):
                    number, score = _checked(dn, methods.get(c.page) == "ocr")
                    found.append(_Found(c.page, tids.get(i), c.text[s:e], number, score, c.box))
    links, seen = [], set()
    for f in found:
        if f.number == facts.doc_number:
            continue  # a document printing its own number
        key = (f.page, f.task_id, f.number)
        if key in seen:
            continue
        seen.add(key)
        links.append(_build(
            "links",
            link_id=stable_id(doc_id, "cites", f.page, f.task_id, f.number),
            link_type="cites", src_doc_id=doc_id, src_task_id=f.task_id, src_page=f.page,
            src_box=_box(f.page, f.box), raw_text=clean(f.raw), dst_doc_number=f.number, dst_task_id=None, score=f.score,
        ))
    return links


def _row_task_ids(table: LogicalTable, tasks: Sequence[Row]) -> dict[int, str]:
    """Row index -> task_id for the task rows of `table` (rows with a task among `tasks`)."""
    by_row = {t["row_no"]: t["task_id"] for t in tasks if t["table_no"] == table.table_no}
    return {i: by_row[i + 1] for i in range(len(table.rows)) if i + 1 in by_row}
