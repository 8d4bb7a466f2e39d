"""Per-document state of the pipeline: one sealed pickle per document and asset.

Per-document assets are stored one file per document in the state folder's store, through
`runtime.state` (`save_values`, `load_value`: the one place that names those files; the curated
step reads the records through `load_value` too). Each file is written atomically and sealed
with the state folder's key (`runtime/sealed.py`): a file that is not whole or not ours is
never unpickled; it is removed and the run that met it plans again, which makes its value
again from the PDF. A step may hold many documents (one run processes a range of partitions),
so its output is a `{doc_id: value}` dict, and loading always gives a dict, for one partition
as for many. The curated tables are written by `runtime/store.py`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from dagster import ConfigurableIOManager, InputContext, OutputContext

from ..runtime import state as state_folder


class DocStateIOManager(ConfigurableIOManager):
    """Per-document values as sealed pickles, one file per partition; always `{doc_id: value}`."""

    state_dir: str

    @property
    def state(self) -> Path:
        return Path(self.state_dir)

    def handle_output(self, context: OutputContext, obj: Mapping[str, Any]) -> None:
        asset = context.asset_key.to_python_identifier()
        expected = set(context.asset_partition_keys)
        if not isinstance(obj, Mapping) or set(obj) != expected:
            raise TypeError(f"{asset}: expected a dict with one value per partition {sorted(expected)[:3]}…")
        state_folder.save_values(self.state, asset, obj)

    def load_input(self, context: InputContext) -> dict[str, Any]:
        asset = context.asset_key.to_python_identifier()
        out, damaged = {}, []
        for doc_id in context.asset_partition_keys:
            try:
                out[doc_id] = state_folder.load_value(self.state, asset, doc_id)
            except FileNotFoundError:
                raise FileNotFoundError(f"{asset} of document {doc_id} was never stored: process it first") from None
            except state_folder.StoredValueDamaged as e:  # removed; the others are looked at too
                damaged.append(e)
        if damaged:  # every damaged value of the step removed at once: one new plan makes them all again
            raise state_folder.StoredValueDamaged(
                f"{len(damaged)} stored value(s) damaged, e.g. {damaged[0]}") from damaged[0]
        return out

    def remove(self, keep: set[str]) -> int:
        """Delete the stored values of documents no longer in the raw folder; returns how many."""
        return state_folder.remove_values(self.state, keep)
