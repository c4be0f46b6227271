"""Who a quote's speaker is: the speaker head token of the quotes layer resolved to a name and a kind.

A speaker is a named **person** (with the title or role before or beside the name kept apart, as
``role``), an **organisation** ("the Kremlin", "the port authority"), a **government** named by its
country or capital ("Moscow said"), or a **group** or role named by a common noun ("police",
"officials", "the father", "the leadership of X"). Pronouns go to the speaker of the discourse (the
previous quote's speaker when it spoke just before, then the nearest person whose known gender
fits), relative words ("which", "who") to the noun they hang on, bare titles ("the spokeswoman") to
the last person introduced with that title, surnames to the full name given earlier. What is none of
these (an unresolved pronoun, a time, a credit line, a thing such as "the report") has no name: a
reader is never told that "which" or "10:43" said something.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from newsprism.annotate.entities import find_entities, strip_title
from newsprism.annotate.gazetteer import MAJOR_POPULATION, is_known_place
from newsprism.annotate.nlp import doc_text, sentence_of

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

PERSON, ORGANISATION, GOVERNMENT, GROUP = "person", "organisation", "government", "group"
PRONOUN_GENDER = {"he": "m", "him": "m", "she": "f", "her": "f"}
GROUP_PRONOUNS = frozenset({"they", "them"})
THING_PRONOUNS = frozenset({"it"})  # an organisation's pronoun
RELATIVE_WORDS = frozenset({"who", "which", "that", "whom"})
TITLE_GENDER = {"spokeswoman": "f", "chairwoman": "f", "mrs": "f", "ms": "f", "mother": "f", "woman": "f",
                "spokesman": "m", "chairman": "m", "mr": "m", "father": "m", "man": "m"}
TITLES = frozenset({
    "spokeswoman", "spokesman", "spokesperson", "minister", "president", "mayor", "governor", "commander",
    "director", "chief", "head", "official", "secretary", "chairman", "chairwoman", "ambassador", "editor",
    "keeper", "general", "prosecutor", "lawyer", "adviser", "advisor", "envoy", "leader", "organiser",
    "organizer", "executive", "premier", "chancellor", "senator", "judge", "captain", "colonel", "manager",
    "supervisor", "witness", "resident", "doctor", "analyst", "researcher", "professor", "engineer", "ceo",
    "deputy", "foreign", "defence", "defense", "energy", "prime", "vice", "mr", "mrs", "ms", "dr",
    # police and court ranks, before the names of most voices of crime news ("Sheriff Robert Pickell")
    "sheriff", "undersheriff", "lieutenant", "lt", "sergeant", "sgt", "detective", "inspector", "superintendent",
    "commissioner", "constable", "officer", "trooper", "marshal", "attorney",
})
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame"})  # no role: "Mr." says who, not what
ORG_NOUNS = frozenset({
    "ministry", "committee", "directorate", "company", "government", "army", "office", "agency",
    "service", "association", "group", "council", "court", "embassy", "kremlin", "department", "administration",
    "military", "command", "commission", "operator", "firm", "union", "party", "front", "parliament", "cabinet",
    "bank", "authority", "organisation", "organization", "newspaper", "paper", "campaign",
    "team", "club", "board", "panel", "prosecution", "defense", "defence", "coalition", "alliance", "network",
})
# People named by their role or as a group (lemmas): a reader knows who "police" or "the father" are.
GROUP_NOUNS = frozenset({
    "police", "officer", "resident", "neighbour", "neighbor", "villager", "local", "friend", "relative",
    "family", "father", "mother", "parent", "son", "daughter", "brother", "sister", "wife", "husband", "widow",
    "child", "victim", "survivor", "student", "teacher", "worker", "employee", "staff", "expert", "observer",
    "critic", "supporter", "opponent", "protester", "demonstrator", "activist", "campaigner", "lawmaker",
    "legislator", "politician", "diplomat", "investigator", "detective", "attorney", "nurse", "physician",
    "scientist", "source", "aide", "insider", "owner", "leadership", "member", "voter", "citizen", "people",
    "person", "woman", "man", "soldier", "troop", "firefighter", "rescuer", "paramedic", "passenger", "driver",
    "fan", "player", "coach", "farmer", "trader", "shopkeeper", "merchant", "customer", "candidate", "juror",
    "jury", "spokesperson", "representative", "negotiator", "mediator", "economist", "historian", "journalist",
    "reporter", "correspondent", "commentator", "blogger", "author", "writer", "organiser", "organizer",
    "authorities", "pilot", "crew", "sailor", "guard", "ranger", "agent", "inspector", "regulator",
    "administrator", "host", "guest", "participant", "attendee", "eyewitness", "bystander", "onlooker",
    "forecaster", "meteorologist", "volunteer", "medic", "surgeon", "prisoner", "detainee", "refugee", "migrant",
    "proponent", "advocate", "backer", "miner", "fisherman", "teenager", "veteran", "shareholder", "investor",
    "consumer", "tenant",
})
# What an organisation issues speaks for it: "the statement said" is the ministry named before it.
ISSUED_NOUNS = frozenset({"statement", "release", "communique", "communiqué", "report", "letter", "notice"})
ORG_LABELS = frozenset({"ORG", "GPE", "NORP", "FAC", "LOC"})
KIND_OF_LABEL = {"GPE": GOVERNMENT, "NORP": GROUP, "ORG": ORGANISATION, "FAC": ORGANISATION, "LOC": GOVERNMENT}
NOT_SPEAKER_LABELS = frozenset({"TIME", "DATE", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"})
GROUP_PREPOSITIONS = frozenset({"of", "to", "at", "for", "in", "from", "with", "close"})
RELATIVE_HOPS = 3  # how far up a relative word's verb chain its antecedent may be
PARAGRAPH_OPENING_CHARS = 25


@dataclass(frozen=True)
class Speaker:
    """A resolved speaker; ``name`` None when the mention names nobody a reader could know."""

    name: str | None = None
    kind: str | None = None
    role: str | None = None


NOBODY = Speaker()


@dataclass(frozen=True)
class Said:
    """The previous attributed quote, as pronoun resolution sees it: who, and where the mention was."""

    speaker: Speaker
    at: int


@dataclass
class Mentions:
    """What resolution looks back on: persons in text order, full names by surname, titles, genders."""

    persons: list[tuple[int, str]] = field(default_factory=list)
    full_names: dict[str, str] = field(default_factory=dict)
    titled: list[tuple[int, str, str]] = field(default_factory=list)
    genders: dict[str, str] = field(default_factory=dict)
    orgs: list[tuple[int, str]] = field(default_factory=list)  # organisations, places and groups named
    bodies: list[tuple[int, str]] = field(default_factory=list)  # of them, organisations (ORG)

    def add_person(self, at: int, name: str) -> None:
        bisect.insort(self.persons, (at, name))


# --- names in the text ----------------------------------------------------------------------------

def _name_run(token: Token) -> str | None:
    """The proper-noun name ending at ``token`` ('Ana Petrescu'), without the title words before it."""
    if token.pos_ != "PROPN":
        return None
    start = token.i
    while start > max(0, token.i - 3) and token.doc[start - 1].pos_ == "PROPN" and not _is_title(token.doc[start - 1]):
        start -= 1
    return strip_name(strip_title(token.doc[start:token.i + 1].text))


def _is_title(token: Token) -> bool:
    return token.lower_.rstrip(".") in TITLES or token.lower_ in TITLE_GENDER


def strip_name(name: str) -> str | None:
    """A person's name without a possessive or the titles in front ('Zargaz CEO Viktor Lanskoy')."""
    words = name.removesuffix("'s").removesuffix("’s").split()
    titles = [i for i, word in enumerate(words) if word.lower().rstrip(".") in TITLES]
    return " ".join(words[titles[-1] + 1:] if titles else words) or None


