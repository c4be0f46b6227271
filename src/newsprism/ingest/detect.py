"""What an input is, judged by its first bytes rather than its name.

``detect_kind`` looks at the head (first ``HEAD_BYTES``) of a payload, after gzip
decompression, and names the reader for it:

==========  ================================================================
``gzip``    gzip magic: decompress and detect again
``warc``    starts with ``WARC/1.0`` or ``WARC/1.1``
``feed``    root ``<rss``, ``<feed`` or ``<rdf:RDF`` after XML declaration/BOM/comments
``html``    ``<!doctype html``, ``<html``, ``<head``, ``<body``, or mostly HTML tags
``jsonl``   the first non-blank line is a JSON object
``json``    otherwise starts with ``{`` or ``[``: one JSON document (an array of articles)
``csv``     the first row is a header with a text column (see ``table.TEXT_COLUMNS``)
``dump``    any other text: a plain-text page dump
==========  ================================================================

and the refusals: ``empty`` (nothing but whitespace), ``binary`` (not markup, and NUL
or over 1% control bytes without a UTF-16/32 byte-order mark), ``xml`` (an XML document
that is not a feed). UTF-16 without a BOM is therefore refused as binary.
"""

from __future__ import annotations

import json
import re

from newsprism.ingest.encoding import bom_encoding
from newsprism.ingest.table import csv_delimiter

HEAD_BYTES = 1 << 16
GZIP_MAGIC = b"\x1f\x8b"

_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 27), *range(28, 32)])
_OTHER_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_PROLOG_ITEM = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!doctype\s+([\w:.-]+)(?:[^>\[]*\[.*?\])?[^>]*>)", re.S | re.I)
_FEED_ROOT = re.compile(r"<(?:rss|feed|rdf:rdf)[\s>/]", re.I)
_HTML_ROOT = re.compile(r"<(?:html|head|body)[\s>/]", re.I)
_HTML_TAG = re.compile(
    r"</?(?:p|div|span|a|br|hr|img|script|style|meta|link|title|table|tr|td|ul|ol|li|h[1-6]|"
    r"section|article|header|footer|nav|main|aside|figure|form|input|button|iframe|em|strong|b|i)\b[^>]*>",
    re.I,
)


def detect_kind(head: bytes) -> str:
    """The input kind of a payload, from its head alone (see the module docstring)."""
    if head.startswith(GZIP_MAGIC):
        return "gzip"
    if head.startswith((b"WARC/1.0", b"WARC/1.1")):
        return "warc"
    bom = bom_encoding(head)
    text = head.decode(bom or "utf-8", errors="replace")
    markup = _markup_kind(text)  # before the binary test: real pages may hold a few stray NUL bytes
    if markup is None and bom is None and _looks_binary(head):
        return "binary"
    if not text.strip():
        return "empty"
    return markup or _table_kind(text, cut=len(head) >= HEAD_BYTES) or "dump"


def _looks_binary(head: bytes) -> bool:
    controls = len(head.translate(None, _OTHER_BYTES))
    return b"\x00" in head or controls * 100 > len(head)


def _markup_kind(text: str) -> str | None:
    position, saw_prolog = 0, False
    while match := _PROLOG_ITEM.match(text, position):
        if match[1] and match[1].lower() == "html":
            return "html"
        position, saw_prolog = match.end(), True
    rest = text[position:].lstrip()
    if _FEED_ROOT.match(rest):
        return "feed"
    if _HTML_ROOT.match(rest) or _mostly_html(rest):
        return "html"
    if saw_prolog and rest.startswith("<"):
        return "xml"
    return None


def _mostly_html(text: str) -> bool:
    """HTML without a root element (a saved fragment): starts with tags, or tags are a big share."""
    tags = _HTML_TAG.findall(text)
    if text.startswith("<") and len(tags) >= 3:
        return True
    return sum(map(len, tags)) * 5 >= len(text) and len(tags) >= 10


def _table_kind(text: str, cut: bool) -> str | None:
    """JSONL or CSV; a first JSON line longer than the head is taken on trust when the head was cut."""
    first_line, newline, _ = text.lstrip().partition("\n")
    if first_line.startswith("{") and (_is_json_object(first_line) or (cut and not newline)):
        return "jsonl"
    if first_line.startswith(("{", "[")):
        return "json"
    if csv_delimiter(text) is not None:
        return "csv"
    return None


def _is_json_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):
        return False
