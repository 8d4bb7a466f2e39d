"""Writing the curated tables: typed Parquet, column descriptions in the metadata, atomic.

A table is written to a temporary file in the curated folder and renamed over the
old one, so a crash never leaves a half-written file. The same rows give the same
bytes (no timestamps anywhere).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Mapping, Sequence

import pyarrow as pa
import pyarrow.parquet as pq
from dagster import ConfigurableIOManager, InputContext, OutputContext

from normalizers.schema import TABLES, Table, to_arrow


def write_parquet(table: Table, rows: Sequence[Mapping[str, Any]], path: Path) -> pa.Table:
    """Write `rows` as `table` to `path` atomically; returns the Arrow table written."""
    data = to_arrow(table, rows)
    descriptions = {c.name: c.description for c in table.columns}
    data = data.replace_schema_metadata({
        **(data.schema.metadata or {}),
        b"nhiemvu.column_descriptions": json.dumps(descriptions, ensure_ascii=False).encode("utf-8"),
    })
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(data, tmp, compression="zstd")
    os.replace(tmp, path)
    return data


class CuratedParquetIOManager(ConfigurableIOManager):
    """Stores each curated asset as curated/<asset name>.parquet."""

    curated_dir: str

    def _path(self, name: str) -> Path:
        return Path(self.curated_dir) / f"{name}.parquet"

    def handle_output(self, context: OutputContext, obj: Sequence[Mapping[str, Any]]) -> None:
        name = context.asset_key.path[-1]
        data = write_parquet(TABLES[name], obj, self._path(name))
        context.add_output_metadata({"rows": data.num_rows, "path": str(self._path(name))})

    def load_input(self, context: InputContext) -> pa.Table:
        return pq.read_table(self._path(context.asset_key.path[-1]))
