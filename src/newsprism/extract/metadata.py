"""Page metadata from an HTML tree: JSON-LD, meta tags, canonical link, <time>, <html lang>.

Publishers state their metadata several times (JSON-LD for search engines, Open Graph for
social networks, plain meta tags, visible markup) and the copies disagree in small ways: a
site-name suffix on the title, a URL instead of an author name, a date in another format.
This module collects every copy and keeps the one that is most likely as published.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from newsprism.extract.attribution import caption_credit
from newsprism.extract.dates import to_iso, visible_date
from newsprism.extract.text import language_code

ARTICLE_TYPES = frozenset(
    [
        "article",
        "newsarticle",
        "blogposting",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "liveblogposting",
        "socialmediaposting",
        "scholarlyarticle",
        "techarticle",
        "report",
        "posting",
    ]
)
PAGE_TYPES = frozenset(["webpage", "itempage", "aboutpage", "collectionpage"])
MAX_JSON_LD_CHARS = 2_000_000
MAX_FIELD_CHARS = 2_000

_PUBLISHED_KEYS = (
    "article:published_time", "og:article:published_time", "og:published_time", "datepublished",
    "pubdate", "publishdate", "publish-date", "publish_date", "published_time", "date",
    "dc.date.issued", "dc.date", "dcterms.date", "dcterms.created", "dc.date.created", "dcterms.issued",
    "sailthru.date", "parsely-pub-date", "article.published", "cxenseparse:recs:publishtime",
    "date_published", "article_date_original", "originalpublicationdate", "created",
)  # fmt: skip
_MODIFIED_KEYS = (
    "article:modified_time", "og:updated_time", "datemodified", "dcterms.modified", "last-modified",
    "lastmod", "article.updated", "date_modified",
)  # fmt: skip
_AUTHOR_KEYS = (
    "author", "article:author", "byl", "parsely-author", "sailthru.author", "dc.creator", "dcterms.creator",
    "cxenseparse:author", "og:article:author", "twitter:creator",
)  # fmt: skip
_TAG_KEYS = ("article:tag", "news_keywords", "keywords", "parsely-tags", "sailthru.tags")
_TITLE_SEPARATORS = re.compile(r"\s+(?:[-|–—:•·»«/]|::|\|\|)\s+")
_JSON_COMMENTS = re.compile(r"^\s*(?:<!--|//<!\[CDATA\[|<!\[CDATA\[)|(?:-->|//\]\]>|\]\]>)\s*$")
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Between the names of one byline, in the languages of the corpora ("A, B and C", "A und B", "A e B").
NAME_SEPARATORS = re.compile(r"\s*(?:[,;&/|]|\s(?:and|und|et|y|i|e|и)\s)\s*", re.IGNORECASE)
_BYLINE_PREFIX = re.compile(
    r"^(?:(?:written|posted|text|reported|edited)\s+)?(?:by|von|par|por|di|door|autor(?:in)?:?|author:?"
    r"|text:?|from)\s+",
    re.IGNORECASE,
)
_BYLINE_LEAD = re.compile(
    r"^.{0,40}?\b(?:beiträge|posts|articles|artikel|stories)\s+(?:von|by|de|of)\s+", re.IGNORECASE
)
_EMAIL = re.compile(r"\S+@\S+\.\w+|@\w+")
_DATE_IN_NAME = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d{1,2}:\d{2}|\b\d{4}\b")
_ROLE = re.compile(
    r"\s*[(,]?\s*\b(?:redakteur(?:in)?|reporter(?:in)?|korrespondent(?:in)?|correspondent|editor|"
    r"staff writer|senior writer|contributor|journalist(?:in)?|photographer|fotograf(?:in)?)\b.*$",
    re.IGNORECASE,
)
_NOT_A_NAME = re.compile(r"https?:|www\.|[<>{}=]|^/", re.IGNORECASE)
_DATE_MARK = re.compile(r"date|datum|fecha|data|time|zeit|publi|posted|byline|meta", re.IGNORECASE)
_UPDATE_MARK = re.compile(r"updat|modif|aktualisiert|actualiza", re.IGNORECASE)
_OUTSIDE_ARTICLE = re.compile(r"comment|kommentar|reply|related|teaser|sidebar|widget|recommend|footer", re.IGNORECASE)
MAX_DATE_TEXT = 120
HEADLINE_TEXT_WINDOW = 800


@dataclass
class PageMetadata:
    """Everything a page states about itself; None or [] when it states nothing."""

    title: str | None = None
    description: str | None = None
    url: str | None = None
    canonical_url: str | None = None
    outlet: str | None = None
    domain: str | None = None
    published: str | None = None
    modified: str | None = None
    shown_date: str | None = None
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    section: str | None = None
    image: str | None = None
    language: str | None = None
    credits: list[str] = field(default_factory=list)


def page_metadata(tree: HtmlElement, url: str | None = None) -> PageMetadata:
    """Collect the page's own statements about itself, best source first for each field."""
    meta = meta_values(tree)
    objects = json_ld_objects(tree)
    ld = main_json_ld(objects)
    canonical = _canonical_link(tree) or _first(meta, "og:url") or _text(ld.get("url"))
    page_url = url or canonical
    outlet = _publisher_name(ld, objects) or _first(meta, "og:site_name", "application-name", "publisher")
    site = site_keys(outlet, page_url)
    return PageMetadata(
        title=headline(tree, meta, ld, site),
        description=_text(ld.get("description")) or _first(meta, "og:description", "description"),
        url=page_url,
        canonical_url=canonical,
        outlet=outlet,
        domain=domain_of(page_url),
        published=_first_date(ld.get("datePublished"), *_all(meta, _PUBLISHED_KEYS), _time_element(tree)),
        modified=_first_date(ld.get("dateModified"), *_all(meta, _MODIFIED_KEYS)),
        shown_date=shown_date(tree),
        authors=not_site_names(page_authors(tree, meta, ld, objects), site),
        tags=_dedupe(_keywords(ld.get("keywords")) or _split_tags(_all(meta, _TAG_KEYS))),
        section=_first_text(ld.get("articleSection")) or _first(meta, "article:section", "section"),
        image=_image_url(ld.get("image")) or _first(meta, "og:image", "twitter:image"),
        language=html_language(tree) or language_code(_first(meta, "og:locale", "content-language")),
        credits=caption_credits(tree),
    )


