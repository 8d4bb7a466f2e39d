"""Dagster orchestration of nhiemvu: definitions, assets, partitions, sensors, IO, checks, CLI.

The only package that imports dagster.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("nhiemvu")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
