"""What a source lists: article links (with the date the listing gives them) from RSS/Atom feeds and news
sitemaps, child sitemaps from a sitemap index, feeds from a home page. Parsing only: nothing here
touches the network, and XML is read with entities and DTDs off."""

from __future__ import annotations

import gzip
import io
import json
import zlib
from dataclasses import dataclass
from datetime import datetime
from time import struct_time
from urllib.parse import urljoin, urlsplit, urlunsplit
from xml.sax import SAXException

import courlan
import feedparser
from lxml import etree, html

from newsprism.errors import first_line
from newsprism.ingest.detect import GZIP_MAGIC
from newsprism.store.base import store_time

MAX_ENTRIES = 50_000  # a sitemap's own limit
MAX_LISTING_BYTES = 50_000_000
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json")


@dataclass(frozen=True)
class Entry:
    """An article link and the date its listing gives it (lastmod, updated, published), if any."""

    url: str
    listed: str | None


@dataclass
class Listing:
    entries: list[Entry]
    sitemaps: list[str]  # children of a sitemap index
    feeds: list[str]  # found on a home page
    problem: str | None = None  # why nothing could be read from it


def normal_url(url: str, base: str | None = None) -> str | None:
    """The one spelling of a page's URL: absolute, http(s), no fragment, no tracking parameters."""
    url = urljoin(base, url.strip()) if base else url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    try:
        cleaned = courlan.normalize_url(urlunsplit(parts._replace(fragment="")), strict=True)
    except (ValueError, AttributeError):
        return None
    return cleaned or None


def read_listing(kind: str, body: bytes, base: str) -> Listing:
    """A feed, a sitemap (index) or a home page, by ``kind``; a sitemap may be gzipped."""
    if kind == "feed":
        return _feed(body, base)
    if kind == "sitemap":
        return _sitemap(_gunzipped(body), base)
    return Listing([], [], home_feeds(body, base))


def _feed(body: bytes, base: str) -> Listing:
    if body.lstrip()[:1] == b"{":
        return _json_feed(body, base)
    try:
        parsed = feedparser.parse(io.BytesIO(body), sanitize_html=False, resolve_relative_uris=False)
    except Exception as error:  # feedparser has crashed on malformed encoding declarations
        return Listing([], [], [], f"unreadable feed ({type(error).__name__})")
    entries = []
    for item in parsed.entries[:MAX_ENTRIES]:
        link = item.get("link") or next((li.get("href") for li in item.get("links", []) if li.get("href")), None)
        url = normal_url(link, base) if link else None
        if url:
            date = item.get("updated_parsed") if "updated" in item else item.get("published_parsed")
            entries.append(Entry(url, _iso(date)))
    problem, broken = None, parsed.get("bozo_exception")
    if isinstance(broken, SAXException):  # not the harmless encoding notes feedparser also raises the flag for
        problem = f"malformed feed ({first_line(broken)}); {len(entries)} links read before it"
    elif not parsed.entries and not parsed.get("version"):
        problem = "not a feed"
    return Listing(entries, [], [], problem)


def _json_feed(body: bytes, base: str) -> Listing:
    """A JSON Feed (jsonfeed.org, version 1 or 1.1), which feedparser does not read: items' url and dates."""
    try:
        document = json.loads(body)
    except (ValueError, RecursionError) as error:
        return Listing([], [], [], f"unreadable JSON feed ({first_line(error)})")
    items = document.get("items") if isinstance(document, dict) else None
    if not isinstance(items, list):
        return Listing([], [], [], "not a feed (a JSON document without items)")
    entries = []
    for item in items[:MAX_ENTRIES]:
        link = item.get("url") or item.get("external_url") if isinstance(item, dict) else None
        url = normal_url(link, base) if isinstance(link, str) else None
        if url:
            date = item.get("date_modified") or item.get("date_published")
            entries.append(Entry(url, date if isinstance(date, str) else None))
    return Listing(entries, [], [])


def _sitemap(body: bytes | None, base: str) -> Listing:
    if body is None:
        return Listing([], [], [], "unreadable sitemap (bad gzip or too large)")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=True)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as error:
        return Listing([], [], [], f"unreadable sitemap ({first_line(error)})")
    if root is None:
        return Listing([], [], [], "unreadable sitemap (empty)")
    entries, children = [], []
    for node in root.iter("{*}url", "{*}sitemap"):
        loc = _child_text(node, "loc")
        url = normal_url(loc, base) if loc else None
        if not url:
            continue
        if etree.QName(node).localname == "sitemap":
            children.append(url)
        else:
            entries.append(Entry(url, _child_text(node, "lastmod") or _child_text(node, "publication_date")))
        if len(entries) + len(children) >= MAX_ENTRIES:
            break
    return Listing(entries, children, [])


def home_feeds(body: bytes, base: str) -> list[str]:
    """The feeds a home page declares (<link rel="alternate" type="application/rss+xml">)."""
    try:
        document = html.fromstring(body)
    except (etree.ParserError, ValueError):
        return []
    found = []
    for link in document.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        if "alternate" in rel and (link.get("type") or "").lower().strip() in FEED_TYPES and link.get("href"):
            url = normal_url(link.get("href"), base)
            if url and url not in found:
                found.append(url)
    return found


def _child_text(node: etree._Element, name: str) -> str | None:
    for child in node.iter(f"{{*}}{name}"):
        if child.text and child.text.strip():
            return child.text.strip()
    return None


def _gunzipped(body: bytes) -> bytes | None:
    if not body.startswith(GZIP_MAGIC):
        return body
    try:
        out = zlib.decompressobj(wbits=31).decompress(body, MAX_LISTING_BYTES)
    except (zlib.error, gzip.BadGzipFile):
        return None
    return out if len(out) < MAX_LISTING_BYTES else None


def _iso(value: struct_time | None) -> str | None:
    if not value:
        return None
    return store_time(datetime(*value[:6]))

