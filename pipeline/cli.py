"""The `nhiemvu` command.

    nhiemvu run  [--raw DIR] [--curated DIR] [--force] [--workers N]   process new, changed or stale PDFs
    nhiemvu dev  [--port 3000]                                         the Dagster UI on 127.0.0.1
    nhiemvu checks [--curated DIR]                                     the result of every check of a folder
    nhiemvu trace ID | --doc NUMBER --item ITEM [--section S]          where a value was printed, as a picture
    nhiemvu report [--out DIR] [--as-of DATE]                          a report to work in (HTML, from disk)
    nhiemvu show TASK_ID [--out DIR]                                   = trace TASK_ID --pages DIR (for scripts)

`run` plans from the raw folder and the Dagster instance (`plan.py`): it registers one
partition per file (sha256 of its bytes), reads the documents that are new or were read
by another code version (all with --force), rebuilds their rows, replaces the curated
tables at once, runs their checks and prints a summary. Only one run at a time works on
a state folder; a second one waits for the first.
"""

from __future__ import annotations

import argparse
import fcntl
import gc
import json
import logging
import os
import signal
import subprocess
import sys
import time
import warnings
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger("nhiemvu")

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
EXIT_MACHINE = 3  # the run stopped on a failure of the machine (`extractors.pdf.EnvironmentFailure`)
DEV_STOP_SECONDS = 15


@contextmanager
def run_lock(state: Path, *, wait_message: bool = True):
    """Hold the state folder's lock for the duration of a run (a second run waits)."""
    state.mkdir(parents=True, exist_ok=True)
    with open(state / "run.lock", "a+") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if wait_message:
                log.warning("another nhiemvu run is using %s; waiting for it to finish", state)
            fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def run(
    raw: Path | str, curated: Path | str, *, force: bool = False, workers: int = 2, quiet: bool = False,
    state: Path | None = None, limits=None, log_level: str = "WARNING",
) -> dict:
    """Process the raw folder; returns the summary it prints. `raw` and `curated` are folders,
    or fsspec URLs of object storage (`remote.py`)."""
    from extractors.tempdirs import clean_stale_temp

    from . import lastrun, remote
    from .isolation import Limits
    from .manifest import scan
    from .paths import home
    from .store import recover_curated
    from .versions import manifest_digest

    raw_url = raw if remote.is_url(raw) else None
    curated_url = curated if remote.is_url(curated) else None
    state = Path(state).resolve() if state else home()
    limits = limits or Limits()
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    started = time.monotonic()
    with run_lock(state):
        if raw_url:
            remote.mirror_raw(raw_url, state)
        raw = remote.local_folder(state, "raw", raw).resolve()
        curated = remote.local_folder(state, "curated", curated).resolve()
        if (done := recover_curated(curated)) is not None:
            log.warning("an interrupted replacement of %s was %s", curated, done)
        for stale in clean_stale_temp():
            log.info("removed %s, left by a run that was killed", stale)
        manifest = scan(raw, state / "manifest-cache.json", state=state, curated=curated)
        for entry in manifest.skipped:
            log.warning("skipped %s: %s", entry.path, entry.reason)
        digest = manifest_digest(dict(manifest))
        checks = None if force else lastrun.unchanged(state, digest, curated)
        if checks is not None:  # the last run was made for this very folder and code: nothing to do
            plan = _NOTHING
        else:
            lastrun.forget(state)
            ahead = _head_start(state, manifest, workers, limits, force, quiet)
            try:
                plan, checks = _run_dagster(raw, curated, state, manifest, workers, limits, force, quiet, log_level)
            finally:
                if ahead is not None:
                    ahead.close()
            lastrun.save(state, digest, curated, checks)
        if curated_url:
            uploaded = remote.publish(curated, curated_url)
            log.info("published %d table(s) to %s", uploaded, curated_url)
        summary = _summary(curated, plan, checks, time.monotonic() - started, manifest.skipped)
        if curated_url:
            summary["curated"] = curated_url
    if not quiet:
        _print_summary(summary)
    return summary


