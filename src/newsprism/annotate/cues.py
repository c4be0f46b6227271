"""Cues of the devices state media use that PTC's annotators, and so the techniques model, rarely mark.

Doubt-casting: the distancing devices that discredit a claim or an actor ("so-called", "alleged"
with a quoted phrase or a denial, "no evidence", "staged"). A bare "alleged" is neutral in court
reporting, so it needs a quoted phrase or a denial nearby. Scare quotes alone are left to the model:
on PTC most are loaded language, and many are plain quotations.

Labels and idioms: the delegitimising labels for a government ("the X regime", "junta", "puppet"),
the claim that an actor is run from abroad ("their Western handlers", "foreign curators") and a few
emotive idioms ("human shields", "caught red-handed", "hysteria"), and the charge that Western
media or governments keep silent about the other side's victims (a whataboutism). PTC's mostly American articles
seldom mark them ("regime" lies inside a marked span in 17 % of its uses there), yet they are the
stock vocabulary analysts of state media track. Each pattern is narrowed so that plain uses do not
match: "sanctions regime" or "the bill's sponsors" are not cues.

``techniques`` adds each cue as a span of the cue's technique carrying the cue's name. Patterns
cover English, German and Russian.
"""

from __future__ import annotations

import re
from itertools import islice

QUOTE_OPEN = "\"“„«‘'"
QUOTE_CLOSE = "\"”“»’'"
_QUOTED = rf"[{QUOTE_OPEN}][^{QUOTE_OPEN}{QUOTE_CLOSE}\n]{{1,60}}[{QUOTE_CLOSE}]"
_WORD = r"[^\W\d_][\w'’-]*"
# The words after a cue, up to five, stopping at a function word; trimmed to the noun phrase below.
_STOP = (r"(?:is|are|was|were|has|have|had|that|which|who|and|but|or|to|of|in|on|at|for|with|by|as"
         r"|ist|sind|war|hat|und|aber|der|die|das|в|и|на|что|это)")
_PHRASE = rf"(?:{_QUOTED}|(?!{_STOP}\b){_WORD}(?:[ -](?!{_STOP}\b){_WORD}){{0,4}})"
_DENIAL = (r"(?:myth|fabrication|fabricated|invention|invented|lie|lies|hoax|fake|nonsense|propaganda"
           r"|Mythos|Erfindung|erfunden|Lüge|миф|выдумка|фейк|ложь)")
_CLAUSE = r"[^.;!?\n]{0,80}?"

_RU_ADJECTIVE = re.compile(r"\w+(?:ый|ий|ой|ая|яя|ое|ее|ые|ие|ого|его|ому|ему|ую|юю|ых|их|ым|им)$", re.IGNORECASE)

DOUBT = "Doubt"
LABEL = "Name_Calling,Labeling"
LOADED = "Loaded_Language"
WHATABOUT = "Whataboutism,Straw_Men,Red_Herring"
_EN_FOREIGN = r"(?:Western|foreign|overseas|American|U\.?S\.?|NATO|Washington['’]s)"
_EN_MEDIA = (r"(?:Western|mainstream|European|American)\s+(?:media|press|governments?|capitals|journalists"
             r"|politicians|news\s+(?:agencies|outlets))")
_EN_SILENT = (r"(?:(?:remained|kept|fell|are|were|stay(?:ed)?)\s+silent|ignored?|ignoring|(?:not|never)\s+(?:to\s+)?"
              r"(?:notice|mention|report)|hush(?:ed)?\s+up|turn(?:ed)?\s+a\s+blind\s+eye|look(?:ed)?\s+the\s+other\s+way)")

