"""A long spreadsheet print read back: one logical table, every row exact, cost per page.

`python -m bench.sheet_prints [ROWS] [KIND]` writes a sheet of ROWS rows (default 9,000,
about 300 pages; KIND one of tests/fixtures/spreadsheet.KINDS, default "blocks": the
header on page 1 only, ruled blocks with gaps between them) with openpyxl, prints it
with LibreOffice Calc, reads it with `extract_document` and prints: pages, logical
tables, rows exact, seconds per page, peak memory (this process and its workers).
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from extractors.document import extract_document
from tests.fixtures import spreadsheet


def main() -> None:
    n_rows = int(sys.argv[1]) if len(sys.argv) > 1 else 9000
    kind = sys.argv[2] if len(sys.argv) > 2 else "blocks"
    s = spreadsheet.sheet(kind, n_rows)
    with tempfile.TemporaryDirectory(prefix="nhiemvu-sheet-") as tmp:
        t0 = time.perf_counter()
        (pdf,) = spreadsheet.render([s], Path(tmp), timeout=1800)
        printed = time.perf_counter() - t0
        t0 = time.perf_counter()
        doc = extract_document(pdf)
        read = time.perf_counter() - t0
    norm = lambda t: " ".join(t.split())  # noqa: E731
    got = [tuple(norm(r.text_at(c)) for c in range(t.n_cols)) for t in doc.tables for r in t.rows if r.kind == "data"]
    want = [tuple(norm(c) for c in row) for row in s.rows]
    exact = sum((Counter(got) & Counter(want)).values())
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    print(f"{kind}: {n_rows} rows, {doc.n_pages} pages printed in {printed:.0f} s")
    print(f"logical tables: {len(doc.tables)}; rows exact {exact}/{len(want)} (extracted {len(got)})")
    print(f"read in {read:.0f} s, {read / max(doc.n_pages, 1):.2f} s per page; peak memory {peak / 1024:.0f} MB")


if __name__ == "__main__":
    main()
