"""The assets: per PDF (partitioned by content hash) `pdf_document` -> `pdf_records`, then
`curated`, which writes the seven curated tables at once.

`pdf_document` runs `extractors.document.extract_document` (the very function the accuracy
tests and benchmarks measure) in a child process per document, with a time and memory
limit, several documents at once. One run may hold many partitions (a single-run backfill
policy): the step's value is `{doc_id: value}`.

Each per-document asset has a `code_version` (`versions.py`): an upgrade of the extractors
reprocesses every extraction, one of the normalizers only the records (cheap; OCR results
are cached by image hash in any case). A document that cannot be read is not an error of
the run: its records say "failed" with the reason, and every other document goes on.
"""


import logging
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

from dagster import (
    AssetCheckResult, AssetCheckSeverity, AssetCheckSpec, AssetExecutionContext, AssetSpec,
    BackfillPolicy, MaterializeResult, MetadataValue, TableColumn, TableSchema, asset, multi_asset,
)

from extractors.document import ExtractedDocument, extract_document
from extractors.pdf import INTERNAL_ERROR
from normalizers.crosschecks import stated_count_problems
from normalizers.records import DocRecords, document_records, failed_document
from normalizers.schema import TABLES, Table

from .parts import PARTS_FILE, curated_tables
from .store import write_curated
from .isolation import Failure, run_isolated
from .partitions import PDF_PARTITIONS
from .resources import Folders
from .versions import extract_version, manifest_digest, pipeline_version, records_version

DOC_GROUP = "per_document"
CURATED_GROUP = "curated"
PREVIEW_ROWS = 5
EXPECTED_FAILURES = ("DocumentError", "limit", "crash")


@dataclass(frozen=True)
class Extraction:
    """What reading one PDF gave: its pages and tables (pickled once, in the child that read
    them, and decoded only when needed), or why it could not be read; and the document's rows
    as built in that child by the normalizers of `records_of_version`."""

    doc_id: str
    payload: bytes | None
    error: str | None = None
    records: DocRecords | None = None
    records_of_version: str = ""

    @property
    def document(self) -> ExtractedDocument | None:
        """The pages and tables, decoded (each time: keep the result, do not ask twice)."""
        return None if self.payload is None else pickle.loads(self.payload)


def read_document(doc_id: str, path: str, workers: int) -> Extraction:
    """Read one PDF and build its rows (in the child process that `run_isolated` starts):
    the parent receives bytes and rows, and never rebuilds the extraction's objects."""
    document = extract_document(path, workers=workers)
    payload = pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        records = document_records(doc_id, document)
    except Exception:  # noqa: BLE001 - a normalizer bug: pdf_records rebuilds the rows and reports it
        logging.getLogger(__name__).exception("records of %s failed", doc_id)
        return Extraction(doc_id, payload)
    return Extraction(doc_id, payload, None, records, records_version())


WARM_UP_PDF = Path(__file__).with_name("data") / "warmup.pdf"  # a letter's first page and two pages of a task table
WARM_UP_MIN_DOCS = 4


def warm_up() -> None:
    """Read a small PDF once in this process before forking the children that read documents.

    Much of the first document's cost in a fresh process is loading: modules imported on
    first use (the Vietnamese text tools, parts of pdfminer), registries and compiled
    patterns read on first use. A child forked from a warmed process inherits all of it
    (measured: a one-page letter costs a child 0.07 s of CPU instead of 0.54 s)."""
    try:
        read_document("warm-up", str(WARM_UP_PDF), 1)
    except Exception:  # noqa: BLE001 - only a loss of speed; the documents themselves will tell
        logging.getLogger(__name__).exception("warming up on %s failed", WARM_UP_PDF)


