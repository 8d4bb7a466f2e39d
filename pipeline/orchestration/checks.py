"""Asset checks on the curated tables, derived from the schema declaration, plus the
cross-table facts analysts rely on: one `pages` row per page, few failed pages per
document, agencies resolved.

Each check is a plain function of the folders; all of them run in one step (a
`multi_asset_check`): one step rather than a dozen spares a run some sixty events of
bookkeeping, and the checks read the same small files."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
from dagster import AssetCheckResult, AssetCheckSeverity, AssetCheckSpec, AssetKey, MetadataValue, multi_asset_check

from extractors.pdf import INTERNAL_ERROR
from normalizers.agencies import resolve_agencies
from normalizers.schema import TABLES, check_table
from normalizers.tracking import is_open, is_overdue, originating_document

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


def tracking_is_consistent(folders: Folders) -> AssetCheckResult:
    """Every task_tracking row says open and overdue as normalizers.tracking defines them (the one
    meaning of open), on its tracked_on date, from its latest status, which is the last of its
    statuses reported by that day; every task of a primary originating document that reports on no other task has its row."""
    rows = _read(folders, "task_tracking").to_pylist()
    docs = {d["doc_id"]: d for d in _read(folders, "documents").to_pylist()}
    reporting = {l["src_task_id"] for l in _read(folders, "links", ["link_type", "src_task_id"]).to_pylist()
                 if l["link_type"] == "same_task"}
    bad = []
    for r in rows:
        if r["is_open"] != is_open(r["latest_status"]) or r["is_overdue"] != is_overdue(
                r["latest_status"], r["deadline_due"], r["deadline_open_ended"], r["tracked_on"]):
            bad.append(f"{r['task_id']}: is_open/is_overdue disagree with normalizers.tracking")
        known = [x for x in r["statuses"] if x["as_of"] is None or x["as_of"] <= r["tracked_on"]]
        last = known[-1]["status_id"] if known else None
        if last != r["latest_status_id"] or len(r["statuses"]) != r["n_statuses"]:
            bad.append(f"{r['task_id']}: the latest status is not the last of its statuses")
    tracked = {r["task_id"] for r in rows}
    missing = [t["task_id"] for t in _read(folders, "tasks", ["task_id", "doc_id"]).to_pylist()
               if t["doc_id"] in docs and docs[t["doc_id"]]["duplicate_of"] is None
               and originating_document(docs[t["doc_id"]]) and t["task_id"] not in reporting
               and t["task_id"] not in tracked]
    bad += [f"{t}: an originating task without its task_tracking row" for t in missing]
    return AssetCheckResult(passed=not bad, metadata={
        "problems": _listing(bad[:50]), "count": len(bad), "open": sum(r["is_open"] for r in rows),
        "overdue": sum(r["is_overdue"] for r in rows), "tracked_on": str(rows[0]["tracked_on"]) if rows else "none"})


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
    _spec(tracking_is_consistent, "task_tracking", "documents", "tasks", "links"),
]


@multi_asset_check(specs=[spec for spec, _ in CHECK_FUNCTIONS])
def curated_checks(folders: Folders):
    """Every check of the curated tables, one after the other."""
    for spec, check in CHECK_FUNCTIONS:
        result = check(folders)
        yield AssetCheckResult(asset_key=spec.asset_key, check_name=spec.name, passed=result.passed,
                               severity=result.severity, metadata=result.metadata)


CHECKS = [curated_checks]


def evaluate(curated: Path, state: Path) -> list[dict]:
    """Every check of this module evaluated now on a curated folder, as `runner.last_checks` gives
    the recorded ones (check, passed, severity, metadata as text): what `nhiemvu checks` prints
    for a folder the last run did not write. `state` is the state folder (never the curated one:
    a check that reads state must not write into the analysts' folder)."""
    folders = Folders(curated_dir=str(curated), state_dir=str(state))
    out = []
    for spec, check in CHECK_FUNCTIONS:
        result = check(folders)
        out.append({
            "check": f"{spec.asset_key.to_user_string()}:{spec.name}", "passed": result.passed,
            "severity": result.severity.value,
            "metadata": {k: str(getattr(v, "value", v)) for k, v in result.metadata.items()},
        })
    return sorted(out, key=lambda c: c["check"])
