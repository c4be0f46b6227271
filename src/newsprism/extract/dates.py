"""Date strings as pages write them, turned into ISO 8601 (time zone kept when given).

Machine dates ("2022-02-18T21:37+0000") through ``to_iso``; dates shown to readers
("21:37 GMT 18.02.2022", "Outlet, 18.02.2022", "22. November 2022", "November 22, 2022",
"4 de mayo de 2022") through ``visible_date``, with month names of the main languages.
"""

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


_MONTH_NAMES = {
    1: "january jan januar jänner janvier janv enero ene gennaio gen stycznia styczeń januari janeiro",
    2: "february feb februar février févr febrero febbraio lutego luty februari fevereiro fev",
    3: "march mar märz maerz mars marzo marca marzec maart março",
    4: "april apr avril abril aprile kwietnia kwiecień",
    5: "may mai mayo maggio mag maja maj mei maio",
    6: "june jun juni juin junio giugno giu czerwca czerwiec junho",
    7: "july jul juli juillet julio luglio lug lipca lipiec julho",
    8: "august aug août agosto ago sierpnia sierpień augustus",
    9: "september sep sept septembre septiembre settembre set września wrzesień setembro",
    10: "october oct oktober octobre octubre ottobre ott października październik okt outubro out",
    11: "november nov novembre noviembre listopada listopad novembro",
    12: "december dec dezember décembre déc diciembre dic dicembre grudnia grudzień dez dezembro",
}
MONTHS = {name: number for number, names in _MONTH_NAMES.items() for name in names.split()}
_MONTH = r"(?P<month>[^\W\d_]{3,12})\.?"
_DAY_MONTH_YEAR = re.compile(rf"\b(?P<day>\d{{1,2}})\.?\s+(?:de\s+)?{_MONTH}\s+(?:de\s+)?(?P<year>(19|20)\d\d)\b")
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(19|20)\d\d)\b")
_CLOCK_DATE = re.compile(
    r"^(?P<h>\d{1,2}):(?P<m>\d{2})(?:\s*(?P<zone>GMT|UTC|Z))?\s*,?\s+"
    r"(?P<d>\d{1,2})[./](?P<mo>\d{1,2})[./](?P<y>\d{4})$"
)
_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2}[./]\d{1,2}[./](19|20)\d\d|(19|20)\d\d-\d{2}-\d{2})(?!\d)")
_DATE_CREDIT = re.compile(r"^(?P<name>[^,\d][^,]{1,40}),\s*(?P<date>\d{1,2}\.\d{1,2}\.\d{4})$")
MAX_DATE_LINE = 160


def visible_date(text: str) -> str | None:
    """The date a short dump line shows (or a long one starts with); GMT/UTC clocks give +00:00."""
    if len(text) > MAX_DATE_LINE:
        return visible_date(text[:12]) if _NUMERIC_DATE.match(text) else None
    clock = _CLOCK_DATE.match(text)
    if clock:
        day = to_iso(f"{clock['d']}.{clock['mo']}.{clock['y']}")
        zone = "+00:00" if clock["zone"] else ""
        return f"{day}T{int(clock['h']):02d}:{clock['m']}:00{zone}" if day else None
    numeric = _NUMERIC_DATE.search(text)
    if numeric:
        return to_iso(numeric.group(0))
    return textual_date(text)


def textual_date(text: str) -> str | None:
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        for match in pattern.finditer(text):
            month = MONTHS.get(match["month"].lower())
            if month:
                return to_iso(f"{int(match['day'])}.{month}.{match['year']}")
    return None


def date_credit(text: str) -> re.Match[str] | None:
    """"Outlet, DD.MM.YYYY" credit lines."""
    return _DATE_CREDIT.match(text)


def is_date_line(text: str) -> bool:
    """A line that is only a date or a clock-and-date (no other words to read)."""
    return bool(_CLOCK_DATE.match(text) or _DATE_CREDIT.match(text)) or (
        len(text) <= 40 and visible_date(text) is not None
    )
