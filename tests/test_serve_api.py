"""The REST API on a real loopback server: schemathesis against /api/openapi.json, then the behaviour.

schemathesis generates requests from the OpenAPI description of every operation and checks each
response (no 5xx, documented status, content type and JSON schema); the tests after it check what
the description cannot say: filters, pagination, offsets, tokens, limits, escaping, exports.
"""

from __future__ import annotations

import csv
import io
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from newsprism.compare import compare_story
from newsprism.model import Article, Span
from newsprism.serve import create_app, queries
from newsprism.serve.app import background_server, smoke_check
from newsprism.serve.render import safe_url, technique_segments
from newsprism.serve.web import environment
from newsprism.store import EventRow, Store
from serve_fixture import HOSTILE_TEXT, TOKEN, build_store, fake_comparer, live_server
from store_targets import new_store_target


@pytest.fixture(scope="module")
def store_ids(module_store_target: str) -> tuple[str, dict[str, str]]:
    """The fixture store, on each back end in turn: every test below runs on both."""
    return module_store_target, build_store(module_store_target)


@pytest.fixture(scope="module")
def base_url(store_ids: tuple[str, dict[str, str]]) -> Any:
    with live_server(store_ids[0], max_upload=4096) as url:
        yield url


@pytest.fixture(scope="module")
def ids(store_ids: tuple[str, dict[str, str]]) -> dict[str, str]:
    return store_ids[1]


def test_every_operation_conforms_to_the_openapi_description(base_url: str) -> None:
    """schemathesis' own pytest plugin does not load under this pytest, so its engine is driven directly."""
    schemathesis = pytest.importorskip("schemathesis", reason="schemathesis not installed (dev extra)")
    from hypothesis import HealthCheck, given, settings

    schema = schemathesis.openapi.from_url(f"{base_url}/api/openapi.json")
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                  database=None)
        def conforms(case: Any) -> None:
            case.call_and_validate()

        try:
            conforms()
        except Exception as error:  # collect every operation's failure, not only the first
            failures.append(f"{operation.label}: {error}")
    assert operations == 20
    assert not failures, "\n\n".join(failures)


def fetch(url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, Any, bytes]:
    method = "POST" if data is not None else "GET"
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def get_json(url: str) -> Any:
    status, _, body = fetch(url)
    assert status == 200, body
    return json.loads(body)


def test_the_description_documents_every_api_route(base_url: str) -> None:
    paths = get_json(f"{base_url}/api/openapi.json")["paths"]
    expected = {"/api/articles", "/api/articles/{article_id}", "/api/stories", "/api/stories/{story_id}",
                "/api/stories/{story_id}/comparison", "/api/outlets", "/api/outlets/profile", "/api/entities",
                "/api/speakers", "/api/quotes", "/api/search", "/api/ingest", "/api/export/articles.jsonl",
                "/api/stories/{story_id}/report", "/api/events/{event_id}", "/api/events/{event_id}/comparison",
                "/api/events/{event_id}/report", "/api/export/{table}.csv", "/api/new", "/api/sources"}
    assert set(paths) == expected
    assert paths["/api/ingest"]["post"]["security"] == [{"HTTPBearer": []}]


def test_article_has_its_layers_with_offsets_into_its_text(base_url: str, ids: dict[str, str]) -> None:
    article = get_json(f"{base_url}/api/articles/{ids['hostile']}")
    assert article["text"] == HOSTILE_TEXT
    spans = article["layers"]["techniques"]["spans"]
    assert [article["text"][s["start"]:s["end"]] for s in spans] == ["disgraceful blunder", "Everyone knows"]
    assert spans[0]["attrs"]["score"] == 0.91
    assert article["stories"] == [{"id": "s-pier", "title": "Port Velm ferry pier reopens"}]
    assert article["event"] == "ev-reopened"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=pier", {"hostile", "calm", "closed"}),
        ("q=pier&outlet=Coastal+Wire", {"calm", "closed"}),
        ("q=&technique=Loaded_Language", {"hostile"}),
        ("entity=Lena+Marsh", {"hostile", "calm"}),
        ("language=de", {"other"}),
        ("since=2026-04-05&until=2026-04-06", {"hostile", "calm"}),
        ("until=2026-04-05", {"other"}),
        ("q=ferry&technique=Doubt", {"calm"}),
    ],
)
def test_search_filters(base_url: str, ids: dict[str, str], query: str, expected: set[str]) -> None:
    found = {item["id"] for item in get_json(f"{base_url}/api/search?{query}")["items"]}
    assert found == {ids[role] for role in expected}