STATE_ATTEMPTS = 3  # plans of one run: a stored value found damaged is removed, and planned again


def _chain(error: BaseException):
    """An error and its causes, and the step's own exception that Dagster's errors keep."""
    seen = set()
    todo = [error]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        user = getattr(e, "user_exception", None)
        todo += [e.__cause__, e.__context__, user if isinstance(user, BaseException) else None]


def _raised(error: BaseException, kind: type) -> str | None:
    """The message of the `kind` exception in an error of the run or its causes (Dagster wraps
    what a step raised, sometimes only as text), None when there is none."""
    for e in _chain(error):
        if isinstance(e, kind):
            return str(e)
    text, marker = str(error), f"{kind.__name__}: "
    return text[text.index(marker) + len(marker):].splitlines()[0] if marker in text else None


def damaged_state(error: BaseException) -> str | None:
    """The message of a stored value found damaged (`io.StoredValueDamaged`), or None."""
    from .io import StoredValueDamaged

    return _raised(error, StoredValueDamaged)


def machine_failure(error: BaseException) -> str | None:
    """The message of the machine's failure (`extractors.pdf.EnvironmentFailure`), or None."""
    from extractors.pdf import EnvironmentFailure

    return _raised(error, EnvironmentFailure)


class _Nothing:
    """The plan of a run with nothing new."""

    extract: frozenset = frozenset()
    records: frozenset = frozenset()


_NOTHING = _Nothing()


def _head_start(state: Path, manifest, workers: int, limits, force: bool, quiet: bool):
    """Start reading the documents this run is sure to read (those with no extraction stored,
    or all of them with --force) before Dagster is even imported (`headstart.py`); None when
    there are none, or when the steps run elsewhere than in this process."""
    from . import headstart
    from .paths import executor_name, stored, stored_keys

    if executor_name() != "in_process":
        headstart.clear(state)  # what a killed run left
        return None
    have = set() if force else stored_keys(stored(state, "pdf_document"))
    paths = {k: manifest.path_of(k) for k in manifest if k not in have}
    return headstart.start(state, paths, workers, limits, progress=not quiet)


def _run_dagster(raw: Path, curated: Path, state: Path, manifest, workers: int, limits, force: bool, quiet: bool,
                 log_level: str):
    """Plan against the Dagster instance's records and execute; returns the plan and the checks."""
    from .definitions import build_definitions
    from .resources import damaged_databases, set_aside

    defs = build_definitions(str(raw), str(curated), workers, state_dir=str(state), limits=limits, progress=not quiet)
    # What is loaded now lives as long as the run: the collector need not walk it again and
    # again, and the children forked for the documents share its memory pages, not copy them.
    # (Unfrozen after the run, for a caller that goes on: frozen objects are never collected.)
    unfreeze = gc.get_freeze_count() == 0
    gc.freeze()
    try:
        try:
            return _plan_and_execute(defs, state, manifest, curated, force, log_level)
        except Exception:
            damaged = damaged_databases(state)
            if not damaged:
                raise
            for path in damaged:  # a database cut short or overwritten: Dagster starts a new one
                log.warning("the Dagster database %s is damaged: set aside as %s; what it held is made again",
                            path, set_aside(path).name)
            return _plan_and_execute(defs, state, manifest, curated, force, log_level)
    finally:
        if unfreeze:
            gc.unfreeze()


