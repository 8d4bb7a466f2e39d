"""The ratchet itself (tests/fixtures/ratchet.py) and the committed figures file it guards."""

from __future__ import annotations

import json

import pytest

from tests.fixtures import ratchet

COMMITTED = {"variety-text": {"recall": 0.998, "precision": 1.0}}


def test_a_figure_that_holds_or_rises_passes():
    assert ratchet.compare("variety-text", {"recall": 0.998, "precision": 1.0}, COMMITTED) == []
    assert ratchet.compare("variety-text", {"recall": 0.9995}, COMMITTED) == []


def test_a_figure_that_drops_fails_and_says_which():
    (problem,) = ratchet.compare("variety-text", {"recall": 0.9979, "precision": 1.0}, COMMITTED)
    assert "variety-text/recall went back" in problem and "0.9979" in problem


def test_a_drop_below_the_stored_decimals_is_not_a_drop():
    # the file stores 4 decimals (floored): 0.99804 measured again is 0.9980, the committed value
    assert ratchet.compare("c", {"m": 0.99804}, {"c": {"m": 0.998}}) == []
    assert ratchet.compare("c", {"m": 0.99799}, {"c": {"m": 0.998}}) != []


def test_a_figure_not_committed_fails_until_it_is():
    assert "not in bench/figures.json" in ratchet.compare("new-corpus", {"recall": 1.0}, COMMITTED)[0]
    assert "not in bench/figures.json" in ratchet.compare("variety-text", {"pages": 1.0}, COMMITTED)[0]


def test_writing_raises_and_adds_but_never_lowers():
    new = ratchet.merged(COMMITTED, {"variety-text": {"recall": 0.5, "precision": 1.0, "pages": 0.99991},
                                     "a-corpus": {"f1": 0.87}})
    assert new == {"a-corpus": {"f1": 0.87}, "variety-text": {"pages": 0.9999, "precision": 1.0, "recall": 0.998}}
    assert list(new) == sorted(new)


def test_a_committed_figure_no_test_measured_is_named():
    assert ratchet.missing(COMMITTED, {"variety-text": {"recall": 1.0}}) == ["variety-text/precision"]
    assert ratchet.missing(COMMITTED, {}) == ["variety-text/precision", "variety-text/recall"]


def test_what_test_processes_noted_is_gathered_lowest_first(tmp_path, monkeypatch):
    monkeypatch.setenv(ratchet.MEASURED_ENV, str(tmp_path))
    monkeypatch.setenv(ratchet.MODE_ENV, "write")  # note only, compare nothing
    ratchet.record("c", {"m": 0.99})
    ratchet.record("c", {"m": 0.98, "n": 1.0})
    (tmp_path / "other.jsonl").write_text(json.dumps({"corpus": "d", "figures": {"f1": 0.5}}) + "\n")
    assert ratchet.measured_in(tmp_path) == {"c": {"m": 0.98, "n": 1.0}, "d": {"f1": 0.5}}


def test_record_fails_the_test_on_a_drop(monkeypatch, tmp_path):
    figures = tmp_path / "figures.json"
    figures.write_text(json.dumps({"c": {"m": 0.9}}))
    monkeypatch.setattr(ratchet, "FIGURES", figures)
    monkeypatch.delenv(ratchet.MODE_ENV, raising=False)
    monkeypatch.delenv(ratchet.MEASURED_ENV, raising=False)
    ratchet.record("c", {"m": 0.95})
    with pytest.raises(ratchet.RatchetError, match="went back"):
        ratchet.record("c", {"m": 0.85})


def test_the_committed_file_is_sorted_and_holds_rates():
    text = ratchet.FIGURES.read_text(encoding="utf-8")
    figures = json.loads(text)
    assert figures, "bench/figures.json holds the figures of every corpus"
    assert list(figures) == sorted(figures)
    for corpus, row in figures.items():
        assert list(row) == sorted(row), corpus
        assert all(0.0 <= v <= 1.0 for v in row.values()), corpus
