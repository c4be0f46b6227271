"""Named entities with one canonical name per entity within a text.

spaCy's small model finds the mentions (``parse(text).ents``); rules on top of it give every
variant of one entity the same ``canonical`` name:

- titles are stripped from person names ("Secretary of State Antony Blinken" -> "Antony Blinken");
- surname-only and first-name mentions resolve to the full name found in the text;
- spelling and transliteration variants share a folding key ("Sergei"/"Sergey", "Kiev"/"Kyiv",
  "Lugansk"/"Luhansk", "Wetrow"/"Vetrov"); misspelt first names merge when the surnames agree;
- acronyms link to their expansion in the text ("NLF" -> "National Liberation Front");
- labels are repaired by agreement: all mentions of one canonical entity get the majority label,
  a canonical that is a person's full name makes every mention of it a PERSON, and a place context
  ("the city of X", "in X") makes a group GPE;
- the model's span slips are mended: a leading "the" and trailing lowercase words dropped, spans cut at
  commas, a name after a title inside an ORG span ("Kharniv Mayor Jane Doe") made a PERSON, "X region"
  taken whole, and further untagged occurrences of names already found added.

The canonical of a group is its most frequent written form among the longest (in words) forms,
ties going to the longer, then the earlier one.

User aliases: if the environment variable ``NEWSPRISM_ALIASES`` names a file, each line
``alias<TAB>canonical`` (UTF-8; blank lines and lines starting with ``#`` ignored) maps a written
form, compared case-insensitively, to its canonical name. Aliases win over every rule above.

Canonical names across the articles of a store: ``annotate/names.py``, on top of these rules.
"""

from __future__ import annotations

import bisect
import difflib
import os
import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from newsprism.annotate.gazetteer import MAJOR_POPULATION, is_known_place
from newsprism.annotate.nlp import parse
from newsprism.annotate.registry import component
from newsprism.extract.text import without_marks

if TYPE_CHECKING:
    from spacy.tokens import Token

VERSION = "0.4"  # 0.4: a "person" whose name ends in an organisation word ("Gordon Advisors") is an ORG
KEPT_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "FAC"})
PLACE_ONLY_LABELS = frozenset({"PRODUCT", "WORK_OF_ART"})  # kept only when the context says "city of X"
# Last words that make a name an organisation's, never a person's surname ("Bank", "Church", "Post" can be)
ORG_DESIGNATORS = frozenset({
    "advisors", "advisers", "associates", "partners", "inc", "llc", "ltd", "corp", "corporation", "holdings",
    "technologies", "industries", "consulting", "center", "centre", "hospital", "department", "ministry", "agency",
    "university", "college", "institute", "foundation", "club", "company", "group",
})
TITLE_WORDS = frozenset({
    "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "prof", "prof.", "sir", "dame", "president", "vice",
    "prime", "minister", "ministers", "secretary", "of", "state", "foreign", "defence", "defense", "interior",
    "finance", "deputy", "general", "gen.", "gen", "lt.", "col.", "colonel", "major", "sergeant", "captain",
    "admiral", "commander", "chief", "senator", "sen.", "rep.", "representative", "congressman", "congresswoman",
    "governor", "gov.", "mayor", "chancellor", "ambassador", "spokesman", "spokeswoman", "spokesperson", "judge",
    "justice", "king", "queen", "prince", "princess", "pope", "premier", "chairman", "chairwoman", "chair",
    "director", "head", "leader", "the", "former", "acting", "opposition", "presidential", "lawmaker", "mp", "envoy",
    "official", "analyst", "activist", "archbishop", "bishop", "rabbi", "imam", "father", "saint", "st."
})
# Titles that end a title phrase, for names hidden in a non-person span ("Kharniv Mayor Jane Doe").
TITLE_NOUNS = frozenset({
    "president", "minister", "secretary", "mayor", "governor", "chancellor", "senator", "ambassador", "spokesman",
    "spokeswoman", "spokesperson", "general", "colonel", "admiral", "commander", "judge", "premier", "chairman",
    "chairwoman", "director", "envoy"
})
ACRONYM_STOPWORDS = frozenset({"of", "the", "and", "for", "in", "on", "'s", "’s", "-", "&", "de", "du"})
PLACE_CONTEXT = re.compile(r"\b(?:city|town|village|capital|port|region|province|district) of\s+$", re.IGNORECASE)
PLACE_PREPOSITION = re.compile(r"\b(?:in|near|from|outside|around) $")
TRAILING_LOWER = re.compile(r"(?: [a-z]+)+$")
REGION_SUFFIX = re.compile(r" (?:region|province|oblast|district)\b")
CAPITALISED_WORD = re.compile(r"\b[^\W\d_a-z]\w*")  # "Kharniv" in "Kharniv's", "Nordic" in "Nordic-Atlantic"
ACRONYM = re.compile(r"[A-Z]{2,6}")
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
NOT_TITLES_ALONE = frozenset({"the", "of", "state"})  # title words that also come before places ("city of X")
PERSON_AFTER = re.compile(r",?\s+who\b")
SURE_PERSON_VOTES = 3  # the parser tags a name PERSON this often in one text: a place's name it is not
FIRST_NAME_SIMILARITY = 0.8
DOMINANT_SHARE = 0.6
MAX_FIRST_NAMES = 100  # per surname: compared pairwise, so hostile lists of namesakes stay cheap


