"""Temporary folders: the ones a killed process leaves are removed by the next run, the ones
of running processes are not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from extractors.tempdirs import clean_stale_temp, is_stale, temp_dir, temp_parent
from tests.conftest import ROOT

KILLED = """
import os, signal, sys
from pathlib import Path
from extractors.tempdirs import temp_dir
with temp_dir("ocr-", Path(sys.argv[1])) as tmp:
    (tmp / "page.pdf").write_bytes(b"%PDF-1.4 half written")
    print(tmp, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
"""


def _killed_owner(parent: Path) -> Path:
    out = subprocess.run([sys.executable, "-c", KILLED, str(parent)], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == -9, out.stderr
    return Path(out.stdout.strip())


def test_a_folder_left_by_kill_9_is_removed_and_a_live_one_is_kept(tmp_path):
    left = _killed_owner(tmp_path)
    assert left.is_dir() and left.parent == tmp_path and (left / "page.pdf").exists()
    unrelated = tmp_path / "not-ours"
    unrelated.mkdir()
    with temp_dir("rot-", tmp_path) as live:
        assert not is_stale(live)
        assert clean_stale_temp(tmp_path) == [left]
        assert live.is_dir()
    assert not left.exists() and not live.exists() and unrelated.is_dir()


def test_a_folder_of_a_reused_pid_is_stale(tmp_path):
    """Same pid as a live process (ours) but another start time: its owner is gone."""
    with temp_dir("ocr-", tmp_path) as live:
        pid, start, rest = live.name.removeprefix("ocr-").split("-", 2)
        reused = tmp_path / f"ocr-{pid}-{int(start) + 1}-{rest}x"
        reused.mkdir()
        if Path("/proc/self/stat").exists():
            assert is_stale(reused) and not is_stale(live)
            assert clean_stale_temp(tmp_path) == [reused]


def test_the_default_parent_is_private_to_the_user():
    parent = temp_parent()
    assert parent.is_dir() and (parent.stat().st_mode & 0o077) == 0
    with temp_dir("ocr-") as tmp:
        assert tmp.parent == parent and tmp.name.startswith(f"ocr-{os.getpid()}-")
    assert not tmp.exists()
