"""OCR results kept on disk, keyed by the page image: a page is never OCR'd twice.

The key is one sha256 of the rendered page's pixels, its size, the OCR settings that change
what it reads as (`ocr.page_source`), the version of the code that reads a page
(`CODE_VERSION`: the fingerprint, `fingerprint.py`, of the modules in `CODE` — rendering,
preparation, grid, cells — and of the libraries in `LIBRARIES`) and the OCR engine
(Tesseract's and tesserocr's versions, the digest of each traineddata file: `engine`): a rerun, a renamed file, the same
page in another PDF or a new version of the normalizers finds the result; a change to how
pages are read does not (it would hide the change). An entry that is not the shape of an OCR
result is removed and the page read again.

Where entries live is not this module's business: they are JSON blobs named
`<key[:2]>/<key>.json` in a `Store` the caller passes in (read, write whole, remove by name).
The pipeline passes the state folder's (`pipeline.runtime.state.ocr_store`: its path, its
atomic writes); a process may name a default store for calls that pass none (`use`: the test
session does). With no store the cache is off.
"""

from __future__ import annotations

import hashlib
import json
import logging
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from .fingerprint import fingerprint

if TYPE_CHECKING:
    from .ocr_cells import OcrSettings

log = logging.getLogger(__name__)

# The modules whose code makes what a page reads as (pipeline/runtime/versions.py fingerprints the same
# modules, and this one, for the documents' OCR version): one list, one fingerprint of each page's code.
CODE = ("ocr.py", "ocr_cells.py", "ocr_header.py", "scan_grid.py", "scan_prep.py")


class Store(Protocol):
    """Blobs by name (a relative path), each written whole: a reader finds the old blob or
    the new one. `read` gives None when there is none and raises OSError when it cannot be read.
    Hashable (the engine's identity is remembered per store) and picklable (it goes to helper
    processes with the pages)."""

    def read(self, name: str) -> bytes | None: ...

    def write(self, name: str, data: bytes) -> None: ...

    def remove(self, name: str) -> None: ...


_default: Store | None = None


def use(store: Store | None) -> Store | None:
    """Make `store` the one of calls that pass none (None: the cache off); returns the one before."""
    global _default
    previous, _default = _default, store
    return previous


def chosen(store: Store | None) -> Store | None:
    """`store`, or the default store when it is None."""
    return store if store is not None else _default


# The libraries that render and read a page's image (the documents' OCR version lists the same:
# `pipeline.runtime.versions.OCR_LIBRARIES`); tesserocr and Tesseract are in `engine` too.
LIBRARIES = ("pypdfium2", "opencv-python-headless", "numpy", "pillow", "tesserocr", "img2pdf")
# at import: worker processes forked later share it with the code they run
CODE_VERSION = fingerprint(*(f"extractors/{name}" for name in CODE), libraries=LIBRARIES)


def code_version() -> str:
    return CODE_VERSION


def engine(settings: OcrSettings | None = None, store: Store | None = None) -> str:
    """The identity of the OCR engine that reads a page with `settings` (`ocr_cells.SETTINGS`
    if None): Tesseract's version (the library tesserocr runs, which may not be the `tesseract`
    program's), tesserocr's version, and the sha256 of every traineddata file the reader loads
    (the settings' text and numbers models, and orientation detection; kept in `store` by the
    files' stamps, `MODELS`). Raises `EnvironmentFailure` when a model is not installed:
    the machine's fault, not the page's."""
    if settings is None:
        from .ocr_cells import SETTINGS as settings

    return _engine((settings.language, settings.numbers_language, "osd"), chosen(store))


@lru_cache(maxsize=None)
def _engine(languages: tuple[str, ...], store: Store | None = None) -> str:
    from importlib.metadata import version

    import tesserocr

    from .ocr_cells import tessdata
    from .pdf import EnvironmentFailure

    folder = tessdata() or tesserocr.get_languages()[0]
    parts = [f"tesseract={tesserocr.tesseract_version().split()[1]}", f"tesserocr={version('tesserocr')}"]
    for lang in languages:
        path = Path(folder) / f"{lang}.traineddata"
        try:
            digest = _model_digest(path, store)
        except OSError as e:
            raise EnvironmentFailure(
                f"Tesseract's '{lang}' model is not installed: cannot read {path} ({e.strerror or e}); "
                f"install it (Debian: tesseract-ocr-{'script-latn' if lang == 'osd' else lang}) "
                f"or set TESSDATA_PREFIX to the folder holding it"
            ) from e
        parts.append(f"{lang}={digest}")
    return ";".join(parts)


MODELS = "models.json"  # in the store: {path: [size, mtime_ns, ctime_ns, inode, digest]} of the traineddata files


def _model_digest(path: Path, store: Store | None = None) -> str:
    """The sha256 (16 hex digits) of a traineddata file, hashed again only when its stamp (size,
    modification and change times, inode: the state folder's one file stamp,
    `pipeline.runtime.state.file_stamp`) changed since it was last hashed (kept in the OCR
    cache's store: a run with nothing new does not read tens of MB of models)."""
    st = path.stat()
    stamp = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
    known: dict = {}
    if store is not None:
        try:
            known = json.loads(store.read(MODELS) or b"{}")
        except (OSError, ValueError):
            known = {}
    entry = known.get(str(path)) if isinstance(known, dict) else None
    if isinstance(entry, list) and len(entry) == 5 and entry[:4] == stamp and isinstance(entry[4], str):
        return entry[4]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    if store is not None:
        known = {**(known if isinstance(known, dict) else {}), str(path): [*stamp, digest]}
        try:
            store.write(MODELS, json.dumps(known).encode())
        except OSError:
            log.debug("the digests of the OCR models could not be kept in %s", store, exc_info=True)
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


def entry_name(key: str) -> str:
    """The name of a key's entry in the store (a folder per two hex digits)."""
    return f"{key[:2]}/{key}.json"


def get(key: str, store: Store | None = None) -> dict | None:
    """The OCR result of a page key in `store` (the default store if None), or None."""
    store = chosen(store)
    if store is None:
        return None
    name = entry_name(key)
    try:
        data = store.read(name)
        if data is None:
            return None
        value = json.loads(data.decode("utf-8"))
    except (OSError, ValueError):  # a torn or unreadable entry is read again from the page
        log.warning("OCR cache entry %s in %s unreadable; the page is OCR'd again", name, store)
        log.debug("OCR cache read", exc_info=True)
        return None
    if not valid_entry(value):  # not what the OCR gives: never trusted, replaced by a new reading
        log.warning("OCR cache entry %s in %s is not an OCR result; the page is OCR'd again", name, store)
        try:
            store.remove(name)
        except OSError:
            log.debug("OCR cache: cannot remove %s", name, exc_info=True)
        return None
    return value


def put(key: str, value: dict, store: Store | None = None) -> None:
    """Keep a page's OCR result in `store` (the default store if None); a store that cannot
    take it costs a reading next time, nothing else."""
    store = chosen(store)
    if store is None:
        return
    try:
        store.write(entry_name(key), json.dumps(value, ensure_ascii=False).encode("utf-8"))
    except OSError:
        log.warning("OCR cache: cannot write %s in %s", entry_name(key), store)
        log.debug("OCR cache write", exc_info=True)
