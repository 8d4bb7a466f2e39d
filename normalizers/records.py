"""One extracted document -> the rows it contributes to each curated table.

Pure functions from the extractor's plain data (pages, logical tables) to row dicts
whose keys are the columns declared in `schema`. Facts that need the whole corpus
(`source_file`, the cited document's id, same-task links) are added later by
`corpus.py`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, Sequence

from extractors.document import ExtractedDocument
from extractors.headers import column_roles
from extractors.stitch import LogicalRow, LogicalTable

from .agencies import resolve_agencies
from .dates import parse_date
from .deadlines import parse_deadline
from .docnumbers import find_doc_numbers
from .document import DocumentFacts, document_facts
from .statuses import infer_status, status_from_column
from .text import clean

Row = dict[str, Any]
TASK_ROLES = {"lead", "deadline", "result", "status", "required_result", "coordinators"}
_SUB_ITEM = re.compile(r"^\(\d+\)$")


def stable_id(*parts: object) -> str:
    """Deterministic id from the parts (same input bytes -> same id on every run)."""
    return hashlib.sha256("|".join(map(str, parts)).encode("utf-8")).hexdigest()[:20]


@dataclass
class DocRecords:
    """Rows of one document for each curated table (documents has exactly one)."""

    document: Row
    pages: list[Row] = field(default_factory=list)
    cells: list[Row] = field(default_factory=list)
    tasks: list[Row] = field(default_factory=list)
    statuses: list[Row] = field(default_factory=list)
    links: list[Row] = field(default_factory=list)


def failed_document(doc_id: str, error: str, n_pages: int = 0) -> DocRecords:
    doc = {"doc_id": doc_id, "n_pages": n_pages, "doc_number": None, "doc_type": None, "issuer": None,
           "issued_date": None, "title": None, "attached_to": None, "n_text_pages": 0, "n_ocr_pages": 0,
           "status": "failed", "error": error}
    return DocRecords(doc)


def document_records(doc_id: str, ex: ExtractedDocument) -> DocRecords:
    facts = document_facts(ex.pages[0].lines) if ex.pages else DocumentFacts()
    tables = [(t, column_roles(t.headers)) for t in ex.tables]
    tasks, statuses = [], []
    for table, roles in tables:
        if _is_task_table(roles):
            t_rows, s_rows = task_rows(doc_id, table, roles, facts)
            tasks += t_rows
            statuses += s_rows
    for t in tasks:
        t["extraction_method"] = "ocr" if ex.pages[t["page_start"] - 1].method == "ocr" else "text"
    return DocRecords(
        document=_document_row(doc_id, ex, facts),
        pages=page_rows(doc_id, ex),
        cells=[c for t, _ in tables for c in cell_rows(doc_id, t)],
        tasks=tasks,
        statuses=statuses,
        links=citation_links(doc_id, ex, tasks, facts),
    )


def _is_task_table(roles: Sequence[str | None]) -> bool:
    return "name" in roles and bool(TASK_ROLES & set(roles))


def _document_row(doc_id: str, ex: ExtractedDocument, facts: DocumentFacts) -> Row:
    failed = [p for p in ex.pages if p.method == "failed"]
    status = "ok" if not failed else ("failed" if len(failed) == len(ex.pages) else "partial")
    error = "; ".join(f"page {p.page}: {p.error}" for p in failed) or None
    return {
        "doc_id": doc_id,
        "n_pages": ex.n_pages,
        "doc_number": facts.doc_number,
        "doc_type": facts.doc_type,
        "issuer": facts.issuer,
        "issued_date": facts.issued_date,
        "title": facts.title,
        "attached_to": facts.attached_to,
        "n_text_pages": sum(p.method == "text" for p in ex.pages),
        "n_ocr_pages": sum(p.method == "ocr" for p in ex.pages),
        "status": status,
        "error": error,
    }


def page_rows(doc_id: str, ex: ExtractedDocument) -> list[Row]:
    per_page: dict[int, int] = {}
    for t in ex.tables:
        for r in t.rows:
            for page, _ in r.spans:
                per_page[page] = per_page.get(page, 0) + 1
    return [
        {"doc_id": doc_id, "page": p.page, "method": p.method, "n_chars": p.n_chars,
         "n_table_rows": per_page.get(p.page, 0), "error": p.error}
        for p in ex.pages
    ]


def cell_rows(doc_id: str, table: LogicalTable) -> list[Row]:
    out = []
    for row_no, row in enumerate(table.rows, start=1):
        for c in row.cells:
            out.append({
                "doc_id": doc_id, "table_no": table.table_no, "row_no": row_no, "col_no": c.col + 1,
                "header": table.headers[c.col] or None, "text": c.text, "row_kind": row.kind, "page": c.page,
                "x0": c.box[0], "top": c.box[1], "x1": c.box[2], "bottom": c.box[3],
            })
    return out


def _texts(row: LogicalRow, roles: Sequence[str | None]) -> dict[str, str]:
    return {role: row.text_at(i) for i, role in enumerate(roles) if role}


def task_rows(doc_id: str, table: LogicalTable, roles: Sequence[str | None], facts: DocumentFacts) -> tuple[list[Row], list[Row]]:
    """Tasks and their statuses from one task table."""
    as_of_by_role = {role: parse_date(table.headers[i]) for i, role in enumerate(roles) if role}
    tasks, statuses = [], []
    section = parent = None
    for row_no, row in enumerate(table.rows, start=1):
        if row.kind == "section":
            section = clean(" ".join(t for t in row.texts if t)) or None
            parent = None
            continue
        if row.kind != "data":
            continue
        v = _texts(row, roles)
        if not v.get("name"):
            continue
        item = (v.get("item_no") or "").replace(" ", "") or None
        if item and _SUB_ITEM.match(item):
            parent_no = parent
        else:
            parent_no, parent = None, item
        task = _task(doc_id, table.table_no, row_no, row, v, section, item, parent_no)
        tasks.append(task)
        status = _status(task, v, as_of_by_role, facts)
        if status:
            statuses.append(status)
    return tasks, statuses


def _task(doc_id, table_no, row_no, row: LogicalRow, v: dict[str, str], section, item, parent_no) -> Row:
    deadline = parse_deadline(v.get("deadline"))
    lead_raw = v.get("lead") or None
    coord_raw = v.get("coordinators") or None
    pages = [p for p, _ in row.spans]
    return {
        "task_id": stable_id(doc_id, table_no, row_no),
        "doc_id": doc_id,
        "table_no": table_no,
        "row_no": row_no,
        "section": section,
        "item_no": item,
        "parent_item_no": parent_no,
        "name": v["name"],
        "lead_agency_raw": lead_raw,
        "lead_agencies": list(resolve_agencies(lead_raw).names),
        "coordinating_agency_raw": coord_raw,
        "coordinating_agencies": list(resolve_agencies(coord_raw).names),
        "required_result": v.get("required_result") or None,
        "deadline_raw": v.get("deadline") or None,
        "deadline_kind": deadline.kind,
        "deadline_due": deadline.due,
        "deadline_open_ended": deadline.open_ended,
        "page_start": min(pages),
        "page_end": max(pages),
        "spans": [{"page": p, "x0": b[0], "top": b[1], "x1": b[2], "bottom": b[3]} for p, b in row.spans],
    }


def _status(task: Row, v: dict[str, str], as_of_by_role: dict, facts: DocumentFacts) -> Row | None:
    raw = v.get("status") or None
    result = v.get("result") or None
    if raw is None and result is None and not v.get("expected_result") and not v.get("obstacles"):
        return None
    if raw is not None:
        status, inferred = status_from_column(raw), False
    else:
        status, inferred = infer_status(result), True
    as_of = as_of_by_role.get("result") or as_of_by_role.get("status") or facts.issued_date
    return {
        "status_id": stable_id(task["task_id"], "status"),
        "task_id": task["task_id"],
        "doc_id": task["doc_id"],
        "as_of": as_of,
        "status_raw": raw,
        "status": status,
        "status_inferred": inferred,
        "result": result,
        "expected_result": v.get("expected_result") or None,
        "obstacles": v.get("obstacles") or None,
        "page_start": task["page_start"],
        "page_end": task["page_end"],
    }


def citation_links(doc_id: str, ex: ExtractedDocument, tasks: Sequence[Row], facts: DocumentFacts) -> list[Row]:
    """A 'cites' link for every document number printed in prose or in a table cell."""
    found: list[tuple[int, str | None, str, str]] = []  # page, task_id, raw, normalized
    for page in ex.pages:
        text = "\n".join(l.text for l in page.lines)
        found += [(page.page, None, text[s:e], dn.normalized) for dn, s, e in find_doc_numbers(text)]
    task_index = {(t["table_no"], t["row_no"]): t["task_id"] for t in tasks}
    for table in ex.tables:
        for row_no, row in enumerate(table.rows, start=1):
            tid = task_index.get((table.table_no, row_no))
            for c in row.cells:
                found += [(c.page, tid, c.text[s:e], dn.normalized) for dn, s, e in find_doc_numbers(c.text)]
    links, seen = [], set()
    for page, tid, raw, number in found:
        if number == facts.doc_number:
            continue  # a document printing its own number
        key = (page, tid, number)
        if key in seen:
            continue
        seen.add(key)
        links.append({
            "link_id": stable_id(doc_id, "cites", page, tid, number),
            "link_type": "cites", "src_doc_id": doc_id, "src_task_id": tid, "src_page": page,
            "raw_text": clean(raw), "dst_doc_number": number, "dst_doc_id": None, "dst_task_id": None, "score": 1.0,
        })
    return links
