"""The Dagster Definitions of nhiemvu (what `dagster dev -m pipeline.definitions` loads)."""

from __future__ import annotations

import os

from dagster import Definitions, FilesystemIOManager, in_process_executor

from .assets import CURATED_ASSETS, DOC_ASSETS, corpus
from .checks import CHECKS
from .io import CuratedParquetIOManager
from .resources import PROJECT_ROOT, Folders, home
from .sensors import curated_job, document_job, raw_folder_sensor


def build_definitions(raw_dir: str | None = None, curated_dir: str | None = None, workers: int = 2) -> Definitions:
    raw_dir = raw_dir or os.environ.get("NHIEMVU_RAW") or str(PROJECT_ROOT / "raw")
    curated_dir = curated_dir or os.environ.get("NHIEMVU_CURATED") or str(PROJECT_ROOT / "curated")
    return Definitions(
        assets=[*DOC_ASSETS, corpus, *CURATED_ASSETS],
        asset_checks=CHECKS,
        jobs=[document_job, curated_job],
        sensors=[raw_folder_sensor],
        executor=in_process_executor,  # a document's own worker processes use the cores; no per-step process start
        resources={
            "folders": Folders(raw_dir=raw_dir, curated_dir=curated_dir, workers=workers),
            "state_io_manager": FilesystemIOManager(base_dir=str(home() / ".dagster" / "assets")),
            "curated_io_manager": CuratedParquetIOManager(curated_dir=curated_dir),
        },
    )


defs = build_definitions()
