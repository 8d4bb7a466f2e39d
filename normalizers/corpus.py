"""The curated tables of the whole corpus, from the per-document records.

Built in two stages, so that a run taking in one file does not rebuild every document's rows:
- `doc_part`: what one document contributes, alone: its final rows of the tables no other
  document changes (`LOCAL_TABLES`: pages, cells, tasks, statuses; sorted, in schema order),
  and what the corpus stage reads of it (document row, links, tasks, shingles, stated counts).
  It depends only on the document's records and its current path (`source_file`);
- `corpus_rows`: the tables that need every document at once (`CORPUS_TABLES`), from the parts:
  the current path of each file (a renamed file keeps its id and records), which documents
  are copies of another (`duplicates`: the same document, never two documents that share
  tasks), the id of a cited document when it is in the corpus, the links between tasks of
  different documents (`same_task_links`: from a report's task to the task of the document it
  reports on, 'copy_of' between copies of one document), and the task tracking
  (`normalizers.tracking`, as of the date the run tracks on).
A local table is its documents' parts one after the other, in `document_order`. The pipeline
keeps each document's part (as Arrow) between runs and makes only the parts of new or changed
documents (`pipeline/runtime/parts.py`, the one builder of the curated tables, used by the tests
and benchmarks too).
Each curated row is a new dict built in one place from the document's row and those facts.
Rows are sorted on their keys so that the same inputs give the same bytes on every run.
"""

from __future__ import annotations

import logging
import datetime as dt
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from rapidfuzz import fuzz

from .agencies import registry_rows
from .crosschecks import StatedCount
from .fingerprint import bare_words, containing_pairs, containment
from .records import DocRecords, Row, stable_id
from .sametask import same_task_pairs
from .schema import TABLES
from .tracking import tracking_rows

log = logging.getLogger(__name__)

# Two documents hold the same content when this share of the smaller one's word 3-grams is in the other.
DUPLICATE_MIN_CONTAINMENT = 0.6
DUPLICATE_MIN_SHINGLES = 40  # documents with less text than this are never called duplicates
# Near-identical text: this share of the larger one's 3-grams is in the other too (a whole copy,
# whatever its page breaks); a copy of some pages only: this share of the smaller one's.
DUPLICATE_MIN_SAME_TEXT = 0.8
DUPLICATE_MIN_SAME_PAGES = 0.9
TITLE_MIN_RATIO = 85.0  # two titles (bare words) this alike name the same document
IDENTITY_COLUMNS = ("doc_number", "issued_date", "issuer", "doc_type", "attached_to")
# what must agree for near-identical text: the number and dates (a scan's issuer or type line may be misread)
NUMBER_COLUMNS = ("doc_number", "issued_date", "attached_to")

LOCAL_TABLES = ("pages", "cells", "tasks", "statuses")  # one document's rows depend on it alone
CORPUS_TABLES = ("documents", "links", "agencies", "task_tracking")  # need every document


@dataclass(frozen=True)
class DocPart:
    """One document's contribution to the curated tables, made by `doc_part`.

    `local` holds its final rows of each of `LOCAL_TABLES` (sorted, in schema order); the other
    fields are what `corpus_rows` and the checks read: the per-document columns of its
    `documents` row, its citations, its tasks (in the records' order, with `source_file`),
    its content fingerprint, its stated counts. A part kept between runs keeps its local rows
    as Arrow elsewhere (`pipeline/runtime/parts.py`) and `local` empty."""

    doc_id: str
    source_file: str
    document: Row
    links: tuple[Row, ...] = ()
    tasks: tuple[Row, ...] = ()
    statuses: tuple[Row, ...] = ()
    shingles: frozenset[int] = frozenset()
    stated_counts: tuple[StatedCount, ...] = ()
    local: Mapping[str, Sequence[Row]] = field(default_factory=dict)


def doc_part(doc_id: str, source_file: str, records: DocRecords) -> DocPart:
    """The part of one document at path `source_file` (rows checked against the schema)."""
    own = {doc_id: source_file}
    tasks = [{**t, "source_file": source_file} for t in records.tasks]
    local_rows = {"pages": records.pages, "cells": records.cells, "tasks": tasks, "statuses": records.statuses}
    local = {name: _sorted(name, [_in_schema_order(name, r) for r in local_rows[name]], own) for name in LOCAL_TABLES}
    return DocPart(
        doc_id, source_file, records.document, tuple(records.links), tuple(tasks), tuple(records.statuses),
        records.shingles, tuple(records.stated_counts), local,
    )


