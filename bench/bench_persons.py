"""Lists of persons scanned at 100-300 dpi (tests/fixtures/person_lists.py): names read and curated.

A council's list of members (STT / Họ và tên / Chức vụ / Đơn vị công tác / Chức danh, 20 names, one
in five a name the registry does not hold) is drawn from each seed, rendered, and scanned at 100,
150, 200 and 300 dpi (colour and grey in turn, a seal on the page, tilt and JPEG quality drawn).
Each scan is read as the pipeline reads it and scored with the test's own function
(`person_lists.score_list`: the curated cells of `document_records`). Prints per scan and per
dpi: rows, names exact as read, names exact as curated (mended against the name registry,
normalizers/persons.py), and false mends (a name read right that the mend changed).
tests/scans/test_person_lists.py reads two of these scans. OCR results go to
.cache/bench-persons/ocr.

    python -m bench.bench_persons [--seeds 1:5] [--dpis 100,150,200,300]
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "bench-persons"


def main() -> None:
    from extractors import ocr_cache
    from pipeline.runtime.state import FolderStore
    from tests.fixtures.person_lists import scanned_list, score_list

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default="1:5", help="A:B, the seeds A..B-1")
    ap.add_argument("--dpis", default="100,150,200,300")
    args = ap.parse_args()
    a, b = (int(x) for x in args.seeds.split(":"))
    dpis = [int(x) for x in args.dpis.split(",")]
    ocr_cache.use(FolderStore(CACHE / "ocr"))
    per_dpi: dict[int, Counter] = defaultdict(Counter)
    for seed in range(a, b):
        for k, dpi in enumerate(dpis):
            spec, pdf = scanned_list(seed, dpi, CACHE / "pdf", colour=(seed + k) % 2 == 0)
            f = score_list(spec, pdf)
            print(f"seed {seed} {dpi} dpi: " + ", ".join(f"{m} {v:.3f}" for m, v in f.items()), flush=True)
            per_dpi[dpi].update({**f, "scans": 1})
    print("\ndpi   scans  rows   names exact (read -> curated)   false mends")
    for dpi in dpis:
        c = per_dpi[dpi]
        n = c["scans"]
        print(f"{dpi:<5} {n:<6} {c['rows'] / n:.3f}  {c['names exact'] / n:.3f} -> {c['names exact, curated'] / n:.3f}"
              f"                 {c['false mends']}")


if __name__ == "__main__":
    main()
