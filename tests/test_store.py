"""The store on both back ends (an SQLite file, a real PostgreSQL server): migrations, idempotent writes,
raw inputs kept, normalised full-text search, several writers at once."""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from newsprism import pipeline
from newsprism.errors import StoreError, StoreWriteError
from newsprism.link import incremental
from newsprism.model import Article, Layer, RawRecord, Span
from newsprism.store import Store
from newsprism.store.sqlite import migrate
from store_targets import new_store_target


def make_article(title: str, text: str, **fields: object) -> Article:
    return Article(source="t/a.txt", title=title, text=text, outlet="Harbour Ledger", domain="ledger.example", **fields)


@pytest.fixture
def store(store_target):
    with Store(store_target) as opened:
        yield opened


def test_store_file_is_wal_and_migrated(tmp_path):
    path = tmp_path / "fresh.sqlite"
    Store(path).close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    version = db.execute("PRAGMA user_version").fetchone()[0]
    assert version >= 1
    assert migrate(db) == version  # running migrations again changes nothing


def test_same_article_twice_is_stored_once(store):
    article = make_article("Port strike ends", "Dockers returned to work on Monday.")
    assert store.add_article(article) is True
    assert store.add_article(make_article("Port strike ends", "Dockers returned to work on Monday.")) is False
    store.commit()
    assert store.counts()["articles"] == 1


def test_raw_input_round_trips_compressed(store):
    record = RawRecord(source="x.html", kind="html", data=b"<html>" + b"a" * 5000, url="https://l.example/1")
    raw_id = store.add_raw(record)
    assert store.add_raw(record) == raw_id
    store.commit()
    stored_size = store.db.execute("SELECT length(data) FROM raw_inputs").fetchone()[0]
    assert stored_size < 200
    [(got_id, got)] = list(store.raw_records())
    assert got_id == raw_id and got.data == record.data and got.url == record.url


def test_article_and_layers_round_trip(store):
    article = make_article(
        "Vote delayed",
        "The council delayed the vote.",
        authors=["Mira Castell"],
        tags=["council"],
        published="2026-03-04T09:30:00+01:00",
    )
    article.layers["entities"] = Layer("entities", "test", "1", [Span(4, 11, "ORG", {"canonical": "City Council"})])
    store.add_article(article)
    store.commit()
    got = store.article(article.id)
    assert got.to_dict(with_layers=True) == article.to_dict(with_layers=True)


def test_search_finds_homoglyph_title_by_plain_spelling(store):
    store.add_article(make_article("Talks \u0421ancelled at short notice", "Envoys went home early.", language="en"))
    store.add_article(make_article("Harvest festival opens", "Stalls lined the square.", language="en"))
    store.commit()
    hits = store.search("cancelled")
    assert [h.title for h in hits] == ["Talks \u0421ancelled at short notice"]


def test_search_ignores_diacritics_on_both_back_ends(store):
    store.add_article(make_article("Café Zelenskyý reopens", "The café on the square reopened.", language="en"))
    store.commit()
    assert [h.title for h in store.search("cafe zelenskyy")] == ["Café Zelenskyý reopens"]
    assert [h.title for h in store.search("café")] == ["Café Zelenskyý reopens"]


def test_search_filters_and_hostile_query_syntax(store):
    store.add_article(make_article("Bridge reopens", "The bridge reopened.", published="2026-03-02", language="en"))
    store.add_article(make_article("Bridge closes", "The bridge closed.", published="2026-03-09", language="en"))
    store.commit()
    assert [h.title for h in store.search("bridge", since="2026-03-05")] == ["Bridge closes"]
    assert [h.title for h in store.search("bridge", until="2026-03-02")] == ["Bridge reopens"]
    assert len(store.search('bridge")*(')) == 2  # stray FTS5 syntax is not taken as syntax
    with pytest.raises(ValueError):
        store.search("!!!")


def test_failures_are_recorded_once(store):
    store.add_failure("bad.warc", "truncated WARC after 2 records")
    store.add_failure("bad.warc", "truncated WARC after 2 records")
    store.commit()
    assert store.counts()["failures"] == 1


