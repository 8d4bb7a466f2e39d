"""Per-document state of the pipeline: one sealed pickle per document and asset.

Per-document assets are stored one file per document (`<state>/docs/<asset>/<doc_id>.pkl`),
written atomically, sealed with the state folder's key (`sealed.py`): a file that is not
whole or not ours is never unpickled; it is removed and the run that met it plans again,
which makes its value again from the PDF. A step may hold many documents (one run processes a range of
partitions), so its output is a `{doc_id: value}` dict, and loading always gives a dict,
for one partition as for many. The curated tables are written by `store.py`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping

from dagster import ConfigurableIOManager, InputContext, OutputContext

from ..runtime import sealed
from ..runtime.files import atomic_write_bytes
from ..runtime.store import STAGING, recover_curated, write_all, write_curated  # noqa: F401 - re-exported


class DocStateIOManager(ConfigurableIOManager):
    """Per-document values as sealed pickles, one file per partition; always `{doc_id: value}`."""

    base_dir: str

    def _path(self, asset: str, doc_id: str) -> Path:
        return Path(self.base_dir) / asset / f"{doc_id}.pkl"

    def handle_output(self, context: OutputContext, obj: Mapping[str, Any]) -> None:
        asset = context.asset_key.to_python_identifier()
        expected = set(context.asset_partition_keys)
        if not isinstance(obj, Mapping) or set(obj) != expected:
            raise TypeError(f"{asset}: expected a dict with one value per partition {sorted(expected)[:3]}…")
        write_all({self._path(asset, doc_id): sealed.dumps(self.state, value) for doc_id, value in obj.items()})
        stamps = read_stamps(Path(self.base_dir), asset) or {}
        for doc_id, value in obj.items():
            stamp = getattr(value, STAMP, "")
            if stamp:
                stamps[doc_id] = stamp
            else:
                stamps.pop(doc_id, None)
        atomic_write_bytes(stamps_file(Path(self.base_dir), asset), json.dumps(stamps, sort_keys=True).encode())

    def load_input(self, context: InputContext) -> dict[str, Any]:
        asset = context.asset_key.to_python_identifier()
        out = {}
        for doc_id in context.asset_partition_keys:
            path = self._path(asset, doc_id)
            if not path.exists():
                raise FileNotFoundError(f"{asset} of document {doc_id} was never stored: process it first")
            out[doc_id] = load_stored(self.state, path, f"{asset} of document {doc_id}")
        return out

    @property
    def state(self) -> Path:
        return Path(self.base_dir).parent

    def remove(self, keep: set[str]) -> int:
        """Delete the stored values of documents no longer in the raw folder; returns how many."""
        removed = 0
        for path in Path(self.base_dir).glob("*/*.pkl"):
            if path.stem not in keep:
                path.unlink(missing_ok=True)
                removed += 1
        return removed


# A stored value may carry the version of a part of its making that concerns some documents
# only (`reading.Extraction.ocr_version`: the OCR of scanned pages). The store keeps them in
# `<store>/<asset>.stamps.json`, {doc_id: stamp} of the values that have one, written after the
# values, so that a plan reads them without unpickling any value.
STAMP = "ocr_version"


def stamps_file(store: Path, asset: str) -> Path:
    return Path(store) / f"{asset}.stamps.json"


def read_stamps(store: Path, asset: str) -> dict[str, str] | None:
    """{doc_id: stamp} of an asset's stored values; None when the index is missing or damaged
    (then no stored value can be vouched for)."""
    try:
        stamps = json.loads(stamps_file(store, asset).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(stamps, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in stamps.items()):
        return None
    return stamps


class StoredValueDamaged(sealed.Damaged):
    """A stored per-document value that is not whole or not ours: removed; the run plans again."""


def load_stored(state: Path, path: Path, what: str) -> Any:
    """A stored per-document value; a damaged one is removed (so that the plan makes it again)
    and raises `StoredValueDamaged`, having run nothing of it."""
    try:
        return sealed.load(state, path)
    except sealed.Damaged as e:
        path.unlink(missing_ok=True)
        raise StoredValueDamaged(f"{what} was damaged ({e}): removed, to be made again") from e
