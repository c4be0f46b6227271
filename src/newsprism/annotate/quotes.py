"""Quotes with their cue, speaker mention and resolved speaker, from the shared spaCy parse.

Direct quotes come from a linear scan for paired quotation marks (also the ''X'' of some newspapers);
indirect ones from the clausal complement of a reporting verb ("X said (that) CLAUSE", "CLAUSE, X said",
"The risk, X said, is ...", "according to X, CLAUSE", "CLAUSE, according to X") or, without a clause,
from its object ("announced a new program", "promised to veto it"); an indirect clause holding a quoted
fragment is a mixed quote. A cueless quote opening the paragraph after an attributed one continues it.
The speaker is the subject of the cue (the agent of a passive, none for a passive without one, the
object of "according to"), resolved to a name: pronouns to the previous speaker or the
nearest person, bare titles ("the spokeswoman") to the last person introduced with that title,
surnames to the full name given earlier, organisations kept as organisations.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from newsprism.annotate.entities import canonical_name, strip_title
from newsprism.annotate.nlp import parse
from newsprism.annotate.registry import component

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

VERSION = "0.2"
MAX_QUOTE_CHARS = 3000  # an opening mark left unclosed for longer than this is a stray mark
MIN_UNCUED_WORDS = 4  # shorter quoted strings without a cue are scare quotes, not quotes
MAX_CLAUSE_TOKENS = 200  # longer "clauses" are parser failures on run-on or hostile text
CONTINUATION_CHARS = 200  # a cueless quote this close after an attributed one continues it
NOUN_BEFORE_TOKENS = 8  # how far before a subjectless cue its speaker may stand
SUBJECT_HOPS = 3  # how far up the tree a participle cue looks for the subject it shares
WINDOW_TOKENS = 60  # how far from a quote its cue may be, in tokens, within its sentences
_BIG = 1 << 62  # sorts after any offset in a (start, end) bisection key

CUE_LEMMAS = frozenset({
    "say", "add", "tell", "stress", "claim", "note", "warn", "insist", "announce", "write", "ask", "reply",
    "state", "explain", "declare", "argue", "accuse", "call", "chant", "confirm", "deny", "admit", "describe",
    "suggest", "urge", "vow", "promise", "report", "acknowledge", "emphasise", "emphasize", "assert",
    "comment", "respond", "remark", "tweet", "predict", "recall", "allege", "complain", "concede", "contend",
    "estimate", "maintain", "reiterate", "shout", "testify", "threaten", "demand", "quip", "observe",
    "conclude", "continue", "answer", "post", "brand", "dismiss",
})
# Closing marks accepted for each opening mark. Straight and curly double marks close each other (texts
# mix them); two apostrophes or backticks are the double mark of some newspapers' typesetting (''X'').
PAIRS = {'"': ('"', "”"), "“": ("”", '"'), "„": ("“", "”"), "«": ("»",), "‹": ("›",), "‘": ("’",),
         "‚": ("‘", "’"), "''": ("''",), "``": ("''",)}
PRONOUN_GENDER = {"he": "m", "him": "m", "she": "f", "her": "f", "they": "", "them": ""}
TITLE_GENDER = {"spokeswoman": "f", "chairwoman": "f", "mrs": "f", "ms": "f", "mother": "f", "woman": "f",
                "spokesman": "m", "chairman": "m", "mr": "m", "father": "m", "man": "m"}
TITLES = frozenset({
    "spokeswoman", "spokesman", "spokesperson", "minister", "president", "mayor", "governor", "commander",
    "director", "chief", "head", "official", "secretary", "chairman", "chairwoman", "ambassador", "editor",
    "keeper", "general", "prosecutor", "lawyer", "adviser", "advisor", "envoy", "leader", "organiser",
    "organizer", "executive", "premier", "chancellor", "senator", "judge", "captain", "colonel", "manager",
    "supervisor", "witness", "resident", "doctor", "analyst", "researcher", "professor", "engineer", "ceo",
    "deputy", "foreign", "defence", "defense", "energy", "prime", "vice", "mr", "mrs", "ms", "dr",
})
ORG_NOUNS = frozenset({
    "ministry", "committee", "directorate", "company", "government", "army", "police", "office", "agency",
    "service", "association", "group", "council", "court", "embassy", "kremlin", "department", "administration",
    "military", "command", "commission", "operator", "firm", "union", "party", "front", "parliament", "cabinet",
    "bank", "authority", "authorities", "statement", "organisation", "organization", "newspaper", "paper",
})
ORG_LABELS = frozenset({"ORG", "GPE", "NORP", "FAC", "LOC"})


@dataclass
class Quote:
    """One quote: ``start``/``end`` index the text; cue and speaker are token-aligned spans."""

    start: int
    end: int
    kind: str
    cue: tuple[int, int] | None = None
    speaker: tuple[int, int] | None = None
    speaker_name: str | None = None
    person: bool = False

    def to_dict(self, text: str) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": text[self.start:self.end], "kind": self.kind,
                "cue": _span_dict(text, self.cue), "speaker": _span_dict(text, self.speaker),
                "speaker_name": self.speaker_name}


@dataclass
class Mentions:
    """What resolution looks back on: persons in text order, full names by surname, titles, genders."""

    persons: list[tuple[int, str]] = field(default_factory=list)
    full_names: dict[str, str] = field(default_factory=dict)
    titled: list[tuple[int, str, str]] = field(default_factory=list)
    genders: dict[str, str] = field(default_factory=dict)
    orgs: list[tuple[int, str]] = field(default_factory=list)


def _text(doc: Doc) -> str:
    """The Doc's text, kept once: ``Doc.text`` joins every token on each access."""
    if "newsprism.text" not in doc.user_data:
        doc.user_data["newsprism.text"] = doc.text
    return doc.user_data["newsprism.text"]


