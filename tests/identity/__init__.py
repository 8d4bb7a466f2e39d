"""Which document it is: the header block (issuer, type, number, date, title, addressees),
document numbers, and digital signatures and what they stamp on the page."""
