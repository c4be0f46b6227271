"""The same quote across outlets: identical, cut short, paraphrased, or given to another speaker.

Quotes are compared by their words (normalised, lower-cased): one contained in another is a cut,
a close word sequence (difflib ratio) is a paraphrase. Linked quotes form a group whose fullest
version is the reference; a group whose articles name different speakers is a misattribution.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import combinations, pairwise

from newsprism.annotate.entities import fold, similar_first_names
from newsprism.annotate.speakers import GROUP, ORG_NOUNS, PERSON, strip_name
from newsprism.compare.result import QuoteGroup, QuoteVariant, Voice, evidence, outlet_of
from newsprism.compare.text import components
from newsprism.extract.text import normalise, words
from newsprism.model import Article

MIN_QUOTE_WORDS = 3  # shorter quotes are too common to link on their words alone
MIN_FRAGMENT_WORDS = 2  # a two-word fragment still counts when the same speaker says it in full elsewhere
PARAPHRASE_RATIO = 0.6
MAX_QUOTE_WORDS = 400
MAX_POSTING = 200  # a word pair in more quotes than this ("of the") finds no candidates
# An opening mark to its closing mark, or to the end of the span (spans may stop before the closing mark).
_QUOTED = re.compile(r'[“«„"]([^“”«»„"]{1,2000})(?:[”»“"]|$)')


@dataclass
class Quote:
    article: Article
    start: int
    end: int
    speaker_name: str | None
    words: tuple[str, ...]
    speaker_kind: str | None = None  # person, organisation, government, group (quotes layer 0.3 and later)
    named: bool = True  # the attribution writes the speaker's name ("Kelly said"), not "he said" resolved to it

    @property
    def joined(self) -> str:
        return " " + " ".join(self.words) + " "


def story_quotes(articles: list[Article]) -> list[Quote]:
    """Every quoted passage of the story's quotes layers: the words inside quote marks when a span
    has them (a reported sentence quoting a fragment: only the fragment is the speaker's wording),
    else the whole span."""
    found = []
    for article in articles:
        layer = article.layers.get("quotes")
        for span in layer.spans if layer else []:
            for start, end in quoted_parts(article.text, span.start, span.end):
                tokens = tuple(words(normalise(article.text[start:end])))[:MAX_QUOTE_WORDS]
                if len(tokens) >= MIN_FRAGMENT_WORDS:
                    found.append(Quote(article, start, end, span.attrs.get("speaker_name") or None, tokens,
                                       span.attrs.get("speaker_kind") or None, _named_there(span.attrs)))
    return found


def _named_there(attrs: dict) -> bool:
    """The speaker's name is written in the attribution ("Commissioner Raymond Kelly said"), not found for a
    pronoun or a noun ("he said", "the judge said"). Layers without the speaker's mention are taken at their word."""
    mention, name = attrs.get("speaker"), attrs.get("speaker_name")
    if not isinstance(mention, dict) or not name:
        return True
    return _fold(str(name).split()[-1]) in _fold(str(mention.get("text") or ""))


def _fold(text: str) -> str:
    return re.sub(r"[\W\d_]", "", text.casefold())


def quoted_parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The (start, end) of each passage between quote marks inside the span, or the span itself."""
    parts = [(m.start(1), m.end(1)) for m in _QUOTED.finditer(text, start, end) if m.group(1).strip()]
    return parts or [(start, end)]


def relation(part: Quote, full: Quote) -> str | None:
    """How ``part`` renders ``full``: identical, cut (contained), paraphrased, or None (another quote)."""
    if part.words == full.words:
        return "identical"
    if part.joined in full.joined:
        return "cut"
    if full.joined in part.joined:
        return None
    return "paraphrased" if _similar(part, full) else None


def _similar(a: Quote, b: Quote) -> bool:
    matcher = SequenceMatcher(None, a.words, b.words, autojunk=False)
    return matcher.quick_ratio() >= PARAPHRASE_RATIO and matcher.ratio() >= PARAPHRASE_RATIO


def _linked(a: Quote, b: Quote) -> bool:
    """Same quote: one contains the other, or they are close; a fragment shorter than
    MIN_QUOTE_WORDS ("inventing preconditions") only by containment under the same speaker."""
    contained = a.joined in b.joined or b.joined in a.joined
    if min(len(a.words), len(b.words)) < MIN_QUOTE_WORDS:
        return contained and same_speaker(a.speaker_name or "", b.speaker_name or "")
    return contained or _similar(a, b)


def candidate_pairs(quotes: list[Quote]) -> list[tuple[int, int]]:
    """Pairs of quotes from different articles sharing a word pair, found through an inverted index:
    a story with thousands of quotes is not compared all against all."""
    postings: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, quote in enumerate(quotes):
        for pair in set(pairwise(quote.words)):
            postings[pair].append(i)
    pairs = set()
    for members in postings.values():
        if len(members) <= MAX_POSTING:
            pairs.update((i, j) for i in members for j in members if i < j)
    return sorted((i, j) for i, j in pairs if quotes[i].article.id != quotes[j].article.id)


def quote_groups(articles: list[Article]) -> list[QuoteGroup]:
    """Quotes that appear in more than one article, each group with its variants."""
    quotes = story_quotes(articles)
    pairs = [(i, j) for i, j in candidate_pairs(quotes) if _linked(quotes[i], quotes[j])]
    members = [[quotes[i] for i in group] for group in components(len(quotes), pairs)]
    people = persons(articles)
    groups = [_group(g, people) for g in members if len({q.article.id for q in g}) > 1]
    return sorted(groups, key=lambda g: (g.speaker_name or "", g.full.text))


def persons(articles: list[Article]) -> set[str]:
    """Canonical names the entities layers call PERSON."""
    return entity_names(articles, {"PERSON"})


def entity_names(articles: list[Article], labels: set[str] | None = None) -> set[str]:
    """Canonical names of the articles' entities (of these labels, or all)."""
    return {
        str(span.attrs.get("canonical") or span.text_in(a.text))
        for a in articles
        for span in (a.layers["entities"].spans if "entities" in a.layers else [])
        if labels is None or span.label in labels
    }


def _group(quotes: list[Quote], people: set[str]) -> QuoteGroup:
    """The group's reference is the version most others repeat or cut from, then the longest.

    A misattribution is two different people credited with the quote by name ("Kelly said", not "he
    said" resolved to someone); a person and an institution ("the ministry" and its spokeswoman, a paper
    and its editor) are usually one voice, not flagged.
    """
    full = max(
        quotes, key=lambda q: (sum(relation(o, q) in ("identical", "cut") for o in quotes), len(q.words), q.article.id)
    )
    variants = [
        QuoteVariant(relation(q, full) or "paraphrased", q.speaker_name, evidence(q.article, q.start, q.end))
        for q in sorted(quotes, key=lambda q: (outlet_of(q.article), q.article.id, q.start))
    ]
    speakers = Counter(q.speaker_name for q in quotes if q.speaker_name)
    speaker = max(speakers, key=lambda s: (speakers[s], s)) if speakers else None
    return QuoteGroup(speaker, evidence(full.article, full.start, full.end), variants, _misattributed(quotes, people))


def _misattributed(quotes: list[Quote], people: set[str]) -> bool:
    """Two outlets credit the same words (one quote repeating the other or cut from it, not a paraphrase that
    two people may both have said, nor two quotes chained through a third) to two people they name. An
    article that credits the words to two people itself tells nothing of who said them."""
    credited = [q for q in quotes if q.speaker_name in people and q.named]
    names: dict[str, set[str]] = defaultdict(set)
    for quote in credited:
        names[quote.article.id].add(quote.speaker_name or "")
    sure = [q for q in credited if all(same_speaker(a, b) for a, b in combinations(names[q.article.id], 2))]
    return any(a.article.id != b.article.id and not same_speaker(a.speaker_name or "", b.speaker_name or "")
               and _same_words(a, b) for a, b in combinations(sure, 2))


def _same_words(a: Quote, b: Quote) -> bool:
    return relation(a, b) in ("identical", "cut") or relation(b, a) == "cut"


def same_speaker(a: str, b: str) -> bool:
    """"Ministry" and "Zarovian Defence Ministry" name one speaker: the words of one are in the other. So do
    one person's names as outlets spell them ("Vincent DelGiudice" / "Vincent Del Giudice", "Sergei Lavrov"
    / "Sergey Lavrov"), by the entities layer's rule for a surname and its first names."""
    first, second = words(a), words(b)
    if not first or not second:
        return False
    if set(first) <= set(second) or set(second) <= set(first) or "".join(first) == "".join(second):
        return True
    return _one_person(first, second)


def _one_person(first: list[str], second: list[str]) -> bool:
    """Two full names of one surname and close first names, or one the short form of the other ("Ray Kelly" /
    "Raymond Kelly"): a misattribution is not to be called on a spelling ("Mary Gomes" and "John Gomes" are
    two people)."""
    if len(first) < 2 or len(second) < 2 or fold(first[-1]) != fold(second[-1]):
        return False
    shorter, longer = sorted((first[0], second[0]), key=len)
    return similar_first_names(shorter, longer) or (len(shorter) >= MIN_SHORT_FORM and longer.startswith(shorter))


MIN_SHORT_FORM = 3  # "Ray" of "Raymond", "Stan" of "Stanley"


# Nouns for a body of people that take no plural "s": "police said" names a group as "officials" does.
_COLLECTIVES = frozenset(("police", "staff", "crew", "jury", "family", "leadership", "people", "public", "military"))
_GROUP_TAIL = re.compile(r"\s(?:of|to|at|for|in|from|with|close)\s.*")


def _clear_voice(name: str) -> bool:
    """A name ("Ilse Varga", "Navy spokesman", "Palmer officials") or a group of people ("police",
    "witnesses", "fire crews"): one unnamed person or thing ("a man", "the spokesman", "the company") is
    nobody a reader can tell from another."""
    if any(char.isupper() for char in name):
        return True
    head = _GROUP_TAIL.sub("", name).split()[-1].lower()
    return head in _COLLECTIVES or (head.endswith("s") and not head.endswith("ss"))


def _group_word(name: str) -> str:
    """ "Police" opening a sentence is the "police" of another: one voice."""
    return name.lower() if " " not in name and name[1:].islower() and _clear_voice(name.lower()) else name


def voices(articles: list[Article]) -> list[Voice]:
    """Every named speaker, with the outlets quoting them; ``only_some`` when not all outlets do.

    A speaker counts as a voice when the quotes layer gives it a kind (a person, an organisation, a
    government or a clear group such as "police"). Layers older than speaker kinds are checked
    against the entities layers' names instead, so that a pronoun, a relative word or a common noun
    ("which", "leadership") is no voice; without any entities layer, every speaker counts.
    """
    outlets = {outlet_of(a) for a in articles}
    named = entity_names(articles) if any("entities" in a.layers for a in articles) else None
    by_speaker: dict[str, dict[str, Quote]] = defaultdict(dict)
    written: dict[str, Counter[str]] = defaultdict(Counter)  # the forms of each voice's name
    people = persons(articles)
    person_keys: set[str] = set()
    for quote in story_quotes(articles):
        name = quote.speaker_name
        if name and quote.speaker_kind == PERSON:
            name = _person_name(name, people)
        if name and (quote.speaker_kind or named is None or name in named) and _clear_voice(name):
            group = quote.speaker_kind == GROUP
            key = _group_word(name) if group else _known_as(_person_key(name), person_keys)
            person_keys.update([] if group else [key])
            by_speaker[key].setdefault(outlet_of(quote.article), quote)
            written[key][key if group else name] += 1
    return [
        Voice(
            max(written[key], key=lambda form: (written[key][form], len(form), form)),
            sorted(quoted),
            len(quoted) < len(outlets),
            [evidence(q.article, q.start, q.end) for _, q in sorted(quoted.items())],
            next((q.speaker_kind for q in quoted.values() if q.speaker_kind), None),
        )
        for key, quoted in sorted(by_speaker.items(), key=lambda item: (-len(item[1]), item[0]))
    ]


def _person_name(name: str, people: set[str]) -> str | None:
    """The person without the titles in front ("Sheriff Robert J Pickell" is "Robert J Pickell"); a title alone
    ("Lt") is nobody, but a name the entities layer knows whose last word is a title word ("Janice Leader") and
    a body the layer took for a person ("Defence Ministry") stay as written."""
    if name.split()[-1].lower() in ORG_NOUNS:
        return name
    return strip_name(name) or (name if name in people and " " in name else None)


def _known_as(key: str, known: set[str]) -> str:
    """The key of a person already heard under another spelling of the full name ("Heidar Alishvandi" /
    "Heydar Alishvandi", "Vincent DelGiudice" / "Vincent Del Giudice"); a surname alone stays apart."""
    if key in known or " " not in key:
        return key
    return next((other for other in sorted(known) if " " in other and same_speaker(other, key)), key)


def _person_key(name: str) -> str:
    """One key for the forms of one person's name: "Robert J. Pickell", "Robert J Pickell" and "Robert
    Pickell" are one voice (first and last name, initials aside); a surname alone stays apart, since it
    may be any of a family."""
    parts = [word for word in name.replace(".", " ").split() if len(word) > 1]
    return f"{parts[0]} {parts[-1]}" if len(parts) > 1 else name
