"""The assets: per PDF (partitioned by content hash) `pdf_document` -> `pdf_records`, then
`curated`, which writes the eight curated tables at once.

`pdf_document` runs `extractors.document.extract_document` (the very function the accuracy
tests and benchmarks measure) in child processes (`isolation.run_isolated`), with a time and memory
limit, several documents at once (`reading.py`); documents `nhiemvu run` read ahead while
Dagster started (`headstart.py`) are taken as they were read. One run may hold many
partitions (a single-run backfill policy): the step's value is `{doc_id: value}`.

Each per-document asset has a `code_version` (`versions.py`): an upgrade of the extractors
reprocesses every extraction, one of the normalizers only the records (cheap; OCR results
are cached by image hash in any case). A document that cannot be read is not an error of
the run: its records say "failed" with the reason, and every other document goes on. A
failure of the machine (`EnvironmentFailure`: an OCR model not installed) is: the step
fails, nothing is stored, and the run says what to fix.
"""


import datetime as dt
from itertools import chain

from dagster import (
    AssetCheckResult, AssetCheckSeverity, AssetCheckSpec, AssetExecutionContext, AssetSpec,
    BackfillPolicy, MaterializeResult, MetadataValue, TableColumn, TableColumnConstraints, TableConstraints,
    TableRecord, TableSchema, asset, multi_asset,
)

from extractors.pdf import INTERNAL_ERROR, EnvironmentFailure
from normalizers.crosschecks import stated_count_problems
from normalizers.records import DocRecords, document_records, failed_document
from normalizers.schema import TABLES, Table

from ..runtime import headstart
from .dagster_internals import add_partition_metadata
from ..runtime.isolation import Failure, run_isolated
from .partitions import PDF_PARTITIONS
from ..runtime.parts import curated_tables, preload
from ..runtime.state import tracked_on
from ..runtime.reading import WARM_UP_MIN_DOCS, Extraction, progress_bar, read_document, reading_tasks, warm_up
from ..runtime.analysts import start_duckdb
from ..runtime.store import file_digest, file_stamp, write_curated
from .resources import Folders
from ..runtime.versions import curated_version, extract_version, manifest_digest, pipeline_version, records_version

DOC_GROUP = "per_document"
CURATED_GROUP = "curated"
PREVIEW_ROWS = 10
DOC_PREVIEW_ROWS = 5
# What people look at first in each table's preview (tables not named here: their first columns)
PREVIEW_COLUMNS = {
    "documents": ("source_file", "doc_number", "doc_type", "issued_date", "status", "doc_id"),
    "pages": ("doc_id", "page", "method", "n_chars", "error"),
    "cells": ("page", "table_no", "row_no", "col_no", "header", "text"),
    "tasks": ("item_no", "name", "lead_agencies", "deadline_raw", "deadline_due", "status"),
    "statuses": ("status", "as_of", "status_raw", "result"),
    "links": ("link_type", "raw_text", "dst_doc_number", "score"),
    "agencies": ("name", "kind", "successor"),
}
PREVIEW_TEXT = 60  # characters of a value shown in a preview
EXPECTED_FAILURES = ("DocumentError", "limit", "crash")


