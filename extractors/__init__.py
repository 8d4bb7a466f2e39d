"""PDF -> plain data: pages, words with boxes, OCR, table grids, cross-page stitching.

Pure functions over plain Python data; nothing here imports dagster or normalizers.
"""
