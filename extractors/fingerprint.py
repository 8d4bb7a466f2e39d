"""Short fingerprints of code and of the libraries it runs: the one scheme every code version
is made of (`pipeline.runtime.versions`: the steps' versions) and the OCR cache keys its pages
by (`ocr_cache.CODE_VERSION`).

A fingerprint is the sha256, cut to 12 hex digits, of the versions of the named libraries, an
extra text (settings by value, an engine's identity), and the path and bytes of every source or
data file under the named packages or files (sorted paths; `without` some of them). Here, in
the extractors, because they key their own cache by it and import nothing above them.
"""

from __future__ import annotations

import hashlib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # the repository: paths are fingerprinted relative to it
SOURCE_SUFFIXES = {".py", ".csv", ".json", ".yaml", ".txt"}
DIGITS = 12


def library_versions(names: tuple[str, ...]) -> str:
    """"name=version;..." of the installed libraries ("none" for one not installed)."""
    out = []
    for name in names:
        try:
            out.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            out.append(f"{name}=none")
    return ";".join(out)


def fingerprint(*packages: str, libraries: tuple[str, ...] = (), without: tuple[str, ...] = (),
                extra: str = "") -> str:
    """Short hash of every source/data file under the given top-level packages or files (paths
    relative to the repository, sorted; `without` some of them), the versions of `libraries`
    and `extra`."""
    h = hashlib.sha256(library_versions(libraries).encode())
    h.update(extra.encode())
    for package in packages:
        root = ROOT / package
        for path in sorted(root.rglob("*")) if root.is_dir() else [root]:
            rel = path.relative_to(ROOT).as_posix()
            if path.suffix in SOURCE_SUFFIXES and "__pycache__" not in path.parts and rel not in without:
                h.update(rel.encode())
                h.update(path.read_bytes())
    return h.hexdigest()[:DIGITS]
