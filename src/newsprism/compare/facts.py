"""Facts in conflict: the same slot (a count, a date, a person's age or home) given different values by
different outlets.

A fact mention is a number with the content words of its clause ("killed three workers", "17
injured"), a time expression of the timex layer that states a day, a clock time, a year or a
duration ("said on Tuesday", the day of a statement, is left out), or the age or home a named person
is given ("Raj Chohan, 59, of College Point"). Counts in sentences that recall an earlier year or
month are left out. Two mentions in different articles fill the same slot when their sentences
align (shared content words and entities, or both are the articles' leads) and their neighbouring
words agree (``_score``); two different values also need the dependency parse of their sentences to
show the same thing counted or the same action (``Role``), the same measure (unit, currency, a
running total or not) and one order of size. Each mention keeps only its best partner per article
and only mutual best partners are linked, a partner with the same value first; a slot holds one
mention per article, and two slots join only when each pair of their values is shown alike by two
of their mentions. A slot is a conflict when its values cannot all be true: bounds ("at least 15",
"about 600") are intervals. Sentence alignment and a parse of the sentences that state a fact:
cheap, offline, and it only claims a conflict where the wording shows the same fact.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime
from itertools import combinations, pairwise
from typing import TYPE_CHECKING

from lemminflect import getInflection, getLemma

from newsprism.annotate.gazetteer import lies_in
from newsprism.annotate.nlp import syntax
from newsprism.compare.result import Agreement, Conflict, Evidence, FactValue, evidence, published_at
from newsprism.compare.text import Sentence, overlap, sentence_at, sentences, word_key
from newsprism.link.events import term_key
from newsprism.model import Article, Span

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as Phrase  # a parsed stretch of tokens, not a layer's Span

MIN_SHARED_KEYS = 3  # aligned sentences share at least this many content keys ...
MIN_OVERLAP = 0.3  # ... and this share of the shorter sentence's keys
CONTEXT_WORDS = 2  # content words on each side of a value, inside its clause, that say what it is
# Two outlets' figures for one quantity are of one order: twenty times apart, they count different things
# (one game's catches and a season's), while crowd sizes disputed tenfold ("40" / "400") stay one slot.
MIN_CLOSENESS = 0.05
DAYS_PER_YEAR = 365.25
MAX_AGE_GAP = 10  # years between two ages given for one person beyond which they are two people
MIN_LENGTH_CLOSENESS = 0.6  # "two hours" and "almost three" may be one standoff; "15 years" and "30" are not
# An article that counts one thing with this many values (a game report's "162 yards", "73 yards", "86
# yards") does not say by the thing alone which of its figures another outlet's figure is: only the same
# value links. People are exempt: tolls and crowds are what news counts, and told apart by their verbs.
CROWDED = 3
SAME_VALUE_BONUS = 1.5  # a partner giving the same value is preferred: the fact is then not in conflict
# Each lead claims the day of the story's main event: the one day of another lead is a surer partner than any
# day further down, even one giving the same value (an article that says Friday in its lead and Thursday
# below claims Friday).
LEAD_DAY_BONUS = 3.0
# Two dates whose sentences share most content words ("his meeting with Lavrov, scheduled for Thursday" /
# "accepted Lavrov's offer to have an engagement on February 23") date one happening even when the
# words right beside them differ: dates have few neighbours that say what they date.
DATE_ALIGNED_KEYS = 6
DATE_ALIGNED_OVERLAP = 0.45
_UNITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
          "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty")
_TENS = ("thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_WORDS_PER_NUMBER = {word: i for i, word in enumerate(_UNITS)} | {word: 10 * i for i, word in enumerate(_TENS, 3)}
_UNIT_SUFFIX = r"(?:ft|m|km|mi|kg|lbs?|mph|cm|mm)\b"  # "2,000ft", "60m": a number with its unit attached
# "AK-47", "pick-six": a number that ends a name; "four-time", "12-gauge", "4x4", "four-by-four", a clock time
# tokenized "6 : 00" or "41 / 2": one that is part of a word or a fraction.
_NOT_A_COUNT_BEFORE = r"(?<![A-Za-z] - )(?<![A-Za-z]-)(?<!(?-i:[A-Z][A-Z]) )(?<!\d / )"  # also "AK 47", in capitals
_NOT_A_COUNT_AFTER = r"(?!\s?-\s?(?:time|by|gauge|caliber|calibre)\b|\s?-\s?and\s?-|\s?[×x]\s?\d|\s:\s\d\d|\s/\s\d)"
_NUMBER = re.compile(
    _NOT_A_COUNT_BEFORE + r"(?<![\w.,:/×-])"
    r"(\d{1,3} ?- ?\d{1,3}(?: ?- ?\d{1,3})?(?![\w:/-]|, ?\d{3}|\.\d)|\d{1,3}(?:, ?\d{3})+(?![\d.])|"
    r"\d{1,7}(?:\.\d{1,3})?)"  # a record or score ("9-14", "45-7-2", "(10 - 5, 4 - 4 away)"), a number
    r"(?![\w.,:/×]\d| ?- ?\d|(?!" + _UNIT_SUFFIX + r")\w|-(?!(?:million|billion|trillion)\b)[^\W\d])" +
    _NOT_A_COUNT_AFTER +
    r"|" + _NOT_A_COUNT_BEFORE + r"\b(" + "|".join(sorted(_WORDS_PER_NUMBER, key=len, reverse=True)) + r")"
    r"(?:-(one|two|three|four|five|six|seven|eight|nine))?\b" + _NOT_A_COUNT_AFTER,
    re.IGNORECASE,
)
_TOKEN = re.compile(r"[^\W\d_][\w'’-]{0,40}|\d+")
# Words between a number and what it counts that say nothing about what it counts.
_QUALIFIERS = frozenset(("least", "about", "around", "nearly", "almost", "some", "more", "than", "over", "under",
                         "roughly", "approximately", "early", "late", "among", "including", "them", "whom"))
_BREAK_WORDS = ("and", "but", "when", "as", "which", "who", "whose", "leaving")


def _clause_breaks(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"[,;:()\u2013\u2014]|\b(?:" + "|".join(words) + r")\b", re.IGNORECASE)


_CLAUSE_BREAK = _clause_breaks((*_BREAK_WORDS, "while"))
# "for almost three hours while they negotiated": what filled a length of time follows "while"
_DURATION_BREAK = _clause_breaks(_BREAK_WORDS)
# "said on Tuesday": the day a statement was made, not the date of the event it reports.
_STATEMENT_VERBS = frozenset(("say", "announce", "confirm", "tell", "add", "state", "report", "declare", "post",
                              "publish", "update"))
_PUBLISHING_VERBS = ("post", "publish", "update")


def _forms(lemmas: Iterable[str], tags: tuple[str, ...] = ("VBD", "VBN")) -> str:
    """The verbs' past forms (present ones, "states", "reports", are nouns too), as one regex alternation."""
    forms = {form for lemma in lemmas for tag in tags for form in getInflection(lemma, tag=tag)}
    return "|".join(sorted(forms, key=len, reverse=True))


