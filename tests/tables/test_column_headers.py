"""Column meanings from header text, whatever the wording, case or wrapping."""

from extractors.headers import column_roles, is_column_number_row, looks_like_header


def test_roles_of_the_three_seed_layouts():
    assert column_roles(["TT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Kết quả yêu cầu", "Thời hạn hoàn thành",
                         "Kết quả (đến ngày 10/5/2025)", "Dự kiến kết quả đến tháng 6/2025", "Vướng mắc, kiến nghị"]) == [
        "item_no", "name", "lead", "required_result", "deadline", "result", "expected_result", "obstacles"]
    assert column_roles(["STT", "NHIỆM VỤ", "ĐƠN VỊ CHỦ TRÌ", "ĐƠN VỊ PHỐI HỢP", "THỜI GIAN HOÀN THÀNH"]) == [
        "item_no", "name", "lead", "coordinators", "deadline"]
    assert column_roles(["STT", "Tên nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Kết quả thực hiện", "Tiến độ"]) == [
        "item_no", "name", "lead", "deadline", "result", "status"]


def test_wrapped_and_reordered_headers():
    assert column_roles(["Thời hạn", "S T T", "Cơ quan phối hợp", "Nội dung"]) == ["deadline", "item_no", "coordinators", "name"]


def test_data_rows_are_not_headers():
    assert not looks_like_header(["1", "Xây dựng Kế hoạch", "Bộ Công an", "Tháng 3/2025"])
    assert not looks_like_header(["Đã hoàn thành", "Bộ Công an", "31/10/2025"])
    assert looks_like_header(["STT", "Tên nhiệm vụ", "Đơn vị chủ trì", "Thời hạn"])


def test_column_number_rows():
    assert is_column_number_row(["(1)", "(2)", "(3)", "(4)"])
    assert is_column_number_row(["1", "2", "3"])
    assert not is_column_number_row(["1", "3", "4"])


def test_headers_damaged_by_ocr_keep_their_roles():
    # spaces moved inside the words of a wrapped header, marks lost or changed
    assert column_roles(["STT", "NHIỆM VỤ", "ĐƠN VỊ CHỦ TRÌ", "ĐƠN VỊ PHỐI HỢP", "THỜ IGI AN HOÀ NT HÀNH"]) == [
        "item_no", "name", "lead", "coordinators", "deadline"]
    assert column_roles(["STT", "Tên nhiệm vụ", "Đon vi chủ tri", "Thởi hạn", "Kết quả thực hiện", "Tiên đô"]) == [
        "item_no", "name", "lead", "deadline", "result", "status"]
    assert column_roles(["TT", "TH ỜI H ẠN", "Cơ quan chù trì"]) == ["item_no", "deadline", "lead"]


def test_a_match_with_the_marks_right_wins_over_one_without_them():
    from extractors.headers import role_candidates

    exact = dict((r, s) for s, r in role_candidates("Thời hạn"))
    unmarked = dict((r, s) for s, r in role_candidates("Thoi han"))
    assert exact["deadline"] == 100 and 88 <= unmarked["deadline"] < 100


def test_body_cells_are_not_taken_for_headers_without_marks():
    for text in ("Đã hoàn thành", "Bộ Công an", "Quý II/2025", "Tháng 6/2025", "Thường xuyên", "Bộ Tư pháp",
                 "Xây dựng cơ sở dữ liệu quốc gia về dân cư"):
        from extractors.headers import header_role

        assert header_role(text) is None, text
