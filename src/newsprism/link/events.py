"""Online event linking: each arriving article joins the most similar recent event or starts one.

An event is one happening told by many outlets (what ECB+ annotates); ``link/storylines.py``
groups events into the developing stories that hold them. Internally the clusters are still
called stories (the linker's first unit); ``EventLinker`` is the public name.

The design follows the streaming news clustering systems that do best on multi-outlet streams
(e.g. Miranda et al. 2018, "Multilingual clustering of streaming news"): a sparse TF-IDF vector
per article (document frequencies updated as the stream goes, so nothing is fitted in advance)
over normalised words of title and body plus named entities, cosine against each candidate
story's centroid, damped by the time between the article and the story when both have dates,
and a join-or-start decision on a threshold. Candidate stories come from an inverted index
over each story's top terms (bounded posting lists), so the cost per article does not grow
with the number of stories. Periodically, a story that took in a second, similar event is split
(two-means) and stories that drifted together are merged.

Bag-of-words cannot tell two events of one kind apart (two earthquakes in one region), so each
article also carries an event signature, its years and counted nouns ("17 injured"): a score is
damped when more of them contradict the story than match it. A Cyrillic report is compared
with Latin-script stories through its transliterated names only. A batch ends with closing
passes: the articles are weighed again with the whole batch's term frequencies, stories are split
and merged on one criterion (do two stories fit their members better than one, by more than a
cost per story, as in DP-means), members whose figures contradict their story's usual ones are
split off, then each article moves to the story it fits best (on a lower bar, as the stories have
taken shape), so the result depends less on the arrival order.
"""

from __future__ import annotations

import heapq
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from newsprism.extract.text import words
from newsprism.link.state import LinkState, follow_merges
from newsprism.model import Article, Event

SECONDS_PER_DAY = 86400.0
MAX_TEXT_CHARS = 50_000  # hostile inputs: only the head of a huge text counts for linking
WORD_PREFIX = 6  # "lemma-like": truncation conflates inflections (Kharnov/Харнове, Zarovia/Zarowien)
ENTITY_PREFIX = 5  # names vary more across languages (Varnia/Varnien, Kharniv/Kharnov)

_CYRILLIC = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y",
    "ь": "", "э": "e", "ю": "yu", "я": "ya", "і": "i", "ї": "i", "є": "e", "ґ": "g",
})
_CAPITALISED = re.compile(r"\b[^\W\d_a-z][\w'’-]*")
# Function words of the languages in the corpora: they carry no story, and capitalised at a
# sentence start they are not names.
_STOPWORD_LIST = """
a about above after again against all also an and any are as at be because been before being below between
both but by can could did do does doing down during each few for from further had has have having he her
here hers him his how i if in into is it its itself just me more most my no nor not now of off on once only
or other our out over own same she should so some such than that the their them then there these they this
those through to too under until up very was we were what when where which while who whom why will with
would you your said says say told tells new one two three first last year years day days week on monday
tuesday wednesday thursday friday saturday sunday mr mrs ms its it's we'll also however according
der die das und ist ein eine nicht mit von zu den dem des im am auf für sich auch als bei nach wie aus
и в на с по не что это как из за к о от для а но
"""
STOPWORDS = frozenset(_STOPWORD_LIST.split())


@dataclass(frozen=True)
class LinkParams:
    """Knobs of the linker; the defaults are the values tuned on the ECB+ train topics."""

    threshold: float = 0.14  # join the best candidate story when its score reaches this
    body_weight: float = 1.0  # weights of the per-field cosines in the score (they are normalised)
    title_weight: float = 0.5
    entity_weight: float = 1.0
    salient_weight: float = 1.0
    salient_entities: int = 6  # leading entities compared in the salient-entity field
    half_life_days: float = 1.0  # the score halves per this many days outside the story's span
    date_grace_days: float = 1.0  # no decay within this many days of the story's span
    article_terms: int = 150  # an article vector keeps its top terms only
    centroid_terms: int = 300  # a story centroid keeps its top terms only
    index_terms: int = 25  # a story is findable through this many of its top terms
    query_terms: int = 15  # an article looks up stories through this many of its top terms
    posting_limit: int = 100  # each term points at its most recently updated stories only
    max_candidates: int = 20  # full scores are computed for this many candidates at most
    merge_every: int = 20  # refine (split, then merge) the stories changed in the last this many articles
    merge_threshold: float = 0.5  # merge two stories whose centroids score this much
    merge_candidates: int = 5  # stories a changed story is compared with in a merge pass
    split_threshold: float = 0.55  # split a story whose two halves (2-means) score below this
    split_min: int = 3  # each half of a split has at least this many articles
    split_members: int = 100  # 2-means looks at a story's most recent articles only
    recent_vectors: int = 5000  # article vectors kept for splitting (bounded memory)
    archive_days: float = 30.0  # a story not updated for this many days (of the stream) is archived
    active_stories: int = 50_000  # at most this many stories stay comparable; the least recently updated go
    cross_script_terms: int = 40  # entity terms a Cyrillic article looks stories up through
    conflict_factor: float = 0.9  # score factor when more of the figures (years, counts) conflict than agree
    reassign_rounds: int = 3  # closing passes moving each recent article to the story it fits best
    reassign_threshold: float = 0.10  # their bar: lower, as the stories have taken shape by then
    story_cost: float = 1.5  # closing passes: two stories stay apart when apart they fit their members this
    # much better (summed similarity to their centroid) than together
    closing_merge_floor: float = 0.35  # and they merge only when their centroids score at least this
    closing_rounds: int = 2  # closing split-merge-reassign rounds at most


@lru_cache(maxsize=200_000)
def term_key(word: str, size: int = WORD_PREFIX) -> str:
    """A lemma-like key: folded to ASCII (Cyrillic transliterated, accents dropped), w→v, truncated."""
    folded = unicodedata.normalize("NFKD", word.lower().translate(_CYRILLIC))
    ascii_word = "".join(ch for ch in folded if not unicodedata.combining(ch)).replace("w", "v")
    return ascii_word[:size]


