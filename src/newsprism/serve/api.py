"""The REST API (/api): typed endpoints, so /api/openapi.json describes exactly what they return.

Listings are pages (``limit``, ``offset``, ``total``, ``next_offset``); ids are the store's stable
content ids; errors are ``{"error": {"status", "message", "details"}}`` with a 4xx status. A story
(storyline) holds events; the id of a story or event merged into another redirects (307) to the living one.
"""

from __future__ import annotations

import hmac
import logging
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field
from starlette.background import BackgroundTask

from newsprism import pipeline
from newsprism.compare.versions import version_changes
from newsprism.errors import InputError
from newsprism.model import Article, Failure
from newsprism.serve import queries
from newsprism.serve.app import Merged, ServeConfig
from newsprism.serve.exports import CSV_TABLES, write_csv, write_jsonl
from newsprism.store import Store
from newsprism.store.base import Connection

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/api", tags=["api"])
bearer = HTTPBearer(auto_error=False, description="The server's upload token ($NEWSPRISM_TOKEN of `newsprism serve`).")

DATE = r"^\d{4}-\d{2}-\d{2}$"
SAFE_FILENAME = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$"
MAX_OFFSET = 1_000_000


class ErrorDetail(BaseModel):
    status: int
    message: str
    details: list[Any] = []


class ErrorBody(BaseModel):
    error: ErrorDetail


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": ErrorBody} for status in (*statuses, 422)}


MERGED = {307: {"description": "The id was merged into another: `Location` is the same route with the living id."}}


class PageBase(BaseModel):
    total: int
    limit: int
    offset: int
    next_offset: int | None


class ArticleSummary(BaseModel):
    id: str
    title: str | None
    outlet: str | None
    published: str | None
    language: str | None
    url: str | None


class MemberArticle(ArticleSummary):
    superseded: bool = Field(False, description="Its outlet has rewritten the page since (see the article's"
                             " versions): listed, but left out of the comparison, which reads each page as it"
                             " is now.")


class SearchHit(ArticleSummary):
    snippet: str | None = None
    score: float | None = None


class SpanOut(BaseModel):
    start: int
    end: int
    label: str
    attrs: dict[str, Any]


class LayerOut(BaseModel):
    name: str
    component: str
    version: str
    spans: list[SpanOut]


class StoryRef(BaseModel):
    id: str
    title: str | None


class FailureOut(BaseModel):
    stage: str
    layer: str = Field(description="The layer that failed, or empty for a stage without layers.")
    reason: str


class WarcRef(BaseModel):
    file: str = Field(description="The WARC file, in the watcher's WARC folder.")
    offset: int | None = Field(description="The record's byte offset in the file.")
    record: str | None = Field(description="The record's WARC-Record-ID.")


class PageVersion(BaseModel):
    version: int = Field(description="1, 2, ... in fetch order, per page (url).")
    url: str
    fetched_at: str
    status: int = Field(description="200, or 404/410 when the outlet deleted the page (then no article).")
    article_id: str | None
    warc: WarcRef | None = Field(description="Where the response is archived; null when it was not.")


class PassageSide(BaseModel):
    start: int
    end: int
    text: str


class WordChange(BaseModel):
    op: str = Field(description="replace, insert or delete.")
    before: str
    after: str


class ChangedPassage(BaseModel):
    kind: Literal["added", "cut", "reworded"]
    before: PassageSide | None = Field(description="The paragraph in the earlier version (offsets into its text).")
    after: PassageSide | None = Field(description="The paragraph in the later version (offsets into its text).")
    words: list[WordChange] = Field(description="The word changes of a reworded paragraph.")


class TitleChange(BaseModel):
    before: str | None
    after: str | None


class VersionChange(BaseModel):
    url: str
    from_version: int
    to_version: int
    from_fetched_at: str
    to_fetched_at: str
    from_article_id: str
    to_article_id: str
    title: TitleChange | None = Field(description="Null when the title stayed the same.")
    kept: int = Field(description="Paragraphs kept as they were.")
    passages: list[ChangedPassage]


