"""A store on a PostgreSQL server, for several writers and many readers: psycopg 3, numbered
migrations, full-text search with tsvector, a GIN index and ts_rank.

The shared SQL (store/base.py, serve/queries.py) is written with ``?`` parameters and rows read by
name and by position, as sqlite3 gives them; ``PostgresConnection`` keeps that contract on psycopg.
Like sqlite3, it opens a transaction before the first write and reads in autocommit, so a reader
holds no snapshot between requests; and as on SQLite, one transaction writes at a time: each takes a
store-wide lock first. Several processes then extract and annotate side by side (the costly part) and
take turns to write their batches; without the lock, two batches that count the same names in a
different order deadlock. The web server borrows its connections from a pool (``connection_pool``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import pq
from psycopg_pool import ConnectionPool

from newsprism.errors import StoreError, StoreWriteError, first_line
from newsprism.extract.text import without_marks
from newsprism.store.base import Dialect, Store, migrations

_WRITE = re.compile(r"^\s*(?:INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
WRITE_LOCK = 7_406_231  # pg_advisory_xact_lock key: one transaction writes at a time
MIGRATION_LOCK = 7_406_232
CONNECT_TIMEOUT = 10  # seconds
STREAM_ROWS = 500  # rows fetched at a time from a server-side cursor
_cursors = itertools.count()


def _json_items(column: str, alias: str) -> str:
    return f"jsonb_array_elements(CAST({column} AS jsonb)) AS {alias}(value)"


def _json_strings(column: str, alias: str) -> str:
    return f"jsonb_array_elements_text(CAST({column} AS jsonb)) AS {alias}(value)"


def _json_field(value: str, path: str) -> str:
    return f"({value} #>> '{{{','.join(path.split('.'))}}}')"


def _json_number(value: str, path: str) -> str:
    return f"CAST({_json_field(value, path)} AS integer)"


POSTGRES = Dialect(
    index_article="INSERT INTO articles_fts(rowid, doc)"
                  " VALUES (?, setweight(to_tsvector('simple', ?), 'A') || setweight(to_tsvector('simple', ?), 'D'))",
    search_source="FROM articles_fts f JOIN articles a ON a.rowid = f.rowid CROSS JOIN plainto_tsquery('simple', ?) q",
    search_match="f.doc @@ q",
    index_form=without_marks,  # the "simple" configuration keeps them; SQLite's FTS5 does not
    search_query=without_marks,
    # the title's weight five times the text's, as in SQLite's bm25(5, 1)
    search_columns="ts_headline('simple', a.text, q, 'StartSel=[, StopSel=], MaxWords=12, MinWords=4,"
                   " MaxFragments=1, FragmentDelimiter=\" … \"') AS snippet,"
                   " ts_rank('{0.2, 0.2, 0.2, 1.0}', f.doc, q) AS score",
    json_items=_json_items,
    json_strings=_json_strings,
    json_field=_json_field,
    json_number=_json_number,
    contains=lambda column: f"strpos({column}, ?) > 0",
    in_json_list=lambda column: f"{column} IN (SELECT jsonb_array_elements_text(CAST(? AS jsonb)))",
    day_to_date=lambda days: f"to_char(to_timestamp({days} * 86400) AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
    concat_distinct=lambda column: f"string_agg(DISTINCT {column}, ',')",
)


class Row(tuple):
    """A row read by position or by column name, and ``dict(row)``, as sqlite3.Row."""

    names: tuple[str, ...] = ()

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        return super().__getitem__(self.names.index(key) if isinstance(key, str) else key)

    def keys(self) -> tuple[str, ...]:
        return self.names


def _row_factory(cursor: psycopg.Cursor[Any]) -> Any:
    names = tuple(column.name for column in cursor.description or ())
    row_type = type("Row", (Row,), {"names": names})
    return lambda values: row_type(values)


CONNECTION_OPTIONS: dict[str, Any] = {"autocommit": True, "row_factory": _row_factory,
                                      "connect_timeout": CONNECT_TIMEOUT, "application_name": "newsprism"}


def _placeholders(sql: str) -> str:
    """sqlite3's ``?`` parameters as psycopg's ``%s`` (a literal % doubled)."""
    return sql.replace("%", "%%").replace("?", "%s")


class PostgresConnection:
    """A psycopg connection that speaks as the store's sqlite3 connection does."""

    dialect = POSTGRES

    def __init__(self, target: str | psycopg.Connection[Any]) -> None:
        """``target``: a URL to connect to, or a connection lent by ``connection_pool`` (then the pool's to close)."""
        self.lent = not isinstance(target, str)
        self.raw = psycopg.connect(target, **CONNECTION_OPTIONS) if isinstance(target, str) else target

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != pq.TransactionStatus.IDLE

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> psycopg.Cursor[Any]:
        with self._errors():
            if _WRITE.match(sql) and not self.in_transaction:
                self._begin_locked()
            return self.raw.execute(_placeholders(sql), parameters or None)  # type: ignore[arg-type]

    def executemany(self, sql: str, parameters: Any) -> psycopg.Cursor[Any]:
        rows = list(parameters)
        with self._errors():
            cursor = self.raw.cursor()
            if rows:
                if not self.in_transaction:
                    self._begin_locked()
                cursor.executemany(_placeholders(sql), rows)
            return cursor

    def stream(self, sql: str, parameters: Sequence[Any] = ()) -> Iterator[Any]:
        """The rows of a query that may be large, STREAM_ROWS at a time from a server-side cursor, so the
        client's memory stays flat; WITH HOLD, so that it outlives the commits made while reading it."""
        with self._errors(), self.raw.cursor(name=f"newsprism_{next(_cursors)}", withhold=True) as cursor:
            cursor.itersize = STREAM_ROWS
            cursor.execute(_placeholders(sql), parameters or None)  # type: ignore[arg-type]
            yield from cursor

    def begin_write(self) -> None:
        """Take the write lock now: what is read next cannot change before the commit (linking)."""
        if not self.in_transaction:
            with self._errors():
                self._begin_locked()

    def _begin_locked(self) -> None:
        self.raw.execute("BEGIN")
        self.raw.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))

    def commit(self) -> None:
        with self._errors():
            if self.in_transaction:
                self.raw.execute("COMMIT")

    def rollback(self) -> None:
        if self.in_transaction:
            self.raw.execute("ROLLBACK")

    def close(self) -> None:
        if not self.lent:
            self.raw.close()

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except psycopg.OperationalError as error:
            raise StoreWriteError(first_line(error) or repr(error)) from error


