"""The loopback outlets the watcher is tested against: pin what each serves and how it misbehaves."""

from __future__ import annotations

import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from pathlib import Path

import httpx
import pytest

from newsprism.bench.outlets import FILE_URL, OFF_HOST_URL, TRACKING_QUERY, Outlet, outlets

CORPUS = Path(__file__).parents[1] / "corpus"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def running() -> Iterator[dict[str, Outlet]]:
    with outlets(CORPUS) as started:
        yield started


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(follow_redirects=False, timeout=httpx.Timeout(5.0)) as c:
        yield c


def rss_items(client: httpx.Client, url: str) -> dict[str, str]:
    """link -> pubDate of an RSS feed's items."""
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    return {item.findtext("link", ""): item.findtext("pubDate", "") for item in root.iter("item")}


def test_every_outlet_has_its_articles_on_its_own_port(running: dict[str, Outlet]) -> None:
    assert set(running) == {"herald", "ledger", "courier", "meridian", "closed"}
    assert len({outlet.base for outlet in running.values()}) == 5
    assert len(running["herald"].article_paths()) == 6
    assert len(running["ledger"].article_paths()) == 4
    assert len(running["courier"].article_paths()) == 2
    meridian = running["meridian"].article_paths()
    assert len(meridian) == 4 and {"/news/busy.html", "/news/flaky.html"} <= set(meridian)
    assert len(running["closed"].article_paths()) == 1
    for outlet in running.values():
        assert all(path.startswith("/news/") and path.endswith(".html") for path in outlet.article_paths())


def test_article_bytes_are_the_corpus_files(running: dict[str, Outlet], client: httpx.Client) -> None:
    path = "/news/2026-03-04-vellmar-talks-what-each.html"
    response = client.get(running["ledger"].url(path))
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.content == (CORPUS / "html" / "ledger-2026-03-04-vellmar-talks-what-each.html").read_bytes()
    assert response.headers["etag"].startswith('"')
    parsedate_to_datetime(response.headers["last-modified"])
    assert client.get(running["ledger"].url("/news/nothing-here.html")).status_code == 404


def test_herald_feed_lists_articles_and_traps(running: dict[str, Outlet], client: httpx.Client) -> None:
    herald = running["herald"]
    links = set(rss_items(client, herald.url("/rss.xml")))
    articles = {herald.url(path) for path in herald.article_paths()}
    assert articles <= links
    extra = links - articles
    assert herald.url(herald.article_paths()[0] + TRACKING_QUERY) in extra
    assert herald.url("/news/moved.html") in extra
    assert OFF_HOST_URL in extra
    (private,) = [link for link in extra if "/private/" in link]
    assert len(extra) == 4
    robots = client.get(herald.url("/robots.txt"))
    assert robots.text == "User-agent: *\nDisallow: /private/\n"
    assert client.get(private).status_code == 200  # served, but robots.txt forbids it
    moved = client.get(herald.url("/news/moved.html"))
    assert moved.status_code == 301
    assert moved.headers["location"] in articles
    tracked = client.get(herald.url(herald.article_paths()[0] + TRACKING_QUERY))
    assert tracked.content == client.get(herald.url(herald.article_paths()[0])).content


def test_conditional_requests_get_304(running: dict[str, Outlet], client: httpx.Client) -> None:
    url = running["herald"].url(running["herald"].article_paths()[0])
    first = client.get(url)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    assert client.get(url, headers={"If-Modified-Since": "Thu, 01 Jan 2026 00:00:00 GMT"}).status_code == 200
    head = client.head(url)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(first.content)) and head.headers["etag"] == etag
    feed = client.get(running["herald"].url("/rss.xml"))
    assert client.get(feed.url, headers={"If-None-Match": feed.headers["etag"]}).status_code == 304


def test_edit_changes_body_etag_and_feed_date(running: dict[str, Outlet], client: httpx.Client) -> None:
    herald = running["herald"]
    path = herald.article_paths()[0]
    before = client.get(herald.url(path))
    dates_before = rss_items(client, herald.url("/rss.xml"))
    herald.edit(path)
    after = client.get(herald.url(path))
    assert after.status_code == 200
    assert after.content != before.content and "<p>Updated:" in after.text
    assert after.headers["etag"] != before.headers["etag"]
    assert parsedate_to_datetime(after.headers["last-modified"]) > parsedate_to_datetime(
        before.headers["last-modified"]
    )
    assert client.get(herald.url(path), headers={"If-None-Match": before.headers["etag"]}).status_code == 200
    title = before.text.split("<h1", 1)[1].split("</h1>", 1)[0]
    assert title not in after.text  # one headline word replaced
    dates_after = rss_items(client, herald.url("/rss.xml"))
    link = herald.url(path)
    assert parsedate_to_datetime(dates_after[link]) > parsedate_to_datetime(dates_before[link])
    herald.edit(path)
    assert client.get(herald.url(path)).headers["etag"] != after.headers["etag"]