class ArticleOut(BaseModel):
    id: str
    source: str
    url: str | None
    canonical_url: str | None
    outlet: str | None
    domain: str | None
    title: str | None
    description: str | None
    published: str | None
    modified: str | None
    authors: list[str]
    tags: list[str]
    section: str | None
    image: str | None
    language: str | None
    dateline: str | None
    credits: list[str]
    text: str
    extraction: dict[str, Any]
    layers: dict[str, LayerOut] = Field(description="Standoff layers: span offsets index `text` (end exclusive).")
    failures: list[FailureOut] = Field(description="Stages or layers that failed on this article; the rest is kept.")
    stories: list[StoryRef]
    event: str | None = Field(description="The id of the article's event (null until the article is linked).")
    versions: list[PageVersion] = Field(
        description="Every version `newsprism watch` fetched of the page(s) the article was read from, by url and"
        " version; empty for an article from elsewhere.")
    changes: list[VersionChange] = Field(
        description="What changed from each version to the next, where both gave an article.")


class StorySummary(BaseModel):
    id: str
    title: str | None
    articles: int
    events: int = Field(description="How many events (happenings) the story (storyline) holds.")
    outlets: int
    first_published: str | None
    last_published: str | None
    coverage: dict[str, int] = Field(description="Articles of the story per outlet.")


class EventSummary(BaseModel):
    id: str
    title: str | None
    first: str | None = Field(description="UTC date (YYYY-MM-DD) of the event's first article; null when undated.")
    last: str | None = Field(description="UTC date of the event's last article; null when undated.")
    articles: int
    outlets: list[str] = Field(description="The outlets that covered the event (the story's others skipped it).")


class StoryOut(BaseModel):
    id: str
    title: str | None
    articles: list[MemberArticle]
    coverage: dict[str, int]
    events: list[EventSummary] = Field(description="The story's events, oldest first, undated last.")
    comparison: dict[str, Any] | None = Field(description="The comparison (newsprism.comparison/1) when available.")
    comparison_failure: str | None = Field(None, description="Why the comparison failed, when it did (then null).")


class EventOut(BaseModel):
    id: str
    title: str | None
    first: str | None = Field(description="UTC date (YYYY-MM-DD) of the event's first article; null when undated.")
    last: str | None = Field(description="UTC date of the event's last article; null when undated.")
    story: StoryRef | None = Field(description="The story (storyline) the event belongs to.")
    articles: list[MemberArticle]
    coverage: dict[str, int] = Field(description="Articles of the event per outlet.")
    comparison: dict[str, Any] | None = Field(description="The comparison (newsprism.comparison/1) when available.")
    comparison_failure: str | None = Field(None, description="Why the comparison failed, when it did (then null).")


class Outlet(BaseModel):
    name: str
    articles: int
    first_published: str | None
    last_published: str | None
    languages: list[str]
    stories: int


class OutletProfile(Outlet):
    first_reports: int
    techniques: dict[str, int]
    techniques_per_article: float


class Entity(BaseModel):
    name: str
    label: str
    articles: int


class Speaker(BaseModel):
    speaker: str
    quotes: int
    outlets: int


class Quote(BaseModel):
    article_id: str
    title: str | None
    outlet: str | None
    published: str | None
    start: int
    end: int
    kind: str | None
    text: str
    speaker: str


class ArticlePage(PageBase):
    items: list[ArticleSummary]


class LastError(BaseModel):
    url: str
    error: str
    at: str


class DayCount(BaseModel):
    day: str = Field(description="UTC date, YYYY-MM-DD.")
    articles: int


class SourceHealth(BaseModel):
    name: str = Field(description="The source's name in SOURCES.toml (the outlet of its articles).")
    pages: int = Field(description="Article pages known.")
    due: int = Field(description="Article pages to fetch in the next round.")
    last_fetch: str | None
    last_ok: str | None = Field(description="When it last answered 2xx or 304.")
    requests_24h: int = Field(description="HTTP exchanges in the last 24 h (retries and redirects included).")
    errors_24h: int = Field(description="Failed fetches in the last 24 h (not robots.txt refusals of article"
                            " pages, nor known pages answering 404/410: those are deletions).")
    last_error: LastError | None
    per_day: list[DayCount] = Field(description="Distinct articles first read from its pages per UTC day (version 1"
                                    " of a page, by fetch time), the last 14 days, oldest first.")
    health: Literal["ok", "failing", "stale"] = Field(
        description="stale: no fetch in 24 h; failing: a listing (feed, sitemap, home page) failed on its latest"
        " try, or no answer in 24 h was OK.")


class AddedArticle(ArticleSummary):
    added_at: str


