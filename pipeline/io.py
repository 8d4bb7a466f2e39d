"""Per-document state of the pipeline: one pickle per document and asset.

Per-document assets are stored one file per document (`<state>/<asset>/<doc_id>.pkl`),
written atomically. A step may hold many documents (one run processes a range of
partitions), so its output is a `{doc_id: value}` dict, and loading always gives a dict,
for one partition as for many. The curated tables are written by `store.py`.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any, Mapping

from dagster import ConfigurableIOManager, InputContext, OutputContext

from .store import STAGING, _atomic_write_bytes, recover_curated, write_curated  # noqa: F401 - re-exported


class DocStateIOManager(ConfigurableIOManager):
    """Per-document values as pickles, one file per partition; always `{doc_id: value}`."""

    base_dir: str

    def _path(self, asset: str, doc_id: str) -> Path:
        return Path(self.base_dir) / asset / f"{doc_id}.pkl"

    def handle_output(self, context: OutputContext, obj: Mapping[str, Any]) -> None:
        asset = context.asset_key.to_python_identifier()
        expected = set(context.asset_partition_keys)
        if not isinstance(obj, Mapping) or set(obj) != expected:
            raise TypeError(f"{asset}: expected a dict with one value per partition {sorted(expected)[:3]}…")
        for doc_id, value in obj.items():
            _atomic_write_bytes(self._path(asset, doc_id), pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def load_input(self, context: InputContext) -> dict[str, Any]:
        asset = context.asset_key.to_python_identifier()
        out = {}
        for doc_id in context.asset_partition_keys:
            path = self._path(asset, doc_id)
            if not path.exists():
                raise FileNotFoundError(f"{asset} of document {doc_id} was never stored: process it first")
            out[doc_id] = pickle.loads(path.read_bytes())
        return out

    def remove(self, keep: set[str]) -> int:
        """Delete the stored values of documents no longer in the raw folder; returns how many."""
        removed = 0
        for path in Path(self.base_dir).glob("*/*.pkl"):
            if path.stem not in keep:
                path.unlink(missing_ok=True)
                removed += 1
        return removed
