"""Republication tracing: which articles copy which, and what a copy kept, cut, reworded or added.

Detection uses word shingles with an inverted index over a fixed hash sample of them (a
mod-p sample: every shingle whose hash is 0 mod SAMPLE_MOD), which estimates containment, the
share of the source that reappears in the copy, rather than Jaccard resemblance: a blog that
republishes a wire story and adds commentary contains the source but is not its equal.
Hand-rolled instead of datasketch's MinHash LSH because LSH estimates resemblance, sampling
is deterministic across processes (crc32, not Python's salted hash) and needs no dependency.

Alignment is paragraph-level (difflib over normalised paragraphs), with a word-level diff
inside each reworded paragraph; every passage carries offsets into the two articles' texts.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from newsprism.extract.text import normalise, shingles
from newsprism.link.events import article_day
from newsprism.model import Article

SHINGLE_WORDS = 5
SAMPLE_MOD = 4  # keep one shingle hash in four: a quarter of the index, containment still estimated well
MAX_TEXT_CHARS = 200_000
POSTING_LIMIT = 50  # a shingle in more articles than this is boilerplate, not evidence of copying
MIN_CONTAINMENT = 0.5  # share of the source's shingles found in the copy
REWORDED_RATIO = 0.5  # paragraphs at least this similar (word sequence ratio) are one passage reworded
_PARAGRAPH = re.compile(r"\S(?:[^\n]|\n(?!\s*\n))*")
_TOKEN = re.compile(r"\w+|[^\w\s]")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class CopyMatch:
    """``copy_id`` republishes ``source_id``: ``containment`` of the source's text is in the copy."""

    copy_id: str
    source_id: str
    containment: float


@dataclass(frozen=True)
class Overlap:
    """Shared text of a new article and an earlier one, as the share of each that is in the other."""

    earlier_id: str
    earlier_in_new: float
    new_in_earlier: float


@dataclass
class Passage:
    """One aligned passage: ``kind`` is kept, reworded, cut (source only) or added (copy only).

    ``source`` and ``copy`` are (start, end) offsets into each article's text, or None;
    ``changes`` lists a reworded passage's word-level edits with offsets into both texts.
    """

    kind: str
    source: tuple[int, int] | None
    copy: tuple[int, int] | None
    similarity: float
    changes: list[dict] = field(default_factory=list)


def sampled_hashes(text: str) -> set[int]:
    """Hashes of the text's word shingles, sampled mod SAMPLE_MOD.

    The same sample for every text keeps the containment estimates unbiased; a text of a few
    dozen words has too few sampled shingles to be traced, which is acceptable for copies.
    """
    found = shingles(normalise(text[:MAX_TEXT_CHARS]), SHINGLE_WORDS)
    return {h for h in (zlib.crc32(" ".join(s).encode("utf-8")) for s in found) if h % SAMPLE_MOD == 0}


class CopyIndex:
    """Articles seen so far, findable by their sampled shingles; ``add`` reports what a new one copies."""

    def __init__(self, min_containment: float = MIN_CONTAINMENT) -> None:
        self.min_containment = min_containment
        self._postings: dict[int, list[str]] = {}
        self._sizes: dict[str, int] = {}

    def add(self, article: Article) -> list[Overlap]:
        """Earlier articles sharing most of their text or most of this one's; then index this one."""
        if article.id in self._sizes:
            return []
        hashes = sampled_hashes(article.text)
        size = max(len(hashes), 1)
        shared: Counter[str] = Counter()
        for h in hashes:
            posting = self._postings.get(h, [])
            if len(posting) < POSTING_LIMIT:
                shared.update(posting)
        overlaps = [
            Overlap(other, count / self._sizes[other], count / size)
            for other, count in shared.items()
            if other != article.id and max(count / self._sizes[other], count / size) >= self.min_containment
        ]
        for h in hashes:
            self._postings.setdefault(h, []).append(article.id)
        self._sizes.setdefault(article.id, size)
        return overlaps


