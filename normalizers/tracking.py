"""Task tracking: each task of an originating document, with every status later reported on it.

The one meaning of "open" used everywhere (the `task_tracking` table, the analyst guide, the
DuckDB views, the HTML report's counts and the checks) is `is_open`: a task is open unless the
latest status reported for it is `completed` or `completed_late` (`CLOSED_STATUSES`); a task with
no status at all, or whose latest status is `unknown`, is open. `is_overdue`: open, and its
deadline's last day (`deadline_due`) is before the date the run tracks on, unless the deadline is
open-ended ("… và những năm tiếp theo"); or open and the latest report itself says `overdue`.

A task is *originating* (one row of `task_tracking`) when
- its document is a primary copy (`documents.duplicate_of` is null),
- its document assigns tasks rather than reports on them (`originating_document`: a directive,
  plan, decision, notice, resolution, programme, dispatch, …, or an appendix of one, or an
  appendix whose parent is unknown; never a report, an official letter or a submission),
- and it is not itself the copy of a task of a document its document reports on (no outgoing
  `same_task` link).

Its statuses are its own (a notice's appendix may carry a result column) and those of every task
linked to it by `same_task` links (from the report's task to the task it reports on, followed
transitively: a report on a report), leaving out the rows of duplicate documents (`copy_of`
links are never followed). The latest is, of those whose `as_of` is not after the day tracked
on, the one with the latest `as_of` (a status without a date counts as the oldest), then of the
later-issued document, then by status_id: on a day before a report, that report is not known yet.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable, Mapping, Sequence

from .agencies import current_agency
from .docnumbers import doc_type_name, parse_doc_number

Row = dict[str, Any]

CLOSED_STATUSES = ("completed", "completed_late")
# Documents that report, ask or record rather than assign: their tasks are not tracked of their own
REPORTING_TYPES = ("Báo cáo", "Công văn", "Tờ trình", "Biên bản", "Phiếu lấy ý kiến", "Giấy mời", "Giấy giới thiệu")
APPENDIX_TYPES = ("Phụ lục",)


def is_open(latest_status: str | None) -> bool:
    """THE meaning of "open": not reported completed (no status and `unknown` are open)."""
    return latest_status not in CLOSED_STATUSES


def is_overdue(latest_status: str | None, deadline_due: dt.date | None, open_ended: bool | None,
               on: dt.date) -> bool:
    """Open and past its due date on `on` (not for open-ended deadlines), or open and reported overdue."""
    if not is_open(latest_status):
        return False
    if latest_status == "overdue":
        return True
    return deadline_due is not None and not open_ended and deadline_due < on


def sql_macros() -> str:
    """The same two definitions as DuckDB macros (`is_open(status)`, `is_overdue(status, due,
    open_ended, on)`), rendered from this module's constants, for the views of the DuckDB file."""
    closed = ", ".join(f"'{c}'" for c in CLOSED_STATUSES)
    return (f"create or replace macro is_open(status) as (status is null or status not in ({closed}));\n"
            "create or replace macro is_overdue(status, due, open_ended, on_date) as (is_open(status) and "
            "(coalesce(status = 'overdue', false) or (due is not null and not coalesce(open_ended, false) and due < on_date)));")


def current_agencies(names: Iterable[str] | None) -> list[str]:
    """Each agency's current body, in order, each once."""
    out: list[str] = []
    for n in names or ():
        c = current_agency(n)
        if c not in out:
            out.append(c)
    return out


def _type_of_number(number: str | None) -> str | None:
    parsed = parse_doc_number(number) if number else None
    return doc_type_name(parsed.type_code) if parsed else None


def originating_document(document: Mapping[str, Any]) -> bool:
    """Whether a document assigns tasks: any type but those that report, ask or record
    (`REPORTING_TYPES`: a report, an official letter, a submission, minutes, …); an appendix
    (or a document of unknown type) by the type of the document it is attached to, else of its
    own number; one whose type cannot be told at all is tracked."""
    kind = document.get("doc_type")
    if kind in APPENDIX_TYPES or kind is None:
        kind = _type_of_number(document.get("attached_to")) or _type_of_number(document.get("doc_number"))
        if kind is None:
            return True
    return kind not in REPORTING_TYPES


