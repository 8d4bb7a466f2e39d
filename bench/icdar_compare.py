"""Exact-cell agreement with the ICDAR 2013 ground truth on its ruled tables: ours vs camelot vs pdfplumber.

For each ICDAR document with at least one ruled table (see `icdar_gt.is_ruled`), the
pages holding ruled tables are read by the three tools (`tools.py`) and every tool's
cells on a page are scored against the ground-truth cells of the ruled tables on that
page (`cellmatch.score_page`); cells a tool finds inside an unruled ground-truth table
are ignored. Our extractor joins tables across pages into logical tables; its cells are
still compared page by page (a cell belongs to the page where it starts), since ICDAR
annotates a continuing table once per page.

    python -m bench.icdar_compare            # all ruled documents, prints a table
    python -m bench.icdar_compare us-030 eu-004
    python -m bench.icdar_compare --all      # all 67 documents, every table, as a user would try the peers

With `--all`, every ground-truth table of every document counts (ruled or not), on
every page that holds one, and the peers are run as a user would try them: camelot's
lattice, and its stream flavour on pages where lattice finds nothing; pdfplumber's
default (lines) strategy, and its text strategy on pages where lines finds nothing.

Results also go to bench/out/icdar_compare.json (bench/out/icdar_compare_all.json with --all).
"""

from __future__ import annotations

import functools
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import pdfplumber

from extractors.pdfpage import LeanPage

from . import tools
from .cellmatch import Counts, PredCell, score_page
from .icdar_gt import GtTable, is_ruled, load_tables, rule_edges, structure_xml

ROOT = Path(__file__).resolve().parents[1]
ICDAR = ROOT.parent / "shared" / "realworld" / "icdar2013"
OUT = Path(__file__).resolve().parent / "out"
TOOLS = ("ours", "camelot", "pdfplumber")


@dataclass
class Doc:
    name: str
    path: Path
    page_heights: list[float]
    ruled: list[GtTable]
    unruled: list[GtTable]

    @property
    def pages(self) -> list[int]:
        return sorted({t.page for t in self.ruled})


@dataclass
class DocResult:
    name: str
    counts: dict[str, Counts] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    misses: dict[str, list] = field(default_factory=dict)


def icdar_pdfs(folder: Path = ICDAR) -> list[Path]:
    """PDFs that have a structure ground truth, by name."""
    return sorted((p for p in folder.glob("*/*.pdf") if structure_xml(p).exists()), key=lambda p: p.stem)


@functools.lru_cache(maxsize=None)
def load_doc(pdf_path: Path) -> Doc:
    """The document's ground truth, its tables split into ruled and unruled by the rules drawn
    on their pages (read once per process; the pages' objects are read by `LeanPage`, which
    gives pdfplumber's own dicts at half the cost)."""
    with pdfplumber.open(pdf_path) as pdf:
        heights = [float(p.height) for p in pdf.pages]
        tables = load_tables(structure_xml(pdf_path), heights)
        edges = {}
        for n in sorted({t.page for t in tables}):
            page = pdf.pages[n - 1]
            edges[n] = rule_edges(LeanPage(pdf, page.page_obj, page_number=n, initial_doctop=page.initial_doctop))
    ruled = [t for t in tables if is_ruled(t, edges[t.page])]
    return Doc(pdf_path.stem, pdf_path, heights, ruled, [t for t in tables if t not in ruled])


def ruled_docs(names: Sequence[str] = ()) -> list[Doc]:
    """Documents with at least one ruled table (restricted to `names` if given)."""
    paths = [p for p in icdar_pdfs() if not names or p.stem in names]
    return [d for d in map(load_doc, paths) if d.ruled]


def all_docs(names: Sequence[str] = ()) -> list[Doc]:
    """Every document with a structure ground truth; all its tables count (as `ruled`)."""
    docs = []
    for path in icdar_pdfs():
        if names and path.stem not in names:
            continue
        with pdfplumber.open(path) as pdf:
            heights = [float(p.height) for p in pdf.pages]
        docs.append(Doc(path.stem, path, heights, load_tables(structure_xml(path), heights), []))
    return docs


