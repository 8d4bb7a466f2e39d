"""Asset checks on the curated tables, derived from the schema declaration, plus the
cross-table facts analysts rely on: one `pages` row per page, few failed pages per
document, agencies resolved.

Each check is a plain function of the folders; all of them run in one step (a
`multi_asset_check`): one step rather than eleven spares a run some sixty events of
bookkeeping, and the checks read the same small files."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
from dagster import AssetCheckResult, AssetCheckSeverity, AssetCheckSpec, AssetKey, MetadataValue, multi_asset_check

from extractors.pdf import INTERNAL_ERROR
from normalizers.agencies import resolve_agencies
from normalizers.schema import TABLES, check_table

from .resources import Folders

MAX_FAILED_PAGE_SHARE = 0.05  # a document with more failed pages than this fails the check


def _read(folders: Folders, name: str, columns: list[str] | None = None):
    return pq.read_table(Path(folders.curated) / f"{name}.parquet", columns=columns)


def _listing(items) -> MetadataValue:
    return MetadataValue.md("\n".join(f"- {i}" for i in items) or "none")


def _schema_check(name: str):
    table = TABLES[name]

    def conforms_to_schema(folders: Folders) -> AssetCheckResult:
        problems = check_table(table, _read(folders, name))
        return AssetCheckResult(passed=not problems, metadata={"problems": _listing(problems)})

    spec = AssetCheckSpec("conforms_to_schema", asset=AssetKey(name), description=f"{name}.parquet matches normalizers/schema.py")
    return spec, conforms_to_schema


def one_row_per_page(folders: Folders) -> AssetCheckResult:
    """Every page of every readable document has exactly one `pages` row, numbered 1..n."""
    docs = _read(folders, "documents", ["doc_id", "n_pages"]).to_pylist()
    pages = _read(folders, "pages", ["doc_id", "page"]).to_pylist()
    expected = {(d["doc_id"], p) for d in docs for p in range(1, d["n_pages"] + 1)}
    got = [(p["doc_id"], p["page"]) for p in pages]
    ok = len(got) == len(set(got)) and set(got) == expected
    return AssetCheckResult(passed=ok, metadata={"pages_expected": len(expected), "pages_rows": len(got)})


def few_failed_pages(folders: Folders) -> AssetCheckResult:
    """No document has more than 5% of its pages failed; those that do are listed (a warning)."""
    docs = {d["doc_id"]: d for d in _read(folders, "documents", ["doc_id", "source_file", "n_pages"]).to_pylist()}
    failed: dict[str, int] = {}
    for p in _read(folders, "pages", ["doc_id", "method"]).to_pylist():
        if p["method"] == "failed":
            failed[p["doc_id"]] = failed.get(p["doc_id"], 0) + 1
    bad = sorted(
        f"{docs[d]['source_file']}: {n} of {docs[d]['n_pages']} pages failed"
        for d, n in failed.items() if n > MAX_FAILED_PAGE_SHARE * docs[d]["n_pages"]
    )
    # WARN: a partial document is recorded as such, the run goes on and says so in its summary
    return AssetCheckResult(passed=not bad, severity=AssetCheckSeverity.WARN,
                            metadata={"documents": _listing(bad), "count": len(bad)})


def no_internal_errors(folders: Folders) -> AssetCheckResult:
    """No page or document failed because of a bug of ours (as opposed to a damaged file):
    such failures are marked "internal error" in the data, logged with their traceback, and
    fail the run."""
    docs = _read(folders, "documents", ["doc_id", "source_file", "error"]).to_pylist()
    names = {d["doc_id"]: d["source_file"] for d in docs}
    bad = [f"{d['source_file']}: {d['error']}" for d in docs if d["error"] and INTERNAL_ERROR in d["error"]
           and not d["error"].startswith("page ")]
    bad += [f"{names.get(p['doc_id'], p['doc_id'])} page {p['page']}: {p['error']}"
            for p in _read(folders, "pages", ["doc_id", "page", "error"]).to_pylist()
            if p["error"] and p["error"].startswith(INTERNAL_ERROR)]
    return AssetCheckResult(passed=not bad, metadata={"failures": _listing(sorted(bad)), "count": len(bad)})


def every_document_read(folders: Folders) -> AssetCheckResult:
    """Every document in the raw folder was read: those that failed (not a PDF, empty,
    truncated, encrypted, over their limits) are listed with the reason (a warning: the run
    goes on, and each failed document's `pdf_document` partition carries `failed: true`)."""
    docs = _read(folders, "documents", ["source_file", "status", "error"]).to_pylist()
    bad = sorted(f"{d['source_file']}: {d['error']}" for d in docs if d["status"] == "failed")
    return AssetCheckResult(passed=not bad, severity=AssetCheckSeverity.WARN,
                            metadata={"failed_documents": _listing(bad), "count": len(bad)})


def agencies_resolved(folders: Folders) -> AssetCheckResult:
    """Every lead/coordinating agency cell is resolved; names that are not are listed."""
    tasks = _read(folders, "tasks", ["lead_agency_raw", "coordinating_agency_raw", "lead_agencies"]).to_pylist()
    unmatched = sorted({u for t in tasks for raw in (t["lead_agency_raw"], t["coordinating_agency_raw"]) for u in resolve_agencies(raw).unmatched})
    no_lead = sum(1 for t in tasks if t["lead_agency_raw"] and not t["lead_agencies"])
    return AssetCheckResult(
        passed=not unmatched,
        severity=AssetCheckSeverity.WARN,
        metadata={"unmatched_names": _listing(unmatched), "count": len(unmatched), "tasks_without_resolved_lead": no_lead},
    )


def _spec(fn, asset: str, *deps: str) -> tuple[AssetCheckSpec, object]:
    return AssetCheckSpec(fn.__name__, asset=AssetKey(asset), additional_deps=[AssetKey(d) for d in deps],
                          description=(fn.__doc__ or "").strip()), fn


CHECK_FUNCTIONS = [
    *(_schema_check(name) for name in TABLES),
    _spec(one_row_per_page, "pages", "documents"),
    _spec(few_failed_pages, "pages", "documents"),
    _spec(no_internal_errors, "pages", "documents"),
    _spec(every_document_read, "documents"),
    _spec(agencies_resolved, "tasks"),
]


@multi_asset_check(specs=[spec for spec, _ in CHECK_FUNCTIONS])
def curated_checks(folders: Folders):
    """Every check of the curated tables, one after the other."""
    for spec, check in CHECK_FUNCTIONS:
        result = check(folders)
        yield AssetCheckResult(asset_key=spec.asset_key, check_name=spec.name, passed=result.passed,
                               severity=result.severity, metadata=result.metadata)


CHECKS = [curated_checks]


def evaluate(curated: Path) -> list[dict]:
    """Every check of this module evaluated now on a curated folder, as `cli.last_checks` gives
    the recorded ones (check, passed, severity, metadata as text): what `nhiemvu checks` prints
    for a folder the last run did not write."""
    folders = Folders(raw_dir=str(curated), curated_dir=str(curated), state_dir=str(curated))
    out = []
    for spec, check in CHECK_FUNCTIONS:
        result = check(folders)
        out.append({
            "check": f"{spec.asset_key.to_user_string()}:{spec.name}", "passed": result.passed,
            "severity": result.severity.value,
            "metadata": {k: str(getattr(v, "value", v)) for k, v in result.metadata.items()},
        })
    return sorted(out, key=lambda c: c["check"])
