"""The curated tables, declared once.

Every column of every table in `curated/` is declared here with its type, its
description and the rules it obeys. Everything else is derived from this module:
the pyarrow schema and the column descriptions stored in the Parquet metadata
(`arrow_schema`), the conformance checks the pipeline runs as Dagster asset checks
(`check_table`), and the data dictionary in `docs/data-dictionary.md`
(`data_dictionary_markdown`, written by `python -m normalizers.schema`).

Conventions: strings are NFC; dates are `date32`; page numbers are 1-based; boxes
are PDF points with the origin at the top-left of the page (pdfplumber's).
"""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping

import pyarrow as pa

BOX = pa.struct(
    [
        ("page", pa.int32()),
        ("x0", pa.float32()),
        ("top", pa.float32()),
        ("x1", pa.float32()),
        ("bottom", pa.float32()),
    ]
)

DEADLINE_KINDS = ("date", "month", "quarter", "half_year", "year", "recurring", "none", "unparsed")
STATUS_VALUES = ("completed", "completed_late", "in_progress", "not_completed", "overdue", "unknown")
AGENCY_KINDS = ("ministry", "government_body", "locality", "local_committee", "local_unit", "group", "other")
DATE_PRECISIONS = ("day", "month", "year")
LINK_TYPES = ("cites", "same_task", "copy_of")


BRIEF_LENGTH = 80  # characters of a column's short description (Column.brief)


def _first_sentence(text: str) -> str:
    """Up to the first period or semicolon followed by a space outside parentheses and quotes
    ('e.g.' and 'i.e.' do not end a sentence)."""
    depth, quoted = 0, False
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == "'":
            quoted = not quoted if (i == 0 or not text[i - 1].isalnum()) or quoted else quoted
        elif ch in ".;" and depth == 0 and not quoted and text[i + 1: i + 2] == " " and not text[: i + 1].endswith(("e.g.", "i.e.")):
            return text[: i + 1]
    return text


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    description: str
    nullable: bool = True
    allowed: tuple[str, ...] | None = None  # enumerated values (strings)
    unique: bool = False
    min_value: Any = None  # inclusive lower bound, for numbers and dates
    short: str | None = None  # a few words for narrow places (the Dagster UI's column schema); see `brief`

    @property
    def brief(self) -> str:
        """The short description: `short` when declared, else the description's first sentence
        (up to a period or a semicolon; asides in parentheses left out and cut at a word when it is
        longer than BRIEF_LENGTH). The long one stays in the data dictionary."""
        if self.short:
            return self.short
        text = _first_sentence(self.description).rstrip(".;:, ")
        if len(text) > BRIEF_LENGTH:  # asides in parentheses left out, then cut at a word
            text = re.sub(r"\s*\([^()]*\)", "", text)
        if len(text) > BRIEF_LENGTH:
            text = text[: BRIEF_LENGTH - 1].rsplit(" ", 1)[0].rstrip(".;:, ") + "…"
        return text

    def rules(self) -> list[str]:
        """The column's constraints other than null and unique, as short text."""
        out = []
        if self.allowed:
            out.append("one of: " + ", ".join(self.allowed))
        if self.min_value is not None:
            out.append(f">= {self.min_value}")
        return out

    def field(self) -> pa.Field:
        return pa.field(
            self.name,
            self.type,
            nullable=self.nullable,
            metadata={"description": self.description},
        )


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = field(default=())  # columns that identify a row (unique together)
    # (column, table, column it refers to): a non-null value of the column is a key of that table
    foreign_keys: tuple[tuple[str, str, str], ...] = field(default=())

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def arrow_schema(self) -> pa.Schema:
        return pa.schema(
            [c.field() for c in self.columns],
            metadata={"table": self.name, "description": self.description},
        )


STR, I32, F32, BOOL, DATE = pa.string(), pa.int32(), pa.float32(), pa.bool_(), pa.date32()
TIMESTAMP = pa.timestamp("us", tz="UTC")  # Parquet keeps ms, us or ns
STR_LIST = pa.list_(pa.string())
DOC_ID = Column("doc_id", STR, "SHA-256 (hex) of the source file's bytes; identifies the document.", nullable=False)
PAGE_START = Column("page_start", I32, "First page (1-based) the row occupies.", min_value=1)
PAGE_END = Column("page_end", I32, "Last page (1-based) the row occupies.", min_value=1)