def _extract_all(context: AssetExecutionContext, folders: Folders, keys: list[str]) -> tuple[dict[str, Extraction], set[str]]:
    """Each document's extraction, and those the command line's head start read."""
    manifest = folders.manifest()
    missing = [k for k in keys if k not in manifest]
    if missing:
        raise FileNotFoundError(f"{len(missing)} document(s) no longer in {folders.raw}: {missing[:3]}")
    # read by the command line while Dagster started; while it reads, this process loads what the
    # curated step will need (it would only wait)
    ahead = headstart.take(folders.state, keys, while_waiting=preload)
    rest = {k: folders.path_of(k, manifest) for k in keys if k not in ahead}
    if len(rest) >= WARM_UP_MIN_DOCS:
        warm_up(rest.values())
    bar = progress_bar(len(rest)) if folders.progress and rest else None
    read_here = run_isolated(read_document, reading_tasks(rest, folders.state), workers=folders.workers,
                             limits=folders.limits,
                             pooled=True)  # the run's processes shared out between the documents
    out: dict[str, Extraction] = {}
    machine: list[str] = []  # failures of the machine: never stored as a document's result
    for doc_id, result in chain(ahead.items(), read_here):
        source = manifest[doc_id]
        if isinstance(result, Failure):
            if result.kind == EnvironmentFailure.__name__:
                context.log.error(f"{source}: {result.message}")
                machine.append(result.message)
            elif result.kind in EXPECTED_FAILURES:  # the file's fault, or its size: said in the data
                context.log.warning(f"{source}: {result.message}")
                out[doc_id] = Extraction(doc_id, None, result.message)
            else:  # a bug of ours: the traceback goes to the log, the reason into the data
                context.log.error(f"{source}: {result.reason}\n{result.traceback}")
                out[doc_id] = Extraction(doc_id, None, f"{INTERNAL_ERROR}: {result.reason}")
        else:
            if result.records is not None:
                for page in result.records.pages:
                    if page["method"] == "failed":
                        context.log.warning(f"{source} page {page['page']}: {page['error']}")
            out[doc_id] = result
        if bar is not None and doc_id in rest:
            bar.update()
    if bar is not None:
        bar.close()
    if machine:  # the run fails, and nothing of it is stored: a rerun on the fixed machine reads them
        raise EnvironmentFailure(f"{len(machine)} document(s) could not be read on this machine: {machine[0]}")
    return out, set(ahead)


@asset(
    partitions_def=PDF_PARTITIONS, group_name=DOC_GROUP, io_manager_key="doc_io_manager", kinds={"pdf"},
    backfill_policy=BackfillPolicy.single_run(), code_version=extract_version(),
)
def pdf_document(context: AssetExecutionContext, folders: Folders) -> dict[str, Extraction]:
    """Pages (prose lines, table fragments with boxes; OCR for scans) and logical tables of each PDF."""
    keys = list(context.partition_keys)
    result, ahead = _extract_all(context, folders, keys)
    failed = sum(1 for e in result.values() if e.error)
    context.log.info(f"{len(keys)} document(s) read, {failed} failed, {len(ahead)} read ahead by the command line")
    manifest = folders.manifest()
    _per_partition(context, {k: {**_extraction_metadata(manifest[k], result[k]), "read_ahead": k in ahead} for k in keys})
    return result


def _per_partition(context: AssetExecutionContext, metadata: dict[str, dict]) -> None:
    """Each partition's own metadata on its materialization (the document's file, pages,
    status), not the step's: a step holds a range of partitions.

    `context.add_asset_metadata(..., partition_key=k)` lists the step's whole partition range
    from the instance on every call (a run of 400 letters spent 11 s of 107 in it, and the
    cost grows with the square of the documents), so the metadata of every partition is
    added to the step at once (`dagster_internals.add_partition_metadata`), after the same
    checks, done once; the public call, one partition at a time, where that is not possible."""
    unknown = set(metadata) - set(context.partition_keys)
    if unknown:
        raise ValueError(f"metadata for partitions this step does not materialize: {sorted(unknown)[:3]}")
    if not add_partition_metadata(context, metadata):
        for key, values in metadata.items():
            context.add_asset_metadata(values, partition_key=key)