_REPORTED_ON = re.compile(
    rf"\b(?:{_forms(_STATEMENT_VERBS)}|{_forms(('say',), ('VBZ',))})\s+(?:on\s+|late\s+|early\s+)?$"
    rf"|\b(?:{_forms(_PUBLISHING_VERBS)}) in [^.]{{1,60}}? on\s+$",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_BY_TIME = re.compile(r"\bby\s+$", re.IGNORECASE)
_AGE_AFTER = re.compile(r"\s?-?\s?old\b")
_YEAR_RANGE = re.compile(r"\d{4}\s?[-–/]\s?\d{2,4}\b")
# Nouns for people counted (lemma, plural): "400 people" and "40 activists" may count the same crowd;
# "people" is the generic one, so "11 civilians" and "100 prisoners" are not taken for one count.
_GENERIC_PERSON_WORDS = (("people", "people"), ("person", "persons"))
_PERSON_WORDS = _GENERIC_PERSON_WORDS + tuple((w, w + "s") for w in (
    "activist", "demonstrator", "protester", "resident", "villager", "worker", "civilian", "soldier", "fighter",
    "prisoner", "captive", "participant", "citizen")) + (
    ("serviceman", "servicemen"), ("man", "men"), ("woman", "women"), ("child", "children"))
_PERSONS = frozenset(term_key(plural) for _, plural in _PERSON_WORDS)  # context keys, as numbers' neighbours
_GENERIC_PERSONS = frozenset(term_key(plural) for _, plural in _GENERIC_PERSON_WORDS)
_PERSON_NOUNS = frozenset(lemma for lemma, _ in _PERSON_WORDS)  # lemmas, as the parse gives what is counted
_GENERIC_PERSON_NOUNS = frozenset(lemma for lemma, _ in _GENERIC_PERSON_WORDS)
_FREQUENCY_NOUNS = frozenset(("time",))  # how often its verb happened: of one fact only with the same verb
# Modifiers that make a count a part of another ("12 Somali pirates" of "23 pirates", "three other rifles").
_PART_MODIFIERS = frozenset(("other", "another", "more", "additional", "further", "remaining", "new", "last", "first",
                             "next"))


@dataclass(frozen=True)
class Role:
    """What a number counts and what was done, read off the dependency parse."""

    counted: str | None  # lemma of the noun the number modifies: "people", "rifle", "metre"
    action: str | None  # lemma of the nearest verb above it: "kill", "injure", "seize"
    agent: str | None  # a named subject of that verb: "DiLeo has spent 19 seasons" is not "Cheeks spent four"
    qualifiers: frozenset[str]  # names and part words before the noun, "and crew", a partitive ("18 of 23")
    label: str = ""  # the fact in a reader's words: "people killed", "date of the meeting"
    subject: str | None = None  # lemma of a common-noun subject of the verb: "aftershock" (shook) is no "earthquake"
    patient: str | None = None  # a named object of the verb: "placed Ivory on injured reserve"
    dated: str | None = None  # lemma of the thing a date belongs to: "semifinal" in "Friday's second semifinal"


@dataclass
class Mention:
    article: Article
    kind: str  # "number" or "date"
    value: str
    start: int
    end: int
    sentence: Sentence
    context: frozenset[str]
    single_in_lead: bool = False  # the only count in its article's lead
    crowded: bool = False  # its article counts the same thing (not people) with CROWDED values or more
    measure: str = "count"  # a currency ("USD" for "$ 100 million") or a unit ("metre"): never one slot with a count
    role: Role | None = None  # what the number counts and what was done, from the parse
    running_total: bool = False  # "a total of 14 rifles in five operations", "31 so far": not one happening's count
    bound: str = "="  # how the value is meant: "=", "~" (about), ">", ">=" (at least), "<" (almost), "<=" (up to)
    place: str | None = None  # the place named in its clause: "80 percent in Egypt" is not "82 percent in India"


def number_mentions(article: Article, found: list[Sentence], parses: SentenceParses,
                    month: str | None = None) -> list[Mention]:
    """Counts written in digits or words, outside time expressions, with their neighbouring content words,
    except those of an action dated before the story (``_past_dates``) and in the sentence going on from it."""
    text = article.text
    timexes = article.layers["timex"].spans if "timex" in article.layers else []
    dates = [(s.start, s.end) for s in timexes] + _phone_numbers(text)  # neither holds a count
    places = [s for s in article.layers["entities"].spans if s.label == "GPE"] if "entities" in article.layers else []
    mentions = []
    recalled = False
    for sentence in found:
        # A sentence that goes on with a pronoun ("It killed 612 people") tells of what the one before did.
        goes_on = recalled and _GOES_ON.match(text, sentence.start) is not None
        past = _past_dates([s for s in timexes if sentence.start <= s.start < sentence.end], month)
        recalled = goes_on or bool(past)
        if goes_on:
            continue
        for match in _NUMBER.finditer(text, sentence.start, sentence.end):
            if any(s <= match.start() < e for s, e in dates):
                continue
            value = _number_value(match)
            if value is None or _is_year(value) or _names_a_thing(text, sentence.start, match.start(), match.end()) \
                    or _cited(text, match.start(), match.end()) or _no_count_of_its_own(text, *match.span()) \
                    or _score_of_a_moment(text, value, *match.span()):
                continue
            value = _in_dozens(text, match.end(), value)
            model = _MODEL_AFTER.match(text, match.end())
            clause = _clause_bounds(text, sentence, *match.span())
            near = [k for k in _keys_beside(text, clause, *match.span()) if k not in sentence.names]
            named_model = [_model_key(model)] if model else []  # "Seven AK-47s," has no other word beside it
            context = frozenset(near + ["@persons" for k in near if k in _PERSONS] + named_model)
            if not context or any(parses.dates(sentence, span, *match.span()) for span in past):
                continue  # "the 2003 quake killed 31,000", not "proposed in May and since received 300,000"
            currency = _currency(text, match.start(), match.end())
            if currency and _CONVERSION.search(text, max(0, match.start() - 20), match.start()):
                continue  # "$US1 million ($1.52 million)": the same sum in another currency, often with one sign
            measure = currency or _unit_after(text, match.end()) or "count"
            role = parses.role(sentence, match.start(), match.end(), count=True)
            if model is not None and role is not None:
                role = _of_model(role, model)
            parent = _PARENT_OF.search(text, max(sentence.start, match.start() - 30), match.start())
            if parent is not None and role is not None:  # the verb is what befell the parent, not the children
                role = replace(role, counted="child", action=None, agent=None, subject=None, patient=None,
                               label=f"children of the {parent.group(1).lower()}")
            mentions.append(Mention(article, "number", value, match.start(), match.end(), sentence, context,
                                    place=_place_in_clause(text, clause, places, *match.span()),
                                    measure=measure, role=role,
                                    bound=_bound(text, sentence.start, match.start(), match.end()),
                                    running_total=bool(_RUNNING_TOTAL.search(text, sentence.start, sentence.end))))
    in_lead = [m for m in mentions if m.sentence.lead]
    if len(in_lead) == 1:
        in_lead[0].single_in_lead = True
    _mark_crowded(mentions, _thing_counted)
    return mentions


# "0845 125 2222", "+44 20 7946 0958", "(555) 123-4567": digit groups of one number to call
_DIGIT_GROUPS = re.compile(
    r"(?<![\w.,-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,5}\)[ .-]?)?\d{2,5}(?:[ .-]\d{2,8}){1,4}(?![\w-])")
_THOUSANDS = re.compile(r"\d{1,3}(?: \d{3})+")
MIN_PHONE_DIGITS = 7


def _phone_numbers(text: str) -> list[tuple[int, int]]:
    """Telephone numbers: groups of digits with seven digits or more, written with a country code, a leading
    zero or in three groups or more, but not thousands set apart by spaces ("12 000 000"). Their groups ("125",
    "2222") count nothing."""
    found = []
    for match in _DIGIT_GROUPS.finditer(text):
        number = match.group(0)
        groups = re.findall(r"\d+", number)
        called = number[0] in "+(0" or (len(groups) >= 3 and not _THOUSANDS.fullmatch(number))
        if sum(map(len, groups)) >= MIN_PHONE_DIGITS and called:
            found.append(match.span())
    return found


def _place_in_clause(text: str, clause: tuple[int, int], places: list[Span], start: int, end: int) -> str | None:
    """The place named nearest to a number in its clause ("in Egypt were down by 80 percent")."""
    inside = [p for p in places if clause[0] <= p.start and p.end <= clause[1]]
    nearest = min(inside, key=lambda p: min(abs(p.start - end), abs(start - p.end)), default=None)
    return str(nearest.attrs.get("canonical") or text[nearest.start:nearest.end]) if nearest else None


def _thing_counted(m: Mention) -> str | None:
    """What a count counts, people aside: an article gives many counts of people (killed, injured, held)."""
    counted = m.role.counted if m.role is not None else None
    return counted if counted not in _PERSON_NOUNS else None


def _mark_crowded(mentions: list[Mention], thing: Callable[[Mention], str | None]) -> None:
    """An article that gives CROWDED values or more of one thing ("seven years", "eight years", "a 10-year
    deal": the offers of several clubs; 20 points, 2,301 points, 9 points) does not say by the thing alone
    which of them another outlet's is."""
    values_of: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        key = thing(m)
        if key:
            values_of[key].add(m.value)
    for m in mentions:
        key = thing(m)
        m.crowded = bool(key) and len(values_of[key or ""]) >= CROWDED


_BOUNDS = (
    (">=", r"at least|no fewer than|not less than|a minimum of"),
    (">", r"more than|over|above|upwards of|in excess of|exceeding|greater than"),
    ("<", r"nearly|almost|close to|just under|fewer than|less than|under|below|short of"),
    ("<=", r"up to|as many as|at most|no more than|a maximum of"),
    ("~", r"about|around|some|roughly|approximately|approx\.|an estimated|estimated|circa|~"),
)
# "up to $180 million": a currency sign may stand between the bound and the number
_BOUND_BEFORE = [(bound, re.compile(rf"\b(?:{words})\s*(?:[$€£¥]|US\$|Rs\.?)?\s*$", re.IGNORECASE))
                 for bound, words in _BOUNDS]
_BOUND_AFTER = ((">=", re.compile(r"\s?(?:-\s?plus\b|\+|\s(?:or|and) (?:more|over|above)\b)")),
                ("~", re.compile(r"\s(?:or so|odd)\b")))


def _bound(text: str, sentence_start: int, start: int, end: int) -> str:
    """How the words around a number bound it: "at least 15", "300 or more" (">="), "more than 20" (">"),
    "about 400" ("~")."""
    before = text[max(sentence_start, start - 25) : start]
    found = next((bound for bound, pattern in _BOUND_BEFORE if pattern.search(before)), None)
    return found or next((bound for bound, pattern in _BOUND_AFTER if pattern.match(text, end)), "=")


_NUMBER_WORD = r"(?:\d[\d.]*|" + "|".join(_WORDS_PER_NUMBER) + r")\b"
_LISTED_AFTER = re.compile(r"\s(?:and|or)\s" + _NUMBER_WORD, re.IGNORECASE)
_LISTED_BEFORE = re.compile(r"\b" + _NUMBER_WORD + r"\s(?:and|or)\s$", re.IGNORECASE)
_RATIO_AFTER = re.compile(r"\s(?:in|out of)\s(?:every\s)?\d", re.IGNORECASE)
_ONE_OF = re.compile(r"\sof\s", re.IGNORECASE)
_ONE_MOMENT = re.compile(r"\s(?:point|time|stage|moment)\b", re.IGNORECASE)  # "at one point": a moment
# "the one used in the shootings", "shoot another one", "one that would hold a shotgun": "one" for a thing
_PRONOUN_ONE_BEFORE = re.compile(r"\b(?:the|another|this|that|each|every|any|no|which|a\snew|the\s(?:same|only|last|"
                                 r"first|other))\s$", re.IGNORECASE)
_PRONOUN_ONE_AFTER = re.compile(r"\s(?:that|who|which|whose)\b", re.IGNORECASE)
_RATIO_BEFORE = re.compile(r"\b(?:one|1)\s(?:in|out of)\s(?:every\s)?$|\bin every\s$", re.IGNORECASE)
_CONVERSION = re.compile(r"(?:\d|million|billion|bn|m)\s?\(\s?(?:[A-Z]{1,3}\s?)?[$€£¥]?\s?$")
_DOZEN = re.compile(r"\s?dozen\b", re.IGNORECASE)


def _no_count_of_its_own(text: str, start: int, end: int) -> bool:
    """ "two sons, ages 6 and 16", "one or two": a number listed with another is one of a set, and another
    outlet listing it in another order is no conflict; "one in every 500 users" is a share, "one of the
    most photographed women" picks one out, "the one used", "another one", "one that" stand for a
    thing, and "at one point" for a moment: none of them a count."""
    before = text[max(0, start - 20) : start]
    word = text[start:end].lower()
    pronoun = word == "one" and (_PRONOUN_ONE_BEFORE.search(before) or _PRONOUN_ONE_AFTER.match(text, end)
                                 or (before.lower().endswith("at ") and _ONE_MOMENT.match(text, end)))
    return bool(_LISTED_AFTER.match(text, end) or _LISTED_BEFORE.search(before) or pronoun
                or (word in ("one", "1") and _RATIO_AFTER.match(text, end))
                or (word == "one" and _ONE_OF.match(text, end))  # "1 of 13 passes" is a count
                or _RATIO_BEFORE.search(before))


# Right before the score: "leading 24-20", "the lead to 50-44"; not "led the Sixers to a 43-39 record".
_MOMENT_BEFORE = re.compile(r"\b(?:leads|leading|led|trails|trailing|trailed|ahead|up|make it|made it|making it|"
                            r"cut it to|lead to|deficit to)\s$", re.IGNORECASE)
_TIED_AT = re.compile(r"\btied\b(?:\s[\w']+){0,2}\sat\s$", re.IGNORECASE)  # "tied the game at 13": a score
_MOMENT_AFTER = re.compile(r"\s?,?\s(?:with|and)\s\d{1,2}\s?[:.]\s?\d\d\s(?:left|remaining|to play|to go)\b",
                           re.IGNORECASE)


def _score_of_a_moment(text: str, value: str, start: int, end: int) -> bool:
    """A game report's running score ("leading 24-20", "to make it 57-46 with 7:02 remaining", "tied the game at
    13") is a moment of the game, one of many, not a result two outlets could disagree on."""
    before = text[max(0, start - 30) : start]
    if _TIED_AT.search(before):
        return True
    return _magnitude(value) is None and bool(_MOMENT_BEFORE.search(before) or _MOMENT_AFTER.match(text, end))


# A model written after a count ("seven AK-47 rifles", "12 AK 47 guns", "two F-16s"): letters and digits.
_MODEL_AFTER = re.compile(r"\s(?P<letters>[A-Z][A-Za-z]{0,3})\s?-?\s?(?P<digits>\d{1,4})(?:s\b|\b)(?!\s?[-.,]\s?\d)")


def _model_key(model: re.Match[str]) -> str:
    return f"model:{model.group('letters').lower()}{model.group('digits')}"


# "a mother of 12", "father of two": how many children a person has, whatever the sentence's verb
_PARENT_OF = re.compile(r"\b((?:grand)?(?:mother|father|parent|mom|dad)s?)\sof\s$", re.IGNORECASE)


def _of_model(role: Role, model: re.Match[str]) -> Role:
    """Counts of one model are of one thing whatever noun follows it ("AK-47 rifles", "AK 47 guns",
    "AK-47s"); its letters are no name qualifying the count ("12 AK 47 guns" gave "ak")."""
    letters = model.group("letters").lower()
    return replace(role, qualifiers=(role.qualifiers - {letters}) | {_model_key(model)})


def _in_dozens(text: str, end: int, value: str) -> str:
    """ "two dozen protesters" are 24."""
    return str(int(value) * 12) if value.isdigit() and _DOZEN.match(text, end) else value


_GOES_ON = re.compile(r"\s*(?:It|They|That|This|These|Those)\b")
_RUNNING_TOTAL = re.compile(r"\b(?:a total of|in total|in all|altogether|combined|so far|thus far|to date)\b",
                            re.IGNORECASE)
_SHORT_QUOTE = re.compile(r"[\"“«„]([^\"“”«»„.!?]{0,60})[\"”»“]")


def _cited(text: str, start: int, end: int) -> bool:
    """A number in a short quoted phrase ("described it as “around 40 activists”") is someone else's figure
    that the article cites, often to dispute it, not the figure it gives."""
    for match in _SHORT_QUOTE.finditer(text, max(0, start - 60), min(len(text), end + 60)):
        if match.start(1) <= start and end <= match.end(1) and len(match.group(1).split()) <= 5:
            return True
    return False


class SentenceParses:
    """Dependency parses of an article's sentences, made only for the sentences that state a fact."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.docs: dict[int, Doc] = {}

    def role(self, sentence: Sentence, start: int, end: int, count: bool) -> Role | None:
        """The Role of the phrase ``text[start:end]`` of ``sentence``: a count, or a time expression (whose
        root may be a number too: "in 2009", "at 3:30")."""
        phrase = self._phrase(sentence, start, end)
        return _role(phrase, count) if phrase is not None else None

    def dates(self, sentence: Sentence, date: Span, start: int, end: int) -> bool:
        """The time expression dates the action of the phrase ``text[start:end]``: its verb is the phrase's or
        one above it, short of a main clause joined by "and" ("proposed the rules in May and has since
        received 300,000 comments"). When the parse shows no verb, it dates the whole sentence."""
        dated, phrase = self._root(sentence, date.start, date.end), self._root(sentence, start, end)
        verb = _verb_above(dated) if dated is not None else None
        if verb is None or phrase is None:
            return True
        token = phrase
        while token.head.i != token.i:
            if token.dep_ == "conj" and token.head.dep_ == "ROOT":
                return False
            token = token.head
            if token.i == verb.i:
                return True
        return False

    def _root(self, sentence: Sentence, start: int, end: int) -> Token | None:
        phrase = self._phrase(sentence, start, end)
        return phrase.root if phrase is not None else None

    def _phrase(self, sentence: Sentence, start: int, end: int) -> Phrase | None:
        doc = self.docs.get(sentence.start)
        if doc is None:
            doc = self.docs[sentence.start] = syntax(self.text[sentence.start : sentence.end])
        return doc.char_span(start - sentence.start, end - sentence.start, alignment_mode="expand")


def _verb_above(token: Token) -> Token | None:
    return next((a for a in token.ancestors if a.pos_ == "VERB" and not _glued(token, a)), None)


def _role(phrase: Phrase, count: bool) -> Role:
    token = phrase.root
    noun = token.head if token.dep_ in ("nummod", "compound", "quantmod") else None
    while noun is not None and noun.pos_ in ("NUM", "PROPN") and noun.head.i != noun.i:
        noun = noun.head  # "seven AK-47 rifles": the number hangs on "AK-47", the thing counted is "rifles"
    if noun is not None and noun.pos_ != "NOUN":
        noun = None
    if noun is None:
        noun, names = _words_after(token)
    else:
        names = {t.lower_ for t in token.doc[token.i + 1 : noun.i] if t.text[:1].isupper() and t.is_alpha}
    verb = _verb_above(token)
    # A year or clock time hangs loosely on nouns ("voters in 2009 approved"): only a day's words are read for
    # the action a participle describes or the thing the date belongs to.
    describing = not token.like_num and verb is not None and verb.dep_ == "acl" and verb.tag_ == "VBG"
    if describing:  # "foiled an attack on ships transiting the strait on Friday": the foiling's day
        verb = _verb_above(verb) or verb
    # "another 90-yard run": the words of the noun the counted noun describes qualify it too
    described = [noun, noun.head] if noun is not None and _describes(noun) else [noun] if noun is not None else []
    children = [c for n in described for c in n.children]
    qualifiers = frozenset(
        {c.lower_ for c in children if c.dep_ in ("amod", "compound", "det") and c.lower_ in _PART_MODIFIERS}
        | names  # "12 Somali pirates", "12 AK 47 guns"
        | (_joined(noun) if noun is not None else set())  # "420 passengers and crew"
        | {"of" for child in token.children if child.dep_ == "prep" and child.lower_ == "of"}  # "18 of 23"
        | ({"whole"} if noun is not None and _whole_of_a_part(noun) else set())
    )
    subjects = _subjects(verb) if verb is not None else []
    agent = next((c.lower_ for c in subjects if c.pos_ == "PROPN"), None)
    subject = next((c.lemma_.lower() for c in subjects if c.pos_ == "NOUN"), None)
    patient = next((c.lower_ for c in verb.children if c.dep_ == "dobj" and c.pos_ == "PROPN"), None) \
        if verb is not None else None
    action = "kill" if verb is not None and _to_death(verb) else verb.lemma_.lower() if verb else None
    thing = _thing_dated(token) if not token.like_num and not describing else None
    if not count and thing is None and noun is not None and noun.i >= phrase.end:
        thing = noun  # "the 1959 heroin conviction": the year of the conviction ("3:30 a.m." is no thing dated)
    return Role(_counted(noun) if noun is not None else None, _CASUALTY_ACTIONS.get(action or "", action),
                agent, qualifiers, _label(phrase, count, noun, verb, thing), subject, patient,
                thing.lemma_.lower() if thing is not None else None)


def _to_death(verb: Token) -> bool:
    """ "shot to death one person", "stabbed to death": killed, not the shot or stabbed that outlets count apart.
    A bare "to death" only: "fell 700 metres to his death" measures the fall."""
    return any(c.dep_ == "prep" and c.lower_ == "to"
               and any(g.lower_ == "death" and not any(g.children) for g in c.children) for c in verb.children)


_PART_NOUNS = frozenset(("majority", "half", "percent", "%", "rest", "third", "quarter", "part", "share"))


def _whole_of_a_part(noun: Token) -> bool:
    """ "almost all of the 2.5 million people eligible cast their votes", "most of the 300 workers": the
    number is the whole, not how many did it (2.44 million voted)."""
    preposition = noun.head if noun.dep_ == "pobj" else None
    if preposition is None or preposition.lower_ != "of" or preposition.head.i == preposition.i:
        return False
    part = preposition.head
    return part.pos_ in ("PRON", "ADJ", "NUM", "DET") or part.lemma_.lower() in _PART_NOUNS


def _subjects(verb: Token) -> list[Token]:
    """The verb's subjects, or those of the verb it completes: "Lowe is believed to be seeking a $75 million
    deal" is Lowe's seeking."""
    for _ in range(MAX_CONTROL_DEPTH):
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects or verb.dep_ != "xcomp":
            return subjects
        verb = verb.head
    return []


MAX_CONTROL_DEPTH = 3  # "is believed to be seeking": the subject is two verbs up


def _glued(number: Token, word: Token) -> bool:
    """A unit written onto the number ("600m") that the tagger took for a verb: no action of the fact."""
    return word.i == number.i + 1 and not number.whitespace_


def _joined(noun: Token) -> set[str]:
    """The other noun of "passengers and crew": counted together, they are not the passengers alone. Only
    "X and Y" word by word; a list ("rifles, magazines and rounds") counts each thing apart, and in
    "injuring five people and damaging buildings" the buildings are no people."""
    doc = noun.doc
    if noun.i + 2 >= len(doc) or doc[noun.i + 1].dep_ != "cc":
        return set()
    other = doc[noun.i + 2]
    return {f"and {other.lemma_.lower()}"} if other.dep_ == "conj" and other.head.i == noun.i and other.pos_ == "NOUN" \
        else set()


def _words_after(token: Token) -> tuple[Token | None, set[str]]:
    """The noun and the names right after a number that the parse did not hang on it: "capturing 26 Somani
    brigands" counts Somani brigands even when the tagger takes "brigands" for a verb."""
    names = set()
    for following in token.doc[token.i + 1 : token.i + 5]:
        if following.pos_ == "NOUN":
            return following, names
        if following.pos_ not in ("PROPN", "ADJ", "NUM") and following.text != "-":
            break
        if following.text[:1].isupper() and following.is_alpha:
            names.add(following.lower_)
    return None, names


def _counted(noun: Token) -> str:
    """What is counted: "rifle"; "yard touchdown" and "yard line", "year deal", when the counted noun itself
    describes another ("a 7-yard touchdown" counts no yards run, "a 10-year deal" is a deal)."""
    lemma = re.sub(r"(met|lit)re$", r"\1er", noun.lemma_.lower())  # "metre" is "meter"
    return f"{lemma} {noun.head.lemma_.lower()}" if _describes(noun) else lemma


def _noun_word(noun: Token) -> str:
    """The counted noun as a label writes it: "per cent" is "percent"."""
    return "percent" if noun.lower_ == "cent" and noun.i > 0 and noun.doc[noun.i - 1].lower_ == "per" else noun.lower_


def _describes(noun: Token) -> bool:
    """The noun describes the one after it: "yard" in "a 7-yard touchdown"."""
    return noun.dep_ in ("compound", "amod", "npadvmod", "nmod") and noun.head.pos_ == "NOUN" and noun.head.i > noun.i


def _label(phrase: Phrase, count: bool, noun: Token | None, verb: Token | None, thing: Token | None) -> str:
    """ "people killed", "rifles seized" for a count; "date of the meeting" for a date that belongs to a
    thing (``_thing_dated``: "the meeting, scheduled for Thursday"); "date detained", "date of meeting" when it
    hangs on an action."""
    if count:
        says_nothing = verb is not None and verb.lemma_ in _SAYS_NOTHING_OF_A_COUNT
        return _count_label(phrase.root, noun, None if says_nothing else verb)
    if thing is not None:
        return f"date of the {thing.lower_}"
    done = _done(verb)
    if not done:
        return "date"
    return f"date of {done}" if done.split()[0].endswith("ing") else f"date {done}"


def _done(verb: Token | None) -> str:
    """The verb as a label says it: "detained", "made off" as written, "meeting" for one not yet done."""
    if verb is None:
        return ""
    return _phrasal(verb, verb.lower_) if verb.tag_ in ("VBN", "VBD") else _gerund(verb)


def _count_label(number: Token, noun: Token | None, verb: Token | None) -> str:
    """ "people killed" ("killing 10 people"), "people injured" ("leaving 70 people injured"), "wounded men"
    ("the families of the two wounded men requested"); the verb alone when the parse shows no thing counted,
    and the thing alone when the verb says nothing of it ("had 20 points", "said 83 percent")."""
    if noun is None:
        return _participle(verb) if verb is not None and _undergoes(number, verb) else _done(verb)
    thing = _noun_word(noun)
    state = _state_of(noun, verb)
    if state is not None:
        return f"{thing} {state.lower_}"
    described = _described_by(number, noun)
    if described is not None and (verb is None or _of_another_noun(noun)):
        return f"{described.lower_} {thing}"
    done = _participle(verb) if verb is not None and _undergoes(noun, verb) else _done(verb)
    return f"{thing} {done}".strip()


def _state_of(noun: Token, verb: Token | None) -> Token | None:
    """The participle right after the counted noun that says what became of it: "10 people injured",
    "leaving 10 people injured" (the parse hangs "injured" on "leaving")."""
    after = noun.doc[noun.i + 1] if noun.i + 1 < len(noun.doc) else None
    if after is None or after.tag_ != "VBN":
        return None
    return after if after.head.i == noun.i or (verb is not None and after.head.i == verb.i) else None


# Verbs that say nothing of what a count is: "has 355 damaged shops" (damaged, not had), "said 83 percent"
_SAYS_NOTHING_OF_A_COUNT = frozenset(("have", "be", "say", "tell"))


def _described_by(number: Token, noun: Token) -> Token | None:
    """A participle between the number and the noun that says what became of the things counted: "two
    badly wounded men", "355 damaged shops" (not "an estimated 1,100 pirates", nor across punctuation)."""
    between = noun.doc[number.i + 1 : noun.i]
    if not all(t.pos_ in ("ADJ", "ADV", "VERB") for t in between):
        return None
    return next((t for t in between if t.dep_ == "amod" and t.head.i == noun.i
                 and (t.tag_ == "VBN" or (t.tag_ == "JJ" and t.lower_.endswith("ed")))), None)


def _of_another_noun(noun: Token) -> bool:
    """ "the families of the two wounded men requested privacy": the verb is not what the men did."""
    return noun.dep_ == "pobj" and noun.head.head.pos_ in ("NOUN", "PROPN")


def _undergoes(word: Token, verb: Token) -> bool:
    """The counted thing is what the verb acts on: "seized seven rifles", "including 13 magazines"."""
    return word.head.i == verb.i and word.dep_ in ("dobj", "nsubjpass", "pobj")  # "including 12 civilians"


def _gerund(verb: Token) -> str:
    """ "meet" -> "meeting", "nab" -> "nabbing", "make" -> "making": a label for a verb not yet done."""
    return _phrasal(verb, verb.lower_ if verb.tag_ == "VBG" else _inflected(verb, "VBG"))


def _participle(verb: Token) -> str:
    """ "shoot" -> "shot", "include" -> "included"."""
    return _phrasal(verb, _inflected(verb, "VBN"))


def _phrasal(verb: Token, form: str) -> str:
    """The verb's form with its particle: "made off" with $102 million, "picked up" two men."""
    particle = next((c.lower_ for c in verb.children if c.dep_ == "prt"), None)
    return f"{form} {particle}" if particle else form


def _inflected(verb: Token, tag: str) -> str:
    """The verb's form for ``tag``, from its own lemma by the inflection tables ("fined": "fine", which
    the parser may lemmatise "fin"); the word as written when the tables do not know it."""
    if not verb.is_alpha or len(verb) < 2:  # "’ s" taken for a verb
        return verb.lower_
    lemma = next(iter(getLemma(verb.lower_, upos="VERB")), verb.lemma_.lower())
    forms = getInflection(lemma, tag=tag)
    return forms[0] if forms else verb.lower_


def _thing_dated(token: Token) -> Token | None:
    """The noun a date belongs to, up through a clause that describes it: "his meeting with Lavrov,
    scheduled for Thursday" -> "meeting"; None when the date hangs on a plain action ("shot on Friday")."""
    head = token.head.head if token.dep_ == "pobj" else token.head
    for _ in range(4):
        if head.pos_ == "NOUN":
            return head
        if head.dep_ in ("acl", "relcl") or (head.pos_ == "PROPN" and head.dep_ == "pobj"):
            head = head.head.head if head.dep_ == "pobj" else head.head
        else:
            return None
    return None


def _people_alike(first: str, second: str) -> bool:
    """ "people" may count any people; "civilians" and "prisoners" are different people."""
    return bool({first, second} & _GENERIC_PERSON_NOUNS) and {first, second} <= _PERSON_NOUNS


def _number_value(match: re.Match[str]) -> str | None:
    """The number as a value: "1,500" (or tokenized "1, 500") -> "1500", "twenty-one" -> "21"; a record or
    score ("9-14") and a decimal ("5.6") as written. A number with a leading zero ("000") counts nothing."""
    written = match.group(1)
    if written:
        plain = written.replace(",", "").replace(" ", "")
        if plain.startswith("0") and plain[1:2].isdigit():
            return None
        return plain.rstrip("0").rstrip(".") if "." in plain else plain  # "6.0" is "6"
    tens = _WORDS_PER_NUMBER.get(match.group(2).lower())
    units = _WORDS_PER_NUMBER.get((match.group(3) or "").lower(), 0)
    return None if tens is None else str(tens + units)


def _is_year(value: str) -> bool:
    return value.isdigit() and 1900 <= int(value) <= 2100


def _magnitude(value: str) -> float | None:
    """A count's or a length's size ("2 hours" -> 2), for how close two are; None for a record or score."""
    try:
        return float(amount(value))
    except ValueError:
        return None


_LENGTH = re.compile(r"(\d+(?:\.\d+)?) [a-z]+")


def amount(value: str) -> str:
    """The number of a length of time as a value gives it ("2 hours" -> "2"); any other value as it is."""
    length = _LENGTH.fullmatch(value)
    return length.group(1) if length else value


_CURRENCY_BEFORE = re.compile(r"(?:([$€£¥])|\b(US|USD|EUR|GBP|Rs)\.?)\s?$")
_MONEY_AFTER = re.compile(r"^\s?-?(?:million|billion|trillion|bn|m)?\s?(dollars|euros|pounds|rubles|roubles|yuan|"
                          r"rupees|hryvnias?)\b|^\s?-?(?:million|billion|trillion)\b(?=\s+(?:in|of|worth)\b)",
                          re.IGNORECASE)
_CURRENCIES = {"$": "USD", "us": "USD", "usd": "USD", "dollars": "USD", "€": "EUR", "eur": "EUR", "euros": "EUR",
               "£": "GBP", "gbp": "GBP", "pounds": "GBP", "¥": "JPY", "yuan": "CNY", "rs": "INR", "rupees": "INR",
               "rubles": "RUB", "roubles": "RUB", "hryvnia": "UAH", "hryvnias": "UAH"}


def _currency(text: str, start: int, end: int) -> str | None:
    """The currency of a sum ("USD", "EUR"; "money" when only "million in" says it is one), None for a count.
    Sums in different currencies are never one slot: "€103 million" and "$136M" may be the same loot."""
    before = _CURRENCY_BEFORE.search(text[max(0, start - 5):start])
    after = _MONEY_AFTER.match(text[end:end + 30])
    sign = (before.group(1) or before.group(2)) if before else after.group(1) if after else None
    if sign is None:
        return "money" if after else None
    return _CURRENCIES.get(sign.lower(), "money")


_UNITS_AFTER = re.compile(
    r"\s?-?\s?(?:square\s?-?\s?|cubic\s?-?\s?)?(metres?|meters?|m|kilometres?|kilometers?|km/h|km|feet|foot|ft|miles?|mi|"
    r"mph|km/h|kph|kilograms?|kg|tonnes?|tons?|pounds?|lbs?|acres?|hectares?|ha)\b",
    re.IGNORECASE,
)
_UNIT_NAMES = {"m": "metre", "meter": "metre", "km": "kilometre", "kilometer": "kilometre", "ft": "foot",
               "feet": "foot", "mi": "mile", "kph": "km/h", "kg": "kilogram", "ton": "tonne", "lb": "pound",
               "ha": "hectare"}


def _unit_after(text: str, end: int) -> str | None:
    """The unit of a measurement ("150 metres", "2,000ft", "15,800-square-metre"): figures in different
    units are not compared (converting them would hide how each outlet put it)."""
    match = _UNITS_AFTER.match(text, end)
    if match is None:
        return None
    unit = match.group(1).lower()
    unit = _UNIT_NAMES.get(unit.removesuffix("s"), unit.removesuffix("s")) if unit != "mph" else unit
    power = next((word + " " for word in ("square", "cubic") if word in match.group(0).lower()), "")
    return power + unit.replace("meter", "metre")


_STREET_AFTER = re.compile(
    r"\s+(?:block\s+of\b|(?:(?:North|South|East|West|[NSEW]\.?)\s+)?(?:\d+(?:st|nd|rd|th)\b|[A-Z]\w+\s+"
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Drive|Place|Square)\b))"
)