DOCUMENTS = Table(
    "documents",
    "One row per document found in the raw folder (a PDF, or an image file: TIFF, JPEG, PNG, PGM, read as a "
    "scan, a page per frame), processed or failed.",
    (
        Column("doc_id", STR, DOC_ID.description, nullable=False, unique=True),
        Column("source_file", STR, "Path of the file (PDF or image) relative to the raw folder (POSIX separators), as NFC text: bytes of a name that are not UTF-8, and control characters, are shown as \\xNN.", nullable=False),
        Column("n_pages", I32, "Number of pages of the PDF, or frames of the image file (0 if it could not be opened).", nullable=False, min_value=0),
        Column("doc_number", STR, "Normalized document number (số hiệu) printed after 'Số:' in the header block, e.g. "
               "'07/CT-TTg'; null when the number is blank or does not read as digits (written by hand on a scan): "
               "never a guess, see doc_number_raw and doc_type_code. Digits stamped into the gap by a signing system "
               "('Số: 1 5 6 /TTr-SNV') are read. An appendix carries the number of the document it is attached to "
               "(see attached_to)."),
        Column("doc_number_raw", STR, "The 'Số: …' segment of the header block as read (OCR text as it came, e.g. "
               "'Sé⁄22⁄2010/TT-UBDT' for a number written by hand); null when the header has none.", short="The 'Số: …' segment of the header as read"),
        Column("doc_type_code", STR, "The code printed after the number (ký hiệu: type and issuer codes), e.g. 'QĐ-TTg', "
               "'TT-UBDT', 'BCA-VPB'; kept when the number itself is blank or unreadable."),
        Column("doc_type", STR, "Document type: 'Chỉ thị', 'Công văn', 'Báo cáo', 'Thông báo', 'Kế hoạch', 'Quyết định', 'Nghị quyết', 'Phụ lục', …"),
        Column("issuer", STR, "Canonical name of the issuing body (see agencies): the lower body of the header's issuer "
               "block ('UBND TỈNH LÂM ĐỒNG / SỞ NỘI VỤ' -> 'Sở Nội vụ tỉnh Lâm Đồng'; 'ỦY BAN NHÂN DÂN / TỈNH LÂM ĐỒNG' -> "
               "'Ủy ban nhân dân tỉnh Lâm Đồng'); an appendix's is that of the document it is attached to. Null when the "
               "block names no body of the registry: see issuer_raw."),
        Column("issuer_raw", STR, "The issuer block of the header (the left column above 'Số: …') as printed, its lines "
               "joined by ' / ', e.g. 'UBND TỈNH LÂM ĐỒNG / SỞ NỘI VỤ'; null when the header has none."),
        Column("parent_body", STR, "Canonical name of the body the issuer belongs to: the body printed above it in the "
               "issuer block ('UBND TỈNH LÂM ĐỒNG' over 'SỞ NỘI VỤ'), else the issuer's parent in the agency registry."),
        Column("issued_date", DATE, "Issue date printed in the place-and-date line of the header block, under the national "
               "motto ('Hà Nội, ngày 14 tháng 3 năm 2025'), never a date cited in the text; null when the day or the "
               "month is blank or does not read as a number (written by hand on a scan): see issued_date_raw.", short="Issue date printed in the header block"),
        Column("issued_date_raw", STR, "The place-and-date line of the header block as read (OCR text as it came, e.g. "
               "'Hà Nội, ngày/2 tháng 01 năm 2010'); null when the header has none."),
        Column("dated", DATE, "The date the document bears at the precision printed: issued_date, else the last day of the "
               "month or year its header (or an appendix's 'Kèm theo' line) prints when the day is blank "
               "('ngày    tháng 11 năm 2025' -> 2025-11-30); to order documents, never an issue date."),
        Column("dated_precision", STR, "Precision of dated; null when dated is null.", allowed=DATE_PRECISIONS),
        Column("issued_place", STR, "The place of the place-and-date line as printed ('Lâm Đồng', 'Hà Nội', 'TP. Huế')."),
        Column("title", STR, "Title (or 'V/v' subject of a công văn, or the appendix heading); it ends before 'Kính gửi'."),
        Column("addressees", STR_LIST, "The addressees of 'Kính gửi: …' as printed, one per body or person, without "
               "the list's dashes and closing ';' or '.'; empty when the document has none."),
        Column("attached_to", STR, "Normalized number of the document an appendix belongs to, as printed in its "
               "'(Kèm theo … số … ngày … của …)' line (or, when it prints none, as a signing system stamped it on the "
               "appendix: 'Số: 2775/SNV-CCHC; 10/11/2025; 10:59:46;'); the appendix then carries that document's "
               "number, date and issuer as its own doc_number, issued_date and issuer. Null when the number is blank "
               "there ('số      /TB-VPCP'): doc_type_code keeps the code, dated the month."),
        Column("duplicate_of", STR, "doc_id of the primary copy when this document is another copy of the same document: "
               "a scan and its text twin, two prints of one report. Same document means: what both say of number, "
               "issuer, date, type and attachment agrees, and the text is near-identical (the smaller's word 3-grams "
               "in the other, both ways, for whole copies; one way for a copy of some of the pages, with the same "
               "type and title). Sharing tasks does not make two documents the same (see links.same_task). The "
               "primary is the one read from text rather than OCR, then the first by source_file; null for a primary "
               "or a document without a copy. Dropping these rows (and their tasks and statuses) loses nothing."),
        Column("n_text_pages", I32, "Pages whose text came from the PDF's text layer.", nullable=False, min_value=0),
        Column("n_ocr_pages", I32, "Pages whose text came from OCR (every page of an image file).", nullable=False, min_value=0),
        Column("signature_count", I32, "Digital signatures of the PDF (signature fields holding a signature, read with "
               "pyHanko, offline); 0 for an unsigned file, and for pages copied out of a signed file (their widgets' "
               "signatures cover another file's bytes). What signature widgets show on the page (a number and a day "
               "stamped into the header's gaps) is read as the page's words.", nullable=False, min_value=0),
        Column("signed_at", TIMESTAMP, "When the last signature was made (the document's issue, by the office's "
               "certificate): the CMS signing time, which the signature covers, else the signature dictionary's /M; "
               "UTC. Null when unsigned."),
        Column("signer_org", STR, "Organisation (O) in the certificate subject of the last signature: the issuing "
               "body as its certificate names it, e.g. 'ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG'. Null when unsigned."),
        Column("signer_name", STR, "Common name (CN) in the certificate subject of the last signature made with a "
               "person's certificate (its CN differs from its organisation: the signing official), else of the last "
               "signature. Null when unsigned."),
        Column("signatures_cover_file", BOOL, "Whether the last signature's byte range covers the whole file: nothing "
               "was appended (changed) after the document was signed. Null when unsigned."),
        Column("signatures_intact", BOOL, "Whether every signature's digest matches the bytes it covers and verifies "
               "with its certificate's key (integrity only: the certificates' trust and revocation are not checked). "
               "Null when unsigned."),
        Column("status", STR, "'ok', 'partial' (some pages failed) or 'failed' (nothing could be read).", nullable=False, allowed=("ok", "partial", "failed")),
        Column("error", STR, "Why the document failed or is partial; null when ok."),
        Column("pipeline_version", STR, "Version that produced this document's rows: the release, then the fingerprints of "
               "the extractor code ('x…') and of the normalizer code ('n…'), e.g. '0.1.0+x1a2b3c4d5e6f.n0a1b2c3d4e5f'.", nullable=False, short="Release and code fingerprints that produced the rows"),
    ),
    key=("doc_id",),
    foreign_keys=(("duplicate_of", "documents", "doc_id"),),
)

