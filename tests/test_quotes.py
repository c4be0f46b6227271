"""The quotes layer on invented sentences, its offsets contract, hostile inputs, and the sample corpus gold."""

from __future__ import annotations

import json
import time
from functools import cache
from pathlib import Path

import pytest
from spacy.tokens import Doc

from newsprism import extract_paths
from newsprism.annotate.nlp import parse
from newsprism.annotate.quotes import find_quotes, quoted_regions, quotes_layer
from newsprism.annotate.speakers import _group_phrase

GOLD = json.loads((Path(__file__).parent / "fixtures" / "corpus-gold.json").read_text(encoding="utf-8"))
CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def only(text: str) -> dict:
    quotes = quotes_layer(text, None)
    assert len(quotes) == 1, quotes
    return quotes[0]


def brief(quote: dict) -> tuple:
    return quote["text"], quote["kind"], (quote["cue"] or {}).get("text"), (quote["speaker"] or {}).get("text"), \
        quote["speaker_name"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sergei Vetrov is the fisheries minister. “The quotas are fair and final,” Vetrov said.",
         ("The quotas are fair and final", "direct", "said", "Vetrov", "Sergei Vetrov")),
        ("The ministry's spokeswoman, Ana Petrescu, said that the bridge would reopen in May.",
         ("the bridge would reopen in May", "indirect", "said", "The ministry's spokeswoman, Ana Petrescu",
          "Ana Petrescu")),
        ("Tomas Keller spoke to the committee on Monday. According to him, the ferry service will resume soon.",
         ("the ferry service will resume soon", "indirect", "According to", "him", "Tomas Keller")),
        ("The Kremlin said the convoy had crossed the border before dawn.",
         ("the convoy had crossed the border before dawn", "indirect", "said", "The Kremlin", "Kremlin")),
        ("The harbour will close for repairs, the port authority said.",
         ("The harbour will close for repairs", "indirect", "said", "the port authority", "port authority")),
        ("Mayor Petra Novak said the tram line was “a gift to the next generation” of riders.",
         ("the tram line was “a gift to the next generation” of riders", "mixed", "said", "Mayor Petra Novak",
          "Petra Novak")),
    ],
)
def test_one_quote(text: str, expected: tuple) -> None:
    assert brief(only(text)) == expected


def test_pronoun_resolves_to_the_named_person() -> None:
    text = ("Oskar Lindqvist runs the orchard. “We planted four hundred trees this spring,” he said. "
            "“The frost took a third of them,” he added.")
    quotes = quotes_layer(text, None)
    assert [q["speaker_name"] for q in quotes] == ["Oskar Lindqvist", "Oskar Lindqvist"]
    assert [q["cue"]["text"] for q in quotes] == ["said", "added"]


def test_she_added_skips_a_man_named_in_between() -> None:
    text = ("Anna Berg chairs the water board. Her deputy, Karl Weber, stayed at home. "
            "“The reservoir is full for the first time in years,” she added.")
    assert only(text)["speaker_name"] == "Anna Berg"


def test_bare_title_resolves_to_the_person_introduced_with_it() -> None:
    text = "The spokeswoman Ana Petrescu opened the meeting. Later the spokeswoman said that the budget was balanced."
    assert brief(only(text))[3:] == ("the spokeswoman", "Ana Petrescu")


def test_split_quote_gives_two_spans_with_one_speaker() -> None:
    text = "“We planted four hundred trees this spring,” said Oskar Lindqvist. “Next year we will plant twice as many.”"
    quotes = quotes_layer(text, None)
    assert [q["text"] for q in quotes] == ["We planted four hundred trees this spring",
                                           "Next year we will plant twice as many."]
    assert {q["speaker_name"] for q in quotes} == {"Oskar Lindqvist"}
    assert all(q["kind"] == "direct" for q in quotes)


