"""Every normalizer that reads a cell takes any text: OCR gives specks as "{", "}", "%", "\\",
control and replacement characters, and a cell of junk must come out as a value or a null, never
stop the document (a "{" beside a syllable once did, in `repair._mend_stranded`). Random texts from
a fixed seed, drawn from the letters, marks and words the cells hold and the junk OCR adds."""

from __future__ import annotations

import random

import pytest

from normalizers.agencies import match_agency, names_in_text, resolve_agencies
from normalizers.dates import find_dates, find_period_date, parse_date
from normalizers.deadlines import parse_deadline
from normalizers.docnumbers import doc_type_from_word, find_doc_numbers, normalize_doc_number, parse_doc_number
from normalizers.repair import (repair_date_text, repair_deadline_text, repair_doc_number, repair_item_numbers,
                                repair_section_labels, repair_text)
from normalizers.statuses import infer_status, status_from_column
from normalizers.text import canonical_ellipsis, clean, fold

PIECES = (list("aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ")
          + list("ABCĐNQTUVXHI0123456789") + list(" {}[]()%$\\/-.,;:'\"|!?*#@&^~`_+=<>…–—\t\n")
          + ["\x00", "\u200b", "\ufffd", "Quý", "II", "/20", "Số", "CT-TTg", "Bộ", "ngày", "tháng", "năm",
             "Thường xuyên", "Hoàn thành", "Đang", "vẽ", "tải", "sắt", " "])
ONE_TEXT = {f.__name__: f for f in (
    repair_text, repair_date_text, repair_deadline_text, repair_doc_number, parse_deadline, parse_date, find_dates,
    find_period_date, parse_doc_number, normalize_doc_number, find_doc_numbers, doc_type_from_word,
    status_from_column, infer_status, resolve_agencies, match_agency, names_in_text, clean, canonical_ellipsis, fold)}
N = 3000


def texts(seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 30))) for _ in range(N)]


@pytest.mark.parametrize("name", sorted(ONE_TEXT))
def test_a_normalizer_of_one_cell_takes_any_text(name):
    f = ONE_TEXT[name]
    for text in texts(1):
        try:
            f(text)
        except Exception as e:
            raise AssertionError(f"{name}({text!r})") from e


def test_the_column_repairs_take_any_cells():
    for text in texts(2):
        cells = text.split()
        assert len(repair_item_numbers(cells)) == len(cells)
        assert len(repair_section_labels(cells)) == len(cells)
