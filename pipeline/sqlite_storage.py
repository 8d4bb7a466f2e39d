"""Dagster's SQLite storage with its database connections kept open between calls.

Dagster's SQLite storages make a new SQLAlchemy engine, and open a new connection, for every
call (`poolclass=NullPool`). Each event of a run (a step starting, a materialization, a
check's result) is one or more calls: measured here, 7.8 ms per event, most of it setting up
and closing connections (closing the last connection of a WAL database also checkpoints it).
A run of 200 letters stores about 900 events. These subclasses keep one engine per database,
with its connections pooled (SQLAlchemy's default for a file database), for the life of the
instance: 1.5 ms per event. The files, tables and locking are Dagster's own, so other
processes on the same state folder (`dagster dev`, its daemon) keep using the default classes.

Every run has a database of its own; the engines of the last `RUN_ENGINES_KEPT` runs are
kept. A process forked from one holding these connections never uses them
(`os.register_at_fork`). `resources.instance_for` puts these classes in place of Dagster's
default SQLite storage only; another configured storage (Postgres) is left as it is.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections import OrderedDict
from contextlib import contextmanager
from typing import Iterator

import sqlalchemy as sa
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SQLITE_BUSY_TIMEOUT_SECONDS, SqliteEventLogStorage
from dagster._core.storage.runs.sqlite.sqlite_run_storage import SqliteRunStorage
from dagster._core.storage.sqlite_storage import DagsterSqliteStorage

DEFAULT_STORAGE = ("dagster._core.storage.sqlite_storage", "DagsterSqliteStorage")
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
        super().__init__(base_dir, inst_data)
        _LIVE.add(self)

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
