"""Benchmarks of the table extractor: accuracy on ICDAR 2013 against camelot and pdfplumber, and speed/memory.

Run them as modules from the repository root, e.g. `python -m bench.icdar_compare`
(see bench/README.md).
"""