def _label(token: Token) -> str:
    """The token's entity label as the entities layer repaired it ("Kiev" is a place, whatever the parser
    said), else the parser's; the layer is cached for the text, so this costs no second pass."""
    labels = token.doc.user_data.get("newsprism.labels")
    if labels is None:
        labels = {}
        for entity in find_entities(doc_text(token.doc)):
            span = token.doc.char_span(int(entity["start"]), int(entity["end"]), alignment_mode="expand")
            labels.update((t.i, str(entity["label"])) for t in span or ())
        token.doc.user_data["newsprism.labels"] = labels
    return labels.get(token.i, token.ent_type_) if token.ent_type_ else ""


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

    return LabelledSpan(doc, start, end, label=_label(token))  # a plain doc[start:end] slice has no label


def collect_mentions(doc: Doc, sents: list[int], quoted: Callable[[int], bool]) -> Mentions:
    """Every PERSON mention outside quotes with its title words and gender cues, and every organisation."""
    mentions = Mentions()
    for ent in doc.ents:
        label = _label(ent[-1])
        name = (_name_run(ent[-1]) if label == "PERSON" else None) or strip_name(ent.text) or ""
        if label == "PERSON" and name and not quoted(ent.start_char):
            mentions.persons.append((ent.start_char, _full_name(mentions, name)))
            if len(name.split()) > 1:
                mentions.full_names.setdefault(name.split()[-1], name)
            _note_titles(mentions, ent, sentence_of(sents, len(doc), ent.start), _full_name(mentions, name))
        elif label in ORG_LABELS:
            mentions.orgs.append((ent.start_char, _bare(ent.text)))
            if label == "ORG":
                mentions.bodies.append((ent.start_char, _bare(ent.text)))
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


