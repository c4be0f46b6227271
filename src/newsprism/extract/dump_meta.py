"""Metadata read from the lines of a page dump, once the body lines are known.

Dumps carry metadata values without their keys (a canonical URL line, ISO timestamp
lines, a tag block, the publisher block) and visible credit lines ("Outlet,
DD.MM.YYYY", "HH:MM GMT DD.MM.YYYY", "Source: X", "© Agency / Photographer"). Their
shape and their place relative to the headline and the body tell them apart.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

from newsprism.extract.attribution import SOURCE_LINE, caption_credit, is_credit_line
from newsprism.extract.dates import date_credit, is_date_line, to_iso, visible_date
from newsprism.extract.metadata import NAME_SEPARATORS, PageMetadata

_WORD = re.compile(r"\w+")
LONG_TITLE_WORDS = 15  # longer metadata values that repeat are descriptions, not headlines
LONG_TITLE_PENALTY = 0.5
HEADLINE_WINDOW = 15  # the visible headline sits this close before the body
VISIBLE_TITLE_WORDS = 30
ADJACENT_REPEAT = 2  # a line repeated right after itself is a widget, not a metadata value
GUESS_BONUS = 1.0  # the metadata guess shown near the body is preferred among confirmed lines
_QUOTES = re.compile(r"[‘’`´]")
_URL_LINE = re.compile(r"^https?://\S+$", re.IGNORECASE)
_IMAGE_URL = re.compile(r"^https?://\S+\.(jpe?g|png|webp|gif|avif)(\?\S*)?$", re.IGNORECASE)
_ISO_LINE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")
_CLOCK = re.compile(r"^\d{1,2}:\d{2}(\s*(GMT|UTC|Uhr|[AP]M))?$", re.IGNORECASE)
_DATE_THEN_NAME = re.compile(r"\d{1,2}\.\d{1,2}\.\d{4},\s*(?P<name>[^,.\d][^,]{1,40})$")
_NAME_THEN_DATE = re.compile(r"[-–]\s+(?P<name>[^,\d][^,]{1,40}),\s*(?:\d+,\s*)*\d{1,2}\.\d{1,2}\.\d{4}$")
_NUMERIC_DATE = re.compile(r"\b\d{1,2}[./]\d{1,2}[./]\d{4}\b|\b\d{4}-\d{2}-\d{2}\b")
_BYLINE = re.compile(
    r"^(?:by|von|par|por|di|door|text|texto|autor(?:in)?|author|written by)\s*:?\s+(?P<names>\S.{1,120})$", re.I
)
_PERSON = re.compile(r"^(?:(?:Dr|Prof)\.\s+)?[A-ZÀ-Þ][\w'’.-]+(?:\s+[A-ZÀ-Þ][\w'’.-]+){1,3}$")
_PERSON_START = re.compile(r"^(?:(?:Dr|Prof)\.\s+)?[A-ZÀ-Þ][\w'’.-]+(?:\s+[A-ZÀ-Þ][\w'’.-]+){1,3}")
_TICKER = re.compile(r"^(breaking( news)?|live|update|eilmeldung|just in)\b", re.IGNORECASE)
_PHONE = re.compile(r"^\+?[\d ()/.-]{7,}$")
_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—·•]\s+|:\s+")
_BULLET = re.compile(r"^\s*[•·▪●◦‣]\s*")
_ARTICLE_PATH = re.compile(r"/[^/]*(\d{4,}|[a-z0-9]+-[a-z0-9]+-[a-z0-9]+)[^/]*/?$", re.IGNORECASE)


def strip_bullet(text: str) -> str:
    return _BULLET.sub("", text)


def is_captioned(text: str) -> bool:
    """A photo caption that ends with its credit ("... Photo: Agency / Name")."""
    return caption_credit(text) is not None and len(text.split()) <= 40


def is_closing_credit(text: str) -> bool:
    """"Source: X" or "Outlet, DD.MM.YYYY": lines that end an article."""
    return bool(SOURCE_LINE.match(text) or date_credit(text))


def is_furniture(text: str, title: str | None) -> bool:
    """Headline, credit and date lines: metadata of the article, never part of its body text."""
    return (
        text == title
        or text.startswith("©")
        or is_captioned(text)
        or bool(_BYLINE.match(text) and len(text) < 80 and _byline_names(_BYLINE.match(text)["names"]))
        or bool(is_credit_line(text) or _NAME_THEN_DATE.search(text) or _CLOCK.match(text))
        or is_date_line(text)
    )


def read_metadata(texts: list[str], body: list[int], url: str | None) -> PageMetadata:
    """All metadata the dump gives, relative to the body lines found."""
    start = body[0] if body else len(texts)
    end = body[-1] + 1 if body else len(texts)
    canonical = _canonical_url(texts)
    guess = guess_title(texts, start)
    title = visible_headline(texts, start, canonical, guess) or guess
    published, modified = _dates(texts, title, start, end)
    credit_lines = _credit_lines(texts, title, start, end)
    outlet = _outlet(texts)
    return PageMetadata(
        title=title,
        description=_description(texts, title, start, body),
        url=url or canonical,
        canonical_url=canonical,
        domain=_domain(url or canonical),
        outlet=outlet,
        published=published,
        modified=modified,
        image=next((t for t in texts if _IMAGE_URL.match(t)), None),
        authors=_authors(texts, title, start, end, outlet),
        tags=_tags(texts, start),
        credits=list(dict.fromkeys(_credit_text(texts[i]) for i in sorted(credit_lines))),
    )


def guess_title(texts: list[str], body_start: int | None) -> str | None:
    """The headline: a headline-shaped line repeated elsewhere (as a metadata value, maybe with a
    site-name suffix), close before the body; not a ticker, a date, a credit or the site name."""
    counts = Counter(texts)
    with_site_name = {part for text in texts for part in _site_name_parts(text)}
    limit = body_start + 2 if body_start is not None else len(texts)
    best, best_score = None, 0.0
    for i, text in enumerate(texts[:limit]):
        repeated = counts[text] > 1 or text in with_site_name
        if not _headline_shaped(text, repeated):
            continue
        words = len(_WORD.findall(text))
        score = 3.0 * repeated + min(words, 8) / 8 - LONG_TITLE_PENALTY * (words > LONG_TITLE_WORDS)
        if body_start is not None:
            score -= 0.05 * min(abs(body_start - i), 40)
        if score > best_score:
            best, best_score = text, score
    return best


def visible_headline(texts: list[str], body_start: int, url: str | None, guess: str | None) -> str | None:
    """The headline shown just before the body that a metadata title line confirms (equal, or with a
    site name or number around it). A candidate that only adds words around another one (a site-name
    suffix, a breadcrumb) gives way to it; of the rest, the best confirmed, best matching the URL slug."""
    window = range(max(0, body_start - HEADLINE_WINDOW), min(len(texts), body_start + 1))
    outside = {_comparable(t) for i, t in enumerate(texts) if i not in window}
    inside = [_comparable(texts[i]) for i in window]
    slug = _slug_words(url)
    guessed = _comparable(guess or "")
    scored: dict[str, tuple[float, str]] = {}
    for offset, i in enumerate(window):
        text, key = texts[i], inside[offset]
        if key in scored or not _visible_headline_shaped(text, key == guessed):
            continue
        others = {k for j, k in enumerate(inside) if k != key or abs(j - offset) > ADJACENT_REPEAT}
        support = _title_support(key, outside | others) + GUESS_BONUS * (key == guessed)
        if support:
            scored[key] = (support + 2 * _slug_overlap(text, slug) - 0.01 * offset, text)
    kept = [key for key in scored if not any(other != key and _wraps(key, other) for other in scored)]
    return max((scored[key] for key in kept), default=(0.0, None))[1]


def _wraps(longer: str, shorter: str) -> bool:
    """The longer line is the shorter one with words before or after it (site name, breadcrumb, caption)."""
    return len(longer) > len(shorter) and (longer.startswith(shorter) or longer.endswith(shorter))


def _comparable(text: str) -> str:
    """Case and quote style folded: a visible headline may be upper-cased or typographically quoted."""
    return _QUOTES.sub("'", " ".join(text.split())).casefold()


def _title_support(text: str, elsewhere: set[str]) -> float:
    """3 when a metadata line equals the text, 2 when one starts with it, 1 when one contains it."""
    if text in elsewhere:
        return 3.0
    if len(_WORD.findall(text)) < 2:
        return 0.0
    pattern = re.compile(r"(?:^|\W)" + re.escape(text) + r"(?:\W|$)")
    found = [line for line in elsewhere if len(line) > len(text) and pattern.search(line)]
    if any(line.startswith(text) for line in found):
        return 2.0
    return 1.0 if found else 0.0


def _slug_words(url: str | None) -> set[str]:
    """Longer words of the last URL path segment: article slugs spell out the headline."""
    path = urlsplit(url).path if url else ""
    slug = path.rstrip("/").rsplit("/", 1)[-1]
    return {w for w in re.split(r"[^a-z0-9]+", slug.casefold()) if len(w) > 2}


def _slug_overlap(text: str, slug: set[str]) -> float:
    """Share of the headline's longer words found in the URL slug (0 without a slug)."""
    words = {w for w in _WORD.findall(text.casefold()) if len(w) > 2}
    return len(words & slug) / len(words) if words and slug else 0.0


