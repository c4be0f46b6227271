"""The lexical models beside the techniques encoder: the word tagger (SI) and the span n-gram model
(TC), hashed and weighted as scikit-learn would."""

from __future__ import annotations

import math

import numpy as np
import pytest

from newsprism.annotate.lexical import (
    BUCKETS,
    MAX_SPAN_CHARS,
    TAGGER_FEATURES,
    gram_counts,
    lexical_logits,
    tagger_words,
    tfidf_row,
    word_probabilities,
)
from newsprism.annotate.techniques import LABELS, inside_probabilities, load_model, read, token_probabilities


def test_tagger_features_are_the_word_its_neighbours_and_its_ending() -> None:
    bounds, keys = tagger_words("A vile, vile plot!")
    assert bounds.tolist() == [[0, 1], [2, 6], [8, 12], [13, 17]]
    assert keys.shape == (4, TAGGER_FEATURES)
    assert ((keys >= 0) & (keys < BUCKETS)).all()
    first, second = keys[1], keys[2]  # the same word between other neighbours
    assert first[0] == second[0] and first[5] == second[5]
    assert first[1] != second[1] and first[2] != second[2]
    assert len(set(first.tolist())) == TAGGER_FEATURES  # each feature kind hashes apart
    assert tagger_words("!!!")[1].shape == (0, TAGGER_FEATURES)


def test_word_probabilities_add_the_weights_of_known_keys() -> None:
    _, keys = tagger_words("vile plot")
    arrays = {"si_keys": np.sort(keys[0]), "si_w": np.full(TAGGER_FEATURES, 1.0), "si_b": np.array([-2.0])}
    starts, probabilities = word_probabilities("vile plot", arrays)
    assert starts.tolist() == [0, 5]
    shared = len(set(keys[1].tolist()) & set(keys[0].tolist()))
    assert np.allclose(probabilities, [1 / (1 + np.exp(-(TAGGER_FEATURES - 2))), 1 / (1 + np.exp(-(shared - 2)))])


def test_inside_probabilities_mix_the_encoder_and_the_word_tagger() -> None:
    text = "Critics called the plan a disgraceful betrayal by corrupt bureaucrats."
    reading, model = read(text), load_model()
    probs = token_probabilities(reading.logits, reading.wins, len(reading.encoded.ids))
    assert np.allclose(inside_probabilities(reading, model, 0.0), probs[:, 1] + probs[:, 2])
    starts, words = word_probabilities(text, model.heads)
    tagger_only = inside_probabilities(reading, model, 1.0)
    for token, (start, _) in enumerate(reading.encoded.offsets):
        assert tagger_only[token] == pytest.approx(words[np.searchsorted(starts, start, side="right") - 1])


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


def test_a_page_long_span_is_read_by_its_beginning() -> None:
    heads = load_model().heads
    long_span = "traitors and liars " * 500
    assert np.allclose(lexical_logits([long_span], heads), lexical_logits([long_span[:MAX_SPAN_CHARS]], heads))


def test_shipped_lexical_model_covers_every_technique() -> None:
    heads = load_model().heads
    assert heads["lex_w"].shape == (len(heads["lex_keys"]), len(LABELS))
    assert np.all(np.diff(heads["lex_keys"]) > 0)  # sorted, as the lookup needs
    assert 0 <= load_model().meta["tc_lexical_weight"] < 1
    assert heads["si_w"].shape == heads["si_keys"].shape and np.all(np.diff(heads["si_keys"]) > 0)
    assert 0 <= load_model().meta["si_lexical_weight"] < 1
