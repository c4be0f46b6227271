"""The server-rendered pages: Jinja2 templates with autoescape, so every stored string is shown as text.

Pages get plain values (rows, segments, bar lengths) from ``queries`` and ``render``; the only
script is static/app.js (legend toggles), loaded from this server as the CSP requires.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from newsprism.annotate.techniques import summarise
from newsprism.compare.result import shown_published
from newsprism.compare.story import stored_techniques
from newsprism.model import Article
from newsprism.serve import queries, render
from newsprism.serve.api import (
    DATE,
    MAX_OFFSET,
    compared,
    config_of,
    filters_of,
    found_event,
    found_story,
    member_articles,
    new_since,
    page_history,
)
from newsprism.serve.app import PACKAGE_DIR
from newsprism.serve.exports import CSV_TABLES

router = APIRouter(include_in_schema=False)
MAX_COVERAGE_COLUMNS = 12
PAGE_SIZE = 25

environment = Environment(loader=FileSystemLoader(PACKAGE_DIR / "templates"), autoescape=True)
environment.filters["safe_url"] = render.safe_url
environment.filters["agreed"] = render.agreed
environment.filters["shown_published"] = shown_published
environment.globals["csv_tables"] = tuple(CSV_TABLES)
templates = Jinja2Templates(env=environment)

Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
Text = Annotated[str, Query(max_length=500)]
OptionalText = Annotated[str | None, Query(max_length=300)]


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, template, context, status_code=status_code)


def error_page(request: Request, status: int, message: str) -> Response:
    return page(request, "error.html", status, status=status, message=message)


def pager(request: Request, listing: queries.Page) -> dict[str, str | None]:
    """Links to the previous and next page of a listing, keeping the other query parameters."""
    previous = max(listing.offset - listing.limit, 0)
    after = listing.to_dict()["next_offset"]
    return {
        "previous": str(request.url.include_query_params(offset=previous)) if listing.offset else None,
        "next": str(request.url.include_query_params(offset=after)) if after is not None else None,
        "summary": f"{listing.offset + 1 if listing.items else 0}–{listing.offset + len(listing.items)}"
        f" of {listing.total}",
    }


def coverage_level(count: int) -> int:
    """Shade class (0-4) of a coverage cell."""
    return min(count, 4)


@router.get("/", response_class=HTMLResponse)
def story_list(request: Request, offset: Offset = 0) -> HTMLResponse:
    config = config_of(request)
    db = config.store().db
    listing = queries.list_stories(db, PAGE_SIZE, offset, cache=config.cache)
    columns = [o["name"] for o in queries.outlets(db, config.cache)][:MAX_COVERAGE_COLUMNS]
    return page(
        request,
        "stories.html",
        stories=listing.items,
        columns=columns,
        level=coverage_level,
        pager=pager(request, listing),
        articles=db.execute("SELECT count(*) FROM articles").fetchone()[0],
    )


def compared_page(request: Request, template: str, found: dict[str, Any], **context: Any) -> HTMLResponse:
    """A story or event page: the comparison of its articles and the articles side by side."""
    config = config_of(request)
    articles = member_articles(config.store(), found)
    comparison, failure = compared(config, articles)
    return page(request, template, columns=article_columns(articles), comparison=comparison,
                comparison_failure=failure, **context)


def article_columns(articles: list[Article]) -> list[dict[str, Any]]:
    return [
        {"article": a, "segments": render.technique_segments(a.text, render.layer_spans(a, "techniques"))}
        for a in articles
    ]


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str) -> HTMLResponse:
    found = found_story(request, story_id)
    grid = render.event_grid(list(found["coverage"]), found["events"])
    return compared_page(request, "story.html", found, story=found, grid=grid)


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: str) -> HTMLResponse:
    found = found_event(request, event_id)
    return compared_page(request, "event.html", found, event=found)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str) -> HTMLResponse:
    store = config_of(request).store()
    article = store.article(article_id)
    if article is None:
        raise HTTPException(404, "no such article")
    spans = render.layer_spans(article, "techniques")
    colours = render.technique_colours(spans)
    counts = {name: sum(s.label == name for s in spans) for name in colours}
    history = page_history(store, article_id)
    return page(
        request,
        "article.html",
        article=article,
        segments=render.technique_segments(article.text, spans),
        legend=[{"name": n, "colour": c, "count": counts[n]} for n, c in colours.items()],
        has_techniques="techniques" in article.layers,
        technique_summary=summarise(article.text, stored_techniques(article)),
        quotes=render.quote_rows(article),
        entities=render.entity_rows(article),
        stories=queries.stories_of_article(store.db, article_id),
        event=queries.event_of_article(store.db, article_id),
        history=history,
        later=later_versions(history["versions"], article_id),
    )


def later_versions(versions: list[dict[str, Any]], article_id: str) -> list[dict[str, Any]]:
    """The latest version of each page the article was read from, where that is no longer this article: the
    outlet rewrote or deleted the page since."""
    latest = {v["url"]: v for v in versions}  # in version order: each page's last one stays
    return [v for v in latest.values() if v["article_id"] != article_id]


@router.get("/speakers", response_class=HTMLResponse)
def speakers_page(request: Request, offset: Offset = 0) -> HTMLResponse:
    config = config_of(request)
    listing = queries.speakers(config.store().db, PAGE_SIZE * 2, offset, config.cache)
    return page(request, "speakers.html", speakers=listing.items, pager=pager(request, listing))


@router.get("/speaker", response_class=HTMLResponse)
def speaker_page(
    request: Request, name: Annotated[str, Query(min_length=1, max_length=300)], offset: Offset = 0
) -> HTMLResponse:
    config = config_of(request)
    listing = queries.quotes_by(config.store().db, name, PAGE_SIZE, offset, config.cache)
    return page(request, "speaker.html", name=name, quotes=listing.items, pager=pager(request, listing))


@router.get("/outlets", response_class=HTMLResponse)
def outlets_page(request: Request) -> HTMLResponse:
    config = config_of(request)
    found = queries.outlets(config.store().db, config.cache)
    chart = render.bars({o["name"] or "(unknown)": o["articles"] for o in found})
    return page(request, "outlets.html", outlets=found, chart=chart)


@router.get("/outlet", response_class=HTMLResponse)
def outlet_page(request: Request, name: Annotated[str, Query(max_length=300)], offset: Offset = 0) -> HTMLResponse:
    config = config_of(request)
    db = config.store().db
    profile = queries.outlet_profile(db, name, config.cache)
    if profile is None:
        raise HTTPException(404, "no such outlet")
    stories = queries.list_stories(db, PAGE_SIZE, offset, name, config.cache)
    latest = queries.list_articles(db, queries.SearchFilters(outlet=name), 10, 0, config.cache)
    return page(
        request,
        "outlet.html",
        profile=profile,
        technique_chart=render.bars(profile["techniques"]),
        stories=stories.items,
        pager=pager(request, stories),
        latest=latest.items,
    )


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    q: Text = "",
    outlet: OptionalText = None,
    language: Annotated[str | None, Query(max_length=8)] = None,
    since: Annotated[str | None, Query(pattern=f"({DATE})|^$")] = None,
    until: Annotated[str | None, Query(pattern=f"({DATE})|^$")] = None,
    entity: OptionalText = None,
    technique: Annotated[str | None, Query(max_length=100)] = None,
    offset: Offset = 0,
) -> HTMLResponse:
    config = config_of(request)
    db = config.store().db
    filters = filters_of(outlet or None, language or None, since or None, until or None, entity or None,
                         technique or None)
    problem, listing = None, None
    try:
        listing = queries.search(db, q, filters, PAGE_SIZE, offset, config.cache)
    except ValueError as error:
        problem = str(error)
    return page(
        request,
        "search.html",
        q=q,
        filters=filters,
        hits=listing.items if listing else [],
        pager=pager(request, listing) if listing else None,
        problem=problem,
        outlets=[o["name"] for o in queries.outlets(db, config.cache) if o["name"]],
        techniques=list(queries.technique_counts(db, cache=config.cache)),
    )


@router.get("/exports", response_class=HTMLResponse)
def exports_page(request: Request) -> HTMLResponse:
    return page(request, "exports.html")


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request) -> HTMLResponse:
    found = queries.source_health(config_of(request).store().db, datetime.now(UTC))
    return page(request, "sources.html", sources=found)


@router.get("/new", response_class=HTMLResponse)
def new_page(request: Request, since: str | None = None, offset: Offset = 0) -> HTMLResponse:
    """What is new since a time (default: 24 h ago); a time that is none shows the form with the reason."""
    since = since or (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    try:
        at, found = new_since(config_of(request).store().db, since, PAGE_SIZE, offset)
    except HTTPException as error:
        return page(request, "new.html", 400, since=since, problem=error.detail, found=None, pager=None)
    longest = max(found.values(), key=lambda listing: listing.total)  # the pager goes on while one list does
    return page(request, "new.html", since=at.removesuffix("Z"), problem=None, found=found,
                pager=pager(request, longest))
