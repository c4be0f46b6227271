"""Article extraction from plain-text page dumps with a learned line classifier.

A dump (all visible text of a page, one block per line, metadata values mixed in)
has no markup left, so the body is found line by line: features of each line and
its neighbours (dump_features), a tree ensemble trained on the dev set
(dump_model, weights in models/dump_lines.json), then a two-state Viterbi pass and
the best contiguous region (plus any other region scoring close to it: an article
continued after a related-links block) so the body comes out without short in-body
noise. When no line passes, the lines are judged again against the page's most
body-like line. Metadata comes from the same lines (dump_meta).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import numpy as np

from newsprism.errors import InputError
from newsprism.extract.attribution import SOURCE_LINE, TEASER_LABEL, is_credit_line, split_dateline
from newsprism.extract.dump_features import containment, line_features, split_lines
from newsprism.extract.dump_meta import (
    guess_title,
    is_closing_credit,
    is_furniture,
    read_metadata,
    strip_bullet,
)
from newsprism.extract.dump_model import load_model
from newsprism.extract.metadata import PageMetadata
from newsprism.extract.text import detect_language, shingles, tidy_paragraphs
from newsprism.ingest.encoding import decode_text
from newsprism.model import Article, RawRecord

MAX_DUMP_BYTES = 5_000_000
SWITCH_PROBABILITY = 0.45
BODY_BIAS = 0.2  # weak labels miss body lines (trafilatura's recall), so lean towards body
SHORT_LINE_PROBABILITY = 0.75
MIN_PARAGRAPH_WORDS = 10  # an article has at least one sentence-long paragraph
RUN_ON_OVERLAP = 0.5
EXTRA_REGION_SHARE = 0.4  # a second body region must score this share of the best one
MAX_EXTRA_REGIONS = 2
FALLBACK_PEAK = 0.3  # when no paragraph passes, judge lines against the page's best (>= this)
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)]*$")
_SENTENCES = re.compile(r"[.!?…][\"'”’»)]*(?:\s|$)")
CARD_WORDS = 20
RUN_ON_MIN_REPEATS = 3
COPIED_MIN_CHARS = 40


def extract_dump(record: RawRecord) -> Article:
    """The article in a page dump; InputError when the dump has no article text."""
    dump = decode_text(record.data[:MAX_DUMP_BYTES])
    if dump is None:
        raise InputError(record.source, "undecodable text")
    texts, features, language = featurise(dump)
    if not texts:
        raise InputError(record.source, "no article text found")
    probs = load_model().probabilities(features)
    body = choose_body(texts, probs)
    if not _has_paragraph(texts, body):
        body = choose_body(texts, probs / max(float(probs.max()), FALLBACK_PEAK))
    if not _has_paragraph(texts, body):
        raise InputError(record.source, "no article text found")
    meta = read_metadata(texts, body, record.url)
    body = with_copied_paragraphs(texts, body)
    body = [i for i in body if not is_furniture(texts[i], meta.title) and not _is_card(texts, i)]
    return _article(record, texts, body, probs, meta, language)


def with_copied_paragraphs(texts: list[str], body: list[int]) -> list[int]:
    """Add the paragraphs that a run-on copy of the body (a JSON-LD articleBody line) repeats.

    The copy is the page's own statement of its text: a later line it contains verbatim is a
    body paragraph even where the line model hesitated (the copy itself is dropped later).
    """
    _, repeats = containment(texts)
    copies = [j for j, count in enumerate(repeats) if count >= RUN_ON_MIN_REPEATS]
    if not copies:
        return body
    copied = {
        i
        for i in range(copies[0] + 1, len(texts))
        if len(texts[i]) > COPIED_MIN_CHARS
        and repeats[i] < RUN_ON_MIN_REPEATS
        and any(texts[i] in texts[j] and texts[i] != texts[j] for j in copies)
    }
    return sorted(set(body) | copied)


def _is_card(texts: list[str], i: int) -> bool:
    """An in-body card: a teaser label ("Related", "Read also:") or the headline it introduces, or
    a one-sentence photo caption beside its credit line ("© Agency / Name")."""
    text, before, after = texts[i], texts[i - 1] if i else "", texts[i + 1] if i + 1 < len(texts) else ""
    if TEASER_LABEL.match(text) or (_is_bare_label(before) and not _SENTENCE_END.search(text)):
        return len(text.split()) <= CARD_WORDS
    beside_credit = any(is_credit_line(n) and not SOURCE_LINE.match(n) for n in (before, after))
    return beside_credit and len(text.split()) <= CARD_WORDS and len(_SENTENCES.findall(text)) <= 1


def _is_bare_label(text: str) -> bool:
    return bool(TEASER_LABEL.match(text)) and (text.endswith(":") or len(text.split()) <= 3)


def _has_paragraph(texts: list[str], body: list[int]) -> bool:
    return any(len(texts[i].split()) >= MIN_PARAGRAPH_WORDS for i in body)


def featurise(dump: str) -> tuple[list[str], np.ndarray, str | None]:
    """Non-empty lines (stripped), their feature rows and the dump's language; shared with training."""
    texts = split_lines(dump)
    language = detect_language("\n".join(t for t in texts if len(t) > 60) or dump)
    return texts, line_features(texts, guess_title(texts, None), language), language


