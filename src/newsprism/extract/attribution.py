"""Lines that are about an article rather than part of it: credits, wire sign-offs, datelines, teaser labels.

One set of patterns for every extractor (HTML, page dumps, feed items and export rows), so an
article's `credits` and `dateline` mean the same whatever kind of input it came from.
"""

from __future__ import annotations

import re

_CREDIT_WORDS = (
    r"source|sources|quelle|quellen|bildquelle|fuente|fonte|źródło|источник|picture|photo|photos|photograph"
    r"|photography|foto|fotos|fotografía|zdjęcie|image|bild|beitragsbild|titelbild|illustration|credit|credits"
    r"|crédito"
)
# A whole line that is a credit: "Source: Agency", "Photo: Name", "© Agency / Name", "(Reporting by X)".
CREDIT_LINE = re.compile(
    rf"^(?:(?:{_CREDIT_WORDS})\s*:\s*\S.{{0,150}}|©.{{2,80}}"
    r"|\((?:additional\s+)?(?:reporting|writing|editing|compiled)\s+by\b[^()]{2,200}\))$",
    re.IGNORECASE,
)
# The article's closing source line ("Source: Interfax"): the body ends before it.
SOURCE_LINE = re.compile(r"^(?:source|sources|quelle|fuente|fonte|źródło|источник)\s*:\s*\S.{0,80}$", re.IGNORECASE)
# A caption's credit, alone or after the caption's last sentence ("... on Friday. Photo: Agency / Name").
CAPTION_CREDIT = re.compile(
    rf"(?:^|(?<=[.!?)] ))(?:(?:{_CREDIT_WORDS})\s*:|©)\s*[^\W\d][^|;:]{{1,80}}$",
    re.IGNORECASE,
)
# "VARNO, March 3 (CPA) - ", "Kyiv (Reuters) – ", "WASHINGTON (Sputnik) - ".
DATELINE = re.compile(
    r"^((?:[A-ZÀ-ÖØ-Þ][\w'’.-]*(?:[ /][A-ZÀ-ÖØ-Þ][\w'’.-]*){0,3})"
    r"(?:,\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\.?\s+[A-Z][a-z]{2,8}))?"
    r"\s*\([^()\n]{2,40}\))\s*[-–—]\s"
)

# The label of a link to another article: "Read also: ...", "Related", "Lesen Sie auch".
TEASER_LABEL = re.compile(
    r"^(?:read (?:more|also)|see also|also read|related(?: articles| stories| posts)?|more on this"
    r"|lesen sie (?:auch|mehr)|auch (?:lesen|interessant)|mehr zum thema|weitere (?:artikel|beiträge)"
    r"|zum weiterlesen|(?:das|dies) (?:thema )?könnte (?:dich|sie) auch interessieren|le puede interesar"
    r"|te puede interesar|lea también|lee también|vea también|mire|contenido relacionado|más sobre"
    r"|leia também|veja também|lire aussi|à lire aussi|czytaj (?:też|także|również)|zobacz (?:też|także)"
    r"|top-themen)\b",
    re.IGNORECASE,
)


def is_credit_line(text: str) -> bool:
    return bool(CREDIT_LINE.match(text.strip()))


def caption_credit(text: str) -> str | None:
    match = CAPTION_CREDIT.search(text)
    return match.group(0).strip() if match else None


def split_dateline(paragraphs: list[str]) -> tuple[str | None, list[str]]:
    """The dateline opening the body ("VARNO, March 3 (CPA) - ..."), and the body without it."""
    match = DATELINE.match(paragraphs[0][:160]) if paragraphs else None
    if match is None:
        return None, paragraphs
    rest = paragraphs[0][match.end() :].strip()
    return match.group(1), [rest, *paragraphs[1:]] if rest else paragraphs[1:]


def split_credits(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """Body paragraphs and credit lines, in their order."""
    body = [p for p in paragraphs if not is_credit_line(p)]
    return body, [p for p in paragraphs if is_credit_line(p)]
