"""Loopback HTTP servers that play news outlets, for the watcher's tests and benchmark.

Each outlet serves article pages from the sample corpus (``corpus/html/<outlet>-<date>-<slug>.html``) under
``/news/<date>-<slug>.html``, plus its feeds, sitemaps and robots.txt, and records every request it receives:

* ``herald``: RSS at /rss.xml with a tracking-parameter duplicate, a robots-forbidden /private/ page, a 301 from
  /news/moved.html and a link off the host;
* ``ledger``: no feed; robots.txt with Crawl-delay and Sitemap, a sitemap index and a Google News sitemap;
* ``courier``: no robots.txt; a home page advertising an Atom feed at /feed/;
* ``meridian``: RSS listing pages that answer 429 then 200, 503 then 200, always 500, slowly, endlessly, in a
  redirect loop, or by redirecting to file://; plus a malformed feed at /broken.xml;
* ``closed``: robots.txt answers 503 (a complete disallow under RFC 9309), RSS lists one article.

Article responses carry a strong ETag and Last-Modified and answer 304 to matching conditional requests.
"""

from __future__ import annotations

import hashlib
import html
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HTML = "text/html; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"
XML = "application/xml; charset=utf-8"
TEXT = "text/plain; charset=utf-8"

SLOW_SECONDS = 3.0  # how long /news/slow.html waits before answering
HUGE_BYTES = 50 * 1024 * 1024  # how much /news/huge.html writes unless the client goes away first
TRACKING_QUERY = "?utm_source=rss&utm_medium=feed"
OFF_HOST_URL = "https://elsewhere.example/news/x.html"
FILE_URL = "file:///etc/passwd"

PUBLICATIONS = {
    "herald": "The Varno Herald",
    "ledger": "The Northern Ledger",
    "courier": "Kharniv Courier",
    "meridian": "Meridian Today",
    "closed": "The Closed Gazette",
}

# Opening tags of the article-body containers of the corpus's four page templates.
_BODY_MARKERS = ('class="entry-content"', 'itemprop="articleBody"', 'class="news-text"', 'class="article__body')
_FILE_NAME = re.compile(r"^(?P<outlet>[a-z]+)-(?P<slug>(?P<date>\d{4}-\d{2}-\d{2})-.+)\.html$")


@dataclass
class Hit:
    """One request an outlet received."""

    at: float  # time.monotonic() when it arrived
    method: str
    path: str  # path with query string
    headers: dict[str, str]  # lower-case names
    status: int  # what was answered; 0 while unanswered (or if the server stopped first)


@dataclass
class _Doc:
    """An HTML page with validators; the unit edit() and delete() act on."""

    path: str
    body: bytes
    title: str
    published: datetime
    modified: datetime
    etag: str = ""
    deleted: bool = False
    edits: int = 0
    listed: datetime | None = None  # the date its feed and sitemap entries give: modified, unless edited silently

    def __post_init__(self) -> None:
        self.etag = _etag(self.body)
        self.listed = self.listed or self.modified


@dataclass
class _Entry:
    """One feed or sitemap entry: a page of the outlet (by doc or path) or an absolute URL elsewhere."""

    link: str  # a path on this outlet, with any query string, or an absolute URL
    title: str
    doc: _Doc | None = None
    date: datetime | None = None  # for entries without a doc

    @property
    def updated(self) -> datetime:
        if self.doc is not None:
            return self.doc.listed or self.doc.modified
        assert self.date is not None
        return self.date


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _http_date(when: datetime) -> str:
    return format_datetime(when.astimezone(UTC), usegmt=True)


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _title_of(body: bytes) -> str:
    """The page's headline: its first <h1>, else its <title>."""
    text = body.decode("utf-8", "replace")
    match = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S) or re.search(r"<title[^>]*>(.*?)</title>", text, re.S)
    if match is None:
        return ""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).split())