def _visible_headline_shaped(text: str, guessed: bool) -> bool:
    """A short line that is not a sentence, a date, a byline, a credit, a bullet item or a ticker;
    a single word (a section name, a button) or a final period only when the metadata guess agrees."""
    words = len(_WORD.findall(text))
    return (
        (2 <= words <= VISIBLE_TITLE_WORDS or (words == 1 and guessed))
        and not text[0].islower()
        and not text.endswith((":", ","))
        and (guessed or not text.endswith("."))
        and not _BULLET.match(text)
        and not _TICKER.match(text)
        and not _URL_LINE.match(text)
        and not _NUMERIC_DATE.search(text)
        and not any(ch in text for ch in "@©")
        and not is_furniture(text, None)
    )


def _site_name_parts(text: str) -> tuple[str, ...]:
    """"Title | Site" or "Site - Title": the first and the last part around a separator."""
    parts = _TITLE_SEPARATOR.split(text)
    return (parts[0], parts[-1]) if len(parts) > 1 else ()


def _headline_shaped(text: str, repeated: bool) -> bool:
    words = _WORD.findall(text)
    return (
        (2 <= len(words) <= 30 or (repeated and len(words) == 1 and len(text) >= 4))
        and not _URL_LINE.match(text)
        and not _TICKER.match(text)
        and not is_credit_line(text)
        and not _NUMERIC_DATE.search(text)
        and not any(ch in text for ch in "@©»")
        and not text.endswith((":", ","))
        and not (text.endswith(".") and (len(words) > 15 or not repeated))
        and any(ch.isupper() for ch in text[:2])
    )