# --- pronouns and the discourse -------------------------------------------------------------------

def _guess_gender(name: str) -> str:
    """A weak prior for names never seen with a title or pronoun: a first name in -a is usually a woman's."""
    words = name.split()
    return ("f" if words[0].endswith("a") else "m") if len(words) > 1 else ""


def _recent(previous: Said | None, at: int, text: str) -> bool:
    """The previous quote's speaker comes before any other person mentioned in between when it spoke in
    this paragraph, or in the one before and the pronoun opens this one ("According to him, ...")."""
    if previous is None or previous.speaker.name is None:
        return False
    between = text[previous.at:at]
    breaks = between.count("\n\n")
    return breaks == 0 or (breaks == 1 and len(between) - between.rfind("\n\n") <= PARAGRAPH_OPENING_CHARS)


def _resolve_pronoun(word: str, at: int, text: str, mentions: Mentions, previous: Said | None) -> str | None:
    """The speaker of the discourse unless its known gender says otherwise, then the nearest person whose
    known or guessed gender fits. A guess never overrules the discourse: "Jen Psaki ... she added"."""
    gender = PRONOUN_GENDER[word]
    speaking = previous.speaker if previous is not None and _recent(previous, at, text) else None
    if speaking is not None and speaking.kind == PERSON and mentions.genders.get(speaking.name or "", gender) == gender:
        name = speaking.name
    else:
        others = [name for name in _before(mentions.persons, at) if " " in name]  # one-word "persons" are often places
        unknown = [n for n in others if n not in mentions.genders]
        name = next((n for n in others if mentions.genders.get(n, _guess_gender(n)) == gender),
                    unknown[0] if unknown else None)  # a guess that fails nobody leaves the nearest unknown
    if name:
        mentions.genders.setdefault(name, gender)
    return name


def _resolve_group_pronoun(word: str, head: Token, mentions: Mentions, previous: Said | None) -> Speaker:
    """'they' is the speaker just quoted, if any; 'it' is that speaker when it is no person, else the
    nearest organisation (not a place: a place named since is more often what the body spoke about)."""
    speaking = previous.speaker if previous is not None and _recent(previous, head.idx, doc_text(head.doc)) else None
    if word in GROUP_PRONOUNS:
        return speaking or NOBODY
    if speaking is not None and speaking.kind != PERSON:
        return speaking
    name = next(_before(mentions.bodies, head.idx), None)  # "North Korea's test, which it called ...": the council
    return Speaker(name, ORGANISATION) if name else NOBODY


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


