"""normalizers.tracking and the corpus rules it relies on: the one meaning of open, which
documents originate tasks, the latest status through same_task links (copies left out), which
documents are copies of one another, and the direction of same_task links."""

from __future__ import annotations

import datetime as dt

from normalizers.corpus import same_document, same_task_links
from normalizers.tracking import current_agencies, is_open, is_overdue, originating_document, tracking_rows

D = dt.date
NAME = "Xây dựng và trình Quốc hội ban hành Nghị quyết quy định về cơ chế đặc thù đầu tư, mua sắm công"


def test_open_means_not_reported_completed():
    assert not is_open("completed") and not is_open("completed_late")
    assert all(is_open(s) for s in (None, "unknown", "in_progress", "not_completed", "overdue"))


def test_overdue_is_open_and_past_due_on_the_date():
    on = D(2025, 7, 1)
    assert is_overdue(None, D(2025, 6, 30), False, on)
    assert not is_overdue(None, D(2025, 7, 1), False, on)  # due that day: not yet
    assert not is_overdue("completed", D(2025, 1, 1), False, on)
    assert not is_overdue("in_progress", D(2025, 1, 1), True, on)  # "… và những năm tiếp theo"
    assert not is_overdue("in_progress", None, False, on)
    assert is_overdue("overdue", None, False, on)  # the report says so


def test_originating_documents():
    doc = lambda **kw: {"doc_type": None, "attached_to": None, "doc_number": None, **kw}  # noqa: E731
    assert originating_document(doc(doc_type="Chỉ thị", doc_number="07/CT-TTg"))
    assert originating_document(doc(doc_type="Kế hoạch"))
    assert not originating_document(doc(doc_type="Báo cáo"))
    assert not originating_document(doc(doc_type="Công văn"))
    assert originating_document(doc(doc_type="Phụ lục", attached_to="07/CT-TTg"))
    assert not originating_document(doc(doc_type="Phụ lục", attached_to="12/BC-BCA"))
    assert originating_document(doc(doc_type="Phụ lục"))  # parent unknown
    assert originating_document(doc(doc_type="Công điện"))
    assert not originating_document(doc(doc_number="12/BC-BCA"))  # type unread: the number's code tells
    assert not originating_document(doc(doc_type="Tờ trình"))


def test_leads_now_follow_the_successors():
    assert current_agencies(["Bộ Kế hoạch và Đầu tư", "Bộ Tài chính", "Bộ Công an"]) == ["Bộ Tài chính", "Bộ Công an"]


def _doc(doc_id, number, kind="Báo cáo", date=None, dup=None, **kw):
    return {"doc_id": doc_id, "source_file": f"{doc_id}.pdf", "doc_number": number, "doc_type": kind,
            "issued_date": date, "attached_to": None, "duplicate_of": dup, "issuer": None, "title": None, **kw}


def _task(doc_id, item, name=NAME, due=D(2025, 6, 30)):
    return {"task_id": f"{doc_id}-{item}", "doc_id": doc_id, "source_file": f"{doc_id}.pdf", "table_no": 1,
            "row_no": int(item), "part_no": None, "section_no": None, "item_no": item, "name": name,
            "lead_agencies": ["Bộ Kế hoạch và Đầu tư"], "lead_agency_raw": "Bộ Kế hoạch và Đầu tư",
            "deadline_raw": "Tháng 6/2025", "deadline_kind": "month", "deadline_due": due,
            "deadline_open_ended": False, "page_start": 1, "spans": []}


def _status(task_id, status, as_of):
    return {"status_id": f"s-{task_id}", "task_id": task_id, "doc_id": task_id.split("-")[0], "status": status,
            "as_of": as_of, "result": f"{status} at {as_of}"}


def _cite(src, number):
    return {"link_type": "cites", "src_doc_id": src, "dst_doc_number": number}


def test_same_task_links_go_from_the_report_to_the_document_it_cites():
    docs = [_doc("d1", "1/CT-TTg", "Chỉ thị"), _doc("d2", "2/CT-TTg", "Chỉ thị"), _doc("r1", "10/BC-BCA"),
            _doc("r1scan", "10/BC-BCA", dup="r1")]
    tasks = [_task("d1", "1"), _task("d2", "1"), _task("r1", "1"), _task("r1scan", "1")]
    links = [_cite("r1", "1/CT-TTg"), _cite("r1scan", "1/CT-TTg")]
    got = {(l["link_type"], l["src_doc_id"], l["dst_doc_id"]) for l in same_task_links(tasks, docs, links, {"r1", "r1scan"})}
    # d2 repeats the text: another task, no link; the scan is a copy of r1, linked apart
    assert got == {("same_task", "r1", "d1"), ("same_task", "r1scan", "d1"), ("copy_of", "r1scan", "r1")}
    # a document that gives no statuses reports on nothing, even when it cites
    assert {l["link_type"] for l in same_task_links(tasks, docs, links, set())} == {"copy_of"}


