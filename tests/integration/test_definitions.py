"""The Dagster definitions load, and the sensor turns new files in raw/ into partitions and runs."""

from __future__ import annotations

import shutil

from dagster import DagsterInstance, build_sensor_context

from pipeline.definitions import build_definitions, defs
from pipeline.partitions import PDF_PARTITIONS
from pipeline.resources import Folders
from pipeline.sensors import raw_folder_sensor
from tests.conftest import RAW


def test_definitions_load_with_assets_checks_jobs_and_sensor():
    repo = defs.get_repository_def()
    keys = {k.to_user_string() for k in repo.asset_graph.get_all_asset_keys()}
    assert {"pdf_pages", "pdf_tables", "pdf_records", "corpus", "documents", "pages", "cells", "tasks",
            "statuses", "links", "agencies"} <= keys
    assert {j.name for j in repo.get_all_jobs()} >= {"process_document", "build_curated"}
    assert repo.has_sensor_def("raw_folder_sensor")
    assert len(list(defs.asset_checks)) >= 9


def test_sensor_registers_new_files_and_requests_their_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("929_BCA-VPB.pdf", "71_NQ-CP_BCA.pdf"):
        shutil.copy(RAW / name, raw / name)
    folders = Folders(raw_dir=str(raw), curated_dir=str(tmp_path / "curated"))
    with DagsterInstance.ephemeral() as instance:
        ctx = build_sensor_context(instance=instance, resources={"folders": folders})
        result = raw_folder_sensor(ctx)
        doc_runs = [r for r in result.run_requests if r.job_name == "process_document"]
        assert sorted(r.partition_key for r in doc_runs) == sorted(folders.manifest())
        assert any(r.job_name == "build_curated" for r in result.run_requests)
        (add, delete) = result.dynamic_partitions_requests
        assert sorted(add.partition_keys) == sorted(folders.manifest()) and not delete.partition_keys
        instance.add_dynamic_partitions(PDF_PARTITIONS.name, list(add.partition_keys))
        again = raw_folder_sensor(build_sensor_context(instance=instance, resources={"folders": folders}))
        assert again.run_requests == []


def test_folders_are_configurable():
    d = build_definitions("/data/raw", "/data/curated", workers=1)
    folders = d.resources["folders"]
    assert (folders.raw_dir, folders.curated_dir, folders.workers) == ("/data/raw", "/data/curated", 1)
