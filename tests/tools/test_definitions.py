"""The Dagster definitions load, and the sensor keeps the curated tables up to date: it
registers new files, requests one run that processes them *and then* rebuilds the curated
tables, and asks again after a file is replaced (ticks simulated, runs executed for real)."""

from __future__ import annotations

import shutil

import pyarrow.parquet as pq
from dagster import build_sensor_context
import pytest

from pipeline.orchestration.definitions import build_definitions, defs
from pipeline.orchestration.partitions import PDF_PARTITIONS, contiguous_ranges
from pipeline.orchestration.resources import Folders, instance_for
from pipeline.orchestration.sensors import raw_folder_sensor
from tests.conftest import RAW

pytestmark = pytest.mark.slow  # reads whole documents, OCRs or runs the pipeline


def test_definitions_load_with_assets_checks_jobs_and_sensor():
    repo = defs.get_repository_def()
    keys = {k.to_user_string() for k in repo.asset_graph.get_all_asset_keys()}
    assert {"pdf_document", "pdf_records", "documents", "pages", "cells", "tasks", "statuses", "links", "agencies"} <= keys
    assert "ingest" in {j.name for j in repo.get_all_jobs()}
    assert repo.has_sensor_def("raw_folder_sensor")
    checks = {f"{k.asset_key.to_user_string()}:{k.name}" for k in repo.asset_graph.asset_check_keys}
    assert {f"{t}:conforms_to_schema" for t in ("documents", "pages", "cells", "tasks", "statuses", "links", "agencies")} <= checks
    assert {"pages:one_row_per_page", "pages:few_failed_pages", "pages:no_internal_errors", "tasks:agencies_resolved",
            "tasks:stated_counts"} <= checks


def test_folders_are_configurable():
    d = build_definitions("/data/raw", "/data/curated", workers=1)
    folders = d.resources["folders"]
    assert (folders.raw_dir, folders.curated_dir, folders.workers) == ("/data/raw", "/data/curated", 1)


def test_contiguous_ranges():
    order = list("abcdefg")
    assert contiguous_ranges(order, set("bcdg")) == [("b", "d"), ("g", "g")]
    assert contiguous_ranges(order, set()) == []
    assert contiguous_ranges(order, set(order)) == [("a", "g")]


def _tick(instance, folders, d):
    """One sensor tick as the daemon does it: apply its partition requests, then execute its runs."""
    result = raw_folder_sensor(build_sensor_context(instance=instance, resources={"folders": folders}))
    if not hasattr(result, "run_requests"):
        return []
    for req in result.dynamic_partitions_requests or []:
        if type(req).__name__.startswith("Add"):
            instance.add_dynamic_partitions(PDF_PARTITIONS.name, list(req.partition_keys))
        else:
            for k in req.partition_keys:
                instance.delete_dynamic_partition(PDF_PARTITIONS.name, k)
    job = d.resolve_job_def("ingest")
    for run in result.run_requests:
        done = job.execute_in_process(instance=instance, asset_selection=run.asset_selection, tags=run.tags)
        assert done.success
    return result.run_requests


def test_sensor_takes_dropped_and_replaced_files_into_the_curated_tables(tmp_path):
    raw, curated, state = tmp_path / "raw", tmp_path / "curated", tmp_path / "state"
    raw.mkdir()
    shutil.copy(RAW / "929_BCA-VPB.pdf", raw / "a.pdf")
    d = build_definitions(str(raw), str(curated), 2, state_dir=str(state))
    folders: Folders = d.resources["folders"]
    with instance_for(state) as instance:
        runs = _tick(instance, folders, d)
        assert len(runs) == 1 and {"documents", "pdf_document"} <= {k.to_user_string() for k in runs[0].asset_selection}
        assert pq.read_table(curated / "documents.parquet").column("source_file").to_pylist() == ["a.pdf"]
        assert _tick(instance, folders, d) == []  # up to date: nothing requested

        shutil.copy(RAW / "71_NQ-CP_BCA.pdf", raw / "b.pdf")  # a dropped file: in within one tick
        assert len(_tick(instance, folders, d)) == 1
        assert sorted(pq.read_table(curated / "documents.parquet").column("source_file").to_pylist()) == ["a.pdf", "b.pdf"]

        shutil.copy(RAW / "07_CT-TTg.pdf", raw / "a.pdf")  # a replaced file (not the last one): in again
        assert len(_tick(instance, folders, d)) == 1
        docs = {r["source_file"]: r for r in pq.read_table(curated / "documents.parquet").to_pylist()}
        assert docs["a.pdf"]["doc_number"] == "07/CT-TTg" and sorted(docs) == ["a.pdf", "b.pdf"]
        assert _tick(instance, folders, d) == []


