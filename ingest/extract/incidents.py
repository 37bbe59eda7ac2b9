"""Incidents: violent events reported in an article, one record per real-world event.

The builder reads sentences in order. A sentence with an event trigger (see
`triggers`) becomes a candidate description: type, place (gazetteer), date (resolved
against the publication date, never from "said on Sunday"), casualty figures
(`numbers`), perpetrators and targets (`roles`). Each candidate either joins an
incident already told (in-document coreference) or starts a new one:

- it joins when it refers back ("the attack", "the blast", "Monday's attack"), or names
  the same place, or adds details without naming another place, date or figure;
- it starts a new incident when it says so ("another attack", "elsewhere", "in related
  news", "a similar attack"), or names another place, another day, an incompatible
  method, or a second casualty figure without referring back;
- one sentence naming several places in a list ("in Kirkuk and Diyala provinces")
  yields one incident per place (its total figure is then nobody's).

Sentences about violence in general (habitual, aggregate, prevented) start nothing.
A new incident needs a place or a date, as an analyst's record does. The headline is
read last: it completes the main incident or, when the body names none, reports one.
Photo captions may report an event of their own (a dated file photo of an earlier
attack) but their figures yield to the body's.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ingest.extract.dates import DateMention, find_dates, latest_year
from ingest.extract.model import (
    ActorRef,
    DatePrecision,
    Incident,
    IncidentType,
    PlaceMatch,
    Span,
)
from ingest.extract.numbers import Figure, casualties
from ingest.extract.roles import Mention, assign_roles, militant_victims
from ingest.extract.text import Sentence
from ingest.extract.triggers import (
    compatible,
    find_triggers,
    plural_events,
    sentence_flags,
    sentence_type,
)


def _mention_start(m: Mention) -> int:
    return m.span[0]


_ANAPHOR = re.compile(
    r"\b(?:the|this|that|its|(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday)(?:'s|’s))\s+"
    r"(?:[\w-]+\s+){0,2}?(?:attack|blast|explosion|bombing|strikes?|airstrikes?|air\s+strikes?|incident|assault"
    r"|ambush|clashes|shelling|bombardment|raid|attackers?|assailants?|bombers?|crime|killing|assassination"
    r"|drones?|rockets?|missiles?|shells|bombs?|mortars?|projectiles?|gunmen|operation)\b(?!\s+(?:\w+\s+){0,2}?of\s+(?:a|an|one|two|three|four|five|\d+)\b)"
    r"|\bit\s+was\s+then\b|\bthe\s+first\s+blast\b",
    re.IGNORECASE,
)
_NEW_EVENT = re.compile(
    r"\b(?:another|(?:the\s+)?other|separate|second|similar|further)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:attacks?|blasts?|bombs?|bombings?|explosions?|strikes?|airstrikes?|incidents?|assaults?|ambush|clash"
    r"|shelling|raids?|drones?|rockets?)\b"
    r"|\b(?:elsewhere|separately|in\s+related\s+news|meanwhile|in\s+another\s+incident|also\s+on"
    r"|retaliat\w+|in\s+response\s+to\s+(?:the|this|that))\b"
    r"|^(?:following|after)\s+(?:the|this|that)\s+(?:attack|strike|bombing|incident|assault)"
    r"|^(?:earlier|later)\b"
    # "the first attack of its kind since February 22, when a drone targeted ...": that
    # earlier day's event
    r"|\bsince\s+(?:[\w.,]+\s+){1,4}?when\b",
    re.IGNORECASE,
)
_TITLE_AFTER = re.compile(
    r"(?:['’]s)?\s+(?:deputy\s+|acting\s+|district\s+|provincial\s+|local\s+)?(?:mayor|governor|governors"
    r"|police\s+chief|MP|MPs|lawmakers?|mukhtar|spokesman|spokesperson|council\s+member|councillor)\b",
    re.IGNORECASE,
)
# "taken to hospital in Sinjar": where the wounded went
_DESTINATION_BEFORE = re.compile(
    r"\b(?:(?:taken|transferred|evacuated|rushed|flown|moved|transported)\s+to|hospitals?)\s+"
    r"(?:(?:a|the|nearby|local|main)\s+)?(?:(?:hospitals?|medical\s+\w+)\s+)?(?:in\s+)?$",
    re.IGNORECASE,
)
_SERIES_LIST = re.compile(
    r"\b(?:attacks|strikes|bombings|assaults|raids)\b[^.;]{0,80}?\bincluding\s+(?:in\s+|at\s+|on\s+)?",
    re.IGNORECASE,
)
_GROUP_CLAIM = re.compile(
    r"\b(?:the|this)\s+(?:group|militia|faction|organi[sz]ation|alliance)\s+(?:\w+\s+)?"
    r"(?:claimed|has\s+claimed|took\s+responsibility|said\s+it\s+(?:carried\s+out|was\s+behind))",
    re.IGNORECASE,
)
_SIMILAR = re.compile(r"\bsimilar\s+(?:\w+\s+)?(?:attacks?|strikes?|incidents?)\b", re.IGNORECASE)
_PLACE_ANAPHOR = re.compile(
    r"\b(?:the|that)\s+(?:same\s+)?(?:base|camp|town|city|village|area|site|prison|airport|compound|facility"
    r"|district|field|neighbourhood|neighborhood|region|location|post|checkpoint)\b"
    r"|\bthere\b(?!\s+(?:is|are|was|were|has|have|had|will|would|may|might|could|seems?|appears?)\b)",
    re.IGNORECASE,
)
_NO_CLAIM = re.compile(
    r"\bno\s+(?:group\s+|one\s+)?(?:immediately\s+)?(?:immediate\s+)?claim|\bno\s+(?:group|one)\s+(?:has\s+)?(?:immediately\s+)?claimed"
    r"|\bnot\s+(?:immediately\s+)?clear\s+who|\bunknown\s+(?:gunmen|assailants|attackers)",
    re.IGNORECASE,
)
_LIST_JOIN = re.compile(r"^\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)$")
_BETWEEN = re.compile(r"\bbetween\s+(?:the\s+)?(?:\w+\s+){0,3}$", re.IGNORECASE)
_MILITANT_AGENT = re.compile(
    r"\b(?:militants?|jihadists?|extremists?|terrorists?|insurgents?|the\s+group|sleeper\s+cells?)\s+"
    r"(?:(?!(?:was|were|been|being|is|are)\s)[\w-]+\s+){0,2}?(?:attacked|attack|stormed|opened|targeted|killed|ambushed|launched|fired"
    r"|detonated|blew|set\s+off|carried\s+out|struck|raided|shot|kidnapped|abducted|beheaded)\b"
    r"|\bby\s+(?:[\w-]+\s+){0,2}?(?:militants|jihadists|extremists|terrorists|insurgents)\b",
    re.IGNORECASE,
)
_MILITANTS = re.compile(
    r"\b(?:militants?|jihadists?|extremists?|terrorists?|insurgents?|the\s+group|sleeper\s+cells?)\b",
    re.IGNORECASE,
)
_EVENT_VERB = re.compile(
    r"\b(?:attack|attacked|killed|killing|gunmen|opened\s+fire|shot|stormed|assault|dead|martyred"
    r"|wounded|injured|hurt|burned|targeted|kidnapped|abducted|beheaded|executed)\b",
    re.IGNORECASE,
)
_GENERAL_ATTACKS = re.compile(r"\b(?:attacks|carry\s+out|carries\s+out|launch\w*)\b", re.IGNORECASE)
_NAMED_SITE = re.compile(
    r"\b[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3}\s+(?:air\s+)?(?:base|camp|airport|prison|field|compound)\b"
)
# Types that name how an attack was done; a clash, kidnapping or assassination told
# after an attack is part of it, not what it was.
_CASUALTY_WORD = re.compile(
    r"(?:killed|killing|kills?|dead|martyred|wounded|injured|casualties|found\s+dead|bodies)",
    re.IGNORECASE,
)
_METHOD_TYPES = frozenset(
    {"bombing", "suicide_bombing", "air_strike", "shelling", "ambush", "facility_attack"}
)
_ARTICLE_PREFIX = re.compile(r"\b(?:al|el|ar|as|ad|an|at|ash)[\s-]")
_NON_LETTER = re.compile(r"[^a-z]")
# "since 2014", "before 2014": a year bounding a period, not the date of an event
_BOUND_BEFORE = re.compile(r"\b(?:since|before|until|till|by|after)\s+$", re.IGNORECASE)
# Clause boundaries: a new clause may tell another event ("... meeting in Baghdad
# following an attack ..."; "... in Diyala, in conjunction with an attack on a prison
# in Hasaka").
_CLAUSE = re.compile(
    r";|\s--\s|\s[–—]\s"
    # "drones struck a station near X on Thursday, killing two, and hit a checkpoint in Y"
    r"|,\s+and\s+(?=(?:also\s+|later\s+|then\s+)?(?:hit|struck|targeted|attacked|shelled|bombed|stormed)\b)"
    r"|\b(?:following|after|before|during\s+which|in\s+conjunction\s+with"
    r"|which|while|whereas|but|although|though|amid|in\s+response\s+to|in\s+retaliation\s+for"
    r"|the\s+latest\s+(?:in|of)"
    r"|that(?!\s+(?:same|day|night|week|month|year|time|morning|evening|afternoon)))\b",
    re.IGNORECASE,
)
# told in passing: the cause ("in response to attacks by ..."), the series the event
# belongs to ("the latest in a wave of attacks")
_BACKGROUND_CLAUSE = re.compile(
    r"in\s+(?:response|retaliation|reply)\s+(?:to|for)\b|the\s+latest\s+(?:in|of)\b",
    re.IGNORECASE,
)
_ONE_OF_SET = re.compile(
    r"\bthe\s+(?:other|second|first|third)\s+(?:[\w-]+\s+)?(?:attack|blast|bombing|strike|assault)\b",
    re.IGNORECASE,
)
# "the assailants were believed to belong to", "the gunmen are suspected of being members
# of": who the attackers of the incident just told are thought to be
_SUSPICION = re.compile(
    r"\b(?:assailants|attackers|gunmen|perpetrators|bombers?|militants|culprits|kidnappers"
    r"|shooters?|attacker|assailant)\s+(?:were|are|was|is)\s+(?:(?:widely|likely|also)\s+)?"
    r"(?:believed|thought|suspected|presumed)\s+(?:to\s+(?:belong\s+to|be)|of\s+(?:belonging\s+to|being))\b",
    re.IGNORECASE,
)
_HOSTS = re.compile(
    r"\b(?:hosts|hosted|houses|housed|is\s+home\s+to)\s+(?:a\s+|an\s+|the\s+)?(?:(?:military\s+)?"
    r"base\s+(?:of|for|used\s+by)\s+(?:the\s+)?)?",
    re.IGNORECASE,
)
# the hosted party is named in the object itself, not in a clause hanging on it
# ("hosts 12,000 refugees who fled persecution by the Turkish state")
_HOST_BREAK = re.compile(r"\b(?:who|which|that|by|from|against)\b|[,;]", re.IGNORECASE)
_SITE_ANAPHOR = re.compile(
    r"^(?:the|this|that)\s+(?:[\w-]+\s+)?(?:airport|base|facility|camp|compound|installation)\s*$",
    re.IGNORECASE,
)
_IN_BEFORE = re.compile(r"\bin\s+(?:the\s+)?(?:city\s+of\s+|town\s+of\s+)?$", re.IGNORECASE)
_RELATIVE = re.compile(r"(?:that|which)\b", re.IGNORECASE)
_NEW_CLAUSE = re.compile(r"in\s+conjunction\s+with|while|whereas", re.IGNORECASE)
_ATTRIBUTION = re.compile(
    r"\b(?:claim\w*|blam\w+|attribut\w+|behind|responsib\w+|carried\s+out\s+by)\b", re.IGNORECASE
)
# A wire dateline opening a paragraph ("ERBIL, Kurdistan Region -", "BAGHDAD (Reuters) -"):
# where the reporter is, not where the event is.
_DATELINE = re.compile(
    r"(?:\([^)]{1,60}\)\s*)?[A-Z][A-Z .'/-]{2,30}(?:,\s*[A-Z][\w .'-]{1,30}){0,2}\s*"
    r"(?:\([^)]{1,80}\)\s*(?:--|[-–—:])?|--|[-–—:])\s"
)


@dataclass
class _Place:
    match: PlaceMatch | None
    admin1: str | None
    country: str | None
    weak: bool = False  # only named in a speaker's title ("Koya mayor"): fills a gap

    @property
    def name(self) -> str | None:
        return self.match.name if self.match else None


@dataclass
class _Candidate:
    sentence: Sentence
    ranges: list[Span]  # the clauses of the sentence that tell this event
    type: IncidentType
    strength: str
    places: list[_Place]
    date: DateMention | None
    figures: list[Figure]
    perps: list[ActorRef]
    targets: list[ActorRef]
    anaphor: bool
    new_event: bool
    similar: bool
    place_anaphor: bool
    caption: bool
    headline: bool
    plural: bool
    no_claim: bool
    flags: set[str]
    group: int = 0  # which event of its sentence (a sentence may tell two)
    one_of_set: bool = False  # "the other attack": one of the attacks told before
    casualties_only: bool = False  # no attack word, only its toll ("left one dead")

    @property
    def text_span(self) -> Span:
        return self.ranges[0][0], self.ranges[-1][1]


@dataclass
class _Building:
    incident: Incident
    strength: str
    killed_rank: int = -1
    wounded_rank: int = -1
    place_rank: int = -1
    sentences: list[int] = field(default_factory=list)
    inferred_perps: bool = False
    no_claim: bool = False
    caption: bool = False
    casualties_only: bool = False  # typed only from its toll: a method named later wins


def _overlaps(a: Span, spans: Sequence[Span]) -> bool:
    return any(s < a[1] and a[0] < e for s, e in spans)


def _coarse(p: _Place) -> bool:
    """A governorate, or a city named like its governorate (Kirkuk, Baghdad, Erbil)."""
    if p.match is None:
        return True
    code = p.match.feature_code or ""
    if code.startswith("ADM1") or code in ("PCLI", "RGN", "PPLA", "PPLC"):
        return True  # a governorate, or its capital (news names the city for the province)
    return bool(p.admin1) and _same(p.match.name, p.admin1 or "")


@lru_cache(maxsize=4096)
def _place_key(s: str) -> str:
    s = _ARTICLE_PREFIX.sub("", s.lower())
    return _NON_LETTER.sub("", s)


def _same(a: str, b: str) -> bool:
    return _place_key(a) == _place_key(b)


def _place_compatible(a: _Place, b: _Place) -> bool:
    if a.name and b.name and _same(a.name, b.name):
        return True
    if a.country and b.country and a.country != b.country:
        return False
    if a.admin1 and b.admin1 and a.admin1 != b.admin1:
        # disputed areas ("Makhmour", south-east of Mosul / Erbil's) are told both ways
        return False
    return _coarse(a) or _coarse(b)


def _dates_compatible(a: Incident, d: DateMention) -> bool:
    if a.date is None or d.date is None:
        return True
    return _periods_touch(a.date, a.date_precision, d.date, d.precision)


def _period(d: dt.date, prec: DatePrecision | None) -> tuple[dt.date, dt.date]:
    if prec == "week":
        return d, d + dt.timedelta(days=6)
    if prec == "month":
        nxt = (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return d, nxt - dt.timedelta(days=1)
    if prec == "year":
        return d, dt.date(d.year, 12, 31)
    return d, d


def _periods_touch(
    a: dt.date, ap: DatePrecision | None, b: dt.date, bp: DatePrecision | None
) -> bool:
    a0, a1 = _period(a, ap)
    b0, b1 = _period(b, bp)
    return (max(a0, b0) - min(a1, b1)).days <= 1


class IncidentBuilder:
    def __init__(
        self,
        text: str,
        sentences: Sequence[Sentence],
        *,
        published: dt.date | None,
        places: Sequence[PlaceMatch],
        mentions: Sequence[Mention],
        choose: Callable[
            [Sequence[PlaceMatch], int, int], tuple[PlaceMatch | None, str | None, str | None]
        ],
        resolve_actor: Callable[[str], str],
        title_span: Span | None = None,
        captions: Sequence[Span] = (),
        dominant_group: str | None = None,
        default_country: str | None = None,
    ) -> None:
        self.text = text
        self.sentences = list(sentences)
        self.published = published
        self.places = list(places)
        # "Sinjar mayor X told ...", "Kirkuk's governor": the place in a title says who
        # speaks, not where the event was
        self.event_places = [
            p
            for p in self.places
            if not _TITLE_AFTER.match(text, p.span[1], p.span[1] + 40)
            and not _DESTINATION_BEFORE.search(text, max(0, p.span[0] - 50), p.span[0])
        ]
        self.mentions = list(mentions)
        self.choose = choose
        self.resolve_actor = resolve_actor
        self.title_span = title_span
        self.captions = list(captions)
        self.dominant_group = dominant_group
        self.default_country = default_country
        self.pending: list[tuple[_Candidate, int]] = []
        self.year_hint = latest_year(text) if published is None else None
        self._clause_cache: dict[int, list[Span]] = {}
        self.items: list[_Building] = []
        self.prev_date: tuple[dt.date, DatePrecision] | None = None
        self.prev_day: dt.date | None = None  # the last day-precision date of the text
        self.context_date: tuple[DateMention, int] | None = None
        self.context_perp: tuple[ActorRef, int] | None = None

    # ----------------------------------------------------------------- analysis
    def _places_of(self, start: int, end: int) -> list[_Place]:
        """The incident place(s) named in text[start:end]: one, or one per item of a
        list ("in Kirkuk and Diyala provinces") when nothing more specific is named."""
        located = [
            m
            for m in self.event_places
            if m.span[0] >= start
            and m.span[1] <= end
            and (m.feature_code or "") not in ("PCLI", "RGN")
            and (not (m.relation or "").endswith(" of") or m.relation == "outskirts of")
        ]
        if len(located) >= 2:
            groups: list[list[PlaceMatch]] = [[located[0]]]
            for m in located[1:]:
                gap = self.text[groups[-1][-1].span[1] : m.span[0]]
                if _LIST_JOIN.match(gap):
                    groups[-1].append(m)
                else:
                    groups.append([m])
            lists = [
                g
                for g in groups
                if len(g) >= 2
                and len({x.name for x in g}) == len(g)
                and not _BETWEEN.search(self.text[max(start, g[0].span[0] - 30) : g[0].span[0]])
            ]
            if len(lists) == 1:
                others = [x for x in located if x not in lists[0]]
                if all(_coarse(_Place(x, x.admin1, x.country)) for x in others):
                    return [_Place(x, x.admin1, x.country) for x in lists[0]]
        best, admin1, country = self.choose(self.event_places, start, end)
        if best is None and admin1 is None:
            return []
        if (
            best is not None
            and country
            and self.default_country
            and country != self.default_country
        ):
            # "near Nusaybeen crossing on the border with Turkey in Al-Qamishli city": a
            # place said to lie in a place of the article's country is there, whatever
            # a namesake across the border
            for m in located:
                if (
                    m.span[0] > best.span[1]
                    and m.country == self.default_country
                    and _IN_BEFORE.search(self.text, max(best.span[1], m.span[0] - 12), m.span[0])
                ):
                    return [_Place(m, m.admin1, m.country)]
        return [_Place(best, admin1, country)]

    def _sentence_dates(self, s: Sentence) -> list[DateMention]:
        """Event dates of a sentence (reports' dates left out), advancing the running
        'previous date' the relative expressions count from."""
        caption_day = (
            self.prev_date[0]
            if self.prev_date is not None
            and self.prev_date[1] == "day"
            and _overlaps((s.start, s.end), self.captions)
            else None
        )
        mentions = find_dates(
            self.text, s.start, s.end, self.published, self.prev_date, self.year_hint, self.prev_day
        )
        reporting = [d for d in mentions if d.reporting and d.date is not None]
        out: list[DateMention] = []
        for d in mentions:
            if d.reporting or (d.kind == "year" and self._since_before(d)):
                continue
            if d.kind == "today" and reporting:
                # "this morning" inside a statement dated "on Thursday" is that Thursday
                d = DateMention(d.start, d.end, d.kind, reporting[0].date, "day", False)
            elif d.kind == "today" and caption_day is not None:
                # "today" in a dated photo caption is the caption's day
                d = DateMention(d.start, d.end, d.kind, caption_day, "day", False)
            if d.date is not None:
                out.append(d)
        for d in mentions:
            if d.precision is not None and d.date is not None:
                self.prev_date = (d.date, d.precision)
                if d.precision == "day":
                    self.prev_day = d.date
        return out

    def _since_before(self, d: DateMention) -> bool:
        return bool(_BOUND_BEFORE.search(self.text[max(0, d.start - 8) : d.start]))

    def _clauses(self, s: Sentence) -> list[Span]:
        cached = self._clause_cache.get(s.start)
        if cached is not None:
            return cached
        out: list[Span] = []
        pos = s.start
        for m in _CLAUSE.finditer(self.text, s.start, s.end):
            if m.start() > pos:
                out.append((pos, m.start()))
            pos = m.start()
        out.append((pos, s.end))
        self._clause_cache[s.start] = out
        return out

    def _plural_around(self, s: Sentence, a: int, b: int) -> bool:
        """Several events in the clause, or in the one a relative clause hangs on
        ("attacks by ISIS militants | that killed at least 16")."""
        if plural_events(self.text, a, b):
            return True
        if _RELATIVE.match(self.text, a, b):
            before = [c for c in self._clauses(s) if c[1] <= a]
            if before and plural_events(self.text, *before[-1]):
                return True
        return False

    def _candidates(self, s: Sentence, headline: bool = False) -> list[_Candidate]:
        dates = self._sentence_dates(s)
        trig_all = find_triggers(self.text, s.start, s.end)
        if not trig_all:
            return []
        caption = _overlaps((s.start, s.end), self.captions)
        no_claim = bool(_NO_CLAIM.search(s.text))
        dateline = _DATELINE.match(self.text, s.start, s.end)
        lead_end = dateline.end() if dateline else s.start
        # group the clauses with triggers into events: a clause naming a place that
        # cannot be the current group's starts another event
        groups: list[tuple[list[Span], list[_Place]]] = []
        for a, b in self._clauses(s):
            a = max(a, lead_end)
            if a >= b:
                continue
            if not any(a <= t.span[0] < b for t in trig_all):
                continue
            if _BACKGROUND_CLAUSE.match(self.text, a, b):
                continue  # "in response to attacks by ...": the cause, told in passing
            places = self._places_of(a, b)
            if groups:
                ranges, cur = groups[-1]
                starts_new = bool(_NEW_CLAUSE.match(self.text, a, b))
                if (
                    places
                    and cur
                    and (
                        starts_new or not any(_place_compatible(p, q) for p in places for q in cur)
                    )
                ):
                    groups.append(([(a, b)], places))
                    continue
                ranges.append((a, b))
                if places and (
                    not cur
                    or (
                        len(places) == 1
                        and len(cur) == 1
                        and _coarse(cur[0])
                        and not _coarse(places[0])
                    )
                ):
                    groups[-1] = (ranges, places)  # the more specific place of the event
                continue
            groups.append(([(a, b)], places))
        if groups and not groups[0][1]:
            # where the trigger clauses name no place, a clause that follows may
            # ("... killed by a drone on the vehicle, which they were travelling near X")
            last = groups[0][0][-1][1]
            for a, b in self._clauses(s):
                if a >= last:
                    found = self._places_of(a, b)
                    if found:
                        groups[0] = (groups[0][0], found)
                        break
        for n, (ranges, places) in enumerate(groups):
            if not places:
                titled = [
                    p
                    for p in self.places
                    if any(a <= p.span[0] < b for a, b in ranges) and p not in self.event_places
                ]
                if titled:
                    groups[n] = (
                        ranges,
                        [_Place(titled[0], titled[0].admin1, titled[0].country, True)],
                    )
        out: list[_Candidate] = []
        sentence_type_ = sentence_type(trig_all)
        for n, (ranges, places) in enumerate(groups):
            trig = [t for t in trig_all if any(a <= t.span[0] < b for a, b in ranges)]
            typed = sentence_type(trig)
            if typed is None:
                continue
            if n == 0 and sentence_type_ is not None and sentence_type_[0] == "ambush":
                typed = sentence_type_
            coordinated = bool(out) and self.text.startswith(",", ranges[0][0])
            if coordinated and typed[1] == "generic":
                typed = (out[-1].type, out[-1].strength)  # "..., and hit a checkpoint"
            lo, hi = ranges[0][0], ranges[-1][1]
            # a date overlapping a clause counts for it: "a day after" runs into the
            # clause that "after" opens
            date = next(
                (d for d in dates if any(d.start < b and d.end > a for a, b in ranges)), None
            )
            if date is None and n == 0:
                # a fronted time ("On Wednesday, ...") before the first event clause
                date = next((d for d in dates if d.start < lo), None)
            # a figure next to several events ("killed in two bombings") is their total
            figures = [
                f
                for a, b in ranges
                if not self._plural_around(s, a, b)
                for f in casualties(self.text, a, b)
            ]
            if not figures:
                # "..., causing damage but no injuries", "No one was hurt in | that
                # attack": a clause with no trigger of its own that only says nobody was
                # hurt belongs to the event after "that" or before "but"
                prv = groups[n - 1][0][-1][1] if n > 0 else s.start
                nxt = groups[n + 1][0][0][0] if n + 1 < len(groups) else s.end
                for a, b in self._clauses(s):
                    if prv <= a < nxt and not any(a <= t.span[0] < b for t in trig_all):
                        figures += [f for f in casualties(self.text, a, b) if f.value == 0]
            country = next((p.country for p in places if p.country), self.default_country)
            perps: list[ActorRef] = []
            targets: list[ActorRef] = []
            role_ranges = list(ranges)
            for a, b in self._clauses(s):
                if (a, b) not in role_ranges and _ATTRIBUTION.search(self.text, a, b):
                    role_ranges.append((a, b))
            for a, b in role_ranges:
                p, t = assign_roles(self.text, a, b, self.mentions, country, self.resolve_actor)
                perps += [x for x in p if all(y.name != x.name for y in perps)]
                targets += [x for x in t if all(y.name != x.name for y in targets)]
            if coordinated and not perps:
                perps = list(out[-1].perps)  # the same subject did both
            if not perps and _GROUP_CLAIM.search(self.text, s.start, s.end):
                # "The group also claimed that attack": the armed group named last
                named = [
                    m
                    for m in self.mentions
                    if m.span[1] <= s.start
                    and s.start - m.span[1] < 1500
                    and m.kind in ("non_state_armed_group", "militia")
                ]
                if named:
                    perps.append(ActorRef(named[-1].name, "claimed", None))
            group = self.dominant_group
            if (
                group is not None
                and all(x.name != group for x in perps + targets)
                and any(militant_victims(self.text, a, b, self.mentions) for a, b in ranges)
            ):
                # "security forces killed 83 militants": the militants of the article
                targets.append(ActorRef(group, "suspected", None))
            region = self.text[lo:hi]
            flags: set[str] = set()
            for a, b in ranges:
                flags |= sentence_flags(self.text, a, b)
            out.append(
                _Candidate(
                    sentence=s,
                    ranges=ranges,
                    type=typed[0],
                    strength=typed[1],
                    places=places,
                    date=date,
                    figures=figures,
                    perps=perps,
                    targets=targets,
                    anaphor=bool(_ANAPHOR.search(region)),
                    new_event=bool(_NEW_EVENT.search(region)),
                    similar=bool(_SIMILAR.search(region)),
                    place_anaphor=bool(_PLACE_ANAPHOR.search(region)),
                    caption=caption,
                    headline=headline,
                    plural=any(plural_events(self.text, a, b) for a, b in ranges),
                    no_claim=no_claim,
                    flags=flags,
                    group=n,
                    one_of_set=bool(_ONE_OF_SET.search(region)),
                    casualties_only=typed[1] == "generic"
                    and all(_CASUALTY_WORD.match(t.word) for t in trig),
                )
            )
        return out

    # -------------------------------------------------------------- coreference
    def _fits(
        self, b: _Building, c: _Candidate, place: _Place | None, index: int, split: bool = False
    ) -> bool:
        inc = b.incident
        if (
            not c.anaphor
            and c.date is not None
            and c.date.precision == "day"
            and inc.date is not None
            and inc.date_precision == "day"
            and c.date.date != inc.date
        ):
            return False  # two days, two events (an anaphor may bridge a night)
        if (
            b.caption
            and not c.caption
            and not (
                place is not None
                and inc.place is not None
                and place.name
                and _same(place.name, inc.place.name)
            )
        ):
            return False  # a photo caption's event is joined only by naming its place
        if c.date is not None and not _dates_compatible(inc, c.date):
            return False
        cur = _Place(inc.place, inc.admin1, inc.country) if (inc.place or inc.admin1) else None
        same_place = bool(
            place is not None
            and place.name
            and cur is not None
            and cur.name
            and _same(place.name, cur.name)
        )
        if not compatible(inc.type, b.strength, c.type, c.strength) and not (
            c.anaphor and same_place
        ):
            return False
        last = b.sentences[-1] if b.sentences else -10
        if (
            place is not None
            and cur is not None
            and not _place_compatible(place, cur)
            and place.admin1 == cur.admin1
            and index - last <= 1
            and not c.new_event
            and not self._new_figure(b, c)
        ):
            return True  # the next sentence names a spot of the same event differently
        if place is not None and cur is not None:
            if not _place_compatible(place, cur):
                return False
            if c.anaphor or (place.name and cur.name and _same(place.name, cur.name)):
                return True
            if c.date is not None and inc.date is not None:
                return True  # same place, same day: accounts differ in their figures
        if c.anaphor:
            return True
        if not split and self._new_figure(b, c):
            return False
        if place is None and b.sentences:
            # a detail without a place of its own continues the event just told: in
            # the same paragraph, and telling something happen
            if self.sentences[last].paragraph != c.sentence.paragraph and not (
                index - last == 1 and c.date is None
            ):
                return False  # (wire copy's one-sentence paragraphs: the very next one)
            if not (c.figures or _EVENT_VERB.search(self.text, *c.text_span)):
                return False
        return index - last <= 2 or (place is not None and cur is not None)

    def _new_figure(self, b: _Building, c: _Candidate) -> bool:
        inc = b.incident
        for f in c.figures:
            if not f.explicit:
                continue
            if f.kind == "killed" and inc.killed is not None and inc.killed != f.value:
                return True
            if f.kind == "wounded" and inc.wounded is not None and inc.wounded != f.value:
                return True
        return False

    def _antecedent(
        self, c: _Candidate, place: _Place | None, index: int, split: bool = False
    ) -> _Building | None:
        if c.new_event:
            return None
        fits = [
            b
            for b in self.items[-3:]
            if self._fits(b, c, place, index, split)
            and not (c.group > 0 and b.sentences and b.sentences[-1] == index)
        ]
        if not fits:
            return None
        last = fits[-1]
        if place is None and last.sentences:
            # the events of one sentence naming a list of places, and then a detail for
            # "the strikes": the one of them told most fully
            split_at = last.sentences[-1]
            siblings = [b for b in fits if split_at in b.sentences]
            return max(reversed(siblings), key=lambda b: len(b.sentences))
        return last

    # ------------------------------------------------------------------- update
    def _apply(
        self, b: _Building, c: _Candidate, place: _Place | None, split: bool, index: int
    ) -> None:
        inc = b.incident
        if index >= 0:
            b.sentences.append(index)
        s = c.sentence
        inc.span = (min(inc.span[0], s.start), max(inc.span[1], s.end))
        if (s.start, s.end) not in inc.evidence_spans:
            inc.evidence_spans.append((s.start, s.end))
        self._merge_type(b, c)
        if place is not None:
            cur = _Place(inc.place, inc.admin1, inc.country) if (inc.place or inc.admin1) else None
            if cur is None or (
                not place.weak
                and _coarse(cur)
                and not _coarse(place)
                and _place_compatible(place, cur)
            ):
                inc.place, inc.admin1, inc.country = place.match, place.admin1, place.country
                if inc.place is None and place.admin1:
                    inc.place = None
        if (
            c.date is not None
            and c.date.date is not None
            and (
                inc.date is None
                or (inc.date_precision not in (None, "day") and c.date.precision == "day")
            )
        ):
            inc.date, inc.date_precision = c.date.date, c.date.precision
            inc.date_span = (c.date.start, c.date.end)
        self._merge_figures(b, c, split)
        self._merge_actors(b, c)

    def _merge_type(self, b: _Building, c: _Candidate) -> None:
        """A generic or weak description gives way to a named method; the first named
        method stays (a car bomb later called a suicide attack is still a bombing)."""
        inc = b.incident
        rank = {"generic": 0, "weak": 1, "specific": 2}
        if rank[c.strength] > rank[b.strength] and (
            c.type in _METHOD_TYPES
            or b.casualties_only
            or (len(b.sentences) <= 1 and c.sentence.start <= inc.span[1])
        ):
            inc.type, b.strength = c.type, c.strength
        if c.strength != "generic" or not c.casualties_only:
            b.casualties_only = False

    def _merge_figures(self, b: _Building, c: _Candidate, split: bool) -> None:
        """First stated figure wins; the body beats captions and headlines, and a stated
        number beats a singular noun. Totals over several events count for none."""
        if split:
            return
        inc = b.incident
        base = 0 if (c.caption or c.headline) else 2
        for f in c.figures:
            rank = base + (1 if f.explicit else 0)
            if f.also and base and f.explicit:
                # "Two soldiers were also killed": more victims of the same event
                if f.kind == "killed" and inc.killed is not None and inc.killed_span != f.span:
                    inc.killed += f.value
                    continue
                if f.kind == "wounded" and inc.wounded is not None and inc.wounded_span != f.span:
                    inc.wounded += f.value
                    continue
            if f.kind == "killed" and rank > b.killed_rank:
                inc.killed, inc.killed_span, b.killed_rank = f.value, f.span, rank
            elif f.kind == "wounded" and rank > b.wounded_rank:
                inc.wounded, inc.wounded_span, b.wounded_rank = f.value, f.span, rank

    def _merge_actors(self, b: _Building, c: _Candidate) -> None:
        inc = b.incident
        for p in c.perps:
            if all(x.name != p.name for x in inc.perpetrators) and all(
                t.name != p.name for t in inc.targets
            ):
                if b.inferred_perps:
                    inc.perpetrators = []
                    b.inferred_perps = False
                inc.perpetrators.append(p)
        for t in c.targets:
            if all(x.name != t.name for x in inc.targets) and all(
                p.name != t.name for p in inc.perpetrators
            ):
                inc.targets.append(t)
        if c.no_claim and b.inferred_perps:
            inc.perpetrators = []
            b.inferred_perps = False
        if c.no_claim:
            b.no_claim = True
        region = self.text[c.text_span[0] : c.text_span[1]]
        if (
            not inc.perpetrators
            and not b.no_claim
            and self.dominant_group
            and _MILITANT_AGENT.search(region)
            and all(t.name != self.dominant_group for t in inc.targets)
        ):
            inc.perpetrators.append(ActorRef(self.dominant_group, "suspected", None))
            b.inferred_perps = True

    def _creatable(self, c: _Candidate, place: _Place | None) -> bool:
        dated = c.date is not None and c.date.date is not None
        has_place = (
            place is not None
            and (place.match is not None or place.admin1 is not None)
            and (not place.weak or dated)
        )
        if c.flags:
            return False
        # "a similar attack on the base in October": the kind of the event just told,
        # on another day, is an event of its own even with no figure or party
        similar = c.similar and bool(self.items) and dated
        if c.strength == "generic" and not (c.figures or c.perps or c.targets or similar):
            return False
        if (
            c.strength == "generic"
            and not c.similar
            and not _EVENT_VERB.search(self.text, *c.text_span)
        ):
            return False  # "the incident ..." only ever refers back
        if c.caption and not (dated and has_place and c.strength == "specific"):
            return False
        if c.plural and not has_place:
            return False
        if has_place:
            return True
        return dated and (
            (c.strength == "specific" and bool(c.figures or c.targets))
            or (bool(c.figures) and bool(c.targets))
        )

    def _new(self, c: _Candidate, place: _Place | None, split: bool, index: int) -> _Building:
        s = c.sentence
        inc = Incident(type=c.type, span=(s.start, s.end))
        b = _Building(inc, c.strength, caption=c.caption, casualties_only=c.casualties_only)
        if c.similar and self.items:
            prev_b = self.items[-1]
            if b.strength == "generic":
                inc.type, b.strength = prev_b.incident.type, prev_b.strength
            if place is None:
                place = self._anaphoric_place(c) if c.place_anaphor else None
            if place is None and (prev_b.incident.place or prev_b.incident.admin1):
                prev = prev_b.incident
                place = _Place(prev.place, prev.admin1, prev.country)
            if c.place_anaphor and not c.targets:
                # "a similar attack on the base": the same site, the same people hit
                c.targets = list(prev_b.incident.targets)
        elif place is None and c.place_anaphor:
            place = self._anaphoric_place(c)
        self.items.append(b)
        self._apply(b, c, place, split, index)
        window = 12 if c.one_of_set else 6
        if (
            inc.date is None
            and self.context_date is not None
            and index - self.context_date[1] <= window
        ):
            d = self.context_date[0]
            inc.date, inc.date_precision, inc.date_span = d.date, d.precision, (d.start, d.end)
        if (
            not inc.perpetrators
            and not b.no_claim
            and (not c.new_event or c.one_of_set)
            and self.context_perp is not None
        ):
            ref, at = self.context_perp
            if index - at <= (12 if c.one_of_set else 2) and all(
                t.name != ref.name for t in inc.targets
            ):
                inc.perpetrators.append(ActorRef(ref.name, "suspected", None))
                b.inferred_perps = True
        return b

    def _anaphoric_place(self, c: _Candidate) -> _Place | None:
        """'the base', 'the camp', 'the town': the last place named with that noun,
        else the place of the last incident told."""
        m = _PLACE_ANAPHOR.search(self.text, *c.text_span)
        noun = m.group(0).split()[-1].lower() if m else ""
        if noun and noun != "there":
            for pm in reversed(self.places):
                if pm.span[0] < c.sentence.start and noun in pm.surface.lower():
                    return _Place(pm, pm.admin1, pm.country)
            for site in reversed(list(_NAMED_SITE.finditer(self.text, 0, c.sentence.start))):
                if noun in site.group(0).lower():
                    inside = [
                        pm
                        for pm in self.places
                        if site.start() <= pm.span[0] < site.end()
                        and (pm.feature_code or "") not in ("PCLI", "RGN")
                    ]
                    if inside:
                        pm = inside[0]
                        return _Place(pm, pm.admin1, pm.country)
        for b in reversed(self.items):
            inc = b.incident
            if inc.place is not None or inc.admin1 is not None:
                return _Place(inc.place, inc.admin1, inc.country)
        return None

    def build(self) -> list[Incident]:
        headline: Sentence | None = None
        for index, s in enumerate(self.sentences):
            if self.title_span and s.start >= self.title_span[0] and s.end <= self.title_span[1]:
                headline = s
                continue
            cands = self._candidates(s)
            if not cands:
                self._refine_place(s, index)
                self._note_context(s, index)
                self._note_suspicion(s, index)
                self._note_host(s, index)
                continue
            for c in cands:
                places: list[_Place | None] = list(c.places) or [None]
                split = len(places) > 1
                applied = False
                if split and self._series(c):
                    self._series_incidents(c, index)
                    continue
                for place in places:
                    if c.flags and not c.anaphor:
                        break
                    b = self._antecedent(c, None if place and place.weak else place, index, split)
                    if b is None and c.anaphor and not c.new_event and self._revive(index):
                        b = self.items[-1]
                    if b is not None:
                        self._apply(b, c, place, split, index)
                        applied = True
                    else:
                        if place is None and (c.similar or c.place_anaphor):
                            place = self._anaphoric_place(c)
                        if self._creatable(c, place):
                            self._new(c, place, split, index)
                            applied = True
                if (
                    not applied
                    and not split
                    and places == [None]
                    and not c.flags
                    and self._follows_last(index)
                    and any(f.explicit for f in c.figures)
                    and c.strength == "specific"
                    and c.type != self.items[-1].incident.type
                ):
                    # "In Mosul, five soldiers were killed in an attack. Security forces
                    # killed 83 militants in heavy fighting." - another event, same place
                    prev = self.items[-1].incident
                    place = _Place(prev.place, prev.admin1, prev.country)
                    if self._creatable(c, place):
                        self._new(c, place, False, index)
                        applied = True
                if not applied and not c.flags and not c.caption:
                    if c.strength != "generic":
                        self.pending = [(c, index)]
                    elif self.pending and index - self.pending[-1][1] <= 2:
                        self.pending.append((c, index))
                if not c.flags:
                    self._note_candidate(c, index)
                else:
                    self._note_context(s, index)
        if headline is not None:
            self._headline(headline)
        out = [b.incident for b in self.items]
        _salience(out, self.captions)
        return out

    def _series(self, c: _Candidate) -> bool:
        """'attacks on targets outside Mosul, including in Kirkuk, Rutba and Sinjar': a
        series named place by place, each an attack of its own."""
        m = _SERIES_LIST.search(self.text, *c.text_span)
        return (
            m is not None
            and c.places[0].match is not None
            and c.places[0].match.span[0] >= m.end()
            and not any(f.explicit for f in c.figures)
        )

    def _series_incidents(self, c: _Candidate, index: int) -> None:
        """One incident per place of a series: the sentence's method and attackers (or
        the article's group when it says "the group"), no figure (a total is nobody's),
        no date unless the sentence gives a day."""
        perps = list(c.perps)
        region = self.text[c.text_span[0] : c.text_span[1]]
        if not perps and self.dominant_group and _MILITANT_AGENT.search(region):
            perps = [ActorRef(self.dominant_group, "suspected", None)]
        day = c.date if c.date is not None and c.date.precision == "day" else None
        for place in c.places:
            s = c.sentence
            inc = Incident(type=c.type, span=(s.start, s.end), evidence_spans=[(s.start, s.end)])
            inc.place, inc.admin1, inc.country = place.match, place.admin1, place.country
            if day is not None:
                inc.date, inc.date_precision = day.date, day.precision
                inc.date_span = (day.start, day.end)
            inc.perpetrators = list(perps)
            b = _Building(inc, c.strength, sentences=[index])
            self.items.append(b)

    def _follows_last(self, index: int) -> bool:
        """The sentence comes right after the last incident's, in the same paragraph."""
        if not self.items or not self.items[-1].sentences:
            return False
        last = self.items[-1].sentences[-1]
        return (
            index - last == 1
            and self.sentences[last].paragraph == self.sentences[index].paragraph
            and (
                self.items[-1].incident.place is not None
                or self.items[-1].incident.admin1 is not None
            )
        )

    def _revive(self, index: int) -> bool:
        """An event told without place or date ("an attack with drones hit a compound
        in eastern Syria") becomes an incident when the next sentences refer back to
        it with what it lacked ("Monday's attack took place near al-Tanf base")."""
        if not self.pending:
            return False
        pending, self.pending = self.pending, []
        first = pending[0][0]
        if index - pending[-1][1] > 3:
            return False
        inc = Incident(type=first.type, span=(first.sentence.start, first.sentence.end))
        b = _Building(inc, first.strength)
        self.items.append(b)
        for c, i in pending:
            self._apply(b, c, None, False, i)
        return True

    def _note_candidate(self, c: _Candidate, index: int) -> None:
        """Remember the day and the perpetrator an event sentence gave, for the events
        told next without repeating them ("ISIS attacks on Sunday killed 16 ...
        militants attacked an outpost ...; the other attack ...")."""
        if c.date is not None and c.date.precision == "day" and not c.caption:
            self.context_date = (c.date, index)
        group = next((p for p in c.perps if p.name == self.dominant_group), None)
        if group is not None and not c.caption:
            self.context_perp = (group, index)

    def _note_context(self, s: Sentence, index: int) -> None:
        """A sentence about the group's attacks in general still says who attacks
        ("ISIS sleeper cells still carry out sporadic attacks in ... Baghdad")."""
        if not _GENERAL_ATTACKS.search(s.text):
            return
        perps, _ = assign_roles(self.text, s.start, s.end, self.mentions, None, self.resolve_actor)
        groups = [p for p in perps if p.name == self.dominant_group]
        if groups:
            self.context_perp = (ActorRef(groups[0].name, "suspected", None), index)

    def _note_suspicion(self, s: Sentence, index: int) -> None:
        """A later sentence says whom the attackers are thought to be ("the assailants
        were believed to belong to an Islamic State group sleeper cell"): the group is
        the suspected perpetrator of the incident just told, when it has none."""
        if not self.items or not self.items[-1].sentences:
            return
        b = self.items[-1]
        if b.incident.perpetrators or index - b.sentences[-1] > 3:
            return
        m = _SUSPICION.search(s.text)
        if m is None:
            return
        at = s.start + m.end()
        first = bisect_left(self.mentions, at, key=_mention_start)
        for mention in self.mentions[first : first + 4]:
            if mention.span[0] - at > 40 or mention.span[1] > s.end:
                break
            if mention.kind in ("non_state_armed_group", "militia"):
                name = self.resolve_actor(mention.name)
                if all(t.name != name for t in b.incident.targets):
                    b.incident.perpetrators.append(ActorRef(name, "suspected", mention.span))
                return

    def _note_host(self, s: Sentence, index: int) -> None:
        """A sentence after an attack says what the struck site hosts ("The airport
        hosts a base of the US-led coalition"): those forces are a target of it."""
        m = _HOSTS.search(s.text)
        if m is None or not self.items:
            return
        at, limit = s.start + m.end(), s.start + m.end() + 40
        first = bisect_left(self.mentions, at, key=_mention_start)
        host = next(
            (
                x
                for x in self.mentions[first : first + 3]
                if x.span[1] <= min(limit, s.end)
                and not _HOST_BREAK.search(self.text, at, x.span[0])
            ),
            None,
        )
        if host is None:
            return
        name = self.resolve_actor(host.name)
        subject = s.text[: m.start()].lower()
        for b in self.items[-4:]:
            inc = b.incident
            place = inc.place.name.lower() if inc.place else None
            if index - b.sentences[-1] > 3 or any(
                r.name == name for r in [*inc.targets, *inc.perpetrators]
            ):
                continue
            if (place and place in subject) or _SITE_ANAPHOR.search(subject):
                inc.targets.append(ActorRef(name, "attributed", host.span))

    def _refine_place(self, s: Sentence, index: int) -> None:
        """A sentence right after an incident that only names its governorate may name
        the place inside it ("... in Anbar province. They were traced to Rutba")."""
        if not self.items:
            return
        b = self.items[-1]
        inc = b.incident
        if not b.sentences or not inc.admin1 or index - b.sentences[-1] > 2:
            return
        cur = _Place(inc.place, inc.admin1, inc.country)
        if not _coarse(cur):
            return
        for place in self._places_of(s.start, s.end):
            if place.match is not None and not _coarse(place) and place.admin1 == inc.admin1:
                inc.place = place.match
                return

    def _headline(self, s: Sentence) -> None:
        cands = self._candidates(s, headline=True)
        if not cands:
            return
        c = cands[0]
        place = c.places[0] if len(c.places) == 1 else None
        if self.items:
            b = self.items[0]
            cur = _Place(b.incident.place, b.incident.admin1, b.incident.country)
            if (
                place is None
                or not (b.incident.place or b.incident.admin1)
                or _place_compatible(place, cur)
            ) and compatible(b.incident.type, b.strength, c.type, c.strength):
                if place is None or c.flags:
                    # a headline without a place sums up the article ("violence leaves
                    # 19 dead"): its figures are nobody's
                    c.figures = []
                self._apply(b, c, place, False, -1)
            return
        if c.flags or c.plural:
            return
        if place is not None and (c.strength == "specific" or c.figures):
            b = _Building(Incident(type=c.type, span=(s.start, s.end)), c.strength)
            self.items.append(b)
            self._apply(b, c, place, False, -1)


def _salience(incidents: list[Incident], captions: Sequence[Span] = ()) -> None:
    """The first incident the article itself tells (a photo caption's may be older) is
    what it is about; others of the same day (or, undated, alongside an undated first
    one) are too; the rest is background."""
    if not incidents:
        return
    body = (
        [i for i in incidents if not _overlaps(i.evidence_spans[0], captions)] if captions else []
    )
    main = body[0] if body else incidents[0]
    for inc in incidents:
        if inc is main:
            inc.salience = "main"
            continue
        if inc.date is None or main.date is None:
            same = inc.date is None and main.date is None
        else:
            same = inc.date_precision == "day" and _periods_touch(
                inc.date, inc.date_precision, main.date, main.date_precision
            )
        inc.salience = "main" if same else "background"


def dominant_group(mentions: Sequence[Mention]) -> str | None:
    """The armed group the article is mostly about (the referent of "the militants")."""
    counts: dict[str, int] = {}
    for m in mentions:
        if m.kind == "non_state_armed_group":
            counts[m.name] = counts.get(m.name, 0) + 1
    if not counts:
        return None
    name, n = max(counts.items(), key=lambda kv: kv[1])
    return name if n >= 2 else None
