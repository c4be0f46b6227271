"""Sentences with their content-word keys: the unit the comparison aligns across outlets.

Keys are the linker's lemma-like word keys (``link.events.term_key``: folded, truncated) plus the
canonical names of the entities inside the sentence, so "Kharnov" and "Kharniv" align when the
entities layer (or the store's canonical names) made them one entity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from newsprism.extract.text import sentence_bounds
from newsprism.link.events import STOPWORDS, term_key
from newsprism.model import Article

ACTOR_LABELS = ("PERSON", "ORG", "GPE", "LOC", "FAC")  # not NORP: "Russian" names no event
MAX_TEXT_CHARS = 200_000  # longer bodies are compared on their first 200k characters
_SUFFIX = re.compile(r"(?:ied|ed|ing|es|s)$")
_WORD = re.compile(r"[^\W\d_][\w'’-]{0,40}")


@dataclass
class Sentence:
    start: int
    end: int
    keys: frozenset[str]
    surface: dict[str, str]  # key -> the first word written for it, for readable slot names
    names: frozenset[str]  # keys of capitalised words not at the sentence start: names, not what a number counts
    lead: bool  # the article's first sentence: news leads state the main event, so the leads of a story align
    actors: dict[str, str] = field(default_factory=dict)  # "@" keys of people, organisations, places -> label


def word_key(word: str) -> str | None:
    """The word's key, or None for a function word or a one-letter token."""
    lower = word.lower()
    if len(lower) < 2 or lower in STOPWORDS:
        return None
    return term_key(_SUFFIX.sub(_stem, lower) if len(lower) > 5 else lower)


def _stem(match: re.Match[str]) -> str:
    """"rallied" -> "rally", "gathered" -> "gather", "shelling" -> "shell": inflections share a key."""
    return "y" if match.group(0) == "ied" else ""


def sentences(article: Article) -> list[Sentence]:
    """The article's sentences (ranges from ``sentence_bounds``) with their content keys."""
    text = article.text[:MAX_TEXT_CHARS]
    entity_spans = _entity_spans(article)
    found = []
    for start, end in sentence_bounds(text):
        surface: dict[str, str] = {}
        names = set()
        for match in _WORD.finditer(text, start, end):
            key = word_key(match.group(0))
            if key:
                surface.setdefault(key, match.group(0).lower())
                if match.group(0)[0].isupper() and text[start : match.start()].strip():
                    names.add(key)
        actors = {}
        for first, _, name, label in entity_spans:
            if start <= first < end:
                surface.setdefault("@" + name.lower(), name)
                if label in ACTOR_LABELS:
                    actors["@" + name.lower()] = label
        if surface:
            found.append(Sentence(start, end, frozenset(surface), surface, frozenset(names), not found, actors))
    return found


def _entity_spans(article: Article) -> list[tuple[int, int, str, str]]:
    layer = article.layers.get("entities")
    if not layer:
        return []
    return [(s.start, s.end, str(s.attrs.get("canonical") or s.text_in(article.text)), s.label) for s in layer.spans]


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Overlap coefficient: the share of the smaller key set found in the other."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def sentence_at(found: list[Sentence], offset: int) -> Sentence | None:
    return next((s for s in found if s.start <= offset < s.end), None)


def components(size: int, pairs: list[tuple[int, int]]) -> list[list[int]]:
    """Connected components (union-find) of items 0..size-1 linked by ``pairs``, each in item order."""
    parent = list(range(size))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in pairs:
        parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(size):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())
