"""The watcher's HTTP side: a good citizen on hostile sites.

One worker per host fetches that host's pages one after another, ``per_host_delay`` (or the site's
Crawl-delay, if longer) apart; ``max_concurrency`` caps the requests in flight over all hosts.
robots.txt is read first for every host. Only http(s), only public addresses unless the source is
marked local, redirects followed by hand so that each hop is checked again, bodies cut at a size
limit, no cookies kept, 429/5xx retried with backoff (Retry-After honoured). Every response, retries
and redirects included, comes back to the caller to be archived.
"""

from __future__ import annotations

import email.utils
import ipaddress
import queue
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpcore
import httpx

from newsprism.errors import first_line
from newsprism.store.base import store_time
from newsprism.watch.listings import normal_url
from newsprism.watch.sources import Source, WatchConfig, host_of

RETRY_STATUSES = {429, 500, 502, 503, 504}
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
MAX_RETRY_AFTER = 120.0  # seconds; a site that asks for longer is tried again next round
MAX_CRAWL_DELAY = 60.0
MAX_ROBOTS_BYTES = 500_000  # what Google reads of a robots.txt
ROBOTS_TTL = 3600.0  # seconds a host's robots.txt is trusted before it is read again
ROBOTS_TOKEN = "newsprism"
ROBOTS_REFUSAL = "robots.txt disallows it"


def utc_now() -> str:
    return store_time(datetime.now(UTC))


@dataclass
class Request:
    """A page to fetch: ``etag`` and ``last_modified`` make the request conditional."""

    url: str
    source: Source
    kind: str  # robots | home | feed | sitemap | article
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class Response:
    """One HTTP exchange (or the reason there was none): what the archive and the fetch log keep."""

    url: str
    status: int | None
    fetched_at: str
    seconds: float
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    http_version: str = "HTTP/1.1"
    error: str | None = None

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name), None)


@dataclass
class Fetch:
    """Everything one request led to: redirects and retries first, the outcome last."""

    request: Request
    responses: list[Response]
    refused: str | None = None  # why it was not fetched at all (robots.txt, address, scheme)
    for_now: bool = False  # refused only until the host's robots.txt can be read
    listed_elsewhere: str | None = None  # a redirect to a page the watcher fetches on its own: not followed

    @property
    def final(self) -> Response | None:
        return self.responses[-1] if self.responses else None

    @property
    def status(self) -> int | None:
        return self.final.status if self.final else None

    @property
    def by_robots(self) -> bool:
        """Not fetched because robots.txt forbids it (a politeness decision, not a failure)."""
        return (self.refused or "").endswith(ROBOTS_REFUSAL)

    @property
    def error(self) -> str | None:
        if self.refused:
            return self.refused
        final = self.final
        if final is None:
            return "not fetched"
        if self.listed_elsewhere:
            return None
        if final.error:
            return final.error
        return None if final.status in (200, 304) else f"HTTP {final.status}"


class Refused(Exception):
    """A URL the watcher will not ask for; the message says why, ``for_now`` whether that may change soon."""

    def __init__(self, why: str, for_now: bool = False) -> None:
        super().__init__(why)
        self.for_now = for_now


class _Host:
    """One host's robots.txt and when it may next be asked."""

    def __init__(self) -> None:
        self.robots: RobotFileParser | None = None
        self.robots_unread = False  # a 5xx or no answer: everything disallowed until it is read again
        self.robots_at = 0.0
        self.next_at = 0.0


