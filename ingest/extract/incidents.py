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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ingest.extract.dates import DateMention, find_dates
from ingest.extract.model import (
    ActorRef,
    DatePrecision,
    Incident,
    IncidentType,
    PlaceMatch,
    Span,
)
from ingest.extract.numbers import Figure, casualties
from ingest.extract.roles import Mention, assign_roles
from ingest.extract.text import Sentence
from ingest.extract.triggers import (
    compatible,
    find_triggers,
    plural_events,
    sentence_flags,
    sentence_type,
    specificity,
)

_ANAPHOR = re.compile(
    r"\b(?:the|this|that|these|those|its|their|(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday)(?:'s|’s))\s+"
    r"(?:\w+\s+){0,2}?(?:attacks?|blasts?|explosions?|bombings?|strikes?|airstrikes?|air\s+strikes?|incident|assault"
    r"|ambush|clashes|shelling|bombardment|raid|violence|attackers?|assailants?|militants|gunmen|bombers?|crime"
    r"|killing|assassination|drones?|rockets?|missiles?|operation)\b|\bit\s+was\s+then\b|\bthe\s+first\s+blast\b",
    re.IGNORECASE,
)
_NEW_EVENT = re.compile(
    r"\b(?:another|other|separate|separately|elsewhere|similar|second|earlier|previously|in\s+related\s+news"
    r"|meanwhile|also\s+on|in\s+another|a\s+further)\b",
    re.IGNORECASE,
)
_SIMILAR = re.compile(r"\bsimilar\s+(?:\w+\s+)?(?:attacks?|strikes?|incidents?)\b", re.IGNORECASE)
_PLACE_ANAPHOR = re.compile(
    r"\b(?:the|that)\s+(?:same\s+)?(?:base|camp|town|city|village|area|site|prison|airport|compound|facility"
    r"|district|field|neighbourhood|neighborhood|region|location|post|checkpoint)\b|\bthere\b",
    re.IGNORECASE,
)
_NO_CLAIM = re.compile(
    r"\bno\s+(?:group\s+|one\s+)?(?:immediately\s+)?(?:immediate\s+)?claim|\bno\s+(?:group|one)\s+(?:has\s+)?(?:immediately\s+)?claimed"
    r"|\bnot\s+(?:immediately\s+)?clear\s+who|\bunknown\s+(?:gunmen|assailants|attackers)",
    re.IGNORECASE,
)
_LIST_JOIN = re.compile(r"^\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)$")
_BETWEEN = re.compile(r"\bbetween\s+(?:the\s+)?(?:\w+\s+){0,3}$", re.IGNORECASE)
_MILITANTS = re.compile(
    r"\b(?:militants?|jihadists?|extremists?|terrorists?|insurgents?|the\s+group|sleeper\s+cells?)\b",
    re.IGNORECASE,
)
_QUOTE_CHARS = '"“”'


class PlaceResolver:
    """What the builder needs from the gazetteer (implemented by `Gazetteer`)."""

    def governorate(self, name: str) -> str | None:  # pragma: no cover - protocol
        raise NotImplementedError

    def country_of(self, admin1: str) -> str | None:  # pragma: no cover - protocol
        raise NotImplementedError


@dataclass
class _Place:
    match: PlaceMatch | None
    admin1: str | None
    country: str | None

    @property
    def name(self) -> str | None:
        return self.match.name if self.match else None


@dataclass
class _Candidate:
    sentence: Sentence
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


@dataclass
class _Building:
    incident: Incident
    strength: str
    killed_rank: int = -1
    wounded_rank: int = -1
    place_rank: int = -1
    sentences: list[int] = field(default_factory=list)
    inferred_perps: bool = False


def _overlaps(a: Span, spans: Sequence[Span]) -> bool:
    return any(s < a[1] and a[0] < e for s, e in spans)


def _coarse(p: _Place) -> bool:
    """A governorate, or a city named like its governorate (Kirkuk, Baghdad, Erbil)."""
    if p.match is None:
        return True
    code = p.match.feature_code or ""
    if code.startswith("ADM1") or code in ("PCLI", "RGN"):
        return True
    return bool(p.admin1) and _same(p.match.name, p.admin1 or "")


