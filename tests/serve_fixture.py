"""A small hostile store and a live server for the serve tests (invented articles, one carrying markup).

Imported by tests/test_serve_api.py and tests/test_serve_browser.py; not a test module itself.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from newsprism.link.events import article_day
from newsprism.model import Article, Layer, Span
from newsprism.serve import create_app
from newsprism.serve.app import background_server
from newsprism.store import EventRow, Store

TOKEN = "test-token-7f3a"
HOSTILE_TITLE = 'Ferry pier <script>document.title="owned"</script> reopens'
HOSTILE_URL = "javascript:alert(document.domain)"
HOSTILE_TEXT = (
    "The ferry pier at Port Velm reopened on Monday after a disgraceful blunder kept it shut for weeks.\n\n"
    '<script>document.title="owned"; alert(1)</script> <a href="javascript:alert(2)">read more</a> '
    '<img src=x onerror="alert(3)">\n\n'
    '"We fixed it in nine days," said harbour master Lena Marsh. Everyone knows the delay was avoidable.'
)
CALM_TEXT = (
    "Port Velm's ferry pier is open again, the harbour office said on Monday.\n\n"
    'Harbour master Lena Marsh said the repairs took "about two weeks". Was the closure really necessary?'
)
CLOSED_TEXT = (
    "Port Velm's ferry pier closed again on Thursday after a storm loosened two of its new fenders.\n\n"
    "The harbour office expects the crossings to resume within the week."
)
OTHER_TEXT = "Die Stadtbibliothek von Arnsfeld verlängert ab Mai ihre Öffnungszeiten am Samstag."


def _find(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def hostile_article() -> Article:
    text = HOSTILE_TEXT
    quote_start, quote_end = _find(text, '"We fixed it in nine days,"')
    speaker = _find(text, "Lena Marsh")
    return Article(
        source="fixture/hostile.html",
        text=text,
        url=HOSTILE_URL,
        outlet="Harbour Gazette",
        title=HOSTILE_TITLE,
        published="2026-04-06T09:00:00+00:00",
        language="en",
        layers={
            "techniques": Layer("techniques", "newsprism.techniques", "1", [
                Span(*_find(text, "disgraceful blunder"), "Loaded_Language", {"score": 0.91}),
                Span(*_find(text, "Everyone knows"), "Bandwagon,Reductio_ad_hitlerum", {"score": 0.66}),
            ]),
            "quotes": Layer("quotes", "newsprism.quotes", "1", [
                Span(quote_start, quote_end, "direct", {
                    "cue": None, "speaker": {"start": speaker[0], "end": speaker[1], "text": "Lena Marsh"},
                    "speaker_name": "Lena Marsh"}),
            ]),
            "entities": Layer("entities", "newsprism.entities", "1", [
                Span(*_find(text, "Port Velm"), "GPE", {"canonical": "Port Velm"}),
                Span(*speaker, "PERSON", {"canonical": "Lena Marsh"}),
            ]),
        },
    )


def calm_article() -> Article:
    text = CALM_TEXT
    quote = _find(text, '"about two weeks"')
    return Article(
        source="fixture/calm.html",
        text=text,
        url="https://coastal-wire.example/pier",
        outlet="Coastal Wire",
        title="Port Velm ferry pier open again",
        published="2026-04-06T11:30:00+00:00",
        language="en",
        layers={
            "techniques": Layer("techniques", "newsprism.techniques", "1", [
                Span(*_find(text, "Was the closure really necessary?"), "Doubt", {"score": 0.72}),
            ]),
            "quotes": Layer("quotes", "newsprism.quotes", "1", [
                Span(*quote, "mixed", {"cue": None, "speaker": None, "speaker_name": "Lena Marsh"}),
            ]),
            "entities": Layer("entities", "newsprism.entities", "1", [
                Span(*_find(text, "Port Velm"), "GPE", {"canonical": "Port Velm"}),
                Span(*_find(text, "Lena Marsh"), "PERSON", {"canonical": "Lena Marsh"}),
            ]),
        },
    )


def closed_article() -> Article:
    """The pier story's second event, which only Coastal Wire covered."""
    return Article(source="fixture/closed.html", text=CLOSED_TEXT, url="https://coastal-wire.example/pier-closed",
                   outlet="Coastal Wire", title="Storm shuts Port Velm ferry pier again",
                   published="2026-04-09T07:15:00+00:00", language="en")


