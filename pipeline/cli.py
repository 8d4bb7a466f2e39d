"""The `nhiemvu` command.

    nhiemvu run [--raw DIR] [--curated DIR] [--force]   process new/changed PDFs, rebuild curated/
    nhiemvu dev [--port 3000]                            the Dagster UI on 127.0.0.1
    nhiemvu show TASK_ID [--out DIR]                     PNG of each page of a task, its row boxed

`run` materializes in-process: it registers one partition per file of the raw folder
(sha256 of its bytes), processes only the partitions not yet processed (all with
--force), rebuilds the curated tables, runs their checks and prints a summary.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import warnings
from pathlib import Path

os.environ.setdefault("DAGSTER_TELEMETRY_ENABLED", "false")
os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def _enter_home() -> Path:
    from .resources import home

    h = home()
    os.environ["DAGSTER_HOME"] = str(h)
    (h / ".dagster").mkdir(parents=True, exist_ok=True)
    if not (h / "dagster.yaml").exists():
        from .resources import PROJECT_ROOT

        (h / "dagster.yaml").write_text((PROJECT_ROOT / "dagster.yaml").read_text())
    os.chdir(h)  # dagster.yaml's relative paths are relative to the working directory
    return h


def run(raw: Path, curated: Path, *, force: bool = False, workers: int = 2, quiet: bool = False) -> dict:
    """Process the raw folder; returns the summary it prints."""
    raw, curated = raw.resolve(), curated.resolve()
    _enter_home()
    warnings.filterwarnings("ignore")
    from dagster import AssetKey, AssetSelection, DagsterInstance, materialize
    from tqdm import tqdm

    from .definitions import build_definitions
    from .partitions import PDF_PARTITIONS
    from .resources import Folders

    defs = build_definitions(str(raw), str(curated), workers)
    instance = DagsterInstance.get()
    manifest = Folders(raw_dir=str(raw), curated_dir=str(curated)).manifest()
    name = PDF_PARTITIONS.name
    known = set(instance.get_dynamic_partitions(name))
    for gone in sorted(known - set(manifest)):
        instance.delete_dynamic_partition(name, gone)
    instance.add_dynamic_partitions(name, sorted(set(manifest) - known))
    done = set() if force else set(instance.get_materialized_partitions(AssetKey("pdf_records")))
    todo = [k for k in sorted(manifest, key=manifest.get) if k not in done]
    assets = [*defs.assets, *defs.asset_checks]  # type: ignore[misc]
    quiet_logs = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
    resources = defs.resources
    doc_assets = AssetSelection.groups("per_document")
    for key in tqdm(todo, desc="documents", unit="pdf", disable=quiet or not todo):
        materialize(assets, selection=doc_assets, partition_key=key, instance=instance, resources=resources, run_config=quiet_logs)
    result = materialize(  # the checks of the curated assets run with them
        assets, selection=AssetSelection.groups("curated"), instance=instance, resources=resources,
        run_config=quiet_logs,
    )
    checks = [
        (f"{e.asset_check_key.asset_key.to_user_string()}:{e.asset_check_key.name}", e.passed, e.severity.value)
        for e in result.get_asset_check_evaluations()
    ]
    summary = _summary(curated, len(todo), checks)
    if not quiet:
        _print_summary(summary)
    return summary


def _summary(curated: Path, processed: int, checks) -> dict:
    import pyarrow.parquet as pq

    docs = pq.read_table(curated / "documents.parquet").to_pylist()
    pages = pq.read_table(curated / "pages.parquet", columns=["method"]).column("method").to_pylist()
    count = lambda name: pq.ParquetFile(curated / f"{name}.parquet").metadata.num_rows  # noqa: E731
    return {
        "processed": processed,
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
        "curated": str(curated),
    }


def _print_summary(s: dict) -> None:
    print(f"\nnhiemvu: {s['processed']} document(s) processed in this run")
    print(f"  documents  {s['documents']}: {s['ok']} ok, {s['partial']} partial, {len(s['failed'])} failed")
    for f, err in s["failed"]:
        print(f"    failed   {f}: {err}")
    print(f"  pages      {s['pages_text']} text, {s['pages_ocr']} ocr, {s['pages_failed']} failed")
    print(f"  tasks      {s['tasks']}   statuses {s['statuses']}   links {s['links']}   cells {s['cells']}")
    if s["checks_failed"]:
        print(f"  checks     FAILED: {', '.join(s['checks_failed'])}")
    else:
        print(f"  checks     {s['checks_run']} run, none failed")
    if s["checks_warned"]:
        print(f"  warnings   {', '.join(s['checks_warned'])} (see the check's metadata in the Dagster UI)")
    print(f"  written to {s['curated']}/*.parquet")


def show(task_id: str, raw: Path, curated: Path, out: Path) -> list[Path]:
    """Write one PNG per page the task occupies, with the task's row outlined."""
    import pyarrow.parquet as pq

    from extractors.highlight import page_with_boxes

    tasks = pq.read_table(curated / "tasks.parquet", filters=[("task_id", "=", task_id)]).to_pylist()
    if not tasks:
        raise SystemExit(f"no task {task_id} in {curated / 'tasks.parquet'}")
    task = tasks[0]
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for span in task["spans"]:
        box = (span["x0"], span["top"], span["x1"], span["bottom"])
        image = page_with_boxes(raw / task["source_file"], span["page"], [box])
        path = out / f"{task_id}_p{span['page']}.png"
        image.save(path)
        written.append(path)
        print(f"{path}  ({task['source_file']}, page {span['page']})")
    return written