def _span_dict(text: str, span: tuple[int, int] | None) -> dict[str, Any] | None:
    if span is None:
        return None
    return {"start": span[0], "end": span[1], "text": text[span[0]:span[1]]}


# --- quotation marks -------------------------------------------------------------------------------

def _is_apostrophe(text: str, i: int) -> bool:
    """A ’ between letters (it’s) or a ‘ after a letter is an apostrophe, not a quotation mark."""
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isalnum() and after.isalnum()) or (text[i] == "‘" and before.isalnum())


def _mark_at(text: str, i: int) -> str:
    """The quotation mark starting at ``i`` ('' and `` are one two-character mark), else the character."""
    two = text[i:i + 2]
    return two if two in ("''", "``") else text[i]


def _opens(text: str, i: int, mark: str) -> bool:
    if mark in "‘‚":
        return not _is_apostrophe(text, i) and (i == 0 or not text[i - 1].isalnum())
    return mark in PAIRS


def _closes(text: str, i: int, mark: str, opener: str) -> bool:
    if mark not in PAIRS[opener]:
        return False
    return not (mark == "’" and _is_apostrophe(text, i))


def quoted_regions(text: str) -> list[tuple[int, int]]:
    """(start, end) of the text inside each pair of quotation marks, outermost pairs only; linear time.

    A paragraph break or MAX_QUOTE_CHARS without a closing mark drops the opening mark.
    """
    regions = []
    opener, open_at, i = "", -1, 0
    while i < len(text):
        mark = _mark_at(text, i)
        if opener and (i - open_at > MAX_QUOTE_CHARS or text.startswith("\n\n", i)):
            opener = ""  # no rescan from the dropped mark: the scan stays linear
        if opener and _closes(text, i, mark, opener):
            regions.append((open_at + len(opener), i))
            opener = ""
        elif not opener and _opens(text, i, mark):
            opener, open_at = mark, i
        i += len(mark)
    trimmed = (_trim(text, s, e) for s, e in regions)
    return [(s, e) for s, e in trimmed if s < e]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop surrounding spaces and a trailing comma: '“We will,” she said' quotes 'We will'."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return start, end


