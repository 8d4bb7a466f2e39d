"""A long spreadsheet print read back: one logical table, every row exact, cost per page.

`python -m bench.sheet_prints [ROWS] [KIND]` writes a sheet of ROWS rows (default 9,000,
about 300 pages; 30,000 rows make about 1,000; KIND one of tests/fixtures/spreadsheet.KINDS,
default "blocks": the header on page 1 only, ruled blocks with gaps between them) with
openpyxl, prints it with LibreOffice Calc, reads it with `extract_document` and prints:
pages, logical tables, rows exact, seconds (wall and CPU) per page, peak memory.

The reading runs in a fresh child process, so that its peak memory is its own: the
child's high-water mark (VmHWM) and its page workers' (RUSAGE_CHILDREN in the child),
main + 2 workers as the bound of the total (LibreOffice, a child of this process, does
not count). Before this work the same sheet of 1,000 pages showed a peak of 626 MB as
`max(ru_maxrss of this process, of its children)` (`TODAY_PEAK_MB`), with the page
workers holding half the document each.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORKERS = 2
TODAY_PEAK_MB = 626  # 1,000 pages, before this work (see the docstring)


def _vm_hwm_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def read(pdf: Path, kind: str, n_rows: int) -> None:
    """In the child: read the print, score its rows, print what it cost as JSON."""
    from extractors.document import extract_document
    from tests.fixtures import spreadsheet

    s = spreadsheet.sheet(kind, n_rows)
    t0, c0 = time.perf_counter(), time.process_time()
    doc = extract_document(pdf, workers=WORKERS)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0 + children.ru_utime + children.ru_stime
    norm = lambda t: " ".join(t.split())  # noqa: E731
    got = [tuple(norm(r.text_at(c)) for c in range(t.n_cols)) for t in doc.tables for r in t.rows if r.kind == "data"]
    want = [tuple(norm(c) for c in row) for row in s.rows]
    exact = sum((Counter(got) & Counter(want)).values())
    print(json.dumps({"pages": doc.n_pages, "tables": len(doc.tables), "exact": exact, "want": len(want), "got": len(got),
                      "wall": wall, "cpu": cpu, "peak_main_mb": _vm_hwm_mb(), "peak_worker_mb": children.ru_maxrss / 1024}))


def main(argv: list[str]) -> None:
    if argv[:1] == ["--read"]:
        return read(Path(argv[1]), argv[2], int(argv[3]))
    from tests.fixtures import spreadsheet

    n_rows = int(argv[0]) if argv else 9000
    kind = argv[1] if len(argv) > 1 else "blocks"
    s = spreadsheet.sheet(kind, n_rows)
    with tempfile.TemporaryDirectory(prefix="nhiemvu-sheet-") as tmp:
        t0 = time.perf_counter()
        (pdf,) = spreadsheet.render([s], Path(tmp), timeout=1800)
        printed = time.perf_counter() - t0
        run = subprocess.run([sys.executable, "-m", "bench.sheet_prints", "--read", str(pdf), kind, str(n_rows)],
                             cwd=ROOT, capture_output=True, text=True, check=True)
    r = json.loads(run.stdout.strip().splitlines()[-1])
    pages = max(r["pages"], 1)
    total = r["peak_main_mb"] + WORKERS * r["peak_worker_mb"]
    print(f"{kind}: {n_rows} rows, {r['pages']} pages printed in {printed:.0f} s")
    print(f"logical tables: {r['tables']}; rows exact {r['exact']}/{r['want']} (extracted {r['got']})")
    print(f"read in {r['wall']:.0f} s ({r['wall'] / pages * 1000:.0f} ms per page), CPU {r['cpu']:.0f} s "
          f"({r['cpu'] / pages * 1000:.0f} ms per page, main and {WORKERS} workers)")
    print(f"peak memory: main {r['peak_main_mb']:.0f} MB, worker {r['peak_worker_mb']:.0f} MB, "
          f"main + {WORKERS} workers <= {total:.0f} MB (before this work, at 1,000 pages: {TODAY_PEAK_MB} MB "
          f"as the larger of the process's and one child's peak)")


if __name__ == "__main__":
    main(sys.argv[1:])
