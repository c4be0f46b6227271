"""SOURCES.toml: the outlets to watch and how politely. Checked whole before anything is fetched, so a
typo is one line naming the source and the key, not a half-done round."""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass
from difflib import get_close_matches
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newsprism import __version__

MAX_SOURCES_BYTES = 1_000_000


class SourcesError(ValueError):
    """SOURCES.toml cannot be used; the message is one line for the user."""


@dataclass(frozen=True)
class Source:
    name: str
    language: str | None = None
    home: str | None = None
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    include: tuple[str, ...] = ()  # URL path prefixes to keep; empty: every path
    local: bool = False  # loopback and private addresses allowed (test sites)

    def hosts(self) -> set[str]:
        """The hosts its articles may live on: those of its home page, feeds and sitemaps, with or without www."""
        found = set()
        for url in (self.home, *self.feeds, *self.sitemaps):
            if url:
                host = host_of(url)
                found |= {host, host.removeprefix("www."), "www." + host.removeprefix("www.")}
        return found

    def keeps(self, url: str, article_host: str | None = None) -> bool:
        """An article URL of this source: on one of its hosts (or the ``article_host`` its feed links to) and
        under one of its ``include`` prefixes."""
        parts = urlsplit(url)
        host = host_of(url)
        if parts.scheme not in ("http", "https") or (host not in self.hosts() and host != article_host):
            return False
        return not self.include or any(parts.path.startswith(prefix) for prefix in self.include)


def article_host(urls: list[str]) -> str | None:
    """The host most of a listing's links are on, when more than half are: a feed served from one host
    often lists its outlet's articles on another (feeds.bbci.co.uk lists www.bbc.com), while a stray link
    to another site stays one among many."""
    hosts = Counter(host_of(url) for url in urls)
    if not hosts:
        return None
    host, count = hosts.most_common(1)[0]
    return host if 2 * count > len(urls) else None


@dataclass(frozen=True)
class WatchConfig:
    sources: tuple[Source, ...]
    user_agent: str = f"newsprism/{__version__}"
    contact: str = ""
    per_host_delay: float = 5.0
    max_concurrency: int = 4
    timeout: float = 30.0  # seconds for one request, connection to last byte
    max_page_bytes: int = 10_000_000
    max_redirects: int = 5
    retries: int = 3  # attempts on 429 / 5xx / a dropped connection, in one round
    backoff: float = 2.0  # seconds before the first retry (doubled each time) when no Retry-After is given
    # Outlets that rewrite a story quietly leave its feed date as it was: pages first seen in the last
    # ``revisit_hours`` are asked again (conditionally) every ``revisit_every_hours``. 0: only when listed.
    revisit_hours: float = 0.0
    revisit_every_hours: float = 6.0
    # A sitemap may list a whole archive: a round fetches at most this many pages per source, the most
    # recently listed first, and the next rounds go on with the rest, so listings stay fresh.
    max_pages_per_round: int = 200

    def agent(self) -> str:
        """The User-Agent: who is asking and how to reach them."""
        return f"{self.user_agent} (+{self.contact})" if self.contact else self.user_agent


_WATCH_KEYS = {"user_agent", "contact", "per_host_delay", "max_concurrency", "timeout", "max_page_bytes",
               "max_redirects", "retries", "backoff", "revisit_hours", "revisit_every_hours", "max_pages_per_round"}
_SOURCE_KEYS = {"name", "language", "home", "feeds", "sitemaps", "include", "local"}


def host_of(url: str) -> str:
    """Host and port, lower-cased: what the rate limit and robots.txt are kept per."""
    return urlsplit(url).netloc.lower()


def load_sources(path: Path) -> WatchConfig:
    """Read and check SOURCES.toml; SourcesError (one line) when it cannot be used."""
    try:
        if path.stat().st_size > MAX_SOURCES_BYTES:
            raise SourcesError(f"{path}: larger than {MAX_SOURCES_BYTES} bytes")
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise SourcesError(f"{path}: cannot read it ({error.__class__.__name__}: {error})") from None
    except tomllib.TOMLDecodeError as error:
        raise SourcesError(f"{path}: not valid TOML ({error})") from None
    return parse_sources(document, str(path))


def parse_sources(document: dict[str, Any], where: str = "SOURCES.toml") -> WatchConfig:
    _no_unknown(document, {"watch", "source"}, where)
    settings = document.get("watch", {})
    if not isinstance(settings, dict):
        raise SourcesError(f"{where}: [watch] must be a table")
    _no_unknown(settings, _WATCH_KEYS, f"{where}: [watch]")
    listed = document.get("source", [])
    if not isinstance(listed, list) or not listed:
        raise SourcesError(f"{where}: no [[source]] to watch")
    sources = tuple(_source(entry, f"{where}: source {n}") for n, entry in enumerate(listed, 1))
    names = [s.name for s in sources]
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise SourcesError(f"{where}: source name given twice: {twice[0]!r}")
    checks = {"user_agent": str, "contact": str, "per_host_delay": (int, float), "max_concurrency": int,
              "timeout": (int, float), "max_page_bytes": int, "max_redirects": int, "retries": int,
              "backoff": (int, float), "revisit_hours": (int, float), "revisit_every_hours": (int, float),
              "max_pages_per_round": int}
    for key, value in settings.items():
        if not isinstance(value, checks[key]) or isinstance(value, bool):
            raise SourcesError(f"{where}: [watch] {key}: wrong type ({type(value).__name__})")
        if checks[key] is not str and value < (1 if key in ("max_concurrency", "retries", "timeout",
                                                            "max_pages_per_round") else 0):
            raise SourcesError(f"{where}: [watch] {key}: must be positive")
    return WatchConfig(sources=sources, **settings)


def _source(entry: object, where: str) -> Source:
    if not isinstance(entry, dict):
        raise SourcesError(f"{where}: must be a table")
    _no_unknown(entry, _SOURCE_KEYS, where)
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise SourcesError(f"{where}: needs a name")
    where = f"{where} ({name})"
    urls = {key: _url_list(entry.get(key, []), f"{where}: {key}") for key in ("feeds", "sitemaps")}
    home = entry.get("home")
    if home is not None:
        _check_url(home, f"{where}: home")
    if not home and not urls["feeds"] and not urls["sitemaps"]:
        raise SourcesError(f"{where}: give a home page, feeds or sitemaps")
    include = entry.get("include", [])
    if not isinstance(include, list) or not all(isinstance(p, str) and p.startswith("/") for p in include):
        raise SourcesError(f"{where}: include: a list of URL paths starting with /")
    local = entry.get("local", False)
    language = entry.get("language")
    if not isinstance(local, bool) or not (language is None or isinstance(language, str)):
        raise SourcesError(f"{where}: local must be true or false, language a string")
    return Source(name.strip(), language, home, urls["feeds"], urls["sitemaps"], tuple(include), local)


def _url_list(value: object, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise SourcesError(f"{where}: a list of URLs")
    for url in value:
        _check_url(url, where)
    return tuple(value)


def _check_url(url: object, where: str) -> None:
    if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
        raise SourcesError(f"{where}: {url!r} is not an http(s) URL")


def _no_unknown(table: dict[str, Any], known: set[str], where: str) -> None:
    for key in table:
        if key not in known:
            close = get_close_matches(key, sorted(known), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise SourcesError(f"{where}: unknown key {key!r}{hint}")
