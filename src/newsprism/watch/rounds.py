"""One round of watching: read the sources' listings, fetch the pages that are new or listed as changed,
archive every response, and ingest the articles into the store, linked like any other ingest.

All state lives in the store (pages known, due, their validators, versions) and is committed page by
page, so a round that is stopped is taken up by the next one: nothing is lost and nothing fetched twice.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsprism.errors import InputError
from newsprism.ingest.detect import detect_kind
from newsprism.model import Article, RawRecord
from newsprism.pipeline import WORKER_DIED, failure_errors, in_workers, linked, safe_extract
from newsprism.store import Store
from newsprism.store.base import store_time
from newsprism.watch.archive import WarcArchive
from newsprism.watch.fetch import Fetch, Fetcher, Request, utc_now
from newsprism.watch.listings import read_listing
from newsprism.watch.sources import Source, WatchConfig, article_host

LISTING_KINDS = ("feed", "sitemap", "home")
MAX_LISTING_WAVES = 3  # home page -> feed, sitemap index -> sitemap -> ...: no deeper
GIVE_UP_AFTER = 5  # failed rounds in a row before a page is left alone
GONE = (404, 410)


@dataclass
class RoundReport:
    requests: int = 0  # HTTP exchanges, retries and redirects included
    bytes: int = 0
    listed: int = 0  # article URLs first seen in a listing this round
    fetched: int = 0  # article pages fetched (200)
    new: int = 0  # articles new to the store
    changed: int = 0  # pages that read differently than when last fetched
    gone: int = 0  # pages the outlet deleted
    not_modified: int = 0  # 304s
    refused: int = 0  # not asked for: robots.txt, a private address, a scheme
    seconds: float = 0.0
    errors: list[InputError] = field(default_factory=list)
    stories: int = 0

    def to_dict(self) -> dict[str, object]:
        counts = {k: v for k, v in self.__dict__.items() if k != "errors"}
        return {**counts, "failed": len(self.errors), "seconds": round(self.seconds, 2)}


class Round:
    """The work of one round over one store; the store is used from this thread only."""

    def __init__(self, config: WatchConfig, store: Store, archive: WarcArchive, fetcher: Fetcher,
                 annotate: bool = True, on_page: Callable[[], object] | None = None, jobs: int = 1,
                 dask: str | None = None) -> None:
        self.config, self.store, self.archive, self.fetcher = config, store, archive, fetcher
        self.annotate, self.on_page = annotate, on_page
        self.jobs, self.dask = jobs, dask  # where pages are extracted and annotated, as for `ingest`
        self.report = RoundReport()

    def run(self) -> RoundReport:
        started = time.monotonic()
        self._read_listings()
        self._fetch_articles()
        self.store.refresh_names()
        self.store.commit()
        self.report.errors += linked(self.store)
        self.report.stories = self.store.counts()["stories"]
        self.report.seconds = time.monotonic() - started
        return self.report

    # --- listings ------------------------------------------------------------------------------

    def _read_listings(self) -> None:
        wave = [self._request(url, source, kind) for source in self.config.sources
                for kind, url in _listings_of(source)]
        for _ in range(MAX_LISTING_WAVES):
            found: list[Request] = []
            for fetch in self.fetcher.fetch_all(wave):
                fetch_id = self._keep(fetch)
                if fetch.request.kind in LISTING_KINDS:
                    found += self._listed(fetch, fetch_id)
            self.store.commit()
            asked = {r.url for r in wave}
            wave = [r for r in dict((r.url, r) for r in found).values() if r.url not in asked]
            if not wave:
                break

    def _listed(self, fetch: Fetch, fetch_id: int) -> list[Request]:
        """Note a listing's article links; returns the listings it leads to (child sitemaps, feeds)."""
        request, final = fetch.request, fetch.final
        source = request.source
        if final is None or final.status != 200:
            return []
        self.store.page_fetched(request.url, final.fetched_at, final.header("etag"), final.header("last-modified"))
        listing = read_listing(request.kind, final.body, final.url)
        if listing.problem:
            self._error(request.url, listing.problem)
        linked_to = article_host([e.url for e in listing.entries]) if request.kind == "feed" else None
        entries = [(e.url, e.listed) for e in listing.entries if source.keeps(e.url, linked_to)]
        self.report.listed += self.store.list_pages(source.name, "article", entries, final.fetched_at)
        more = [self._request(url, source, "sitemap") for url in listing.sitemaps]
        more += [self._request(url, source, "feed") for url in listing.feeds]
        if request.kind == "home" and not listing.feeds:
            more += [self._request(url, source, "sitemap") for url in self.fetcher.robots_sitemaps(request.url)]
        return more

    def _request(self, url: str, source: Source, kind: str) -> Request:
        """A request made conditional by what the last answer for this URL said (ETag, Last-Modified)."""
        known = self.store.watch_page(url)
        if known is None and kind in LISTING_KINDS:
            self.store.list_pages(source.name, kind, [(url, None)], utc_now())
        etag = known["etag"] if known else None
        last_modified = known["last_modified"] if known else None
        return Request(url, source, kind, etag, last_modified)

    # --- article pages -------------------------------------------------------------------------

    def _fetch_articles(self) -> None:
        sources = {s.name: s for s in self.config.sources}
        due = [Request(row["url"], sources[row["source"]], "article", row["etag"], row["last_modified"])
               for row in self.store.due_pages(revisit=_revisit(self.config),
                                               per_source=self.config.max_pages_per_round)
               if row["source"] in sources]
        pages = self._fetched_pages(due)
        for page, result in in_workers(extract_page, pages, Page, self.jobs, _page_crashed, self.dask):
            self._store_page(page, result)
            self.store.commit()
            if self.on_page:
                self.on_page()

    def _fetched_pages(self, due: list[Request]) -> Iterator[Page]:
        """The fetched pages that hold an article to read, each response kept first; the other outcomes
        (failures, 304s, deletions) are settled here."""
        # a page redirecting to another page of this round is not fetched twice
        for fetch in self.fetcher.fetch_all(due, frozenset(r.url for r in due)):
            fetch_id = self._keep(fetch)
            if fetch.request.kind != "article":
                self.store.commit()
                continue
            page = self._settled(fetch, fetch_id)
            if page is not None:
                yield page
                continue
            self.store.commit()
            if self.on_page:
                self.on_page()

    def _settled(self, fetch: Fetch, fetch_id: int) -> Page | None:
        """Record a fetch that gives no article to read; the Page to extract when it does."""
        url, final = fetch.request.url, fetch.final
        if fetch.error is not None and not (final and final.status in GONE and self.store.has_versions(url)):
            # a page robots.txt forbids is left alone (asked again when its listing changes), not retried
            give_up_after = 1 if fetch.by_robots and not fetch.for_now else GIVE_UP_AFTER
            self.store.page_failed(url, final.fetched_at if final else utc_now(), fetch.error, give_up_after)
            if not fetch.by_robots:
                self._error(url, fetch.error)
            return None
        assert final is not None
        if final.status == 200 and not fetch.listed_elsewhere:  # else: fetched as itself
            record = RawRecord(source=final.url, kind=detect_kind(final.body[:4096]), data=final.body, url=final.url,
                               fetched=final.fetched_at, meta={"watch_source": fetch.request.source.name})
            return Page(url, fetch.request.source, record, fetch_id, self.annotate, final.header("etag"),
                        final.header("last-modified"))
        if final.status == 304:
            self.report.not_modified += 1
        elif final.status in GONE:
            self.report.gone += self.store.add_version(url, final.fetched_at, final.status, None, fetch_id) is not None
        self.store.page_fetched(url, final.fetched_at, final.header("etag"), final.header("last-modified"))
        return None

    def _store_page(self, page: Page, result: Article | InputError) -> None:
        self.report.fetched += 1
        fetched_at = page.record.fetched or utc_now()
        raw_id = self.store.add_raw(page.record)
        if isinstance(result, InputError):
            self._error(page.url, result.reason)
            self.store.add_failure(result.source, result.reason)
        else:
            article = _as_published_by(result, page.source)
            self.report.errors += failure_errors(article.source, article.failures)
            self.report.new += self.store.add_article(article, raw_id)
            version = self.store.add_version(page.url, fetched_at, 200, article.id, page.fetch_id)
            self.report.changed += bool(version and version > 1)
        self.store.page_fetched(page.url, fetched_at, page.etag, page.last_modified)

    # --- the evidence ----------------------------------------------------------------------------

    def _keep(self, fetch: Fetch) -> int:
        """Archive every response of a fetch and log it; returns the id of the last one's log row."""
        request = fetch.request
        fetch_id = 0
        for n, response in enumerate(fetch.responses):
            archived = self.archive.add(response)
            last = n == len(fetch.responses) - 1
            self.report.requests += 1
            self.report.bytes += len(response.body)
            fetch_id = self.store.log_fetch({
                "source": request.source.name, "url": response.url if n else request.url, "final_url": response.url,
                "kind": request.kind, "status": response.status,
                "error": (fetch.error if last else response.error), "fetched_at": response.fetched_at,
                "seconds": round(response.seconds, 4), "size": len(response.body),
                "warc_file": archived.file if archived else None, "warc_offset": archived.offset if archived else None,
                "warc_record": archived.record_id if archived else None,
            })
        if fetch.refused:
            self.report.refused += 1
            fetch_id = self.store.log_fetch({"source": request.source.name, "url": request.url,
                                             "kind": request.kind, "error": fetch.refused,
                                             "fetched_at": utc_now(), "seconds": 0.0})
        if request.kind == "robots":
            if fetch.status is None or fetch.status >= 500:  # RFC 9309: the whole host is off limits for now
                self._error(request.url, f"unavailable ({fetch.error}): nothing is fetched from this host")
        elif fetch.error and request.kind != "article" and not fetch.by_robots:
            self._error(request.url, fetch.error)
        return fetch_id

    def _error(self, url: str, reason: str) -> None:
        self.report.errors.append(InputError(url, reason))


