"""Line features for page dumps, in the spirit of jusText and boilerpipe.

A dump has no markup, so everything the classifier knows about a line comes from
its own text (length, stopwords, punctuation, shape), from where it sits (position,
next to the headline, inside a block of metadata values) and from its neighbours.
The same code computes features at training and at run time, so they cannot drift.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import lru_cache

import numpy as np

_WORD = re.compile(r"\w+")
_URL = re.compile(r"^(https?://|www\.|/)\S+$", re.IGNORECASE)
_HAS_URL = re.compile(r"https?://|www\.", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_PHONE = re.compile(r"^\+?[\d ()./-]{7,}$")
_NUMBER = re.compile(r"^[\d\s.,:%+-]+$")
_DATE_ONLY = re.compile(
    r"^(\d{4}-\d{2}-\d{2}([T ][\d:.]+)?(Z|[+-]\d{2}:?\d{2})?|\d{1,2}[./]\d{1,2}[./]\d{2,4}"
    r"(,? \d{1,2}:\d{2})?|\d{1,2}:\d{2}( ?[A-Z]{2,4})?( \d{1,2}[./]\d{1,2}[./]\d{4})?)$"
)
_VALUE_LIKE = re.compile(r"^(true|false|\d+|https?://\S+|[\w.+-]+@[\w.-]+|\S+\.(jpe?g|png|gif|webp))$", re.I)
_BULLET = re.compile(r"^\s*[•·▪●◦‣*–-]\s")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)]*$")
_RUN_ON = re.compile(r"[a-z][.!?][\"”’]?[A-Z]")
_CAPITALISED = re.compile(r"^[^\W\d_]")
_COPYRIGHT = re.compile(r"©|\(c\)|copyright", re.IGNORECASE)

# py3langid codes mapped to the jusText stoplist names shipped in its package.
_STOPLIST_NAMES = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian",
    "pl": "Polish", "ru": "Russian", "uk": "Ukrainian", "nl": "Dutch", "pt": "Portuguese",
    "sv": "Swedish", "da": "Danish", "no": "Norwegian_Bokmal", "fi": "Finnish", "cs": "Czech",
    "sk": "Slovak", "hu": "Hungarian", "ro": "Romanian", "tr": "Turkish", "el": "Greek",
    "bg": "Bulgarian", "hr": "Croatian", "sr": "Serbian", "sl": "Slovenian", "ca": "Catalan",
    "id": "Indonesian", "vi": "Vietnamese", "ar": "Arabic", "fa": "Persian", "he": "Hebrew",
}

OWN_FEATURES = (
    "log_chars", "log_words", "stopword_density", "punctuation_ratio", "sentence_end",
    "sentences_per_word", "capitalised_ratio", "digit_ratio", "is_url", "has_url", "has_email",
    "is_phone", "is_number", "is_date", "is_value", "bullet", "repeats", "run_on",
    "title_similarity", "is_title", "after_title", "position",
    "ends_colon", "starts_lower", "has_quote", "copyright", "pipes", "value_block",
    "relative_length", "substring_of_other", "contains_others", "from_longest", "text_mass_before",
)
_NEIGHBOUR_FEATURES = ("log_chars", "stopword_density", "sentence_end", "is_value", "bullet")
_OFFSETS = (-2, -1, 1, 2)
_WINDOW_FEATURES = ("log_chars", "stopword_density", "sentence_end")
_WINDOWS = (3, 8)
FEATURE_NAMES = (
    *OWN_FEATURES,
    *(f"{name}@{off:+d}" for off in _OFFSETS for name in _NEIGHBOUR_FEATURES),
    *(f"{name}~{w}" for w in _WINDOWS for name in _WINDOW_FEATURES),
    "log_lines",
)


def split_lines(dump: str) -> list[str]:
    """The non-empty lines, stripped. Empty lines are dropped: some dumps put one between all
    blocks and some none, so they carry no signal."""
    return [text.strip() for text in dump.split("\n") if text.strip()]


@lru_cache(maxsize=64)
def stopwords(language: str | None) -> frozenset[str]:
    """jusText's stoplist for the language; English and German together when unknown."""
    import justext

    name = _STOPLIST_NAMES.get(language or "")
    if name is None:
        return justext.get_stoplist("English") | justext.get_stoplist("German")
    return frozenset(w.lower() for w in justext.get_stoplist(name))