def meta_values(tree: HtmlElement) -> dict[str, list[str]]:
    """Meta tag contents keyed by lower-cased property, name, http-equiv or itemprop, in page order."""
    values: dict[str, list[str]] = {}
    for element in tree.iter("meta"):
        content = element.get("content") or element.get("datetime")
        if not content or not content.strip():
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = (element.get(attr) or "").strip().lower()
            if key:
                values.setdefault(key, []).append(content.strip()[:MAX_FIELD_CHARS])
    for element in tree.xpath("//*[@itemprop][not(self::meta)]"):
        key = element.get("itemprop").strip().lower()
        value = element.get("datetime") or element.get("content")
        if key in ("datepublished", "datemodified") and value:
            values.setdefault(key, []).append(value.strip())
    return values


def json_ld_objects(tree: HtmlElement) -> list[dict[str, Any]]:
    """Every JSON-LD object of the page, with @graph members and lists flattened."""
    objects: list[dict[str, Any]] = []
    for script in tree.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]'):
        data = _parse_json_ld(script.text or "")
        objects.extend(_flatten(data, depth=0))
    return objects


def _parse_json_ld(raw: str) -> Any:
    """Parse a JSON-LD block, repairing the usual breakage (comments, CDATA, trailing commas)."""
    if len(raw) > MAX_JSON_LD_CHARS:
        return None
    text = _JSON_COMMENTS.sub("", raw.strip())
    for candidate in (text, _CONTROL.sub(" ", _TRAILING_COMMA.sub(r"\1", text))):
        try:
            return json.loads(candidate, strict=False)
        except (ValueError, RecursionError):
            continue
    return None


