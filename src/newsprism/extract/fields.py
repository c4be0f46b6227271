"""Articles from records whose parts are already separated: feed items, JSONL/CSV rows.

The body is plain text (paragraphs separated by blank lines, or by single newlines
when there is no blank line) or an HTML fragment (a feed's content: paragraphs from
block elements, scripts/styles/images/captions dropped); credit lines and wire sign-offs
("(Reporting by ...)") go to ``credits``, a leading dateline to ``dateline``. Metadata comes from
``record.meta`` (Article field names, values as the reader found them) and is only
normalised here: dates to ISO 8601 with their time zone, names split, language cut
to ISO 639-1 (detected from the text when not given), domain taken from the URL.
"""

from __future__ import annotations

import contextlib
import json
import re
from typing import Any

import lxml.html
from lxml import etree

from newsprism.errors import InputError
from newsprism.extract.attribution import split_credits, split_dateline
from newsprism.extract.metadata import clean_names, domain_of, machine_date
from newsprism.extract.text import detect_language, language_code, tidy_paragraphs
from newsprism.model import Article, RawRecord

_HTML_HINT = re.compile(
    r"<(?:p|div|br|h[1-6]|ul|ol|li|blockquote|span|a|em|strong|b|i|img|figure|table|section|article)\b[^>]*>",
    re.I,
)
_BLOCKS = frozenset({
    "p", "div", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
    "blockquote", "pre", "table", "tr", "td", "th", "caption",
    "section", "article", "header", "footer", "aside", "main", "figure", "address",
})  # fmt: skip
_DROPPED = (
    "head", "script", "style", "noscript", "template", "img", "picture", "source", "figcaption",
    "iframe", "object", "embed", "svg", "video", "audio", "canvas", "form", "button",
)  # fmt: skip
_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True)
_TAG_SEPARATORS = re.compile(r"\s*[,;|]\s*")


def extract_fields(record: RawRecord) -> Article:
    paragraphs, credits = split_credits([p for p in _paragraphs(record.data) if p.strip()])
    dateline, paragraphs = split_dateline(paragraphs)
    text = tidy_paragraphs(paragraphs)
    if not text:
        raise InputError(record.source, "no article text found")
    meta = record.meta
    url = record.url or _string(meta.get("url"))
    return Article(
        source=record.source,
        text=text,
        url=url,
        canonical_url=_string(meta.get("canonical_url")),
        outlet=_string(meta.get("outlet")),
        domain=domain_of(url) or _string(meta.get("domain")),
        title=_plain(meta.get("title")),
        description=_plain(meta.get("description")),
        published=machine_date(_string(meta.get("published"))),
        modified=machine_date(_string(meta.get("modified"))),
        authors=_names(meta.get("authors")),
        tags=_items(meta.get("tags"), _TAG_SEPARATORS),
        section=_string(meta.get("section")),
        image=_string(meta.get("image")),
        language=language_code(_string(meta.get("language"))) or detect_language(text),
        dateline=dateline,
        credits=credits,
        extraction={"method": "fields", "confidence": 1.0},
    )


def _paragraphs(data: bytes) -> list[str]:
    text = data.decode("utf-8", errors="replace")
    if _HTML_HINT.search(text):
        return _html_paragraphs(data)
    if re.search(r"\n[^\S\n]*\n", text):
        return [" ".join(block.split()) for block in re.split(r"\n[^\S\n]*\n", text)]
    return text.split("\n")


def _html_paragraphs(html: bytes) -> list[str]:
    """Text of an HTML fragment, one paragraph per block element (iterative: no recursion limit)."""
    try:
        root = lxml.html.document_fromstring(html, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return []
    etree.strip_elements(root, *_DROPPED, with_tail=False)
    paragraphs: list[str] = []
    current: list[str] = []
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if element.tag in _BLOCKS:
            paragraphs.append("".join(current))
            current.clear()
        if event == "start" and element.text:
            current.append(element.text)
        elif event == "end" and element.tail:
            current.append(element.tail)
    paragraphs.append("".join(current))
    return [" ".join(p.split()) for p in paragraphs]


def _plain(value: Any) -> str | None:
    """A metadata string as text (feeds may put HTML in titles and summaries)."""
    value = _string(value)
    if value and _HTML_HINT.search(value):
        value = " ".join(_html_paragraphs(value.encode("utf-8"))).strip()
    return " ".join(value.split()) if value else None


def _string(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if v), None)
    if value is None or isinstance(value, dict):
        return None
    value = str(value).strip()
    return value or None


def _names(value: Any) -> list[str]:
    """Authors from a list (of names or {"name": ...}), a JSON list, or a byline "By A, B and C"."""
    return list(dict.fromkeys(name for item in _items(value) for name in clean_names(item)))


def _items(value: Any, separators: re.Pattern[str] | None = None) -> list[str]:
    """Strings from a list, a JSON list in a string, or a string (split at ``separators`` if given)."""
    if isinstance(value, str) and value.strip().startswith("["):
        with contextlib.suppress(ValueError, RecursionError):
            value = json.loads(value)
    if isinstance(value, str):
        value = separators.split(value) if separators else [value]
    if not isinstance(value, list):
        return []
    items = (_string(item.get("name") if isinstance(item, dict) else item) for item in value)
    return list(dict.fromkeys(item for item in items if item))
