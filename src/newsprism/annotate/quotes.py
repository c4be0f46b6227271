"""Quotes with their cue, speaker mention and resolved speaker, from the shared spaCy parse.

Direct quotes come from a linear scan for paired quotation marks (also the ''X'' of some newspapers);
indirect ones from the clausal complement of a reporting verb ("X said (that) CLAUSE", "CLAUSE, X said",
"The risk, X said, is ...", "according to X, CLAUSE", "CLAUSE, according to X") or, without a clause,
from its object ("announced a new program", "promised to veto it"); an indirect clause holding a quoted
fragment is a mixed quote. A cueless quote opening the paragraph after an attributed one continues it.
The speaker is the subject of the cue (the agent of a passive, none for a passive without one, the
object of "according to"), resolved to a name and a kind by ``speakers``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newsprism.annotate.entities import canonical_name
from newsprism.annotate.nlp import doc_text, parse, sentence_of
from newsprism.annotate.registry import component
from newsprism.annotate.speakers import (
    NOBODY,
    PERSON,
    Mentions,
    Said,
    Speaker,
    collect_mentions,
    resolve_speaker,
    speaker_role,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# 0.5: a title in quotation marks ("Kate and Leopold") is no quote; 0.4: a group's preposition needs its object
# ("Police at first told"); police and court ranks are titles
VERSION = "0.5"
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
INVERTED_CUES = frozenset({"said", "says", "added", "asked", "wrote"})
# Closing marks accepted for each opening mark. Straight and curly double marks close each other (texts
# mix them); two apostrophes or backticks are the double mark of some newspapers' typesetting (''X'').
PAIRS = {'"': ('"', "”"), "“": ("”", '"'), "„": ("“", "”"), "«": ("»",), "‹": ("›",), "‘": ("’",),
         "‚": ("‘", "’"), "''": ("''",), "``": ("''",)}


@dataclass
class Quote:
    """One quote: ``start``/``end`` index the text; cue and speaker are token-aligned spans."""

    start: int
    end: int
    kind: str
    cue: tuple[int, int] | None = None
    speaker: tuple[int, int] | None = None
    said_by: Speaker = NOBODY

    @property
    def speaker_name(self) -> str | None:
        return self.said_by.name

    def to_dict(self, text: str) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": text[self.start:self.end], "kind": self.kind,
                "cue": _span_dict(text, self.cue), "speaker": _span_dict(text, self.speaker),
                "speaker_name": self.said_by.name, "speaker_kind": self.said_by.kind,
                "speaker_role": self.said_by.role}


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
    if token.lower_ in INVERTED_CUES and token.dep_ == "compound" and token.head.pos_ == "PROPN":
        return True  # "Said Okafor: ..." parsed as part of the name
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
    text = doc_text(head.doc)
    while end > start and text[end - 1] in ",;: ":
        end -= 1
    return start, end


# --- assembling quotes ----------------------------------------------------------------------------

def _token_at(doc: Doc, starts: list[int], offset: int) -> Token:
    """The token covering ``offset``, or the last one starting before it."""
    return doc[max(0, bisect.bisect_right(starts, offset) - 1)]


def _window(doc: Doc, starts: list[int], sents: list[int], start: int, end: int) -> list[Token]:
    """Tokens of the sentences around a quote, including the one after its closing mark."""
    if not len(doc):
        return []
    first = _token_at(doc, starts, start)
    after = end + 1
    while after < len(doc_text(doc)) and doc_text(doc)[after] in " \"”’»":
        after += 1
    last = _token_at(doc, starts, after)
    s = max(sentence_of(sents, len(doc), first.i)[0], first.i - WINDOW_TOKENS)
    e = sentence_of(sents, len(doc), last.i)[1]
    if e < len(doc) and s < e and doc[e - 1].is_punct and doc[e].is_lower:
        e = sentence_of(sents, len(doc), e)[1]
    return list(doc[s:min(e, last.i + WINDOW_TOKENS)])


def _find_cue(doc: Doc, starts: list[int], sents: list[int], start: int, end: int,
              regions: list[tuple[int, int]]) -> Token | None:
    """The reporting verb nearest the quote, outside every quote, preferring one after it."""
    best, best_distance = None, 10**9
    text = doc_text(doc)
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
    text = doc_text(doc)
    at = start - 1
    while at > max(0, start - 12) and text[at] in " \n\"“«'`":
        at -= 1
    if text[at:at + 1] != ":":
        return None
    colon = _token_at(doc, starts, at)
    first = max(sentence_of(sents, len(doc), colon.i)[0], colon.i - WINDOW_TOKENS)
    return next((t for t in reversed(doc[first:colon.i]) if _is_cue(t) and not _inside(t.idx, regions)), None)


def _attribute(quote: Quote, cue: Token, regions: list[tuple[int, int]], mentions: Mentions,
               previous: Quote | None) -> None:
    quote.cue = _cue_span(cue)
    head = _subject(cue) if _has_subject(cue) else _noun_before(cue, regions) or _inverted_subject(cue)
    if (head is None or _inside(head.idx, regions)) and cue.tag_ == "VBG":
        head = _subject_of_cue_before(cue, regions)  # '“A,” X said, suggesting ..., “B”'
    if head is None or _inside(head.idx, regions):
        return
    quote.speaker = _speaker_extent(head, regions)
    mention = doc_text(head.doc)[quote.speaker[0]:quote.speaker[1]]
    if re.search(r"[^\W\d_]/[^\W\d_]", mention):
        return  # a photo credit ("Jane Roe/Agency"), never a speaker
    said = Said(previous.said_by, previous.speaker[0]) if previous is not None and previous.speaker else None
    speaker = resolve_speaker(head, mentions, said)
    if speaker.name and speaker.name.startswith(cue.text + " "):  # "Said Okafor": the cue is no part of the name
        speaker = Speaker(speaker.name[len(cue.text) + 1:], speaker.kind, speaker.role)
    if speaker.kind == PERSON and speaker.name and head.pos_ != "PRON":
        mentions.add_person(head.idx, speaker.name)
        speaker = Speaker(speaker.name, PERSON, speaker.role or speaker_role(mention, speaker.name))
    quote.said_by = speaker


def _inverted_subject(cue: Token) -> Token | None:
    """'Said Ellis: “...”': the parser makes the cue a modifier of the name after it."""
    return cue.head if cue.dep_ in ("compound", "amod") and cue.head.pos_ == "PROPN" and cue.head.i > cue.i else None


def _subject_of_cue_before(cue: Token, regions: list[tuple[int, int]]) -> Token | None:
    """The subject of the nearest cue before a participle cue in its sentence, outside quotes."""
    for token in reversed(cue.doc[max(cue.sent.start, cue.i - WINDOW_TOKENS):cue.i]):
        if _is_cue(token) and not _inside(token.idx, regions):
            subject = _subject(token)
            return subject if subject is not None and not _inside(subject.idx, regions) else None
    return None


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


def _continue_speakers(text: str, quotes: list[Quote]) -> None:
    """A cueless direct quote takes the speaker of the attributed quote just before it."""
    previous = None
    for quote in quotes:
        if quote.kind == "direct" and quote.cue is None and _continues(text, previous, quote.start):
            assert previous is not None
            quote.cue, quote.speaker, quote.said_by = previous.cue, previous.speaker, previous.said_by
        if quote.speaker is not None:
            previous = quote


def _continues(text: str, previous: Quote | None, start: int) -> bool:
    """A quote right after an attributed one ('“A,” she said. “B.”', 'A, X said. “B.”') shares it, also
    when it opens the next paragraph (the convention for a quote running on over paragraphs)."""
    if previous is None or previous.speaker is None:
        return False
    gap = text[previous.end:start]
    breaks = gap.count("\n\n")
    opens_paragraph = breaks == 1 and not gap[gap.rfind("\n\n"):].strip(" \n\"“'`«")
    return len(gap) <= CONTINUATION_CHARS and (breaks == 0 or opens_paragraph)


def direct_quotes(doc: Doc, sents: list[int], regions: list[tuple[int, int]], mentions: Mentions) -> list[Quote]:
    text = doc_text(doc)
    quotes: list[Quote] = []
    starts = [token.idx for token in doc]
    for start, end in regions:
        previous = quotes[-1] if quotes else None
        quote = Quote(start, end, "direct")
        cue = _find_cue(doc, starts, sents, start, end, regions)
        if cue is not None:
            _attribute(quote, cue, regions, mentions, previous)
        if (cue is None and len(text[start:end].split()) < MIN_UNCUED_WORDS) or _a_title(text, start, end):
            continue
        quotes.append(quote)
    return quotes


_TITLE_FUNCTION_WORDS = frozenset(("a", "an", "the", "and", "or", "nor", "but", "of", "to", "in", "on", "at", "for",
                                   "from", "with", "by", "up", "out", "as"))
MIN_TITLE_WORDS, MAX_TITLE_WORDS = 3, 10
TITLE_CONTEXT_CHARS = 40
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_SENTENCE_INSIDE = re.compile(r"[.!?]\s+[A-Z]")


def _a_title(text: str, start: int, end: int) -> bool:
    """ "Kate and Leopold", "The Boy from Oz", "Take Me Out to the Ball Game": a work's or an event's title in
    quotation marks, every word capitalised but the small ones, in a sentence that is not (a headline's
    quote, "Warren to CEO: ‘You Should Be Criminally Investigated’", is someone's words)."""
    words = _WORD.findall(text, start, end)
    if not MIN_TITLE_WORDS <= len(words) <= MAX_TITLE_WORDS or not _title_cased(words) \
            or _SENTENCE_INSIDE.search(text, start, end):  # "The Donald. Big Daddy." is said
        return False
    window = max(0, start - TITLE_CONTEXT_CHARS)
    line_break = text.rfind("\n", window, start)
    cut = line_break < 0 and window > 0 and text[window - 1].isalnum()  # the window's first word is cut
    before = _WORD.findall(text, line_break + 1 if line_break >= 0 else window, start)[1 if cut else 0:]
    return bool(before) and not _title_cased(before)


def _title_cased(words: list[str]) -> bool:
    return words[0][0].isupper() and all(w[0].isupper() or w in _TITLE_FUNCTION_WORDS for w in words)


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
    start, end = sentence_of(sents, len(cue.doc), cue.i)
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
            if clause is None and (cue.dep_ == "parataxis" or _as_said(cue)):
                clause = cue.head  # 'The risk, he said, is ...', 'CLAUSE, he said' and 'As he said, CLAUSE
            extent = _clause_extent(cue, clause) if clause is not None else _object_extent(cue)
        if extent is not None:
            extent = _on_cue_line(doc_text(doc), extent, cue.idx)
        if extent is None or len(doc_text(doc)[extent[0]:extent[1]].split()) < 3:
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


def _as_said(cue: Token) -> bool:
    """'As X said earlier, CLAUSE': the cue hangs on the clause it reports."""
    return cue.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in cue.children)


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
    regions = quoted_regions(doc_text(doc))
    sents = [sent.start for sent in doc.sents]
    mentions = collect_mentions(doc, sents, lambda i: _in_quote(i, regions))
    direct = direct_quotes(doc, sents, regions, mentions)
    indirect = indirect_quotes(doc, sents, regions, mentions, direct)
    mixed_spans = [(q.start, q.end) for q in indirect if q.kind == "mixed"]
    kept = [q for q in direct if not any(s <= q.start and q.end <= e for s, e in mixed_spans)]
    quotes = sorted(kept + indirect, key=lambda q: (q.start, q.end))
    _continue_speakers(doc_text(doc), quotes)
    for quote in quotes:
        if quote.said_by.name:
            quote.said_by = Speaker(canonical_name(text, quote.said_by.name), quote.said_by.kind, quote.said_by.role)
    return quotes


@component("quotes", version=VERSION)
def quotes_layer(text: str, dct: str | None) -> list[dict[str, Any]]:
    """The `quotes` layer of interfaces.md."""
    return [quote.to_dict(text) for quote in find_quotes(text)]