@dataclass(frozen=True)
class Mention:
    """One entity mention: ``text == source[start:end]``; ``name`` is the title-free form."""

    start: int
    end: int
    text: str
    label: str
    name: str
    place: bool = False  # the words before say a place comes ("the village of X", "in X")
    repeat: bool = False  # found by string match, not by the model: no vote on the label

    @property
    def words(self) -> list[str]:
        return self.name.split()


@lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """Spelling-insensitive key: diacritics, case, y/i, ei/ey/ij/ie, kh/h, g/h, w/v, ck/k, doubled letters."""
    key = without_marks(name.lower())
    key = re.sub(r"[^\w ]|_", "", key)  # digits stay: the 79th and the 85th Academy Awards are two
    for old, new in (("ck", "k"), ("ph", "f"), ("kh", "h"), ("w", "v"), ("y", "i"), ("ej", "i"), ("ij", "i"),
                     ("ei", "i"), ("ie", "i")):
        key = key.replace(old, new)
    key = re.sub(r"\bg|(?<=[aeiou])g(?=[aeiou])", "h", key)
    return re.sub(r"(\w)\1+", r"\1", key)


def strip_title(name: str) -> str:
    """The name without leading titles or a possessive ending ("Foreign Minister X's" -> "X")."""
    words = re.sub(r"['’]s$", "", name).split()
    while len(words) > 1 and words[0].lower() in TITLE_WORDS:
        words = words[1:]
    return " ".join(words)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a leading "the", trailing lowercase words ("X association") and a possessive from a span."""
    span = text[start:end]
    if span[:4].lower() == "the " and len(span) > 4:
        start += 4
    tail = TRAILING_LOWER.search(text, start, end)
    if tail and tail.start() > start:
        end = tail.start()
    if text[end - 2:end] in ("'s", "’s") and end - 2 > start:
        end -= 2
    return start, end


def _person_inside(text: str, start: int, end: int) -> int | None:
    """Start of a name after a title inside a wrongly labelled span ("Kharniv Mayor Jane Doe" -> "Jane Doe")."""
    words = list(re.finditer(r"\S+", text[start:end]))
    titles = [k for k, w in enumerate(words[:-1]) if w.group().lower() in TITLE_NOUNS and w.group()[0].isupper()]
    if not titles or not 2 <= len(words) - titles[-1] - 1 <= 3:
        return None
    return start + words[titles[-1] + 1].start()


def _place_context(text: str, start: int, end: int) -> bool:
    """Whether the words before say a place comes: "the village of X" always, "in X" for one-word names."""
    before = text[max(0, start - 20):start]
    if PLACE_CONTEXT.search(before):
        return True
    return " " not in text[start:end] and PLACE_PREPOSITION.search(before) is not None


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span cut at commas: the model joins appositions ("Acme, John Doe") into one entity."""
    pieces, at = [], start
    for comma in re.finditer(", ", text[start:end]):
        pieces.append((at, start + comma.start()))
        at = start + comma.end()
    return [*pieces, (at, end)]