def content_words(text: str) -> list[str]:
    """Keys of the words of ``text`` that can carry a story (no function words, no one-letter tokens)."""
    return [term_key(w) for w in words(text[:MAX_TEXT_CHARS]) if len(w) > 1 and w not in STOPWORDS]


def entity_names(article: Article) -> list[str]:
    """Entity keys: canonical names of an ``entities`` layer if there is one, else capitalised tokens."""
    layer = article.layers.get("entities")
    if layer is not None:
        names = [str(span.attrs.get("canonical") or span.text_in(article.text)) for span in layer.spans]
        return [term_key(w, ENTITY_PREFIX) for name in names for w in words(name) if w not in STOPWORDS]
    text = f"{article.title or ''}\n{article.text[:MAX_TEXT_CHARS]}"
    found = (m.group(0) for m in _CAPITALISED.finditer(text))
    keys = (term_key(w, ENTITY_PREFIX) for token in found for w in words(token) if w.lower() not in STOPWORDS)
    return [key for key in keys if len(key) > 1]


_YEAR = re.compile(r"\b(?:19[5-9]\d|20[0-4]\d)\b")
_COUNTED = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})*(?:\.\d+)?)\s{1,3}([^\W\d_]{3,20})")
SIGNATURE_ITEMS = 40  # signature items read per article at most


def event_signature(article: Article) -> dict[str, frozenset[str]]:
    """What pins the event down, kind -> values: the years named, and counts with their nouns.

    Two events of one kind (two earthquakes, two fights) share words and names but not their
    year, magnitude or toll. Kinds are the counted noun's key ("injur", "magni") or "year".
    """
    text = f"{article.title or ''}\n{article.text[:MAX_TEXT_CHARS]}"
    found: dict[str, set[str]] = {}
    for match in _YEAR.finditer(text):
        found.setdefault("year", set()).add(match.group(0))
    for match in _COUNTED.finditer(text):
        number, noun = match.groups()
        if noun.lower() not in STOPWORDS and not _YEAR.fullmatch(number):
            found.setdefault(term_key(noun), set()).add(number.replace(",", ""))
        if len(found) >= SIGNATURE_ITEMS:
            break
    return {kind: frozenset(values) for kind, values in found.items()}


def signature_agreement(signature: Mapping[str, Iterable[str]], story: dict[str, Counter[str]]) -> tuple[int, int]:
    """(kinds where the article shares a value with the story, kinds where it shares none)."""
    agree = conflict = 0
    for kind, values in signature.items():
        seen = story.get(kind)
        if seen:
            if seen.keys().isdisjoint(values):
                conflict += 1
            else:
                agree += 1
    return agree, conflict


def usual_values(signature: dict[str, Counter[str]]) -> dict[str, Counter[str]]:
    """Each kind's most frequent value, for the kinds seen in at least two members."""
    usual: dict[str, Counter[str]] = {}
    for kind, counts in signature.items():
        value, count = min(counts.items(), key=lambda item: (-item[1], item[0]))
        if count >= 2:
            usual[kind] = Counter({value: count})
    return usual


def _contradicts(signature: dict[str, frozenset[str]], story: dict[str, Counter[str]]) -> bool:
    agree, conflict = signature_agreement(signature, story)
    return conflict > agree


def add_signature(story: dict[str, Counter[str]], signature: dict[str, frozenset[str]], sign: int = 1) -> None:
    """Count (sign 1) or uncount (sign -1) one member's signature in a story's."""
    for kind, values in signature.items():
        counts = story.setdefault(kind, Counter())
        for value in values:
            counts[value] += sign
            if counts[value] <= 0:
                del counts[value]
        if not counts:
            del story[kind]


FIELDS = ("w", "t", "e")  # body words, title words, entities: one sub-vector each, terms prefixed "w:" etc.


def article_counts(article: Article) -> Counter[str]:
    """Term counts of the three fields, each term prefixed with its field."""
    counts: Counter[str] = Counter()
    counts.update("w:" + key for key in content_words(article.text))
    counts.update("t:" + key for key in content_words(article.title or ""))
    counts.update("e:" + key for key in entity_names(article))
    return counts


def field_norms(vector: dict[str, float]) -> dict[str, float]:
    squares = dict.fromkeys(FIELDS, 0.0)
    for term, weight in vector.items():
        squares[term[0]] += weight * weight
    return {f: math.sqrt(v) for f, v in squares.items()}


def article_day(article: Article) -> float | None:
    """Publication time in days since the epoch (UTC when no zone is given), or None."""
    return publication_day(article.published)


def publication_day(published: str | None) -> float | None:
    """An ISO 8601 publication time in days since the epoch (UTC when no zone is given), or None."""
    value = (published or "").strip()
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp() / SECONDS_PER_DAY


def top_terms(vector: dict[str, float], n: int) -> list[str]:
    """The ``n`` heaviest terms, ties broken by the term so the order never depends on hashing."""
    return [t for t, _ in heapq.nsmallest(n, vector.items(), key=lambda item: (-item[1], item[0]))]


def salient_entities(vector: dict[str, float], k: int) -> dict[str, float]:
    """The ``k`` heaviest entity terms at unit length: who and where the story is about.

    Two events of the same kind share most words and many entities (the same boxer, the same
    city); the leading names are where they differ, so this field compares only those.
    """
    entities = {t: w for t, w in vector.items() if t.startswith("e:")}
    top = {t: entities[t] for t in top_terms(entities, k)}
    norm = math.sqrt(sum(w * w for w in top.values())) or 1.0
    return {t: w / norm for t, w in top.items()}


def field_dots(small: dict[str, float], large: dict[str, float]) -> dict[str, float]:
    """Dot product of two field-prefixed vectors, per field."""
    if len(small) > len(large):
        small, large = large, small
    dots = dict.fromkeys(FIELDS, 0.0)
    for term, weight in small.items():
        other = large.get(term)
        if other is not None:
            dots[term[0]] += weight * other
    return dots


