"""WARC and WARC.GZ: each successful HTML ``response`` record becomes an ``html`` record.

The file is streamed through warcio (a gzip file is decompressed by ``GunzipStream``
first, which caps its size and notices truncation). Records other than ``response``,
non-2xx responses, empty bodies and non-HTML payloads (judged by Content-Type, or by
content when the type is missing or generic) are skipped silently. The HTTP body is
de-chunked and content-decoded by warcio.

``source`` is ``path#n`` where n counts, from 0, the HTML responses taken: the
records made and the per-record errors (a body over the size limit or undecodable).
warcio itself silently accepts a cut-off last record, so every record's
block is checked against its Content-Length: a truncated or corrupt WARC yields the
records read so far and then one error for the path ("truncated WARC after N records").
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from newsprism.errors import InputError
from newsprism.ingest.detect import HEAD_BYTES, detect_kind
from newsprism.ingest.files import open_payload, stream_problem
from newsprism.ingest.limits import Limits, limit_text
from newsprism.model import RawRecord

logging.getLogger("warcio").addHandler(logging.NullHandler())  # no last-resort stderr lines per record
_GENERIC_TYPES = ("", "application/octet-stream", "text/plain", "binary/octet-stream")


class _QuietArchiveIterator(ArchiveIterator):
    """warcio writes a warning to stderr for every record with a wrong Content-Length; this
    reader reports broken records itself, as one InputError per file."""

    INC_RECORD = ""


class _Truncated(Exception):
    """A record's block ended before its Content-Length."""


def read_warc(path: Path, compressed: bool, source: str, limits: Limits) -> Iterator[RawRecord | InputError]:
    made = 0
    with open_payload(path, compressed, limits) as stream:
        records = _QuietArchiveIterator(stream)
        try:
            for record in records:
                if made >= limits.max_records:
                    yield InputError(source, f"more than {limits.max_records} article records; the rest skipped")
                    return
                item = _article_record(record, f"{source}#{made}", limits)
                if item is not None:
                    yield item
                    made += 1
            if records.offset < records.fh.tell():  # warcio stops quietly at a cut-off record header
                raise _Truncated
        except _Truncated:
            yield _truncated(source, made, stream_problem(stream))
            return
        except Exception as exc:  # warcio fails in many ways on hostile bytes; report, never a traceback
            problem = stream_problem(stream)
            if problem or not stream.read(1):  # failed at the very end: a cut-off record header
                yield _truncated(source, made, problem)
            else:
                yield InputError(source, f"corrupt WARC after {made} records ({type(exc).__name__}: {exc})")
            return
        problem = stream_problem(stream)
    if problem:
        yield _truncated(source, made, problem)
    elif made == 0:
        yield InputError(source, "no HTML response records in WARC")


def _truncated(source: str, made: int, problem: str | None) -> InputError:
    return InputError(source, f"truncated WARC after {made} records" + (f" ({problem})" if problem else ""))


def _article_record(record: Any, source: str, limits: Limits) -> RawRecord | InputError | None:
    """The record as an ``html`` RawRecord, an error for this record only, or None to skip it."""
    http = record.http_headers
    if record.rec_type != "response" or http is None or not http.get_statuscode().startswith("2"):
        _drain_complete(record)
        return None
    content_type = http.get_header("Content-Type") or ""
    try:
        payload = record.content_stream().read(limits.max_payload_bytes + 1)
    except Exception as exc:  # bad chunking or content encoding in this one record
        _drain_complete(record)
        return InputError(source, f"cannot decode HTTP body ({type(exc).__name__})")
    _drain_complete(record)
    if len(payload) > limits.max_payload_bytes:
        return InputError(source, f"HTML payload over the {limit_text(limits.max_payload_bytes)} limit")
    if not payload.strip() or not _is_html(content_type, payload):
        return None
    return RawRecord(
        source=source,
        kind="html",
        data=payload,
        url=record.rec_headers.get_header("WARC-Target-URI"),
        fetched=record.rec_headers.get_header("WARC-Date"),
        meta={"content_type": content_type} if content_type else {},
    )


def _is_html(content_type: str, payload: bytes) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    if "html" in media_type:
        return True
    return media_type in _GENERIC_TYPES and detect_kind(payload[:HEAD_BYTES]) == "html"


def _drain_complete(record: Any) -> None:
    """Read the rest of the record's block; raise if it ends before its Content-Length."""
    while record.raw_stream.read(1 << 16):
        pass
    if getattr(record.raw_stream, "limit", None) != 0:  # no limit: the header had no Content-Length
        raise _Truncated