def _canonical_url(texts: list[str]) -> str | None:
    urls = [t for t in texts if _URL_LINE.match(t) and not _IMAGE_URL.match(t)]
    article = [u for u in urls if _ARTICLE_PATH.search(urlsplit(u).path)]
    return (article or urls or [None])[0]


def _domain(url: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def _dates(texts: list[str], title: str | None, start: int, end: int) -> tuple[str | None, str | None]:
    """Published and modified: timestamp lines (metadata values) first, the one on the day shown
    near the headline if several; else the date shown; else a date-only metadata value."""
    stamps = [v for v in (to_iso(t) for t in texts if _ISO_LINE.match(t)) if v]
    timed = [s for s in stamps if "T" in s]
    shown = _shown_date(texts, title, start, end)
    if timed:
        same_day = [s for s in timed if shown and s[:10] == shown[:10]]
        published = (same_day or timed)[0]
        later = [s for s in timed if s[:19] > published[:19]]
        return published, (later[0] if later else None)
    days = [s for s in stamps if s >= "1995"]
    return shown or (days[0] if days else None), None


def _shown_date(texts: list[str], title: str | None, start: int, end: int) -> str | None:
    """A date shown around the headline; else a date line inside or just after the body
    (a credit line "Outlet, DD.MM.YYYY" at its end)."""
    shown_at = [i for i, text in enumerate(texts[: start + 2]) if text == title]
    head = max(0, min(shown_at[-1] if shown_at else start, start) - 3)
    near_headline = (visible_date(texts[i]) for i in range(head, min(len(texts), start + 4)))
    in_body = (visible_date(t) for t in texts[start : end + 6] if is_date_line(t))
    return next((found for found in (*near_headline, *in_body) if found), None)


def _outlet(texts: list[str]) -> str | None:
    """Site name from credit lines ("Outlet, DD.MM.YYYY") and the publisher block (names before the e-mail);
    of several candidates, the one the page repeats most (the brand, not the legal name)."""
    names: list[str] = []
    for i, text in enumerate(texts):
        for match in (date_credit(text), _DATE_THEN_NAME.search(text), _NAME_THEN_DATE.search(text)):
            if match and len(_WORD.findall(match["name"])) <= 4:
                names.append(match["name"].strip())
        if "@" in text:
            names += [name for name in texts[max(0, i - 2) : i] if _could_be_publisher(name)]
    if not names:
        return None
    joined = "\n".join(texts)
    return max(dict.fromkeys(names), key=lambda name: joined.count(name))


def _credit_lines(texts: list[str], title: str | None, start: int, end: int) -> set[int]:
    """Source and photo credit lines between the headline and just after the body."""
    head = texts.index(title) if title in texts else start
    head = max(head, start - 15)
    window = range(max(0, head), min(len(texts), end + 6))
    return {i for i in window if is_credit_line(texts[i]) or is_captioned(texts[i])}


def _credit_text(line: str) -> str:
    """The credit itself: the whole credit line, or the credit at the end of a caption."""
    if is_credit_line(line):
        return line
    return caption_credit(line) or line


def _description(texts: list[str], title: str | None, start: int, body: list[int]) -> str | None:
    body_set = set(body)
    for i, text in enumerate(texts[:start]):
        if i in body_set or text == title or _URL_LINE.match(text) or len(_WORD.findall(text)) < 6:
            continue
        if _TICKER.match(text):
            continue
        if len(text) > 600:
            continue
        return text
    return None


def _could_be_publisher(text: str) -> bool:
    """A publisher block puts the name (and maybe a legal name) just before its e-mail."""
    return "@" not in text and "/" not in text and 1 <= len(_WORD.findall(text)) <= 4 and not text[:1].isdigit()


def _authors(texts: list[str], title: str | None, start: int, end: int, outlet: str | None) -> list[str]:
    """Names of a byline ("By X and Y", "Von X am ...") near the body; else a person's name that the
    dump repeats (a metadata value and a visible author box) before the body."""
    for text in texts[max(0, start - 15) : min(len(texts), end + 3)]:
        match = _BYLINE.match(text)
        names = _byline_names(match["names"]) if match else []
        if names:
            return names
    counts = Counter(texts[: start + 2])
    for i, text in enumerate(texts[: start + 2]):
        if counts[text] > 1 and _PERSON.match(text) and text not in (title, outlet) and not _near_contact(texts, i):
            return [text]
    return []


def _byline_names(names: str) -> list[str]:
    """Leading person names of a byline; stops at the first part that is not a name."""
    found = []
    for position, part in enumerate(NAME_SEPARATORS.split(names)):
        match = _PERSON.match(part) if position else _PERSON_START.match(part)
        if not match:
            break
        found.append(match.group(0))
    return found


def _near_contact(texts: list[str], i: int) -> bool:
    """Next to an e-mail or phone line: a publisher block, not an author."""
    return any("@" in t or _PHONE.match(t) for t in texts[max(0, i - 2) : i + 3])


def _tags(texts: list[str], start: int) -> list[str]:
    """The comma-separated keyword line, else a one-per-line tag block after a timestamp line."""
    for text in texts[:start]:
        items = [item.strip() for item in text.split(",")]
        short = all(0 < len(item.split()) <= 4 and not _NUMERIC_DATE.search(item) for item in items)
        if len(items) >= 3 and short and not text.endswith("."):
            return items
    for i, text in enumerate(texts[:start]):
        if _ISO_LINE.match(text):
            block = []
            for tag in texts[i + 1 :]:
                if _ISO_LINE.match(tag):
                    continue
                if not _tag_shaped(tag):
                    break
                block.append(tag)
            if len(block) >= 2:
                return block
    return []


def _tag_shaped(text: str) -> bool:
    return 0 < len(text.split()) <= 3 and not any(ch in text for ch in "/@:.,") and not text.isdigit()
