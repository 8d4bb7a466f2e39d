"""Scanned PDFs: our OCR path against `tesseract -l vie` alone, and against img2table 2, same files.

On documents of the scanned corpus (tests/fixtures/scan_corpus.py), in one run:

- speed: our OCR path (`extractors.ocr.ocr_scanned_pages`: render, turn upright,
  deskew, grid, Tesseract cell by cell; an empty cache) against bare
  `tesseract IMAGE - -l vie` on the very page images our path renders (300 dpi PNG),
  both with two processes at a time (both cores) and one OpenMP thread each; then the
  same extraction again, which must OCR nothing (pages read / found in the cache);
- accuracy, the measures of tests/fixtures/scan_score.py against the text twins'
  ground truth: ours (`extract_document`, and with `normalizers.repair` applied to
  item numbers, names and deadlines, as the records are to do), and img2table 2.0.0 with its Tesseract
  backend (lang="vie"), as its README recommends for scanned PDFs
  (bench/img2table_rows.py, run by the Python given with --img2table-python: a
  separate virtual environment made from bench/img2table-requirements.txt, since
  img2table needs opencv-contrib, which must not replace the project's opencv).

With --matrix, the documents are those of the scan matrix (tests/fixtures/scan_matrix.py:
100/150/200/300 dpi, JPEG quality 30-90, colour and grey, tilt per page, seals, pages fed
out of order, header on page 1 only; --docs all: every document of it, else its `SMALL`
selection), and the speed comparison is left out.

    python -m bench.bench_scan [--matrix] [--docs NAME,...] [--img2table-python PATH] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

DEFAULT_DOCS = ("552_TB-VPCP_PL2", "v06_plan7_reportlab", "v24_plan6_reportlab", "v31_plan6_libreoffice",
                "v33_report5_libreoffice", "v18_short4_reportlab")
HERE = Path(__file__).parent


def _tesseract_alone(images: list[Path]) -> float:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def one(img: Path) -> None:
        subprocess.run(["tesseract", str(img), "-", "-l", "vie"], env=env, capture_output=True, check=True)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(one, images))
    return time.perf_counter() - t0


def speed(docs, tmp: Path) -> dict:
    import cv2

    from extractors import ocr, ocr_cache
    from pipeline.runtime.state import FolderStore

    images = []
    for d in docs:
        for n in range(1, d.n_pages + 1):
            img = tmp / f"{d.name}-{n}.png"
            cv2.imwrite(str(img), ocr.render_page(d.scan_pdf, n, 300)[:, :, ::-1])
            images.append(img)
    ocr_cache.use(FolderStore(tmp / "cache"))  # empty: every page read (and found by the accuracy part)
    before = ocr.STATS.copy()
    t0 = time.perf_counter()
    for d in docs:
        ocr.ocr_scanned_pages(d.scan_pdf, list(range(1, d.n_pages + 1)))
    ours = time.perf_counter() - t0
    first = ocr.STATS - before
    alone = _tesseract_alone(images)
    return {"pages": len(images), "ours_s": round(ours, 1), "tesseract_alone_s": round(alone, 1),
            "ours_per_page_s": round(ours / len(images), 2), "tesseract_per_page_s": round(alone / len(images), 2),
            "ratio": round(ours / alone, 2), "first_run_ocr": first["ocr"]}


def ours_scores(docs, repaired: bool):
    from extractors import ocr
    from extractors.document import extract_document
    from normalizers.repair import repair_item_numbers, repair_text
    from tests.fixtures.scan_score import ScanScores, Task, expected_tasks, extracted_tasks, score

    s = ScanScores()
    before = ocr.STATS.copy()
    t0 = time.perf_counter()
    for d in docs:
        got = extracted_tasks(extract_document(d.scan_pdf))
        if repaired:
            items = repair_item_numbers([t.item_no for t in got])
            got = [Task(i, repair_text(t.name), _mend_deadline(t.fields), t.pages) for t, i in zip(got, items)]
        score(s, d.name, expected_tasks(d.spec, d.row_pages), got)
    delta = ocr.STATS - before
    return s, {"seconds": round(time.perf_counter() - t0, 1), "ocr": delta["ocr"], "cached": delta["cached"]}


def _mend_deadline(fields: dict) -> dict:
    from normalizers.repair import repair_deadline_text

    return {**fields, "deadline": repair_deadline_text(fields["deadline"])} if "deadline" in fields else fields


def img2table_tasks(pages: dict) -> list:
    """Task rows from img2table's tables: per table, the header row names the columns
    (or the last header seen with as many columns); every other row with text in the
    task column is a task, its item number as read (img2table does not join tables
    across pages: each piece of a cut row is a row; a section row fills every cell alike)."""
    from extractors.headers import column_roles, looks_like_header
    from tests.fixtures.scan_score import Task, _fields, norm

    out, roles_by_width = [], {}
    for page in sorted(pages, key=int):
        for rows in pages[page]:
            roles = None
            for row in rows:
                cells = [norm(c) for c in row]
                if looks_like_header(cells):
                    roles = column_roles(cells)
                    roles_by_width[len(cells)] = roles
                    continue
                roles = roles or roles_by_width.get(len(cells)) or column_roles([])
                item = roles.index("item_no") if "item_no" in roles else 0
                name = roles.index("name") if "name" in roles else 1
                if len(cells) <= max(item, name) or not cells[name] or len(set(cells)) == 1:
                    continue
                out.append(Task(cells[item], cells[name], _fields(roles, cells), (int(page), int(page))))
    return out


def img2table_scores(docs, python: str, tmp: Path):
    from tests.fixtures.scan_score import ScanScores, expected_tasks, score

    out = tmp / "img2table.json"
    t0 = time.perf_counter()
    subprocess.run([python, str(HERE / "img2table_rows.py"), str(out), *[str(d.scan_pdf) for d in docs]],
                   check=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    seconds = time.perf_counter() - t0
    found = json.loads(out.read_text(encoding="utf-8"))
    s = ScanScores()
    for d in docs:
        score(s, d.name, expected_tasks(d.spec, d.row_pages), img2table_tasks(found[str(d.scan_pdf)]["pages"]))
    return s, {"seconds": round(seconds, 1)}


def real_list_rows(python: str | None, tmp: Path) -> dict:
    """The real office scan of tests/fixtures/groundtruth-real/ttr409.json (its list of 15
    rows over two pages fed out of order): rows found (name at ratio >= 80) and names exact,
    ours and img2table's."""
    from rapidfuzz import fuzz

    from extractors.document import extract_document

    truth_file = HERE.parent / "tests" / "fixtures" / "groundtruth-real" / "ttr409.json"
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    path = HERE.parent.parent / "shared" / "realworld" / truth["file"]
    if not path.is_file():
        path = Path(os.environ.get("NHIEMVU_REALWORLD", "")) / truth["file"]
    names = [r["cells"][1] for r in truth["rows"]]

    def found(cells_of_rows: list[list[str]]) -> dict:
        got = [" ".join(c.split()) for row in cells_of_rows for c in row[1:2]]
        hit = sum(any(fuzz.ratio(n, g) >= 80 for g in got) for n in names)
        exact = sum(n in got for n in names)
        return {"rows": round(hit / len(names), 4), "names exact": round(exact / len(names), 4),
                "rows extracted": len(got)}

    doc = extract_document(path)
    out = {"ours": found([[r.text_at(c) for c in range(t.n_cols)] for t in doc.tables for r in t.rows
                          if r.kind == "data"])}
    if python:
        res = tmp / "img2table-real.json"
        subprocess.run([python, str(HERE / "img2table_rows.py"), str(res), str(path)], check=True,
                       env={**os.environ, "OMP_THREAD_LIMIT": "1"})
        pages = json.loads(res.read_text(encoding="utf-8"))[str(path)]["pages"]
        out["img2table"] = found([row for p in sorted(pages, key=int) for t in pages[p] for row in t])
    return out


