"""Extraction: one RawRecord in, one clean Article out (or an InputError saying why not)."""

from __future__ import annotations

from collections.abc import Callable

from newsprism.errors import InputError
from newsprism.model import Article, RawRecord

Extractor = Callable[[RawRecord], Article]


def _extractors() -> dict[str, Extractor]:
    from newsprism.extract.dump import extract_dump
    from newsprism.extract.fields import extract_fields
    from newsprism.extract.html import extract_html

    return {"html": extract_html, "dump": extract_dump, "fields": extract_fields}


def extract(record: RawRecord) -> Article:
    """Pick the extractor registered for the record's kind; pure function of the record."""
    extractor = _extractors().get(record.kind)
    if extractor is None:
        raise InputError(record.source, f"no extractor for input kind {record.kind!r}")
    return extractor(record)