def test_edit_moves_the_sitemap_lastmod(running: dict[str, Outlet], client: httpx.Client) -> None:
    ledger = running["ledger"]
    path = ledger.article_paths()[1]

    def lastmods() -> dict[str, str]:
        root = ET.fromstring(client.get(ledger.url("/news-sitemap.xml")).content)
        return {url.findtext(f"{SITEMAP}loc", ""): url.findtext(f"{SITEMAP}lastmod", "") for url in root}

    before = lastmods()
    ledger.edit(path)
    after = lastmods()
    assert after[ledger.url(path)] > before[ledger.url(path)]
    assert {loc: date for loc, date in after.items() if loc != ledger.url(path)} == {
        loc: date for loc, date in before.items() if loc != ledger.url(path)
    }


def test_delete_gives_410_and_stays_listed(running: dict[str, Outlet], client: httpx.Client) -> None:
    herald = running["herald"]
    path = herald.article_paths()[2]
    before = rss_items(client, herald.url("/rss.xml"))[herald.url(path)]
    herald.delete(path)
    assert client.get(herald.url(path)).status_code == 410
    assert path not in herald.article_paths()
    after = rss_items(client, herald.url("/rss.xml"))[herald.url(path)]
    assert parsedate_to_datetime(after) > parsedate_to_datetime(before)


def test_ledger_robots_and_news_sitemap(running: dict[str, Outlet], client: httpx.Client) -> None:
    ledger = running["ledger"]
    robots = client.get(ledger.url("/robots.txt")).text
    assert "Crawl-delay: 1" in robots and f"Sitemap: {ledger.url('/sitemap.xml')}" in robots
    index = ET.fromstring(client.get(ledger.url("/sitemap.xml")).content)
    assert index.tag == f"{SITEMAP}sitemapindex"
    assert [loc.text for loc in index.iter(f"{SITEMAP}loc")] == [ledger.url("/news-sitemap.xml")]
    urls = ET.fromstring(client.get(ledger.url("/news-sitemap.xml")).content)
    locs = {url.findtext(f"{SITEMAP}loc") for url in urls}
    assert locs == {ledger.url(path) for path in ledger.article_paths()}
    for url in urls:
        assert url.findtext(f"{SITEMAP}lastmod", "").endswith("+00:00")
        assert url.findtext(f"{NEWS}news/{NEWS}publication/{NEWS}name") == "The Northern Ledger"
        assert url.findtext(f"{NEWS}news/{NEWS}publication_date")
        assert url.findtext(f"{NEWS}news/{NEWS}title")
    assert client.get(ledger.url("/rss.xml")).status_code == 404


def test_courier_home_points_to_its_atom_feed(running: dict[str, Outlet], client: httpx.Client) -> None:
    courier = running["courier"]
    assert client.get(courier.url("/robots.txt")).status_code == 404
    home = client.get(courier.url("/")).text
    assert '<link rel="alternate" type="application/rss+xml" href="/feed/">' in home
    assert all(f'href="{path}"' in home for path in courier.article_paths())
    feed = client.get(courier.url("/feed/"))
    assert feed.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(feed.content)
    assert root.findtext(f"{ATOM}updated")
    entries = root.findall(f"{ATOM}entry")
    assert {entry.find(f"{ATOM}link").get("href") for entry in entries} == {
        courier.url(path) for path in courier.article_paths()
    }
    assert all(entry.findtext(f"{ATOM}id") and entry.findtext(f"{ATOM}updated") for entry in entries)


def test_meridian_misbehaves(running: dict[str, Outlet], client: httpx.Client) -> None:
    meridian = running["meridian"]
    assert client.get(meridian.url("/robots.txt")).status_code == 200
    links = set(rss_items(client, meridian.url("/rss.xml")))
    for name in ("busy", "flaky", "broken", "slow", "huge", "loop", "elsewhere"):
        assert meridian.url(f"/news/{name}.html") in links
    busy = [client.get(meridian.url("/news/busy.html")) for _ in range(2)]
    assert busy[0].status_code == 429 and busy[0].headers["retry-after"] == "1"
    assert busy[1].status_code == 200 and "<h1" in busy[1].text
    assert [client.get(meridian.url("/news/flaky.html")).status_code for _ in range(2)] == [503, 200]
    assert [client.get(meridian.url("/news/broken.html")).status_code for _ in range(2)] == [500, 500]
    loop = client.get(meridian.url("/news/loop.html"))
    assert loop.status_code == 302 and loop.headers["location"] == meridian.url("/news/loop.html")
    elsewhere = client.get(meridian.url("/news/elsewhere.html"))
    assert elsewhere.status_code == 302 and elsewhere.headers["location"] == FILE_URL
    broken = client.get(meridian.url("/broken.xml"))
    assert broken.status_code == 200
    with pytest.raises(ET.ParseError):
        ET.fromstring(broken.content)
    with pytest.raises(httpx.ReadTimeout):
        client.get(meridian.url("/news/slow.html"), timeout=0.2)


