"""A failure raised by our own code is told apart from a damaged file (issue 7, defect 7)."""

from __future__ import annotations

import pytest
from pdfminer.psparser import PSEOF, PSBaseParser

from extractors.grid import build_fragments
from extractors.pdf import INTERNAL_ERROR, DocumentError, error_text, is_our_bug
from extractors.streams import PageError


def _raised(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the exception is what is tested
        return e
    pytest.fail("nothing raised")


def test_a_bug_in_our_code_is_ours():
    e = _raised(lambda: build_fragments(1, None, []))  # a TypeError from extractors/grid.py
    assert is_our_bug(e) and error_text(e).startswith(f"{INTERNAL_ERROR}: TypeError")


def test_a_library_choking_on_a_damaged_file_is_not_ours():
    import io

    e = _raised(lambda: PSBaseParser(io.BytesIO(b"")).nexttoken())
    assert isinstance(e, PSEOF) and not is_our_bug(e)


@pytest.mark.parametrize("error", [DocumentError("corrupt PDF"), PageError("does not inflate"), MemoryError()])
def test_errors_raised_on_purpose_to_describe_a_file_are_not_ours(error):
    assert not is_our_bug(_raised(lambda: (_ for _ in ()).throw(error)))