# (name, technique, pattern, how the phrase after the cue ends: "en" by the parse, "de" at the first
# noun, "ru" after the adjectives and one noun; none where the pattern's match is the span)
_TABLE = (
    ("so-called", DOUBT, rf"\b(?:so[-\u2011]called|self-(?:styled|proclaimed))\s+{_PHRASE}", "en"),
    ("so-called", DOUBT, rf"\b(?:sogenannte[nrms]?|selbsternannte[nrms]?)\s+{_PHRASE}", "de"),
    ("so-called", DOUBT, rf"(?<!\w)(?:так\s+называем\w*|самопровозглаш[её]нн\w*)\s+{_PHRASE}", "ru"),
    ("alleged, quoted", DOUBT, rf"\b(?:alleged|supposed|purported|angebliche[nrms]?|якобы)\s+{_QUOTED}"),
    ("alleged, denied", DOUBT,
     rf"\b(?:alleged|supposed|purported|angebliche[nrms]?|мнимы\w*){_CLAUSE}\b{_DENIAL}\b"),
    ("no evidence", DOUBT, r"\b(?:without\s+(?:a\s+shred\s+of\s+|any\s+)?(?:evidence|proof)"
                           r"|(?:provided|offered|presented|produced|shown)\s+no\s+(?:evidence|proof)"
                           r"|no\s+(?:evidence|proof)\s+(?:has|have|was|were)\s+(?:been\s+)?(?:provided|presented|offered)"
                           r"|(?:could|can)\s+not\s+be\s+(?:independently\s+)?(?:verified|confirmed)"
                           r"|ohne\s+(?:jeden\s+|jegliche[nrs]?\s+)?Beweis\w*"
                           r"|(?:никаких\s+|без\s+)доказательств\w*)"),
    # "a term invented in X", "concocted by Y"; never "invented in China 3,000 years ago"
    ("fabrication claim", DOUBT, rf"\b(?:(?:term|word|story|narrative|myth|label|claim|slogan)s?\s+"
                                 rf"(?:invented|fabricated|concocted|cooked\s+up|dreamed\s+up|made\s+up)"
                                 rf"|fabricated|concocted|cooked\s+up|dreamed\s+up)\s+(?:by|in|at)\s+(?:the\s+)?{_PHRASE}"),
    ("discrediting adjective", DOUBT, rf"\b(?:staged|sham|bogus|fake|inszeniert\w*|инсценированн\w*)\s+{_WORD}"),
    # "the Kharnov regime", "the regime's", never "sanctions regime": a name or "the" before it
    ("delegitimising label", LABEL, r"\b(?:(?-i:[A-Z])[\w’'-]+\s+regime|the\s+regime|juntas?|neo-?Nazis?"
                                    r"|puppets?(?:\s+(?:government|regime|state|president|leader)s?)?)\b"),
    ("delegitimising label", LABEL, r"\b(?:(?-i:[A-Z])\w+er\s+Regimes?|Junta|Marionetten\w*|Neonazis?)\b"),
    ("delegitimising label", LABEL, r"(?<!\w)(?:\w+[сц]к(?:ий|ого|ому|им|ом)\s+режим\w*|хунт\w*|марионеточн\w*"
                                    r"|неонацист\w*)"),
    ("run from abroad", LABEL, rf"\b(?:(?:{_EN_FOREIGN}|its|their)\s+(?:handlers|curators|masters|puppet[- ]?masters"
                               rf"|puppeteers)|{_EN_FOREIGN}\s+(?:patrons|sponsors|paymasters))\b"),
    ("foreign money", LABEL, rf"\b(?:(?:funded|financed|paid|sponsored|bankrolled)\s+"
                             rf"(?:from\s+abroad|by\s+{_EN_FOREIGN}\s+{_WORD})"
                             rf"|foreign[- ](?:funded|financed|backed)|foreign\s+agents?)\b"),
    ("foreign money", LABEL, r"\b(?:aus\s+dem\s+Ausland\s+(?:finanziert|bezahlt|gesteuert)\w*"
                             r"|ausländische[nr]?\s+Agenten)"),
    ("foreign money", LABEL, r"(?<!\w)(?:иностранн\w+\s+агент\w*|финансиру\w+\s+из-за\s+рубежа"
                             r"|на\s+(?:западные|иностранные)\s+(?:деньги|гранты))"),
    ("run from abroad", LABEL, r"\b(?:(?:westlichen|ausländischen)\s+(?:Hintermännern?|Kuratoren|Herren|Geldgebern?)"
                               r"|Strippenzieher\w*|Handlanger\w*)"),
    ("run from abroad", LABEL, r"(?<!\w)(?:западн\w+|зарубежн\w+|иностранн\w+|заокеанск\w+)\s+(?:куратор\w*|хозя\w+"
                               r"|спонсор\w*)"),
    ("media silence", WHATABOUT, rf"\b(?:{_EN_MEDIA}{_CLAUSE}\b{_EN_SILENT}|nobody\s+in\s+the\s+{_EN_MEDIA}"
                                 rf"\s+(?:asks|reports|mentions))\b"),
    ("media silence", WHATABOUT, r"\b(?:westliche[nr]?\s+(?:Medien|Regierungen|Presse)[^.;!?\n]{0,80}?"
                                 r"\b(?:verschweig|schweig|ignorier)\w*)"),
    ("media silence", WHATABOUT, r"(?<!\w)(?:западн\w+\s+(?:СМИ|пресс\w*|правительств\w*|стран\w*)[^.;!?\n]{0,80}?"
                                 r"(?:замалчива|молча|игнорир|не\s+замеча)\w*)"),
    ("emotive idiom", LOADED, r"\b(?:human\s+shields?|caught\s+red[- ]handed|witch[- ]hunts?|smear\s+campaigns?"
                              r"|hysteri(?:a|cal|cs)|Russophob\w*|(?:attempts?|bid|efforts?)\s+to\s+sabotage"
                              r"|(?:cynical|transparent|desperate)\s+(?:ploy|stunt|manoeuvre|maneuver)s?)\b"),
    ("emotive idiom", LOADED, r"\b(?:menschliche[n]?\s+Schutzschilde?|auf\s+frischer\s+Tat\s+ertappt|Hexenjagd"
                              r"|Schmutzkampagne|Hysterie|hysterisch\w*|russophob\w*|durchsichtige[nrs]?\s+Manöver)"),
    ("emotive idiom", LOADED, r"(?<!\w)(?:живо\w+\s+щит\w*|истери\w+|русофоб\w*|охот\w+\s+на\s+ведьм"
                              r"|с\s+поличным)"),
)
CUES: tuple[tuple[str, str, re.Pattern[str], str], ...] = tuple(
    (name, technique, re.compile(pattern, re.IGNORECASE), trim[0] if trim else "")
    for name, technique, pattern, *trim in _TABLE
)


