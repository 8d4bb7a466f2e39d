"""A pdfplumber page whose objects cost less to read: the same dicts, built directly.

pdfplumber reads a page in two passes: pdfminer's interpreter builds a layout tree
(an `LTChar` object per glyph), then `Page.process_object` turns every node into a
dict by walking the node's attributes generically (`resolve_all` on each value).
On our documents that second pass costs more than the interpretation itself, and
the glyphs are nearly all of the objects.

`LeanPage` builds each glyph's dict in the interpreter's device, at the moment
pdfminer would have built its `LTChar`, with the same keys and the same values
(the same arithmetic in the same order, so the same floats); the few other objects
(rules, rectangles, curves, images) still go through pdfplumber's own
`process_object`. Everything else (words, tables, filters, crops) is pdfplumber's,
working on those dicts. `tests/pdf/test_pdfpage.py` checks, on real files, that
every object dict equals the one pdfplumber makes.

Neither pdfminer nor pdfplumber draws annotations. `annotation_chars` interprets, with the
same device, the normal appearance (/AP /N) of each annotation a page shows (not hidden,
not a pop-up), placed as a viewer places it (PDF 32000-1, 12.5.5: the form's /BBox through
its /Matrix, fitted onto the annotation's /Rect): the number and the day a signing system
stamps into a document's header are such appearances. Those glyphs are kept apart from the
page's own (`page.chars` is unchanged), for `words.annotation_words` to mark them.
"""

from __future__ import annotations

import logging
from typing import Any, NamedTuple
from unicodedata import normalize as normalize_unicode

from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.pdftypes import PDFStream, dict_value, resolve1
from pdfminer.psparser import PSLiteral
from pdfminer.utils import apply_matrix_pt, apply_matrix_rect, mult_matrix
from pdfplumber.page import Page, PDFPageAggregatorWithMarkedContent, fix_fontname_bytes
from pdfplumber.utils import resolve_all, resolve_and_decode
from pdfplumber.utils.exceptions import PdfminerException

log = logging.getLogger(__name__)


