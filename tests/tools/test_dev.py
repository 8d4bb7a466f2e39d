"""`nhiemvu dev` for real: the Dagster UI and daemon start, the raw-folder sensor takes
dropped and replaced files into the curated tables, and a stop by SIGINT or SIGTERM leaves
no process behind. (Apart from test_trust.py so that the two slow files run side by side.)"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.conftest import RAW, ROOT

pytestmark = pytest.mark.slow  # reads whole documents, OCRs or runs the pipeline

NHIEMVU = [sys.executable, "-m", "pipeline.cli"]


def _descendants(pid: int) -> set[int]:
    out, todo = set(), [pid]
    while todo:
        p = todo.pop()
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                kids = {int(c) for c in (task / "children").read_text().split()}
            except OSError:
                continue
            todo += list(kids - out)
            out |= kids
    return out


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def _signal_masks(pid: int) -> dict[str, str]:
    """SigBlk, SigIgn and SigCgt of a process (/proc), to tell why a signal had no effect."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    return {k: v.strip() for k, _, v in (line.partition(":") for line in lines) if k in ("SigBlk", "SigIgn", "SigCgt")}


def _states(pids: list[int]) -> dict[int, str]:
    out = {}
    for pid in pids:
        try:
            out[pid] = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] + " " + \
                Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")[:80]
        except OSError:
            out[pid] = "gone"
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_in_a_terminal() -> None:
    """Ctrl-C as a terminal delivers it: a command started in the background by a
    non-interactive shell (`make test &`) inherits SIGINT ignored, and so would the processes
    these tests start."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start_dev(env: dict, port: int, output=subprocess.DEVNULL) -> subprocess.Popen:
    return subprocess.Popen([*NHIEMVU, "dev", "--port", str(port)], env=env, cwd=ROOT, start_new_session=True,
                            stdout=output, stderr=output, preexec_fn=as_in_a_terminal)


def _stop_and_check_nothing_left(proc: subprocess.Popen, sig: signal.Signals) -> None:
    tree = _descendants(proc.pid)
    assert len(tree) >= 3, "dagster dev, its webserver and daemon should be running"
    masks = _signal_masks(proc.pid)
    os.kill(proc.pid, sig)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail(f"nhiemvu dev still runs 60 s after {sig.name}; its signal masks then: {masks}; "
                    f"its processes now: {_states([proc.pid, *tree])}")
    deadline = time.monotonic() + 20
    while any(_alive(p) for p in tree) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert [p for p in tree if _alive(p)] == []


def _cleanup(proc: subprocess.Popen) -> None:
    """After a failure: stop `nhiemvu dev` as a user would (it forwards SIGTERM to `dagster dev`,
    which runs in a session of its own), then kill whatever is left."""
    if proc.poll() is not None:
        return
    tree = _descendants(proc.pid)
    os.kill(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        pass
    for pid in [proc.pid, *tree]:
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)


def test_nhiemvu_dev_stopped_by_sigint_leaves_no_process_behind(tmp_path):
    """Ctrl-C in the terminal (SIGTERM, as a service manager stops it, is the end of the sensor test).
    What it prints has none of the warnings `dagster dev` gave that were not true of nhiemvu
    (dagster.yaml "will not be used", `dagster dev` superseded)."""
    port = _free_port()
    log = open(tmp_path / "dev.log", "w")
    proc = _start_dev({**os.environ, "DAGSTER_HOME": str(tmp_path / "state")}, port, output=log)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2).status == 200:
                    break
            except OSError:
                time.sleep(1)
        else:
            pytest.fail("the Dagster UI did not come up")
        _stop_and_check_nothing_left(proc, signal.SIGINT)
    finally:
        _cleanup(proc)
        log.close()
    printed = (tmp_path / "dev.log").read_text()
    assert "Dagster UI on http://127.0.0.1" in printed
    assert "will not be used" not in printed and "superseded" not in printed, printed[-3000:]


def test_the_sensor_under_nhiemvu_dev_takes_dropped_and_replaced_files_in(tmp_path):
    """The real thing: `nhiemvu dev` with the sensor on (5 s ticks); a file dropped into the raw
    folder and one replaced in it (not the last by name) reach the curated tables without anyone
    running anything; SIGTERM then stops every process it started."""
    raw, curated = tmp_path / "raw", tmp_path / "curated"
    raw.mkdir()
    shutil.copy(RAW / "929_BCA-VPB.pdf", raw / "a.pdf")
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "state"), "NHIEMVU_RAW": str(raw),
           "NHIEMVU_CURATED": str(curated), "NHIEMVU_SENSOR": "on", "NHIEMVU_SENSOR_SECONDS": "5"}
    proc = _start_dev(env, _free_port())

    def wait_for(condition, what, seconds=240):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                docs = {d["source_file"]: d for d in pq.read_table(curated / "documents.parquet").to_pylist()}
                if condition(docs):
                    return docs
            except (OSError, ValueError):
                pass
            time.sleep(1)
        pytest.fail(f"the sensor did not bring {what} into the curated tables")

    try:
        wait_for(lambda d: set(d) == {"a.pdf"}, "the first file")
        shutil.copy(RAW / "71_NQ-CP_BCA.pdf", raw / "b.pdf")
        shutil.copy(RAW / "07_CT-TTg.pdf", raw / "a.pdf")
        docs = wait_for(lambda d: set(d) == {"a.pdf", "b.pdf"} and d["a.pdf"].get("doc_number") == "07/CT-TTg",
                        "a dropped and a replaced file")
        _stop_and_check_nothing_left(proc, signal.SIGTERM)
    finally:
        _cleanup(proc)