def camelot_with_stream(doc: Doc) -> list[PredCell]:
    """camelot lattice; on pages where it finds no table, camelot stream."""
    heights = dict(enumerate(doc.page_heights, start=1))
    cells = tools.camelot_cells(doc.path, doc.pages, heights)
    empty = [p for p in doc.pages if not any(c.page == p for c in cells)]
    if empty:
        import warnings

        import camelot

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tables = camelot.read_pdf(str(doc.path), pages=",".join(map(str, empty)), flavor="stream")
        for table in tables:
            page = int(table.page)
            cells += [PredCell(page, box, text) for box, text in tools.merged_cells(table.cells, heights[page])]
    return cells


def pdfplumber_with_text(doc: Doc) -> list[PredCell]:
    """pdfplumber's default (lines) strategy; on pages where it finds no table, the text strategy."""
    cells = tools.pdfplumber_cells(doc.path, doc.pages)
    empty = [p for p in doc.pages if not any(c.page == p for c in cells)]
    if empty:
        with pdfplumber.open(doc.path) as pdf:
            for n in empty:
                page = pdf.pages[n - 1]
                for table in page.find_tables({"vertical_strategy": "text", "horizontal_strategy": "text"}):
                    for row, texts in zip(table.rows, table.extract()):
                        for box, text in zip(row.cells, texts):
                            if box is not None:
                                cells.append(PredCell(n, tuple(map(float, box)), text or ""))
    return cells


PEERS_AS_USERS_TRY = {"camelot": camelot_with_stream, "pdfplumber": pdfplumber_with_text}


@functools.lru_cache(maxsize=None)
def _ours(path: str) -> tuple[PredCell, ...]:
    """Our cells of one file, read once per process (the ruled and the full comparison score
    the same reading against different ground-truth selections)."""
    return tuple(tools.ours(path))


def predictions(tool: str, doc: Doc, *, fallback: bool = False) -> list[PredCell]:
    if fallback and tool in PEERS_AS_USERS_TRY:
        return PEERS_AS_USERS_TRY[tool](doc)
    if tool == "ours":
        return _ours(str(doc.path))
    if tool == "camelot":
        return tools.camelot_cells(doc.path, doc.pages, dict(enumerate(doc.page_heights, start=1)))
    if tool == "pdfplumber":
        return tools.pdfplumber_cells(doc.path, doc.pages)
    raise ValueError(tool)


def score_doc(doc: Doc, preds: Sequence[PredCell]) -> tuple[Counts, list]:
    total, misses = Counts(), []
    for page in doc.pages:
        gt = [(c.box, c.text) for t in doc.ruled if t.page == page for c in t.cells]
        ignored = [t.box for t in doc.unruled if t.page == page]
        counts, page_misses = score_page(gt, [p for p in preds if p.page == page], ignored)
        total += counts
        misses += [(page, *m) for m in page_misses]
    return total, misses


PEER_CACHE = Path(__file__).resolve().parent / "data" / "icdar_peers.json"
PEER_CODE = ("cellmatch.py", "icdar_gt.py", "tools.py")
PEER_LIBRARIES = ("camelot-py", "pdfplumber", "pdfminer.six", "pypdfium2", "opencv-python-headless")


def peer_key() -> str:
    """What the peers' scores depend on: their library versions and our scoring code. The
    cached scores are used only while this is unchanged (ours is always run)."""
    import hashlib
    from importlib.metadata import PackageNotFoundError, version

    h = hashlib.sha256()
    for name in PEER_LIBRARIES:
        try:
            h.update(f"{name}={version(name)};".encode())
        except PackageNotFoundError:
            h.update(f"{name}=none;".encode())
    for name in PEER_CODE:
        h.update((Path(__file__).resolve().parent / name).read_bytes())
    return h.hexdigest()[:16]


def _load_peers(path: Path) -> dict:
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return cached["scores"] if cached.get("key") == peer_key() else {}


