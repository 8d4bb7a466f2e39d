"""Scanned pages and image files: preparing and OCR'ing them (and the OCR cache), finding their
grids, and generated and real scans read against their truth."""