def find_mentions(text: str) -> list[Mention]:
    """spaCy's entities of the kept labels, trimmed, with "X region" spans and place-context labels."""
    mentions = []
    for ent in parse(text).ents:
        for piece_start, piece_end in _pieces(text, ent.start_char, ent.end_char):
            place = _place_context(text, piece_start, piece_end)
            label = "GPE" if place and ent.label_ in PLACE_ONLY_LABELS else ent.label_
            if label in KEPT_LABELS and piece_end > piece_start:
                mentions.append(replace(_mention(text, piece_start, piece_end, label), place=place))
    mentions = [m for m in mentions if m.name.lower() not in TITLE_WORDS]
    return mentions + _unlabelled_repeats(text, mentions)


def _mention(text: str, start: int, end: int, label: str) -> Mention:
    """One mention: trimmed, a person found inside a wrongly labelled span, "X region" taken whole."""
    start, end = _trim(text, start, end)
    inner = _person_inside(text, start, end) if label != "PERSON" else None
    if inner is not None:
        start, label = inner, "PERSON"
    suffix = REGION_SUFFIX.match(text, end)
    if suffix and label in ("GPE", "LOC"):
        end, label = suffix.end(), "LOC"
    span = text[start:end]
    if label == "PERSON" and span.split()[-1].lower().rstrip(".") in ORG_DESIGNATORS:
        label = "ORG"  # "Gordon Advisors", "Betty Ford Center": a name the parser took for a person's
    return Mention(start, end, span, label, strip_title(span) if label == "PERSON" else span)


def _unlabelled_repeats(text: str, mentions: list[Mention]) -> list[Mention]:
    """Further occurrences of names already found (and of persons' surnames) that the model left untagged.

    Names are indexed by their first word, so the scan stays linear in the text length.
    """
    labels = {m.name: m.label for m in mentions}
    labels.update({m.words[-1]: "PERSON" for m in mentions if m.label == "PERSON" and len(m.words) > 1})
    by_prefix: dict[str, list[str]] = {}
    for name in sorted(labels, key=len, reverse=True):
        prefix = CAPITALISED_WORD.match(name)
        if prefix and len(name) > 2:
            by_prefix.setdefault(prefix.group(), []).append(name)
    taken = sorted((m.start, m.end) for m in mentions)
    found = []
    for word in CAPITALISED_WORD.finditer(text):
        name = next((n for n in by_prefix.get(word.group(), ()) if _whole_word_at(text, n, word.start())), None)
        if name is None or _overlaps(taken, word.start(), word.start() + len(name)):
            continue
        found.append(Mention(word.start(), word.start() + len(name), name, labels[name], name, repeat=True))
    return found


def _whole_word_at(text: str, name: str, start: int) -> bool:
    end = start + len(name)
    return text.startswith(name, start) and not (end < len(text) and (text[end].isalnum() or text[end] == "_"))


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    k = bisect.bisect_right(taken, (start, end))
    return bool((k and taken[k - 1][1] > start) or (k < len(taken) and taken[k][0] < end))