def document_order(manifest: Mapping[str, str]) -> list[str]:
    """The documents in the order of their rows: by source_file."""
    return sorted(manifest, key=lambda d: (manifest[d], d))


def corpus_rows(
    manifest: Mapping[str, str], parts: Mapping[str, DocPart], version: str, pairs: SimilarPairs | None = None,
    tracked_on: dt.date | None = None,
) -> dict[str, list[Row]]:
    """Rows of `CORPUS_TABLES`, from the part of every document of `manifest`; `pairs`: the
    similar pairs of its documents (`similar_pairs`), found here when not given; `tracked_on`:
    the date of `task_tracking` (default: today)."""
    docs = document_order(manifest)
    recs = [parts[d] for d in docs]
    dup_of = duplicates(manifest, parts, pairs)
    documents = [
        {**r.document, "source_file": manifest[d], "pipeline_version": version, "duplicate_of": dup_of.get(d)}
        for d, r in zip(docs, recs)
    ]
    tasks = [t for r in recs for t in r.tasks]
    by_number = _number_index(documents)
    links = [{**l, "dst_doc_id": _resolve(l, by_number)} for r in recs for l in r.links]
    statuses = [s for r in recs for s in r.statuses]
    links += same_task_links(tasks, documents, links, {s["doc_id"] for s in statuses})
    on = tracked_on or dt.date.today()
    out = {"documents": documents, "links": links, "agencies": registry_rows(),
           "task_tracking": tracking_rows(documents, tasks, statuses, links, on)}
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


@dataclass(frozen=True)
class SimilarPairs:
    """Every pair of `docs` (a < b) one of which holds DUPLICATE_MIN_CONTAINMENT of the other's
    3-grams: kept between runs, since whether two documents are similar depends on those two alone."""

    docs: frozenset[str] = frozenset()
    pairs: frozenset[tuple[str, str]] = frozenset()


# Below this share of new documents, each is compared with every document; above, all pairs are found anew.
DIRECT_SHARE = 0.05


def similar_pairs(sets: Mapping[str, frozenset[int]], known: SimilarPairs | None = None) -> SimilarPairs:
    """The similar pairs of the documents of `sets` ({doc_id: shingles}). `known`: pairs found
    before, for documents whose shingles are those of `sets` still; only the pairs with a
    document not in `known.docs` are looked for (the answer is the same as without `known`)."""
    ids = set(sets)
    old = (known.docs & ids) if known is not None else set()
    new = ids - old
    if len(new) > DIRECT_SHARE * len(ids):
        return SimilarPairs(frozenset(ids), frozenset(containing_pairs(sets, DUPLICATE_MIN_CONTAINMENT)))
    pairs = {(a, b) for a, b in known.pairs if a in old and b in old} if known is not None else set()
    for x in sorted(new):
        for b in sorted(ids):
            if b != x and (b not in new or x < b) and containment(sets[x], sets[b]) >= DUPLICATE_MIN_CONTAINMENT:
                pairs.add((x, b) if x < b else (b, x))
    return SimilarPairs(frozenset(ids), frozenset(pairs))


def duplicate_candidates(records: Mapping[str, DocRecords | DocPart], manifest: Mapping[str, str]) -> dict[str, frozenset[int]]:
    """{doc_id: shingles} of the documents with text enough to be compared."""
    return {d: records[d].shingles for d in sorted(manifest)
            if d in records and len(records[d].shingles) >= DUPLICATE_MIN_SHINGLES}


def duplicates(
    manifest: Mapping[str, str], records: Mapping[str, DocRecords | DocPart], pairs: SimilarPairs | None = None,
) -> dict[str, str]:
    """doc_id -> doc_id of its primary, for every document whose content another one also holds.

    Content is compared on word 3-grams without diacritics (`DocRecords.shingles`), so a scan
    and its text twin match despite OCR errors: the pairs where DUPLICATE_MIN_CONTAINMENT of the
    smaller one's 3-grams are in the other are candidates, and `same_document` decides (a report
    that copies a directive's tasks is not a copy of it). In each group of such documents the primary is
    read from text rather than OCR, then comes first by source_file. `pairs`: the similar pairs
    of `duplicate_candidates` (found here when not given).
    """
    sets = duplicate_candidates(records, manifest)
    ids = sorted(sets)
    if pairs is None:
        pairs = similar_pairs(sets)
    if pairs.docs != set(ids):
        raise ValueError("the similar pairs given are not those of these documents")
    group = {d: d for d in ids}

    def root(d: str) -> str:
        while group[d] != d:
            group[d] = group[group[d]]
            d = group[d]
        return d

    for a, b in sorted(pairs.pairs):
        if same_document(records[a].document, records[b].document, sets[a], sets[b]):
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


