"""Pickles of the state folder sealed with a key kept in it: never unpickled unless we wrote them.

A pickle runs code when it is loaded, and the state folder may be shared (a team's disk,
object storage mirrors, a copied folder). Every pickle the pipeline keeps there (per-document
values, the curated parts, the head start's outcomes) is written as

    MAGIC | length of the payload (8 bytes) | HMAC-SHA256 of the payload | payload

with a key of 32 random bytes in `<state>/state.key` (mode 0600, made on first use). A file
is unpickled only when its length and its digest are right: a crafted file, one written with
another key, a truncated one or one with a flipped byte raise `Damaged` (the caller makes the
value again from the PDFs) and run nothing. `intact` checks the length alone, from the header
and the file's size (no read of the payload): a plan can afford it for every stored value.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import logging
import os
import pickle
import secrets
from pathlib import Path
from typing import Any

from .state import key_file

log = logging.getLogger(__name__)

MAGIC = b"NHVSEAL1"
KEY_BYTES = 32
HEADER = len(MAGIC) + 8 + hashlib.sha256().digest_size

_keys: dict[tuple, bytes] = {}


class Damaged(ValueError):
    """A sealed file that is not whole, or was not written with this state folder's key."""


def key(state: Path) -> bytes:
    """The state folder's key, made on first use (by whichever process comes first)."""
    path = key_file(state)
    try:  # the file read once per process, unless it was replaced or removed since
        st = path.stat()
        cached = _keys.get((str(path), st.st_dev, st.st_ino, st.st_mtime_ns))
        if cached is not None:
            return cached
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    for _ in range(3):
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            data = path.read_bytes()
            if len(data) == KEY_BYTES:
                st = path.stat()
                _keys[(str(path), st.st_dev, st.st_ino, st.st_mtime_ns)] = data
                return data
            # a key cut short (a crash as it was made) seals nothing: a new one, and every
            # sealed file is made again
            log.warning("%s is damaged; a new key is made (stored values are made again)", path)
            path.unlink(missing_ok=True)
            continue
        data = secrets.token_bytes(KEY_BYTES)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        st = path.stat()
        _keys[(str(path), st.st_dev, st.st_ino, st.st_mtime_ns)] = data
        return data
    raise RuntimeError(f"cannot make the key {path}")


def seal(state: Path, payload: bytes) -> bytes:
    """`payload` with its header: the bytes to write."""
    mac = hmac.new(key(state), payload, hashlib.sha256).digest()
    return MAGIC + len(payload).to_bytes(8, "big") + mac + payload


def unseal(state: Path, blob: bytes) -> bytes:
    """The payload of sealed bytes; raises `Damaged` unless they are whole and ours."""
    if len(blob) < HEADER or not blob.startswith(MAGIC):
        raise Damaged("not a sealed file of this pipeline")
    n = int.from_bytes(blob[len(MAGIC):len(MAGIC) + 8], "big")
    payload = blob[HEADER:]
    if len(payload) != n:
        raise Damaged(f"cut short or extended: {len(payload)} bytes of a {n}-byte value")
    mac = hmac.new(key(state), payload, hashlib.sha256).digest()
    if not hmac.compare_digest(mac, blob[len(MAGIC) + 8:HEADER]):
        raise Damaged("its digest is wrong: changed since it was written, or written with another key")
    return payload


def dumps(state: Path, value: Any) -> bytes:
    """A value pickled and sealed."""
    return seal(state, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def loads(state: Path, blob: bytes) -> Any:
    """The value of sealed bytes; raises `Damaged` (before unpickling anything) unless they are ours."""
    payload = unseal(state, blob)
    try:
        return _Unpickler(io.BytesIO(payload)).load()
    except Exception as e:  # ours, but of classes that moved or changed since: made again
        raise Damaged(f"cannot be read by this code ({type(e).__name__}: {e})") from e


# Classes that moved since values were stored (pipeline/ split into runtime/, orchestration/,
# tools/): a state folder kept across the upgrade keeps its extractions (no document read again).
MOVED = {"pipeline.reading": "pipeline.runtime.reading", "pipeline.assets": "pipeline.runtime.reading"}


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        return super().find_class(MOVED.get(module, module), name)


def load(state: Path, path: Path) -> Any:
    """The value of a sealed file; `Damaged` as `loads`, FileNotFoundError when there is none."""
    return loads(state, Path(path).read_bytes())


def intact(path: Path) -> bool:
    """Whether a sealed file is whole, by its header and its size (its digest is checked when
    it is loaded)."""
    try:
        with open(path, "rb") as f:
            head = f.read(HEADER)
            size = os.fstat(f.fileno()).st_size
    except OSError:
        return False
    return len(head) == HEADER and head.startswith(MAGIC) and size == HEADER + int.from_bytes(head[len(MAGIC):len(MAGIC) + 8], "big")
