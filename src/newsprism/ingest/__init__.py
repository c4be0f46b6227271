"""Reading raw inputs: paths in, ``RawRecord``s (or ``InputError``s, yielded, not raised) out.

``iter_records(paths)`` is the whole pipeline: walk the paths (``paths``), refuse
what must not be read (special files, files over the size limit), sniff the
content (``detect``: gzip is decompressed and sniffed again, the extension is never
trusted), and hand the payload to the reader for its kind:

- ``html`` / ``dump`` (``files``): one record for the file; dumps re-encoded to UTF-8;
- ``warc`` (``warc``): one ``html`` record per HTML response record, ``path#n``;
- ``feed`` (``feed``), ``jsonl`` / ``json`` / ``csv`` (``table``): one ``fields`` record per item/row, ``path#n``.

Every problem is one ``InputError`` naming the file (or ``path#n`` for one row) and
the reason; the other inputs, and the other rows of the same file, are still read.
For a progress bar, iterate ``iter_input_files`` (total from ``count_inputs``) and
call ``read_input`` on each item that is an ``InputFile``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator

from newsprism.errors import InputError
from newsprism.ingest.detect import GZIP_MAGIC, HEAD_BYTES, detect_kind
from newsprism.ingest.feed import read_feed
from newsprism.ingest.files import open_payload, read_dump, read_html, read_payload, stream_problem
from newsprism.ingest.limits import DEFAULT_LIMITS, Limits
from newsprism.ingest.paths import InputFile, check_input_file, count_inputs, iter_input_files
from newsprism.ingest.table import read_csv, read_json, read_jsonl
from newsprism.ingest.warc import read_warc
from newsprism.model import RawRecord

__all__ = [
    "DEFAULT_LIMITS",
    "InputFile",
    "Limits",
    "count_inputs",
    "iter_input_files",
    "iter_records",
    "read_input",
]

Reader = Callable[[bytes, str, Limits], Iterator[RawRecord | InputError]]
READERS: dict[str, Reader] = {
    "html": read_html,
    "dump": read_dump,
    "feed": read_feed,
    "jsonl": read_jsonl,
    "json": read_json,
    "csv": read_csv,
}
REFUSALS = {
    "empty": "empty file",
    "binary": "binary file, not a news page",
    "xml": "XML document that is not an RSS/Atom/RDF feed",
    "gzip": "gzip inside gzip is not supported",
}


def iter_records(
    paths: Iterable[str | os.PathLike[str]], limits: Limits = DEFAULT_LIMITS
) -> Iterator[RawRecord | InputError]:
    """All records of all inputs, in a deterministic order, with an error for each bad input."""
    for item in iter_input_files(paths):
        if isinstance(item, InputError):
            yield item
        else:
            yield from read_input(item, limits)


def read_input(item: InputFile, limits: Limits = DEFAULT_LIMITS) -> Iterator[RawRecord | InputError]:
    """The records of one file; whatever goes wrong ends as a yielded InputError."""
    try:
        yield from _read_checked(item, limits)
    except InputError as error:
        yield error
    except OSError as exc:
        yield InputError(item.source, f"cannot read file ({exc.strerror or exc})")


def _read_checked(item: InputFile, limits: Limits) -> Iterator[RawRecord | InputError]:
    check_input_file(item, limits)
    compressed, kind = _sniff(item, limits)
    if kind == "warc":
        yield from read_warc(item.path, compressed, item.source, limits)
        return
    if kind in REFUSALS:
        raise InputError(item.source, REFUSALS[kind])
    data = read_payload(item.path, item.source, compressed, limits)
    yield from READERS[kind](data, item.source, limits)


def _sniff(item: InputFile, limits: Limits) -> tuple[bool, str]:
    """Whether the file is gzip, and the kind of its (decompressed) content, from its head only.

    A gzip problem within the head is reported at once, except for a WARC, whose complete
    records before the problem are still worth reading.
    """
    with item.path.open("rb") as raw:
        compressed = raw.read(len(GZIP_MAGIC)) == GZIP_MAGIC
    with open_payload(item.path, compressed, limits) as stream:
        head = stream.read(HEAD_BYTES)
        problem = stream_problem(stream)
    kind = detect_kind(head)
    if problem and kind != "warc":
        raise InputError(item.source, problem)
    return compressed, kind
