"""A sensor that watches the raw folder and keeps the curated tables up to date.

Each tick makes the same plan as `nhiemvu run` (`plan.py`): new files become partitions,
removed ones are deleted, and one run processes the documents that need it *and then*
rebuilds the curated tables, so the rebuild can never start before the documents are
done. The run key is the digest of the whole manifest and the code versions, so a file
replaced anywhere in the folder gives a new run; failed runs are retried by the instance
(`run_retries` in dagster.yaml).
"""

from __future__ import annotations

import os

from dagster import (
    AddDynamicPartitionsRequest, AssetSelection, DefaultSensorStatus, DeleteDynamicPartitionsRequest, RunRequest,
    SensorEvaluationContext, SensorResult, SkipReason, define_asset_job, sensor,
)

from .assets import DOC_ASSETS, curated
from .partitions import PDF_PARTITIONS
from .plan import CURATED, DOCUMENT, RECORDS, Run, make_plan
from .resources import Folders

INGEST_JOB = define_asset_job("ingest", selection=AssetSelection.all())
SENSOR_SECONDS = int(os.environ.get("NHIEMVU_SENSOR_SECONDS", "30"))
# Off until switched on in the UI, or on from the start with NHIEMVU_SENSOR=on.
SENSOR_STATUS = DefaultSensorStatus.RUNNING if os.environ.get("NHIEMVU_SENSOR") == "on" else DefaultSensorStatus.STOPPED
DOC_KEYS = [a.key for a in DOC_ASSETS]
CURATED_KEYS = list(curated.keys)


def selection_of(run: Run) -> list:
    """The asset keys of a run's steps."""
    keys = {DOCUMENT: DOC_KEYS[:1], RECORDS: DOC_KEYS[1:], CURATED: CURATED_KEYS}
    return [k for step in run.steps for k in keys[step]]


def run_requests(plan) -> list[RunRequest]:
    """The runs a plan needs as the sensor asks for them (`Plan.runs`: they may start at once)."""
    return [
        RunRequest(
            run_key=f"docs-{plan.digest}-{run.first[:12]}-{run.last[:12]}" if run.first else f"curated-{plan.digest}",
            job_name=INGEST_JOB.name, asset_selection=selection_of(run), tags=run.tags(),
        )
        for run in plan.runs(one_after_another=False)
    ]


@sensor(job=INGEST_JOB, minimum_interval_seconds=SENSOR_SECONDS, default_status=SENSOR_STATUS)
def raw_folder_sensor(context: SensorEvaluationContext, folders: Folders):
    manifest = folders.manifest()
    plan = make_plan(context.instance, manifest, folders.curated, dry_run=True, state=folders.state)
    runs = run_requests(plan)
    if not runs and not plan.new and not plan.gone:
        return SkipReason("the curated tables are up to date")
    return SensorResult(
        run_requests=runs,
        dynamic_partitions_requests=[
            AddDynamicPartitionsRequest(PDF_PARTITIONS.name, list(plan.new)),
            DeleteDynamicPartitionsRequest(PDF_PARTITIONS.name, list(plan.gone)),
        ],
    )
