"""`newsprism watch` against real HTTP servers on loopback that play outlets (newsprism.bench.outlets):
what one round and two consecutive rounds store, what they archive, and how politely they ask."""

from __future__ import annotations

import gzip
import itertools
import json
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from newsprism.bench.outlets import FILE_URL, Outlet, outlets
from newsprism.store import Store
from newsprism.watch import Round, SourcesError, load_sources, parse_sources
from newsprism.watch.archive import WarcArchive
from newsprism.watch.fetch import Fetcher, retry_after
from newsprism.watch.listings import normal_url, read_listing

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
DELAY = 0.3  # per_host_delay in these tests, seconds
FAST = {"per_host_delay": DELAY, "timeout": 1.5, "backoff": 0.1, "max_page_bytes": 2_000_000}


def config_for(sites: dict[str, Outlet], names: list[str], **watch: Any) -> Any:
    entries = {
        "herald": {"name": "Herald", "feeds": [sites["herald"].url("/rss.xml")]},
        "ledger": {"name": "Ledger", "sitemaps": [sites["ledger"].url("/sitemap.xml")]},
        "courier": {"name": "Courier", "home": sites["courier"].url("/")},
        "meridian": {"name": "Meridian", "feeds": [sites["meridian"].url("/rss.xml"),
                                                   sites["meridian"].url("/broken.xml")]},
        "closed": {"name": "Closed", "feeds": [sites["closed"].url("/rss.xml")]},
    }
    return parse_sources({"watch": {**FAST, **watch},
                          "source": [{**entries[name], "local": True} for name in names]})


def one_round(config: Any, db: Path | str, warc: Path, stop: threading.Event | None = None,
              stop_after: int | None = None) -> Any:
    """A round as `watch --once` runs it (without annotation: these tests are about collecting)."""
    stop = stop or threading.Event()
    pages = 0

    def counted() -> None:
        nonlocal pages
        pages += 1
        if stop_after is not None and pages >= stop_after:
            stop.set()

    fetcher, archive = Fetcher(config, stopping=stop), WarcArchive(warc)
    try:
        with Store(db) as store:
            return Round(config, store, archive, fetcher, annotate=False, on_page=counted).run()
    finally:
        fetcher.close()
        archive.close()


def article_gets(site: Outlet) -> Counter[str]:
    """How many times each article page was answered 200."""
    return Counter(h.path for h in site.hits_to("/news/") if h.method == "GET" and h.status == 200)


