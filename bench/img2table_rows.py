"""Run img2table on scanned PDFs and print its tables as JSON (for bench/bench_scan.py).

Runs under the Python of a separate virtual environment with img2table (it needs
opencv-contrib, which must not replace the project's opencv):

    python3 -m venv /tmp/img2table-venv
    /tmp/img2table-venv/bin/pip install -r bench/img2table-requirements.txt
Used the way img2table's README recommends for scanned PDFs: Tesseract backend with
lang="vie", rotation detection, ruled tables (no implicit rows/columns, no borderless
tables), min_confidence 50.

    python bench/img2table_rows.py OUT.json PDF...
"""

from __future__ import annotations

import json
import sys
import time


def main() -> None:
    from img2table.document import PDF
    from img2table.ocr import TesseractOCR

    out, paths = sys.argv[1], sys.argv[2:]
    ocr = TesseractOCR(n_threads=2, lang="vie")
    result = {}
    for path in paths:
        t0 = time.perf_counter()
        pdf = PDF(path, detect_rotation=True, pdf_text_extraction=False)
        tables = pdf.extract_tables(ocr=ocr, implicit_rows=False, implicit_columns=False, borderless_tables=False,
                                    min_confidence=50, max_workers=2)
        pages = {
            str(page + 1): [[[c.value or "" for c in row] for row in t.content.values()] for t in found]
            for page, found in tables.items()
        }
        result[path] = {"seconds": time.perf_counter() - t0, "pages": pages}
        print(f"{path}: {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False)


if __name__ == "__main__":
    main()
