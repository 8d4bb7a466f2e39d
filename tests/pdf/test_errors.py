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


def test_a_library_error_wrapped_by_pdfplumber_is_judged_by_what_it_wraps():
    """Issue 20: pdfminer's errors re-raised as PdfminerException from our page code were called
    internal errors, and failed every later run."""
    import io

    from pdfplumber.utils.exceptions import PdfminerException

    def wrapped():
        try:
            PSBaseParser(io.BytesIO(b"")).nexttoken()
        except Exception as e:
            raise PdfminerException(e)  # as extractors/pdfpage.py does

    e = _raised(wrapped)
    assert not is_our_bug(e) and error_text(e).startswith("PSEOF")


def test_too_deep_a_recursion_is_the_file_s_nesting():
    from extractors.pdf import as_document_error

    def deep(n):
        return deep(n + 1)

    e = _raised(lambda: deep(0))
    assert isinstance(e, RecursionError) and not is_our_bug(e)
    assert isinstance(as_document_error(e), DocumentError) and "too deeply nested" in str(as_document_error(e))
    bug = _raised(lambda: build_fragments(1, None, []))
    assert as_document_error(bug) is bug  # our bug stays ours


def test_a_sealed_value_is_unpickled_only_when_whole_and_ours(tmp_path):
    """Issue 20: pickles of the state folder ran their code when loaded."""
    import pickle

    from pipeline.runtime import sealed, state

    blob = sealed.dumps(tmp_path, {"rows": [1, 2]})
    assert sealed.loads(tmp_path, blob) == {"rows": [1, 2]}
    assert (tmp_path / state.KEY_FILE).stat().st_mode & 0o777 == 0o600
    path = tmp_path / "v.pkl"
    path.write_bytes(blob)
    assert sealed.intact(path)
    path.write_bytes(blob[:-3])
    assert not sealed.intact(path)
    flipped = bytearray(blob)
    flipped[-2] ^= 1
    evil = pickle.dumps(print)
    for bad in (blob[:-3], bytes(flipped), evil, sealed.MAGIC + len(evil).to_bytes(8, "big") + bytes(32) + evil):
        with pytest.raises(sealed.Damaged):
            sealed.loads(tmp_path, bad)
    other = tmp_path / "other"
    with pytest.raises(sealed.Damaged):  # another state folder's key
        sealed.loads(other, blob)


def test_a_value_stored_before_the_pipeline_s_modules_moved_is_read(tmp_path, monkeypatch):
    """A state folder kept across the move of pipeline/reading.py to pipeline/runtime/ keeps its
    extractions; a sealed value of a class that is gone is damaged (made again), not a crash."""
    import pickle
    import sys
    import types

    from pipeline.runtime import sealed
    from pipeline.runtime.reading import Extraction

    old_module = types.ModuleType("pipeline.reading")
    old_module.Extraction = Extraction
    with monkeypatch.context() as m:  # pickled as the code before the move named it
        m.setitem(sys.modules, "pipeline.reading", old_module)
        m.setattr(Extraction, "__module__", "pipeline.reading")
        old = pickle.dumps(Extraction("a" * 64, b"payload"))
    assert b"pipeline.reading" in old and b"pipeline.runtime.reading" not in old
    assert sealed.loads(tmp_path, sealed.seal(tmp_path, old)) == Extraction("a" * 64, b"payload")
    gone = old.replace(b"pipeline.reading", b"pipeline.nowhere")
    with pytest.raises(sealed.Damaged, match="cannot be read by this code"):
        sealed.loads(tmp_path, sealed.seal(tmp_path, gone))


def test_a_library_that_is_not_installed_is_the_machine_s_failure():
    from extractors.pdf import EnvironmentFailure, as_document_error

    def missing():
        import nhiemvu_no_such_module  # noqa: F401

    e = _raised(missing)
    assert isinstance(as_document_error(e), EnvironmentFailure)
    mapped = ImportError("/x/cv2.abi3.so: failed to map segment from shared object")
    assert not isinstance(as_document_error(mapped), EnvironmentFailure)