@dataclass
class Cluster:
    """An event as the linker holds it: members, centroid, date span, figures, index entries."""

    id: str
    seq: int
    title: str | None
    article_ids: list[str] = field(default_factory=list)
    centroid: dict[str, float] = field(default_factory=dict)  # sum of the members' vectors
    norms: dict[str, float] = field(default_factory=dict)  # per field
    first_day: float | None = None
    last_day: float | None = None
    indexed: frozenset[str] = frozenset()
    salient: dict[str, float] = field(default_factory=dict)
    split_checked_at: int = 0  # size of the story when a split was last considered
    script: str = ""  # the script of the story's first article ("cyrillic" or "latin")
    signature: dict[str, Counter[str]] = field(default_factory=dict)  # members' event signatures, counted

    def add_vector(self, vector: dict[str, float], keep: int, salient_k: int) -> None:
        for term, weight in vector.items():
            self.centroid[term] = self.centroid.get(term, 0.0) + weight
        if len(self.centroid) > 2 * keep:  # prune in batches: amortised, and the norm stays exact
            self.centroid = {t: self.centroid[t] for t in top_terms(self.centroid, keep)}
        self.norms = field_norms(self.centroid)
        self.salient = salient_entities(self.centroid, salient_k)

    def add_day(self, day: float | None) -> None:
        if day is None:
            return
        self.first_day = day if self.first_day is None else min(self.first_day, day)
        self.last_day = day if self.last_day is None else max(self.last_day, day)


@dataclass(frozen=True)
class RecentArticle:
    vector: dict[str, float]
    title: str | None
    day: float | None
    script: str = ""
    signature: dict[str, frozenset[str]] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)


_CYRILLIC_LETTER = re.compile(r"[\u0400-\u04ff]")
_LETTER = re.compile(r"[^\W\d_]")
SCRIPT_SAMPLE_CHARS = 400  # the head of a text is enough to tell its script


def script_of(article: Article) -> str:
    """"cyrillic" when most letters of the head of the text are Cyrillic, else "latin"."""
    head = f"{article.title or ''} {article.text[:SCRIPT_SAMPLE_CHARS]}"
    letters = len(_LETTER.findall(head))
    return "cyrillic" if 2 * len(_CYRILLIC_LETTER.findall(head)) > letters else "latin"


def days_apart(story: Cluster, first: float | None, last: float | None) -> float | None:
    """Days between the span [first, last] and the story's span; None when either side has no date."""
    if first is None or last is None or story.first_day is None or story.last_day is None:
        return None
    return max(0.0, first - story.last_day, story.first_day - last)


def time_decay(apart: float | None, grace_days: float, half_life_days: float, undated: float) -> float:
    """1 within the grace period, halving per half-life beyond it; ``undated`` when either side has no date."""
    if apart is None:
        return undated
    return 0.5 ** (max(0.0, apart - grace_days) / half_life_days)


def unused_id(wanted: str, *taken: Container[str]) -> str:
    """``wanted``, or with a counter when a group (living or merged away) already had that id."""
    candidate, n = wanted, 1
    while any(candidate in ids for ids in taken):
        n += 1
        candidate = f"{wanted}-{n}"
    return candidate


