"""The raw folder as a manifest: content hash (sha256) -> the file's name relative to the
folder (`source_file`), its real path, and the entries that were not taken, with why.

Hashing is cached in the state folder by (size, mtime, ctime, inode), so that a rerun over
an unchanged folder reads no file, while a file rewritten in place with the same size and
mtime restored, or replaced by another (rsync, a copy with -p), is hashed again. Two files
with the same bytes are one document (the first path in sorted order names it; the others
are listed as skipped); a renamed file keeps its hash.

Stray entries never stop the scan: a symlink loop, a dangling symlink, an unreadable file
or folder, a FIFO or a device (a symlink to /dev/zero named x.pdf), hidden files and
folders are skipped and listed in `Manifest.skipped` with the reason. Only regular files
are opened; symlinks are followed (to files anywhere; to folders inside the raw folder, each
folder read once, so a link back up cannot loop; a link to a folder outside it, such as
`up -> ..`, is listed and skipped). The pipeline's own folders (state, curated) are never
input, wherever they are: inside the raw folder, or reached by a link.

File names: `source_file` is always valid NFC text. A name in NFD (as macOS writes them)
is normalised to NFC; bytes of a name that are not UTF-8 are shown as `\\xNN` (the byte
in hex), and so are control characters, e.g. b"r\\xe9sum\\xe9.pdf" -> "r\\\\xe9sum\\\\xe9.pdf".
The file itself is read through `Manifest.paths` / `Manifest.path_of`, its real name.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import stat
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from extractors.pdf import file_kind, sha256_file

from .state import atomic_write_bytes, stat_stamp

log = logging.getLogger(__name__)

IGNORED_NAMES = {".gitkeep", "README.md", "readme.md"}  # the repository's own files in raw/, not reported


@dataclass(frozen=True)
class Skipped:
    """An entry of the raw folder that is not a document, and why (for logs and the summary)."""

    path: str  # relative to the raw folder, shown as `display_name` shows it
    reason: str


@dataclass(frozen=True, eq=False)
class Manifest(Mapping[str, str]):
    """{doc_id: source_file} of the raw folder (a read-only mapping), with the path to read
    each document from and the entries skipped."""

    names: dict[str, str]  # doc_id -> source_file: relative POSIX path, NFC, printable
    paths: dict[str, Path] = field(default_factory=dict)  # doc_id -> the file as it is named on disk
    skipped: tuple[Skipped, ...] = ()

    def __getitem__(self, doc_id: str) -> str:
        return self.names[doc_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)

    def path_of(self, doc_id: str) -> Path:
        """The path to open for a document (its real name, which `source_file` may only show)."""
        try:
            return self.paths[doc_id]
        except KeyError:
            raise FileNotFoundError(f"no file with sha256 {doc_id} in the raw folder") from None


def display_name(name: str) -> str:
    """A file name as `os` gives it (str, undecodable bytes as surrogate escapes) as valid
    NFC text: bytes that are not UTF-8 and control characters become `\\xNN`."""
    text = os.fsencode(name).decode("utf-8", "backslashreplace")
    text = "".join(f"\\x{ord(c):02x}" if unicodedata.category(c) == "Cc" else c for c in text)
    return unicodedata.normalize("NFC", text)


def _sort_key(rel: str) -> tuple[str, ...]:
    return tuple(rel.split("/"))  # as pathlib sorts paths: folder by folder


def _walk(raw_dir: Path, own: Mapping[tuple[int, int], str]) -> tuple[list[tuple[str, str, os.stat_result]], list[Skipped]]:
    """(relative name, path, stat) of every regular file taken, and the entries skipped
    (`own`: {(device, inode): what} of the pipeline's own folders, never read)."""
    files: list[tuple[str, str, os.stat_result]] = []
    skipped: list[Skipped] = []
    root = os.stat(raw_dir)  # a missing raw folder is an error of the run, not an entry
    if not stat.S_ISDIR(root.st_mode):
        raise NotADirectoryError(errno.ENOTDIR, "raw folder is not a folder", str(raw_dir))
    real_root = os.path.realpath(raw_dir)
    seen_dirs = {(root.st_dev, root.st_ino)}
    todo: list[tuple[str, str]] = [(os.fspath(raw_dir), "")]
    while todo:
        folder, prefix = todo.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as e:
            skipped.append(Skipped(display_name(prefix.rstrip("/")), f"unreadable folder: {e.strerror or e}"))
            continue
        for entry in entries:
            rel = prefix + entry.name
            if entry.name in IGNORED_NAMES:
                continue
            if entry.name.startswith("."):
                kind = "folder" if entry.is_dir() else "file"
                skipped.append(Skipped(display_name(rel), f"hidden {kind} (a name starting with '.' is not read)"))
                continue
            try:
                link = f" (a symlink to {display_name(os.readlink(entry.path))})" if entry.is_symlink() else ""
            except OSError:  # removed or replaced meanwhile; the stat below says what it is now
                link = ""
            try:
                st = os.stat(entry.path)  # follows symlinks
            except OSError as e:
                skipped.append(Skipped(display_name(rel), _stat_error(e, bool(link)) + link))
                continue
            if stat.S_ISDIR(st.st_mode):
                if (st.st_dev, st.st_ino) in own:
                    skipped.append(Skipped(display_name(rel), f"nhiemvu's own {own[st.st_dev, st.st_ino]} folder, never input{link}"))
                elif link and not _inside(os.path.realpath(entry.path), real_root):
                    skipped.append(Skipped(display_name(rel), f"a symlink to a folder outside the raw folder, not read{link}"))
                elif (st.st_dev, st.st_ino) in seen_dirs:
                    skipped.append(Skipped(display_name(rel), f"folder already read (a symlink loop or a second link){link}"))
                else:
                    seen_dirs.add((st.st_dev, st.st_ino))
                    todo.append((entry.path, rel + "/"))
            elif stat.S_ISREG(st.st_mode):
                files.append((rel, entry.path, st))
            else:
                skipped.append(Skipped(display_name(rel), f"not a regular file: {file_kind(st.st_mode)}{link}"))
    files.sort(key=lambda f: _sort_key(f[0]))
    return files, skipped


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _own_folders(exclude: Mapping[str, Path | None]) -> dict[tuple[int, int], str]:
    """{(device, inode): what} of the pipeline's own folders that exist."""
    out = {}
    for what, path in exclude.items():
        try:
            st = os.stat(path) if path is not None else None
        except OSError:
            continue
        if st is not None and stat.S_ISDIR(st.st_mode):
            out[st.st_dev, st.st_ino] = what
    return out


def _stat_error(e: OSError, is_link: bool) -> str:
    if e.errno == errno.ELOOP:
        return "symlink loop"
    if e.errno == errno.ENOENT and is_link:
        return "dangling symlink: its target does not exist"
    return f"cannot be read: {e.strerror or e}"


def _load_cache(cache_file: Path | None) -> dict[str, list]:
    if not cache_file or not cache_file.exists():
        return {}
    try:
        cache = json.loads(cache_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        log.warning("hash cache %s unreadable (%s); every file is hashed again", cache_file, e)
        return {}
    return cache if isinstance(cache, dict) else {}


def _save_cache(cache_file: Path, fresh: dict[str, list]) -> None:
    # names with surrogates are written as \\udcXX (json escapes them)
    atomic_write_bytes(cache_file, json.dumps(fresh, sort_keys=True).encode("utf-8"), sync=False)


def scan(raw_dir: Path, cache_file: Path | None = None, *, state: Path | None = None, curated: Path | None = None) -> Manifest:
    """The manifest of the raw folder: every regular file by content hash, and what was skipped.
    The state and curated folders, when inside it (or reached by a link), are never read."""
    cache = _load_cache(cache_file)
    files, skipped = _walk(Path(raw_dir), _own_folders({"state": state, "curated": curated}))
    names: dict[str, str] = {}
    paths: dict[str, Path] = {}
    fresh: dict[str, list] = {}
    for rel, path, st in files:
        stamp = stat_stamp(st)
        cached = cache.get(rel)
        if cached and cached[:-1] == stamp:
            digest = cached[-1]
        else:
            try:
                digest = sha256_file(path)
            except OSError as e:  # unreadable, or no longer a regular file
                skipped.append(Skipped(display_name(rel), f"cannot be read: {e.strerror or e}"))
                log.debug("cannot hash %s", path, exc_info=True)
                continue
        fresh[rel] = [*stamp, digest]
        if digest in names:
            skipped.append(Skipped(display_name(rel), f"same bytes as {names[digest]} (one document)"))
            continue
        names[digest] = display_name(rel)
        paths[digest] = Path(path)
    for s in skipped:
        log.debug("raw folder: skipped %s: %s", s.path, s.reason)  # the runner reports them once
    if cache_file and fresh != cache:  # unchanged: not written again (a run scans the folder more than once)
        _save_cache(cache_file, fresh)
    return Manifest(names, paths, tuple(sorted(skipped, key=lambda s: _sort_key(s.path))))