# --- cues and speakers ----------------------------------------------------------------------------

def _inside(i: int, regions: list[tuple[int, int]]) -> bool:
    """Is offset ``i`` within a quote or on its marks? Regions are disjoint and sorted: one bisection."""
    k = bisect.bisect_right(regions, (i + 1, _BIG)) - 1
    return k >= 0 and i < regions[k][1] + 1


def _in_quote(i: int, regions: list[tuple[int, int]]) -> bool:
    """Is offset ``i`` inside a quote's text (a name mentioned by the speaker is not a mention)?"""
    k = bisect.bisect_right(regions, (i, _BIG)) - 1
    return k >= 0 and i < regions[k][1]


def _overlapping(regions: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The quoted regions that overlap [start, end) (marks included)."""
    k = max(0, bisect.bisect_right(regions, (start, _BIG)) - 1)
    found = []
    while k < len(regions) and regions[k][0] - 1 < end:
        if regions[k][1] + 1 > start:
            found.append(regions[k])
        k += 1
    return found


def _is_cue(token: Token) -> bool:
    if token.lemma_.lower() == "accord" and token.lower_ == "according":
        return any(child.lower_ == "to" for child in token.children)
    if token.i > 0 and token.nbor(-1).text == "-":
        return False  # "so-called"
    return token.lemma_.lower() in CUE_LEMMAS and token.pos_ in ("VERB", "AUX")


def _cue_span(token: Token) -> tuple[int, int]:
    if token.lower_ == "according":
        to = next(child for child in token.children if child.lower_ == "to")
        return token.idx, to.idx + len(to)
    return token.idx, token.idx + len(token)


def _subject(cue: Token) -> Token | None:
    """The speaker head: nsubj of the cue, the agent of a passive ('reported by X'; a passive without
    one has no speaker), pobj of 'according to', or the subject of the verb a participle cue hangs on
    ('..., saying ...', 'In asking ..., X noted')."""
    if cue.lower_ == "according":
        to = next(child for child in cue.children if child.lower_ == "to")
        return next((c for c in to.children if c.dep_ == "pobj"), None)
    for child in cue.children:
        if child.dep_ == "nsubj":
            return child
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
        if child.dep_ == "nsubjpass":
            return None
    token = cue
    for _ in range(SUBJECT_HOPS):
        if token.dep_ not in ("advcl", "xcomp", "conj", "pcomp", "prep") or token.head.i == token.i:
            return None
        token = token.head
        subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
        if subject is not None:
            return subject
    return None


def _speaker_extent(head: Token, regions: list[tuple[int, int]]) -> tuple[int, int]:
    """The subject's noun phrase (with titles and appositions) unless it runs into a quote or clause."""
    if head.right_edge.i - head.left_edge.i > MAX_CLAUSE_TOKENS:
        return head.idx, head.idx + len(head)
    tokens = [t for t in head.subtree if t.dep_ not in ("relcl", "punct") or head.left_edge.i < t.i < head.i]
    if not tokens:  # a misparse makes the head a lone "punct" (a symbol tagged as a noun): the head alone
        return head.idx, head.idx + len(head)
    start = min(t.idx for t in tokens)
    end = max(t.idx + len(t) for t in tokens)
    if any(s < end and start < e for s, e in regions) or end - start > 120:
        return head.idx, head.idx + len(head)
    text = _text(head.doc)
    while end > start and text[end - 1] in ",;: ":
        end -= 1
    return start, end


# --- name resolution ------------------------------------------------------------------------------

def _name_run(token: Token) -> str | None:
    """The proper-noun name ending at ``token`` ('Ana Petrescu'), without the title words before it."""
    if token.pos_ != "PROPN":
        return None
    start = token.i
    while start > max(0, token.i - 3) and token.doc[start - 1].pos_ == "PROPN" and not _is_title(token.doc[start - 1]):
        start -= 1
    return _strip_name(strip_title(token.doc[start:token.i + 1].text))


def _is_title(token: Token) -> bool:
    return token.lower_.rstrip(".") in TITLES or token.lower_ in TITLE_GENDER


def _strip_name(name: str) -> str | None:
    """A person's name without a possessive or the titles in front ('Zargaz CEO Viktor Lanskoy')."""
    words = name.removesuffix("'s").removesuffix("’s").split()
    titles = [i for i, word in enumerate(words) if word.lower().rstrip(".") in TITLES]
    return " ".join(words[titles[-1] + 1:] if titles else words) or None


def _entity_of(token: Token) -> Span | None:
    """The entity holding ``token``, found from its IOB tags (no scan over all entities)."""
    if not token.ent_type_:
        return None
    doc, start, end = token.doc, token.i, token.i + 1
    while doc[start].ent_iob_ == "I" and start > 0:
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    from spacy.tokens import Span as LabelledSpan  # spaCy is imported when a text is parsed, not with this module

    return LabelledSpan(doc, start, end, label=token.ent_type_)  # a plain doc[start:end] slice has no label


def collect_mentions(doc: Doc, sents: list[int], regions: list[tuple[int, int]]) -> Mentions:
    """Every PERSON mention with its title words and gender cues, and every organisation mention."""
    mentions = Mentions()
    for ent in doc.ents:
        name = (_name_run(ent[-1]) if ent.label_ == "PERSON" else None) or _strip_name(ent.text) or ""
        if ent.label_ == "PERSON" and name and not _in_quote(ent.start_char, regions):
            mentions.persons.append((ent.start_char, _full_name(mentions, name)))
            if len(name.split()) > 1:
                mentions.full_names.setdefault(name.split()[-1], name)
            _note_titles(mentions, ent, _sentence(sents, len(doc), ent.start), _full_name(mentions, name))
        elif ent.label_ in ORG_LABELS:
            mentions.orgs.append((ent.start_char, _bare(ent.text)))
    return mentions


def _note_titles(mentions: Mentions, ent: Span, sent: tuple[int, int], name: str) -> None:
    """Titles near a name, for 'the spokeswoman' later; gendered ones only right next to it."""
    doc = ent.doc
    window = [*doc[max(sent[0], ent.start - 6):ent.start], *doc[ent.end:min(sent[1], ent.end + 6)]]
    beside = {t.i for t in doc[max(sent[0], ent.start - 2):ent.start]}
    if ent.end < sent[1] and doc[ent.end].text == ",":
        beside |= set(range(ent.end + 1, min(sent[1], ent.end + 4)))
    for token in window:
        word = token.lower_.rstrip(".")
        if word in TITLES or word in TITLE_GENDER:
            mentions.titled.append((ent.start_char, word, name))
        if word in TITLE_GENDER and token.i in beside:
            mentions.genders.setdefault(name, TITLE_GENDER[word])


def _bare(name: str) -> str:
    """An organisation's name without the article: 'the Kremlin' -> 'Kremlin'."""
    return name[4:] if name[:4].lower() == "the " else name


def _full_name(mentions: Mentions, name: str) -> str:
    return mentions.full_names.get(name, name) if " " not in name else name


def _before(items: list[tuple[int, str]], offset: int) -> Iterator[str]:
    """Names mentioned before ``offset``, nearest first."""
    k = bisect.bisect_left(items, (offset, ""))
    for _, name in reversed(items[max(0, k - 50):k]):
        yield name


PARAGRAPH_OPENING_CHARS = 25


def _guess_gender(name: str) -> str:
    """A weak prior for names never seen with a title or pronoun: a first name in -a is usually a woman's."""
    words = name.split()
    return ("f" if words[0].endswith("a") else "m") if len(words) > 1 else ""


def _recent_speaker(previous: Quote | None, at: int, text: str) -> bool:
    """The previous quote's speaker comes before any other person mentioned in between when it spoke in
    this paragraph, or in the one before and the pronoun opens this one ("According to him, ...")."""
    if previous is None or not previous.person or not previous.speaker_name or previous.speaker is None:
        return False
    between = text[previous.speaker[0]:at]
    breaks = between.count("\n\n")
    return breaks == 0 or (breaks == 1 and len(between) - between.rfind("\n\n") <= PARAGRAPH_OPENING_CHARS)


def _resolve_pronoun(word: str, at: int, text: str, mentions: Mentions, previous: Quote | None) -> str | None:
    gender = PRONOUN_GENDER[word]
    first = [previous.speaker_name] if _recent_speaker(previous, at, text) else []
    others = (name for name in _before(mentions.persons, at) if " " in name)  # one-word "persons" are often places
    for name in [*first, *others]:
        if not gender or mentions.genders.get(name, _guess_gender(name) or gender) == gender:
            if gender:
                mentions.genders.setdefault(name, gender)
            return name
    return None


def _resolve_title(head: Token, mentions: Mentions) -> str | None:
    word = head.lower_
    return next((name for at, title, name in reversed(mentions.titled) if title == word and at < head.idx), None)


def _resolve_org(head: Token, mentions: Mentions) -> str | None:
    """'the ministry' -> the last organisation named with that word; an acronym -> its expansion."""
    word = head.lower_
    for name in _before(mentions.orgs, head.idx):
        words = name.split()
        if word in (w.lower() for w in words):
            return name
        if head.text.isupper() and len(head) > 1 and "".join(w[0] for w in words if w[0].isupper()) == head.text:
            return name
    return None


def resolve_speaker(head: Token, mentions: Mentions, previous: Quote | None) -> tuple[str | None, bool]:
    """(speaker name, is it a person) for the speaker head token."""
    word = head.lower_
    if word in PRONOUN_GENDER:
        return _resolve_pronoun(word, head.idx, _text(head.doc), mentions, previous), True
    person = _person_in(head)
    if person:
        return _full_name(mentions, person), True
    entity = _entity_of(head)
    if head.text.isupper() and len(head) > 1:
        return _resolve_org(head, mentions) or head.text, False
    if head.pos_ == "PROPN":
        name = _name_run(head) or head.text
        org = entity is not None and entity.label_ in ORG_LABELS and not _after_title(head, name)
        if name in mentions.full_names or (" " in name and not org):
            return _full_name(mentions, name), True
        if entity and entity.label_ in ORG_LABELS:
            if len(entity) > 1:
                return _bare(entity.text), False
            if any(t.dep_ in ("compound", "amod") and t.text[:1].isupper() for t in head.lefts):
                return _noun_phrase(head), False
            return _resolve_org(head, mentions) or _bare(entity.text), False
        return _full_name(mentions, name), True
    if word in TITLES or word in TITLE_GENDER:
        return _resolve_title(head, mentions), True
    if word in ORG_NOUNS:
        if any(t.text[:1].isupper() for t in head.lefts if t.dep_ in ("amod", "compound") and t.i > 0):
            return _noun_phrase(head), False
        return _resolve_org(head, mentions) or _noun_phrase(head), False
    return _noun_phrase(head), False


def _after_title(head: Token, name: str) -> bool:
    """A title word just before the name: "Kharniv Mayor Jane Doe" is a person inside an ORG entity."""
    before = head.i - len(name.split())
    return before >= 0 and _is_title(head.doc[before])


def _person_in(head: Token) -> str | None:
    """A name attached to the head: 'the spokeswoman, Ana Petrescu' or 'Ana Petrescu, the head of X'."""
    entity = _entity_of(head)
    if entity is not None and entity.label_ == "PERSON":
        return _strip_name(entity.text)
    for child in head.children:
        if child.dep_ == "appos" and child.pos_ == "PROPN":
            return _name_run(child)
    subtree = head.doc[head.left_edge.i:head.right_edge.i + 1] if head.right_edge.i - head.left_edge.i < 40 else []
    persons = [t for t in subtree if t.ent_type_ == "PERSON" and t.ent_iob_ == "B"]
    if persons and head.pos_ != "PROPN":
        return _strip_name(_entity_of(persons[0]).text)  # type: ignore[union-attr]
    return None


def _noun_phrase(head: Token) -> str:
    tokens = [t for t in head.lefts if t.dep_ in ("compound", "amod")] + [head]
    return head.doc[tokens[0].i:head.i + 1].text


# --- assembling quotes ----------------------------------------------------------------------------

def _sentence(sents: list[int], n_tokens: int, i: int) -> tuple[int, int]:
    """(start, end) token indices of the sentence holding token ``i``; ``sents`` are the sentence starts.

    Token.sent walks the sentence on every call, quadratic on a long run-on text; a bisection is not.
    """
    k = bisect.bisect_right(sents, i) - 1
    return sents[k] if k >= 0 else 0, sents[k + 1] if k + 1 < len(sents) else n_tokens


def _token_at(doc: Doc, starts: list[int], offset: int) -> Token:
    """The token covering ``offset``, or the last one starting before it."""
    return doc[max(0, bisect.bisect_right(starts, offset) - 1)]


def _window(doc: Doc, starts: list[int], sents: list[int], start: int, end: int) -> list[Token]:
    """Tokens of the sentences around a quote, including the one after its closing mark."""
    if not len(doc):
        return []
    first = _token_at(doc, starts, start)
    after = end + 1
    while after < len(_text(doc)) and _text(doc)[after] in " \"”’»":
        after += 1
    last = _token_at(doc, starts, after)
    s = max(_sentence(sents, len(doc), first.i)[0], first.i - WINDOW_TOKENS)
    e = _sentence(sents, len(doc), last.i)[1]
    if e < len(doc) and s < e and doc[e - 1].is_punct and doc[e].is_lower:
        e = _sentence(sents, len(doc), e)[1]
    return list(doc[s:min(e, last.i + WINDOW_TOKENS)])


def _find_cue(doc: Doc, starts: list[int], sents: list[int], start: int, end: int,
              regions: list[tuple[int, int]]) -> Token | None:
    """The reporting verb nearest the quote, outside every quote, preferring one after it."""
    best, best_distance = None, 10**9
    text = _text(doc)
    closed = text[end - 1:end] == "." and text[end - 2:end] != ".."  # a full stop ends the sentence: no cue after
    for token in _window(doc, starts, sents, start, end):
        if not _is_cue(token) or _inside(token.idx, regions) or (closed and token.idx >= end):
            continue
        distance = token.idx - end if token.idx >= end else (start - token.idx) + 5
        if distance < best_distance:
            best, best_distance = token, distance
    return best or _colon_cue(doc, starts, sents, start, regions)


def _colon_cue(doc: Doc, starts: list[int], sents: list[int], start: int,
               regions: list[tuple[int, int]]) -> Token | None:
    """'Stated Stone:' or 'she said:' with the quote after a break: the nearest cue before the colon."""
    text = _text(doc)
    at = start - 1
    while at > max(0, start - 12) and text[at] in " \n\"“«'`":
        at -= 1
    if text[at:at + 1] != ":":
        return None
    colon = _token_at(doc, starts, at)
    first = max(_sentence(sents, len(doc), colon.i)[0], colon.i - WINDOW_TOKENS)
    return next((t for t in reversed(doc[first:colon.i]) if _is_cue(t) and not _inside(t.idx, regions)), None)


def _attribute(quote: Quote, cue: Token, regions: list[tuple[int, int]], mentions: Mentions,
               previous: Quote | None) -> None:
    quote.cue = _cue_span(cue)
    head = _subject(cue) if _has_subject(cue) else _noun_before(cue, regions)
    if head is None or _inside(head.idx, regions):
        return
    quote.speaker = _speaker_extent(head, regions)
    quote.speaker_name, quote.person = resolve_speaker(head, mentions, previous)
    if quote.person and quote.speaker_name and head.lower_ not in PRONOUN_GENDER:
        bisect.insort(mentions.persons, (head.idx, quote.speaker_name))


def _has_subject(cue: Token) -> bool:
    """Does the parse give the cue a subject (or an agent, or a verb to borrow one from)?"""
    return _subject(cue) is not None or any(c.dep_ == "nsubjpass" for c in cue.children) or cue.lower_ == "according"


def _noun_before(cue: Token, regions: list[tuple[int, int]]) -> Token | None:
    """A misparsed '“Q,” the senator said': the last noun or pronoun between the closing mark and the cue."""
    for token in reversed(cue.doc[max(0, cue.i - NOUN_BEFORE_TOKENS):cue.i]):
        if token.is_punct or _inside(token.idx, regions):
            break
        if token.pos_ in ("PROPN", "NOUN", "PRON") and token.dep_ != "poss":
            return token
    return None


def _continues(text: str, previous: Quote | None, start: int) -> bool:
    """A quote right after an attributed one ('“A,” she said. “B.”') shares it, also when it opens the
    next paragraph (the convention for a quote running on over paragraphs)."""
    if previous is None or previous.speaker is None or previous.kind != "direct":
        return False
    gap = text[previous.end:start]
    breaks = gap.count("\n\n")
    opens_paragraph = breaks == 1 and not gap[gap.rfind("\n\n"):].strip(" \n\"“'`«")
    return len(gap) <= CONTINUATION_CHARS and (breaks == 0 or opens_paragraph)


def direct_quotes(doc: Doc, sents: list[int], regions: list[tuple[int, int]], mentions: Mentions) -> list[Quote]:
    text = _text(doc)
    quotes: list[Quote] = []
    starts = [token.idx for token in doc]
    for start, end in regions:
        previous = quotes[-1] if quotes else None
        quote = Quote(start, end, "direct")
        cue = _find_cue(doc, starts, sents, start, end, regions)
        if cue is not None:
            _attribute(quote, cue, regions, mentions, previous)
        elif _continues(text, previous, start):
            assert previous is not None
            quote.cue, quote.speaker = previous.cue, previous.speaker
            quote.speaker_name, quote.person = previous.speaker_name, previous.person
        if cue is None and len(text[start:end].split()) < MIN_UNCUED_WORDS:
            continue
        quotes.append(quote)
    return quotes


def _clause_extent(cue: Token, clause: Token) -> tuple[int, int] | None:
    """The clause without its 'that', the cue, the speaker and edge punctuation. A cue inside the
    clause ('The risk, he said, is ...') splits it: the longer side is the quote."""
    if clause.right_edge.i - clause.left_edge.i > MAX_CLAUSE_TOKENS:
        return None
    aside = set() if clause.head.i == cue.i else {t.i for t in cue.subtree}
    tokens = [t for t in clause.subtree if t.i not in aside and not _is_edge_punct(t)]
    sides = ([t for t in tokens if t.i < cue.i], [t for t in tokens if t.i > cue.i])
    side = max(sides, key=lambda ts: ts[-1].idx + len(ts[-1]) - ts[0].idx if ts else 0)
    while side and side[0].dep_ == "mark" and side[0].lower_ == "that":
        side = side[1:]
    if not side:
        return None
    return side[0].idx, side[-1].idx + len(side[-1])


def _object_extent(cue: Token) -> tuple[int, int] | None:
    """What a cue without a clause reports: its object and infinitive ('announced a new program',
    'asked her to call back', 'promised to veto it')."""
    objects = [c for c in cue.children if c.dep_ in ("dobj", "xcomp") and c.i > cue.i]
    if not objects or max(c.right_edge.i for c in objects) - objects[0].left_edge.i > MAX_CLAUSE_TOKENS:
        return None
    tokens = [t for c in objects for t in c.subtree if not _is_edge_punct(t)]
    return (min(t.idx for t in tokens), max(t.idx + len(t) for t in tokens)) if tokens else None


def _according_clause(cue: Token, sents: list[int]) -> tuple[int, int] | None:
    """'According to X, CLAUSE.' gives the rest of the sentence; 'CLAUSE, according to X.' the part before."""
    start, end = _sentence(sents, len(cue.doc), cue.i)
    if end - start > MAX_CLAUSE_TOKENS:
        return None
    phrase_end = cue.right_edge.i + 1
    if cue.i == start:
        tokens = [t for t in cue.doc[phrase_end:end] if not _is_edge_punct(t)]
    else:
        tokens = [t for t in cue.doc[start:cue.i] if not _is_edge_punct(t)]
    if len(tokens) < 3:
        return None
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])


