"""The lexical half of the technique classifier: hashed n-grams weighted as scikit-learn would."""

from __future__ import annotations

import math

import numpy as np
import pytest

from newsprism.annotate.span_ngrams import BUCKETS, gram_counts, lexical_logits, tfidf_row
from newsprism.annotate.techniques import LABELS, load_model


def test_word_and_character_grams_are_counted_case_insensitively() -> None:
    counts = gram_counts("Bad BAD man")
    words = {key: n for key, n in counts.items() if key < BUCKETS}
    assert sorted(words.values()) == [1, 1, 1, 2]  # bad x2, man, "bad bad", "bad man"
    characters = sum(n for key, n in counts.items() if key >= BUCKETS)
    # " bad " (twice) and " man " each give 4 + 3 + 2 + 1 grams of 2 to 5 characters
    assert characters == 3 * (4 + 3 + 2 + 1)


def test_each_block_is_unit_length_with_sublinear_tf_and_unknown_keys_dropped() -> None:
    counts = gram_counts("bad bad man")
    word_keys = sorted(key for key in counts if key < BUCKETS)
    keys = np.array(word_keys[:3], dtype=np.int64)  # one word n-gram is unknown to this model
    idf = np.array([1.0, 2.0, 1.0])
    index, values = tfidf_row(counts, keys, idf)
    raw = np.array([(1 + math.log(counts[int(keys[i])])) * idf[i] for i in index])
    assert np.allclose(values, raw / np.linalg.norm(raw))
    assert len(index) == 3


def test_matches_scikit_learn_tfidf() -> None:
    text_module = pytest.importorskip("sklearn.feature_extraction.text")  # a training-only extra
    texts = ["Traitors and cowards, all of them!", "The so-called experts lied.", "Cowards lied to us."]
    for vectorizer, is_char in ((text_module.TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True), False),
                                (text_module.TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5),
                                                             sublinear_tf=True), True)):
        expected = vectorizer.fit_transform(texts).toarray()
        counts = [gram_counts(t) for t in texts]
        frequency: dict[int, int] = {}
        for row in counts:
            for key in row:
                if (key >= BUCKETS) == is_char:
                    frequency[key] = frequency.get(key, 0) + 1
        assert len(frequency) == expected.shape[1]  # no two n-grams of these texts share a hash
        keys = np.array(sorted(frequency), dtype=np.int64)
        idf = np.log(4 / (1 + np.array([frequency[k] for k in keys]))) + 1
        for row, want in zip(counts, expected, strict=True):
            _, values = tfidf_row(row, keys, idf)
            assert np.allclose(sorted(values), sorted(want[want > 0]))


def test_lexical_logits_add_known_weights_to_the_bias() -> None:
    counts = gram_counts("hoax")
    keys = np.array(sorted(counts), dtype=np.int64)
    arrays = {"lex_keys": keys, "lex_idf": np.ones(len(keys)), "lex_w": np.ones((len(keys), 3)),
              "lex_b": np.array([0.5, 0.0, -0.5])}
    unknown, known = lexical_logits(["zzz", "hoax"], arrays)
    assert np.allclose(unknown, arrays["lex_b"])
    _, values = tfidf_row(counts, keys, arrays["lex_idf"])
    assert np.allclose(known, arrays["lex_b"] + values.sum())


def test_shipped_lexical_model_covers_every_technique() -> None:
    heads = load_model().heads
    assert heads["lex_w"].shape == (len(heads["lex_keys"]), len(LABELS))
    assert np.all(np.diff(heads["lex_keys"]) > 0)  # sorted, as the lookup needs
    assert 0 <= load_model().meta["tc_lexical_weight"] < 1
