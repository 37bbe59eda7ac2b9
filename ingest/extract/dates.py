"""Date expressions in article text, resolved against the publication date.

`find_dates` returns every date expression of a window of text with its span, the
resolved period (first day + precision day/week/month/year) and whether it dates a
report rather than an event ("said on Sunday", "told Rudaw on Saturday").

Resolution rules (news conventions, checked against how analysts read them):
- a weekday ("on Sunday", "late on Friday", "early hours of Saturday", "Monday's
  attack") is the most recent such day on or before the anchor (the same weekday as
  publication is the publication day);
- "today", "this morning", "tonight", "overnight", "earlier today" are the anchor day;
  "yesterday" and "last night" the day before;
- "last week" is the calendar week (Monday first) before the anchor's week; "last
  month", "last year", "this month", "this year" likewise;
- a month without a year ("in January", "in late August") is its most recent
  occurrence on or before the anchor's month; a month-day ("Dec. 31", "July 31") the
  most recent such day on or before the anchor;
- "six months later", "two days later", "the same day", "the next day" count from the
  previous date the text gave.
Without an anchor only expressions that carry their own year resolve: no year is ever
guessed. Every pattern is linear (no nested quantifiers).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from ingest.extract.model import DatePrecision

MONTHS: dict[str, int] = {}
for _i, _name in enumerate(calendar.month_name):
    if _i:
        MONTHS[_name.lower()] = _i
        MONTHS[_name[:3].lower()] = _i
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}

_MON = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DAY = r"(?:[0-2]?\d|3[01])(?:st|nd|rd|th)?"
_WD = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_NUM_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "several": 0,
    "few": 0,
}
_N = r"(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"

_PATTERNS: list[tuple[str, str]] = [
    # order matters: longer, more specific forms first; matches never overlap
    ("iso", r"\b(?P<y>(?:19|20)\d\d)-(?P<m>0?[1-9]|1[0-2])-(?P<d>[0-2]?\d|3[01])\b"),
    (
        "mdy",
        rf"\b(?:{_WD},?\s+)?(?P<mon>{_MON})\.?\s*(?P<d>{_DAY}),?\s+(?P<y>(?:19|20)\d\d)\b",
    ),
    (
        "dmy",
        rf"\b(?:{_WD},?\s+)?(?P<d>{_DAY})\s+(?:of\s+)?(?P<mon>{_MON})\.?,?\s+(?P<y>(?:19|20)\d\d)\b",
    ),
    ("my", rf"\b(?P<mon>{_MON})\.?\s+(?:of\s+)?(?P<y>(?:19|20)\d\d)\b"),
    ("month_last_year", rf"\b(?P<mon>{_MON})\.?\s+(?:of\s+)?(?:last|the\s+previous)\s+year\b"),
    ("md", rf"\b(?P<mon>{_MON})\.?\s*(?P<d>{_DAY})\b(?!\s*(?:km|kilomet|mile|%|percent))"),
    ("dm", rf"\b(?P<d>{_DAY})\s+(?:of\s+)?(?P<mon>{_MON})\b"),
    (
        "weekday",
        rf"\b(?P<wd>{_WD})(?:'s|’s)?(?:\s+(?:morning|afternoon|evening|night))?\b",
    ),
    ("yesterday", r"\b(?:yesterday|last\s+night|the\s+previous\s+night)\b"),
    (
        "today",
        r"\b(?:earlier\s+today|today|this\s+(?:morning|afternoon|evening)|tonight|overnight|earlier\s+in\s+the\s+day)\b",
    ),
    ("last_week", r"\b(?:last|past|previous)\s+week\b"),
    ("this_week", r"\b(?:earlier\s+)?this\s+week\b"),
    ("last_month", r"\b(?:last|past|previous)\s+month\b"),
    ("this_month", r"\b(?:earlier\s+)?this\s+month\b"),
    ("last_year", r"\b(?:last|past|previous)\s+year\b"),
    ("this_year", r"\b(?:earlier\s+)?this\s+year\b"),
    (
        "ago",
        rf"\b(?P<n>{_N})\s+(?P<unit>day|week|month|year)s?\s+ago\b",
    ),
    (
        "later",
        rf"\b(?P<n>{_N})\s+(?P<unit>day|week|month|year)s?\s+(?P<dir>later|earlier|after|before)\b",
    ),
    (
        "same_day",
        r"\b(?:the\s+same\s+(?:day|night|time|month|week)|that\s+(?:same\s+)?(?:day|month|week)"
        r"|the\s+same\s+evening)\b",
    ),
    ("next_day", r"\b(?:the\s+(?:next|following)\s+(?:day|morning)|a\s+day\s+later)\b"),
    ("day_before", r"\b(?:the\s+(?:day|night)\s+before|the\s+previous\s+day|a\s+day\s+earlier)\b"),
    ("month", rf"\b(?P<mon>{_MON})\b"),
    ("year", r"\b(?P<y>(?:19|20)\d\d)\b(?![-/]\d)"),
]
# Group names repeat across alternatives, which Python forbids: each alternative's
# inner groups get its kind as a suffix.


def _compile() -> re.Pattern[str]:
    parts = []
    for name, pat in _PATTERNS:
        renamed = re.sub(r"\(\?P<(\w+)>", rf"(?P<\g<1>_{name}>", pat)
        parts.append(f"(?P<k_{name}>{renamed})")
    return re.compile("|".join(parts), re.IGNORECASE)


_RX = _compile()
# a bare month word that is really a verb/name ("may", "march" as a verb/noun)
_AMBIGUOUS_MONTH = frozenset({"may", "march"})
_MONTH_CONTEXT = re.compile(
    r"(?:\b(?:in|since|until|by|late|early|mid|of|last|next|this|from|during|between|and|on)\s*-?\s*)$",
    re.IGNORECASE,
)
_REPORTING = re.compile(
    r"\b(?:said|says|say|told|tells|announced|announces|reported|reports|added|stated|confirmed|"
    r"claimed|claims|tweeted|wrote|noted|declared|published|statement|briefing|conference|"
    r"interview|denied|condemned|blamed|accused|warned|posted)\b[^.;:!?\"“”]{0,40}$",
    re.IGNORECASE,
)
_EVENT_WORD = re.compile(
    r"\b(?:attack|attacks|attacked|killed|killing|bomb|blast|explosion|strike|strikes|clash|"
    r"clashes|ambush|fire|shelling|happened|occurred|took\s+place|struck|hit|targeted)\b",
    re.IGNORECASE,
)


_YEAR_WORD = re.compile(r"\b(?:19[5-9]\d|20[0-4]\d)\b(?![-/:]\d)")


def latest_year(text: str) -> int | None:
    """The latest year (1950-2049) written in the text, if any."""
    years = [int(m.group(0)) for m in _YEAR_WORD.finditer(text)]
    return max(years) if years else None


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    kind: str
    date: dt.date | None
    precision: DatePrecision | None
    reporting: bool  # dates a report/statement, not an event


def _num(word: str) -> int | None:
    w = word.lower()
    if w.isdigit():
        return int(w)
    return _NUM_WORDS.get(w) or None


def _monday(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


def add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    year = d.year + y
    month = m + 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _day(s: str) -> int:
    return int(re.sub(r"\D", "", s))


def _resolve(
    kind: str,
    g: dict[str, str | None],
    anchor: dt.date | None,
    prev: tuple[dt.date, DatePrecision] | None,
    year_hint: int | None = None,
) -> tuple[dt.date | None, DatePrecision | None]:
    def get(name: str) -> str:
        return g.get(f"{name}_{kind}") or ""

    if kind == "iso":
        return _safe_date(int(get("y")), int(get("m")), int(get("d"))), "day"
    if kind in ("mdy", "dmy"):
        mon = MONTHS.get(get("mon").lower()[:4].rstrip("."), MONTHS.get(get("mon").lower()[:3]))
        if mon is None:
            return None, None
        return _safe_date(int(get("y")), mon, _day(get("d"))), "day"
    if kind == "my":
        mon = MONTHS.get(get("mon").lower()[:3])
        return (_safe_date(int(get("y")), mon, 1), "month") if mon else (None, None)
    if kind == "year":
        return dt.date(int(get("y")), 1, 1), "year"
    if kind == "month_last_year":
        mon = MONTHS.get(get("mon").lower()[:3])
        if mon is None or anchor is None:
            return None, None
        return dt.date(anchor.year - 1, mon, 1), "month"
    if kind in ("md", "dm", "month") and anchor is None and year_hint is not None:
        # no publication date, but the text names the year it speaks of
        anchor = dt.date(year_hint, 12, 31)
    if kind in ("md", "dm"):
        mon = MONTHS.get(get("mon").lower()[:3])
        if mon is None or anchor is None:
            return None, None
        d = _day(get("d"))
        cand = _safe_date(anchor.year, mon, d)
        if cand is None:
            return None, None
        if cand > anchor + dt.timedelta(days=1):
            cand = _safe_date(anchor.year - 1, mon, d)
        return cand, "day"
    if kind == "month":
        mon = MONTHS.get(get("mon").lower()[:3])
        if mon is None or anchor is None:
            return None, None
        year = anchor.year if mon <= anchor.month else anchor.year - 1
        return dt.date(year, mon, 1), "month"
    if anchor is None and kind not in ("later", "same_day", "next_day", "day_before"):
        return None, None
    if kind == "weekday" and anchor is not None:
        wd = WEEKDAYS[get("wd").lower()]
        return anchor - dt.timedelta(days=(anchor.weekday() - wd) % 7), "day"
    if kind == "yesterday" and anchor is not None:
        return anchor - dt.timedelta(days=1), "day"
    if kind == "today":
        return anchor, "day"
    if kind == "last_week" and anchor is not None:
        return _monday(anchor) - dt.timedelta(days=7), "week"
    if kind == "this_week" and anchor is not None:
        return _monday(anchor), "week"
    if kind == "last_month" and anchor is not None:
        return add_months(anchor.replace(day=1), -1), "month"
    if kind == "this_month" and anchor is not None:
        return anchor.replace(day=1), "month"
    if kind == "last_year" and anchor is not None:
        return dt.date(anchor.year - 1, 1, 1), "year"
    if kind == "this_year" and anchor is not None:
        return dt.date(anchor.year, 1, 1), "year"
    if kind == "ago" and anchor is not None:
        return _shift(anchor, "day", _num(get("n")), get("unit").lower(), -1)
    if kind in ("later", "same_day", "next_day", "day_before"):
        if prev is None:
            return None, None
        base, prec = prev
        if kind == "same_day":
            return base, prec
        if kind == "next_day":
            return (base + dt.timedelta(days=1), "day") if prec == "day" else (None, None)
        if kind == "day_before":
            return (base - dt.timedelta(days=1), "day") if prec == "day" else (None, None)
        sign = 1 if get("dir").lower() in ("later", "after") else -1
        return _shift(base, prec, _num(get("n")), get("unit").lower(), sign)
    return None, None


def _shift(
    base: dt.date, prec: DatePrecision, n: int | None, unit: str, sign: int
) -> tuple[dt.date | None, DatePrecision | None]:
    if not n:
        return None, None
    if unit == "day":
        return (base + dt.timedelta(days=sign * n), "day") if prec == "day" else (None, None)
    if unit == "week":
        d = base + dt.timedelta(weeks=sign * n)
        return (d, "day") if prec == "day" else (_monday(d), "week")
    if unit == "month":
        d = add_months(base, sign * n)
        return (d.replace(day=1), "month") if prec != "day" else (d, "month")
    if unit == "year":
        return dt.date(base.year + sign * n, 1, 1), "year"
    return None, None


def _is_reporting(text: str, start: int, lo: int, kind: str, end: int) -> bool:
    if kind == "weekday" and text[end - 2 : end] in ("'s", "’s"):
        return False  # "Monday's attack" dates the attack
    if _REPORTING_NEXT.match(text, end, end + 40):
        return True  # "the ministry on Monday urged restraint after ..."
    left = text[max(lo, start - 60) : start]
    m = _REPORTING.search(left)
    if m is None:
        return False
    # the match runs to the date: an event word after the reporting word ("said the
    # strike happened Dec. 31") makes the date the event's
    return not _EVENT_WORD.search(m.group(0), 3)


_REPORTING_NEXT = re.compile(
    r",?\s+(?:also\s+)?(?:said|says|told|announced|urged|called|condemned|denounced|warned|vowed"
    r"|pledged|demanded|denied|accused|blamed|stressed|confirmed|claimed\s+responsibility|issued)\b",
    re.IGNORECASE,
)


# Every date expression starts at one of these places: the big pattern is tried only
# there, and the gate itself is one scan in C.
_MONTH_OR_UNIT = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|day|week|month|year)"
_GATE = re.compile(
    # a number opens a date only as a year, an ISO date, a day before a month or a count
    # of days/weeks/months/years
    rf"\b\d(?=\d{{3}}(?:\b|-)|\d{{0,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_OR_UNIT})"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun"
    r"|yesterday|last|past|previous|earlier|today|this|tonight|overnight)"
    rf"|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few)"
    rf"(?=\s+{_MONTH_OR_UNIT})"
    r"|\bthe\s+(?:same|next|following|day|night|previous)\b|\bthat\s+(?:same|day|month|week)\b"
    r"|\ban?\s+(?:day|week|month|year)\b",
    re.IGNORECASE,
)


def _matches(text: str, start: int, end: int) -> list[re.Match[str]]:
    out: list[re.Match[str]] = []
    pos = start
    for g in _GATE.finditer(text, start, end):
        at = g.start()
        if at < pos or (at > 0 and text[at - 1].isalnum() and text[at].isdigit()):
            continue
        m = _RX.match(text, at, end)
        if m is not None and m.end() > m.start():
            out.append(m)
            pos = m.end()
    return out


_CAME = re.compile(
    r"\b(?:came|comes|come|occurred|happened|took\s+place)\s+(?:just\s+|only\s+|barely\s+)?$",
    re.IGNORECASE,
)


def find_dates(
    text: str,
    start: int,
    end: int,
    anchor: dt.date | None,
    prev: tuple[dt.date, DatePrecision] | None = None,
    year_hint: int | None = None,
    prev_day: dt.date | None = None,
) -> list[DateMention]:
    """Date expressions in text[start:end], resolved; `prev` is the last date the text
    gave before this window (for "six months later", "the same day"). Without an
    anchor, `year_hint` (the latest year the text names) places month-day dates.
    `prev_day` is the last day the text named: a count of days ("a day after", "the
    next day") counts from it when `prev` is coarser (background "in the 1990s" told
    in between)."""
    out: list[DateMention] = []
    for m in _matches(text, start, end):
        kind = (m.lastgroup or "k_").removeprefix("k_")
        g = m.groupdict()
        mon = g.get(f"mon_{kind}")
        if mon is not None:
            if not mon[0].isupper():
                continue  # "may", "march" in lower case are not months
            ambiguous = mon.lower() in _AMBIGUOUS_MONTH or (
                len(mon) <= 4 and mon.lower() not in ("june", "july")
            )
            # a bare "May", "Mar", "Dec" is a month only after "in", "since", "late"...
            if (
                kind == "month"
                and ambiguous
                and not _MONTH_CONTEXT.search(text[max(start, m.start() - 12) : m.start()])
            ):
                continue
        if kind == "year":
            # a bare four-digit number is a year only in date-like company
            left = text[max(start, m.start() - 12) : m.start()].lower()
            if not re.search(
                r"(?:in|since|of|until|by|from|during|early|late|mid|a|the|between|and|before|after)\s*-?\s*$",
                left,
            ):
                continue
        if kind == "later" and _CAME.search(text, max(start, m.start() - 30), m.start()):
            # "the strike, which came a day after warplanes bombed X": the event told
            # after the phrase is the earlier one, counted back from the one before it
            g = {
                **g,
                f"dir_{kind}": "before"
                if (g.get(f"dir_{kind}") or "").lower() in ("after", "later")
                else "after",
            }
        base = prev
        if (
            prev_day is not None
            and (prev is None or prev[1] != "day")
            and (
                kind in ("next_day", "day_before") or (g.get(f"unit_{kind}") or "").lower() == "day"
            )
        ):
            base = (prev_day, "day")
        try:
            date, prec = _resolve(kind, g, anchor, base, year_hint)
        except (ValueError, OverflowError):
            date, prec = None, None
        mention = DateMention(
            m.start(),
            m.end(),
            kind,
            date,
            prec,
            _is_reporting(text, m.start(), start, kind, m.end()),
        )
        out.append(mention)
        if date is not None and prec is not None:
            prev = (date, prec)
    return out