# Nouns that a number names one of when capitalised before it: "state Route 52", "Flight 370", "Article 5"
_NAMED_BY_NUMBER = re.compile(
    r"\b(?:Route|Highway|Hwy|Interstate|Freeway|Motorway|Flight|Room|Gate|Pier|Platform|Terminal|Channel|Article|"
    r"Chapter|Section|Amendment|Bus|Line|Exit|Building|Floor|Precinct|Ward|District|Unit|Apartment|Apt|Suite|"
    r"Lot|Track|Runway|Level|Zone|Sector|Camp|Block|Plant|Reactor|Stage|Week|Game|Round|Lane|Bay)\.?\s$")


def _names_a_thing(text: str, sentence_start: int, start: int, end: int) -> bool:
    """ "Plant No. 2", "40 East 5th Street", "the 12000 block of 223rd Street", "state Route 52": a number that
    names a thing or an address counts nothing."""
    before = text[max(sentence_start, start - 12) : start]
    return bool(re.search(r"(?:\b(?:No|no|Nr|number)\.?|#)\s*$", before[-8:]) or _NAMED_BY_NUMBER.search(before)
                or _STREET_AFTER.match(text, end, end + 40))


def clause_context(text: str, sentence: Sentence, start: int, end: int,
                   clause_break: re.Pattern[str] = _CLAUSE_BREAK) -> list[str]:
    """Content-word keys next to ``text[start:end]`` on each side, not crossing a clause break."""
    return _keys_beside(text, _clause_bounds(text, sentence, start, end, clause_break), start, end)


