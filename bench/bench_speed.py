"""Speed of our per-document path against pdfplumber and camelot, and memory/scaling of ours.

    python -m bench.bench_speed            # everything, one run (a few minutes on 2 cores)
    python -m bench.bench_speed --quick    # sample corpus only, no camelot

Files: the text PDFs of the sample corpus (raw/*.pdf without *_scan.pdf) and a
generated long document (one task table over all pages, bench/longdoc.py) cut to 30,
300 and 1,000 pages.

1. Speed, per file and in total, one tool after the other on the same files (the
   sample corpus, then the 300-page document on its own):
   - ours: the pipeline's per-document work without Dagster: sha256 of the file,
     `extract_document(path, workers=2)`, `document_records`, `pipeline.runtime.parts.build` for the
     one document (the builder of a run), every curated table written as zstd Parquet;
   - ours_1w: the same with one process (workers=1), for a per-core comparison;
   - pdfplumber: `page.extract_tables()` on every page, one process;
   - camelot: `read_pdf(path, pages="all", flavor="lattice")` (pdfium backend).
2. Memory and scaling (run first, while this process is still small): our path on
   the first 30, 300 and all 1,000 pages of the long document, each in a fresh
   subprocess, and seconds per page. Peak RSS: the child's own high-water mark
   (VmHWM in /proc/self/status), its worker processes' (RUSAGE_CHILDREN in the child)
   and RUSAGE_CHILDREN seen here. Linux carries the parent's peak RSS over into a
   child's ru_maxrss at exec, so ru_maxrss figures are never below this process's own
   peak; VmHWM is not affected. Targets: 300 and 1,000 pages under 1 GB in all (main +
   workers), s/page(300) and s/page(1000) <= ~1.1 x s/page(30).

CPU time. The machine is shared, so wall time under load says little: every tool's
CPU seconds are measured too (this process's `process_time` plus the CPU of the worker
processes it reaped, `RUSAGE_CHILDREN`) and compared per page, side by side in one run.

Today's figures beside the new ones. `--before REV` also runs our path as it was at git
revision REV (its files unpacked with `git archive` into bench/out/before-REV/, run in a
child process with that tree first on the path), on the same files in the same run; and
the figures the issue (issue 11) measured before this work are printed as they were
(`TODAY`).

Results go to stdout and bench/out/bench_speed.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "raw"
OUT = Path(__file__).resolve().parent / "out"
WORKERS = 2
SCALING_SIZES = (30, 300, 1000)
TARGET_PEAK_MB = 1024
TARGET_SCALING = 1.1
SCALING_REPEAT = 2  # runs per size; the fastest counts (other work on the machine adds noise)
# What issue 11 measured before this work (whole pipeline, `nhiemvu run` from a fresh Dagster
# home, median of 3 whole processes, quiet machine; ten documents of 8-30 pages, 127 pages),
# and bench/sheet_prints.py on a 1,000-page sheet then.
TODAY = {
    "short documents": "whole pipeline 21.1 s vs pdfplumber 9.5 s = 2.2x (wall)",
    "300 pages": "whole pipeline 22 s vs pdfplumber 19 s = 1.16x (299 pages, wall)",
    "sheet print, 1,000 pages": "peak 626 MB (ru_maxrss of the process or of one worker)",
}
TARGET_RATIO = 0.8  # ours at most this times pdfplumber's extract_tables


def corpus_files() -> list[Path]:
    return sorted(p for p in RAW.glob("*.pdf") if not p.stem.endswith("_scan"))


def n_pages(path: Path) -> int:
    import pypdfium2 as pdfium

    return len(pdfium.PdfDocument(path))


# ---------------------------------------------------------------- the three tools


def ours(path: Path, workers: int = WORKERS) -> dict:
    """The per-document path of the pipeline, written to a temporary folder; row counts and stage times."""
    import pyarrow.parquet as pq

    from extractors.document import extract_document
    from extractors.pdf import sha256_file
    from normalizers.records import document_records
    from pipeline.runtime.parts import GivenRecords, build

    t0 = time.perf_counter()
    doc_id = sha256_file(path)
    doc = extract_document(path, workers=workers)
    t1 = time.perf_counter()
    records = document_records(doc_id, doc)
    curated = build({doc_id: path.name}, GivenRecords({doc_id: records}), "bench").tables  # what a run builds
    t2 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="nhiemvu-bench-") as tmp:
        for name, table in curated.items():
            pq.write_table(table, Path(tmp) / f"{name}.parquet", compression="zstd")
    t3 = time.perf_counter()
    counts = {name: table.num_rows for name, table in curated.items() if name != "agencies"}
    return {**counts, "stages": {"extract": t1 - t0, "normalize": t2 - t1, "parquet": t3 - t2}}


def pdfplumber_tables(path: Path) -> dict:
    import pdfplumber

    n = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            n += len(page.extract_tables())
            page.close()
    return {"tables": n}


def camelot_tables(path: Path) -> dict:
    import camelot

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tables = camelot.read_pdf(str(path), pages="all", flavor="lattice", backend="pdfium", use_fallback=False)
    return {"tables": len(tables)}


def ours_one_worker(path: Path) -> dict:
    return ours(path, workers=1)


TOOLS = {"ours": ours, "ours_1w": ours_one_worker, "pdfplumber": pdfplumber_tables, "camelot": camelot_tables}


def cpu_seconds() -> float:
    """CPU seconds of this process and of the children it has reaped (a pool's workers, once shut down)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed(fn, path: Path) -> tuple[float, dict]:
    t0, c0 = time.perf_counter(), cpu_seconds()
    out = fn(path)
    return time.perf_counter() - t0, {**out, "cpu": cpu_seconds() - c0}


# ---------------------------------------------------------------- memory and scaling


def _vm_hwm_mb() -> float:
    """This process's peak resident set size (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(path: Path) -> None:
    """Run our path once on `path` and print what it cost (in a fresh process)."""
    seconds, counts = timed(ours, path)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "counts": counts, "peak_main_mb": _vm_hwm_mb(), "peak_worker_mb": workers}))


def measure(path: Path) -> dict:
    """Our path on `path` in a subprocess: time, peak RSS, seconds per page."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    run = subprocess.run([sys.executable, "-m", "bench.bench_speed", "--child", str(path)],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    res = json.loads(run.stdout.strip().splitlines()[-1])
    pages = n_pages(path)
    res.update(
        pages=pages,
        s_per_page=res["seconds"] / pages,
        # a running maximum over all children so far (and never below this process's peak)
        peak_children_mb=after if after > before else None,
        # the main process and its workers run at the same time: their sum bounds the total
        peak_total_bound_mb=res["peak_main_mb"] + WORKERS * res["peak_worker_mb"],
    )
    return res


# ---------------------------------------------------------------- report


def warm() -> None:
    """Import what our path uses, so that no tool's first file pays for imports."""
    import pdfplumber  # noqa: F401
    import pyarrow.parquet  # noqa: F401

    import extractors.document  # noqa: F401
    import normalizers.corpus  # noqa: F401
    import normalizers.records  # noqa: F401
    import normalizers.schema  # noqa: F401


def tree_child(files: list[str]) -> None:
    """In a child whose working folder is an older tree: our path there (one process) on each file."""
    warm()
    out = {}
    for f in files:
        seconds, res = timed(ours_one_worker, Path(f))
        out[Path(f).name] = {"seconds": seconds, "cpu": res["cpu"]}
    print(json.dumps(out))


def before_tree(rev: str) -> Path:
    """The files of git revision `rev`, unpacked once into bench/out/before-<rev>/."""
    tree = OUT / f"before-{rev}"
    if not (tree / "extractors").is_dir():
        tree.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


def run_before(tree: Path, files: list[Path]) -> dict:
    """Our path as it was (the tree's extractors and normalizers) on `files`, in one child process."""
    code = ("import importlib.util, sys; spec = importlib.util.spec_from_file_location('bench_now', sys.argv[1]); "
            "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m); m.tree_child(sys.argv[2:])")
    run = subprocess.run([sys.executable, "-c", code, str(Path(__file__).resolve()), *map(str, files)],
                         cwd=tree, capture_output=True, text=True, check=True, env={**os.environ, "PYTHONPATH": str(tree)})
    return json.loads(run.stdout.strip().splitlines()[-1])


def speed(files: list[Path], tools: list[str], before: Path | None = None) -> dict:
    """Every tool on every file, one after the other; per-file and total pages/s (wall) and
    CPU ms per page; ratios to pdfplumber. With `before`, our one-process path as it was."""
    warm()
    rows = {}
    print(f"{'file':28s} {'pages':>5s}" + "".join(f" | {t + ' s':>12s} {'p/s':>6s} {'cpu ms/p':>8s}" for t in tools), flush=True)
    for path in files:
        pages = n_pages(path)
        row = {"pages": pages}
        for tool in tools:
            seconds, out = timed(TOOLS[tool], path)
            row[tool] = {"seconds": seconds, "pages_per_s": pages / seconds, **out}
        rows[path.name] = row
        print(f"{path.name:28s} {pages:5d}" + "".join(
            f" | {row[t]['seconds']:12.2f} {row[t]['pages_per_s']:6.1f} {1000 * row[t]['cpu'] / pages:8.1f}" for t in tools), flush=True)
    if before is not None:
        then = run_before(before, files)
        for name, row in rows.items():
            row["before_1w"] = then[name]
        tools = [*tools, "before_1w"]
    total_pages = sum(r["pages"] for r in rows.values())
    totals = {t: sum(r[t]["seconds"] for r in rows.values()) for t in tools}
    cpu = {t: sum(r[t]["cpu"] for r in rows.values()) for t in tools}
    print(f"{'TOTAL':28s} {total_pages:5d}" + "".join(
        f" | {totals[t]:12.2f} {total_pages / totals[t]:6.1f} {1000 * cpu[t] / total_pages:8.1f}" for t in tools if t != "before_1w"))
    stages = {k: sum(r["ours"]["stages"][k] for r in rows.values()) for k in ("extract", "normalize", "parquet")}
    print("ours by stage (wall): " + ", ".join(f"{k} {v:.2f} s" for k, v in stages.items()))
    for t in tools[1:]:
        print(f"ours (2 workers) runs at {totals[t] / totals['ours']:.2f}x the pages/s of {t} (wall)")
    ratios = {}
    if "pdfplumber" in tools:
        base = cpu["pdfplumber"]
        print(f"CPU per page against pdfplumber's extract_tables ({1000 * base / total_pages:.1f} ms/page), target <= {TARGET_RATIO}x:")
        for t in tools:
            if t.startswith(("ours", "before")):
                ratios[t] = cpu[t] / base
                label = {"ours": "ours, 2 workers (CPU of both)", "ours_1w": "ours, 1 process",
                         "before_1w": "ours as it was, 1 process"}[t]
                print(f"  {label:32s} {1000 * cpu[t] / total_pages:6.1f} ms/page = {ratios[t]:.2f}x")
        print(f"  ours, 2 workers, wall time: {totals['ours'] / totals['pdfplumber']:.2f}x pdfplumber's")
    return {"files": rows, "total_pages": total_pages, "total_seconds": totals, "total_cpu": cpu, "ours_stages": stages,
            "speedup_vs": {t: totals[t] / totals["ours"] for t in tools[1:]}, "cpu_ratio_vs_pdfplumber": ratios}


def best_of(path: Path, repeat: int) -> dict:
    """`measure` repeated: the fastest run's time, the largest peaks."""
    runs = [measure(path) for _ in range(repeat)]
    best = min(runs, key=lambda r: r["seconds"])
    for key in ("peak_main_mb", "peak_worker_mb", "peak_total_bound_mb"):
        best[key] = max(r[key] for r in runs)
    best["all_seconds"] = [r["seconds"] for r in runs]
    return best


def scaling(paths: dict[int, Path], repeat: int = SCALING_REPEAT) -> dict:
    runs = {n: best_of(p, repeat) for n, p in sorted(paths.items())}
    for n, r in runs.items():
        seen = f"{r['peak_children_mb']:.0f} MB" if r["peak_children_mb"] else "not above earlier runs"
        print(f"{n:4d} pages: {r['seconds']:6.1f} s (best of {repeat}), {r['s_per_page'] * 1000:6.1f} ms/page; peak RSS main {r['peak_main_mb']:.0f} MB, "
              f"worker {r['peak_worker_mb']:.0f} MB, main+{WORKERS} workers <= {r['peak_total_bound_mb']:.0f} MB; RUSAGE_CHILDREN here {seen}")
    sizes = sorted(runs)
    small = runs[sizes[0]]
    ratios = {}
    for n in sizes[1:]:
        big = runs[n]
        ratios[str(n)] = ratio = big["s_per_page"] / small["s_per_page"]
        ok_mem = big["peak_total_bound_mb"] < TARGET_PEAK_MB
        print(f"per-page cost {n} vs {sizes[0]} pages: {ratio:.2f}x (target <= {TARGET_SCALING}); "
              f"peak {big['peak_total_bound_mb']:.0f} MB (target < {TARGET_PEAK_MB} MB): {'ok' if ok_mem else 'OVER'}")
    ok_mem = all(r["peak_total_bound_mb"] < TARGET_PEAK_MB for r in runs.values())
    return {"runs": {str(n): r for n, r in runs.items()}, "per_page_ratio": ratios, "memory_ok": ok_mem}


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="sample corpus only, without camelot and the scaling runs")
    parser.add_argument("--before", metavar="REV", help="also run our path as it was at git revision REV (e.g. a3f8a3b)")
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child)
    from .longdoc import long_pdfs

    t0 = time.perf_counter()
    files = corpus_files()
    long = long_pdfs(SCALING_SIZES, OUT)
    result: dict = {"workers": WORKERS, "load_before": os.getloadavg()}
    print(f"load average before: {' '.join(f'{x:.2f}' for x in result['load_before'])} (other work on the 2 cores slows every tool)")
    if not args.quick:
        result["scaling"] = scaling(long)
        print()
    tools = ["ours", "ours_1w", "pdfplumber"] if args.quick else list(TOOLS)
    before = before_tree(args.before) if args.before else None
    short = speed(files, tools, before)
    print()
    result["speed"] = {"short": short}
    if not args.quick:
        result["speed"]["long"] = speed([long[300]], tools, before)
        print()
    print("Before this work (issue 11), for comparison:")
    for what, figure in TODAY.items():
        print(f"  {what:26s} {figure}")
    result["load_after"] = os.getloadavg()
    print(f"run time {time.perf_counter() - t0:.0f} s; load average after: {' '.join(f'{x:.2f}' for x in result['load_after'])}")
    OUT.mkdir(exist_ok=True)
    (OUT / "bench_speed.json").write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
