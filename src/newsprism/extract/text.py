"""Text as published, and a normalised form of it for matching and search."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import py3langid
from confusable_homoglyphs import confusables

_QUOTES = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"',
        "\u00bb": '"', "\u2033": '"', "\u2039": "'", "\u203a": "'",
    }
)
_SPACES = re.compile(r"[^\S\n]+")
_WORD = re.compile(r"\w+")
SHINGLE = 4
_BLANK_RUNS = re.compile(r"\n{3,}")


def normalise(text: str) -> str:
    """NFKC, confusable letters folded to the script of their word, quotes unified.

    Only for matching and search: the published text is never replaced by this.
    """
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return re.sub(r"\w+", lambda m: _fold_word(m.group(0)), text)


def without_marks(text: str) -> str:
    """Diacritics dropped ("Zelenskyy" finds "Zelenskyý"), as SQLite's FTS5 tokenizer does."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    """Replace letters of a minority script inside a word (a Cyrillic 'С' in 'Сancelled')."""
    if word.isascii() or not confusables.is_mixed_script(word):
        return word
    latin = sum(ch.isascii() for ch in word)
    if latin * 2 < len(word):
        return word
    out = []
    for ch in word:
        if ch.isascii():
            out.append(ch)
            continue
        found = confusables.is_confusable(ch, preferred_aliases=["latin"], greedy=True) or []
        homoglyphs = [h["c"] for f in found for h in f["homoglyphs"] if h["c"].isascii()]
        out.append(homoglyphs[0] if homoglyphs else ch)
    return "".join(out)


def tidy_paragraphs(paragraphs: list[str]) -> str:
    """Join body paragraphs the way the Article contract wants: "\\n\\n" between them."""
    cleaned = [_SPACES.sub(" ", p).strip() for p in paragraphs]
    return _BLANK_RUNS.sub("\n\n", "\n\n".join(p for p in cleaned if p))


def language_code(value: object) -> str | None:
    """ISO 639-1 from a declared language ("en", "en-US", "en_GB"); None for anything else."""
    code = re.split(r"[-_]", str(value).strip().lower())[0] if isinstance(value, str) else ""
    return code if re.fullmatch(r"[a-z]{2}", code) else None


def detect_language(text: str) -> str | None:
    """ISO 639-1 code, offline (py3langid ships its model); None for too little text."""
    sample = text[:5000]
    if len(re.findall(r"\w+", sample)) < 3:
        return None
    lang, _ = py3langid.classify(sample)
    return lang


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def shingles(text: str, size: int = SHINGLE) -> set[tuple[str, ...]]:
    """4-word shingles of lower-cased \\w+ tokens; a shorter text is one shingle of all its words."""
    tokens = words(text)
    if not tokens:
        return set()
    if len(tokens) < size:
        return {tuple(tokens)}
    return ngrams(tokens, size)


def ngrams(tokens: list[str], size: int) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


# A sentence ends at a line break, or at end punctuation (and a closing quote) before a capital or digit.
SENTENCE_BREAK = re.compile(r"\n+|(?<=[.!?])[\"'”’)]?\s+(?=[\"“'‘(]?[A-Z0-9])")


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """Sentences as character ranges, without a parser: cheap enough for every article of a story."""
    bounds, start = [], 0
    for match in SENTENCE_BREAK.finditer(text):
        if match.start() > start:
            bounds.append((start, match.start()))
        start = match.end()
    if start < len(text):
        bounds.append((start, len(text)))
    return bounds or [(0, len(text))]
