"""`normalizers.text.fold` puts tone marks where underthesea's `text_normalize` puts them, also
for the words it normalizes without importing underthesea (`_AccentRules`): the two must
agree on every word, or the matching keys of a run would change with what was imported."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from normalizers.agencies import registry
from normalizers.text import _AccentRules, fold, new_style_accents

underthesea = pytest.importorskip("underthesea")


def _underthesea(word: str) -> str:
    return unicodedata.normalize("NFC", underthesea.text_normalize(word)).strip() or word


def _words() -> list[str]:
    """Every word of underthesea's own rule tables (the words its rules change, and what they
    become), in lower, upper and title case, decomposed too; the agencies' names, every word of
    the normalizers' data files and of docs/domain.md; words that mix letters and digits or that
    its tokenizer splits or marks apart."""
    rules = _AccentRules()
    assert rules.tokens, "underthesea's rule file was not found where its text_normalizer reads it"
    base = {*rules.tokens, *rules.tokens.values(), *rules.characters, *rules.characters.values()}
    for agency in registry():
        base.update(re.findall(r"\w+", agency.name))
    root = Path(__file__).resolve().parents[2]
    for path in [*sorted((root / "normalizers" / "data").glob("*.csv")), root / "docs" / "domain.md"]:
        base.update(re.findall(r"\w+", path.read_text(encoding="utf-8")))
    base.update(["hoá", "Hoà", "thuỷ", "QUÝ", "khoẻ", "Thus", "Thas", "ThạS", "ʺa", "aʺ", "ð", "Ðà", "2025", "01",
                 "2025abc", "4K", "3x4", "12_34", "H5N1", "_", "a_b", "_1", "٣", "x", "quyết", "nghị", "Nghị", "ĐỊNH",
                 "C12", "A05", "Covid19", "hoà2", "Th1s", "Thoá", "x2", "K02"])
    words = set()
    for w in base:
        for v in (w, w.lower(), w.upper(), w.title()):
            words.update({v, unicodedata.normalize("NFD", v)})
    return sorted(words)


def test_accent_rules_agree_with_underthesea_on_every_word():
    rules = _AccentRules()
    words = _words()
    assert len(words) > 15_000
    checked, differ = 0, []
    for word in words:
        mine = rules.normalize(word)
        if mine is None:  # left to underthesea itself
            continue
        checked += 1
        if mine != _underthesea(word):
            differ.append((word, mine, _underthesea(word)))
    assert not differ, differ[:10]
    assert checked > 0.9 * len(words)


def test_words_underthesea_splits_are_left_to_it():
    rules = _AccentRules()
    for word in ("Thus", "Th1s", "ʺa", "2025abc", "3x4", "4K", "12_34"):
        assert rules.normalize(word) is None


def test_fold_of_text():
    assert fold("Bộ Khoa học và Công nghệ, hoá chất") == "bộ khoa học và công nghệ, hóa chất"
    assert new_style_accents("Thuỷ lợi 2025abc Hoà Bình") == " ".join(_underthesea(w) for w in
                                                                          "Thuỷ lợi 2025abc Hoà Bình".split())


def test_the_ellipsis_is_written_one_way():
    from normalizers.text import canonical_ellipsis

    assert canonical_ellipsis("du lịch,…; (4) Ban hành") == "du lịch,...; (4) Ban hành"
    assert canonical_ellipsis("việc làm,...)") == "việc làm,...)"  # already so: unchanged
    assert canonical_ellipsis("…") == unicodedata.normalize("NFKC", "…")  # the compatibility form