class _CharDevice(PDFPageAggregatorWithMarkedContent):
    """pdfplumber's device, except that a glyph becomes pdfplumber's char dict at once
    (in `chars`, in drawing order) instead of an `LTChar` in the layout tree."""

    def __init__(self, page: Page) -> None:
        super().__init__(page.pdf.rsrcmgr, pageno=page.page_number, laparams=None)
        self.chars: list[dict[str, Any]] = []
        self._page_number = page.page_number
        self._height = page.height
        self._mb_x0, self._mb_top = page.mediabox[:2]
        self._doctop = page.initial_doctop
        self._norm = page.pdf.unicode_norm
        self._state: tuple | None = None  # (graphic state, ncs) -> their dict values, per string
        self._glyphs: dict[tuple[Any, int], tuple[str, float]] = {}

    def _state_values(self, ncs, graphicstate) -> tuple:
        state = self._state
        if state is not None and state[0] is graphicstate and state[1] is ncs:
            return state[2]
        scolor, ncolor = graphicstate.scolor, graphicstate.ncolor
        values = (
            resolve_and_decode(ncs.name),
            scolor if isinstance(scolor, tuple) else (scolor,),
            ncolor if isinstance(ncolor, tuple) else (ncolor,),
        )
        self._state = (graphicstate, ncs, values)
        return values

    def _glyph(self, font, cid: int) -> tuple[str, float]:
        """(text, width in text space) of a glyph, as pdfminer's render_char finds them;
        both depend on the font and the glyph only, so they are looked up once per page."""
        key = (font, cid)
        found = self._glyphs.get(key)
        if found is None:
            try:
                text = font.to_unichr(cid)
                assert isinstance(text, str), str(type(text))
            except PDFUnicodeNotDefined:
                text = self.handle_undefined_char(font, cid)
            if self._norm is not None:
                text = normalize_unicode(self._norm, text)
            found = self._glyphs[key] = (text, font.char_width(cid))
        return found

    def render_string_horizontal(self, seq, matrix, pos, font, fontsize, scaling, charspace, wordspace, rise,  # type: ignore[override]
                                 dxscale, ncs, graphicstate):
        # pdfminer's PDFTextDevice.render_string_horizontal with its render_char (PDFLayoutAnalyzer),
        # LTChar.__init__ (horizontal font), apply_matrix_rect and pdfplumber's Page.process_object
        # inlined: the same expressions in the same order, so the same floats
        (x, y) = pos
        needcharspace = False
        (a, b, c, d, e, f) = matrix
        descent = font.get_descent() * fontsize
        lo, hi = descent + rise, descent + rise + fontsize
        upright = a * d * scaling > 0 and b * c <= 0
        fontname = font.fontname
        if isinstance(fontname, bytes):  # pragma: no cover - rare byte-encoded font names
            fontname = fix_fontname_bytes(fontname)
        mcid, tag = self.cur_mcid, self.cur_tag
        if not (mcid is None or isinstance(mcid, int)):
            mcid = resolve_all(mcid)
        ncs_name, stroking, non_stroking = self._state_values(ncs, graphicstate)
        height, mb_x0, mb_top, doctop, page_number = self._height, self._mb_x0, self._mb_top, self._doctop, self._page_number
        glyph, append = self._glyph, self.chars.append
        for obj in seq:
            if isinstance(obj, (int, float)):
                x -= obj * dxscale
                needcharspace = True
            elif isinstance(obj, bytes):
                for cid in font.decode(obj):
                    if needcharspace:
                        x += charspace
                    text, textwidth = glyph(font, cid)
                    adv = textwidth * fontsize * scaling
                    ce, cf = x * a + y * c + e, x * b + y * d + f  # translate_matrix(matrix, (x, y))
                    # apply_matrix_rect((a, b, c, d, ce, cf), (0, lo, adv, hi))
                    left1, bottom1 = a * 0 + c * lo + ce, b * 0 + d * lo + cf
                    right1, bottom2 = a * adv + c * lo + ce, b * adv + d * lo + cf
                    right2, top1 = a * adv + c * hi + ce, b * adv + d * hi + cf
                    left2, top2 = a * 0 + c * hi + ce, b * 0 + d * hi + cf
                    x0, y0 = min(left1, left2, right1, right2), min(bottom1, bottom2, top1, top2)
                    x1, y1 = max(left1, left2, right1, right2), max(bottom1, bottom2, top1, top2)
                    if x1 < x0:
                        (x0, x1) = (x1, x0)
                    if y1 < y0:
                        (y0, y1) = (y1, y0)
                    top = (height - y1) + mb_top
                    width, char_height = x1 - x0, y1 - y0
                    if mb_x0 != 0:
                        x0, x1 = x0 + mb_x0, x1 + mb_x0
                    append({
                        "matrix": (a, b, c, d, ce, cf), "fontname": fontname, "adv": adv, "upright": upright,
                        "x0": x0, "y0": y0, "x1": x1, "y1": y1, "width": width, "height": char_height,
                        "size": char_height, "mcid": mcid, "tag": tag, "object_type": "char",
                        "page_number": page_number, "ncs": ncs_name, "text": text, "stroking_color": stroking,
                        "non_stroking_color": non_stroking, "top": top, "bottom": (height - y0) + mb_top,
                        "doctop": doctop + top,
                    })
                    x += adv
                    if cid == 32 and wordspace:
                        x += wordspace
                    needcharspace = True
            else:
                log.warning("Cannot render horizontal string because %r is not a valid int, float or bytes.", obj)
        return (x, y)

    def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate) -> float:  # type: ignore[override]
        # vertical fonts only (horizontal strings are rendered above): pdfminer's
        # PDFLayoutAnalyzer.render_char and LTChar.__init__, then pdfplumber's process_object
        text, textwidth = self._glyph(font, cid)
        textdisp = font.char_disp(cid)
        adv = textwidth * fontsize * scaling
        vertical = font.is_vertical()
        if vertical:
            assert isinstance(textdisp, tuple)
            (vx, vy) = textdisp
            vx = fontsize * 0.5 if vx is None else vx * fontsize * 0.001
            vy = (1000 - vy) * fontsize * 0.001
            bbox = (-vx, vy + rise + adv, -vx + fontsize, vy + rise)
        else:
            descent = font.get_descent() * fontsize
            bbox = (0, descent + rise, adv, descent + rise + fontsize)
        (a, b, c, d, _e, _f) = matrix
        upright = a * d * scaling > 0 and b * c <= 0
        (x0, y0, x1, y1) = apply_matrix_rect(matrix, bbox)
        if x1 < x0:
            (x0, x1) = (x1, x0)
        if y1 < y0:
            (y0, y1) = (y1, y0)
        width, height = x1 - x0, y1 - y0
        fontname = font.fontname
        if isinstance(fontname, bytes):  # pragma: no cover - rare byte-encoded font names
            fontname = fix_fontname_bytes(fontname)
        mcid, tag = self.cur_mcid, self.cur_tag
        ncs_name, stroking, non_stroking = self._state_values(ncs, graphicstate)
        top = (self._height - y1) + self._mb_top
        if self._mb_x0 != 0:
            x0, x1 = x0 + self._mb_x0, x1 + self._mb_x0
        self.chars.append({
            "matrix": matrix, "fontname": fontname, "adv": adv, "upright": upright,
            "x0": x0, "y0": y0, "x1": x1, "y1": y1, "width": width, "height": height,
            "size": width if vertical else height,
            "mcid": mcid if mcid is None or isinstance(mcid, int) else resolve_all(mcid), "tag": tag,
            "object_type": "char", "page_number": self._page_number, "ncs": ncs_name, "text": text,
            "stroking_color": stroking, "non_stroking_color": non_stroking,
            "top": top, "bottom": (self._height - y0) + self._mb_top, "doctop": self._doctop + top,
        })
        return adv


