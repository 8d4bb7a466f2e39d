"""A page image with boxes drawn on it, so that an auditor can see where a row came from.

Boxes are PDF points from the top-left of the page (as in the curated tables); the
page is rendered with pypdfium2, which applies the page's /Rotate as pdfplumber does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from .layout import Box

HIGHLIGHT = (220, 30, 30)


def page_with_boxes(pdf_path: str | Path, page: int, boxes: Iterable[Box], *, scale: float = 2.0, width: int = 3):
    """PIL image of page `page` (1-based) with each box outlined."""
    import pypdfium2 as pdfium
    from PIL import ImageDraw

    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        image = pdf[page - 1].render(scale=scale).to_pil().convert("RGB")
    finally:
        pdf.close()
    draw = ImageDraw.Draw(image)
    for x0, top, x1, bottom in boxes:
        draw.rectangle([x0 * scale, top * scale, x1 * scale, bottom * scale], outline=HIGHLIGHT, width=width)
    return image
