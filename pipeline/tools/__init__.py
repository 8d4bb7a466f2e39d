"""What people run: the commands behind `nhiemvu` (`commands.py`: run, checks, show, dev), the
run's summary, `trace` (where a value was printed) and `report` (an HTML report over the
curated tables). `pipeline/cli.py` only parses the arguments and calls these."""
