"""Hashed word and character n-grams of a span's text: the lexical half of the technique classifier.

The encoder's pooled states carry the span's context; its words alone ("so-called", "Hitler",
"traitors", a trailing "!") already tell several techniques apart, and a linear model over them
corrects the encoder's head where its three layers blur them (model card). N-grams are hashed, so
no vocabulary of the training text ships with the model. The weighting is scikit-learn's
``TfidfVectorizer`` with sublinear tf, computed here because inference must not need scikit-learn:
word uni- and bigrams (``\\w\\w+`` tokens) and character 2-5-grams inside space-padded words each
make a block, tf-idf weighted and scaled to unit length.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from itertools import pairwise

import numpy as np

WORD = re.compile(r"\w\w+")
BUCKETS = 1 << 20  # per block; word keys are below BUCKETS, character keys at BUCKETS and above
CHAR_SIZES = range(2, 6)


def _bucket(gram: str) -> int:
    return zlib.crc32(gram.encode("utf-8")) % BUCKETS


def gram_counts(text: str) -> Counter[int]:
    """How often each hashed n-gram key occurs in ``text``."""
    low = text.lower()
    words = WORD.findall(low)
    counts = Counter(_bucket(gram) for gram in [*words, *(f"{a} {b}" for a, b in pairwise(words))])
    for token in low.split():
        padded = f" {token} "
        counts.update(BUCKETS + _bucket(padded[i : i + n]) for n in CHAR_SIZES for i in range(len(padded) - n + 1))
    return counts


def tfidf_row(counts: Counter[int], keys: np.ndarray, idf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(feature indices, values) of one text over the model's ``keys`` (sorted), each block unit length."""
    seen = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
    tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
    at = np.minimum(np.searchsorted(keys, seen), max(len(keys) - 1, 0))
    known = keys[at] == seen if len(keys) else np.zeros(len(seen), dtype=bool)
    index = at[known]
    values = (1.0 + np.log(tf[known])) * idf[index]
    is_char = seen[known] >= BUCKETS
    for block in (is_char, ~is_char):
        norm = np.sqrt((values[block] ** 2).sum())
        if norm:
            values[block] /= norm
    return index, values


def lexical_logits(texts: list[str], arrays: dict[str, np.ndarray]) -> np.ndarray:
    """(S, labels) logits of the linear model stored as ``lex_keys``, ``lex_idf``, ``lex_w``, ``lex_b``."""
    logits = np.tile(arrays["lex_b"], (len(texts), 1))
    for row, text in enumerate(texts):
        index, values = tfidf_row(gram_counts(text), arrays["lex_keys"], arrays["lex_idf"])
        logits[row] += values @ arrays["lex_w"][index]
    return logits
