"""Time expressions found by a rule table of regexes and normalised to TIMEX3 values.

Each rule is one linear regex (no nested quantifiers, inputs are hostile) and a resolver that
turns the match into a TIMEX3 type and value, anchored on the document creation time (DCT).
Overlapping candidates are settled longest-first. Bare weekdays, months and seasons take their
direction from the governing verb's tense in the shared spaCy parse; "that year", "the next day"
follow the latest date the story named before them. Without a DCT, relative values keep ``X``
placeholders (``XXXX-02-24``) as TIMEX3 does.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta

from newsprism.annotate.nlp import parse
from newsprism.annotate.registry import component
from newsprism.extract.dates import MONTHS

if TYPE_CHECKING:
    from spacy.tokens import Token

MAX_TEXT_CHARS = 2_000_000
MAX_TENSE_PARSE_CHARS = 100_000  # longer texts fall back to cue words: a news article is far shorter
VERSION = "0.5"  # 0.5: a capitalised "Daily" or "Weekly" before a name is a title ("the Daily News"), not a set


@dataclass(frozen=True)
class Timex:
    """One time expression: ``text == source[start:end]``, TIMEX3 ``type`` and ``value``."""

    start: int
    end: int
    text: str
    type: str
    value: str

    def to_dict(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "text": self.text, "type": self.type, "value": self.value}


@dataclass(frozen=True)
class Context:
    """What a resolver may look at: the DCT, the whole text and the match position."""

    dct: date | None
    text: str
    start: int
    end: int

    def tense(self) -> str:
        """'future', 'present' or 'past': a preposition just before the match ("until", "since") decides
        first, then the governing verb's tense in the shared parse (cue words for texts too long to parse);
        news defaults to past."""
        left = self.text[max(0, self.start - 25):self.start].lower()
        if _STRONG_FUTURE_CUES.search(left):
            return "future"
        if left.endswith(("since ", "after ")):
            return "past"
        if len(self.text) > MAX_TENSE_PARSE_CHARS:
            return self.cue_tense()
        return _parsed_tense(self.text, self.start, self.end) or "past"

    def cue_tense(self) -> str:
        """'future' or 'past' from cue words near the match, for texts too long to parse."""
        window_start = max(0, self.start - 50)
        left = self.text[max(window_start, self.text.rfind(".", window_start, self.start) + 1):self.start]
        right = self.text[self.end:self.end + 30].split(".")[0]
        window = f"{left} {right}".lower()
        if _FUTURE_CUES.search(window):
            return "future"
        return "past"


def _parsed_tense(text: str, start: int, end: int) -> str | None:
    """The tense of the verb governing text[start:end] in the shared spaCy parse, None without one."""
    span = parse(text).char_span(start, end, alignment_mode="expand")
    if span is None or span.root.dep_ == "poss":  # "Monday's vote": no verb speaks of the day
        return None
    verb = _governing_verb(span.root)
    return _verb_tense(verb, depth=3) if verb is not None else None


def _governing_verb(token: Token) -> Token | None:
    """The nearest verb above the token, within three steps ("met on Monday"); farther ones govern other things."""
    for _ in range(4):
        if token.pos_ in ("VERB", "AUX"):
            return token
        if token.head is token:
            return None
        token = token.head
    return None


def _verb_tense(verb: Token, depth: int) -> str | None:
    """Modals and "to"-infinitives under verbs of planning point ahead; past forms and perfects back."""
    auxes = [child for child in verb.children if child.dep_ in ("aux", "auxpass")]
    if any(aux.lower_ in _FUTURE_MODALS for aux in auxes):
        return "future"
    if verb.tag_ == "VBD" or any(aux.tag_ == "VBD" or aux.lemma_ == "have" for aux in auxes):
        return "past"
    if verb.tag_ == "VBN" and not auxes:
        return "past"
    infinitive = any(aux.tag_ == "TO" for aux in auxes)
    if (infinitive or (verb.tag_ == "VBG" and not auxes)) and verb.head is not verb:
        if verb.head.lemma_ in _PLANNING_VERBS:
            return "future"
        head = _governing_verb(verb.head)
        return _verb_tense(head, depth - 1) if head is not None and depth else None
    if verb.tag_ in ("VBZ", "VBP") or any(aux.tag_ in ("VBZ", "VBP") for aux in auxes):
        return "present"
    return None


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
}
VAGUE_NUMBERS = ("several", "a few", "few", "many", "a couple of", "couple of", "the past few", "the last few",
                 "the next few")
UNITS = {
    "second": ("T", "S"), "minute": ("T", "M"), "hour": ("T", "H"), "day": ("", "D"), "week": ("", "W"),
    "month": ("", "M"), "quarter": ("", "Q"), "year": ("", "Y"), "decade": ("", "DE"), "century": ("", "CE"),
}
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI"}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
SETS = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y", "yearly": "P1Y", "hourly": "PT1H",
        "nightly": "P1D"}
REFS = {"now": "PRESENT_REF", "currently": "PRESENT_REF", "current": "PRESENT_REF", "nowadays": "PRESENT_REF",
        "at present": "PRESENT_REF", "the present": "PRESENT_REF", "recently": "PAST_REF", "lately": "PAST_REF",
        "the past": "PAST_REF", "formerly": "PAST_REF", "the future": "FUTURE_REF",
        "these days": "PRESENT_REF", "the near term": "FUTURE_REF", "the short term": "FUTURE_REF",
        "future": "FUTURE_REF"}

_FUTURE_MODALS = frozenset({"will", "'ll", "shall", "would", "wo", "can", "may", "might", "must", "should"})
_PLANNING_VERBS = frozenset({"set", "due", "expect", "schedule", "plan", "go", "intend", "hope", "want", "ready",
                             "likely", "about", "prepare", "aim", "seek", "promise", "vow", "threaten", "agree",
                             "suppose", "agreement", "offer", "bid", "deadline"})
_STRONG_FUTURE_CUES = re.compile(
    r"\b(?:until|till|through|payable|due|expected|scheduled|upcoming|coming|next|starting)\b[^.]*$")
_FISCAL_SPAN = re.compile(r"\s+(?:ended|ending|to|through|that)\b", re.I)
_YEAR_PREPOSITION = re.compile(r"\b(?:in|by|until|since)\s+$", re.I)
_ANAPHORIC = re.compile(r"(?:(?:later|earlier)\s+)?that\s+(?P<unit>year|month|day)|"
                        r"the\s+(?P<rel>next|following|previous)\s+(?P<unit2>day|morning|month|year)", re.I)
_CALENDAR_VALUE = re.compile(r"\d{4}(?:-\d\d(?:-\d\d)?)?(?:T|$)")
_FUTURE_CUES = re.compile(
    r"(?:\b(?:will|shall|is to|are to|going to|next|coming|scheduled|upcoming|until|through)\b|'ll\b)"
)
_MONTH = (r"(?:jan(?:uary|\.)|feb(?:ruary|\.)|mar(?:ch|\.)|apr(?:il|\.)|may|june?|july?|aug(?:ust|\.)|"
          r"sep(?:t(?:ember|\.)|\.)|oct(?:ober|\.)|nov(?:ember|\.)|dec(?:ember|\.))")
_MONTH_ABBR = r"(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b(?!\.)"  # "10 Nov", "Nov 10": beside a day only
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_NUMWORD = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|"
            r"seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
            r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|a|an|hundred|\d{1,4}(?:\.\d{1,2})?)")
_VAGUE = "(?:" + "|".join(VAGUE_NUMBERS) + ")"
_UNIT = r"(?:second|minute|hour|day|week|month|quarter|year|decade|centur(?:y|ie))"
_APPROX = r"(?:(?:about|nearly|almost|roughly|around|approximately|at least|more than|less than|up to|under|" \
          r"some|only|just|another)\s+)?"
_PART = r"(?:morning|afternoon|evening|night)"
# "2 1/2 years", "2-1/2", "5½", "two and a half"
_HALF = r"(?:(?<=\d)(?:\s|\s?-\s?)1\s?/\s?2|(?<=\d)½|\s+and\s+a\s+half)"
_DAYNUM = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_RELWORD = r"(?:last|this|next|coming|past|previous|current|following)"
_ZONE = r"(?:\s+(?:GMT|UTC|[ECMP][SD]T|BST|CES?T|EES?T|MSK|local\s+time)\b)?"
_MODIFIER = r"(?:(?:early|late|mid|the end of|the beginning of|the start of|the middle of)[\s-]+)?"
_EDGE = r"(?<![\w.])"
_TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_ONES = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_SPELLED_YEAR = rf"(?:nineteen[\s-]+{_TENS}(?:[\s-]{_ONES})?|two\s+thousand(?:\s+and\s+{_ONES})?)"
_SPELLED_DECADE = r"(?:twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)"

Resolver = Callable[[re.Match[str], Context], "tuple[str, str] | None"]


def _day(d: date | None) -> str:
    return d.isoformat() if d else "XXXX-XX-XX"


def _month_number(token: str) -> int:
    return MONTHS[token.lower()[:3]]


def _number(token: str) -> float | None:
    token = token.lower().replace("-", " ").strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", token):
        return float(token)
    total = 0
    for part in token.split():
        if part not in NUMBERS:
            return None
        total += NUMBERS[part]
    return total


def _fmt_number(n: float) -> str:
    return str(int(n)) if n == int(n) else str(n)


def _year_for_month(month: int, ctx: Context) -> str:
    """A month without a year: the latest one up to the DCT in the past tense, the next one in the future
    tense, else the nearest one."""
    if not ctx.dct:
        return "XXXX"
    year = ctx.dct.year
    tense = ctx.tense()
    if tense == "future":
        return str(year + 1 if month < ctx.dct.month else year)
    if tense == "past":  # a month just after the DCT is still this year's ("extended to Nov. 16")
        return str(year - 1 if month > ctx.dct.month + 1 else year)
    if month - ctx.dct.month > 6:
        return str(year - 1)
    return str(year + 1 if ctx.dct.month - month > 6 else year)


def _resolve_full_date(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    month = _month_number(m["month"])
    day = int(re.sub(r"\D", "", m["day"]))
    short_year = m.groupdict().get("short_year")
    year = m["year"] or (_full_year(int(short_year), ctx) if short_year else _year_for_month(month, ctx))
    return "DATE", f"{year}-{month:02d}-{day:02d}"


def _full_year(short: int, ctx: Context) -> int:
    """ "10 Nov 11": the year ending so that is nearest the anchor's (2011 for a page of 2011 or of 2026);
    without an anchor, 2000-2049 or 1950-1999."""
    now = ctx.dct.year if ctx.dct else 2000
    return min((century + short for century in (now // 100 * 100 - 100, now // 100 * 100)),
               key=lambda year: abs(year - now))


def _resolve_numeric_date(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    if m["iso"]:
        year, month, day = int(m["iy"]), int(m["im"]), int(m["id"])
    elif m["dotted"]:
        year, month, day = int(m["dy"]), int(m["dm"]), int(m["dd"])
    else:
        year, month, day = int(m["sy"]), int(m["sm"]), int(m["sd"])
        year += 1900 if year < 100 else 0
    try:
        return "DATE", date(year, month, day).isoformat()
    except ValueError:
        return None


def _resolve_month_year(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    month = _month_number(m["month"])
    if m["year"]:
        year = m["year"]
    elif m["rel"]:
        year = _shift_year(ctx, {"last": -1, "next": 1}.get(m["rel"].lower(), 0))
    else:
        year = _year_for_month(month, ctx)
    return "DATE", f"{year}-{month:02d}"


def _shift_year(ctx: Context, delta: int) -> str:
    return str(ctx.dct.year + delta) if ctx.dct else "XXXX"


def _resolve_bare_month(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    month = _month_number(m["month"])
    rel = (m["rel"] or "").lower()
    if rel and ctx.dct:
        if rel == "last":
            year = ctx.dct.year - (1 if month >= ctx.dct.month else 0)
        elif rel == "next":
            year = ctx.dct.year + (1 if month <= ctx.dct.month else 0)
        else:
            year = ctx.dct.year
        return "DATE", f"{year}-{month:02d}"
    return "DATE", f"{_year_for_month(month, ctx)}-{month:02d}"


def _resolve_year(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    return "DATE", m["year"]


def _resolve_year_period(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    if m["ord"]:
        return "DATE", f"{m['year']}-Q{ORDINALS[m['ord'].lower()]}"
    if m.group().lower().endswith("quarter") and ctx.dct:
        return "DATE", f"{m['year']}-Q{_latest_quarter(ctx.dct)}"
    return "DATE", m["year"]


def _spelled_year(phrase: str) -> int:
    """ "nineteen ninety-four" -> 1994, "two thousand and one" -> 2001: how broadcast transcripts write years."""
    words = phrase.lower().replace("-", " ").replace(" and ", " ").split()
    if words[0] == "nineteen":
        return 1900 + int(_number(" ".join(words[1:])) or 0)
    return 2000 + int(_number(" ".join(words[2:])) or 0)


def _written_year(token: str) -> str:
    return token if token.isdigit() else str(_spelled_year(token))


def _resolve_spelled_year(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    """ "two thousand" is a year only as "the year two thousand" or after "in", "by", "until", "since"."""
    is_year_context = m["the"] or _YEAR_PREPOSITION.search(ctx.text, max(0, ctx.start - 7), ctx.start)
    if m["spelled"].lower().startswith("two") and not is_year_context:
        return None
    return "DATE", str(_spelled_year(m["spelled"]))


def _resolve_spelled_decade(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    tens = NUMBERS[m["decade"].lower().removesuffix("ies") + "y"]
    return "DATE", f"19{tens // 10}"


def _resolve_decade(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    digits = m["decade"]
    if len(digits) == 2:
        digits = ("19" if int(digits) > 20 else "20") + digits
    return "DATE", digits[:3]


def _latest_quarter(dct: date) -> int:
    """The last complete quarter before the DCT: what financial news means by "the quarter"."""
    return ((dct - relativedelta(months=3)).month - 1) // 3 + 1


def _resolve_quarter(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    """Ordinal quarters of the DCT's year (of the last year if still ahead in a past-tense clause);
    "the quarter", "the latest quarter" mean the last complete one."""
    if m.group().lower() == "quarter":  # a bare noun: "a quarter of the seats"
        return None
    number = ORDINALS.get((m["ord"] or "").lower())
    if m["year"] or not ctx.dct:
        return "DATE", f"{m['year'] or 'XXXX'}-Q{number or 'X'}"
    if m["yrel"]:
        year = _shift_year(ctx, {"last": -1, "next": 1}.get(m["yrel"].lower(), 0))
        return "DATE", f"{year}-Q{number or _latest_quarter(ctx.dct)}"
    if number:
        still_ahead = number > (ctx.dct.month - 1) // 3 + 1
        return "DATE", f"{ctx.dct.year - (1 if still_ahead and ctx.tense() == 'past' else 0)}-Q{number}"
    anchor = ctx.dct if (m["rel"] or "").lower() == "current" else ctx.dct - relativedelta(months=3)
    return "DATE", f"{anchor.year}-Q{(anchor.month - 1) // 3 + 1}"


def _resolve_half(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    year = m["year"] or _shift_year(ctx, 0)
    return "DATE", f"{year}-H{1 if m['ord'].lower() == 'first' else 2}"  # second, last


def _resolve_season(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    """A season named in the past tense that has not begun by the DCT is last year's ("since the autumn")."""
    season = SEASONS[m["season"].lower()]
    rel = (m["rel"] or "").lower()
    year = _written_year(m["year"]) if m["year"] else _shift_year(ctx, {"last": -1, "next": 1}.get(rel, 0))
    if not (m["year"] or rel) and ctx.dct and SEASON_START[season] > ctx.dct.month and ctx.tense() == "past":
        year = str(ctx.dct.year - 1)
    return "DATE", f"{year}-{season}"