def choose_body(texts: list[str], probs: np.ndarray) -> list[int]:
    """Indices of body lines: Viterbi-smoothed labels inside the best-scoring contiguous region(s).

    Date, byline and credit lines are left out of the smoothing (they neither bridge nor break
    the body), and the body ends at a closing credit line ("Source: X", "Outlet, DD.MM.YYYY")."""
    kept = [i for i, text in enumerate(texts) if not is_furniture(text, None)]
    if not kept:
        return []
    leaning = np.clip(probs[kept] + BODY_BIAS, 0.0, 1.0)
    labels = viterbi(leaning, SWITCH_PROBABILITY)
    weights = np.log1p(np.array([len(texts[i]) for i in kept], dtype=float))
    scores = np.where(labels == 1, weights * (leaning - 0.25), weights * (leaning - 0.75))
    regions = body_regions(scores)
    chosen = [
        kept[k]
        for start, end in regions
        for k in range(start, end)
        if labels[k] == 1 and _confident(texts[kept[k]], probs[kept[k]])
    ]
    return drop_run_on_copies(texts, _until_closing_credit(texts, chosen))


def body_regions(scores: np.ndarray) -> list[tuple[int, int]]:
    """The best-scoring contiguous region, and further regions scoring at least EXTRA_REGION_SHARE of it
    (an article continued after a related-links block or a gallery), in document order."""
    start, end = best_region(scores)
    if end == start:
        return []
    best = float(scores[start:end].sum())
    regions = [(start, end)]
    rest = scores.copy()
    for _ in range(MAX_EXTRA_REGIONS):
        rest[start:end] = -np.inf
        start, end = best_region(rest)
        if end == start or float(rest[start:end].sum()) < EXTRA_REGION_SHARE * best:
            break
        regions.append((start, end))
    return sorted(regions)


def _until_closing_credit(texts: list[str], chosen: list[int]) -> list[int]:
    """Cut what follows the article's closing credit line, when less body came after it than before."""
    if not chosen:
        return chosen
    for i in range(chosen[0], chosen[-1]):
        if is_closing_credit(texts[i]):
            before = [j for j in chosen if j < i]
            if len(before) > len(chosen) - len(before):
                return before
    return chosen


def _confident(text: str, prob: float) -> bool:
    """Sentences need a fair probability; short non-sentence lines (buttons, teaser headlines) a high one."""
    return prob >= SHORT_LINE_PROBABILITY or (_paragraph_shaped(text) and prob >= 0.5 - BODY_BIAS)