def test_a_file_that_is_not_a_store_is_refused(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("not a database", encoding="utf-8")
    with pytest.raises(StoreError, match="cannot use as a newsprism store"):
        Store(path)


def test_a_store_from_a_newer_newsprism_is_refused(tmp_path):
    path = tmp_path / "future.sqlite"
    Store(path).close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 999")
    db.close()
    with pytest.raises(StoreError, match="newer than this newsprism"):
        Store(path)


def test_a_known_article_gets_new_and_updated_layers_only(store):
    article = make_article("Quay repaired", "The quay was repaired on Monday.")
    article.layers["timex"] = Layer("timex", "newsprism.timex", "0.1", [Span(25, 31, "DATE", {"value": "X"})])
    store.add_article(article)
    again = make_article("Quay repaired", "The quay was repaired on Monday.")
    again.layers["timex"] = Layer("timex", "newsprism.timex", "0.2", [Span(25, 31, "DATE", {"value": "Y"})])
    again.layers["entities"] = Layer("entities", "newsprism.entities", "0.1", [])
    assert store.add_article(again) is False
    stored = store.article(article.id)
    assert stored.layers["timex"].version == "0.2" and stored.layers["timex"].spans[0].attrs["value"] == "Y"
    assert "entities" in stored.layers


def test_an_ingest_that_stores_nothing_new_links_nothing_unlinked_ones_are_linked(store, monkeypatch):
    articles = [
        make_article("Port strike ends", "Dockers returned to work on Monday after a week."),
        make_article("Ferry line reopens", "The night ferry to the islands sails again from Friday."),
    ]
    first = pipeline.ingest([(None, article) for article in articles], store)
    assert first.new == 2 and first.stories == store.counts()["stories"] >= 1
    linked: list[int] = []
    real = incremental.link_batch_into
    monkeypatch.setattr(incremental, "link_batch_into",
                        lambda store, batch, *rest: linked.append(len(batch)) or real(store, batch, *rest))

    again = pipeline.ingest([(None, article) for article in articles], store)
    assert (again.new, again.unchanged, again.stories, linked) == (0, 2, first.stories, [])

    late = make_article("Ferry line delayed", "The night ferry to the islands sails again from Monday instead.")
    store.add_article(late)  # stored and committed, as if an ingest had stopped before linking it
    store.commit()
    assert store.unlinked_article_ids() == [(late.id, late.published)]
    pipeline.ingest([], store)
    assert linked == [1] and store.unlinked_article_ids() == []


def test_a_database_from_a_newer_newsprism_is_refused(request):
    target = new_store_target("postgresql", Path("."), request)
    with Store(target) as store:
        store.db.execute("INSERT INTO schema_version(version) VALUES (999)")
        store.commit()
    with pytest.raises(StoreError, match="newer than this newsprism"):
        Store(target)


def test_a_url_of_another_scheme_is_an_error_not_a_file_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StoreError, match="not a store this newsprism knows"):
        Store("mysql://reader@127.0.0.1/news")
    assert list(tmp_path.iterdir()) == []


