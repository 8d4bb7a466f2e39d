"""Characters OCR reads in place of digits: the one table of them.

Tesseract reads a thin "1" as "l", "I", "|" or (with a speck above it) "Ì"; "0" as "O" or
"D"; "5" as "S", and so on. Where a digit is expected (an item number in the numbering
of its column, a day, month or year of a printed date), a token made of digits and these
look-alikes is read as the number (`normalizers.repair`, `normalizers.document`).
"""

from __future__ import annotations

DIGIT_LOOKALIKES = {
    "l": "1", "I": "1", "|": "1", "i": "1", "!": "1", "]": "1",
    "Ì": "1", "Í": "1", "Ỉ": "1", "ì": "1", "í": "1", "ỉ": "1",  # a "1" with a speck over it
    "O": "0", "o": "0", "Q": "0", "D": "0",
    "S": "5", "s": "5", "Z": "2", "z": "2", "B": "8", "G": "6", "g": "9", "q": "9", "T": "7", "?": "7",
}
DIGITS = str.maketrans(DIGIT_LOOKALIKES)
#: those read as digits inside a year between two slashes of a document number ("47/2O20/NĐ-CP"),
#: where a wider set would make years of codes
YEAR_LOOKALIKES = "OoDlI"


#: letters outside Vietnamese that OCR reads for a capital of a document number's code (a "T" crossed
#: by a seal's ring read as "Ƒ"): read as the plain letter, the registry's type codes then mend the code
#: one letter off ("19/ƑTr-UBND" -> "19/FTr-UBND" -> "19/TTr-UBND", `normalizers.docnumbers.verify_ocr_number`)
CODE_LETTER_LOOKALIKES = {"Ƒ": "F", "ƒ": "f", "Ŧ": "T", "ŧ": "t", "Ɓ": "B", "Ƈ": "C", "Ɗ": "D", "Ƙ": "K", "Ƥ": "P", "Ƭ": "T"}
CODE_LETTERS = str.maketrans(CODE_LETTER_LOOKALIKES)


def as_digits(token: str) -> str:
    """The token with its look-alikes read as digits ("l2" -> "12", "O1" -> "01")."""
    return token.translate(DIGITS)
