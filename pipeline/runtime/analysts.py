"""What the curated folder offers analysts besides the Parquet files, written with them:

- `datapackage.json`: a Frictionless Tabular Data Package of the tables (Table Schema with
  types, constraints, primary and foreign keys), derived from `normalizers/schema.py`;
- `nhiemvu.duckdb`: a DuckDB database of views over the Parquet files beside it (one per table),
  plus `agency_now` (each agency's current body, following `agencies.successor` recursively),
  `open_tasks`, `overdue_tasks` (rows of `task_tracking`: the one meaning of open is
  `normalizers.tracking.is_open`, computed into the table), `open_tasks_per_agency` (rolled up
  to the current bodies), the macros `is_open(status)` and `is_overdue(status, due, open_ended,
  day)` (`normalizers.tracking.sql_macros`, rendered from the same constants) and the table macro
  `tracking_on(day)`: every tracked task with the latest status reported by that day
  (`status_then`, `as_of_then`, `doc_number_then`) and whether it was open (`open_then`) and
  overdue (`overdue_then`) on that day. The views name the files by relative path: open the database with the
  curated folder as DuckDB's `file_search_path` (`connect`), or from inside that folder.

Both are deterministic: the descriptor is the same JSON for the same code, and the DuckDB file
(whose bytes DuckDB does not keep stable) is kept as it was when its views are the same.
`python -m pipeline.runtime.analysts FOLDER` writes the DuckDB file of a curated folder.

A view holds its SQL and the columns it gives, which depend on the tables' declared schema only,
never on their rows: the run's `curated` step starts the DuckDB file (`start_duckdb`) over empty
tables of that schema when it begins, and a child process writes it while the step builds the
tables; `write_analyst_files` then takes it as it is.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from normalizers.schema import TABLES, datapackage_descriptor
from normalizers.tracking import sql_macros

from .state import PROJECT_ROOT

DATAPACKAGE = "datapackage.json"
DUCKDB_FILE = "nhiemvu.duckdb"

VIEWS: tuple[tuple[str, str], ...] = (
    *((name, f"select * from read_parquet('{name}.parquet')") for name in TABLES),
    ("agency_now", """
with recursive chain(name, now, depth) as (
    select name, name, 0 from agencies
    union all
    select c.name, a.successor, c.depth + 1
    from chain c join agencies a on a.name = c.now
    where a.successor is not null and c.depth < 50
)
select name, arg_max(now, depth) as now from chain group by name"""),
    ("open_tasks", "select * from task_tracking where is_open"),
    ("overdue_tasks", "select * from task_tracking where is_overdue"),
    ("open_tasks_per_agency", """
select coalesce(n.now, l.agency) as agency,
       count(distinct l.task_id) as open_tasks,
       count(distinct l.task_id) filter (where l.is_overdue) as overdue_tasks
from (select task_id, is_overdue, unnest(lead_agencies) as agency from task_tracking where is_open) l
left join agency_now n on n.name = l.agency
group by 1"""),
)


# task_tracking on another day than the run's: each task's latest status reported by that day, and
# whether it was open and overdue then (the macros of normalizers.tracking: the one meaning of open)
TRACKING_ON = """
create or replace macro tracking_on(on_date) as table
select * exclude (reported), reported.status as status_then, reported.as_of as as_of_then,
       reported.doc_number as doc_number_then, is_open(reported.status) as open_then,
       is_overdue(reported.status, deadline_due, deadline_open_ended, on_date) as overdue_then
from (select *, list_last(list_filter(statuses, lambda s: s.as_of is null or s.as_of <= on_date)) as reported
      from task_tracking);"""


def views_sql() -> str:
    views = "\n".join(f"create or replace view {name} as {sql.strip()};" for name, sql in VIEWS)
    return f"{sql_macros()}\n{views}\n{TRACKING_ON.strip()}"


def datapackage_bytes() -> bytes:
    """The descriptor, with the fingerprint of the DuckDB views written beside it."""
    descriptor = {**datapackage_descriptor(),
                  "x-nhiemvu-duckdb-views": hashlib.sha256(views_sql().encode("utf-8")).hexdigest()[:16]}
    return (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def connect(curated: str | Path, read_only: bool = True):
    """A DuckDB connection to the curated folder's database, its views reading the files beside it."""
    import duckdb

    folder = Path(curated)
    con = duckdb.connect(str(folder / DUCKDB_FILE), read_only=read_only)
    con.execute(f"set file_search_path = '{_quote(str(folder.resolve()))}'")
    return con


