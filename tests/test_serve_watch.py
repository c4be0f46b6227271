"""What `newsprism watch` collected, as the API and the pages show it: versions of a rewritten and a deleted
page with what changed, the sources' health, and what is new since a time.

The store is built by the real watcher against the loopback outlets (tests of the watcher itself are in
tests/test_outlets.py): one round, then the Herald rewrites one article (with a paragraph of markup shown as
text) and deletes another, then a second round; the Closed Gazette's robots.txt answers 503 throughout. Every
test runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from newsprism.bench.outlets import _insert_in_body, outlets
from newsprism.serve import queries
from newsprism.serve.app import background_server, create_app
from newsprism.store import Store
from newsprism.store.base import store_time
from newsprism.watch import parse_sources, watch_sources
from serve_fixture import calm_article, live_server

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
HOSTILE = "Officials said <script>alert(1)</script> was in the statement."
HOSTILE_HTML = "<p>Officials said &lt;script&gt;alert(1)&lt;/script&gt; was in the statement.</p>"
UPDATE_NOTE = "Updated: this report was revised after publication (revision 1)."


def _article_of(store: Store, url: str, version: int = 1) -> str:
    return store.db.execute("SELECT article_id FROM page_versions WHERE url = ? AND version = ?",
                            (url, version)).fetchone()[0]


@pytest.fixture(scope="module")
def watched(module_store_target: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Two rounds over the Herald with a rewrite and a deletion between them, and one article from elsewhere."""
    warc = tmp_path_factory.mktemp("warc")
    before = store_time(datetime.now(UTC) - timedelta(seconds=1))
    with outlets(CORPUS) as sites, Store(module_store_target) as store:
        herald = sites["herald"]
        config = parse_sources({"watch": {"per_host_delay": 0, "timeout": 2, "backoff": 0.1}, "source": [
            {"name": "Herald", "feeds": [herald.url("/rss.xml")], "local": True},
            {"name": "Closed Gazette", "feeds": [sites["closed"].url("/rss.xml")], "local": True}]})
        first = watch_sources(config, store, warc, once=True, annotate=False)[0]
        edited, deleted = herald.article_paths()[:2]
        time.sleep(1.01 - time.time() % 1)  # the rounds' times differ by at least a second
        between = store_time(datetime.now(UTC))
        doc = herald._docs[edited]  # edit() adds a fixed note: a paragraph of markup goes in first
        doc.body = _insert_in_body(doc.body, HOSTILE_HTML)
        herald.edit(edited)
        herald.delete(deleted)
        second = watch_sources(config, store, warc, once=True, annotate=False)[0]
        elsewhere = calm_article()
        store.add_article(elsewhere)
        store.commit()
        found = {"edited": _article_of(store, herald.url(edited)), "deleted": _article_of(store, herald.url(deleted)),
                 "rewritten": _article_of(store, herald.url(edited), 2)}
    assert (first.new, second.changed, second.gone) == (6, 1, 1)
    after = store_time(datetime.now(UTC) + timedelta(seconds=1))
    return {**found, "elsewhere": elsewhere.id, "target": module_store_target, "first": first, "second": second,
            "before": before, "between": between, "after": after}


@pytest.fixture(scope="module")
def base_url(watched: dict[str, Any]) -> Iterator[str]:
    with live_server(watched["target"]) as url:
        yield url


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def get_json(url: str) -> Any:
    status, body = fetch(url)
    assert status == 200, body
    return json.loads(body)


def main_of(url: str) -> str:
    """The page's <main>: the only script of a page is static/app.js, in its <head>."""
    status, body = fetch(url)
    assert status == 200, body
    return body.decode().split("<main>", 1)[1]


def test_the_new_operations_conform_to_the_openapi_description_with_watched_data(base_url: str) -> None:
    """As tests/test_serve_api.py checks every operation on a store without watch data."""
    schemathesis = pytest.importorskip("schemathesis", reason="schemathesis not installed (dev extra)")
    from hypothesis import HealthCheck, given, settings

    schema = schemathesis.openapi.from_url(f"{base_url}/api/openapi.json").include(path=["/api/new", "/api/sources"])
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 2
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                  database=None)
        def conforms(case: Any) -> None:
            case.call_and_validate()

        conforms()


