"""The raw folder as a manifest: content hash (sha256) -> path of the file, relative to the folder.

Hashing is cached by (size, mtime) in the state folder so that a rerun over an
unchanged folder reads no file. Two files with the same bytes are one document
(the first path in sorted order names it); a renamed file keeps its hash.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from extractors.pdf import sha256_file

IGNORED_NAMES = {".gitkeep", "README.md", "readme.md"}


def raw_files(raw_dir: Path) -> list[Path]:
    """Every regular, non-hidden file under the raw folder, sorted."""
    out = []
    for root, dirs, files in os.walk(raw_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        out += [Path(root) / f for f in files if not f.startswith(".") and f not in IGNORED_NAMES]
    return sorted(out)


def scan(raw_dir: Path, cache_file: Path | None = None) -> dict[str, str]:
    """{sha256: relative POSIX path} of the raw folder."""
    cache: dict[str, list] = {}
    if cache_file and cache_file.exists():
        try:
            cache = json.loads(cache_file.read_text(encoding="utf-8"))
        except ValueError:
            cache = {}
    manifest: dict[str, str] = {}
    fresh: dict[str, list] = {}
    for path in raw_files(raw_dir):
        rel = path.relative_to(raw_dir).as_posix()
        st = path.stat()
        stamp = [st.st_size, st.st_mtime_ns]
        cached = cache.get(rel)
        digest = cached[2] if cached and cached[:2] == stamp else sha256_file(path)
        fresh[rel] = [*stamp, digest]
        manifest.setdefault(digest, rel)
    if cache_file:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        cache_file.write_text(json.dumps(fresh, sort_keys=True), encoding="utf-8")
    return manifest