def _same(a: str, b: str) -> bool:
    def key(s: str) -> str:
        s = re.sub(r"\b(?:al|el|ar|as|ad|an|at|ash)[\s-]", "", s.lower())
        return re.sub(r"[^a-z]", "", s)

    return key(a) == key(b)


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
        resolver: PlaceResolver | None,
        choose: Callable[
            [Sequence[PlaceMatch], int, int], tuple[PlaceMatch | None, str | None, str | None]
        ],
        resolve_actor: Callable[[str], str],
        title_span: Span | None = None,
        captions: Sequence[Span] = (),
        dominant_group: str | None = None,
    ) -> None:
        self.text = text
        self.sentences = list(sentences)
        self.published = published
        self.places = list(places)
        self.mentions = list(mentions)
        self.resolver = resolver
        self.choose = choose
        self.resolve_actor = resolve_actor
        self.title_span = title_span
        self.captions = list(captions)
        self.dominant_group = dominant_group
        self.items: list[_Building] = []
        self.prev_date: tuple[dt.date, DatePrecision] | None = None

    # ----------------------------------------------------------------- analysis
    def _places_of(self, s: Sentence) -> list[_Place]:
        """The incident place(s) a sentence names: one, or one per item of a list
        ("in Kirkuk and Diyala provinces") when nothing more specific is named."""
        located = [
            m
            for m in self.places
            if m.span[0] >= s.start
            and m.span[1] <= s.end
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
                and not _BETWEEN.search(self.text[max(s.start, g[0].span[0] - 30) : g[0].span[0]])
            ]
            if len(lists) == 1:
                others = [x for x in located if x not in lists[0]]
                if all(_coarse(_Place(x, x.admin1, x.country)) for x in others):
                    return [_Place(x, x.admin1, x.country) for x in lists[0]]
        best, admin1, country = self.choose(self.places, s.start, s.end)
        if best is None and admin1 is None:
            return []
        return [_Place(best, admin1, country)]

    def _event_date(self, s: Sentence) -> DateMention | None:
        mentions = find_dates(self.text, s.start, s.end, self.published, self.prev_date)
        reporting = [d for d in mentions if d.reporting and d.date is not None]
        event: DateMention | None = None
        for d in mentions:
            if d.reporting or (d.kind == "year" and self._since_before(d)):
                continue
            if d.kind == "today" and reporting:
                # "this morning" inside a statement dated "on Thursday" is that Thursday
                d = DateMention(d.start, d.end, d.kind, reporting[0].date, "day", False)
            if d.date is not None and event is None:
                event = d
        for d in mentions:
            if d.date is not None and d.precision is not None and not d.reporting:
                self.prev_date = (d.date, d.precision)
        return event

    def _since_before(self, d: DateMention) -> bool:
        return bool(
            re.search(r"\bsince\s+$", self.text[max(0, d.start - 8) : d.start], re.IGNORECASE)
        )

    def _candidate(self, s: Sentence, headline: bool = False) -> _Candidate | None:
        date = self._event_date(s)
        trig = find_triggers(self.text, s.start, s.end)
        typed = sentence_type(trig)
        if typed is None:
            return None
        caption = _overlaps((s.start, s.end), self.captions)
        places = self._places_of(s)
        figures = casualties(self.text, s.start, s.end)
        country = next((p.country for p in places if p.country), None)
        perps, targets = assign_roles(
            self.text, s.start, s.end, self.mentions, country, self.resolve_actor
        )
        stext = s.text
        return _Candidate(
            sentence=s,
            type=typed[0],
            strength=typed[1],
            places=places,
            date=date,
            figures=figures,
            perps=perps,
            targets=targets,
            anaphor=bool(_ANAPHOR.search(stext)),
            new_event=bool(_NEW_EVENT.search(stext)),
            similar=bool(_SIMILAR.search(stext)),
            place_anaphor=bool(_PLACE_ANAPHOR.search(stext)),
            caption=caption,
            headline=headline,
            plural=plural_events(self.text, s.start, s.end),
            no_claim=bool(_NO_CLAIM.search(stext)),
        )

    # -------------------------------------------------------------- coreference
    def _fits(self, b: _Building, c: _Candidate, place: _Place | None) -> bool:
        inc = b.incident
        if c.date is not None and not _dates_compatible(inc, c.date):
            return False
        if not compatible(inc.type, b.strength, c.type, c.strength):
            return False
        cur = _Place(inc.place, inc.admin1, inc.country) if (inc.place or inc.admin1) else None
        if place is not None and cur is not None:
            if not _place_compatible(place, cur):
                return False
            if c.anaphor or (place.name and cur.name and _same(place.name, cur.name)):
                return True
        if c.anaphor:
            return True
        if place is not None and cur is not None:
            return not self._new_figure(b, c)
        # no place on one side: a continuation unless it brings a competing figure
        return not self._new_figure(b, c)

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

    def _antecedent(self, c: _Candidate, place: _Place | None) -> _Building | None:
        if c.new_event and not c.anaphor:
            return None
        if (
            c.new_event
            and c.anaphor
            and re.search(r"\b(?:other|another|second|similar)\b", c.sentence.text, re.IGNORECASE)
        ):
            return None
        for b in reversed(self.items[-3:]):
            if self._fits(b, c, place):
                return b
        return None

    # ------------------------------------------------------------------- update
    def _apply(
        self, b: _Building, c: _Candidate, place: _Place | None, split: bool, index: int
    ) -> None:
        inc = b.incident
        b.sentences.append(index)
        s = c.sentence
        inc.span = (min(inc.span[0], s.start), max(inc.span[1], s.end))
        if (s.start, s.end) not in inc.evidence_spans:
            inc.evidence_spans.append((s.start, s.end))
        # type: a generic or weak description gives way to a named method
        if specificity(c.type) > specificity(inc.type) and (
            b.strength != "specific"
            or (c.strength == "specific"
            and inc.type in ("armed_assault", "kidnapping"))
        ):
            if not (b.strength == "specific" and c.type == "bombing" and c.strength == "weak"):
                inc.type = c.type
                b.strength = c.strength
        elif b.strength == "generic" and c.strength != "generic":
            inc.type = c.type
            b.strength = c.strength
        # place: the most specific one named
        if place is not None:
            rank = 0 if c.caption or c.headline else 1
            cur = _Place(inc.place, inc.admin1, inc.country) if (inc.place or inc.admin1) else None
            better = cur is None or (
                (_coarse(cur) and not _coarse(place)) and _place_compatible(place, cur)
            )
            if better or (
                rank > b.place_rank and cur is not None and _coarse(cur) == _coarse(place) and False
            ):
                inc.place = place.match
                inc.admin1 = place.admin1
                inc.country = place.country
                b.place_rank = rank
        # date
        if inc.date is None and c.date is not None and c.date.date is not None:
            inc.date = c.date.date
            inc.date_precision = c.date.precision
            inc.date_span = (c.date.start, c.date.end)
        elif (
            c.date is not None
            and c.date.date is not None
            and inc.date_precision not in (None, "day")
            and c.date.precision == "day"
        ):
            inc.date = c.date.date
            inc.date_precision = "day"
            inc.date_span = (c.date.start, c.date.end)
        # figures: first stated wins; the body beats captions and headlines; stated
        # numbers beat a singular noun
        if (
            not split
            and not (c.plural and not c.anaphor and len(b.sentences) > 1)
            and not (
                c.plural
                and re.search(
                    r"\b(?:two|three|four|twin|several)\s+(?:\w+\s+)?(?:attacks|bombings|blasts|explosions)\b",
                    s.text,
                    re.IGNORECASE,
                )
            )
        ):
            base = 0 if (c.caption or c.headline) else 2
            for f in c.figures:
                rank = base + (1 if f.explicit else 0)
                if f.kind == "killed" and rank > b.killed_rank:
                    inc.killed, inc.killed_span, b.killed_rank = f.value, f.span, rank
                elif f.kind == "wounded" and rank > b.wounded_rank:
                    inc.wounded, inc.wounded_span, b.wounded_rank = f.value, f.span, rank
        # actors
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
        if (
            not inc.perpetrators
            and not c.no_claim
            and self.dominant_group
            and _MILITANTS.search(s.text)
            and all(t.name != self.dominant_group for t in inc.targets)
        ):
            inc.perpetrators.append(ActorRef(self.dominant_group, "suspected", None))
            b.inferred_perps = True

    def _creatable(self, c: _Candidate, place: _Place | None) -> bool:
        has_place = place is not None and (place.match is not None or place.admin1 is not None)
        dated = c.date is not None and c.date.date is not None
        if c.strength == "generic" and not c.figures and not c.perps and not c.targets:
            return False
        if c.strength == "generic" and not re.search(
            r"\b(?:attack|attacked|killed|killing|gunmen|opened\s+fire|shot|stormed|assault|dead|martyred|wounded|injured|burned)\b",
            c.sentence.text,
            re.IGNORECASE,
        ):
            return False
        if c.caption and not (dated and has_place and c.strength == "specific"):
            return False
        if c.plural and not c.figures and c.strength != "specific":
            return False
        if has_place:
            return True
        return (
            dated and (c.strength == "specific" or bool(c.figures)) and bool(c.figures or c.targets)
        )

    def _new(self, c: _Candidate, place: _Place | None, split: bool, index: int) -> _Building:
        s = c.sentence
        inc = Incident(type=c.type, span=(s.start, s.end))
        b = _Building(inc, c.strength)
        if c.similar and self.items:
            prev = self.items[-1].incident
            if b.strength == "generic":
                inc.type = prev.type
                b.strength = self.items[-1].strength
            if place is None and prev.place is not None:
                place = _Place(prev.place, prev.admin1, prev.country)
        elif place is None and c.place_anaphor and self.items:
            prev = self.items[-1].incident
            if prev.place is not None or prev.admin1 is not None:
                place = _Place(prev.place, prev.admin1, prev.country)
        self.items.append(b)
        self._apply(b, c, place, split, index)
        return b

    def build(self) -> list[Incident]:
        headline: Sentence | None = None
        for index, s in enumerate(self.sentences):
            if self.title_span and s.start >= self.title_span[0] and s.end <= self.title_span[1]:
                headline = s
                continue
            c = self._candidate(s)
            if c is None:
                self._refine_place(s)
                continue
            flags = sentence_flags(self.text, s.start, s.end)
            if flags and not c.anaphor:
                continue
            places: list[_Place | None] = list(c.places) or [None]
            split = len(places) > 1
            for place in places:
                b = self._antecedent(c, place)
                if b is not None:
                    self._apply(b, c, place, split, index)
                elif not flags and self._creatable(c, place):
                    self._new(c, place, split, index)
        if headline is not None:
            self._headline(headline)
        out = [b.incident for b in self.items]
        self._salience(out)
        return out

    def _refine_place(self, s: Sentence) -> None:
        """A sentence right after an incident that only names its governorate may name
        the place inside it ("... in Anbar province. They were traced to Rutba")."""
        if not self.items:
            return
        b = self.items[-1]
        inc = b.incident
        if not b.sentences or not inc.admin1:
            return
        last = self.sentences[b.sentences[-1]]
        if s.paragraph - last.paragraph > 1:
            return
        cur = _Place(inc.place, inc.admin1, inc.country)
        if not _coarse(cur):
            return
        for place in self._places_of(s):
            if place.match is not None and not _coarse(place) and place.admin1 == inc.admin1:
                inc.place = place.match
                return

    def _headline(self, s: Sentence) -> None:
        c = self._candidate(s, headline=True)
        if c is None:
            return
        place = c.places[0] if len(c.places) == 1 else None
        if self.items:
            b = self.items[0]
            if (
                place is None
                or _place_compatible(
                    place, _Place(b.incident.place, b.incident.admin1, b.incident.country)
                )
                or not (b.incident.place or b.incident.admin1)
            ):
                if compatible(b.incident.type, b.strength, c.type, c.strength):
                    self._apply(b, c, place, False, -1)
            return
        if sentence_flags(self.text, s.start, s.end):
            return
        if place is not None and (c.strength == "specific" or c.figures) and not c.plural:
            b = _Building(Incident(type=c.type, span=(s.start, s.end)), c.strength)
            self.items.append(b)
            self._apply(b, c, place, False, -1)

    def _salience(self, incidents: list[Incident]) -> None:
        if not incidents:
            return
        main = incidents[0]
        for inc in incidents[1:]:
            same_day = (inc.date is None and main.date is None) or (
                inc.date is not None
                and main.date is not None
                and _periods_touch(inc.date, inc.date_precision, main.date, main.date_precision)
                and inc.date_precision == "day"
            )
            inc.salience = "main" if same_day else "background"


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
