"""`nhiemvu report`: one self-contained HTML page over the curated tables, opened from disk.

It lists the documents (status, pages, method, errors, duplicates); per document its tasks
with deadline, status and links, each with a link to the picture of its row (written beside
the page by `trace`'s drawing code); the failed pages, the unmatched agency names and the
failed checks; and, per agency (rolled up through the 2025 successors), the open and overdue
tasks of `task_tracking` (the one meaning of open: `normalizers.tracking.is_open`). No server, no script, no external resource: the page is HTML and CSS only.
"""

from __future__ import annotations

import datetime as dt
import html
from collections import defaultdict
from pathlib import Path

import pyarrow.parquet as pq

from extractors.highlight import stack, traced_page
from normalizers.agencies import resolve_agencies
from normalizers.tracking import current_agency

from .trace import source_path

CSS = """
body{font-family:sans-serif;margin:1.5em;color:#222} table{border-collapse:collapse;margin:.5em 0 1.5em}
td,th{border:1px solid #bbb;padding:3px 6px;vertical-align:top;font-size:13px} th{background:#eee}
.failed{color:#b00} .partial{color:#a60} .ok{color:#070} h2{margin-top:1.6em} .small{font-size:12px;color:#555}
"""


def current_name(name: str) -> str:
    """The body that holds an agency's duties today (following the 2025 successors)."""
    return current_agency(name)


def _read(curated: Path, name: str) -> list[dict]:
    path = curated / f"{name}.parquet"
    if not path.exists():
        raise SystemExit(f"no curated tables in {curated}: run `nhiemvu run` first")
    return pq.read_table(path).to_pylist()


def _e(value) -> str:
    return "" if value is None else html.escape(str(value))


def _cut(text: str | None, n: int) -> str | None:
    return text if text is None or len(text) <= n else text[: n - 1] + "…"


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>" if rows else "<p class=small>none</p>"


def _picture(task: dict, cells: list[dict], raw: Path, folder: Path) -> str | None:
    """Write the picture of a task's row; returns its path relative to the report (None if the file is gone)."""
    source = source_path(raw, task["source_file"], task["doc_id"])
    if not source.is_file() or not task["spans"]:
        return None
    by_page: dict[int, list] = defaultdict(list)
    for c in cells:
        by_page[c["page"]].append((c["x0"], c["top"], c["x1"], c["bottom"]))
    first = by_page.get(task["page_start"], [])
    images = []
    for span in task["spans"]:
        row = (span["x0"], span["top"], span["x1"], span["bottom"])
        boxes = by_page.get(span["page"]) or [(b[0], row[1], b[2], row[3]) for b in first]
        images.append(traced_page(source, span["page"], row, boxes, f"{task['source_file']}  page {span['page']}  item {task['item_no'] or '-'}")[0])
    name = f"rows/{task['task_id']}.png"
    (folder / "rows").mkdir(parents=True, exist_ok=True)
    stack(images).save(folder / name)
    return name


