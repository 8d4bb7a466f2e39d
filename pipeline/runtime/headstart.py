"""A head start for `nhiemvu run`: the documents never read before are read while Dagster starts.

Before its run reaches the first document, `nhiemvu run` spends a second or more on Dagster
itself: importing it, opening (or creating) the instance, planning and launching the run,
on one core. A document with no stored extraction is sure to be read by that run, so the
command starts reading those first, in a process forked before Dagster is imported, with the
function, tasks, workers and limits of the `pdf_document` step (`reading.py`,
`isolation.run_isolated`).

Each outcome (an `Extraction`, or the `Failure` saying why there is none) is written to
`<state>/headstart/<doc_id>.<extract version>.pkl`. The step `take`s the outcomes of its
documents, after waiting for the head start to end (it holds a lock on the folder's `.lock`
while it runs), and reads only the others itself: no document is read twice, and never more
than `workers` at once. What the step finds is valid whoever made it: a document is named by
its content hash, the file by the version of the extractors. The command starts a head start
only for runs it executes in its own process (the in-process executor), and removes the
folder when the run ends, however it ends.
"""

from __future__ import annotations

import fcntl
import logging
import multiprocessing as mp
import os
import shutil
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from . import sealed
from .state import HEADSTART, atomic_write_bytes, headstart_folder
from .isolation import Limits, die_with_parent, run_isolated
from .reading import WARM_UP_MIN_DOCS, load_text_tools, progress_bar, read_document, reading_tasks, warm_up
from .versions import extract_version

log = logging.getLogger(__name__)

FOLDER = HEADSTART  # `runtime.state.headstart_folder`
LOCK = ".lock"
STOPPED = ".stopped"  # the head start was stopped by Ctrl-C: so is the run


def _outcome_file(folder: Path, doc_id: str) -> Path:
    return folder / f"{doc_id}.{extract_version()}.pkl"


class HeadStart:
    """The process reading documents ahead of the run."""

    def __init__(self, process, folder: Path):
        self.process = process
        self.folder = folder

    def close(self) -> None:
        """Stop the head start if it still runs (the run failed or was stopped before taking
        its outcomes), and remove what the run did not take."""
        if self.process.is_alive():
            self.process.terminate()  # its children die with it (PR_SET_PDEATHSIG)
        self.process.join()
        shutil.rmtree(self.folder, ignore_errors=True)


def clear(state: Path) -> Path:
    """Remove what a run killed before it could clean up left behind; returns the folder."""
    folder = headstart_folder(state)
    shutil.rmtree(folder, ignore_errors=True)
    return folder


def start(state: Path, paths: Mapping[str, Path], workers: int, limits: Limits, progress: bool = False) -> HeadStart | None:
    """Start reading these documents ({doc_id: path}) in a forked process; None if there are none."""
    folder = clear(state)
    if not paths:
        return None
    # Loaded once, here, rather than in the head start and again in this process (whose curated
    # step and checks fold agency names): the head start and its children inherit them.
    load_text_tools()
    folder.mkdir(parents=True)
    lock = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)  # taken before the fork: no step can see the folder unlocked
        process = mp.get_context("fork").Process(
            target=_read_all, args=(folder, dict(paths), workers, limits, progress), name="nhiemvu-headstart",
            daemon=False,  # it starts processes of its own
        )
        process.start()
    finally:
        os.close(lock)  # the child's copy of the descriptor holds the lock until it ends
    return HeadStart(process, folder)


def _read_all(folder: Path, paths: dict[str, Path], workers: int, limits: Limits, progress: bool) -> None:
    die_with_parent()
    try:
        if len(paths) >= WARM_UP_MIN_DOCS:
            warm_up(paths.values())
        bar = progress_bar(len(paths)) if progress else None
        for doc_id, outcome in run_isolated(read_document, reading_tasks(paths, folder.parent), workers=workers,
                                            limits=limits,
                                            pooled=True):
            # not synced: the folder lives for one run
            atomic_write_bytes(_outcome_file(folder, doc_id), sealed.dumps(folder.parent, outcome), sync=False)
            if bar is not None:
                bar.update()
        if bar is not None:
            bar.close()
    except KeyboardInterrupt:  # Ctrl-C: the readers are stopped, and the step is told to stop too
        (folder / STOPPED).touch()
    except Exception:  # noqa: BLE001 - the step reads what is missing itself
        log.exception("the head start stopped; the run reads the remaining documents itself")


def take(state: Path, keys: Iterable[str], while_waiting: Callable[[], None] | None = None) -> dict[str, Any]:
    """The outcomes the head start made for these documents, waiting for it to end first;
    each is removed from its folder when taken. Empty when there was no head start.
    `while_waiting` is called first when the head start is still reading (work the caller
    would otherwise do after it, such as loading modules).
    Raises KeyboardInterrupt when the head start was stopped by one (Ctrl-C reaches the
    terminal's whole process group), so that the run stops rather than reading on alone."""
    folder = headstart_folder(state)
    try:
        lock = os.open(folder / LOCK, os.O_RDONLY)
    except FileNotFoundError:
        return {}
    try:
        try:
            fcntl.flock(lock, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:  # still reading
            if while_waiting is not None:
                while_waiting()
            fcntl.flock(lock, fcntl.LOCK_SH)  # returns when the head start has ended
    finally:
        os.close(lock)
    if (folder / STOPPED).exists():  # the terminal's Ctrl-C reached the head start first
        raise KeyboardInterrupt("stopped while documents were read ahead")
    out = {}
    for doc_id in keys:
        path = _outcome_file(folder, doc_id)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            continue
        path.unlink()
        try:
            out[doc_id] = sealed.loads(folder.parent, data)
        except sealed.Damaged as e:  # not whole, or not ours: never unpickled; the step reads it itself
            log.warning("the head start's outcome %s is damaged (%s); the document is read again", path.name, e)
    return out