class Fetcher:
    """Fetches politely; thread-safe. Waits end early once ``stopping`` is set."""

    def __init__(self, config: WatchConfig, clock: Callable[[], float] = time.monotonic,
                 stopping: threading.Event | None = None) -> None:
        self.config = config
        self.clock = clock
        self.slots = threading.BoundedSemaphore(config.max_concurrency)
        self.stopping = stopping or threading.Event()
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()
        self.network = PublicNetwork()
        transport = httpx.HTTPTransport(limits=httpx.Limits(max_connections=config.max_concurrency), trust_env=False)
        transport._pool._network_backend = self.network  # httpx takes no backend of its own; its pool does
        self.client = httpx.Client(
            transport=transport,
            follow_redirects=False,
            timeout=httpx.Timeout(config.timeout),
            headers={"User-Agent": config.agent(), "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,"
                     "application/rss+xml,application/atom+xml,*/*;q=0.5"},
            cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),  # never keep one
            trust_env=False,
        )

    def close(self) -> None:
        self.client.close()

    def fetch_all(self, requests: Iterable[Request], listed: frozenset[str] = frozenset()) -> Iterator[Fetch]:
        """Every request's Fetch, as they finish; robots.txt fetches of new hosts come too. A redirect to
        one of the ``listed`` URLs is not followed: that page is fetched (or was) as itself."""
        by_host: dict[str, list[Request]] = {}
        for request in requests:
            by_host.setdefault(host_of(request.url), []).append(request)
        if not by_host:
            return
        done: queue.Queue[Fetch | None] = queue.Queue()

        def work(host_requests: list[Request]) -> None:
            try:
                for request in host_requests:
                    if self.stopping.is_set():
                        break
                    for fetched in self.fetch(request, listed):
                        done.put(fetched)
            finally:
                done.put(None)

        pool = ThreadPoolExecutor(max_workers=min(len(by_host), 64), thread_name_prefix="newsprism-watch")
        finished = 0
        try:
            for host_requests in by_host.values():
                pool.submit(work, host_requests)
            while finished < len(by_host):
                item = done.get()
                if item is None:
                    finished += 1
                else:
                    yield item
        finally:
            if finished < len(by_host):  # the caller stopped early: the hosts' workers stop after their request
                self.stopping.set()
            pool.shutdown(wait=True, cancel_futures=True)

    def fetch(self, request: Request, listed: frozenset[str] = frozenset()) -> list[Fetch]:
        """One request (after its host's robots.txt when that is not known yet), redirects followed."""
        fetched: list[Fetch] = []
        responses: list[Response] = []
        url = request.url
        for _ in range(self.config.max_redirects + 1):
            try:
                _check_scheme(url)
                fetched += self._robots_for(url, request.source)
                if not self._allowed(url):
                    raise Refused(ROBOTS_REFUSAL, for_now=self._host(url).robots_unread)
                conditional = request if url == request.url else None
                responses += self._with_retries(url, request.source, conditional)
            except Refused as why:
                refusal = f"redirected to {url[:200]}: {why}" if responses else str(why)
                return [*fetched, Fetch(request, responses, refused=refusal, for_now=why.for_now)]
            target = _redirect(url, responses[-1])
            if target is None:
                return [*fetched, Fetch(request, responses)]
            url, normal = target, normal_url(target)
            if normal in listed and normal != request.url:
                return [*fetched, Fetch(request, responses, listed_elsewhere=normal)]
        return [*fetched, Fetch(request, responses, refused=f"more than {self.config.max_redirects} redirects")]

    # --- politeness -------------------------------------------------------------------------

    def _host(self, url: str) -> _Host:
        with self._hosts_lock:
            return self._hosts.setdefault(host_of(url), _Host())

    def _robots_for(self, url: str, source: Source) -> list[Fetch]:
        """Read the host's robots.txt when it is not known or has grown old (RFC 9309: a 4xx allows
        everything, a 5xx or no answer disallows everything until it is read again)."""
        host = self._host(url)
        if host.robots is not None and self.clock() - host.robots_at < ROBOTS_TTL:
            return []
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        request = Request(robots_url, source, "robots")
        responses = self._with_retries(robots_url, source, None, retries=1)
        for _ in range(self.config.max_redirects):  # RFC 9309: follow redirects, at least five
            target = _redirect(robots_url, responses[-1])
            if target is None:
                break
            robots_url = target
            try:
                _check_scheme(robots_url)
                responses += self._with_retries(robots_url, source, None, retries=1)
            except Refused:
                break
        status = responses[-1].status or 0
        parser = RobotFileParser(robots_url)
        host.robots_unread = False
        if 200 <= status < 300:
            parser.parse(responses[-1].body[:MAX_ROBOTS_BYTES].decode("utf-8", "replace").splitlines())
        elif 400 <= status < 500:
            parser.allow_all = True
        else:
            parser.disallow_all = host.robots_unread = True
        host.robots, host.robots_at = parser, self.clock()
        host.next_at = max(host.next_at, host.robots_at + self._delay(url))  # its Crawl-delay counts from now
        return [Fetch(request, responses)]

    def _allowed(self, url: str) -> bool:
        robots = self._host(url).robots
        return robots is None or robots.can_fetch(ROBOTS_TOKEN, url)

    def robots_sitemaps(self, url: str) -> list[str]:
        """The Sitemap: lines of the host's robots.txt, once it has been read."""
        robots = self._host(url).robots
        return list(robots.site_maps() or []) if robots else []

    def _delay(self, url: str) -> float:
        robots = self._host(url).robots
        crawl_delay = robots.crawl_delay(ROBOTS_TOKEN) if robots else None
        return max(self.config.per_host_delay, min(float(crawl_delay or 0), MAX_CRAWL_DELAY))

    def _with_retries(self, url: str, source: Source, conditional: Request | None,
                      retries: int | None = None) -> list[Response]:
        """Ask until an answer that is not 429/5xx, at most ``retries`` times, waiting as told."""
        responses = []
        attempts = retries or self.config.retries
        for attempt in range(attempts):
            response = self._polite_get(url, source, conditional)
            responses.append(response)
            transient = response.status in RETRY_STATUSES or (response.status is None and "connect" in
                                                               (response.error or "").lower())
            if not transient or attempt + 1 == attempts:
                break
            wait = retry_after(response.header("retry-after"), self.config.backoff * 2**attempt)
            if wait > MAX_RETRY_AFTER or self.stopping.wait(wait):
                break
        return responses

    def _polite_get(self, url: str, source: Source, conditional: Request | None) -> Response:
        host = self._host(url)
        wait = host.next_at - self.clock()
        if wait > 0:
            self.stopping.wait(wait)
        with self.slots:
            response = self._get(url, source, conditional)
        host.next_at = self.clock() + self._delay(url)
        return response

    # --- one exchange ---------------------------------------------------------------------------

    def _get(self, url: str, source: Source, conditional: Request | None) -> Response:
        self.network.allow_private(source.local)
        headers = {}
        if conditional and conditional.etag:
            headers["If-None-Match"] = conditional.etag
        if conditional and conditional.last_modified:
            headers["If-Modified-Since"] = conditional.last_modified
        started, fetched_at = self.clock(), utc_now()
        try:
            with self.client.stream("GET", url, headers=headers) as answer:
                body = self._read_limited(answer)
                return Response(url, answer.status_code, fetched_at, self.clock() - started,
                                list(answer.headers.multi_items()), body, list(answer.request.headers.multi_items()),
                                answer.http_version)
        except _TooLarge:
            return Response(url, None, fetched_at, self.clock() - started,
                            error=f"larger than {self.config.max_page_bytes} bytes")
        except httpx.TimeoutException:
            return Response(url, None, fetched_at, self.clock() - started,
                            error=f"timed out after {self.config.timeout:g} s")
        except (httpx.HTTPError, httpx.InvalidURL, OSError, ValueError) as error:
            kind = "could not connect" if isinstance(error, httpx.ConnectError) else type(error).__name__
            return Response(url, None, fetched_at, self.clock() - started, error=f"{kind}: {first_line(error)}")

    def _read_limited(self, answer: httpx.Response) -> bytes:
        """The decoded body, refused past the size limit (counted after decompression: no gzip bombs)."""
        declared = answer.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.config.max_page_bytes:
            raise _TooLarge
        chunks, size = [], 0
        for chunk in answer.iter_bytes():
            size += len(chunk)
            if size > self.config.max_page_bytes:
                raise _TooLarge
            chunks.append(chunk)
        return b"".join(chunks)