MAX_CUES = 200  # per text, per pattern: an article has a handful; a hostile page is not parsed 10,000 times


def find_cues(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, cue name, technique) of every device in ``text``; overlapping ones are joined
    under the first one's name."""
    found = []
    for name, technique, pattern, trim in CUES:
        matches = list(islice(pattern.finditer(text), MAX_CUES))
        lengths = phrase_lengths([match.group(0) for match in matches], trim)
        for match, length in zip(matches, lengths, strict=True):
            found.append((match.start(), match.start() + length, name, technique))
    joined: list[tuple[int, int, str, str]] = []
    for start, end, name, technique in sorted(found):
        if joined and start < joined[-1][1]:
            first, last, kept, kept_technique = joined[-1]
            joined[-1] = (first, max(last, end), kept, kept_technique)
        else:
            joined.append((start, end, name, technique))
    return joined


def phrase_lengths(matches: list[str], trim: str) -> list[int]:
    """How much of each of a pattern's matches is the cue and the noun phrase it qualifies."""
    if trim == "en":
        return _english_phrase_ends(matches)
    return [phrase_length(match, trim) for match in matches]


def phrase_length(match: str, trim: str) -> int:
    """The same for one match of a German or Russian pattern, or of one whose match is the span."""
    if not trim or _ends_quoted(match):
        return len(match)
    words = list(re.finditer(r"\S+", match))
    rest = words[2:] if trim == "ru" and words[0].group(0).lower() == "так" else words[1:]
    if trim == "de":  # German nouns are capitalised: the phrase ends at the first one
        return next((w for w in rest if w.group(0)[0].isupper()), rest[-1]).end()
    adjectives = 0  # Russian: the adjectives, by their endings, then one noun
    while adjectives < len(rest) - 1 and _RU_ADJECTIVE.match(rest[adjectives].group(0)):
        adjectives += 1
    return rest[adjectives].end()


def _ends_quoted(match: str) -> bool:
    return match.rstrip()[-1:] in QUOTE_CLOSE


# Noun chunks need the tagger and the parser only: a hostile page full of "so-called" has 200 matches
# per pattern, so they are parsed in one batch without the entity recogniser and lemmatiser (parsing 5x faster).
_NOT_FOR_CHUNKS = ("lemmatizer", "ner")


def _english_phrase_ends(matches: list[str]) -> list[int]:
    """The end of the parse's first noun chunk in each match (the parser is loaded only when a cue fires)."""
    ends = [len(match) for match in matches]
    to_parse = [i for i, match in enumerate(matches) if not _ends_quoted(match)]
    if not to_parse:
        return ends
    from newsprism.annotate.nlp import pipeline

    docs = pipeline().pipe((matches[i] for i in to_parse), disable=_NOT_FOR_CHUNKS)
    for i, doc in zip(to_parse, docs, strict=True):
        chunk = next(iter(doc.noun_chunks), None)
        ends[i] = chunk.end_char if chunk is not None else ends[i]
    return ends
