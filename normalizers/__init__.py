"""Plain data -> meaning: agencies, dates/deadlines, statuses, document numbers, text
clean-up, and the schema of the curated tables (declared once in `schema`).

Pure functions over plain data and the registries in `data/`; no dagster here.
"""
