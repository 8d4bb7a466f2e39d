"""The layout matrix swept over more seeds than the test draws: every producer, every row-rule kind.

    python -m bench.bench_matrix [--seeds 0:6] [--producers reportlab,libreoffice,...] [--rules all,columns,...]

Layouts come from tests/fixtures/matrix.py (`draw` with the row rules fixed, every other
dimension drawn from the seed), PDFs are read back with `extract_document` and scored with
tests/fixtures/taskscore.py, as tests/tables/test_matrix.py does for three fully ruled
layouts per producer. Prints one line of figures per (producer, row rules), then the whole
sweep per producer, and writes every document's misses to bench/out/matrix.txt.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from extractors.document import extract_document
from tests.fixtures import matrix
from tests.fixtures.taskscore import Scores

OUT = Path(__file__).parent / "out"
SHOWN = ("recall", "precision", "name exact", "cut rows exact", "item_no", "section", "deadline", "pages")


def _range(text: str) -> range:
    a, _, b = text.partition(":")
    return range(int(a), int(b)) if b else range(int(a))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default="0:6", help="first:last (exclusive) seeds per producer and rules")
    ap.add_argument("--producers", default=",".join(matrix.PRODUCERS))
    ap.add_argument("--rules", default=",".join(matrix.RULES))
    args = ap.parse_args()
    seeds = _range(args.seeds)
    OUT.mkdir(exist_ok=True)
    report = []
    print(f"| producer | rules | docs | rows | {' | '.join(SHOWN)} | s/doc |")
    print("|---|---|---|---|" + "---|" * len(SHOWN) + "---|")
    with tempfile.TemporaryDirectory() as tmp:
        for producer in args.producers.split(","):
            if matrix.missing_tools(producer):
                print(f"| {producer} | (missing: {', '.join(matrix.missing_tools(producer))}) |")
                continue
            whole = Scores()
            for rules in args.rules.split(","):
                t0 = time.perf_counter()
                docs = matrix.corpus(producer, seeds, rules=rules)
                rendered = matrix.render(docs, Path(tmp) / f"{producer}-{rules}")
                s = Scores()
                for r in rendered:
                    doc = extract_document(r.pdf)
                    s.add(r.doc.name, r.doc.spec, r.row_pages, doc)
                    whole.add(r.doc.name, r.doc.spec, r.row_pages, doc)
                per_doc = (time.perf_counter() - t0) / max(len(rendered), 1)
                figures = " | ".join(f"{s.rate(m):.3f}" for m in SHOWN)
                print(f"| {producer} | {rules} | {len(rendered)} | {s.counts['recall n']} | {figures} | {per_doc:.1f} |",
                      flush=True)
                report.append(f"== {producer} rules {rules}\n" + s.report(per_doc=8))
                for r in rendered:
                    report.append(f"   {r.doc.name}: {', '.join(r.doc.layout.features())}")
            figures = " | ".join(f"{whole.rate(m):.3f}" for m in SHOWN)
            print(f"| {producer} | every kind | | {whole.counts['recall n']} | {figures} | |", flush=True)
    (OUT / "matrix.txt").write_text("\n".join(report) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