class EventLinker:
    """Assigns each article of a stream to an event, online, deterministically for the same input order.

    What it knows lives in a ``LinkState``: in memory for one batch, or in the store, loaded as
    needed, so that linking N new articles into a large store costs time in N, not in the store.
    The closing passes (``finish``) look at the articles added since the last one and the events
    they touched; over an empty state that is the whole batch.
    """

    def __init__(self, params: LinkParams | None = None, state: LinkState | None = None) -> None:
        self.params = params or LinkParams()
        self.state = state if state is not None else LinkState()
        self.df = self.state.df
        self.n_docs, self._created, self._newest_day = self.state.counters()
        self._stories: dict[str, Cluster] = self.state.events
        self._story_of = self.state.event_of  # article id -> event id at assignment time
        self._merged_into = self.state.merged_into  # merged event id -> the event it went into
        self._postings = self.state.postings  # term -> event ids, oldest update first
        self._touched: dict[str, None] = {}  # events changed since the last merge pass
        self._recent: dict[str, RecentArticle] = self.state.recent  # the latest articles, for splitting
        self._active = self.state.active  # comparable events, least recently updated first
        self._batch: dict[str, None] = {}  # articles added since the last closing passes
        self.changed: dict[str, None] = {}  # events changed in this batch
        self.unplaced: dict[str, None] = {}  # events changed since the storylines last looked at them
        self.absorbed: list[tuple[str, str]] = []  # (event, the event it merged into), since then
        self.dropped: list[str] = []  # events emptied by moves, since then
        self.before_archive: Callable[[], object] | None = None  # lets the storylines look first
        self.comparisons = 0  # full similarity computations, to show the index keeps them few
        p = self.params
        self._field_weights = (p.body_weight, p.title_weight, p.entity_weight)

    def add(self, article: Article) -> str:
        """Link one article and return the id of its story (an article seen before keeps its story)."""
        if article.id in self._story_of:
            return self.story_of(article.id)
        counts = article_counts(article)
        vector = self.vectorise(counts)
        day = article_day(article)
        script = script_of(article)
        signature = event_signature(article)
        best = self._best_story(vector, day, script, signature)
        if best is None:
            best = Cluster(id=f"event-{article.id}", seq=self._next_seq(), title=article.title, script=script)
            self._stories[best.id] = best
        best.article_ids.append(article.id)
        best.add_vector(vector, self.params.centroid_terms, self.params.salient_entities)
        best.add_day(day)
        add_signature(best.signature, signature)
        self._reindex(best)
        self._story_of[article.id] = best.id
        self._touched[best.id] = None
        self._mark_active(best, day)
        self._recent[article.id] = RecentArticle(vector, article.title, day, script, signature, counts)
        self.state.forget_oldest(self.params.recent_vectors)
        self._batch[article.id] = None
        if self.n_docs % self.params.merge_every == 0:
            self.refine()
        return best.id

    def vectorise(self, counts: Counter[str]) -> dict[str, float]:
        """TF-IDF vector with each field at unit length; document frequencies include the article."""
        self.n_docs += 1
        self.state.count_terms(counts.keys())
        return self.weigh(counts)

    def weigh(self, counts: Counter[str]) -> dict[str, float]:
        """TF-IDF weights with the document frequencies seen so far, top terms kept, fields at unit length."""
        weights: dict[str, float] = {}
        for term, tf in counts.items():
            idf = math.log((1 + self.n_docs) / (1 + self.df[term])) + 1.0
            weights[term] = (1.0 + math.log(tf)) * idf
        kept = {t: weights[t] for t in top_terms(weights, self.params.article_terms)}
        norms = field_norms(kept)
        return {t: w / (norms[t[0]] or 1.0) for t, w in kept.items()}

    def similarity(self, vector: dict[str, float], story: Cluster, query: Cluster | None = None) -> float:
        """Weighted mean of the per-field cosines and the salient-entity cosine (empty fields do not count).

        ``query`` is the vector wrapped as a story, for its norms and salient entities computed once.
        Across scripts (a Russian report against an English story) the words cannot match, and
        sentence-initial capitals pad the entity list: the score is then the share (by weight) of
        the story's salient entities that the article names.
        """
        query = query or self._wrap(vector)
        return self._content_similarity(vector, story, query) * self.signature_factor(query.signature, story)

    def _content_similarity(self, vector: dict[str, float], story: Cluster, query: Cluster) -> float:
        if query.script and story.script and query.script != story.script:
            return sum(w * w for t, w in story.salient.items() if t in vector)
        dots = field_dots(vector, story.centroid)
        norms = query.norms
        total = weight_sum = 0.0
        for name, weight in zip(FIELDS, self._field_weights, strict=True):
            if norms[name] and story.norms[name]:
                total += weight * dots[name] / (norms[name] * story.norms[name])
                weight_sum += weight
        if norms["e"] and story.norms["e"]:
            salient = query.salient
            total += self.params.salient_weight * sum(w * story.salient.get(t, 0.0) for t, w in salient.items())
            weight_sum += self.params.salient_weight
        return total / weight_sum if weight_sum else 0.0

    def _wrap(self, vector: dict[str, float], script: str = "",
              signature: Mapping[str, Iterable[str]] | None = None) -> Cluster:
        """The vector as a query: norms and salient entities computed once, with its script and figures."""
        counted = {kind: Counter(values) for kind, values in (signature or {}).items()}
        return Cluster(id="", seq=0, title=None, centroid=vector, norms=field_norms(vector),
                      salient=salient_entities(vector, self.params.salient_entities), script=script, signature=counted)

    def _as_query(self, story: Cluster) -> Cluster:
        """A story as a query against another: its usual figures stand for it."""
        return Cluster(id=story.id, seq=story.seq, title=None, centroid=story.centroid, norms=story.norms,
                      salient=story.salient, script=story.script, signature=usual_values(story.signature))

    def _candidates(self, vector: dict[str, float], exclude: str | None = None, limit: int = 0,
                    script: str = "") -> list[Cluster]:
        """Stories sharing the article's top terms, the strongest overlaps first, at most max_candidates.

        A Cyrillic article also looks up through its entity terms: against Latin-script stories
        its words cannot match, only the transliterated names, whose weights may not be its top.
        """
        overlap: dict[str, float] = {}
        query = dict.fromkeys(top_terms(vector, self.params.query_terms))
        if script == "cyrillic":
            entities = {t: w for t, w in vector.items() if t.startswith("e:")}
            query.update(dict.fromkeys(top_terms(entities, self.params.cross_script_terms)))
        for term in query:
            for story_id in self._postings.get(term, ()):
                overlap[story_id] = overlap.get(story_id, 0.0) + vector[term]
        overlap.pop(exclude or "", None)
        ranked = heapq.nsmallest(limit or self.params.max_candidates, overlap,
                                 key=lambda sid: (-overlap[sid], self._stories[sid].seq))
        return [self._stories[sid] for sid in ranked]

    def time_factor(self, story: Cluster, first: float | None, last: float | None) -> float:
        """1 within the grace period or without dates; halves every half-life beyond it."""
        return time_decay(days_apart(story, first, last), self.params.date_grace_days, self.params.half_life_days, 1.0)

    def _best_story(self, vector: dict[str, float], day: float | None, script: str = "",
                    signature: dict[str, frozenset[str]] | None = None) -> Cluster | None:
        """The most similar candidate story scoring at least the threshold (None: start a story)."""
        best, best_score = None, 0.0
        query = self._wrap(vector, script, signature)
        for story in self._candidates(vector, script=script):
            self.comparisons += 1
            score = self.similarity(vector, story, query) * self.time_factor(story, day, day)
            if score >= self.params.threshold and score > best_score:
                best, best_score = story, score
        return best

    def signature_factor(self, signature: Mapping[str, Iterable[str]], story: Cluster) -> float:
        """conflict_factor when more of the article's year/count kinds contradict the story than match it.

        Counting both keeps a rewrite with one changed figure (15 injured where the wire said 17)
        in the story when its other figures match.
        """
        agree, conflict = signature_agreement(signature, story.signature)
        return self.params.conflict_factor if conflict > agree else 1.0

    def _reindex(self, story: Cluster) -> None:
        """Point the story's current top terms at it (most recent last); drop terms it no longer has."""
        terms = frozenset(top_terms(story.centroid, self.params.index_terms))
        for term in story.indexed - terms:
            self._unpost(term, story.id)
        for term in terms:
            posting = self._postings.setdefault(term, {})
            if next(reversed(posting), None) == story.id:
                continue  # already the most recent
            posting.pop(story.id, None)
            posting[story.id] = None
            if len(posting) > self.params.posting_limit:
                del posting[next(iter(posting))]
            self.state.posting_changed(term)
        story.indexed = terms
        self._changed(story)

    def _changed(self, story: Cluster) -> None:
        """Note a changed event: the storylines look at it again, and a store writes it back."""
        self.changed[story.id] = None
        self.unplaced[story.id] = None
        self.state.event_changed(story.id)

    def _mark_active(self, story: Cluster, day: float | None) -> None:
        """Move the story to the recent end; archive stories left behind by the stream."""
        self._active.pop(story.id, None)
        self._active[story.id] = None
        if day is not None:
            self._newest_day = day if self._newest_day is None else max(self._newest_day, day)
        while self._active:
            oldest = self._stories.get(next(iter(self._active)))
            if oldest is None:  # merged away
                del self._active[next(iter(self._active))]
            elif len(self._active) > self.params.active_stories or self._stale(oldest):
                self._archive(oldest)
            else:
                break

    def _stale(self, story: Cluster) -> bool:
        if self._newest_day is None or story.last_day is None:
            return False
        return story.last_day < self._newest_day - self.params.archive_days

    def _archive(self, story: Cluster) -> None:
        """Drop the story's centroid and index entries; it keeps its id and articles for the output.

        Memory and the cost per article then depend on the stories of the last weeks, not on
        the length of the stream. The storylines place the changed events first, while their
        centroids can still be compared.
        """
        if self.before_archive is not None and story.id in self.unplaced:
            self.before_archive()
        for term in story.indexed:
            self._unpost(term, story.id)
        story.centroid, story.norms, story.salient, story.indexed = {}, {}, {}, frozenset()
        self._active.pop(story.id, None)
        self._touched.pop(story.id, None)
        self.state.event_changed(story.id)

    def _unpost(self, term: str, story_id: str) -> None:
        """Take the story off the term's posting list, and the list off the index once empty."""
        posting = self._postings.get(term)
        if posting is not None and story_id in posting:
            del posting[story_id]
            self.state.posting_changed(term)
            if not posting:
                del self._postings[term]

    def _next_seq(self) -> int:
        self._created += 1
        return self._created

    def refine(self) -> None:
        """Split the recently changed stories that hold two events, then merge those that drifted together."""
        for story_id in list(self._touched):
            if story_id in self._active:
                self._split(self._stories[story_id])
        self.merge_drifted()

    def _split(self, story: Cluster) -> None:
        """Two-means over the story's recent members; split off the second half when the halves differ.

        An online decision sees one article against one story: the first report of a second,
        similar event (another earthquake, the same boxer's next fight) can pass the threshold.
        Once both events have a few reports, two-means separates them.
        """
        if len(story.article_ids) < max(2 * self.params.split_min, 1.5 * story.split_checked_at):
            return  # considered again only after growing by half: O(log size) attempts per story
        story.split_checked_at = len(story.article_ids)
        self.state.event_changed(story.id)
        members = [a for a in story.article_ids[-self.params.split_members:] if a in self._recent]
        if len(members) < 2 * self.params.split_min:
            return
        split = best_split([self._recent[a] for a in members], self, self.params.split_min)
        if split is None or split[2] >= self.params.split_threshold:
            return
        self._split_off(story, [members[i] for i in split[1]])

    def _split_off(self, story: Cluster, second: list[str]) -> None:
        """Move the recent members ``second`` out of the story into a new one."""
        moved = set(second)
        story.article_ids = [x for x in story.article_ids if x not in moved]
        self._retitle(story)
        for x in second:  # subtract, so members older than the vector window still count
            add_signature(story.signature, self._recent[x].signature, -1)
            for term, weight in self._recent[x].vector.items():
                if term in story.centroid:
                    story.centroid[term] -= weight
        story.centroid = {t: w for t, w in story.centroid.items() if w > 1e-9}
        story.add_vector({}, self.params.centroid_terms, self.params.salient_entities)
        new = Cluster(id=unused_id(f"event-{second[0]}", self._stories, self._merged_into), seq=self._next_seq(),
                      title=self._recent[second[0]].title)
        self._stories[new.id] = new
        self._mark_active(new, None)
        for x in second:  # the story left behind keeps its date span: a slight overestimate
            new.article_ids.append(x)
            new.add_vector(self._recent[x].vector, self.params.centroid_terms, self.params.salient_entities)
            new.add_day(self._recent[x].day)
            add_signature(new.signature, self._recent[x].signature)
            self._story_of[x] = new.id
        self._reindex(story)
        self._reindex(new)
        self._touched[new.id] = None

    def finish(self) -> None:
        """The closing passes of a batch: weigh again with the whole batch's frequencies, then a few
        rounds of splitting and merging events on one criterion (``_ClosingFit``), splitting off
        members whose figures contradict their event, and re-assigning each article to the event
        it fits best.

        The online merge (centroids scoring ``merge_threshold``) is not repeated here: it rejoins
        two similar events that an online split had just told apart (its bar is below the split's),
        so the outcome depended on which pass ran last, that is on the arrival order. Split and
        merge here weigh the same quantity against the same cost, so neither undoes the other.
        """
        self._touched.clear()
        scope = self._closing_scope()
        self.reweigh(scope)
        fit = _ClosingFit(self)
        for _ in range(self.params.closing_rounds):
            changed = self._closing_split(fit) + self._closing_merge(fit)
            self.split_by_signature()
            for _ in range(self.params.reassign_rounds):
                if not self.reassign(scope):
                    break
            if not changed:
                break
        self._touched.clear()
        self._archive_stale()
        self._batch.clear()
        self.state.save_counters(self.n_docs, self._created, self._newest_day)

    def _known_members(self, story: Cluster | None) -> list[str]:
        """The event's members when all their vectors are still held (else none: it cannot be re-judged)."""
        if story is None or story.id not in self._active or not self._all_kept(story):
            return []
        return list(story.article_ids)

    def _all_kept(self, story: Cluster) -> bool:
        """Whether the vectors of all the event's members are still held (its centroid can be rebuilt)."""
        return all(a in self._recent for a in story.article_ids)

    def _closing_split(self, fit: _ClosingFit) -> int:
        """Split each event of the batch whose 2-means halves are apart by the online rule and fit their
        members better than the whole event by more than ``story_cost``; returns how many were split."""
        split = 0
        for story_id in self._batch_events():
            story = self._stories.get(story_id)
            members = self._known_members(story)
            halves = fit.halves(members) if len(members) >= 2 * self.params.split_min else None
            if story is not None and halves is not None and fit.gain(*halves) > self.params.story_cost:
                self._split_off(story, halves[1])
                split += 1
        return split

    def _closing_merge(self, fit: _ClosingFit) -> int:
        """Merge each event of the batch into the candidate whose union costs least, when it fits the
        members of both within ``story_cost`` (scaled by the time factor) of two events; returns how
        many merged.

        An event of a few members always fits them well (each is part of its own centroid), so the
        fit alone would join small unrelated events: their centroids must also be alike.
        """
        merged = 0
        for story_id in self._batch_events():
            story = self._stories.get(story_id)
            members = self._known_members(story)
            if story is None or not members:
                continue
            best, best_margin = None, 0.0
            query = self._as_query(story)
            for other in self._candidates(story.centroid, exclude=story.id, limit=self.params.merge_candidates):
                other_members = self._known_members(other)
                if not other_members:
                    continue
                self.comparisons += 1
                factor = self.time_factor(other, story.first_day, story.last_day)
                if self.similarity(story.centroid, other, query) * factor < self.params.closing_merge_floor:
                    continue
                margin = self.params.story_cost * factor - fit.gain(members, other_members)
                if margin > best_margin:
                    best, best_margin = other, margin
            if best is not None:
                older, younger = (best, story) if best.seq < story.seq else (story, best)
                self._absorb(older, younger)
                merged += 1
        return merged

    def _closing_scope(self) -> list[str]:
        """The articles the closing passes weigh and move: the batch's whose vectors are still kept, in
        arrival order, then the kept members of the events the batch changed and of their nearest
        events (over an empty state, the batch alone), so that a later batch can still correct an
        earlier one's events: a lone early report joins the event that formed after it."""
        scope = dict.fromkeys(a for a in self._batch if a in self._recent)
        changed = [e for e in (self._stories.get(i) for i in list(self.changed)) if e is not None]
        near = [n for e in changed for n in self._candidates(e.centroid, exclude=e.id, script="cyrillic",
                                                             limit=self.params.merge_candidates)]
        for event in [*changed, *near]:
            members = event.article_ids[-self.params.split_members:]
            scope.update(dict.fromkeys(a for a in members if a not in scope and a in self._recent))
        return list(scope)

    def _batch_events(self) -> list[str]:
        """The comparable events the closing passes look at: those changed in this batch, least
        recently updated first (in one batch over an empty state, every event)."""
        ordered = dict.fromkeys(e for e in self._active if e in self.changed)
        ordered.update(dict.fromkeys(e for e in self.changed if e in self._active))  # loaded, not moved
        return list(ordered)

    def _archive_stale(self) -> None:
        """Archive the events a store says have been idle too long (in memory ``_mark_active`` does it)."""
        if self._newest_day is not None:
            for event_id in self.state.stale_events(self._newest_day - self.params.archive_days):
                if event_id in self._active:
                    self._archive(self._stories[event_id])

    def reweigh(self, scope: list[str] | None = None) -> None:
        """Weigh the recent articles again with the document frequencies of the whole stream and
        rebuild the centroids of the stories made of them (closing pass).

        On arrival an article is weighed with the frequencies seen so far: early in a stream a
        place named by every later story still looks rare and dominates. At the end the weights
        no longer depend on the arrival order.
        """
        for article_id in self._closing_scope() if scope is None else scope:
            self._reweigh_article(article_id)
        for story_id in self._batch_events():
            self._rebuild(self._stories[story_id])

    def _reweigh_article(self, article_id: str) -> None:
        recent = self._recent[article_id]
        self._recent[article_id] = replace(recent, vector=self.weigh(recent.counts))

    def _rebuild(self, story: Cluster) -> None:
        """Rebuild the centroid from the members' current vectors, when all of them are still kept."""
        if not self._all_kept(story):
            return
        story.centroid = {}
        for article_id in story.article_ids:
            story.add_vector(self._recent[article_id].vector, self.params.centroid_terms, self.params.salient_entities)
        self._reindex(story)

    def refresh(self, story: Cluster) -> None:
        """Weigh the event's members again with today's frequencies and rebuild its centroid, so that it
        compares with a newer event on the same footing (a later batch than the one that made it)."""
        if story.centroid and self._all_kept(story):
            placed = story.id not in self.unplaced
            for article_id in story.article_ids:
                self._reweigh_article(article_id)
            self._rebuild(story)
            if placed:  # new weights, the same members: nothing for the storylines to look at again
                self.unplaced.pop(story.id, None)

    def split_by_signature(self) -> None:
        """Split off the members whose figures contradict the story's usual ones (closing pass).

        Two events of one kind that fell into one story share words but not years, tolls or
        scores: each kind's most frequent value stands for the story, and members contradicting
        those more than matching them form the second story when both parts are big enough.
        """
        for story_id in self._batch_events():
            story = self._stories.get(story_id)
            members = [a for a in story.article_ids if a in self._recent] if story else []
            if len(members) < 2 * self.params.split_min:
                continue
            usual = usual_values(story.signature)
            outliers = [a for a in members if _contradicts(self._recent[a].signature, usual)]
            if self.params.split_min <= len(outliers) <= len(members) - self.params.split_min:
                self._split_off(story, outliers)

    def reassign(self, scope: list[str] | None = None) -> int:
        """Move each recent article to the story it now fits best; returns how many moved.

        Online, an article is judged against the stories as they were on its arrival: an early
        report may have started a story of its own, or joined a neighbour, before its own story
        took shape. Against the final stories (its own without it) the choice no longer depends
        on the arrival order.
        """
        moved = 0
        for article_id in self._closing_scope() if scope is None else scope:
            recent = self._recent[article_id]
            current = self._stories.get(self.story_of(article_id))
            if current is None or current.id not in self._active:
                continue
            target = self._better_story(article_id, recent, current)
            if target is not None:
                self._move(article_id, recent, current, target)
                moved += 1
        return moved

    def _better_story(self, article_id: str, recent: RecentArticle, current: Cluster) -> Cluster | None:
        """A story scoring above both the closing bar and the article's own story without it, or None."""
        vector, query = recent.vector, self._wrap(recent.vector, recent.script, recent.signature)
        own = 0.0
        if len(current.article_ids) > 1:
            rest = self._without(current, article_id)
            own = self.similarity(vector, rest, query) * self.time_factor(rest, recent.day, recent.day)
        best, best_score = None, max(own, self.params.reassign_threshold)
        for story in self._candidates(vector, exclude=current.id, script=recent.script):
            self.comparisons += 1
            score = self.similarity(vector, story, query) * self.time_factor(story, recent.day, recent.day)
            if score > best_score:
                best, best_score = story, score
        return best

    def _without(self, story: Cluster, article_id: str) -> Cluster:
        """The story with one member taken out (leave-one-out): centroid, and the date span of the
        other members still held (a story without dated recent members keeps its span)."""
        vector = self._recent[article_id].vector
        rest = Cluster(id=story.id, seq=story.seq, title=None, script=story.script,
                      signature={kind: Counter(counts) for kind, counts in story.signature.items()})
        add_signature(rest.signature, self._recent[article_id].signature, -1)
        centroid = {t: w - vector.get(t, 0.0) for t, w in story.centroid.items()}
        p = self.params
        rest.add_vector({t: w for t, w in centroid.items() if w > 1e-9}, p.centroid_terms, p.salient_entities)
        for other in story.article_ids:
            if other != article_id and other in self._recent:
                rest.add_day(self._recent[other].day)
        if rest.first_day is None:
            rest.first_day, rest.last_day = story.first_day, story.last_day
        return rest

    def _move(self, article_id: str, recent: RecentArticle, source: Cluster, target: Cluster) -> None:
        """Take the article out of ``source`` (dropping it once empty) and add it to ``target``."""
        source.article_ids.remove(article_id)
        if source.article_ids:
            self._retitle(source)
            rest = self._without(source, article_id)
            source.centroid, source.norms, source.salient = rest.centroid, rest.norms, rest.salient
            source.first_day, source.last_day = rest.first_day, rest.last_day
            source.signature = rest.signature
            self._reindex(source)
        else:
            self._drop(source)
            self.dropped.append(source.id)
        target.article_ids.append(article_id)
        target.add_vector(recent.vector, self.params.centroid_terms, self.params.salient_entities)
        target.add_day(recent.day)
        add_signature(target.signature, recent.signature)
        self._reindex(target)
        self._story_of[article_id] = target.id

    def _drop(self, story: Cluster) -> None:
        """Forget an event that lost its last member or merged into another (its index entries too)."""
        for term in story.indexed:
            self._unpost(term, story.id)
        del self._stories[story.id]
        self._active.pop(story.id, None)
        self.changed.pop(story.id, None)
        self.unplaced.pop(story.id, None)

    def _retitle(self, story: Cluster) -> None:
        """The founding report may have moved away: the title of the member most like the rest then
        stands for the story (among the recent members, ties to the earlier one)."""
        known = [a for a in story.article_ids[-self.params.split_members:] if a in self._recent]
        if known:
            centre = _centre([self._recent[a] for a in known], range(len(known)), self)
            scores = [self.similarity(self._recent[a].vector, centre) for a in known]
            story.title = self._recent[known[scores.index(max(scores))]].title

    def merge_drifted(self) -> None:
        """Merge each recently changed story into an older one whose centroid has become close."""
        for story_id in list(self._touched):
            story = self._stories.get(story_id)
            if story is None:
                continue
            query = self._as_query(story)
            for other in self._candidates(story.centroid, exclude=story.id, limit=self.params.merge_candidates):
                self.comparisons += 1
                factor = self.time_factor(other, story.first_day, story.last_day)
                score = self.similarity(story.centroid, other, query) * factor
                if score >= self.params.merge_threshold:
                    older, younger = (other, story) if other.seq < story.seq else (story, other)
                    self._absorb(older, younger)
                    break
        self._touched.clear()

    def _absorb(self, older: Cluster, younger: Cluster) -> None:
        older.article_ids.extend(younger.article_ids)
        older.add_vector(younger.centroid, self.params.centroid_terms, self.params.salient_entities)
        older.add_day(younger.first_day)
        older.add_day(younger.last_day)
        for kind, counts in younger.signature.items():
            older.signature.setdefault(kind, Counter()).update(counts)
        self._drop(younger)
        self._merged_into[younger.id] = older.id
        self.absorbed.append((younger.id, older.id))
        self._reindex(older)

    def story_of(self, article_id: str) -> str:
        """The current event of an article, following merges."""
        return self.resolve(self._story_of[article_id])

    def resolve(self, event_id: str) -> str:
        """The living event an event id stands for, following merges (old ids stay resolvable)."""
        return follow_merges(self._merged_into, event_id)

    def event(self, event_id: str) -> Cluster | None:
        return self._stories.get(event_id)

    def active_count(self) -> int:
        """How many events new articles can still join (the others are archived)."""
        return len(self._active)

    def events(self) -> list[Event]:
        """The events held in memory, in order of creation, with their articles in arrival order."""
        ordered = sorted(self._stories.values(), key=lambda s: s.seq)
        return [Event(id=s.id, title=s.title, article_ids=list(s.article_ids)) for s in ordered]