def test_every_asset_has_a_code_version_and_the_column_schema_reads_well():
    from dagster import TableSchema

    from normalizers.schema import TABLES

    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        assert graph.get(key).code_version, key.to_user_string()
    specs = {s.key.to_user_string(): s for s in defs.resolve_all_asset_specs()}
    for name, table in TABLES.items():
        schema: TableSchema = specs[name].metadata["dagster/column_schema"]
        by_name = {c.name: c for c in schema.columns}
        for column in table.columns:
            shown = by_name[column.name]
            assert shown.description == column.brief and len(shown.description) <= 80, (name, column.name)
            assert shown.constraints.nullable == column.nullable and shown.constraints.unique == column.unique
            if column.allowed:
                assert any(all(v in o for v in column.allowed) for o in shown.constraints.other), column.name
        if table.key:
            assert schema.constraints.other == [f"unique key: {', '.join(table.key)}"]
    tasks = {c.name: c for c in specs["tasks"].metadata["dagster/column_schema"].columns}
    assert tasks["task_id"].constraints.nullable is False and tasks["task_id"].constraints.unique is True
    statuses = {c.name: c for c in specs["statuses"].metadata["dagster/column_schema"].columns}
    assert "one of: completed" in statuses["status"].constraints.other[0]


def test_each_partition_carries_its_own_document_and_a_failed_pdf_says_so(tmp_path):
    """Per partition: the file's name, its pages and status (not the batch's counts); a PDF that
    cannot be read has `failed: true` and the reason; the tasks preview is a table of the
    columns people look at."""
    from dagster import AssetKey

    from pipeline.tools.commands import run
    from tests.fixtures import bad_inputs

    raw, curated, state = tmp_path / "raw", tmp_path / "curated", tmp_path / "state"
    raw.mkdir()
    shutil.copy(RAW / "71_NQ-CP_BCA.pdf", raw / "appendix.pdf")
    bad_inputs.truncated(RAW / "929_BCA-VPB.pdf", raw / "broken.pdf")
    summary = run(raw, curated, quiet=True, state=state)
    docs = {d["source_file"]: d for d in pq.read_table(curated / "documents.parquet").to_pylist()}
    with instance_for(state) as instance:
        def latest(asset, doc):
            records = instance.fetch_materializations(AssetKey(asset), limit=100).records
            return next(r.asset_materialization for r in records if r.asset_materialization.partition == docs[doc]["doc_id"])

        good, bad = latest("pdf_document", "appendix.pdf").metadata, latest("pdf_document", "broken.pdf").metadata
        assert good["file"].value == "appendix.pdf" and good["failed"].value is False and good["pages"].value == docs["appendix.pdf"]["n_pages"]
        assert bad["file"].value == "broken.pdf" and bad["failed"].value is True and bad["status"].value == "failed"
        assert bad["error"].value.startswith("truncated PDF") and "pages" not in bad
        rows = latest("pdf_records", "appendix.pdf").metadata
        n_tasks = pq.read_table(curated / "tasks.parquet").num_rows
        assert rows["tasks"].value == n_tasks and rows["failed"].value is False
        preview = rows["tasks_preview"].value
        assert [c.name for c in preview.schema.columns] == ["item_no", "name", "lead_agencies", "deadline_raw", "deadline_due", "status"]
        assert preview.records[0].data["status"] is not None  # the appendix reports a status per task
        assert latest("pdf_records", "broken.pdf").metadata["failed"].value is True

        tasks = instance.get_latest_materialization_event(AssetKey("tasks")).asset_materialization.metadata
        table = tasks["preview"].value
        assert [c.name for c in table.schema.columns][:3] == ["item_no", "name", "lead_agencies"]
        first = pq.read_table(curated / "tasks.parquet").slice(0, 1).to_pylist()[0]
        assert table.records[0].data["item_no"] == first["item_no"]
    assert "documents:every_document_read" in summary["checks_warned"]