def _insert_in_body(body: bytes, fragment: str) -> bytes:
    """Insert fragment at the end of the article body, else before </article>, else before </body>."""
    text = body.decode("utf-8")
    for marker in _BODY_MARKERS:
        at = text.find(marker)
        if at < 0:
            continue
        start = text.rfind("<", 0, at)
        tag = re.match(r"<([a-zA-Z0-9]+)", text[start:])
        if tag is None:
            continue
        name = tag.group(1).lower()
        depth = 1
        pos = text.index(">", at) + 1
        for match in re.finditer(rf"<(/?){name}\b[^>]*>", text[pos:], re.I):
            depth += -1 if match.group(1) else 1
            if depth == 0:
                end = pos + match.start()
                return (text[:end] + fragment + "\n" + text[end:]).encode("utf-8")
    for closing in ("</article>", "</body>"):
        end = text.rfind(closing)
        if end >= 0:
            return (text[:end] + fragment + "\n" + text[end:]).encode("utf-8")
    return (text + fragment + "\n").encode("utf-8")


def _replace_title_word(body: bytes, title: str) -> tuple[bytes, str]:
    """Replace one word of the headline wherever the headline appears in the page."""
    words = [m for m in re.finditer(r"\b[A-Za-z]{5,}\b", title) if m.group(0).islower()]
    words = words or list(re.finditer(r"\b[A-Za-z]{3,}\b", title))
    if not words:
        return body, title
    word = words[-1]
    new_title = title[: word.start()] + "revised" + title[word.end() :]
    text = body.decode("utf-8")
    variants = {title: new_title, _esc(title): _esc(new_title), html.escape(title, quote=False): new_title}
    for old, new in variants.items():
        text = text.replace(old, new)
    return text.encode("utf-8"), new_title


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "newsprism-outlet/1"
    sys_version = ""
    timeout = 10  # idle keep-alive connections give up after this long
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms delayed-ACK stall
    server: _Server
    _hit: Hit | None = None

    def setup(self) -> None:
        super().setup()
        self.server.outlet._opened(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.outlet._closed(self.connection)

    def parse_request(self) -> bool:
        arrived = time.monotonic()
        self._hit = None
        if not super().parse_request():
            return False
        headers = {name.lower(): value for name, value in self.headers.items()}
        self._hit = Hit(at=arrived, method=self.command, path=self.path, headers=headers, status=0)
        self.server.outlet._record(self._hit)
        return True

    def send_response(self, code: int, message: str | None = None) -> None:
        if self._hit is not None:
            self._hit.status = code
        super().send_response(code, message)

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.server.outlet._dispatch(self)

    def do_HEAD(self) -> None:
        self.server.outlet._dispatch(self)

    def reply(self, status: int, body: bytes = b"", ctype: str = HTML, headers: dict[str, str] | None = None) -> None:
        """Answer with a complete response; HEAD gets the headers only."""
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and status != 304:
            self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, outlet: Outlet) -> None:
        self.outlet = outlet
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hanging up mid-answer are expected here; say nothing on stderr