def test_a_rewritten_page_keeps_both_versions_and_what_changed(base_url: str, watched: dict[str, Any]) -> None:
    article = get_json(f"{base_url}/api/articles/{watched['edited']}")
    versions = article["versions"]
    assert [(v["version"], v["status"], v["article_id"]) for v in versions] == [
        (1, 200, watched["edited"]), (2, 200, watched["rewritten"])]
    assert all(v["warc"]["file"].endswith(".warc.gz") and v["warc"]["record"] for v in versions)
    [change] = article["changes"]
    assert (change["from_version"], change["to_version"]) == (1, 2)
    assert [change["from_fetched_at"], change["to_fetched_at"]] == [v["fetched_at"] for v in versions]
    assert change["from_fetched_at"] < watched["between"] <= change["to_fetched_at"]
    assert change["title"]["before"] == article["title"] and "revised" in change["title"]["after"]
    assert [p["after"]["text"] for p in change["passages"] if p["kind"] == "added"] == [HOSTILE, UPDATE_NOTE]
    assert change["kept"] > 0
    assert get_json(f"{base_url}/api/articles/{watched['rewritten']}")["versions"] == versions


def test_a_story_lists_the_rewritten_version_but_compares_the_page_as_it_is_now(
        base_url: str, watched: dict[str, Any]) -> None:
    [story] = get_json(f"{base_url}/api/articles/{watched['rewritten']}")["stories"]
    found = get_json(f"{base_url}/api/stories/{story['id']}")
    flags = {a["id"]: a["superseded"] for a in found["articles"]}
    assert flags[watched["edited"]] is True and flags[watched["rewritten"]] is False
    page = main_of(f"{base_url}/stories/{story['id']}")
    assert "earlier versions of pages" in page
    current = sum(not a["superseded"] for a in found["articles"])
    assert f"{current} articles from" in page  # the earlier version is listed, not counted
    compared: list[str] = []

    def recording(articles: list[Any]) -> dict[str, Any]:
        compared.extend(a.id for a in articles)
        return {"schema": "newsprism.comparison/1"}

    with background_server(create_app(watched["target"], comparer=recording, annotate=False)) as url:
        get_json(f"{url}/api/stories/{story['id']}/comparison")
    assert watched["rewritten"] in compared and watched["edited"] not in compared


def test_a_deleted_page_ends_with_its_410(base_url: str, watched: dict[str, Any]) -> None:
    article = get_json(f"{base_url}/api/articles/{watched['deleted']}")
    assert [(v["status"], v["article_id"]) for v in article["versions"]] == [(200, watched["deleted"]), (410, None)]
    assert article["changes"] == []


def test_an_article_from_elsewhere_has_no_versions(base_url: str, watched: dict[str, Any]) -> None:
    article = get_json(f"{base_url}/api/articles/{watched['elsewhere']}")
    assert (article["versions"], article["changes"]) == ([], [])


def test_sources_show_the_herald_healthy_with_its_articles_of_today(base_url: str, watched: dict[str, Any]) -> None:
    closed, herald = get_json(f"{base_url}/api/sources")
    first, second = watched["first"], watched["second"]
    assert (herald["name"], herald["health"], herald["errors_24h"], herald["last_error"]) == ("Herald", "ok", 0, None)
    assert herald["requests_24h"] + closed["requests_24h"] == first.requests + second.requests
    assert watched["between"] <= herald["last_fetch"] == herald["last_ok"] < watched["after"]
    assert herald["pages"] >= 6
    days = herald["per_day"]
    assert len(days) == 14 and days[-1] == {"day": datetime.now(UTC).date().isoformat(), "articles": first.new}
    assert sum(d["articles"] for d in days) == first.new  # the rewrite is no new article of the day


def test_a_source_whose_robots_txt_fails_is_failing(base_url: str) -> None:
    closed = get_json(f"{base_url}/api/sources")[0]
    assert (closed["name"], closed["health"], closed["pages"]) == ("Closed Gazette", "failing", 0)
    assert closed["requests_24h"] == 2 and closed["errors_24h"] == 4  # robots.txt, then the feed it keeps us from
    assert closed["last_ok"] is None and closed["last_error"]["error"].endswith("robots.txt disallows it")
    assert {d["articles"] for d in closed["per_day"]} == {0}


