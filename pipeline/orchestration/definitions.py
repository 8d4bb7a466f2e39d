"""The Dagster Definitions of nhiemvu (what `dagster dev -m pipeline.orchestration.definitions` loads).

The executor is chosen by configuration only (`NHIEMVU_EXECUTOR`): `in_process` (the
default: a step's documents already run in child processes on every core), `multiprocess`,
or `dask` (the steps run on an existing dask.distributed cluster whose scheduler is
`NHIEMVU_DASK_SCHEDULER`; see docs/scale-out.md); the Definitions are the same whichever
runs them.
"""

from __future__ import annotations

import os
from pathlib import Path

from dagster import Definitions, in_process_executor, multiprocess_executor

from .assets import DOC_ASSETS, curated
from .checks import CHECKS
from .io_manager import DocStateIOManager
from ..runtime.isolation import Limits
from ..runtime.state import default_curated, default_raw, executor_name, home
from .resources import Folders
from .sensors import INGEST_JOB, raw_folder_sensor

def executor_from_env():
    name = executor_name()
    if name == "dask":
        from .dask_executor import dask_range_executor

        address = os.environ.get("NHIEMVU_DASK_SCHEDULER")
        if not address:
            raise ValueError("NHIEMVU_EXECUTOR=dask needs NHIEMVU_DASK_SCHEDULER (e.g. tcp://10.0.0.5:8786)")
        return dask_range_executor.configured({"cluster": {"existing": {"address": address}}})
    return {"in_process": in_process_executor, "multiprocess": multiprocess_executor}[name]


def build_definitions(
    raw_dir: str | None = None, curated_dir: str | None = None, workers: int = 2, *,
    state_dir: str | None = None, limits: Limits = Limits(), progress: bool = False,
) -> Definitions:
    raw_dir = raw_dir or default_raw()
    curated_dir = curated_dir or default_curated()
    state = Path(state_dir) if state_dir else home()
    folders = Folders(
        raw_dir=str(raw_dir), curated_dir=str(curated_dir), state_dir=str(state), workers=workers,
        doc_seconds=limits.seconds, doc_memory_mb=limits.memory_mb, progress=progress,
    )
    return Definitions(
        assets=[*DOC_ASSETS, curated],
        asset_checks=CHECKS,
        jobs=[INGEST_JOB],
        sensors=[raw_folder_sensor],
        executor=executor_from_env(),
        resources={"folders": folders, "doc_io_manager": DocStateIOManager(state_dir=str(state))},
    )


defs = build_definitions()
