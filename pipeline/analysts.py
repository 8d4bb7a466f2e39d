"""What the curated folder offers analysts besides the Parquet files, written with them:

- `datapackage.json`: a Frictionless Tabular Data Package of the tables (Table Schema with
  types, constraints, primary and foreign keys), derived from `normalizers/schema.py`;
- `nhiemvu.duckdb`: a DuckDB database of views over the Parquet files beside it (one per table),
  plus `agency_now` (each agency's current body, following `agencies.successor` recursively),
  `open_tasks`, `overdue_tasks` (rows of `task_tracking`: the one meaning of open is
  `normalizers.tracking.is_open`, computed into the table) and `open_tasks_per_agency` (rolled up
  to the current bodies). The views name the files by relative path: open the database with the
  curated folder as DuckDB's `file_search_path` (`connect`), or from inside that folder.

Both are deterministic: the descriptor is the same JSON for the same code, and the DuckDB file
(whose bytes DuckDB does not keep stable) is kept as it was when its views are the same.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from normalizers.schema import TABLES, datapackage_descriptor

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


def datapackage_bytes() -> bytes:
    return (json.dumps(datapackage_descriptor(), ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


def views_sql() -> str:
    return "\n".join(f"create or replace view {name} as {sql.strip()};" for name, sql in VIEWS)


def connect(curated: str | Path, read_only: bool = True):
    """A DuckDB connection to the curated folder's database, its views reading the files beside it."""
    import duckdb

    folder = Path(curated)
    con = duckdb.connect(str(folder / DUCKDB_FILE), read_only=read_only)
    con.execute(f"set file_search_path = '{_quote(str(folder.resolve()))}'")
    return con


def _quote(text: str) -> str:
    return text.replace("'", "''")


def _same_views(path: Path) -> bool:
    """Whether the database at `path` holds exactly today's views."""
    import duckdb

    if not path.is_file():
        return False
    try:
        con = duckdb.connect(str(path), read_only=True)
        try:
            stored = con.execute("select value from nhiemvu_meta where key = 'views'").fetchone()
        finally:
            con.close()
    except Exception:  # noqa: BLE001 - another file, another version: written anew
        return False
    return stored is not None and stored[0] == views_sql()


def write_duckdb(staging: Path, current: Path) -> None:
    """Write `staging/nhiemvu.duckdb` (the Parquet files are in `staging`); the file of `current`
    (the curated folder) is copied instead when its views are today's."""
    import duckdb

    target = staging / DUCKDB_FILE
    if _same_views(current / DUCKDB_FILE):
        shutil.copyfile(current / DUCKDB_FILE, target)
        return
    con = duckdb.connect(str(target))
    try:
        con.execute(f"set file_search_path = '{_quote(str(staging.resolve()))}'")
        con.execute(views_sql())
        con.execute("create table nhiemvu_meta (key varchar primary key, value varchar)")
        con.execute("insert into nhiemvu_meta values ('views', ?)", [views_sql()])
        con.execute("checkpoint")
    finally:
        con.close()
    wal = target.with_name(target.name + ".wal")
    if wal.exists():
        wal.unlink()


def write_analyst_files(staging: Path, current: Path) -> None:
    """Both files into the staging folder of a replacement of the curated tables."""
    (staging / DATAPACKAGE).write_bytes(datapackage_bytes())
    write_duckdb(staging, current)