PAGES = Table(
    "pages",
    "One row per page of every document.",
    (
        DOC_ID,
        Column("page", I32, "Page number, 1-based.", nullable=False, min_value=1),
        Column("method", STR, "Where the page's text came from: 'text', 'ocr', or 'failed'.", nullable=False, allowed=("text", "ocr", "failed")),
        Column("n_chars", I32, "Number of characters read on the page.", nullable=False, min_value=0),
        Column("n_table_rows", I32, "Number of table rows (header, section and data) found on the page.", nullable=False, min_value=0),
        Column("error", STR, "Why the page failed; null otherwise."),
    ),
    key=("doc_id", "page"),
    foreign_keys=(("doc_id", "documents", "doc_id"),),
)

CELLS = Table(
    "cells",
    "Every cell of every logical (cross-page stitched) ruled table. A cell cut by a page "
    "break appears once, with the text of both parts, on the page where it starts; a merged "
    "cell appears once, with its row_span and col_span.",
    (
        DOC_ID,
        Column("table_no", I32, "Logical table number within the document, 1-based, in reading order.", nullable=False, min_value=1),
        Column("row_no", I32, "Row number within the logical table, 1-based (header rows included).", nullable=False, min_value=1),
        Column("col_no", I32, "Column number, 1-based.", nullable=False, min_value=1),
        Column("header", STR, "Header text of the cell's column."),
        Column("text", STR, "Cell text: lines joined by one space, words cut by narrow columns rejoined, NFC; on OCR'd "
               "pages a person's name in a column of names (header 'Họ và tên') mended against the name registry "
               "(see text_raw).", nullable=False, short="Cell text, lines joined, NFC"),
        Column("text_raw", STR, "The cell text as OCR read it, when a mend changed it (a person's name: 'Hoảng Văn "
               "Thanh' read for 'Hoàng Văn Thanh'); null otherwise."),
        Column("row_kind", STR, "'header', 'section' (part/group heading) or 'data'.", nullable=False, allowed=("header", "section", "data")),
        Column("row_span", I32, "Logical rows the cell covers: more than 1 for a merged cell (a deadline printed once for "
               "several tasks); each task row it covers inherits its value.", nullable=False, min_value=1),
        Column("col_span", I32, "Columns the cell covers (more than 1 for a cell merged across columns).", nullable=False, min_value=1),
        Column("page", I32, "Page (1-based) where the cell starts.", nullable=False, min_value=1),
        Column("x0", F32, "Left edge of the cell on its first page (PDF points from the left).", nullable=False),
        Column("top", F32, "Top edge of the cell on its first page (PDF points from the top).", nullable=False),
        Column("x1", F32, "Right edge of the cell on its first page.", nullable=False),
        Column("bottom", F32, "Bottom edge of the cell on its first page.", nullable=False),
    ),
    key=("doc_id", "table_no", "row_no", "col_no"),
    foreign_keys=(("doc_id", "documents", "doc_id"),),
)