def _flatten(data: Any, depth: int) -> Iterator[dict[str, Any]]:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item, depth + 1)
    elif isinstance(data, dict):
        if "@graph" in data:
            yield from _flatten(data["@graph"], depth + 1)
        if "@type" in data:
            yield data
            if isinstance(data.get("mainEntity"), dict):
                yield from _flatten(data["mainEntity"], depth + 1)


def main_json_ld(objects: list[dict[str, Any]]) -> dict[str, Any]:
    """The article object if there is one, else the web page object, else an empty dict."""
    for wanted in (ARTICLE_TYPES, PAGE_TYPES):
        for obj in objects:
            if _types(obj) & wanted:
                return obj
    return {}


def _types(obj: dict[str, Any]) -> set[str]:
    kinds = obj.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return {k.lower() for k in kinds if isinstance(k, str)}


def headline(tree: HtmlElement, meta: dict[str, list[str]], ld: dict[str, Any], site: set[str]) -> str | None:
    """The headline as published: the visible h1 (else h2) that the metadata titles confirm.

    Annotators and readers take the headline from the page, and the metadata copies often
    carry a site name or an SEO rewording, so a visible heading wins when there is one.
    """
    stated = [
        _text(ld.get("headline")) if _types(ld) & ARTICLE_TYPES else None,
        _first(meta, "og:title"),
        _first(meta, "twitter:title"),
        _first(meta, "title", "dc.title"),
        _title_element(tree),
    ]
    stated = [strip_site_name(t, site) for t in stated if t]
    h1s = _headings(tree, "h1", site)
    for heading in [*h1s, *_headings(tree, "h2", site)]:
        if any(_confirms(heading, title) for title in stated):
            return heading
    if h1s:
        return h1s[0]
    return stated[0] if stated else None


def site_keys(outlet: str | None, url: str | None) -> set[str]:
    """Ways a page names its own site: the outlet name, the domain, the domain's main label."""
    domain = domain_of(url) or ""
    return {k for k in (match_key(outlet or ""), match_key(domain), match_key(domain.split(".")[0])) if k}


def _headings(tree: HtmlElement, tag: str, site: set[str]) -> list[str]:
    """Texts of the first headings of a level, without those that only name the site."""
    texts = (_clean(h.text_content()[:MAX_FIELD_CHARS]) for h in tree.iter(tag))
    found = []
    for text in texts:
        if text and len(text) <= 300 and match_key(text) and match_key(text) not in site:
            found.append(text)
        if len(found) == 10:
            break
    return found


def _confirms(heading: str, title: str) -> bool:
    """A metadata title confirms a heading that makes up most of it."""
    heading_key, title_key = match_key(heading), match_key(title)
    return heading_key in title_key and len(heading_key) * 5 >= len(title_key) * 2


def strip_site_name(title: str, site: set[str]) -> str:
    """Drop a " - Site" / " | Site" part naming the site, or a short capitalised last part."""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    if _names_site(parts[-1], site):
        return _strip_last_part(title, keep_first=True)
    if _names_site(parts[0], site):
        return _strip_last_part(title, keep_first=False)
    if len(parts[-1].split()) <= 3 and len(title.split()) >= 5 and parts[-1][:1].isupper():
        return _strip_last_part(title, keep_first=True)
    return title


def _names_site(part: str, site: set[str]) -> bool:
    key = match_key(part)
    return bool(key) and any(key == s or (len(s) > 3 and s in key) or key in s for s in site)


def _strip_last_part(title: str, keep_first: bool) -> str:
    matches = list(_TITLE_SEPARATORS.finditer(title))
    if keep_first:
        return title[: matches[-1].start()].strip()
    return title[matches[0].end() :].strip()


def _title_element(tree: HtmlElement) -> str | None:
    titles = tree.xpath("//head/title|//title")
    return _clean(titles[0].text_content()) if titles else None


