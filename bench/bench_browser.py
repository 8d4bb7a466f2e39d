"""Browser prints (headless Chromium) on seeds no test draws.

    python -m bench.bench_browser [--seeds 4242,7,99,2024,31337] [--docs 10] [--keep DIR]

The documents come from tests/fixtures/browser.py (`corpus(seed, n_docs)`: the four border
styles, `<thead>` repeated or the header once, rows cut or kept whole, deadlines merged over
rows, portrait and landscape, the browser's header and footer or none), printed by headless
Chromium, read back with `extract_document` and scored with tests/fixtures/taskscore.py, as
tests/tables/test_browser_prints.py does for its own seeds. Prints one line of figures per seed
and per border style, then the whole sweep, and writes every document's misses to
bench/out/browser.txt. `--keep DIR` keeps the prints there (and prints only the ones missing).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from extractors.document import extract_document
from tests.fixtures import browser
from tests.fixtures.taskscore import METRICS, Scores

OUT = Path(__file__).parent / "out"
SEEDS = (4242, 7, 99, 2024, 31337)


def _line(label: str, s: Scores, seconds: str = "") -> str:
    figures = " | ".join(f"{s.rate(m):.3f}" for m in METRICS)
    return f"| {label} | {s.counts['recall n']} | {figures} | {seconds} |"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default=",".join(map(str, SEEDS)), help="comma-separated seeds of browser.corpus")
    ap.add_argument("--docs", type=int, default=10, help="documents per seed")
    ap.add_argument("--keep", default=None, help="folder to print into and keep (default: a temporary one)")
    args = ap.parse_args()
    if browser.chromium() is None:
        raise SystemExit("Chromium is not installed (Debian: chromium)")
    OUT.mkdir(exist_ok=True)
    whole, by_style, report = Scores(), {st: Scores() for st in browser.STYLES}, []
    print(f"| seed or style | rows | {' | '.join(METRICS)} | s/doc |")
    print("|---|---|" + "---|" * len(METRICS) + "---|")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(args.keep) if args.keep else Path(tmp)
        for seed in (int(x) for x in args.seeds.split(",")):
            t0 = time.perf_counter()
            out = root / f"seed-{seed}"
            out.mkdir(parents=True, exist_ok=True)
            s = Scores()
            docs = browser.corpus(seed=seed, n_docs=args.docs)
            for d in docs:
                pdf = out / f"{d.name}.pdf"
                if not pdf.exists():
                    pdf = browser.print_pdf(d, out)
                name = f"s{seed}/{d.name}"
                rendered = browser.RenderedDoc(replace(d, name=name), pdf, browser.row_pages(pdf, d.spec))
                doc = extract_document(pdf)
                for scores in (s, whole, by_style[d.style]):
                    scores.add(name, d.spec, rendered.row_pages, doc)
                report.append(f"   {name}: {', '.join(d.features)}")
            per_doc = (time.perf_counter() - t0) / max(len(docs), 1)
            print(_line(f"seed {seed}", s, f"{per_doc:.1f}"), flush=True)
    for style, s in by_style.items():
        if s.counts["recall n"]:
            print(_line(style, s))
    print(_line("every seed", whole))
    (OUT / "browser.txt").write_text(whole.report(per_doc=12) + "\n" + "\n".join(report) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
