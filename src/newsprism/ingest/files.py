"""Opening an input file (gzip decompressed on the fly, within limits) and single-page readers."""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from newsprism.errors import InputError
from newsprism.ingest.encoding import decode_text
from newsprism.ingest.limits import Limits, limit_text
from newsprism.model import RawRecord

_CHUNK = 1 << 20


class GunzipStream(io.RawIOBase):
    """Lazily decompressed (multi-member) gzip that stops at the first problem and remembers it.

    It ends like a normal stream instead of raising, so a container reader keeps the
    records read before a truncation and then reports ``problem``; the output cap stops
    gzip bombs after ``max_bytes`` without ever holding more than one chunk.
    """

    def __init__(self, raw: BinaryIO, max_bytes: int) -> None:
        super().__init__()
        self._raw = raw
        self._gzip = gzip.GzipFile(fileobj=raw, mode="rb")
        self._max_bytes = max_bytes
        self._produced = 0
        self.problem: str | None = None

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self._gzip.close()
        self._raw.close()
        super().close()

    def readinto(self, buffer: bytearray | memoryview) -> int:
        if self.problem:
            return 0
        try:
            data = self._gzip.read1(len(buffer))  # read1: one step, so a later error loses nothing read
        except EOFError:
            self.problem = "truncated gzip data"
            return 0
        except (OSError, zlib.error) as exc:
            self.problem = f"corrupt gzip data ({exc})"
            return 0
        self._produced += len(data)
        if self._produced > self._max_bytes:
            self.problem = f"decompressed data over the {limit_text(self._max_bytes)} limit"
            return 0
        buffer[: len(data)] = data
        return len(data)


def open_payload(path: Path, compressed: bool, limits: Limits) -> BinaryIO:
    """The file's bytes as a buffered stream, decompressed when it is gzip."""
    raw = path.open("rb")
    if not compressed:
        return raw
    return io.BufferedReader(GunzipStream(raw, limits.max_decompressed_bytes), buffer_size=_CHUNK)


def stream_problem(stream: BinaryIO) -> str | None:
    """Why a stream from ``open_payload`` ended early, if it did."""
    raw = getattr(stream, "raw", None)
    return raw.problem if isinstance(raw, GunzipStream) else None


def read_payload(path: Path, source: str, compressed: bool, limits: Limits) -> bytes:
    """The whole (decompressed) content; a truncated, corrupt or oversized gzip is an error.

    The file size was checked with ``stat`` before; gzip output is capped by the stream.
    """
    with open_payload(path, compressed, limits) as stream:
        data = stream.read()
        problem = stream_problem(stream)
    if problem:
        raise InputError(source, problem)
    return data


def read_html(data: bytes, source: str, limits: Limits) -> Iterator[RawRecord]:
    """An HTML page as is: its bytes keep their own charset for the HTML extractor."""
    yield RawRecord(source=source, kind="html", data=data)


def read_dump(data: bytes, source: str, limits: Limits) -> Iterator[RawRecord]:
    """A plain-text page dump, re-encoded as UTF-8 whatever encoding it came in."""
    text = decode_text(data)
    if text is None:
        raise InputError(source, "cannot decode text")
    longest = max(map(len, text.split("\n")))
    if longest > limits.max_line_chars:
        raise InputError(source, f"line of {longest} characters; not a page dump")
    yield RawRecord(source=source, kind="dump", data=text.encode("utf-8"))
