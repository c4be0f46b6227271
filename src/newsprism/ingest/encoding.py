"""Text of unknown encoding into ``str``: dumps and tables come in latin-1, cp1251, UTF-16..."""

from __future__ import annotations

import codecs

import charset_normalizer

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def bom_encoding(data: bytes) -> str | None:
    """The codec a byte-order mark announces (a BOM'd UTF-16 file is text, despite its NULs)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def decode_text(data: bytes) -> str | None:
    """BOM codec, else UTF-8, else charset-normalizer's best guess; None when nothing fits.

    Short Western texts fit cp1250, cp1252 and cp1257 equally well ("ø" or "ř"); among
    equally good guesses windows-1252 wins, the legacy encoding most pages really use.
    """
    bom = bom_encoding(data)
    try:
        return data.decode(bom or "utf-8")
    except UnicodeDecodeError:
        if bom:
            return None
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        return None
    ties = [m for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    return str(next((m for m in ties if m.encoding == "cp1252"), best))
