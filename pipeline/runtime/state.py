"""The state folder: every path in it, its lock, how its files are written, what is stale and
how it is cleaned up, in this one module (no Dagster import: the fast paths of the command line
use it before deciding whether Dagster is needed at all). Also where the repository and the
default raw and curated folders are, and the run's settings read from the environment.

The state folder is $DAGSTER_HOME (`home`, default `.dagster/` in the repository):

| entry | what | written by | stale when / clean-up |
|---|---|---|---|
| `dagster.yaml` | the instance's configuration (copied by `nhiemvu dev`; no capture of step output: `compute_logs` is Dagster's no-op manager) | `instance_config` | - |
| `history/`, `schedules/`, `storage/` | Dagster's SQLite databases | Dagster | a damaged one is set aside (`damaged_databases`, `set_aside`) |
| `docs/<asset>/<doc_id>.pkl` | per-document values, sealed | `save_values` (the IO manager) | code version in the instance; a damaged one is removed (`load_value`) |
| `docs/<asset>.stamps.json` | OCR version of each stored extraction | `save_values` | missing or damaged: every value unvouched (`read_stamps`) |
| `state.key` | the key that seals pickles (`sealed.py`) | `sealed.key` | cut short: a new key, every sealed file made again |
| `curated-parts.pkl` | each document's part of the curated tables, sealed | `parts.curated_tables` | another parts version, or damaged: every part made again |
| `code-versions.json` | code version of each materialization read | `orchestration.plan` | another event log: read again |
| `manifest-cache.json` | sha256 of each raw file by (size, times, inode) | `manifest.scan` | a file's stamp changed: hashed again |
| `last-run.json` | digest and curated files of the last run, its checks | `lastrun.save` | any other digest or file: the run plans |
| `run.lock` | one run at a time | `run_lock` | - |
| `headstart/` | outcomes read ahead of a run | `headstart.start` | removed when the run ends, or by the next run |
| `mirror/` | object-storage mirrors (`remote.py`) | `remote.mirror_raw` | an object's size or version changed: fetched again |
| `ocr-cache/` | OCR results by page key (`extractors.ocr_cache`), and the models' digests | `ocr_store` (`FolderStore`), passed to the extractors; `$NHIEMVU_OCR_CACHE` names another folder, empty: none | keyed by the page's pixels, OCR settings, code and engine; an entry not shaped like a result is removed |

Staleness is decided in one scheme of three parts, whatever the entry:

- *Code* by a fingerprint (`extractors.fingerprint.fingerprint`: sha256 of the source files'
  paths and bytes, the versions of the libraries that change the output, and an extra text,
  12 hex digits): the steps' code versions (`versions.extract_version`, `ocr_version`,
  `records_version`, `curated_version`), the curated parts' version (`parts.parts_version`) and
  the OCR cache's code version (`ocr_cache.CODE_VERSION`: the same OCR modules and libraries as
  `ocr_version`). What is not source enters the extra text by value: settings as canonical JSON
  (`ExtractSettings.text_key`, `.ocr_key`), the OCR engine's identity (Tesseract, tesserocr, the
  traineddata digests: `ocr_cache.engine`), the tracking date. A stored value is stale when the
  fingerprint it was made under is not today's: per document in Dagster's event log (code
  version) and `docs/<asset>.stamps.json` (OCR version), per page in the OCR cache key, per
  folder in `last-run.json` (`versions.manifest_digest`) and the curated parts.
- *Content* by sha256: a raw file is its sha256 (the document id), a curated file is known by
  the sha256 recorded in its materialization.
- *Files trusted without reading them* by one stamp (`file_stamp`: size, modification and change
  times, inode), each standing for what reading the file gave when it was taken: the raw files'
  sha256 (`manifest-cache.json`), the curated files' (`last-run.json`, their materializations),
  the OCR models' (`models.json` in the OCR cache), and the stored records a curated part was
  made from (the curated parts' index). Only the object-storage mirrors use the store's own
  version stamp (ETag, generation), and Dagster's event log its storage ids
  (`code-versions.json`, per event log): theirs to give.

A damaged entry of any kind is made again, never trusted.

Every file is replaced whole (`atomic_write_bytes`, `write_all`): a reader finds the old file or
the new one, never a part. Pickles are never loaded unless sealed with this folder's key
(`sealed.py`). Temporary folders of the extractors live outside it (`extractors.tempdirs`).
"""

from __future__ import annotations

