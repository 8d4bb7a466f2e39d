"""Content streams of a page checked before pdfminer reads them.

pdfminer inflates a FlateDecode stream whole, in memory, and reads one that does not
inflate as empty: a page whose content stream was damaged comes out as an empty "ok" page,
and a 2 MB deflate bomb takes GBs. `check_content_streams` inflates each content stream of
a page (and of the form XObjects it draws) in bounded steps, keeping nothing, and raises
`PageError` with the reason for a stream that does not inflate or inflates to more than
MAX_STREAM_BYTES, and for a page whose /Contents is not a stream at all (pdfminer reads
it as an empty page). Like pdfminer, it accepts a bad checksum or a stream cut short once
some content came out of it, and an empty stream (no bytes at all) whatever its filter.
"""

from __future__ import annotations

import logging
import zlib
from typing import Iterator

from pdfminer.ascii85 import ascii85decode, asciihexdecode
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import LITERALS_ASCII85_DECODE, LITERALS_ASCIIHEX_DECODE, LITERALS_FLATE_DECODE, PDFStream, resolve1
from pdfminer.psparser import LIT

log = logging.getLogger(__name__)

MAX_STREAM_BYTES = 128 << 20  # a page content stream inflating to more than this is not read (deflate bomb)
MAX_PAGE_STREAMS = 10_000  # content streams and form XObjects checked per page, at most
INFLATE_CHUNK = 1 << 20  # inflation is checked in steps of this many output bytes (bounded memory)

_FORM = LIT("Form")


class PageError(Exception):
    """One page cannot be read (broken page object, a content stream that does not inflate)."""


def _page_streams(page: PDFPage) -> Iterator[PDFStream]:
    """The content streams of a page and of the form XObjects it draws (at any depth), each once."""
    seen: set[object] = set()
    for i, item in enumerate(page.contents):
        if item is not None and not isinstance(resolve1(item), PDFStream):
            kind = type(resolve1(item)).__name__
            where = "/Contents" if len(page.contents) == 1 else f"/Contents entry {i + 1}"
            raise PageError(f"the page's {where} is not a content stream but {kind}; the page's text cannot be read")
    streams: list[object] = list(page.contents)
    resources: list[object] = [page.resources]
    while streams or resources:
        if resources:
            res = resolve1(resources.pop())
            xobjects = resolve1(res.get("XObject")) if isinstance(res, dict) else None
            if isinstance(xobjects, dict):
                for ref in xobjects.values():
                    x = resolve1(ref)
                    if isinstance(x, PDFStream) and resolve1(x.get("Subtype")) is _FORM:
                        streams.append(x)
            continue
        stream = resolve1(streams.pop())
        key = stream.objid if isinstance(stream, PDFStream) and stream.objid is not None else id(stream)
        if not isinstance(stream, PDFStream) or key in seen:
            continue
        seen.add(key)
        if len(seen) > MAX_PAGE_STREAMS:
            raise PageError(f"more than {MAX_PAGE_STREAMS} content streams and forms on the page")
        if stream.get("Resources") is not None:
            resources.append(stream.get("Resources"))
        yield stream


def check_content_streams(page: PDFPage) -> None:
    """Raise PageError if a content stream of the page does not inflate, or inflates to more
    than MAX_STREAM_BYTES. pdfminer would read the first as empty (an empty "ok" page) and
    hold the second in memory whole (a 2 MB deflate bomb takes GBs)."""
    for stream in _page_streams(page):
        _check_stream(stream)


def _check_stream(stream: PDFStream) -> None:
    data = stream.rawdata
    if data is None:  # already decoded by pdfminer
        return
    filters = stream.get_filters()
    names = [f for f, _ in filters]
    if not any(f in LITERALS_FLATE_DECODE for f in names):
        return
    if not all(f in LITERALS_FLATE_DECODE or f in LITERALS_ASCII85_DECODE or f in LITERALS_ASCIIHEX_DECODE for f in names):
        return  # a chain with other filters is left to pdfminer
    where = f"content stream {stream.objid} 0 R" if stream.objid is not None else "an inline content stream"
    if stream.decipher:
        if stream.objid is None or stream.genno is None:
            return
        data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
    for i, f in enumerate(names):
        if f in LITERALS_ASCII85_DECODE:
            data = ascii85decode(data)
        elif f in LITERALS_ASCIIHEX_DECODE:
            data = asciihexdecode(data)
        else:
            data = _inflate(data, where, keep=i < len(names) - 1)


def _inflate(data: bytes, where: str, *, keep: bool) -> bytes:
    """Inflate zlib data in bounded steps. Like pdfminer, a bad checksum or a missing end is
    tolerated when the data itself inflated; anything else raises PageError."""
    if not data.strip():  # an empty stream (qpdf writes one as /Length 0 with its /Filter kept): nothing to inflate
        return b""
    if len(data) < 2 or (data[0] & 0x0F) != 8 or ((data[0] << 8) | data[1]) % 31:
        raise PageError(f"{where} does not inflate: not zlib data (bad header)")
    d = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate after the 2-byte header: the checksum is not required
    pending, size, out = data[2:], 0, []
    try:
        while pending and not d.eof:
            chunk = d.decompress(pending, INFLATE_CHUNK)
            pending = d.unconsumed_tail
            size += len(chunk)
            if size > MAX_STREAM_BYTES:
                raise PageError(
                    f"{where} inflates to more than {MAX_STREAM_BYTES >> 20} MB (a deflate bomb?); the page is not read"
                )
            if keep:
                out.append(chunk)
    except zlib.error as e:
        reason = str(e).split(": ", 1)[-1]  # "Error -3 while decompressing data: invalid block type"
        raise PageError(f"{where} does not inflate ({reason}, after {size} bytes); the page's text cannot be read") from e
    if not d.eof and size == 0:
        raise PageError(f"{where} does not inflate: the data ends before any content")
    if not d.eof:
        log.warning("%s is cut short after %d bytes; read as far as it goes", where, size)
    return b"".join(out)
