"""Where things are: the raw folder, the curated folder, the state folder; and how many workers."""

from __future__ import annotations

import os
from pathlib import Path

from dagster import ConfigurableResource

from .manifest import scan

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def home() -> Path:
    """DAGSTER_HOME: the folder holding dagster.yaml and the .dagster/ state (repo root by default)."""
    return Path(os.environ.get("DAGSTER_HOME") or PROJECT_ROOT).resolve()


class Folders(ConfigurableResource):
    """The folders the pipeline reads and writes."""

    raw_dir: str = str(PROJECT_ROOT / "raw")
    curated_dir: str = str(PROJECT_ROOT / "curated")
    workers: int = 2

    @property
    def raw(self) -> Path:
        return Path(self.raw_dir)

    @property
    def curated(self) -> Path:
        return Path(self.curated_dir)

    def manifest(self) -> dict[str, str]:
        """{doc_id: relative path} of the raw folder now."""
        return scan(self.raw, home() / ".dagster" / "manifest-cache.json")

    def path_of(self, doc_id: str) -> Path:
        rel = self.manifest().get(doc_id)
        if rel is None:
            raise FileNotFoundError(f"no file with sha256 {doc_id} in {self.raw}")
        return self.raw / rel