def _extraction_metadata(source: str, extraction: Extraction) -> dict:
    """What a person looks for on a document's `pdf_document` materialization: the file, its
    pages and how they were read, and, for a document that could not be read, `failed` and why
    (from the rows built with the extraction: the extraction itself is not decoded for this)."""
    out = {"file": MetadataValue.text(source)}
    if extraction.error:
        return {**out, "status": "failed", "failed": True, "error": MetadataValue.text(extraction.error)}
    if extraction.records is None:  # rows to be rebuilt by pdf_records, which says more
        return {**out, "status": "read", "failed": False}
    methods = [p["method"] for p in extraction.records.pages]
    d = extraction.records.document
    out.update(status=d["status"], failed=d["status"] == "failed", pages=len(methods), text_pages=methods.count("text"),
               ocr_pages=methods.count("ocr"), failed_pages=methods.count("failed"))
    if d["error"]:
        out["error"] = MetadataValue.text(d["error"])
    return out


def records_of(extraction: Extraction) -> DocRecords:
    """The rows one document contributes to the curated tables (what the tests measure, too);
    those built with the extraction are taken when today's normalizers built them."""
    if extraction.error is not None:
        return failed_document(extraction.doc_id, extraction.error)
    if extraction.records is not None and extraction.records_of_version == records_version():
        return extraction.records
    return document_records(extraction.doc_id, extraction.document)


@asset(
    partitions_def=PDF_PARTITIONS, group_name=DOC_GROUP, io_manager_key="doc_io_manager",
    backfill_policy=BackfillPolicy.single_run(), code_version=records_version(),
)
def pdf_records(context: AssetExecutionContext, pdf_document: dict[str, Extraction]) -> dict[str, DocRecords]:
    """Normalized rows of each PDF for every curated table."""
    out = {}
    for doc_id in context.partition_keys:
        try:
            out[doc_id] = records_of(pdf_document[doc_id])
        except Exception as e:  # a bug in a normalizer: the document fails, visibly, the others go on
            context.log.exception(f"records of {doc_id} failed")
            out[doc_id] = failed_document(doc_id, f"{INTERNAL_ERROR} while building rows: {type(e).__name__}: {e}")
    _per_partition(context, {k: _records_metadata(out[k]) for k in context.partition_keys})
    return out


def _records_metadata(records: DocRecords) -> dict:
    """A document's `pdf_records` materialization: its number, type and status, how many rows
    it gives each table, and its first tasks (item, name, lead, deadline, status)."""
    d = records.document
    status = {s["task_id"]: s["status"] for s in records.statuses}
    tasks = [{**t, "status": status.get(t["task_id"])} for t in records.tasks[:DOC_PREVIEW_ROWS]]
    out = {
        "doc_number": MetadataValue.text(d["doc_number"] or "(none printed)"), "doc_type": MetadataValue.text(d["doc_type"] or "-"),
        "status": d["status"], "failed": d["status"] == "failed",
        "tasks": len(records.tasks), "statuses": len(records.statuses), "links": len(records.links), "cells": len(records.cells),
    }
    if d["error"]:
        out["error"] = MetadataValue.text(d["error"])
    if tasks:
        out["tasks_preview"] = _table_preview("tasks", tasks)
    return out


def column_schema(table: Table) -> TableSchema:
    """Dagster's column schema of a curated table, from normalizers/schema.py: the short
    description of each column (the long one is in the data dictionary), not-null, unique and
    the other rules as constraints, and the table's key."""
    columns = [
        TableColumn(c.name, str(c.type), description=c.brief,
                    constraints=TableColumnConstraints(nullable=c.nullable, unique=c.unique, other=c.rules()))
        for c in table.columns
    ]
    key = TableConstraints(other=[f"unique key: {', '.join(table.key)}"]) if table.key else None
    return TableSchema(columns=columns, constraints=key)