def _paragraph_shaped(text: str) -> bool:
    """A full sentence or more: kept inside the body region even when the model hesitates."""
    return len(text.split()) >= 8 and bool(_SENTENCE_END.search(text))


def viterbi(probs: np.ndarray, switch: float) -> np.ndarray:
    """Most likely boilerplate(0)/body(1) sequence given per-line body probabilities."""
    eps = 1e-6
    emit = np.log(np.stack([1 - probs, probs], axis=1).clip(eps, 1))
    stay, move = np.log(1 - switch), np.log(switch)
    trans = np.array([[stay, move], [move, stay]])
    n = len(probs)
    score = emit[0] + np.log(0.5)
    back = np.zeros((n, 2), dtype=int)
    for i in range(1, n):
        candidates = score[:, None] + trans
        back[i] = candidates.argmax(axis=0)
        score = candidates.max(axis=0) + emit[i]
    labels = np.zeros(n, dtype=int)
    labels[-1] = int(score.argmax())
    for i in range(n - 1, 0, -1):
        labels[i - 1] = back[i, labels[i]]
    return labels


def best_region(scores: np.ndarray) -> tuple[int, int]:
    """Maximum-sum contiguous run (Kadane); (0, 0) when every score is negative."""
    best, best_span = 0.0, (0, 0)
    running, start = 0.0, 0
    for i, value in enumerate(scores):
        if running <= 0:
            running, start = 0.0, i
        running += value
        if running > best:
            best, best_span = running, (start, i + 1)
    return best_span


def drop_run_on_copies(texts: list[str], chosen: list[int]) -> list[int]:
    """Drop lines that copy other body lines: a JSON-LD articleBody or description line, a repeat.

    First the run-on copies (half their shingles are in two or more other body lines), then
    teasers (half their shingles are in one later line) and exact repeats.
    """
    line_shingles = {i: shingles(texts[i]) for i in chosen}
    holders: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i in chosen:
        for shingle in line_shingles[i]:
            holders[shingle].append(i)

    def sources(i: int, among: set[int]) -> list[int]:
        """The lines of ``among`` sharing two or more shingles with line i, when together they cover it."""
        own = line_shingles[i]
        if len(own) < 8:
            return []
        shared = Counter(j for shingle in own for j in holders[shingle])
        found = [j for j, n in shared.items() if n >= 2 and j in among and texts[j] != texts[i]]
        covered = set().union(*(line_shingles[j] for j in found)) & own
        return found if len(covered) >= RUN_ON_OVERLAP * len(own) else []

    everything = set(chosen)
    rest = [i for i in chosen if len(sources(i, everything)) < 2]
    remaining = set(rest)
    kept: list[int] = []
    kept_texts: set[str] = set()
    for i in rest:
        found = sources(i, remaining)
        if texts[i] in kept_texts or (len(found) == 1 and found[0] > i):
            continue
        kept.append(i)
        kept_texts.add(texts[i])
    return kept


def _article(
    record: RawRecord, texts: list[str], body: list[int], probs: np.ndarray, meta: PageMetadata, lang: str | None
) -> Article:
    dateline, paragraphs = split_dateline([strip_bullet(texts[i]) for i in body])
    text = tidy_paragraphs(paragraphs)
    confidence = float(np.mean(probs[body])) if body else 0.0
    return Article(
        source=record.source,
        text=text,
        url=record.url or meta.canonical_url,
        canonical_url=meta.canonical_url,
        outlet=meta.outlet,
        domain=meta.domain,
        title=meta.title,
        description=meta.description,
        published=meta.published,
        modified=meta.modified,
        authors=meta.authors,
        tags=meta.tags,
        image=meta.image,
        language=detect_language(text) or lang,
        dateline=dateline,
        credits=meta.credits,
        extraction={"method": f"dump-lines/{load_model().version}", "confidence": round(confidence, 3)},
    )
