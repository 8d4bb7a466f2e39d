"""Each document's part of the curated tables, kept between runs, so that taking in one new
file does not rebuild (nor even read) the rows of every other document.

A document's part (`normalizers.corpus.doc_part`) is its final rows of the tables no other
document changes (pages, cells, tasks, statuses) and what the corpus-wide step reads of it.
Every part is kept in one file of the state folder (`curated-parts.pkl`, sealed with the state
folder's key: `sealed.py`; one that is damaged or not ours is never unpickled, every part is
made again): the local tables of
all documents as Arrow tables, one after the other, an index of each document's rows in them,
the small corpus-wide inputs of each document, and the pairs of similar documents (whether
two documents are duplicates depends on those two alone: only a new document is compared
with the others). A run makes the part of a document only
when its stored records changed (a new `pdf_records` file, a renamed file, another code
version); every other document's rows are slices of the previous run's tables. The curated
tables are then the parts concatenated in document order, and the corpus-wide tables
(`normalizers.corpus.corpus_rows`). A full rebuild is the same code with every part made,
so the two cannot differ (tests/runtime/test_parts.py checks it, byte for byte).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Mapping

import pyarrow as pa

from normalizers.corpus import (
    LOCAL_TABLES, DocPart, SimilarPairs, corpus_rows, doc_part, document_order, duplicate_candidates, similar_pairs,
)
from normalizers.records import DocRecords, Row
from normalizers.schema import TABLES

from . import sealed
from .state import atomic_write_bytes, load_value, parts_file as parts_file_of, value_identity
from .store import arrow_table
from .versions import fingerprint

log = logging.getLogger(__name__)

FORMAT = 4
RECORDS = "pdf_records"  # the asset whose stored values are the documents' records


def preload() -> None:
    """Load what building, writing and checking the curated tables needs that a run's own process
    has not loaded yet: pandas (pyarrow loads it on its first conversion of Python values,
    `schema.to_arrow`) and the accent rules of the matching keys of agency names
    (`normalizers.text.fold`, which the agencies check computes). The run calls it while it only waits for the documents
    read ahead (`headstart.take`), so that the cost is not paid after them."""
    import pandas  # noqa: F401 - what pyarrow would load on the first table

    from normalizers.text import fold

    fold("hoá")  # loaded already when the head start was started from this process


@lru_cache(maxsize=None)
def parts_version() -> str:
    """Parts are made by the normalizers and written by this package: a change to either
    makes every part again."""
    return f"{FORMAT}.{fingerprint('extractors', 'normalizers', 'pipeline')}"


@dataclass
class Curated:
    """The curated tables of a corpus, and what the checks of the run read besides."""

    tables: dict[str, pa.Table]
    rows: dict[str, list[Row]]  # rows of documents and of the tasks (for the stated-counts check)
    parts: dict[str, DocPart]  # without their local rows (`DocPart.local` empty)
    made: int  # parts made in this run
    # every table's rows as they went into its Arrow table, when every part was made in this
    # build (none kept); None otherwise
    made_rows: dict[str, list[Row]] | None = None


def _load(path: Path | None) -> dict:
    """The parts kept by the last run (empty when none, unreadable or of other code)."""
    try:
        if path is None:
            raise FileNotFoundError
        kept = sealed.load(path.parent, path)  # unpickled only when this state folder wrote it
        if isinstance(kept, dict) and kept.get("version") == parts_version():
            return kept
    except FileNotFoundError:
        pass
    except Exception:  # noqa: BLE001 - a damaged cache is made again, never trusted
        log.exception("the parts kept in %s cannot be read: every part is made again", path)
    return {"docs": {}, "tables": {}, "pairs": SimilarPairs()}


def _empty(name: str) -> pa.Table:
    return arrow_table(TABLES[name], [])


class StoredRecords:
    """The documents' records as the `pdf_records` step stored them in a state folder, read
    through `runtime.state` (the IO manager's own functions)."""

    def __init__(self, state: Path):
        self.state = Path(state)

    def identity(self, doc_id: str) -> tuple | None:
        return value_identity(self.state, RECORDS, doc_id)

    def load(self, doc_id: str, what: str) -> DocRecords:
        return load_value(self.state, RECORDS, doc_id, what)


class GivenRecords:
    """Records held in memory ({doc_id: DocRecords}), for a build with no parts kept."""

    def __init__(self, records: Mapping[str, DocRecords]):
        self.records = records

    def identity(self, doc_id: str) -> tuple | None:
        return ("given",) if doc_id in self.records else None

    def load(self, doc_id: str, what: str) -> DocRecords:
        return self.records[doc_id]


def curated_tables(manifest: Mapping[str, str], state: Path, version: str,
                   tracked_on: datetime.date | None = None) -> Curated:
    """The curated tables of the documents of `manifest` ({doc_id: source_file}), whose records
    are stored in the state folder `state`; keeps the parts there for the next run
    (`runtime.state.parts_file`). `tracked_on`: the date of the task tracking (default: today)."""
    return build(manifest, StoredRecords(state), version, tracked_on, parts_file_of(state))


def curated_rows(manifest: Mapping[str, str], records: Mapping[str, DocRecords], version: str,
                 tracked_on: datetime.date | None = None) -> dict[str, list[Row]]:
    """The rows of every curated table of these records, made by the very code of a run (`build`,
    every part made, none kept): the rows it turns into the tables' Arrow columns (Parquet keeps
    floats as float32)."""
    result = build(manifest, GivenRecords(records), version, tracked_on)
    assert result.made_rows is not None
    return result.made_rows


def build(manifest: Mapping[str, str], records, version: str, tracked_on: datetime.date | None = None,
          parts_file: Path | None = None) -> Curated:
    """The curated tables: each document's part made from its records (`records.load`) unless
    the part kept in `parts_file` was made from the very same records (`records.identity`), then
    the corpus-wide tables; the parts kept for the next run (none without `parts_file`)."""
    kept = _load(parts_file)
    old_docs, old_tables, old_pairs = kept["docs"], kept["tables"], kept["pairs"]
    docs = document_order(manifest)
    summaries: dict[str, DocPart] = {}
    chunks: dict[str, list[pa.Table]] = {name: [] for name in LOCAL_TABLES}
    index: dict[str, tuple] = {}
    offsets = dict.fromkeys(LOCAL_TABLES, 0)
    made = 0
    reused = set()
    made_rows: dict[str, list[Row]] = {name: [] for name in LOCAL_TABLES}
    for d in docs:
        identity = records.identity(d)
        if identity is None:
            raise RuntimeError(f"document {d} ({manifest[d]}) not processed yet: its records are not stored")
        key = (manifest[d], *identity)
        old = old_docs.get(d)
        if old is not None and old[0] == key:
            summary, spans = old[1], old[2]
            local = {name: old_tables[name].slice(*spans[name]) for name in LOCAL_TABLES}
            reused.add(d)
        else:
            part = doc_part(d, manifest[d], records.load(d, f"the records of {manifest[d]}"))
            local = {name: arrow_table(TABLES[name], part.local[name]) for name in LOCAL_TABLES}
            summary = replace(part, local={})  # its local rows are kept as Arrow, in the tables
            made += 1
            for name in LOCAL_TABLES:
                made_rows[name] += part.local[name]
        spans = {}
        for name in LOCAL_TABLES:
            n = local[name].num_rows
            spans[name] = (offsets[name], n)
            offsets[name] += n
            if n:
                chunks[name].append(local[name])
        summaries[d] = summary
        index[d] = (key, summary, spans)
    tables: dict[str, pa.Table] = {}
    for name in LOCAL_TABLES:
        tables[name] = pa.concat_tables(chunks[name]).combine_chunks() if chunks[name] else _empty(name)
    # documents whose part is kept keep their similar pairs among themselves
    pairs = similar_pairs(duplicate_candidates(summaries, manifest),
                          SimilarPairs(old_pairs.docs & reused, old_pairs.pairs))
    corpus = corpus_rows(manifest, summaries, version, pairs, tracked_on=tracked_on)
    for name, rows in corpus.items():
        tables[name] = arrow_table(TABLES[name], rows)
    if parts_file is not None and (made or index.keys() != old_docs.keys() or pairs != old_pairs):
        atomic_write_bytes(parts_file, sealed.dumps(
            parts_file.parent,
            {"version": parts_version(), "docs": index, "tables": {n: tables[n] for n in LOCAL_TABLES}, "pairs": pairs},
        ))
    tasks = [t for d in docs for t in summaries[d].tasks]
    every = {name: made_rows[name] if name in made_rows else corpus[name] for name in TABLES} if not reused else None
    return Curated({name: tables[name] for name in TABLES}, {"documents": corpus["documents"], "tasks": tasks},
                   summaries, made, every)

