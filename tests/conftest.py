"""Shared fixtures: paths of the repository, the sample corpus and the ground truth."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests are judged on what they find, not on how long one example takes: a shared
# machine (two test workers, other jobs) makes per-example deadlines flaky.
settings.register_profile("nhiemvu", deadline=None)
settings.load_profile("nhiemvu")

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "raw"
GROUNDTRUTH = ROOT / "tests" / "fixtures" / "groundtruth"
SHARED = ROOT.parent / "shared"
REALWORLD = SHARED / "realworld"

os.environ.setdefault("DAGSTER_TELEMETRY_ENABLED", "false")
os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def load_spec(name: str) -> dict:
    return json.loads((GROUNDTRUTH / f"{name}.json").read_text(encoding="utf-8"))


def table_specs() -> list[str]:
    return sorted(p.stem for p in GROUNDTRUTH.glob("*.json") if json.loads(p.read_text(encoding="utf-8")).get("appendix"))


@pytest.fixture(scope="session")
def realworld() -> Path:
    if not REALWORLD.is_dir():
        pytest.skip("../shared/realworld is not present")
    return REALWORLD