def arrival_order(articles: list[Article]) -> list[Article]:
    """Dated articles oldest first, then the undated ones, each group in input order: the order a
    stream would have brought them in, so the result does not depend on file names."""
    return [articles[i] for i in arrival_indices([a.published for a in articles])]


def arrival_indices(published: list[str | None]) -> list[int]:
    """The positions of ``arrival_order`` for these publication times."""
    days = [publication_day(p) for p in published]
    return sorted(range(len(days)), key=lambda i: (days[i] is None, days[i] or 0.0, i))


def link_batch(articles: list[Article], params: LinkParams | None = None,
               state: LinkState | None = None) -> EventLinker:
    """A linker fed a batch the way a stream would have arrived, refined at the end."""
    linker = EventLinker(params, state)
    feed(linker, arrival_order(articles))
    return linker


def feed(linker: EventLinker, articles: Iterable[Article]) -> None:
    """Add the articles in the order given, then run the closing passes."""
    for article in articles:
        linker.add(article)
    linker.finish()


class _ClosingFit:
    """How well a set of events explains its members, for the closing split and merge passes.

    The fit of a group is the sum of its members' similarities to the group's centroid; a
    partition pays ``story_cost`` per event (the objective of DP-means, Kulis & Jordan 2012, with
    the linker's similarity). Two groups stay apart when, apart, they fit their members better
    than together by more than that cost. Unlike a bar on the similarity of two centroids, the
    gain grows with the members who would be misplaced, and split and merge decide on the same
    quantity. The vectors do not change during the closing passes, so fits are memoised by
    their members.
    """

    def __init__(self, linker: EventLinker) -> None:
        self.linker = linker
        self._fits: dict[tuple[str, ...], float] = {}
        self._halves: dict[tuple[str, ...], tuple[list[str], list[str]] | None] = {}
        self._queries: dict[str, Cluster] = {}

    def gain(self, first: list[str], second: list[str]) -> float:
        """How much better two groups fit their members apart than together."""
        return self.fit(first) + self.fit(second) - self.fit(first + second)

    def fit(self, members: list[str]) -> float:
        """The sum of the members' similarities to the centroid of the group."""
        key = tuple(sorted(members))
        if key not in self._fits:
            recent = [self.linker._recent[a] for a in key]
            centre = _centre(recent, range(len(recent)), self.linker)
            self._fits[key] = sum(self.linker.similarity(r.vector, centre, self._query(a, r))
                                  for a, r in zip(key, recent, strict=True))
        return self._fits[key]

    def halves(self, members: list[str]) -> tuple[list[str], list[str]] | None:
        """The 2-means halves of an event when the online rule would split them (else None)."""
        key = tuple(members)
        if key not in self._halves:
            linker = self.linker
            split = best_split([linker._recent[a] for a in members], linker, linker.params.split_min)
            if split is None or split[2] >= linker.params.split_threshold:
                self._halves[key] = None
            else:
                self._halves[key] = ([members[i] for i in split[0]], [members[i] for i in split[1]])
        return self._halves[key]

    def _query(self, article_id: str, recent: RecentArticle) -> Cluster:
        """The article wrapped as a query once: its norms and salient entities do not change either."""
        if article_id not in self._queries:
            self._queries[article_id] = self.linker._wrap(recent.vector, recent.script, recent.signature)
        return self._queries[article_id]