def test_short_scare_quotes_without_a_cue_are_not_quotes() -> None:
    assert quotes_layer("The so-called “reform” left the library without a roof.", None) == []


def test_a_title_in_quotation_marks_is_nobodys_words() -> None:
    text = ("Ilse Varga starred in “The Night of the Harbour,” the festival director said. “I Love the Sea” "
            "is her next film. “We will show both films in June,” Varga said.")
    assert [q["text"] for q in quotes_layer(text, None) if q["kind"] == "direct"] == ["We will show both films in June"]


def test_multi_sentence_quote_stays_one_span() -> None:
    text = "“The river rose overnight. Two bridges are closed. Stay home,” said Oskar Lindqvist."
    assert only(text)["text"] == "The river rose overnight. Two bridges are closed. Stay home"


SAMPLES = [
    "Sergei Vetrov is the fisheries minister. “The quotas are fair and final,” Vetrov said.",
    "The ministry's spokeswoman, Ana Petrescu, said that the bridge would reopen in May.",
    "“We planted four hundred trees this spring,” said Oskar Lindqvist. “Next year we will plant twice as many.”",
    "Mayor Petra Novak said the tram line was “a gift to the next generation” of riders.\r\n\r\nIt opens «soon».",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_offsets_contract_and_quote_excludes_cue_and_speaker(text: str) -> None:
    for quote in quotes_layer(text, None):
        assert text[quote["start"]:quote["end"]] == quote["text"]
        assert not quote["text"].startswith(("“", '"')) and not quote["text"].endswith(("”", '"'))
        for key in ("cue", "speaker"):
            span = quote[key]
            if span:
                assert text[span["start"]:span["end"]] == span["text"]
                assert span["end"] <= quote["start"] or span["start"] >= quote["end"], (key, quote)


def test_unbalanced_marks_do_not_crash() -> None:
    for text in ("He said “the door was open.", "”closing first“ and then said nothing", '"', "«", "‘tis ’",
                 "She said: \"one\n\ntwo\" three."):
        for quote in quotes_layer(text, None):
            assert text[quote["start"]:quote["end"]] == quote["text"]


def test_a_symbol_parsed_as_a_lone_punct_head_is_its_own_speaker_span() -> None:
    """Regression: on a real shopping-list page the quotes layer raised "ValueError: min() arg is an
    empty sequence" when the speaker head the parse gave was a symbol hanging as "punct" with nothing
    under it; the speaker span is now that token."""
    from newsprism.annotate.quotes import _speaker_extent

    words = ["★", "said", "the", "price", "fell"]
    doc = Doc(parse("").vocab, words=words, heads=[1, 1, 3, 4, 1], deps=["punct", "ROOT", "det", "nsubj", "ccomp"],
              pos=["NOUN", "VERB", "DET", "NOUN", "VERB"])
    assert _speaker_extent(doc[0], []) == (0, 1)


def test_hostile_quote_characters_stay_fast() -> None:
    """The layer's own work stays near-linear; the shared parse (cached) is timed apart."""
    text = '“"«‘„' * 1000 + '" said he ' * 500 + "“" + "a " * 5000
    parse(text)
    started = time.perf_counter()
    quotes_layer(text, None)
    assert time.perf_counter() - started < 3
    assert quoted_regions('“a” "b c" «d»') == [(1, 2), (5, 8), (11, 12)]


@cache
def corpus_scores() -> tuple[int, int, int]:
    """(gold quotes, found with >= 30% of their characters covered, found with the right speaker_name)."""
    gold = {article["source"]: article for article in GOLD["articles"]}
    total = found = right = 0
    for _, article in extract_paths([CORPUS]):
        entry = gold.get(article.source.split("corpus/", 1)[-1]) if article else None
        if entry is None:
            continue
        quotes = find_quotes(article.text)
        for item in entry["quotes"]:
            at = article.text.find(item["text"])
            if at < 0:
                continue
            total += 1
            best = max(quotes, key=lambda q: min(q.end, at + len(item["text"])) - max(q.start, at), default=None)
            if best and min(best.end, at + len(item["text"])) - max(best.start, at) >= 0.3 * len(item["text"]):
                found += 1
                right += best.speaker_name == item["speaker_name"]
    return total, found, right


def test_corpus_gold_quotes_are_found_with_their_speakers() -> None:
    """Measured: 120/121 found, 105/121 (0.868) with the planted speaker_name within each text (109/121
    once the store-wide names of all corpus articles apply, e.g. "Galenko" -> "Dmytro Halenko")."""
    total, found, right = corpus_scores()
    assert total >= 100
    assert found / total >= 0.95
    assert right / total >= 0.85


def test_acronym_speaker_resolves_to_the_organisation_named_earlier() -> None:
    text = ("The State Security Directorate (SSD) detained a cook on Friday. "
            "The SSD said that the cook had been careless with the soup.")
    assert brief(only(text)) == ("the cook had been careless with the soup", "indirect", "said", "The SSD",
                                 "State Security Directorate")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The harbour master Oskar Lindqvist said at the pier:\n\n“We planted four hundred trees this spring.”",
         ("We planted four hundred trees this spring.", "said", "The harbour master Oskar Lindqvist")),
        ("The ferry will run again on Monday, according to the harbour office.",
         ("The ferry will run again on Monday", "according to", "the harbour office")),
        ("The mayor promised to rebuild the old stone bridge before winter.",
         ("to rebuild the old stone bridge before winter", "promised", "The mayor")),
        ("The rains, the farmer added, came late this year but were generous.",
         ("came late this year but were generous", "added", "the farmer")),
        ("The ferry schedule was announced by the harbour office on Friday morning.", None),
        ("''The frost took a third of the trees,'' Oskar Lindqvist said.",
         ("The frost took a third of the trees", "said", "Oskar Lindqvist")),
    ],
)
def test_colon_trailing_according_to_objects_parentheticals_and_double_apostrophes(text: str, expected: tuple) -> None:
    quotes = quotes_layer(text, None)
    got = [(q["text"], (q["cue"] or {}).get("text"), (q["speaker"] or {}).get("text")) for q in quotes]
    assert got == ([expected] if expected else [])