import ctypes
import datetime
import fcntl
import hashlib
import json
import logging
import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

log = logging.getLogger("nhiemvu")

PROJECT_ROOT = Path(__file__).resolve().parents[2]
EXECUTORS = ("in_process", "multiprocess", "dask")


def home() -> Path:
    """The state folder (Dagster's home): $DAGSTER_HOME, else `.dagster/` in the repository."""
    return Path(os.environ.get("DAGSTER_HOME") or PROJECT_ROOT / ".dagster").resolve()


def default_raw() -> str:
    """The raw folder when none is given: $NHIEMVU_RAW, else `raw/` in the repository."""
    return os.environ.get("NHIEMVU_RAW") or str(PROJECT_ROOT / "raw")


def default_curated() -> str:
    """The curated folder when none is given: $NHIEMVU_CURATED, else `curated/` in the repository."""
    return os.environ.get("NHIEMVU_CURATED") or str(PROJECT_ROOT / "curated")


# -- entries of the state folder ------------------------------------------------------------

STORE = "docs"
PARTS = "curated-parts.pkl"
CODE_VERSIONS = "code-versions.json"
MANIFEST_CACHE = "manifest-cache.json"
LAST_RUN = "last-run.json"
HEADSTART = "headstart"
MIRROR = "mirror"
INSTANCE_CONFIG = "dagster.yaml"
KEY_FILE = "state.key"
OCR_CACHE = "ocr-cache"
OCR_CACHE_ENV = "NHIEMVU_OCR_CACHE"  # another folder for the OCR cache; empty: no OCR cache
SQLITE_FOLDERS = ("history", "schedules")  # where the default instance keeps its SQLite databases


def parts_file(state: Path) -> Path:
    return Path(state) / PARTS


def code_versions_file(state: Path) -> Path:
    return Path(state) / CODE_VERSIONS


def manifest_cache(state: Path) -> Path:
    return Path(state) / MANIFEST_CACHE


def last_run_file(state: Path) -> Path:
    return Path(state) / LAST_RUN


def headstart_folder(state: Path) -> Path:
    return Path(state) / HEADSTART


def mirror_folder(state: Path, kind: str, url: str) -> Path:
    """The local copy of an object-storage URL (`kind` "raw" or "curated")."""
    return Path(state) / MIRROR / f"{kind}-{hashlib.sha256(url.rstrip('/').encode()).hexdigest()[:16]}"


def key_file(state: Path) -> Path:
    return Path(state) / KEY_FILE


def instance_config_dir(state: Path) -> Path:
    """The folder of the dagster.yaml that configures the state folder's instance: the state
    folder when it has its own, else the repository (whose file names no paths)."""
    return Path(state) if (Path(state) / INSTANCE_CONFIG).exists() else PROJECT_ROOT


def instance_config(state: Path) -> Path:
    """The Dagster configuration of the state folder's instance: its own dagster.yaml, copied
    from the repository's when missing (`nhiemvu dev` reads it from there), and copied again
    when it is an older copy of ours (it starts with our file's first line) that the code's
    own has moved on from; a file of the user's own is kept as it is."""
    path = Path(state) / INSTANCE_CONFIG
    ours = (PROJECT_ROOT / INSTANCE_CONFIG).read_bytes()
    try:
        current = path.read_bytes()
    except FileNotFoundError:
        current = None
    if current is None or (current != ours and current.split(b"\n", 1)[0] == ours.split(b"\n", 1)[0]):
        atomic_write_bytes(path, ours, sync=False)
    return path


# -- what identifies a file without reading it --------------------------------------------------

def stat_stamp(st: os.stat_result) -> list[int]:
    """The stamp of a file's status (`file_stamp`)."""
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def file_stamp(path: Path) -> list[int] | None:
    """What tells a file as it was from the same file changed, without reading it: size,
    modification and change times, inode (a byte changed in place with its size and
    modification time put back still changes the change time, which no one can set; a file
    replaced whole has another inode). None when there is none. The one stamp of every file
    the state folder trusts by its status: raw files (their sha256 kept), curated files, stored
    values, the OCR models (`extractors.ocr_cache`, which keeps the same four)."""
    try:
        return stat_stamp(Path(path).stat())
    except (FileNotFoundError, NotADirectoryError):
        return None


# -- files written whole ---------------------------------------------------------------------

def _temp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")  # hidden: a scan of the folder never takes it


