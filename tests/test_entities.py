"""The entities layer: one canonical name per entity within a text, on invented sentences and the sample corpus."""

from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest

from newsprism import extract_paths
from newsprism.annotate.entities import VERSION, choose_canonical, find_entities, fold, initials, strip_title
from newsprism.annotate.names import store_names
from newsprism.annotate.nlp import parse
from newsprism.annotate.registry import _REGISTRY

ROOT = Path(__file__).resolve().parents[1]
GOLD = json.loads((ROOT / "tests" / "fixtures" / "corpus-gold.json").read_text(encoding="utf-8"))


def canonical_of(text: str) -> dict[str, set[str]]:
    """Written form -> the canonical names it got."""
    found: dict[str, set[str]] = {}
    for entity in find_entities(text):
        found.setdefault(entity["text"], set()).add(entity["canonical"])
    return found


def labels_of(text: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for entity in find_entities(text):
        found.setdefault(entity["canonical"], set()).add(entity["label"])
    return found


def test_title_is_stripped_and_surname_resolves() -> None:
    text = "Secretary of State Antony Blinken landed in Oslo on Monday. Blinken later met fishermen in the harbour."
    found = canonical_of(text)
    assert found["Blinken"] == {"Antony Blinken"}
    assert all(names == {"Antony Blinken"} for form, names in found.items() if "Blinken" in form)
    assert "State" not in found


def test_title_inside_the_span_is_not_part_of_the_canonical() -> None:
    assert strip_title("Secretary of State Antony Blinken") == "Antony Blinken"
    assert strip_title("Foreign Minister Lena Okafor's") == "Lena Okafor"


def test_first_name_and_surname_resolve_to_the_full_name() -> None:
    text = ("Governor Maria Castellano opened the new bridge in Tampere. Castellano said the bridge cost less "
            "than planned. Maria thanked the engineers.")
    found = canonical_of(text)
    assert found["Castellano"] == found["Maria"] == {"Maria Castellano"}


def test_transliteration_variants_share_one_canonical() -> None:
    text = ("The delegation was led by Sergei Pavlenko, a veteran negotiator. Sergey Pavlenko later told reporters "
            "the talks had stalled.")
    found = canonical_of(text)
    assert found["Sergei Pavlenko"] == found["Sergey Pavlenko"] == {"Sergei Pavlenko"}


@pytest.mark.parametrize(
    ("a", "b"),
    [("Sergei", "Sergey"), ("Sergej", "Sergey"), ("Kiev", "Kyiv"), ("Lugansk", "Luhansk"), ("Donbass", "Donbas"),
     ("Wetrow", "Vetrov"), ("Galenko", "Halenko"), ("Levitsky", "Levytsky"), ("Lanskoi", "Lanskoy")],
)
def test_folding_key_merges_spelling_variants(a: str, b: str) -> None:
    assert fold(a) == fold(b)


@pytest.mark.parametrize(("a", "b"), [("Maria", "Marta"), ("Ivan", "Ivana"), ("Kharniv", "Kharkiv")])
def test_folding_key_keeps_distinct_names_apart(a: str, b: str) -> None:
    assert fold(a) != fold(b)


def test_place_variants_take_the_most_frequent_form() -> None:
    text = ("Rebels in Lugansk fired on the town. Residents of Luhansk said the shelling lasted all night, "
            "and Luhansk was without power.")
    assert canonical_of(text)["Lugansk"] == {"Luhansk"}


def test_misspelt_first_name_merges_when_the_surname_agrees() -> None:
    text = ("Anthony Blinken was misspelled in the first edition. The second edition named Antony Blinken "
            "correctly, and Antony Blinken spoke again.")
    assert canonical_of(text)["Anthony Blinken"] == {"Antony Blinken"}


def test_a_name_ending_in_an_organisation_word_is_no_person() -> None:
    text = "She was taken to Tomas Keller Hospital, where she died on Monday. Tomas Keller founded it in 1950."
    labels = {e["text"]: e["label"] for e in find_entities(text)}
    assert parse(text).ents[0].label_ == "PERSON"  # what the parser says, which the layer corrects
    assert labels["Tomas Keller Hospital"] == "ORG" and labels["Tomas Keller"] == "PERSON"


def test_different_people_with_one_surname_stay_apart() -> None:
    text = "Anna Kovacs chairs the board. Her brother Peter Kovacs runs the mill."
    found = canonical_of(text)
    assert found["Anna Kovacs"] == {"Anna Kovacs"}
    assert found["Peter Kovacs"] == {"Peter Kovacs"}


def test_acronym_takes_its_expansion() -> None:
    text = "Fighters of the National Liberation Front crossed the river. The NLF later said its units had withdrawn."
    assert canonical_of(text)["NLF"] == {"National Liberation Front"}


def test_acronym_with_possessive_expansion() -> None:
    assert initials("Donetsk People's Republic") == "DPR"
    text = "The Donetsk People's Republic declared a ceasefire. The DPR said it would hold."
    assert canonical_of(text)["DPR"] == {"Donetsk People's Republic"}


@pytest.mark.parametrize(
    ("text", "surname", "wrong", "full"),
    [("Karl Vienna arrived late. Vienna apologised to the committee.", "Vienna", "GPE", "Karl Vienna"),
     ("Jonas Lindqvist chaired the meeting. Lindqvist announced the result, and delegates applauded Lindqvist.",
      "Lindqvist", "ORG", "Jonas Lindqvist")],
)
def test_person_tagged_as_place_or_org_is_repaired(text: str, surname: str, wrong: str, full: str) -> None:
    assert {e.label_ for e in parse(text).ents if e.text == surname} == {wrong}  # the small model's error
    entities = [e for e in find_entities(text) if e["text"] == surname]
    assert entities
    assert {(e["label"], e["canonical"]) for e in entities} == {("PERSON", full)}


@pytest.mark.parametrize(
    ("text", "name", "label"),
    [("The drills are cover for Kiev's refusal to honour the ceasefire.", "Kiev", "GPE"),  # an alternate name
     ("Mr. Obama spoke to reporters. Obama later left.", "Obama", "PERSON"),  # a city in Japan, and titled
     ("Austin Reed spoke first. Later, Reed and Austin met the press.", "Austin", "PERSON")],  # a full name's
)
def test_a_one_word_person_the_gazetteer_knows_as_a_place_is_a_place(text: str, name: str, label: str) -> None:
    assert "PERSON" in {e.label_ for e in parse(text).ents if e.text == name}  # the small model's guess
    assert {e["label"] for e in find_entities(text) if e["text"] == name} == {label}


def test_one_from_x_does_not_make_a_place_of_a_name_the_parser_calls_a_person_throughout() -> None:
    text = ("Kowalski told reporters on Monday that the plan would pass. Kowalski said the vote was close. "
            "Aides said Kowalski was tired but calm. A message from Kowalski reached the hall on Tuesday.")
    assert [e.label_ for e in parse(text).ents if e.text == "Kowalski"] == ["PERSON"] * 4  # the parser is sure
    assert {e["label"] for e in find_entities(text) if e["text"] == "Kowalski"} == {"PERSON"}


def test_place_context_overrides_a_person_label() -> None:
    text = "The talks will be held in the city of Vennholm. Delegates reach Vennholm on Friday."
    assert labels_of(text).get("Vennholm") == {"GPE"}


def test_user_aliases_win(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    aliases = tmp_path / "aliases.tsv"
    aliases.write_text("# alias\tcanonical\nLugansk\tLuhansk People's Republic\nNLF\tNational Liberation Front\n",
                       encoding="utf-8")
    monkeypatch.setenv("NEWSPRISM_ALIASES", str(aliases))
    found = canonical_of("Rebels in Lugansk fired on the town. The NLF denied it.")
    assert found["Lugansk"] == {"Luhansk People's Republic"}
    assert found["NLF"] == {"National Liberation Front"}


def test_canonical_choice_prefers_frequent_then_longest_then_first() -> None:
    assert choose_canonical(["Kyiv", "Kiev", "Kyiv"]) == "Kyiv"
    assert choose_canonical(["Blinken", "Antony Blinken"]) == "Antony Blinken"
    assert choose_canonical(["Sergei Vetrov", "Sergei Vetrow"]) == "Sergei Vetrov"


@pytest.mark.parametrize("text", ["", "   \n\n  ", "no names here at all.", "NLF"])
def test_offsets_and_labels_contract(text: str) -> None:
    for entity in find_entities(text):
        assert text[entity["start"]:entity["end"]] == entity["text"]


def test_offsets_on_messy_text() -> None:
    text = "“Minister Paulo Arruda’s plan,” said Arruda.\r\n\r\nThe NLF—and Arruda—met in the village of Ostrel."
    entities = find_entities(text)
    assert entities
    for entity in entities:
        assert text[entity["start"]:entity["end"]] == entity["text"]
        assert entity["label"] in {"PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "FAC"}
    assert [e["start"] for e in entities] == sorted(e["start"] for e in entities)


def test_no_dates_or_numbers() -> None:
    labels = {e["label"] for e in find_entities("On 3 March 2026, 40 people paid $5 each, 12% more than in May.")}
    assert not labels & {"DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "ORDINAL", "QUANTITY"}


def test_registered_as_a_component() -> None:
    assert _REGISTRY["entities"].version == VERSION
    assert _REGISTRY["entities"].run("Blinken met Antony Blinken.", None)


@lru_cache(maxsize=1)
@lru_cache(maxsize=1)
def corpus_entities() -> dict[str, tuple[str, list[dict]]]:
    """Text and entities layer of every gold article, by source."""
    prefix = f"{ROOT / 'corpus'}/"
    articles = {a.source.removeprefix(prefix): a for _, a in extract_paths([ROOT / "corpus"]) if a}
    texts = {g["source"]: articles[g["source"]].text for g in GOLD["articles"]}
    return {source: (text, find_entities(text)) for source, text in texts.items()}


def store_wide(entities: list[dict], mapping: dict) -> list[dict]:
    renamed = [mapping.get((e["canonical"], e["label"]), (e["canonical"], e["label"])) for e in entities]
    return [{**e, "canonical": name, "label": label} for e, (name, label) in zip(entities, renamed, strict=True)]


def corpus_scores(across_store: bool = False) -> dict[str, tuple[int, int]]:
    """(found, gold) counts: canonical over all gold mentions, canonical over those whose canonical is
    written in the same article, and label over all gold mentions; ``across_store`` applies the
    store-wide names of all corpus articles."""
    layers = corpus_entities()
    mapping = {}
    if across_store:
        counts = Counter(key for _, found in layers.values() for key in {(e["canonical"], e["label"]) for e in found})
        mapping = store_names(counts)
    scores = {"canonical": [0, 0], "canonical_in_text": [0, 0], "label": [0, 0]}
    for gold in GOLD["articles"]:
        text, entities = layers[gold["source"]]
        entities = store_wide(entities, mapping)
        canonicals = Counter((e["text"], e["canonical"]) for e in entities)
        labels = Counter((e["text"], e["label"]) for e in entities)
        for entity in gold["entities"]:
            count = entity["count"]
            hits = min(count, canonicals[(entity["text"], entity["canonical"])])
            _add(scores["canonical"], hits, count)
            if entity["canonical"] in text:
                _add(scores["canonical_in_text"], hits, count)
            _add(scores["label"], min(count, labels[(entity["text"], entity["label"])]), count)
    return {name: (found, total) for name, (found, total) in scores.items()}


def _add(score: list[int], hits: int, count: int) -> None:
    score[0] += hits
    score[1] += count


def test_corpus_mentions_get_the_gold_canonical() -> None:
    """Measured: 551/645 (0.854) of all gold mentions; 551/584 (0.943) where the canonical is in the article.

    The rest need store-wide canonicalisation (an article that only writes "Belogorsk region") or are
    Cyrillic/German mentions the English model does not find. spaCy's raw entities, canonical = text: 435/645.
    """
    scores = corpus_scores()
    assert _ratio(scores["canonical"]) >= 0.83
    assert _ratio(scores["canonical_in_text"]) >= 0.92


def test_corpus_labels_after_repair() -> None:
    """Measured: 479/645 (0.743) gold mentions with the gold label (spaCy's raw entities: 334/645, 0.518; 486
    before "in X" stopped overruling a parser sure of a person, which on real news wrongly made places of
    about 140 Clinton and Obama mentions in a third of the texts)."""
    assert _ratio(corpus_scores()["label"]) >= 0.73


def test_corpus_names_across_the_store() -> None:
    """Measured: with the store-wide names of all corpus articles, 589/645 (0.913) gold mentions get the gold
    canonical (0.854 within each text) and 538/645 (0.834) the gold label (0.743)."""
    scores = corpus_scores(across_store=True)
    assert _ratio(scores["canonical"]) >= 0.89
    assert _ratio(scores["label"]) >= 0.81


def _ratio(score: tuple[int, int]) -> float:
    return score[0] / score[1]