TASKS = Table(
    "tasks",
    "One row per task (data row of a task table).",
    (
        Column("task_id", STR, "Stable id of the task: the first 20 hex digits of SHA-256 (UTF-8) of "
               "'doc_id|table_no|part|section|parent_item_no|item', where part and section are the printed number "
               "(part_no, section_no) or, where none is printed, the heading text ('' without a heading), "
               "parent_item_no is '' for a top-level item, and item is item_no followed by '#k' for its k-th "
               "occurrence (k >= 2) under the same part, section and parent, or '#k' alone for the k-th task "
               "without an item number there. Row numbers play no part: re-stitching a table keeps the ids.",
               nullable=False, unique=True, short="Stable id of the task (20 hex digits)"),
        DOC_ID,
        Column("source_file", STR, "Path of the file (PDF or image) relative to the raw folder.", nullable=False),
        Column("table_no", I32, "Logical table number within the document (see cells).", nullable=False, min_value=1),
        Column("row_no", I32, "Row number within the logical table (see cells).", nullable=False, min_value=1),
        Column("part", STR, "Part heading the task is under, as printed ('1. NHIỆM VỤ RIÊNG'): a numbered heading printed "
               "just above the table (it holds for the following tables until the next one), or the higher of two "
               "levels of section rows inside the table; null when there is none."),
        Column("part_no", STR, "Printed number of the part, without its trailing punctuation ('1', 'II', 'A')."),
        Column("section", STR, "Section/group heading row above the task inside its part, as printed, label included "
               "('II. Khẩn trương …', 'A Nhiệm vụ chung …', 'Nhiệm vụ giao Bộ trưởng Bộ Công an chỉ đạo').", short="Section/group heading above the task, as printed"),
        Column("section_no", STR, "Printed number of the section, without its trailing punctuation ('II', 'A'); null when unnumbered."),
        Column("item_no", STR, "Item number (STT/TT) as printed, spaces inside removed: '10', '(3)'."),
        Column("item_no_raw", STR, "The item number as OCR read it, before repair against the table's sequence "
               "('l' -> '1', a digit lost or doubled); null for rows read from the text layer.", short="Item number as OCR read it, before repair"),
        Column("parent_item_no", STR, "Item number of the parent task for sub-items such as '(3)'."),
        Column("name", STR, "Task text (Tên nhiệm vụ / Nội dung), the ellipsis '…' written as three full stops '...' "
               "(as OCR reads it; text and OCR'd rows alike); on OCR'd rows, mended to valid Vietnamese syllables "
               "(spaces inside words removed, wrong diacritics fixed; see name_raw).", nullable=False),
        Column("name_raw", STR, "The task text as OCR read it, before repair; null for rows read from the text layer."),
        Column("lead_agency_raw", STR, "Lead agency cell as printed (Cơ quan/Đơn vị chủ trì)."),
        Column("lead_agencies", STR_LIST, "Canonical names of the lead agencies, in printed order."),
        Column("coordinating_agency_raw", STR, "Coordinating agency cell as printed (Đơn vị phối hợp)."),
        Column("coordinating_agencies", STR_LIST, "Canonical names of the coordinating agencies."),
        Column("required_result", STR, "Required output (Kết quả yêu cầu / Sản phẩm)."),
        Column("deadline_raw", STR, "Deadline cell as printed (Thời hạn / Thời gian hoàn thành)."),
        Column("deadline_kind", STR, "Kind of deadline.", nullable=False, allowed=DEADLINE_KINDS),
        Column("deadline_due", DATE, "Last day of the deadline's period (null for recurring, none, unparsed)."),
        Column("deadline_open_ended", BOOL, "True for '… và những năm tiếp theo' and recurring deadlines.", nullable=False),
        PAGE_START,
        PAGE_END,
        Column("spans", pa.list_(BOX), "The row's box on each page it occupies (page, x0, top, x1, bottom)."),
        Column("extraction_method", STR, "'text' or 'ocr'.", nullable=False, allowed=("text", "ocr")),
    ),
    key=("task_id",),
    foreign_keys=(("doc_id", "documents", "doc_id"),),
)

