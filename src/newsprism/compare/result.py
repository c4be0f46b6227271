"""The comparison's own result types: what ``compare_story`` returns and the report renders.

They live here rather than in ``model.py`` because nothing but the comparison and its reports
reads them; ``model.py`` keeps the data every stage shares. Every finding carries ``Evidence``:
the article, its outlet, the quoted text and its offsets in ``Article.text``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, time
from typing import Any

from newsprism.model import Article

SCHEMA = "newsprism.comparison/1"


@dataclass(frozen=True)
class Evidence:
    """A passage of one article: ``text == article.text[start:end]``."""

    article_id: str
    outlet: str
    text: str
    start: int
    end: int


def evidence(article: Article, start: int, end: int) -> Evidence:
    return Evidence(article.id, outlet_of(article), article.text[start:end], start, end)


def outlet_of(article: Article) -> str:
    return article.outlet or article.domain or "(unknown outlet)"


def published_at(article: Article) -> datetime | None:
    """The publication instant in UTC; a date without a time counts as the end of that day,
    so an outlet that gives only a date is never called first on that day by accident."""
    value = (article.published or "").strip()
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if "T" not in value:
            moment = datetime.combine(moment.date(), time.max)
    except (ValueError, OverflowError):
        return None
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


_END_OF_DAY = f"T{time.max.isoformat()}+00:00"  # the instant ``published_at`` gives a report dated without a time


def shown_published(instant: str) -> str:
    """A publication instant as a reader is shown it: the end of a day that ``published_at`` gave a report
    dated without a time is that day ("2022-02-23"), not "2022-02-23T23:59:59.999999+00:00"."""
    return instant.removesuffix(_END_OF_DAY)


def unify_outlets(articles: list[Article]) -> tuple[list[Article], list[str]]:
    """One name per outlet: the language editions of a site ("Meridian Heute" on de.meridian-today.example)
    take the name of the site's main edition (else the most used). Returns the articles (copies where
    renamed) and notes."""
    names: dict[str, Counter[str]] = defaultdict(Counter)
    main_edition: Counter[str] = Counter()  # names used on the site's own domain, not a language edition
    for article in articles:
        site = site_of(article)
        names[site][outlet_of(article)] += 1
        main_edition[outlet_of(article)] += (article.domain or "").lower().removeprefix("www.") == site
    chosen = {site: max(counts, key=lambda n: (main_edition[n], counts[n], n)) for site, counts in names.items()}
    unified, notes = [], set()
    for article in articles:
        name = chosen[site_of(article)]
        if name != outlet_of(article):
            notes.add(f"{outlet_of(article)} ({article.domain}) is counted as {name}")
            article = replace(article, outlet=name)
        unified.append(article)
    return unified, sorted(notes)


def site_of(article: Article) -> str:
    """The article's site: its domain without "www." or a language edition label ("de."), else its outlet name."""
    domain = (article.domain or "").lower().removeprefix("www.")
    labels = domain.split(".")
    if len(labels) > 2 and len(labels[0]) == 2:
        labels = labels[1:]
    return ".".join(labels) if domain else "outlet:" + outlet_of(article)


@dataclass
class Report:
    """One article in the timeline."""

    article_id: str
    outlet: str
    title: str | None
    url: str | None
    published: str | None


@dataclass
class Timeline:
    """Dated reports in publication order (a date-only report sorts at the end of its day); undated apart."""

    first: Report | None
    reports: list[Report]
    by_outlet: dict[str, list[str]]
    undated: list[Report]


@dataclass
class FactValue:
    """One value of a fact and the passages that give it; ``first_published``: the earliest publication
    time of the reports giving it, when they are dated."""

    value: str
    evidence: list[Evidence]
    first_published: str | None = None


@dataclass
class Conflict:
    """Outlets giving the same fact (``kind``: date, number or place; ``slot``: what it is) different
    values. ``rising``: a count that only grew over time, each higher figure given only by reports
    published after every report of a lower one (an early toll, not a dispute)."""

    kind: str
    slot: str
    values: list[FactValue]
    rising: bool = False