class ChangedPage(BaseModel):
    url: str
    source: str | None
    version: int
    fetched_at: str
    status: int = Field(description="200: rewritten; 404/410: deleted by the outlet.")
    article_id: str | None = Field(description="The article of this version; null when deleted.")
    previous_article_id: str | None
    previous_fetched_at: str
    title: str | None


class GrownStory(BaseModel):
    id: str
    title: str | None
    added: int = Field(description="Articles of the story stored since the time asked.")
    articles: int = Field(description="All its articles (added == articles: a new story).")
    last_added: str


class AddedPage(PageBase):
    items: list[AddedArticle]


class ChangedPageList(PageBase):
    items: list[ChangedPage]


class GrownStoryPage(PageBase):
    items: list[GrownStory]


class NewSince(BaseModel):
    since: str = Field(description="The time asked, in UTC as the store writes times.")
    articles: AddedPage
    changed: ChangedPageList = Field(description="Pages rewritten or deleted since, one item per new version.")
    stories: GrownStoryPage = Field(description="Stories (storylines) that gained articles since.")


class HitPage(PageBase):
    items: list[SearchHit]


class StoryPage(PageBase):
    items: list[StorySummary]


class EntityPage(PageBase):
    items: list[Entity]


class SpeakerPage(PageBase):
    items: list[Speaker]


class QuotePage(PageBase):
    items: list[Quote]


class IngestResult(BaseModel):
    records: int
    new: int
    unchanged: int
    failed: int
    articles: list[str] = Field(description="Ids of the articles found in the upload, new or already stored.")
    errors: list[str]


Limit = Annotated[int, Query(ge=1, le=200, description="Page size.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")]
Name = Annotated[str, Query(min_length=1, max_length=300)]
OptionalName = Annotated[str | None, Query(max_length=300)]
Day = Annotated[str | None, Query(pattern=DATE, description="YYYY-MM-DD")]


def config_of(request: Request) -> ServeConfig:
    return request.app.state.config


def filters_of(
    outlet: OptionalName = None,
    language: Annotated[str | None, Query(max_length=8)] = None,
    since: Day = None,
    until: Day = None,
    entity: OptionalName = None,
    technique: Annotated[str | None, Query(max_length=100)] = None,
) -> queries.SearchFilters:
    return queries.SearchFilters(outlet, language, since, until, entity, technique)


Filters = Annotated[queries.SearchFilters, Depends(filters_of)]