def test_the_latest_status_follows_reports_of_reports_and_leaves_copies_out():
    docs = [_doc("d1", "1/CT-TTg", "Chỉ thị", D(2025, 3, 1)), _doc("r1", "10/BC-BCA", date=D(2025, 5, 1)),
            _doc("r2", "11/BC-BCA", date=D(2025, 9, 1)), _doc("r2copy", "11/BC-BCA", date=D(2025, 9, 1), dup="r2"),
            _doc("r3copy", "12/BC-BCA", date=D(2025, 12, 1), dup="r1")]
    tasks = [_task(d["doc_id"], "1") for d in docs]
    statuses = [_status("r1-1", "in_progress", D(2025, 5, 1)), _status("r2-1", "completed_late", D(2025, 9, 1)),
                _status("r3copy-1", "not_completed", D(2025, 12, 1))]
    link = lambda s, d: {"link_type": "same_task", "src_doc_id": s.split("-")[0], "src_task_id": s,  # noqa: E731
                         "dst_doc_id": d.split("-")[0], "dst_task_id": d}
    links = [link("r1-1", "d1-1"), link("r2-1", "r1-1"), link("r3copy-1", "d1-1"),
             {"link_type": "copy_of", "src_doc_id": "r2copy", "src_task_id": "r2copy-1", "dst_doc_id": "r2", "dst_task_id": "r2-1"}]
    rows = tracking_rows(docs, tasks, statuses, links, D(2025, 10, 1))
    assert [r["task_id"] for r in rows] == ["d1-1"]  # reports are not originating; copies never
    row = rows[0]
    assert [s["status"] for s in row["statuses"]] == ["in_progress", "completed_late"]  # the copy's left out
    assert (row["latest_status"], row["latest_as_of"], row["latest_doc_number"]) == ("completed_late", D(2025, 9, 1), "11/BC-BCA")
    assert not row["is_open"] and not row["is_overdue"] and row["lead_agencies_now"] == ["Bộ Tài chính"]


def test_same_document_needs_agreeing_identity_and_near_identical_text():
    text = frozenset(range(1000))
    directive, report = _doc("a", "07/CT-TTg", "Chỉ thị"), _doc("b", "200/TB-VPCP", "Thông báo")
    assert not same_document(directive, report, text, frozenset(range(900)))  # other number and type
    scan = _doc("c", "07/CT-TTg", "Chỉ thị")
    assert same_document(directive, scan, text, frozenset(range(50, 1000)))  # the same text, OCR'd
    first_pages = _doc("e", None, "Chỉ thị", title="Đẩy mạnh triển khai Đề án 06")
    whole = _doc("f", None, "Chỉ thị", title="ĐẨY MẠNH TRIỂN KHAI ĐỀ ÁN 06")
    assert same_document(whole, first_pages, text, frozenset(range(300)))  # some pages, same title and kind
    other = _doc("g", None, "Chỉ thị", title="Về công tác phòng, chống thiên tai năm 2025")
    assert not same_document(whole, other, text, frozenset(range(300)))
    assert not same_document(_doc("h", "1/CT-TTg", "Chỉ thị", D(2025, 1, 1)), _doc("i", "1/CT-TTg", "Chỉ thị", D(2025, 2, 1)),
                             text, text)  # dates disagree


def test_an_appendix_in_a_file_of_its_own_is_never_a_copy_of_its_report():
    """The appendix prints its report's number, date and issuer as its own (normalizers.document)."""
    text = frozenset(range(1000))
    report = _doc("r", "10/BC-BCA", date=D(2025, 5, 1), title="Kết quả thực hiện Chỉ thị số 1/CT-TTg")
    appendix = _doc("p", "10/BC-BCA", "Phụ lục", date=D(2025, 5, 1), attached_to="10/BC-BCA")
    assert not same_document(report, appendix, text, text) and not same_document(appendix, report, text, text)
    scan = _doc("q", "10/BC-BCA", "Phụ lục", date=D(2025, 5, 1), attached_to="10/BC-BCA")
    assert same_document(appendix, scan, text, frozenset(range(50, 1000)))  # two copies of the appendix still are


def test_an_appendix_sharing_its_reports_number_reports_on_what_the_report_cites():
    docs = [_doc("d1", "1/CT-TTg", "Chỉ thị", D(2025, 3, 1)), _doc("r1", "10/BC-BCA", date=D(2025, 5, 1)),
            _doc("p1", "10/BC-BCA", "Phụ lục", D(2025, 5, 1), attached_to="10/BC-BCA")]
    tasks = [_task("d1", "1"), _task("p1", "1")]
    links = [_cite("r1", "1/CT-TTg"), _cite("p1", "10/BC-BCA")]
    got = {(l["link_type"], l["src_doc_id"], l["dst_doc_id"]) for l in same_task_links(tasks, docs, links, {"p1"})}
    assert got == {("same_task", "p1", "d1")}
    statuses = [_status("p1-1", "completed", D(2025, 5, 1))]
    task_links = [{**l, "src_task_id": "p1-1", "dst_task_id": "d1-1"} for l in same_task_links(tasks, docs, links, {"p1"})]
    rows = tracking_rows(docs, tasks, statuses, task_links, D(2025, 10, 1))
    assert [(r["task_id"], r["latest_status"]) for r in rows] == [("d1-1", "completed")]  # the appendix is the report's
