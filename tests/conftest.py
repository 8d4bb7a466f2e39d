"""Shared fixtures: paths of the repository, the sample corpus and the ground truth."""

from __future__ import annotations

import json
import os
import shutil
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

# OCR results of the pages the tests read, as the OCR code of this commit made them (their keys
# hold the page image and a fingerprint of the OCR code, so a change to how pages are read finds
# none of them and OCRs for real). They seed the state folder's cache, which keeps `make test`
# on a fresh clone within its time; test_scans and test_trust also OCR pages into empty caches.
OCR_SEED = ROOT / "tests" / "fixtures" / "ocr-cache"


def _seed_ocr_cache() -> None:
    from extractors.ocr_cache import cache_dir

    target = cache_dir()
    if target is None or not OCR_SEED.is_dir():
        return
    for entry in OCR_SEED.glob("*/*.json"):
        dest = target / entry.parent.name / entry.name
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            tmp = dest.with_name(f".{entry.name}.{os.getpid()}.tmp")
            shutil.copyfile(entry, tmp)
            os.replace(tmp, dest)


_seed_ocr_cache()


def load_spec(name: str) -> dict:
    return json.loads((GROUNDTRUTH / f"{name}.json").read_text(encoding="utf-8"))


def table_specs() -> list[str]:
    return sorted(p.stem for p in GROUNDTRUTH.glob("*.json") if json.loads(p.read_text(encoding="utf-8")).get("appendix"))


@pytest.fixture(scope="session")
def realworld() -> Path:
    if not REALWORLD.is_dir():
        pytest.skip("../shared/realworld is not present")
    return REALWORLD
