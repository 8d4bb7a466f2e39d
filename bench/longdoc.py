"""A long text PDF for speed and scaling runs: one task table running over hundreds of pages.

The 07/CT-TTg ground-truth spec (a landscape appendix with one ruled task table) is
rendered with its table rows repeated (items renumbered) until the PDF has at least
the pages asked for, then cut to exactly that many pages. The first `n` pages of a
longer render are the same document shape at any length, so 30 and 300 pages differ
only in length. Files are cached in bench/out/.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Sequence

import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "tests" / "fixtures" / "groundtruth" / "07_CT-TTg.json"
ROWS_PER_PAGE = 6.0  # table rows per page of the render, a first guess (more copies are added if short)


def long_spec(copies: int) -> dict:
    """The spec with its table rows repeated `copies` times, data rows numbered on."""
    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    table = spec["appendix"]["tables"][0]
    rows, n = [], 0
    for _ in range(copies):
        for row in copy.deepcopy(table["rows"]):
            if row["kind"] == "data" and row["cells"][0].strip().isdigit():
                n += 1
                row["cells"][0] = str(n)
            rows.append(row)
    table["rows"] = rows
    spec["appendix"]["tables"] = [table]
    spec["name"] = f"long_{copies}"
    return spec


def _cut(src: Path, n_pages: int, out: Path) -> Path:
    doc = pdfium.PdfDocument(src)
    if len(doc) < n_pages:
        raise ValueError(f"{src} has {len(doc)} pages, fewer than {n_pages}")
    new = pdfium.PdfDocument.new()
    new.import_pages(doc, list(range(n_pages)))
    new.save(out)
    return out


def long_pdfs(sizes: Sequence[int], out_dir: Path) -> dict[int, Path]:
    """bench/out/long_<n>.pdf for each n: the first n pages of one render (made once, then cached)."""
    from tests.fixtures.render import render_pdf

    outs = {n: out_dir / f"long_{n}.pdf" for n in sizes}
    if all(p.exists() for p in outs.values()):
        return outs
    out_dir.mkdir(parents=True, exist_ok=True)
    need = max(sizes)
    base_rows = len(json.loads(SPEC.read_text(encoding="utf-8"))["appendix"]["tables"][0]["rows"])
    copies = max(1, int(need * ROWS_PER_PAGE / base_rows) + 1)
    full = out_dir / "long_render.pdf"
    while True:
        render_pdf(long_spec(copies), full)
        if len(pdfium.PdfDocument(full)) >= need:
            break
        copies += max(1, copies // 4)
    for n, out in outs.items():
        _cut(full, n, out)
    full.unlink()
    return outs
