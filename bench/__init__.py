"""Benchmarks of the table extractor: accuracy on ICDAR 2013 against camelot and pdfplumber, and speed/memory.

Run them as modules from the repository root, e.g. `python -m bench.icdar_compare`
(see bench/README.md).
"""

from extractors import ocr_cache as _ocr_cache
from pipeline.runtime import state as _state

# Scans a benchmark reads keep their OCR in the state folder's cache ($DAGSTER_HOME/ocr-cache, or
# $NHIEMVU_OCR_CACHE), as a run does: the default store of extractor calls that pass none.
_ocr_cache.use(_state.ocr_store(_state.home()))
