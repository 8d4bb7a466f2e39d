"""Same-task matching of task names: copies, rewordings, truncations, clauses; one to one."""

from __future__ import annotations

from normalizers.fingerprint import bare_words, containment, shingles
from normalizers.sametask import SAME_TASK_MIN_SCORE, name_key, name_score, same_task_pairs

LONG = ("Triển khai giải pháp tạo lập tài khoản an sinh cho người dân, phấn đấu trong năm 2025, mỗi người dân "
        "Việt Nam thuộc đối tượng nhận chi trả an sinh theo quy định có một tài khoản an sinh.")


def _t(name, doc="a", lead=(), item="1", raw=None):
    return {"doc_id": doc, "source_file": doc + ".pdf", "task_id": doc + item, "table_no": 1, "row_no": int(item),
            "name": name, "lead_agencies": list(lead), "lead_agency_raw": raw}


def test_keys_expand_abbreviations_and_drop_accents():
    assert name_key("Xây dựng CSDL về TTHC") == bare_words("Xây dựng cơ sở dữ liệu về thủ tục hành chính")


def test_copies_rewordings_and_truncations_score_high():
    assert name_score(_t(LONG), _t(LONG.rstrip("."))) == 100
    assert name_score(_t(LONG), _t(" ".join(LONG.split()[:12]) + " …")) >= SAME_TASK_MIN_SCORE
    reworded = LONG.replace("Triển khai", "Thực hiện").replace("người dân", "công dân", 1)
    assert name_score(_t(LONG), _t(reworded)) >= SAME_TASK_MIN_SCORE


def test_a_clause_of_a_longer_task_needs_agreeing_leads():
    clause = "tài khoản ngân hàng được liên kết với ứng dụng VNeID để làm sạch phục vụ chi trả an sinh, đảm bảo tính minh bạch"
    whole = LONG + " Thực hiện rà soát tài khoản của người dân trên VNeID; " + clause
    assert name_score(_t(whole, lead=["Bộ Công an"]), _t(clause, lead=["Bộ Công an"])) >= SAME_TASK_MIN_SCORE
    assert name_score(_t(whole, lead=["Bộ Công an"]), _t(clause, lead=["Bộ Y tế"])) < SAME_TASK_MIN_SCORE
    assert name_score(_t(whole, lead=["Bộ Công an"]), _t(clause, lead=["Các bộ, ngành"])) >= SAME_TASK_MIN_SCORE


def test_tasks_sharing_words_in_another_order_are_not_the_same():
    a = "Hướng dẫn và triển khai các giải pháp bảo đảm an toàn, an ninh thông tin, dữ liệu."
    b = ("Các Bộ, ngành chủ động nâng cấp các Hệ thống thông tin giải quyết thủ tục hành chính, bảo đảm an ninh, "
         "an toàn thông tin và kết nối với Cơ sở dữ liệu quốc gia về dân cư, các giải pháp dữ liệu")
    assert name_score(_t(a), _t(b)) < SAME_TASK_MIN_SCORE


def test_pairs_are_one_to_one_and_ties_go_to_the_same_lead():
    name = "Xây dựng và trình Quốc hội ban hành Nghị quyết quy định về cơ chế đặc thù đầu tư, mua sắm công"
    directive = [_t(name, "a", item="1", raw="Bộ Tài chính"), _t(name, "a", item="2", raw="Bộ Tài chính (Nhiệm vụ Bộ Kế hoạch và Đầu tư chuyển sang)")]
    report = [_t(name, "b", item="1", raw="Bộ Tài chính (Nhiệm vụ Bộ Kế hoạch và Đầu tư chuyển sang)")]
    pairs = same_task_pairs(directive + report)
    assert [(a["task_id"], b["task_id"]) for a, b, _ in pairs] == [("a2", "b1")]
    assert same_task_pairs([_t("Báo cáo", "a"), _t("Báo cáo", "b")]) == []  # too short to tell


def test_fingerprints_find_the_same_text_despite_ocr_noise():
    text = [LONG, "Bộ Công an chủ trì, phối hợp với các bộ, ngành triển khai thực hiện nhiệm vụ được giao.", LONG[::-1]]
    ocr = [t.replace("ư", "u").replace("ế", "e") for t in text]  # diacritics lost: keys ignore them
    assert containment(shingles(text), shingles(ocr)) == 1.0
    assert containment(shingles(text), shingles(["Một văn bản khác hẳn về nội dung và từ ngữ được dùng ở đây."])) == 0.0


def test_a_bracketed_remark_left_out_by_the_report_still_matches():
    directive = ("Tập trung triển khai xây dựng, hoàn thiện các văn bản hướng dẫn Luật đã được Quốc hội thông qua, trọng "
                 "tâm là Luật Giao dịch điện tử, Luật Dữ liệu (đảm bảo đáp ứng về mặt thời gian Luật dữ liệu có hiệu lực "
                 "từ ngày 01/7/2025). Đồng thời, hoàn thiện các vấn đề pháp lý phục vụ phát triển khoa học công nghệ, "
                 "đổi mới sáng tạo và chuyển đổi số")
    report = ("Triển khai xây dựng, hoàn thiện các văn bản hướng dẫn Luật đã được Quốc hội thông qua, trọng tâm là Luật "
              "Giao dịch điện tử, Luật Dữ liệu. Đồng thời, hoàn thiện các vấn đề pháp lý phục vụ phát triển khoa học "
              "công nghệ, đổi mới sáng tạo và CĐS")
    lead = ["Các bộ, ngành, địa phương"]
    assert name_score(_t(directive, lead=lead), _t(report, lead=lead)) >= SAME_TASK_MIN_SCORE
    assert name_score(_t(report, lead=lead), _t(directive, lead=lead)) >= SAME_TASK_MIN_SCORE
    # the remark is what tells two tasks apart when both print one: not left out then
    a, b = "Báo cáo kết quả thực hiện nhiệm vụ chuyển đổi số (quý I/2025)", "Báo cáo kết quả thực hiện nhiệm vụ chuyển đổi số (năm 2026)"
    assert name_score(_t(a), _t(b)) < 100