@pytest.fixture(scope="module")
def everything(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One round over every outlet, broken ones included."""
    folder = tmp_path_factory.mktemp("watch")
    with outlets(CORPUS) as sites:
        config = config_for(sites, ["herald", "ledger", "courier", "meridian", "closed"])
        report = one_round(config, folder / "store.sqlite", folder / "warc")
        yield sites, report, folder


def stored(db: Path | str, sql: str, *args: Any) -> list[Any]:
    with Store(db) as store:
        return [tuple(row) for row in store.db.execute(sql, args).fetchall()]


def test_one_round_stores_every_article_once_with_its_warc_record(everything: Any) -> None:
    sites, report, folder = everything
    expected = {site.url(path) for name in ("herald", "ledger", "courier", "meridian")
                for site in [sites[name]] for path in site.article_paths()}
    urls = {url for (url,) in stored(folder / "store.sqlite", "SELECT url FROM articles")}
    assert urls == expected
    assert report.new == len(expected) == len(stored(folder / "store.sqlite", "SELECT id FROM articles"))
    for name in ("herald", "ledger", "courier"):
        assert set(article_gets(sites[name]).values()) == {1}, name  # each page asked for once
    outlets_stored = {o for (o,) in stored(folder / "store.sqlite", "SELECT DISTINCT outlet FROM articles")}
    assert outlets_stored == {"Herald", "Ledger", "Courier", "Meridian"}
    # every article version points at a WARC response record holding the page that was fetched
    rows = stored(folder / "store.sqlite", "SELECT a.url, f.warc_file, f.warc_offset, f.warc_record FROM"
                  " page_versions v JOIN articles a ON a.id = v.article_id JOIN fetches f ON f.id = v.fetch_id")
    assert {row[0] for row in rows} == expected
    for url, file, offset, record_id in rows:
        with (folder / "warc" / file).open("rb") as warc:
            warc.seek(offset)
            record = next(iter(ArchiveIterator(warc)))
            assert record.rec_headers.get_header("WARC-Record-ID") == record_id
            assert record.rec_headers.get_header("WARC-Target-URI") == url
            assert record.http_headers.get_statuscode() == "200"
            assert b"<html" in record.content_stream().read().lower()


def test_the_archive_reads_back_as_the_same_articles(everything: Any) -> None:
    _, _report, folder = everything
    run = subprocess.run([sys.executable, "-m", "newsprism.cli", "extract", str(folder / "warc")],
                         capture_output=True, text=True, timeout=300)
    urls = {json.loads(line)["url"] for line in run.stdout.splitlines()}
    assert urls >= {u for (u,) in stored(folder / "store.sqlite", "SELECT url FROM articles")}


def test_robots_txt_is_honoured(everything: Any) -> None:
    sites, report, folder = everything
    assert sites["herald"].hits_to("/private/") == []
    assert [h.path for h in sites["closed"].hits] == ["/robots.txt"]  # a 503 robots.txt: nothing else
    assert report.refused >= 2
    refused = stored(folder / "store.sqlite", "SELECT url, error FROM fetches WHERE error LIKE 'robots%'")
    assert {url.split("/", 3)[3].split("/")[0] for url, _ in refused} >= {"private", "rss.xml"}


def test_requests_to_one_host_are_spaced_by_the_delay_and_the_crawl_delay(everything: Any) -> None:
    sites, _, _ = everything
    for name, least in (("herald", DELAY), ("courier", DELAY), ("ledger", 1.0)):  # ledger asks Crawl-delay: 1
        times = sorted(h.at for h in sites[name].hits)
        gaps = [b - a for a, b in itertools.pairwise(times)]
        assert len(gaps) >= 4 and min(gaps) >= least * 0.95, (name, gaps)


def test_requests_say_who_asks_and_carry_no_cookies(everything: Any) -> None:
    sites, _, _ = everything
    for hit in sites["herald"].hits:
        assert hit.headers["user-agent"].startswith("newsprism/")
        assert "cookie" not in hit.headers


def test_every_broken_endpoint_is_one_line_and_the_rest_goes_on(everything: Any) -> None:
    sites, report, folder = everything
    reasons = {e.source.rsplit("/", 1)[-1]: e.reason for e in report.errors}
    assert reasons["broken.html"] == "HTTP 500"
    assert reasons["slow.html"].startswith("timed out")
    assert reasons["huge.html"].startswith("larger than")
    assert reasons["loop.html"].startswith("more than 5 redirects")
    assert reasons["elsewhere.html"] == f"redirected to {FILE_URL}: not an http(s) URL"
    assert reasons["broken.xml"].startswith("malformed feed")
    assert "robots.txt" in reasons and "503" in reasons["robots.txt"]
    assert all("\n" not in e.reason for e in report.errors)
    # 429 and 503 were asked again after waiting, and then stored
    gets = article_gets(sites["meridian"])
    assert gets["/news/busy.html"] == 1 and gets["/news/flaky.html"] == 1
    assert [h.status for h in sites["meridian"].hits_to("/news/busy.html")] == [429, 200]
    assert len(sites["meridian"].hits_to("/news/broken.html")) == 3  # the retries, then given up for the round
    due = dict(stored(folder / "store.sqlite", "SELECT url, due FROM watch_pages WHERE error IS NOT NULL"))
    assert {url.rsplit("/", 2)[-2]: d for url, d in due.items() if not d} == {"private": 0}  # robots: left alone
    assert len(due) >= 6  # the rest failed: tried again next round


def test_a_second_round_asks_conditionally_and_stores_an_edit_as_a_version(store_target: str,
                                                                           tmp_path: Path) -> None:
    db, warc = store_target, tmp_path / "warc"
    with outlets(CORPUS) as sites:
        herald, ledger = sites["herald"], sites["ledger"]
        config = config_for(sites, ["herald", "ledger"], per_host_delay=0.05)
        first = one_round(config, db, warc)
        edited, deleted = herald.article_paths()[0], herald.article_paths()[1]
        edited_ledger = ledger.article_paths()[0]
        herald.edit(edited)
        herald.delete(deleted)
        ledger.edit(edited_ledger)
        count = len(herald.hits)
        second = one_round(config, db, warc)
        later = herald.hits[count:]
    assert first.new > 0 and first.changed == 0
    assert second.changed == 2 and second.gone == 1 and second.new == 2
    feed = [h for h in later if h.path == "/rss.xml"]
    assert feed and "if-none-match" in feed[0].headers
    asked = [h for h in later if h.path.startswith("/news/")]
    assert sorted(h.path for h in asked) == sorted([edited, deleted])  # only what the feed says changed
    assert all("if-none-match" in h.headers for h in asked)
    rows = stored(db, "SELECT url, version, status, article_id FROM page_versions WHERE url = ? ORDER BY version",
                  herald.url(edited))
    assert [r[1:3] for r in rows] == [(1, 200), (2, 200)] and rows[0][3] != rows[1][3]
    gone = stored(db, "SELECT version, status, article_id FROM page_versions WHERE url = ? ORDER BY version",
                  herald.url(deleted))
    assert gone[-1] == (2, 410, None)
    with Store(db) as store:
        versions = store.page_versions(rows[1][3])
        before, after = store.article(versions[0]["article_id"]), store.article(versions[1]["article_id"])
        # the rewritten version stays in the store, but a story's comparison reads the page as it is now
        [(story,)] = store.db.execute("SELECT story_id FROM story_articles WHERE article_id = ?", (after.id,))
        members = {row[0] for row in store.db.execute("SELECT article_id FROM story_articles WHERE story_id = ?",
                                                      (story,))}
        assert {before.id, after.id} <= members  # linked together: the same story, told twice
        compared = {a.id for a in store.story_articles(story)}
        assert after.id in compared and before.id not in compared
        assert store.article(before.id) is not None
    from newsprism.compare.versions import version_changes

    changes = version_changes(before, after)
    assert changes["title"] and "revised" in changes["title"]["after"]
    added = [p["after"]["text"] for p in changes["passages"] if p["kind"] == "added"]
    assert any(text.startswith("Updated:") for text in added)


def test_a_round_with_nothing_new_fetches_no_article(tmp_path: Path) -> None:
    with outlets(CORPUS) as sites:
        config = config_for(sites, ["herald", "courier"], per_host_delay=0.05)
        one_round(config, tmp_path / "s.sqlite", tmp_path / "warc")
        before = {name: len(sites[name].hits) for name in ("herald", "courier")}
        again = one_round(config, tmp_path / "s.sqlite", tmp_path / "warc")
        later = [h for name in ("herald", "courier") for h in sites[name].hits[before[name]:]]
    assert again.new == again.fetched == 0
    assert {h.path for h in later} <= {"/robots.txt", "/rss.xml", "/", "/feed/"}
    assert {h.status for h in later if h.path != "/robots.txt"} == {304}


def test_a_stopped_round_is_taken_up_by_the_next_without_loss_or_repeat(store_target: str, tmp_path: Path) -> None:
    db, warc = store_target, tmp_path / "warc"
    with outlets(CORPUS) as sites:
        config = config_for(sites, ["herald", "ledger"], per_host_delay=0.05)
        stopped = one_round(config, db, warc, stop_after=3)
        resumed = one_round(config, db, warc)
        expected = {site.url(p) for site in (sites["herald"], sites["ledger"]) for p in site.article_paths()}
        gets = article_gets(sites["herald"]) + article_gets(sites["ledger"])
    assert 3 <= stopped.fetched < len(expected)
    assert stopped.new + resumed.new == len(expected)
    assert {u for (u,) in stored(db, "SELECT url FROM articles")} == expected
    assert set(gets.values()) == {1}


def test_a_source_that_is_not_local_never_reaches_a_loopback_address(tmp_path: Path) -> None:
    with outlets(CORPUS) as sites:
        config = parse_sources({"watch": FAST, "source": [{"name": "H", "feeds": [sites["herald"].url("/rss.xml")]}]})
        report = one_round(config, tmp_path / "s.sqlite", tmp_path / "warc")
        assert sites["herald"].hits == []
    assert "private or loopback address" in report.errors[0].reason


def test_watch_once_on_the_command_line(tmp_path: Path) -> None:
    with outlets(CORPUS) as sites:
        herald = sites["herald"]
        toml = tmp_path / "sources.toml"
        toml.write_text(f'[watch]\nper_host_delay = 0.05\ncontact = "desk@example.org"\n\n[[source]]\n'
                        f'name = "Herald"\nfeeds = ["{herald.url("/rss.xml")}"]\ninclude = ["/news/"]\n'
                        f'local = true\n', encoding="utf-8")
        db = tmp_path / "w.sqlite"
        run = subprocess.run([sys.executable, "-m", "newsprism.cli", "watch", str(toml), "--db", str(db), "--once"],
                             capture_output=True, text=True, timeout=300)
        agent = herald.hits[0].headers["user-agent"]
    assert run.returncode == 0, run.stderr
    assert agent.endswith("(+desk@example.org)")
    summary = json.loads(run.stderr.strip().splitlines()[-1].split(": ", 1)[1])
    assert summary["new"] == len(herald.article_paths()) and summary["failed"] == 0
    assert list((tmp_path / "w.sqlite.warc").glob("*.warc.gz"))
    with Store(db) as store:
        first = next(store.articles())
        assert {"entities", "quotes", "timex"} <= set(store.article(first.id).layers)  # annotated as ingest does
        assert store.counts()["stories"] >= 1


@pytest.mark.parametrize(("text", "message"), [
    ("[[source]]\nname = 'A'\nfeed = ['https://a.example/rss']\n", "unknown key 'feed' (did you mean feeds?)"),
    ("[[source]]\nname = 'A'\n", "give a home page, feeds or sitemaps"),
    ("[[source]]\nname = 'A'\nfeeds = ['ftp://a.example/rss']\n", "is not an http(s) URL"),
    ("[watch]\nper_host_delay = 'slow'\n[[source]]\nname = 'A'\nhome = 'https://a.example/'\n", "wrong type"),
    ("[[source]]\nname = 'A'\nhome = 'https://a.example/'\n[[source]]\nname = 'A'\nhome = 'https://b.example/'\n",
     "given twice"),
    ("[[source\n", "not valid TOML"),
])
def test_a_bad_sources_file_is_one_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourcesError) as raised:
        load_sources(path)
    assert message in str(raised.value) and "\n" not in str(raised.value)
    run = subprocess.run([sys.executable, "-m", "newsprism.cli", "watch", str(path), "--once", "--db",
                          str(tmp_path / "x.sqlite")], capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and message in run.stderr and not (tmp_path / "x.sqlite").exists()


def test_urls_are_one_spelling_and_listings_parse_without_the_network() -> None:
    assert normal_url("/news/a.html?utm_source=x&id=2#top", "HTTP://Example.COM/") == "http://example.com/news/a.html?id=2"
    assert normal_url("javascript:alert(1)", "https://a.example/") is None
    sitemap = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
               b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://a.example/n/1&e;</loc>'
               b'<lastmod>2026-03-01T10:00:00+00:00</lastmod></url><url><loc>https://a.example/n/2</loc></url></urlset>')
    listing = read_listing("sitemap", gzip.compress(sitemap), "https://a.example/sitemap.xml.gz")
    assert [e.url for e in listing.entries][-1] == "https://a.example/n/2"
    assert all("root:" not in e.url for e in listing.entries)
    assert listing.entries[0].listed is None or listing.entries[0].listed.startswith("2026-03-01")
    assert retry_after("7", 1.0) == 7.0 and retry_after("soon", 1.0) == 1.0


def test_the_example_sources_the_demo_points_to_are_valid() -> None:
    config = load_sources(Path(__file__).resolve().parents[1] / "examples" / "sources.toml")
    assert len(config.sources) >= 3 and not any(s.local for s in config.sources)


def test_bench_watch_measures_pages_and_politeness() -> None:
    from newsprism.bench import watch as watch_bench

    results = watch_bench.run(CORPUS, copies=2, delay=0.05)
    full, workers, fetch_only = results["throughput"]
    assert full["pages"] == workers["pages"] == fetch_only["pages"] > 0 and full["pages_per_s"] > 0
    polite = results["politeness"]
    assert polite["forbidden_requests"] == 0
    assert polite["hosts"]["ledger"]["min_gap_s"] >= 0.95  # its Crawl-delay, not the 0.05 s asked
    assert polite["hosts"]["herald"]["second_round_article_200"] == 0
    assert "| herald |" in watch_bench.format_tables(results)


def test_a_watch_stopped_by_sigterm_exits_cleanly_and_the_next_run_completes_it(tmp_path: Path) -> None:
    import signal
    import time

    with outlets(CORPUS) as sites:
        herald, ledger = sites["herald"], sites["ledger"]
        toml = tmp_path / "sources.toml"
        toml.write_text(f'[watch]\nper_host_delay = 0.05\n\n[[source]]\nname = "Herald"\n'
                        f'feeds = ["{herald.url("/rss.xml")}"]\n'
                        f'local = true\n\n[[source]]\nname = "Ledger"\nsitemaps = ["{ledger.url("/sitemap.xml")}"]\n'
                        f'local = true\n', encoding="utf-8")
        db = tmp_path / "w.sqlite"
        command = [sys.executable, "-m", "newsprism.cli", "watch", str(toml), "--db", str(db)]
        running = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while not article_gets(ledger) and time.monotonic() < deadline:  # ledger's pages come 1 s apart
            time.sleep(0.05)
        running.send_signal(signal.SIGTERM)
        _, stderr = running.communicate(timeout=120)
        assert running.returncode == 0, stderr
        assert "stopping after the pages in flight" in stderr and "watched into" in stderr
        first = {u for (u,) in stored(db, "SELECT url FROM articles")}
        rerun = subprocess.run([*command, "--once"], capture_output=True, text=True, timeout=300)
        expected = {site.url(p) for site in (herald, ledger) for p in site.article_paths()}
        gets = article_gets(herald) + article_gets(ledger)
    assert rerun.returncode == 0, rerun.stderr
    assert first < expected  # stopped midway
    assert {u for (u,) in stored(db, "SELECT url FROM articles")} == expected
    assert set(gets.values()) == {1}  # nothing fetched twice


def test_the_address_is_checked_where_the_connection_is_made() -> None:
    """A name is resolved once, at connection time, and the connection goes to the address checked: a
    name that resolves to a public address for a check and a private one for the connection (DNS
    rebinding) cannot get through, because there is no second lookup."""
    from newsprism.watch.fetch import PublicNetwork, Refused, public_address

    with outlets(CORPUS) as sites:
        port = int(sites["herald"].base.rsplit(":", 1)[1])
        with pytest.raises(Refused, match="private or loopback"):
            public_address("localhost", port)
        assert public_address("localhost", port, allow_private=True) in ("127.0.0.1", "::1")
        network = PublicNetwork()
        with pytest.raises(Refused):
            network.connect_tcp("localhost", port)
        network.allow_private(True)
        network.connect_tcp("127.0.0.1", port).close()
        config = parse_sources({"watch": FAST, "source": [
            {"name": "H", "feeds": [f"http://localhost:{port}/rss.xml"]}]})
        fetcher = Fetcher(config)
        try:
            [fetched] = fetcher.fetch(fetcher_request(config, f"http://localhost:{port}/rss.xml"))
        finally:
            fetcher.close()
        assert sites["herald"].hits == [] and "private or loopback" in (fetched.refused or "")


def fetcher_request(config: Any, url: str) -> Any:
    from newsprism.watch.fetch import Request

    return Request(url, config.sources[0], "feed")


def test_a_quiet_rewrite_is_caught_only_when_recent_pages_are_revisited(tmp_path: Path) -> None:
    """An outlet that rewrites a story without touching its feed date: the default watch does not ask
    again (the listing says nothing changed); with revisit_hours it asks, conditionally, and keeps both."""
    with outlets(CORPUS) as sites:
        herald = sites["herald"]
        plain = config_for(sites, ["herald"], per_host_delay=0.05)
        revisiting = config_for(sites, ["herald"], per_host_delay=0.05, revisit_hours=1, revisit_every_hours=0)
        for name, config in (("plain", plain), ("revisiting", revisiting)):
            db = tmp_path / f"{name}.sqlite"
            one_round(config, db, tmp_path / "warc")
            path = herald.article_paths()[0 if name == "plain" else 1]
            herald.edit(path, silently=True)
            count = len(herald.hits)
            second = one_round(config, db, tmp_path / "warc")
            asked = [h for h in herald.hits[count:] if h.path.startswith("/news/")]
            if name == "plain":
                assert asked == [] and second.changed == 0
            else:
                pages = [h for h in asked if h.path in herald.article_paths()]  # and the redirect, asked again
                assert {h.path for h in pages} == set(herald.article_paths())
                assert all("if-none-match" in h.headers for h in pages)
                assert second.changed == 1 and second.not_modified == len(pages) - 1


def test_a_round_fetches_at_most_its_share_of_a_source_the_newest_first(tmp_path: Path) -> None:
    with outlets(CORPUS) as sites:
        herald = sites["herald"]
        config = config_for(sites, ["herald"], per_host_delay=0.05, max_pages_per_round=2)
        db = tmp_path / "s.sqlite"
        asked: list[list[str]] = []
        for _ in range(5):
            count = len(herald.hits)
            one_round(config, db, tmp_path / "warc")
            asked.append([h.path for h in herald.hits[count:] if h.path.startswith("/news/")])
    newest_first = sorted(herald.article_paths(), reverse=True)  # the paths carry their dates
    # two listed pages a round (a redirect's target comes with it), the most recently listed first
    assert all(len({p for p in paths if p != newest_first[0]}) <= 2 for paths in asked)
    assert newest_first[0] in asked[0] and newest_first[-1] not in asked[0] + asked[1]
    assert {u for (u,) in stored(db, "SELECT url FROM articles")} == {herald.url(p) for p in newest_first}


def test_a_feed_may_list_its_articles_on_another_host_and_a_stray_link_stays_out() -> None:
    from newsprism.watch.sources import article_host

    source = parse_sources({"source": [{"name": "B", "feeds": ["https://feeds.example.net/world.xml"]}]}).sources[0]
    links = [f"https://www.example-news.com/world/{n}" for n in range(5)] + ["https://ads.example.org/x"]
    host = article_host(links)
    assert host == "www.example-news.com"
    assert [source.keeps(url, host) for url in links] == [True] * 5 + [False]
    assert article_host(["https://a.example/1", "https://b.example/2"]) is None  # no host holds most of them


def test_a_json_feed_is_read_too() -> None:
    feed = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Harbour Gazette", "items": [
        {"id": "1", "url": "/news/pier-reopens", "date_published": "2026-05-10T08:00:00Z"},
        {"id": "2", "external_url": "https://harbour.example/news/ferry?utm_source=feed"},
        {"id": "3", "content_text": "no link"}]}).encode()
    listing = read_listing("feed", feed, "https://harbour.example/feed.json")
    assert [(e.url, e.listed) for e in listing.entries] == [
        ("https://harbour.example/news/pier-reopens", "2026-05-10T08:00:00Z"),
        ("https://harbour.example/news/ferry", None)]
    assert read_listing("feed", b"{not json", "https://harbour.example/f.json").problem.startswith("unreadable JSON")