SPLIT_SEEDS = 2  # 2-means runs per split attempt, from the least central members


def best_split(
    members: list[RecentArticle], linker: EventLinker, min_size: int
) -> tuple[list[int], list[int], float] | None:
    """The two-way partition whose halves are least alike, over a few deterministic 2-means runs.

    Runs start from the SPLIT_SEEDS least central members, each paired with the member least like
    it; returns (first part, second part, similarity of the halves) or None when no run gives
    two parts of ``min_size``.
    """
    vectors = [m.vector for m in members]
    queries = [linker._wrap(m.vector, m.script, m.signature) for m in members]
    whole = _centre(members, range(len(vectors)), linker)
    by_centrality = sorted(range(len(vectors)), key=lambda i: (linker.similarity(vectors[i], whole, queries[i]), i))
    best = None
    for seed_a in by_centrality[:SPLIT_SEEDS]:
        seed_b = min((i for i in range(len(vectors)) if i != seed_a),
                     key=lambda i: (linker.similarity(vectors[i], queries[seed_a], queries[i]), i))
        parts = two_means(members, queries, linker, ([seed_a], [seed_b]))
        if min(len(parts[0]), len(parts[1])) < min_size:
            continue
        first, second = _centre(members, parts[0], linker), _centre(members, parts[1], linker)
        apart = linker.similarity(first.centroid, second, linker._as_query(first))
        if best is None or apart < best[2]:
            best = (parts[0], parts[1], apart)
    return best


