"""Image files as scanned documents: TIFF (every frame), JPEG, PNG, and the netpbm page
images (PGM, PPM, PBM) that scanning tools write, one document per file, a page per frame.

An image is recognised by its first bytes, never by its name. It is read as a scanned PDF
is: `image_pdf` writes its frames, losslessly (img2pdf: a JPEG's own bytes, other pixels
deflated), as the pages of a PDF whose page size is the frame at its resolution, and that
PDF takes the very path of a scanned PDF (no text layer: OCR, `ocr.ocr_scanned_pages`).
So boxes are PDF points of the page (72 per inch of the scan) and page n is frame n.

The resolution is the one the file records when it gives a plausible paper size; a file
without one (or with a placeholder such as 72 dpi on a 300 dpi scan) is taken to be a page
of A4's length, the common case of an office scan.
"""

from __future__ import annotations

import logging
from pathlib import Path

from .layout import POINTS_PER_INCH
from .pdf import DocumentError, open_regular

log = logging.getLogger(__name__)

# kind -> first bytes of such a file
_MAGIC = (
    ("tiff", (b"II*\x00", b"MM\x00*")),
    ("jpeg", (b"\xff\xd8\xff",)),
    ("png", (b"\x89PNG\r\n\x1a\n",)),
    ("pnm", (b"P1", b"P2", b"P3", b"P4", b"P5", b"P6")),
)
A4_LONG_INCHES = 297 / 25.4
PAGE_LONG_INCHES = (5.0, 17.5)  # a recorded resolution is believed when the long side is within this (A6 .. A3)


def image_kind(path: str | Path) -> str | None:
    """'tiff', 'jpeg', 'png' or 'pnm' when the file's first bytes are those of such an image."""
    with open_regular(path) as f:
        head = f.read(8)
    for kind, magics in _MAGIC:
        if any(head.startswith(m) for m in magics):
            if kind == "pnm" and (len(head) < 3 or head[2:3] not in b" \t\r\n#"):
                continue
            return kind
    return None


def _dpi(size: tuple[int, int], recorded) -> float:
    """The resolution to lay a frame of `size` pixels out at (see the module's docstring)."""
    long_px = max(size)
    try:
        dpi = float(recorded[0]) if recorded else 0.0
    except (TypeError, ValueError, IndexError):
        dpi = 0.0
    if dpi > 0 and PAGE_LONG_INCHES[0] <= long_px / dpi <= PAGE_LONG_INCHES[1]:
        return dpi
    return long_px / A4_LONG_INCHES


def frames(path: str | Path):
    """The frames of an image file, as Pillow images (loaded), with the file's resolution."""
    from PIL import Image, ImageSequence  # Pillow's own limit refuses decompression bombs

    with open_regular(path) as f, Image.open(f) as im:
        recorded = im.info.get("dpi")
        for frame in ImageSequence.Iterator(im):
            frame.load()
            yield frame.copy(), recorded


def _flat(frame):
    """A frame img2pdf takes: no alpha (laid on white), 1-bit, grey or RGB."""
    from PIL import Image

    if frame.mode in ("1", "L", "RGB"):
        return frame
    if frame.mode in ("RGBA", "LA", "PA") or (frame.mode == "P" and "transparency" in frame.info):
        rgba = frame.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    if frame.mode.startswith("I;16"):
        return frame.convert("I").point(lambda v: v / 256).convert("L")
    if frame.mode in ("I", "F"):
        return frame.convert("L")
    return frame.convert("RGB")


def image_pdf(path: str | Path, dst: Path) -> float:
    """Write the image file's frames as the pages of the PDF `dst`; returns the resolution
    they are laid out at. Raises DocumentError when the image cannot be decoded."""
    import img2pdf

    kind = image_kind(path)
    try:
        with open_regular(path) as f:
            data = f.read()
        dpi = layout_dpi(path)
        layout = img2pdf.get_fixed_dpi_layout_fun((dpi, dpi))
        try:
            pdf = img2pdf.convert(data, layout_fun=layout, rotation=img2pdf.Rotation.ifvalid)
        except Exception:  # noqa: BLE001 - alpha, 16-bit or odd modes: the decoded frames, flattened, instead
            log.debug("%s: img2pdf refused the file's own bytes; frames re-encoded losslessly", path, exc_info=True)
            pdf = img2pdf.convert([_png(_flat(frame)) for frame, _ in frames(path)], layout_fun=layout)
    except DocumentError:
        raise
    except Exception as e:  # Pillow and img2pdf raise many kinds of errors on damaged images
        raise DocumentError(f"corrupt {kind} image: {type(e).__name__}: {e}") from e
    dst.write_bytes(pdf)
    return dpi


def _png(frame) -> bytes:
    import io

    out = io.BytesIO()
    frame.save(out, format="PNG")
    return out.getvalue()


def render_frame(path: str | Path, page: int, scale: float):
    """Frame `page` (1-based) of an image file as an RGB image at `scale` pixels per point
    of its page (as pypdfium2 renders a PDF page), for pictures of rows."""
    from PIL import Image, ImageOps

    factor = scale * POINTS_PER_INCH / layout_dpi(path)  # every frame laid out at the first frame's resolution
    with open_regular(path) as f, Image.open(f) as im:
        try:
            im.seek(page - 1)
        except EOFError:
            raise IndexError(f"{path} has no page {page}") from None
        frame = ImageOps.exif_transpose(_flat(im.copy())).convert("RGB")  # as img2pdf turns it (/Rotate)
    size = (max(1, round(frame.width * factor)), max(1, round(frame.height * factor)))
    return frame.resize(size, Image.Resampling.LANCZOS)


def layout_dpi(path: str | Path) -> float:
    """The resolution every frame of the file is laid out at as a page: the first frame's
    (recorded, else A4's for its size); read from the header, no frame decoded."""
    from PIL import Image

    with open_regular(path) as f, Image.open(f) as im:
        return _dpi(im.size, im.info.get("dpi"))


__all__ = ["frames", "image_kind", "image_pdf", "render_frame"]
