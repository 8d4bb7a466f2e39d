"""The `nhiemvu` command.

    nhiemvu run  [--raw DIR] [--curated DIR] [--force] [--workers N]   process new, changed or stale PDFs
    nhiemvu dev  [--port 3000]                                         the Dagster UI on 127.0.0.1
    nhiemvu checks [--curated DIR]                                     the result of every check of a folder
    nhiemvu trace ID | --doc NUMBER --item ITEM [--section S]          where a value was printed, as a picture
    nhiemvu report [--out DIR] [--as-of DATE]                          a report to work in (HTML, from disk)
    nhiemvu show TASK_ID [--out DIR]                                   = trace TASK_ID --pages DIR (for scripts)

`run` plans from the raw folder and the Dagster instance (`orchestration/plan.py`): it registers one
partition per file (sha256 of its bytes), reads the documents that are new or were read
by another code version (all with --force), rebuilds their rows, replaces the curated
tables at once, runs their checks and prints a summary. Only one run at a time works on
a state folder; a second one waits for the first.

This module only parses the arguments; each command is a function of `pipeline/tools/`
(`commands.py`: run, checks, show, dev, report; `trace.py`).
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
import warnings
from pathlib import Path

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _date(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def _positive_float(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be positive, got {value}")
    return value


def _local_copies(parser: argparse.ArgumentParser, args) -> None:
    """checks, show, trace and report read local folders: for a URL, the copy `nhiemvu run`
    keeps of it in the state folder (its raw mirror, its curated tables before publishing)."""
    from .runtime.state import home
    from .runtime.remote import local_folder

    for name in ("raw", "curated"):
        value = getattr(args, name, None)
        if isinstance(value, str):
            local = local_folder(home(), name, value)
            if not local.is_dir():
                parser.error(f"{value}: `nhiemvu {args.command}` reads the copy that `nhiemvu run` keeps of it in "
                             f"{home()}, and there is none yet")
            setattr(args, name, local)


class _HelpFormatter(argparse.HelpFormatter):
    """Each option's default in its help, except where there is none to show (None, a flag's
    False) or the help already says it; the description wrapped to the terminal."""

    def _get_help_string(self, action):
        text = action.help or ""
        if "%(default)" in text or "default" in text.lower() or action.default in (None, False, argparse.SUPPRESS) \
                or action.option_strings == []:
            return text
        return text + " (default: %(default)s)"


def _location(text: str) -> Path | str:
    """A folder, or an fsspec URL kept as text (a Path would fold its "//")."""
    from .runtime.remote import is_url

    return text if is_url(text) else Path(text)


def _parser() -> argparse.ArgumentParser:
    from . import __version__
    from .runtime.isolation import Limits
    from .runtime.state import default_curated, default_raw

    # text: argparse converts a default given as text with the argument's type
    raw_default, curated_default = default_raw(), default_curated()
    fmt = _HelpFormatter
    parser = argparse.ArgumentParser(prog="nhiemvu", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"nhiemvu {__version__}")
    parser.add_argument("--log-level", choices=LOG_LEVELS, default="WARNING", help="what the log shows (default WARNING)")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="-v INFO, -vv DEBUG (tracebacks)")
    sub = parser.add_subparsers(dest="command", required=True)
    p_run = sub.add_parser(
        "run", help="process new, changed or stale PDFs and rebuild the curated tables", formatter_class=fmt,
        description="Process the PDFs of the raw folder that are new, changed or read by another code version "
                    "(all of them with --force), rebuild the curated tables at once, run their checks and print a "
                    "summary. Only one run at a time works on a state folder ($DAGSTER_HOME).")
    p_run.add_argument("--raw", type=_location, default=raw_default,
                       help="input folder, or an fsspec URL such as s3://bucket/raw (env NHIEMVU_RAW)")
    p_run.add_argument("--curated", type=_location, default=curated_default,
                       help="output folder, or an fsspec URL such as s3://bucket/curated (env NHIEMVU_CURATED)")
    p_run.add_argument("--force", action="store_true", help="read every file again")
    p_run.add_argument("--workers", type=_positive_int, default=2, help="processes reading documents at once, in all (a document's child and its page or OCR helpers)")
    p_run.add_argument("--doc-timeout", type=_positive_float, default=Limits.seconds, help="seconds one document may take")
    p_run.add_argument("--doc-memory", type=_positive_int, default=Limits.memory_mb, help="MB of memory (address space) one document may take, its child and helpers together")
    p_run.add_argument("--json", action="store_true", help="print the summary as JSON (for scripts)")
    p_checks = sub.add_parser(
        "checks", help="the result of every check of a curated folder, with the names a failing one lists",
        formatter_class=fmt,
        description="Print the result of every check of the curated tables: those the last run recorded when it "
                    "wrote this very folder, otherwise the checks evaluated now on the folder named (the "
                    "stated-counts check needs a run and is then left out, said so). Exit status 1 when a check "
                    "of severity ERROR fails.")
    p_checks.add_argument("--curated", type=_location, default=curated_default, help="output folder (env NHIEMVU_CURATED)")
    p_trace = sub.add_parser(
        "trace", help="where a task, status, link or cell was printed: values, boxes and a PNG", formatter_class=fmt,
        description="Print where a curated value was printed (file, pages, boxes, values; the file's bytes checked "
                    "against its doc_id) and write one PNG: the row of a task filled, the traced cell outlined "
                    "(a status: its status cell; a link: the citation; a cell: that cell). With --doc and --item, a "
                    "document number and an item as printed; when several tasks share the item number they are all "
                    "listed and --section (or a task_id) picks one. `--pages DIR` also writes each whole page of a "
                    "task with its row outlined (what `nhiemvu show` wrote).")
    p_trace.add_argument("id", nargs="?", help="task_id, status_id, link_id, or a cell as doc_id:table_no:row_no:col_no")
    p_trace.add_argument("--doc", help="a document number as printed, e.g. 07/CT-TTg (with --item)")
    p_trace.add_argument("--item", help="an item number as printed, e.g. 12 (with --doc)")
    p_trace.add_argument("--section", help="with --doc and --item: the section (or part) of the task, when the item "
                                           "number occurs in several")
    p_trace.add_argument("--out", type=Path, help="PNG to write (trace_<id>.png when not given)")
    p_trace.add_argument("--pages", type=Path, help="also write one PNG per whole page of the task into this folder")
    p_trace.add_argument("--raw", type=_location, default=raw_default, help="input folder (env NHIEMVU_RAW)")
    p_trace.add_argument("--curated", type=_location, default=curated_default, help="output folder (env NHIEMVU_CURATED)")
    p_show = sub.add_parser(
        "show", help="(kept for scripts) the same as `trace TASK_ID --pages DIR`", formatter_class=fmt,
        description="Write one PNG per page a task occupies, the whole page with the task's row outlined. The same "
                    "as `nhiemvu trace TASK_ID --pages DIR`, which also prints the values and writes the cropped picture.")
    p_show.add_argument("task_id")
    p_show.add_argument("--raw", type=_location, default=raw_default, help="input folder (env NHIEMVU_RAW)")
    p_show.add_argument("--curated", type=_location, default=curated_default, help="output folder (env NHIEMVU_CURATED)")
    p_show.add_argument("--out", type=Path, default=Path("highlights"), help="folder for the PNGs")
    p_report = sub.add_parser(
        "report", help="an HTML report to work in: search, filter and sort the tasks, drill down per agency",
        formatter_class=fmt,
        description="Write a report over the curated tables into a folder (index.html, its script and style, and "
                    "one light picture per page with rows): documents, every task with search, sort and filters "
                    "(agency, status, deadline, document), per-agency drill-down, same-task links, CSV export of "
                    "what is shown, and the problems (failed pages, unmatched agencies, failed checks). Opened from "
                    "disk, no server, no network.")
    p_report.add_argument("--out", type=Path, default=Path("report"), help="folder for index.html and its files")
    p_report.add_argument("--raw", type=_location, default=raw_default, help="input folder (env NHIEMVU_RAW)")
    p_report.add_argument("--curated", type=_location, default=curated_default, help="output folder (env NHIEMVU_CURATED)")
    p_report.add_argument("--no-pictures", action="store_true", help="skip the page pictures (faster)")
    p_report.add_argument("--as-of", type=_date, help="the date 'past due' counts from, YYYY-MM-DD (today when not given)")
    p_dev = sub.add_parser(
        "dev", help="start the Dagster UI on 127.0.0.1", formatter_class=fmt,
        description="Start the Dagster UI and daemon (`dagster dev`) on 127.0.0.1 with the state folder "
                    "($DAGSTER_HOME, default .dagster/) as the instance, configured by the repository's dagster.yaml "
                    "copied there. Ctrl-C or SIGTERM stops every process it started.")
    p_dev.add_argument("--port", type=int, default=3000, help="port of the UI")
    return parser


def main(argv: list[str] | None = None) -> int:
    """The command line's entry point: the process ends when it returns."""
    try:
        return _main(argv)
    finally:
        # The interpreter's last garbage collection walks every object still alive (Dagster's
        # definitions, the run's events): about 0.4 s after a run. Frozen objects are skipped;
        # nothing needs them collected, as the process ends here.
        gc.freeze()


