"""Tracing a curated row back to where it was printed, for auditors.

`find_targets` resolves what the user names (a task_id, status_id, link_id, a cell as
"doc_id:table_no:row_no:col_no", or a document number and an item as printed) to `Target`s:
the document, the row's box on each page, the box to fill (the traced thing: a task's row, a
status's cell, a cell), the boxes to outline and a label. `trace` prints them, checks that the
file still has the bytes of its doc_id, and writes one PNG (`extractors.highlight`): each page
cropped with context, the traced box filled, its cells outlined (a status: its status cell
filled and outlined, the rest of its row framed in grey); a row over two pages gives both, one
above the other.

An item number printed twice in one document (07/CT-TTg numbers its tasks from 1 in section A
and again in section B) names several tasks: `trace --doc --item` then lists every match
(task_id, section, page, name) and traces them all into the one picture, each labelled with
its section; `--section` (or the task_id) picks one. `page_pictures` writes whole pages with
the row outlined (what `nhiemvu show` wrote; `trace --pages DIR`).
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
    fill: dict[int, tuple] | None = None  # page -> the box filled (None: the row's)

    def filled(self, page: int):
        """The box filled on a page: the traced cell for a status, else the row."""
        return self.rows.get(page) if self.fill is None else self.fill.get(page)

    def frame(self, page: int):
        """The row drawn as a thin frame around a traced cell (None when the row itself is filled)."""
        return None if self.fill is None else self.rows.get(page)


class Ambiguous(SystemExit):
    """Several tasks match a document number and item: their list, for the user to choose."""


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


def _task_target(curated: Path, task: dict, kind: str = "task", extra: dict | None = None, label: str | None = None) -> Target:
    rows = {s["page"]: _box(s) for s in task["spans"] or []}
    cells = _row_cells(curated, task["doc_id"], task["table_no"], task["row_no"])
    first = cells.get(task["page_start"], [])
    for page, (_, top, _, bottom) in rows.items():  # the part of a cut row on a later page: same columns
        if page not in cells and first:
            cells[page] = [(x0, top, x1, bottom) for x0, _, x1, _ in first]
    item = task["item_no"] or "(no number)"
    values = {k: task[k] for k in ("task_id", "item_no", "section", "name", "lead_agency_raw", "deadline_raw")}
    values["description"] = describe(task)
    return Target(kind, task["doc_id"], task["source_file"], label or f"item {item}", rows, cells, {**values, **(extra or {})})


def _section_matches(task: dict, section: str) -> bool:
    wanted = section.strip().casefold()
    return any(v is not None and (str(v).casefold() == wanted or str(v).casefold().startswith(wanted + " "))
               for v in (task["section_no"], task["section"], task["part_no"], task["part"]))


def describe(task: dict) -> str:
    """One line naming a task for a person choosing among several."""
    where = " / ".join(str(v) for v in (task["part"], task["section"]) if v) or "no section"
    name = (task["name"] or "")[:70]
    return f"task_id {task['task_id']}  item {task['item_no']}  [{where}]  page {task['page_start']}  {name}"


def find_targets(curated: Path, ident: str | None = None, *, doc: str | None = None, item: str | None = None,
                 section: str | None = None) -> list[Target]:
    """What `ident` (or `doc` and `item`, narrowed by `section`) names, with its boxes: one
    target, or several when an item number occurs more than once in the document."""
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
        if section is not None:
            narrowed = [t for t in tasks if _section_matches(t, section)]
            if not narrowed:
                raise SystemExit(f"no item {item!r} in section {section!r} of {docs[0]['source_file']}; the item is in:\n"
                                 + "\n".join("  " + describe(t) for t in tasks))
            tasks = narrowed
        return [_task_target(curated, t, label=f"item {t['item_no']}" + (f" ({t['section_no'] or t['section']})"
                                                                          if len(tasks) > 1 else ""))
                for t in tasks]
    return [_one_target(curated, ident)]


def find_target(curated: Path, ident: str | None = None, *, doc: str | None = None, item: str | None = None,
                section: str | None = None) -> Target:
    """The one thing `ident` (or `doc`, `item` and `section`) names; `Ambiguous` (a SystemExit
    that lists the matches) when an item number names several tasks."""
    targets = find_targets(curated, ident, doc=doc, item=item, section=section)
    if len(targets) > 1:
        raise Ambiguous(f"{len(targets)} tasks have item {item!r} in {targets[0].source_file}; choose one with "
                        "--section or its task_id:\n" + "\n".join("  " + t.values["description"] for t in targets))
    return targets[0]


def _one_target(curated: Path, ident: str | None) -> Target:
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
        if not s["cell_box"]:  # a status with no cell of its own (inferred): the row it belongs to
            return Target("status", target.doc_id, target.source_file, f"status of {target.label} (no cell of its own)",
                          target.rows, target.cells, target.values)
        page, box = s["cell_box"]["page"], _box(s["cell_box"])
        return Target("status", target.doc_id, target.source_file, f"status of {target.label}",
                      {page: target.rows[page]} if page in target.rows else {}, {page: [box]}, target.values,
                      fill={page: box})
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
          section: str | None = None, out: Path | None = None, pages: Path | None = None) -> Path:
    """Print where the row was printed and write its picture; returns the PNG's path. When an
    item number names several tasks, each is named and all are traced into the one picture."""
    targets = find_targets(curated, ident, doc=doc, item=item, section=section)
    if len(targets) > 1:
        print(f"{len(targets)} tasks have item {item!r} in {targets[0].source_file}; all are traced below "
              "(pick one with --section or its task_id):")
        for n, t in enumerate(targets, 1):
            print(f"  ({n}) {t.values['description']}")
    images = []
    for target in targets:
        source = source_path(raw, target.source_file, target.doc_id)
        print(f"{target.kind} in {target.source_file} (doc_id {target.doc_id[:12]}…) {target.label}")
        if not source.is_file():
            raise SystemExit(f"the source file {source} is not there (moved? pass --raw)")
        if sha256_file(source) != target.doc_id:
            print(f"WARNING: {source} no longer has the bytes of doc_id {target.doc_id[:12]}…: the file was changed "
                  "since it was processed; the picture shows the file as it is now")
        on = sorted(set(target.rows) | set(target.cells))
        for page in on:
            what = "cell" if target.fill is not None else "row"
            print(f"  page {page}: {what} {_fmt(target.filled(page))}, outlined {[_fmt(b) for b in target.cells.get(page, [])]}")
        for k, v in target.values.items():
            if k != "description":
                print(f"  {k}: {v}")
        images += [
            traced_page(source, page, target.filled(page), target.cells.get(page, []),
                        f"{target.source_file}  page {page}  {target.label}", frame=target.frame(page))[0]
            for page in on
        ]
        if pages is not None and target.kind == "task":
            page_pictures(curated, raw, target.values["task_id"], pages)
    name = ident or f"{doc}_{item}" + (f"_{section}" if section else "")
    out = out or Path(f"trace_{name.replace('/', '_').replace(':', '_').replace(' ', '_')}.png")
    out.parent.mkdir(parents=True, exist_ok=True)
    stack(images).save(out)
    print(f"wrote {out}")
    return out


def page_pictures(curated: Path, raw: Path, task_id: str, out: Path) -> list[Path]:
    """One PNG per page the task occupies, the whole page with the task's row outlined (`nhiemvu
    show`, `trace --pages`)."""
    from extractors.highlight import page_with_boxes

    tasks = _read(curated, "tasks", [("task_id", "=", task_id)])
    if not tasks:
        raise SystemExit(f"no task {task_id} in {curated / 'tasks.parquet'}")
    task = tasks[0]
    source = source_path(raw, task["source_file"], task["doc_id"])
    if not source.is_file():
        raise SystemExit(f"the source file {source} is not there (was it moved? pass --raw)")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for span in task["spans"]:
        image = page_with_boxes(source, span["page"], [_box(span)])
        target = out / f"{task_id}_p{span['page']}.png"
        image.save(target)
        written.append(target)
        print(f"{target}  ({task['source_file']}, page {span['page']})")
    return written


def source_path(raw: Path, source_file: str, doc_id: str) -> Path:
    """The file of a document: raw/source_file, or, where the name is shown rather than real
    (undecodable bytes shown as \\xNN) or the file was renamed, the file of the raw folder with
    that doc_id."""
    path = raw / source_file
    if path.is_file():
        return path
    from ..runtime.manifest import scan

    try:
        return scan(raw).path_of(doc_id)
    except FileNotFoundError:
        return path


def _fmt(box) -> str:
    return "-" if box is None else "(" + ", ".join(f"{v:.1f}" for v in box) + ")"
