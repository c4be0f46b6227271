"""Date strings as pages write them, turned into ISO 8601 (time zone kept when given)."""

from __future__ import annotations

import re
from datetime import datetime

_ISO = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[T ](?P<h>\d{2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?"
    r"(?P<tz>Z|[+-]\d{2}:?\d{2})?)?"
)
_DMY = re.compile(r"\b(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>\d{4})\b")


def to_iso(value: str | None) -> str | None:
    """Normalise one machine-readable or numeric date; None when it is not a valid date."""
    if not value:
        return None
    value = value.strip()
    match = _ISO.match(value)
    if match:
        return _iso_from_match(match)
    match = _DMY.search(value)
    if match:
        return _checked(f"{match['y']}-{int(match['m']):02d}-{int(match['d']):02d}")
    return None


def _iso_from_match(match: re.Match[str]) -> str | None:
    day = _checked(match["date"])
    if day is None or match["h"] is None:
        return day
    clock = f"{match['h']}:{match['m']}:{match['s'] or '00'}"
    tz = match["tz"]
    if tz and tz != "Z" and ":" not in tz:
        tz = f"{tz[:3]}:{tz[3:]}"
    if tz == "Z":
        tz = "+00:00"
    return f"{day}T{clock}{tz or ''}"


def _checked(day: str) -> str | None:
    try:
        datetime.strptime(day, "%Y-%m-%d")
    except ValueError:
        return None
    return day
