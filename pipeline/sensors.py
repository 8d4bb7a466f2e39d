"""A sensor that watches the raw folder: new files become partitions and are processed,
removed files leave the corpus, and the curated tables are rebuilt after any change."""


from dagster import (
    AddDynamicPartitionsRequest, AssetSelection, DefaultSensorStatus, DeleteDynamicPartitionsRequest, RunRequest,
    SensorEvaluationContext, SensorResult, define_asset_job, sensor,
)

from .assets import CURATED_GROUP, DOC_GROUP
from .partitions import PDF_PARTITIONS
from .resources import Folders

document_job = define_asset_job("process_document", selection=AssetSelection.groups(DOC_GROUP))
curated_job = define_asset_job("build_curated", selection=AssetSelection.groups(CURATED_GROUP))


@sensor(jobs=[document_job, curated_job], minimum_interval_seconds=30, default_status=DefaultSensorStatus.STOPPED)
def raw_folder_sensor(context: SensorEvaluationContext, folders: Folders) -> SensorResult:
    manifest = folders.manifest()
    known = set(context.instance.get_dynamic_partitions(PDF_PARTITIONS.name))
    new, gone = sorted(set(manifest) - known), sorted(known - set(manifest))
    runs = [RunRequest(run_key=f"doc-{k}", job_name=document_job.name, partition_key=k) for k in new]
    if new or gone:
        runs.append(RunRequest(run_key=f"curated-{'-'.join(sorted(manifest))[:200]}-{len(manifest)}", job_name=curated_job.name))
    return SensorResult(
        run_requests=runs,
        dynamic_partitions_requests=[
            AddDynamicPartitionsRequest(PDF_PARTITIONS.name, new),
            DeleteDynamicPartitionsRequest(PDF_PARTITIONS.name, gone),
        ],
    )