def _antecedent(relative: Token) -> Token | None:
    """The noun a relative word stands for: 'Moscow, which repeatedly declares ...' -> Moscow."""
    verb = relative.head
    for _ in range(RELATIVE_HOPS):
        if verb.dep_ == "relcl":
            return verb.head
        if verb.dep_ not in ("conj", "xcomp", "advcl") or verb.head.i == verb.i:
            return None
        verb = verb.head
    return None


# --- the speaker ----------------------------------------------------------------------------------

def resolve_speaker(head: Token, mentions: Mentions, previous: Said | None) -> Speaker:
    """The speaker that the speaker head token names (``NOBODY`` when it names no one)."""
    word = head.lower_
    if word in RELATIVE_WORDS:
        antecedent = _antecedent(head)
        return resolve_speaker(antecedent, mentions, previous) if antecedent is not None else NOBODY
    if word in PRONOUN_GENDER:
        name = _resolve_pronoun(word, head.idx, doc_text(head.doc), mentions, previous)
        return Speaker(name, PERSON) if name else NOBODY
    if word in GROUP_PRONOUNS or word in THING_PRONOUNS:
        return _resolve_group_pronoun(word, head, mentions, previous)
    if head.pos_ == "PRON" or head.ent_type_ in NOT_SPEAKER_LABELS or re.search(r"\d", head.text):
        return NOBODY  # "I", "this"; a time or a figure ("12:15 p.m.", "10:43") says nothing
    person = _person_in(head)
    if person:
        return Speaker(_full_name(mentions, person), PERSON)
    if head.pos_ == "PROPN" or head.ent_type_ or (head.text.isupper() and len(head) > 1):
        return _named(head, mentions)  # the parser may tag a name's POS as a noun, not its entity
    return _common_noun(head, mentions)


def _named(head: Token, mentions: Mentions) -> Speaker:
    entity = _entity_of(head)
    kind = KIND_OF_LABEL.get(entity.label_ if entity is not None else "", ORGANISATION)
    if head.text.isupper() and len(head) > 1:
        return Speaker(_resolve_org(head, mentions) or head.text, kind)
    name = _name_run(head) or head.text
    place = " " not in name and is_known_place(name, MAJOR_POPULATION) and name not in mentions.full_names
    joined = next((c for c in head.rights if c.dep_ == "conj" and c.pos_ in ("PROPN", "NOUN")), None)
    if joined is not None and name not in mentions.full_names:  # "Donetsk and Lugansk People's Republics"
        return Speaker(head.doc[head.i:joined.right_edge.i + 1].text, GOVERNMENT if place else kind)
    if place:
        return Speaker(name, GOVERNMENT)  # "Moscow said", "Oslo said": a capital or country speaks for its state
    org = entity is not None and entity.label_ in ORG_LABELS and not _after_title(head, name)
    if name in mentions.full_names or (" " in name and not org):
        return Speaker(_full_name(mentions, name), PERSON)
    if entity is not None and entity.label_ in ORG_LABELS:
        if len(entity) > 1:
            return Speaker(_bare(entity.text), kind)
        if any(t.dep_ in ("compound", "amod") and t.text[:1].isupper() for t in head.lefts):
            return Speaker(_noun_phrase(head), kind)
        return Speaker(_resolve_org(head, mentions) or _bare(entity.text), kind)
    return Speaker(_full_name(mentions, name), PERSON)