class _TooLarge(Exception):
    pass


def _redirect(url: str, response: Response) -> str | None:
    """Where a redirect response sends ``url``; None for any other response."""
    location = response.header("location")
    if response.status not in REDIRECT_STATUSES or not location:
        return None
    return urljoin(url, location.strip())


def _check_scheme(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused("not an http(s) URL")


class PublicNetwork(httpcore.SyncBackend):
    """Resolves a host itself and connects to the very address it checked, so a name that resolves to a
    public address for a check and to a private one for the connection (DNS rebinding) gets nowhere.
    Private, loopback, link-local and reserved addresses are refused unless this thread's request is for
    a source marked local."""

    def __init__(self) -> None:
        self._local = threading.local()

    def allow_private(self, allowed: bool) -> None:
        self._local.allowed = allowed

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        address = public_address(host, port, getattr(self._local, "allowed", False))
        return super().connect_tcp(address, port, timeout, local_address, socket_options)


def public_address(host: str, port: int, allow_private: bool = False) -> str:
    """The address to connect to for ``host``: its first, when every address it resolves to is public."""
    try:
        addresses = [info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]
    except (OSError, UnicodeError) as error:
        raise httpcore.ConnectError(f"cannot resolve {host}: {first_line(error)}") from None
    if not allow_private:
        for address in addresses:
            if not ipaddress.ip_address(address.split("%")[0]).is_global:
                raise Refused(f"{host} is a private or loopback address ({address})")
    return addresses[0]


def retry_after(value: str | None, default: float) -> float:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), else ``default``."""
    if not value:
        return default
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    if when.tzinfo is None:
        return default
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
