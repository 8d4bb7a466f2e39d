"""Rules of the code (imports flow one way, one module for Dagster internals, generated docs)
and of the tests' own machinery (the ratchet of figures, the sample renderer)."""
