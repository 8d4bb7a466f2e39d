"""The writer refuses a row that does not match its table's declaration (PUDL-style strict IO)."""

from __future__ import annotations

import datetime as dt

import pytest

from normalizers.schema import PAGES, TASKS, RowError, to_arrow

GOOD = {"doc_id": "d", "page": 1, "method": "text", "n_chars": 3, "n_table_rows": 0, "error": None}


def test_a_good_row_is_written():
    assert to_arrow(PAGES, [GOOD]).to_pylist() == [GOOD]


@pytest.mark.parametrize("row,message", [
    ({k: v for k, v in GOOD.items() if k != "error"}, "missing columns ['error']"),
    ({**GOOD, "erorr": None}, "unexpected columns ['erorr']"),  # a misspelt key is not a silent null column
    ({**GOOD, "page": "1"}, "page = '1' is not int32"),
    ({**GOOD, "n_chars": 1.5}, "n_chars = 1.5 is not int32"),
    ({**GOOD, "n_chars": True}, "n_chars = True is not int32"),
    ({**GOOD, "method": 3}, "method = 3 is not string"),
    ({**GOOD, "doc_id": None}, "doc_id is null but the column is not nullable"),
])
def test_a_row_that_does_not_match_is_refused(row, message):
    with pytest.raises(RowError, match=message.replace("[", r"\[").replace("]", r"\]")):
        to_arrow(PAGES, [GOOD, row])


def test_dates_lists_and_structs_are_checked_inside():
    filler = {"string": "x", "int32": 1, "bool": False}
    row = {c.name: None if c.nullable else (c.allowed[0] if c.allowed else filler[str(c.type)]) for c in TASKS.columns}
    assert to_arrow(TASKS, [row]).num_rows == 1
    bad_date = {**row, "deadline_due": dt.datetime(2025, 6, 30)}
    bad_list = {**row, "lead_agencies": ["Bộ Công an", 7]}
    bad_span = {**row, "spans": [{"page": 1, "x0": 0.0, "top": 0.0, "x1": 1.0}]}
    for bad, column in ((bad_date, "deadline_due"), (bad_list, "lead_agencies"), (bad_span, "spans")):
        with pytest.raises(RowError, match=column):
            to_arrow(TASKS, [bad])


def test_group_letters_that_are_roman_numerals_are_letters():
    """Sibling group rows A, B, C are one level even where B's row was lost ("C" after "A" is a
    letter, not the Roman 100); a Roman "V" going on after "IV" stays Roman under a letter part,
    and a Roman "I" starts again under the next part."""
    from normalizers.records import _Heading, _section_levels

    def levels(*nos):
        return _section_levels([_Heading(f"{n} text", n) for n in nos])

    assert levels("A", "B", "C") == ["section"] * 3
    assert levels("A", "C") == ["section"] * 2
    assert levels("A", "I", "II", "III", "IV", "V", "B", "I", "II") == [
        "part", "section", "section", "section", "section", "section", "part", "section", "section"]
    assert levels("A", "I", "B", "C", "I") == ["part", "section", "part", "part", "section"]