def _common_noun(head: Token, mentions: Mentions) -> Speaker:
    """A title resolves to its person, else it names a role; organisation nouns resolve to the
    organisation; group nouns name the group; a thing speaks for its owner or author ("the party's
    statement", "a report by the agency") or for no one."""
    word, lemma = head.lower_, head.lemma_.lower()
    if word in TITLES or word in TITLE_GENDER:
        name = _resolve_title(head, mentions)
        return Speaker(name, PERSON, _noun_phrase(head)) if name else Speaker(_group_phrase(head), GROUP)
    if lemma in GROUP_NOUNS or word in GROUP_NOUNS or lemma in TITLES:  # "officials", "advisers to X"
        return Speaker(_group_phrase(head), GROUP)
    if lemma in ORG_NOUNS:
        if any(t.text[:1].isupper() for t in head.lefts if t.dep_ in ("amod", "compound") and t.i > 0):
            return Speaker(_noun_phrase(head), ORGANISATION)
        return Speaker(_resolve_org(head, mentions) or _noun_phrase(head), ORGANISATION)
    owner = _owner(head)
    if owner is not None:
        return resolve_speaker(owner, mentions, None)
    issuer = next(_before(mentions.bodies, head.idx), None) if lemma in ISSUED_NOUNS else None
    return Speaker(issuer, ORGANISATION) if issuer else NOBODY


def _owner(head: Token) -> Token | None:
    """The proper noun a thing belongs to or comes from: "the GOP's complaint", "the IMF report", "a report
    by Politico"."""
    for child in head.children:
        if child.dep_ in ("poss", "compound") and child.pos_ == "PROPN":
            return child
        if child.dep_ in ("prep", "agent") and child.lower_ in ("by", "from"):
            target = next((c for c in child.children if c.dep_ == "pobj" and c.pos_ == "PROPN"), None)
            if target is not None:
                return target
    return None


def _after_title(head: Token, name: str) -> bool:
    """A title word just before the name: "Kharniv Mayor Jane Doe" is a person inside an ORG entity."""
    before = head.i - len(name.split())
    return before >= 0 and _is_title(head.doc[before])


def _person_in(head: Token) -> str | None:
    """A name attached to the head: 'the spokeswoman, Ana Petrescu' or 'Ana Petrescu, the head of X'."""
    entity = _entity_of(head)
    if entity is not None and entity.label_ == "PERSON":
        return strip_name(entity.text)
    for child in head.children:
        if child.dep_ == "appos" and child.pos_ == "PROPN":
            return _name_run(child)
    subtree = head.doc[head.left_edge.i:head.right_edge.i + 1] if head.right_edge.i - head.left_edge.i < 40 else []
    persons = [t for t in subtree if t.ent_iob_ == "B" and _label(t) == "PERSON"]
    if persons and head.pos_ != "PROPN":
        return strip_name(_entity_of(persons[0]).text)  # type: ignore[union-attr]
    return None


def _noun_phrase(head: Token) -> str:
    tokens = [t for t in head.lefts if t.dep_ in ("compound", "amod")] + [head]
    return head.doc[tokens[0].i:head.i + 1].text


def _group_phrase(head: Token) -> str:
    """The group's noun with its modifiers and a complement: 'leadership of the DPR and LPR', 'advisers to X'."""
    of = next((c for c in head.rights if c.dep_ == "prep" and c.lower_ in GROUP_PREPOSITIONS
               and any(g.dep_ == "pobj" for g in c.children)), None)  # "Police at first told": no complement
    if of is None or of.right_edge.i - head.i > 8:
        return _noun_phrase(head)
    start = min(t.i for t in [*head.lefts, head] if t.dep_ in ("compound", "amod") or t.i == head.i)
    return head.doc[start:of.right_edge.i + 1].text


def speaker_role(mention: str, name: str) -> str | None:
    """The title or role given with a person's name in the speaker mention: "White House Press Secretary"
    of "White House Press Secretary Jen Psaki", "the ministry's spokeswoman" after "Ana Petrescu,"."""
    last = name.split()[-1]
    end = mention.rfind(last)
    if end < 0:
        return None
    first = mention.find(name.split()[0])
    start = first if 0 <= first <= end else end
    role = mention[:start].strip(" ,") or mention[end + len(last):].strip(" ,()")
    role = re.sub(r"^(?:the|a|an)\s+", "", role, flags=re.IGNORECASE).strip()
    words = [w.lower().rstrip(".") for w in role.split()]
    if not re.search(r"[^\W\d_]", role) or all(w in HONORIFICS for w in words) or role.lower() == name.lower():
        return None
    return role
