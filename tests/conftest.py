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


# --------------------------------------------------------------------------- the ratchet
# Each test process notes the figures it measured (tests/fixtures/ratchet.py) in one folder of the
# session; at the end, the controller writes them (`make figures`) or, on a whole-suite run, checks
# that every committed figure was measured.


def _whole_suite(config) -> bool:
    args = [a for a in config.args]
    whole = all(Path(a).resolve() == ROOT / "tests" for a in args) if args else True
    return whole and not config.option.keyword and not config.option.markexpr


def pytest_configure(config):
    if hasattr(config, "workerinput"):
        return  # an xdist worker: the controller set the folder in the environment it inherited
    import tempfile

    from tests.fixtures import ratchet

    folder = tempfile.mkdtemp(prefix="nhiemvu-ratchet-")
    os.environ[ratchet.MEASURED_ENV] = folder
    config._ratchet_dir = folder


def pytest_sessionfinish(session, exitstatus):
    config = session.config
    folder = getattr(config, "_ratchet_dir", None)
    if folder is None:
        return
    from tests.fixtures import ratchet

    measured = ratchet.measured_in(Path(folder))
    shutil.rmtree(folder, ignore_errors=True)
    committed = ratchet.load()
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    say = reporter.write_line if reporter else print
    if os.environ.get(ratchet.MODE_ENV) == "write":
        new = ratchet.merged(committed, measured)
        ratchet.FIGURES.write_text(json.dumps(new, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        say(f"ratchet: wrote {sum(len(v) for v in new.values())} figures of {len(new)} corpora to bench/figures.json")
        return
    rose = [f"{c}/{m} {v:.4f} > {committed[c][m]:.4f}" for c, fs in measured.items() for m, v in fs.items()
            if m in committed.get(c, {}) and ratchet._round(v) > committed[c][m]]
    if rose:
        say("ratchet: figures that rose (raise them with `make figures` and commit): " + "; ".join(sorted(rose)))
    if _whole_suite(config) and exitstatus == 0:
        gone = ratchet.missing(committed, measured)
        if gone:
            say("ratchet: committed figures that no test measured: " + ", ".join(gone), red=True)
            session.exitstatus = 1