@dataclass
class Agreement:
    """A fact that several outlets give alike: one value, or values that can all be true ("at least 15"
    and 17). Shown, not hidden: agreement across outlets is a finding too."""

    kind: str
    slot: str
    values: list[FactValue]
    outlets: list[str]


def agreed_values(agreement: Agreement) -> list[tuple[str, str | None]]:
    return agreed_words([(v.value, v.evidence[0].text if v.evidence else None) for v in agreement.values])


def agreed_words(values: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """Each agreeing value with the words of its first passage when the values differ ("more than 100 mph"
    beside "120 mph"), so that a reader sees why they can all be true; one value, or words that are the value
    itself ("Sergey Lavrov"), need none. The reports pass an Agreement, the web page its JSON form."""
    several = len(values) > 1
    return [(value, words if several and words and words != value else None) for value, words in values]


def values_by_outlet(conflict: Conflict) -> dict[str, list[str]]:
    """The side-by-side view of a conflict: the values each outlet gives."""
    given: dict[str, list[str]] = {}
    for value in conflict.values:
        for ev in value.evidence:
            if value.value not in given.setdefault(ev.outlet, []):
                given[ev.outlet].append(value.value)
    return given


@dataclass
class QuoteVariant:
    """How one article renders a quote: ``relation`` to the fullest version is identical, cut, paraphrased."""

    relation: str
    speaker_name: str | None
    evidence: Evidence


@dataclass
class QuoteGroup:
    """One quote as several articles give it; ``misattributed`` when they name different speakers."""

    speaker_name: str | None
    full: Evidence
    variants: list[QuoteVariant]
    misattributed: bool


@dataclass
class Voice:
    """A speaker and the outlets that quote them; ``only_some`` when not every outlet does."""

    speaker_name: str
    outlets: list[str]
    only_some: bool
    evidence: list[Evidence]
    speaker_kind: str | None = None  # person, organisation, government or group; None from older layers


@dataclass
class Omission:
    """``what`` (a fact, quote or actor) most outlets carry and ``outlet`` leaves out, here in ``article_id``
    (and in its other articles on the story)."""

    kind: str
    what: str
    article_id: str
    outlet: str
    carried_by: list[str]
    evidence: list[Evidence]


@dataclass
class TechniqueUse:
    """Technique spans of one outlet on this story, and their rate per sentence."""

    outlet: str
    sentences: int
    spans: int
    rate_per_sentence: float
    share_of_sentences: float  # sentences holding at least one technique span
    by_technique: dict[str, int]
    evidence: list[Evidence]


@dataclass
class Republication:
    """A copy of another article: what it kept, cut, reworded, and the passages it added."""

    copy_id: str
    copy_outlet: str
    source_id: str
    source_outlet: str
    containment: float
    kept: int
    cut: int
    reworded: int
    added: list[Evidence]


@dataclass
class Naming:
    """How outlets write one entity (``forms``: written form -> count, per outlet) and label it
    (``descriptors``: label words such as "regime", "so-called", "separatist" next to its name, per outlet)."""

    canonical: str
    label: str
    forms: dict[str, dict[str, int]]
    descriptors: dict[str, dict[str, int]]
    evidence: list[Evidence]


@dataclass
class Comparison:
    """The whole comparison of a story's articles; ``techniques`` is None when no article has that layer."""

    articles: list[Report]
    outlets: list[str]
    timeline: Timeline
    conflicts: list[Conflict]
    quotes: list[QuoteGroup]
    voices: list[Voice]
    omissions: list[Omission]
    techniques: list[TechniqueUse] | None
    republications: list[Republication]
    naming: list[Naming]
    notes: list[str] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"schema": SCHEMA, **asdict(self)}


@dataclass
class OutletProfile:
    """An outlet over the user's corpus: coverage, how often first, how often a copy, technique rates."""

    outlet: str
    articles: int
    stories: list[str]
    multi_outlet_stories: int
    first: int
    first_rate: float
    copies: int
    copy_rate: float
    techniques: TechniqueUse | None
    examples: dict[str, list[Evidence]]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