def test_sources_not_fetched_for_a_day_are_stale(watched: dict[str, Any]) -> None:
    with Store(watched["target"]) as store:
        later = queries.source_health(store.db, datetime.now(UTC) + timedelta(days=2))
    assert [(s["health"], s["requests_24h"], s["errors_24h"]) for s in later] == [("stale", 0, 0)] * 2
    assert [d["articles"] for d in later[1]["per_day"]][-3] == watched["first"].new


def test_new_since_lists_articles_changed_pages_and_grown_stories(base_url: str, watched: dict[str, Any]) -> None:
    everything = get_json(f"{base_url}/api/new?since={watched['before']}")
    stored = watched["first"].new + watched["second"].new + 1
    assert everything["since"] == watched["before"] and everything["articles"]["total"] == stored
    assert everything["stories"]["total"] == get_json(f"{base_url}/api/stories")["total"]
    changed = everything["changed"]["items"]
    assert {(c["status"], c["article_id"], c["previous_article_id"]) for c in changed} == {
        (200, watched["rewritten"], watched["edited"]), (410, None, watched["deleted"])}

    later = get_json(f"{base_url}/api/new?since={watched['between']}")
    assert {a["id"] for a in later["articles"]["items"]} == {watched["rewritten"], watched["elsewhere"]}
    assert later["changed"]["total"] == 2
    grew = {s["id"] for s in get_json(f"{base_url}/api/articles/{watched['rewritten']}")["stories"]}
    assert grew and {s["id"] for s in later["stories"]["items"]} == grew
    assert all(1 <= s["added"] <= s["articles"] for s in later["stories"]["items"])

    nothing = get_json(f"{base_url}/api/new?since={watched['after']}")
    assert [nothing[k]["total"] for k in ("articles", "changed", "stories")] == [0, 0, 0]


def test_new_pages_through_each_list(base_url: str, watched: dict[str, Any]) -> None:
    page = get_json(f"{base_url}/api/new?since={watched['before']}&limit=2&offset=1")
    assert (len(page["articles"]["items"]), page["articles"]["next_offset"]) == (2, 3)
    assert (len(page["changed"]["items"]), page["changed"]["next_offset"]) == (1, None)


@pytest.mark.parametrize("since", ["garbage", "2026-13-01", "", "2026-02-30T10:00:00Z"])
def test_new_refuses_a_time_that_is_none_with_400(base_url: str, since: str) -> None:
    status, body = fetch(f"{base_url}/api/new?since={urllib.request.quote(since)}")
    assert status == 400 and "is not an ISO 8601 time" in json.loads(body)["error"]["message"]


def test_new_needs_a_time(base_url: str) -> None:
    assert fetch(f"{base_url}/api/new")[0] == 422


def test_the_article_page_shows_the_versions_and_the_changes_as_text(base_url: str, watched: dict[str, Any]) -> None:
    page = main_of(f"{base_url}/articles/{watched['edited']}")
    assert 'id="versions"' in page and f'href="/articles/{watched["rewritten"]}">read this version' in page
    assert 'id="article-later"' in page and UPDATE_NOTE in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script" not in page
    deleted = main_of(f"{base_url}/articles/{watched['deleted']}")
    assert "deleted by the outlet (HTTP 410)" in deleted and "The outlet deleted this page since" in deleted
    assert 'id="versions"' not in main_of(f"{base_url}/articles/{watched['elsewhere']}")


def test_the_sources_and_new_pages_render(base_url: str, watched: dict[str, Any]) -> None:
    status, body = fetch(f"{base_url}/sources")
    assert status == 200 and b'href="/sources"' in body and b'href="/new"' in body
    sources = body.decode()
    assert "Herald" in sources and 'class="health health-ok"' in sources and 'class="health health-failing"' in sources
    new = main_of(f"{base_url}/new?since={watched['between']}")
    for section in ("new-articles", "new-changed", "new-stories"):
        assert f'id="{section}"' in new
    assert f'href="/articles/{watched["rewritten"]}#versions"' in new and "deleted (410)" in new
    assert "<script" not in new
    assert 'name="since"' in main_of(f"{base_url}/new")  # 24 h ago by default
    status, body = fetch(f"{base_url}/new?since=garbage")
    assert status == 400 and b"is not an ISO 8601 time" in body