def test_listings_are_paginated_with_stable_order(base_url: str) -> None:
    first = get_json(f"{base_url}/api/articles?limit=2")
    second = get_json(f"{base_url}/api/articles?limit=2&offset=2")
    assert (first["total"], first["next_offset"], second["next_offset"]) == (4, 2, None)
    everything = [a["id"] for a in get_json(f"{base_url}/api/articles?limit=10")["items"]]
    assert [a["id"] for a in first["items"] + second["items"]] == everything


def test_stories_with_coverage_and_comparison(base_url: str, ids: dict[str, str]) -> None:
    stories = get_json(f"{base_url}/api/stories")["items"]
    assert stories[0]["id"] == "s-pier"
    assert stories[0]["coverage"] == {"Coastal Wire": 2, "Harbour Gazette": 1}
    assert stories[0]["events"] == 2 and stories[0]["articles"] == 3
    story = get_json(f"{base_url}/api/stories/s-pier")
    assert [a["id"] for a in story["articles"]] == [ids["hostile"], ids["calm"], ids["closed"]]
    assert story["comparison"]["conflicts"][0]["slot"] == "repair time"
    assert fetch(f"{base_url}/api/stories/s-library/comparison")[0] == 404


def test_a_story_lists_its_events_by_date_with_their_outlets(base_url: str) -> None:
    events = get_json(f"{base_url}/api/stories/s-pier")["events"]
    assert events == [
        {"id": "ev-reopened", "title": "Ferry pier reopens", "first": "2026-04-06", "last": "2026-04-06",
         "articles": 2, "outlets": ["Coastal Wire", "Harbour Gazette"]},
        {"id": "ev-closed", "title": "Storm shuts the ferry pier", "first": "2026-04-09", "last": "2026-04-09",
         "articles": 1, "outlets": ["Coastal Wire"]},
    ]


def test_an_event_has_its_story_articles_and_own_comparison(base_url: str, ids: dict[str, str]) -> None:
    event = get_json(f"{base_url}/api/events/ev-reopened")
    assert event["story"] == {"id": "s-pier", "title": "Port Velm ferry pier reopens"}
    assert [a["id"] for a in event["articles"]] == [ids["hostile"], ids["calm"]]
    assert event["coverage"] == {"Coastal Wire": 1, "Harbour Gazette": 1}
    assert get_json(f"{base_url}/api/events/ev-reopened/comparison")["conflicts"][0]["slot"] == "repair time"
    closed = get_json(f"{base_url}/api/events/ev-closed")
    assert ([a["id"] for a in closed["articles"]], closed["comparison"]) == ([ids["closed"]], None)
    assert fetch(f"{base_url}/api/events/ev-closed/comparison")[0] == 404  # one outlet: nothing to compare
    status, headers, body = fetch(f"{base_url}/api/events/ev-reopened/report?format=md")
    assert status == 200 and headers["content-disposition"] == 'attachment; filename="event-ev-reopened.md"'
    assert "Port Velm" in body.decode()


class _Unfollowed(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any) -> None:
        return None


def redirect_of(url: str) -> tuple[int, str]:
    """The status and Location of a response, without following it."""
    try:
        with urllib.request.build_opener(_Unfollowed).open(url, timeout=10) as response:
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("location", "")


