"""Raw and curated folders on object storage: fsspec URLs (`s3://bucket/raw`, `gs://…`,
`az://…`, `file://…`, `memory://…`; the protocol's package, e.g. `s3fs`, installed beside).

The extractors read local files (pdfplumber and pypdfium2 open paths), and the
curated tables are replaced all at once, which a file system can promise and a bucket cannot.
So for `nhiemvu run`:
- a raw URL is **mirrored** into the state folder (`<state>/mirror/raw-<hash of the URL>/`),
  keeping the objects' relative names: an object is downloaded when it is new or its size or
  version (ETag, generation or modification time) changed, and its copy is removed with it;
  the run then reads the mirror like any folder (hashes, stale documents, skipped entries);
- a curated URL gets the tables written locally as always
  (`<state>/mirror/curated-<hash>/`), then **published**: each table whose bytes differ from
  the published ones is uploaded whole, and `_tables.json` (the sha256 of every table) last,
  so a reader that finds `_tables.json` finds the tables it names. A run with nothing new
  uploads nothing, unless the bucket lost a table.
On a cluster, the state folder is shared (docs/scale-out.md), and the mirror with it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

from .state import atomic_write_bytes, mirror_folder

log = logging.getLogger(__name__)

PUBLISHED = "_tables.json"
_VERSION_KEYS = ("ETag", "etag", "generation", "md5Hash", "LastModified", "mtime", "updated", "created")


def is_url(location) -> bool:
    """Whether a --raw/--curated value names object storage rather than a local folder."""
    return isinstance(location, str) and "://" in location


def _fs(url: str):
    import fsspec

    fs, root = fsspec.core.url_to_fs(url)
    return fs, root.rstrip("/")


def problem(url: str) -> str | None:
    """Why a raw URL cannot be read (an unknown protocol, its package missing, no such
    folder), or None."""
    try:
        fs, root = _fs(url)
        return None if fs.isdir(root) else f"raw folder not found: {url}"
    except (ImportError, ValueError) as e:  # e.g. "Install s3fs to access S3"
        return f"{url}: {e}"
    except OSError as e:  # no permission, no network
        return f"{url}: {type(e).__name__}: {e}"


def local_folder(state: Path, kind: str, location) -> Path:
    """The folder the pipeline reads or writes for a --raw (`kind` "raw") or --curated
    ("curated") location: a local folder itself; for a URL, its raw mirror or the folder its
    tables are written in before publishing, in the state folder."""
    if not is_url(location):
        return Path(location)
    return mirror_folder(state, kind, location)


def _version(info: dict) -> list:
    """What tells one version of an object from another: its size and the store's version stamp
    (None when the store gives none: the object is then downloaded on every run)."""
    stamp = next((info[k] for k in _VERSION_KEYS if info.get(k) is not None), None)
    return [info.get("size"), None if stamp is None else str(stamp)]


def mirror_raw(url: str, state: Path) -> Path:
    """The local mirror of a raw URL, brought up to date; returns its folder."""
    fs, root = _fs(url)
    if not fs.isdir(root):
        raise FileNotFoundError(f"raw folder not found: {url}")
    local = local_folder(state, "raw", url)
    index_file = local.parent / f"{local.name}.json"
    try:
        known = json.loads(index_file.read_text())
    except (OSError, ValueError):
        known = {}
    found: dict[str, list] = {}
    fetched = 0
    for path, info in sorted(fs.find(root, detail=True).items()):
        if info.get("type") != "file":
            continue
        rel = path[len(root):].lstrip("/")
        target = local / rel
        if not rel or ".." in Path(rel).parts:
            continue
        version = _version(info)
        found[rel] = version
        if known.get(rel) == version and version[1] is not None and target.is_file():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(f".{target.name}.part")  # hidden: a scan never takes a half-downloaded file
        fs.get_file(path, str(part))
        os.replace(part, target)
        fetched += 1
    for rel in set(known) - set(found):
        (local / rel).unlink(missing_ok=True)
    local.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(index_file, json.dumps(found, sort_keys=True).encode(), sync=False)  # lost: objects fetched again
    log.info("mirrored %s: %d object(s), %d downloaded, %d removed", url, len(found), fetched, len(set(known) - set(found)))
    return local


def publish(local: Path, url: str) -> int:
    """Upload the tables of `local` that differ from those published at `url`, then the list
    of what is published; returns how many tables were uploaded."""
    fs, root = _fs(url)
    digests = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(local.glob("*.parquet"))}
    try:
        published = json.loads(fs.cat_file(f"{root}/{PUBLISHED}"))
    except (FileNotFoundError, ValueError):
        published = {}
    stale = [n for n, d in digests.items() if published.get(n) != d or not fs.exists(f"{root}/{n}")]
    if not stale and published == digests:
        return 0
    fs.makedirs(root, exist_ok=True)
    for name in stale:
        fs.put_file(str(local / name), f"{root}/{name}")
    fs.pipe_file(f"{root}/{PUBLISHED}", json.dumps(digests, sort_keys=True, indent=1).encode())
    return len(stale)
