"""The commands behind `nhiemvu` (`pipeline/cli.py` parses their arguments and calls these).

- `run`: the raw folder processed into the curated tables. It takes the state folder's lock,
  brings an object-storage mirror up to date, scans the raw folder, answers at once when the
  last run was made for this very folder and code (`runtime.lastrun`), else starts reading the
  documents sure to be read (`runtime.headstart`) and hands over to Dagster
  (`orchestration.runner`), then publishes and prints the summary (`summary.py`);
- `checks`: the result of every check of a curated folder;
- `show`: the pages of a task with its row outlined (`trace.page_pictures`);
- `dev`: the Dagster UI (`dagster dev`) in its own process group.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from ..runtime.state import run_lock

log = logging.getLogger("nhiemvu")

EXIT_MACHINE = 3  # the run stopped on a failure of the machine (`extractors.pdf.EnvironmentFailure`)
DEV_STOP_SECONDS = 15


def run(
    raw: Path | str, curated: Path | str, *, force: bool = False, workers: int = 2, quiet: bool = False,
    state: Path | None = None, limits=None, log_level: str = "WARNING",
) -> dict:
    """Process the raw folder; returns the summary it prints. `raw` and `curated` are folders,
    or fsspec URLs of object storage (`remote.py`)."""
    from extractors.tempdirs import clean_stale_temp

    from ..runtime import lastrun, remote
    from ..runtime.isolation import Limits
    from ..runtime.manifest import scan
    from ..orchestration.runner import run_dagster
    from ..runtime.state import home, manifest_cache
    from ..runtime.store import recover_curated
    from ..runtime.versions import manifest_digest
    from .summary import print_summary, summarize

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
        manifest = scan(raw, manifest_cache(state), state=state, curated=curated)
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
                plan, checks = run_dagster(raw, curated, state, manifest, workers, limits, force, quiet, log_level)
            finally:
                if ahead is not None:
                    ahead.close()
            lastrun.save(state, digest, curated, checks)
        if curated_url:
            uploaded = remote.publish(curated, curated_url)
            log.info("published %d table(s) to %s", uploaded, curated_url)
        summary = summarize(curated, plan, checks, time.monotonic() - started, manifest.skipped)
        if curated_url:
            summary["curated"] = curated_url
    if not quiet:
        print_summary(summary)
    return summary



class _Nothing:
    """The plan of a run with nothing new."""

    extract: frozenset = frozenset()
    records: frozenset = frozenset()


_NOTHING = _Nothing()


def _head_start(state: Path, manifest, workers: int, limits, force: bool, quiet: bool):
    """Start reading the documents this run is sure to read (those with no extraction stored,
    or all of them with --force) before Dagster is even imported (`headstart.py`); None when
    there are none, or when the steps run elsewhere than in this process."""
    from ..runtime import headstart
    from ..runtime.state import executor_name, stored_keys

    if executor_name() != "in_process":
        headstart.clear(state)  # what a killed run left
        return None
    have = set() if force else stored_keys(state, "pdf_document")
    paths = {k: manifest.path_of(k) for k in manifest if k not in have}
    return headstart.start(state, paths, workers, limits, progress=not quiet)



def checks(curated: Path, state: Path | None = None, *, quiet: bool = False) -> list[dict]:
    """Print the result of every check of the curated folder `curated`, with what a failing
    one lists: the results the last run recorded when it wrote this very folder (and its files
    are still those it wrote), otherwise the checks evaluated now on that folder (`now` is then
    True in each result; `stated_counts` needs the run's parts and is left out)."""
    from ..runtime import lastrun
    from ..runtime.state import home

    state = Path(state or home())
    curated = Path(curated).resolve()
    if lastrun.wrote(state, curated):
        from ..orchestration.runner import recorded_checks

        results = recorded_checks(curated, state)
        origin = f"checks of {curated}, as the last run recorded them"
    else:
        from ..orchestration.checks import evaluate

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
    from ..runtime.state import PROJECT_ROOT

    path = os.pathsep.join([str(PROJECT_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    warn = ",".join(filter(None, [*DEV_QUIET_WARNINGS, os.environ.get("PYTHONWARNINGS")]))
    env = {**os.environ, "DAGSTER_HOME": str(state), "PYTHONPATH": path, "PYTHONWARNINGS": warn}
    for name in ("NHIEMVU_RAW", "NHIEMVU_CURATED"):  # relative folders meant the repository's, as before
        value = env.get(name)
        if value and "://" not in value and not Path(value).is_absolute():
            env[name] = str(PROJECT_ROOT / value)
    cmd = [sys.executable, "-m", "dagster", "dev", "-m", "pipeline.orchestration.definitions", "--working-directory", str(PROJECT_ROOT),
           "-h", "127.0.0.1", "-p", str(port)]
    return cmd, env, state


def dev(port: int) -> int:
    """Run `dagster dev` in its own process group; stop the whole group on Ctrl-C or SIGTERM."""
    from ..runtime.state import home, instance_config

    state = home()
    state.mkdir(parents=True, exist_ok=True)
    instance_config(state)  # the repository's dagster.yaml copied in, unless it has its own
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


def run_command(raw, curated, *, force: bool, workers: int, limits, log_level: str, as_json: bool) -> int:
    """`nhiemvu run`: the run, its summary printed (as JSON with `as_json`); the exit status:
    0, 1 when a check of severity ERROR failed, `EXIT_MACHINE` when the machine cannot read
    some documents (said on stderr)."""
    from ..orchestration.runner import machine_failure

    try:
        summary = run(raw, curated, force=force, workers=workers, log_level=log_level, limits=limits, quiet=as_json)
    except Exception as e:
        if (problem := machine_failure(e)) is None:
            raise
        print(f"nhiemvu: the run stopped: this machine cannot read some documents.\n  {problem}\n"
              "  Nothing was stored for them: fix the machine and run again.", file=sys.stderr)
        return EXIT_MACHINE
    if as_json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    return 1 if summary["checks_failed"] else 0


def checks_command(curated: Path) -> int:
    """`nhiemvu checks`: every check printed; 1 when one of severity ERROR fails."""
    results = checks(curated)
    return 1 if any(not c["passed"] and c["severity"] == "ERROR" for c in results) else 0


def report_command(curated: Path, raw: Path, out: Path, *, pictures: bool, as_of) -> int:
    """`nhiemvu report`: the HTML report written, its page named."""
    from .report import build_report

    page = build_report(curated, raw, out, checks=checks(curated, quiet=True), pictures=pictures, as_of=as_of)
    print(f"wrote {page}")
    return 0
