"""Stated task counts ("tổng số 112 nhiệm vụ (26 nhiệm vụ chung, 86 nhiệm vụ cụ thể)") against extracted tasks."""

from __future__ import annotations

from normalizers.crosschecks import StatedCount, find_stated_counts, stated_count_problems

SENTENCE = ("Bộ Công an đã tham mưu Thủ tướng Chính phủ ban hành Chỉ thị số 07/CT-TTg ngày 14/03/2025 về đẩy mạnh "
            "triển khai Đề án 06 tại các Bộ, ngành, địa phương trong năm 2025 và những năm tiếp theo với tổng số 112 "
            "nhiệm vụ (26 nhiệm vụ chung, 86 nhiệm vụ cụ thể), có lộ trình hoàn thành từng tháng")
GROUPS = {"A": ("A Nhiệm vụ chung của các bộ, ngành, địa phương", 26), "B": ("B Nhiệm vụ cụ thể của các bộ, ngành", 81),
          "C": ("C Nhiệm vụ của các địa phương", 5)}


def _curated(groups=GROUPS):
    docs = [{"doc_id": "ct", "source_file": "07.pdf", "doc_number": "07/CT-TTg", "attached_to": None, "duplicate_of": None},
            {"doc_id": "cv", "source_file": "929.pdf", "doc_number": "929/BCA-VPB", "attached_to": None, "duplicate_of": None}]
    tasks = [{"doc_id": "ct", "part": None, "section": heading, "item_no": str(i)}
             for heading, n in groups.values() for i in range(1, n + 1)]
    return {"documents": docs, "tasks": tasks}


def test_the_statement_of_929_is_found_with_its_cited_document():
    (s,) = find_stated_counts([(2, SENTENCE)])
    assert (s.page, s.cited, s.total, s.parts) == (2, "07/CT-TTg", 112, ((26, "chung"), (86, "cụ thể")))


def test_counts_without_a_cited_number_or_without_parts_are_not_statements():
    assert find_stated_counts([(1, "giao 06 nhóm nhiệm vụ lớn và 22 nhiệm vụ chi tiết")]) == []
    assert find_stated_counts([(1, "20 nhiệm vụ chung; 60 nhiệm vụ cụ thể (44 nhiệm vụ của các Bộ, ngành và 16 nhiệm vụ của các địa phương) tại Kế hoạch số 02")]) == []


def test_112_is_26_plus_81_plus_5_as_printed_per_group():
    stated = {"cv": find_stated_counts([(2, SENTENCE)])}
    assert stated_count_problems(stated, _curated()) == []


def test_a_lost_task_is_reported():
    stated = {"cv": find_stated_counts([(2, SENTENCE)])}
    groups = {**GROUPS, "B": (GROUPS["B"][0], 80)}
    (problem,) = stated_count_problems(stated, _curated(groups))
    assert "929.pdf p.2" in problem and "states 112 tasks, 111 extracted" in problem


def test_a_task_in_the_wrong_group_is_reported():
    stated = {"cv": find_stated_counts([(2, SENTENCE)])}
    groups = {"A": (GROUPS["A"][0], 25), "B": (GROUPS["B"][0], 82), "C": GROUPS["C"]}
    (problem,) = stated_count_problems(stated, _curated(groups))
    assert "not made of whole groups" in problem


def test_parts_that_do_not_add_up_and_documents_outside_the_corpus():
    bad = StatedCount(1, "07/CT-TTg", 112, ((26, "chung"), (80, "cụ thể")), "…")
    assert any("do not add up" in p for p in stated_count_problems({"cv": [bad]}, _curated()))
    elsewhere = StatedCount(1, "315/TB-VPCP", 28, ((6, "lớn"), (22, "chi tiết")), "…")
    assert stated_count_problems({"cv": [elsewhere]}, _curated()) == []
