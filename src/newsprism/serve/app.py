"""The service: one FastAPI app with the REST API under /api and the server-rendered pages around it.

FastAPI (on Starlette) is used because it derives the OpenAPI description from the typed
endpoints themselves, so the description cannot drift from the code, and it validates every
query parameter before a handler runs. Every response carries a strict Content-Security-Policy:
scripts and styles only from this server's /static, nothing inline, no other origin.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsprism import __version__
from newsprism.model import Article
from newsprism.serve.cache import AggregateCache
from newsprism.store import Store, is_postgres

if TYPE_CHECKING:
    from psycopg_pool import ConnectionPool

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self';"
    " form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}
# PostgreSQL connections of one server at most. Handlers run on anyio's thread pool (40 threads), so up
# to 40 requests read at once; 10 connections keep the database's own limit (100 by default) free for
# several servers and the ingest processes, and a request that finds none free waits for one (up to the
# pool's 30 s timeout) rather than fail: reads are short, so the wait is too.
POOL_SIZE = 10

Comparer = Callable[[list[Article]], dict[str, Any] | None]


def default_comparer(articles: list[Article]) -> dict[str, Any] | None:
    """The story comparison of newsprism.compare, as JSON-ready data."""
    from newsprism.compare import compare_story

    return compare_story(articles).to_dict()


@dataclass
class ServeConfig:
    """What the handlers need: the store file, the write token, the upload limit, the comparison."""

    db_path: str  # an SQLite file or a PostgreSQL URL
    token: str | None = None
    max_upload: int = MAX_UPLOAD_BYTES
    annotate: bool = True
    comparer: Comparer | None = None
    cache: AggregateCache = field(default_factory=AggregateCache)
    _local: threading.local = field(default_factory=threading.local)
    pool_size: int = POOL_SIZE
    _pool: ConnectionPool[Any] | None = None
    _pool_lock: threading.Lock = field(default_factory=threading.Lock)

    def store(self) -> Store:
        """On SQLite, this thread's Store: a connection is used only by the thread that opened it. On
        PostgreSQL, the request's Store over a connection it borrowed from the pool (see LendStores)."""
        if is_postgres(self.db_path):
            return self._lent_store()
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = Store(self.db_path)
        return store

    def _lent_store(self) -> Store:
        from newsprism.store.postgres import PostgresStore

        lease = _lease.get(None)
        if lease is None:
            raise RuntimeError("a PostgreSQL store is lent to a request only: serve the app with LendStores")
        if lease.store is None:
            pool = self._connection_pool()
            raw = pool.getconn()
            lease.store, lease.give_back = PostgresStore.lent(self.db_path, raw), lambda: pool.putconn(raw)
        return lease.store

    def _connection_pool(self) -> ConnectionPool[Any]:
        from newsprism.store.postgres import connection_pool

        with self._pool_lock:
            if self._pool is None:
                self._pool = connection_pool(self.db_path, self.pool_size)
            return self._pool

    def close(self) -> None:
        """Close the pool's connections (a request still holding one closes it when it gives it back)."""
        with self._pool_lock:
            if self._pool is not None:
                self._pool.close()
                self._pool = None


@dataclass
class _Lease:
    store: Store | None = None
    give_back: Callable[[], None] | None = None


_lease: ContextVar[_Lease | None] = ContextVar("newsprism_lease", default=None)


