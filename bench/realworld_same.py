"""Do the real-world PDFs read the same under two versions of the code?

    python -m bench.realworld_same dump OUT.json [--root /work/shared/realworld]
    python -m bench.realworld_same compare A.json B.json

`dump` reads every PDF under the root with `extract_document` (no OCR, one process) and writes
what it read: every page's lines, furniture and fragments cell by cell (boxes to 0.01 pt), and
every logical table's rows (kind, cells, pages and boxes). Run it once on main's code
(`PYTHONPATH=/work/main python bench/realworld_same.py dump main.json`: the script by its path,
the extractors from main) and once on the branch's, then `compare` names the documents, pages
and tables that differ (exit status 1 when any does).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from extractors.document import extract_document

ROOT = Path("/work/shared/realworld")


def _box(b) -> list[float]:
    return [round(float(x), 2) for x in b]


def _page(p) -> dict:
    return {
        "method": p.method,
        "lines": [[l.text, _box(l.box)] for l in p.lines],
        "furniture": list(p.furniture),
        "fragments": [{"box": _box(f.box), "edges": _box(f.col_edges), "flags": [f.ruled, f.banded, f.framed, f.one_row],
                       "rows": [[_box(r.box), [[c.col, c.col_span, c.row_span, c.open_top, c.open_bottom, _box(c.box),
                                                [l.text for l in c.lines]] for c in r.cells]] for r in f.rows]}
                      for f in p.fragments],
    }


def _table(t) -> dict:
    return {"n_cols": t.n_cols, "headers": list(t.headers),
            "rows": [[r.kind, [[c.col, c.col_span, c.text, c.page] for c in r.cells],
                      [[page, _box(b)] for page, b in r.spans]] for r in t.rows]}


def dump(root: Path, out: Path) -> int:
    read: dict = {}
    for pdf in sorted(root.rglob("*.pdf")):
        try:
            doc = extract_document(pdf, ocr=False, workers=1)
        except Exception as e:  # noqa: BLE001 - a document that fails is written down as such and compared
            read[str(pdf.relative_to(root))] = f"error {type(e).__name__}: {e}"
            continue
        read[str(pdf.relative_to(root))] = {"pages": [_page(p) for p in doc.pages], "tables": [_table(t) for t in doc.tables]}
    out.write_text(json.dumps(read, ensure_ascii=False), encoding="utf-8")
    print(f"{len(read)} documents -> {out}")
    return 0


def compare(a: Path, b: Path) -> int:
    one, two = (json.loads(p.read_text(encoding="utf-8")) for p in (a, b))
    differ = 0
    for name in sorted(one.keys() | two.keys()):
        x, y = one.get(name), two.get(name)
        if x == y:
            continue
        differ += 1
        print("differs:", name)
        if isinstance(x, dict) and isinstance(y, dict):
            for k, (p, q) in enumerate(zip(x["pages"], y["pages"]), 1):
                if p != q:
                    print(f"   page {k}:", ", ".join(f for f in p if p[f] != q.get(f)))
            if x["tables"] != y["tables"]:
                print("   tables")
    print(f"{len(one.keys() | two.keys())} documents, {differ} differ")
    return 1 if differ else 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out", type=Path)
    d.add_argument("--root", type=Path, default=ROOT)
    c = sub.add_parser("compare")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    args = ap.parse_args()
    sys.exit(dump(args.root, args.out) if args.cmd == "dump" else compare(args.a, args.b))


if __name__ == "__main__":
    main()