STATUSES = Table(
    "statuses",
    "One row per task reported with a result or a status (status columns or result columns).",
    (
        Column("status_id", STR, "Stable id of the status row.", nullable=False, unique=True),
        Column("task_id", STR, "Task the status is about (tasks.task_id).", nullable=False),
        DOC_ID,
        Column("as_of", DATE, "Date the status refers to: the date in the result (or status) column's header ('Kết quả (đến "
               "ngày 10/5/2025)'), else the document's date (its issue date, or for an appendix the date of the "
               "'Kèm theo …' line); a month or a year gives its last day ('tháng 11 năm 2025' -> 2025-11-30). "
               "Null only when the document prints no date.", short="Date the status refers to"),
        Column("as_of_precision", STR, "Precision of as_of as printed; null when as_of is null.", allowed=DATE_PRECISIONS),
        Column("status_raw", STR, "Status cell as printed (Tiến độ), null when inferred."),
        Column("status", STR, "Normalized status.", nullable=False, allowed=STATUS_VALUES),
        Column("status_inferred", BOOL, "True when derived from the result text, not read from a status column.", nullable=False),
        Column("result", STR, "Result text (Kết quả / Kết quả thực hiện)."),
        Column("expected_result", STR, "Expected result (Dự kiến kết quả …)."),
        Column("obstacles", STR, "Obstacles and requests (Vướng mắc, kiến nghị)."),
        PAGE_START,
        PAGE_END,
        Column("cell_box", BOX, "Box of the cell the status was read from (the status cell, else the result cell) on the "
               "page where it starts."),
    ),
    key=("status_id",),
    foreign_keys=(("task_id", "tasks", "task_id"), ("doc_id", "documents", "doc_id")),
)

LINKS = Table(
    "links",
    "Links between documents and tasks: a citation of a document number ('cites'); a report's task "
    "and the task it reports on ('same_task'); a task of a copy and the same task of the primary copy ('copy_of').",
    (
        Column("link_id", STR, "Stable id of the link.", nullable=False, unique=True),
        Column("link_type", STR, "'cites': the source prints the number of dst_doc_number. 'same_task': src_task_id, a "
               "task of a document that reports on another one (it gives statuses or results, and cites it, or the "
               "document it is attached to does: 'Căn cứ Chỉ thị số …'), is the task dst_task_id of that cited document; always from the "
               "report to the document reported on, never between two documents neither of which cites the other "
               "(the same text in another directive is another task). 'copy_of': src_task_id, a task of a "
               "duplicate document (documents.duplicate_of), is the task dst_task_id of its primary copy.",
               nullable=False, allowed=LINK_TYPES),
        Column("src_doc_id", STR, "Document the link starts from.", nullable=False),
        Column("src_task_id", STR, "Task the link starts from, if it was found in a task row."),
        Column("src_page", I32, "Page of the source text.", min_value=1),
        Column("src_box", BOX, "Where the link is printed: the words of the cited number (prose), the table cell that "
               "holds it, or the source task's row (same_task), on src_page.", short="Where the link is printed (page and box)"),
        Column("raw_text", STR, "Text as printed that makes the link (the cited number, or the task name)."),
        Column("dst_doc_number", STR, "Normalized number of the cited document; a number read by OCR whose type code is "
               "not in the registry is repaired when exactly one type code is near it (one letter more, less or "
               "different, or Đ read as D): '1039/TTTr-CP' -> '1039/TTr-CP'; raw_text keeps what was read."),
        Column("dst_doc_id", STR, "doc_id of the cited document when it is in the corpus: the document printing that number, "
               "else an appendix attached to it ('Kèm theo …'); the primary copy when there are duplicates."),
        Column("dst_task_id", STR, "Task linked to (same_task: the task reported on; copy_of: the primary copy's task)."),
        Column("score", F32, "Confidence in [0, 1]. cites: 1 as printed on a text page; from OCR 0.9 when its codes are in "
               "the registries, 0.8 when repaired, 0.5 when its codes could not be checked. same_task: the name "
               "match score (see normalizers/sametask.py); copy_of: the same."),
    ),
    key=("link_id",),
    foreign_keys=(("src_doc_id", "documents", "doc_id"), ("src_task_id", "tasks", "task_id"),
                  ("dst_doc_id", "documents", "doc_id"), ("dst_task_id", "tasks", "task_id")),
)

