"""The document facts its digital signatures give (columns of `documents`).

An office issues a document by signing it last, with its own certificate (the clerk's
issuing signature, CN = the body's name), after the official signed it with a personal
certificate; so the last signature gives the issue time and the issuing organisation,
and the last signature made with a person's certificate gives the signing official.
"""

from __future__ import annotations

from typing import Any, Sequence

from extractors.signatures import Signature

from .text import fold, nfc


def _nfc(text: str | None) -> str | None:
    return nfc(text) if text else None


def _is_person(sig: Signature) -> bool:
    """A certificate of a person: its common name is not its organisation's name."""
    name, org = fold(sig.signer_name), fold(sig.signer_org)
    return bool(name) and name != org


def signature_columns(signatures: Sequence[Signature]) -> dict[str, Any]:
    """The signature columns of a document's row, from its signatures in signing order."""
    if not signatures:
        return {"signature_count": 0, "signed_at": None, "signer_org": None, "signer_name": None,
                "signatures_cover_file": None, "signatures_intact": None}
    last = signatures[-1]
    person = next((s for s in reversed(signatures) if _is_person(s)), last)
    return {
        "signature_count": len(signatures),
        "signed_at": last.signed_at,
        "signer_org": _nfc(last.signer_org),
        "signer_name": _nfc(person.signer_name),
        "signatures_cover_file": last.coverage == "entire_file",
        "signatures_intact": all(s.intact for s in signatures),
    }


def issuing_body(signatures: Sequence[Signature]) -> tuple[str | None, str | None]:
    """(issuer, parent) named by the last signature made with a body's certificate: its
    organisation above its common name read as a header's issuer block ("ỦY BAN NHÂN DÂN TỈNH
    LÂM ĐỒNG" over "SỞ NỘI VỤ" is Sở Nội vụ tỉnh Lâm Đồng); (None, None) when every signature is
    a person's or names no body of the registry. For a document whose page prints no issuer
    block (an appendix), where the signature is the one statement of who issued it."""
    from .document import header_issuer

    for sig in reversed(signatures):
        org, name = _nfc(sig.signer_org), _nfc(sig.signer_name)
        if org and name:
            issuer, parent = header_issuer([org, name])
            if issuer is not None:
                return issuer, parent
    return None, None


__all__ = ["issuing_body", "signature_columns"]
