"""HTML pages: the article body through trafilatura, metadata through ``extract.metadata``.

trafilatura is the strongest single extractor on news pages; around it this module decodes
the bytes by the page's own declared charset, takes metadata from the page's own statements
(JSON-LD, meta tags, the visible headline) before trafilatura's heuristics, and removes what
trafilatura keeps around the article (repeated headline, "read more" teasers, promo lines).
"""

from __future__ import annotations

import codecs
import re
from datetime import date, datetime
from importlib.metadata import version
from typing import Any

from charset_normalizer import from_bytes
from trafilatura import bare_extraction
from trafilatura.utils import load_html

from newsprism.errors import InputError
from newsprism.extract.attribution import TEASER_LABEL, is_credit_line, split_dateline
from newsprism.extract.metadata import (
    PageMetadata,
    clean_names,
    domain_of,
    machine_date,
    match_key,
    not_site_names,
    page_metadata,
    site_keys,
)
from newsprism.extract.text import detect_language, tidy_paragraphs
from newsprism.model import Article, RawRecord

METHOD = f"html/trafilatura+metadata+filters/{version('trafilatura')}"
MAX_BAD_BYTES = 20
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([\w.:-]{1,40})""", re.IGNORECASE)
MIN_ARTICLE_WORDS = 25
MIN_SENTENCE_WORDS = 6
_PROMO = re.compile(
    r"newsletter|subscri|subskrypcj|suscr|©|copyright|all rights reserved|alle rechte vorbehalten"
    r"|derechos reservados|prawem autorskim|unterstütze|support us|donate"
    r"|canal de (?:youtube|telegram|whatsapp)|follow us|folge uns|síguenos",
    re.IGNORECASE,
)
_PAGE_STAMP = re.compile(
    r"^(?:aktualisiert|zuletzt aktualisiert|letzte änderung|stand|last modified|last updated|updated"
    r"|bild anzeigen|show image)\b",
    re.IGNORECASE,
)
TAIL_SHARE = 0.25
SHORT_WORDS = 8
PROMO_MAX_WORDS = 40
MAX_ZONE_SHIFT_HOURS = 6


def extract_html(record: RawRecord) -> Article:
    """One HTML page in, one Article out; InputError when the page has no article text."""
    text = decode_html(record.data)
    tree = load_html(text)
    if tree is None:
        raise InputError(record.source, "not parseable as HTML")
    meta = page_metadata(tree, record.url)
    doc = _trafilatura(text, meta.url)
    paragraphs = _paragraphs(doc.text if doc is not None else None)
    credits = [p for p in paragraphs if is_credit_line(p)] + meta.credits
    paragraphs = article_paragraphs(paragraphs, meta.title)
    if not _looks_like_text(paragraphs):
        raise InputError(record.source, "no article text found")
    return _article(record, meta, doc, paragraphs, credits)


def _looks_like_text(paragraphs: list[str]) -> bool:
    """Menus and link lists are many short items; an article has sentences."""
    words = [len(p.split()) for p in paragraphs]
    return bool(words) and (sum(words) >= MIN_ARTICLE_WORDS or max(words) >= MIN_SENTENCE_WORDS)


def article_paragraphs(paragraphs: list[str], title: str | None) -> list[str]:
    """Remove what extractors keep around an article: repeated title, teasers, promos, stamps."""
    paragraphs = _without_title(paragraphs, title)
    kept: list[str] = []
    tail_start = len(paragraphs) * (1 - TAIL_SHARE)
    for i, paragraph in enumerate(paragraphs):
        words = len(paragraph.split())
        if TEASER_LABEL.match(paragraph):
            if i >= len(paragraphs) / 2 and _is_heading(paragraph):
                break
            continue
        if is_credit_line(paragraph) or (words <= SHORT_WORDS and _PAGE_STAMP.match(paragraph)):
            continue
        if i >= tail_start and words <= PROMO_MAX_WORDS and _PROMO.search(paragraph):
            continue
        kept.append(paragraph)
    return kept


def _is_heading(paragraph: str) -> bool:
    """A bare "Read more:" / "Related articles" line announces a list of links, not a link."""
    return paragraph.endswith(":") or len(paragraph.split()) <= 3


def _without_title(paragraphs: list[str], title: str | None) -> list[str]:
    """Drop the headline when the extractor kept it as the first paragraph (maybe after a kicker)."""
    title_key = match_key(title or "")
    for i, paragraph in enumerate(paragraphs[:2]):
        if title_key and match_key(paragraph) == title_key:
            return paragraphs[i + 1 :]
    return paragraphs


def decode_html(data: bytes) -> str:
    """Bytes to text: BOM, then the declared charset, then UTF-8, then a guess.

    A page that declares UTF-8 but has a few stray bytes (pasted Latin-1) stays UTF-8 with
    replacement characters rather than being re-guessed as a whole in some other codec.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace").lstrip("\ufeff")
    declared = _DECLARED_CHARSET.search(data[:4096])
    candidates = [_html_encoding(declared.group(1).decode("ascii", "ignore"))] if declared else []
    for encoding in [*candidates, "utf-8"]:
        if encoding is None:
            continue
        text = data.decode(encoding, errors="replace")
        if text.count("\ufffd") <= max(MAX_BAD_BYTES, len(text) // 1000):
            return text
    guess = from_bytes(data[:200_000]).best()
    return data.decode(guess.encoding, errors="replace") if guess is not None else data.decode("utf-8", "replace")


def _html_encoding(label: str) -> str | None:
    """Python codec for a declared label; Latin-1 means windows-1252 (the WHATWG rule)."""
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name


def _trafilatura(text: str, url: str | None) -> Any:
    return bare_extraction(
        text,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_formatting=False,
    )


def _paragraphs(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").split("\n") if line.strip()]


def _article(record: RawRecord, meta: PageMetadata, doc: Any, paragraphs: list[str], credits: list[str]) -> Article:
    dateline, paragraphs = split_dateline(paragraphs)
    body = tidy_paragraphs(paragraphs)
    url = record.url or meta.canonical_url or meta.url or _doc(doc, "url")
    return Article(
        source=record.source,
        text=body,
        url=url,
        canonical_url=meta.canonical_url,
        outlet=meta.outlet or _doc(doc, "sitename"),
        domain=domain_of(url) or meta.domain,
        title=meta.title or _doc(doc, "title"),
        description=meta.description or _doc(doc, "description"),
        published=published_date(meta.published, meta.shown_date, machine_date(_doc(doc, "date"))),
        modified=meta.modified,
        authors=meta.authors or _fallback_authors(doc, meta),
        tags=meta.tags or list(_doc(doc, "tags") or []),
        section=meta.section or next(iter(_doc(doc, "categories") or []), None),
        image=meta.image or _doc(doc, "image"),
        language=detect_language(body) or meta.language,
        dateline=dateline,
        credits=list(dict.fromkeys(credits)),
        extraction={"method": METHOD, "confidence": _confidence(body, meta)},
    )


def published_date(stated: str | None, shown: str | None, guessed: str | None) -> str | None:
    """The stated timestamp, unless the page shows readers the neighbouring day.

    ``shown`` is the date by the headline, ``guessed`` htmldate's original-date guess (run
    by trafilatura with extensive search). Metadata is often in UTC or the server's zone
    while readers see the local day, so a shown day one day off wins when a time-zone
    shift explains it. A guess only overrules a UTC timestamp. Further apart, the shown
    date is usually an update and the metadata wins.
    """
    if not stated:
        return shown or guessed
    if shown and _zone_shift_explains(stated, shown):
        return shown
    if not shown and guessed and _is_utc(stated) and _days_apart(stated, guessed) == 1:
        return guessed[:10]
    return stated


def _zone_shift_explains(stated: str, shown: str) -> bool:
    """One day apart, and the stated clock is near midnight or in no stated zone at all."""
    if _days_apart(stated, shown) != 1:
        return False
    stamp = datetime.fromisoformat(stated)
    if stamp.tzinfo is None:
        return True
    hours = stamp.hour + stamp.minute / 60
    shown_later = shown[:10] > stated[:10]
    return (24 - hours if shown_later else hours) <= MAX_ZONE_SHIFT_HOURS


def _days_apart(first: str, second: str) -> int:
    return abs((date.fromisoformat(first[:10]) - date.fromisoformat(second[:10])).days)


def _is_utc(timestamp: str) -> bool:
    return timestamp.endswith(("+00:00", "Z"))


def _fallback_authors(doc: Any, meta: PageMetadata) -> list[str]:
    return not_site_names(clean_names(_doc(doc, "author") or ""), site_keys(meta.outlet, meta.url))


def _doc(doc: Any, name: str) -> Any:
    return getattr(doc, name, None) if doc is not None else None


def _confidence(body: str, meta: PageMetadata) -> float:
    """Rough: long bodies on pages that declare themselves articles are rarely wrong."""
    score = min(len(body) / 2000, 1.0) * 0.6 + 0.2 * bool(meta.title) + 0.2 * bool(meta.published)
    return round(score, 2)
