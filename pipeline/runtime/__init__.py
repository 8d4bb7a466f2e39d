"""What a run needs besides Dagster: the state folder and its files (`state.py`), the raw
folder's manifest, reading documents in bounded child processes, the head start, the code
versions, the curated parts and tables, object storage. Nothing here imports Dagster, so the
command line's fast paths (a run with nothing new, the head start) never load it."""
