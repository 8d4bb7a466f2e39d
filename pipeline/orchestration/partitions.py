"""One dynamic partition per PDF, keyed by the sha256 of its bytes, and the runs over them.

A renamed file keeps its key and is not processed again; a changed file gets a new key.
Partitions are added in sorted order as files appear, so the documents a run must process
(new files, or all of them after an upgrade) are usually one contiguous range of keys,
which one run processes (single-run backfill policy).
"""

from __future__ import annotations

from typing import Sequence

from dagster import DynamicPartitionsDefinition

PDF_PARTITIONS = DynamicPartitionsDefinition(name="pdf")
RANGE_START, RANGE_END = "dagster/asset_partition_range_start", "dagster/asset_partition_range_end"


def contiguous_ranges(order: Sequence[str], wanted: set[str]) -> list[tuple[str, str]]:
    """The maximal runs of consecutive keys of `order` that are all in `wanted`, as (first, last)."""
    ranges: list[tuple[str, str]] = []
    start = prev = None
    for key in order:
        if key in wanted:
            start = key if start is None else start
            prev = key
        elif start is not None:
            ranges.append((start, prev))
            start = None
    if start is not None:
        ranges.append((start, prev))
    return ranges


def range_tags(first: str, last: str) -> dict[str, str]:
    return {RANGE_START: first, RANGE_END: last}