def test_passive_cue_without_agent_has_no_speaker() -> None:
    quote = only("The council was told that the library would close in March.")
    assert (quote["cue"]["text"], quote["speaker"]) == ("told", None)


SPEAKER_KINDS = [  # (text, the speaker's name, kind and role) on invented sentences
    ("Port Authority spokeswoman Ilse Varga said the pier would close for a week.",
     ("Ilse Varga", "person", "Port Authority spokeswoman")),
    ("The Dornvik Mining Company said output would fall by a third this year.",
     ("Dornvik Mining Company", "organisation", None)),
    ("Oslo said the talks on the fishing quotas would resume in June.", ("Oslo", "government", None)),
    ("Police said the driver of the van fled on foot after the crash.", ("Police", "group", None)),
    ("Residents said the water from the well smelled of diesel for days.", ("Residents", "group", None)),
    ("Sheriff Ilse J Varga said the suspect was subdued.", ("Ilse J Varga", "person", "Sheriff")),  # police ranks
    ("Constable Ivo Brandt said the man surrendered after two hours.", ("Ivo Brandt", "person", "Constable")),
    ("The convoy was condemned by Kestria, which said that the trucks had been turned back at the border.",
     ("Kestria", "government", None)),  # a relative word stands for its noun
    ("A report by the Harlen Water Board said the dam had been poorly kept for years.",
     ("Harlen Water Board", "organisation", None)),  # a thing speaks for its author
    ("The report said the dam had been poorly kept for years.", (None, None, None)),  # ... or for no one
    ("The Harlen Water Board met on Monday. The statement said the dam had been poorly kept for years.",
     ("Harlen Water Board", "organisation", None)),  # a statement speaks for the body named before it
]


