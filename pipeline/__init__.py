"""Dagster orchestration of nhiemvu: definitions, assets, partitions, sensors, IO, checks, CLI.

The only package that imports dagster.
"""
