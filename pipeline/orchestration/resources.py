"""Where things are and how the work is bounded: the raw, curated and state folders, workers,
the per-document limits; and the Dagster instance of a state folder."""

from __future__ import annotations

from pathlib import Path

from dagster import ConfigurableResource, DagsterInstance
from pydantic import Field

from ..runtime import remote
from ..runtime.isolation import Limits
from ..runtime.manifest import Manifest, scan
from ..runtime.state import default_curated, default_raw, home, instance_config_dir, manifest_cache
from .dagster_internals import pooled_instance_ref

def _sqlite_without_fsync_per_event() -> None:
    """Dagster's SQLite storages commit every event in its own transaction; in rollback-journal
    mode each commit waits for the disk (several fsyncs), which is most of a run's bookkeeping
    for thousands of short documents. Write-ahead logging with `synchronous=NORMAL` keeps the
    databases consistent after a crash and only syncs at checkpoints (SQLite's own advice for
    WAL). The curated tables do not depend on it: they are written and synced by `runtime/store.py`."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    if event.contains(Engine, "connect", _wal_pragmas):
        return
    event.listen(Engine, "connect", _wal_pragmas)


def _wal_pragmas(dbapi_connection, _record) -> None:
    if type(dbapi_connection).__module__.split(".")[0] != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def instance_for(state: Path) -> DagsterInstance:
    """The Dagster instance kept in `state`, configured by its own dagster.yaml if it has one,
    else by the repository's (which names no paths: everything lands under `state`); its
    default SQLite storage keeps its connections open (`dagster_internals.py`)."""
    _sqlite_without_fsync_per_event()
    state.mkdir(parents=True, exist_ok=True)
    config_dir = instance_config_dir(state)
    return DagsterInstance.from_ref(pooled_instance_ref(str(state), str(config_dir)))


class Folders(ConfigurableResource):
    """The folders the pipeline reads and writes, and the bounds of one document's work."""

    raw_dir: str = Field(default=default_raw(), description="Folder of input PDFs (subfolders too), or an fsspec URL.")
    curated_dir: str = Field(default=default_curated(), description="Folder of the curated Parquet tables, or an fsspec URL.")
    state_dir: str = Field(default="", description="Folder of per-document state and caches (default: DAGSTER_HOME).")
    workers: int = Field(default=2, ge=1, description="Processes reading documents at once, in all (each document's child and its page or OCR helpers; `isolation.py`).")
    doc_seconds: float = Field(default=Limits.seconds, gt=0, description="Time limit of one document.")
    doc_memory_mb: int = Field(default=Limits.memory_mb, gt=0, description="Memory (address space) limit of one document, its child and helpers together.")
    progress: bool = Field(default=False, description="Show a progress bar on the terminal.")

    @property
    def raw(self) -> Path:
        """The raw folder; for an fsspec URL, its mirror in the state folder (`remote.py`),
        which `nhiemvu run` brings up to date before it launches a run."""
        return remote.local_folder(self.state, "raw", self.raw_dir)

    @property
    def curated(self) -> Path:
        """The curated folder; for an fsspec URL, the local folder `nhiemvu run` publishes from."""
        return remote.local_folder(self.state, "curated", self.curated_dir)

    @property
    def state(self) -> Path:
        return Path(self.state_dir) if self.state_dir else home()

    @property
    def limits(self) -> Limits:
        return Limits(seconds=self.doc_seconds, memory_mb=self.doc_memory_mb)

    def manifest(self) -> Manifest:
        """{doc_id: source_file} of the raw folder now, with the real paths and the entries skipped."""
        return scan(self.raw, manifest_cache(self.state), state=self.state, curated=self.curated)

    def path_of(self, doc_id: str, manifest: Manifest | None = None) -> Path:
        """The file to open for a document (its real name, which source_file may only show)."""
        return (manifest if manifest is not None else self.manifest()).path_of(doc_id)
