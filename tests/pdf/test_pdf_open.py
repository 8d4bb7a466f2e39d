"""Opening PDFs and building their pages: no page dropped or renumbered, a page whose content
cannot be read fails with the reason, only regular files are read, and data after %%EOF is
not taken for a truncation."""

from __future__ import annotations

import functools
import os
import tracemalloc
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from pdfminer.pdfpage import PDFPage

import extractors.pdf as pdfmod
from extractors.pdf import DocumentError, iter_pages, open_pdf, opened, page_count, sha256_file
from tests.conftest import RAW
from tests.fixtures.hostile import time_limit
from tests.fixtures import bad_inputs, hostile

GOOD = RAW / "929_BCA-VPB.pdf"



@functools.lru_cache(maxsize=None)
def _chars(path: Path) -> dict[int, int | Exception]:
    with opened(path) as pdf:
        return {n: p if isinstance(p, Exception) else len(p.chars) for n, p in iter_pages(pdf)}


def test_a_page_without_type_is_kept_and_later_pages_keep_their_numbers(tmp_path):
    bad = hostile.page_without_type(GOOD, tmp_path / "no_type.pdf", page=2)
    with opened(bad) as pdf:
        assert page_count(pdf) == len(pdfium.PdfDocument(str(bad))) == 5
    assert _chars(bad) == _chars(GOOD)  # page 2 read as page 2, pages 3-5 as 3-5


def test_a_content_stream_that_no_longer_inflates_fails_its_page(tmp_path):
    bad = hostile.uninflatable_page(GOOD, tmp_path / "uninflatable.pdf", page=2)
    good, got = _chars(GOOD), _chars(bad)
    assert isinstance(got[2], pdfmod.PageError) and "does not inflate" in str(got[2])
    assert {n: c for n, c in got.items() if n != 2} == {n: c for n, c in good.items() if n != 2}


def test_a_deflate_bomb_fails_its_page_without_inflating_it(tmp_path):
    bomb = hostile.deflate_bomb(GOOD, tmp_path / "bomb.pdf", page=2, gib=2)
    assert bomb.stat().st_size < 3 << 20
    with opened(bomb) as pdf:
        page = next(p for n, p in iter_pages(pdf, 2, 2))
        assert isinstance(page, pdfmod.PageError) and "inflates to more than" in str(page)
        bomb_page = list(PDFPage.create_pages(pdf.doc))[1]
        tracemalloc.start()  # the check itself holds at most a few MB
        with pytest.raises(pdfmod.PageError):
            pdfmod.check_content_streams(bomb_page)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert peak < 16 << 20, peak
    got = _chars(bomb)
    assert all(got[n] == c for n, c in _chars(GOOD).items() if n != 2)


def test_data_after_eof_is_not_a_truncation(tmp_path):
    for n in (3_000, 3 << 20):
        path = hostile.trailing_data(GOOD, tmp_path / f"trailing_{n}.pdf", n=n)
        assert _chars(path) == _chars(GOOD)


def test_a_truncated_pdf_is_still_called_truncated(tmp_path):
    with pytest.raises(DocumentError, match="truncated PDF"):
        open_pdf(bad_inputs.truncated(GOOD, tmp_path / "truncated.pdf"))


def test_a_fifo_and_a_device_are_refused_without_blocking(tmp_path):
    for path in (hostile.fifo(tmp_path), hostile.dev_zero_link(tmp_path)):
        with time_limit(10):
            with pytest.raises(OSError, match="not a regular file"):
                sha256_file(path)
            with pytest.raises(DocumentError, match="not a regular file"):
                open_pdf(path)


def test_an_unreadable_file_is_a_document_error(tmp_path, monkeypatch):
    path = hostile.unreadable_file(tmp_path, GOOD)
    hostile.deny_reading(monkeypatch, path)
    with pytest.raises(DocumentError, match="cannot be read: Permission denied"):
        open_pdf(path)


def test_names_that_are_not_utf8_or_in_nfd_open(tmp_path):
    for path in (hostile.non_utf8_name(tmp_path, GOOD), hostile.nfd_name(tmp_path, GOOD)):
        assert os.path.exists(path)
        assert _chars(path) == _chars(GOOD)


