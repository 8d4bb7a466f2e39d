"""The Dagster definitions load, and the sensor keeps the curated tables up to date: it
registers new files, requests one run that processes them *and then* rebuilds the curated
tables, and asks again after a file is replaced (ticks simulated, runs executed for real)."""

from __future__ import annotations

import shutil

import pyarrow.parquet as pq
from dagster import build_sensor_context

from pipeline.definitions import build_definitions, defs
from pipeline.partitions import PDF_PARTITIONS, contiguous_ranges
from pipeline.resources import Folders, instance_for
from pipeline.sensors import raw_folder_sensor
from tests.conftest import RAW


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
