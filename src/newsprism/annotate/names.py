"""Canonical names across the articles of a store.

The entities layer names each entity within one text (``annotate/entities.py``). An article that
only ever writes "Blinken", misspells a first name, or where the small model calls a region a
person, needs the other articles: the same variant rules run once more over the distinct
(name, label) pairs of the store, each weighted by the number of articles that use it, and every
group takes the name and the label most articles agree on. An outlet's own metadata (its tags and
bylines) spells a name deliberately: each article whose metadata writes a name counts METADATA_WEIGHT
times for that spelling ("antony blinken" in one page's tags outweighs "Anthony Blinken" in another's
text).

The mapping is a pure function of those counts. The store keeps the counts as articles come and
go and applies the mapping when it reads an article, so stored layers stay what the component
made and the mapping can be recomputed at any time.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping

from newsprism.annotate.entities import (
    ACRONYM,
    PLACE_LABELS,
    Groups,
    Mention,
    choose_canonical,
    fold,
    initials,
    merge_variants,
)
from newsprism.model import Article, Layer, Span

NameKey = tuple[str, str]  # (canonical name within an article, label)
MIN_PLACE_CONSONANTS = 4
SPEAKER_LABELS = ("PERSON", "ORG", "NORP", "GPE")  # a quote's speaker_name is looked up under these, in order
METADATA_WEIGHT = 3


def article_names(layer: Layer) -> set[NameKey]:
    """The distinct (canonical, label) pairs of one article's entities layer."""
    return {(str(span.attrs.get("canonical") or ""), span.label) for span in layer.spans} - {("", "")}


def store_names(counts: Mapping[NameKey, int], vouched: Mapping[str, int] | None = None,
                previous: Mapping[NameKey, NameKey] | None = None) -> dict[NameKey, NameKey]:
    """For every pair whose store-wide name or label differs, the (name, label) it should read as;
    ``vouched`` counts the articles whose metadata write each casefolded name, ``previous`` is the
    mapping the store read by until now."""
    keys = sorted(key for key, articles in counts.items() if articles > 0 and key[0])
    mentions = [_as_mention(name, label) for name, label in keys]
    groups = merge_variants(mentions, [counts[key] for key in keys])
    _keep_previous(keys, counts, groups, previous or {})
    _merge_place_spellings(keys, groups)
    _link_acronyms(keys, groups)
    mapping = {}
    for members in groups.members().values():
        weights = [counts[keys[i]] for i in members]
        label = _majority_label([keys[i][1] for i in members], weights)
        spellings = [counts[keys[i]] + METADATA_WEIGHT * (vouched or {}).get(keys[i][0].casefold(), 0) for i in members]
        name = _group_name([keys[i][0] for i in members], spellings, label)
        mapping.update({keys[i]: (name, label) for i in members if keys[i] != (name, label)})
    return mapping


def _keep_previous(keys: list[NameKey], counts: Mapping[NameKey, int], groups: Groups,
                   previous: Mapping[NameKey, NameKey]) -> None:
    """A surname the store read as a full name keeps that reading while the full name is in the store and
    no namesake outweighs it: the first article about Sara Netanyahu does not turn "Netanyahu" back
    into a bare surname."""
    index = {key: i for i, key in enumerate(keys)}
    weight_of: Counter[int] = Counter()
    for i, key in enumerate(keys):
        weight_of[groups.find(i)] += counts[key]
    for i, (name, label) in enumerate(keys):
        target = previous.get((name, label))
        if label != "PERSON" or " " in name or target is None or target[1] != "PERSON" or target not in index:
            continue
        root = groups.find(index[target])
        if groups.find(i) == root or name not in target[0].split():
            continue
        rivals = {groups.find(j) for j, (other, other_label) in enumerate(keys)
                  if other_label == "PERSON" and " " in other and name in other.split()} - {root}
        if all(weight_of[rival] <= weight_of[root] for rival in rivals):
            groups.union(root, i)


def _as_mention(name: str, label: str) -> Mention:
    # A one-word place never becomes some person's surname ("Jordan" is not "Michael Jordan").
    return Mention(0, 0, name, label, name, place=label in PLACE_LABELS and " " not in name)