def _keys_beside(text: str, clause: tuple[int, int], start: int, end: int) -> list[str]:
    return _keys(text, clause[0], start, reverse=True) + _keys(text, end, clause[1])


def _clause_bounds(text: str, sentence: Sentence, start: int, end: int,
                   clause_break: re.Pattern[str] = _CLAUSE_BREAK) -> tuple[int, int]:
    breaks = [m.span() for m in clause_break.finditer(text, sentence.start, sentence.end)]
    return (max([e for s, e in breaks if e <= start], default=sentence.start),
            min([s for s, e in breaks if s >= end], default=sentence.end))


# Outlets write a toll's "injured" as "wounded" or "hurt": one fact, one key and one action.
_CASUALTY_ACTIONS = {"wound": "injure", "hurt": "injure", "die": "kill"}
_TOLLS = frozenset(("kill", "injure"))
_CASUALTY_KEYS = {word_key(word): word_key("injured") for word in ("wounded", "hurt", "injuries")}


def _keys(text: str, start: int, end: int, reverse: bool = False) -> list[str]:
    """Up to CONTEXT_WORDS content-word keys between start and end, nearest first; qualifiers skipped."""
    tokens = [m.group(0) for m in _TOKEN.finditer(text, start, end)]
    keys = []
    for token in reversed(tokens) if reverse else tokens:
        key = None if token.isdigit() or token.lower() in _QUALIFIERS else word_key(token)
        key = _CASUALTY_KEYS.get(key or "", key)
        if key:
            keys.append(key)
        if len(keys) == CONTEXT_WORDS:
            break
    return keys


