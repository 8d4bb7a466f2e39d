"""The curated tables of the whole corpus, from the per-document records.

Adds what needs every document at once: the current path of each file (a renamed
file keeps its id and records), the id of a cited document when it is in the
corpus, and 'same_task' links between tasks of different documents. Rows are
sorted on their keys so that the same inputs give the same bytes on every run.
"""

from __future__ import annotations

from typing import Mapping

from rapidfuzz import fuzz, process

from .agencies import registry_rows
from .records import DocRecords, Row, stable_id
from .schema import TABLES
from .text import fold

SAME_TASK_MIN_SCORE = 90.0
SAME_TASK_MIN_CHARS = 25  # shorter names ("Báo cáo", "Tổ chức thực hiện") match by chance


def build_curated(manifest: Mapping[str, str], records: Mapping[str, DocRecords], version: str) -> dict[str, list[Row]]:
    """Rows of every curated table. `manifest` maps doc_id -> source_file (relative path)."""
    docs = sorted(manifest, key=lambda d: (manifest[d], d))
    recs = [records[d] for d in docs]
    documents = [{**r.document, "source_file": manifest[d], "pipeline_version": version} for d, r in zip(docs, recs)]
    tasks = [{**t, "source_file": manifest[t["doc_id"]]} for r in recs for t in r.tasks]
    by_number: dict[str, str] = {}
    for d in documents:
        if d.get("doc_number"):
            by_number.setdefault(d["doc_number"], d["doc_id"])
    links = [
        {**l, "dst_doc_id": by_number.get(l["dst_doc_number"]) if by_number.get(l["dst_doc_number"]) != l["src_doc_id"] else None}
        for r in recs for l in r.links
    ]
    links += same_task_links(tasks)
    out = {
        "documents": documents,
        "pages": [p for r in recs for p in r.pages],
        "cells": [c for r in recs for c in r.cells],
        "tasks": tasks,
        "statuses": [s for r in recs for s in r.statuses],
        "links": links,
        "agencies": registry_rows(),
    }
    return {name: _sorted(name, rows, manifest) for name, rows in out.items()}


def _sorted(name: str, rows: list[Row], manifest: Mapping[str, str]) -> list[Row]:
    """Rows in document order (by path), then table, row, column, page, then the table's key."""
    key_cols = TABLES[name].key

    def key(row: Row):
        doc = row.get("doc_id") or row.get("src_doc_id")
        numbers = (row.get(k) or 0 for k in ("table_no", "row_no", "col_no", "page", "src_page"))
        return (manifest.get(doc, ""), *numbers, *(str(row.get(k)) for k in key_cols))

    return sorted(rows, key=key)


def same_task_links(tasks: list[Row]) -> list[Row]:
    """Link each task to its best match by name in every other document."""
    by_doc: dict[str, list[Row]] = {}
    for t in tasks:
        if len(t["name"]) >= SAME_TASK_MIN_CHARS:
            by_doc.setdefault(t["doc_id"], []).append(t)
    docs = sorted(by_doc, key=lambda d: by_doc[d][0]["source_file"])
    keys = {d: [fold(t["name"]) for t in by_doc[d]] for d in docs}
    links = []
    for i, a in enumerate(docs):
        for b in docs[i + 1 :]:
            scores = process.cdist(keys[a], keys[b], scorer=fuzz.token_sort_ratio, score_cutoff=SAME_TASK_MIN_SCORE)
            for ia, row in enumerate(scores):
                ib = int(row.argmax())
                if row[ib] < SAME_TASK_MIN_SCORE:
                    continue
                src, dst = by_doc[a][ia], by_doc[b][ib]
                links.append({
                    "link_id": stable_id(src["task_id"], "same_task", dst["task_id"]),
                    "link_type": "same_task", "src_doc_id": a, "src_task_id": src["task_id"],
                    "src_page": src["page_start"], "raw_text": src["name"], "dst_doc_number": None,
                    "dst_doc_id": b, "dst_task_id": dst["task_id"], "score": round(float(row[ib]) / 100, 4),
                })
    return links
