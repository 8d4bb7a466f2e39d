"""One process budget (issue 20): `--workers N` bounds every process a run starts to read
documents, the documents' children and their page or OCR helpers together; `--doc-memory M`
bounds a document with all its helpers (each of its k processes may map M // k).

Each run is watched from a thread of this process (the run is this process: `commands.run` in
process): every few milliseconds the run's process tree, and the address-space limit of each
process in it (/proc/<pid>/limits). The processes the run forks (their command line is the
run's) read documents, and the budget bounds them, but the head start, which only hands out
documents and waits for them; besides them the run starts only the programs OTHERS names
(no `tail -F`, no `watch_orphans`: what the steps say are events, not captured output).
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import psutil
import pyarrow.parquet as pq
import pytest

from extractors.document import PAGE_WORKER_MB
from extractors.ocr import OCR_WORKER_MB
from pipeline.runtime import headstart
from pipeline.runtime.isolation import Limits
from pipeline.tools import commands
from tests.conftest import RAW

pytestmark = pytest.mark.slow  # reads whole documents, OCRs or runs the pipeline

LONG = RAW / "07_CT-TTg.pdf"  # 25 text pages: up to 3 processes (one per 8 pages)
SCAN = RAW / "552_TB-VPCP_PL2_scan.pdf"  # 6 scanned pages (their OCR results seeded)
MB = 1024 * 1024
# what else a run starts: Tesseract asked once for its models' folder (before any document),
# `file -b python` (Dagster's vendored croniter asks for the interpreter's architecture when
# Dagster is imported: not ours, gone in milliseconds), the DuckDB writer. Nothing else: no
# capture of a step's output (`tail -F` and `watch_orphans` per stream), which dagster.yaml turns off.
OTHERS = ("tesseract", "file -b", "pipeline.runtime.analysts")


def _soft_address_limit(pid: int) -> int | None:
    """The soft RLIMIT_AS of a process in bytes (None: unlimited, or the process is gone)."""
    try:
        with open(f"/proc/{pid}/limits", encoding="ascii") as f:
            for line in f:
                if line.startswith("Max address space"):
                    value = line.split()[3]
                    return None if value == "unlimited" else int(value)
    except OSError:
        pass
    return None


class Watch:
    """The run's processes, sampled until stopped: the most of its forked processes alive at
    once besides the head start, and for each of them its parent and the address-space limits
    it was seen with; the command lines of the others."""

    def __init__(self):
        self.me = psutil.Process()
        self.command = self.me.cmdline()
        self.head_starts: set[int] = set()
        self.parents: dict[int, int] = {}
        self.limits: dict[int, set] = {}
        self.commands: dict[int, set[str]] = {}
        self.times: dict[int, int] = {}  # samples a process was seen in with the run's command line
        self.samples: list[list[int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            try:
                tree = self.me.children(recursive=True)
            except psutil.Error:
                continue
            alive = []
            for p in tree:
                try:
                    if p.status() == psutil.STATUS_ZOMBIE:
                        continue
                    command = " ".join(p.cmdline())
                    self.parents.setdefault(p.pid, p.ppid())
                except psutil.Error:
                    continue
                if command:  # empty while a program is being started
                    self.commands.setdefault(p.pid, set()).add(command)
                if command == " ".join(self.command):
                    self.times[p.pid] = self.times.get(p.pid, 0) + 1
                alive.append(p.pid)
                self.limits.setdefault(p.pid, set()).add(_soft_address_limit(p.pid))
            self.samples.append(alive)
            self._stop.wait(0.003)

    def forked(self, pid: int) -> bool:
        """Whether a process was forked from the run: always seen with the run's command line,
        and in two samples at least (a program the run starts shows the run's command line
        only for the instant before it is loaded: seen then and gone, as `file -b` is, it is
        no process of the run's)."""
        return self.commands.get(pid, set()) == {" ".join(self.command)} and self.times.get(pid, 0) >= 2

    @property
    def most(self) -> int:
        """The most processes forked from the run alive at once, the head start left out."""
        return max((sum(1 for pid in alive if self.forked(pid) and pid not in self.head_starts)
                    for alive in self.samples), default=0)

    @property
    def others(self) -> set[str]:
        """The command lines of the programs the run started."""
        return {c for pid, commands in self.commands.items() if not self.forked(pid) for c in commands} \
            - {" ".join(self.command)}

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def helpers(self) -> dict[int, int]:
        """{helper pid: its document's child}: the processes whose parent is a process whose
        parent is the run or its head start."""
        ours = {pid for pid in self.parents if self.forked(pid)} - self.head_starts
        children = {pid for pid in ours if self.parents[pid] in self.head_starts | {self.me.pid}}
        return {pid: self.parents[pid] for pid in ours if self.parents[pid] in children}


@pytest.fixture
def watched(monkeypatch):
    """Run `nhiemvu run` in process over the given files, watched; returns (watch, curated folder)."""
    watch = Watch()
    start = headstart.start

    def recorded(*args, **kwargs):
        ahead = start(*args, **kwargs)
        if ahead is not None:
            watch.head_starts.add(ahead.process.pid)
        return ahead

    monkeypatch.setattr(headstart, "start", recorded)

    def run(tmp: Path, files: list[Path], workers: int, memory_mb: int = Limits.memory_mb):
        raw = tmp / "raw"
        raw.mkdir()
        for f in files:
            shutil.copy(f, raw / f.name)
        with watch:
            summary = commands.run(raw, tmp / "out", quiet=True, state=tmp / "state", workers=workers,
                              limits=Limits(memory_mb=memory_mb))
        assert not summary["checks_failed"], summary["checks_failed"]
        docs = pq.read_table(tmp / "out" / "documents.parquet").to_pylist()
        assert len(docs) == len(files) and all(d["status"] == "ok" for d in docs), docs
        unknown = [c[:150] for c in watch.others if not any(name in c for name in OTHERS)]
        assert not unknown, unknown
        return watch

    return run


def test_workers_bound_the_documents_and_their_pools_together(tmp_path, watched):
    """--workers 2, a long text document and a scan: each document one process (no pools), never
    more than 2 processes reading at once."""
    watch = watched(tmp_path, [LONG, SCAN], workers=2)
    assert watch.most <= 2
    assert not watch.helpers()  # two documents, two processes: neither gets a pool


def _room(processes: int, need_mb: int) -> int:
    """A --doc-memory that leaves each of `processes` room to work: a child maps what this
    process maps (which grows as the tests run Dagster in it) and the libraries it loads."""
    from extractors.pool import mapped_mb

    return max(Limits.memory_mb, processes * (mapped_mb() + need_mb + 1024))


def test_a_document_alone_has_the_workers_and_its_pool_shares_its_memory(tmp_path, watched):
    """--workers 2 and --doc-memory M, one long document: its child and one helper read its
    pages, each limited to M // 2 while they do."""
    memory = _room(2, PAGE_WORKER_MB)
    watch = watched(tmp_path, [LONG], workers=2, memory_mb=memory)
    assert watch.most <= 2
    helpers = watch.helpers()
    assert len(helpers) == 1, helpers
    (helper, child), = helpers.items()
    assert watch.limits[helper] - {None} == {memory // 2 * MB}
    assert memory // 2 * MB in watch.limits[child]  # the child's own share while its helper lives
    assert memory * MB in watch.limits[child]  # and its whole limit before and after


def test_the_ocr_pool_follows_the_workers(tmp_path, watched):
    """--workers 3, a scan alone: its child and two helpers OCR its pages, each with a third of
    its memory; never more than 3 processes."""
    memory = _room(3, OCR_WORKER_MB)
    watch = watched(tmp_path, [SCAN], workers=3, memory_mb=memory)
    assert watch.most <= 3
    helpers = watch.helpers()
    assert len(helpers) == 2 and len(set(helpers.values())) == 1, helpers
    assert all(watch.limits[h] - {None} == {memory // 3 * MB} for h in helpers)


def test_three_workers_two_documents_give_the_largest_two(tmp_path, watched):
    """--workers 3, the scan (the larger file, started first) and the long text document: the
    scan has 2 processes, the text document 1; never more than 3 at once."""
    watch = watched(tmp_path, [LONG, SCAN], workers=3, memory_mb=_room(2, OCR_WORKER_MB))
    assert watch.most <= 3
    helpers = watch.helpers()
    assert len(helpers) == 1, helpers


def test_a_low_memory_limit_reads_a_long_document_in_one_process(tmp_path, watched):
    """--doc-memory too low for two processes that each map what the child maps: the document
    is read by its child alone, with its whole limit, and read right."""
    from extractors.pool import mapped_mb

    memory = mapped_mb() + 700  # the child maps about what this process does; halves would not hold it
    watch = watched(tmp_path, [LONG], workers=2, memory_mb=memory)
    assert watch.most <= 2
    assert not watch.helpers()


def test_no_output_is_captured_and_the_steps_logs_are_events(tmp_path, watched):
    """The instance captures no step output (no `tail -F`, no orphan watcher, no log files): what
    the steps say is in the event log, which the Dagster UI shows."""
    from pipeline.orchestration.resources import instance_for

    watch = watched(tmp_path, [RAW / "929_BCA-VPB.pdf"], workers=1)
    assert not [c for c in watch.others if "tail" in c or "watch_orphans" in c]
    assert not list((tmp_path / "state").rglob("compute_logs"))
    instance = instance_for(tmp_path / "state")
    try:
        messages = [e.user_message for run in instance.get_runs() for e in instance.all_logs(run.run_id)]
    finally:
        instance.dispose()
    assert any("1 document(s) read, 0 failed" in m for m in messages), messages[-20:]
    assert any("curated tables:" in m for m in messages)
