"""Size and count limits for reading untrusted inputs.

Every reader checks these before it allocates, so a hostile or broken input
(a 2 GB file, a gzip bomb, a feed with a million items, a one-line 50 MB dump)
costs one error line instead of the machine's memory.
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1_000_000


@dataclass(frozen=True)
class Limits:
    """Caps applied while reading inputs; sizes in bytes (decimal MB in messages).

    - ``max_file_bytes``: largest input file read at all (checked with ``stat`` before opening).
    - ``max_decompressed_bytes``: largest gzip output kept in memory (guards against gzip bombs);
      WARC.GZ files are streamed, so for them this caps the whole decompressed stream too.
    - ``max_payload_bytes``: largest single HTML payload taken from a WARC record.
    - ``max_records``: most records read from one container (WARC, feed, JSONL, CSV).
    - ``max_line_chars``: longest line (in characters) of a page dump or JSONL file, and longest CSV field.
    """

    max_file_bytes: int = 50 * MB
    max_decompressed_bytes: int = 100 * MB
    max_payload_bytes: int = 20 * MB
    max_records: int = 100_000
    max_line_chars: int = 4 * MB


DEFAULT_LIMITS = Limits()


def megabytes(size: int) -> str:
    """Sizes in error messages: '200.0 MB' for what was found, '50 MB' for limits."""
    return f"{size / MB:.1f} MB"


def limit_text(size: int) -> str:
    return f"{size / MB:g} MB"
