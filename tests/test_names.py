"""Store-wide canonical names: the variant rules of the entities layer, weighed across articles."""

from __future__ import annotations

import sqlite3

from newsprism.annotate.names import apply_names, consonants, store_names
from newsprism.model import Article, Layer, Span
from newsprism.store import Store
from newsprism.store.base import migrations


def test_a_surname_alone_takes_the_full_name_other_articles_use():
    mapping = store_names({("Ilse Marwick", "PERSON"): 4, ("Marwick", "PERSON"): 1, ("Marwick", "ORG"): 1})
    assert mapping[("Marwick", "PERSON")] == ("Ilse Marwick", "PERSON")
    assert mapping[("Marwick", "ORG")] == ("Ilse Marwick", "PERSON")
    assert ("Ilse Marwick", "PERSON") not in mapping  # unchanged names are not listed


def test_most_articles_decide_label_and_spelling():
    mapping = store_names({("Tavrino", "GPE"): 5, ("Tavrino", "PERSON"): 2, ("Jon Halvorsen", "PERSON"): 6,
                           ("John Halvorsen", "PERSON"): 1})
    assert mapping[("Tavrino", "PERSON")] == ("Tavrino", "GPE")
    assert mapping[("John Halvorsen", "PERSON")] == ("Jon Halvorsen", "PERSON")


def test_a_tie_goes_against_person():
    assert store_names({("Olvena", "GPE"): 1, ("Olvena", "PERSON"): 1}) == {("Olvena", "PERSON"): ("Olvena", "GPE")}


def test_a_one_word_place_never_becomes_a_surname():
    mapping = store_names({("Corvin", "GPE"): 3, ("Dana Corvin", "PERSON"): 3})
    assert ("Corvin", "GPE") not in mapping


def test_place_spellings_differing_in_vowels_merge_people_do_not():
    assert consonants("Bilohirsk region") == consonants("Belogorsk region")
    mapping = store_names({("Bilohirsk", "GPE"): 3, ("Belogorsk", "GPE"): 1, ("Anna Petrov", "PERSON"): 2,
                           ("Anna Potrov", "PERSON"): 1})
    assert mapping[("Belogorsk", "GPE")] == ("Bilohirsk", "GPE")
    assert ("Anna Potrov", "PERSON") not in mapping


def test_an_acronym_joins_the_one_name_it_spells():
    mapping = store_names({("Coastal Workers Union", "ORG"): 2, ("CWU", "ORG"): 3})
    assert mapping[("CWU", "ORG")] == ("Coastal Workers Union", "ORG")
    clash = store_names({("Coastal Workers Union", "ORG"): 2, ("Central Wine Union", "ORG"): 2, ("CWU", "ORG"): 3})
    assert ("CWU", "ORG") not in clash


def test_apply_names_renames_entities_and_quote_speakers():
    article = Article(source="a", text="Marwick said it.", layers={
        "entities": Layer("entities", "c", "1", [Span(0, 7, "ORG", {"canonical": "Marwick"})]),
        "quotes": Layer("quotes", "c", "1", [Span(8, 15, "indirect", {"speaker_name": "Marwick"})]),
    })
    apply_names(article, {("Marwick", "ORG"): ("Ilse Marwick", "PERSON")})
    entity = article.layers["entities"].spans[0]
    assert (entity.label, entity.attrs["canonical"]) == ("PERSON", "Ilse Marwick")
    assert article.layers["quotes"].spans[0].attrs["speaker_name"] == "Ilse Marwick"


def _article(text: str, spans: list[Span]) -> Article:
    return Article(source=f"{text[:8]}.txt", text=text, layers={"entities": Layer("entities", "c", "1", spans)})


def test_store_reads_names_as_the_whole_store_agrees(tmp_path):
    full = [Span(0, 12, "PERSON", {"canonical": "Ilse Marwick"})]
    with Store(tmp_path / "s.sqlite") as store:
        for n in range(3):
            store.add_article(_article(f"Ilse Marwick spoke {n}.", full))
        alone = _article("Marwick left early.", [Span(0, 7, "ORG", {"canonical": "Marwick"})])
        store.add_article(alone)
        assert store.refresh_names() == 1
        read = store.article(alone.id).layers["entities"].spans[0]
        assert (read.label, read.attrs["canonical"]) == ("PERSON", "Ilse Marwick")
        own = store.article(alone.id, store_names=False).layers["entities"].spans[0]
        assert (own.label, own.attrs["canonical"]) == ("ORG", "Marwick")
        store.put_layer(alone.id, alone.layers["entities"])  # replacing a layer does not count it twice
        counts = dict(store.db.execute("SELECT name || '/' || label, articles FROM entity_names").fetchall())
        assert counts == {"Ilse Marwick/PERSON": 3, "Marwick/ORG": 1}


def test_migration_counts_names_of_layers_stored_before_it(tmp_path):
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript(migrations("sqlite")[0][1] + "\nPRAGMA user_version = 1;")
    db.execute("INSERT INTO articles(id, source, text) VALUES ('a1', 's', 'Ilse Marwick')")
    db.execute("INSERT INTO layers VALUES ('a1', 'entities', 'c', '1', ?)",
               ('[{"start": 0, "end": 12, "label": "PERSON", "attrs": {"canonical": "Ilse Marwick"}}]',))
    db.commit()
    db.close()
    with Store(path) as store:
        rows = store.db.execute("SELECT name, label, articles FROM entity_names").fetchall()
    assert [tuple(r) for r in rows] == [("Ilse Marwick", "PERSON", 1)]


def test_an_outlets_own_tags_spell_a_name_for_the_whole_store(tmp_path):
    """One article writes "Anthon Brisk" in its text, another "Anton Brisk" and tags the page "anton brisk":
    the tag decides, though the text forms tie one article each."""
    with Store(tmp_path / "s.sqlite") as store:
        misspelt = _article("Anthon Brisk spoke.", [Span(0, 12, "PERSON", {"canonical": "Anthon Brisk"})])
        tagged = _article("Anton Brisk spoke.", [Span(0, 11, "PERSON", {"canonical": "Anton Brisk"})])
        store.add_article(misspelt)
        tagged.tags = ["anton brisk", "harbours"]
        store.add_article(tagged)
        store.refresh_names()
        for article in (misspelt, tagged):
            assert store.article(article.id).layers["entities"].spans[0].attrs["canonical"] == "Anton Brisk"


def test_a_namesakes_first_articles_do_not_turn_a_resolved_surname_bare():
    """ "Vell" reads as "Oskar Vell" (6 articles against 1); new articles about two other Vells leave no
    clear majority, yet the store keeps the reading it had, until a namesake outweighs him."""
    counts = {("Oskar Vell", "PERSON"): 6, ("Vell", "PERSON"): 2, ("Sara Vell", "PERSON"): 1}
    before = store_names(counts)
    assert before[("Vell", "PERSON")] == ("Oskar Vell", "PERSON")
    grown = {**counts, ("Sara Vell", "PERSON"): 2, ("Ines Vell", "PERSON"): 3}
    assert ("Vell", "PERSON") not in store_names(grown)  # no clear majority: the surname reads as itself
    assert store_names(grown, previous=before)[("Vell", "PERSON")] == ("Oskar Vell", "PERSON")
    outweighed = {**counts, ("Sara Vell", "PERSON"): 9}
    assert store_names(outweighed, previous=before)[("Vell", "PERSON")] == ("Sara Vell", "PERSON")