def date_mentions(article: Article, found: list[Sentence], parses: SentenceParses) -> list[Mention]:
    """Time expressions of the timex layer as facts: a day, a clock time, a year or a duration (``_whens``)."""
    if "timex" not in article.layers:
        return []
    mentions = []
    for span in article.layers["timex"].spans:
        sentence = sentence_at(found, span.start)
        said_on = _REPORTED_ON.search(article.text, max(0, span.start - 80), span.start)
        season = _YEAR_RANGE.match(article.text, span.start)  # "the 2008-09 season" is no one year
        age = _AGE_AFTER.match(article.text, span.end)  # "the 36-year-old climber": an age, a fact of its person
        if sentence is None or said_on or season or age or span.label == "SET":  # "each month": how often
            continue
        value = str(span.attrs.get("value") or "")
        length = value.startswith("P")
        clause_break = _DURATION_BREAK if length else _CLAUSE_BREAK
        context = frozenset(clause_context(article.text, sentence, span.start, span.end, clause_break))
        # "almost three hours", "around 9pm": the bound is inside the time expression, before its first number
        numbers = [m.start() for m in (_NUMBER.search(article.text, span.start, span.end),
                                       _DIGIT.search(article.text, span.start, span.end)) if m]
        bound = _bound(article.text, sentence.start, min(numbers, default=span.start), span.end)
        if not length and _BY_TIME.search(article.text, max(0, span.start - 4), span.start):
            bound = "<="  # "by 6 : 40 a. m.": done at that time or before; "delayed by two hours" is two hours
        role = parses.role(sentence, span.start, span.end, count=False)
        # "Seacom announced on Twitter today (20 October)": the day of a statement, wherever it stands (a clock
        # time stays: "the fire was reported at 3:33 a.m." is when it was called in)
        statement = role is not None and role.action in _STATEMENT_VERBS
        for measure, when in _whens(value):
            if statement and measure in _DAY_MEASURES:
                continue
            kind = "number" if measure == "duration" else "date"
            mentions.append(Mention(article, kind, when, span.start, span.end, sentence, context, measure=measure,
                                    role=role, bound=bound))
    _mark_crowded(mentions, _length_unit)
    days_in_lead = [m for m in mentions if m.sentence.lead and m.measure in _DAY_MEASURES]
    if len(days_in_lead) == 1:
        days_in_lead[0].single_in_lead = True
    return mentions


def _length_unit(m: Mention) -> str | None:
    return _unit(m) if m.measure == "duration" else None


_DAY_MEASURES = frozenset(("day", "weekday"))  # a date and a weekday name can say which day one happening was
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DURATION_UNITS = {"Y": "year", "M": "month", "W": "week", "D": "day", "TH": "hour", "TM": "minute"}


def _whens(value: str) -> list[tuple[str, str]]:
    """What a TIMEX3 value states, as (measure, value) pairs: the day ("2026-03-23"; a weekday name when the
    article's own date was unknown), the clock time ("02:30"), the year ("1990") or a duration ("3 hours").
    Vaguer values ("2026-03", "PAST_REF") state nothing a conflict could rest on."""
    found = []
    day = re.match(r"(\d{4}-\d\d-\d\d)|XXXX-WXX-([1-7])", value)
    if day:
        found.append(("day", day.group(1)) if day.group(1) else ("weekday", _WEEKDAYS[int(day.group(2)) - 1]))
    clock = re.search(r"T(\d\d:\d\d)", value)
    if clock:
        found.append(("time", clock.group(1)))
    if re.fullmatch(r"\d{4}", value):
        found.append(("year", value))
    length = _length_of(value)
    if length:
        found.append(("duration", length))
    return found


_DURATION = re.compile(r"P(T?)(\d+(?:\.\d+)?)([YMWDH])(?:T?(\d+)([MH]))?")
_SMALLER_UNIT = {("Y", "M"): 12, ("D", "H"): 24, ("TH", "M"): 60}  # "P2Y6M" is 2.5 years, "PT1H30M" 1.5 hours


def _length_of(value: str) -> str | None:
    """A TIMEX3 duration in its largest unit ("P2Y6M" -> "2.5 years"); None for other values or units."""
    duration = _DURATION.fullmatch(value)
    if not duration or duration.group(1) + duration.group(3) not in _DURATION_UNITS:
        return None
    unit = duration.group(1) + duration.group(3)
    size = float(duration.group(2))
    if duration.group(4):
        per_unit = _SMALLER_UNIT.get((unit, duration.group(5)))
        if per_unit is None:
            return None
        size += int(duration.group(4)) / per_unit
    number = f"{size:g}"
    return f"{number} {_DURATION_UNITS[unit]}{'s' if size != 1 else ''}"


def fact_mentions(articles: list[Article]) -> list[Mention]:
    mentions = []
    month = story_month(articles)
    for article in articles:
        found = sentences(article)
        parses = SentenceParses(article.text)
        about_people = person_mentions(article, found) + holder_mentions(article, found)
        others = number_mentions(article, found, parses, month) + date_mentions(article, found, parses)
        numbers = [m for m in others if not any(p.start <= m.start < p.end for p in about_people)]
        mentions += about_people + _exact_where_stated(numbers)
    return mentions


def headline_mentions(articles: list[Article]) -> list[Mention]:
    """Counts in the articles' headlines ("3 dead after protesters torch Greek bank"), each of its article: an
    outlet that gives a fact in its headline alone does not leave it out. Evidence offsets point into the
    text, so headlines state facts for omissions only, and fill no slot."""
    month = story_month(articles)
    mentions = []
    for article in articles:
        if article.title:
            headline = replace(article, text=article.title[:MAX_HEADLINE_CHARS], layers={})
            mentions += number_mentions(headline, sentences(headline), SentenceParses(headline.text), month)
    return mentions


MAX_HEADLINE_CHARS = 400


def _exact_where_stated(mentions: list[Mention]) -> list[Mention]:
    """An article that writes "at least three people killed" in its lead and "three people killed" further
    on claims exactly three: its hedged mentions of a count it also states plainly take the plain bound."""
    exact = {(m.value, m.role.counted, m.role.action) for m in mentions
             if m.kind == "number" and m.bound == "=" and m.role is not None and m.role.counted}
    for m in mentions:
        if m.kind == "number" and m.bound in (">=", "~") and m.role is not None \
                and (m.value, m.role.counted, m.role.action) in exact:
            m.bound = "="
    return mentions