def test_an_unreachable_server_is_one_line_without_the_password():
    port = _closed_port()
    with pytest.raises(StoreError) as raised:
        Store(f"postgresql://reader:secret@127.0.0.1:{port}/news")
    message = str(raised.value)
    assert "cannot use as a newsprism store" in message and "\n" not in message
    assert "secret" not in message and "reader:***@" in message


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_several_ingest_processes_at_once_lose_and_repeat_nothing(request, tmp_path):
    """Three processes ingest overlapping parts of the corpus into one PostgreSQL store at the same time:
    every article is stored once, and each is in exactly one event of one storyline."""
    target = new_store_target("postgresql", tmp_path, request)
    corpus = Path(__file__).resolve().parents[1] / "corpus"
    parts = [["feeds", "exports"], ["exports", "html"], ["html", "feeds", "dumps"]]
    processes = [subprocess.Popen([sys.executable, "-m", "newsprism.cli", "ingest", "--db", target, "--jobs", "1",
                                   "--batch", "3", *(str(corpus / part) for part in folders)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for folders in parts]
    outcomes = [process.communicate(timeout=300) for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0], [err for _, err in outcomes]
    folders = [corpus / part for part in ("feeds", "exports", "html", "dumps")]
    expected = {article.id for _, article in pipeline.extract_paths(folders) if isinstance(article, Article)}
    with Store(target) as store:
        assert sorted(a.id for a in store.articles()) == sorted(expected)
        members = [a for event in store.events() for a in event.article_ids]
        assert sorted(members) == sorted(expected)  # each article in exactly one event
        assert store.unlinked_article_ids() == []
        assert sorted(a for story in store.stories() for a in story.article_ids) == sorted(expected)


def test_large_reads_go_page_by_page_in_order(store, monkeypatch):
    """Articles (undated first, then by date and id) and raw inputs (as stored) read in pages of
    PAGE_ROWS give every row once, in order, across pages that end inside a run of equal dates."""
    from newsprism.store import base

    monkeypatch.setattr(base, "PAGE_ROWS", 2)
    dates = [None, "2026-03-02", "2026-03-02", "2026-03-02", None, "2026-03-01", "2026-03-03"]
    for n, published in enumerate(dates):
        store.add_article(make_article(f"Notice {n}", f"Harbour notice number {n}.", published=published))
        store.add_raw(RawRecord(source=f"r{n}.txt", kind="text", data=f"page {n}".encode()))
    store.commit()
    expected = [tuple(row) for row in store.db.execute(
        "SELECT id FROM articles ORDER BY published IS NOT NULL, published, id")]
    assert [(a.id,) for a in store.articles()] == expected
    assert [record.source for _, record in store.raw_records()] == [f"r{n}.txt" for n in range(len(dates))]


def test_a_store_over_a_pooled_connection_behaves_as_one_over_its_own(request):
    """The pool migrates once and connects as PostgresConnection does; a store over a lent connection writes
    under the same lock, fails with the same errors, and leaves the connection to the pool, which replaces
    one the server dropped."""
    import psycopg

    from newsprism.store.base import migrations
    from newsprism.store.postgres import POSTGRES, WRITE_LOCK, PostgresConnection, PostgresStore, connection_pool

    target = new_store_target("postgresql", Path("."), request)
    locks = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = %s AND granted"
    with connection_pool(target, max_size=2) as pool, psycopg.connect(target, autocommit=True) as other:
        version = other.execute("SELECT max(version) FROM schema_version").fetchone()[0]
        assert version == migrations("postgresql")[-1][0]
        own = PostgresConnection(target)
        with pool.connection() as raw:
            assert raw.info.get_parameters() == own.raw.info.get_parameters()  # timeout, application name
            assert raw.autocommit and own.raw.autocommit and raw.row_factory is own.raw.row_factory
            own.close()
            store = PostgresStore.lent(target, raw)
            assert store.db.dialect is POSTGRES and store.target == target
            store.add_article(make_article("Pier reopens", "The ferry pier reopens on Monday."))
            assert other.execute(locks, (WRITE_LOCK,)).fetchone()[0] == 1
            store.commit()
            assert other.execute(locks, (WRITE_LOCK,)).fetchone()[0] == 0
            assert [row["title"] for row in store.db.execute("SELECT title FROM articles")] == ["Pier reopens"]
            store.close()
            assert not raw.closed
            dropped = raw.info.backend_pid
            other.execute("SELECT pg_terminate_backend(%s)", (dropped,))
            with pytest.raises(StoreWriteError):
                store.db.execute("SELECT 1")
        with pool.connection() as replaced:
            assert replaced.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
            assert replaced.info.backend_pid != dropped


def test_a_pool_refuses_a_database_from_a_newer_newsprism(request):
    from newsprism.store.postgres import connection_pool

    target = new_store_target("postgresql", Path("."), request)
    with Store(target) as store:
        store.db.execute("INSERT INTO schema_version(version) VALUES (999)")
        store.commit()
    with pytest.raises(StoreError, match="newer than this newsprism"):
        connection_pool(target, max_size=2)
