"""The manifest of the raw folder: stray entries skipped with a reason and never read, odd
names shown as NFC text while the file is read by its real name, and the hash cache
missing no rewritten file."""

from __future__ import annotations

import os
import shutil
import time
import unicodedata
from pathlib import Path

import pytest

import pipeline.runtime.manifest as manifest_module
from extractors.pdf import sha256_file
from pipeline.runtime.manifest import scan
from tests.conftest import RAW
from tests.fixtures import hostile
from tests.fixtures.hostile import time_limit

GOOD = RAW / "929_BCA-VPB.pdf"
OTHER = RAW / "bao_cao_02-KH_BCDTW.pdf"



def _reasons(m) -> dict[str, str]:
    return {s.path: s.reason for s in m.skipped}


@pytest.fixture
def stray(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(GOOD, raw / "good.pdf")
    shutil.copy(OTHER, raw / "other.pdf")
    hostile.symlink_loop(raw)
    hostile.dangling_symlink(raw)
    hostile.fifo(raw)
    hostile.dev_zero_link(raw)
    hostile.hidden_file(raw, GOOD)
    locked = hostile.unreadable_file(raw, GOOD)
    locked_dir = hostile.unreadable_folder(raw, OTHER)
    hostile.deny_reading(monkeypatch, locked, locked_dir)
    opened: list[str] = []
    real_open = os.open

    def recording_open(path, *args, **kwargs):
        opened.append(os.path.basename(os.fsdecode(path)))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", recording_open)
    with time_limit(30):
        m = scan(raw, tmp_path / "cache.json")
    return m, opened


def test_stray_entries_do_not_stop_the_scan_and_are_reported(stray):
    m, _ = stray
    assert sorted(m.values()) == ["good.pdf", "other.pdf"]
    assert m[sha256_file(GOOD)] == "good.pdf"
    reasons = _reasons(m)
    assert reasons["loop_a.pdf"] == "symlink loop (a symlink to loop_b.pdf)"
    assert reasons["loop_b.pdf"] == "symlink loop (a symlink to loop_a.pdf)"
    assert reasons["gone.pdf"] == "dangling symlink: its target does not exist (a symlink to no-such-file.pdf)"
    assert reasons["x.pdf"] == "not a regular file: FIFO"
    assert reasons["z.pdf"] == "not a regular file: character device (a symlink to /dev/zero)"
    assert reasons[".hidden.pdf"].startswith("hidden file")
    assert reasons["locked.pdf"] == "cannot be read: Permission denied"
    assert reasons["locked_dir"] == "unreadable folder: Permission denied"
    assert set(reasons) == {"loop_a.pdf", "loop_b.pdf", "gone.pdf", "x.pdf", "z.pdf", ".hidden.pdf", "locked.pdf", "locked_dir"}


def test_entries_that_are_not_regular_files_are_never_opened(stray):
    _, opened = stray
    assert "x.pdf" not in opened and "z.pdf" not in opened
    assert {"good.pdf", "other.pdf"} <= set(opened)


def test_symlinks_are_followed_to_files_and_folders_each_folder_once(tmp_path):
    raw, outside = tmp_path / "raw", tmp_path / "outside"
    (raw / "sub").mkdir(parents=True)
    outside.mkdir()
    shutil.copy(GOOD, outside / "target.pdf")
    shutil.copy(OTHER, raw / "sub" / "other.pdf")
    os.symlink(outside / "target.pdf", raw / "link.pdf")
    os.symlink("..", raw / "sub" / "up")  # a folder loop
    with time_limit(30):
        m = scan(raw)
    assert sorted(m.values()) == ["link.pdf", "sub/other.pdf"]
    assert m.path_of(sha256_file(GOOD)) == raw / "link.pdf"
    assert _reasons(m) == {"sub/up": "folder already read (a symlink loop or a second link) (a symlink to ..)"}


def test_the_same_bytes_twice_are_one_document_and_the_copy_is_reported(tmp_path):
    shutil.copy(GOOD, tmp_path / "a.pdf")
    shutil.copy(GOOD, tmp_path / "b.pdf")
    m = scan(tmp_path)
    assert dict(m) == {sha256_file(GOOD): "a.pdf"}
    assert _reasons(m) == {"b.pdf": "same bytes as a.pdf (one document)"}


def test_a_name_that_is_not_utf8_is_shown_escaped_and_read_by_its_real_name(tmp_path):
    path = hostile.non_utf8_name(tmp_path, GOOD)
    m = scan(tmp_path, tmp_path.parent / "cache.json")
    (doc_id, name), = m.items()
    assert name == "r\\xe9sum\\xe9.pdf"
    name.encode("utf-8")  # a valid str, no surrogates
    assert m.path_of(doc_id) == path and sha256_file(m.path_of(doc_id)) == doc_id
    assert scan(tmp_path, tmp_path.parent / "cache.json") == m  # the cache holds such names too


def test_an_nfd_name_is_shown_in_nfc_and_read_by_its_real_name(tmp_path):
    path = hostile.nfd_name(tmp_path, GOOD)
    m = scan(tmp_path)
    (doc_id, name), = m.items()
    assert name == unicodedata.normalize("NFC", hostile.NFD_NAME) != hostile.NFD_NAME
    assert m.path_of(doc_id) == path and sha256_file(path) == doc_id


def test_control_characters_in_names_are_escaped():
    from pipeline.runtime.manifest import display_name

    assert display_name("a\nb\tc.pdf") == "a\\x0ab\\x09c.pdf"
    assert display_name(os.fsdecode(b"d\xe9\xe9p/x.pdf")) == "d\\xe9\\xe9p/x.pdf"


def test_a_missing_raw_folder_is_an_error_not_an_empty_manifest(tmp_path):
    with pytest.raises(FileNotFoundError):
        scan(tmp_path / "missing")


def _rewrite_keeping_size_and_mtime(path: Path, data: bytes, *, replace: bool) -> None:
    st = path.stat()
    assert len(data) == st.st_size
    if replace:  # a new file renamed over the old one (rsync, an editor's save)
        tmp = path.with_suffix(".new")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    else:
        with open(path, "r+b") as f:
            f.write(data)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns


@pytest.mark.parametrize("replace", [False, True], ids=["in place", "renamed over"])
def test_a_file_rewritten_with_the_same_size_and_mtime_is_hashed_again(tmp_path, replace):
    raw, cache = tmp_path / "raw", tmp_path / "cache.json"
    raw.mkdir()
    data = GOOD.read_bytes()
    (raw / "doc.pdf").write_bytes(data)
    first = scan(raw, cache)
    time.sleep(0.05)  # past the file system's timestamp granularity
    _rewrite_keeping_size_and_mtime(raw / "doc.pdf", data[:-10] + b"0123456789", replace=replace)
    second = scan(raw, cache)
    assert list(second) == [sha256_file(raw / "doc.pdf")] != list(first)


def test_an_unchanged_folder_is_not_read_again(tmp_path, monkeypatch):
    raw, cache = tmp_path / "raw", tmp_path / "cache.json"
    raw.mkdir()
    shutil.copy(GOOD, raw / "a.pdf")
    first = scan(raw, cache)
    hashed = []
    monkeypatch.setattr(manifest_module, "sha256_file", lambda p: hashed.append(p) or "x")
    assert scan(raw, cache) == first and hashed == []