def _status_entry(s: Row, doc: Mapping[str, Any]) -> Row:
    return {"status_id": s["status_id"], "task_id": s["task_id"], "doc_id": s["doc_id"],
            "doc_number": doc.get("doc_number") or doc.get("attached_to"), "status": s["status"], "as_of": s["as_of"]}


def _order(s: Row, docs: Mapping[str, Mapping[str, Any]]) -> tuple:
    doc = docs.get(s["doc_id"], {})
    return (s["as_of"] or dt.date.min, doc.get("issued_date") or dt.date.min, s["status_id"])


def tracking_rows(documents: Sequence[Row], tasks: Sequence[Row], statuses: Sequence[Row], links: Sequence[Row],
                  on: dt.date) -> list[Row]:
    """One `task_tracking` row per originating task (unsorted; see the module docstring)."""
    docs = {d["doc_id"]: d for d in documents}
    primary = {d for d, row in docs.items() if row.get("duplicate_of") is None}
    reported_by: dict[str, list[str]] = {}  # task -> tasks of reports on it
    reporting: set[str] = set()
    for link in links:
        if link["link_type"] == "same_task" and link["src_doc_id"] in primary:
            reported_by.setdefault(link["dst_task_id"], []).append(link["src_task_id"])
            reporting.add(link["src_task_id"])
    status_of: dict[str, list[Row]] = {}
    for s in statuses:
        if s["doc_id"] in primary:
            status_of.setdefault(s["task_id"], []).append(s)
    rows = []
    for t in tasks:
        doc = docs.get(t["doc_id"])
        if doc is None or t["doc_id"] not in primary or t["task_id"] in reporting or not originating_document(doc):
            continue
        seen, todo, found = {t["task_id"]}, [t["task_id"]], []
        while todo:
            task_id = todo.pop()
            found += status_of.get(task_id, [])
            for src in reported_by.get(task_id, []):
                if src not in seen:
                    seen.add(src)
                    todo.append(src)
        found.sort(key=lambda s: _order(s, docs))
        known = [s for s in found if s["as_of"] is None or s["as_of"] <= on]  # reported by that day
        latest = known[-1] if known else None
        latest_doc = docs[latest["doc_id"]] if latest else {}
        status = latest["status"] if latest else None
        rows.append({
            "task_id": t["task_id"], "doc_id": t["doc_id"], "doc_number": doc.get("doc_number") or doc.get("attached_to"),
            "doc_type": doc.get("doc_type"), "source_file": t["source_file"], "table_no": t["table_no"],
            "row_no": t["row_no"], "part_no": t["part_no"],
            "section_no": t["section_no"], "item_no": t["item_no"], "name": t["name"],
            "lead_agencies": list(t["lead_agencies"] or []), "lead_agencies_now": current_agencies(t["lead_agencies"]),
            "deadline_raw": t["deadline_raw"], "deadline_kind": t["deadline_kind"], "deadline_due": t["deadline_due"],
            "deadline_open_ended": t["deadline_open_ended"],
            "statuses": [_status_entry(s, docs[s["doc_id"]]) for s in found], "n_statuses": len(found),
            "latest_status": status, "latest_as_of": latest["as_of"] if latest else None,
            "latest_result": latest["result"] if latest else None,
            "latest_status_id": latest["status_id"] if latest else None,
            "latest_task_id": latest["task_id"] if latest else None,
            "latest_doc_id": latest["doc_id"] if latest else None,
            "latest_doc_number": (latest_doc.get("doc_number") or latest_doc.get("attached_to")) if latest else None,
            "latest_source_file": latest_doc.get("source_file") if latest else None,
            "is_open": is_open(status),
            "is_overdue": is_overdue(status, t["deadline_due"], t["deadline_open_ended"], on),
            "tracked_on": on,
        })
    return rows
