"""LeanPage reads every page object exactly as pdfplumber's own Page does (extractors/pdfpage.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdfplumber.page import Page

from extractors.pdf import iter_pages, opened
from extractors.pdfpage import LeanPage
from tests.conftest import RAW

MAX_PAGES = 4  # per real-world file: enough for its fonts and drawing, quick
REALWORLD_FILES = (
    "pdfplumber/nics-background-checks-2015-11-rotated.pdf",  # a /Rotate page
    "pdfplumber/issue-336-example.pdf",
    "pdfplumber/table-curves-example.pdf",
    "pdfplumber/senate-expenditures.pdf",
    "camelot/anticlockwise_table_1.pdf",  # sideways text
    "camelot/image.pdf",
    "vn-congbao/luat-thue-tncn-109-2025-QH15.pdf",
    "vn-luatvietnam/10209536.pdf",
    "icdar2013/competition-dataset-us/us-011a.pdf",  # inline images
)


def _comparable(obj: dict) -> dict:
    # an inline image's stream object (and the name made from its id) is parsed anew on
    # each reading of the page: compare what it holds
    if obj.get("object_type") == "image" and "stream" in obj:
        return {**obj, "stream": (obj["stream"].attrs, obj["stream"].get_rawdata()), "name": None}
    return obj


def _check(path: Path, max_pages: int | None = None) -> int:
    n = 0
    with opened(path) as pdf:
        for number, page in iter_pages(pdf, 1, max_pages):
            if isinstance(page, Exception):
                continue
            assert isinstance(page, LeanPage)
            theirs = Page(pdf, page.page_obj, page_number=number, initial_doctop=0).objects
            ours = page.objects
            assert sorted(ours) == sorted(theirs), f"{path.name} page {number}"
            for kind in theirs:
                assert [_comparable(o) for o in ours[kind]] == [_comparable(o) for o in theirs[kind]], \
                    f"{path.name} page {number}: {kind}"
            n += len(ours.get("char", ()))
    return n


@pytest.mark.parametrize("name", sorted(p.name for p in RAW.glob("*.pdf")))
def test_sample_corpus_objects_as_pdfplumber(name: str) -> None:
    chars = _check(RAW / name)
    assert chars > 0 or name.endswith("_scan.pdf")


@pytest.mark.parametrize("rel", REALWORLD_FILES)
def test_realworld_objects_as_pdfplumber(realworld: Path, rel: str) -> None:
    path = realworld / rel
    if not path.exists():
        pytest.skip(f"{rel} not in the realworld folder")
    _check(path, MAX_PAGES)
