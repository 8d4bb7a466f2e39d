"""The curated tables of the whole corpus, from the per-document records.

Adds what needs every document at once (the columns `records.CORPUS_COLUMNS` lists):
the current path of each file (a renamed file keeps its id and records), which documents
duplicate another (`duplicates`), the id of a cited document when it is in the corpus, and
'same_task' links between tasks of different documents (`tasks.same_task_pairs`). Each
curated row is a new dict built in one place from the document's row and those facts.
Rows are sorted on their keys so that the same inputs give the same bytes on every run.
"""

from __future__ import annotations

import logging
from typing import Mapping, Sequence

from .agencies import registry_rows
from .fingerprint import containing_pairs
from .records import DocRecords, Row, stable_id
from .sametask import same_task_pairs
from .schema import TABLES

log = logging.getLogger(__name__)

# Two documents hold the same content when this share of the smaller one's word 3-grams is in the other.
DUPLICATE_MIN_CONTAINMENT = 0.6
DUPLICATE_MIN_SHINGLES = 40  # documents with less text than this are never called duplicates


def build_curated(manifest: Mapping[str, str], records: Mapping[str, DocRecords], version: str) -> dict[str, list[Row]]:
    """Rows of every curated table. `manifest` maps doc_id -> source_file (relative path)."""
    docs = sorted(manifest, key=lambda d: (manifest[d], d))
    recs = [records[d] for d in docs]
    dup_of = duplicates(manifest, records)
    documents = [
        {**r.document, "source_file": manifest[d], "pipeline_version": version, "duplicate_of": dup_of.get(d)}
        for d, r in zip(docs, recs)
    ]
    tasks = [{**t, "source_file": manifest[t["doc_id"]]} for r in recs for t in r.tasks]
    by_number = _number_index(documents)
    links = [{**l, "dst_doc_id": _resolve(l, by_number)} for r in recs for l in r.links]
    links += same_task_links(tasks)
    agencies = registry_rows()
    out = {
        "documents": documents,
        "pages": [p for r in recs for p in r.pages],
        "cells": [c for r in recs for c in r.cells],
        "tasks": tasks,
        "statuses": [s for r in recs for s in r.statuses],
        "links": links,
        "agencies": agencies,
    }
    return {name: _sorted(name, [_in_schema_order(name, r) for r in rows], manifest) for name, rows in out.items()}


def _in_schema_order(name: str, row: Row) -> Row:
    """The row with exactly its table's columns, in their declared order (ValueError otherwise)."""
    columns = TABLES[name].column_names
    if len(row) != len(columns) or not all(c in row for c in columns):
        raise ValueError(f"{name} row: missing {sorted(set(columns) - set(row))}, unknown {sorted(set(row) - set(columns))}")
    return {c: row[c] for c in columns}


def _sorted(name: str, rows: list[Row], manifest: Mapping[str, str]) -> list[Row]:
    """Rows in document order (by path), then table, row, column, page, then the table's key."""
    key_cols = TABLES[name].key

    def key(row: Row):
        doc = row.get("doc_id") or row.get("src_doc_id")
        numbers = (row.get(k) or 0 for k in ("table_no", "row_no", "col_no", "page", "src_page"))
        return (manifest.get(doc, ""), *numbers, *(str(row.get(k)) for k in key_cols))

    return sorted(rows, key=key)


# ---------------------------------------------------------------- duplicates


def duplicates(manifest: Mapping[str, str], records: Mapping[str, DocRecords]) -> dict[str, str]:
    """doc_id -> doc_id of its primary, for every document whose content another one also holds.

    Content is compared on word 3-grams without diacritics (`DocRecords.shingles`), so a scan
    and its text twin match despite OCR errors: two documents are the same when
    DUPLICATE_MIN_CONTAINMENT of the smaller one's 3-grams are in the other (a scan of the first
    pages of a document is its duplicate too). In each group of such documents the primary is
    read from text rather than OCR, then comes first by source_file.
    """
    ids = sorted(d for d in manifest if d in records and len(records[d].shingles) >= DUPLICATE_MIN_SHINGLES)
    group = {d: d for d in ids}

    def root(d: str) -> str:
        while group[d] != d:
            group[d] = group[group[d]]
            d = group[d]
        return d

    for a, b in containing_pairs({d: records[d].shingles for d in ids}, DUPLICATE_MIN_CONTAINMENT):
        group[root(a)] = root(b)
    members: dict[str, list[str]] = {}
    for d in ids:
        members.setdefault(root(d), []).append(d)
    out = {}
    for docs in members.values():
        if len(docs) < 2:
            continue
        primary = min(docs, key=lambda d: (records[d].document["n_ocr_pages"] > 0, manifest[d], d))
        out.update({d: primary for d in docs if d != primary})
        log.info("duplicates of %s: %s", manifest[primary], ", ".join(manifest[d] for d in docs if d != primary))
    return out


# ---------------------------------------------------------------- citations


def _number_index(documents: Sequence[Row]) -> dict[str, str]:
    """Normalized number -> doc_id: the document printing it, else an appendix attached to it;
    a primary before its duplicates, then by source_file."""
    index: dict[str, str] = {}
    ranked = sorted(documents, key=lambda d: (d["duplicate_of"] is not None, d["source_file"]))
    for column in ("doc_number", "attached_to"):
        for d in ranked:
            if d[column]:
                index.setdefault(d[column], d["doc_id"])
    return index


def _resolve(link: Row, by_number: Mapping[str, str]) -> str | None:
    dst = by_number.get(link["dst_doc_number"])
    return dst if dst != link["src_doc_id"] else None


# ---------------------------------------------------------------- same task


def same_task_links(tasks: list[Row]) -> list[Row]:
    """A 'same_task' link for each pair of tasks of two documents that `same_task_pairs` matches."""
    links = []
    for src, dst, score in same_task_pairs(tasks):
        span = src["spans"][0] if src["spans"] else None
        links.append({
            "link_id": stable_id(src["task_id"], "same_task", dst["task_id"]),
            "link_type": "same_task", "src_doc_id": src["doc_id"], "src_task_id": src["task_id"],
            "src_page": src["page_start"], "src_box": dict(span) if span else None, "raw_text": src["name"],
            "dst_doc_number": None, "dst_doc_id": dst["doc_id"], "dst_task_id": dst["task_id"], "score": score,
        })
    return links