_NAME = r"(?:[A-Z]\.\s?)*[A-Z][A-Za-z'’]*[a-z](?:[-\s](?:[A-Z]\.\s?)*[A-Z][A-Za-z'’]*[a-z]){0,3}"
_PLACE = r"[A-Z][A-Za-z'’]*[a-z](?:\s[A-Z][A-Za-z'’]*[a-z]){0,3}"
# (measure, pattern, whether a one-word name is enough): what outlets say of a named person.
_PERSON_FACTS = (
    ("age", re.compile(rf"(?P<name>{_NAME}),\s(?:aged\s)?(?P<value>\d{{1,3}})"
                       rf"(?=\s?[,.;)]|\s(?:of|from|and|who|was|is)\b|\s[-–—]+\s(?!\d))"), True),
    ("age", re.compile(rf"(?P<value>\d{{1,3}})\s?-?\s?year\s?-?\s?old\s(?:[a-z]+\s|[A-Z][a-z]+(?:man|woman)\s){{0,3}}"
                       rf"(?P<name>{_NAME})"), False),
    ("home", re.compile(rf"(?P<name>{_NAME}),\s\d{{1,3}},\s(?:of|from)\s(?P<value>{_PLACE})"), True),
    ("home", re.compile(rf"(?P<name>{_NAME}),\swho\s(?:lived|lives)\s(?:[a-z]+\s){{0,5}}?in\s"
                        rf"(?P<value>{_PLACE})"), True),
)


def person_mentions(article: Article, found: list[Sentence]) -> list[Mention]:
    """The age and the home of a named person ("Robert Buckley, 32,", "31-year-old Robert Buckley",
    "Raj Chohan, 59, of College Point", "Chohan, who lived in South Ozone Park"), each the fact of its
    person: two outlets giving one person two ages or homes disagree wherever they say it."""
    mentions = []
    for measure, pattern, one_word_enough in _PERSON_FACTS:
        for match in pattern.finditer(article.text):
            sentence = sentence_at(found, match.start())
            name, value = match.group("name").split(), match.group("value")
            named = name[0] not in _NOT_NAMES and (len(name) > 1 or one_word_enough)
            if sentence is None or not named or (measure == "age" and not 0 < int(value) < 120):
                continue  # "a 38-year-old Troy resident" names no one
            role = Role(measure, None, name[-1], frozenset(), f"{' '.join(name)}: {measure}")
            kind = "number" if measure == "age" else "place"
            mentions.append(Mention(article, kind, value, *match.span(), sentence, frozenset(), measure=measure,
                                    role=role))
    return mentions


# Who holds an office: "Chargers general manager A.J. Smith", "Russian Foreign Minister Sergei Lavrov". The
# office is the title noun with the words before it back to a punctuation mark or a lower-case word that is
# no part of a title; it must carry a qualifier (an organisation, a country: three words or more), since two
# countries' "Foreign Minister" are two offices. Former, acting and deputy holders are other people.
_TITLE_NOUNS = ("manager|coach|director|minister|secretary|president|chairman|chairwoman|spokesman|spokeswoman|"
                "spokesperson|commander|chief|governor|mayor|superintendent|commissioner|prosecutor|sheriff|"
                "ambassador|captain|owner|editor|ceo|premier|chancellor")
_HOLDER = re.compile(rf"\b(?i:{_TITLE_NOUNS})\s(?P<name>(?:[A-Z]\.\s?)+[A-Z][a-z]+|[A-Z][a-z]+(?:\s[A-Z][a-z]+){{1,2}})"
                     r"(?![A-Za-z])")
_WORDS_BEFORE = re.compile(r"(?:[A-Za-z][A-Za-z'’&-]*\s)+$")  # the words up to the name, no punctuation between
# lower-case words of an office besides its title noun ("chief" is one; "vice" names another holder)
_TITLE_WORDS = frozenset(("general", "executive", "head", "foreign", "defence", "defense", "interior",
                          "finance", "prime", "state", "national", "security", "press", "team", "club"))
_OTHER_HOLDER = frozenset(("former", "ex", "acting", "interim", "deputy", "assistant", "then", "late", "new",
                           "incoming", "outgoing", "future", "previous", "vice"))
MIN_OFFICE_WORDS, MAX_OFFICE_WORDS = 3, 5


def holder_mentions(article: Article, found: list[Sentence]) -> list[Mention]:
    """Who holds a named office, by the office: two outlets naming two people for it disagree."""
    mentions = []
    for match in _HOLDER.finditer(article.text):
        office = _office(article.text, match.start("name"))
        sentence = sentence_at(found, match.start())
        if office is None or sentence is None:
            continue
        name = match.group("name")
        role = Role("holder", None, office.lower(), frozenset(), office)
        mentions.append(Mention(article, "person", name, match.start("name"), match.end("name"), sentence,
                                frozenset(), measure="holder", role=role))
    return mentions


def _office(text: str, end: int) -> str | None:
    """The office written right before ``end`` ("Chargers general manager"); None when it has no qualifier
    or names a former, acting or deputy holder."""
    run = _WORDS_BEFORE.search(text, max(0, end - 80), end)
    words: list[str] = []
    for token in reversed(run.group(0).split() if run else []):
        if token.lower() in _OTHER_HOLDER:
            return None
        if token[0].islower() and token not in _TITLE_WORDS and not re.fullmatch(_TITLE_NOUNS, token):
            break
        words.insert(0, token)
        if len(words) == MAX_OFFICE_WORDS:
            break
    return " ".join(words) if len(words) >= MIN_OFFICE_WORDS else None


_PERSON_MEASURES = frozenset(measure for measure, _, _ in _PERSON_FACTS) | {"holder"}
_NOT_NAMES = frozenset(("The", "A", "An", "In", "On", "At", "By", "Police", "Officials", "Monday", "Tuesday",
                        "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"))


def story_month(articles: list[Article]) -> str | None:
    """The month the story happens in ("2026-03"), after most articles' own dates; None when they have none."""
    months = [a.published[:7] for a in articles if re.match(r"\d{4}-\d\d", a.published or "")]
    return max(sorted(set(months)), key=months.count) if months else None


def _past_dates(timexes: list[Span], month: str | None) -> list[Span]:
    """The time expressions that date a sentence's action to a year or a month before the story's ("the
    2003 quake killed more than 31,000", "In February, a gunman killed five people"): the counts of that
    action recall an earlier event, not this story's facts. Without the story's date, a bare year or month
    dates an action away from the news, which says "on Sunday", not "in 2008"."""
    return [span for span in timexes if _before_the_story(str(span.attrs.get("value")), month)]


def _before_the_story(value: str, month: str | None) -> bool:
    if month is None:
        return re.fullmatch(r"\d{4}|(?:\d{4}|XXXX)-\d\d", value) is not None
    if re.fullmatch(r"\d{4}(?:-\d\d)?", value):
        return value < month[: len(value)]
    return re.fullmatch(r"XXXX-\d\d", value) is not None and value[5:] != month[5:]  # "in November", in March



def _score(a: Mention, b: Mention) -> float:
    """How surely two mentions fill the same slot; 0 when they cannot.

    Both need a shared context word in aligned sentences (or two shared words, or one and the
    same value: "11 civilians" is one fact wherever the story says it). Two different
    counts need a shared word that is not just "people" ("injured 17" / "injured 15"),
    or must be the one count in each article's lead ("400 people rallied" / "40 activists gathered").
    """
    if not _same_quantity(a, b):
        return 0.0
    if a.measure in _PERSON_MEASURES:
        same_person = not _ages_of_two_people(a, b)
        return 1.0 + overlap(a.sentence.keys, b.sentence.keys) + (a.value == b.value) if same_person else 0.0
    if (_magnitude(a.value) is None) != (_magnitude(b.value) is None):
        return 0.0  # a score or record ("13-13") is not a count ("13")
    sentence_score = overlap(a.sentence.keys, b.sentence.keys)
    leads = a.sentence.lead and b.sentence.lead
    aligned = leads or (len(a.sentence.keys & b.sentence.keys) >= MIN_SHARED_KEYS and sentence_score >= MIN_OVERLAP)
    words, counted = shared_context(a, b)
    same = SAME_VALUE_BONUS if a.value == b.value else 0.0
    if a.measure == "duration" and not same:
        return words + sentence_score + _closeness(a, b) if _lengths_alike(a, b) else 0.0
    if a.kind == "date" and _dates_one_happening(a, b, sentence_score):
        return words + sentence_score + same
    if a.kind == "date" and _leads_alike(a, b):
        return words + sentence_score + same + LEAD_DAY_BONUS
    clock = a.measure == "time"  # clock times are few per story: one shared context word suffices ...
    if clock and _same_action(a, b):
        words += 1  # ... or the same action: "police were called at 8.40am" / "at 8:39am police were called"
    if not (words or counted) or not (aligned or words >= 2 or ((same or clock) and words)):
        return 0.0
    if a.kind == "date":
        # Clock times and planned days are few per story: aligned sentences with a shared word suffice.
        return words + sentence_score + same if same or ((aligned or clock) and _one_fact(a, b)) else 0.0
    if not same and not words and not (a.single_in_lead and b.single_in_lead and _same_people(a, b)):
        return 0.0
    if not same and not (aligned and _one_fact(a, b)):
        return 0.0
    return max(words, 1) + sentence_score + _closeness(a, b) + same


def _same_quantity(a: Mention, b: Mention) -> bool:
    """What any two mentions of one slot share: the same kind, measure and unit, both of one happening or both
    running totals (a running total is another quantity than one happening's count, even when they are
    equal), and for a person's age or home, the same person."""
    if a.kind != b.kind or _measure(a) != _measure(b) or _unit(a) != _unit(b) or a.running_total != b.running_total:
        return False
    return a.measure not in _PERSON_MEASURES or (a.role is not None and b.role is not None
                                                 and a.role.agent == b.role.agent)


def _ages_of_two_people(a: Mention, b: Mention) -> bool:
    """Outlets err on an age by a year or a few ("31" / "32", "61" / "68"); a surname with ages far apart is
    two people of one family ("17-year-old Jeremy Ortiz", the deputy's son, and "Ortiz, 35")."""
    ages = [int(m.value) for m in (a, b) if m.value.isdigit()]
    return a.measure == "age" and len(ages) == 2 and abs(ages[0] - ages[1]) > MAX_AGE_GAP


def _measure(m: Mention) -> str:
    """What a value measures, with a date and a weekday name as one ("2011-11-10" is a Thursday)."""
    return "day" if m.measure in _DAY_MEASURES else m.measure


