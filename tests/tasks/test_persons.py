"""Persons' names read by OCR mended against the name registry (normalizers/persons.py,
normalizers/data/person_names.csv), and the curated cells that carry them (records.cell_rows).

The slips mended are those Tesseract made on the real 100-dpi office scan ttr409 (its list of
council members, tests/scans/test_scans_real.py measures the list whole); the names kept are
real ones: the council's own, officials' names of the real prints' text layers, and the names
of officials who sign government documents (none of them made from the registry)."""

import csv
import json
import re
import unicodedata
from pathlib import Path

import pytest

from extractors.pdf import iter_pages, opened
from extractors.stitch import LogicalCell, LogicalRow, LogicalTable
from normalizers.persons import PARTS, REGISTRY, is_person_column, is_registry_name, mend_person_name, reads_as_name
from normalizers.records import cell_rows
from normalizers.repair import is_syllable

TTR409 = Path(__file__).resolve().parents[1] / "fixtures" / "groundtruth-real" / "ttr409.json"
# officials who sign government documents (2020-2025), as printed under their signatures
OFFICIALS = (
    "Phạm Minh Chính", "Tô Lâm", "Lương Cường", "Trần Thanh Mẫn", "Trần Hồng Hà", "Lê Thành Long",
    "Hồ Đức Phớc", "Nguyễn Hòa Bình", "Bùi Thanh Sơn", "Mai Văn Chính", "Nguyễn Chí Dũng", "Đỗ Đức Duy",
    "Phan Văn Giang", "Lương Tam Quang", "Nguyễn Mạnh Hùng", "Đào Ngọc Dung", "Nguyễn Kim Sơn",
    "Đào Hồng Lan", "Nguyễn Văn Thắng", "Trần Đức Thắng", "Lê Minh Hoan", "Nguyễn Thanh Nghị",
    "Nguyễn Văn Hùng", "Đặng Quốc Khánh", "Nguyễn Hồng Diên", "Võ Văn Thưởng", "Vương Đình Huệ",
    "Nguyễn Xuân Phúc", "Trương Thị Mai", "Đinh Tiến Dũng", "Trần Cẩm Tú", "Lê Hoài Trung",
    "Nguyễn Duy Ngọc", "Bùi Thị Minh Hoài", "Nguyễn Trọng Nghĩa", "Nguyễn Văn Nên", "Trần Lưu Quang",
    "Hầu A Lềnh", "Giàng Seo Phử", "Y Thanh Hà Niê Kđăm", "Đỗ Văn Chiến", "Nguyễn Thị Kim Tiến",
    "Phạm Thị Thanh Trà", "Huỳnh Thành Đạt", "Lê Văn Thành", "Vũ Đức Đam", "Trịnh Đình Dũng",
)


