"""The store, whatever the database: the writes and reads every back end shares.

Ingest is idempotent: a raw input is keyed by a hash of its bytes and an article by its content id,
so ingesting the same inputs twice changes nothing. The SQL here is what SQLite and PostgreSQL both
speak (``ON CONFLICT``, ``RETURNING``, ``?`` parameters); what they say differently (full-text
search, JSON arrays, locks) comes from the connection's ``dialect`` (store/sqlite.py,
store/postgres.py), so each back end keeps its own SQL in one place.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from newsprism.annotate.names import NameKey, apply_names, article_names, names_to_look_up, store_names
from newsprism.errors import StoreError
from newsprism.extract.text import normalise
from newsprism.model import ARTICLE_FIELDS, Article, Event, Failure, Layer, RawRecord, Span, Story

_JSON_FIELDS = ("authors", "tags", "credits", "extraction")
# Articles an outlet has since rewritten (a later version of their page reads otherwise): they stay in
# the store, their events and the article page's versions, but a comparison reads each outlet once, as
# its page reads now. A page deleted since keeps its last article.
SUPERSEDED = ("SELECT v.article_id FROM page_versions v JOIN page_versions latest ON latest.url = v.url"
               " WHERE v.article_id IS NOT NULL AND latest.article_id IS NOT NULL AND latest.article_id <> v.article_id"
               " AND latest.version = (SELECT max(m.version) FROM page_versions m WHERE m.url = v.url)")
_MIGRATION_NAME = re.compile(r"^(\d{4})_\w+\.sql$")
MAX_QUERY_PARAMETERS = 500  # keys per "IN (...)" query: SQLite caps the number of parameters of one query
PAGE_ROWS = 500  # rows read at a time from a large table
POSTGRES_SCHEMES = ("postgresql://", "postgres://")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")  # a URL of another scheme is an error, never a file name


@dataclass(frozen=True)
class Dialect:
    """The SQL a back end writes its own way; every other statement is shared."""

    index_article: str  # insert (rowid, title, text) into the full-text index, each in its ``index_form``
    index_form: Callable[[str], str]  # a text as the index keeps it (after ``normalise``)
    search_source: str  # FROM the index joined to ``articles a``; it or ``search_match`` takes the query's ?
    search_match: str
    search_query: Callable[[str], str]  # ``search_terms`` in the back end's query syntax
    search_columns: str  # ``snippet`` and ``score`` (higher is better)
    json_items: Callable[[str, str], str]  # FROM item: the objects of a JSON array column as ``alias.value``
    json_strings: Callable[[str, str], str]  # FROM item: the strings of a JSON array column as ``alias.value``
    json_field: Callable[[str, str], str]  # a JSON object's field as text: (``s.value``, "attrs.canonical")
    json_number: Callable[[str, str], str]  # the same, as a number
    contains: Callable[[str], str]  # ``column`` contains the text ? (a cheap filter before parsing JSON)
    in_json_list: Callable[[str], str]  # ``column`` is one of the JSON array ?
    day_to_date: Callable[[str], str]  # days since the epoch as an ISO date
    concat_distinct: Callable[[str], str]  # the distinct values, joined by commas


class Connection(Protocol):
    """What the store needs of a database connection: DB-API calls with ``?`` parameters and rows
    that are read by name and by position."""

    dialect: Dialect

    @property
    def in_transaction(self) -> bool: ...
    def execute(self, sql: str, parameters: Any = ...) -> Any: ...
    def executemany(self, sql: str, parameters: Any) -> Any: ...
    def stream(self, sql: str, parameters: Any = ...) -> Iterator[Any]: ...
    def begin_write(self) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
    def close(self) -> None: ...


@dataclass(frozen=True)
class SearchHit:
    id: str
    title: str | None
    outlet: str | None
    published: str | None
    language: str | None
    snippet: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def is_postgres(target: str | Path) -> bool:
    return str(target).startswith(POSTGRES_SCHEMES)


class Store:
    """A newsprism store: ``Store("news.sqlite")`` opens an SQLite file (the default, embedded),
    ``Store("postgresql://user@host:5432/db")`` a PostgreSQL database; both migrate on opening."""

    db: Connection
    target: str

    def __new__(cls, target: str | Path) -> Store:
        if cls is Store:
            if is_postgres(target):
                from newsprism.store.postgres import PostgresStore

                return super().__new__(PostgresStore)
            if _URL.match(str(target)):
                raise StoreError(f"{str(target).split('://')[0]}://...: not a store this newsprism knows"
                                 " (an SQLite file or postgresql://USER@HOST:PORT/DB)")
            from newsprism.store.sqlite import SQLiteStore

            return super().__new__(SQLiteStore)
        return super().__new__(cls)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing -----------------------------------------------------------------

    def add_raw(self, record: RawRecord) -> str:
        """Keep the raw bytes (compressed); returns the raw id, the same for the same bytes."""
        raw_id = raw_id_of(record)
        self.db.execute(
            "INSERT INTO raw_inputs(id, source, kind, url, fetched, meta, data, size)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (
                raw_id,
                record.source,
                record.kind,
                record.url,
                record.fetched,
                json.dumps(record.meta, ensure_ascii=False, default=str),
                zlib.compress(record.data, 6),
                len(record.data),
            ),
        )
        return raw_id

    def add_article(self, article: Article, raw_id: str | None = None) -> bool:
        """Insert the article unless its id is already stored (then only newer layers are stored); True when
        it was new."""
        row = article_row(article)
        inserted = self.db.execute(
            f"INSERT INTO articles(raw_id, {', '.join(row)}) VALUES (?, {', '.join('?' * len(row))})"
            " ON CONFLICT DO NOTHING RETURNING rowid",
            (raw_id, *row.values()),
        ).fetchone()
        if inserted is None:
            self._update_layers(article)
            return False
        dialect = self.db.dialect
        self.db.execute(dialect.index_article, (inserted[0], dialect.index_form(normalise(article.title or "")),
                                                dialect.index_form(normalise(article.text))))
        for layer in article.layers.values():
            self.put_layer(article.id, layer)
        self.add_failures(article.id, article.failures)
        return True

    def _update_layers(self, article: Article) -> None:
        """Store the layers of a known article that are missing or were made by another component version,
        and the failures of this run (a layer that failed keeps its stored version)."""
        rows = self.db.execute("SELECT name, version FROM layers WHERE article_id = ?", (article.id,)).fetchall()
        stored = {row["name"]: row["version"] for row in rows}
        for layer in article.layers.values():
            if stored.get(layer.name) != layer.version:
                self.put_layer(article.id, layer)
        self.add_failures(article.id, article.failures)

    def put_layer(self, article_id: str, layer: Layer) -> None:
        """Store a layer that ran; an earlier failure of it on this article is gone."""
        self.db.execute("DELETE FROM article_failures WHERE article_id = ? AND stage = 'annotate' AND layer = ?",
                        (article_id, layer.name))
        if layer.name == "entities":
            self._count_names(article_id, -1)
        spans = json.dumps([s.__dict__ for s in layer.spans], ensure_ascii=False)
        self.db.execute(
            "INSERT INTO layers(article_id, name, component, version, spans) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT(article_id, name) DO UPDATE SET component = excluded.component,"
            " version = excluded.version, spans = excluded.spans",
            (article_id, layer.name, layer.component, layer.version, spans),
        )
        if layer.name == "entities":
            self._count_names(article_id, +1)

    def _count_names(self, article_id: str, step: int) -> None:
        """Add ``step`` to the article counts of the names in the stored entities layer of the article."""
        row = self.db.execute(
            "SELECT spans FROM layers WHERE article_id = ? AND name = 'entities'", (article_id,)
        ).fetchone()
        if row is None:
            return
        layer = Layer("entities", "", "", [Span(**span) for span in json.loads(row["spans"])])
        self.db.executemany(
            "INSERT INTO entity_names(name, label, articles) VALUES (?, ?, ?)"
            " ON CONFLICT(name, label) DO UPDATE SET articles = entity_names.articles + excluded.articles",
            [(name, label, step) for name, label in sorted(article_names(layer))],
        )

    def refresh_names(self) -> int:
        """Recompute the store-wide canonical names from the counts; returns how many names read differently."""
        rows = self.db.execute("SELECT * FROM entity_names").fetchall()
        counts = {(r["name"], r["label"]): r["articles"] for r in rows}
        previous = {(r["name"], r["label"]): (r["canonical"], r["canonical_label"]) for r in rows if r["canonical"]}
        mapping = store_names(counts, self._metadata_names(), previous)
        self.db.execute("UPDATE entity_names SET canonical = NULL, canonical_label = NULL")
        self.db.executemany(
            "UPDATE entity_names SET canonical = ?, canonical_label = ? WHERE name = ? AND label = ?",
            [(name, label, *key) for key, (name, label) in mapping.items()],
        )
        self.db.execute("DELETE FROM entity_names WHERE articles <= 0")
        return len(mapping)

    def _metadata_names(self) -> dict[str, int]:
        """How many articles' tags or bylines write each name (casefolded), for the names of entities."""
        items = self.db.dialect.json_strings
        rows = self.db.execute(
            "SELECT name, count(DISTINCT id) AS n FROM ("
            f" SELECT a.id, lower(m.value) AS name FROM articles AS a, {items('a.tags', 'm')} UNION ALL"
            f" SELECT a.id, lower(m.value) FROM articles AS a, {items('a.authors', 'm')}) AS written"
            " WHERE name IN (SELECT lower(name) FROM entity_names) GROUP BY name")
        return {row["name"].casefold(): row["n"] for row in rows}

    def names_mapping(self, names: set[str]) -> dict[NameKey, NameKey]:
        """The store-wide (name, label) of those ``names`` that read differently in this store."""
        rows = self._rows_in("SELECT name, label, canonical, canonical_label FROM entity_names"
                             " WHERE canonical IS NOT NULL AND name IN ({marks})", sorted(names))
        return {(r["name"], r["label"]): (r["canonical"], r["canonical_label"]) for r in rows}

    def _rows_in(self, sql: str, keys: list[str]) -> Iterator[Any]:
        """The rows of ``sql`` whose ``IN ({marks})`` takes ``keys``, MAX_QUERY_PARAMETERS keys per query."""
        for at in range(0, len(keys), MAX_QUERY_PARAMETERS):
            chunk = keys[at:at + MAX_QUERY_PARAMETERS]
            yield from self.db.execute(sql.format(marks=", ".join("?" * len(chunk))), chunk)

    def add_failure(self, source: str, reason: str) -> None:
        """An input that gave no article at all."""
        self.db.execute("INSERT INTO failures(source, reason) VALUES (?, ?) ON CONFLICT DO NOTHING", (source, reason))

    def add_failures(self, article_id: str, failures: Iterable[Failure]) -> None:
        """Failures of stages or layers on a stored article (the latest reason per stage and layer)."""
        self.db.executemany(
            "INSERT INTO article_failures(article_id, stage, layer, reason) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(article_id, stage, layer) DO UPDATE SET reason = excluded.reason",
            [(article_id, f.stage, f.layer, f.reason) for f in failures],
        )

    def clear_failures(self, article_id: str, stage: str, layers: Iterable[str]) -> None:
        """Forget the failures of ``layers`` of ``stage`` on an article that ran them again."""
        self.db.executemany("DELETE FROM article_failures WHERE article_id = ? AND stage = ? AND layer = ?",
                            [(article_id, stage, layer) for layer in layers])

    def replace_articles_of_raw(self, raw_id: str, articles: list[Article]) -> None:
        """Swap the articles made from one raw input for a new extraction of it."""
        rows = self.db.execute("SELECT rowid, id FROM articles WHERE raw_id = ?", (raw_id,)).fetchall()
        for rowid, article_id in rows:
            self.db.execute("DELETE FROM articles_fts WHERE rowid = ?", (rowid,))
            self._count_names(article_id, -1)
        self.db.execute("DELETE FROM articles WHERE raw_id = ?", (raw_id,))
        for article in articles:
            self.add_article(article, raw_id)

    # --- linking: events, storylines and the linkers' state ------------------------------

    def link_values(self, table: str, keys: list[str]) -> dict[str, Any]:
        """The stored values of ``keys`` in one of the linkers' state tables (JSON decoded)."""
        name, key, value, is_json = _LINK_TABLES[table]
        rows = self._rows_in(f"SELECT {key}, {value} FROM {name} WHERE {key} IN ({{marks}})", keys)
        return {k: json.loads(v) if is_json else v for k, v in rows}

    def save_link_values(self, table: str, values: dict[str, Any]) -> None:
        name, key, value, is_json = _LINK_TABLES[table]
        self.db.executemany(
            f"INSERT INTO {name}({key}, {value}) VALUES (?, ?)"
            f" ON CONFLICT({key}) DO UPDATE SET {value} = excluded.{value}",
            [(k, _compact_json(v) if is_json else v) for k, v in values.items()],
        )

    def delete_link_values(self, table: str, keys: Iterable[str]) -> None:
        name, key, _, _ = _LINK_TABLES[table]
        self.db.executemany(f"DELETE FROM {name} WHERE {key} = ?", [(k,) for k in keys])

    def save_link_events(self, events: dict[str, tuple[dict[str, Any], bool]]) -> None:
        """The event linker's events, with whether new articles can still join them."""
        self.db.executemany(
            "INSERT INTO link_events(key, active, last_day, value) VALUES (?, ?, ?, ?) ON CONFLICT(key)"
            " DO UPDATE SET active = excluded.active, last_day = excluded.last_day, value = excluded.value",
            [(key, int(active), data.get("last_day"), _compact_json(data)) for key, (data, active) in events.items()],
        )

    def link_event_active(self, event_id: str) -> bool:
        row = self.db.execute("SELECT active FROM link_events WHERE key = ?", (event_id,)).fetchone()
        return bool(row and row[0])

    def stale_link_events(self, before_day: float) -> list[str]:
        """Active events whose last article is older than ``before_day`` (to be archived)."""
        rows = self.db.execute(
            "SELECT key FROM link_events WHERE active = 1 AND last_day < ? ORDER BY last_day, key", (before_day,))
        return [row[0] for row in rows]

    def evict_link_recent(self, keep: int) -> None:
        """Keep the vectors of the latest ``keep`` articles only."""
        self.db.execute("DELETE FROM link_recent WHERE seq <= (SELECT max(seq) FROM link_recent) - ?", (keep,))

    def link_counters(self) -> tuple[int, int, float | None]:
        row = self.db.execute("SELECT n_docs, created, newest_day FROM link_counters").fetchone()
        return (row[0], row[1], row[2]) if row else (0, 0, None)

    def save_link_counters(self, counters: tuple[int, int, float | None]) -> None:
        self.db.execute("INSERT INTO link_counters(id, n_docs, created, newest_day) VALUES (1, ?, ?, ?)"
                        " ON CONFLICT(id) DO UPDATE SET n_docs = excluded.n_docs, created = excluded.created,"
                        " newest_day = excluded.newest_day", counters)

    def save_grouping(self, events: list[EventRow], removed: Iterable[str], storylines: dict[str, str | None],
                      merged: dict[str, str]) -> None:
        """Write the events and storylines the readers see: events changed in a batch with their articles,
        events gone, storylines new or renamed, and storylines merged into others (``merged``: old -> new)."""
        removed = list(removed)
        orphans = {row[0] for e in removed for row in self.db.execute("SELECT story_id FROM events WHERE id = ?", (e,))}
        self.db.executemany("DELETE FROM events WHERE id = ?", [(e,) for e in removed])
        self.db.executemany("DELETE FROM event_articles WHERE event_id = ?", [(e,) for e in removed])
        self.db.executemany("INSERT INTO stories(id, title) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET"
                            " title = excluded.title", list(storylines.items()))
        for old, new in merged.items():
            self.db.execute("UPDATE events SET story_id = ? WHERE story_id = ?", (new, old))
            self.db.execute("UPDATE story_articles SET story_id = ? WHERE story_id = ?", (new, old))
            self.db.execute("DELETE FROM stories WHERE id = ?", (old,))
            orphans.discard(old)
        for event in events:
            orphans.update(row[0] for row in self.db.execute("SELECT story_id FROM events WHERE id = ?", (event.id,)))
            self.db.execute(
                "INSERT INTO events(id, title, story_id, first_day, last_day, articles) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(id) DO UPDATE SET title = excluded.title, story_id = excluded.story_id,"
                " first_day = excluded.first_day, last_day = excluded.last_day, articles = excluded.articles",
                (event.id, event.title, event.story_id, event.first_day, event.last_day, len(event.article_ids)))
            self.db.execute("DELETE FROM event_articles WHERE event_id = ?", (event.id,))
            self.db.executemany("INSERT INTO event_articles(article_id, event_id) VALUES (?, ?)"
                                " ON CONFLICT(article_id) DO UPDATE SET event_id = excluded.event_id",
                                [(a, event.id) for a in event.article_ids])
            self.db.executemany("DELETE FROM story_articles WHERE article_id = ?", [(a,) for a in event.article_ids])
            self.db.executemany("INSERT INTO story_articles(story_id, article_id) VALUES (?, ?)",
                                [(event.story_id, a) for a in event.article_ids])
        self.db.executemany(
            "DELETE FROM stories WHERE id = ? AND NOT EXISTS (SELECT 1 FROM story_articles WHERE story_id = ?)",
            [(s, s) for s in orphans if s])

    def clear_links(self) -> None:
        """Forget every event, storyline, merge and the linkers' state (before a full relink)."""
        link_state = [name for name, *_ in _LINK_TABLES.values()]
        for table in ("events", "event_articles", "story_articles", "stories", "link_counters", *link_state):
            self.db.execute(f"DELETE FROM {table}")

    def merges(self) -> dict[str, str]:
        return {row[0]: row[1] for row in self.db.execute("SELECT old_id, new_id FROM merges")}

    def resolve(self, link_id: str) -> str:
        """The living event or storyline an id stands for, following recorded merges."""
        seen = {link_id}
        while (row := self.db.execute("SELECT new_id FROM merges WHERE old_id = ?", (link_id,)).fetchone()):
            link_id = row[0]
            if link_id in seen:
                break
            seen.add(link_id)
        return link_id

    def events(self, story_id: str | None = None) -> list[Event]:
        """Events with their article ids (of one storyline, or all), oldest first."""
        where, params = ("WHERE story_id = ?", (story_id,)) if story_id else ("", ())
        rows = self.db.execute(
            f"SELECT id, title, story_id FROM events {where} ORDER BY first_day IS NULL, first_day, id", params)
        events = {row["id"]: Event(row["id"], row["title"], story_id=row["story_id"]) for row in rows}
        members = self.db.execute("SELECT event_id, article_id FROM event_articles ORDER BY article_id")
        for event_id, article_id in members:
            if event_id in events:
                events[event_id].article_ids.append(article_id)
        return list(events.values())

    def event_articles(self, event_id: str) -> list[Article]:
        """The articles of one event with their layers, as their pages read now (see ``SUPERSEDED``)."""
        rows = self.db.execute(f"SELECT article_id FROM event_articles WHERE event_id = ? AND article_id NOT IN"
                               f" ({SUPERSEDED}) ORDER BY article_id", (event_id,)).fetchall()
        return [article for article in map(self.article, [row[0] for row in rows]) if article]

    def unlinked_article_ids(self) -> list[tuple[str, str | None]]:
        """(id, published) of the stored articles in no event yet (new, or an ingest stopped before it
        linked them), in the order they were stored."""
        rows = self.db.execute(
            "SELECT a.id, a.published FROM articles a LEFT JOIN event_articles e ON e.article_id = a.id"
            " WHERE e.article_id IS NULL ORDER BY a.rowid")
        return [(row[0], row[1]) for row in rows]

    def articles_by_id(self, ids: list[str]) -> list[Article]:
        """Articles without their layers, in the order of ``ids`` (unknown ids skipped)."""
        rows = self._rows_in("SELECT * FROM articles WHERE id IN ({marks})", ids)
        found = {row["id"]: article_from_row(row) for row in rows}
        return [found[i] for i in ids if i in found]

    def begin_write(self) -> None:
        """Take the write lock now (readers go on): what is read next cannot change before the commit."""
        self.db.begin_write()

    def commit(self) -> None:
        """Commit, counting the write in the store's version (the served aggregates are kept under it)."""
        if self.db.in_transaction:
            self.db.execute("UPDATE store_state SET version = version + 1")
        self.db.commit()

    def rollback(self) -> None:
        """Forget what was written since the last commit (a stage that failed midway)."""
        self.db.rollback()

    # --- watching: the fetch log, the pages known, the versions of each page ---------------------

    def log_fetch(self, row: dict[str, Any]) -> int:
        """One response (or failed request) of `newsprism watch`; returns its id."""
        return self.db.execute(f"INSERT INTO fetches({', '.join(row)}) VALUES ({', '.join('?' * len(row))})"
                               " RETURNING id", tuple(row.values())).fetchone()[0]

    def list_pages(self, source: str, kind: str, entries: Iterable[tuple[str, str | None]], now: str) -> int:
        """Note the pages a listing names; a known page is due again when its listed date changed (a page
        another source listed first stays that source's). Returns how many are new."""
        new = 0
        for url, listed in entries:
            row = self.db.execute("SELECT listed FROM watch_pages WHERE url = ?", (url,)).fetchone()
            if row is None:
                self.db.execute("INSERT INTO watch_pages(url, source, kind, first_seen, listed) VALUES (?, ?, ?, ?, ?)",
                                (url, source, kind, now, listed))
                new += 1
            elif listed and row["listed"] != listed:
                self.db.execute("UPDATE watch_pages SET listed = ?, due = 1 WHERE url = ? AND source = ?",
                                (listed, url, source))
        return new

    def watch_page(self, url: str) -> Any:
        return self.db.execute("SELECT * FROM watch_pages WHERE url = ?", (url,)).fetchone()

    def due_pages(self, kind: str = "article", revisit: tuple[str, str] | None = None,
                  per_source: int | None = None) -> list[Any]:
        """The pages to fetch in this round: at most ``per_source`` of each source, the most recently listed
        first (then in the order they were found); with ``revisit`` (first seen since, last fetched before)
        also the recent pages not asked for in a while."""
        due = "due = 1" if revisit is None else "(due = 1 OR (first_seen >= ? AND fetched_at <= ?))"
        ranked = (f"SELECT *, row_number() OVER (PARTITION BY source ORDER BY listed DESC NULLS LAST, first_seen,"
                  f" url) AS rank FROM watch_pages WHERE kind = ? AND {due}")
        return self.db.execute(f"SELECT * FROM ({ranked}) AS ranked WHERE rank <= ? ORDER BY rank, source",
                               (kind, *(revisit or ()), per_source or 2**62)).fetchall()

    def page_fetched(self, url: str, at: str, etag: str | None, last_modified: str | None) -> None:
        """A page answered (200, 304, or gone): not due until its listing says it changed."""
        self.db.execute("UPDATE watch_pages SET due = 0, fetched_at = ?, etag = COALESCE(?, etag),"
                        " last_modified = COALESCE(?, last_modified), attempts = 0, error = NULL WHERE url = ?",
                        (at, etag, last_modified, url))

    def page_failed(self, url: str, at: str, error: str, give_up_after: int) -> None:
        """A fetch that failed: tried again next round, until ``give_up_after`` failed rounds in a row."""
        self.db.execute("UPDATE watch_pages SET fetched_at = ?, error = ?, attempts = attempts + 1,"
                        " due = CASE WHEN attempts + 1 >= ? THEN 0 ELSE 1 END WHERE url = ?",
                        (at, error, give_up_after, url))

    def add_version(self, url: str, at: str, status: int, article_id: str | None, fetch_id: int) -> int | None:
        """A new version of a page, unless it reads as the last one did; returns its number."""
        last = self.db.execute("SELECT version, status, article_id FROM page_versions WHERE url = ?"
                               " ORDER BY version DESC LIMIT 1", (url,)).fetchone()
        if last is not None and (last["status"], last["article_id"]) == (status, article_id):
            return None
        version = last["version"] + 1 if last else 1
        self.db.execute("INSERT INTO page_versions(url, version, fetched_at, status, article_id, fetch_id)"
                        " VALUES (?, ?, ?, ?, ?, ?)", (url, version, at, status, article_id, fetch_id))
        return version

    def has_versions(self, url: str) -> bool:
        return self.db.execute("SELECT 1 FROM page_versions WHERE url = ?", (url,)).fetchone() is not None

    def page_versions(self, article_id: str) -> list[dict[str, Any]]:
        """Every version of the page (or pages) an article was read from, oldest first, with its fetch."""
        rows = self.db.execute(
            "SELECT v.url, v.version, v.fetched_at, v.status, v.article_id, f.warc_file, f.warc_offset,"
            " f.warc_record FROM page_versions v LEFT JOIN fetches f ON f.id = v.fetch_id WHERE v.url IN"
            " (SELECT url FROM page_versions WHERE article_id = ?) ORDER BY v.url, v.version", (article_id,))
        return [dict(row) for row in rows]

    # --- reading -----------------------------------------------------------------

    def raw_records(self) -> Iterator[tuple[str, RawRecord]]:
        rows = self._pages("SELECT rowid, id, source, kind, url, fetched, meta, data FROM raw_inputs WHERE rowid > ?"
                           " ORDER BY rowid LIMIT ?", lambda row: (row["rowid"],), (0,))
        for row in rows:
            yield row["id"], RawRecord(
                source=row["source"],
                kind=row["kind"],
                data=zlib.decompress(row["data"]),
                url=row["url"],
                fetched=row["fetched"],
                meta=json.loads(row["meta"]),
            )

    def article(self, article_id: str, store_names: bool = True) -> Article | None:
        """The article with its layers; with ``store_names``, entity and speaker names as the whole store
        agrees on them (after ``refresh_names``), else as its own text gave them."""
        row = self.db.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return None
        article = article_from_row(row)
        for layer_row in self.db.execute("SELECT * FROM layers WHERE article_id = ? ORDER BY name", (article_id,)):
            article.layers[layer_row["name"]] = Layer.from_dict(
                {**dict(layer_row), "spans": json.loads(layer_row["spans"])}
            )
        failures = self.db.execute(
            "SELECT stage, layer, reason FROM article_failures WHERE article_id = ? ORDER BY stage, layer",
            (article_id,),
        )
        article.failures = [Failure(*row) for row in failures]
        if store_names:
            apply_names(article, self.names_mapping(names_to_look_up(article)))
        return article

    def articles(self) -> Iterator[Article]:
        """Every article without its layers, undated ones first, then by date; read a page at a time."""
        undated = self._pages("SELECT * FROM articles WHERE published IS NULL AND id > ? ORDER BY id LIMIT ?",
                              lambda row: (row["id"],), ("",))
        dated = self._pages("SELECT * FROM articles WHERE published IS NOT NULL AND (published > ? OR"
                            " (published = ? AND id > ?)) ORDER BY published, id LIMIT ?",
                            lambda row: (row["published"], row["published"], row["id"]), ("", "", ""))
        for row in itertools.chain(undated, dated):
            yield article_from_row(row)

    def _pages(self, sql: str, after: Callable[[Any], tuple[Any, ...]], start: tuple[Any, ...]) -> Iterator[Any]:
        """The rows of a large ordered query, PAGE_ROWS at a time, each page after the last row of the one
        before (``after``: that row's values for the query's ``?``), so memory stays flat on every back
        end and a page is an index range, however deep into the table."""
        key = start
        while page := self.db.execute(sql, (*key, PAGE_ROWS)).fetchall():
            yield from page
            key = after(page[-1])

    def stories(self) -> list[Story]:
        """Every story with its article ids, in id order."""
        rows = self.db.execute("SELECT id, title FROM stories ORDER BY id")
        stories = {row["id"]: Story(row["id"], row["title"]) for row in rows}
        for row in self.db.execute("SELECT story_id, article_id FROM story_articles ORDER BY story_id, article_id"):
            stories[row["story_id"]].article_ids.append(row["article_id"])
        return list(stories.values())

    def story_articles(self, story_id: str) -> list[Article]:
        """The articles of one story with their layers (none for an unknown story), as their pages read now."""
        rows = self.db.execute(f"SELECT article_id FROM story_articles WHERE story_id = ? AND article_id NOT IN"
                               f" ({SUPERSEDED}) ORDER BY article_id", (story_id,)).fetchall()
        return [article for article in map(self.article, [row[0] for row in rows]) if article]

    def counts(self) -> dict[str, int]:
        tables = ("raw_inputs", "articles", "layers", "stories", "failures", "article_failures")
        return {t: self.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}

    def search(
        self,
        query: str,
        *,
        outlet: str | None = None,
        language: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> list[SearchHit]:
        """Full-text search (ranked, title weighted) on normalised title and text, with metadata filters."""
        dialect = self.db.dialect
        where, params = [dialect.search_match], [dialect.search_query(search_terms(query))]
        for clause, value in (
            ("a.outlet = ?", outlet),
            ("a.language = ?", language),
            ("a.published >= ?", since),
            ("substr(a.published, 1, 10) <= ?", until),
        ):
            if value:
                where.append(clause)
                params.append(value)
        sql = (
            f"SELECT a.id, a.title, a.outlet, a.published, a.language, {dialect.search_columns}"
            f" {dialect.search_source} WHERE {' AND '.join(where)} ORDER BY score DESC, a.published DESC NULLS LAST"
            " LIMIT ? OFFSET ?"
        )
        rows = self.db.execute(sql, (*params, limit, offset)).fetchall()
        return [SearchHit(**{**dict(r), "score": round(r["score"], 4)}) for r in rows]


@dataclass(frozen=True)
class EventRow:
    """An event as the readers' tables keep it."""

    id: str
    title: str | None
    story_id: str | None
    first_day: float | None
    last_day: float | None
    article_ids: list[str]


# The linkers' state tables: name -> (table, key column, value column, value is JSON). ``merges`` is
# shared with the readers, so that old ids stay resolvable.
_LINK_TABLES = {
    **{name: (f"link_{name}", "key", "value", name != "terms")
       for name in ("terms", "events", "postings", "recent", "assigned", "links", "storyline_of",
                                 "storylines")},
    "merges": ("merges", "old_id", "new_id", False),
}


def _compact_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def raw_id_of(record: RawRecord) -> str:
    digest = hashlib.blake2b(record.kind.encode() + b"\x00" + record.data, digest_size=12)
    return digest.hexdigest()


def article_row(article: Article) -> dict[str, Any]:
    """The article's columns; its layers and failures have tables of their own."""
    data = {name: getattr(article, name) for name in ARTICLE_FIELDS}
    for name in _JSON_FIELDS:
        data[name] = json.dumps(data[name], ensure_ascii=False)
    return data


def article_from_row(row: Any) -> Article:
    data = {name: row[name] for name in ARTICLE_FIELDS}
    for name in _JSON_FIELDS:
        data[name] = json.loads(data[name])
    return Article.from_dict(data)


def store_time(when: datetime) -> str:
    """``when`` as the store writes times, 'YYYY-MM-DDTHH:MM:SSZ' in UTC (naive: UTC), so times compare
    as text on every back end."""
    if when.tzinfo is not None:
        try:
            when = when.astimezone(UTC).replace(tzinfo=None)
        except OverflowError:  # hours off year 1 or 9999: before or after every stored time
            when = datetime.min if when.year == 1 else datetime.max
    return when.isoformat(timespec="seconds") + "Z"


def search_terms(query: str) -> str:
    """The user's words, normalised as the index is, space-separated; every back end's query syntax is
    built from them, so punctuation cannot break it."""
    terms = re.findall(r"\w+", normalise(query))
    if not terms:
        raise ValueError("search query has no words")
    return " ".join(terms)


def migrations(back_end: str) -> list[tuple[int, str]]:
    """The numbered migrations of a back end (``store/migrations/BACK_END/NNNN_name.sql``), in order."""
    folder = resources.files("newsprism.store") / "migrations" / back_end
    found = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.read_text(encoding="utf-8")))
    return sorted(found)