@router.get("/articles", response_model=ArticlePage, responses=errors())
def list_articles(request: Request, filters: Filters, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """Articles, newest first, with optional filters (no text; see /api/articles/{id})."""
    config = config_of(request)
    return queries.list_articles(config.store().db, filters, limit, offset, config.cache).to_dict()


@router.get("/articles/{article_id}", response_model=ArticleOut, responses=errors(404))
def get_article(request: Request, article_id: str) -> dict[str, Any]:
    """One article with every annotation layer, the stories it belongs to and its event."""
    store = config_of(request).store()
    article = store.article(article_id)
    if article is None:
        raise HTTPException(404, f"no article {article_id!r}")
    event = queries.event_of_article(store.db, article_id)
    return {**article.to_dict(with_layers=True), "stories": queries.stories_of_article(store.db, article_id),
            "event": event["id"] if event else None, **page_history(store, article_id)}


def page_history(store: Store, article_id: str) -> dict[str, Any]:
    """The versions of the page(s) the article was read from and what changed from each to the next, so a
    rewrite or a deletion by the outlet shows on the article itself."""
    rows = store.page_versions(article_id)
    texts = {a.id: a for a in store.articles_by_id(sorted({r["article_id"] for r in rows if r["article_id"]}))}
    versions = [
        {**{k: r[k] for k in ("version", "url", "fetched_at", "status", "article_id")},
         "warc": {"file": r["warc_file"], "offset": r["warc_offset"], "record": r["warc_record"]}
         if r["warc_file"] else None}
        for r in rows
    ]
    changes = [
        {"url": after["url"], "from_version": before["version"], "to_version": after["version"],
         "from_fetched_at": before["fetched_at"], "to_fetched_at": after["fetched_at"],
         "from_article_id": before["article_id"], "to_article_id": after["article_id"],
         **version_changes(texts[before["article_id"]], texts[after["article_id"]])}
        for before, after in pairwise(rows)
        if before["url"] == after["url"] and before["article_id"] in texts and after["article_id"] in texts
    ]
    return {"versions": versions, "changes": changes}


@router.get("/stories", response_model=StoryPage, responses=errors())
def list_stories(
    request: Request, limit: Limit = 50, offset: Offset = 0, outlet: OptionalName = None
) -> dict[str, Any]:
    """Stories, the most widely covered first, with their coverage per outlet."""
    config = config_of(request)
    return queries.list_stories(config.store().db, limit, offset, outlet, config.cache).to_dict()


def living(request: Request, found: dict[str, Any] | None, level: queries.Level) -> dict[str, Any]:
    """``found``; when the story or event of the path is unknown, a redirect to the same route with the id it
    was merged into (old ids stay usable), else a 404."""
    if found is not None:
        return found
    key = f"{level}_id"
    link_id = request.path_params[key]
    living_id = config_of(request).store().resolve(link_id)
    if living_id == link_id:
        raise HTTPException(404, f"no {level} {link_id!r}")
    path = str(request.app.url_path_for(request.scope["route"].name, **{**request.path_params, key: living_id}))
    raise Merged(f"{path}?{request.url.query}" if request.url.query else path)


def found_story(request: Request, story_id: str) -> dict[str, Any]:
    return living(request, queries.story(config_of(request).store().db, story_id), "story")


def found_event(request: Request, event_id: str) -> dict[str, Any]:
    return living(request, queries.event(config_of(request).store().db, event_id), "event")


def member_articles(store: Store, found: dict[str, Any]) -> list[Article]:
    """The full articles (with layers) of a story or event found by ``queries``, as their pages read now."""
    current = (s["id"] for s in found["articles"] if not s["superseded"])
    return [a for a in map(store.article, current) if a is not None]


def compared(config: ServeConfig, articles: list[Article]) -> tuple[dict[str, Any] | None, str | None]:
    """The comparison of the articles (None without a comparer, without articles, or when it gives nothing),
    and why it failed when it raised: a comparison that fails costs the comparison, never the page."""
    if not (config.comparer and articles):
        return None, None
    comparer = config.comparer
    key = ("comparison", tuple(article.id for article in articles))
    try:  # kept until the store changes: a story page under load would recompute it on every request
        return config.cache.get(config.store().db, key, lambda: comparer(articles)), None
    except Exception as error:  # the edge of the compare stage: the page shows the articles and the reason
        failure = Failure.of("compare", "", error)
        logger.error("comparison of %d articles failed: %s", len(articles), failure.reason)
        return None, failure.reason


def with_comparison(config: ServeConfig, found: dict[str, Any]) -> dict[str, Any]:
    """The story or event found by ``queries`` with the comparison of its articles (and its failure, if any)."""
    comparison, failure = compared(config, member_articles(config.store(), found))
    return {**found, "comparison": comparison, "comparison_failure": failure}


def only_comparison(config: ServeConfig, found: dict[str, Any], level: queries.Level) -> dict[str, Any]:
    found = with_comparison(config, found)
    if found["comparison_failure"]:
        raise HTTPException(500, f"the comparison of this {level} failed: {found['comparison_failure']}")
    if found["comparison"] is None:
        raise HTTPException(404, f"no comparison available for this {level}")
    return found["comparison"]


@router.get("/stories/{story_id}", response_model=StoryOut, responses={**errors(404), **MERGED})
def get_story(request: Request, story_id: str) -> dict[str, Any]:
    """A story: its articles in publication order, its events and, when the comparison stage is installed, the
    comparison of all its articles."""
    return with_comparison(config_of(request), found_story(request, story_id))


@router.get("/stories/{story_id}/comparison", response_model=dict[str, Any], responses={**errors(404, 500), **MERGED})
def get_comparison(request: Request, story_id: str) -> dict[str, Any]:
    """Only the comparison of a story (404 when the story is unknown or no comparison is available)."""
    return only_comparison(config_of(request), found_story(request, story_id), "story")


REPORT_TYPES = {"html": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8",
                "json": "application/json"}
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"  # its own inline CSS, no script
REPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {t: {} for t in REPORT_TYPES.values()}, "description": "The report file."},
    **errors(404), **MERGED,
}
ReportFormat = Literal["html", "md", "json"]


def report_file(request: Request, found: dict[str, Any], level: queries.Level, format: ReportFormat) -> Response:
    """The comparison report of a story's or event's articles as one file to send to a colleague."""
    from newsprism.report import story_report as render_report

    articles = member_articles(config_of(request).store(), found)
    filename = f"{level}-{queries.file_safe(found['id'])}.{format}"
    headers = {"content-disposition": f'attachment; filename="{filename}"', "content-security-policy": REPORT_CSP}
    return Response(render_report(articles, format), media_type=REPORT_TYPES[format], headers=headers)


