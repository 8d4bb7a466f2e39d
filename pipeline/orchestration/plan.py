"""What a run must do, from the raw folder and the Dagster instance's records.

Shared by `nhiemvu run` and the raw-folder sensor, so both take the same decisions:
- partitions follow the raw folder (new files added in sorted order, removed ones deleted);
- an extraction is stale when its document has never been read or was read by another
  extractor version, or when its scanned pages were read by another OCR version (code,
  settings, libraries, Tesseract and its models); records are stale likewise, or when their extraction is redone;
- the curated tables are stale when the folder or the code changed since they were
  written (the digest of the manifest and the versions is kept in their metadata), or when
  a curated file is not the one written (its sha256, kept in its metadata too).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from dagster import AssetKey, AssetRecordsFilter, DagsterEventType, DagsterInstance

from normalizers.schema import TABLES

from .assets import pdf_document, pdf_records
from ..runtime.state import atomic_write_bytes, code_versions_file, read_stamps, stored_keys
from ..runtime.store import file_digest, file_stamp
from ..runtime.versions import manifest_digest, ocr_version
from .partitions import PDF_PARTITIONS, contiguous_ranges, range_tags

CODE_VERSION_TAG = "dagster/code_version"


@dataclass(frozen=True)
class Partitions:
    """The dynamic partitions that follow the raw folder: all of them in partition order, and
    those added and deleted to make them so."""

    order: list[str]
    new: list[str]
    gone: list[str]


def sync_partitions(instance: DagsterInstance, manifest: Mapping[str, str], *, dry_run: bool = False) -> Partitions:
    """Make the dynamic partitions the documents of the manifest (unless `dry_run`: a sensor
    asks for it in its result, `Partitions.new` and `gone`)."""
    name = PDF_PARTITIONS.name
    known = instance.get_dynamic_partitions(name)
    new = sorted(set(manifest) - set(known), key=lambda k: (manifest[k], k))
    gone = [k for k in known if k not in manifest]
    if not dry_run:
        for k in gone:
            instance.delete_dynamic_partition(name, k)
        if new:
            instance.add_dynamic_partitions(name, new)
    return Partitions([k for k in known if k in manifest] + new, new, gone)


def code_versions(instance: DagsterInstance, key: AssetKey, cache: Path | None = None) -> dict[str, str]:
    """{partition: code version of its latest materialization} for one asset.

    A materialization event never changes once stored, so the code version of each event read
    is kept in `cache` (a file of the state folder), and only the events not read before are
    fetched: a run taking in one file reads one or two events, not every document's. The cache
    belongs to one event log (the id of the instance's first run): another one starts afresh."""
    ids = instance.get_latest_storage_id_by_partition(key, DagsterEventType.ASSET_MATERIALIZATION)
    if not ids:
        return {}
    name = key.to_user_string()
    log_id, kept = _read_cache(instance, cache)
    known = kept.get(name, {})
    missing = [i for i in ids.values() if str(i) not in known]
    if missing:
        records = instance.fetch_materializations(
            AssetRecordsFilter(asset_key=key, storage_ids=missing), limit=len(missing),
        ).records
        known.update({str(r.storage_id): (r.asset_materialization.tags or {}).get(CODE_VERSION_TAG, "") for r in records})
    latest = {str(i): known[str(i)] for i in ids.values() if str(i) in known}
    if cache is not None and latest != kept.get(name):
        _write_cache(cache, log_id, {**kept, name: latest})
    return {p: known.get(str(i), "") for p, i in ids.items()}


def _event_log_id(instance: DagsterInstance) -> str:
    first = instance.get_run_records(limit=1, order_by="id", ascending=True)
    return first[0].dagster_run.run_id if first else ""


def _read_cache(instance: DagsterInstance, cache: Path | None) -> tuple[str, dict[str, dict[str, str]]]:
    """(id of the instance's event log, {asset: {storage id: code version}} kept for it)."""
    if cache is None:
        return "", {}
    log_id = _event_log_id(instance)
    try:
        kept = json.loads(cache.read_text())
        if kept.get("event_log") == log_id and isinstance(kept.get("versions"), dict):
            return log_id, kept["versions"]
    except (OSError, ValueError, AttributeError):  # none yet, or damaged: read the events again
        pass
    return log_id, {}


def _write_cache(cache: Path, log_id: str, versions: dict) -> None:
    atomic_write_bytes(cache, json.dumps({"event_log": log_id, "versions": versions}).encode(), sync=False)


def remember_code_versions(instance: DagsterInstance, state: Path) -> None:
    """Read the events of a run just made into the cache of `code_versions`, so that the next
    run's plan reads none of them (a large run's events are read here, once)."""
    for asset in (pdf_document, pdf_records):
        code_versions(instance, asset.key, code_versions_file(state))


def stale(instance: DagsterInstance, asset, keys: list[str], cache: Path | None = None) -> set[str]:
    """Keys whose latest materialization of `asset` is missing or of another code version."""
    key = asset.key
    current = asset.code_versions_by_key[key]
    done = code_versions(instance, key, cache)
    return {k for k in keys if done.get(k) != current}


def not_stored(state: Path | None, asset, keys: list[str]) -> set[str]:
    """Keys whose value of `asset` is not in the per-document store (`runtime.state.save_values`
    of the state folder `state`): removed with its file and the file put back, or the store wiped."""
    if state is None:
        return set()
    have = stored_keys(state, asset.key.to_python_identifier())
    return {k for k in keys if k not in have}


def ocr_stale(state: Path | None, keys: list[str], current: str) -> set[str]:
    """Keys whose stored extraction went through an OCR of another version (`versions.ocr_version`:
    code, settings, libraries, engine); all of them when the store cannot say which did."""
    if state is None:
        return set()
    stamps = read_stamps(state, pdf_document.key.to_python_identifier())
    if stamps is None:
        return set(keys)
    return {k for k in keys if k in stamps and stamps[k] != current}


DOCUMENT, RECORDS, CURATED = "pdf_document", "pdf_records", "curated"  # the steps a run may hold


@dataclass(frozen=True)
class Run:
    """One run of the `ingest` job: its steps (`DOCUMENT`, `RECORDS`, `CURATED`) and the range
    of partitions of its per-document steps (None: none)."""

    steps: tuple[str, ...]
    first: str | None = None
    last: str | None = None

    def tags(self) -> dict[str, str]:
        return range_tags(self.first, self.last) if self.first is not None else {}


@dataclass(frozen=True)
class Plan:
    order: list[str]  # partitions in order
    extract: set[str]  # documents to read again
    records: set[str]  # documents whose rows to rebuild (includes `extract`)
    curated_stale: bool
    digest: str
    new: tuple[str, ...] = ()  # partitions added to follow the raw folder (asked for, with `dry_run`)
    gone: tuple[str, ...] = ()  # partitions deleted

    def runs(self, *, one_after_another: bool) -> list[Run]:
        """The runs this plan needs, documents before the curated tables. Usually one run holds
        everything (one range of partitions). Otherwise, when the runs are executed one after
        another (`nhiemvu run`), a run per range of documents to read, one per range of records
        to rebuild, then the curated tables; when they may start at once (the sensor's requests,
        launched by the daemon), a run per range of records with both per-document steps, the
        curated rebuild left to the next tick (it then finds only the curated tables stale)."""
        e_ranges, r_ranges = self.extract_ranges(), self.records_ranges()
        if not r_ranges:
            return [Run((CURATED,))] if self.curated_stale else []
        if len(r_ranges) == 1 and (e_ranges == r_ranges or not one_after_another):
            return [Run((DOCUMENT, RECORDS, CURATED), *r_ranges[0])]
        if not one_after_another:
            return [Run((DOCUMENT, RECORDS), *r) for r in r_ranges]
        return ([Run((DOCUMENT,), *r) for r in e_ranges] + [Run((RECORDS,), *r) for r in r_ranges]
                + [Run((CURATED,))])

    @property
    def nothing_to_do(self) -> bool:
        return not self.records and not self.curated_stale

    def extract_ranges(self) -> list[tuple[str, str]]:
        return contiguous_ranges(self.order, self.extract)

    def records_ranges(self) -> list[tuple[str, str]]:
        return contiguous_ranges(self.order, self.records)


def curated_digest(instance: DagsterInstance) -> str | None:
    """The manifest digest the curated tables were last written for."""
    event = instance.get_latest_materialization_event(AssetKey("documents"))
    if event is None or event.asset_materialization is None:
        return None
    value = event.asset_materialization.metadata.get("manifest_digest")
    return getattr(value, "value", value)


def curated_intact(instance: DagsterInstance, curated: Path, *, thorough: bool = False) -> bool:
    """Whether every curated file is the very file the last run wrote: one missing, cut short,
    replaced or changed in place (even with its size and time put back) makes the tables again.
    A file whose stamp (size, times, inode: `store.file_stamp`) is the one recorded at write is
    taken without reading it; any other, or every one when `thorough`, is read and its sha256
    compared with the recorded one (both kept in the table's materialization)."""
    for name in TABLES:
        event = instance.get_latest_materialization_event(AssetKey(name))
        metadata = event.asset_materialization.metadata if event and event.asset_materialization else {}
        written, stamp = (getattr(metadata.get(k), "value", metadata.get(k)) for k in ("sha256", "file_stamp"))
        path = curated / f"{name}.parquet"
        if written is None:
            return False
        if not thorough and stamp is not None and stamp == file_stamp(path):
            continue
        if written != file_digest(path):
            return False
    return True


def make_plan(
    instance: DagsterInstance, manifest: Mapping[str, str], curated: Path, *, force: bool = False, dry_run: bool = False,
    state: Path | None = None,
) -> Plan:
    """`state`: the state folder; a value missing from its per-document store is made again
    whatever the instance remembers. The code versions read from the instance are cached in it
    (`runtime.state.code_versions_file`)."""
    partitions = sync_partitions(instance, manifest, dry_run=dry_run)
    order = partitions.order
    cache = None if state is None else code_versions_file(state)
    extract = set(order) if force else (stale(instance, pdf_document, order, cache) | not_stored(state, pdf_document, order)
                                        | ocr_stale(state, order, ocr_version()))
    records = set(order) if force else (
        extract | stale(instance, pdf_records, order, cache) | not_stored(state, pdf_records, order))
    digest = manifest_digest(dict(manifest))
    curated_stale = bool(records) or curated_digest(instance) != digest or not curated_intact(instance, curated, thorough=force)
    return Plan(order, extract, records, curated_stale, digest, tuple(partitions.new), tuple(partitions.gone))