AGENCIES = Table(
    "agencies",
    "The agency registry (normalizers/data): canonical names, short forms, aliases, successors.",
    (
        Column("name", STR, "Canonical name.", nullable=False, unique=True),
        Column("short_name", STR, "Usual short form (BCA, VPCP, …)."),
        Column("kind", STR, "Kind of body.", nullable=False, allowed=AGENCY_KINDS),
        Column("aliases", STR_LIST, "Other spellings and abbreviations that name it."),
        Column("successor", STR, "Canonical name of the body that took over its duties (2025 mergers)."),
        Column("valid_until", DATE, "Last day the body existed under this name."),
        Column("parent", STR, "Canonical name of the body a unit belongs to (units of Bộ Công an, BHXH under Bộ Tài chính)."),
    ),
    key=("name",),
    foreign_keys=(("successor", "agencies", "name"), ("parent", "agencies", "name")),
)

STATUS_ENTRY = pa.struct([
    ("status_id", pa.string()), ("task_id", pa.string()), ("doc_id", pa.string()), ("doc_number", pa.string()),
    ("status", pa.string()), ("as_of", pa.date32()),
])

TASK_TRACKING = Table(
    "task_tracking",
    "One row per task of an originating document (one that assigns tasks: a directive, plan, decision, notice, "
    "resolution, …, or an appendix of one; not a report, an official letter or a submission; primary copies only, "
    "and not the tasks by which a report reports on another document's), with every status later reported on it and whether it is open "
    "and overdue on the date the run tracked on. Open means: not reported completed (`completed`, "
    "`completed_late`); no status or `unknown` is open (normalizers/tracking.py).",
    (
        Column("task_id", STR, "The task (tasks.task_id).", nullable=False, unique=True),
        Column("doc_id", STR, "The originating document (documents.doc_id).", nullable=False),
        Column("doc_number", STR, "Its number, or for an appendix the number of the document it is attached to."),
        Column("doc_type", STR, "Its type (documents.doc_type)."),
        Column("source_file", STR, "Its path relative to the raw folder.", nullable=False),
        Column("table_no", I32, "Logical table of the task in its document (tasks.table_no).", nullable=False, min_value=1),
        Column("row_no", I32, "Row of the task in that table (tasks.row_no): rows are in document order.", nullable=False, min_value=1),
        Column("part_no", STR, "Printed number of the task's part (tasks.part_no)."),
        Column("section_no", STR, "Printed number of the task's section (tasks.section_no)."),
        Column("item_no", STR, "Item number as printed (tasks.item_no)."),
        Column("name", STR, "Task text (tasks.name).", nullable=False),
        Column("lead_agencies", STR_LIST, "Canonical names of the lead agencies as assigned (tasks.lead_agencies)."),
        Column("lead_agencies_now", STR_LIST, "The bodies that hold those duties now: each lead agency followed "
               "through agencies.successor to the end (the 2025 mergers), each once, in order."),
        Column("deadline_raw", STR, "Deadline cell as printed."),
        Column("deadline_kind", STR, "Kind of deadline (tasks.deadline_kind).", nullable=False, allowed=DEADLINE_KINDS),
        Column("deadline_due", DATE, "Last day of the deadline's period (tasks.deadline_due)."),
        Column("deadline_open_ended", BOOL, "True for '… và những năm tiếp theo' and recurring deadlines.", nullable=False),
        Column("statuses", pa.list_(STATUS_ENTRY), "Every status reported on the task, oldest first: its own and those "
               "of the tasks of reports linked to it by same_task links (followed transitively), duplicates "
               "left out; each with status_id, the reporting task_id, doc_id and doc_number, status and as_of."),
        Column("n_statuses", I32, "Number of statuses.", nullable=False, min_value=0),
        Column("latest_status", STR, "The latest status reported by tracked_on (the latest as_of not after it, then "
               "the later-issued document); null when none was.", allowed=STATUS_VALUES),
        Column("latest_as_of", DATE, "Date the latest status refers to (statuses.as_of)."),
        Column("latest_result", STR, "Result text of the latest status (what the last report said)."),
        Column("latest_status_id", STR, "statuses.status_id of the latest status."),
        Column("latest_task_id", STR, "Task row the latest status was read from (this task or a report's task)."),
        Column("latest_doc_id", STR, "Document the latest status came from."),
        Column("latest_doc_number", STR, "Number of that document (or of the document it is attached to)."),
        Column("latest_source_file", STR, "Path of that document relative to the raw folder."),
        Column("is_open", BOOL, "Open: latest_status is not completed nor completed_late (no status and unknown are "
               "open).", nullable=False),
        Column("is_overdue", BOOL, "Open and deadline_due before tracked_on (not for open-ended deadlines), or open "
               "and the latest status says overdue.", nullable=False),
        Column("tracked_on", DATE, "The date is_open and is_overdue are computed for: the day of the run, or "
               "NHIEMVU_TRACKED_ON (YYYY-MM-DD).", nullable=False),
    ),
    key=("task_id",),
    foreign_keys=(("task_id", "tasks", "task_id"), ("doc_id", "documents", "doc_id"),
                  ("latest_status_id", "statuses", "status_id"), ("latest_task_id", "tasks", "task_id"),
                  ("latest_doc_id", "documents", "doc_id")),
)