class Groups:
    """Union-find over mention indices."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        self.parent[self.find(j)] = self.find(i)

    def members(self) -> dict[int, list[int]]:
        groups: dict[int, list[int]] = {}
        for i in range(len(self.parent)):
            groups.setdefault(self.find(i), []).append(i)
        return groups


def _is_acronym(name: str) -> bool:
    return ACRONYM.fullmatch(name) is not None


def _merge_same_key(mentions: list[Mention], groups: Groups) -> None:
    first: dict[str, int] = {}
    for i, mention in enumerate(mentions):
        key = mention.name if _is_acronym(mention.name) else fold(mention.name)
        groups.union(first.setdefault(key, i), i)


def similar_first_names(a: str, b: str) -> bool:
    """ "Anthony" / "Antony", "Sergei" / "Sergey", "Karolos" / "Carolos": one person's first name as spelled."""
    return difflib.SequenceMatcher(None, fold(a), fold(b)).ratio() >= FIRST_NAME_SIMILARITY


def _merge_full_names(mentions: list[Mention], groups: Groups) -> None:
    """Person full names with the same surname key and the same or close first names ("Anthony"/"Antony",
    "John Kerry"/"John F. Kerry")."""
    by_surname: dict[str, dict[str, int]] = {}
    for i, mention in enumerate(mentions):
        if mention.label == "PERSON" and len(mention.words) > 1:
            groups.union(by_surname.setdefault(fold(mention.words[-1]), {}).setdefault(fold(mention.words[0]), i), i)
    for firsts in by_surname.values():
        names = list(firsts.items())[:MAX_FIRST_NAMES]
        for n, (first, i) in enumerate(names):
            for other, j in names[n + 1:]:
                if similar_first_names(first, other):
                    groups.union(i, j)


def _short_keys(mention: Mention) -> list[str]:
    """Keys by which a one-word mention may refer to this longer one: surname, first name, "X" of "X region"."""
    words = mention.words
    if len(words) < 2:
        return []
    if mention.label == "PERSON":
        return [fold(words[-1]), fold(words[0])]
    if REGION_SUFFIX.fullmatch(" " + words[-1]) and len(words) == 2:
        return [fold(words[0])]
    return []


def _merge_short_forms(mentions: list[Mention], groups: Groups, weights: list[int] | None) -> None:
    """One-word mentions joined to the only longer entity they can abbreviate ("Blinken"), or with
    ``weights`` (a store's article counts) to the one that holds DOMINANT_SHARE of their weight: "Brennan"
    is the John Brennan of twenty articles, not the Ann Brennan of one."""
    weight_of: Counter[int] = Counter()
    for i, weight in enumerate(weights or ()):
        weight_of[groups.find(i)] += weight
    targets: dict[str, set[int]] = {}
    for i, mention in enumerate(mentions):
        for key in _short_keys(mention):
            targets.setdefault(key, set()).add(i)
    roots: dict[str, set[int]] = {}  # joining a short form to a root leaves the roots of the targets as they are
    for i, mention in enumerate(mentions):
        if len(mention.words) != 1 or _is_acronym(mention.name) or mention.place:
            continue  # "in Jordan" is a place, not some person's surname
        key = fold(mention.name)
        if key not in roots:
            roots[key] = {groups.find(j) for j in targets.get(key, ())}
        target = _only_or_dominant(roots[key], weight_of)
        if target is not None:
            groups.union(target, i)


def _only_or_dominant(roots: set[int], weight_of: Counter[int]) -> int | None:
    if len(roots) == 1:
        return next(iter(roots))
    total = sum(weight_of[root] for root in roots)
    best = max(roots, key=lambda root: (weight_of[root], -root), default=None)
    return best if best is not None and total and weight_of[best] >= DOMINANT_SHARE * total else None


def merge_variants(mentions: list[Mention], weights: list[int] | None = None) -> Groups:
    """Groups of mentions that name one entity: same folding key, close first names, short forms."""
    groups = Groups(len(mentions))
    _merge_same_key(mentions, groups)
    _merge_full_names(mentions, groups)
    _merge_short_forms(mentions, groups, weights)
    return groups


def initials(name: str) -> str:
    """Initials of the capitalised words ("Donetsk People's Republic" -> "DPR")."""
    words = re.split(r"[\s-]+", re.sub(r"['’]s\b", "", name))
    return "".join(w[0] for w in words if w and w[0].isupper())


