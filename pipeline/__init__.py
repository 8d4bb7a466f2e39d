"""The runs of nhiemvu, in three packages a newcomer reads from their names:

- `runtime/`: what a run needs besides Dagster (the state folder's one owner `state.py`, the raw
  folder's manifest, reading documents in bounded processes, versions, curated parts and tables);
- `orchestration/`: the Dagster assets, checks, sensor, IO manager, plan and executors (the only
  code that imports dagster);
- `tools/`: what people run (the commands, trace, report); `cli.py` only parses their arguments.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("nhiemvu")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
