"""What people run: the command line, `nhiemvu dev` (UI, daemon, sensor), the Dagster definitions,
and the report in a browser."""