def test_the_registry_is_names_of_two_parts_each_once():
    with REGISTRY.open(encoding="utf-8") as f:
        rows = [(r["part"], r["name"]) for r in csv.DictReader(f)]
    assert {part for part, _ in rows} == set(PARTS)
    assert len(rows) == len(set(rows))
    assert all(unicodedata.normalize("NFC", name) == name and name[:1].isupper() and " " not in name for _, name in rows)
    surnames = [name for part, name in rows if part == "surname"]
    # the surnames most Vietnamese carry (Nguyễn alone about two in five)
    assert {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"} <= set(surnames)
    # a middle or given name is a syllable of the language: only such a word is compared with them
    assert all(is_syllable(name) for part, name in rows if part == "given")


@pytest.mark.parametrize("read, printed", [
    ("Hoảng Văn Thanh", "Hoàng Văn Thanh"),  # a hook read for a grave on the surname
    ("Phạm Thị Minh Hiêu", "Phạm Thị Minh Hiếu"),  # an acute lost: no syllable
    ("Trắr. Vũ Ngoan", "Trần Vũ Ngoan"),  # "n" read "r.": a surname a letter away
    ("HOẢNG VĂN THANH", "HOÀNG VĂN THANH"),  # in capitals, as signatures print names
    # generated lists scanned at 100-150 dpi (tests/fixtures/person_lists.py)
    ("Bùi Hồng Anh Tháo", "Bùi Hồng Anh Thảo"),  # an acute read for a hook on a syllable
    ("Hoàng Thị Thẳng", "Hoàng Thị Thắng"),  # a hook read for an acute
    ("Nguyễn ThuHòa", "Nguyễn Thu Hòa"),  # the space between two names lost
    ("` Nguyễn Văn Nghĩa", "Nguyễn Văn Nghĩa"), ("Phạm Công Bình $,.", "Phạm Công Bình"),  # specks
    ("Hoàng Bảo Huy 4", "Hoàng Bảo Huy"), ("Đỗ Công Quang Nga`", "Đỗ Công Quang Nga"),
    ("LêĐứcHương -", "Lê Đức Hương"),
])
def test_a_slip_of_ocr_in_a_name_is_mended(read, printed):
    assert mend_person_name(read) == printed


@pytest.mark.parametrize("text", [
    "Đỗ Tân Sương",  # Tân and Tấn are both names: the page alone can tell
    "Bon Yô Soan",  # a name of a minority people the registry does not hold
    "Hoảng Văn Hiêu",  # two slips: not read as a name
    "Giàng Seo Phử",  # a Hmong name: "Phử" is no slip of "Phú" when the other words are no registry names
    "Võ Văn Thưởng",  # a syllable two registry names are near (Thương, Thường)
    "Nguyễn",  # one word
    "Hầu A Lềnh", "Nguyễn Văn A",  # a capital letter alone is a name's word
    "Sở Nội vụ", "Văn phòng UBND tỉnh", "Tổ chức thực hiện", "Bộ Công an", "Cổng Dịch vụ công",
    "Hà Nội", "Lâm Đồng", "31/12/2025",
])
def test_what_is_no_misread_name_stays(text):
    assert mend_person_name(text) == text


def test_real_names_stay_as_printed(realworld):
    """The council's names as transcribed, officials' names, and every run of capitalised words
    starting with a registry surname on the first and last pages of the real prints' text
    layers (vn-lamdong, vn-congbao: signature blocks, addresses, headings)."""
    truth = [row["cells"][1] for row in json.loads(TTR409.read_text(encoding="utf-8"))["rows"]]
    word = r"[A-ZĐÀ-Ỹ][^\W\d_]*"
    runs = re.compile(rf"\b{word}(?: {word}){{1,4}}\b")
    printed = set()
    paths = sorted(p for f in ("vn-lamdong", "vn-congbao") for p in (realworld / f).glob("*.pdf") if "scan" not in p.name)
    for path in paths:
        with opened(path) as pdf:
            last = len(pdf.pages)
            for k in sorted({1, 2, last - 1, last}):
                for _, page in iter_pages(pdf, k, k):
                    for line in (page.extract_text() or "").splitlines():
                        printed |= {m.group(0) for m in runs.finditer(line)
                                    if is_registry_name(m.group(0).split()[0], "surname") and reads_as_name(m.group(0))}
    assert len(printed) >= 10 and "Trần Thanh Mẫn" in printed
    names = [*truth, *OFFICIALS, *sorted(printed)]
    assert [n for n in names if mend_person_name(n) != n] == []


def test_a_column_of_names_is_known_by_its_header_or_its_cells():
    council = ["Nguyễn Minh", "Đậu Xuân Bảo", "Đỗ Tấn Sương", "Bon Yô Soan", "Phạm Thị Minh Hiếu"]
    assert is_person_column("Họ và tên", []) and is_person_column("HỌ TÊN", []) and is_person_column("Họ, tên", [])
    assert is_person_column("", council)  # the header lost: 4 of 5 start with a surname
    assert not is_person_column("Tên nhiệm vụ", ["Xây dựng kế hoạch", "Hoàn thiện cơ sở dữ liệu", "Ban hành quy chế"])
    assert not is_person_column("Đơn vị chủ trì", ["Bộ Công an", "Sở Nội vụ", "Văn phòng Chính phủ", "UBND tỉnh"])
    assert not is_person_column("", council[:2])  # too few cells to tell


def _list(names):
    box = (0.0, 0.0, 10.0, 10.0)
    header = LogicalRow("header", (LogicalCell(0, 1, "STT", 1, box), LogicalCell(1, 1, "Họ và tên", 1, box)), ((1, box),))
    rows = [LogicalRow("data", (LogicalCell(0, 1, str(i), 1, box), LogicalCell(1, 1, n, 1, box)), ((1, box),))
            for i, n in enumerate(names, start=1)]
    return LogicalTable(1, 2, ("STT", "Họ và tên"), (header, *rows))


def test_curated_cells_carry_the_mended_name_and_the_name_as_read():
    table = _list(["Hoảng Văn Thanh", "Lê Văn Hồng"])
    scanned = {(c["row_no"], c["col_no"]): (c["text"], c["text_raw"]) for c in cell_rows("d", table, {1: "ocr"})}
    assert scanned[(2, 2)] == ("Hoàng Văn Thanh", "Hoảng Văn Thanh")
    assert scanned[(3, 2)] == ("Lê Văn Hồng", None)
    assert scanned[(1, 2)] == ("Họ và tên", None)  # the header as printed
    # a text page prints the name as it is: nothing is mended there
    printed = {(c["row_no"], c["col_no"]): (c["text"], c["text_raw"]) for c in cell_rows("d", table, {1: "text"})}
    assert printed[(2, 2)] == ("Hoảng Văn Thanh", None)