class PostgresStore(Store):
    """A newsprism store in a PostgreSQL database (it must exist; the tables are made on first use)."""

    def __init__(self, target: str) -> None:
        self.target = str(target)
        try:
            self.db = PostgresConnection(self.target)
            migrate(self.db)
        except (psycopg.Error, StoreWriteError) as error:
            raise StoreError(f"{_without_password(self.target)}: cannot use as a newsprism store"
                             f" ({first_line(error) or error})") from error

    @classmethod
    def lent(cls, target: str, raw: psycopg.Connection[Any]) -> PostgresStore:
        """The store over a connection of ``connection_pool`` (which migrated the database once): one per
        request, as cheap as the borrowing; closing it leaves the connection to the pool."""
        store = cls.__new__(cls, target)
        store.target = target
        store.db = PostgresConnection(raw)
        return store


def connection_pool(target: str, max_size: int) -> ConnectionPool[psycopg.Connection[Any]]:
    """Connections for ``PostgresStore.lent``, made as ``PostgresConnection`` makes its own; one that the
    server dropped is checked and replaced when next borrowed, never handed out. One stays open when idle,
    so the first request after a quiet spell does not wait to connect."""
    PostgresStore(target).close()  # migrate once, and refuse a bad target now with the usual StoreError
    pool: ConnectionPool[psycopg.Connection[Any]]

    def check(connection: psycopg.Connection[Any]) -> None:
        try:
            ConnectionPool.check_connection(connection)
        except psycopg.Error:
            # the server restarted, likely: replace every dropped connection now, since one at a time the pool
            # backs off 1, 2, 4... s between them and would fail a request after its 30 s
            pool.check()
            raise

    pool = ConnectionPool(target, kwargs=CONNECTION_OPTIONS, min_size=1, max_size=max_size, open=True,
                          check=check, name="newsprism")
    return pool


def _without_password(url: str) -> str:
    return re.sub(r"(://[^:/@]+):[^@/]*@", r"\1:***@", url)


def migrate(db: PostgresConnection) -> int:
    """Apply the numbered migrations newer than the database's; one process at a time."""
    known = migrations("postgresql")
    db.execute("BEGIN")
    try:
        db.execute("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))
        db.execute("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")
        row = db.execute("SELECT max(version) FROM schema_version").fetchone()
        current = row[0] or 0
        if known and current > known[-1][0]:
            raise StoreError(f"schema version {current} is newer than this newsprism knows ({known[-1][0]})")
        for version, sql in known:
            if version > current:
                db.raw.execute(sql)  # type: ignore[call-overload]  # a script: no parameters
                db.execute("INSERT INTO schema_version(version) VALUES (?)", (version,))
                current = version
        db.commit()
    except BaseException:
        db.rollback()
        raise
    return current