def _leads_alike(a: Mention, b: Mention) -> bool:
    """The one day of each article's lead, the day of its main event, when the parse shows one action done
    by no two different things: "the actress checked into the clinic early Friday" / "Lohan checked into the
    clinic on Thursday night", not "an aftershock shook the island on Monday" / "an earthquake shook it on
    Sunday". Leads put their day anywhere between commas, where no context word stands beside it."""
    if not (a.single_in_lead and b.single_in_lead and a.role is not None and b.role is not None):
        return False
    first, second = a.role, b.role
    subjects_differ = first.subject is not None and second.subject is not None and first.subject != second.subject
    return (_same_action(a, b) or shared_context(a, b)[0] >= 2) and not subjects_differ \
        and _same_doers(first, second, a, b)


def _lengths_alike(a: Mention, b: Mention) -> bool:
    """Two lengths of time in one unit are of one happening when two of their words say alike what filled
    them ("two hours of negotiations with police" / "three hours while they negotiated with the suspect"), or
    one word and the verb ("hospitalized for three weeks with pneumonia" / "hospitalized in Los Angeles for
    four weeks due to pneumonia"): the verbs beside them differ too often to tell alone ("surrendered after",
    "spent", "locked down for"). Aligned sentences do not tell whose length it is ("Dorsey has been at the
    plant for 37 years" / "Ryan, who has worked at the plant for nearly 30 years"), and lengths far apart are
    of different things."""
    if a.crowded or b.crowded or _closeness(a, b) < MIN_LENGTH_CLOSENESS:
        return False
    words = shared_context(a, b)[0]
    return words >= 2 or (words == 1 and _same_action(a, b))


def _unit(m: Mention) -> str:
    """The unit of a duration ("3 hours" -> "hour"): "1 week" and "10 minutes" are not one length."""
    return m.value.split(" ")[-1].rstrip("s") if m.measure == "duration" else ""


def _dates_one_happening(a: Mention, b: Mention, sentence_score: float) -> bool:
    """Two planned days (after their articles' own dates) in sentences that share most of their content
    words (``DATE_ALIGNED_*``): "the meeting, scheduled for Thursday" / "a meeting next Wednesday". Past
    days in such sentences are often different happenings of one story (shot on Friday, charged on
    Saturday), so they need the same action (``_count_alike``)."""
    return _planned(a) and _planned(b) and len(a.sentence.keys & b.sentence.keys) >= DATE_ALIGNED_KEYS \
        and sentence_score >= DATE_ALIGNED_OVERLAP


def _planned(m: Mention) -> bool:
    published = (m.article.published or "")[:10]
    return m.measure == "day" and bool(published) and m.value > published


def _count_alike(a: Mention, b: Mention) -> bool:
    """Two different numbers can be one count: the parse shows the same thing counted, or the same
    action when one of them names no thing ("killing 20 people" / "the toll rose to 20" needs both)."""
    if a.role is None or b.role is None:
        return True
    first, second = a.role, b.role
    if first.qualifiers != second.qualifiers:
        return False  # "12 Somali pirates" / "23 pirates", "three other rifles" / "seven rifles"
    if not _same_doers(first, second, a, b):
        return False
    if a.place and b.place and a.place != b.place and not (lies_in(a.place, b.place) or lies_in(b.place, a.place)):
        return False  # "80 percent in Egypt" / "82 percent of India's", but "in Kabul" / "in Afghanistan" may agree
    if any(q.startswith("model:") for q in first.qualifiers):
        return True  # the qualifiers are equal: one model counted
    if first.counted and second.counted:
        if first.counted in _FREQUENCY_NOUNS:  # "shot eleven times" / "arrested four times"
            return first.counted == second.counted and first.action == second.action
        if _other_tolls(first.action, second.action):
            return False
        return first.counted == second.counted or _people_alike(first.counted, second.counted)
    return bool(first.action) and first.action == second.action


def _other_tolls(first: str | None, second: str | None) -> bool:
    """ "shot to death one person" / "shooting three people": the killed are a part of the shot, and the
    injured are not the killed, whatever words stand beside them."""
    return bool(first and second and first != second and {first, second} & _TOLLS)


def _same_doers(first: Role, second: Role, a: Mention, b: Mention) -> bool:
    """Both roles are of one thing and one named doer and undergoer: not "Thomas rushed for 63 yards" / "Ivory
    rushed for 716", "placed Ivory on IR" / "placed Thomas", nor "the winner of Friday's semifinal" /
    "advances to play Saturday" (a game's day, a team's)."""
    return first.dated == second.dated and _same_named(first.agent, second.agent, a, b) \
        and _same_named(first.patient, second.patient, a, b)


def _same_named(first: str | None, second: str | None, a: Mention, b: Mention) -> bool:
    """The named doer (or undergoer) of two mentions' actions is one: the same name, or, when one parse names
    none, a person the other sentence carries too ("Thomas has 498 rushing yards" is not of a sentence on
    Bush alone; "the Navy confiscated 14 rifles" may be "six rifles were confiscated")."""
    if first and second:
        return first == second
    named, mention, other = (first, a, b) if first else (second, b, a)
    return named is None or not _is_person(mention.sentence, named) or word_key(named) in other.sentence.names


def _is_person(sentence: Sentence, name: str) -> bool:
    """The entities layer tags a person in the sentence whose name ends with ``name``."""
    return any(label == "PERSON" and sentence.surface.get(key, "").lower().split()[-1:] == [name]
               for key, label in sentence.actors.items())


def _values_one_fact(first: list[Mention], second: list[Mention]) -> bool:
    """Every value of ``first`` and every other value of ``second`` have two mentions that are of one fact."""
    values = {(a.value, b.value) for a in first for b in second if a.value != b.value}
    supported = {(a.value, b.value) for a in first for b in second if a.value != b.value and _one_fact(a, b)}
    return values <= supported


def _one_fact(a: Mention, b: Mention) -> bool:
    """Two mentions can be of one slot: the same value, or different values that the parse shows to be of
    one fact (``_count_alike``) and, for counts, of one order. Clock times and planned days are few per
    story: they need nothing more than aligned sentences."""
    if a.value == b.value:
        return True
    if a.kind == "date":
        if a.measure == "time":
            return _clocks_close(a, b)
        return (_planned(a) and _planned(b)) or _count_alike(a, b) or _leads_alike(a, b)
    if a.measure == "duration":
        return _lengths_alike(a, b)
    if a.crowded or b.crowded:
        return False
    return _closeness(a, b) >= MIN_CLOSENESS and _count_alike(a, b)


def _same_action(a: Mention, b: Mention) -> bool:
    """One action, other than saying so ("Fanning said ... at about 4:20" tells nothing of what happened then)."""
    return a.role is not None and b.role is not None and a.role.action not in _STATEMENT_VERBS | {None} \
        and a.role.action == b.role.action


def _clocks_close(a: Mention, b: Mention) -> bool:
    """Two clock times of one story an hour apart or less: outlets that disagree on when something happened
    are minutes apart ("3:30" / "3:33"), while a story's happenings are hours apart (a fire called in at 3:30,
    put out by 6:40)."""
    return abs(_minutes(a.value) - _minutes(b.value)) <= MAX_CLOCK_GAP


def _minutes(clock: str) -> int:
    """ "02:30" -> 150."""
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _closeness(a: Mention, b: Mention) -> float:
    """The smaller count over the larger; 0.5 when one is a score or record."""
    sizes = sorted(size for size in (_magnitude(a.value), _magnitude(b.value)) if size is not None)
    return sizes[0] / sizes[1] if len(sizes) == 2 and sizes[1] else 0.5


def _same_people(a: Mention, b: Mention) -> bool:
    """Both count the same kind of people, or one just counts "people"."""
    first, second = a.context & _PERSONS, b.context & _PERSONS
    return bool(first & second or (first | second) & _GENERIC_PERSONS)


def shared_context(a: Mention, b: Mention) -> tuple[int, bool]:
    """Context words both mentions have ("people" aside), and whether both count people."""
    shared = a.context & b.context
    return len(shared - _GENERIC_PERSONS - {"@persons"}), "@persons" in shared


def slots(mentions: list[Mention]) -> list[list[Mention]]:
    """Mentions linked to their mutual best partner in every other article, grouped into slots.

    Links are taken best first, and two groups join only when no article has a mention in both (a
    slot holds one mention per article, which keeps "300 held" from chaining to "400 rallied") and
    every two different values across them are shown to be of one fact by some two of their mentions:
    a chain of likely partners ("Luck threw for 205 yards" - "threw for 300 yards" - "gained 507
    yards") is no slot.
    """
    by_article: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        by_article[m.article.id].append(i)
    best: dict[tuple[int, str], tuple[float, int]] = {}
    for i, m in enumerate(mentions):
        for article_id, members in by_article.items():
            if article_id != m.article.id:
                score, j = max(((_score(m, mentions[j]), -j) for j in members), default=(0.0, 0))
                if score > 0:
                    best[(i, article_id)] = (score, -j)
    mutual = sorted(
        (-score, i, j)
        for (i, article_id), (score, j) in best.items()
        if i < j and best.get((j, mentions[i].article.id), (0.0, -1))[1] == i
    )
    slot_of = list(range(len(mentions)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(mentions))}
    articles_of: dict[int, set[str]] = {i: {m.article.id} for i, m in enumerate(mentions)}
    for _, i, j in mutual:
        a, b = slot_of[i], slot_of[j]
        if a != b and not articles_of[a] & articles_of[b] and _values_one_fact(
            [mentions[k] for k in members[a]], [mentions[k] for k in members[b]]
        ):
            for k in members[b]:
                slot_of[k] = a
            members[a] += members.pop(b)
            articles_of[a] |= articles_of.pop(b)
    groups = [[mentions[k] for k in sorted(group)] for group in members.values()]
    return [g for g in groups if len({m.article.id for m in g}) > 1]


def conflicts(articles: list[Article]) -> tuple[list[Conflict], list[list[Mention]], list[Mention]]:
    """The conflicting slots, every slot and every mention (omissions and agreements are found from the
    slots too)."""
    mentions = fact_mentions(articles)
    found = slots(mentions)
    result = []
    for group in found:
        given = _fact_values(group)
        if len(given) > 1 and len(_outlets(given)) > 1 and not _compatible(group):
            result.append(Conflict(group[0].kind, slot_name(group), given, _rising(group)))
    return sorted(result, key=lambda c: (c.kind, c.slot)), found, mentions


def stated_by(slot: list[Mention], mentions: list[Mention]) -> set[str]:
    """The ids of articles outside the slot with a mention of one of its values that could fill it, which the
    slot (one mention per article) left to another of their mentions. Saying an outlet left a fact out when
    it gives it is the worse error, so the mention needs the same quantity, not an aligned sentence: "Ellen
    DeGeneres hosted the Oscars in 2007" far down one report states the year another's lead gives."""
    inside = {m.article.id for m in slot}
    values = {m.value for m in slot}
    return {m.article.id for m in mentions if m.article.id not in inside and m.value in values
            and any(_same_quantity(m, member) and _count_alike(m, member) for member in slot)}


