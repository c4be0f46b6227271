"""JSONL, JSON and CSV exports: one article per row, the body in a text column.

Columns are matched by normalised name (lower case, spaces and dashes as ``_``).
The body comes from the first non-empty text column in ``TEXT_COLUMNS`` order;
recognised metadata columns are mapped to Article field names (``COLUMN_FIELDS``),
the first non-empty column winning when several map to the same field; other
columns are ignored. Values are passed on as found (``authors`` may be a list or a
"A, B and C" string): ``extract.fields`` normalises them.

Row ``n`` (0-based, counting every data row: non-blank lines of a JSONL file, rows
after the header of a CSV file) becomes the record or error named ``path#n``, so a
bad row is reported and does not shift the names of the rows after it.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from typing import Any

from newsprism.errors import InputError
from newsprism.ingest.encoding import decode_text
from newsprism.ingest.limits import Limits
from newsprism.model import RawRecord

TEXT_COLUMNS = ("text", "full_text", "body", "content", "article", "article_text", "maintext")
COLUMN_FIELDS = {
    "url": "url", "link": "url", "article_url": "url",
    "canonical_url": "canonical_url",
    "title": "title", "headline": "title",
    "published": "published", "date": "published", "pub_date": "published", "pubdate": "published",
    "publish_date": "published", "published_at": "published", "date_published": "published",
    "modified": "modified", "updated": "modified", "date_modified": "modified", "updated_at": "modified",
    "outlet": "outlet", "source": "outlet", "publisher": "outlet", "site": "outlet", "site_name": "outlet",
    "domain": "domain",
    "authors": "authors", "author": "authors", "byline": "authors",
    "tags": "tags", "keywords": "tags",
    "language": "language", "lang": "language",
    "description": "description", "summary": "description",
    "section": "section", "category": "section",
    "image": "image", "image_url": "image", "top_image": "image",
}  # fmt: skip
_DELIMITERS = (",", "\t", ";", "|")
_JSON_LIST_KEYS = ("articles", "items", "data", "results", "records")
_HEADER_CELL = re.compile(r"[\w .-]{1,40}")


def read_jsonl(data: bytes, source: str, limits: Limits) -> Iterator[RawRecord | InputError]:
    lines = (line for line in _decoded(data, source).split("\n") if line.strip())
    for n, line in enumerate(lines):
        if n >= limits.max_records:
            yield InputError(source, f"more than {limits.max_records} rows; the rest skipped")
            return
        yield _jsonl_row(line, f"{source}#{n}", limits)


def read_json(data: bytes, source: str, limits: Limits) -> Iterator[RawRecord | InputError]:
    """One JSON document: an array of article objects, or an object holding one under a list key."""
    try:
        document = json.loads(_decoded(data, source))
    except json.JSONDecodeError as exc:
        raise InputError(source, f"invalid JSON: {exc.msg} (line {exc.lineno})") from exc
    except RecursionError as exc:
        raise InputError(source, "invalid JSON (nested too deeply)") from exc
    rows = [_keyed(row) if isinstance(row, dict) else row for row in _json_rows(document) or []]
    if not any(isinstance(row, dict) and _text_of(row) for row in rows):
        raise InputError(source, "JSON document holds no articles (expected an array of objects with a text field)")
    for n, row in enumerate(rows):
        if n >= limits.max_records:
            yield InputError(source, f"more than {limits.max_records} rows; the rest skipped")
            return
        if not isinstance(row, dict):
            yield InputError(f"{source}#{n}", f"JSON {type(row).__name__} where an object was expected")
            continue
        yield _row_record(row, f"{source}#{n}")


def _json_rows(document: object) -> list[object] | None:
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        lists = [v for k, v in document.items() if k in _JSON_LIST_KEYS and isinstance(v, list)]
        return lists[0] if lists else None
    return None


def read_csv(data: bytes, source: str, limits: Limits) -> Iterator[RawRecord | InputError]:
    text = _decoded(data, source)
    csv.field_size_limit(limits.max_line_chars)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text) or ",")
    n = 0
    try:
        header = [_column_key(cell) for cell in next(rows, [])]
        for row in rows:
            if not any(cell.strip() for cell in row):
                continue
            if n >= limits.max_records:
                yield InputError(source, f"more than {limits.max_records} rows; the rest skipped")
                return
            yield _row_record(dict(zip(header, row, strict=False)), f"{source}#{n}")
            n += 1
    except csv.Error as exc:
        yield InputError(f"{source}#{n}", f"unreadable CSV row ({exc}); the rest of the file skipped")


def csv_delimiter(text: str) -> str | None:
    """The delimiter that makes the first line a header with a text column, or None if none does.

    Deliberately not ``csv.Sniffer``: it guesses from the data rows, which are long
    quoted texts full of commas and newlines; the header row says it unambiguously.
    """
    first_line = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    for delimiter in _DELIMITERS:
        try:
            cells = next(csv.reader([first_line], delimiter=delimiter), [])
        except csv.Error:  # a stray carriage return: not a header line
            return None
        if (
            len(cells) >= 2
            and all(_HEADER_CELL.fullmatch(cell.strip()) for cell in cells)
            and any(_column_key(cell) in TEXT_COLUMNS for cell in cells)
        ):
            return delimiter
    return None


def _decoded(data: bytes, source: str) -> str:
    text = decode_text(data)
    if text is None:
        raise InputError(source, "cannot decode text")
    return text


def _jsonl_row(line: str, source: str, limits: Limits) -> RawRecord | InputError:
    if len(line) > limits.max_line_chars:
        return InputError(source, f"line of {len(line)} characters over the limit")
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        return InputError(source, f"invalid JSON: {exc.msg} (column {exc.colno})")
    except RecursionError:
        return InputError(source, "invalid JSON (nested too deeply)")
    if not isinstance(row, dict):
        return InputError(source, f"JSON {type(row).__name__} where an object was expected")
    return _row_record(_keyed(row), source)


def _row_record(row: dict[str, Any], source: str) -> RawRecord | InputError:
    text = _text_of(row)
    if text is None:
        return InputError(source, f"no text in any text column ({', '.join(TEXT_COLUMNS)})")
    meta: dict[str, Any] = {}
    for column, value in row.items():
        field = COLUMN_FIELDS.get(column)
        if field and field not in meta and value not in (None, "", []):
            meta[field] = value
    url = meta.pop("url", None)
    return RawRecord(source=source, kind="fields", data=text.encode("utf-8"), url=str(url) if url else None, meta=meta)


def _keyed(row: dict[Any, Any]) -> dict[str, Any]:
    return {_column_key(str(k)): v for k, v in row.items()}


def _text_of(row: dict[str, Any]) -> str | None:
    return next((row[c] for c in TEXT_COLUMNS if isinstance(row.get(c), str) and row[c].strip()), None)


def _column_key(name: str) -> str:
    return re.sub(r"[\s-]+", "_", name.strip().lstrip("\ufeff").lower())
