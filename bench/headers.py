"""The header corpus swept wider than the tests do: more pages per producer, scans at 100-300 dpi.

    python -m bench.headers --text 200 --docx 40 --scan 12 --dpis 100,150,200,300

Renders `tests/fixtures/headers_corpus.py` cases (reportlab; Word converted by LibreOffice; scans
of the reportlab pages, a number written by hand on every fourth, and of the Word pages at 200 dpi), reads each through the
pipeline's own functions (extract_document, document_records) and prints, per producer and dpi,
the share of pages whose number, date, issuer, type, title and addressees are right, and the
pages that are not, as JSON (also written to bench/out/headers.json). OCR costs about 2-4 s a page.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import tempfile
import time
from pathlib import Path

from tests.fixtures import headers_corpus as hc
from tests.fixtures import render_docx

OUT = Path(__file__).parent / "out"


def _score(pairs, *, scanned: bool) -> dict:
    scores = [hc.score_case(c, d, scanned=scanned) for c, d in pairs]
    wrong = {c.name: {k: [c.truth[f], d[f]] for k, f in (("number", "doc_number"), ("date", "issued_date"),
                                                         ("issuer", "issuer"), ("type", "doc_type"), ("title", "title"))
                      if not s[k]} for (c, d), s in zip(pairs, scores) if not all(s.values())}
    return {"pages": len(pairs), "rates": hc.rates(scores), "wrong": wrong}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--text", type=int, default=120, help="reportlab pages")
    ap.add_argument("--docx", type=int, default=24, help="Word pages converted by LibreOffice")
    ap.add_argument("--scan", type=int, default=8, help="scanned pages per dpi")
    ap.add_argument("--dpis", default="100,150,200,300")
    ap.add_argument("--seed", type=int, default=100)
    args = ap.parse_args()
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        t0 = time.perf_counter()
        pairs = []
        for case in hc.cases(args.text, seed=args.seed):
            hc.render_reportlab(case, out / f"{case.name}.pdf")
            pairs.append((case, hc.read_document(out / f"{case.name}.pdf")))
        results["reportlab"] = _score(pairs, scanned=False)
        if args.docx and not render_docx.missing_tools():
            cases = hc.cases(args.docx, seed=args.seed + 1)
            paths = []
            for case in cases:
                paths.append(out / f"{case.name}.docx")
                hc.build_docx(case, paths[-1])
            pdfs = render_docx.convert(paths, out)
            results["libreoffice"] = _score([(c, hc.read_document(p)) for c, p in zip(cases, pdfs)], scanned=False)
            pairs = []  # the Word pages scanned at 200 dpi
            for case, pdf in list(zip(cases, pdfs))[: args.scan]:
                scan = out / f"{case.name}_lo200.pdf"
                hc.scan_case(case, pdf, scan, dpi=200)
                pairs.append((case, hc.read_document(scan)))
            results["scan-libreoffice-200dpi"] = _score(pairs, scanned=True)
        for k, dpi in enumerate(int(d) for d in args.dpis.split(",")):
            pairs = []
            for i, case in enumerate(hc.cases(args.scan, seed=args.seed + 10 + k)):
                if i % 4 == 3:
                    case = dataclasses.replace(case, number_mode="handwritten")
                pdf, scan = out / f"{case.name}.pdf", out / f"{case.name}_{dpi}.pdf"
                hc.render_reportlab(case, pdf)
                hc.scan_case(case, pdf, scan, dpi=dpi)
                pairs.append((case, hc.read_document(scan)))
            results[f"scan-{dpi}dpi"] = _score(pairs, scanned=True)
        results["seconds"] = round(time.perf_counter() - t0, 1)
    OUT.mkdir(exist_ok=True)
    text = json.dumps(results, ensure_ascii=False, indent=1, default=str)
    (OUT / "headers.json").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
