"""Values of the curated tables on the sample corpus (raw/), checked against the ground truth.

Stable ids, rows built whole, as-of dates, the part/section hierarchy, appendix issuers,
duplicates, citations (OCR repair, resolution, boxes) and collective agencies.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import re
from collections import Counter

import pytest

from extractors.stitch import LogicalCell, LogicalRow
from normalizers.records import CORPUS_COLUMNS, _build, document_records, failed_document
from normalizers.schema import TABLES
from pipeline.runtime.parts import curated_rows
from tests.conftest import load_spec
from tests.fixtures import sample_corpus as sc
from tests.fixtures.render import RenderOptions, render_pdf
from tests.fixtures.ratchet import record

pytestmark = pytest.mark.slow  # reads whole documents, OCRs or runs the pipeline


@pytest.fixture(scope="module")
def cur():
    return sc.curated()


@pytest.fixture(scope="module")
def docs(cur):
    return sc.by_file(cur)


def _tasks(cur, docs, name):
    return [t for t in cur["tasks"] if t["doc_id"] == docs[name]["doc_id"]]


# ---------------------------------------------------------------- 1. stable ids


def _renumbered(ex):
    """The same document with its rows numbered differently: an extra header row on top of every
    table and an empty data row (as a stitching change could leave) after the third row."""
    tables = []
    for t in ex.tables:
        header = t.rows[0]
        empty = LogicalRow("data", tuple(LogicalCell(c.col, c.col_span, "", c.page, c.box) for c in t.rows[2].cells), t.rows[2].spans)
        rows = (header, *t.rows[:3], empty, *t.rows[3:])
        tables.append(dataclasses.replace(t, rows=rows))
    return dataclasses.replace(ex, tables=tuple(tables))


@pytest.mark.parametrize("name", ["71_NQ-CP_BCA.pdf", "07_CT-TTg.pdf", "552_TB-VPCP_PL2.pdf"])
def test_ids_survive_a_change_of_row_numbering(name):
    doc_id, ex = sc.extracted()[name]
    before, after = document_records(doc_id, ex), document_records(doc_id, _renumbered(ex))

    def by_path(rec):
        return {(t["table_no"], t["part_no"], t["section"], t["parent_item_no"], t["item_no"], t["name"]): t for t in rec.tasks}

    a, b = by_path(before), by_path(after)
    assert a.keys() == b.keys() and len(a) == len(before.tasks) > 0
    assert all(a[k]["row_no"] != b[k]["row_no"] for k in a)  # every row was renumbered ...
    assert all(a[k]["task_id"] == b[k]["task_id"] for k in a)  # ... and kept its id
    assert [s["status_id"] for s in before.statuses] == [s["status_id"] for s in after.statuses]
    assert sorted(l["link_id"] for l in before.links) == sorted(l["link_id"] for l in after.links)


def test_task_ids_are_unique_and_follow_the_documented_rule(cur, docs):
    import hashlib

    tasks = cur["tasks"]
    assert len({t["task_id"] for t in tasks}) == len(tasks)
    t = next(t for t in _tasks(cur, docs, "07_CT-TTg.pdf") if t["section_no"] == "B" and t["item_no"] == "13")
    raw = f"{t['doc_id']}|{t['table_no']}||B||13"  # no part, section "B", no parent, item 13
    assert t["task_id"] == hashlib.sha256(raw.encode()).hexdigest()[:20]
    assert "Row numbers play no part" in TABLES["tasks"].column("task_id").description


# ---------------------------------------------------------------- 2. rows built once, whole


def test_every_row_carries_exactly_its_tables_columns(cur):
    for name, table in TABLES.items():
        assert cur[name], name
        for row in cur[name]:
            assert list(row) == table.column_names, (name, set(row) ^ set(table.column_names))


def test_a_failed_document_row_is_whole_too():
    cur = curated_rows({"d" * 64: "bad.pdf"}, {"d" * 64: failed_document("d" * 64, "not a PDF")}, "test")
    (doc,) = cur["documents"]
    assert set(doc) == set(TABLES["documents"].column_names) and doc["status"] == "failed"


def test_rows_are_never_changed_after_they_are_built():
    recs = sc.records()
    snapshot = copy.deepcopy({d: (r.document, r.tasks, r.statuses, r.links) for d, r in recs.items()})
    curated_rows(sc.manifest(), recs, "test")
    assert {d: (r.document, r.tasks, r.statuses, r.links) for d, r in recs.items()} == snapshot
    for r in recs.values():  # per-document rows: every column but the corpus-level ones
        for name in ("tasks", "statuses", "links"):
            expected = set(TABLES[name].column_names) - set(CORPUS_COLUMNS.get(name, ()))
            assert all(set(row) == expected for row in getattr(r, name))


def test_a_misspelt_or_missing_column_is_refused():
    good = dict(doc_id="d", page=1, method="text", n_chars=3, n_table_rows=0, error=None)
    assert _build("pages", **good) == good
    with pytest.raises(ValueError, match="unknown"):
        _build("pages", **{**good, "n_char": 3})
    with pytest.raises(ValueError, match="missing"):
        _build("pages", **{k: v for k, v in good.items() if k != "error"})


# ---------------------------------------------------------------- 3. as_of


def test_552_statuses_are_as_of_the_appendix_date_with_month_precision(cur, docs):
    spec = load_spec("552_TB-VPCP_PL2")
    heading = " ".join(spec["appendix"]["heading"])
    month, year = map(int, re.search(r"tháng (\d+) năm (\d{4})", heading).groups())
    assert "ngày     tháng" in heading  # the day is left blank in print
    last_day = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    rows = [r for r in spec["appendix"]["tables"][0]["rows"] if r["kind"] == "data" and (r["cells"][4] or r["cells"][5])]
    for name, n in (("552_TB-VPCP_PL2.pdf", len(rows)), ("552_TB-VPCP_PL2_scan.pdf", 14)):
        st = [s for s in cur["statuses"] if s["doc_id"] == docs[name]["doc_id"]]
        assert len(st) == n
        assert {(s["as_of"], s["as_of_precision"]) for s in st} == {(last_day, "month")}
    assert docs["552_TB-VPCP_PL2.pdf"]["issued_date"] is None  # the blank day is not filled in


def test_as_of_is_never_null_where_the_document_prints_a_date(cur, docs):
    header_dated = [s for s in cur["statuses"] if s["doc_id"] == docs["71_NQ-CP_BCA.pdf"]["doc_id"]]
    assert header_dated and {(s["as_of"], s["as_of_precision"]) for s in header_dated} == {(dt.date(2025, 5, 10), "day")}
    assert all(s["as_of"] is not None and s["as_of_precision"] for s in cur["statuses"])


# ---------------------------------------------------------------- 4. hierarchy


def test_71_parts_and_sections_in_their_own_columns(cur, docs):
    spec = load_spec("71_NQ-CP_BCA")
    tasks = _tasks(cur, docs, "71_NQ-CP_BCA.pdf")
    parts = [t["pre_heading"] for t in spec["appendix"]["tables"]]
    assert parts == ["1. NHIỆM VỤ RIÊNG", "2. NHÓM NHIỆM VỤ CHUNG CỦA CÁC BỘ, NGÀNH"]
    for table_no, (part, table) in enumerate(zip(parts, spec["appendix"]["tables"]), start=1):
        expected, section = [], None
        for r in table["rows"]:
            if r["kind"] == "section":
                section = r["cells"][0].rstrip(".")
            else:
                expected.append((part, part.split(".")[0], section, r["cells"][0]))
        got = [(t["part"], t["part_no"], t["section_no"], t["item_no"]) for t in tasks if t["table_no"] == table_no]
        assert got == expected
    keys = Counter((t["part"], t["section"], t["parent_item_no"], t["item_no"]) for t in tasks)
    assert max(keys.values()) == 1
    for item in ("6", "11", "19", "23"):
        places = [(t["part_no"], t["section_no"]) for t in tasks if t["item_no"] == item]
        assert len(places) == 2 and places[0][0] != places[1][0]


def test_07_groups_are_sections_not_parts(cur, docs):
    tasks = _tasks(cur, docs, "07_CT-TTg.pdf")
    assert Counter(t["section_no"] for t in tasks) == {"A": 26, "B": 81, "C": 5}
    assert {t["part"] for t in tasks} == {None}
    assert all(t["section"].startswith(t["section_no"] + " ") for t in tasks)


# ---------------------------------------------------------------- 5. issuer


def test_appendix_issuer_comes_from_its_heading(docs):
    assert docs["552_TB-VPCP_PL2.pdf"]["issuer"] == "Văn phòng Chính phủ"  # "(Kèm theo … của Văn phòng Chính phủ)"
    assert docs["552_TB-VPCP_PL2_scan.pdf"]["issuer"] == "Văn phòng Chính phủ"
    assert docs["71_NQ-CP_BCA.pdf"]["issuer"] == "Bộ Công an"  # "DANH MỤC NHIỆM VỤ BỘ CÔNG AN … CỦA CHÍNH PHỦ"
    assert docs["07_CT-TTg.pdf"]["issuer"] == "Thủ tướng Chính phủ"


# ---------------------------------------------------------------- 6. duplicates


def test_the_scan_is_a_duplicate_of_its_text_twin_and_their_tasks_link(cur, docs):
    text, scan = docs["552_TB-VPCP_PL2.pdf"], docs["552_TB-VPCP_PL2_scan.pdf"]
    assert scan["duplicate_of"] == text["doc_id"]
    assert [d["source_file"] for d in cur["documents"] if d["duplicate_of"]] == ["552_TB-VPCP_PL2_scan.pdf"]
    tasks = {t["task_id"]: t for t in cur["tasks"]}
    # copies of one document are linked apart ('copy_of', from the copy to the primary), never 'same_task'
    assert not [l for l in cur["links"] if l["link_type"] == "same_task"
                and {l["src_doc_id"], l["dst_doc_id"]} == {text["doc_id"], scan["doc_id"]}]
    pairs = [(tasks[l["src_task_id"]], tasks[l["dst_task_id"]]) for l in cur["links"]
             if l["link_type"] == "copy_of" and (l["src_doc_id"], l["dst_doc_id"]) == (scan["doc_id"], text["doc_id"])]
    assert sorted(int(a["item_no"]) for a, b in pairs if a["item_no"] == b["item_no"]) == list(range(1, 15))
    assert len(pairs) == 14


def test_two_copies_of_a_report_are_duplicates(tmp_path, docs):
    spec = load_spec("929_BCA-VPB")
    render_pdf(spec, tmp_path / "929_copy.pdf", options=RenderOptions(body_font_size=12.0))  # other bytes, same text
    other = copy.deepcopy(spec)
    other["document"]["body"] = other["document"]["body"][:3] + ["Nội dung khác hẳn: " + " ".join(map(str, range(300)))]
    render_pdf(other, tmp_path / "929_other.pdf")
    cur = sc.curated_with([tmp_path / "929_copy.pdf", tmp_path / "929_other.pdf"], tmp_path)
    got = sc.by_file(cur)
    assert got["929_copy.pdf"]["doc_id"] != docs["929_BCA-VPB.pdf"]["doc_id"]
    assert got["929_copy.pdf"]["duplicate_of"] == docs["929_BCA-VPB.pdf"]["doc_id"]  # 9 < b: the path decides
    assert got["929_other.pdf"]["duplicate_of"] is None
    assert got["929_BCA-VPB.pdf"]["duplicate_of"] is None


# ---------------------------------------------------------------- 7. citations


def test_ocr_citation_is_repaired_against_the_type_codes(cur, docs):
    """The scan's citation of 1039/TTr-CP comes out right whether OCR reads it right (score 0.9)
    or as "1039/TTTr-CP" (repaired, 0.8); a misread is forced on a page below."""
    scan = docs["552_TB-VPCP_PL2_scan.pdf"]["doc_id"]
    cites = [l for l in cur["links"] if l["link_type"] == "cites"]
    assert not any("TTTr" in l["dst_doc_number"] for l in cites)
    found = [l for l in cites if l["src_doc_id"] == scan and l["dst_doc_number"] == "1039/TTr-CP"]
    assert found and all(l["score"] == (0.8 if "TTTr" in l["raw_text"] else 0.9) for l in found)
    text = docs["552_TB-VPCP_PL2.pdf"]["doc_id"]
    assert {l["score"] for l in cites if l["src_doc_id"] == text} == {1.0}
    assert all(l["score"] < 1.0 for l in cites if l["src_doc_id"] == scan)


def test_an_ocr_misread_type_code_is_repaired_with_a_lower_score():
    from extractors.document import ExtractedDocument
    from extractors.layout import Line, PageContent, Word
    from normalizers.records import document_records

    words = [Word(t, 72.0 + 60 * k, 100.0, 72.0 + 60 * k + 50, 112.0, 5.0, 5.0)
             for k, t in enumerate("Theo Tờ trình số 1039/TTTr-CP của Bộ".split())]
    page = PageContent(1, 595.0, 842.0, "ocr", 40, lines=(Line(tuple(words)),))
    links = document_records("e" * 64, ExtractedDocument(1, (page,), ())).links
    assert [(l["raw_text"], l["dst_doc_number"], l["score"]) for l in links] == [("1039/TTTr-CP", "1039/TTr-CP", 0.8)]


def _appendix_spec(attached_number: str) -> dict:
    return {
        "document": {"issuer": [], "doc_number": None, "place_date": None, "type_word": None, "title": None,
                     "subject": None, "recipients": None, "body": []},
        "appendix": {
            "heading": ["PHỤ LỤC", "DANH MỤC NHIỆM VỤ",
                        f"(Kèm theo Kế hoạch số {attached_number} ngày 02 tháng 6 năm 2025 của Bộ Công an)"],
            "orientation": "portrait",
            "tables": [{"pre_heading": None, "columns": ["STT", "Tên nhiệm vụ", "Đơn vị chủ trì", "Thời hạn"],
                        "col_widths": [8, 52, 22, 18],
                        "rows": [{"kind": "data", "cells": ["1", "Rà soát, cập nhật dữ liệu dân cư theo Chỉ thị 07/CT-TTg", "Bộ Công an", "Tháng 6/2025"]}]}],
        },
    }


def _citing_spec(numbers: list[str]) -> dict:
    return {
        "document": {"issuer": ["BỘ CÔNG AN"], "doc_number": "77/BC-BCA", "place_date": "Hà Nội, ngày 9 tháng 7 năm 2025",
                     "type_word": "BÁO CÁO", "title": "Kết quả thực hiện",
                     "body": [f"Thực hiện văn bản số {n}, Bộ Công an báo cáo như sau." for n in numbers]},
        "appendix": None,
    }


def test_every_citation_of_a_document_in_the_corpus_resolves(tmp_path, docs):
    render_pdf(_appendix_spec("12/KH-BCA"), tmp_path / "pl_12_KH-BCA.pdf")
    render_pdf(_citing_spec(["12/KH-BCA", "929/BCA-VPB", "07/CT-TTg", "999/QĐ-TTg"]), tmp_path / "77_BC-BCA.pdf")
    cur = sc.curated_with([tmp_path / "pl_12_KH-BCA.pdf", tmp_path / "77_BC-BCA.pdf"], tmp_path)
    got = sc.by_file(cur)
    assert got["pl_12_KH-BCA.pdf"]["attached_to"] == "12/KH-BCA"
    known = {}
    for d in sorted(cur["documents"], key=lambda d: (d["duplicate_of"] is not None, d["source_file"])):
        for number in (d["doc_number"], d["attached_to"]):
            if number:
                known.setdefault(number, d["doc_id"])
    cites = [l for l in cur["links"] if l["link_type"] == "cites"]
    in_corpus = [l for l in cites if l["dst_doc_number"] in known and known[l["dst_doc_number"]] != l["src_doc_id"]]
    assert {l["dst_doc_number"] for l in in_corpus} >= {"12/KH-BCA", "929/BCA-VPB", "07/CT-TTg"}
    assert all(l["dst_doc_id"] == known[l["dst_doc_number"]] for l in in_corpus)
    src = got["77_BC-BCA.pdf"]["doc_id"]
    resolved = {l["dst_doc_number"]: l["dst_doc_id"] for l in cites if l["src_doc_id"] == src}
    assert resolved == {"12/KH-BCA": got["pl_12_KH-BCA.pdf"]["doc_id"], "929/BCA-VPB": docs["929_BCA-VPB.pdf"]["doc_id"],
                        "07/CT-TTg": docs["07_CT-TTg.pdf"]["doc_id"], "999/QĐ-TTg": None}


def test_citations_carry_the_box_they_are_printed_in(cur):
    pages = {}
    for name, (doc_id, ex) in sc.extracted().items():
        for p in ex.pages:
            pages[(doc_id, p.page)] = p
    cells = {(c["doc_id"], c["page"], c["x0"], c["top"], c["x1"], c["bottom"]): c["text"] for c in cur["cells"]}
    cites = [l for l in cur["links"] if l["link_type"] == "cites"]
    in_cells = 0
    for l in cites:
        box = l["src_box"]
        assert box["page"] == l["src_page"]
        key = (l["src_doc_id"], box["page"], box["x0"], box["top"], box["x1"], box["bottom"])
        if key in cells:  # the table cell that prints the number
            in_cells += 1
            assert l["raw_text"].replace(" ", "") in cells[key].replace(" ", "")
            continue
        page = pages[(l["src_doc_id"], l["src_page"])]  # else the words of the number, in prose
        inside = [w.text for line in page.lines for w in line.words
                  if w.x0 >= box["x0"] - 0.01 and w.x1 <= box["x1"] + 0.01 and w.top >= box["top"] - 0.01 and w.bottom <= box["bottom"] + 0.01]
        assert l["raw_text"].replace(" ", "") in "".join(inside), (l["raw_text"], inside)
        assert len("".join(inside)) <= len(l["raw_text"]) + 40
    assert 0 < in_cells < len(cites)
    same = [l for l in cur["links"] if l["link_type"] == "same_task"]
    tasks = {t["task_id"]: t for t in cur["tasks"]}
    assert same and all(l["src_box"] == tasks[l["src_task_id"]]["spans"][0] for l in same)
    statuses = [s for s in cur["statuses"] if s["cell_box"] is not None]
    assert len(statuses) == len(cur["statuses"])


# ---------------------------------------------------------------- 8. collective agencies


def test_a_collective_lead_is_kept_as_printed(cur, docs):
    tasks = [t for t in _tasks(cur, docs, "552_TB-VPCP_PL2.pdf") if (t["lead_agency_raw"] or "").startswith("Cơ quan ngang bộ")]
    assert tasks
    for t in tasks:
        assert t["lead_agencies"] == ["Cơ quan ngang bộ, cơ quan thuộc Chính phủ, Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương"]


# ---------------------------------------------------------------- 9. stated counts


def test_stated_counts_of_the_sample_corpus_hold(cur, docs):
    from normalizers.crosschecks import stated_count_problems

    recs = sc.records()
    stated = {d: r.stated_counts for d, r in recs.items()}
    cv = docs["929_BCA-VPB.pdf"]["doc_id"]
    assert [(s.cited, s.total, [n for n, _ in s.parts]) for s in stated[cv]] == [("07/CT-TTg", 112, [26, 86])]
    assert stated_count_problems(stated, cur) == []
    ct = docs["07_CT-TTg.pdf"]["doc_id"]
    lost = {**cur, "tasks": [t for t in cur["tasks"] if not (t["doc_id"] == ct and t["item_no"] == "5" and t["section_no"] == "C")]}
    assert stated_count_problems(stated, lost) == [
        "929_BCA-VPB.pdf p.2 ('112 nhiệm vụ (26 nhiệm vụ chung, 86 nhiệm vụ cụ thể)') about 07/CT-TTg: states 112 tasks, 111 extracted"
    ]


def _printed_numbers(spec: dict, data_rows: int | None = None) -> set[str]:
    """Document numbers printed in a ground-truth spec (all its text; the first `data_rows` task rows only)."""
    from normalizers.docnumbers import find_doc_numbers, normalize_doc_number

    doc, app = spec["document"], spec.get("appendix")
    texts = [doc.get("subject") or "", doc.get("title") or "", *doc.get("body", []), *doc.get("footnotes", [])]
    n = 0
    for table in (app or {}).get("tables", []):
        texts.append(table.get("pre_heading") or "")
        for r in table["rows"]:
            n += r["kind"] == "data"
            if data_rows is None or n <= data_rows:
                texts += r["cells"]
    texts += (app or {}).get("heading", [])
    return {dn.normalized for t in texts for dn, _, _ in find_doc_numbers(t)} - {normalize_doc_number(doc.get("doc_number"))}


def test_citations_from_text_and_ocr_match_the_numbers_printed(cur, docs):
    specs = {"07_CT-TTg.pdf": ("07_CT-TTg", None), "552_TB-VPCP_PL2.pdf": ("552_TB-VPCP_PL2", None),
             "552_TB-VPCP_PL2_scan.pdf": ("552_TB-VPCP_PL2", 14), "71_NQ-CP_BCA.pdf": ("71_NQ-CP_BCA", None),
             "929_BCA-VPB.pdf": ("929_BCA-VPB", None), "bao_cao_02-KH_BCDTW.pdf": ("bao_cao_02-KH_BCDTW", None)}
    for method in ("text", "ocr"):
        expected, got = set(), set()
        for name, (spec, rows) in specs.items():
            if (docs[name]["n_ocr_pages"] > 0) != (method == "ocr"):
                continue
            expected |= {(name, n) for n in _printed_numbers(load_spec(spec), rows)}
            got |= {(name, l["dst_doc_number"]) for l in cur["links"]
                    if l["link_type"] == "cites" and l["src_doc_id"] == docs[name]["doc_id"]}
        precision, recall = len(got & expected) / len(got), len(got & expected) / len(expected)
        print(f"\ncitations ({method}): {len(expected)} printed, {len(got)} found, precision {precision:.3f}, recall {recall:.3f}")
        record(f"sample-citations-{method}", {"precision": precision, "recall": recall})
        assert precision >= 0.98 and recall >= 0.98, (method, sorted(got ^ expected))


def test_a_task_name_writes_the_ellipsis_one_way(cur, docs):
    """The curated name holds '…' as '...' (the form OCR reads; tasks.name's description), on a
    text row as on an OCR'd one: the same task printed either way reads the same."""
    assert not [t["name"] for t in cur["tasks"] if "…" in t["name"]]
    names = [t["name"] for t in _tasks(cur, docs, "71_NQ-CP_BCA.pdf")]
    assert any("việc làm,...)" in n for n in names)
    assert any("…" in (r["cells"][1] if len(r["cells"]) > 1 else "")
               for t in load_spec("71_NQ-CP_BCA")["appendix"]["tables"] for r in t["rows"])
