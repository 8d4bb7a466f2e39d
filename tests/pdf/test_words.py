"""Grouping words into lines: linear in the words of a line, and the same lines as before."""

from __future__ import annotations

import random

import pytest

from extractors.layout import Line, Word
from extractors.pdf import iter_pages, opened
from extractors.words import cut_at_walls, group_lines, page_words
from tests.conftest import RAW
from tests.fixtures.hostile import time_limit



def reference_group_lines(words) -> list[Line]:
    """The grouping as it was written first: the line's mean centre recomputed for every word."""
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.yc, w.x0)):
        if lines:
            last = lines[-1]
            ref = last[-1]
            tol = 0.5 * min(w.bottom - w.top, ref.bottom - ref.top)
            if abs(w.yc - sum(x.yc for x in last) / len(last)) <= tol:
                last.append(w)
                continue
        lines.append([w])
    return [Line(tuple(sorted(ws, key=lambda w: w.x0))) for ws in lines]


def _word(text: str, x0: float, top: float, height: float = 10.0) -> Word:
    return Word(text, x0, top, x0 + 8.0, top + height, 4.0, 4.0)


def test_one_line_of_25000_words_is_grouped_without_quadratic_work():
    # the time limit only stops a hang (quadratic grouping takes minutes); speed is measured in bench/
    rng = random.Random(7)
    words = [_word(f"w{i}", 10.0 * i, 100.0 + rng.uniform(-0.8, 0.8)) for i in range(25_000)]
    rng.shuffle(words)
    with time_limit(60):
        lines = group_lines(words)
    assert len(lines) == 1
    assert [w.text for w in lines[0].words] == [f"w{i}" for i in range(25_000)]


@pytest.mark.parametrize("seed", range(20))
def test_lines_are_those_of_the_mean_recomputed_for_every_word(seed):
    """Random pages of jittered lines, mixed heights and near-ties: the same lines, word for word."""
    rng = random.Random(seed)
    words = []
    for row in range(rng.randint(1, 40)):
        base = 20.0 + row * rng.choice([6.0, 9.0, 12.0, 14.5])
        for col in range(rng.randint(1, 30)):
            height = rng.choice([5.0, 8.0, 10.0, 12.0])
            words.append(_word(f"{row}.{col}", col * 9.0 + rng.uniform(-1, 1), base + rng.uniform(-3, 3), height))
    assert group_lines(words) == reference_group_lines(words)


@pytest.mark.parametrize("name", ["07_CT-TTg.pdf", "929_BCA-VPB.pdf"])
def test_lines_of_the_sample_pages_are_unchanged(name):
    with opened(RAW / name) as pdf:
        for n, page in iter_pages(pdf, 1, 4):
            words = page_words(page)
            assert words, (name, n)
            assert group_lines(words) == reference_group_lines(words), (name, n)


def _glyphs(text: str, x0: float, width: float = 3.7) -> list[dict]:
    return [{"text": ch, "x0": x0 + k * width, "x1": x0 + (k + 1) * width, "top": 130.0, "bottom": 142.0}
            for k, ch in enumerate(text)]


def test_a_word_run_across_a_cells_ruled_side_is_cut_there():
    """A sheet's deadline "II/2025" up to its cell's side (478.6) and the next cell's "Bộ" 0.7 pt
    past it, glued by the word spacing: two words at the wall, none elsewhere."""
    chars = _glyphs("II/2025", 452.0) + _glyphs("Bộ", 479.3)
    word = {"text": "II/2025Bộ", "x0": 452.0, "x1": chars[-1]["x1"], "top": 130.0, "bottom": 142.0, "chars": chars}
    parts = cut_at_walls(word, [(478.6, 120.0, 160.0)])
    assert [p["text"] for p in parts] == ["II/2025", "Bộ"]
    assert parts[1]["x0"] == 479.3 and parts[0]["x1"] == chars[6]["x1"]
    assert cut_at_walls(word, [(478.6, 150.0, 200.0)]) == [word], "a wall beside another row"
    assert cut_at_walls(word, [(468.6, 120.0, 160.0)]) == [word], "a wall through a glyph"
    assert cut_at_walls(word, []) == [word]
    tight = _glyphs("20.4", 446.6, 5.1)  # a side at a glyph's edge (a cell box of a real print), no white
    number = {"text": "20.4", "x0": 446.6, "x1": tight[-1]["x1"], "top": 130.0, "bottom": 142.0, "chars": tight}
    assert cut_at_walls(number, [(tight[2]["x0"], 120.0, 160.0)]) == [number]