def _plan_and_execute(defs, state: Path, manifest, curated: Path, force: bool, log_level: str):
    """Plan and execute on the state folder's instance; a stored value found damaged is removed
    by the step that met it, and the run plans again (`STATE_ATTEMPTS` in all)."""
    from .paths import stored
    from .plan import make_plan, remember_code_versions
    from .resources import instance_for

    with instance_for(state) as instance:
        for attempt in range(1, STATE_ATTEMPTS + 1):
            plan = make_plan(instance, manifest, curated, force=force, stored=stored(state))
            try:
                checks = _execute(defs, instance, plan, log_level) if not plan.nothing_to_do else _last_checks(instance, defs)
                break
            except Exception as e:
                if attempt == STATE_ATTEMPTS or (why := damaged_state(e)) is None:
                    raise
                # the damaged value was removed: a new plan makes it again from the PDF
                log.warning("%s; planning again", why)
        if plan.records:
            remember_code_versions(instance, stored(state))
        defs.resources["doc_io_manager"].remove(keep=set(manifest))
    return plan, checks


def _execute(defs, instance, plan, log_level: str) -> list[tuple[str, bool, str]]:
    """The runs of a plan, documents before the curated tables; returns the check results."""
    from .paths import executor_name
    from .partitions import range_tags
    from .sensors import CURATED_KEYS, DOC_KEYS

    job = defs.resolve_job_def("ingest")
    config = {"loggers": {"console": {"config": {"log_level": log_level}}}}
    e_ranges, r_ranges = plan.extract_ranges(), plan.records_ranges()
    runs: list[tuple[list, dict]] = []
    if e_ranges == r_ranges and len(r_ranges) == 1:  # the usual case: one run does it all
        runs.append((DOC_KEYS + CURATED_KEYS, range_tags(*r_ranges[0])))
    else:
        runs += [([DOC_KEYS[0]], range_tags(*r)) for r in e_ranges]
        runs += [([DOC_KEYS[1]], range_tags(*r)) for r in r_ranges]
        runs.append((CURATED_KEYS, {}))
    checks = []
    for selection, tags in runs:
        if executor_name() == "in_process":
            result = job.execute_in_process(instance=instance, asset_selection=selection, tags=tags, run_config=config,
                                            raise_on_error=True)
            evaluations = result.get_asset_check_evaluations()
        else:  # another executor: the run is launched from the module's Definitions, as a daemon would
            with _folders_in_environment(defs.resources["folders"]):
                evaluations = _execute_reconstructed(instance, selection, tags, config)
        checks += [
            (f"{e.asset_check_key.asset_key.to_user_string()}:{e.asset_check_key.name}", e.passed, e.severity.value)
            for e in evaluations
        ]
    return checks


@contextmanager
def _folders_in_environment(folders):
    """The module's Definitions take their folders from the environment (`NHIEMVU_RAW`,
    `NHIEMVU_CURATED`, `DAGSTER_HOME`): name this run's there while it runs, so that the step
    processes the executor starts here read and write them (the workers of a cluster are
    started with the same environment: docs/scale-out.md)."""
    names = {"NHIEMVU_RAW": folders.raw_dir, "NHIEMVU_CURATED": folders.curated_dir, "DAGSTER_HOME": str(folders.state)}
    before = {k: os.environ.get(k) for k in names}
    os.environ.update(names)
    try:
        yield
    finally:
        for k, v in before.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _execute_reconstructed(instance, selection, tags, config) -> list:
    """Execute a run of the `ingest` job of `pipeline.definitions` with the configured executor
    (its workers load the same module, configured by the same environment)."""
    from dagster import DagsterEventType, execute_job
    from .dagster_internals import reconstructable_job

    recon = reconstructable_job("pipeline.definitions", "defs", "ingest")
    with execute_job(recon, instance=instance, tags=tags, asset_selection=selection, run_config=config,
                     raise_on_error=True) as result:
        if not result.success:
            raise RuntimeError(f"run {result.run_id} failed")
        return [e.event_specific_data for e in result.all_events
                if e.event_type == DagsterEventType.ASSET_CHECK_EVALUATION]


