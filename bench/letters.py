"""Distinct one-page công văn for the scale benchmarks.

Each letter is the 929/BCA-VPB letter of the sample corpus with its own number, date,
subject and body: sentences drawn (seeded, so the same `n` gives the same files) from the
texts of the five ground-truth documents, so that no two letters hold the same text and
the corpus-wide duplicate search has real work, as in an archive of letters.
"""

from __future__ import annotations

import copy
import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GROUNDTRUTH = ROOT / "tests" / "fixtures" / "groundtruth"


def _sentences() -> list[str]:
    from tests.fixtures.render import spec_strings

    out = set()
    for path in sorted(GROUNDTRUTH.glob("*.json")):
        for text in spec_strings(json.loads(path.read_text())):
            out.update(s.strip() for s in re.split(r"(?<=[.;])\s+", text) if 40 <= len(s.strip()) <= 300)
    return sorted(out)


def distinct_letters(n: int, folder: Path, *, seed: int = 0) -> list[Path]:
    """n one-page letters `cv_00000.pdf`... in `folder` (made again only when missing)."""
    from tests.fixtures.render import render_pdf

    folder.mkdir(parents=True, exist_ok=True)
    base = json.loads((GROUNDTRUTH / "929_BCA-VPB.json").read_text())
    pool = _sentences()
    rng = random.Random(seed)
    out = []
    for i in range(n):
        path = folder / f"cv_{i:05d}.pdf"
        spec = copy.deepcopy(base)
        doc = spec["document"]
        picked = rng.sample(pool, 4)
        doc["doc_number"] = f"{i + 1} /BCA-VPB"
        doc["place_date"] = f"Hà Nội, ngày {rng.randint(1, 28)} tháng {rng.randint(1, 12)} năm 2025"
        doc["subject"] = "V/v " + picked[0][:90]
        doc["body"] = picked[1:]
        doc["footnotes"] = []
        spec["name"] = f"cv_{i:05d}"
        if not path.exists():
            render_pdf(spec, path)
        out.append(path)
    return out
