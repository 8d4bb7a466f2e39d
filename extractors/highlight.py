"""A page image with boxes drawn on it, so that an auditor can see where a row came from.

Boxes are PDF points from the top-left of the page (as in the curated tables); the
page is rendered with pypdfium2, which applies the page's /Rotate as pdfplumber does (a
frame of an image file is scaled from its resolution, `images.render_frame`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Iterable

from .layout import Box

HIGHLIGHT = (220, 30, 30)


def page_with_boxes(pdf_path: str | Path, page: int, boxes: Iterable[Box], *, scale: float = 2.0, width: int = 3):
    """PIL image of page `page` (1-based) with each box outlined."""
    from PIL import ImageDraw

    image = _render(str(pdf_path), page, scale)
    draw = ImageDraw.Draw(image)
    for x0, top, x1, bottom in boxes:
        draw.rectangle([x0 * scale, top * scale, x1 * scale, bottom * scale], outline=HIGHLIGHT, width=width)
    return image


@lru_cache(maxsize=8)
def render_page(pdf_path: str, page: int, scale: float = 2.0):
    """The page (1-based) as an RGB image; the last few are kept, since a report crops many rows of one page."""
    return _render(pdf_path, page, scale)


def _render(path: str, page: int, scale: float):
    """Page `page` of a PDF, or frame `page` of an image file, at `scale` pixels per point."""
    import pypdfium2 as pdfium

    from .images import image_kind, render_frame

    if image_kind(path) is not None:
        return render_frame(path, page, scale)
    pdf = pdfium.PdfDocument(path)
    try:
        return pdf[page - 1].render(scale=scale).to_pil().convert("RGB")
    finally:
        pdf.close()


TRACE_FILL = (255, 200, 0, 70)  # the row, translucent
TRACE_OUTLINE = HIGHLIGHT  # each cell of the row
FRAME_OUTLINE = (90, 90, 90, 255)  # the row around a traced cell
LABEL_HEIGHT = 28  # pixels above each page crop for its label
CONTEXT = 36.0  # points of the page kept around the row


def _union(boxes: Iterable[Box]) -> Box:
    boxes = list(boxes)
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def traced_page(pdf_path: str | Path, page: int, row: Box | None, cells: Iterable[Box], label: str, *,
                scale: float = 2.0, context: float = CONTEXT, frame: Box | None = None):
    """One page cropped around a row (with `context` points around it, the page's full width):
    the row filled translucent, each cell outlined, a label above; `frame` (the whole row when
    one cell of it is traced) is kept in the crop and drawn with a thin grey line. Returns
    (image, crop box in points)."""
    from PIL import Image, ImageDraw, ImageFont

    cells = list(cells)
    image = render_page(str(pdf_path), page, scale).convert("RGBA")
    width, height = image.size[0] / scale, image.size[1] / scale
    marks = [b for b in ([row] if row else []) + ([frame] if frame else []) + cells]
    if not marks:
        raise ValueError(f"nothing to trace on page {page}")
    _, top, _, bottom = _union(marks)
    crop = (0.0, max(0.0, top - context), width, min(height, bottom + context))
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    if frame:
        draw.rectangle([v * scale for v in frame], outline=FRAME_OUTLINE, width=1)
    if row:
        draw.rectangle([v * scale for v in row], fill=TRACE_FILL)
    for box in cells:
        draw.rectangle([v * scale for v in box], outline=TRACE_OUTLINE + (255,), width=max(2, int(scale)))
    image = Image.alpha_composite(image, overlay).convert("RGB")
    image = image.crop(tuple(int(round(v * scale)) for v in crop))
    framed = Image.new("RGB", (image.size[0], image.size[1] + LABEL_HEIGHT), "white")
    framed.paste(image, (0, LABEL_HEIGHT))
    ImageDraw.Draw(framed).text((8, 4), label, fill=(0, 0, 0), font=ImageFont.load_default(size=18))
    return framed, crop


def stack(images) -> "Image.Image":
    """Images one above the other (a row over two pages: both pages, in order)."""
    from PIL import Image

    images = list(images)
    out = Image.new("RGB", (max(i.size[0] for i in images), sum(i.size[1] for i in images) + 4 * (len(images) - 1)), "grey")
    y = 0
    for i in images:
        out.paste(i, (0, y))
        y += i.size[1] + 4
    return out