def last_checks(instance, defs) -> list[dict]:
    """The latest result of every asset check: name, passed, severity and its metadata as text."""
    keys = list(defs.resolve_asset_graph().asset_check_keys)
    records = instance.event_log_storage.get_latest_asset_check_execution_by_key(keys)
    out = []
    for key, record in sorted(records.items(), key=lambda kv: kv[0].to_user_string()):
        evaluation = record.event.dagster_event.event_specific_data if record.event and record.event.dagster_event else None
        if evaluation is None or not hasattr(evaluation, "passed"):
            continue
        out.append({
            "check": f"{key.asset_key.to_user_string()}:{key.name}", "passed": evaluation.passed,
            "severity": evaluation.severity.value,
            "metadata": {k: str(getattr(v, "value", v)) for k, v in evaluation.metadata.items()},
        })
    return out


def _last_checks(instance, defs) -> list[tuple[str, bool, str]]:
    """The check results of the last rebuild (nothing changed since, so they still hold)."""
    return [(c["check"], c["passed"], c["severity"]) for c in last_checks(instance, defs)]


def checks(curated: Path, state: Path | None = None, *, quiet: bool = False) -> list[dict]:
    """Print the result of every check of the curated folder `curated`, with what a failing
    one lists: the results the last run recorded when it wrote this very folder (and its files
    are still those it wrote), otherwise the checks evaluated now on that folder (`now` is then
    True in each result; `stated_counts` needs the run's parts and is left out)."""
    from . import lastrun
    from .paths import home

    state = Path(state or home())
    curated = Path(curated).resolve()
    if lastrun.wrote(state, curated):
        from .definitions import build_definitions
        from .resources import instance_for

        defs = build_definitions(curated_dir=str(curated), state_dir=str(state))
        with instance_for(state) as instance:
            results = last_checks(instance, defs)
        origin = f"checks of {curated}, as the last run recorded them"
    else:
        from .checks import evaluate

        if not (curated / "documents.parquet").exists():
            raise SystemExit(f"no curated tables in {curated}: run `nhiemvu run` first")
        results = evaluate(curated, state)
        origin = (f"checks of {curated}, evaluated now (the last run of {state} did not write this folder as it "
                  f"is; tasks:stated_counts needs a run and is left out)")
    if quiet:
        return results
    print(origin)
    if not results:
        print("no checks have run yet: run `nhiemvu run` first")
    for c in results:
        mark = "ok  " if c["passed"] else ("FAIL" if c["severity"] == "ERROR" else "warn")
        print(f"{mark}  {c['check']}")
        if not c["passed"]:
            for name, value in c["metadata"].items():
                print(f"        {name}: " + value.replace("\n", "\n          "))
    return results


def _summary(curated: Path, plan, checks, seconds: float, skipped=()) -> dict:
    import pyarrow.parquet as pq

    docs = pq.read_table(curated / "documents.parquet", columns=["source_file", "status", "error"]).to_pylist()
    pages = pq.read_table(curated / "pages.parquet", columns=["method"]).column("method").to_pylist()
    count = lambda name: pq.ParquetFile(curated / f"{name}.parquet").metadata.num_rows  # noqa: E731
    return {
        "processed": len(plan.extract),
        "records_rebuilt": len(plan.records),
        "documents": len(docs),
        "ok": sum(d["status"] == "ok" for d in docs),
        "partial": sum(d["status"] == "partial" for d in docs),
        "failed": [(d["source_file"], d["error"]) for d in docs if d["status"] == "failed"],
        "pages_text": pages.count("text"),
        "pages_ocr": pages.count("ocr"),
        "pages_failed": pages.count("failed"),
        "tasks": count("tasks"),
        "statuses": count("statuses"),
        "links": count("links"),
        "cells": count("cells"),
        "checks_failed": [name for name, ok, severity in checks if not ok and severity == "ERROR"],
        "checks_warned": [name for name, ok, severity in checks if not ok and severity != "ERROR"],
        "checks_run": len(checks),
        "skipped": [(s.path, s.reason) for s in skipped],
        "curated": str(curated),
        "seconds": round(seconds, 2),
    }


