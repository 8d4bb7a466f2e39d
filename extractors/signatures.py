"""The digital signatures of a PDF as plain data, read with pyHanko, offline.

Vietnamese offices issue documents signed: the leader signs with a personal certificate,
then the clerk issues it with the office's certificate, stamping the number and the day
into the header (the appearance of signature widgets, read as the page's words by
`words.annotation_words`). Each signature here is what its dictionary and its CMS
container say: the signing time (the CMS signed attribute, which the signature covers,
else the dictionary's /M), the subject of the signer's certificate (organisation and
common name), how much of the file its byte range covers, and whether it is intact (the
digest of the covered bytes matches the signed one and the signature verifies with the
certificate's key). Nothing is fetched: no trust roots, no revocation checks; whether the
certificate is trustworthy is not said here.

A file without the bytes "/ByteRange" has no signature and is not parsed again.
"""

from __future__ import annotations

import logging
import mmap
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .pdf import open_regular

log = logging.getLogger(__name__)

SIGNATURE_MARK = b"/ByteRange"  # every signature dictionary holds one (PDF 32000-1, 12.8.1)


@dataclass(frozen=True)
class Signature:
    """One signature of a PDF, in signing order (by the revision it signed)."""

    field: str  # the signature field's name
    signed_at: datetime | None  # CMS signing time, else /M; timezone-aware, in UTC
    claimed_at: datetime | None  # the dictionary's /M (not covered by the signature), in UTC
    signer_org: str | None  # organisation (O) of the certificate's subject
    signer_name: str | None  # common name (CN) of the certificate's subject
    coverage: str  # "entire_file" | "entire_revision" | "contiguous_block_from_start" | "unclear"
    intact: bool  # covered bytes digest as signed, and the signature verifies with the certificate
    error: str | None = None  # what could not be read of it


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def has_signature_bytes(path: str | Path) -> bool:
    """Whether the file holds the bytes of a signature dictionary (a scan of the file)."""
    with open_regular(path) as f:
        try:
            with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
                return m.find(SIGNATURE_MARK) >= 0
        except ValueError:  # an empty file cannot be mapped
            return False


def _subject(cert) -> tuple[str | None, str | None]:
    subject = cert.subject.native
    org, name = subject.get("organization_name"), subject.get("common_name")
    org = org[-1] if isinstance(org, list) else org
    name = name[-1] if isinstance(name, list) else name
    return (str(org).strip() or None) if org else None, (str(name).strip() or None) if name else None


def _signature(embedded) -> Signature:
    from pyhanko.pdf_utils import generic
    from pyhanko.sign.validation.generic_cms import extract_self_reported_ts, validate_sig_integrity

    error = None
    try:
        claimed = _utc(generic.parse_pdf_date(embedded.sig_object["/M"], strict=False)) if "/M" in embedded.sig_object else None
    except Exception as e:  # noqa: BLE001 - a malformed /M is left out, the signature is still read
        claimed, error = None, f"/M: {e}"
    signed = _utc(extract_self_reported_ts(embedded.signer_info)) or claimed
    org = name = None
    try:
        org, name = _subject(embedded.signer_cert)
    except Exception as e:  # noqa: BLE001 - no certificate of the signer in the container
        error = f"certificate: {type(e).__name__}: {e}"
    try:
        digest = embedded.compute_digest()
        coverage = embedded.evaluate_signature_coverage().name.lower()
        content_type = embedded.signed_data["encap_content_info"]["content_type"].native
        matches, valid = validate_sig_integrity(embedded.signer_info, embedded.signer_cert, content_type, digest)
        intact = bool(matches and valid)
    except Exception as e:  # noqa: BLE001 - a signature that cannot be checked is not intact; said why
        log.debug("signature %s not checked", embedded.field_name, exc_info=True)
        coverage, intact, error = "unclear", False, f"{type(e).__name__}: {e}"
    return Signature(str(embedded.field_name), signed, claimed, org, name, coverage, intact, error)


def preload() -> None:
    """Import what reading signatures imports (about a second: pyHanko's signing package pulls
    in its network clients), so that processes forked afterwards do not each pay for it."""
    from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: F401
    from pyhanko.sign.validation import generic_cms, pdf_embedded  # noqa: F401


def read_signatures(path: str | Path) -> tuple[Signature, ...]:
    """The signatures of a PDF in signing order (empty when it has none). A file pyHanko
    cannot parse raises (the caller records the reason); a file without signature bytes
    is not parsed."""
    if not has_signature_bytes(path):
        return ()
    from pyhanko.pdf_utils.reader import PdfFileReader

    with open_regular(path) as f:
        reader = PdfFileReader(f, strict=False)
        return tuple(_signature(s) for s in reader.embedded_signatures)


__all__ = ["Signature", "has_signature_bytes", "preload", "read_signatures"]