def page_authors(
    tree: HtmlElement, meta: dict[str, list[str]], ld: dict[str, Any], objects: list[dict[str, Any]]
) -> list[str]:
    """Author names from JSON-LD (author, creator), then meta tags, then rel=author links."""
    stated = [_resolve(a, objects) for key in ("author", "creator") for a in _as_list(ld.get(key))]
    from_ld = _dedupe([n for a in stated for n in _author_names(a)])
    if from_ld:
        return from_ld
    for key in _AUTHOR_KEYS:
        names = [n for value in meta.get(key, []) for n in clean_names(value)]
        if names:
            return _dedupe(names)
    links = [_clean(a.text_content()) for a in tree.xpath('//a[@rel="author"]')[:5]]
    return _dedupe([n for link in links if link for n in clean_names(link)])


def not_site_names(names: list[str], site: set[str]) -> list[str]:
    """Drop "authors" that are only the site's own name (a common CMS default)."""
    return [n for n in names if not _names_site(n, site)]


def _resolve(value: Any, objects: list[dict[str, Any]]) -> Any:
    """Follow a JSON-LD {"@id": ...} reference to the object it names, if the page has it."""
    if isinstance(value, dict) and "@id" in value and "name" not in value:
        return next((o for o in objects if o.get("@id") == value["@id"] and "name" in o), value)
    return value


def _author_names(author: Any) -> list[str]:
    if isinstance(author, dict):
        author = author.get("name")
        if isinstance(author, list):
            return [n for a in author for n in _author_names(a)]
    return clean_names(author) if isinstance(author, str) else []


def clean_names(byline: str) -> list[str]:
    """Split a byline into person names: prefixes, roles, dates, e-mails and URLs removed, deduped."""
    byline = _clean(byline) or ""
    if _NOT_A_NAME.search(byline):
        return []
    byline = _BYLINE_LEAD.sub("", _EMAIL.sub(" ", byline))
    names = []
    for part in NAME_SEPARATORS.split(byline):
        name, roles = _ROLE.subn("", _BYLINE_PREFIX.sub("", part.strip()))
        if roles and len(name.split()) < 2:
            continue
        name = _DATE_IN_NAME.sub(" ", name).strip(" .:-–|()")
        name = " ".join(name.split())
        if name and len(name.split()) <= 5 and any(c.isalpha() for c in name):
            names.append(name)
    return _dedupe(names)


def caption_credits(tree: HtmlElement) -> list[str]:
    """Photo and source credits stated in captions ("Photo: Name", "© Agency")."""
    captions = tree.xpath('//figcaption|//*[contains(@class, "credit")]|//*[contains(@class, "copyright")]')
    found = []
    for caption in captions[:50]:
        credit = caption_credit(_clean(caption.text_content()[:MAX_FIELD_CHARS]) or "")
        if credit:
            found.append(credit)
    return _dedupe(found)


def _publisher_name(ld: dict[str, Any], objects: list[dict[str, Any]]) -> str | None:
    publisher = ld.get("publisher")
    if isinstance(publisher, list) and publisher:
        publisher = publisher[0]
    publisher = _resolve(publisher, objects)
    if isinstance(publisher, dict):
        return _text(publisher.get("name"))
    return _text(publisher)


def _canonical_link(tree: HtmlElement) -> str | None:
    for link in tree.xpath("//link[@href]"):
        if "canonical" in (link.get("rel") or "").lower().split():
            return link.get("href").strip() or None
    return None


