"""Text kept as published, a normalised form for matching, dates as ISO 8601, language offline."""

from __future__ import annotations

import pytest

from newsprism.extract.dates import to_iso
from newsprism.extract.text import detect_language, normalise, sentence_bounds, tidy_paragraphs


def test_normalise_folds_a_cyrillic_letter_inside_a_latin_word():
    assert normalise("Talks \u0421ancelled") == "Talks Cancelled"


def test_normalise_keeps_whole_cyrillic_words():
    assert normalise("\u0421\u0430\u043c\u0438\u0442 Summit") == "\u0421\u0430\u043c\u0438\u0442 Summit"


def test_normalise_unifies_quotes_and_compatibility_forms():
    raw = "\u201cfair\u201d \u2018deal\u2019 \u201eja\u201c \ufb01nal\u00a0cut"
    assert normalise(raw) == "\"fair\" 'deal' \"ja\" final cut"


def test_tidy_paragraphs_joins_with_blank_lines_and_folds_spaces():
    assert tidy_paragraphs([" One\u00a0 two ", "", "Three"]) == "One two\n\nThree"


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2026-03-04T21:37+0000", "2026-03-04T21:37:00+00:00"),
        ("2026-03-04T08:05:09Z", "2026-03-04T08:05:09+00:00"),
        ("2026-03-04T08:05:09.123+02:00", "2026-03-04T08:05:09+02:00"),
        ("2026-03-04", "2026-03-04"),
        ("14:02 GMT 04.03.2026", "2026-03-04"),
        ("Ledger, 4.3.2026", "2026-03-04"),
        ("2026-02-30", None),
        ("next week", None),
        ("", None),
    ],
)
def test_to_iso(raw, iso):
    assert to_iso(raw) == iso


def test_detect_language_offline():
    assert detect_language("The harbour authority said the ferries would run again on Monday morning.") == "en"
    assert detect_language("Die Hafenbehörde teilte mit, dass die Fähren am Montag wieder fahren.") == "de"
    assert detect_language("ok") is None


def test_sentence_bounds_split_at_end_punctuation_before_a_capital_and_at_line_breaks():
    text = "One cat sat. Two dogs ran!\nThree birds at 5 p.m. sang"
    sentences = [text[s:e] for s, e in sentence_bounds(text)]
    assert sentences == ["One cat sat.", "Two dogs ran!", "Three birds at 5 p.m. sang"]
