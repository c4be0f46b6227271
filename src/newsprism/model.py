"""The data model: the one place Article, Span, Layer, Event, Story and RawRecord live.

Layers are standoff: spans point into ``Article.text`` by code-point offsets
(``end`` exclusive) and never copy text, so the text can be stored once and any
number of layers added by later stages.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from newsprism.errors import first_line


@dataclass(frozen=True)
class RawRecord:
    """One raw input unit handed from a reader to an extractor.

    ``kind`` is the detected input kind of the payload itself (``html``,
    ``dump``, ``text``); containers (WARC, feeds, tables) are unpacked by the
    readers into records of those kinds.
    """

    source: str
    kind: str
    data: bytes
    url: str | None = None
    fetched: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class Span:
    start: int
    end: int
    label: str
    attrs: dict[str, Any] = field(default_factory=dict)

    def text_in(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass
class Layer:
    """A named set of spans, with the component and version that made it."""

    name: str
    component: str
    version: str
    spans: list[Span] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Layer:
        spans = [Span(**s) for s in data.get("spans", [])]
        return cls(data["name"], data["component"], data["version"], spans)


@dataclass(frozen=True)
class Failure:
    """A stage or layer that failed on one article. The article keeps everything else; the failure is
    data (stored, shown, retried), not a lost article (interfaces.md: failures)."""

    stage: str  # "annotate", "link", "compare", ...
    layer: str  # the layer that failed ("quotes"), or "" for a stage without layers
    reason: str  # one line: "ValueError: min() arg is an empty sequence"

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> Failure:
        return cls(data["stage"], data["layer"], data["reason"])

    @classmethod
    def of(cls, stage: str, layer: str, error: BaseException) -> Failure:
        """The failure an exception makes: its type and the first line of its message, kept short."""
        message = first_line(error)
        reason = f"{type(error).__name__}: {message}" if message else type(error).__name__
        return cls(stage, layer, reason[:MAX_REASON])


MAX_REASON = 300  # characters of a failure's reason: one line on a terminal, not a page of a hostile input

# Article fields in interfaces.md order; the JSON contract depends on these names.
ARTICLE_FIELDS = (
    "id",
    "source",
    "url",
    "canonical_url",
    "outlet",
    "domain",
    "title",
    "description",
    "published",
    "modified",
    "authors",
    "tags",
    "section",
    "image",
    "language",
    "dateline",
    "credits",
    "text",
    "extraction",
)


@dataclass
class Article:
    """A clean article: metadata plus body text, and annotation layers over that text."""

    source: str
    text: str
    url: str | None = None
    canonical_url: str | None = None
    outlet: str | None = None
    domain: str | None = None
    title: str | None = None
    description: str | None = None
    published: str | None = None
    modified: str | None = None
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    section: str | None = None
    image: str | None = None
    language: str | None = None
    dateline: str | None = None
    credits: list[str] = field(default_factory=list)
    extraction: dict[str, Any] = field(default_factory=dict)
    layers: dict[str, Layer] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = content_id(self.domain or self.outlet, self.title, self.text)

    def to_dict(self, with_layers: bool = False) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in ARTICLE_FIELDS}
        data["failures"] = [asdict(failure) for failure in self.failures]
        if with_layers:
            data["layers"] = {name: layer.to_dict() for name, layer in self.layers.items()}
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        kwargs = {k: data[k] for k in ARTICLE_FIELDS if k in data}
        layers = {n: Layer.from_dict(v) for n, v in (data.get("layers") or {}).items()}
        failures = [Failure.from_dict(f) for f in data.get("failures") or []]
        return cls(**kwargs, layers=layers, failures=failures)

    def record(self, failures: list[Failure], retried: Iterable[tuple[str, str]] = ()) -> None:
        """Keep ``failures``; a (stage, layer) in ``retried`` that ran again drops its older failure."""
        again = set(retried) | {(f.stage, f.layer) for f in failures}
        self.failures = [f for f in self.failures if (f.stage, f.layer) not in again] + failures


@dataclass
class Event:
    """One happening, reported by the articles of one or more outlets (what ECB+ annotates)."""

    id: str
    title: str | None
    article_ids: list[str] = field(default_factory=list)
    story_id: str | None = None


@dataclass
class Story:
    """A storyline: the developing story whose events continue one another over days and outlets
    (an invitation accepted, then the meeting cancelled). Users call it a story."""

    id: str
    title: str | None
    article_ids: list[str] = field(default_factory=list)
    event_ids: list[str] = field(default_factory=list)


def content_id(publisher: str | None, title: str | None, text: str) -> str:
    """Same publisher, title and body give the same id, wherever the page was read from."""
    digest = hashlib.blake2b(digest_size=10)
    for part in (publisher or "", title or "", text):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()