def _expansion_in_text(text: str, tokens: list[Token], acronym: str) -> str | None:
    """The first run of capitalised tokens whose initials spell ``acronym`` (stopwords skipped)."""
    for i, token in enumerate(tokens):
        if token.text[0] != acronym[0] or token.text == acronym:
            continue
        letters, j = "", i
        while j < len(tokens) and len(letters) < len(acronym) and j - i < 3 * len(acronym):
            word = tokens[j].text
            if word[0].isupper():
                letters += word[0]
                if letters != acronym[: len(letters)]:
                    break
            elif word.lower() not in ACRONYM_STOPWORDS:
                break
            j += 1
        if letters == acronym and j - i > 1:
            return text[token.idx:tokens[j - 1].idx + len(tokens[j - 1].text)]
    return None


def _link_acronyms(text: str, mentions: list[Mention], groups: Groups) -> dict[int, str]:
    """Join acronyms to an expansion mention; return expansions found only in the raw text, by group root."""
    expansion: dict[str, int] = {}
    for i, mention in enumerate(mentions):
        if len(mention.words) > 1:
            expansion.setdefault(initials(mention.name), i)
    extra: dict[int, str] = {}
    searched: dict[str, str | None] = {}
    tokens: list[Token] = []
    for i, mention in enumerate(mentions):
        if not _is_acronym(mention.name):
            continue
        if mention.name in expansion:
            groups.union(expansion[mention.name], i)
            continue
        if mention.name not in searched:
            tokens = tokens or list(parse(text))
            searched[mention.name] = _expansion_in_text(text, tokens, mention.name)
        if searched[mention.name]:
            extra.setdefault(groups.find(i), searched[mention.name])
    return extra


def choose_canonical(names: list[str], weights: list[int] | None = None) -> str:
    """The most frequent of the longest forms (in words); ties to the longer, then the earlier.

    ``weights`` counts each name that many times (the store weighs names by their articles).
    """
    most_words = max(len(n.split()) for n in names)
    counts: Counter[str] = Counter()
    for name, weight in zip(names, weights or [1] * len(names), strict=True):
        if len(name.split()) == most_words:
            counts[name] += weight
    order = {n: k for k, n in reversed(list(enumerate(names)))}
    return max(counts, key=lambda n: (counts[n], len(n), -order[n]))


@lru_cache(maxsize=4)
def _read_aliases(path: str, mtime: float) -> dict[str, str]:
    aliases = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or "\t" not in line:
            continue
        alias, canonical = (part.strip() for part in line.split("\t", 1))
        if alias and canonical:
            aliases[alias.casefold()] = canonical
    return aliases


def load_aliases() -> dict[str, str]:
    """The user's aliases from ``$NEWSPRISM_ALIASES`` (casefolded alias -> canonical), or none."""
    path = os.environ.get("NEWSPRISM_ALIASES")
    if not path or not os.path.isfile(path):
        return {}
    return _read_aliases(path, os.path.getmtime(path))


def _alias_of(mention: Mention, aliases: dict[str, str]) -> str | None:
    return aliases.get(mention.text.casefold()) or aliases.get(mention.name.casefold())


def _canonicals(text: str, mentions: list[Mention]) -> list[str]:
    """Canonical name of each mention after all merge rules and the user's aliases."""
    groups = merge_variants(mentions)
    extra = _link_acronyms(text, mentions, groups)
    aliases = load_aliases()
    canonical = [""] * len(mentions)
    for root, members in groups.members().items():
        names = [mentions[i].name for i in members]
        name = choose_canonical(names + ([extra[root]] if root in extra else []))
        aliased = [a for a in (_alias_of(mentions[i], aliases) for i in members) if a]
        for i in members:
            canonical[i] = _alias_of(mentions[i], aliases) or (aliased[0] if aliased else name)
    return canonical


