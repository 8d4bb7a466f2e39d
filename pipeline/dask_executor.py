"""dagster-dask's executor, with its step arguments wrapped so that dask does not walk them.

dask.distributed (2026) parses the arguments of `client.submit` into a task spec and walks
every tuple it finds; Dagster's run and execution state are named tuples holding records
that forbid iteration (`KeyRangesPartitionsSubset` of a run over a range of partitions), so
dagster-dask 0.29 fails on every partitioned run. `DaskRangeExecutor` submits the same
`query_on_dask_worker` call with those arguments inside one opaque object; everything else
(cluster types, resources per step) is dagster-dask's. A step also waits for every step of
the levels before it, since asset checks have no data input from the assets they check.
"""

from __future__ import annotations

import dask.distributed
from dagster import DagsterEvent, executor
from dagster._core.definitions.executor_definition import multiple_process_executor_requirements
from dagster._core.errors import raise_execution_interrupts
from dagster._utils import iterate_with_context
from dagster_dask.executor import (
    DaskExecutor, dask_executor, get_dask_resource_requirements, query_on_dask_worker,
)


class _Call:
    """The arguments of one step, out of dask's sight."""

    def __init__(self, *args):
        self.args = args


def _run_step(dependencies, call: _Call):
    return query_on_dask_worker(dependencies, *call.args)


class DaskRangeExecutor(DaskExecutor):
    def execute(self, plan_context, execution_plan):
        cluster = self.cluster_configuration["address"] if self.cluster_type == "existing" else None
        if cluster is None:
            from dask.distributed import LocalCluster

            cluster = LocalCluster(**self.build_dict(plan_context.job_name))
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
