"""The lexical models beside the techniques encoder: hashed words and n-grams, linear weights.

The three-layer encoder blurs what the words alone say: that "disgraceful" or "so-called" is
usually inside a propaganda span, that "Hitler" or a trailing "!" names a technique. Two linear
models over hashed features, fitted on the whole training part, are mixed into the encoder's
probabilities in the proportions the trainer chose on the tune part (model card):

- **span identification**: a word tagger, the probability that a word lies inside a span, from the
  word, its neighbours, the two bigrams and its last three letters;
- **technique classification**: a multinomial model over the span's word uni- and bigrams and
  character 2-5-grams, weighted as scikit-learn's ``TfidfVectorizer`` with sublinear tf (each
  block tf-idf weighted and unit length); it is computed here because inference must not need
  scikit-learn, and a test checks the two agree.

Features are hashed, so no vocabulary of the training text ships with the model.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from itertools import pairwise

import numpy as np

BUCKETS = 1 << 20  # per block; word keys are below BUCKETS, character keys at BUCKETS and above
CHAR_SIZES = range(2, 6)
NGRAM_WORD = re.compile(r"\w\w+")  # scikit-learn's default token pattern
TAGGER_WORD = re.compile(r"\w+")


def _bucket(gram: str) -> int:
    return zlib.crc32(gram.encode("utf-8")) % BUCKETS


def lookup(sorted_keys: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each of ``keys`` sits in ``sorted_keys``, and whether it is there at all."""
    if not len(sorted_keys):
        return np.zeros(keys.shape, dtype=np.int64), np.zeros(keys.shape, dtype=bool)
    at = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    return at, sorted_keys[at] == keys


# ---------------------------------------------------------------- span identification: the word tagger

TAGGER_FEATURES = 6  # the word, the previous, the next, the two bigrams, the last three letters
_SALTS = np.arange(1, TAGGER_FEATURES + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)


def tagger_words(text: str) -> tuple[np.ndarray, np.ndarray]:
    """((words, 2) start and end offsets of the words, (words, TAGGER_FEATURES) hashed feature keys)."""
    matches = list(TAGGER_WORD.finditer(text))
    if not matches:
        return np.zeros((0, 2), dtype=np.int64), np.zeros((0, TAGGER_FEATURES), dtype=np.int64)
    words = [m.group(0).lower() for m in matches]
    own = np.array([zlib.crc32(w.encode("utf-8")) for w in words], dtype=np.uint64)
    suffix = np.array([zlib.crc32(w[-3:].encode("utf-8")) for w in words], dtype=np.uint64)
    edge = np.array([0xFFFFFFFF], dtype=np.uint64)  # the text's start or end
    before, after = np.concatenate([edge, own[:-1]]), np.concatenate([own[1:], edge])
    shift = np.uint64(32)
    parts = [own, before, after, (before << shift) | own, (own << shift) | after, suffix]
    with np.errstate(over="ignore"):  # the mixing multiplies modulo 2**64 on purpose
        keys = np.stack([(p + salt) * np.uint64(0xBF58476D1CE4E5B9) for p, salt in zip(parts, _SALTS, strict=True)], 1)
    bounds = np.array([m.span() for m in matches], dtype=np.int64)
    return bounds, (keys >> np.uint64(44)).astype(np.int64)  # the top 20 bits: a key below BUCKETS


def word_probabilities(text: str, arrays: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(word starts, each word's probability of lying inside a propaganda span) under the tagger stored
    as ``si_keys`` (sorted), ``si_w`` and ``si_b``."""
    bounds, keys = tagger_words(text)
    weights = np.zeros(keys.shape)
    at, known = lookup(arrays["si_keys"], keys)
    weights[known] = arrays["si_w"][at[known]]
    return bounds[:, 0], 1.0 / (1.0 + np.exp(-(weights.sum(axis=1) + arrays["si_b"][0])))


# ---------------------------------------------------------------- technique classification: span n-grams


def gram_counts(text: str) -> Counter[int]:
    """How often each hashed n-gram key occurs in ``text``."""
    low = text.lower()
    words = NGRAM_WORD.findall(low)
    counts = Counter(_bucket(gram) for gram in [*words, *(f"{a} {b}" for a, b in pairwise(words))])
    for token in low.split():
        padded = f" {token} "
        counts.update(BUCKETS + _bucket(padded[i : i + n]) for n in CHAR_SIZES for i in range(len(padded) - n + 1))
    return counts


def tfidf_row(counts: Counter[int], keys: np.ndarray, idf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(feature indices, values) of one text over the model's ``keys`` (sorted), each block unit length."""
    seen = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
    tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
    at, known = lookup(keys, seen)
    index = at[known]
    values = (1.0 + np.log(tf[known])) * idf[index]
    is_char = seen[known] >= BUCKETS
    for block in (is_char, ~is_char):
        norm = np.sqrt((values[block] ** 2).sum())
        if norm:
            values[block] /= norm
    return index, values


MAX_SPAN_CHARS = 1_000  # PTC's longest technique span has 799 characters; a page-long span on a hostile
# page is read by its beginning (its 1.2 million n-grams took 1.7 s)


def lexical_logits(texts: list[str], arrays: dict[str, np.ndarray]) -> np.ndarray:
    """(S, labels) logits of the span model stored as ``lex_keys``, ``lex_idf``, ``lex_w``, ``lex_b``."""
    logits = np.tile(arrays["lex_b"], (len(texts), 1))
    for row, text in enumerate(texts):
        index, values = tfidf_row(gram_counts(text[:MAX_SPAN_CHARS]), arrays["lex_keys"], arrays["lex_idf"])
        logits[row] += values @ arrays["lex_w"][index]
    return logits