@router.get("/stories/{story_id}/report", response_class=Response, responses=REPORT_RESPONSES)
def story_report(request: Request, story_id: str, format: ReportFormat = "html") -> Response:
    """The story's comparison report as one file to send to a colleague (html: self-contained, no script)."""
    return report_file(request, found_story(request, story_id), "story", format)


@router.get("/events/{event_id}", response_model=EventOut, responses={**errors(404), **MERGED})
def get_event(request: Request, event_id: str) -> dict[str, Any]:
    """An event (one happening of a story): its story, its articles in publication order and, when the
    comparison stage is installed, the comparison of its articles."""
    return with_comparison(config_of(request), found_event(request, event_id))


@router.get("/events/{event_id}/comparison", response_model=dict[str, Any], responses={**errors(404, 500), **MERGED})
def get_event_comparison(request: Request, event_id: str) -> dict[str, Any]:
    """Only the comparison of an event (404 when the event is unknown or no comparison is available)."""
    return only_comparison(config_of(request), found_event(request, event_id), "event")


@router.get("/events/{event_id}/report", response_class=Response, responses=REPORT_RESPONSES)
def event_report(request: Request, event_id: str, format: ReportFormat = "html") -> Response:
    """The event's comparison report as one file (html: self-contained, no script)."""
    return report_file(request, found_event(request, event_id), "event", format)


@router.get("/outlets", response_model=list[Outlet])
def list_outlets(request: Request) -> list[dict[str, Any]]:
    """Every outlet with its article and story counts."""
    config = config_of(request)
    return queries.outlets(config.store().db, config.cache)


@router.get("/outlets/profile", response_model=OutletProfile, responses=errors(404))
def outlet_profile(request: Request, name: Name) -> dict[str, Any]:
    """One outlet's profile: articles, stories, first reports, technique counts."""
    config = config_of(request)
    profile = queries.outlet_profile(config.store().db, name, config.cache)
    if profile is None:
        raise HTTPException(404, f"no outlet {name!r}")
    return profile


