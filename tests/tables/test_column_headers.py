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


def test_a_header_cell_over_columns_that_names_one_role_each_is_split():
    """A scan loses the rule between two header cells: OCR reads "Nội dung Cơ quan chủ trì"
    over both columns; each column takes the part that names its role, left to right."""
    from extractors.headers import split_spans

    merged = "Nội dung Cơ quan chủ trì"
    headers = ["STT", merged, merged, "Cơ quan phối hợp", "Sản phẩm", "Thời hạn"]
    assert split_spans(headers) == ["STT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Sản phẩm", "Thời hạn"]
    assert column_roles(headers) == ["item_no", "name", "lead", "coordinators", "required_result", "deadline"]
    three = "Tên nhiệm vụ Cơ quan chủ trì Cơ quan phối hợp"
    assert split_spans([three] * 3) == ["Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp"]


def test_a_parent_header_over_columns_is_not_split():
    """A header cell over two columns whose parts fit several roles alike, or one, stays whole."""
    from extractors.headers import split_spans

    for headers in (["STT", "Cơ quan thực hiện", "Cơ quan thực hiện", "Nhiệm vụ"],
                    ["Kết quả thực hiện", "Kết quả thực hiện"], ["Nhiệm vụ", "Nhiệm vụ"]):
        assert split_spans(headers) == headers


def _exhaustive_split(text: str, k: int) -> list[str] | None:
    """span_parts by trying every way of cutting `text` at words into k parts (the reference)."""
    from itertools import combinations

    from extractors.headers import _closeness, role_candidates
    from extractors.settings import TEXT

    words = text.split()
    best = None
    for cuts in combinations(range(1, len(words)), k - 1):
        bounds = (0, *cuts, len(words))
        parts = [" ".join(words[a:b]) for a, b in zip(bounds, bounds[1:])]
        tops = [role_candidates(p) for p in parts]
        if not all(tops) or len({t[0][1] for t in tops}) < k or any(len(t) > 1 and t[1][0] >= t[0][0] for t in tops):
            continue
        weakest = min(t[0][0] for t in tops)
        if weakest < TEXT.span_split_score:
            continue
        rank = (weakest, sum(_closeness(p, t[0][1]) for p, t in zip(parts, tops)))
        if best is None or rank > best[0]:
            best = (rank, parts)
    return best[1] if best else None


def test_a_split_is_the_one_every_cut_would_give():
    """span_parts joins only runs of words that can be a part; its split is the one trying every
    way of cutting the text gives, on texts of header variants and body words in any order."""
    import random

    from extractors.headers import span_parts

    pieces = ["STT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Sản phẩm", "Thời hạn", "Tên nhiệm vụ",
              "Kết quả thực hiện", "Đơn vị", "thực hiện", "năm 2025", "các", "Bộ, ngành", "dự kiến"]
    rng = random.Random(17)
    splits = 0
    for _ in range(150):
        text = " ".join(rng.sample(pieces, rng.randint(2, 5)))
        for k in (2, 3, 4):
            if k <= len(text.split()):
                expected = _exhaustive_split(text, k)
                assert span_parts(text, k) == expected, (text, k)
                splits += expected is not None
    assert splits >= 20, "texts that split"


def test_a_long_row_across_the_columns_is_no_header_over_them():
    """A section row across six columns (a continuation page's first row, compared with the
    header) stays whole; its parts are looked for among runs of its words, not among the
    C(53, 5) ways (29 million) of cutting it."""
    from extractors.headers import split_spans

    row = ("II. NHIỆM VỤ GIAO CÁC BỘ, CƠ QUAN NGANG BỘ, CƠ QUAN THUỘC CHÍNH PHỦ VÀ ỦY BAN NHÂN DÂN CÁC TỈNH, "
           "THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG CHỦ TRÌ THỰC HIỆN TRONG NĂM 2025 THEO KẾ HOẠCH ĐÃ ĐƯỢC PHÊ DUYỆT "
           "VÀ BÁO CÁO KẾT QUẢ THỰC HIỆN VỀ VĂN PHÒNG CHÍNH PHỦ")
    assert len(row.split()) == 54
    assert split_spans([row] * 6) == [row] * 6
