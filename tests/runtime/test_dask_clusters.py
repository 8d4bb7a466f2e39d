"""The dask executor makes every cluster type of dagster-dask's config, as dagster-dask does."""

from __future__ import annotations

import pytest
from dagster_dask.executor import dask_executor

from pipeline.orchestration.dask_executor import CLUSTERS, make_cluster


def test_every_cluster_type_of_the_config_is_made():
    types = set(dask_executor.config_schema.as_field().config_type.fields["cluster"].config_type.fields)
    assert types == set(CLUSTERS) | {"existing"}


def test_an_existing_cluster_is_its_scheduler_address():
    assert make_cluster("existing", {"address": "tcp://127.0.0.1:8786"}) == "tcp://127.0.0.1:8786"


def test_a_cluster_of_a_package_not_installed_says_which():
    with pytest.raises(ModuleNotFoundError, match="dask_yarn"):
        make_cluster("yarn", {})


def test_an_unknown_type_is_refused():
    with pytest.raises(ValueError, match="unknown dask cluster type"):
        make_cluster("hadoop", {})