def _conflict(a: Row, b: Row, columns: Sequence[str] = IDENTITY_COLUMNS) -> bool:
    """What both documents say of their identity disagrees (a value either lacks agrees with anything)."""
    return any(a.get(c) is not None and b.get(c) is not None and a.get(c) != b.get(c) for c in columns)


def _attached(appendix: Row, main: Row) -> bool:
    """Whether `appendix` is attached to `main`: a document, not an appendix, printing the number
    the other is attached to."""
    return (appendix.get("attached_to") is not None and main.get("attached_to") is None
            and appendix.get("attached_to") == main.get("doc_number"))


def _titles_agree(a: Row, b: Row) -> bool:
    ta, tb = " ".join(bare_words(a.get("title") or "")), " ".join(bare_words(b.get("title") or ""))
    if not ta or not tb:
        return not ta and not tb
    return fuzz.ratio(ta, tb) >= TITLE_MIN_RATIO or fuzz.partial_ratio(ta, tb) >= max(TITLE_MIN_RATIO, 95.0)


def same_document(a: Row, b: Row, sa: frozenset[int], sb: frozenset[int]) -> bool:
    """Whether two documents (`documents` rows and 3-gram sets) are copies of one document:
    - their text is near-identical both ways (DUPLICATE_MIN_SAME_TEXT of the larger one's 3-grams
      in the other: a scan and its text twin, two prints with other page breaks) and what both
      print of number, date and attachment agrees (`NUMBER_COLUMNS`), or
    - the smaller one's text is in the other (DUPLICATE_MIN_SAME_PAGES: a copy of some of its
      pages), what both print of number, date, issuer, type and attachment agrees
      (`IDENTITY_COLUMNS`), and they are the same kind of document with the same title.
    Two documents that share tasks (a directive and a report listing its tasks, two directives
    repeating a task) differ in number, date, type or text, and are never the same; nor are a
    document and an appendix attached to it (which prints its number, date and issuer as its own)."""
    if _conflict(a, b, NUMBER_COLUMNS) or _attached(a, b) or _attached(b, a):
        return False
    shared = len(sa & sb)
    if shared >= DUPLICATE_MIN_SAME_TEXT * max(len(sa), len(sb)):
        return True
    return (shared >= DUPLICATE_MIN_SAME_PAGES * min(len(sa), len(sb)) and not _conflict(a, b)
            and a.get("doc_type") is not None
            and a.get("doc_type") == b.get("doc_type") and _titles_agree(a, b))


# ---------------------------------------------------------------- citations


def _number_index(documents: Sequence[Row]) -> dict[str, str]:
    """Normalized number -> doc_id: the document printing it, else an appendix attached to it;
    a primary before its duplicates, then by source_file."""
    index: dict[str, str] = {}
    ranked = sorted(documents, key=lambda d: (d["duplicate_of"] is not None, d["source_file"]))
    for column in ("doc_number", "attached_to"):
        for d in ranked:
            if d[column] and not (column == "doc_number" and d["attached_to"] == d["doc_number"]):
                index.setdefault(d[column], d["doc_id"])  # an appendix is found by its attached_to, after the document
    return index


def _resolve(link: Row, by_number: Mapping[str, str]) -> str | None:
    dst = by_number.get(link["dst_doc_number"])
    return dst if dst != link["src_doc_id"] else None


# ---------------------------------------------------------------- same task


