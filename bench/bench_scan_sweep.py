"""The scan matrix on seeds no test draws: per dpi, the figures of tests/scans/test_scan_matrix.py.

tests/scans/test_scan_matrix.py reads four documents of the scan matrix, drawn from the
variety corpus's seed (tests/fixtures/variety.py `SEED`) and the matrix's damage seed
(tests/fixtures/scan_matrix.py `SEED`). This sweep draws the same kind of documents from
other seeds: the variety corpus's reportlab prints of `--variety-seed`, with the header on
page 1 only and every other one keeping its rows whole over page breaks (as
`scan_matrix._sources`), the prints of at most `--max-pages` pages, then scanned page by
page with `scan_matrix.draw_damage` and `scan_matrix.scanned_page` from `--damage-seed`
(resolution in turn 100/150/200/300 dpi, JPEG quality 30-90, colour and grey, tilt per page
up to 2 degrees, a seal and a signature on every other document, pages fed out of order).
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
from dataclasses import replace
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium

from tests.fixtures import scan, variety
from tests.fixtures.scan_matrix import DPIS, MatrixDoc, draw_damage, scanned_page

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "bench-scan-sweep"
OUT = Path(__file__).parent / "out"
SHOWN = ("recall", "precision", "item_no", "section", "cut rows whole", "pages", "name exact", "name ratio")


def sources(variety_seed: int, n_drawn: int) -> list[variety.VarietyDoc]:
    """Reportlab prints of the variety corpus's generator (`variety.make_doc`) from
    `variety_seed`, as the matrix takes them (header on page 1 only, every other one keeping
    its rows whole over page breaks), with 8-16 task rows each (a few pages: OCR time) and no
    row longer than a page where rows are kept whole (reportlab could not lay it out)."""
    import random

    rng, pools = random.Random(variety_seed), variety.seed_pools()
    out = []
    for k in range(n_drawn):
        split = k % 2 == 0
        plan = {"n_data": rng.randint(8, 16), **({} if split else {"n_very_long": 0})}
        d = variety.make_doc(k, "reportlab", rng, pools, plan=plan)
        out.append(replace(d, options=replace(d.options, repeat_header=False, record_row_pages=True,
                                              split_rows=split)))
    return out


def generate(out: Path, variety_seed: int, damage_seed: int, n: int, max_pages: int) -> list[MatrixDoc]:
    """Up to `n` scanned documents of at most `max_pages` pages (as scan_matrix.generate)."""
    out.mkdir(parents=True, exist_ok=True)
    docs: list[MatrixDoc] = []
    for source in sources(variety_seed, 4 * n):
        if len(docs) == n:
            break
        try:
            r = variety.render_corpus([source], out)[0]
        except RuntimeError as e:  # reportlab cannot lay the document out at any nudge of the font
            print(f"left out: {e}")
            continue
        pdf = pdfium.PdfDocument(str(r.pdf))
        try:
            pages = len(pdf)
            if pages > max_pages:
                continue
            index = len(docs)
            rng = np.random.default_rng([damage_seed, index])
            d = draw_damage(index, pages, r.row_pages, rng, shuffle=not r.doc.options.split_rows)
            jpegs = [scanned_page(pdf[p - 1], d, p, rng) for p in d.order]
        finally:
            pdf.close()
        where = {p: k + 1 for k, p in enumerate(d.order)}
        row_pages = tuple(tuple((where[a], where[b]) for a, b in t) for t in r.row_pages)
        scan_pdf = out / f"{r.doc.name}_m.pdf"
        scan.write_image_pdf(jpegs, scan_pdf, d.dpi)
        docs.append(MatrixDoc(r.doc.name, r.doc.spec, row_pages, d, r.pdf, scan_pdf))
    scan.write_manifest(docs, out)
    return docs


def drawn(variety_seed: int, damage_seed: int, n: int, max_pages: int) -> list[MatrixDoc]:
    """The sweep's documents, generated once per seeds (under .cache/bench-scan-sweep/)."""
    from tests.fixtures.scan_matrix import load, sources_hash

    folder = CACHE / f"{sources_hash()}-v{variety_seed}-d{damage_seed}-n{n}-p{max_pages}"
    if not (folder / scan.MANIFEST).is_file():
        generate(folder, variety_seed, damage_seed, n, max_pages)
    return load(folder)


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