def main() -> None:
    from tests.fixtures.scan_corpus import scan_corpus
    from tests.fixtures.scan_score import METRICS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", default=",".join(DEFAULT_DOCS), help="scanned-corpus documents, or 'all'")
    parser.add_argument("--img2table-python", default=None, help="Python of a venv with img2table==2.0.0")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    parser.add_argument("--matrix", action="store_true", help="the scan matrix's documents (no speed comparison)")
    args = parser.parse_args()
    if args.matrix:
        from tests.fixtures.scan_matrix import SMALL, matrix

        if args.docs == "all":
            docs = matrix(None)
        elif args.docs == ",".join(DEFAULT_DOCS):
            docs = matrix(SMALL)
        else:
            docs = [d for d in matrix(None) if d.name in args.docs.split(",")]
    else:
        corpus = scan_corpus()
        docs = corpus if args.docs == "all" else [d for d in corpus if d.name in args.docs.split(",")]
    print(f"{len(docs)} documents, {sum(d.n_pages for d in docs)} pages", flush=True)
    report: dict = {}
    with tempfile.TemporaryDirectory(prefix="nhiemvu-bench-scan-") as tmp:
        if not args.matrix:
            report["speed"] = speed(docs, Path(tmp))
            print(json.dumps(report["speed"]), flush=True)
        raw, rerun = ours_scores(docs, repaired=False)
        report["rerun"] = rerun
        print(f"second run: {rerun}", flush=True)
        report["ours"] = raw.summary()
        report["ours_repaired"] = ours_scores(docs, repaired=True)[0].summary()
        if args.img2table_python:
            peer, info = img2table_scores(docs, args.img2table_python, Path(tmp))
            report["img2table"] = {**peer.summary(), **info}
        if args.matrix:
            report["ttr409"] = real_list_rows(args.img2table_python, Path(tmp))
            print(f"ttr409 (a real 100-dpi office scan): {report['ttr409']}", flush=True)
    cols = [k for k in ("ours", "ours_repaired", "img2table") if k in report]
    print(f"{'measure':16}" + "".join(f"{c:>15}" for c in cols))
    for m in METRICS:
        print(f"{m:16}" + "".join(f"{report[c][m]:>15.4f}" for c in cols))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