def _cell(value):
    """A value as a preview shows it: text cut short, lists joined, dates as ISO text."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value)
    elif isinstance(value, (dt.date, dt.datetime)):
        value = value.isoformat()
    text = " ".join(str(value).split())
    return text if len(text) <= PREVIEW_TEXT else text[: PREVIEW_TEXT - 1] + "…"


def _table_preview(name: str, rows: list[dict]) -> MetadataValue:
    """A `MetadataValue.table` of the columns people look at first (PREVIEW_COLUMNS)."""
    declared = {c.name: c for c in TABLES[name].columns} if name in TABLES else {}
    names = [c for c in PREVIEW_COLUMNS.get(name, ()) if rows and c in rows[0]] or [c for c in (rows[0] if rows else {})][:6]
    kinds = {bool: "bool", int: "int", float: "float"}
    columns = []
    for c in names:
        sample = next((r[c] for r in rows if r.get(c) is not None), None)
        columns.append(TableColumn(c, kinds.get(type(sample), "string"),
                                   description=declared[c].brief if c in declared else None))
    records = [TableRecord({c: _cell(r.get(c)) for c in names}) for r in rows]
    return MetadataValue.table(records, schema=TableSchema(columns=columns))


def _preview(name: str, data, statuses=None) -> MetadataValue:
    """The first rows of a written table; the tasks with their status (from `statuses`)."""
    rows = data.slice(0, PREVIEW_ROWS).to_pylist()
    if name == "tasks" and statuses is not None:
        ids = {r["task_id"] for r in rows}
        status = {s["task_id"]: s["status"] for s in statuses.select(["task_id", "status"]).to_pylist() if s["task_id"] in ids}
        rows = [{**r, "status": status.get(r["task_id"])} for r in rows]
    return _table_preview(name, rows)


CURATED_SPECS = [
    AssetSpec(
        name, group_name=CURATED_GROUP, description=table.description, kinds={"parquet"}, deps=["pdf_records"],
        metadata={"dagster/column_schema": column_schema(table)}, code_version=curated_version(),
    )
    for name, table in TABLES.items()
]


STATED_COUNTS = AssetCheckSpec(
    "stated_counts", asset="tasks",
    description="Counts of another document's tasks printed in a document ('tổng số 112 nhiệm vụ (26 …, 86 …)') "
                "equal the tasks extracted from it; differences are listed.",
)


@multi_asset(specs=CURATED_SPECS, check_specs=[STATED_COUNTS])
def curated(context: AssetExecutionContext, folders: Folders):
    """Every curated table of the documents now in the raw folder, replaced all at once.

    Reads the stored records itself (`parts.py`), and only those of documents whose rows
    changed since the last run: the others' rows are kept from it."""
    manifest = folders.manifest()
    duckdb = start_duckdb(folders.curated)  # written by a child process while the tables are built
    try:
        result = curated_tables(dict(manifest), folders.state, pipeline_version(), tracked_on())
    except BaseException:
        if duckdb is not None:
            duckdb.close()
        raise
    context.log.info(f"curated tables: {result.made} of {len(manifest)} document(s) made again")
    written = write_curated(folders.curated, result.tables, duckdb)
    digest = manifest_digest(manifest)
    for name, data in written.items():
        yield MaterializeResult(asset_key=name, metadata={
            "dagster/row_count": data.num_rows,
            "dagster/column_schema": column_schema(TABLES[name]),
            "preview": _preview(name, data, written.get("statuses")),
            "path": MetadataValue.path(str(folders.curated / f"{name}.parquet")),
            "manifest_digest": digest,
            "sha256": file_digest(folders.curated / f"{name}.parquet"),  # the plan checks the file is still this one
            "file_stamp": file_stamp(folders.curated / f"{name}.parquet"),  # cheaply, when the stamp is the same
        })
    parts = result.parts
    problems = stated_count_problems({k: p.stated_counts for k, p in parts.items() if p.stated_counts}, result.rows)
    checked = sum(len(p.stated_counts) for p in parts.values())
    yield AssetCheckResult(
        check_name="stated_counts", asset_key="tasks", passed=not problems, severity=AssetCheckSeverity.WARN,
        metadata={"statements": checked, "differences": MetadataValue.md("\n".join(f"- {p}" for p in problems) or "none")},
    )


DOC_ASSETS = [pdf_document, pdf_records]
