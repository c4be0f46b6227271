"""The embedded store: one SQLite file in WAL mode, numbered migrations, FTS5 search (bm25)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

from newsprism.errors import StoreError
from newsprism.store.base import Dialect, Store, migrations


def _json_items(column: str, alias: str) -> str:
    return f"json_each({column}) AS {alias}"


def _json_field(value: str, path: str) -> str:
    return f"json_extract({value}, '$.{path}')"


SQLITE = Dialect(
    index_article="INSERT INTO articles_fts(rowid, title, text) VALUES (?, ?, ?)",
    index_form=lambda text: text,  # FTS5's tokenizer drops the diacritics itself
    search_source="FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid",
    search_match="articles_fts MATCH ?",
    search_query=lambda terms: " ".join(f'"{term}"' for term in terms.split()),  # quoted: no FTS5 operators
    search_columns="snippet(articles_fts, 1, '[', ']', ' … ', 12) AS snippet, -bm25(articles_fts, 5.0, 1.0) AS score",
    json_items=_json_items,
    json_strings=_json_items,
    json_field=_json_field,
    json_number=_json_field,
    contains=lambda column: f"instr({column}, ?) > 0",
    in_json_list=lambda column: f"{column} IN (SELECT value FROM json_each(?))",
    day_to_date=lambda days: f"date({days} * 86400, 'unixepoch')",
    concat_distinct=lambda column: f"group_concat(DISTINCT {column})",
)


class SQLiteConnection(sqlite3.Connection):
    """sqlite3's connection, with the store's dialect and write lock."""

    dialect = SQLITE

    def stream(self, sql: str, parameters: object = ()) -> Iterator[sqlite3.Row]:
        """The rows of a query that may be large; sqlite3 reads them as they are asked for."""
        yield from self.execute(sql, parameters)  # type: ignore[arg-type]

    def begin_write(self) -> None:
        if not self.in_transaction:
            self.execute("BEGIN IMMEDIATE")


class SQLiteStore(Store):
    """A newsprism store on one SQLite file."""

    def __init__(self, target: str | Path) -> None:
        self.target = str(target)
        self.path = Path(target)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, factory=SQLiteConnection)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA synchronous=NORMAL")
            migrate(self.db)
        except (sqlite3.Error, OSError) as error:
            raise StoreError(f"{self.path}: cannot use as a newsprism store ({error})") from error


def migrate(db: sqlite3.Connection) -> int:
    """Apply the numbered migrations newer than the file's user_version; returns the version."""
    current = db.execute("PRAGMA user_version").fetchone()[0]
    known = migrations("sqlite")
    if known and current > known[-1][0]:
        raise StoreError(f"schema version {current} is newer than this newsprism knows ({known[-1][0]})")
    for version, sql in known:
        if version <= current:
            continue
        try:
            db.executescript(f"BEGIN;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;")
        except sqlite3.Error:
            db.rollback()
            raise
        current = version
    return current