def domain_of(url: str | None) -> str | None:
    """Host name of a URL without "www."; None for a relative or malformed URL."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def html_language(tree: HtmlElement) -> str | None:
    """ISO 639-1 code from <html lang> or xml:lang."""
    root = tree.getroottree().getroot()
    return language_code(root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang"))


def _time_element(tree: HtmlElement) -> str | None:
    """The datetime of the first <time> marked as publication, else of the first <time>."""
    times = tree.xpath("//time[@datetime]")
    for element in times:
        marks = " ".join((element.get("class") or "", element.get("itemprop") or "")).lower()
        if element.get("pubdate") is not None or "publi" in marks:
            return element.get("datetime")
    return times[0].get("datetime") if times else None


def shown_date(tree: HtmlElement) -> str | None:
    """The publication date readers see by the headline, as ISO; None if the page shows none.

    Metadata is written for machines and is often in UTC or is the last-modified time; the
    byline date is what readers (and annotators) take as the date. The headline is the
    first <h1>; without one, the first marked date of the page is taken.
    """
    headline_element = next(tree.iter("h1"), None)
    marked = _marked_dates(tree, headline_element)
    if marked:
        return min(marked, key=lambda found: abs(found[0]))[1]
    return _date_after(headline_element) if headline_element is not None else None


def _marked_dates(tree: HtmlElement, headline_element: HtmlElement | None) -> list[tuple[int, str]]:
    """(distance from the headline in elements, ISO date) of every <time> or date-marked element
    in the article's part of the page, update stamps left out."""
    found: list[tuple[int, str]] = []
    headline_at = 0
    for index, element in enumerate(tree.iter()):
        if element is headline_element:
            headline_at = index
        if not isinstance(element.tag, str) or (element.tag != "time" and not _DATE_MARK.search(_marks(element))):
            continue
        if _UPDATE_MARK.search(_marks(element)) or _outside_article(element):
            continue
        iso = machine_date(element.get("datetime")) or _text_date(element.text_content())
        if iso:
            found.append((index, iso))
    return [(index - headline_at, iso) for index, iso in found]


def _marks(element: HtmlElement) -> str:
    return " ".join(element.get(attr) or "" for attr in ("class", "id", "itemprop"))


def _outside_article(element: HtmlElement) -> bool:
    """Comment, teaser and sidebar dates belong to other texts than the article."""
    return any(_OUTSIDE_ARTICLE.search(_marks(ancestor)) for ancestor in element.iterancestors())


def _text_date(text: str) -> str | None:
    """A date written for readers in a short text ("3. Mai 2022", "07 Dezember, 2022", "3/5/2022")."""
    text = " ".join(text.replace(",", " ").split())
    return visible_date(text) if len(text) <= MAX_DATE_TEXT else None


def _date_after(headline_element: HtmlElement) -> str | None:
    """The first date in the text that follows the headline (a byline without markup)."""
    seen = 0
    for text in headline_element.xpath("following::text()[not(ancestor::script or ancestor::style)]"):
        iso = _text_date(text[:MAX_DATE_TEXT])
        if iso:
            return iso
        seen += len(text.strip())
        if seen > HEADLINE_TEXT_WINDOW:
            return None
    return None


def machine_date(value: Any) -> str | None:
    """ISO 8601 from the date formats metadata uses (ISO, D.M.Y, RFC 2822); None otherwise."""
    if not isinstance(value, str) or not value.strip():
        return None
    iso = to_iso(value)
    if iso:
        return iso
    try:
        return parsedate_to_datetime(value.strip()).isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def _first_date(*values: Any) -> str | None:
    for value in values:
        for item in _as_list(value):
            iso = machine_date(item)
            if iso:
                return iso
    return None


def _keywords(value: Any) -> list[str]:
    if isinstance(value, str):
        return _split_tags([value])
    return [t for t in (_text(v) for v in _as_list(value)) if t]


def _split_tags(values: list[str]) -> list[str]:
    return [t.strip() for v in values for t in v.split(",") if t.strip()]


def _image_url(value: Any) -> str | None:
    for item in _as_list(value):
        url = item.get("url") if isinstance(item, dict) else item
        if isinstance(url, str) and url.strip():
            return url.strip()
    return None


def _first_text(value: Any) -> str | None:
    for item in _as_list(value):
        text = _text(item)
        if text:
            return text
    return None


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return _clean(value[:MAX_FIELD_CHARS])


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    cleaned = " ".join(value.split())
    return cleaned or None


def _first(meta: dict[str, list[str]], *keys: str) -> str | None:
    for key in keys:
        for value in meta.get(key, []):
            cleaned = _clean(value)
            if cleaned:
                return cleaned
    return None


def _all(meta: dict[str, list[str]], keys: tuple[str, ...]) -> list[str]:
    return [value for key in keys for value in meta.get(key, [])]


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def match_key(text: str) -> str:
    """Lower-cased words only: how titles and names are compared across their copies."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def _dedupe(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item.casefold() not in seen:
            seen.add(item.casefold())
            out.append(item)
    return out
