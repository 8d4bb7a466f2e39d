"""A run of the Dagster job: plan against the instance's records (`plan.py`), execute the runs
the plan needs (documents before the curated tables), and read back the check results. Called
by `nhiemvu run` (`pipeline.tools.commands.run`) once it knows there is something to do.

A stored value found damaged is removed by the step that met it and the run plans again
(`STATE_ATTEMPTS`); a damaged Dagster database is set aside (`runtime.state.damaged_databases`)
and the run starts again on a new one. How the steps are split into runs follows the plan
(`plan.Plan.runs`), the same split the raw-folder sensor asks for.
"""

from __future__ import annotations

import gc
import logging
import os
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger("nhiemvu")

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
    """The message of a stored value found damaged (`runtime.state.StoredValueDamaged`), or None."""
    from ..runtime.state import StoredValueDamaged

    return _raised(error, StoredValueDamaged)


def machine_failure(error: BaseException) -> str | None:
    """The message of the machine's failure (`extractors.pdf.EnvironmentFailure`), or None."""
    from extractors.pdf import EnvironmentFailure

    return _raised(error, EnvironmentFailure)


def run_dagster(raw: Path, curated: Path, state: Path, manifest, workers: int, limits, force: bool, quiet: bool,
                 log_level: str):
    """Plan against the Dagster instance's records and execute; returns the plan and the checks."""
    from .definitions import build_definitions
    from ..runtime.state import damaged_databases, set_aside

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
    from .plan import make_plan, remember_code_versions
    from .resources import instance_for

    with instance_for(state) as instance:
        for attempt in range(1, STATE_ATTEMPTS + 1):
            plan = make_plan(instance, manifest, curated, force=force, state=state)
            try:
                checks = _execute(defs, instance, plan, log_level) if not plan.nothing_to_do else _last_checks(instance, defs)
                break
            except Exception as e:
                if attempt == STATE_ATTEMPTS or (why := damaged_state(e)) is None:
                    raise
                # the damaged value was removed: a new plan makes it again from the PDF
                log.warning("%s; planning again", why)
        if plan.records:
            remember_code_versions(instance, state)
        defs.resources["doc_io_manager"].remove(keep=set(manifest))
    return plan, checks


def _execute(defs, instance, plan, log_level: str) -> list[tuple[str, bool, str]]:
    """The runs of a plan, documents before the curated tables; returns the check results."""
    from ..runtime.state import executor_name
    from .sensors import selection_of

    job = defs.resolve_job_def("ingest")
    config = {"loggers": {"console": {"config": {"log_level": log_level}}}}
    runs = [(selection_of(run), run.tags()) for run in plan.runs(one_after_another=True)]
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
    """Execute a run of the `ingest` job of `pipeline.orchestration.definitions` with the configured executor
    (its workers load the same module, configured by the same environment)."""
    from dagster import DagsterEventType, execute_job
    from .dagster_internals import reconstructable_job

    recon = reconstructable_job("pipeline.orchestration.definitions", "defs", "ingest")
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



def recorded_checks(curated: Path, state: Path) -> list[dict]:
    """The check results the last run of `state` recorded (for the curated folder it wrote)."""
    from .definitions import build_definitions
    from .resources import instance_for

    defs = build_definitions(curated_dir=str(curated), state_dir=str(state))
    with instance_for(state) as instance:
        return last_checks(instance, defs)