def _print_summary(s: dict) -> None:
    print(f"\nnhiemvu: {s['processed']} document(s) read, {s['records_rebuilt']} rebuilt, in {s['seconds']:.1f} s")
    print(f"  documents  {s['documents']}: {s['ok']} ok, {s['partial']} partial, {len(s['failed'])} failed")
    for f, err in s["failed"]:
        print(f"    failed   {f}: {err}")
    if s["skipped"]:
        print(f"  skipped    {len(s['skipped'])} entr{'y' if len(s['skipped']) == 1 else 'ies'} of the raw folder (not documents):")
        for path, reason in s["skipped"]:
            print(f"    skipped  {path}: {reason}")
    print(f"  pages      {s['pages_text']} text, {s['pages_ocr']} ocr, {s['pages_failed']} failed")
    print(f"  tasks      {s['tasks']}   statuses {s['statuses']}   links {s['links']}   cells {s['cells']}")
    if s["checks_failed"]:
        print(f"  checks     FAILED: {', '.join(s['checks_failed'])}")
    else:
        print(f"  checks     {s['checks_run']} run, none failed")
    if s["checks_warned"]:
        print(f"  warnings   {', '.join(s['checks_warned'])} (see the check's metadata in the Dagster UI)")
    print(f"  written to {s['curated']}/*.parquet")


def show(task_id: str, raw: Path, curated: Path, out: Path) -> list[Path]:
    """Write one PNG per page the task occupies, with the task's row outlined (`nhiemvu show`,
    kept for scripts: the same as `trace TASK_ID --pages DIR`)."""
    from .trace import page_pictures

    return page_pictures(curated, raw, task_id, out)


# Warnings `dagster dev` prints that are not true of nhiemvu: it is `dagster dev` we mean to run
# (`dg dev` needs a `dg` project and the dagster-dg-cli package, which add nothing here), and the
# single-run backfill policy of the per-document assets is what the runs are built on.
DEV_QUIET_WARNINGS = (
    "ignore:Function `dev_command` is superseded",
    "ignore:Parameter `backfill_policy` of function `asset` is currently in beta",
)