class LendStores:
    """Gives each request a lease that its handlers' threads share (they run in copies of its context):
    the first ``ServeConfig.store()`` borrows a pooled connection, and it goes back once the response is
    sent, whether the request failed or not."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        # threads of its own: the shared ones may all be handlers waiting for the connection given back
        self.giving_back = anyio.CapacityLimiter(POOL_SIZE)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        lease = _Lease()
        token = _lease.set(lease)
        try:
            await self.app(scope, receive, send)
        finally:
            _lease.reset(token)
            if lease.give_back is not None:
                with anyio.CancelScope(shield=True):  # a cancelled request must not keep its connection
                    # it may roll back a failed write: not on the event loop
                    await anyio.to_thread.run_sync(lease.give_back, limiter=self.giving_back)


class SecurityHeaders:
    """Adds the CSP and the other hardening headers to every response, errors and static files included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.decode().lower() for k, _ in headers}  # a response may set a stricter CSP of its own
                headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items() if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class Merged(Exception):
    """The story or event asked for was merged into another: answered with a redirect to ``location``."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


def error_body(status: int, message: str, details: list[Any] | None = None) -> dict[str, Any]:
    return {"error": {"status": status, "message": message, "details": details or []}}


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api")


def _install_error_handlers(app: FastAPI) -> None:
    from newsprism.serve.web import error_page

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if _wants_html(request):
            return error_page(request, error.status_code, str(error.detail))
        return JSONResponse(error_body(error.status_code, str(error.detail)), error.status_code, error.headers)

    @app.exception_handler(Merged)
    async def merged(request: Request, error: Merged) -> Response:
        return RedirectResponse(error.location, 307)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, error: RequestValidationError) -> Response:
        details = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg", "")} for e in error.errors()
        ]
        message = "; ".join(f"{d['where']}: {d['problem']}" for d in details) or "invalid request"
        if _wants_html(request):
            return error_page(request, 422, message)
        return JSONResponse(error_body(422, message, details), 422)


def create_app(
    db_path: str | Path,
    token: str | None = None,
    *,
    max_upload: int = MAX_UPLOAD_BYTES,
    annotate: bool = True,
    comparer: Comparer | None = None,
    allowed_hosts: list[str] | None = None,
) -> FastAPI:
    """The web UI and REST API over the store at ``db_path``; uploads need ``token`` (none: uploads off).

    ``comparer`` turns a story's articles into its comparison (default: newsprism.compare).
    ``allowed_hosts`` limits the Host header (a page on another site that rebinds its DNS name to
    127.0.0.1 must not read the store through the visitor's browser); None accepts any."""
    from newsprism.serve import api, web

    Store(db_path).close()  # fail now, not on the first request, when the file is not a newsprism store
    config = ServeConfig(str(db_path), token, max_upload, annotate, comparer or default_comparer)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        config.close()

    app = FastAPI(
        title="newsprism",
        version=__version__,
        description="Articles with their annotation layers, stories (storylines) and the events they hold with"
        " their comparison, outlets, entities, quotes and full-text search over a newsprism store. The id of a"
        " story or event merged into another redirects (307) to the living one.",
        openapi_url="/api/openapi.json",
        docs_url=None,  # the hosted Swagger/ReDoc pages load scripts from a CDN: against the CSP
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.config = config
    app.add_middleware(LendStores)
    app.add_middleware(SecurityHeaders)
    if allowed_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    app.mount("/static", StaticFiles(directory=PACKAGE_DIR / "static"), name="static")
    app.include_router(api.router)
    app.include_router(web.router)
    _install_error_handlers(app)
    return app


def serve(
    db_path: str | Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, token: str | None = None
) -> None:
    """Run the service until interrupted; the upload token defaults to $NEWSPRISM_TOKEN. On a loopback
    address only loopback Host headers are accepted."""
    import uvicorn

    allowed = list(LOOPBACK_HOSTS) if host in LOOPBACK_HOSTS else None
    app = create_app(db_path, token or os.environ.get("NEWSPRISM_TOKEN") or None, allowed_hosts=allowed)
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)


@contextmanager
def background_server(app: FastAPI, host: str = DEFAULT_HOST, port: int = 0) -> Iterator[str]:
    """Serve ``app`` from a thread of this process (port 0: a free one) and yield its base URL; for tests
    and benchmarks that need a real HTTP server without blocking."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name="newsprism-serve", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            server.should_exit = True
            raise RuntimeError(f"the server did not start on {host}:{port}")
        time.sleep(0.02)
    bound = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{host}:{bound}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


SMOKE_PATHS = ("/", "/search?q=minister", "/outlets", "/speakers", "/exports", "/sources", "/new",
               "/api/openapi.json", "/api/articles?limit=5", "/api/stories?limit=5", "/api/sources",
               "/api/new?since=2000-01-01", "/api/export/stories.csv")


def smoke_check(db_path: str | Path) -> dict[str, int]:
    """Serve the store on a free loopback port, fetch each page kind once (and the first story and
    article), stop; the HTTP status per path. What `newsprism serve --check` and `make demo-check` run."""
    import json
    import urllib.error
    import urllib.request

    def status_and_body(url: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(url, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, b""

    statuses: dict[str, int] = {}
    with background_server(create_app(db_path)) as base_url:
        for path in SMOKE_PATHS:
            statuses[path], body = status_and_body(base_url + path)
            if path.startswith(("/api/articles", "/api/stories")) and statuses[path] == 200:
                items = json.loads(body)["items"]
                if items:
                    page = f"/{path.split('/')[2].split('?')[0]}/{items[0]['id']}"
                    statuses[page] = status_and_body(base_url + page)[0]
                    if path.startswith("/api/stories"):
                        statuses.update(_event_page_status(base_url, items[0]["id"], status_and_body))
    return statuses


def _event_page_status(base_url: str, story_id: str,
                       fetch: Callable[[str], tuple[int, bytes]]) -> dict[str, int]:
    """The status of the first event page of a storyline (none when the story lists no event)."""
    import json

    status, body = fetch(f"{base_url}/api/stories/{story_id}")
    events = json.loads(body).get("events") if status == 200 else None
    if not events:
        return {}
    page = f"/events/{events[0]['id']}"
    return {page: fetch(base_url + page)[0]}