TABLES: dict[str, Table] = {
    t.name: t for t in (DOCUMENTS, PAGES, CELLS, TASKS, STATUSES, LINKS, AGENCIES, TASK_TRACKING)
}


# ---------------------------------------------------------------- arrow + checks


class RowError(ValueError):
    """A row that does not match its table's declaration (a missing, extra or mistyped column)."""


def to_arrow(table: Table, rows: Iterable[Mapping[str, Any]]) -> pa.Table:
    """Build the typed Arrow table from plain row dicts, refusing any row that does not match:
    every declared column must be present (None for null) and no other; each value must
    already be of the column's type (no silent casts of a str into a number, or the reverse),
    and null only where the column allows it."""
    rows = list(rows)
    expected = set(table.column_names)
    for i, r in enumerate(rows):
        if r.keys() != expected:
            missing, extra = sorted(expected - r.keys()), sorted(r.keys() - expected)
            raise RowError(f"{table.name} row {i}: missing columns {missing}, unexpected columns {extra}")
    for c in table.columns:
        fits = _checker(c.type)
        for i, r in enumerate(rows):
            value = r[c.name]
            if value is None:
                if not c.nullable:
                    raise RowError(f"{table.name} row {i}: {c.name} is null but the column is not nullable")
            elif not fits(value):
                raise RowError(f"{table.name} row {i}: {c.name} = {value!r} is not {c.type}")
    arrays = [pa.array([r[c.name] for r in rows], type=c.type) for c in table.columns]
    return pa.Table.from_arrays(arrays, schema=table.arrow_schema())


def _fits(value: Any, type_: pa.DataType) -> bool:
    """Whether a Python value is of the column's type as it is (None fits every type)."""
    return value is None or _checker(type_)(value)


@functools.lru_cache(maxsize=None)
def _checker(type_: pa.DataType) -> Callable[[Any], bool]:
    """The test of a non-null value against a column type, made once per type (a table of
    many rows asks it for every value)."""
    if pa.types.is_string(type_):
        return lambda v: isinstance(v, str)
    if pa.types.is_boolean(type_):
        return lambda v: isinstance(v, bool)
    if pa.types.is_integer(type_):
        return lambda v: isinstance(v, int) and not isinstance(v, bool)
    if pa.types.is_floating(type_):
        return lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)
    if pa.types.is_date(type_):
        return lambda v: isinstance(v, datetime.date) and not isinstance(v, datetime.datetime)
    if pa.types.is_timestamp(type_):
        aware = type_.tz is not None
        return lambda v: isinstance(v, datetime.datetime) and (v.tzinfo is not None) == aware
    if pa.types.is_list(type_):
        item = type_.value_type
        return lambda v: isinstance(v, (list, tuple)) and all(_fits(x, item) for x in v)
    if pa.types.is_struct(type_):
        names = {f.name for f in type_}
        fields = [(f.name, f.type) for f in type_]
        return lambda v: isinstance(v, Mapping) and v.keys() == names and all(_fits(v[n], t) for n, t in fields)
    raise TypeError(f"no rule for {type_}")


def _strings(values) -> Iterable[str]:
    for v in values:
        if isinstance(v, str):
            yield v
        elif isinstance(v, list):
            yield from (x for x in v if isinstance(x, str))


def check_table(table: Table, data: pa.Table) -> list[str]:
    """Conformance problems of `data` against the declaration (empty list = conforms)."""
    problems: list[str] = []
    if data.schema.remove_metadata() != table.arrow_schema().remove_metadata():
        problems.append(f"{table.name}: schema differs from the declaration")
        return problems
    for col in table.columns:
        values = data.column(col.name).to_pylist()
        if not col.nullable and any(v is None for v in values):
            problems.append(f"{table.name}.{col.name}: null in a non-nullable column")
        present = [v for v in values if v is not None]
        if col.allowed is not None:
            bad = sorted({v for v in present if v not in col.allowed})
            if bad:
                problems.append(f"{table.name}.{col.name}: values outside {col.allowed}: {bad[:5]}")
        if col.unique and len(set(present)) != len(present):
            problems.append(f"{table.name}.{col.name}: duplicate values")
        if col.min_value is not None:
            if any(v < col.min_value for v in present):
                problems.append(f"{table.name}.{col.name}: values below {col.min_value}")
        if any(unicodedata.normalize("NFC", s) != s for s in _strings(present)):
            problems.append(f"{table.name}.{col.name}: strings not in NFC")
    if table.key and data.num_rows:
        keys = list(zip(*(data.column(k).to_pylist() for k in table.key)))
        if len(set(keys)) != len(keys):
            problems.append(f"{table.name}: key {table.key} is not unique")
    return problems