class Outlet:
    """One news outlet on its own loopback port."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.publication = PUBLICATIONS.get(name, name.title())
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._conns: set[socket.socket] = set()
        self._docs: dict[str, _Doc] = {}
        self._articles: list[str] = []  # paths article_paths() reports while not deleted
        self._entries: list[_Entry] = []
        self._routes: dict[str, Callable[[_Handler], None]] = {}
        self._counts: dict[str, int] = {}
        self._server = _Server(self)
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"outlet-{name}", daemon=True
        )

    # -- public API --------------------------------------------------------------------------------------

    def url(self, path: str) -> str:
        """The absolute URL of a path on this outlet."""
        return self.base + path

    def article_paths(self) -> list[str]:
        """The article pages it publishes now: /news/ pages that answer 200 (after at most one retry)."""
        with self._lock:
            return [path for path in self._articles if not self._docs[path].deleted]

    def edit(self, path: str, silently: bool = False) -> None:
        """Rewrite one article: a new paragraph, one headline word changed, new ETag, later dates (``silently``:
        its feed and sitemap entries keep their date, as outlets that rewrite quietly do)."""
        with self._lock:
            doc = self._docs[path]
            doc.edits += 1
            body = doc.body
            if doc.edits == 1:
                body, doc.title = _replace_title_word(body, doc.title)
            note = f"<p>Updated: this report was revised after publication (revision {doc.edits}).</p>"
            doc.body = _insert_in_body(body, note)
            doc.etag = _etag(doc.body)
            doc.modified = max(_now(), doc.modified + timedelta(seconds=1))
            if not silently:
                doc.listed = doc.modified

    def delete(self, path: str) -> None:
        """From now on the page answers 410 Gone; its feed or sitemap entry stays, with a later date."""
        with self._lock:
            doc = self._docs[path]
            doc.deleted = True
            doc.modified = doc.listed = max(_now(), doc.modified + timedelta(seconds=1))

    def hits_to(self, prefix: str) -> list[Hit]:
        """The requests whose path (with query) starts with prefix, in arrival order."""
        with self._lock:
            return [hit for hit in self.hits if hit.path.startswith(prefix)]

    # -- serving -----------------------------------------------------------------------------------------

    def _start(self) -> None:
        self._thread.start()

    def _stop_serving(self) -> None:
        self._stop.set()  # wakes /slow and stops /huge
        self._server.shutdown()
        self._server.server_close()
        with self._lock:
            conns = list(self._conns)
        for conn in conns:  # idle keep-alive handlers are blocked reading; unblock them
            with suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        self._thread.join(timeout=1)

    def _record(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)

    def _opened(self, conn: socket.socket) -> None:
        with self._lock:
            self._conns.add(conn)

    def _closed(self, conn: socket.socket) -> None:
        with self._lock:
            self._conns.discard(conn)

    def _count(self, path: str) -> int:
        with self._lock:
            self._counts[path] = self._counts.get(path, 0) + 1
            return self._counts[path]

    def _dispatch(self, h: _Handler) -> None:
        route = self._routes.get(h.path.split("?", 1)[0].split("#", 1)[0])
        if route is None:
            h.reply(404, b"<!DOCTYPE html><title>Not found</title><h1>Not found</h1>\n")
        else:
            route(h)

    def _serve_validated(self, h: _Handler, body: bytes, ctype: str, etag: str, modified: datetime) -> None:
        """200 with ETag and Last-Modified, or 304 to a matching If-None-Match / If-Modified-Since."""
        validators = {"ETag": etag, "Last-Modified": _http_date(modified)}
        if _not_modified(h, etag, modified):
            h.reply(304, headers=validators)
        else:
            h.reply(200, body, ctype, validators)

    def _serve_doc(self, h: _Handler, doc: _Doc) -> None:
        with self._lock:
            deleted, body, etag, modified = doc.deleted, doc.body, doc.etag, doc.modified
        if deleted:
            h.reply(410, b"<!DOCTYPE html><title>Gone</title><h1>This page has been removed.</h1>\n")
        else:
            self._serve_validated(h, body, HTML, etag, modified)

    def _serve_generated(self, h: _Handler, make: Callable[[], bytes], ctype: str) -> None:
        with self._lock:
            body = make()
            modified = max((entry.updated for entry in self._entries), default=datetime(2026, 1, 1, tzinfo=UTC))
        self._serve_validated(h, body, ctype, _etag(body), modified)

    def _add_doc(self, doc: _Doc, *, article: bool = True, listed: bool = True) -> _Doc:
        self._docs[doc.path] = doc
        if article:
            self._articles.append(doc.path)
        if listed:
            self._entries.append(_Entry(doc.path, doc.title, doc=doc))
        self._routes[doc.path] = lambda h: self._serve_doc(h, doc)
        return doc

    def _static(self, path: str, body: bytes, ctype: str, status: int = 200) -> None:
        etag = _etag(body)
        modified = datetime(2026, 1, 1, tzinfo=UTC)
        if status == 200:
            self._routes[path] = lambda h: self._serve_validated(h, body, ctype, etag, modified)
        else:
            self._routes[path] = lambda h: h.reply(status, body, ctype)

    def _redirect(self, path: str, status: int, location: str) -> None:
        body = f'<!DOCTYPE html><title>Moved</title><a href="{_esc(location)}">Moved here</a>\n'.encode()
        self._routes[path] = lambda h: h.reply(status, body, HTML, {"Location": location})

    def _link(self, entry: _Entry) -> str:
        return entry.link if "://" in entry.link else self.url(entry.link)

    def _sorted_entries(self) -> list[_Entry]:
        return sorted(self._entries, key=lambda entry: entry.updated, reverse=True)

    # -- documents ---------------------------------------------------------------------------------------

    def _rss(self) -> bytes:
        items = []
        for entry in self._sorted_entries():
            link = _esc(self._link(entry))
            items.append(
                f"<item><title>{_esc(entry.title)}</title><link>{link}</link>"
                f'<guid isPermaLink="true">{link}</guid><pubDate>{_http_date(entry.updated)}</pubDate></item>'
            )
        built = max((entry.updated for entry in self._entries), default=_now())
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>\n'
            f"<title>{_esc(self.publication)}</title><link>{self.url('/')}</link>"
            f"<description>Latest from {_esc(self.publication)}</description><language>en</language>"
            f"<lastBuildDate>{_http_date(built)}</lastBuildDate>\n" + "\n".join(items) + "\n</channel></rss>\n"
        ).encode()

    def _atom(self) -> bytes:
        entries = []
        for entry in self._sorted_entries():
            link = _esc(self._link(entry))
            published = entry.doc.published if entry.doc is not None else entry.updated
            entries.append(
                f'<entry><title>{_esc(entry.title)}</title><link rel="alternate" href="{link}"/><id>{link}</id>'
                f"<published>{_iso(published)}</published><updated>{_iso(entry.updated)}</updated></entry>"
            )
        updated = max((entry.updated for entry in self._entries), default=_now())
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
            f"<title>{_esc(self.publication)}</title><id>{self.url('/')}</id><updated>{_iso(updated)}</updated>"
            f'<link rel="self" href="{self.url("/feed/")}"/><link rel="alternate" href="{self.url("/")}"/>'
            f"<author><name>{_esc(self.publication)}</name></author>\n" + "\n".join(entries) + "\n</feed>\n"
        ).encode()

    def _sitemap_index(self) -> bytes:
        updated = max((entry.updated for entry in self._entries), default=_now())
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"<sitemap><loc>{self.url('/news-sitemap.xml')}</loc><lastmod>{_iso(updated)}</lastmod></sitemap>\n"
            "</sitemapindex>\n"
        ).encode()

    def _news_sitemap(self) -> bytes:
        urls = []
        for entry in self._sorted_entries():
            published = entry.doc.published if entry.doc is not None else entry.updated
            urls.append(
                f"<url><loc>{_esc(self._link(entry))}</loc><lastmod>{_iso(entry.updated)}</lastmod>"
                f"<news:news><news:publication><news:name>{_esc(self.publication)}</news:name>"
                "<news:language>en</news:language></news:publication>"
                f"<news:publication_date>{_iso(published)}</news:publication_date>"
                f"<news:title>{_esc(entry.title)}</news:title></news:news></url>"
            )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n' + "\n".join(urls) + "\n</urlset>\n"
        ).encode()

    def _home(self) -> bytes:
        links = "\n".join(
            f'<li><a href="{_esc(entry.link)}">{_esc(entry.title)}</a></li>' for entry in self._sorted_entries()
        )
        return (
            f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{_esc(self.publication)}</title>\n'
            '<link rel="alternate" type="application/rss+xml" href="/feed/"></head>\n'
            f"<body><h1>{_esc(self.publication)}</h1><ul>\n{links}\n</ul></body></html>\n"
        ).encode()


def _not_modified(h: _Handler, etag: str, modified: datetime) -> bool:
    if h.command not in ("GET", "HEAD"):
        return False
    if_none_match = h.headers.get("If-None-Match")
    if if_none_match is not None:  # takes precedence over If-Modified-Since (RFC 9110 13.2.2)
        tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
        return "*" in tags or etag in tags
    if_modified_since = h.headers.get("If-Modified-Since")
    if if_modified_since is None:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError, IndexError):
        return False
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return since >= modified


@dataclass
class _Page:
    """A corpus file: its outlet, slug (date and words) and bytes."""

    outlet: str
    slug: str
    published: datetime
    body: bytes = field(repr=False)


def _load(corpus: Path) -> list[_Page]:
    pages = []
    for path in sorted((corpus / "html").glob("*.html")):
        match = _FILE_NAME.match(path.name)
        if match is None:
            continue
        published = datetime.fromisoformat(match.group("date")).replace(hour=12, tzinfo=UTC)
        pages.append(_Page(match.group("outlet"), match.group("slug"), published, path.read_bytes()))
    if not pages:
        raise FileNotFoundError(f"no <outlet>-<date>-<slug>.html pages in {corpus / 'html'}")
    return pages


def _publish(outlet: Outlet, pages: list[_Page], copies: int) -> None:
    """Publish each page `copies` times, at /news/<slug>.html, /news/<slug>-2.html, ..."""
    for page in pages:
        for n in range(1, copies + 1):
            body = page.body if n == 1 else _insert_in_body(page.body, f"<p>Edition {n}.</p>")
            slug = page.slug if n == 1 else f"{page.slug}-{n}"
            published = page.published + timedelta(minutes=n - 1)
            outlet._add_doc(_Doc(f"/news/{slug}.html", body, _title_of(body), published, published))


def _variant(page: _Page, path: str, line: str) -> _Doc:
    """A corpus page made distinct by one line of ours, served at path."""
    body = _insert_in_body(page.body, line)
    return _Doc(path, body, _title_of(body), page.published, page.published)


def _herald(outlet: Outlet, pages: list[_Page], copies: int) -> None:
    _publish(outlet, pages, copies)
    outlet._static("/robots.txt", b"User-agent: *\nDisallow: /private/\n", TEXT)
    first, target = outlet._docs[outlet._articles[0]], outlet._docs[outlet._articles[-1]]
    outlet._entries.append(_Entry(first.path + TRACKING_QUERY, first.title, date=first.published))
    page = pages[-1]
    private = _variant(page, f"/private/{page.slug}.html", "<p>Subscriber preview.</p>")
    outlet._add_doc(private, article=False)
    outlet._redirect("/news/moved.html", 301, outlet.url(target.path))
    outlet._entries.append(_Entry("/news/moved.html", "Moved article", date=page.published))
    outlet._entries.append(_Entry(OFF_HOST_URL, "An article on another site", date=page.published))
    outlet._routes["/rss.xml"] = lambda h: outlet._serve_generated(h, outlet._rss, RSS)


def _ledger(outlet: Outlet, pages: list[_Page], copies: int) -> None:
    _publish(outlet, pages, copies)
    robots = f"User-agent: *\nCrawl-delay: 1\nAllow: /\nSitemap: {outlet.url('/sitemap.xml')}\n"
    outlet._static("/robots.txt", robots.encode(), TEXT)
    outlet._routes["/sitemap.xml"] = lambda h: outlet._serve_generated(h, outlet._sitemap_index, XML)
    outlet._routes["/news-sitemap.xml"] = lambda h: outlet._serve_generated(h, outlet._news_sitemap, XML)


def _courier(outlet: Outlet, pages: list[_Page], copies: int) -> None:
    _publish(outlet, pages, copies)  # no robots.txt: it answers 404
    outlet._routes["/"] = lambda h: outlet._serve_generated(h, outlet._home, HTML)
    outlet._routes["/feed/"] = lambda h: outlet._serve_generated(h, outlet._atom, ATOM)


def _meridian(outlet: Outlet, pages: list[_Page], copies: int) -> None:
    _publish(outlet, pages, copies)
    outlet._static("/robots.txt", b"User-agent: *\nAllow: /\n", TEXT)
    first, last = pages[0], pages[-1]
    busy = outlet._add_doc(_variant(first, "/news/busy.html", "<p>Served after a short wait.</p>"))
    flaky = outlet._add_doc(_variant(last, "/news/flaky.html", "<p>Served after a failed attempt.</p>"))
    slow = outlet._add_doc(_variant(first, "/news/slow.html", "<p>Served slowly.</p>"), article=False)

    def serve_busy(h: _Handler) -> None:
        if outlet._count(busy.path) == 1:
            h.reply(429, b"<!DOCTYPE html><title>Too many requests</title>\n", HTML, {"Retry-After": "1"})
        else:
            outlet._serve_doc(h, busy)

    def serve_flaky(h: _Handler) -> None:
        if outlet._count(flaky.path) == 1:
            h.reply(503, b"<!DOCTYPE html><title>Service unavailable</title>\n")
        else:
            outlet._serve_doc(h, flaky)

    def serve_slow(h: _Handler) -> None:
        if outlet._stop.wait(SLOW_SECONDS):
            h.close_connection = True
        else:
            outlet._serve_doc(h, slow)

    def serve_huge(h: _Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", HTML)
        h.send_header("Connection", "close")
        h.end_headers()
        h.close_connection = True
        if h.command == "HEAD":
            return
        chunk = b"<!-- " + b"padding " * 8190 + b"-->\n"
        try:
            h.wfile.write(b"<!DOCTYPE html>\n<html><head><title>Huge page</title></head><body>\n")
            sent = 0
            while sent < HUGE_BYTES and not outlet._stop.is_set():
                h.wfile.write(chunk)
                sent += len(chunk)
            h.wfile.write(b"</body></html>\n")
        except OSError:
            pass  # the client stopped reading and hung up

    outlet._routes[busy.path] = serve_busy
    outlet._routes[flaky.path] = serve_flaky
    outlet._routes[slow.path] = serve_slow
    outlet._routes["/news/huge.html"] = serve_huge
    outlet._routes["/news/broken.html"] = lambda h: h.reply(500, b"<!DOCTYPE html><title>Server error</title>\n")
    outlet._redirect("/news/loop.html", 302, outlet.url("/news/loop.html"))
    outlet._redirect("/news/elsewhere.html", 302, FILE_URL)
    for path, title in (
        ("/news/broken.html", "Broken page"),
        ("/news/huge.html", "Huge page"),
        ("/news/loop.html", "Redirect loop"),
        ("/news/elsewhere.html", "Redirect off the web"),
    ):
        outlet._entries.append(_Entry(path, title, date=last.published))
    outlet._routes["/rss.xml"] = lambda h: outlet._serve_generated(h, outlet._rss, RSS)
    rss = outlet._rss()
    broken = rss[: len(rss) * 3 // 5]
    broken = broken[: broken.rfind(b"<") + 4]  # cut inside a tag
    outlet._static("/broken.xml", broken, RSS)


def _closed(outlet: Outlet, pages: list[_Page], copies: int) -> None:
    page = pages[0]
    outlet._add_doc(_variant(page, f"/news/{page.slug}.html", "<p>Reprinted by the Closed Gazette.</p>"))
    outlet._static("/robots.txt", b"Service unavailable\n", TEXT, status=503)
    outlet._routes["/rss.xml"] = lambda h: outlet._serve_generated(h, outlet._rss, RSS)


_BUILDERS: dict[str, tuple[str, Callable[[Outlet, list[_Page], int], None]]] = {
    "herald": ("herald", _herald),
    "ledger": ("ledger", _ledger),
    "courier": ("courier", _courier),
    "meridian": ("meridian", _meridian),
    "closed": ("courier", _closed),
}


@contextmanager
def outlets(corpus: Path, copies: int = 1) -> Iterator[dict[str, Outlet]]:
    """Start every outlet's server (each its own port), yield them by name, stop them."""
    if copies < 1:
        raise ValueError("copies must be at least 1")
    pages = _load(Path(corpus))
    with ExitStack() as stack:
        running: dict[str, Outlet] = {}
        for name, (source, build) in _BUILDERS.items():
            outlet = Outlet(name)
            stack.callback(outlet._server.server_close)  # until started: shutdown() would wait forever
            own = [page for page in pages if page.outlet == source] or pages
            build(outlet, own, copies)
            running[name] = outlet
        started: list[Outlet] = []
        stack.callback(_stop_all, started)
        for outlet in running.values():
            outlet._start()
            started.append(outlet)
        yield running


def _stop_all(running: list[Outlet]) -> None:
    """Stop the outlets side by side: each shutdown() waits up to a poll interval."""
    stoppers = [threading.Thread(target=outlet._stop_serving, daemon=True) for outlet in running]
    for stopper in stoppers:
        stopper.start()
    for stopper in stoppers:
        stopper.join()