class LeanPage(Page):
    """`pdfplumber.page.Page` with `parse_objects` done in one pass for glyphs (see the
    module's docstring). With layout analysis asked for (`laparams`), pdfplumber's own."""

    def parse_objects(self) -> dict[str, list[dict[str, Any]]]:
        if self.pdf.laparams is not None:
            return super().parse_objects()
        device = _CharDevice(self)
        interpreter = PDFPageInterpreter(self.pdf.rsrcmgr, device)
        try:
            interpreter.process_page(self.page_obj)
        except Exception as e:
            raise PdfminerException(e)
        objects: dict[str, list[dict[str, Any]]] = {}
        if device.chars:
            objects["char"] = device.chars
        for obj in self.iter_layout_objects(device.get_result()._objs):
            if obj["object_type"] != "anno":
                objects.setdefault(obj["object_type"], []).append(obj)
        return objects


# annotation flags (PDF 32000-1, 12.5.3) of an annotation that is not shown on the page
_HIDDEN, _NO_VIEW = 1 << 1, 1 << 5


class Appearance(NamedTuple):
    """The normal appearance of one annotation on a page, as the page shows it."""

    index: int  # the annotation's place in the page's /Annots
    subtype: str  # "Widget", "FreeText", "Stamp", ...
    stream: PDFStream  # its form XObject (/AP /N, or the state /AS names)
    matrix: tuple[float, float, float, float, float, float]  # form space -> default user space


def _number(value) -> float:
    return float(resolve1(value))


def _rect(value) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (_number(v) for v in resolve1(value))
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _name(value) -> str:
    value = resolve1(value)
    return value.name if isinstance(value, PSLiteral) else str(value or "")


def appearance_matrix(bbox, form_matrix, rect) -> tuple[float, float, float, float, float, float] | None:
    """The matrix that places an appearance form on the page (PDF 32000-1, 12.5.5): its
    /BBox transformed by its /Matrix, then that box's bounds scaled and moved onto /Rect.
    None when either box is empty (an invisible signature's Rect is [0 0 0 0])."""
    bx0, by0, bx1, by1 = bbox
    corners = [apply_matrix_pt(form_matrix, p) for p in ((bx0, by0), (bx1, by0), (bx1, by1), (bx0, by1))]
    tx0, tx1 = min(x for x, _ in corners), max(x for x, _ in corners)
    ty0, ty1 = min(y for _, y in corners), max(y for _, y in corners)
    rx0, ry0, rx1, ry1 = rect
    if tx1 - tx0 <= 0 or ty1 - ty0 <= 0 or rx1 - rx0 <= 0 or ry1 - ry0 <= 0:
        return None
    sx, sy = (rx1 - rx0) / (tx1 - tx0), (ry1 - ry0) / (ty1 - ty0)
    fit = (sx, 0.0, 0.0, sy, rx0 - tx0 * sx, ry0 - ty0 * sy)
    return mult_matrix(form_matrix, fit)