def _personal(text: str, mention: Mention) -> bool:
    """The words around say a person: a title inside the mention or just before it ("President Clinton",
    "Mr. Obama"), or a relative "who" after it ("Bush, who missed several games")."""
    before = re.search(r"(\S+)\s+$", text[max(0, mention.start - 20):mention.start])
    titled = before is not None and before.group(1).lower() in TITLE_WORDS - NOT_TITLES_ALONE
    return mention.text != mention.name or titled or PERSON_AFTER.match(text, mention.end) is not None


def _repair_labels(text: str, mentions: list[Mention], canonical: list[str]) -> list[Mention]:
    """Majority label per canonical (ties: the first mention's); a person's full name or title makes all
    PERSON; a place context ("the city of X") makes any other group GPE, and so does the gazetteer a
    group of persons' one-word untitled names that the parser tagged fewer than SURE_PERSON_VOTES times
    ("Kiev", never "Vincent Jackson" and "Jackson")."""
    votes: dict[str, Counter[str]] = {}
    first: dict[str, str] = {}
    for mention, name in zip(mentions, canonical, strict=True):
        votes.setdefault(name, Counter())[mention.label] += 0 if mention.repeat else 1
        if not mention.repeat:
            first.setdefault(name, mention.label)
    people = {name for m, name in zip(mentions, canonical, strict=True)
              if m.label == "PERSON" and (len(m.words) > 1 or _personal(text, m))}
    places = Counter(name for m, name in zip(mentions, canonical, strict=True) if m.place)
    label = {}
    for name, counter in votes.items():
        top = max(counter.values())
        label[name] = first[name] if name in first and counter[first[name]] == top else counter.most_common(1)[0][0]
        if name in people:
            label[name] = "PERSON"
        elif _place(places[name], label[name], counter) or _gazetteer_place(name, label[name], counter):
            label[name] = "GPE"
    return [replace(m, label=label[name]) for m, name in zip(mentions, canonical, strict=True)]


def _place(in_place_context: int, label: str, votes: Counter[str]) -> bool:
    """ "In X" makes X a place unless the parser calls it a person more than twice as often: not "a
    message from Obama" in an article that names Obama as a person eleven times."""
    return bool(in_place_context) and label not in PLACE_LABELS and votes["PERSON"] <= 2 * in_place_context


def _gazetteer_place(name: str, label: str, votes: Counter[str]) -> bool:
    return label == "PERSON" and votes["PERSON"] < SURE_PERSON_VOTES and is_known_place(name, MAJOR_POPULATION)


def find_entities(text: str) -> list[dict[str, object]]:
    """Entity spans of ``text`` in the interfaces.md schema, in text order."""
    return [dict(entity) for entity in _entities_of(text, _aliases_key())]


@lru_cache(maxsize=4)
def _entities_of(text: str, aliases_key: tuple[str, float] | None) -> tuple[dict[str, object], ...]:
    """Cached for the layers of one text: the quotes layer names its speakers by these canonicals."""
    if not text.strip():
        return ()
    mentions = sorted(find_mentions(text), key=lambda m: m.start)
    canonical = _canonicals(text, mentions)
    repaired = _repair_labels(text, mentions, canonical)
    return tuple({"start": m.start, "end": m.end, "text": m.text, "label": m.label, "canonical": name}
                 for m, name in zip(repaired, canonical, strict=True))


def _aliases_key() -> tuple[str, float] | None:
    path = os.environ.get("NEWSPRISM_ALIASES")
    return (path, os.path.getmtime(path)) if path and os.path.isfile(path) else None


def canonical_name(text: str, name: str) -> str:
    """The entities layer's canonical for a name written in ``text`` ("Galenko" -> "Dmytro Halenko"),
    matched by spelling key; the name itself when the layer has none."""
    key = fold(strip_title(name))
    for entity in _entities_of(text, _aliases_key()):
        if fold(strip_title(str(entity["text"]))) == key:
            return str(entity["canonical"])
    return name


@component("entities", version=VERSION)
def entities(text: str, dct: str | None = None) -> list[dict[str, object]]:
    return find_entities(text)