def atomic_write_bytes(path: Path, data: bytes, *, sync: bool = True) -> None:
    """Replace `path` by `data` at once. `sync`: flush it to the disk first, so that a crash
    leaves the old file or the new one (not needed for what a run can make again: caches, the
    head start's outcomes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_name(path)
    with open(tmp, "wb") as f:
        f.write(data)
        if sync:
            f.flush()
            os.fsync(f.fileno())
    os.replace(tmp, path)


def write_all(files: Mapping[Path, bytes]) -> None:
    """Write many files, each replaced atomically, with two flushes of the file system in all
    rather than one per file: every temporary file is written, the file system is synced, the
    files are renamed into place, and it is synced again. A crash leaves each file old or new."""
    if not files:
        return
    temps = []
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = _temp_name(path)
        tmp.write_bytes(data)
        temps.append((tmp, path))
    folder = next(iter(files)).parent
    _syncfs(folder)
    for tmp, path in temps:
        os.replace(tmp, path)
    _syncfs(folder)


def _syncfs(folder: Path) -> None:
    """Flush the file system holding `folder` (Linux syncfs; elsewhere every file's own fsync
    was not done, so sync everything)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        if _LIBC is not None and _LIBC.syncfs(fd) == 0:
            return
        os.sync()
    finally:
        os.close(fd)


def _libc():
    try:
        return ctypes.CDLL("libc.so.6", use_errno=True)
    except OSError:
        return None


_LIBC = _libc()


# -- blobs the extractors keep: the OCR cache --------------------------------------------------

@dataclass(frozen=True)
class FolderStore:
    """Blobs by name under a folder, each replaced whole (`atomic_write_bytes`, not synced: a
    cache a crash may lose but never tear). The extractors' `ocr_cache.Store`: they name the
    entries, this module says where they live and how they are written."""

    folder: Path

    def read(self, name: str) -> bytes | None:
        try:
            return self._path(name).read_bytes()
        except FileNotFoundError:
            return None

    def write(self, name: str, data: bytes) -> None:
        atomic_write_bytes(self._path(name), data, sync=False)

    def remove(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)

    def _path(self, name: str) -> Path:
        path = self.folder / name
        if ".." in Path(name).parts or Path(name).is_absolute():
            raise ValueError(f"{name!r} is not a name inside {self.folder}")
        return path

    def __str__(self) -> str:
        return str(self.folder)


def ocr_store(state: Path) -> FolderStore | None:
    """The OCR cache of a state folder (`ocr-cache/` in it), or the folder `$NHIEMVU_OCR_CACHE`
    names; None (no cache) when that is empty."""
    value = os.environ.get(OCR_CACHE_ENV)
    if value is not None:
        return FolderStore(Path(value)) if value.strip() else None
    return FolderStore(Path(state) / OCR_CACHE)


# -- the per-document store: one sealed pickle per document and asset -------------------------

def stored(state: Path, asset: str | None = None) -> Path:
    """The per-document store of a state folder, or the folder of one asset's values in it."""
    folder = Path(state) / STORE
    return folder / asset if asset else folder


def value_file(state: Path, asset: str, doc_id: str) -> Path:
    """The file of one document's value of one asset (the only place its name is made)."""
    return stored(state, asset) / f"{doc_id}.pkl"


def stored_keys(state: Path, asset: str) -> set[str]:
    """The documents with a whole value of `asset` in the store (a file cut short is not one:
    `sealed.intact`; its digest is checked when it is loaded)."""
    from .sealed import intact

    folder = stored(state, asset)
    return {p.stem for p in folder.glob("*.pkl") if intact(p)} if folder.is_dir() else set()


def value_identity(state: Path, asset: str, doc_id: str) -> tuple | None:
    """What identifies a stored value as written (its `file_stamp`); None when none is stored.
    A value is rewritten whole, so a new one has another identity."""
    stamp = file_stamp(value_file(state, asset, doc_id))
    return None if stamp is None else tuple(stamp)


class StoredValueDamaged(ValueError):
    """A stored per-document value that is not whole or not ours: removed; the run plans again."""


def load_value(state: Path, asset: str, doc_id: str, what: str | None = None) -> Any:
    """A stored per-document value (FileNotFoundError when none is stored); a damaged one is
    removed (so that the plan makes it again) and raises `StoredValueDamaged`, having run nothing
    of it."""
    from . import sealed

    path = value_file(state, asset, doc_id)
    try:
        return sealed.load(state, path)
    except sealed.Damaged as e:
        path.unlink(missing_ok=True)
        raise StoredValueDamaged(f"{what or f'{asset} of document {doc_id}'} was damaged ({e}): removed, "
                                 "to be made again") from e