def test_page_counts_agree_with_pdfium_on_real_documents(realworld):
    """Every real PDF: the same number of pages as pdfium, and no page failing the content check."""
    files = sorted(realworld.rglob("*.pdf"))
    assert len(files) >= 20
    for path in files:
        with opened(path) as pdf:
            assert page_count(pdf) == len(pdfium.PdfDocument(str(path))), path
            for n, page in iter_pages(pdf):
                assert not isinstance(page, Exception), (path, n, page)
                page.close()


def test_the_image_bomb_for_the_per_document_limit_is_what_it_says(tmp_path):
    """A fixture for the runner's memory limit: ~2 MB on disk, a 2 GiB image once inflated."""
    import zlib

    import pikepdf

    path = hostile.image_bomb(tmp_path / "image_bomb.pdf", gib=2)
    assert path.stat().st_size < 3 << 20
    with pikepdf.open(path) as pdf:
        image = pdf.pages[0].Resources.XObject.Im0
        assert int(image.Width) * int(image.Height) >= 2_000_000_000
        d = zlib.decompressobj()
        assert d.decompress(image.read_raw_bytes(), 1 << 20) == bytes(1 << 20)
    with opened(path) as pdf:
        ((n, page),) = iter_pages(pdf)
        assert not isinstance(page, Exception) and page.chars == [] and len(page.images) == 1


@pytest.mark.parametrize("loop", [False, True], ids=["untyped nodes", "untyped nodes and a loop"])
def test_a_page_tree_with_untyped_nodes_gives_every_page_in_order(tmp_path, loop):
    path = hostile.odd_page_tree(tmp_path / "tree.pdf", loop=loop)
    with opened(path) as pdf:
        texts = [p.extract_text() for _, p in iter_pages(pdf)]
        assert page_count(pdf) == 3
    assert texts == ["Page 1", "Page 2", "Page 3"]
    if not loop:
        assert len(pdfium.PdfDocument(str(path))) == 3


# --- issue 20: pages that vanished quietly ----------------------------------------------------

@pytest.mark.parametrize("contents", ["dictionary", "integer", "name"])
def test_a_page_whose_contents_is_not_a_stream_fails_with_a_reason(tmp_path, contents):
    """It was an "ok" page of 0 characters."""
    import pikepdf

    bad = tmp_path / "contents.pdf"
    with pikepdf.open(GOOD) as pdf:
        pdf.pages[1].obj.Contents = {"dictionary": pikepdf.Dictionary(Foo=1), "integer": 5,
                                     "name": pikepdf.Name.Foo}[contents]
        pdf.save(bad)
    got, good = _chars(bad), _chars(GOOD)
    assert isinstance(got[2], pdfmod.PageError) and "/Contents is not a content stream" in str(got[2])
    assert {n: c for n, c in got.items() if n != 2} == {n: c for n, c in good.items() if n != 2}


def test_a_page_listed_twice_in_the_page_tree_is_reported_in_its_place(tmp_path):
    """It was dropped without a word (and every later page numbered one too low)."""
    path = hostile.page_listed_twice(tmp_path / "twice.pdf")
    got = _chars(path)
    assert len(got) == len(pdfium.PdfDocument(str(path))) == 3
    assert got[1] > 0 and got[2] > 0
    assert isinstance(got[3], pdfmod.PageError) and "listed a second time in the page tree (it is page 1)" in str(got[3])


def test_pages_sharing_one_empty_compressed_stream_are_read(tmp_path):
    """qpdf writes an empty stream as /Length 0 with its /FlateDecode kept: 5,000 pages sharing
    one failed as "does not inflate"."""
    import pikepdf

    path = tmp_path / "blank.pdf"
    pdf = pikepdf.new()
    empty = pdf.make_stream(b"")
    for _ in range(5000):
        pdf.add_blank_page(page_size=(200, 200))
        pdf.pages[-1].obj.Contents = empty
    pdf.save(path, compress_streams=True)
    assert b"/Length 0 /Filter /FlateDecode" in path.read_bytes()
    with opened(path) as pdf:
        pages = list(iter_pages(pdf))
    assert len(pages) == 5000 and not [p for _, p in pages if isinstance(p, Exception)]