def agreements(found: list[list[Mention]]) -> list[Agreement]:
    """The slots that two outlets or more fill alike, the most widely carried first."""
    result = []
    for group in found:
        given = _fact_values(group)
        outlets = _outlets(given)
        if len(outlets) > 1 and (len(given) == 1 or _compatible(group)):
            result.append(Agreement(group[0].kind, slot_name(group), given, outlets))
    return sorted(result, key=lambda a: (-len(a.outlets), a.kind, a.slot))


def _fact_values(group: list[Mention]) -> list[FactValue]:
    """The slot's values, each with its evidence and when it was first published."""
    values: dict[str, list[Evidence]] = defaultdict(list)
    for m in sorted(group, key=lambda m: (m.article.id, m.start)):
        values[m.value].append(_evidence(m))
    times = _first_published(group)
    return [FactValue(v, ev, times[v].isoformat() if v in times else None) for v, ev in sorted(values.items())]


def _outlets(values: list[FactValue]) -> list[str]:
    return sorted({e.outlet for value in values for e in value.evidence})


def _first_published(group: list[Mention]) -> dict[str, datetime]:
    """Each value's earliest publication time among the dated reports that give it."""
    times: dict[str, datetime] = {}
    for m in group:
        moment = published_at(m.article)
        if moment is not None and (m.value not in times or moment < times[m.value]):
            times[m.value] = moment
    return times


def _rising(group: list[Mention]) -> bool:
    """A count that only grew: every report of a higher figure came out after every report of a lower one
    (dated to the minute), as a toll rises over the day. Outlets that differ at one time are a dispute."""
    if group[0].kind != "number" or group[0].measure != "count":
        return False
    spans: dict[float, list[datetime]] = defaultdict(list)
    for m in group:
        size, moment = _magnitude(m.value), published_at(m.article)
        if size is None or moment is None or "T" not in (m.article.published or ""):
            return False
        spans[size].append(moment)
    sizes = sorted(spans)
    return all(max(spans[low]) < min(spans[high]) for low, high in pairwise(sizes))


APPROXIMATELY = 0.1  # "about 600 metres" agrees with 609: a figure given as approximate is good to 10 %


CLOCK_SLACK = 10  # minutes: "at about 7 p.m." agrees with 7:01 p.m., "about 1 a.m." differs from "around 1:30"
MAX_CLOCK_GAP = 60  # minutes between two clock times that may be one happening's
HOUR_SLACK = 15  # "around 9pm", a round hour, is coarser: it agrees with 20:49


def _interval(m: Mention) -> tuple[float, float, bool, bool] | None:
    """The values a count or a clock time (in minutes) allows: (low, high, low end open, high end open);
    None for a day, a year or a score."""
    if m.measure == "time":
        at = _minutes(m.value)
        if m.bound == "<=":  # "extinguished by 7 a.m."
            return float("-inf"), at, False, False
        slack = (HOUR_SLACK if at % 60 == 0 else CLOCK_SLACK) if m.bound == "~" else 0
        return at - slack, at + slack, False, False
    size = _magnitude(m.value) if m.kind == "number" else None
    if size is None:
        return None
    return {
        ">=": (size, float("inf"), False, False),
        ">": (size, float("inf"), True, False),
        "<": (size * (1 - APPROXIMATELY), size, False, True),
        "<=": (0.0, size, False, False),
        "~": (size * (1 - APPROXIMATELY), size * (1 + APPROXIMATELY), False, False),
    }.get(m.bound, (size, size, False, False))


def _compatible(group: list[Mention]) -> bool:
    """All the slot's values can be true at once: "more than 100 mph" and "120 mph", "about 600" and 609,
    "at least 15" and 17. Outlets that only bound a figure differently do not contradict each other."""
    if group[0].kind == "place":
        places = {tuple(m.value.split()) for m in group}
        return all(_within(a, b) or _within(b, a) for a in places for b in places)
    if group[0].kind == "person":  # a name is known by its last word: "Smith" is "A.J. Smith"
        return len({m.value.split()[-1] for m in group}) == 1
    if any(m.measure == "weekday" for m in group):  # "Thursday" and "2011-11-10" (a Thursday) agree
        return len({_weekday(m.value) for m in group}) == 1
    if group[0].measure == "age":
        dated = [(moment.date(), int(m.value)) for m in group
                 if (moment := published_at(m.article)) and m.value.isdigit()]
        if len(dated) == len(group):
            return all(_aged(*first, *second) for first, second in combinations(sorted(dated), 2))
    intervals = [_interval(m) for m in group]
    if any(i is None for i in intervals):
        return len({m.value for m in group}) == 1
    low = max(i[0] for i in intervals if i)
    high = min(i[1] for i in intervals if i)
    if low != high:
        return low < high
    return not any((i[0] == low and i[2]) or (i[1] == high and i[3]) for i in intervals if i)


def _aged(earlier: date, age: int, later: date, older: int) -> bool:
    """One person can be ``age`` on the earlier day and ``older`` on the later: "Orozco, 27" in a report of
    2005 and "Orozco, 29" in one of his trial in 2007; on one day, one age."""
    years = (later - earlier).days / DAYS_PER_YEAR
    return int(years) <= older - age <= (int(years) + 1 if later > earlier else 0)


def _weekday(value: str) -> str:
    """ "2011-11-10" -> "Thursday"; a weekday name as it is."""
    return _WEEKDAYS[date.fromisoformat(value).weekday()] if value[:1].isdigit() else value


def _within(place: tuple[str, ...], other: tuple[str, ...]) -> bool:
    """ "Bruce Township" is "Macomb County's Bruce Township" said shorter."""
    return other[len(other) - len(place):] == place


def _evidence(m: Mention) -> Evidence:
    """A number with its neighbouring words ("17 injured"); a date with its whole sentence."""
    if m.kind == "date":
        return evidence(m.article, m.sentence.start, m.sentence.end)
    return evidence(m.article, *_phrase(m))


def _phrase(m: Mention) -> tuple[int, int]:
    """The number with its qualifiers ("at least") and the words around it up to its context words, inside its
    clause: "in India by 65 percent", not "percent, in India by 65 percent" (another clause's "80 percent")."""
    text = m.article.text
    clause = _clause_bounds(text, m.sentence, m.start, m.end,
                            _DURATION_BREAK if m.measure == "duration" else _CLAUSE_BREAK)
    tokens = list(_TOKEN.finditer(text, *clause))
    inside = [t for t in tokens if word_key(t.group(0)) in m.context]
    start = min([m.start] + [t.start() for t in inside if t.start() >= m.start - 40])
    qualifiers = [t for t in tokens if t.end() <= start and t.group(0).lower() in _QUALIFIERS | {"at", "a", "an"}]
    while qualifiers and _only_space_between(text, qualifiers[-1].end(), start):
        start = qualifiers.pop().start()
    end = max([m.end] + [t.end() for t in inside if t.end() <= m.end + 60])
    return start, end


def _only_space_between(text: str, start: int, end: int) -> bool:
    return not text[start:end].strip()


def slot_name(group: list[Mention]) -> str:
    """The fact in a reader's words, after the names most of its sentences share: "Kharniv: people
    injured", "Blinken, Lavrov: date of the meeting". Without a parse, the shared context words."""
    labels = [m.role.label for m in group if m.role is not None and m.role.label]
    labels = [label for label in labels if label != "date"] or labels  # "date" alone says least
    if not labels:
        return _context_words(group)
    if group[0].measure == "holder":  # the label is the office as most write it: "Chargers general manager"
        return max(sorted(set(labels)), key=labels.count)
    if group[0].measure in _PERSON_MEASURES:  # the label names the person: "Robert Buckley: age"
        return _person_label(labels)
    names = _shared_names(group)
    label = max(sorted(set(labels)), key=labels.count)
    measure = group[0].measure
    if measure == "duration":  # the verbs beside a length differ ("spent", "surrendered after"): its words say what
        label = f"duration ({_context_words(group, most=2, sep=', ')})"
    elif measure in _DATE_WORDS and label.startswith("date"):
        label = _DATE_WORDS[measure] + label[len("date"):]  # "time of the raid", "year founded"
    elif measure == "money" or measure.isupper():
        label = f"{label} ({measure})"  # "offered (USD)"
    return f"{', '.join(names)}: {label}" if names else label


def _person_label(labels: list[str]) -> str:
    """The form of the person's name that most labels end with, of two words or more when there is one:
    "Tomas Varga: age" over "Climber Tomas Varga: age" (a role word taken into the name) and "Varga: age"."""
    full = [label for label in labels if len(label.split()) > 2] or labels
    return max(sorted(set(full)), key=lambda label: (sum(other.endswith(" " + label) or other == label
                                                         for other in labels), -len(label)))


_DATE_WORDS = {"time": "time", "weekday": "day", "year": "year", "duration": "duration"}


def _shared_names(group: list[Mention], most: int = 2) -> list[str]:
    """Names of people first, then organisations and places, that more than half of the slot's sentences
    carry; a name is known by its last word, so "Anthony Blinken" and "Antony Blinken" are one."""
    counts: dict[str, int] = defaultdict(int)
    surface: dict[str, str] = {}
    people = set()
    for m in group:
        seen = set()
        for key, label in m.sentence.actors.items():
            name = m.sentence.surface[key]
            last = name.split()[-1].lower()
            if last not in seen:
                seen.add(last)
                counts[last] += 1
                surface.setdefault(last, name)
            if label == "PERSON":
                people.add(last)
    shared = [k for k in counts if 2 * counts[k] > len(group)]
    return [surface[k] for k in sorted(shared, key=lambda k: (k not in people, -counts[k], k))[:most]]


def _context_words(group: list[Mention], most: int = 3, sep: str = " ") -> str:
    """The context words most of the slot's mentions share, as written."""
    counts: dict[str, int] = defaultdict(int)
    surface: dict[str, str] = {}
    for m in group:
        for key in m.context:
            counts[key] += 1
            if key in m.sentence.surface:
                surface.setdefault(key, m.sentence.surface[key])
    top = sorted((k for k in counts if k in surface and not k.startswith("@")), key=lambda k: (-counts[k], k))[:most]
    return sep.join(surface[k] for k in top)
