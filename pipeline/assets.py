"""The assets: per PDF (partitioned by content hash) pages -> tables -> records, then the
curated tables of the whole corpus, each written to curated/<table>.parquet.

A document that cannot be read is not an error of the run: its records say
"failed" with the reason, and every other document is processed as usual.
"""


from dataclasses import dataclass

from dagster import AssetExecutionContext, AssetIn, Output, asset

from extractors.document import ExtractedDocument, extract_pages
from extractors.layout import PageContent
from extractors.pdf import DocumentError
from extractors.stitch import stitch
from normalizers.corpus import build_curated
from normalizers.records import document_records, failed_document
from normalizers.schema import TABLES

from . import __version__
from .partitions import PDF_PARTITIONS
from .resources import Folders

DOC_GROUP = "per_document"
CURATED_GROUP = "curated"


@dataclass(frozen=True)
class PagesResult:
    """The pages of one PDF, or why it could not be read."""

    doc_id: str
    pages: tuple[PageContent, ...] = ()
    error: str | None = None


@asset(partitions_def=PDF_PARTITIONS, group_name=DOC_GROUP, io_manager_key="state_io_manager")
def pdf_pages(context: AssetExecutionContext, folders: Folders) -> Output:
    """Pages of one PDF: prose lines and ruled-table fragments with boxes (OCR for scans)."""
    doc_id = context.partition_key
    try:
        pages = extract_pages(folders.path_of(doc_id), workers=folders.workers)
        result = PagesResult(doc_id, pages)
    except DocumentError as e:
        result = PagesResult(doc_id, error=str(e))
    except Exception as e:  # never let one file stop the others
        result = PagesResult(doc_id, error=f"unexpected {type(e).__name__}: {e}")
    methods = [p.method for p in result.pages]
    return Output(result, metadata={
        "pages": len(methods), "text_pages": methods.count("text"), "ocr_pages": methods.count("ocr"),
        "failed_pages": methods.count("failed"), "error": result.error or "",
    })


@asset(partitions_def=PDF_PARTITIONS, group_name=DOC_GROUP, io_manager_key="state_io_manager")
def pdf_tables(pdf_pages: PagesResult) -> Output:
    """Logical tables of one PDF: fragments stitched across pages, cut rows rejoined."""
    tables = tuple(stitch(pdf_pages.pages))
    return Output(tables, metadata={"tables": len(tables), "rows": sum(len(t.rows) for t in tables)})


@asset(partitions_def=PDF_PARTITIONS, group_name=DOC_GROUP, io_manager_key="state_io_manager")
def pdf_records(pdf_pages: PagesResult, pdf_tables: tuple) -> Output:
    """Normalized rows of one PDF for every curated table."""
    if pdf_pages.error is not None:
        records = failed_document(pdf_pages.doc_id, pdf_pages.error)
    else:
        doc = ExtractedDocument(len(pdf_pages.pages), pdf_pages.pages, pdf_tables)
        records = document_records(pdf_pages.doc_id, doc)
    return Output(records, metadata={
        "status": records.document["status"], "tasks": len(records.tasks), "statuses": len(records.statuses),
    })


@asset(group_name=CURATED_GROUP, io_manager_key="state_io_manager", ins={"pdf_records": AssetIn()})
def corpus(context: AssetExecutionContext, folders: Folders, pdf_records: dict) -> dict:
    """Rows of every curated table for the documents now in the raw folder."""
    manifest = folders.manifest()
    records = {k: v for k, v in pdf_records.items() if k in manifest}
    missing = sorted(set(manifest) - set(records))
    if missing:
        raise RuntimeError(f"documents not processed yet: {missing[:3]}… run their partitions first")
    return build_curated(manifest, records, __version__)


def _curated_asset(name: str):
    table = TABLES[name]

    @asset(name=name, group_name=CURATED_GROUP, io_manager_key="curated_io_manager", description=table.description)
    def _table(corpus: dict) -> Output:
        rows = corpus[name]
        return Output(rows, metadata={"rows": len(rows)})

    return _table


CURATED_ASSETS = [_curated_asset(name) for name in TABLES]
DOC_ASSETS = [pdf_pages, pdf_tables, pdf_records]
