"""newsprism: raw news pages in, clean articles with annotations, stories and comparisons out.

The Python API the CLI is a thin layer over::

    from newsprism import Store, extract_paths, ingest
    for record, article in extract_paths(["pages/"]):   # article is an Article or an InputError
        ...
    with Store("news.sqlite") as store:
        ingest(extract_paths(["pages/"], annotate=True), store)   # with the annotation layers
        hits = store.search("gas transit", since="2026-03-10")
"""

from newsprism.errors import InputError
from newsprism.model import Article, Layer, RawRecord, Span, Story
from newsprism.pipeline import extract_paths, ingest, reextract, safe_extract
from newsprism.store import Store

__version__ = "0.15.0"
__all__ = [
    "Article",
    "InputError",
    "Layer",
    "RawRecord",
    "Span",
    "Store",
    "Story",
    "extract_paths",
    "ingest",
    "reextract",
    "safe_extract",
]
