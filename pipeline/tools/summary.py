"""The summary `nhiemvu run` prints (and gives scripts as JSON with --json): documents read and
rebuilt, their status, pages by method, rows per table, the checks that failed or warned,
the raw folder's entries that were skipped."""

from __future__ import annotations

from pathlib import Path


def summarize(curated: Path, plan, checks, seconds: float, skipped=()) -> dict:
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


def print_summary(s: dict) -> None:
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

