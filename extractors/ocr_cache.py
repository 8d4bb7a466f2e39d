"""OCR results kept on disk, keyed by the page image: a page is never OCR'd twice.

The key is the sha256 of the rendered page's pixels, its size, the OCR settings and
the version of the OCR code (`ocr_cells`, `scan_grid`): a rerun, a renamed file, the
same page in another PDF or a new version of the normalizers finds the result; a
change to how pages are read does not (it would hide the change). Entries are JSON
files under `cache_dir()`: the folder in NHIEMVU_OCR_CACHE, else
$DAGSTER_HOME/ocr-cache (the state folder; `.dagster/ocr-cache` in the repository when
DAGSTER_HOME is not set), outside the curated tables.
An empty NHIEMVU_OCR_CACHE ("") turns the cache off.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

ENV = "NHIEMVU_OCR_CACHE"
ROOT = Path(__file__).resolve().parents[1]
CODE = ("ocr_cells.py", "scan_grid.py")


def cache_dir() -> Path | None:
    """Where entries live; None when the cache is turned off."""
    value = os.environ.get(ENV)
    if value is not None:
        return Path(value) if value.strip() else None
    home = os.environ.get("DAGSTER_HOME")
    return Path(home) / "ocr-cache" if home else ROOT / ".dagster" / "ocr-cache"


def _code_version() -> str:
    h = hashlib.sha256()
    for name in CODE:
        h.update((Path(__file__).parent / name).read_bytes())
    return h.hexdigest()[:16]


CODE_VERSION = _code_version()  # at import: worker processes forked later share it with the code they run


def code_version() -> str:
    return CODE_VERSION


def page_key(pixels: bytes, shape: tuple[int, ...], settings: object) -> str:
    """Key of one rendered page under the given OCR settings (a dataclass repr is stable)."""
    h = hashlib.sha256()
    h.update(repr((shape, settings, code_version())).encode())
    h.update(pixels)
    return h.hexdigest()


def _path(folder: Path, key: str) -> Path:
    return folder / key[:2] / f"{key}.json"


def get(key: str) -> dict | None:
    folder = cache_dir()
    if folder is None:
        return None
    path = _path(folder, key)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):  # a torn or unreadable entry is read again from the page
        log.warning("OCR cache entry %s unreadable; the page is OCR'd again", path)
        log.debug("OCR cache read", exc_info=True)
        return None


def put(key: str, value: dict) -> None:
    folder = cache_dir()
    if folder is None:
        return
    path = _path(folder, key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, suffix=".tmp", delete=False) as f:
            json.dump(value, f, ensure_ascii=False)
        os.replace(f.name, path)  # atomic: a reader never sees half an entry
    except OSError:
        log.warning("OCR cache: cannot write %s", path)
        log.debug("OCR cache write", exc_info=True)