def reported_documents(documents: Sequence[Row], links: Sequence[Row], reporting: set[str]) -> dict[str, set[str]]:
    """doc_id -> the documents it reports on. A document reports when it gives statuses or results
    (`reporting`: the documents with `statuses` rows; a directive that cites another directive does
    not report on it); it reports on the documents whose number (or the number they are attached to)
    it cites, or the document it is attached to cites; its own number excluded. A copy
    (duplicate_of) reports on what its primary reports on, and the reverse."""
    by_id = {d["doc_id"]: d for d in documents}
    cited: dict[str, set[str]] = {}
    for l in links:
        if l["link_type"] == "cites" and l["dst_doc_number"]:
            cited.setdefault(l["src_doc_id"], set()).add(l["dst_doc_number"])
    numbered: dict[str, list[str]] = {}
    for d in documents:
        for number in {d["doc_number"], d["attached_to"]} - {None}:
            numbered.setdefault(number, []).append(d["doc_id"])
    primary = {d["doc_id"]: d["duplicate_of"] or d["doc_id"] for d in documents}
    numbers_of: dict[str, set[str]] = {}
    for d in documents:
        own = {d["doc_number"], d["attached_to"]} - {None}
        numbers = set(cited.get(d["doc_id"], ()))
        for parent in numbered.get(d["attached_to"], []) if d["attached_to"] else []:
            if parent != d["doc_id"] and by_id[parent]["doc_number"] == d["attached_to"]:
                numbers |= cited.get(parent, set())
        numbers_of.setdefault(primary[d["doc_id"]], set()).update(numbers - own)
    out: dict[str, set[str]] = {}
    for d in documents:
        group = primary[d["doc_id"]]
        if d["doc_id"] not in reporting and group not in reporting:
            out[d["doc_id"]] = set()
            continue
        own = {d["doc_number"], d["attached_to"]} - {None}
        targets = {t for n in numbers_of.get(group, ()) - own for t in numbered.get(n, [])}
        out[d["doc_id"]] = {t for t in targets if primary[t] != group}
    return out


def _later(a: Row, b: Row) -> bool:
    """Whether document `a` was issued after `b` (False when either date is unknown)."""
    return a["issued_date"] is not None and b["issued_date"] is not None and a["issued_date"] > b["issued_date"]


def same_task_links(tasks: list[Row], documents: Sequence[Row] = (), links: Sequence[Row] = (),
                    reporting: set[str] = frozenset()) -> list[Row]:
    """Links for the pairs of tasks of two documents that `same_task_pairs` matches by name:
    - 'same_task' from the task of a document that reports on the other (`reported_documents`:
      it gives statuses and cites the other) to the task it reports on (both report on each other: from the later-issued one);
    - 'copy_of' from a task of a copy (documents.duplicate_of) to the same task of its primary
      (or of the copy that comes first, between two copies);
    - nothing between documents neither of which reports on the other: the same text in
      another directive is another task."""
    by_id = {d["doc_id"]: d for d in documents}
    primary = {d["doc_id"]: d["duplicate_of"] or d["doc_id"] for d in documents}
    reports_on = reported_documents(documents, links, set(reporting)) if documents else {}
    out = []

    def related(x: str, y: str) -> bool:  # copies of one document, or one reports on the other
        return primary.get(x, x) == primary.get(y, y) or y in reports_on.get(x, ()) or x in reports_on.get(y, ())

    for a, b, score in same_task_pairs(tasks, related):
        da, db = a["doc_id"], b["doc_id"]
        if primary.get(da, da) == primary.get(db, db):
            kind = "copy_of"
            if primary.get(da, da) == da:  # b is the copy (or a comes first of two copies)
                a, b = b, a
            elif primary.get(db, db) != db and a["source_file"] < b["source_file"]:
                a, b = b, a
        else:
            kind = "same_task"
            a_on_b, b_on_a = db in reports_on.get(da, ()), da in reports_on.get(db, ())
            if not a_on_b and not b_on_a:
                continue
            if b_on_a and (not a_on_b or _later(by_id[db], by_id[da])):
                a, b = b, a
        out.append(_task_link(kind, a, b, score))
    return out


def _task_link(kind: str, src: Row, dst: Row, score: float) -> Row:
    span = src["spans"][0] if src["spans"] else None
    return {
        "link_id": stable_id(src["task_id"], kind, dst["task_id"]),
        "link_type": kind, "src_doc_id": src["doc_id"], "src_task_id": src["task_id"],
        "src_page": src["page_start"], "src_box": dict(span) if span else None, "raw_text": src["name"],
        "dst_doc_number": None, "dst_doc_id": dst["doc_id"], "dst_task_id": dst["task_id"], "score": score,
    }
