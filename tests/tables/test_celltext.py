"""Joining the lines of a cell: one space, except where a narrow column broke a word."""

from extractors.celltext import is_syllable, join_lines
from extractors.layout import Line, Word

CHAR = 5.0  # every glyph 5 pt wide in these synthetic lines


def line(*texts: str, x: float = 0.0, y: float = 0.0) -> Line:
    words = []
    for t in texts:
        words.append(Word(t, x, y, x + CHAR * len(t), y + 10, CHAR, CHAR))
        x += CHAR * len(t) + 2.5
    return Line(tuple(words))


def test_plain_wrap_gets_one_space():
    assert join_lines([line("Bộ", "Công"), line("an")], 0, 40) == "Bộ Công an"


def test_word_cut_in_a_narrow_column_is_rejoined():
    # "Thường" is 30 pt wide, the column 22 pt: it was cut after 4 glyphs.
    assert join_lines([line("Thườ"), line("ng"), line("xuyên")], 0, 22) == "Thường xuyên"


def test_number_and_date_cut_are_rejoined():
    assert join_lines([line("1"), line("0")], 0, 7) == "10"
    assert join_lines([line("13/7/2"), line("025")], 0, 31) == "13/7/2025"


def test_document_number_cut_after_hyphen_is_rejoined():
    assert join_lines([line("số", "193/TTr-BCA-"), line("C12", "ngày")], 0, 200) == "số 193/TTr-BCA-C12 ngày"


def test_two_whole_syllables_keep_their_space_even_in_a_narrow_column():
    # both pieces are syllables: a wrap between words, not inside one
    assert join_lines([line("Thường"), line("xuyên")], 0, 31) == "Thường xuyên"


def test_standalone_dash_is_not_glued():
    assert join_lines([line("kinh", "tế", "-"), line("xã", "hội")], 0, 60) == "kinh tế - xã hội"


def test_abbreviation_pieces_are_rejoined():
    assert join_lines([line("ST"), line("T")], 0, 11) == "STT"


def test_syllable_shapes():
    assert is_syllable("thường") and is_syllable("Nghị") and is_syllable("uyên")
    assert not is_syllable("ng") and not is_syllable("g") and not is_syllable("CSDL")
