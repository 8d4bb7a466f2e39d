"""Column roles from content where OCR left a header unreadable (normalizers/columns.py)."""

from normalizers.columns import agency_share, deadline_share, roles_from_content

DEADLINES = ["Quý II/2025", "Thán Š 12/2025", "Thường xuyên", "31/10/2025", "", "Hằng năm"]
AGENCIES = ["Bộ Công an", "Bộ Tư pháp", "Văn phòng Chính phủ", "Bộ Tài chính", "Bộ Y tế"]
NAMES = ["Xây dựng kế hoạch", "Hoàn thiện cơ sở dữ liệu", "Ban hành quy chế", "Tổng kết", "Báo cáo"]


def test_a_column_of_deadlines_is_the_deadline_column():
    share, n = deadline_share(DEADLINES)
    assert share == 1.0 and n == 5  # empty cells do not count
    roles = roles_from_content(["item_no", "name", "lead", None], [[], NAMES, AGENCIES, DEADLINES])
    assert roles == ["item_no", "name", "lead", "deadline"]


def test_the_header_wins_and_no_role_is_invented():
    # a deadline column named by its header stays the only one
    assert roles_from_content(["name", "deadline", None], [NAMES, DEADLINES, DEADLINES]) == ["name", "deadline", None]
    # a column of names or agencies is no deadline column; nor is one with too few cells
    assert roles_from_content(["name", "lead", None, None], [NAMES, AGENCIES, AGENCIES, NAMES]) == ["name", "lead", None, None]
    assert roles_from_content(["name", None], [NAMES, ["Quý II/2025", "", "Tháng 6/2025"]]) == ["name", None]
    # a column with deadlines in some cells only (a result column citing dates) is not one
    mixed = ["Đã ban hành ngày 12/5/2025", "Đang thực hiện", "Chưa thực hiện", "Đã trình", "Tháng 6/2025"]
    assert roles_from_content(["name", None], [NAMES, mixed]) == ["name", None]


def test_a_column_naming_registry_bodies_is_the_lead_column():
    coordinators = ["Các bộ, ngành liên quan", "Bộ Tài chính, Bộ Tư pháp", "Bộ Y tế", "UBND các tỉnh", "Bộ Công an"]
    share, n = agency_share(AGENCIES)
    assert share == 1.0 and n == 5
    assert roles_from_content(["item_no", "name", None, "deadline"], [[], NAMES, AGENCIES, DEADLINES]) == [
        "item_no", "name", "lead", "deadline"]
    # both agency columns unnamed: the leftmost of equals leads, the other keeps no role
    assert roles_from_content(["name", None, None], [NAMES, AGENCIES, AGENCIES]) == ["name", "lead", None]
    # a named lead column stays the only one; names and deadlines name no body
    assert roles_from_content(["name", "lead", None], [NAMES, AGENCIES, coordinators]) == ["name", "lead", None]
    assert agency_share(NAMES)[0] < 0.5 and agency_share(DEADLINES)[0] == 0.0


LONG_NAMES = ["Chỉ đạo, đôn đốc các bệnh viện trên toàn quốc", "Xây dựng Nghị định quy định về Quỹ phát triển dữ liệu",
              "Rà soát các quy định pháp luật để tháo gỡ kịp thời", "Nghiên cứu, xây dựng Đề án phát triển"]


def test_the_widest_column_of_long_text_is_the_name_column_under_an_item_number_column():
    # "NHIỆM VỤ" OCR'd to "NHII!M VỤ" under a seal: the header names every column but the tasks'
    roles = roles_from_content(["item_no", None, "lead", "coordinators", "deadline"],
                               [["1", "2", "3", "4"], LONG_NAMES, AGENCIES, AGENCIES, DEADLINES],
                               widths=[44, 320, 152, 158, 41])
    assert roles == ["item_no", "name", "lead", "coordinators", "deadline"]
    # without widths the text alone says it
    assert roles_from_content(["item_no", None, "lead"], [[], LONG_NAMES, AGENCIES]) == ["item_no", "name", "lead"]
    # of two columns of long text, the one with more words
    longer = [n + " theo kế hoạch của Chính phủ" for n in LONG_NAMES]
    assert roles_from_content(["item_no", None, None], [[], LONG_NAMES, longer]) == ["item_no", None, "name"]


def test_no_name_column_is_invented():
    # the header named one: it stays the only one
    assert roles_from_content(["item_no", "name", None], [[], NAMES, LONG_NAMES]) == ["item_no", "name", None]
    # no item-number column: no task list to infer
    assert roles_from_content([None, "lead", None], [LONG_NAMES, AGENCIES, NAMES]) == [None, "lead", None]
    # short text (a list of positions, of two-word names) is no task text
    assert roles_from_content(["item_no", None, "lead"], [[], NAMES, AGENCIES]) == ["item_no", None, "lead"]
    # too few filled cells
    assert roles_from_content(["item_no", None], [[], LONG_NAMES[:2] + ["", ""]]) == ["item_no", None]
    # a column of long text that is not the table's widest (a narrow note column beside a wide one)
    assert roles_from_content(["item_no", None, "result"], [[], LONG_NAMES, LONG_NAMES],
                              widths=[40, 120, 300]) == ["item_no", None, "result"]
