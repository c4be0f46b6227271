"""Every response the watcher gets, kept as WARC (request and response records, gzipped per record) so
that what an outlet published can be cited after it is edited or deleted. warcio writes the records;
the store keeps, per fetch, the file, the offset and the record id to find it again."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsprism import __version__
from newsprism.watch.fetch import Response

MAX_WARC_BYTES = 1_000_000_000  # a new file after this many bytes
# the body is stored decoded, so the headers that describe the wire encoding would lie about it
_WIRE_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


@dataclass(frozen=True)
class Archived:
    file: str  # name inside the WARC folder
    offset: int
    record_id: str


class WarcArchive:
    """Appends to ``newsprism-<start time>-<pid>.warc.gz`` in ``folder``; one writer per process."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._file: BinaryIO | None = None
        self._name = ""
        self._writer: WARCWriter | None = None

    def close(self) -> None:
        if self._file:
            self._file.close()
            self._file = None

    def add(self, response: Response) -> Archived | None:
        """Write the request and the response; None when there was no response to keep."""
        if response.status is None:
            return None
        writer = self._open()
        assert self._file is not None
        status = f"{response.status} {_reason(response.status)}"
        headers = [(k, v) for k, v in response.headers if k.lower() not in _WIRE_HEADERS]
        headers.append(("Content-Length", str(len(response.body))))
        record = writer.create_warc_record(
            response.url, "response", payload=io.BytesIO(response.body), length=len(response.body),
            warc_headers_dict={"WARC-Date": response.fetched_at},
            http_headers=StatusAndHeaders(status, headers, protocol=response.http_version),
        )
        offset = self._file.tell()
        writer.write_record(record)
        request = writer.create_warc_record(
            response.url, "request", payload=io.BytesIO(b""), length=0,
            warc_headers_dict={"WARC-Date": response.fetched_at,
                               "WARC-Concurrent-To": record.rec_headers.get_header("WARC-Record-ID")},
            http_headers=StatusAndHeaders(f"GET {_target(response.url)} {response.http_version}",
                                          response.request_headers, is_http_request=True),
        )
        writer.write_record(request)
        self._file.flush()
        return Archived(self._name, offset, record.rec_headers.get_header("WARC-Record-ID"))

    def _open(self) -> WARCWriter:
        if self._file is not None and self._file.tell() > MAX_WARC_BYTES:
            self.close()
        if self._file is None or self._writer is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
            self._name = f"newsprism-{stamp}-{os.getpid()}.warc.gz"
            self._file = (self.folder / self._name).open("xb")
            self._writer = WARCWriter(self._file, gzip=True)
            info = self._writer.create_warcinfo_record(self._name, {"software": f"newsprism/{__version__}",
                                                                     "format": "WARC File Format 1.1"})
            self._writer.write_record(info)
        return self._writer


def _target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