def _extract_all(context: AssetExecutionContext, folders: Folders, keys: list[str]) -> dict[str, Extraction]:
    manifest = folders.manifest()
    missing = [k for k in keys if k not in manifest]
    if missing:
        raise FileNotFoundError(f"{len(missing)} document(s) no longer in {folders.raw}: {missing[:3]}")
    # Few documents: each may use the cores for its pages; many: one core each.
    page_workers = folders.workers if len(keys) < folders.workers else 1
    # the largest files first, so that no long document is left to run alone at the end
    paths = {k: folders.path_of(k, manifest) for k in keys}
    tasks = [(k, (k, str(paths[k]), page_workers)) for k in sorted(keys, key=lambda k: -_size(paths[k]))]
    if len(keys) >= WARM_UP_MIN_DOCS:
        warm_up()
    bar = _progress(len(keys)) if folders.progress else None
    out: dict[str, Extraction] = {}
    for doc_id, result in run_isolated(read_document, tasks, workers=folders.workers, limits=folders.limits):
        source = manifest[doc_id]
        if isinstance(result, Failure):
            if result.kind in EXPECTED_FAILURES:  # the file's fault, or its size: said in the data
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
        if bar is not None:
            bar.update()
    if bar is not None:
        bar.close()
    return out


def _size(path) -> int:
    try:
        return os.path.getsize(path)
    except OSError:  # gone or unreadable: its child will say why
        return 0


def _progress(total: int):
    from tqdm import tqdm

    return tqdm(total=total, desc="documents", unit="pdf")


@asset(
    partitions_def=PDF_PARTITIONS, group_name=DOC_GROUP, io_manager_key="doc_io_manager", kinds={"pdf"},
    backfill_policy=BackfillPolicy.single_run(), code_version=extract_version(),
)
def pdf_document(context: AssetExecutionContext, folders: Folders) -> dict[str, Extraction]:
    """Pages (prose lines, table fragments with boxes; OCR for scans) and logical tables of each PDF."""
    keys = list(context.partition_keys)
    result = _extract_all(context, folders, keys)
    failed = sum(1 for e in result.values() if e.error)
    context.add_output_metadata({"documents": len(keys), "failed": failed})
    return result


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
    return out


def column_schema(table: Table) -> TableSchema:
    """Dagster's column schema of a curated table, from normalizers/schema.py."""
    return TableSchema(columns=[
        TableColumn(c.name, str(c.type), description=c.description) for c in table.columns
    ])


def _preview(data) -> str:
    rows = data.slice(0, PREVIEW_ROWS).to_pylist()
    if not rows:
        return "(no rows)"
    cols = [c for c in data.column_names if c not in ("spans",)][:8]
    cut = lambda v: str(v).replace("|", "\\|").replace("\n", " ")[:60]  # noqa: E731
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(cut(r[c]) for c in cols) + " |" for r in rows]
    return "\n".join(lines)


CURATED_SPECS = [
    AssetSpec(
        name, group_name=CURATED_GROUP, description=table.description, kinds={"parquet"}, deps=["pdf_records"],
        metadata={"dagster/column_schema": column_schema(table)},
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
    result = curated_tables(dict(manifest), folders.state / "docs" / pdf_records.key.to_python_identifier(),
                            folders.state / PARTS_FILE, pipeline_version())
    context.log.info(f"curated tables: {result.made} of {len(manifest)} document(s) made again")
    written = write_curated(folders.curated, result.tables)
    digest = manifest_digest(manifest)
    for name, data in written.items():
        yield MaterializeResult(asset_key=name, metadata={
            "dagster/row_count": data.num_rows,
            "dagster/column_schema": column_schema(TABLES[name]),
            "preview": MetadataValue.md(_preview(data)),
            "path": MetadataValue.path(str(folders.curated / f"{name}.parquet")),
            "manifest_digest": digest,
        })
    parts = result.parts
    problems = stated_count_problems({k: p.stated_counts for k, p in parts.items() if p.stated_counts}, result.rows)
    checked = sum(len(p.stated_counts) for p in parts.values())
    yield AssetCheckResult(
        check_name="stated_counts", asset_key="tasks", passed=not problems, severity=AssetCheckSeverity.WARN,
        metadata={"statements": checked, "differences": MetadataValue.md("\n".join(f"- {p}" for p in problems) or "none")},
    )


DOC_ASSETS = [pdf_document, pdf_records]
