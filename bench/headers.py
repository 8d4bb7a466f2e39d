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


def _first_page(src: Path, out: Path) -> dict:
    """The documents row of page 1 of `src` alone (the header is there)."""
    import pikepdf

    one = out / f"{src.stem}-p1.pdf"
    with pikepdf.open(src) as pdf:
        del pdf.pages[1:]
        pdf.save(one)
    return hc.read_document(one)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--text", type=int, default=120, help="reportlab pages")
    ap.add_argument("--docx", type=int, default=24, help="Word pages converted by LibreOffice")
    ap.add_argument("--scan", type=int, default=8, help="scanned pages per dpi")
    ap.add_argument("--dpis", default="100,150,200,300")
    ap.add_argument("--seed", type=int, default=100)
    ap.add_argument("--lowres", type=int, default=0, help="scans per dpi with the scan matrix's damage "
                    "(JPEG 30-90, colour/grey, tilt to 2 degrees, a seal over the header on every other pair)")
    ap.add_argument("--lowres-seed", type=int, default=7, help="seed of the --lowres scans (the test's: its pages come first)")
    ap.add_argument("--only-lowres", action="store_true", help="the --lowres scans alone")
    ap.add_argument("--real", type=Path, help="the realworld folder: measure its scans' first pages "
                    "(headers_corpus.REAL_SCANS) as scanned and resampled to each of --dpis below their own")
    ap.add_argument("--keep", type=Path, help="write the pages here (kept) instead of a temporary folder")
    args = ap.parse_args()
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = args.keep or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        if args.lowres:
            by_dpi: dict[int, list] = {}
            dpis = [int(d) for d in args.dpis.split(",")]
            for case, damage in hc.lowres_cases(args.lowres, seed=args.lowres_seed, dpis=dpis):
                pdf, scan = out / f"{case.name}.pdf", out / f"{case.name}_{damage.dpi}_lowres.pdf"
                hc.render_reportlab(case, pdf)
                hc.scan_case(case, pdf, scan, dpi=damage.dpi, damage=damage)
                by_dpi.setdefault(damage.dpi, []).append((case, hc.read_document(scan)))
            for dpi in dpis:
                results[f"lowres-{dpi}dpi"] = _score(by_dpi[dpi], scanned=True)
        if args.real:
            for dpi in [None, *(int(d) for d in args.dpis.split(","))]:
                pairs = []
                for scan in hc.REAL_SCANS:
                    src = args.real / scan.path
                    if dpi is not None and dpi >= scan.native_dpi:
                        continue
                    if dpi is not None:
                        src, dst = out / f"{Path(scan.path).stem}_{dpi}.pdf", src
                        hc.rescan_first_page(dst, src, dpi)
                    pairs.append((scan, hc.read_document(src) if dpi is not None else _first_page(src, out)))
                if pairs:
                    results[f"real-{dpi or 'native'}"] = {
                        "pages": len(pairs), "rates": hc.rates([hc.score_real(s, d) for s, d in pairs]),
                        "read": {s.path: {k: d[k] for k in ("doc_number", "issued_date", "issuer", "doc_type", "title")}
                                 for s, d in pairs}}
        if args.only_lowres:
            args.text = args.docx = 0
            args.dpis = ""
        pairs = []
        for case in hc.cases(args.text, seed=args.seed):
            hc.render_reportlab(case, out / f"{case.name}.pdf")
            pairs.append((case, hc.read_document(out / f"{case.name}.pdf")))
        if pairs:
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
        for k, dpi in enumerate(int(d) for d in args.dpis.split(",") if d):
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