def _is_edge_punct(token: Token) -> bool:
    return token.is_punct and token.text not in "\"“”’‘«»"


def indirect_quotes(doc: Doc, sents: list[int], regions: list[tuple[int, int]], mentions: Mentions,
                    direct: list[Quote]) -> list[Quote]:
    """Reported clauses of cue verbs; those holding a quoted fragment are mixed."""
    found = []
    for cue in (t for t in doc if _is_cue(t)):
        if _inside(cue.idx, regions):
            continue
        if cue.lower_ == "according":
            extent = _according_clause(cue, sents)
        else:
            clause = next((c for c in cue.children if c.dep_ == "ccomp"), None)
            if clause is None and cue.dep_ == "parataxis":
                clause = cue.head  # 'The risk, he said, is ...' and 'CLAUSE, he said
            extent = _clause_extent(cue, clause) if clause is not None else _object_extent(cue)
        if extent is not None:
            extent = _on_cue_line(_text(doc), extent, cue.idx)
        if extent is None or len(_text(doc)[extent[0]:extent[1]].split()) < 3:
            continue
        touching = _overlapping(regions, *extent)
        inner = [(s, e) for s, e in touching if extent[0] - 1 <= s and e <= extent[1] + 1]
        if len(inner) < len(touching) or any(s <= extent[0] + 1 and e >= extent[1] - 1 for s, e in inner):
            continue  # the clause is itself a direct quote, or cuts one
        previous = _previous(direct + found, extent[0])
        quote = Quote(*extent, "mixed" if inner else "indirect")
        _attribute(quote, cue, regions, mentions, previous)
        if quote.speaker is None or not (quote.speaker[0] < quote.end and quote.start < quote.speaker[1]):
            found.append(quote)  # a clause holding its own speaker is a misparse ('“Q,” X, head of Y, said')
    return found


