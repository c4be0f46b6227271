"""Render an HTML page as a plain-text page dump, the input kind the seeds show.

A dump is what a "save all visible text" tool produces: the page's metadata values
(canonical link, meta contents, every JSON-LD scalar) one per line near the top, then
the visible text, one block per line in document order. The benchmark uses it to
turn the HTML dev set into dumps with known gold, and the dump trainer uses the
``origin`` of each line to know which lines are metadata values.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import lxml.html
from lxml import etree

from newsprism.extract.html import decode_html

MAX_HTML_BYTES = 8_000_000
BULLET = "  • "

_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd", "details",
        "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "frame",
        "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li",
        "main", "menu", "nav", "ol", "option", "p", "pre", "section", "summary", "table", "tbody", "td",
        "tfoot", "th", "thead", "title", "tr", "ul"
    }
)
_DROPPED_TAGS = frozenset(
    {
        "script", "style", "noscript", "template", "head", "iframe", "svg", "canvas", "object", "embed",
        "select", "textarea", "audio", "video", "map"
    }
)
_META_KEYS = re.compile(
    r"^(og:|article:|twitter:|dc\.|dcterms\.|parsely-|sailthru\.|citation_)|"
    r"^(description|keywords|news_keywords|author|date|pubdate|publishdate|publish-date|"
    r"last-modified|copyright|section|title)$",
    re.IGNORECASE,
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_ASCII_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


@dataclass(frozen=True)
class DumpLine:
    """One dump line and where it came from: ``meta`` (head/JSON-LD value) or ``visible``."""

    text: str
    origin: str
    element: Any = None


def render_dump(html: bytes) -> str:
    """The page as a dump: metadata values, an empty line, then the visible text blocks."""
    return "\n".join(line.text for line in render_lines(html))


def render_lines(html: bytes) -> list[DumpLine]:
    """Dump lines with their origin, for training labels; empty list for an unparsable page."""
    root = parse_html(html)
    if root is None:
        return []
    meta = [DumpLine(v, "meta") for v in _metadata_values(root)]
    visible = list(_visible_lines(root))
    return [*meta, DumpLine("", "meta"), *visible] if meta else visible


def parse_html(html: bytes) -> Any:
    """lxml tree of the page, without network access or entity expansion; None if unparsable."""
    text = _XML_DECL.sub("", decode_html(html[:MAX_HTML_BYTES]))
    if not text.strip():
        return None
    parser = lxml.html.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, recover=True, default_doctype=False
    )
    try:
        return lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError):
        return None


def _metadata_values(root: Any) -> Iterator[str]:
    """Canonical link, selected meta contents and JSON-LD scalars, in document order."""
    for el in root.iter("link", "meta", "script"):
        if el.tag == "link" and (el.get("rel") or "").lower() == "canonical":
            yield from _one_line(el.get("href"))
        elif el.tag == "meta" and _META_KEYS.search(el.get("property") or el.get("name") or ""):
            yield from _one_line(el.get("content"))
        elif el.tag == "script" and (el.get("type") or "").lower() == "application/ld+json":
            yield from _json_ld_values(el.text or "")


def _json_ld_values(source: str) -> Iterator[str]:
    try:
        data = json.loads(source, strict=False)
    except ValueError:
        return
    for leaf in _leaves(data):
        yield from _one_line(leaf)


def _leaves(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for value in node.values():
            yield from _leaves(value)
    elif isinstance(node, list):
        for value in node:
            yield from _leaves(value)
    elif isinstance(node, bool):
        yield "true" if node else "false"
    elif node is not None:
        yield str(node)


def _one_line(value: str | None) -> Iterator[str]:
    line = _CONTROL.sub("", _ASCII_SPACE.sub(" ", value or "")).strip()
    if line:
        yield line


def _visible_lines(root: Any) -> Iterator[DumpLine]:
    body = root.find("body")
    lines: list[DumpLine] = []
    buffer: list[str] = []
    _walk(body if body is not None else root, buffer, lines, None)
    _flush(buffer, lines, None)
    yield from lines


def _walk(el: Any, buffer: list[str], lines: list[DumpLine], block: Any) -> None:
    """Depth-first: inline text joins the current line, block elements start and end lines."""
    if not isinstance(el.tag, str) or el.tag in _DROPPED_TAGS or _is_hidden(el):
        if el.tail:
            buffer.append(el.tail)
        return
    is_block = el.tag in _BLOCK_TAGS
    if is_block:
        _flush(buffer, lines, block)
        if el.tag == "li":
            buffer.append(BULLET)
    inner = el if is_block else block
    if el.text:
        buffer.append(el.text)
    for child in el:
        _walk(child, buffer, lines, inner)
    if is_block:
        _flush(buffer, lines, el)
    if el.tail:
        buffer.append(el.tail)


def _flush(buffer: list[str], lines: list[DumpLine], block: Any) -> None:
    raw = "".join(buffer)
    buffer.clear()
    bullet = raw.lstrip(" \t\n\r").startswith(BULLET.strip())
    text = _CONTROL.sub("", _ASCII_SPACE.sub(" ", raw)).strip(" ")
    if text and text != BULLET.strip():
        lines.append(DumpLine(BULLET + text[1:].lstrip(" ") if bullet else text, "visible", block))


def _is_hidden(el: Any) -> bool:
    if el.get("hidden") is not None:
        return True
    style = el.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))
