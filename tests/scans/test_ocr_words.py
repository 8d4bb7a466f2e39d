"""Clean-up of OCR'd words: table rules read as characters, syllables Tesseract cut in two,
and the tilt of a scan read from its text layer."""

from extractors.layout import Word
from extractors.ocr import text_skew
from extractors.words import rejoin_split_syllables, without_rules


def word(text, x0, x1, top=100.0, bottom=110.0):
    return Word(text, x0, top, x1, bottom, 5.0, 5.0)


def test_a_vertical_rule_read_as_bar_splits_the_word_in_two():
    pieces = without_rules(word("và|31/10/2025", 0, 65))
    assert [p.text for p in pieces] == ["và", "31/10/2025"]
    assert pieces[0].x1 <= pieces[1].x0
    assert [p.text for p in without_rules(word("|B", 0, 10))] == ["B"]
    assert without_rules(word("_", 0, 5)) == [] and without_rules(word("2_", 0, 10))[0].text == "2"


def test_a_syllable_cut_after_its_first_consonant_is_rejoined():
    out = rejoin_split_syllables([word("B", 0, 6), word("ộ", 6, 12), word("Công", 15, 40), word("an", 43, 55)])
    assert [w.text for w in out] == ["Bộ", "Công", "an"]
    assert (out[0].x0, out[0].x1) == (0, 12)


def test_labels_and_separate_words_stay_apart():
    assert [w.text for w in rejoin_split_syllables([word("B", 0, 6), word("Nhiệm", 9, 40)])] == ["B", "Nhiệm"]
    assert [w.text for w in rejoin_split_syllables([word("A", 0, 6), word("ủy", 30, 40)])] == ["A", "ủy"]  # vowel letter
    assert [w.text for w in rejoin_split_syllables([word("C", 0, 6), word("ông", 6, 20, top=130, bottom=140)])] == ["C", "ông"]


def test_text_skew_is_the_median_baseline_angle():
    flat = {"matrix": (10, 0, 0, 10, 0, 0)}
    tilted = {"matrix": (10, 0.17, -0.17, 10, 0, 0)}  # about 1 degree
    assert abs(text_skew([tilted, tilted, flat]) - 0.974) < 0.01
    assert text_skew([flat, flat, tilted]) == 0.0
    assert text_skew([]) == 0.0
