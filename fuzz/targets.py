"""Coverage-guided fuzzing (atheris, libFuzzer) of every reader, the watcher's listings and every annotation layer.

    python fuzz/targets.py TARGET [libFuzzer options and corpus folders]

`make fuzz` runs each target for FUZZ_SECONDS from the seeds in fuzz/seeds/TARGET (small inputs
written for this) and keeps what it finds in var/fuzz/. A target fails only on what hostile input
must never cause: an exception other than the InputError that reports a bad input, from a reader,
an extractor or a layer. Every crash found becomes a regression test beside the code it breaks.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["newsprism"]):
    from newsprism.annotate.registry import annotate_text, available_layers
    from newsprism.errors import InputError
    from newsprism.extract import extract
    from newsprism.ingest import DEFAULT_LIMITS, READERS, InputFile, read_input
    from newsprism.ingest.detect import detect_kind
    from newsprism.ingest.encoding import decode_text
    from newsprism.ingest.warc import read_warc
    from newsprism.model import RawRecord
    from newsprism.watch.listings import read_listing

SCRATCH = Path(tempfile.mkdtemp(prefix="newsprism-fuzz-"))


def _extract_all(records: Iterator[RawRecord | InputError]) -> None:
    """Read every record a reader yields and extract it: what `ingest` does with a file. An InputError
    (raised by a reader for the whole file, or by an extractor for one record) reports a bad input."""
    with contextlib.suppress(InputError):
        for record in records:
            if isinstance(record, RawRecord):
                with contextlib.suppress(InputError):
                    extract(record)


def reader(kind: str) -> Callable[[bytes], None]:
    def one_input(data: bytes) -> None:
        _extract_all(READERS[kind](data, "fuzz", DEFAULT_LIMITS))
    return one_input


def _as_file(data: bytes) -> Path:
    path = SCRATCH / "input"
    path.write_bytes(data)
    return path


def any_file(data: bytes) -> None:
    """The whole path of one file: size checks, gzip, sniffing, the reader for the kind found, extraction."""
    _extract_all(read_input(InputFile(_as_file(data), "fuzz", True)))


def warc(data: bytes) -> None:
    _extract_all(read_warc(_as_file(data), data[:2] == b"\x1f\x8b", "fuzz", DEFAULT_LIMITS))


def encoding(data: bytes) -> None:
    detect_kind(data[:4096])
    decode_text(data)


def listing(data: bytes) -> None:
    """What `watch` reads from a hostile site before any article: a feed, a sitemap, a home page."""
    for kind in ("feed", "sitemap", "home"):
        read_listing(kind, data, "https://fuzz.example/feed")


def layer(name: str) -> Callable[[bytes], None]:
    def one_input(data: bytes) -> None:
        provider = atheris.FuzzedDataProvider(data)
        dct = "2026-03-0" + str(provider.ConsumeIntInRange(1, 9)) if provider.ConsumeBool() else None
        annotate_text(provider.ConsumeUnicodeNoSurrogates(len(data)), [name], dct)
    return one_input


available_layers()
TARGETS: dict[str, Callable[[bytes], None]] = {
    **{kind: reader(kind) for kind in READERS},
    "file": any_file,
    "warc": warc,
    "encoding": encoding,
    "listing": listing,
    **{name: layer(name) for name in available_layers()},
}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: {sys.argv[0]} TARGET [libFuzzer options] [corpus folders]; targets: {' '.join(TARGETS)}")
    target = sys.argv.pop(1)
    atheris.Setup(sys.argv, TARGETS[target])
    atheris.Fuzz()


if __name__ == "__main__":
    main()
