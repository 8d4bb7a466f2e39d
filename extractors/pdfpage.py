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
working on those dicts. `tests/unit/test_pdfpage.py` checks, on real files, that
every object dict equals the one pdfplumber makes.
"""

from __future__ import annotations

import logging
from typing import Any
from unicodedata import normalize as normalize_unicode

from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.utils import apply_matrix_rect
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


__all__ = ["LeanPage"]