def other_article() -> Article:
    return Article(source="fixture/other.html", text=OTHER_TEXT, outlet="Coastal Wire",
                   title="Längere Öffnungszeiten", published="2026-04-02", language="de")


def _event(event_id: str, title: str, story_id: str, articles: list[Article]) -> EventRow:
    days = [day for day in map(article_day, articles) if day is not None]
    return EventRow(event_id, title, story_id, min(days, default=None), max(days, default=None),
                    [a.id for a in articles])


def build_store(path: Path) -> dict[str, str]:
    """Write the fixture store; returns the ids of its articles, stories and events by role.

    The pier story holds two events: the reopening (both outlets) and, days later, the closure (Coastal
    Wire only: Harbour Gazette skipped it). Its event ids sort against their dates, and an old event id and
    an old story id were merged into the living ones."""
    hostile, calm, closed, other = hostile_article(), calm_article(), closed_article(), other_article()
    with Store(path) as store:
        for article in (hostile, calm, closed, other):
            store.add_article(article)
        events = [_event("ev-reopened", "Ferry pier reopens", "s-pier", [hostile, calm]),
                  _event("ev-closed", "Storm shuts the ferry pier", "s-pier", [closed]),
                  _event("ev-hours", "Library opens longer on Saturdays", "s-library", [other])]
        storylines = {"s-pier": "Port Velm ferry pier reopens", "s-library": "Arnsfeld library hours"}
        store.save_grouping(events, [], storylines, {})
        store.save_link_values("merges", {"ev-old-reopening": "ev-reopened", "s-old-pier": "s-pier"})
        store.refresh_names()
        store.commit()
    return {"hostile": hostile.id, "calm": calm.id, "closed": closed.id, "other": other.id, "story": "s-pier",
            "event": "ev-reopened", "later_event": "ev-closed"}


def _evidence(article: Article, phrase: str) -> dict[str, Any]:
    start, end = _find(article.text, phrase)
    return {"article_id": article.id, "outlet": article.outlet, "text": phrase, "start": start, "end": end}


def fake_comparer(articles: list[Article]) -> dict[str, Any] | None:
    """A comparison in the newsprism.comparison/1 shape, so the panels render without the compare stage."""
    by_outlet: dict[str | None, Article] = {}
    for article in articles:  # each outlet's first article: the pier's reopening
        by_outlet.setdefault(article.outlet, article)
    if {"Harbour Gazette", "Coastal Wire"} - set(by_outlet):
        return None
    gazette, wire = by_outlet["Harbour Gazette"], by_outlet["Coastal Wire"]
    report = [{"article_id": a.id, "outlet": a.outlet, "title": a.title, "url": a.url, "published": a.published}
              for a in (gazette, wire)]
    return {
        "schema": "newsprism.comparison/1",
        "articles": report,
        "outlets": ["Harbour Gazette", "Coastal Wire"],
        "timeline": {"first": report[0], "reports": report, "by_outlet": {}, "undated": []},
        "conflicts": [{"kind": "duration", "slot": "repair time", "values": [
            {"value": "nine days", "evidence": [_evidence(gazette, "nine days")]},
            {"value": "about two weeks", "evidence": [_evidence(wire, "about two weeks")]},
        ]}],
        "quotes": [{"speaker_name": "Lena Marsh", "full": _evidence(gazette, '"We fixed it in nine days,"'),
                    "variants": [{"relation": "paraphrased", "speaker_name": "Lena Marsh",
                                  "evidence": _evidence(wire, '"about two weeks"')}], "misattributed": False}],
        "voices": [{"speaker_name": "Lena Marsh", "outlets": ["Harbour Gazette", "Coastal Wire"], "only_some": False,
                    "evidence": []}],
        "omissions": [{"kind": "fact", "what": "<b>blunder</b>", "article_id": wire.id, "outlet": "Coastal Wire",
                       "carried_by": ["Harbour Gazette"], "evidence": []}],
        "techniques": [{"outlet": "Harbour Gazette", "sentences": 4, "spans": 2, "rate_per_sentence": 0.5,
                        "share_of_sentences": 0.5, "by_technique": {"Loaded_Language": 1}, "evidence": []}],
        "republications": [],
        "naming": [],
        "notes": [],
    }


def live_server(db_path: Path, **options: Any) -> AbstractContextManager[str]:
    """The app over ``db_path`` on a free loopback port, with the test token and the fixture comparison."""
    return background_server(create_app(db_path, TOKEN, comparer=fake_comparer, annotate=False, **options))
