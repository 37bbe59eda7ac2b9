"""Document metadata: title, outlet when the page names it, publication date.

Publication dates come in the forms pages print around an article: "Updated:
September 06, 2021, 10:38 AM", "04-12-2021" (day first, as Rudaw and most non-US sites
print it), "Sep 29, 2021, 2:10 PM", "Date: 2021-07-10T20:14:01+0000", an archive
prefix " date 2023-08-03", "Thursday, 28 January 2021", "Published 20.10.2017 23:59".
A candidate is a date with a year on a short line that is mostly that date (labels,
times, weekday, outlet or author names aside). Pages also print the day they were
viewed ("Friday, 22 November 2024" in a header) and update stamps, both later than
publication, so the earliest candidate wins. A wire dateline ("TEHRAN, Sep. 29 (MNA)")
has no year and never decides a date alone. A photo caption date is used only when no
page date exists and the article itself speaks of that weekday (the caption of the
event being reported, not a file photo).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from ingest.extract.clean import Cleaned, is_caption
from ingest.extract.dates import MONTHS
from ingest.extract.model import Meta, Span

_MON = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DAY = r"(?:[0-2]?\d|3[01])(?:st|nd|rd|th)?"
_YEAR = r"(?:19[89]\d|20[0-4]\d)"
_DATE = re.compile(
    rf"""(?P<iso>\b(?P<iy>{_YEAR})-(?P<im>[01]?\d)-(?P<id>[0-3]?\d)(?=$|[T\s|,;]|\b))
    |(?P<num>\b(?P<na>[0-3]?\d)[-./](?P<nb>[01]?\d)[-./](?P<ny>{_YEAR})\b)
    |(?P<mdy>\b(?P<m1>{_MON})\.?\s*(?P<d1>{_DAY}),?\s+(?P<y1>{_YEAR})\b)
    |(?P<dmy>\b(?P<d2>{_DAY})\s+(?P<m2>{_MON})\.?,?\s+(?P<y2>{_YEAR})\b)""",
    re.IGNORECASE | re.VERBOSE,
)
_CHROME_WORDS = re.compile(
    r"""\b(?:updated?|published|posted|first|last|modified|date|dated|on|at|am|pm|a\.m|p\.m
    |gmt|utc|edt|est|ast|bst|cet|ago|minutes?|hours?|days?|a|year|print|news|by|source
    |editor|monday|tuesday|wednesday|thursday|friday|saturday|sunday|time|local)\b
    |\d{1,2}:\d{2}(?::\d{2})?|[+-]\d{2}:?\d{2}|[^\w\s]|\d+""",
    re.IGNORECASE | re.VERBOSE,
)
_DIGIT = re.compile(r"\d")
_ARCHIVE_PREFIX = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b")
_WEEKDAY = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_DATELINE_OUTLET = re.compile(
    r"^(?:[A-Z][A-Z .'-]{2,30}(?:,\s*[A-Z][\w .'-]{1,30})?\s*)\((?P<o>[A-Z][\w .&'/-]{1,40}?)\)\s*[-–—:]"
)
_PREFIX_OUTLET = re.compile(r"^(?P<o>[A-Z][\w.'’ -]{1,30}?(?:News|Agency|Net))\s*[/:–—-]\s")
_LEAD_AGENCY = re.compile(r"^\((?P<o>AP|AFP|Reuters|[A-Z][\w.]+(?:\.com)?)\)\s*[-–—]?")
_AGENCIES = {
    "reuters": "Reuters",
    "ap": "The Associated Press",
    "afp": "AFP",
    "xinhua": "Xinhua",
    "esta": "Esta Media Network",
    "north press": "North Press Agency",
    "mna": "Mehr News Agency",
    "kurdistan 24": "Kurdistan 24",
    "rudaw": "Rudaw",
    "anha": "Hawar News Agency (ANHA)",
}
# Outlets of the region's news, as their mastheads and sign-offs print them; a short
# line that is one of these at the top or the foot of a page names the outlet.
_MASTHEADS = {
    "rudaw": "Rudaw",
    "kurdistan24": "Kurdistan24",
    "kurdistan 24": "Kurdistan 24",
    "shafaq news": "Shafaq News",
    "asharq al awsat": "Asharq Al-Awsat",
    "al monitor": "Al-Monitor",
    "the national": "The National",
    "north press agency": "North Press Agency",
    "north press": "North Press Agency",
    "hawar news agency": "Hawar News Agency",
    "al arabiya": "Al Arabiya",
    "al arabiya english": "Al Arabiya",
    "al jazeera": "Al Jazeera",
    "the new arab": "The New Arab",
    "middle east eye": "Middle East Eye",
    "arab news": "Arab News",
    "daily sabah": "Daily Sabah",
    "trt world": "TRT World",
    "anadolu agency": "Anadolu Agency",
    "enab baladi": "Enab Baladi",
    "the baghdad post": "The Baghdad Post",
    "baghdad today": "Baghdad Today",
    "iraqi news agency": "Iraqi News Agency",
    "kurdistan chronicle": "Kurdistan Chronicle",
    "xinhua": "Xinhua",
    "reuters": "Reuters",
    "afp": "AFP",
    "voa": "VOA",
    "sana": "SANA",
    "esta": "Esta Media Network",
    "gulan media": "Gulan Media",
    "the associated press": "The Associated Press",
}
_SOURCE_LINE = re.compile(r"^source\s*:\s*(?P<o>[A-Z][\w .&'’-]{1,40}?)\s*(?:\||$)", re.IGNORECASE)
_LAST_PARENS = re.compile(r"\((?P<o>[^()]{2,40})\)\s*(?:--|[-–—])$")
_FOLD = re.compile(r"[\W_]+")


def _parse(m: re.Match[str]) -> dt.date | None:
    try:
        if m.group("iso"):
            return dt.date(int(m.group("iy")), int(m.group("im")), int(m.group("id")))
        if m.group("num"):
            a, b, y = int(m.group("na")), int(m.group("nb")), int(m.group("ny"))
            # day first unless that is impossible (news outside the US prints d-m-y)
            return dt.date(y, b, a) if b <= 12 else dt.date(y, a, b)
        if m.group("mdy"):
            mon = MONTHS[m.group("m1").lower()[:3]]
            return dt.date(int(m.group("y1")), mon, int(re.sub(r"\D", "", m.group("d1"))))
        if m.group("dmy"):
            mon = MONTHS[m.group("m2").lower()[:3]]
            return dt.date(int(m.group("y2")), mon, int(re.sub(r"\D", "", m.group("d2"))))
    except (ValueError, KeyError):
        return None
    return None


def _leftover_words(line: str, m: re.Match[str]) -> int:
    rest = line[: m.start()] + " " + line[m.end() :]
    rest = _CHROME_WORDS.sub(" ", rest)
    return len(rest.split())


def page_dates(lines: list[str]) -> list[dt.date]:
    """Dates printed as page furniture (short date lines), in page order."""
    out: list[dt.date] = []
    for line in lines:
        prefix = _ARCHIVE_PREFIX.match(line)
        if prefix:
            m = _DATE.match(line, prefix.start(1))
            d = _parse(m) if m else None
            if d is not None:
                out.append(d)
                continue
        if len(line) > 140 or not _DIGIT.search(line) or is_caption(line):
            continue
        for m in _DATE.finditer(line):
            d = _parse(m)
            if d is not None and _leftover_words(line, m) <= 5:
                out.append(d)
                break
    return out


def caption_date(cleaned: Cleaned) -> tuple[dt.date, Span] | None:
    """A caption's date, when the article speaks of that weekday."""
    text = cleaned.text
    lowered = text.lower()
    for start, end in cleaned.captions:
        if text[start:end].lower().startswith("file"):
            continue
        for m in _DATE.finditer(text, start, end):
            d = _parse(m)
            if d is None:
                continue
            weekday = calendar.day_name[d.weekday()].lower()
            rest = lowered[:start] + lowered[end:]
            if re.search(rf"\b{weekday}\b", rest):
                return d, (m.start(), m.end())
    return None


