"""The DuckDB file a run starts ahead (`analysts.start_duckdb`: written by its child over empty
tables of the declared schema while the curated step builds the tables) is the one written over
the tables themselves: the same views with the same columns, the same macros, the same rows read
through them; and one started ahead and not taken leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.runtime.analysts import VIEWS, DuckdbAhead, connect, start_duckdb
from pipeline.runtime.parts import curated_rows
from pipeline.runtime.store import write_curated
from tests.fixtures import sample_corpus as sc

pytestmark = pytest.mark.slow  # builds the sample corpus's curated tables


def _catalog(folder: Path) -> tuple:
    con = connect(folder)
    try:
        views = con.execute("select view_name, sql from duckdb_views() where not internal order by 1").fetchall()
        macros = con.execute("select function_name, macro_definition from duckdb_functions() "
                             "where function_type like '%macro%' and not internal order by 1").fetchall()
        columns = {name: con.execute(f"describe {name}").fetchall() for name, _ in VIEWS}
        rows = {name: con.execute(f"select count(*) from {name}").fetchone()[0] for name, _ in VIEWS}
    finally:
        con.close()
    return views, macros, columns, rows


def test_the_duckdb_file_written_ahead_is_the_one_written_over_the_tables(tmp_path):
    manifest = sc.manifest()
    tables = curated_rows(manifest, {d: sc.records()[d] for d in manifest}, sc.VERSION)
    write_curated(tmp_path / "now", tables)  # no file started ahead: written over the staged tables
    ahead = start_duckdb(tmp_path / "ahead")
    assert isinstance(ahead, DuckdbAhead)
    folder = ahead.folder
    write_curated(tmp_path / "ahead", tables, ahead)
    assert not folder.exists()  # its temporary folder is gone once taken
    now, early = _catalog(tmp_path / "now"), _catalog(tmp_path / "ahead")
    assert early == now
    assert len(now[0]) == len(VIEWS) and all(n > 0 for n in now[3].values())
    # a folder whose own file has today's views keeps it: nothing is started
    assert start_duckdb(tmp_path / "ahead") is None


def test_a_duckdb_file_started_and_not_taken_leaves_nothing(tmp_path):
    ahead = DuckdbAhead()
    folder = ahead.folder
    assert (folder / "tasks.parquet").is_file()
    ahead.close()
    ahead.close()  # twice is harmless
    assert not folder.exists()
    stopped = DuckdbAhead()
    with pytest.raises(ValueError):
        write_curated(tmp_path, {"pages": [{"no such column": 1}]}, stopped)  # a bad row: the old tables stay
    assert not stopped.folder.exists() and not (tmp_path / ".next").exists()