# ---------------------------------------------------------------- Frictionless data package


_FRICTIONLESS_TYPES = (
    (pa.types.is_string, "string"), (pa.types.is_integer, "integer"), (pa.types.is_floating, "number"),
    (pa.types.is_boolean, "boolean"), (pa.types.is_date, "date"), (pa.types.is_timestamp, "datetime"),
    (pa.types.is_list, "array"), (pa.types.is_struct, "object"),
)


def _frictionless_type(t: pa.DataType) -> str:
    for test, name in _FRICTIONLESS_TYPES:
        if test(t):
            return name
    raise TypeError(f"no Table Schema type for {t}")


def table_schema(table: Table) -> dict[str, Any]:
    """The Frictionless Table Schema of a curated table: types, constraints (required, unique,
    enum, minimum), primary key and foreign keys, all from the declaration."""
    fields = []
    for c in table.columns:
        constraints: dict[str, Any] = {}
        if not c.nullable:
            constraints["required"] = True
        if c.unique:
            constraints["unique"] = True
        if c.allowed is not None:
            constraints["enum"] = list(c.allowed)
        if c.min_value is not None:
            constraints["minimum"] = c.min_value.isoformat() if isinstance(c.min_value, datetime.date) else c.min_value
        field_ = {"name": c.name, "type": _frictionless_type(c.type), "description": c.description}
        if constraints:
            field_["constraints"] = constraints
        fields.append(field_)
    schema: dict[str, Any] = {"fields": fields, "missingValues": []}  # Parquet has nulls of its own; "" is a value
    if table.key:
        schema["primaryKey"] = list(table.key)
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": [col], "reference": {"resource": "" if ref == table.name else ref, "fields": [ref_col]}}
            for col, ref, ref_col in table.foreign_keys
        ]
    return schema


def datapackage_descriptor() -> dict[str, Any]:
    """`curated/datapackage.json`: every curated table as a Tabular Data Resource (its Parquet
    file, its Table Schema), derived from this module (no timestamps: same code, same bytes)."""
    return {
        "profile": "tabular-data-package",
        "name": "nhiemvu-curated",
        "title": "nhiemvu curated tables",
        "description": "Tasks, statuses and links read from Vietnamese government PDFs; every column is "
                       "described in docs/data-dictionary.md.",
        "resources": [
            {"name": t.name, "path": f"{t.name}.parquet", "format": "parquet",
             "mediatype": "application/vnd.apache.parquet", "profile": "tabular-data-resource",
             "description": t.description, "schema": table_schema(t)}
            for t in TABLES.values()
        ],
    }


# ---------------------------------------------------------------- documentation


def _type_name(t: pa.DataType) -> str:
    return str(t).replace("<item: ", "<").replace("not null", "")


def data_dictionary_markdown() -> str:
    """The data dictionary of the curated tables, as Markdown."""
    out = [
        "# Data dictionary",
        "",
        "Generated from `normalizers/schema.py` by `python -m normalizers.schema`; do not edit by hand.",
        "Strings are NFC; dates are `date32`; pages are 1-based; boxes are PDF points with the origin",
        "at the top-left of the page.",
        "",
    ]
    for t in TABLES.values():
        out += [f"## `{t.name}`", "", t.description, ""]
        if t.key:
            out += [f"Key: {', '.join(f'`{k}`' for k in t.key)}.", ""]
        if t.foreign_keys:
            refs = ", ".join(f"`{c}` → `{ref}.{rc}`" for c, ref, rc in t.foreign_keys)
            out += [f"References (a non-null value is a key there): {refs}.", ""]
        out += ["| column | type | null | description |", "| --- | --- | --- | --- |"]
        for c in t.columns:
            desc = c.description
            if c.allowed:
                desc += " One of: " + ", ".join(f"`{v}`" for v in c.allowed) + "."
            out.append(f"| `{c.name}` | `{_type_name(c.type)}` | {'yes' if c.nullable else 'no'} | {desc} |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":  # pragma: no cover - documentation generator
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "docs" / "data-dictionary.md"
    path.write_text(data_dictionary_markdown(), encoding="utf-8")
    print(f"wrote {path}")