def _merge_place_spellings(keys: list[NameKey], groups: Groups) -> None:
    """Places whose consonants agree: the Russian and Ukrainian spellings of one town ("Kharnov"/"Kharniv")
    differ in vowels only. Safe enough across a store for places, not for people."""
    first: dict[str, int] = {}
    for i, (name, label) in enumerate(keys):
        skeleton = consonants(name)
        if label in PLACE_LABELS and len(skeleton.replace(" ", "")) >= MIN_PLACE_CONSONANTS:
            groups.union(first.setdefault(skeleton, i), i)


def consonants(name: str) -> str:
    """The folded name without its vowels, first letter kept ("Bilohirsk" -> "blhrsk")."""
    return " ".join(word[0] + re.sub("[aeiou]", "", word[1:]) for word in fold(name).split())


def _link_acronyms(keys: list[NameKey], groups: Groups) -> None:
    """An acronym joins the one group whose multi-word name it abbreviates, if exactly one does."""
    spelled: dict[str, set[int]] = {}
    for i, (name, _) in enumerate(keys):
        if " " in name:
            spelled.setdefault(initials(name), set()).add(i)
    for i, (name, _) in enumerate(keys):
        if ACRONYM.fullmatch(name):
            roots = {groups.find(j) for j in spelled.get(name, ())}
            if len(roots) == 1:
                groups.union(roots.pop(), i)


def _majority_label(labels: list[str], weights: list[int]) -> str:
    """The label of most articles; a tie goes against PERSON, the small model's usual guess for unknown places."""
    votes: Counter[str] = Counter()
    for label, weight in zip(labels, weights, strict=True):
        votes[label] += weight
    return max(votes, key=lambda label: (votes[label], label != "PERSON", label))


def _group_name(names: list[str], weights: list[int], label: str) -> str:
    """A person is named in full ("Blinken" -> "Antony Blinken"); anything else by its most used form,
    spelled out rather than an acronym."""
    if label == "PERSON":
        return choose_canonical(names, weights)
    spelled = any(not ACRONYM.fullmatch(name) for name in names)
    votes: Counter[str] = Counter()
    for name, weight in zip(names, weights, strict=True):
        if not (spelled and ACRONYM.fullmatch(name)):
            votes[name] += weight
    return max(votes, key=lambda name: (_cased(name), votes[name], len(name), name))


def _cased(name: str) -> bool:
    """Written as names are ("Politico"), not in a headline's capitals or lower case ("POLITICO", "socialists")."""
    return not name.isupper() and not name.islower()


def apply_names(article: Article, mapping: Mapping[NameKey, NameKey]) -> Article:
    """The article's entity names and labels, and its quotes' speaker names, as the store reads them."""
    entities = article.layers.get("entities")
    if entities:
        entities.spans = [_renamed_entity(span, mapping) for span in entities.spans]
    quotes = article.layers.get("quotes")
    if quotes:
        quotes.spans = [_renamed_speaker(span, mapping) for span in quotes.spans]
    return article


def names_to_look_up(article: Article) -> set[str]:
    """Every name of the article that the store mapping may change."""
    names = {name for name, _ in article_names(article.layers["entities"])} if "entities" in article.layers else set()
    if "quotes" in article.layers:
        names |= {str(s.attrs["speaker_name"]) for s in article.layers["quotes"].spans if s.attrs.get("speaker_name")}
    return names


def _renamed_entity(span: Span, mapping: Mapping[NameKey, NameKey]) -> Span:
    target = mapping.get((str(span.attrs.get("canonical")), span.label))
    if target is None:
        return span
    return Span(span.start, span.end, target[1], {**span.attrs, "canonical": target[0]})


def _renamed_speaker(span: Span, mapping: Mapping[NameKey, NameKey]) -> Span:
    name = span.attrs.get("speaker_name")
    target = next((mapping[(name, label)] for label in SPEAKER_LABELS if (name, label) in mapping), None)
    if not name or target is None:
        return span
    return Span(span.start, span.end, span.label, {**span.attrs, "speaker_name": target[0]})
