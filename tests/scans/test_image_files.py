"""Image files as scanned documents (extractors/images.py): recognised by their bytes, a page
per frame at the recorded resolution (or A4's), routed to OCR as a scanned PDF page is;
damaged images fail with a reason; and a frame renders for the pictures of rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from extractors.document import extract_document, read_pages
from extractors.highlight import render_page
from extractors.images import image_kind, image_pdf
from extractors.pdf import DocumentError, opened, page_count
from tests.fixtures import bad_inputs

A4_PX_200 = (1654, 2339)  # A4 at 200 dpi


def _page(size=A4_PX_200, mode="L") -> Image.Image:
    im = Image.new(mode, size, "white")
    d = ImageDraw.Draw(im)
    d.rectangle([100, 200, size[0] - 100, 600], outline="black", width=4)
    d.line([400, 200, 400, 600], fill="black", width=4)
    return im


@pytest.mark.parametrize("name, fmt, kind", [
    ("a.tif", "TIFF", "tiff"), ("a.jpg", "JPEG", "jpeg"), ("a.png", "PNG", "png"), ("a.pgm", "PPM", "pnm"),
])
def test_an_image_is_known_by_its_bytes_and_is_a_one_page_scan(tmp_path, name, fmt, kind):
    path = tmp_path / name
    _page().save(path, format=fmt, dpi=(200, 200))
    disguised = tmp_path / "scan.pdf"  # the name does not matter
    disguised.write_bytes(path.read_bytes())
    assert image_kind(path) == kind and image_kind(disguised) == kind
    pdf = tmp_path / "pages.pdf"
    dpi = image_pdf(disguised, pdf)
    assert dpi == pytest.approx(200, abs=0.1)  # recorded (or, in a PGM, A4's length)
    with opened(pdf) as doc:
        assert page_count(doc) == 1
        page = doc.pages[0]
        assert (float(page.width), float(page.height)) == pytest.approx((595.4, 842.0), abs=0.5)
    (content, needs_ocr), = read_pages(pdf)
    assert needs_ocr and content.n_chars == 0  # the OCR path of a scanned PDF


def test_every_frame_of_a_tiff_is_a_page_in_order(tmp_path):
    frames = [_page(), _page(A4_PX_200[::-1]), _page()]  # the second one landscape
    path = tmp_path / "three.tiff"
    frames[0].save(path, format="TIFF", save_all=True, append_images=frames[1:], dpi=(200, 200),
                   compression="tiff_lzw")
    doc = extract_document(path, ocr=False)
    assert doc.n_pages == 3 and [p.page for p in doc.pages] == [1, 2, 3]
    assert [p.width > p.height for p in doc.pages] == [False, True, False]
    image = render_page(str(path), 2, 1.0)  # a picture of page 2 as a PDF page renders at 72 dpi
    assert image.size == pytest.approx((842, 595), abs=1)


def test_a_resolution_that_is_not_a_page_is_replaced_by_a4s(tmp_path):
    path = tmp_path / "phone.jpg"
    _page((2480, 3508)).save(path, format="JPEG", dpi=(72, 72))  # 300 dpi pixels, a 72 dpi label: 34 by 49 inches
    assert image_pdf(path, tmp_path / "p.pdf") == pytest.approx(300, abs=0.5)


def test_a_png_with_alpha_and_a_palette_image_are_read(tmp_path):
    rgba = _page(mode="RGBA")
    rgba.putalpha(200)
    rgba.save(tmp_path / "alpha.png")
    _page().convert("P").save(tmp_path / "palette.png")
    for name in ("alpha.png", "palette.png"):
        doc = extract_document(tmp_path / name, ocr=False)
        assert doc.n_pages == 1 and doc.pages[0].method == "text" and doc.signatures == ()


def test_a_damaged_image_fails_with_its_reason(tmp_path):
    whole = tmp_path / "whole.png"
    _page().save(whole)
    cut = tmp_path / "cut.png"
    cut.write_bytes(whole.read_bytes()[:200])
    with pytest.raises(DocumentError, match="corrupt png image"):
        extract_document(cut, ocr=False)


def test_other_files_are_still_not_a_pdf(tmp_path):
    path = tmp_path / "notes.tif"
    bad_inputs.not_a_pdf(path)
    assert image_kind(path) is None
    with pytest.raises(DocumentError, match="not a PDF"):
        extract_document(path, ocr=False)
