"""Taking one new file into a corpus of N documents: the cost should not grow with N.

    python -m bench.bench_incremental [--sizes 40,2000] [--repeat 3]

For each N: N distinct one-page letters (`bench/letters.py`) are taken in by `nhiemvu run`
(whole process, fresh state; its time gives the letters per second), then, `--repeat` times,
one new letter is dropped in and `nhiemvu run` timed (the new file removed again between
repeats, and that run not timed), and a run with nothing new is timed. For the smallest N the
curated files after the incremental run are compared byte for byte with a full rebuild of the
same folder in a fresh state. Targets (issue 11): into 2,000 within 2x of into 40; nothing
new under 3 s.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.letters import distinct_letters

ROOT = Path(__file__).resolve().parents[1]
TODAY = {  # measured before this work (issue 11): the curated step read every document's records
    "letters_per_s": "1.6 documents/s (40 letters in 24.5 s)",
    "rerun": "7.6 s",
    # before the kept per-document parts (pipeline/runtime/parts.py): the plan read every event, the
    # curated step every document's records and compared every pair of documents
    "plus_one": "into 2,000 15.6 s vs into 40 5.6 s: 2.8x",
}
CPU = {"user": 0.0}  # CPU time (user + system) of the last `_run`, children included


def _run(raw: Path, out: Path, state: Path) -> float:
    """Wall time of one `nhiemvu run`; its CPU time (the process and its children) in CPU."""
    env = {**os.environ, "DAGSTER_HOME": str(state)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipeline.cli", "run", "--raw", str(raw), "--curated", str(out)],
                   check=True, capture_output=True, env=env, cwd=ROOT)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU["user"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.parquet"))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="40,2000")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        pool = distinct_letters(max(sizes) + 1, base / "pool")
        extra = pool[-1]
        rows = []
        for n in sizes:
            raw, out, state = base / f"raw{n}", base / f"out{n}", base / f"state{n}"
            raw.mkdir()
            for p in pool[:n]:
                os.link(p, raw / p.name)
            t_ingest = _run(raw, out, state)
            t_new, t_nothing, cpu_new = [], [], []
            for _ in range(args.repeat):
                shutil.copy(extra, raw / extra.name)
                t_new.append(_run(raw, out, state))
                cpu_new.append(CPU["user"])
                t_nothing.append(_run(raw, out, state))
                if n == sizes[0] and not rows:
                    fresh_out, fresh_state = base / "fresh_out", base / "fresh_state"
                    _run(raw, fresh_out, fresh_state)
                    same = _digests(out) == _digests(fresh_out)
                    print(f"N={n}: curated after the incremental run identical to a full rebuild: {same}")
                    assert same
                (raw / extra.name).unlink()
                _run(raw, out, state)
            rows.append((n, t_ingest, statistics.median(t_new), statistics.median(cpu_new), statistics.median(t_nothing)))
        print(f"{'N':>6} {'ingest s':>9} {'docs/s':>7} {'+1 file s':>10} {'+1 CPU s':>9} {'nothing new s':>14}")
        for n, t_ingest, t_new, c_new, t_nothing in rows:
            print(f"{n:>6} {t_ingest:>9.1f} {n / t_ingest:>7.1f} {t_new:>10.2f} {c_new:>9.2f} {t_nothing:>14.2f}")
        ratio, cpu_ratio = rows[-1][2] / rows[0][2], rows[-1][3] / rows[0][3]
        print(f"one new file into {rows[-1][0]} documents / into {rows[0][0]}: {ratio:.2f}x wall, {cpu_ratio:.2f}x CPU "
              "(target <= 2)")
        print(f"today (before): letters {TODAY['letters_per_s']}; rerun with nothing new {TODAY['rerun']}; "
              f"one new file {TODAY['plus_one']}")


if __name__ == "__main__":
    main()
