"""dagster-dask's executor, with its step arguments wrapped so that dask does not walk them.

dask.distributed (2026) parses the arguments of `client.submit` into a task spec and walks
every tuple it finds; Dagster's run and execution state are named tuples holding records
that forbid iteration (`KeyRangesPartitionsSubset` of a run over a range of partitions), so
dagster-dask 0.29 fails on every partitioned run. `DaskRangeExecutor` submits the same
`query_on_dask_worker` call with those arguments inside one opaque object; everything else
(the cluster types of its config, resources per step) is dagster-dask's; `make_cluster`
makes each type as dagster-dask's own `execute` does. A step also waits for every step of
the levels before it, since asset checks have no data input from the assets they check.
"""

from __future__ import annotations

import dask.distributed
from dagster import DagsterEvent, executor
from dagster_dask.executor import (
    DaskExecutor, dask_executor, get_dask_resource_requirements, query_on_dask_worker,
)

from .dagster_internals import iterate_with_context, multiple_process_executor_requirements, raise_execution_interrupts


class _Call:
    """The arguments of one step, out of dask's sight."""

    def __init__(self, *args):
        self.args = args


def _run_step(dependencies, call: _Call):
    return query_on_dask_worker(dependencies, *call.args)


#: dagster-dask's cluster types (`cluster:` in the executor config), as its own `execute` makes them
CLUSTERS = {
    "local": ("dask.distributed", "LocalCluster"), "ssh": ("dask.distributed", "SSHCluster"),
    "yarn": ("dask_yarn", "YarnCluster"), "kube": ("dask_kubernetes", "KubeCluster"),
    **{kind: ("dask_jobqueue", f"{kind.upper()}Cluster") for kind in ("pbs", "sge", "lsf", "slurm", "oar")},
    "moab": ("dask_jobqueue", "MoabCluster"),
}


def make_cluster(cluster_type: str, settings: dict):
    """The cluster a step graph is submitted to: the scheduler's address for `existing`, else a
    cluster of one of dagster-dask's types (its package imported only when it is used)."""
    if cluster_type == "existing":
        return settings["address"]
    if cluster_type not in CLUSTERS:
        raise ValueError(f"unknown dask cluster type {cluster_type!r}: 'existing' or one of {', '.join(sorted(CLUSTERS))}")
    import importlib

    module, name = CLUSTERS[cluster_type]
    return getattr(importlib.import_module(module), name)(**settings)


class DaskRangeExecutor(DaskExecutor):
    def execute(self, plan_context, execution_plan):
        settings = self.cluster_configuration if self.cluster_type == "existing" else self.build_dict(plan_context.job_name)
        cluster = make_cluster(self.cluster_type, settings)
        instance = plan_context.instance
        with dask.distributed.Client(cluster) as client:
            futures, by_key, earlier = [], {}, []
            for level in execution_plan.get_steps_to_execute_by_level():
                # a step waits for every step of the levels before it: an asset check has no data
                # input from the asset it checks, yet must run after it (as in-process execution does)
                deps = list(earlier)
                for step in level:
                    call = _Call(plan_context.reconstructable_job, plan_context.dagster_run, plan_context.run_config,
                                 [step.key], instance.get_ref(), execution_plan.known_state)
                    future = client.submit(_run_step, deps, call, key=f"{plan_context.job_name}.{step.key}",
                                           resources=get_dask_resource_requirements(step.tags), pure=False)
                    futures.append(future)
                    by_key[step.key] = future
                earlier = earlier + [by_key[step.key] for step in level]
            for _, result in iterate_with_context(raise_execution_interrupts,
                                                  dask.distributed.as_completed(futures, with_results=True)):
                for event in result:
                    yield event if isinstance(event, DagsterEvent) else DagsterEvent(**event)


@executor(name="dask", config_schema=dask_executor.config_schema, requirements=multiple_process_executor_requirements())
def dask_range_executor(init_context):
    ((cluster_type, cluster_configuration),) = init_context.executor_config["cluster"].items()
    return DaskRangeExecutor(cluster_type, cluster_configuration)
