"""Dagster orchestration: the assets, checks, sensor, resources, IO manager, executors and
Definitions, and the plan of a run read from the Dagster instance. The only part of nhiemvu
that imports Dagster (and its private modules only in `dagster_internals.py`)."""
