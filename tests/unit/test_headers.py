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
