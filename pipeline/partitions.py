"""One dynamic partition per PDF, keyed by the sha256 of its bytes.

A renamed file keeps its key and is not processed again; a changed file gets a new key.
"""

from dagster import DynamicPartitionsDefinition

PDF_PARTITIONS = DynamicPartitionsDefinition(name="pdf")