def test_huge_page_has_no_length_and_stops_when_the_client_leaves(running: dict[str, Outlet]) -> None:
    meridian = running["meridian"]
    with httpx.Client(timeout=5.0) as client, client.stream("GET", meridian.url("/news/huge.html")) as response:
        assert response.status_code == 200 and "content-length" not in response.headers
        received = 0
        for chunk in response.iter_bytes():
            received += len(chunk)
            if received > 1_000_000:
                break
    assert received > 1_000_000


def test_closed_robots_answers_503(running: dict[str, Outlet], client: httpx.Client) -> None:
    closed = running["closed"]
    assert client.get(closed.url("/robots.txt")).status_code == 503
    (link,) = rss_items(client, closed.url("/rss.xml"))
    assert link == closed.url(closed.article_paths()[0])
    page = client.get(link).text
    courier = (CORPUS / "html" / "courier-2026-03-07-power-back-in-most.html").read_text(encoding="utf-8")
    assert page != courier and page.split("<h1", 1)[1][:80] == courier.split("<h1", 1)[1][:80]


def test_hits_record_headers_and_statuses(running: dict[str, Outlet], client: httpx.Client) -> None:
    meridian = running["meridian"]
    start = time.monotonic()
    client.get(meridian.url("/robots.txt"), headers={"User-Agent": "newsprism-test/1"})
    client.get(meridian.url("/news/busy.html?x=1"))
    client.head(meridian.url("/news/busy.html"))
    client.get(meridian.url("/missing"))
    hits = meridian.hits
    assert [(hit.method, hit.path, hit.status) for hit in hits] == [
        ("GET", "/robots.txt", 200),
        ("GET", "/news/busy.html?x=1", 429),
        ("HEAD", "/news/busy.html", 200),
        ("GET", "/missing", 404),
    ]
    assert hits[0].headers["user-agent"] == "newsprism-test/1"
    assert all(name == name.lower() for hit in hits for name in hit.headers)
    assert start <= hits[0].at <= hits[1].at <= hits[2].at <= hits[3].at <= time.monotonic()
    assert [hit.path for hit in meridian.hits_to("/news/")] == ["/news/busy.html?x=1", "/news/busy.html"]
    assert running["herald"].hits == []


def test_copies_publish_distinct_editions() -> None:
    with outlets(CORPUS, copies=3) as running, httpx.Client(follow_redirects=False, timeout=5.0) as client:
        herald = running["herald"]
        paths = herald.article_paths()
        assert len(paths) == 18
        assert len({p.removesuffix(".html").removesuffix("-2").removesuffix("-3") for p in paths}) == 6
        bodies = {client.get(herald.url(path)).content for path in paths}
        assert len(bodies) == 18
        assert any(b"<p>Edition 3.</p>" in body for body in bodies)
        assert {herald.url(path) for path in paths} <= set(rss_items(client, herald.url("/rss.xml")))
        assert len(running["meridian"].article_paths()) == 2 * 3 + 2
        assert len(running["courier"].article_paths()) == 6


def test_start_and_stop_are_fast_even_with_slow_and_huge_in_flight() -> None:
    before = set(threading.enumerate())
    stopped = threading.Event()
    outcomes: list[str] = []

    def fetch(url: str) -> None:
        try:
            with httpx.Client(timeout=10.0) as client, client.stream("GET", url) as response:
                next(response.iter_bytes())  # then stop reading, so /huge stays blocked in write
                stopped.wait(5)
                outcomes.append("huge")
        except httpx.HTTPError:
            outcomes.append("cut off")  # /slow: the server stopped before answering

    began = time.monotonic()
    with outlets(CORPUS) as running:
        assert time.monotonic() - began < 1.0
        meridian = running["meridian"]
        clients = [
            threading.Thread(target=fetch, args=(meridian.url(path),), daemon=True)
            for path in ("/news/slow.html", "/news/huge.html")
        ]
        for thread in clients:
            thread.start()
        while len(meridian.hits) < 2 or meridian.hits_to("/news/huge")[0].status != 200:
            time.sleep(0.01)
        time.sleep(0.2)
        stopping = time.monotonic()
    assert time.monotonic() - stopping < 1.0
    stopped.set()
    for thread in clients:
        thread.join(timeout=2)
    assert sorted(outcomes) == ["cut off", "huge"]
    deadline = time.monotonic() + 2
    while set(threading.enumerate()) - before and time.monotonic() < deadline:  # the servers' threads end
        time.sleep(0.01)
    assert set(threading.enumerate()) <= before