@pytest.mark.parametrize(
    ("path", "living"),
    [
        ("/api/events/ev-old-reopening", "/api/events/ev-reopened"),
        ("/api/events/ev-old-reopening/report?format=md", "/api/events/ev-reopened/report?format=md"),
        ("/api/stories/s-old-pier", "/api/stories/s-pier"),
        ("/api/stories/s-old-pier/comparison", "/api/stories/s-pier/comparison"),
        ("/events/ev-old-reopening", "/events/ev-reopened"),
        ("/stories/s-old-pier", "/stories/s-pier"),
    ],
)
def test_merged_ids_redirect_to_the_living_one(base_url: str, path: str, living: str) -> None:
    assert redirect_of(base_url + path) == (307, living)
    assert fetch(base_url + path)[0] == 200


def test_unknown_events_and_stories_are_404(base_url: str) -> None:
    for path, message in [("/api/events/unknown", "no event 'unknown'"), ("/api/stories/unknown", "no story 'unknown'"),
                          ("/api/events/unknown/comparison", "no event 'unknown'")]:
        code, headers, body = fetch(base_url + path)
        assert (code, headers["content-type"]) == (404, "application/json")
        assert json.loads(body)["error"] == {"status": 404, "message": message, "details": []}
    code, headers, body = fetch(f"{base_url}/events/unknown")
    assert code == 404 and headers["content-type"].startswith("text/html") and "no event" in body.decode()


def test_undated_events_come_last(tmp_path: Path) -> None:
    build_store(tmp_path / "undated.sqlite")
    with Store(tmp_path / "undated.sqlite") as store:
        store.save_grouping([EventRow("ev-aaa-undated", None, "s-pier", None, None, [])], [], {}, {})
        store.commit()
        events = queries.story_events(store.db, "s-pier")
    assert [(e["id"], e["first"]) for e in events] == [
        ("ev-reopened", "2026-04-06"), ("ev-closed", "2026-04-09"), ("ev-aaa-undated", None)]


def test_quotes_by_speaker_and_speakers(base_url: str) -> None:
    quotes = get_json(f"{base_url}/api/quotes?speaker=Lena+Marsh")
    assert sorted(q["text"] for q in quotes["items"]) == ['"We fixed it in nine days,"', '"about two weeks"']
    speakers = get_json(f"{base_url}/api/speakers")["items"]
    assert speakers == [{"speaker": "Lena Marsh", "quotes": 2, "outlets": 2}]


def test_outlets_and_entities(base_url: str) -> None:
    outlets = {o["name"]: o for o in get_json(f"{base_url}/api/outlets")}
    assert (outlets["Coastal Wire"]["articles"], outlets["Coastal Wire"]["stories"]) == (3, 2)
    profile = get_json(f"{base_url}/api/outlets/profile?name=Harbour+Gazette")
    assert profile["techniques"] == {"Bandwagon,Reductio_ad_hitlerum": 1, "Loaded_Language": 1}
    assert profile["first_reports"] == 1
    entities = get_json(f"{base_url}/api/entities?label=PERSON")["items"]
    assert entities == [{"name": "Lena Marsh", "label": "PERSON", "articles": 2}]


def test_bad_requests_get_clear_json_errors(base_url: str) -> None:
    for path, status in [("/api/search?since=April", 422), ("/api/search?limit=201", 422),
                         ("/api/articles?limit=0", 422), ("/api/articles/unknown", 404)]:
        code, headers, body = fetch(base_url + path)
        error = json.loads(body)["error"]
        assert (code, error["status"], headers["content-type"]) == (status, status, "application/json")
        assert error["message"]


