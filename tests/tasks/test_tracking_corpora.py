"""Task tracking (issue 19) and duplicates (issue 17, cause 6), on the sample documents of raw/,
on generated directive-and-reports chains with their truth (tests/fixtures/chains.py), and on a
report's scanned twin beside documents that share its tasks. Also what analysts get with the
tables: the data package (validated with frictionless), the DuckDB views and the notebook."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from normalizers.deadlines import parse_deadline
from normalizers.records import document_records
from normalizers.schema import STATUS_VALUES
from normalizers.tracking import is_open
from pipeline.runtime.parts import curated_rows
from pipeline.runtime.store import write_curated
from tests.conftest import ROOT, load_spec
from tests.fixtures import chains
from tests.fixtures import sample_corpus as sc
from tests.fixtures.ratchet import record
from tests.fixtures.render import render_pdf

pytestmark = pytest.mark.slow  # reads whole documents, OCRs or runs the pipeline

ON = dt.date(2025, 7, 1)  # the date the sample's tasks are tracked on
LABELS = ROOT / "tests" / "fixtures" / "labelled" / "same_task_pairs.csv"
CHAIN_SEEDS = (11, 12)
MIN_CHAIN_ACCURACY = 0.98


def _guide_scope(curated: Path) -> dict:
    """Every code block of docs/analyst-guide.md run on `curated`, as the tests of the pipeline do."""
    guide = (ROOT / "docs" / "analyst-guide.md").read_text(encoding="utf-8")
    scope: dict = {}
    for block in re.findall(r"```python\n(.*?)```", guide, flags=re.S):
        code = block.replace('CURATED = "curated"', f'CURATED = "{curated}"')
        exec(compile(code, "docs/analyst-guide.md", "exec"), scope)  # noqa: S102 - the guide's own code
    return scope


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    cur = curated_rows(sc.manifest(), sc.records(), sc.VERSION, tracked_on=ON)
    folder = tmp_path_factory.mktemp("curated")
    write_curated(folder, cur)
    return cur, folder


def _printed_07() -> dict[tuple[str, str], dict]:
    """(section, item) -> the lead and deadline cells of every task of 07/CT-TTg as printed."""
    out, section = {}, None
    for row in load_spec("07_CT-TTg")["appendix"]["tables"][0]["rows"]:
        if row["kind"] == "section":
            section = row["cells"][0]
        else:
            out[(section, row["cells"][0])] = {"lead": row["cells"][2], "deadline": row["cells"][4]}
    return out


def _printed_71_results() -> dict[tuple[str, str], str]:
    """(section, item) of a 07/CT-TTg task -> the result the 71/NQ-CP appendix prints for the task
    labelled by hand as the same (tests/fixtures/labelled/same_task_pairs.csv)."""
    spec = load_spec("71_NQ-CP_BCA")
    with LABELS.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    out = {}
    for r in rows:
        if not r["other"].startswith("71_"):
            continue
        _, _, _, section, item, _ = r["directive"].split("|")
        _, table_no, _, _, o_item, start = r["other"].split("|")
        table = spec["appendix"]["tables"][int(table_no) - 1]
        result_col = next(i for i, c in enumerate(table["columns"]) if c.startswith("Kết quả (đến ngày"))
        found = [x for x in table["rows"] if x["kind"] == "data" and x["cells"][0] == o_item
                 and " ".join(x["cells"][1].split()).startswith(start)]
        assert len(found) == 1, r
        out[(section, item)] = " ".join(found[0]["cells"][result_col].split())
    return out


def test_which_tasks_of_07_are_open_or_overdue_is_one_query_matching_the_documents(sample):
    """The guide's one query on task_tracking, against what the sample documents print: the
    directive's 112 tasks, their deadlines and leads (07/CT-TTg), and the results the 71/NQ-CP
    appendix of Bộ Công an reports on ten of them as of 10/5/2025."""
    cur, folder = sample
    scope = _guide_scope(folder)
    answer = scope["answer"]
    rows = {(r["section_no"], r["item_no"]): r for r in cur["task_tracking"] if r["doc_number"] == "07/CT-TTg"}
    printed, results = _printed_07(), _printed_71_results()
    assert len(rows) == 112 and set(rows) == set(printed)
    reported = {k for k, r in rows.items() if r["n_statuses"]}
    assert reported <= set(results), "a status on a task no report prints one for"
    assert len(reported) >= len(results) - 1, (sorted(reported), sorted(results))
    for key in reported:
        r = rows[key]
        assert r["latest_result"] == results[key] and r["latest_as_of"] == dt.date(2025, 5, 10), key
        assert r["latest_source_file"] == "71_NQ-CP_BCA.pdf" and r["latest_task_id"] != r["task_id"]
    expected_open = {k for k, r in rows.items() if is_open(r["latest_status"])}
    assert {k for k in rows if k not in reported} <= expected_open  # no status: open
    got = {(s, i): o for s, i, o in zip(answer["section_no"], answer["item_no"], answer["is_overdue"])}
    assert set(got) == expected_open
    for key in expected_open:
        deadline = parse_deadline(printed[key]["deadline"])
        past = deadline.due is not None and not deadline.open_ended and deadline.due < ON
        assert got[key] == (past or rows[key]["latest_status"] == "overdue"), (key, printed[key]["deadline"])
    assert sum(got.values()) > 0 and sum(not v for v in got.values()) > 0
    # who leads them now: merged ministries under their 2025 successors
    merged = {"Bộ Kế hoạch và Đầu tư": "Bộ Tài chính", "Bộ Thông tin và Truyền thông": "Bộ Khoa học và Công nghệ"}
    seen = 0
    for key, cells in printed.items():
        for old, new in merged.items():
            if old in cells["lead"]:
                seen += 1
                assert new in rows[key]["lead_agencies_now"] and old not in rows[key]["lead_agencies_now"], key
    assert seen >= 1
    print(f"\n07/CT-TTg on {ON}: {len(got)} open, {sum(got.values())} overdue, {len(reported)} with a reported status")


def test_the_sample_tracks_originating_documents_and_copies_apart(sample):
    cur, _ = sample
    docs = {d["source_file"]: d for d in cur["documents"]}
    tracked = {r["source_file"] for r in cur["task_tracking"]}
    assert "552_TB-VPCP_PL2_scan.pdf" not in tracked  # a copy: its tasks are the text twin's
    assert {"07_CT-TTg.pdf", "552_TB-VPCP_PL2.pdf", "71_NQ-CP_BCA.pdf"} <= tracked
    by_id = {t["task_id"]: t for t in cur["tasks"]}
    for l in cur["links"]:
        if l["link_type"] == "same_task":  # from the report on 07/CT-TTg to the directive it cites
            assert (by_id[l["src_task_id"]]["source_file"], by_id[l["dst_task_id"]]["source_file"]) == (
                "71_NQ-CP_BCA.pdf", "07_CT-TTg.pdf")
        if l["link_type"] == "copy_of":
            assert l["src_doc_id"] == docs["552_TB-VPCP_PL2_scan.pdf"]["doc_id"]
    assert all(r["tracked_on"] == ON for r in cur["task_tracking"])


@pytest.fixture(scope="module")
def chain_corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("chains")
    manifest, records, truth = {}, {}, []
    for seed in CHAIN_SEEDS:
        specs, t = chains.chain_corpus(seed)
        truth += t
        for name, spec in specs.items():
            render_pdf(spec, out / name)
            doc_id, ex = sc.extract(out / name)
            manifest[doc_id], records[doc_id] = name, document_records(doc_id, ex)
    return curated_rows(manifest, records, sc.VERSION, tracked_on=dt.date(2026, 1, 1)), truth


def test_latest_status_and_as_of_on_directive_and_report_chains(chain_corpus):
    cur, truth = chain_corpus
    docs = {d["doc_id"]: d for d in cur["documents"]}
    assert not [d["source_file"] for d in docs.values() if d["duplicate_of"]]  # reports share tasks, no copies
    rows = {(r["source_file"], r["item_no"]): r for r in cur["task_tracking"]}
    right, wrong = 0, []
    for t in truth:
        r = rows.get((t.directive, t.item))
        if r is not None and (r["latest_status"], r["latest_as_of"]) == (t.status, t.as_of):
            right += 1
        else:
            wrong.append((t, r and (r["latest_status"], r["latest_as_of"], r["name"][:60])))
    accuracy = right / len(truth)
    # every same_task link goes from a report to the directive it cites (or the report it is attached to cites)
    cited = {(l["src_doc_id"], l["dst_doc_id"]) for l in cur["links"] if l["link_type"] == "cites" and l["dst_doc_id"]}
    # the document a number names: the main one (an appendix in a file of its own prints its report's number too)
    number = {d["doc_number"]: d["doc_id"] for d in docs.values() if d["doc_number"] and not d["attached_to"]}
    cited |= {(d["doc_id"], dst) for d in docs.values() if d["attached_to"] in number
              for src, dst in list(cited) if src == number[d["attached_to"]]}
    assert sum(1 for d in docs.values() if d["attached_to"] and d["attached_to"].startswith(tuple("0123456789"))
               and "/BC-" in d["attached_to"]) >= 2  # reports whose appendix is a file of its own
    same = [l for l in cur["links"] if l["link_type"] == "same_task"]
    to_cited = sum((l["src_doc_id"], l["dst_doc_id"]) in cited for l in same) / max(len(same), 1)
    reported_once = {(t.directive, t.item) for t in truth if t.status}
    print(f"\nchains: {len(truth)} directive tasks ({len(reported_once)} reported on), latest status and as-of "
          f"right {accuracy:.4f}; {len(same)} same_task links, {to_cited:.4f} to a cited document")
    for w in wrong:
        print("  wrong", w)
    record("chains", {"latest_status_and_as_of": accuracy, "same_task_to_cited_document": to_cited})
    assert len(truth) >= 80 and len(reported_once) >= 60
    assert accuracy >= MIN_CHAIN_ACCURACY and to_cited == 1.0
    assert set(rows) == {(t.directive, t.item) for t in truth}  # one row per directive task, no report task


def test_duplicates_are_copies_of_one_document_never_documents_sharing_tasks(tmp_path):
    """Twins (a generated report and its scanned copy, tests/fixtures/scan.py; the sample's partial
    scan of 552/TB-VPCP) beside documents that share tasks with 07/CT-TTg: a directive that repeats
    40 of its tasks word for word and cites it, and a notice of VPCP that reports on 30 of them."""
    from tests.fixtures import reports
    from tests.fixtures.scan import make_scanned_twin
    from tests.tasks.test_same_task_pairs import GENERATED, _labelled_rows, _ref

    exclude = [("71_NQ-CP_BCA" if r["other"].startswith("71") else "552_TB-VPCP_PL2", _ref(r["other"])[5])
               for r in _labelled_rows()]
    seed, counts = GENERATED["bc_101_BC-BCA.pdf"]
    render_pdf(reports.report_spec(f"{seed}/BC-BCA", reports.report_listing(seed, counts, exclude)),
               tmp_path / "bc_101_BC-BCA.pdf")
    make_scanned_twin(tmp_path / "bc_101_BC-BCA.pdf", tmp_path / "scan-bc_101_BC-BCA.pdf", dpi=200, seed=seed)
    tasks_07 = [(n, lead) for _, _, n, lead in reports.directive_tasks()]
    directive = chains.directive_spec("576/CT-TTg", chains.KINDS[0], dt.date(2025, 8, 1),
                                      [(n, lead, "Năm 2025") for n, lead in tasks_07[:40]])
    directive["document"]["body"].append("Tiếp tục thực hiện nghiêm Chỉ thị số 07/CT-TTg ngày 14 tháng 3 năm 2025.")
    render_pdf(directive, tmp_path / "576_CT-TTg.pdf")
    notice = chains.report_spec("200/TB-VPCP", ("VĂN PHÒNG CHÍNH PHỦ", "Văn phòng Chính phủ", "VPCP"),
                                dt.date(2025, 9, 1), ("07/CT-TTg", "Chỉ thị", dt.date(2025, 3, 14)),
                                [(n, lead, "in_progress") for n, lead in tasks_07[40:70]])
    notice["document"]["type_word"] = "THÔNG BÁO"
    render_pdf(notice, tmp_path / "200_TB-VPCP.pdf")
    extra = ["bc_101_BC-BCA.pdf", "scan-bc_101_BC-BCA.pdf", "576_CT-TTg.pdf", "200_TB-VPCP.pdf"]
    cur = sc.curated_with([tmp_path / f for f in extra], tmp_path)
    docs = sc.by_file(cur)
    ids = {d["doc_id"]: f for f, d in docs.items()}
    assert {f: ids[d["duplicate_of"]] for f, d in docs.items() if d["duplicate_of"]} == {
        "scan-bc_101_BC-BCA.pdf": "bc_101_BC-BCA.pdf", "552_TB-VPCP_PL2_scan.pdf": "552_TB-VPCP_PL2.pdf"}
    tasks = {t["task_id"]: t for t in cur["tasks"]}
    pairs = {}
    for l in cur["links"]:
        if l["link_type"] != "cites":
            pairs.setdefault((l["link_type"], ids[l["src_doc_id"]], ids[l["dst_doc_id"]]), []).append(l)
    # an analyst who drops the copies loses nothing: every task of a copy is a task of its primary
    for copy in ("scan-bc_101_BC-BCA.pdf", "552_TB-VPCP_PL2_scan.pdf"):
        mine = {t for t, row in tasks.items() if row["doc_id"] == docs[copy]["doc_id"]}
        linked = {l["src_task_id"] for (kind, src, _), ls in pairs.items() if kind == "copy_of" and src == copy for l in ls}
        assert mine and linked == mine, copy
    assert not [k for k in pairs if k[0] == "same_task" and {k[1], k[2]} in (
        {"scan-bc_101_BC-BCA.pdf", "bc_101_BC-BCA.pdf"}, {"552_TB-VPCP_PL2_scan.pdf", "552_TB-VPCP_PL2.pdf"})]
    # the directive repeating 07's tasks gives no statuses: its tasks are its own, no link either way
    assert not [k for k in pairs if "576_CT-TTg.pdf" in k[1:]]
    # the notice reports on 07/CT-TTg: its tasks link to the directive's, and 07's rows take its statuses
    assert len(pairs[("same_task", "200_TB-VPCP.pdf", "07_CT-TTg.pdf")]) >= 28
    assert len(pairs[("same_task", "bc_101_BC-BCA.pdf", "07_CT-TTg.pdf")]) >= 34
    tracked = {r["task_id"]: r for r in cur["task_tracking"]}
    assert sum(1 for r in tracked.values() if r["source_file"] == "576_CT-TTg.pdf") == 40
    from_notice = [r for r in tracked.values() if r["latest_source_file"] == "200_TB-VPCP.pdf"]
    assert len(from_notice) >= 28 and all(r["doc_number"] == "07/CT-TTg" for r in from_notice)
    # statuses of the copy are left out of the tracking
    assert not [r for r in tracked.values() for s in r["statuses"] if ids[s["doc_id"]].startswith("scan-")]


def test_datapackage_validates_with_frictionless(sample, tmp_path):
    """curated/datapackage.json is a valid descriptor, and the data validate against it (types,
    constraints, primary and foreign keys): each table is checked through a CSV copy (lists and
    structs as JSON), since frictionless reads no Parquet without another library."""
    import pyarrow.parquet as pq
    from frictionless import Package

    _, folder = sample
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert Package.validate_descriptor(descriptor).valid
    assert {r["name"] for r in descriptor["resources"]} == {p.stem for p in folder.glob("*.parquet")}
    mirror = json.loads(json.dumps(descriptor))
    for res in mirror["resources"]:
        rows = pq.read_table(folder / res["path"]).to_pylist()
        names = [f["name"] for f in res["schema"]["fields"]]
        with open(tmp_path / f"{res['name']}.csv", "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(names)
            for r in rows:
                w.writerow([_csv_value(r[n]) for n in names])
        res.update(path=f"{res['name']}.csv", format="csv", mediatype="text/csv")
        res["schema"]["missingValues"] = [NULL]  # an empty string is a value, null is written NULL
    (tmp_path / "datapackage.json").write_text(json.dumps(mirror, ensure_ascii=False), encoding="utf-8")
    report = Package(str(tmp_path / "datapackage.json")).validate()
    errors = [e for t in report.tasks for e in t.errors][:5]
    assert report.valid, [(e.type, e.note) for e in errors]
    assert sum(t.stats["rows"] for t in report.tasks) > 1000


NULL = "\\N"


def _csv_value(value):
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def test_duckdb_views_answer_the_guide_questions_and_the_files_are_deterministic(sample, tmp_path):
    import hashlib

    from pipeline.runtime.analysts import connect

    cur, folder = sample
    con = connect(folder)
    try:
        open_07 = con.execute("select count(*) from open_tasks where doc_number = '07/CT-TTg'").fetchall()[0][0]
        overdue_07 = con.execute("select count(*) from overdue_tasks where doc_number = '07/CT-TTg'").fetchall()[0][0]
        now = dict(con.execute("select name, now from agency_now").fetchall())
        per_agency = {a: (o, d) for a, o, d in con.execute("select * from open_tasks_per_agency").fetchall()}
    finally:
        con.close()
    rows = [r for r in cur["task_tracking"] if r["doc_number"] == "07/CT-TTg"]
    assert open_07 == sum(r["is_open"] for r in rows) and overdue_07 == sum(r["is_overdue"] for r in rows)
    # the macros are the same definition as normalizers.tracking: on the run's day, the table's columns
    con = connect(folder)
    try:
        macros = dict(con.execute("select s, is_open(s) from (select unnest(?) as s)", [[*STATUS_VALUES, None]]).fetchall())
        then = {t: (o, d, s) for t, o, d, s in con.execute(
            "select task_id, open_then, overdue_then, status_then from tracking_on(?)", [ON]).fetchall()}
        early = con.execute("select count(*) filter (where status_then is not null), count(*) filter (where open_then) "
                            "from tracking_on(date '2025-05-09') where doc_number = '07/CT-TTg'").fetchall()[0]
    finally:
        con.close()
    assert macros == {s: is_open(s) for s in [*STATUS_VALUES, None]}
    assert then == {r["task_id"]: (r["is_open"], r["is_overdue"], r["latest_status"]) for r in cur["task_tracking"]}
    assert early == (0, 112)  # the day before the report's as-of date, nothing was reported
    assert now["Bộ Kế hoạch và Đầu tư"] == "Bộ Tài chính" and now["Bộ Công an"] == "Bộ Công an"
    assert "Bộ Kế hoạch và Đầu tư" not in per_agency
    expected: dict[str, set] = {}
    for r in cur["task_tracking"]:
        if r["is_open"]:
            for a in r["lead_agencies"] or []:
                expected.setdefault(now[a], set()).add(r["task_id"])
    assert {a: o for a, (o, _) in per_agency.items()} == {a: len(v) for a, v in expected.items()}
    # written again from the same rows: the same bytes, DuckDB file included
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}
    write_curated(folder, cur)
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}
    assert before == after and {"datapackage.json", "nhiemvu.duckdb", "task_tracking.parquet"} <= set(after)


def test_the_example_notebook_runs_on_the_curated_tables(sample):
    import nbformat

    _, folder = sample
    nb = nbformat.read(ROOT / "docs" / "analysis.ipynb", as_version=4)
    nbformat.validate(nb)
    scope: dict = {}
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert code[0].startswith('CURATED = "../curated"')
    for source in code:
        source = source.replace('CURATED = "../curated"', f'CURATED = "{folder}"')
        exec(compile(source, "docs/analysis.ipynb", "exec"), scope)  # noqa: S102 - the notebook's own cells
    assert str(scope["tracking"]["deadline_due"].dtype).startswith("datetime64")
    assert scope["summary"]["tasks"] == 112 and scope["summary"]["open"] >= scope["summary"]["overdue"] > 0
    assert len(scope["per_agency"]) > 5 and len(scope["reported"]) >= 9
    assert 100 <= len(scope["on_day"]) < 112 and scope["on_day"]["overdue_then"].any()