def dev_command(port: int, state: Path) -> tuple[list[str], dict, Path]:
    """The command, environment and working folder of `dagster dev` for a state folder: it
    runs in the state folder, where the repository's dagster.yaml is copied (so `dagster dev`
    finds the instance configuration in $DAGSTER_HOME and does not warn that it "will not be
    used"), with the repository on PYTHONPATH and as the code location's working directory."""
    from .resources import PROJECT_ROOT

    path = os.pathsep.join([str(PROJECT_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    warn = ",".join(filter(None, [*DEV_QUIET_WARNINGS, os.environ.get("PYTHONWARNINGS")]))
    env = {**os.environ, "DAGSTER_HOME": str(state), "PYTHONPATH": path, "PYTHONWARNINGS": warn}
    for name in ("NHIEMVU_RAW", "NHIEMVU_CURATED"):  # relative folders meant the repository's, as before
        value = env.get(name)
        if value and "://" not in value and not Path(value).is_absolute():
            env[name] = str(PROJECT_ROOT / value)
    cmd = [sys.executable, "-m", "dagster", "dev", "-m", "pipeline.definitions", "--working-directory", str(PROJECT_ROOT),
           "-h", "127.0.0.1", "-p", str(port)]
    return cmd, env, state


def dev(port: int) -> int:
    """Run `dagster dev` in its own process group; stop the whole group on Ctrl-C or SIGTERM."""
    from .resources import PROJECT_ROOT, home

    state = home()
    state.mkdir(parents=True, exist_ok=True)
    if not (state / "dagster.yaml").exists():
        (state / "dagster.yaml").write_text((PROJECT_ROOT / "dagster.yaml").read_text())
    cmd, env, cwd = dev_command(port, state)
    print(f"Dagster UI on http://127.0.0.1:{port} (DAGSTER_HOME={state})", flush=True)
    child = subprocess.Popen(cmd, env=env, cwd=cwd, start_new_session=True)

    def stop(signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        return child.wait()
    except KeyboardInterrupt:
        return _stop_group(child)


def _stop_group(child: subprocess.Popen) -> int:
    """SIGTERM to the process group of `dagster dev` (webserver, daemon, code servers), then SIGKILL."""
    for sig, grace in ((signal.SIGINT, DEV_STOP_SECONDS), (signal.SIGKILL, 5)):
        try:
            os.killpg(child.pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and _group_alive(child.pid):
            child.poll()
            time.sleep(0.2)
        if not _group_alive(child.pid):
            break
    child.poll()
    return 0


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _date(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def _positive_float(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be positive, got {value}")
    return value


def _local_copies(parser: argparse.ArgumentParser, args) -> None:
    """checks, show, trace and report read local folders: for a URL, the copy `nhiemvu run`
    keeps of it in the state folder (its raw mirror, its curated tables before publishing)."""
    from .paths import home
    from .remote import local_folder

    for name in ("raw", "curated"):
        value = getattr(args, name, None)
        if isinstance(value, str):
            local = local_folder(home(), name, value)
            if not local.is_dir():
                parser.error(f"{value}: `nhiemvu {args.command}` reads the copy that `nhiemvu run` keeps of it in "
                             f"{home()}, and there is none yet")
            setattr(args, name, local)


class _HelpFormatter(argparse.HelpFormatter):
    """Each option's default in its help, except where there is none to show (None, a flag's
    False) or the help already says it; the description wrapped to the terminal."""

    def _get_help_string(self, action):
        text = action.help or ""
        if "%(default)" in text or "default" in text.lower() or action.default in (None, False, argparse.SUPPRESS) \
                or action.option_strings == []:
            return text
        return text + " (default: %(default)s)"


def _location(text: str) -> Path | str:
    """A folder, or an fsspec URL kept as text (a Path would fold its "//")."""
    from .remote import is_url

    return text if is_url(text) else Path(text)


def _parser() -> argparse.ArgumentParser:
    from . import __version__
    from .isolation import Limits
    from .paths import PROJECT_ROOT

    # text: argparse converts a default given as text with the argument's type
    raw_default = os.environ.get("NHIEMVU_RAW", str(PROJECT_ROOT / "raw"))
    curated_default = os.environ.get("NHIEMVU_CURATED", str(PROJECT_ROOT / "curated"))
    fmt = _HelpFormatter
    parser = argparse.ArgumentParser(prog="nhiemvu", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"nhiemvu {__version__}")
    parser.add_argument("--log-level", choices=LOG_LEVELS, default="WARNING", help="what the log shows (default WARNING)")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="-v INFO, -vv DEBUG (tracebacks)")
    sub = parser.add_subparsers(dest="command", required=True)
    p_run = sub.add_parser(
        "run", help="process new, changed or stale PDFs and rebuild the curated tables", formatter_class=fmt,
        description="Process the PDFs of the raw folder that are new, changed or read by another code version "
                    "(all of them with --force), rebuild the curated tables at once, run their checks and print a "
                    "summary. Only one run at a time works on a state folder ($DAGSTER_HOME).")
    p_run.add_argument("--raw", type=_location, default=raw_default,
                       help="input folder, or an fsspec URL such as s3://bucket/raw (env NHIEMVU_RAW)")
    p_run.add_argument("--curated", type=_location, default=curated_default,
                       help="output folder, or an fsspec URL such as s3://bucket/curated (env NHIEMVU_CURATED)")
    p_run.add_argument("--force", action="store_true", help="read every file again")
    p_run.add_argument("--workers", type=_positive_int, default=2, help="processes reading documents at once, in all (a document's child and its page or OCR helpers)")
    p_run.add_argument("--doc-timeout", type=_positive_float, default=Limits.seconds, help="seconds one document may take")
    p_run.add_argument("--doc-memory", type=_positive_int, default=Limits.memory_mb, help="MB of memory (address space) one document may take, its child and helpers together")
    p_run.add_argument("--json", action="store_true", help="print the summary as JSON (for scripts)")
    p_checks = sub.add_parser(
        "checks", help="the result of every check of a curated folder, with the names a failing one lists",
        formatter_class=fmt,
        description="Print the result of every check of the curated tables: those the last run recorded when it "
                    "wrote this very folder, otherwise the checks evaluated now on the folder named (the "
                    "stated-counts check needs a run and is then left out, said so). Exit status 1 when a check "
                    "of severity ERROR fails.")
    p_checks.add_argument("--curated", type=_location, default=curated_default, help="output folder (env NHIEMVU_CURATED)")
    p_trace = sub.add_parser(
        "trace", help="where a task, status, link or cell was printed: values, boxes and a PNG", formatter_class=fmt,
        description="Print where a curated value was printed (file, pages, boxes, values; the file's bytes checked "
                    "against its doc_id) and write one PNG: the row of a task filled, the traced cell outlined "
                    "(a status: its status cell; a link: the citation; a cell: that cell). With --doc and --item, a "
                    "document number and an item as printed; when several tasks share the item number they are all "
                    "listed and --section (or a task_id) picks one. `--pages DIR` also writes each whole page of a "
                    "task with its row outlined (what `nhiemvu show` wrote).")
    p_trace.add_argument("id", nargs="?", help="task_id, status_id, link_id, or a cell as doc_id:table_no:row_no:col_no")
    p_trace.add_argument("--doc", help="a document number as printed, e.g. 07/CT-TTg (with --item)")
    p_trace.add_argument("--item", help="an item number as printed, e.g. 12 (with --doc)")
    p_trace.add_argument("--section", help="with --doc and --item: the section (or part) of the task, when the item "
                                           "number occurs in several")
    p_trace.add_argument("--out", type=Path, help="PNG to write (trace_<id>.png when not given)")
    p_trace.add_argument("--pages", type=Path, help="also write one PNG per whole page of the task into this folder")
    p_trace.add_argument("--raw", type=_location, default=raw_default, help="input folder (env NHIEMVU_RAW)")
    p_trace.add_argument("--curated", type=_location, default=curated_default, help="output folder (env NHIEMVU_CURATED)")
    p_show = sub.add_parser(
        "show", help="(kept for scripts) the same as `trace TASK_ID --pages DIR`", formatter_class=fmt,
        description="Write one PNG per page a task occupies, the whole page with the task's row outlined. The same "
                    "as `nhiemvu trace TASK_ID --pages DIR`, which also prints the values and writes the cropped picture.")
    p_show.add_argument("task_id")
    p_show.add_argument("--raw", type=_location, default=raw_default, help="input folder (env NHIEMVU_RAW)")
    p_show.add_argument("--curated", type=_location, default=curated_default, help="output folder (env NHIEMVU_CURATED)")
    p_show.add_argument("--out", type=Path, default=Path("highlights"), help="folder for the PNGs")
    p_report = sub.add_parser(
        "report", help="an HTML report to work in: search, filter and sort the tasks, drill down per agency",
        formatter_class=fmt,
        description="Write a report over the curated tables into a folder (index.html, its script and style, and "
                    "one light picture per page with rows): documents, every task with search, sort and filters "
                    "(agency, status, deadline, document), per-agency drill-down, same-task links, CSV export of "
                    "what is shown, and the problems (failed pages, unmatched agencies, failed checks). Opened from "
                    "disk, no server, no network.")
    p_report.add_argument("--out", type=Path, default=Path("report"), help="folder for index.html and its files")
    p_report.add_argument("--raw", type=_location, default=raw_default, help="input folder (env NHIEMVU_RAW)")
    p_report.add_argument("--curated", type=_location, default=curated_default, help="output folder (env NHIEMVU_CURATED)")
    p_report.add_argument("--no-pictures", action="store_true", help="skip the page pictures (faster)")
    p_report.add_argument("--as-of", type=_date, help="the date 'past due' counts from, YYYY-MM-DD (today when not given)")
    p_dev = sub.add_parser(
        "dev", help="start the Dagster UI on 127.0.0.1", formatter_class=fmt,
        description="Start the Dagster UI and daemon (`dagster dev`) on 127.0.0.1 with the state folder "
                    "($DAGSTER_HOME, default .dagster/) as the instance, configured by the repository's dagster.yaml "
                    "copied there. Ctrl-C or SIGTERM stops every process it started.")
    p_dev.add_argument("--port", type=int, default=3000, help="port of the UI")
    return parser


def main(argv: list[str] | None = None) -> int:
    """The command line's entry point: the process ends when it returns."""
    try:
        return _main(argv)
    finally:
        # The interpreter's last garbage collection walks every object still alive (Dagster's
        # definitions, the run's events): about 0.4 s after a run. Frozen objects are skipped;
        # nothing needs them collected, as the process ends here.
        gc.freeze()


def _main(argv: list[str] | None) -> int:
    # The process-wide settings belong here, in the entry point, and nowhere else.
    os.environ.setdefault("DAGSTER_TELEMETRY_ENABLED", "false")
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    # one "materialization planned" event per asset and run, not one per document: a run of
    # thousands of short letters would otherwise spend much of its time on bookkeeping
    os.environ.setdefault("DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS", "true")
    parser = _parser()
    args = parser.parse_args(argv)
    level = "DEBUG" if args.verbose >= 2 else "INFO" if args.verbose == 1 else args.log_level
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    # Dagster's BetaWarning/PreviewWarning, matched by text so that a run with nothing new
    # need not import Dagster at all
    warnings.filterwarnings("ignore", message=r".* is currently in (beta|preview)")
    if args.command == "run":
        from .isolation import Limits

        if isinstance(args.raw, Path) and not args.raw.is_dir():
            parser.error(f"raw folder not found: {args.raw}")
        if isinstance(args.raw, str):
            from .remote import problem

            if (why := problem(args.raw)) is not None:
                parser.error(why)
        try:
            summary = run(args.raw, args.curated, force=args.force, workers=args.workers, log_level=level,
                          limits=Limits(seconds=args.doc_timeout, memory_mb=args.doc_memory), quiet=args.json)
        except Exception as e:
            if (problem := machine_failure(e)) is None:
                raise
            print(f"nhiemvu: the run stopped: this machine cannot read some documents.\n  {problem}\n"
                  "  Nothing was stored for them: fix the machine and run again.", file=sys.stderr)
            return EXIT_MACHINE
        if args.json:
            print(json.dumps(summary, ensure_ascii=False, indent=2))
        return 1 if summary["checks_failed"] else 0
    if args.command != "dev":
        _local_copies(parser, args)
    if args.command == "checks":
        results = checks(args.curated)
        return 1 if any(not c["passed"] and c["severity"] == "ERROR" for c in results) else 0
    if args.command == "report":
        from .report import build_report

        page = build_report(args.curated, args.raw, args.out, checks=checks(args.curated, quiet=True),
                            pictures=not args.no_pictures, as_of=args.as_of)
        print(f"wrote {page}")
        return 0
    if args.command == "trace":
        from .trace import trace

        if (args.doc is None) != (args.item is None):
            parser.error("--doc and --item go together")
        if args.section is not None and args.doc is None:
            parser.error("--section goes with --doc and --item")
        trace(args.curated, args.raw, args.id, doc=args.doc, item=args.item, section=args.section, out=args.out,
              pages=args.pages)
        return 0
    if args.command == "show":
        show(args.task_id, args.raw, args.curated, args.out)
        return 0
    return dev(args.port)


if __name__ == "__main__":
    sys.exit(main())
