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
# none of them and OCRs for real). They seed the OCR cache of the session's own state folder,
# which keeps `make test` on a fresh clone within its time; tests/scans/test_scan_corpus.py OCRs a page into
# an empty cache, and tests/runtime/test_cache_keys.py one page per new engine. No test touches the repository's
# state folder (.dagster/): the session runs with DAGSTER_HOME in a temporary folder of its own
# (tests/architecture/test_state_folder.py checks it), and generated corpora are cached in .cache/.
OCR_SEED = ROOT / "tests" / "fixtures" / "ocr-cache"


_NOT_SEED = shutil.ignore_patterns("models.json", ".*")  # the cache's own bookkeeping, not OCR results
SEED_ENV = "NHIEMVU_OCR_SEED"  # "write": start with an empty cache, and make the seed of what the session OCR'd;
# "add": start with the seed, and add to it what the session OCR'd that it did not hold


def _session_state(folder: Path) -> None:
    """A state folder for the session (DAGSTER_HOME), its OCR cache seeded."""
    state = folder / "state"
    target = state / "ocr-cache"
    target.mkdir(parents=True)
    seeds = [] if os.environ.get(SEED_ENV) == "write" else OCR_SEED.glob("*/*.json")
    for entry in seeds:
        dest = target / entry.parent.name / entry.name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(entry, dest)
    os.environ["DAGSTER_HOME"] = str(state)
    os.environ.pop("NHIEMVU_OCR_CACHE", None)


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
# The controller makes the session's folder: its state folder (above) and where each test process
# notes the figures it measured (tests/fixtures/ratchet.py) in one folder of the
# session; at the end, the controller writes them (`make figures`) or, on a whole-suite run, checks
# that every committed figure was measured.


def _whole_suite(config) -> bool:
    args = [a for a in config.args]
    whole = all(Path(a).resolve() == ROOT / "tests" for a in args) if args else True
    return whole and not config.option.keyword and not config.option.markexpr


def _session_ocr_cache() -> None:
    """Scans read by a test keep their OCR in the session state folder's cache (seeded), as a
    run keeps it in its own: the default store of extractor calls that pass none."""
    from extractors import ocr_cache
    from pipeline.runtime import state

    ocr_cache.use(state.ocr_store(state.home()))


def pytest_configure(config):
    if hasattr(config, "workerinput"):
        _session_ocr_cache()
        return  # an xdist worker: the controller set the folder in the environment it inherited
    import tempfile

    from tests.fixtures import ratchet

    session = Path(tempfile.mkdtemp(prefix="nhiemvu-tests-"))
    _session_state(session)
    _session_ocr_cache()
    folder = session / "ratchet"
    folder.mkdir()
    os.environ[ratchet.MEASURED_ENV] = str(folder)
    config._ratchet_dir = folder
    config._session_dir = session


def pytest_collection_modifyitems(session, config, items):
    """Modules marked slow first, each module's tests kept together and in their order: xdist
    hands the modules to its workers in this order (`--dist loadfile`), so the last ones to run
    are short and no worker waits long for the other at the end."""
    slow = {item.module.__name__ for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.module.__name__ not in slow)  # stable: the order within a module stays


def pytest_sessionfinish(session, exitstatus):
    config = session.config
    folder = getattr(config, "_ratchet_dir", None)
    if folder is None:
        return
    from tests.fixtures import ratchet

    measured = ratchet.measured_in(Path(folder))
    if os.environ.get(SEED_ENV) == "write":
        shutil.rmtree(OCR_SEED, ignore_errors=True)
        shutil.copytree(config._session_dir / "state" / "ocr-cache", OCR_SEED, ignore=_NOT_SEED)
    elif os.environ.get(SEED_ENV) == "add":
        shutil.copytree(config._session_dir / "state" / "ocr-cache", OCR_SEED, dirs_exist_ok=True, ignore=_NOT_SEED)
    shutil.rmtree(config._session_dir, ignore_errors=True)
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
            say("ratchet: committed figures that no test measured: " + ", ".join(gone))
            session.exitstatus = 1