def _main(argv: list[str] | None) -> int:
    # The process-wide settings belong here, in the entry point, and nowhere else.
    os.environ.setdefault("DAGSTER_TELEMETRY_ENABLED", "false")
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    # one "materialization planned" event per asset and run, not one per document: a run of
    # thousands of short letters would otherwise spend much of its time on bookkeeping
    os.environ.setdefault("DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS", "true")
    parser = _parser()
    args = parser.parse_args(argv)
    level = "DEBUG" if args.verbose >= 2 else "INFO" if args.verbose == 1 else args.log_level
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    # Dagster's BetaWarning/PreviewWarning, matched by text so that a run with nothing new
    # need not import Dagster at all
    warnings.filterwarnings("ignore", message=r".* is currently in (beta|preview)")
    from .runtime.isolation import Limits
    from .tools import commands

    if args.command == "run":
        if isinstance(args.raw, Path) and not args.raw.is_dir():
            parser.error(f"raw folder not found: {args.raw}")
        if isinstance(args.raw, str):
            from .runtime.remote import problem

            if (why := problem(args.raw)) is not None:
                parser.error(why)
        return commands.run_command(args.raw, args.curated, force=args.force, workers=args.workers, log_level=level,
                                    limits=Limits(seconds=args.doc_timeout, memory_mb=args.doc_memory), as_json=args.json)
    if args.command != "dev":
        _local_copies(parser, args)
    if args.command == "checks":
        return commands.checks_command(args.curated)
    if args.command == "report":
        return commands.report_command(args.curated, args.raw, args.out, pictures=not args.no_pictures, as_of=args.as_of)
    if args.command == "trace":
        from .tools.trace import trace

        if (args.doc is None) != (args.item is None):
            parser.error("--doc and --item go together")
        if args.section is not None and args.doc is None:
            parser.error("--section goes with --doc and --item")
        trace(args.curated, args.raw, args.id, doc=args.doc, item=args.item, section=args.section, out=args.out,
              pages=args.pages)
        return 0
    if args.command == "show":
        commands.show(args.task_id, args.raw, args.curated, args.out)
        return 0
    return commands.dev(args.port)


if __name__ == "__main__":
    sys.exit(main())
