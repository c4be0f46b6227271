"""RSS/Atom/RDF feeds: items that carry the article inline become ``fields`` records.

feedparser gets the feed as a byte stream, never as a string: given a string it
would open it as a URL or a file name. It does not fetch DTDs or external entities
(its strict parser turns external general entities off and it rewrites the DOCTYPE),
which ``tests/test_ingest.py`` checks with a feed that points an entity at a local file.

An item counts as carrying its article when it has ``content`` (``content:encoded``,
Atom ``<content>``) or a summary of at least ``MIN_SUMMARY_CHARS`` characters of
text; teaser-only items are skipped, and only a feed in which no item has inline
content is reported (one error for the feed). Item ``n`` counts the records made,
from 0, so ``feed.xml#0`` is the first item with content.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import feedparser

from newsprism.errors import InputError
from newsprism.ingest.limits import Limits
from newsprism.model import RawRecord

MIN_SUMMARY_CHARS = 400
_TAG = re.compile(r"<[^>]*>")


def read_feed(data: bytes, source: str, limits: Limits) -> Iterator[RawRecord | InputError]:
    try:
        parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=True)
    except Exception as exc:  # feedparser has crashed on malformed encoding declarations
        raise InputError(source, f"unreadable feed ({type(exc).__name__}: {exc})") from None
    entries = parsed.entries
    if not entries:
        problem = parsed.get("bozo_exception")
        yield InputError(source, f"unreadable feed ({problem})" if problem else "feed has no items")
        return
    made = 0
    for entry in entries[: limits.max_records]:
        content = _inline_content(entry)
        if content is None:
            continue
        meta = _item_meta(entry, parsed.feed, content)
        yield RawRecord(
            source=f"{source}#{made}", kind="fields", data=content.encode("utf-8"),
            url=entry.get("link"), meta=meta,
        )  # fmt: skip
        made += 1
    if len(entries) > limits.max_records:
        yield InputError(source, f"more than {limits.max_records} items; the rest skipped")
    if made == 0:
        yield InputError(source, f"none of the feed's {len(entries)} items has inline content")


def _inline_content(entry: Any) -> str | None:
    """The item's article HTML: its longest content, else a summary long enough to be the article."""
    contents = [c.get("value") or "" for c in entry.get("content", [])]
    longest = max(contents, key=len, default="")
    if _TAG.sub("", longest).strip():
        return longest
    summary = entry.get("summary") or ""
    if len(_TAG.sub("", summary).strip()) >= MIN_SUMMARY_CHARS:
        return summary
    return None


def _item_meta(entry: Any, feed: Any, content: str) -> dict[str, Any]:
    """Article fields of an item; the summary is its description unless it is the content itself."""
    summary = entry.get("summary")
    meta = {
        "title": entry.get("title"),
        "published": entry.get("published"),
        "modified": dict.get(entry, "updated"),  # entry.get() falls back to the published date
        "authors": [a["name"] for a in entry.get("authors", []) if a.get("name")],
        "tags": [t["term"] for t in entry.get("tags", []) if t.get("term")],
        "outlet": feed_publisher(feed),
        "description": summary if summary != content else None,
        "language": feed.get("language") or _content_language(entry),
        "image": _image(entry),
    }
    return {key: value for key, value in meta.items() if value}


def _content_language(entry: Any) -> str | None:
    return next((c["language"] for c in entry.get("content", []) if c.get("language")), None)


def _image(entry: Any) -> str | None:
    """First image among Media RSS content/thumbnails and enclosures."""
    for media in entry.get("media_content", []):
        if media.get("url") and (media.get("medium") == "image" or media.get("type", "").startswith("image/")):
            return media["url"]
    for thumbnail in entry.get("media_thumbnail", []):
        if thumbnail.get("url"):
            return thumbnail["url"]
    for link in entry.get("links", []):
        if link.get("rel") == "enclosure" and link.get("type", "").startswith("image/") and link.get("href"):
            return link["href"]
    return None


_TITLE_SEPARATOR = re.compile(r"\s+[–—|:-]\s+")
_NAME = re.compile(r"[A-Z][\w'’&-]*(?:\s+(?:[A-Z][\w'’&-]*|of|for|and|the|de|der|für))*")


def feed_publisher(feed: Any) -> str | None:
    """The publisher, not the feed's name: "CPA – World Wire" is CPA's, spelt out where the feed says
    whose rights they are ("© 2026 Continental Press Agency")."""
    publisher = feed.get("publisher") or feed.get("author")
    if publisher:
        return str(publisher)
    title = str(feed.get("title") or "").strip()
    brand = _TITLE_SEPARATOR.split(title, maxsplit=1)[0].strip() or None
    if brand and brand.isupper() and len(brand) <= 6:
        names = [name for key in ("rights", "subtitle") for name in _NAME.findall(str(feed.get(key) or ""))]
        return next((name for name in names if _initials(name) == brand), brand)
    return brand


def _initials(name: str) -> str:
    return "".join(word[0] for word in name.split() if word[0].isupper())

