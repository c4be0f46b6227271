"""Doubt-casting cues: the distancing devices state media use to discredit a claim or an actor.

The techniques model learnt from PTC, whose annotators rarely marked the plain devices ("so-called",
"alleged", "no evidence", "staged"): the model almost never flags them, yet an analyst of state
media looks for exactly those. These patterns find them in English, German and Russian;
``techniques`` adds each as a ``Doubt`` span carrying the name of its cue. A bare "alleged" is
neutral in court reporting, so it needs a quoted phrase or a denial nearby. Scare quotes alone are
left to the model: on PTC most are loaded language, and many are plain quotations.
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

# (name, pattern, how the phrase after the cue ends: "en" by the parse, "de" at the first noun, "ru"
# after the adjectives and one noun, "" where the pattern's match is the span)
CUES: tuple[tuple[str, re.Pattern[str], str], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE), trim)
    for name, pattern, trim in (
        ("so-called", rf"\b(?:so[-\u2011]called|self-(?:styled|proclaimed))\s+{_PHRASE}", "en"),
        ("so-called", rf"\b(?:sogenannte[nrms]?|selbsternannte[nrms]?)\s+{_PHRASE}", "de"),
        ("so-called", rf"(?<!\w)(?:так\s+называем\w*|самопровозглаш[её]нн\w*)\s+{_PHRASE}", "ru"),
        ("alleged, quoted", rf"\b(?:alleged|supposed|purported|angebliche[nrms]?|якобы)\s+{_QUOTED}", ""),
        ("alleged, denied", rf"\b(?:alleged|supposed|purported|angebliche[nrms]?|мнимы\w*){_CLAUSE}\b{_DENIAL}\b", ""),
        ("no evidence", r"\b(?:without\s+(?:a\s+shred\s+of\s+|any\s+)?(?:evidence|proof)"
                        r"|(?:provided|offered|presented|produced|shown)\s+no\s+(?:evidence|proof)"
                        r"|no\s+(?:evidence|proof)\s+(?:has|have|was|were)\s+(?:been\s+)?(?:provided|presented|offered)"
                        r"|(?:could|can)\s+not\s+be\s+(?:independently\s+)?(?:verified|confirmed)"
                        r"|ohne\s+(?:jeden\s+|jegliche[nrs]?\s+)?Beweis\w*"
                        r"|(?:никаких\s+|без\s+)доказательств\w*)", ""),
        ("discrediting adjective", rf"\b(?:staged|sham|bogus|fake|inszeniert\w*|инсценированн\w*)\s+{_WORD}", ""),
    )
)


MAX_CUES = 200  # per text, per pattern: an article has a handful; a hostile page is not parsed 10,000 times


def doubt_cues(text: str) -> list[tuple[int, int, str]]:
    """(start, end, cue name) of every doubt-casting device in ``text``, overlapping ones joined."""
    found = []
    for name, pattern, trim in CUES:
        for match in islice(pattern.finditer(text), MAX_CUES):
            found.append((match.start(), match.start() + phrase_length(match.group(0), trim), name))
    joined: list[tuple[int, int, str]] = []
    for start, end, name in sorted(found):
        if joined and start < joined[-1][1]:
            first, last, kept = joined[-1]
            joined[-1] = (first, max(last, end), kept)
        else:
            joined.append((start, end, name))
    return joined


def phrase_length(match: str, trim: str) -> int:
    """How much of a cue's match is the cue and the noun phrase it qualifies."""
    if not trim or match.rstrip()[-1:] in QUOTE_CLOSE:
        return len(match)
    if trim == "en":
        return _english_phrase_end(match)
    words = list(re.finditer(r"\S+", match))
    rest = words[2:] if trim == "ru" and words[0].group(0).lower() == "так" else words[1:]
    if trim == "de":  # German nouns are capitalised: the phrase ends at the first one
        return next((w for w in rest if w.group(0)[0].isupper()), rest[-1]).end()
    adjectives = 0  # Russian: the adjectives, by their endings, then one noun
    while adjectives < len(rest) - 1 and _RU_ADJECTIVE.match(rest[adjectives].group(0)):
        adjectives += 1
    return rest[adjectives].end()


def _english_phrase_end(match: str) -> int:
    """The end of the parse's first noun chunk in the match (the parser is loaded only when a cue fires)."""
    from newsprism.annotate.nlp import pipeline

    chunk = next(iter(pipeline()(match).noun_chunks), None)
    return chunk.end_char if chunk is not None else len(match)