def dev(port: int) -> None:
    h = _enter_home()
    cmd = [sys.executable, "-m", "dagster", "dev", "-m", "pipeline.definitions", "-h", "127.0.0.1", "-p", str(port)]
    print(f"Dagster UI on http://127.0.0.1:{port} (DAGSTER_HOME={h})")
    subprocess.run(cmd, check=False)


def main(argv: list[str] | None = None) -> int:
    from .resources import PROJECT_ROOT

    parser = argparse.ArgumentParser(prog="nhiemvu", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p_run = sub.add_parser("run", help="process new or changed PDFs and rebuild the curated tables")
    p_run.add_argument("--raw", type=Path, default=Path(os.environ.get("NHIEMVU_RAW", PROJECT_ROOT / "raw")))
    p_run.add_argument("--curated", type=Path, default=Path(os.environ.get("NHIEMVU_CURATED", PROJECT_ROOT / "curated")))
    p_run.add_argument("--force", action="store_true", help="process every file again")
    p_run.add_argument("--workers", type=int, default=2, help="processes per document (default 2)")
    p_show = sub.add_parser("show", help="PNG of the pages of a task with its row outlined (for auditors)")
    p_show.add_argument("task_id")
    p_show.add_argument("--raw", type=Path, default=Path(os.environ.get("NHIEMVU_RAW", PROJECT_ROOT / "raw")))
    p_show.add_argument("--curated", type=Path, default=Path(os.environ.get("NHIEMVU_CURATED", PROJECT_ROOT / "curated")))
    p_show.add_argument("--out", type=Path, default=Path("highlights"))
    p_dev = sub.add_parser("dev", help="start the Dagster UI on 127.0.0.1")
    p_dev.add_argument("--port", type=int, default=3000)
    args = parser.parse_args(argv)
    if args.command == "run":
        if not args.raw.is_dir():
            parser.error(f"raw folder not found: {args.raw}")
        summary = run(args.raw, args.curated, force=args.force, workers=args.workers)
        return 1 if summary["checks_failed"] else 0
    if args.command == "show":
        show(args.task_id, args.raw, args.curated, args.out)
        return 0
    dev(args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