# A stored value may carry the version of a part of its making that concerns some documents
# only (`reading.Extraction.ocr_version`: the OCR of scanned pages). The store keeps them in
# `docs/<asset>.stamps.json`, {doc_id: stamp} of the values that have one, written after the
# values, so that a plan reads them without unpickling any value.
STAMP = "ocr_version"


def stamps_file(state: Path, asset: str) -> Path:
    return stored(state) / f"{asset}.stamps.json"


def read_stamps(state: Path, asset: str) -> dict[str, str] | None:
    """{doc_id: stamp} of an asset's stored values; None when the index is missing or damaged
    (then no stored value can be vouched for)."""
    try:
        stamps = json.loads(stamps_file(state, asset).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(stamps, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in stamps.items()):
        return None
    return stamps


def save_values(state: Path, asset: str, values: Mapping[str, Any]) -> None:
    """Store `{doc_id: value}` of one asset, sealed, each file replaced whole, then their stamps."""
    from . import sealed

    write_all({value_file(state, asset, doc_id): sealed.dumps(state, value) for doc_id, value in values.items()})
    stamps = read_stamps(state, asset) or {}
    for doc_id, value in values.items():
        stamp = getattr(value, STAMP, "")
        if stamp:
            stamps[doc_id] = stamp
        else:
            stamps.pop(doc_id, None)
    atomic_write_bytes(stamps_file(state, asset), json.dumps(stamps, sort_keys=True).encode())


def remove_values(state: Path, keep: set[str]) -> int:
    """Delete the stored values of documents no longer in the raw folder; returns how many."""
    removed = 0
    for path in stored(state).glob("*/*.pkl"):
        if path.stem not in keep:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


# -- Dagster's databases -----------------------------------------------------------------------

def damaged_databases(state: Path) -> list[Path]:
    """The SQLite databases of the state folder's Dagster instance that are damaged: cut short,
    overwritten, or without a table (which Dagster never leaves). Reads each whole: only asked
    when the instance failed."""
    import sqlite3

    bad = []
    for folder in SQLITE_FOLDERS:
        for path in sorted((Path(state) / folder).rglob("*.db")):
            try:
                with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
                    ok = db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
                    ok = ok and db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] > 0
                db.close()
            except sqlite3.DatabaseError:
                ok = False
            if not ok:
                bad.append(path)
    return bad


def set_aside(path: Path) -> Path:
    """Move a damaged database (and its WAL files) out of Dagster's way, kept for a look; Dagster
    makes a new one, and the plan reads again what it no longer remembers."""
    target = path.with_name(f"{path.name}.damaged")
    for suffix in ("", "-wal", "-shm"):
        part = Path(f"{path}{suffix}")
        if part.exists():
            part.replace(Path(f"{target}{suffix}"))
    return target


def executor_name() -> str:
    """The executor of the steps, chosen by configuration only (`NHIEMVU_EXECUTOR`)."""
    name = os.environ.get("NHIEMVU_EXECUTOR", "in_process")
    if name not in EXECUTORS:
        raise ValueError(f"NHIEMVU_EXECUTOR={name!r}: choose one of {EXECUTORS}")
    return name


TRACKED_ON_ENV = "NHIEMVU_TRACKED_ON"


def tracked_on() -> datetime.date:
    """The date the task tracking says tasks are open or overdue on (`task_tracking.tracked_on`):
    `NHIEMVU_TRACKED_ON` (YYYY-MM-DD), else the day of the run. It is part of the curated
    tables' digest, so a run on a later day rebuilds them (from the kept parts: cheap)."""
    value = os.environ.get(TRACKED_ON_ENV, "").strip()
    if not value:
        return datetime.date.today()
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{TRACKED_ON_ENV}={value!r}: give a date as YYYY-MM-DD") from None


RUN_LOCK = "run.lock"  # (listed with the other entries above)


@contextmanager
def run_lock(state: Path, *, wait_message: bool = True):
    """Hold the state folder's lock for the duration of a run (a second run waits)."""
    state.mkdir(parents=True, exist_ok=True)
    with open(Path(state) / RUN_LOCK, "a+") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if wait_message:
                log.warning("another nhiemvu run is using %s; waiting for it to finish", state)
            fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