@pytest.mark.parametrize(("text", "expected"), SPEAKER_KINDS)
def test_speakers_of_every_kind(text: str, expected: tuple) -> None:
    quote = only(text)
    assert (quote["speaker_name"], quote["speaker_kind"], quote["speaker_role"]) == expected


@pytest.mark.parametrize(("words", "heads", "deps", "group"), [
    (["Police", "at", "first", "told", "workers"], [3, 0, 3, 3, 3], ["nsubj", "prep", "advmod", "ROOT", "dobj"],
     "Police"),
    (["Police", "at", "the", "pier", "said"], [4, 0, 3, 1, 4], ["nsubj", "prep", "det", "pobj", "ROOT"],
     "Police at the pier"),
])
def test_a_group_takes_a_preposition_with_its_object_only(words: list[str], heads: list[int], deps: list[str],
                                                          group: str) -> None:
    """ "Police at first told ..." parsed with "at" on "Police" is the police, not a group called "Police at"."""
    doc = Doc(parse("").vocab, words=words, heads=heads, deps=deps)
    assert _group_phrase(doc[0]) == group


def test_a_pronoun_follows_the_discourse_over_a_guessed_gender() -> None:
    """ "Ingrid" does not end in -a, so the name-ending guess says a man; the discourse says she spoke."""
    text = "Ingrid Holm said the ferry would run again on Monday. “We have no choice but to sail,” she added."
    assert [q["speaker_name"] for q in quotes_layer(text, None)] == ["Ingrid Holm", "Ingrid Holm"]


def test_a_quoted_paragraph_without_a_cue_continues_the_previous_speaker() -> None:
    text = ("“We will rebuild every house,” the mayor, Anna Brodin, said.\n\n"
            "“The quay will stand again, stone by stone, before the winter storms.”")
    quotes = quotes_layer(text, None)
    assert [(q["speaker_name"], q["speaker_role"]) for q in quotes] == [("Anna Brodin", "mayor")] * 2


def test_as_someone_said_reports_the_clause_and_names_the_next_pronoun() -> None:
    text = ("Sergey Lavrov met his counterpart on Monday. Jen Psaki spoke later.\n\n"
            "As Lavrov said earlier, the fleet is not leaving port. According to him, the drills are routine.")
    quotes = quotes_layer(text, None)
    assert [(q["text"], q["speaker_name"]) for q in quotes] == [
        ("the fleet is not leaving port", "Sergey Lavrov"), ("the drills are routine", "Sergey Lavrov")]


@pytest.mark.parametrize("text", [
    "10:43 said the ferry would leave at noon.",  # a time the parser takes for a subject
    "Jon Ek/Nordic Press said the storm had passed the harbour.",  # a photo credit line
    "They said the storm had passed the harbour by the evening.",  # a pronoun with no one before it
])
def test_times_credit_lines_and_unresolved_pronouns_name_no_speaker(text: str) -> None:
    quote = only(text)
    assert quote["speaker"] is not None and (quote["speaker_name"], quote["speaker_kind"]) == (None, None)


@pytest.mark.parametrize(("text", "speakers"), [
    ("The council met on Monday. Said Okafor: “We have waited long enough for this bridge.”",
     ["Okafor"]),  # an inverted cue the parser makes part of the name
    ("“The harbour needs dredging,” Ekdal said, adding a warning, including, “The ferries will run aground by May.”",
     ["Ekdal", "Ekdal", "Ekdal"]),  # a participle cue borrows the subject of the cue before it
    ("The tunnel will open late, Ekdal said. “The contractor has lost two years and most of its engineers.”",
     ["Ekdal", "Ekdal"]),  # a cueless quote continues the reported speech just before it
])
def test_inverted_participle_and_continued_speakers(text: str, speakers: list[str]) -> None:
    assert [q["speaker_name"] for q in quotes_layer(text, None)] == speakers
