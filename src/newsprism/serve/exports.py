"""Exports: every article with all its layers as JSONL, and flat CSV tables for spreadsheets.

Both write to a file object, so the server can spool them to a temporary file in the request's
own thread (an SQLite connection stays in the thread that made it) and then stream the file.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import IO, Any

from newsprism.store import Store

CSV_TABLES: dict[str, tuple[str, ...]] = {
    "articles": ("id", "outlet", "domain", "url", "title", "published", "language", "authors", "text"),
    "entities": ("article_id", "start", "end", "text", "label", "canonical"),
    "quotes": ("article_id", "start", "end", "text", "kind", "speaker_name", "speaker_text"),
    "techniques": ("article_id", "start", "end", "text", "technique", "score"),
    "timex": ("article_id", "start", "end", "text", "type", "value"),
    "stories": ("story_id", "story_title", "article_id", "outlet", "published", "title", "event_id", "event_title"),
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write_jsonl(store: Store, handle: IO[str]) -> int:
    """One line per article: every Article field plus ``layers`` (standoff spans, offsets into ``text``)."""
    count = 0
    for listed in store.articles():  # undated first, then by date: read a page at a time
        article = store.article(listed.id)
        if article is not None:
            handle.write(json.dumps(article.to_dict(with_layers=True), ensure_ascii=False) + "\n")
            count += 1
    return count


def csv_cell(value: Any) -> Any:
    """A cell a spreadsheet shows as text: values that would start a formula get a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(store: Store, table: str, handle: IO[str]) -> int:
    """The named table (see CSV_TABLES) as CSV with a header row; returns the number of rows."""
    columns = CSV_TABLES[table]
    writer = csv.writer(handle)
    writer.writerow(columns)
    count = 0
    for row in _table_rows(store, table):
        writer.writerow([csv_cell(row.get(name)) for name in columns])
        count += 1
    return count


def _table_rows(store: Store, table: str) -> Iterator[dict[str, Any]]:
    if table == "articles":
        for row in store.db.stream("SELECT * FROM articles ORDER BY published NULLS FIRST, id"):
            yield {**dict(row), "authors": "; ".join(json.loads(row["authors"]))}
    elif table == "stories":
        yield from (
            dict(r)
            for r in store.db.stream(
                "SELECT s.id AS story_id, s.title AS story_title, a.id AS article_id, a.outlet, a.published, a.title,"
                " e.id AS event_id, e.title AS event_title FROM stories s JOIN story_articles sa ON sa.story_id = s.id"
                " JOIN articles a ON a.id = sa.article_id LEFT JOIN event_articles ea ON ea.article_id = a.id"
                " LEFT JOIN events e ON e.id = ea.event_id ORDER BY s.id, a.published NULLS FIRST, a.id"
            )
        )
    else:
        yield from _span_rows(store, table)


_LABEL_COLUMN = {"entities": "label", "quotes": "kind", "techniques": "technique", "timex": "type"}


def _span_rows(store: Store, layer: str) -> Iterator[dict[str, Any]]:
    rows = store.db.stream(
        "SELECT a.id, a.text, l.spans FROM layers l JOIN articles a ON a.id = l.article_id"
        " WHERE l.name = ? ORDER BY a.published NULLS FIRST, a.id",
        (layer,),
    )
    for row in rows:
        for span in json.loads(row["spans"]):
            attrs = span.get("attrs") or {}
            speaker = attrs.get("speaker") or {}
            yield {
                **attrs,
                "article_id": row["id"],
                "start": span["start"],
                "end": span["end"],
                "text": row["text"][span["start"]:span["end"]],
                _LABEL_COLUMN[layer]: span.get("label"),
                "speaker_text": speaker.get("text") if isinstance(speaker, dict) else None,
            }