def test_every_response_carries_the_strict_csp(base_url: str) -> None:
    for path in ("/", "/api/outlets", "/static/app.js", "/nowhere", "/api/articles/unknown"):
        csp = fetch(base_url + path)[1]["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_pages_escape_markup_and_never_link_javascript_urls(base_url: str, ids: dict[str, str]) -> None:
    for path in (f"/articles/{ids['hostile']}", "/stories/s-pier", "/search?q=pier"):
        body = fetch(base_url + path)[2].decode()
        assert "&lt;script&gt;" in body
        assert "<script>document" not in body and "<img src=x" not in body
        assert 'href="javascript:' not in body.lower()


UPLOAD = json.dumps({"title": "Tide gauge installed at the north mole", "outlet": "Harbour Gazette",
                     "published": "2026-04-08", "text": "A new tide gauge now reports the water level at the north"
                     " mole every minute, the harbour office said. The old gauge had drifted by four centimetres."})


def test_upload_needs_the_token(base_url: str) -> None:
    url = f"{base_url}/api/ingest?filename=rows.jsonl"
    assert fetch(url, UPLOAD.encode())[0] == 401
    assert fetch(url, UPLOAD.encode(), {"Authorization": "Bearer wrong"})[0] == 401


def test_upload_is_size_limited(base_url: str) -> None:
    status, _, body = fetch(f"{base_url}/api/ingest", b"x" * 5000, {"Authorization": f"Bearer {TOKEN}"})
    assert status == 413 and "4096" in json.loads(body)["error"]["message"]


def test_upload_with_the_token_adds_the_article(tmp_path: Path) -> None:
    """On a store of its own: an ingest links the whole store again, so the shared fixture stories would go."""
    build_store(tmp_path / "upload.sqlite")
    with live_server(tmp_path / "upload.sqlite") as base_url:
        _upload_and_fetch(base_url)


def test_upload_on_postgresql_writes_through_a_pooled_connection(request: pytest.FixtureRequest,
                                                                 tmp_path: Path) -> None:
    target = new_store_target("postgresql", tmp_path, request)
    build_store(target)
    with live_server(target) as base_url:
        _upload_and_fetch(base_url)


def _upload_and_fetch(base_url: str) -> None:
    before = {o["name"]: o["articles"] for o in get_json(f"{base_url}/api/outlets")}
    status, _, body = fetch(f"{base_url}/api/ingest?filename=rows.jsonl", UPLOAD.encode(),
                            {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/octet-stream"})
    result = json.loads(body)
    assert status == 200 and result["new"] + result["unchanged"] == 1, result
    article = get_json(f"{base_url}/api/articles/{result['articles'][0]}")
    assert article["title"] == "Tide gauge installed at the north mole"
    assert get_json(f"{base_url}/api/search?q=tide+gauge")["total"] == 1
    after = {o["name"]: o["articles"] for o in get_json(f"{base_url}/api/outlets")}  # cached figures renewed
    assert after["Harbour Gazette"] == before["Harbour Gazette"] + 1


def test_exports(base_url: str, ids: dict[str, str]) -> None:
    status, headers, body = fetch(f"{base_url}/api/export/articles.jsonl")
    rows = {row["id"]: row for row in map(json.loads, body.decode().splitlines())}
    assert status == 200 and ids["hostile"] in rows
    assert set(rows[ids["hostile"]]["layers"]) == {"entities", "quotes", "techniques"}
    status, headers, body = fetch(f"{base_url}/api/export/techniques.csv")
    table = list(csv.DictReader(io.StringIO(body.decode())))
    assert headers["content-type"].startswith("text/csv")
    assert sorted(r["technique"] for r in table) == ["Bandwagon,Reductio_ad_hitlerum", "Doubt", "Loaded_Language"]
    assert fetch(f"{base_url}/api/export/secrets.csv")[0] == 422
    rows = list(csv.DictReader(io.StringIO(fetch(f"{base_url}/api/export/stories.csv")[2].decode())))
    assert {(r["article_id"], r["event_id"]) for r in rows if r["story_id"] == "s-pier"} == {
        (ids["hostile"], "ev-reopened"), (ids["calm"], "ev-reopened"), (ids["closed"], "ev-closed")}


def test_loopback_service_refuses_foreign_host_names(store_ids: tuple[str, dict[str, str]]) -> None:
    app = create_app(store_ids[0], allowed_hosts=["127.0.0.1", "localhost"])
    with background_server(app) as url:
        assert fetch(f"{url}/api/outlets")[0] == 200
        assert fetch(f"{url}/api/outlets", headers={"Host": "attacker.example"})[0] == 400


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://news.example/a?b=1", True),
        ("http://news.example/", True),
        ("javascript:alert(1)", False),
        (" JaVaScRiPt:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("//news.example/no-scheme", False),
        ("https:/missing-host", False),
    ],
)
def test_only_http_urls_become_links(url: str, linked: bool) -> None:
    assert (safe_url(url) is not None) is linked


def test_story_report_is_a_script_free_download(base_url: str) -> None:
    status, headers, body = fetch(f"{base_url}/api/stories/s-pier/report?format=html")
    assert status == 200 and headers["content-disposition"] == 'attachment; filename="story-s-pier.html"'
    assert "script-src" not in headers["content-security-policy"]  # no script may run, not even our own
    assert "Port Velm" in body.decode() and "<script>document" not in body.decode()
    assert fetch(f"{base_url}/api/stories/unknown/report")[0] == 404


def test_serve_benchmark_times_every_page_kind(store_ids: tuple[str, dict[str, str]]) -> None:
    from newsprism.bench.serve import format_table, run

    results = run(articles=30, repeats=1, source_db=store_ids[0])
    assert results["store"]["articles"] == 30
    assert all(page["bytes"] > 0 for page in results["pages"].values())
    assert "| story page |" in format_table(results)


def test_smoke_check_fetches_every_page_kind(store_ids: tuple[str, dict[str, str]]) -> None:
    statuses = smoke_check(store_ids[0])
    assert statuses["/stories/s-pier"] == 200 and statuses["/events/ev-reopened"] == 200 and len(statuses) == 16
    assert statuses["/sources"] == statuses["/api/new?since=2000-01-01"] == 200  # the watch pages, empty or not
    assert set(statuses.values()) == {200}


def test_a_highlight_names_its_technique_cue_and_score() -> None:
    text = "The so-called council met. A wicked plan."
    spans = [Span(4, 21, "Doubt", {"score": 0.12, "cue": "so-called"}), Span(29, 35, "Loaded_Language", {"score": 0.9})]
    marked = [seg for seg in technique_segments(text, spans) if seg.technique]
    assert [seg.title for seg in marked] == ["Doubt · cue: so-called · score 0.12", "Loaded_Language · score 0.90"]
    assert [seg.text for seg in marked] == ["so-called council", "wicked"]


def test_a_story_comparison_is_computed_once_until_the_store_changes(store_target: str) -> None:
    db = store_target
    ids = build_store(db)
    calls: list[int] = []

    def counting(articles: list) -> dict[str, Any]:
        calls.append(len(articles))
        return {"articles": len(articles)}

    with background_server(create_app(db, comparer=counting)) as base:
        url = f"{base}/api/stories/{ids['story']}/comparison"
        first, second = (json.load(urllib.request.urlopen(url)) for _ in range(2))
        assert first == second == {"articles": 3} and calls == [3]
        with Store(db) as store:  # an analyze stores a layer again: the store's version changes
            article = store.article(ids["calm"], store_names=False)
            store.put_layer(article.id, next(iter(article.layers.values())))
            store.commit()
        assert json.load(urllib.request.urlopen(url)) == {"articles": 3} and calls == [3, 3]


SERVER_CONNECTIONS = ("SELECT pid FROM pg_stat_activity"
                      " WHERE datname = current_database() AND application_name = 'newsprism'")


def _settled(watcher: Any, done: Callable[[set[int]], bool]) -> set[int]:
    """The server's connections to the database once ``done`` holds (a closed one's backend exits a moment
    after), or after 5 s."""
    deadline = time.monotonic() + 5
    while not done(pids := {pid for (pid,) in watcher.execute(SERVER_CONNECTIONS)}) and time.monotonic() < deadline:
        time.sleep(0.02)
    return pids


def test_postgresql_requests_share_a_bounded_pool_that_replaces_dropped_connections(
        request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """60 requests from 30 clients at once are served by at most pool_size connections (the others wait),
    a connection the database dropped fails no request, and the server's shutdown closes the pool."""
    import psycopg

    target = new_store_target("postgresql", tmp_path, request)
    build_store(target)
    app = create_app(target, TOKEN, comparer=fake_comparer, annotate=False)
    app.state.config.pool_size = 3
    paths = ["/api/search?q=pier", "/api/stories", "/api/outlets", "/", "/stories/s-pier", "/api/export/stories.csv"]
    with psycopg.connect(target, autocommit=True) as watcher:
        with background_server(app) as base:
            assert fetch(base + "/api/stories")[0] == 200
            assert len(_settled(watcher, lambda pids: len(pids) <= 3)) <= 3  # the migration's connection is gone
            seen: list[set[int]] = []
            burst_over = threading.Event()

            def watch() -> None:
                with psycopg.connect(target, autocommit=True) as own:
                    while not burst_over.is_set():
                        seen.append({pid for (pid,) in own.execute(SERVER_CONNECTIONS)})

            sampler = threading.Thread(target=watch)
            sampler.start()
            with ThreadPoolExecutor(30) as clients:
                statuses = list(clients.map(lambda path: fetch(base + path)[0], paths * 10))
            burst_over.set()
            sampler.join()
            assert statuses == [200] * 60
            assert len(seen) > 1 and max(map(len, seen)) <= 3
            assert len(set().union(*seen)) <= 3  # the same few connections served every request

            killed = {pid for (pid,) in watcher.execute(SERVER_CONNECTIONS)}
            terminated = watcher.execute("SELECT pg_terminate_backend(pid) FROM unnest(%s::int[]) AS pid",
                                         (list(killed),))
            assert killed and all(ok for (ok,) in terminated)
            started = time.monotonic()
            assert [fetch(base + path)[0] for path in paths] == [200] * len(paths)
            assert time.monotonic() - started < 2.5  # one by one, the pool would back off 1 s, then 2 s
            assert _settled(watcher, lambda pids: not pids & killed) - killed
        assert _settled(watcher, lambda pids: not pids) == set()


def test_a_story_page_shows_why_differing_values_agree() -> None:
    """The web page, like the report, gives each agreeing value its words: "more than 100 mph", "120 mph"."""
    chase = "Police chased the van through Orla at speeds of {} mph on Monday, the sheriff said."
    story = [Article(source=f"{outlet}.txt", text=chase.format(speed), outlet=outlet)
             for outlet, speed in (("Alpha", "more than 100"), ("Beta", "120"))]
    page = environment.get_template("comparison.html").render(comparison=compare_story(story).to_dict(),
                                                              compared="story")
    assert "<strong>100</strong> (“at speeds of more than 100 mph”) / <strong>120</strong>" in page


def test_a_story_page_shows_a_report_dated_without_a_time_by_its_day() -> None:
    toll = "A landslide that hit the village of Orla on Tuesday killed {} people, the regional governor said."
    story = [Article(source=f"{outlet}.txt", text=toll.format(dead), outlet=outlet, published=day)
             for outlet, dead, day in (("Alpha", 4, "2026-05-12"), ("Beta", 9, "2026-05-13T08:00:00+00:00"))]
    page = environment.get_template("comparison.html").render(comparison=compare_story(story).to_dict(),
                                                              compared="story")
    assert "first published 2026-05-12<" in page and "23:59:59" not in page
    assert "first published 2026-05-13T08:00:00+00:00" in page