def build_report(curated: Path, raw: Path, out: Path, *, checks: list[dict] | None = None, pictures: bool = True) -> Path:
    """Write `out/index.html` (and `out/rows/*.png`); returns the page's path."""
    out.mkdir(parents=True, exist_ok=True)
    docs = _read(curated, "documents")
    pages = _read(curated, "pages")
    tasks = _read(curated, "tasks")
    statuses = {s["task_id"]: s for s in _read(curated, "statuses")}
    links = _read(curated, "links")
    cells_by_row: dict[tuple, list] = defaultdict(list)
    if pictures:
        for c in _read(curated, "cells"):
            cells_by_row[(c["doc_id"], c["table_no"], c["row_no"])].append(c)
    by_doc = {d["doc_id"]: d for d in docs}
    links_of: dict[str, list] = defaultdict(list)
    for link in links:
        if link["src_task_id"]:
            links_of[link["src_task_id"]].append(link)

    parts = [f"<!doctype html><html lang=vi><head><meta charset=utf-8><title>nhiemvu report</title><style>{CSS}</style></head><body>",
             f"<h1>nhiemvu report</h1><p class=small>{len(docs)} documents, {len(tasks)} tasks, {len(statuses)} statuses, "
             f"{len(links)} links; from {_e(curated)}</p>",
             "<nav><a href='#documents'>Documents</a> · <a href='#agencies'>Open tasks per agency</a> · "
             "<a href='#problems'>Problems</a></nav>"]

    parts.append("<h2 id=documents>Documents</h2>")
    rows = []
    for d in docs:
        anchor = f"<a href='#doc-{d['doc_id'][:16]}'>{_e(d['source_file'])}</a>" if any(t["doc_id"] == d["doc_id"] for t in tasks) else _e(d["source_file"])
        dup = f"copy of {_e(by_doc[d['duplicate_of']]['source_file'])}" if d["duplicate_of"] in by_doc else ""
        rows.append([anchor, _e(d["doc_number"]), _e(d["doc_type"]), _e(d["issued_date"]),
                     f"<span class={_e(d['status'])}>{_e(d['status'])}</span>", _e(d["n_pages"]),
                     f"{d['n_text_pages']} text, {d['n_ocr_pages']} ocr", dup, _e(d["error"])])
    parts.append(_table(["file", "number", "type", "issued", "status", "pages", "method", "duplicate", "error"], rows))

    for d in docs:
        mine = [t for t in tasks if t["doc_id"] == d["doc_id"]]
        if not mine:
            continue
        parts.append(f"<h3 id='doc-{d['doc_id'][:16]}'>{_e(d['source_file'])} ({_e(d['doc_number'] or d['attached_to'])})</h3>")
        rows = []
        for t in mine:
            s = statuses.get(t["task_id"])
            pic = _picture(t, cells_by_row[(t["doc_id"], t["table_no"], t["row_no"])], raw, out) if pictures else None
            where = f"<a href='{_e(pic)}'>p.{t['page_start']}</a>" if pic else f"p.{t['page_start']}"
            cited = ", ".join(_e(l["dst_doc_number"] or "same task") for l in links_of.get(t["task_id"], []))
            rows.append([_e(t["item_no"]), _e(t["section"]), _e(_cut(t["name"], 300)), _e(", ".join(t["lead_agencies"] or []) or t["lead_agency_raw"]),
                         _e(t["deadline_raw"]), _e(t["deadline_due"]), _e(s["status"] if s else ""), cited, where])
        parts.append(_table(["item", "section", "task", "lead", "deadline", "due", "status", "links", "row"], rows))

    tracking = _read(curated, "task_tracking")
    on = tracking[0]["tracked_on"] if tracking else dt.date.today()
    parts.append("<h2 id=agencies>Open tasks per agency</h2><p class=small>Tasks of directives, plans, decisions and notices "
                 "whose latest reported status is not completed (no status or unknown counts as open: "
                 "normalizers/tracking.py); agencies merged in 2025 are counted under their successor. "
                 f"Past due: open and the deadline is before {_e(on)}.</p>")
    per_agency: dict[str, list] = defaultdict(list)
    for r in tracking:
        if not r["is_open"]:
            continue
        for name in r["lead_agencies_now"] or ["(unresolved)"]:
            per_agency[name].append(r)
    rows = [[_e(a), str(len(v)), str(sum(1 for r in v if r["is_overdue"])),
             ", ".join(sorted({_e(r["latest_status"] or "no status") for r in v}))]
            for a, v in sorted(per_agency.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
    parts.append(_table(["agency", "open tasks", "past due", "latest statuses"], rows))

    parts.append("<h2 id=problems>Problems</h2><h3>Failed pages</h3>")
    parts.append(_table(["file", "page", "error"], [[_e(by_doc[p["doc_id"]]["source_file"]), _e(p["page"]), _e(p["error"])]
                                                     for p in pages if p["method"] == "failed"]))
    unmatched = sorted({u for t in tasks for raw_ in (t["lead_agency_raw"], t["coordinating_agency_raw"]) for u in resolve_agencies(raw_).unmatched})
    parts.append("<h3>Unmatched agency names</h3>" + _table(["name"], [[_e(u)] for u in unmatched]))
    failed_checks = [c for c in (checks or []) if not c["passed"]]
    parts.append("<h3>Failed checks</h3>" + _table(
        ["check", "severity", "details"],
        [[_e(c["check"]), _e(c["severity"]), "<br>".join(_e(f"{k}: {v}") for k, v in c["metadata"].items())] for c in failed_checks]))
    parts.append("</body></html>")
    page = out / "index.html"
    page.write_text("\n".join(parts), encoding="utf-8")
    return page
