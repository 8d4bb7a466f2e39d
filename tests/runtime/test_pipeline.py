"""The whole pipeline, as `nhiemvu run` runs it, on a copy of the sample corpus plus bad files.

One run over raw/ (text PDFs, the scanned twin, and one file of each bad kind), then
a rerun with nothing new, then one new file, then a renamed file.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pypdfium2 as pdfium
import pytest

from normalizers.schema import TABLES, check_table
from pipeline.tools.commands import run
from tests.conftest import RAW, ROOT
from tests.fixtures import bad_inputs
from tests.fixtures.render import render_pdf

pytestmark = pytest.mark.slow  # reads whole documents, OCRs or runs the pipeline

BAD = {
    "bad/not_a_pdf.pdf": "not a PDF",
    "bad/empty.pdf": "empty file",
    "bad/truncated.pdf": "truncated PDF",
    "bad/corrupt.pdf": "corrupt PDF",
    "bad/encrypted.pdf": "encrypted PDF",
}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    base = tmp_path_factory.mktemp("pipeline")
    home, raw, curated = base / "home", base / "raw", base / "curated"
    home.mkdir()
    shutil.copy(ROOT / "dagster.yaml", home)
    shutil.copytree(RAW, raw)
    good = RAW / "929_BCA-VPB.pdf"
    (raw / "bad").mkdir()
    bad_inputs.not_a_pdf(raw / "bad/not_a_pdf.pdf")
    bad_inputs.empty(raw / "bad/empty.pdf")
    bad_inputs.truncated(good, raw / "bad/truncated.pdf")
    bad_inputs.corrupt(good, raw / "bad/corrupt.pdf")
    bad_inputs.encrypted(good, raw / "bad/encrypted.pdf")
    bad_inputs.bad_page(RAW / "bao_cao_02-KH_BCDTW.pdf", raw / "bad/bad_page.pdf", page=2)
    mp = pytest.MonkeyPatch()
    mp.setenv("DAGSTER_HOME", str(home))
    mp.chdir(base)
    summary = run(raw, curated, quiet=True)
    yield {"home": home, "raw": raw, "curated": curated, "summary": summary, "base": base}
    mp.undo()


def _table(ws, name):
    return pq.read_table(ws["curated"] / f"{name}.parquet")


def _digests(curated: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(curated.glob("*.parquet"))}


def test_all_seven_tables_conform_to_the_schema(workspace):
    for name, table in TABLES.items():
        data = _table(workspace, name)
        assert check_table(table, data) == [], name
        for field in table.columns:  # the descriptions travel with the file
            assert data.schema.field(field.name).metadata[b"description"].decode() == field.description
    assert workspace["summary"]["checks_run"] >= len(TABLES)
    assert workspace["summary"]["checks_failed"] == []
    assert "pages:few_failed_pages" in workspace["summary"]["checks_warned"]  # bad/bad_page.pdf: 1 of 3 pages


def test_every_page_of_every_pdf_has_exactly_one_pages_row(workspace):
    pages = _table(workspace, "pages").to_pylist()
    docs = {d["doc_id"]: d for d in _table(workspace, "documents").to_pylist()}
    keys = [(p["doc_id"], p["page"]) for p in pages]
    assert len(keys) == len(set(keys))
    for doc in docs.values():
        if doc["status"] == "failed":
            continue
        n = len(pdfium.PdfDocument(str(workspace["raw"] / doc["source_file"])))
        assert doc["n_pages"] == n
        assert sorted(p for d, p in keys if d == doc["doc_id"]) == list(range(1, n + 1))


def test_the_07_ct_ttg_sample_gives_112_tasks(workspace):
    tasks = _table(workspace, "tasks").to_pylist()
    ct07 = [t for t in tasks if t["source_file"] == "07_CT-TTg.pdf"]
    assert len(ct07) == 112
    assert sum(1 for t in ct07 if t["section"].startswith("A ")) == 26
    assert all(t["lead_agencies"] for t in ct07)


def test_scanned_twin_is_read_by_ocr(workspace):
    docs = {d["source_file"]: d for d in _table(workspace, "documents").to_pylist()}
    scan = docs["552_TB-VPCP_PL2_scan.pdf"]
    assert scan["n_ocr_pages"] == scan["n_pages"] > 0
    pages = [p for p in _table(workspace, "pages").to_pylist() if p["doc_id"] == scan["doc_id"]]
    assert all(p["method"] == "ocr" and p["n_chars"] > 500 for p in pages)


@pytest.mark.parametrize("source_file,reason", sorted(BAD.items()))
def test_bad_files_are_failed_with_a_clear_reason(workspace, source_file, reason):
    docs = {d["source_file"]: d for d in _table(workspace, "documents").to_pylist()}
    doc = docs[source_file]
    assert doc["status"] == "failed"
    assert reason in doc["error"]


def test_a_bad_page_makes_the_document_partial_and_the_rest_is_read(workspace):
    docs = {d["source_file"]: d for d in _table(workspace, "documents").to_pylist()}
    doc = docs["bad/bad_page.pdf"]
    assert doc["status"] == "partial" and "page 2" in doc["error"]
    pages = {p["page"]: p for p in _table(workspace, "pages").to_pylist() if p["doc_id"] == doc["doc_id"]}
    assert pages[2]["method"] == "failed" and "Bounding box" in pages[2]["error"]
    assert all(pages[n]["method"] == "text" and pages[n]["n_chars"] > 100 for n in pages if n != 2)


def test_rerun_processes_nothing_and_rewrites_identical_bytes(workspace):
    before = _digests(workspace["curated"])
    summary = run(workspace["raw"], workspace["curated"], quiet=True)
    assert summary["processed"] == 0
    assert _digests(workspace["curated"]) == before


def test_a_new_pdf_is_the_only_one_processed(workspace):
    spec = {
        "document": {"issuer": ["BỘ CÔNG AN"], "doc_number": "12/KH-BCA", "place_date": "Hà Nội, ngày 2 tháng 6 năm 2025",
                     "type_word": "KẾ HOẠCH", "title": "Triển khai Chỉ thị 07/CT-TTg", "body": ["Thực hiện Chỉ thị số 07/CT-TTg."]},
        "appendix": None,
    }
    (workspace["raw"] / "new").mkdir()
    render_pdf(spec, workspace["raw"] / "new" / "12_KH-BCA.pdf")
    n_docs = _table(workspace, "documents").num_rows
    summary = run(workspace["raw"], workspace["curated"], quiet=True)
    assert summary["processed"] == 1
    docs = {d["source_file"]: d for d in _table(workspace, "documents").to_pylist()}
    assert len(docs) == n_docs + 1
    new = docs["new/12_KH-BCA.pdf"]
    assert (new["doc_number"], new["doc_type"], str(new["issued_date"])) == ("12/KH-BCA", "Kế hoạch", "2025-06-02")
    links = [l for l in _table(workspace, "links").to_pylist() if l["src_doc_id"] == new["doc_id"]]
    ct07 = docs["07_CT-TTg.pdf"]["doc_id"]
    assert any(l["dst_doc_number"] == "07/CT-TTg" and l["dst_doc_id"] == ct07 for l in links)


def test_a_renamed_pdf_is_not_processed_again(workspace):
    raw = workspace["raw"]
    (raw / "929_BCA-VPB.pdf").rename(raw / "cong_van_929.pdf")
    summary = run(raw, workspace["curated"], quiet=True)
    assert summary["processed"] == 0
    files = {d["source_file"] for d in _table(workspace, "documents").to_pylist()}
    assert "cong_van_929.pdf" in files and "929_BCA-VPB.pdf" not in files


def test_every_lead_agency_is_resolved_or_reported(workspace):
    from normalizers.agencies import resolve_agencies

    for t in _table(workspace, "tasks").to_pylist():
        if t["lead_agency_raw"]:
            assert t["lead_agencies"] or resolve_agencies(t["lead_agency_raw"]).unmatched, t["lead_agency_raw"]


def test_auditor_sees_a_cut_task_outlined_on_each_of_its_pages(workspace, tmp_path):
    from PIL import Image

    from pipeline.tools.commands import show

    tasks = _table(workspace, "tasks").to_pylist()
    cut = next(t for t in tasks if t["page_end"] > t["page_start"] and t["extraction_method"] == "text")
    written = show(cut["task_id"], workspace["raw"], workspace["curated"], tmp_path)
    assert [int(p.stem.rsplit("_p", 1)[1]) for p in written] == [s["page"] for s in cut["spans"]]
    for path, span in zip(written, cut["spans"]):
        image = Image.open(path).convert("RGB")
        x, y = int((span["x0"] + span["x1"]) / 2 * 2), int(span["top"] * 2)  # top edge, scale 2
        assert any(image.getpixel((x, y + dy)) == (220, 30, 30) for dy in range(-2, 3))


def test_analysts_read_the_tables_with_pandas_duckdb_and_polars(workspace):
    import datetime as dt

    import duckdb
    import pandas as pd
    import polars as pl

    path = workspace["curated"] / "tasks.parquet"
    tasks = pd.read_parquet(path)
    assert isinstance(tasks.loc[tasks["deadline_due"].notna(), "deadline_due"].iloc[0], dt.date)
    assert pl.read_parquet(path).schema["lead_agencies"] == pl.List(pl.String)
    rows = duckdb.sql(
        f"select count(*), count(distinct task_id) from '{path}' t "
        f"join '{workspace['curated'] / 'statuses.parquet'}' s using (task_id) where s.as_of = date '2025-05-10'"
    ).fetchall()
    assert rows[0][0] == rows[0][1] > 0  # one status per task in the 71/NQ-CP report, as of its header date


def test_scanned_twin_tasks_match_the_ground_truth(workspace):
    """The scan holds the first 14 tasks of Phụ lục II (pages 1-6 of the text PDF)."""
    from rapidfuzz import fuzz

    from normalizers.statuses import status_from_column
    from tests.conftest import load_spec

    rows = [r["cells"] for r in load_spec("552_TB-VPCP_PL2")["appendix"]["tables"][0]["rows"] if r["kind"] == "data"][:14]
    docs = {d["source_file"]: d["doc_id"] for d in _table(workspace, "documents").to_pylist()}
    tasks = [t for t in _table(workspace, "tasks").to_pylist() if t["doc_id"] == docs["552_TB-VPCP_PL2_scan.pdf"]]
    statuses = {s["task_id"]: s["status"] for s in _table(workspace, "statuses").to_pylist()}
    assert [t["item_no"] for t in tasks] == [r[0] for r in rows]
    assert all(t["extraction_method"] == "ocr" for t in tasks)
    names = [fuzz.ratio(" ".join(r[1].split()), t["name"]) for r, t in zip(rows, tasks)]
    assert min(names) >= 85 and sum(names) / len(names) >= 95, names
    assert all(t["lead_agencies"] for t in tasks)
    assert [t["deadline_raw"].replace(" ", "") for t in tasks[:9]] == [r[3] for r in rows[:9]]  # the dated ones
    same = sum(statuses.get(t["task_id"]) == status_from_column(r[5]) for r, t in zip(rows, tasks))
    assert same >= 13, same


def _words_in(pdf_path, page_no, box):
    import pdfplumber

    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[page_no - 1]
        return [w for w in page.extract_words() if w["x0"] >= box[0] - 1 and w["x1"] <= box[2] + 1
                and w["top"] >= box[1] - 1 and w["bottom"] <= box[3] + 1]


def _trace_and_check(workspace, tmp_path, ident):
    """Trace `ident`; the picture has the row filled at the row's place on every page, and
    (on a text page) the words printed inside the row's box are the row's own words."""
    from PIL import Image

    from extractors.highlight import CONTEXT, LABEL_HEIGHT, TRACE_FILL
    from pipeline.tools.trace import find_target, trace

    target = find_target(workspace["curated"], ident)
    out = trace(workspace["curated"], workspace["raw"], ident, out=tmp_path / "t.png")
    image = Image.open(out).convert("RGB")
    y0 = 0
    for page in sorted(set(target.rows) | set(target.cells)):
        row = target.filled(page) or target.cells[page][0]  # the box filled: the row, or a status's cell
        marks = [row] + ([target.frame(page)] if target.frame(page) else []) + target.cells.get(page, [])
        crop_top = max(0.0, min(m[1] for m in marks) - CONTEXT)
        x = int((row[0] + row[2]) / 2 * 2)
        y = y0 + LABEL_HEIGHT + int(((row[1] + row[3]) / 2 - crop_top) * 2)
        r, g, b = image.getpixel((x, y))
        assert (r, g, b) != (255, 255, 255) and b < 230 and abs(r - g) < 60 or target.kind in ("link", "cell"), (page, (r, g, b))
        page_height = (max(m[3] for m in marks) + CONTEXT) - crop_top
        y0 += LABEL_HEIGHT + int(round(page_height * 2)) + 4
    return target


def test_trace_a_row_cut_by_a_page_break(workspace, tmp_path):
    tasks = _table(workspace, "tasks").to_pylist()
    cut = next(t for t in tasks if t["page_end"] > t["page_start"] and t["extraction_method"] == "text")
    target = _trace_and_check(workspace, tmp_path, cut["task_id"])
    assert sorted(target.rows) == [s["page"] for s in cut["spans"]]
    pdf = workspace["raw"] / cut["source_file"]
    words = " ".join(w["text"] for p in sorted(target.rows) for w in _words_in(pdf, p, target.rows[p]))
    assert all(part in words for part in cut["name"].split()[:5] + cut["name"].split()[-3:])


def test_trace_an_ocr_row_a_status_and_a_link(workspace, tmp_path):
    docs = {d["source_file"]: d["doc_id"] for d in _table(workspace, "documents").to_pylist()}
    ocr = next(t for t in _table(workspace, "tasks").to_pylist() if t["doc_id"] == docs["552_TB-VPCP_PL2_scan.pdf"])
    _trace_and_check(workspace, tmp_path, ocr["task_id"])
    status = next(s for s in _table(workspace, "statuses").to_pylist() if s["cell_box"] is not None)
    target = _trace_and_check(workspace, tmp_path, status["status_id"])
    box = status["cell_box"]
    cell = (box["x0"], box["top"], box["x1"], box["bottom"])
    assert target.cells[box["page"]] == [cell] and target.filled(box["page"]) == cell  # the status cell, not the row
    assert target.frame(box["page"]) is not None and target.frame(box["page"])[2] - target.frame(box["page"])[0] > cell[2] - cell[0]
    link = next(l for l in _table(workspace, "links").to_pylist() if l["link_type"] == "cites" and l["src_box"])
    target = _trace_and_check(workspace, tmp_path, link["link_id"])
    page = link["src_box"]["page"]
    pdf = workspace["raw"] / target.source_file
    text = "".join(w["text"] for w in _words_in(pdf, page, target.rows[page]))
    assert link["dst_doc_number"].split("/")[0] in text


def test_report_renders_in_chromium_with_working_links_and_no_console_errors(workspace, tmp_path):
    import re
    import shutil
    import subprocess
    from html.parser import HTMLParser

    from pipeline.tools.report import build_report

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "Debian's chromium is installed by `make` (DEB_PACKAGES)"
    page = build_report(workspace["curated"], workspace["raw"], tmp_path / "report")

    class Links(HTMLParser):
        def __init__(self):
            super().__init__()
            self.hrefs, self.ids = [], set()

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if "id" in a:
                self.ids.add(a["id"])
            if tag == "a" and "href" in a:
                self.hrefs.append(a["href"])

    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    tasks = _table(workspace, "tasks").num_rows
    pictures = [h for h in parser.hrefs if h.startswith("pages/")]  # each task row's thumbnail opens its page
    assert len(pictures) == tasks
    for href in parser.hrefs:
        if href.startswith("#"):
            assert href[1:] in parser.ids, href
        else:
            assert (page.parent / href).is_file(), href
    done = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
         "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0
    assert "Open tasks per agency" in done.stdout and done.stdout.count("<tr") > tasks
    console = [l for l in done.stderr.splitlines() if re.search(r"CONSOLE|Uncaught|Failed to load resource", l)]
    assert console == []


def test_the_analyst_guide_runs_on_the_curated_tables(workspace, capsys):
    import re

    guide = (ROOT / "docs" / "analyst-guide.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", guide, flags=re.S)
    assert len(blocks) >= 5
    scope: dict = {}
    for block in blocks:
        code = block.replace('CURATED = "curated"', f'CURATED = "{workspace["curated"]}"')
        exec(compile(code, "docs/analyst-guide.md", "exec"), scope)  # noqa: S102 - the guide's own code
    assert len(scope["tasks"]) > 0 and set(scope["per_agency"].columns) == {"open_tasks", "past_due"}
    assert scope["today_name"]("Bộ Kế hoạch và Đầu tư") == "Bộ Tài chính"
    assert "tasks in" in capsys.readouterr().out


def test_trace_by_document_number_and_item_and_a_cell(workspace, tmp_path):
    from pipeline.tools.trace import find_target, trace

    target = find_target(workspace["curated"], doc="07/CT-TTg", item="12", section="A")
    task = next(t for t in _table(workspace, "tasks").to_pylist()
                if t["source_file"] == "07_CT-TTg.pdf" and t["item_no"] == "12")  # the first: section A
    assert target.values["task_id"] == task["task_id"] and target.source_file == "07_CT-TTg.pdf"
    cell = next(c for c in _table(workspace, "cells").to_pylist() if c["row_kind"] == "data")
    ident = f"{cell['doc_id']}:{cell['table_no']}:{cell['row_no']}:{cell['col_no']}"
    out = trace(workspace["curated"], workspace["raw"], ident, out=tmp_path / "cell.png")
    assert out.is_file() and find_target(workspace["curated"], ident).values["text"] == cell["text"]
    with pytest.raises(SystemExit, match="no item"):
        find_target(workspace["curated"], doc="07/CT-TTg", item="999")


def test_trace_names_every_task_an_ambiguous_item_number_matches(workspace, tmp_path, capsys):
    """07/CT-TTg numbers its tasks from 1 in section A and again in section B: item 14 is two
    tasks. `trace` lists both (task_id, section) and traces both; `--section` picks one;
    `find_target` refuses to guess."""
    from PIL import Image

    from pipeline.tools.trace import Ambiguous, find_target, trace

    both = [t for t in _table(workspace, "tasks").to_pylist() if t["source_file"] == "07_CT-TTg.pdf" and t["item_no"] == "14"]
    assert len(both) == 2
    out = trace(workspace["curated"], workspace["raw"], doc="07/CT-TTg", item="14", out=tmp_path / "both.png")
    printed = capsys.readouterr().out
    assert "2 tasks have item '14'" in printed
    for t in both:
        assert f"task_id {t['task_id']}" in printed and t["section"][:20] in printed
    one = trace(workspace["curated"], workspace["raw"], doc="07/CT-TTg", item="14", section="B", out=tmp_path / "b.png")
    assert "tasks have item" not in capsys.readouterr().out
    assert Image.open(out).size[1] > Image.open(one).size[1]  # both traced, one above the other
    with pytest.raises(Ambiguous) as raised:
        find_target(workspace["curated"], doc="07/CT-TTg", item="14")
    assert all(t["task_id"] in str(raised.value) for t in both)
    b = find_target(workspace["curated"], doc="07/CT-TTg", item="14", section="B")
    assert b.values["task_id"] == next(t["task_id"] for t in both if t["section"].startswith("B"))
    with pytest.raises(SystemExit, match="no item '14' in section 'C'"):
        find_target(workspace["curated"], doc="07/CT-TTg", item="14", section="C")


def test_trace_pages_writes_what_show_wrote(workspace, tmp_path):
    from pipeline.tools.commands import show
    from pipeline.tools.trace import trace

    task = next(t for t in _table(workspace, "tasks").to_pylist() if t["page_end"] > t["page_start"])
    trace(workspace["curated"], workspace["raw"], task["task_id"], out=tmp_path / "t.png", pages=tmp_path / "a")
    show(task["task_id"], workspace["raw"], workspace["curated"], tmp_path / "b")
    names = [f"{task['task_id']}_p{s['page']}.png" for s in task["spans"]]
    a, b = [tmp_path / "a" / n for n in names], [tmp_path / "b" / n for n in names]
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == sorted(p.name for p in (tmp_path / "b").iterdir()) == sorted(names)
    assert all(x.read_bytes() == y.read_bytes() for x, y in zip(a, b))