def _quote(text: str) -> str:
    return text.replace("'", "''")


def write_duckdb(folder: Path) -> None:
    """Write `folder/nhiemvu.duckdb`, its views over the Parquet files in `folder`."""
    import duckdb

    target = folder / DUCKDB_FILE
    target.unlink(missing_ok=True)
    con = duckdb.connect(str(target))
    try:
        con.execute(f"set file_search_path = '{_quote(str(folder.resolve()))}'")
        con.execute(views_sql())
        con.execute("checkpoint")
    finally:
        con.close()
    target.with_name(target.name + ".wal").unlink(missing_ok=True)


class DuckdbAhead:
    """The DuckDB file of today's views, written by a child process over empty tables of the
    declared schema (in a temporary folder of its own) while the caller goes on; `take` waits
    for it and copies it into a staging folder, `close` stops it if it is not taken."""

    def __init__(self) -> None:
        import pyarrow.parquet as pq
        from extractors.tempdirs import temp_dir

        self._closed = False
        self._folder_cm = temp_dir("duckdb-")
        self.folder = self._folder_cm.__enter__()
        try:
            for name, table in TABLES.items():
                pq.write_table(table.arrow_schema().empty_table(), self.folder / f"{name}.parquet")
            self.process = _writer(self.folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        except BaseException:
            self._folder_cm.__exit__(None, None, None)
            raise

    def take(self, staging: Path) -> None:
        """Wait for the file and copy it to `staging/nhiemvu.duckdb`; the temporary folder is removed."""
        try:
            _, err = self.process.communicate(timeout=WRITER_TIMEOUT)
            if self.process.returncode != 0:
                raise RuntimeError(f"writing {DUCKDB_FILE} failed: {err.decode('utf-8', 'replace').strip()[-2000:]}")
            shutil.copyfile(self.folder / DUCKDB_FILE, staging / DUCKDB_FILE)
        finally:
            self.close()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self.process.poll() is None:
            self.process.kill()
        self.process.communicate()
        self._folder_cm.__exit__(None, None, None)


WRITER_TIMEOUT = 300  # seconds the child writing the DuckDB file may take


def _writer(folder: Path, **streams) -> subprocess.Popen:
    """The child process writing `folder/nhiemvu.duckdb` (`write_duckdb`)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.Popen([sys.executable, "-m", "pipeline.runtime.analysts", str(folder)], env=env, cwd=PROJECT_ROOT,
                            **streams)


def _reusable(current: Path, package: bytes) -> bool:
    """Whether the curated folder's DuckDB file has today's views (the same descriptor)."""
    old_package, old_db = current / DATAPACKAGE, current / DUCKDB_FILE
    return old_db.is_file() and old_package.is_file() and old_package.read_bytes() == package


def start_duckdb(current: Path) -> DuckdbAhead | None:
    """Start writing the DuckDB file of a replacement of the curated folder `current`; None when
    the folder's own file has today's views and is taken as it is."""
    return None if _reusable(current, datapackage_bytes()) else DuckdbAhead()


def write_analyst_files(staging: Path, current: Path, ahead: DuckdbAhead | None = None) -> None:
    """`datapackage.json` and `nhiemvu.duckdb` into the staging folder of a replacement of the
    curated tables (`current`: the curated folder). The DuckDB file of `current` is taken as it is
    when its views are today's (the same descriptor, which holds their fingerprint); otherwise it
    is the one `ahead` wrote (`start_duckdb`), or one written now by a child process, so that
    DuckDB is never loaded in the process of the run (its bindings complain of leaks at the exit
    of a process whose objects are frozen, as the command line's are)."""
    package = datapackage_bytes()
    (staging / DATAPACKAGE).write_bytes(package)
    if _reusable(current, package):
        if ahead is not None:
            ahead.close()
        shutil.copyfile(current / DUCKDB_FILE, staging / DUCKDB_FILE)
        return
    if ahead is not None:
        ahead.take(staging)
        return
    process = _writer(staging, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _, err = process.communicate(timeout=WRITER_TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"writing {DUCKDB_FILE} failed: {err.decode('utf-8', 'replace').strip()[-2000:]}")


if __name__ == "__main__":
    write_duckdb(Path(sys.argv[1]))
