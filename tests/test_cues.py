"""Cues (doubt-casting, delegitimising labels, emotive idioms) on invented sentences: what they
find, what they leave alone, and how the techniques layer reports them."""

from __future__ import annotations

import pytest

from newsprism.annotate.cues import MAX_CUES, find_cues
from newsprism.annotate.techniques import find_techniques


def cue_texts(text: str) -> list[tuple[str, str]]:
    return [(text[start:end], name) for start, end, name, _ in find_cues(text)]


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
    ("Critics call it a label concocted by lobbyists in Peldra.",
     ("label concocted by lobbyists", "fabrication claim")),
    ("The Peldran regime answered within hours.", ("Peldran regime", "delegitimising label")),
    ("Aid went to the puppet government instead.", ("puppet government", "delegitimising label")),
    ("Das Ostrauer Regime schweigt.", ("Ostrauer Regime", "delegitimising label")),
    ("Заявление сделал ольховским режимом.", ("ольховским режимом", "delegitimising label")),
    ("The council waits for orders from its Western handlers.", ("Western handlers", "run from abroad")),
    ("The rally was organised by groups funded from abroad.", ("funded from abroad", "foreign money")),
    ("Его назвали иностранным агентом.", ("иностранным агентом", "foreign money")),
    ("The militia hides among civilians as human shields.", ("human shields", "emotive idiom")),
    ("Reporters were caught red-handed, the ministry said.", ("caught red-handed", "emotive idiom")),
    ("Die Hysterie der Nachbarn wächst.", ("Hysterie", "emotive idiom")),
    ("European capitals turned a blind eye to the shelling of Ostrava.",
     ("European capitals turned a blind eye", "media silence")),
    ("Западные СМИ молчат о жертвах.", ("Западные СМИ молчат", "media silence")),
])
def test_each_device_is_found_with_its_phrase(text: str, expected: tuple[str, str]) -> None:
    assert cue_texts(text) == [expected]


@pytest.mark.parametrize("text", [
    "The alleged attacker, 19, appeared in court on Monday.",  # court reporting: no quote, no denial
    "Prosecutors said the evidence was strong.",
    "He called the plan “a decent first step” in a long interview.",  # a quotation, not a device
    "The sanctions regime was extended by six months.",  # a regime of rules, not of a government
    "Режим прекращения огня соблюдается.",  # a ceasefire regime
    "The bill's sponsors expect a vote in May.",
    "Paper was invented in China long ago.",
    "Western media reported the ceasefire within minutes.",
    "",
])
def test_plain_reporting_has_no_cue(text: str) -> None:
    assert find_cues(text) == []


def test_overlapping_cues_become_one_span() -> None:
    text = "The so-called “evidence” was shown without a shred of evidence."
    assert [name for _, _, name, _ in find_cues(text)] == ["so-called", "no evidence"]
    assert find_cues("the so-called alleged “plan” is a lie") == [(4, 37, "so-called", "Doubt")]


@pytest.mark.parametrize(("text", "technique", "cue", "inside"), [
    ("Officials in Peldra met on Monday. The so-called transition council then issued a statement.",
     "Doubt", "so-called", "so-called transition council"),
    ("Officials in Peldra met on Monday. The Ostrava regime then issued a statement.",
     "Name_Calling,Labeling", "delegitimising label", "Ostrava regime"),
])
def test_the_layer_gives_a_cue_span_its_technique_and_names_its_cue(
    text: str, technique: str, cue: str, inside: str
) -> None:
    spans = [s for s in find_techniques(text) if s.get("cue")]
    assert len(spans) == 1
    span = spans[0]
    assert (span["technique"], span["cue"]) == (technique, cue)
    assert inside in span["text"]
    assert 0.0 <= span["score"] <= 1.0 and 0.0 <= span["technique_score"] <= 1.0


def test_a_hostile_text_of_quotes_and_cues_stays_fast_to_scan() -> None:
    text = ("so-called “" * 20_000) + "alleged " * 20_000
    found = find_cues(text)
    assert all(0 <= start < end <= len(text) for start, end, _, _ in found)


def test_a_page_of_thousands_of_cues_is_read_up_to_a_cap() -> None:
    text = "The so-called council met. " * 5_000
    found = find_cues(text)
    assert len(found) == MAX_CUES
    assert found[0] == (4, 21, "so-called", "Doubt")
