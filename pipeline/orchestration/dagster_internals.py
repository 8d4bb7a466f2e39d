"""Every use of Dagster that is not its public API, in one module, for one Dagster version.

Dagster's public API covers what nhiemvu needs but for three things, kept here and nowhere else
(`tests/architecture/test_architecture.py` checks that no other module names `dagster._`):

1. **Kept SQLite connections.** Dagster's SQLite storages make a new SQLAlchemy engine, and open
   a new connection, for every call (`poolclass=NullPool`). Each event of a run (a step starting,
   a materialization, a check's result) is one or more calls: measured, 7.8 ms per event, most of
   it setting up and closing connections. A run of 200 letters stores about 900 events. The
   subclasses below keep one engine per database, pooled, for the life of the instance: 1.5 ms
   per event. The files, tables and locking are Dagster's own, so other processes on the same
   state folder (`dagster dev`, its daemon) keep using the default classes. They override the
   private `_connect` of Dagster's SQLite storages (and remember the index's tables found, which
   Dagster looks up with a new engine of its own before storing many events). Every run has a database of its own; the
   engines of the last `RUN_ENGINES_KEPT` runs are kept. A process forked from one holding
   these connections never uses them (`os.register_at_fork`). `pooled_instance_ref` puts them in
   place of Dagster's default SQLite storage only; another configured storage (PostgreSQL) is left
   as it is.
2. **The dask executor's helpers** (`pipeline/orchestration/dask_executor.py`): the requirements of a
   multi-process executor and the interrupt handling of dagster-dask's own `execute`.
3. **A job reconstructed from the definitions module**, for executors whose steps run in other
   processes (`pipeline/orchestration/runner.py`).
4. **Metadata of many partitions added to a step at once** (`add_partition_metadata`, used by
   `pipeline/orchestration/assets.py`): the public `add_asset_metadata(..., partition_key=k)` lists the step's
   whole partition range from the instance on every call, a cost that grows with the square of
   the documents (11 s of a 107 s run of 400 letters; 0.05 s this way).

The module refuses to load under any Dagster version but `WRITTEN_FOR`: an upgrade fails at
import, loudly, until these are checked against the new version (and the pin moved with them).
"""

from __future__ import annotations

import dagster

WRITTEN_FOR = "1.13.27"
if dagster.__version__ != WRITTEN_FOR:
    raise ImportError(
        f"pipeline/orchestration/dagster_internals.py uses Dagster internals checked against Dagster {WRITTEN_FOR}, "
        f"and Dagster {dagster.__version__} is installed: check them against it and update WRITTEN_FOR"
    )

import os
import threading
import weakref
from collections import OrderedDict
from contextlib import contextmanager
from typing import Iterator

import sqlalchemy as sa
from dagster._core.definitions.executor_definition import multiple_process_executor_requirements  # noqa: F401
from dagster._core.definitions.reconstruct import ReconstructableRepository
from dagster._core.errors import raise_execution_interrupts  # noqa: F401
from dagster._core.execution.context.metadata_logging import AssetMetadataHandle, OutputMetadataAccumulator
from dagster._core.instance.ref import InstanceRef
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SQLITE_BUSY_TIMEOUT_SECONDS, SqliteEventLogStorage
from dagster._core.storage.runs.sqlite.sqlite_run_storage import SqliteRunStorage
from dagster._core.storage.sqlite_storage import DagsterSqliteStorage
from dagster._serdes import ConfigurableClassData
from dagster._utils import iterate_with_context  # noqa: F401

DEFAULT_STORAGE = (DagsterSqliteStorage.__module__, DagsterSqliteStorage.__name__)
RUN_ENGINES_KEPT = 4

_LIVE: weakref.WeakSet = weakref.WeakSet()  # storages holding engines, forgotten in forked children