def _masthead(lines: list[str]) -> str | None:
    """The outlet named by a masthead line at the top of the page or a sign-off at its
    foot (a short line that is just the outlet's name)."""
    for line in [*lines[:6], *lines[-3:]]:
        if len(line) <= 40:
            name = _MASTHEADS.get(_FOLD.sub(" ", line).strip().lower())
            if name:
                return name
    return None


def find_outlet(cleaned: Cleaned) -> str | None:
    """The outlet: a wire dateline's agency ("Beirut (AFP) –"), an outlet prefix, a
    "Source: Xinhua" line, then a masthead or sign-off naming a known outlet."""
    for start, end in cleaned.datelines[:1]:
        m = _LAST_PARENS.search(cleaned.text, start, end)
        if m:
            name = m.group("o").strip()
            return _AGENCIES.get(name.lower(), name)
    for line in cleaned.raw_lines[:12]:
        m = _SOURCE_LINE.match(line)
        if m:
            name = m.group("o").strip()
            return _AGENCIES.get(name.lower(), name)
    for line in cleaned.text.split("\n"):
        m = _DATELINE_OUTLET.match(line) or _PREFIX_OUTLET.match(line) or _LEAD_AGENCY.match(line)
        if m:
            name = m.group("o").strip()
            return _AGENCIES.get(name.lower(), name)
    if cleaned.html_site:
        return cleaned.html_site
    return _masthead(cleaned.raw_lines)


def extract_meta(cleaned: Cleaned, published: dt.date | None = None) -> Meta:
    """Meta of a cleaned page; `published` (from the caller) overrides the page's date."""
    span: Span | None = None
    if published is None:
        candidates = page_dates(cleaned.raw_lines)
        if cleaned.html_date:
            m = _DATE.search(cleaned.html_date)
            d = _parse(m) if m else None
            if d is not None:
                candidates.append(d)
        if candidates:
            published = min(candidates)
        else:
            found = caption_date(cleaned)
            if found:
                published, span = found
    return Meta(
        title=cleaned.title or cleaned.html_title,
        outlet=find_outlet(cleaned),
        published=published,
        published_span=span,
        title_span=cleaned.title_span,
    )
