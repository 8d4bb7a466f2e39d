"""The schema declaration: Arrow types, descriptions, and the conformance check catching real problems."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from normalizers.schema import PAGES, TABLES, TASKS, check_table, to_arrow


def _task(**kw):
    row = dict.fromkeys(TASKS.column_names)  # every column, null unless set below
    row |= {"task_id": "t1", "doc_id": "d", "source_file": "a.pdf", "table_no": 1, "row_no": 2, "name": "Xây dựng",
             "deadline_kind": "month", "deadline_due": dt.date(2025, 6, 30), "deadline_open_ended": False,
             "lead_agencies": ["Bộ Công an"], "extraction_method": "text",
             "spans": [{"page": 3, "x0": 1.0, "top": 2.0, "x1": 3.0, "bottom": 4.0}]}
    row.update(kw)
    return row


def test_every_column_has_a_type_and_a_description():
    for table in TABLES.values():
        for field in table.arrow_schema():
            assert field.metadata[b"description"].strip(), f"{table.name}.{field.name} has no description"


def test_typed_columns():
    data = to_arrow(TASKS, [_task()])
    assert data.schema.field("deadline_due").type == pa.date32()
    assert data.schema.field("lead_agencies").type == pa.list_(pa.string())
    assert data.column("spans").to_pylist()[0][0]["page"] == 3
    assert check_table(TASKS, data) == []


def test_check_finds_enum_null_nfc_and_key_problems():
    bad = to_arrow(TASKS, [_task(deadline_kind="soon"), _task(task_id="t1", name="Xa\u0303")])
    problems = check_table(TASKS, bad)
    assert any("deadline_kind" in p and "soon" in p for p in problems)
    assert any("task_id" in p and "duplicate" in p for p in problems)
    assert any("name" in p and "NFC" in p for p in problems)
    pages = to_arrow(PAGES, [{"doc_id": "d", "page": 0, "method": "text", "n_chars": 1, "n_table_rows": 0, "error": None}])
    assert any("page" in p and "below 1" in p for p in check_table(PAGES, pages))


def test_every_column_has_a_short_description_for_narrow_places():
    from normalizers.schema import BRIEF_LENGTH, TABLES, Column

    for table in TABLES.values():
        for c in table.columns:
            assert 8 <= len(c.brief) <= BRIEF_LENGTH, (table.name, c.name, c.brief)
            assert c.brief != c.description or len(c.description) <= BRIEF_LENGTH
    long = Column("x", TABLES["tasks"].columns[0].type, "First part (an aside that is long enough to matter here) "
                  "and more words that go on and on and on, well past the limit of eighty characters. Second sentence.")
    assert long.brief.startswith("First part and more words") and long.brief.endswith("…") and len(long.brief) <= BRIEF_LENGTH
    assert Column("y", long.type, "Short one. Then more.").brief == "Short one"
    assert Column("z", long.type, "Whatever is long.", short="Brief").brief == "Brief"
