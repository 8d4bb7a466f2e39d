"""Exact-cell agreement between predicted table cells and ground-truth cells on one page.

Each ground-truth cell (non-empty text) is paired with the predicted cell on its page
whose box overlaps its text box the most; the pair counts as a hit when both texts,
whitespace-normalised, are equal. A predicted cell is paired at most once.
Precision = hits / predicted non-empty cells, recall = hits / ground-truth cells.
Predicted cells inside an `ignored` region (a ground-truth table left out of the
comparison, e.g. an unruled one) count for neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from .icdar_gt import Box, norm


@dataclass(frozen=True)
class PredCell:
    page: int
    box: Box  # top-left origin
    text: str


@dataclass
class Counts:
    hits: int = 0
    n_pred: int = 0
    n_gt: int = 0

    def __iadd__(self, other: "Counts") -> "Counts":
        self.hits += other.hits
        self.n_pred += other.n_pred
        self.n_gt += other.n_gt
        return self

    @property
    def precision(self) -> float:
        return self.hits / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.hits / self.n_gt if self.n_gt else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def overlap(a: Box, b: Box) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def centre_inside(box: Box, region: Box, pad: float = 2.0) -> bool:
    xc, yc = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return region[0] - pad <= xc <= region[2] + pad and region[1] - pad <= yc <= region[3] + pad


def _best(gt_box: Box, preds: Sequence[PredCell]) -> int | None:
    """Index of the predicted cell overlapping `gt_box` most (None if none overlaps).

    A text box can be a little larger than the ruled cell around it (glyph bounds),
    so a zero-area text box (a single dot) is grown by half a point first.
    """
    x0, t, x1, b = gt_box
    box = (x0 - 0.5, t - 0.5, x1 + 0.5, b + 0.5) if x1 - x0 < 1 or b - t < 1 else gt_box
    best, best_area = None, 0.0
    for i, p in enumerate(preds):
        area = overlap(box, p.box)
        if area > best_area:
            best, best_area = i, area
    return best


def score_page(gt: Iterable[tuple[Box, str]], preds: Iterable[PredCell], ignored: Sequence[Box] = ()) -> tuple[Counts, list[tuple[str, str]]]:
    """Counts for one page, and the (ground truth, predicted) text pairs that differ."""
    gt = [(box, norm(text)) for box, text in gt if norm(text)]
    preds = [p for p in preds if norm(p.text) and not any(centre_inside(p.box, r) for r in ignored)]
    used: set[int] = set()
    misses = []
    hits = 0
    for box, text in gt:
        i = _best(box, preds)
        if i is not None and i not in used and norm(preds[i].text) == text:
            used.add(i)
            hits += 1
        else:
            misses.append((text, norm(preds[i].text) if i is not None else None))
    return Counts(hits, len(preds), len(gt)), misses