def _on_cue_line(text: str, extent: tuple[int, int], cue_at: int) -> tuple[int, int]:
    """The part of a clause on the cue's side of a line break: a title line is no sentence of the body."""
    start, end = extent
    if cue_at < start:
        cut = text.find("\n", start, end)
        return _trim(text, start, cut) if cut >= 0 else extent
    cut = text.rfind("\n", start, end)
    return _trim(text, cut + 1, end) if cut >= 0 else extent


def _previous(quotes: list[Quote], start: int) -> Quote | None:
    earlier = [q for q in quotes if q.end <= start and q.speaker_name]
    return max(earlier, key=lambda q: q.end) if earlier else None


def find_quotes(text: str) -> list[Quote]:
    """Direct, indirect and mixed quotes of ``text`` in text order."""
    doc = parse(text)
    regions = quoted_regions(_text(doc))
    sents = [sent.start for sent in doc.sents]
    mentions = collect_mentions(doc, sents, regions)
    direct = direct_quotes(doc, sents, regions, mentions)
    indirect = indirect_quotes(doc, sents, regions, mentions, direct)
    mixed_spans = [(q.start, q.end) for q in indirect if q.kind == "mixed"]
    kept = [q for q in direct if not any(s <= q.start and q.end <= e for s, e in mixed_spans)]
    quotes = sorted(kept + indirect, key=lambda q: (q.start, q.end))
    for quote in quotes:
        if quote.speaker_name:
            quote.speaker_name = canonical_name(text, quote.speaker_name)
    return quotes


@component("quotes", version=VERSION)
def quotes_layer(text: str, dct: str | None) -> list[dict[str, Any]]:
    """The `quotes` layer of interfaces.md."""
    return [quote.to_dict(text) for quote in find_quotes(text)]