def find_copies(articles: Iterable[Article], min_containment: float = MIN_CONTAINMENT) -> list[CopyMatch]:
    """Every (copy, source) pair whose copy contains at least ``min_containment`` of the source.

    Which one is the source: the earlier, when both give a publication time and they differ;
    otherwise (date-only or undated, as blogs often are) the one more fully contained in the
    other, since republishers add commentary to wire copy more often than they cut it.
    """
    given = list(articles)
    days = {a.id: article_day(a) for a in given}
    timed = {a.id: "T" in (a.published or "") for a in given}
    order = sorted(range(len(given)), key=lambda i: (days[given[i].id] is None, days[given[i].id] or 0.0, i))
    index = CopyIndex(min_containment)
    found = []
    for i in order:
        new = given[i].id
        for overlap in index.add(given[i]):
            earlier = overlap.earlier_id
            clearly_later = timed[new] and timed[earlier] and days[new] != days[earlier]
            if clearly_later or overlap.earlier_in_new >= overlap.new_in_earlier:
                match = CopyMatch(new, earlier, overlap.earlier_in_new)
            else:
                match = CopyMatch(earlier, new, overlap.new_in_earlier)
            if match.containment >= min_containment:
                found.append(match)
    return sorted(found, key=lambda m: (m.copy_id, -m.containment, m.source_id))


def sources_of(matches: Iterable[CopyMatch]) -> dict[str, CopyMatch]:
    """The best source of each copy."""
    best: dict[str, CopyMatch] = {}
    for match in matches:
        if match.copy_id not in best or match.containment > best[match.copy_id].containment:
            best[match.copy_id] = match
    return best


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: blocks separated by blank lines, surrounding space excluded."""
    spans = []
    for match in _PARAGRAPH.finditer(text):
        end = match.end()
        while end > match.start() and text[end - 1].isspace():
            end -= 1
        spans.append((match.start(), end))
    return spans


def _key(text: str) -> str:
    return _SPACE.sub(" ", normalise(text)).strip().lower()


def _tokens(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    found = _TOKEN.finditer(normalise(text[start:end]))
    return [(m.group(0).lower(), start + m.start(), start + m.end()) for m in found]


def word_changes(source: str, s_span: tuple[int, int], copy: str, c_span: tuple[int, int]) -> tuple[float, list[dict]]:
    """Similarity ratio of two paragraphs and their word-level edits (offsets into each text).

    NFKC can change a paragraph's length only for rare compatibility characters; offsets come
    from the normalised paragraph, so they are exact whenever normalisation kept the length.
    """
    a, b = _tokens(source, *s_span), _tokens(copy, *c_span)
    matcher = SequenceMatcher(None, [t for t, _, _ in a], [t for t, _, _ in b], autojunk=False)
    changes = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        s = (a[i1][1], a[i2 - 1][2]) if i2 > i1 else None
        c = (b[j1][1], b[j2 - 1][2]) if j2 > j1 else None
        changes.append({"op": op, "source": s, "copy": c,
                        "source_text": source[s[0]:s[1]] if s else "", "copy_text": copy[c[0]:c[1]] if c else ""})
    return matcher.ratio(), changes


def align(source: str, copy: str) -> list[Passage]:
    """Passages of ``copy`` against ``source`` in reading order: kept, reworded, cut, added."""
    s_paras, c_paras = paragraphs(source), paragraphs(copy)
    s_keys = [_key(source[s:e]) for s, e in s_paras]
    c_keys = [_key(copy[s:e]) for s, e in c_paras]
    passages: list[Passage] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, s_keys, c_keys, autojunk=False).get_opcodes():
        if op == "equal":
            pairs = zip(range(i1, i2), range(j1, j2), strict=True)
            passages += [Passage("kept", s_paras[i], c_paras[j], 1.0) for i, j in pairs]
        else:
            passages += _align_changed(source, copy, s_paras[i1:i2], c_paras[j1:j2])
    return passages


def _align_changed(
    source: str, copy: str, s_paras: list[tuple[int, int]], c_paras: list[tuple[int, int]]
) -> list[Passage]:
    """Inside a changed region: pair paragraphs in order by best similarity; the rest are cut or added."""
    passages: list[Passage] = []
    next_source = 0
    for c_span in c_paras:
        best, best_ratio, best_changes = None, REWORDED_RATIO, []
        for i in range(next_source, len(s_paras)):
            ratio, changes = word_changes(source, s_paras[i], copy, c_span)
            if ratio >= best_ratio:
                best, best_ratio, best_changes = i, ratio, changes
        if best is None:
            passages.append(Passage("added", None, c_span, 0.0))
            continue
        passages += [Passage("cut", s_paras[i], None, 0.0) for i in range(next_source, best)]
        passages.append(Passage("reworded", s_paras[best], c_span, best_ratio, best_changes))
        next_source = best + 1
    passages += [Passage("cut", s_paras[i], None, 0.0) for i in range(next_source, len(s_paras))]
    return passages