def page_appearances(page_obj) -> list[Appearance]:
    """The normal appearances the annotations of a pdfminer page show: each annotation with an
    /AP /N form (the state /AS picks when /N holds several), not hidden, not a pop-up, with
    a visible /Rect. A page without annotations costs one dictionary look-up."""
    annots = resolve1(page_obj.attrs.get("Annots"))
    if not annots or not isinstance(annots, list):
        return []
    out = []
    for index, ref in enumerate(annots):
        try:
            annot = resolve1(ref)
            if not isinstance(annot, dict) or "AP" not in annot:
                continue
            subtype = _name(annot.get("Subtype"))
            flags = int(resolve1(annot.get("F", 0)) or 0)
            if subtype == "Popup" or flags & (_HIDDEN | _NO_VIEW):
                continue
            normal = resolve1(dict_value(annot["AP"]).get("N"))
            if isinstance(normal, dict) and not isinstance(normal, PDFStream):
                normal = resolve1(normal.get(_name(annot.get("AS"))))
            if not isinstance(normal, PDFStream) or "BBox" not in normal.attrs:
                continue
            bbox = _rect(normal.attrs["BBox"])
            form_matrix = tuple(_number(v) for v in resolve1(normal.attrs.get("Matrix", (1, 0, 0, 1, 0, 0))))
            matrix = appearance_matrix(bbox, form_matrix, _rect(annot.get("Rect")))
            if matrix is not None:
                out.append(Appearance(index, subtype, normal, matrix))
        except Exception as e:  # noqa: BLE001 - a malformed annotation is left out; the page is read as usual
            log.warning("annotation %d of a page left out (%s: %s)", index, type(e).__name__, e)
            log.debug("annotation %d", index, exc_info=True)
    return out


def _page_ctm(page_obj) -> tuple:
    """The page's default matrix, as pdfminer's `PDFPageInterpreter.process_page` sets it."""
    (x0, y0, x1, y1) = page_obj.mediabox
    rotate = page_obj.rotate
    if rotate == 90:
        return (0, -1, 1, 0, -y0, x1)
    if rotate == 180:
        return (-1, 0, 0, -1, x1, y1)
    if rotate == 270:
        return (0, 1, -1, 0, y1, -x0)
    return (1, 0, 0, 1, -x0, -y0)


def annotation_chars(page: Page) -> list[tuple[Appearance, list[dict[str, Any]]]]:
    """The glyphs each shown annotation draws over a pdfplumber page, as pdfplumber char
    dicts in the page's coordinates (the appearance form interpreted at its place on the
    page, through the page's own rotation), one list per annotation that draws any."""
    appearances = page_appearances(page.page_obj)
    if not appearances:
        return []
    ctm = _page_ctm(page.page_obj)
    out = []
    for appearance in appearances:
        device = _CharDevice(page)
        interpreter = PDFPageInterpreter(page.pdf.rsrcmgr, device)
        try:
            device.begin_page(page.page_obj, ctm)
            resources = appearance.stream.attrs.get("Resources")
            interpreter.render_contents(dict_value(resources) if resources else dict_value(page.page_obj.resources),
                                        [appearance.stream], ctm=mult_matrix(appearance.matrix, ctm))
        except Exception as e:  # noqa: BLE001 - an appearance that cannot be drawn is left out
            log.warning("page %d: annotation %d not read (%s: %s)", page.page_number, appearance.index, type(e).__name__, e)
            log.debug("annotation %d of page %d", appearance.index, page.page_number, exc_info=True)
            continue
        if device.chars:
            out.append((appearance, device.chars))
    return out


__all__ = ["Appearance", "LeanPage", "annotation_chars", "appearance_matrix", "page_appearances"]
