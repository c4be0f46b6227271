"""Turning stored spans into what a page shows: text segments to highlight, safe links, chart bars.

Nothing here builds HTML: templates get plain values and Jinja2 escapes them, so article text,
titles and URLs can never become markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from newsprism.compare.result import agreed_words
from newsprism.model import Article, Span

PALETTE_SIZE = 14  # one colour class per technique of the SemEval-2020 inventory (static/style.css)
SAFE_SCHEMES = ("http", "https")


@dataclass(frozen=True)
class Segment:
    """A run of article text; ``technique`` is set when the run is a technique span."""

    text: str
    technique: str | None = None
    score: float | None = None
    colour: int = 0
    cue: str | None = None  # the doubt-casting device that made the span, when a pattern did

    @property
    def title(self) -> str:
        parts = [str(self.technique)]
        if self.cue:
            parts.append(f"cue: {self.cue}")
        if self.score is not None:
            parts.append(f"score {self.score:.2f}")
        return " · ".join(parts)


def agreed(values: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    """``agreed_words`` of an agreement's values as the comparison's JSON gives them."""
    return agreed_words([(v["value"], v["evidence"][0]["text"] if v.get("evidence") else None) for v in values])


def safe_url(url: str | None) -> str | None:
    """The URL when it is an http(s) address, else None: a ``javascript:`` or ``data:`` URL never becomes a link."""
    if not url or any(ord(c) < 33 for c in url.strip()):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in SAFE_SCHEMES and parts.netloc else None


def technique_colours(spans: list[Span]) -> dict[str, int]:
    """A colour class per technique present, in name order, so the legend and the marks agree."""
    names = sorted({span.label for span in spans if span.label})
    return {name: index % PALETTE_SIZE for index, name in enumerate(names)}


def technique_segments(text: str, spans: list[Span]) -> list[Segment]:
    """The text cut into plain and highlighted runs; overlapping or out-of-range spans are skipped."""
    colours = technique_colours(spans)
    segments: list[Segment] = []
    at = 0
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if span.start < at or span.end > len(text) or span.start >= span.end:
            continue
        if span.start > at:
            segments.append(Segment(text[at:span.start]))
        score, cue = span.attrs.get("score"), span.attrs.get("cue")
        segments.append(
            Segment(
                text[span.start:span.end],
                span.label,
                float(score) if isinstance(score, int | float) else None,
                colours.get(span.label, 0),
                str(cue) if cue else None,
            )
        )
        at = span.end
    if at < len(text):
        segments.append(Segment(text[at:]))
    return segments


def layer_spans(article: Article, name: str) -> list[Span]:
    layer = article.layers.get(name)
    return list(layer.spans) if layer else []


def quote_rows(article: Article) -> list[dict[str, Any]]:
    """The article's quotes with their text, kind and speaker, in text order."""
    rows = []
    for span in sorted(layer_spans(article, "quotes"), key=lambda s: s.start):
        speaker = span.attrs.get("speaker") or {}
        rows.append(
            {
                "text": span.text_in(article.text),
                "kind": span.label,
                "speaker_name": span.attrs.get("speaker_name"),
                "speaker_text": speaker.get("text") if isinstance(speaker, dict) else None,
                "start": span.start,
                "end": span.end,
            }
        )
    return rows


def entity_rows(article: Article) -> list[dict[str, Any]]:
    """The article's entities, one row per (canonical name, label), with how often they are mentioned."""
    counts: dict[tuple[str, str], int] = {}
    for span in layer_spans(article, "entities"):
        key = (str(span.attrs.get("canonical") or span.text_in(article.text)), span.label)
        counts[key] = counts.get(key, 0) + 1
    return [
        {"name": name, "label": label, "mentions": n}
        for (name, label), n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def bars(counts: dict[str, int], width: int = 300) -> list[dict[str, Any]]:
    """Bar lengths (SVG user units) for a horizontal bar chart of ``counts``."""
    top = max(counts.values(), default=0)
    return [
        {"label": label, "value": value, "length": round(width * value / top) if top else 0}
        for label, value in counts.items()
    ]


def event_grid(outlets: list[str], events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per outlet of a story: for each of its events whether the outlet covered it (else it skipped it)."""
    rows = []
    for outlet in outlets:
        covered = [outlet in event["outlets"] for event in events]
        rows.append({"outlet": outlet, "covered": covered, "count": sum(covered)})
    return rows