def _resolve_deictic_day(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    word = m["word"].lower()
    offset = {"today": 0, "tonight": 0, "yesterday": -1, "last night": -1, "tomorrow": 1}[word]
    day = ctx.dct + timedelta(days=offset) if ctx.dct else None
    part = PARTS_OF_DAY.get((m["part"] or "").lower()) or PARTS_OF_DAY.get(word.split()[-1])
    return ("TIME", f"{_day(day)}T{part}") if part else ("DATE", _day(day))


def _resolve_this_part(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    return "TIME", f"{_day(ctx.dct)}T{PARTS_OF_DAY[m['part'].lower()]}"


def _weekday_date(weekday: str, rel: str, ctx: Context) -> str:
    """The nearest such day: the DCT itself, else the past one unless "next" or the tense says future."""
    target = WEEKDAYS.index(weekday.lower())
    if not ctx.dct:
        return f"XXXX-WXX-{target + 1}"
    directions = {"last": "past", "next": "future", "coming": "future", "this coming": "future"}
    direction = directions.get(rel) or ("future" if ctx.tense() == "present" else ctx.tense())
    delta = target - ctx.dct.weekday()
    if direction == "future":
        delta = delta if delta >= (1 if rel else 0) else delta + 7
    else:
        delta = delta if delta <= (-1 if rel else 0) else delta - 7
    return (ctx.dct + timedelta(days=delta)).isoformat()


def _resolve_weekday(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    value = _weekday_date(m["weekday"], (m["rel"] or "").lower(), ctx)
    part = PARTS_OF_DAY.get((m["part"] or "").lower())
    return ("TIME", f"{value}T{part}") if part else ("DATE", value)


def _iso_week(d: date) -> str:
    year, week, _ = d.isocalendar()
    return f"{year}-W{week:02d}"


def _resolve_relative_period(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    rel = m["rel"].lower()
    unit = m["unit"].lower()
    step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1, "following": 1}.get(rel, 0)
    if unit == "weekend":
        if not ctx.dct:
            return "DATE", "XXXX-WXX-WE"
        return "DATE", _iso_week(ctx.dct + timedelta(weeks=step if rel != "this" else 0)) + "-WE"
    if not ctx.dct:
        return "DATE", {"week": "XXXX-WXX", "month": "XXXX-XX", "year": "XXXX", "decade": "XXX",
                        "century": "XX"}.get(unit, "XXXX")
    if unit == "week":
        return "DATE", _iso_week(ctx.dct + timedelta(weeks=step))
    if unit == "month":
        shifted = ctx.dct + relativedelta(months=step)
        return "DATE", f"{shifted.year}-{shifted.month:02d}"
    if unit == "year":
        return "DATE", str(ctx.dct.year + step)
    if unit == "decade":
        return "DATE", str(ctx.dct.year // 10 + step)
    return "DATE", str(ctx.dct.year // 100 + step)


def _resolve_ago(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    amount = _number(m["num"])
    unit = m["unit"].lower().rstrip("s")
    if amount is None or not ctx.dct or amount != int(amount):
        return "DATE", {"day": "XXXX-XX-XX", "week": "XXXX-WXX", "month": "XXXX-XX"}.get(unit, "XXXX")
    n = -int(amount)
    if unit == "day":
        return "DATE", (ctx.dct + timedelta(days=n)).isoformat()
    if unit == "week":
        return "DATE", _iso_week(ctx.dct + timedelta(weeks=n))
    if unit == "month":
        shifted = ctx.dct + relativedelta(months=n)
        return "DATE", f"{shifted.year}-{shifted.month:02d}"
    if unit == "year":
        return "DATE", _quarter_or_year(ctx, n)
    if unit == "decade":  # "a decade ago": the year, as "ten years ago"
        return "DATE", str(ctx.dct.year + 10 * n)
    return None


def _quarter_or_year(ctx: Context, years: int) -> str:
    """A year back; in a sentence about a quarter, or as "the year-ago period" of an earnings report, the same
    quarter of that year (financial news)."""
    assert ctx.dct
    sentence = ctx.text[max(0, ctx.start - 150):ctx.end + 100].lower()
    if "quarter" in sentence or ctx.text[ctx.start:ctx.end].lower().endswith("period"):
        return f"{(ctx.dct - relativedelta(months=3)).year + years}-Q{_latest_quarter(ctx.dct)}"
    return str(ctx.dct.year + years)


def _resolve_year_earlier(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    return "DATE", _quarter_or_year(ctx, -1) if ctx.dct else "XXXX"


def _unit_name(unit: str) -> str:
    """ "Hours" -> "hour", "centuries" -> "century": the unit as UNITS names it."""
    unit = unit.lower()
    return "century" if unit.startswith("centur") else unit.rstrip("s")


def _duration_value(amount: str, unit: str) -> str | None:
    prefix, letter = UNITS[_unit_name(unit)]
    if amount.lower() in VAGUE_NUMBERS or not amount:
        number = "X"
    else:
        parsed = _number(amount)
        if parsed is None:
            return None
        number = _fmt_number(parsed * {"DE": 10, "CE": 100}.get(letter, 1))
    if letter in ("DE", "CE"):
        letter = "Y"
    return f"P{prefix}{number}{letter}"


# A half of a unit in the next smaller one, as TimeML writes it: "2 1/2 years" is P2Y6M, "5 1/2 hours" PT5H30M.
_HALF_OF = {"Y": ("M", 6), "D": ("TH", 12), "TH": ("M", 30), "TM": ("S", 30)}


def _half_duration(whole: float, unit: str) -> str | None:
    """The value of ``whole`` and a half units; a decimal ("P2.5W") where no smaller unit divides the half."""
    prefix, letter = UNITS[_unit_name(unit)]
    if prefix + letter not in _HALF_OF:
        return _duration_value(_fmt_number(whole + 0.5), unit)
    smaller, amount = _HALF_OF[prefix + letter]
    whole_part = f"{_fmt_number(whole)}{letter}" if whole else ""
    if prefix:  # hours and minutes: the half is a time unit too
        return f"PT{whole_part}{amount}{smaller}"
    if smaller.startswith("T"):  # days: the half is hours, after the "T" that starts the time part
        return f"P{whole_part}T{amount}{smaller[1:]}"
    return f"P{whole_part}{amount}{smaller}"


def _resolve_half_unit(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    """ "half an hour", "a half-hour", "half a year"."""
    value = _half_duration(0, m["unit"])
    return ("DURATION", value) if value else None


def _resolve_duration(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    plural = m["unit"].lower().endswith(("s", "ie")) or m.group().lower().endswith("s")
    unit = m["unit"].lower()
    if (unit == "second" and (m["num"] or "").lower() in ("a", "")) or re.search(r"\w-quarters\b", m.group()):
        return None  # "a second time", fractions such as "three-quarters"
    vague = not m["num"] or m["num"].lower() in VAGUE_NUMBERS
    lead = (m["lead"] or "").lower()
    if plural and vague and lead in ("coming", "future", "past", "last"):
        return "DATE", "FUTURE_REF" if lead in ("coming", "future") else "PAST_REF"
    if not m["num"] and not plural:
        if not m.group().lower().startswith("the ") or m["unit"].lower() not in ("year", "week", "month"):
            return None
        if unit == "year" and ctx.dct and not _FISCAL_SPAN.match(ctx.text, ctx.end):
            return "DATE", str(ctx.dct.year)  # "by the end of the year", "for the full year"
        if unit == "week" and ctx.dct:
            return "DATE", _iso_week(ctx.dct)  # "during the week": the current one
        return "DURATION", _duration_value("1", m["unit"])
    if (m["half"] or m["unit_half"]) and not vague:
        whole = _number(m["num"])
        value = _half_duration(whole, m["unit"]) if whole is not None else None
    else:
        value = _duration_value(m["num"] or "", m["unit"])
    return ("DURATION", value) if value else None


_SENTENCE_OPENS = re.compile(r"(?:^|[.!?:\"“]\s*)$")
_NAME_GOES_ON = re.compile(r"\s+[A-Z]")


def _resolve_set(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    if m["adverb"]:
        opens = _SENTENCE_OPENS.search(ctx.text, max(0, ctx.start - 3), ctx.start)
        if m["adverb"][0].isupper() and (not opens or _NAME_GOES_ON.match(ctx.text, ctx.end)):
            return None  # "the Harlen Weekly said", "Daily Mail": a capital inside a sentence or a name goes on
        return "SET", SETS[m["adverb"].lower()]
    if m["weekday"]:
        return "SET", f"XXXX-WXX-{WEEKDAYS.index(m['weekday'].lower().rstrip('s')) + 1}"
    return "SET", _duration_value("1", m["unit"])


def _resolve_ref(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    return "DATE", REFS[re.sub(r"\s+", " ", m["ref"].lower())]


def _resolve_clock(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    hour = int(m["hour"])
    minute = int(m["minute"] or m["minute24"] or 0)
    meridian = (m["meridian"] or "").lower().replace(".", "").replace(" ", "")
    if meridian == "pm" and hour < 12:
        hour += 12
    elif meridian == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    day = _weekday_date(m["weekday"], "", ctx) if m["weekday"] else _day(ctx.dct)
    return "TIME", f"{day}T{hour:02d}:{minute:02d}"


def _resolve_noon(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    return "TIME", f"{_day(ctx.dct)}T{'12:00' if m['word'].lower() == 'noon' else '24:00'}"


def _narrative_value(anchor: str, unit: str, step: int) -> str | None:
    """``anchor`` (YYYY[-MM[-DD]]) moved by ``step`` units, None when it is coarser than the unit."""
    parts = [int(p) for p in anchor.split("-")]
    if unit == "year":
        return str(parts[0] + step)
    if unit == "month" and len(parts) >= 2:
        moved = date(parts[0], parts[1], 1) + relativedelta(months=step)
        return f"{moved.year}-{moved.month:02d}"
    if unit in ("day", "morning") and len(parts) == 3:
        moved = date(*parts) + timedelta(days=step)
        return moved.isoformat() + ("TMO" if unit == "morning" else "")
    return None


def _anaphor_value(m: re.Match[str], anchor: str) -> str | None:
    step = {"next": 1, "following": 1, "previous": -1}.get((m["rel"] or "").lower(), 0)
    return _narrative_value(anchor, (m["unit"] or m["unit2"]).lower(), step)


def _resolve_anaphor(m: re.Match[str], ctx: Context) -> tuple[str, str] | None:
    """Anchored on the DCT here; _anchor_to_narrative moves it to the story's date when there is one."""
    unit = (m["unit"] or m["unit2"]).lower()
    value = _anaphor_value(m, ctx.dct.isoformat()) if ctx.dct else None
    placeholder = {"year": "XXXX", "month": "XXXX-XX"}.get(unit, "XXXX-XX-XX")
    return ("TIME" if unit == "morning" else "DATE"), value or placeholder


RULES: list[tuple[re.Pattern[str], Resolver]] = [
    (re.compile(rf"\b(?:{_ANAPHORIC.pattern})\b", re.I), _resolve_anaphor),
    (re.compile(rf"{_EDGE}(?:{_WEEKDAY},?\s+)?{_MODIFIER}(?P<month>{_MONTH}|{_MONTH_ABBR})\s+(?P<day>{_DAYNUM})\b"
                rf"(?:,?\s+(?P<year>{_YEAR})\b)?", re.I), _resolve_full_date),
    (re.compile(rf"{_EDGE}(?:{_WEEKDAY},?\s+)?(?:the\s+)?(?P<day>{_DAYNUM})\s+(?:of\s+)?"
                rf"(?P<month>{_MONTH}|{_MONTH_ABBR})"
                rf"(?:,?\s+(?P<year>{_YEAR})\b|\s+'?(?P<short_year>\d\d)(?=\s*(?:[.,;)]|$)))?", re.I),
     _resolve_full_date),
    (re.compile(r"(?<![\w.])(?:(?P<iso>(?P<iy>\d{4})-(?P<im>\d\d)-(?P<id>\d\d))|"
                r"(?P<dotted>(?P<dd>\d{1,2})\.(?P<dm>\d{1,2})\.(?P<dy>\d{4}))|"
                r"(?P<sm>\d{1,2})/(?P<sd>\d{1,2})/(?P<sy>\d{4}|\d\d))(?![\w.]\w)"), _resolve_numeric_date),
    (re.compile(rf"{_EDGE}{_MODIFIER}(?P<month>{_MONTH})(?:,?\s+(?P<year>{_YEAR})|\s+(?P<rel>this|last|next)"
                rf"\s+year)\b", re.I), _resolve_month_year),
    (re.compile(r"(?:\b(?:(?P<rel>last|next|this)\s+|(?:early|late|mid)[\s-]|"
                r"the (?:end|beginning|start|middle) of\s+))?\b(?P<month>january|february|april|june|july|august|"
                r"september|october|november|december|jan\.|feb\.|aug\.|sept?\.|oct\.|"
                r"nov\.|dec\.)(?![\w])", re.I), _resolve_bare_month),
    (re.compile(r"(?:\b(?:(?P<rel>last|next|this)\s+|(?:early|late|mid)[\s-])|(?<=\bin\s)|(?<=\bsince\s)|"
                r"(?<=\buntil\s)|(?<=\bby\s)|\bthe (?:end|beginning|start|middle) of\s+)"
                r"(?P<month>march|may)\b", re.I), _resolve_bare_month),
    (re.compile(rf"(?:\b(?:the\s+)?(?:(?:fiscal|calendar|early|late|mid|the end of|the beginning of)[\s-]+))?"
                rf"(?<![\w$.,])(?P<year>{_YEAR})(?![\w%$]|[.,]\d|\s*(?:%|percent|shares|people|troops))", re.I),
     _resolve_year),
    (re.compile(rf"\bthe\s+(?P<year>{_YEAR})\s+(?:(?P<ord>first|second|third|fourth)\s+)?(?:period|quarter)\b",
                re.I), _resolve_year_period),
    (re.compile(rf"\b(?P<the>the\s+year\s+)?(?P<spelled>{_SPELLED_YEAR})\b", re.I), _resolve_spelled_year),
    (re.compile(rf"\bthe\s+(?:(?:early|late|mid)[\s-]+)?(?P<decade>{_SPELLED_DECADE})\b", re.I),
     _resolve_spelled_decade),
    (re.compile(r"\b(?:the\s+)?(?:(?:early|late|mid)[\s-]+)?(?:'|\b)(?P<decade>\d{3}0|\d0)'?s\b", re.I),
     _resolve_decade),
    (re.compile(rf"\b(?:(?P<yrel>this|last|next) year's\s+|the\s+)?"
                rf"(?:(?:fiscal|calendar|latest|(?P<rel>current|past|last|recent|same))[\s-]+)?"
                rf"(?:(?:fiscal|calendar)\s+)?(?:(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+)?"
                rf"quarter\b(?!s|ly)(?:\s+of\s+(?P<year>{_YEAR}))?", re.I), _resolve_quarter),
    (re.compile(rf"\b(?:the\s+)?(?P<ord>first|second|last)\s+half(?:\s+of\s+(?P<year>{_YEAR}))?\b", re.I),
     _resolve_half),
    (re.compile(rf"(?:\b(?:(?P<rel>this|last|next)\s+|(?:early|late|mid)[\s-]+|the\s+)|(?<=\bin\s)|(?<=\bby\s))"
                rf"(?P<season>spring|summer|fall|autumn|winter)(?:\s+(?:of\s+)?(?P<year>{_YEAR}|{_SPELLED_YEAR}))?\b",
                re.I),
     _resolve_season),
    (re.compile(rf"\b(?:(?:early|late)\s+)?(?P<word>today|yesterday|tomorrow|tonight|last night)"
                rf"(?:\s+(?P<part>{_PART}))?\b(?!'s)", re.I),
     _resolve_deictic_day),
    (re.compile(rf"\bthis\s+(?P<part>{_PART})\b", re.I), _resolve_this_part),
    (re.compile(r"(?:(?<=\bin\s)|(?<=\bby\s)|(?<=\bduring\s)|(?<=\bsince\s))the\s+(?:(?:early|late)\s+)?"
                r"(?P<part>morning|afternoon|evening)\b", re.I), _resolve_this_part),
    (re.compile(rf"\b(?:(?:early|late)\s+)?(?:(?P<rel>last|next|this|coming|this coming)\s+)?"
                rf"(?P<weekday>{_WEEKDAY})(?:\s+(?P<part>{_PART}))?\b", re.I), _resolve_weekday),
    (re.compile(rf"\b(?:(?:earlier|later|early|late)\s+)?(?:the\s+)?(?P<rel>{_RELWORD})\s+(?:fiscal\s+)?"
                r"(?P<unit>week(?:end)?|month|year|decade|century)\b(?!s|-)", re.I), _resolve_relative_period),
    (re.compile(rf"\b{_APPROX}(?P<num>{_NUMWORD})[\s-]+(?P<unit>{_UNIT})s?\s+(?:ago|earlier)\b", re.I),
     _resolve_ago),
    (re.compile(r"\b(?:the\s+)?year[\s-](?:earlier|ago)\b(?:\s+(?:period|(?:(?:first|second|third|fourth)\s+)?"
                r"quarter)\b)?", re.I), _resolve_year_earlier),
    (re.compile(rf"(?<!/)(?<!/\s)\b{_APPROX}(?:the\s+)?"  # "41/2 hours", a fraction that lost its space, is not 2
                r"(?:(?P<lead>past|last|next|first|coming|previous|final|following|recent|future)\s+)?"
                rf"(?:(?P<num>{_NUMWORD}|{_VAGUE})(?P<half>{_HALF})?[\s-]+)?(?:(?:more|full|straight|consecutive)\s+)?"
                rf"(?P<unit>{_UNIT})s?(?P<unit_half>\s+and\s+a\s+half)?(?:-long)?\b(?!-old)", re.I), _resolve_duration),
    (re.compile(rf"\b{_APPROX}(?:(?:a\s+)?half[\s-](?:an?\s+)?|(?<![\d/])1/2[\s-])(?P<unit>{_UNIT})\b(?!-old)", re.I),
     _resolve_half_unit),
    (re.compile(rf"\b(?:(?:every|each|per)\s+(?:(?P<unit>second|minute|hour|day|week|month|quarter|year)|(?P<weekday>{_WEEKDAY}))|"
                r"(?P<adverb>daily|weekly|monthly|annually|yearly|hourly|nightly))\b", re.I),
     _resolve_set),
    (re.compile(r"\b(?:right\s+)?(?P<ref>now|currently|current|nowadays|at\s+present|the\s+present|recently|"
                r"lately|the\s+past|formerly|the\s+future|these\s+days|"
                r"the\s+near\s+term|the\s+short\s+term)\b(?![-'])", re.I), _resolve_ref),
    (re.compile(r"\b(?:(?:around|about|at about|shortly after|shortly before|before|after)\s+)?"
                r"(?P<hour>[01]?\d|2[0-3])(?:(?:\s?[:.]\s?(?P<minute>[0-5]\d))?\s*(?P<meridian>[ap]\.\s?m\.|[ap]m\b)|"
                rf":(?P<minute24>[0-5]\d)\b(?=\s+(?:GMT|UTC|[ECMP][SD]T|BST|CES?T|EES?T|MSK)\b)){_ZONE}"
                rf"(?:\s+(?P<weekday>{_WEEKDAY}))?", re.I), _resolve_clock),
    (re.compile(r"\b(?P<word>noon|midnight)\b", re.I), _resolve_noon),
]


DCT_YEARS = range(1000, 9001)  # a page dated 0001-01-01 or 9999-12-31 carries a placeholder, not a date


def _parse_dct(dct: str | None) -> date | None:
    """The anchor day; None for none, a malformed one, or a placeholder year (relative expressions
    resolved against year 9999 would overflow the calendar)."""
    if not dct:
        return None
    match = re.match(r"(\d{4})-(\d\d)-(\d\d)", dct.strip())
    if not match or int(match[1]) not in DCT_YEARS:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _candidates(text: str, anchor: date | None) -> list[Timex]:
    found = []
    for pattern, resolver in RULES:
        for match in pattern.finditer(text):
            start, end = match.span()
            if start == end:
                continue
            resolved = resolver(match, Context(anchor, text, start, end))
            if resolved:
                found.append(Timex(start, end, text[start:end], *resolved))
    return found


def _longest_first(candidates: list[Timex]) -> list[Timex]:
    """Keep the longest of overlapping candidates (earlier rule wins ties), in text order.

    The kept spans are disjoint, so one bisection over their starts tells whether a candidate overlaps.
    """
    starts: list[int] = []
    kept: list[Timex] = []
    for cand in sorted(candidates, key=lambda t: t.start - t.end):
        i = bisect.bisect_right(starts, cand.start)
        if (i and kept[i - 1].end > cand.start) or (i < len(kept) and kept[i].start < cand.end):
            continue
        starts.insert(i, cand.start)
        kept.insert(i, cand)
    return kept


def _anchor_to_narrative(timexes: list[Timex]) -> list[Timex]:
    """ "That year", "the next day" follow the story's latest date before them, not the DCT."""
    anchor = None
    resolved = []
    for timex in timexes:
        m = _ANAPHORIC.fullmatch(timex.text)
        if m and anchor:
            timex = replace(timex, value=_anaphor_value(m, anchor) or timex.value)
        elif _CALENDAR_VALUE.match(timex.value):
            anchor = timex.value[:10]
        resolved.append(timex)
    return resolved


def find_timexes(text: str, dct: str | None) -> list[Timex]:
    """TIMEX3-style time expressions of ``text``, relative ones resolved against ``dct`` (YYYY-MM-DD...)."""
    text = text[:MAX_TEXT_CHARS]
    return _anchor_to_narrative(_longest_first(_candidates(text, _parse_dct(dct))))


@component("timex", version=VERSION)
def timex_layer(text: str, dct: str | None) -> list[dict[str, object]]:
    """The `timex` layer of interfaces.md."""
    return [timex.to_dict() for timex in find_timexes(text, dct)]