@router.get("/entities", response_model=EntityPage, responses=errors())
def list_entities(
    request: Request,
    label: Annotated[str | None, Query(max_length=20)] = None,
    prefix: OptionalName = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Entities by their store-wide name, the most widely mentioned first."""
    return queries.entities(config_of(request).store().db, label, prefix, limit, offset).to_dict()


@router.get("/speakers", response_model=SpeakerPage, responses=errors())
def list_speakers(request: Request, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """Quoted people, the most quoted first."""
    config = config_of(request)
    return queries.speakers(config.store().db, limit, offset, config.cache).to_dict()


@router.get("/quotes", response_model=QuotePage, responses=errors())
def quotes_by_speaker(request: Request, speaker: Name, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """The quotes attributed to one speaker, with their text and article."""
    config = config_of(request)
    return queries.quotes_by(config.store().db, speaker, limit, offset, config.cache).to_dict()


@router.get("/sources", response_model=list[SourceHealth])
def list_sources(request: Request) -> list[dict[str, Any]]:
    """The sources `newsprism watch` collects from and their health: last fetch, errors, articles per day."""
    return queries.source_health(config_of(request).store().db, datetime.now(UTC))


Since = Annotated[str, Query(description="An ISO 8601 time, UTC unless it gives an offset: 2026-04-06T09:00:00Z.",
                             json_schema_extra={"format": "date-time"})]


NEW_LISTS = {"articles": queries.added_since, "changed": queries.changed_since, "stories": queries.grown_since}


def new_since(db: Connection, since: str, limit: int, offset: int) -> tuple[str, dict[str, queries.Page]]:
    """``since`` as the store writes times, and what is new then or later: stored articles, rewritten or
    deleted pages, grown stories (each a page of ``limit`` from ``offset``); 400 when ``since`` is no time."""
    try:
        at = queries.iso_utc(since)
    except ValueError as error:
        raise HTTPException(400, str(error)) from None
    return at, {name: listed(db, at, limit, offset) for name, listed in NEW_LISTS.items()}


@router.get("/new", response_model=NewSince, responses=errors(400))
def list_new(request: Request, since: Since, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """What is new since a time, newest first: articles stored, pages the outlets rewrote or deleted, stories
    (storylines) that grew. ``limit`` and ``offset`` page each of the three lists."""
    at, found = new_since(config_of(request).store().db, since, limit, offset)
    return {"since": at, **{name: listing.to_dict() for name, listing in found.items()}}


@router.get("/search", response_model=HitPage, responses=errors())
def search(
    request: Request,
    filters: Filters,
    q: Annotated[str, Query(max_length=500, description="Words to find; empty: filters only.")] = "",
    limit: Limit = 20,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Full-text search (bm25, title weighted) with filters: outlet, language, date range, entity, technique.

    A query with no word in it (only punctuation) matches nothing."""
    try:
        config = config_of(request)
        return queries.search(config.store().db, q, filters, limit, offset, config.cache).to_dict()
    except ValueError:
        return queries.Page([], 0, limit, offset).to_dict()


def require_token(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> None:
    expected = config_of(request).token
    if expected is None:
        raise HTTPException(403, "uploads are disabled: the server was started without a token")
    if credentials is None or not hmac.compare_digest(credentials.credentials.encode(), expected.encode()):
        raise HTTPException(401, "missing or wrong token", headers={"WWW-Authenticate": "Bearer"})


async def read_limited(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it passes ``limit`` bytes (whatever Content-Length says)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"upload larger than {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, f"upload larger than {limit} bytes")
        chunks.append(chunk)
    if not size:
        raise HTTPException(400, "empty upload")
    return b"".join(chunks)


def ingest_bytes(config: ServeConfig, filename: str, data: bytes) -> dict[str, Any]:
    """Extract, annotate and store the uploaded file as `newsprism ingest` would."""
    found: list[str] = []

    def noting_ids(outcomes: Iterator[pipeline.Outcome]) -> Iterator[pipeline.Outcome]:
        for record, result in outcomes:
            if not isinstance(result, InputError):
                found.append(result.id)
            yield record, result

    with tempfile.TemporaryDirectory(prefix="newsprism-upload-") as folder:
        path = Path(folder) / filename
        path.write_bytes(data)
        outcomes = pipeline.extract_paths([path], annotate=config.annotate)
        report = pipeline.ingest(noting_ids(outcomes), config.store())
    errors_found = [f.reason for f in report.failures]
    return {**report.to_dict(), "articles": found, "errors": errors_found}


@router.post(
    "/ingest",
    response_model=IngestResult,
    responses=errors(400, 401, 403, 413),
    dependencies=[Depends(require_token)],
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "The raw file (HTML, page dump, WARC, feed, JSONL/CSV export), at most the upload limit.",
            "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
async def ingest_upload(
    request: Request,
    filename: Annotated[str, Query(pattern=SAFE_FILENAME, description="A name for the upload (kind: from content).")]
    = "upload",
) -> dict[str, Any]:
    """Add an uploaded file's articles to the store (needs the token as `Authorization: Bearer ...`)."""
    config = config_of(request)
    data = await read_limited(request, config.max_upload)
    return await run_in_threadpool(ingest_bytes, config, filename, data)


def spooled_file(write: Any, suffix: str) -> Path:
    """Write an export to a temporary file in this thread (the store's connection stays in its thread)."""
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", newline="", suffix=suffix, delete=False) as handle:
        write(handle)
    return Path(handle.name)


def file_download(path: Path, filename: str, media_type: str) -> FileResponse:
    return FileResponse(path, media_type=media_type, filename=filename, background=BackgroundTask(path.unlink))


@router.get(
    "/export/articles.jsonl",
    response_class=FileResponse,
    responses={200: {"content": {"application/x-ndjson": {}}, "description": "One article per line, all layers."}},
)
def export_jsonl(request: Request) -> FileResponse:
    """Every article with all its layers and offsets, one JSON object per line."""
    store = config_of(request).store()
    path = spooled_file(lambda handle: write_jsonl(store, handle), ".jsonl")
    return file_download(path, "articles.jsonl", "application/x-ndjson")


@router.get(
    "/export/{table}.csv",
    response_class=FileResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "The table with a header row."}, **errors()},
)
def export_csv(request: Request, table: Literal[tuple(CSV_TABLES)]) -> FileResponse:  # type: ignore[valid-type]
    """One flat table: articles, entities, quotes, techniques, timex or stories."""
    store = config_of(request).store()
    path = spooled_file(lambda handle: write_csv(store, table, handle), ".csv")
    return file_download(path, f"{table}.csv", "text/csv; charset=utf-8")
