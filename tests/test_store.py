"""The SQLite store: migrations, idempotent writes, raw inputs kept, normalised full-text search."""

from __future__ import annotations

import sqlite3

import pytest

from newsprism import pipeline
from newsprism.errors import StoreError
from newsprism.link import incremental
from newsprism.model import Article, Layer, RawRecord, Span
from newsprism.store import Store
from newsprism.store.sqlite import migrate


def make_article(title: str, text: str, **fields: object) -> Article:
    return Article(source="t/a.txt", title=title, text=text, outlet="Harbour Ledger", domain="ledger.example", **fields)


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "s.sqlite") as opened:
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