def line_features(lines: list[str], title: str | None, language: str | None) -> np.ndarray:
    """One row of FEATURE_NAMES per line."""
    if not lines:
        return np.zeros((0, len(FEATURE_NAMES)))
    own = np.array(_own_features(lines, title, stopwords(language)), dtype=float)
    columns = {name: own[:, i] for i, name in enumerate(OWN_FEATURES)}
    parts = [own]
    for off in _OFFSETS:
        parts.append(np.stack([_shifted(columns[name], off) for name in _NEIGHBOUR_FEATURES], axis=1))
    for w in _WINDOWS:
        parts.append(np.stack([_window_mean(columns[name], w) for name in _WINDOW_FEATURES], axis=1))
    parts.append(np.full((len(lines), 1), np.log1p(len(lines))))
    return np.hstack(parts)


def _shifted(column: np.ndarray, offset: int) -> np.ndarray:
    """Neighbour's value; -1 beyond the ends of the dump."""
    out = np.full_like(column, -1.0)
    if offset > 0:
        out[:-offset] = column[offset:]
    else:
        out[-offset:] = column[:offset]
    return out


def _window_mean(column: np.ndarray, width: int) -> np.ndarray:
    """Mean over the lines at most ``width`` away (fewer at the ends of the dump)."""
    cumulative = np.concatenate([[0.0], np.cumsum(column)])
    index = np.arange(len(column))
    low, high = np.maximum(index - width, 0), np.minimum(index + width + 1, len(column))
    return (cumulative[high] - cumulative[low]) / (high - low)


def _own_features(texts: list[str], title: str | None, stop: frozenset[str]) -> list[list[float]]:
    counts = Counter(texts)
    title_words = set(w.lower() for w in _WORD.findall(title or ""))
    title_at = _last_title_index(texts, title)
    longest = max(len(t) for t in texts)
    inside_other, repeats = containment(texts)
    value_like = [_is_value(t) for t in texts]
    n = len(texts)
    longest_at = max(range(n), key=lambda k: len(texts[k]))
    text_mass = _text_mass_before(texts)
    rows = []
    for i, text in enumerate(texts):
        words = _WORD.findall(text)
        lower = [w.lower() for w in words]
        n_words = max(len(words), 1)
        chars = max(len(text), 1)
        near = value_like[max(0, i - 3) : i + 4]
        rows.append([
            np.log1p(len(text)),
            np.log1p(len(words)),
            sum(w in stop for w in lower) / n_words,
            sum(not ch.isalnum() and not ch.isspace() for ch in text) / chars,
            float(bool(_SENTENCE_END.search(text))),
            len(re.findall(r"[.!?…](\s|$)", text)) / n_words,
            sum(bool(_CAPITALISED.match(w)) for w in words) / n_words,
            sum(ch.isdigit() for ch in text) / chars,
            float(bool(_URL.match(text))),
            float(bool(_HAS_URL.search(text))),
            float(bool(_EMAIL.search(text))),
            float(bool(_PHONE.match(text))),
            float(bool(_NUMBER.match(text))),
            float(bool(_DATE_ONLY.match(text))),
            float(value_like[i]),
            float(bool(_BULLET.match(text))),
            np.log1p(counts[text] - 1),
            len(_RUN_ON.findall(text)) / n_words,
            _jaccard(set(lower), title_words),
            float(bool(title) and text == title),
            _after_title(i, title_at, n),
            i / n,
            float(text.endswith(":")),
            float(text[:1].islower()),
            float(any(q in text for q in "\"“”„«»")),
            float(bool(_COPYRIGHT.search(text))),
            text.count("|") / n_words,
            sum(near) / len(near),
            len(text) / longest,
            float(inside_other[i]),
            np.log1p(repeats[i]),
            (i - longest_at) / n,
            text_mass[i],
        ])
    return rows