class _Engines:
    """Engines by database, the least recently used closed beyond `keep` (None: keep all)."""

    def __init__(self, keep: int | None = None):
        self.keep = keep
        self.engines: OrderedDict[str, sa.Engine] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, conn_string: str) -> sa.Engine:
        """The engine of a database (made on first use)."""
        with self.lock:
            engine = self.engines.get(conn_string)
            if engine is not None:
                self.engines.move_to_end(conn_string)
                return engine
            engine = sa.create_engine(conn_string, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS})
            self.engines[conn_string] = engine
            while self.keep is not None and len(self.engines) > self.keep:
                self.engines.popitem(last=False)[1].dispose()
            return engine

    def dispose(self, *, close: bool = True) -> None:
        with self.lock:
            for engine in self.engines.values():
                engine.dispose(close=close)
            self.engines.clear()


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """Dagster's SQLite event log (a database per run and an index), its engines kept."""

    def __init__(self, base_dir: str, inst_data=None):
        self._index = _Engines()  # before Dagster's __init__, which may already connect
        self._runs = _Engines(keep=RUN_ENGINES_KEPT)
        self._tables: set[str] = set()
        super().__init__(base_dir, inst_data)
        _LIVE.add(self)

    def has_table(self, table_name: str) -> bool:
        """Whether the index database has a table. Dagster asks before storing every
        materialization with tags and every partition, each time with a new engine and
        connection; a table once found is remembered (Dagster adds tables when it migrates a
        database, never drops one; a damaged database is set aside, and a new instance made)."""
        if table_name in self._tables:
            return True
        found = super().has_table(table_name)
        if found:
            self._tables.add(table_name)
        return found

    @contextmanager
    def _connect(self, shard: str) -> Iterator[sa.Connection]:
        with self._db_lock:
            engines = self._index if shard == "index" else self._runs
            engine = engines.get(self.conn_string_for_shard(shard))
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def forget_connections(self) -> None:
        self._index.dispose(close=False)
        self._runs.dispose(close=False)

    def dispose(self) -> None:
        super().dispose()
        self._index.dispose()
        self._runs.dispose()


class PooledSqliteRunStorage(SqliteRunStorage):
    """Dagster's SQLite run storage, its engine kept."""

    def __init__(self, conn_string: str, inst_data=None):
        self._engines = _Engines()
        super().__init__(conn_string, inst_data)
        _LIVE.add(self)

    @contextmanager
    def connect(self) -> Iterator[sa.Connection]:
        engine = self._engines.get(self._conn_string)
        with engine.connect() as conn, conn.begin():
            yield conn

    def forget_connections(self) -> None:
        self._engines.dispose(close=False)

    def dispose(self) -> None:
        super().dispose()
        self._engines.dispose()


class PooledSqliteStorage(DagsterSqliteStorage):
    """Dagster's default SQLite storage (same folder, same files) with the run storage and the
    event log above; the schedule storage is Dagster's own."""

    def __init__(self, base_dir: str, inst_data=None):
        super().__init__(base_dir, inst_data)  # creates or migrates the databases, as Dagster does
        self._run_storage = PooledSqliteRunStorage(self._run_storage._conn_string)
        self._event_log_storage = PooledSqliteEventLogStorage(self._event_log_storage._base_dir)

    @classmethod
    def from_config_value(cls, inst_data, config_value):
        return cls.from_local(inst_data=inst_data, **config_value)


def _forget_in_child() -> None:
    for storage in list(_LIVE):
        storage.forget_connections()


os.register_at_fork(after_in_child=_forget_in_child)


def pooled_instance_ref(state: str, config_dir: str) -> InstanceRef:
    """The instance reference of a state folder, its default SQLite storage (and only that one)
    replaced by the pooled classes above."""
    ref = InstanceRef.from_dir(state, config_dir=config_dir)
    data = ref.storage_data
    if data is not None and (data.module_name, data.class_name) == DEFAULT_STORAGE:
        ref = ref._replace(storage_data=ConfigurableClassData(__name__, PooledSqliteStorage.__name__, data.config_yaml))
    return ref


def reconstructable_job(module: str, attribute: str, job: str):
    """A job of the Definitions object `module.attribute`, reconstructable in other processes."""
    return ReconstructableRepository.for_module(module, attribute).get_reconstructable_job(job)


def add_partition_metadata(context, metadata: dict[str, dict]) -> bool:
    """Add `{partition_key: metadata}` to the materializations of the step's partitions in one
    go (the step's metadata accumulator); False, adding nothing, where the context does not hold
    the accumulator this was written for (the caller then adds them one at a time, publicly)."""
    step = getattr(context, "_step_execution_context", None)
    accumulator = getattr(step, "_metadata_accumulator", None)
    if not isinstance(accumulator, OutputMetadataAccumulator):
        return False
    asset_key = context.assets_def.key
    merged = dict(accumulator.per_output_metadata)
    for key, values in metadata.items():
        handle = AssetMetadataHandle(asset_key=asset_key, partition_key=key)
        merged[handle] = {**merged.get(handle, {}), **values}
    step._metadata_accumulator = OutputMetadataAccumulator(per_output_metadata=merged)
    return True