def _centre(members: list[RecentArticle], chosen: Iterable[int], linker: EventLinker) -> Cluster:
    """The centroid and counted figures of some members, pruned and summarised once."""
    total: dict[str, float] = {}
    centre = Cluster(id="", seq=0, title=None, script=members[0].script)
    for i in chosen:
        for term, weight in members[i].vector.items():
            total[term] = total.get(term, 0.0) + weight
        add_signature(centre.signature, members[i].signature)
    centre.add_vector(total, linker.params.centroid_terms, linker.params.salient_entities)
    return centre


def two_means(
    members: list[RecentArticle], queries: list[Cluster], linker: EventLinker,
    seeds: tuple[list[int], list[int]], rounds: int = 5,
) -> tuple[list[int], list[int]]:
    """Deterministic 2-means by the linker's similarity from two seed groups; the part holding
    the earliest member comes first."""
    parts = seeds
    for _ in range(rounds):
        first, second = (_centre(members, part, linker) for part in parts)
        new_parts: tuple[list[int], list[int]] = ([], [])
        for i, member in enumerate(members):
            vector = member.vector
            near_first = linker.similarity(vector, first, queries[i]) >= linker.similarity(vector, second, queries[i])
            new_parts[0 if near_first else 1].append(i)
        if not new_parts[0] or not new_parts[1] or new_parts == parts:
            break
        parts = new_parts
    return parts if parts[0][0] < parts[1][0] else (parts[1], parts[0])


class EventCodec:
    """The linker's events and article vectors as JSON-ready dicts, for a store to keep between batches."""

    @staticmethod
    def event_to_dict(event: Cluster) -> dict[str, Any]:
        data = event.__dict__.copy()
        data["indexed"] = sorted(event.indexed)
        return data

    @staticmethod
    def event_from_dict(data: dict[str, Any]) -> Cluster:
        signature = {kind: Counter(counts) for kind, counts in data["signature"].items()}
        return Cluster(**{**data, "indexed": frozenset(data["indexed"]), "signature": signature})

    @staticmethod
    def recent_to_dict(recent: RecentArticle) -> dict[str, Any]:
        data = recent.__dict__.copy()
        data["signature"] = {kind: sorted(values) for kind, values in recent.signature.items()}
        return data

    @staticmethod
    def recent_from_dict(data: dict[str, Any]) -> RecentArticle:
        signature = {kind: frozenset(values) for kind, values in data["signature"].items()}
        return RecentArticle(**{**data, "signature": signature, "counts": Counter(data["counts"])})