def _text_mass_before(texts: list[str]) -> list[float]:
    """Share of the dump's sentence-long text that comes before each line: where the prose sits."""
    sizes = np.array([len(t) if len(t) > 80 else 0 for t in texts], dtype=float)
    total = sizes.sum()
    return list((np.cumsum(sizes) - sizes) / total) if total else [0.0] * len(texts)


def containment(texts: list[str]) -> tuple[tuple[bool, ...], tuple[int, ...]]:
    """Per line: whether a longer line contains it, and how many lines a long line repeats; the
    features and the extractor both ask, so the last dump's answer is kept."""
    return _containment(tuple(texts))


@lru_cache(maxsize=1)
def _containment(texts: tuple[str, ...]) -> tuple[tuple[bool, ...], tuple[int, ...]]:
    """Per line: whether a longer line (over 80 characters) contains it, and, for such long lines, how
    many other lines (over 40 characters) they repeat: a run-on copy of the body repeats many.

    Substring tests run only against lines that share the line's rarest interior word trigram
    (interior words of a substring are whole words of the line containing it), so a long dump
    costs about linear time instead of quadratic.
    """
    inside_other, repeats = [False] * len(texts), [0] * len(texts)
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    long_lines = [j for j, text in enumerate(texts) if len(text) > 80]
    for j in long_lines:
        for key in _trigrams(_WORD.findall(texts[j])):
            index[key].append(j)
    for i, text in enumerate(texts):
        if len(text) <= 40:
            continue
        keys = _trigrams(_WORD.findall(text)[1:-1])
        candidates = min((index.get(key, []) for key in keys), key=len) if keys else long_lines
        for j in candidates:
            if texts[j] != text and text in texts[j]:
                inside_other[i] = True
                repeats[j] += 1
    return tuple(inside_other), tuple(repeats)


def _trigrams(tokens: list[str]) -> set[tuple[str, ...]]:
    return {tuple(tokens[k : k + 3]) for k in range(len(tokens) - 2)}


def _is_value(text: str) -> bool:
    return bool(_VALUE_LIKE.match(text) or _DATE_ONLY.match(text) or _NUMBER.match(text))


def _last_title_index(texts: list[str], title: str | None) -> int | None:
    found = [i for i, t in enumerate(texts) if title and t == title]
    return found[-1] if found else None


def _after_title(i: int, title_at: int | None, n: int) -> float:
    """Signed distance to the visible headline, in share of the dump; 0 when none was found."""
    if title_at is None:
        return 0.0
    return (i - title_at) / n


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


CONTEXT_FEATURES = (
    "p", *(f"p@{off:+d}" for off in _OFFSETS), *(f"p~{w}" for w in _WINDOWS),
    "p_max~3", "p_share_of_page_max", "page_max_p", "page_mean_p",
)


def probability_context(probs: np.ndarray) -> np.ndarray:
    """Second-stage rows: a line's first-stage body probability seen next to its neighbours' and the page's."""
    n = len(probs)
    padded = np.concatenate([np.zeros(3), probs, np.zeros(3)])
    local_max = np.max([padded[k : k + n] for k in range(7)], axis=0)
    top = float(probs.max()) if n else 0.0
    columns = [
        probs,
        *(_shifted(probs, off) for off in _OFFSETS),
        *(_window_mean(probs, w) for w in _WINDOWS),
        local_max,
        probs / max(top, 1e-6),
        np.full(n, top),
        np.full(n, float(probs.mean()) if n else 0.0),
    ]
    return np.stack(columns, axis=1)
