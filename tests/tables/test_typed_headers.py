"""Headers of tables that are no task tables, told by the type of the columns under them
(the tax schedule of Luật 109/2025/QH15: "Bậc thuế" over 1 … 5, "Thuế suất (%)" over 5 … 35)."""

from extractors.headers import heads_by_type, is_numeric_cell


def test_numbers_as_tables_print_them():
    assert all(is_numeric_cell(t) for t in ["5", "1.200", "12,5%", "(3)", "15/3/2025", " 35 "])
    assert not any(is_numeric_cell(t) for t in ["", "Đến 120", "Bậc thuế", "x", "-", "S01-DN"])


def test_header_told_by_the_type_of_the_columns_under_it():
    body = [["1", "Đến 120", "5"], ["2", "Trên 120 đến 360", "10"], ["3", "Trên 360", "20"]]
    assert heads_by_type(["Bậc thuế", "Thu nhập (triệu đồng)", "Thuế suất (%)"], body)
    # a worded first row over only one column of numbers, a first row holding a number,
    # a first row with an empty cell, or a body too short to type: no header by type
    assert not heads_by_type(["Bậc thuế", "Thu nhập", "Ghi chú"], [["1", "Đến 120", "a"], ["2", "Trên 120", "b"]])
    assert not heads_by_type(["1", "Đến 120", "5"], body[1:])
    assert not heads_by_type(["Bậc thuế", "", "Thuế suất"], body)
    assert not heads_by_type(["Bậc thuế", "Thu nhập", "Thuế suất"], body[:1])
