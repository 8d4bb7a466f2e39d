"""OCR results kept on disk, keyed by the page image: a page is never OCR'd twice.

The key is one sha256 of the rendered page's pixels, its size, the OCR settings, the
version of the code that reads a page (`CODE`: rendering, preparation, grid, cells) and the OCR engine (Tesseract's and
tesserocr's versions, the digest of each traineddata file: `engine`): a rerun, a renamed
file, the same page in another PDF or a new version of the normalizers finds the result;
a change to how pages are read does not (it would hide the change). An entry that is not
the shape of an OCR result is removed and the page read again. Entries are JSON
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
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

ENV = "NHIEMVU_OCR_CACHE"
ROOT = Path(__file__).resolve().parents[1]
# The modules whose code makes what a page reads as (pipeline/runtime/versions.py fingerprints the same
# modules, and this one, for the documents' OCR version): one list, one fingerprint of each page's code.
CODE = ("ocr.py", "ocr_cells.py", "ocr_header.py", "scan_grid.py", "scan_prep.py")


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


def engine() -> str:
    """The identity of the OCR engine that reads a page: Tesseract's version (the library
    tesserocr runs, which may not be the `tesseract` program's), tesserocr's version, and the
    sha256 of every traineddata file the reader loads (`ocr_cells.OcrSettings`: the text and
    the numbers models, and orientation detection). Raises `EnvironmentFailure` when a model is
    not installed: the machine's fault, not the page's."""
    from .ocr_cells import SETTINGS

    return _engine((SETTINGS.language, SETTINGS.numbers_language, "osd"))


@lru_cache(maxsize=None)
def _engine(languages: tuple[str, ...]) -> str:
    from importlib.metadata import version

    import tesserocr

    from .ocr_cells import tessdata
    from .pdf import EnvironmentFailure

    folder = tessdata() or tesserocr.get_languages()[0]
    parts = [f"tesseract={tesserocr.tesseract_version().split()[1]}", f"tesserocr={version('tesserocr')}"]
    for lang in languages:
        path = Path(folder) / f"{lang}.traineddata"
        try:
            digest = _model_digest(path)
        except OSError as e:
            raise EnvironmentFailure(
                f"Tesseract's '{lang}' model is not installed: cannot read {path} ({e.strerror or e}); "
                f"install it (Debian: tesseract-ocr-{'script-latn' if lang == 'osd' else lang}) "
                f"or set TESSDATA_PREFIX to the folder holding it"
            ) from e
        parts.append(f"{lang}={digest}")
    return ";".join(parts)


MODELS_FILE = "models.json"  # in the cache folder: {path: [size, mtime_ns, digest]} of the traineddata files


def _model_digest(path: Path) -> str:
    """The sha256 (16 hex digits) of a traineddata file, hashed again only when its size or
    modification time changed since it was last hashed (kept beside the OCR cache: a run with
    nothing new does not read tens of MB of models)."""
    st = path.stat()
    folder = cache_dir()
    known: dict = {}
    if folder is not None:
        try:
            known = json.loads((folder / MODELS_FILE).read_text())
        except (OSError, ValueError):
            known = {}
    entry = known.get(str(path)) if isinstance(known, dict) else None
    if isinstance(entry, list) and len(entry) == 3 and entry[:2] == [st.st_size, st.st_mtime_ns] and isinstance(entry[2], str):
        return entry[2]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    if folder is not None:
        known = {**(known if isinstance(known, dict) else {}), str(path): [st.st_size, st.st_mtime_ns, digest]}
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".models.")
            with os.fdopen(fd, "w") as f:
                json.dump(known, f)
            os.replace(tmp, folder / MODELS_FILE)
        except OSError:
            log.debug("the digests of the OCR models could not be kept in %s", folder, exc_info=True)
    return digest


def page_key(pixels: bytes, shape: tuple[int, ...], settings: object, engine_id: str = "") -> str:
    """Key of one rendered page under the given OCR settings (a dataclass repr is stable) and
    OCR engine (`engine()`): a new Tesseract, tesserocr or model finds no entry."""
    h = hashlib.sha256()
    h.update(repr((shape, settings, code_version(), engine_id)).encode())
    h.update(pixels)
    return h.hexdigest()


def valid_entry(value: object) -> bool:
    """Whether a cached value has the shape `ocr_cells.ocr_page_image` gives (a width and a
    height, the map back, the cell boxes of each table, the words with their boxes)."""
    num = (int, float)
    try:
        return (
            isinstance(value, dict)
            and all(isinstance(value[k], num) and not isinstance(value[k], bool) for k in ("width", "height", "angle"))
            and isinstance(value["turn"], int)
            and len(value["back"]) == 2 and all(len(r) == 3 and all(isinstance(v, num) for v in r) for r in value["back"])
            and all(isinstance(t, list) and all(len(b) == 4 and all(isinstance(v, num) for v in b) for b in t)
                    for t in value["tables"])
            and all(isinstance(w, list) and len(w) == 6 and isinstance(w[0], str)
                    and all(isinstance(v, num) for v in w[1:]) for w in value["words"])
        )
    except (KeyError, TypeError):
        return False


def _path(folder: Path, key: str) -> Path:
    return folder / key[:2] / f"{key}.json"


def get(key: str) -> dict | None:
    folder = cache_dir()
    if folder is None:
        return None
    path = _path(folder, key)
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):  # a torn or unreadable entry is read again from the page
        log.warning("OCR cache entry %s unreadable; the page is OCR'd again", path)
        log.debug("OCR cache read", exc_info=True)
        return None
    if not valid_entry(value):  # not what the OCR gives: never trusted, replaced by a new reading
        log.warning("OCR cache entry %s is not an OCR result; the page is OCR'd again", path)
        try:
            path.unlink()
        except OSError:
            log.debug("OCR cache: cannot remove %s", path, exc_info=True)
        return None
    return value


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
