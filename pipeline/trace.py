"""Tracing a curated row back to where it was printed, for auditors.

`find_target` resolves what the user names (a task_id, status_id, link_id, a cell as
"doc_id:table_no:row_no:col_no", or a document number and an item as printed) to a `Target`:
the document, the row's box on each page, the boxes of the cells to outline and a label.
`trace` prints it, checks that the file still has the bytes of its doc_id, and writes one PNG
(`extractors.highlight`): each page of the row cropped with context, the row filled, its cells
outlined; a row over two pages gives both, one above the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq

from extractors.highlight import stack, traced_page
from extractors.pdf import sha256_file


@dataclass(frozen=True)
class Target:
    kind: str  # task | status | link | cell
    doc_id: str
    source_file: str
    label: str
    rows: dict[int, tuple]  # page -> the row's box on it
    cells: dict[int, list[tuple]] = field(default_factory=dict)  # page -> boxes to outline
    values: dict = field(default_factory=dict)  # what the row says, printed for the auditor


def _read(curated: Path, name: str, filters=None) -> list[dict]:
    path = curated / f"{name}.parquet"
    if not path.exists():
        raise SystemExit(f"no curated tables in {curated}: run `nhiemvu run` first")
    return pq.read_table(path, filters=filters).to_pylist()


def _box(b) -> tuple:
    return (b["x0"], b["top"], b["x1"], b["bottom"])


def _source(curated: Path, doc_id: str) -> str:
    docs = _read(curated, "documents", [("doc_id", "=", doc_id)])
    if not docs:
        raise SystemExit(f"document {doc_id} is not in {curated}/documents.parquet")
    return docs[0]["source_file"]


def _row_cells(curated: Path, doc_id: str, table_no: int, row_no: int) -> dict[int, list[tuple]]:
    out: dict[int, list[tuple]] = {}
    for c in _read(curated, "cells", [("doc_id", "=", doc_id), ("table_no", "=", table_no), ("row_no", "=", row_no)]):
        out.setdefault(c["page"], []).append(_box(c))
    return out


def _task_target(curated: Path, task: dict, kind: str = "task", extra: dict | None = None) -> Target:
    rows = {s["page"]: _box(s) for s in task["spans"] or []}
    cells = _row_cells(curated, task["doc_id"], task["table_no"], task["row_no"])
    first = cells.get(task["page_start"], [])
    for page, (_, top, _, bottom) in rows.items():  # the part of a cut row on a later page: same columns
        if page not in cells and first:
            cells[page] = [(x0, top, x1, bottom) for x0, _, x1, _ in first]
    item = task["item_no"] or "(no number)"
    values = {k: task[k] for k in ("task_id", "item_no", "section", "name", "lead_agency_raw", "deadline_raw")}
    return Target(kind, task["doc_id"], task["source_file"], f"item {item}", rows, cells, {**values, **(extra or {})})


def find_target(curated: Path, ident: str | None = None, *, doc: str | None = None, item: str | None = None) -> Target:
    """What `ident` (or `doc` and `item`) names, with its boxes."""
    if doc is not None:
        docs = [d for d in _read(curated, "documents") if doc in (d["doc_number"], d["attached_to"], d["source_file"])]
        # the document printing that number first; an appendix carries it too, as the one it is attached to
        docs.sort(key=lambda d: (d["duplicate_of"] is not None, d["doc_number"] != doc or d["attached_to"] == doc,
                                 d["source_file"]))
        if not docs:
            raise SystemExit(f"no document numbered {doc!r} in {curated}")
        tasks = [t for t in _read(curated, "tasks", [("doc_id", "=", docs[0]["doc_id"])]) if t["item_no"] == item]
        if not tasks:
            raise SystemExit(f"no item {item!r} in {docs[0]['source_file']} ({doc})")
        if len(tasks) > 1:
            print(f"{len(tasks)} tasks have item {item!r}; tracing the first (section {tasks[0]['section']!r})")
        return _task_target(curated, tasks[0])
    if ident is None:
        raise SystemExit("name a task_id, status_id, link_id or cell (doc_id:table_no:row_no:col_no), or --doc and --item")
    if ident.count(":") == 3:
        doc_id, table_no, row_no, col_no = ident.split(":")
        cells = _read(curated, "cells", [("doc_id", "=", doc_id), ("table_no", "=", int(table_no)),
                                          ("row_no", "=", int(row_no)), ("col_no", "=", int(col_no))])
        if not cells:
            raise SystemExit(f"no cell {ident} in {curated}/cells.parquet")
        c = cells[0]
        return Target("cell", doc_id, _source(curated, doc_id), f"table {table_no} row {row_no} col {col_no}",
                      {c["page"]: _box(c)}, {c["page"]: [_box(c)]}, {"header": c["header"], "text": c["text"]})
    tasks = _read(curated, "tasks", [("task_id", "=", ident)])
    if tasks:
        return _task_target(curated, tasks[0])
    statuses = _read(curated, "statuses", [("status_id", "=", ident)])
    if statuses:
        s = statuses[0]
        task = _read(curated, "tasks", [("task_id", "=", s["task_id"])])[0]
        target = _task_target(curated, task, "status", {k: s[k] for k in ("status", "status_raw", "as_of", "result")})
        if s["cell_box"]:
            target.cells.setdefault(s["cell_box"]["page"], []).insert(0, _box(s["cell_box"]))
        return Target("status", target.doc_id, target.source_file, f"status of {target.label}", target.rows,
                      {p: b for p, b in target.cells.items()}, target.values)
    links = _read(curated, "links", [("link_id", "=", ident)])
    if links:
        link = links[0]
        values = {k: link[k] for k in ("link_type", "raw_text", "dst_doc_number", "dst_doc_id", "dst_task_id", "score")}
        if link["src_box"] is None:
            raise SystemExit(f"link {ident} has no box to show (values: {values})")
        box = _box(link["src_box"])
        page = link["src_box"]["page"]
        return Target("link", link["src_doc_id"], _source(curated, link["src_doc_id"]), f"{link['link_type']} {link['raw_text'] or ''}"[:80],
                      {page: box}, {page: [box]}, values)
    raise SystemExit(f"{ident!r} is not a task_id, status_id, link_id or cell of {curated}")


def trace(curated: Path, raw: Path, ident: str | None = None, *, doc: str | None = None, item: str | None = None,
          out: Path | None = None) -> Path:
    """Print where the row was printed and write its picture; returns the PNG's path."""
    target = find_target(curated, ident, doc=doc, item=item)
    source = source_path(raw, target.source_file, target.doc_id)
    print(f"{target.kind} in {target.source_file} (doc_id {target.doc_id[:12]}…)")
    if not source.is_file():
        raise SystemExit(f"the source file {source} is not there (moved? pass --raw)")
    if sha256_file(source) != target.doc_id:
        print(f"WARNING: {source} no longer has the bytes of doc_id {target.doc_id[:12]}…: the file was changed "
              "since it was processed; the picture shows the file as it is now")
    pages = sorted(set(target.rows) | set(target.cells))
    for page in pages:
        print(f"  page {page}: row {_fmt(target.rows.get(page))}, cells {[_fmt(b) for b in target.cells.get(page, [])]}")
    for k, v in target.values.items():
        print(f"  {k}: {v}")
    images = [
        traced_page(source, page, target.rows.get(page), target.cells.get(page, []),
                    f"{target.source_file}  page {page}  {target.label}")[0]
        for page in pages
    ]
    out = out or Path(f"trace_{(ident or f'{doc}_{item}').replace('/', '_').replace(':', '_')}.png")
    out.parent.mkdir(parents=True, exist_ok=True)
    stack(images).save(out)
    print(f"wrote {out}")
    return out


def source_path(raw: Path, source_file: str, doc_id: str) -> Path:
    """The file of a document: raw/source_file, or, where the name is shown rather than real
    (undecodable bytes shown as \\xNN) or the file was renamed, the file of the raw folder with
    that doc_id."""
    path = raw / source_file
    if path.is_file():
        return path
    from .manifest import scan

    try:
        return scan(raw).path_of(doc_id)
    except FileNotFoundError:
        return path


def _fmt(box) -> str:
    return "-" if box is None else "(" + ", ".join(f"{v:.1f}" for v in box) + ")"
