"""The scan matrix on seeds no test draws: per dpi, the figures of tests/scans/test_scan_matrix.py.

tests/scans/test_scan_matrix.py reads four documents of the scan matrix, drawn from the
variety corpus's seed (tests/fixtures/variety.py `SEED`) and the matrix's damage seed
(tests/fixtures/scan_matrix.py `SEED`). This sweep draws the same kind of documents from
other seeds (tests/fixtures/scan_sweep.py: `--variety-seed` for the prints, `--damage-seed`
for the scans; 8-16 task rows, at most `--max-pages` pages each).
Each scan is read with `extract_document` and scored with the test's own functions
(tests/fixtures/scan_score.py `score`, the test's `section_score` and `one_table_share`).

Prints the figures per dpi and overall, then every miss per document, and writes them to
bench/out/scan_sweep.txt. OCR results go to .cache/bench-scan-sweep/ocr (a rerun, or a
probe of one document with --docs, reads no page again unless the OCR code changed).

    python -m bench.bench_scan_sweep [--variety-seed 7] [--damage-seed 11] [--n 8] [--max-pages 4] [--docs NAME,...]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from tests.fixtures.scan_matrix import DPIS
from tests.fixtures.scan_sweep import drawn

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "bench-scan-sweep"
OUT = Path(__file__).parent / "out"
SHOWN = ("recall", "precision", "item_no", "section", "cut rows whole", "pages", "name exact", "name ratio")


def main() -> None:
    from extractors import ocr_cache
    from extractors.document import extract_document
    from pipeline.runtime.state import FolderStore
    from tests.fixtures.scan_score import ScanScores, as_curated, curated_tasks, expected_tasks, score
    from tests.scans.test_scan_matrix import one_table_share, section_score

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--variety-seed", type=int, default=7)
    ap.add_argument("--damage-seed", type=int, default=11)
    ap.add_argument("--n", type=int, default=8, help="documents drawn")
    ap.add_argument("--max-pages", type=int, default=4)
    ap.add_argument("--docs", default="", help="only these documents of the draw (a probe)")
    args = ap.parse_args()
    ocr_cache.use(FolderStore(CACHE / "ocr"))
    docs = drawn(args.variety_seed, args.damage_seed, args.n, args.max_pages)
    if args.docs:
        docs = [d for d in docs if d.name in args.docs.split(",")]
    print(f"{len(docs)} documents, {sum(d.n_pages for d in docs)} pages "
          f"(variety seed {args.variety_seed}, damage seed {args.damage_seed})", flush=True)
    per_dpi = {dpi: ScanScores() for dpi in DPIS}
    whole = ScanScores()
    extracted, lines = {}, []
    for d in docs:
        t0 = time.perf_counter()
        extracted[d.name] = doc = extract_document(d.scan_pdf)
        x = d.damage
        lines.append(f"{d.name}: {x.dpi} dpi q{x.quality} {'colour' if x.colour else 'grey'} order {x.order} "
                     f"seal p{x.seal_page} tilt {x.angles}; {len(doc.tables)} tables for "
                     f"{len(d.spec['appendix']['tables'])}; {time.perf_counter() - t0:.0f} s")
        for s in (per_dpi[x.dpi], whole):
            score(s, d.name, as_curated(expected_tasks(d.spec, d.row_pages)), curated_tasks(doc))
            section_score(s, d.name, d, doc)
        print(lines[-1], flush=True)
    print(f"\n| dpi | docs | rows | {' | '.join(SHOWN)} | one table per table |")
    print("|---|---|---|" + "---|" * len(SHOWN) + "---|")
    for dpi, s in [*per_dpi.items(), ("all", whole)]:
        chosen = [d for d in docs if dpi == "all" or d.damage.dpi == dpi]
        if not chosen:
            continue
        figures = " | ".join(f"{s.rate(m):.3f}" for m in SHOWN)
        one = one_table_share(chosen, extracted)
        print(f"| {dpi} | {len(chosen)} | {s.counts.get('recall n', '')} | {figures} | {one:.3f} |")
    OUT.mkdir(exist_ok=True)
    text = "\n".join(lines) + "\n\n" + whole.report(per_doc=1000)
    (OUT / "scan_sweep.txt").write_text(text + "\n", encoding="utf-8")
    structure = [m for m in whole.misses.values() for m in m if not m.startswith(("name exact", "deadline", "lead"))]
    print(f"\n{len(structure)} misses of the structure (every miss: bench/out/scan_sweep.txt)")
    for doc, misses in whole.misses.items():
        for m in misses:
            if not m.startswith(("name exact", "deadline", "lead")):
                print(f"  {doc}: {m[:160]}")


if __name__ == "__main__":
    main()
