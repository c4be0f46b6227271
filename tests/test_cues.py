"""Doubt-casting cues on invented sentences: what they find, what they leave alone, and how the
techniques layer reports them."""

from __future__ import annotations

import pytest

from newsprism.annotate.cues import MAX_CUES, doubt_cues
from newsprism.annotate.techniques import find_techniques


def cue_texts(text: str) -> list[tuple[str, str]]:
    return [(text[start:end], name) for start, end, name in doubt_cues(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("The so-called transition council met again in Peldra.", ("so-called transition council", "so-called")),
    ("Its self-styled mayor spoke first.", ("self-styled mayor", "so-called")),
    ("The alleged “relief convoy” never arrived.", ("alleged “relief convoy”", "alleged, quoted")),
    ("The alleged poisoning of the river is pure invention by bloggers.",
     ("alleged poisoning of the river is pure invention", "alleged, denied")),
    ("The ministry repeated the charge without any evidence.", ("without any evidence", "no evidence")),
    ("The figures could not be independently verified.", ("could not be independently verified", "no evidence")),
    ("Police dispersed what officials called a staged march.", ("staged march", "discrediting adjective")),
    ("Die sogenannte Übergangsregierung tagte erneut.", ("sogenannte Übergangsregierung", "so-called")),
    ("Так называемый совет собрался снова.", ("Так называемый совет", "so-called")),
])
def test_each_device_is_found_with_its_phrase(text: str, expected: tuple[str, str]) -> None:
    assert cue_texts(text) == [expected]


@pytest.mark.parametrize("text", [
    "The alleged attacker, 19, appeared in court on Monday.",  # court reporting: no quote, no denial
    "Prosecutors said the evidence was strong.",
    "He called the plan “a decent first step” in a long interview.",  # a quotation, not a device
    "",
])
def test_plain_reporting_has_no_cue(text: str) -> None:
    assert doubt_cues(text) == []


def test_overlapping_cues_become_one_span() -> None:
    text = "The so-called “evidence” was shown without a shred of evidence."
    assert [name for _, _, name in doubt_cues(text)] == ["so-called", "no evidence"]
    assert doubt_cues("the so-called alleged “plan” is a lie") == [(4, 37, "so-called")]


def test_the_layer_labels_a_cue_span_doubt_and_names_its_cue() -> None:
    text = "Officials in Peldra met on Monday. The so-called transition council then issued a statement."
    spans = [s for s in find_techniques(text) if s.get("cue")]
    assert len(spans) == 1
    span = spans[0]
    assert (span["technique"], span["cue"]) == ("Doubt", "so-called")
    assert "so-called transition council" in span["text"]
    assert 0.0 <= span["score"] <= 1.0 and 0.0 <= span["technique_score"] <= 1.0


def test_a_hostile_text_of_quotes_and_cues_stays_fast_to_scan() -> None:
    text = ("so-called “" * 20_000) + "alleged " * 20_000
    found = doubt_cues(text)
    assert all(0 <= start < end <= len(text) for start, end, _ in found)


def test_a_page_of_thousands_of_cues_is_read_up_to_a_cap() -> None:
    text = "The so-called council met. " * 5_000
    found = doubt_cues(text)
    assert len(found) == MAX_CUES
    assert found[0] == (4, 21, "so-called")
