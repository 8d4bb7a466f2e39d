"""`nhiemvu report`: a report over the curated tables an auditor works in, opened from disk.

The folder it writes holds `index.html` (rendered from `templates/report.html.j2`), the
script and style it needs (`templates/report.js`, `templates/report.css`, copied beside it:
no server, no network) and one light picture per page that holds a task row
(`pages/<doc>-p<N>.webp`, loaded when shown). The page lists the documents (a document with
no number printed says so, and what it is attached to), every task with its id, document,
item, lead agencies, deadline, status and the tasks it is the same as (links), a thumbnail
of its row (the page picture cropped by the browser) that opens the page with the row
marked; search, filters (agency, status, deadline, document), sorting by any column, a
per-agency drill-down, and a CSV export of the rows shown. "Past due" counts from one date,
printed on the page (`as_of`, today unless given).

What "open" and "past due" mean is decided once, in `normalizers.tracking` (`is_open`: the
latest status is not completed nor completed late, no status and `unknown` are open;
`is_overdue`: open and due before the day, not for open-ended deadlines, or reported overdue),
the same functions that make the `task_tracking` table; the per-agency counts, the filters and
the CSV all use them. A task of an originating document shows its latest status as
`task_tracking` holds it (what the last report on it said, with that report); a report's own
task shows the status it prints.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from normalizers import tracking
from normalizers.agencies import resolve_agencies

from .trace import source_path

TEMPLATES = Path(__file__).parent / "templates"
ASSETS = ("report.js", "report.css")
PAGE_WIDTH_PX = 1000  # pictures of pages: this wide at most (WebP), enough to read a row
PAGE_QUALITY = 45
NO_STATUS = "(no status)"


def _read(curated: Path, name: str) -> list[dict]:
    path = curated / f"{name}.parquet"
    if not path.exists():
        raise SystemExit(f"no curated tables in {curated}: run `nhiemvu run` first")
    return pq.read_table(path).to_pylist()


@dataclass(frozen=True)
class DocLabel:
    """How a document is named on the page: its number, or that it has none printed."""

    number: str | None  # the number printed, if any
    text: str  # what is shown
    missing: bool  # no number printed (an appendix, a report without one)


def doc_label(d: dict, by_doc: dict[str, dict]) -> DocLabel:
    if d["status"] == "failed":
        return DocLabel(None, "not read (see the error)", True)
    if d["doc_number"]:
        return DocLabel(d["doc_number"], d["doc_number"], False)
    kind = d["doc_type"] or "document"
    if d["attached_to"]:
        return DocLabel(None, f"{kind} of {d['attached_to']} (no number of its own)", True)
    if d["duplicate_of"] in by_doc and by_doc[d["duplicate_of"]]["doc_number"]:
        return DocLabel(None, f"copy of {by_doc[d['duplicate_of']]['doc_number']} (no number read)", True)
    return DocLabel(None, f"{kind}, no number printed", True)


def _short_doc(d: dict, label: DocLabel) -> str:
    """The document in a task row: its number, else what it is attached to, else its file."""
    if label.number:
        return label.number
    return f"appendix of {d['attached_to']}" if d["attached_to"] else d["source_file"]


def _pictures(tasks: list[dict], raw: Path, out: Path) -> dict[tuple[str, int], dict]:
    """One WebP per page that holds a task row; (doc_id, page) -> file and page size in points."""
    import pypdfium2 as pdfium

    wanted: dict[str, set[int]] = defaultdict(set)
    files: dict[str, Path] = {}
    for t in tasks:
        for span in t["spans"] or []:
            wanted[t["doc_id"]].add(span["page"])
        if t["doc_id"] not in files:  # once per document: finding a renamed file hashes the raw folder
            files[t["doc_id"]] = source_path(raw, t["source_file"], t["doc_id"])
    folder = out / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    made = {}
    for doc_id, pages in sorted(wanted.items()):
        if not files[doc_id].is_file():
            continue
        pdf = pdfium.PdfDocument(str(files[doc_id]))
        try:
            for page_no in sorted(pages):
                page = pdf[page_no - 1]
                width, height = page.get_size()
                scale = min(1.5, PAGE_WIDTH_PX / width)
                image = page.render(scale=scale).to_pil().convert("RGB")
                name = f"pages/{doc_id[:16]}-p{page_no}.webp"
                image.save(out / name, "WEBP", quality=PAGE_QUALITY, method=4)
                made[(doc_id, page_no)] = {"src": name, "w": float(width), "h": float(height)}
        finally:
            pdf.close()
    return made


def _task_rows(docs, tasks, statuses, links, labels, pictures, as_of, tracked=None) -> list[dict]:
    """One row per task; a tracked task (`task_tracking`) shows its latest status, as the last
    report on it said it, else the status its own row prints."""
    tracked = tracked or {}
    by_doc = {d["doc_id"]: d for d in docs}
    by_task = {t["task_id"]: t for t in tasks}
    same: dict[str, list[str]] = defaultdict(list)
    for link in links:
        if link["link_type"] == "same_task" and link["src_task_id"] in by_task and link["dst_task_id"] in by_task:
            same[link["src_task_id"]].append(link["dst_task_id"])
            same[link["dst_task_id"]].append(link["src_task_id"])

    def name_of(t: dict) -> str:
        d = by_doc[t["doc_id"]]
        sec = f" ({t['section_no']})" if t["section_no"] else ""
        copy = " (copy)" if d["duplicate_of"] else ""
        return f"{_short_doc(d, labels[d['doc_id']])} item {t['item_no'] or '-'}{sec}{copy}"

    rows = []
    for t in tasks:
        d = by_doc[t["doc_id"]]
        s = statuses.get(t["task_id"])
        status = s["status"] if s else None
        status_raw = (s["status_raw"] or "") if s else ""
        status_as_of = s["as_of"] if s else None
        tr = tracked.get(t["task_id"])
        if tr is not None:
            status, status_as_of = tr["latest_status"], tr["latest_as_of"]
            status_raw = (tr["latest_result"] or "") + (f" ({tr['latest_doc_number'] or tr['latest_source_file']})"
                                                         if tr["latest_doc_id"] not in (None, t["doc_id"]) else "")
        leads = list(t["lead_agencies"] or [])
        today = sorted({tracking.current_agency(a) for a in leads}) or (["(unresolved)"] if t["lead_agency_raw"] else [])
        span = (t["spans"] or [None])[0]
        pic = pictures.get((t["doc_id"], span["page"])) if span else None
        rows.append({
            "task_id": t["task_id"], "doc_id": d["doc_id"], "doc": _short_doc(d, labels[d["doc_id"]]),
            "doc_missing": labels[d["doc_id"]].missing, "file": d["source_file"], "is_copy": d["duplicate_of"] is not None,
            "item": t["item_no"] or "", "section": t["section"] or "", "name": t["name"] or "",
            "lead": ", ".join(leads) or (t["lead_agency_raw"] or ""), "agencies": today,
            "deadline": t["deadline_raw"] or "", "due": t["deadline_due"].isoformat() if t["deadline_due"] else "",
            "status": status or "", "status_raw": status_raw,
            "status_as_of": status_as_of.isoformat() if status_as_of else "",
            "open": tracking.is_open(status),
            "past_due": tracking.is_overdue(status, t["deadline_due"], t["deadline_open_ended"], as_of),
            "same": sorted(({"task_id": o, "label": name_of(by_task[o])} for o in set(same[t["task_id"]])),
                           key=lambda x: x["label"]),
            "page": span["page"] if span else t["page_start"], "picture": pic,
            **(_thumb(pic, span) if pic else {}),
        })
    return rows


THUMB_WIDTH, THUMB_MAX_HEIGHT, THUMB_SCALE = 240, 64, 0.9  # CSS pixels; pixels per point


def _thumb(pic: dict, span: dict) -> dict:
    """Where the row sits on its page picture: the thumbnail (the picture scaled and shifted so
    that the start of the row, item and task, fills a THUMB_WIDTH box at a readable scale)
    and the mark on the whole page (percentages)."""
    pad = 2.0
    x0, top, bottom = span["x0"] - pad, span["top"] - pad, span["bottom"] + pad
    k = THUMB_SCALE
    return {
        "thumb": {"w": round(pic["w"] * k), "left": round(x0 * k), "top": round(top * k),
                  "h": min(THUMB_MAX_HEIGHT, round((bottom - top) * k))},
        "mark": {"l": round(100 * span["x0"] / pic["w"], 2), "t": round(100 * span["top"] / pic["h"], 2),
                 "w": round(100 * (span["x1"] - span["x0"]) / pic["w"], 2),
                 "h": round(100 * (span["bottom"] - span["top"]) / pic["h"], 2)},
    }


def _agencies(rows: list[dict]) -> list[dict]:
    """Open tasks per agency (today's name), copies of a document counted once."""
    per: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        if r["open"] and not r["is_copy"]:
            for a in r["agencies"] or ["(unresolved)"]:
                per[a].append(r)
    return [{"name": a, "open": len(v), "past_due": sum(r["past_due"] for r in v),
             "statuses": sorted({r["status"] for r in v})}
            for a, v in sorted(per.items(), key=lambda kv: (-len(kv[1]), kv[0]))]


def build_report(curated: Path, raw: Path, out: Path, *, checks: list[dict] | None = None, pictures: bool = True,
                 as_of: dt.date | None = None) -> Path:
    """Write `out/index.html` with its script, style and page pictures; returns the page's path."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    as_of = as_of or dt.date.today()
    out.mkdir(parents=True, exist_ok=True)
    docs = _read(curated, "documents")
    pages = _read(curated, "pages")
    tasks = _read(curated, "tasks")
    statuses = {s["task_id"]: s for s in _read(curated, "statuses")}
    links = _read(curated, "links")
    by_doc = {d["doc_id"]: d for d in docs}
    labels = {d["doc_id"]: doc_label(d, by_doc) for d in docs}
    pics = _pictures(tasks, raw, out) if pictures else {}
    tracked = {r["task_id"]: r for r in _read(curated, "task_tracking")}
    rows = _task_rows(docs, tasks, statuses, links, labels, pics, as_of, tracked)
    n_tasks = defaultdict(int)
    for t in tasks:
        n_tasks[t["doc_id"]] += 1
    documents = [{
        **d, "label": labels[d["doc_id"]], "tasks": n_tasks[d["doc_id"]],
        "copy_of": by_doc[d["duplicate_of"]]["source_file"] if d["duplicate_of"] in by_doc else None,
    } for d in docs]
    unmatched = sorted({u for t in tasks for raw_ in (t["lead_agency_raw"], t["coordinating_agency_raw"])
                        for u in resolve_agencies(raw_).unmatched})
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                      trim_blocks=True, lstrip_blocks=True)
    html = env.get_template("report.html.j2").render(
        as_of=as_of, curated=str(curated), documents=documents, rows=rows, agencies=_agencies(rows),
        statuses=sorted({r["status"] or NO_STATUS for r in rows}), all_agencies=sorted({a for r in rows for a in r["agencies"]}),
        n_statuses=len(statuses), n_links=len(links), failed_pages=[
            {"file": by_doc[p["doc_id"]]["source_file"], "page": p["page"], "error": p["error"]}
            for p in pages if p["method"] == "failed"],
        unmatched=unmatched, failed_checks=[c for c in (checks or []) if not c["passed"]], closed_statuses=tracking.CLOSED_STATUSES,
    )
    for name in ASSETS:
        shutil.copyfile(TEMPLATES / name, out / name)
    page = out / "index.html"
    page.write_text(html, encoding="utf-8")
    return page