@dataclass
class Page:
    """A fetched article page on its way to extraction: in this process, in worker processes or on a
    cluster, so it holds only what that needs and what storing it afterwards needs."""

    url: str  # as listed
    source: Source
    record: RawRecord
    fetch_id: int
    annotate: bool
    etag: str | None
    last_modified: str | None


def extract_page(page: Page) -> Article | InputError:
    """The article of a fetched page (a pure function of the page, so it runs anywhere)."""
    if page.record.kind not in ("html", "dump"):
        return InputError(page.record.source, f"not an article page (a {page.record.kind} file)")
    return safe_extract(page.record, page.annotate)


def _page_crashed(page: Page) -> InputError:
    return InputError(page.record.source, WORKER_DIED)


def _revisit(config: WatchConfig) -> tuple[str, str] | None:
    """(first seen since, last fetched before) of the pages to ask for again unlisted, if any."""
    if config.revisit_hours <= 0:
        return None
    now = datetime.now(UTC)
    return (store_time(now - timedelta(hours=config.revisit_hours)),
            store_time(now - timedelta(hours=config.revisit_every_hours)))


def _listings_of(source: Source) -> list[tuple[str, str]]:
    listed = [("feed", url) for url in source.feeds] + [("sitemap", url) for url in source.sitemaps]
    if not listed and source.home:
        return [("home", source.home)]
    return listed


def _as_published_by(article: Article, source: Source) -> Article:
    """The source's name is the outlet; its language is the hint when the text gave none."""
    article.outlet = source.name
    article.language = article.language or source.language
    return article


def watch_sources(config: WatchConfig, store: Store, warc_dir: Path, once: bool = False, interval: float = 600.0,
                  stop: threading.Event | None = None, on_round: Callable[[RoundReport], object] | None = None,
                  annotate: bool = True, jobs: int = 1, dask: str | None = None,
                  on_page: Callable[[], object] | None = None) -> list[RoundReport]:
    """Rounds every ``interval`` seconds until ``stop`` is set (or one round with ``once``)."""
    stop = stop or threading.Event()
    archive, fetcher = WarcArchive(warc_dir), Fetcher(config, stopping=stop)
    reports = []
    try:
        while True:
            report = Round(config, store, archive, fetcher, annotate, on_page, jobs=jobs, dask=dask).run()
            reports.append(report)
            if on_round:
                on_round(report)
            if once or stop.wait(interval):
                return reports
    finally:
        fetcher.close()
        archive.close()
