"""The curated Parquet tables on disk, replaced all at once (no Dagster here: a run with
nothing new reads and checks them without starting Dagster).

Every table (and, with the whole set, `datapackage.json` and the DuckDB views of
`analysts.py`) is first written into `curated/.next/`, a `COMPLETE` marker is written, and
only then are the files renamed into place. A run killed (or a disk filled) while staging
leaves the old tables whole; one killed between two renames is rolled forward by
`recover_curated` at the start of the next run (and of every write), so tables of two runs
are never left side by side. The same rows give the same bytes (no timestamps anywhere).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any, Mapping, Sequence

import pyarrow as pa
import pyarrow.parquet as pq

from normalizers.schema import TABLES, Table, to_arrow

from .analysts import DuckdbAhead, write_analyst_files
from .state import atomic_write_bytes, file_stamp as state_file_stamp

STAGING = ".next"
COMPLETE = "COMPLETE"


def arrow_table(table: Table, rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    """Typed Arrow table of `rows` with the column descriptions in the file metadata."""
    data = to_arrow(table, rows)
    descriptions = {c.name: c.description for c in table.columns}
    return data.replace_schema_metadata({
        **(data.schema.metadata or {}),
        b"nhiemvu.column_descriptions": json.dumps(descriptions, ensure_ascii=False).encode("utf-8"),
    })


def recover_curated(curated: Path) -> str | None:
    """Finish or undo an interrupted replacement; returns what was done (None: nothing to do)."""
    staging = curated / STAGING
    if not staging.exists():
        return None
    if (staging / COMPLETE).exists():
        for path in sorted(p for p in staging.iterdir() if p.name != COMPLETE and not p.name.startswith(".")):
            os.replace(path, curated / path.name)
        shutil.rmtree(staging)
        return "rolled forward"
    shutil.rmtree(staging)
    return "rolled back"


def write_curated(curated: Path, tables: Mapping[str, Sequence[Mapping[str, Any]] | pa.Table],
                  duckdb: DuckdbAhead | None = None) -> dict[str, pa.Table]:
    """Write every curated table, replacing the old set all at once; returns the Arrow tables.
    A table is given as its rows, or as the Arrow table `arrow_table` made (of its schema).
    `duckdb`: the DuckDB file started ahead for this replacement (`analysts.start_duckdb`), taken
    with the whole set (and stopped otherwise)."""
    try:
        curated.mkdir(parents=True, exist_ok=True)
        recover_curated(curated)
        staging = curated / STAGING
        staging.mkdir()
    except BaseException:
        if duckdb is not None:
            duckdb.close()
        raise
    written = {}
    try:
        for name, rows in tables.items():
            if isinstance(rows, pa.Table):  # made elsewhere: it must have the declared schema
                data = rows
                if not data.schema.equals(arrow_table(TABLES[name], []).schema, check_metadata=True):
                    raise ValueError(f"{name}: the Arrow table's schema is not the declared one")
            else:  # rows: checked one by one as they become the table
                data = arrow_table(TABLES[name], rows)
            pq.write_table(data, staging / f"{name}.parquet", compression="zstd")
            written[name] = data
        if set(written) == set(TABLES):  # the whole set: its data package and DuckDB views with it
            write_analyst_files(staging, curated, duckdb)
        elif duckdb is not None:
            duckdb.close()
        duckdb = None  # taken or stopped
        for path in staging.iterdir():
            with open(path, "rb") as f:
                os.fsync(f.fileno())
    except BaseException:  # a bad row, a full disk: the old tables stay as they were
        if duckdb is not None:
            duckdb.close()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    atomic_write_bytes(staging / COMPLETE, b"")
    _fsync_dir(staging)
    recover_curated(curated)
    _fsync_dir(curated)
    return written


def file_stamp(path: Path) -> str | None:
    """What identifies a curated file as written, without reading it (`state.file_stamp`), as
    text for its materialization's metadata; None when there is none."""
    stamp = state_file_stamp(path)
    return None if stamp is None else ":".join(map(str, stamp))


def file_digest(path: Path) -> str | None:
    """sha256 of a curated file as it is now (None: there is none), to tell the files a run
    wrote from files changed, cut short or replaced since."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            while block := f.read(1 << 20):
                h.update(block)
    except (FileNotFoundError, IsADirectoryError):
        return None
    return h.hexdigest()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