def compare(docs: Sequence[Doc], tool_names: Sequence[str] = TOOLS, progress: Callable[[DocResult], None] | None = None,
            *, fallback: bool = False, peer_cache: Path | None = None) -> list[DocResult]:
    """Score the tools on the documents. With `peer_cache`, a peer's score on a document is
    taken from that file when it was made with the same `peer_key()`, and stored there
    otherwise (the peers are slow: all 67 documents take minutes; ours is always run)."""
    cached = _load_peers(peer_cache) if peer_cache else {}
    fresh = dict(cached)
    results = []
    for doc in docs:
        res = DocResult(doc.name)
        for tool in tool_names:
            entry = f"{tool}|{'then-fallback' if fallback else 'plain'}|{doc.name}"
            if tool != "ours" and entry in cached:
                res.counts[tool], res.seconds[tool], res.misses[tool] = Counts(*cached[entry]), 0.0, []
                continue
            t0 = time.perf_counter()
            try:
                preds = predictions(tool, doc, fallback=fallback)
            except Exception as e:  # a tool crashing on a document scores nothing there
                print(f"{doc.name}: {tool} failed: {type(e).__name__}: {e}", file=sys.stderr)
                preds = []
            res.seconds[tool] = time.perf_counter() - t0
            res.counts[tool], res.misses[tool] = score_doc(doc, preds)
            if tool != "ours":
                c = res.counts[tool]
                fresh[entry] = [c.hits, c.n_pred, c.n_gt]
        results.append(res)
        if progress:
            progress(res)
    if peer_cache and fresh != cached:
        peer_cache.parent.mkdir(parents=True, exist_ok=True)
        peer_cache.write_text(json.dumps({"key": peer_key(), "scores": dict(sorted(fresh.items()))}, indent=0) + "\n",
                              encoding="utf-8")
    return results


def totals(results: Sequence[DocResult], tool: str) -> Counts:
    total = Counts()
    for r in results:
        total += r.counts[tool]
    return total


def _row(name: str, counts: dict[str, Counts], n_gt: int, tool_names: Sequence[str]) -> str:
    cols = "".join(f" | {counts[t].precision:5.3f} {counts[t].recall:5.3f} {counts[t].f1:5.3f}" for t in tool_names)
    return f"{name:9s} {n_gt:5d}{cols}"


def main(argv: Sequence[str]) -> None:
    t0 = time.perf_counter()
    everything = "--all" in argv
    argv = [a for a in argv if a != "--all"]
    docs = all_docs(argv) if everything else ruled_docs(argv)
    head = "".join(f" | {t:^17s}" for t in TOOLS)
    if everything:
        print(f"{len(docs)} documents, {sum(len(d.ruled) for d in docs)} tables (ruled or not); "
              "camelot lattice then stream, pdfplumber lines then text")
    else:
        print(f"{len(docs)} documents with ruled tables, {sum(len(d.ruled) for d in docs)} ruled table regions "
              f"({sum(len(d.unruled) for d in docs)} unruled regions on the same documents ignored)")
    print(f"{'document':9s} {'cells':>5s}{head}")
    print(f"{'':15s}" + " |   P     R     F1 " * len(TOOLS))
    results = compare(docs, progress=lambda r: print(_row(r.name, r.counts, r.counts[TOOLS[0]].n_gt, TOOLS), flush=True),
                      fallback=everything)
    all_counts = {t: totals(results, t) for t in TOOLS}
    print(_row("TOTAL", all_counts, all_counts[TOOLS[0]].n_gt, TOOLS))
    for t in TOOLS:
        c, secs = all_counts[t], sum(r.seconds[t] for r in results)
        print(f"{t:10s} hits {c.hits:5d} / pred {c.n_pred:5d} / gt {c.n_gt:5d}   P {c.precision:.3f} R {c.recall:.3f} F1 {c.f1:.3f}   {secs:6.1f} s")
    won = sum(r.counts["ours"].f1 >= r.counts["camelot"].f1 for r in results)
    print(f"ours >= camelot on {won}/{len(results)} documents; run time {time.perf_counter() - t0:.0f} s")
    OUT.mkdir(exist_ok=True)
    payload = {
        "documents": [
            {"name": r.name, **{t: {**vars(r.counts[t]), "f1": r.counts[t].f1, "seconds": r.seconds[t], "misses": r.misses[t]} for t in TOOLS}}
            for r in results
        ],
        "totals": {t: {**vars(all_counts[t]), "precision": all_counts[t].precision, "recall": all_counts[t].recall, "f1": all_counts[t].f1} for t in TOOLS},
    }
    name = "icdar_compare_all.json" if everything else "icdar_compare.json"
    (OUT / name).write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
