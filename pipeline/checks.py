"""Asset checks on the curated tables, derived from the schema declaration, plus the
cross-table facts analysts rely on (one `pages` row per page; agencies resolved)."""


from pathlib import Path

import pyarrow.parquet as pq
from dagster import AssetCheckResult, AssetCheckSeverity, AssetKey, asset_check

from normalizers.agencies import resolve_agencies
from normalizers.schema import TABLES, check_table

from .resources import Folders


def _read(folders: Folders, name: str):
    return pq.read_table(Path(folders.curated) / f"{name}.parquet")


def _schema_check(name: str):
    table = TABLES[name]

    @asset_check(asset=AssetKey(name), name="conforms_to_schema", description=f"{name}.parquet matches normalizers/schema.py")
    def _check(folders: Folders) -> AssetCheckResult:
        problems = check_table(table, _read(folders, name))
        return AssetCheckResult(passed=not problems, metadata={"problems": "\n".join(problems) or "none"})

    return _check


@asset_check(asset=AssetKey("pages"), name="one_row_per_page", additional_deps=[AssetKey("documents")])
def one_row_per_page(folders: Folders) -> AssetCheckResult:
    docs = _read(folders, "documents").to_pylist()
    pages = _read(folders, "pages").to_pylist()
    expected = {(d["doc_id"], p) for d in docs for p in range(1, d["n_pages"] + 1)}
    got = [(p["doc_id"], p["page"]) for p in pages]
    ok = len(got) == len(set(got)) and set(got) == expected
    return AssetCheckResult(passed=ok, metadata={"pages_expected": len(expected), "pages_rows": len(got)})


@asset_check(asset=AssetKey("tasks"), name="agencies_resolved")
def agencies_resolved(folders: Folders) -> AssetCheckResult:
    """Every lead/coordinating agency cell is resolved; names that are not are listed."""
    tasks = _read(folders, "tasks").select(["lead_agency_raw", "coordinating_agency_raw", "lead_agencies"]).to_pylist()
    unmatched = sorted({u for t in tasks for raw in (t["lead_agency_raw"], t["coordinating_agency_raw"]) for u in resolve_agencies(raw).unmatched})
    no_lead = sum(1 for t in tasks if t["lead_agency_raw"] and not t["lead_agencies"])
    return AssetCheckResult(
        passed=not unmatched,
        severity=AssetCheckSeverity.WARN,
        metadata={"unmatched_names": "\n".join(unmatched) or "none", "tasks_without_resolved_lead": no_lead},
    )


SCHEMA_CHECKS = [_schema_check(name) for name in TABLES]
CHECKS = [*SCHEMA_CHECKS, one_row_per_page, agencies_resolved]
