"""The extractor's output: plain dataclasses with a character span for every value.

Spans are half-open `(start, end)` offsets into `Extraction.text` (the cleaned article
text), so every stored value can be traced to the sentence that states it. The
FORMAT.md record (`to_record`) is a projection that drops the spans.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

Span = tuple[int, int]

DatePrecision = Literal["day", "week", "month", "year"]
IncidentType = Literal[
    "armed_assault",
    "bombing",
    "suicide_bombing",
    "ambush",
    "air_strike",
    "shelling",
    "assassination",
    "kidnapping",
    "facility_attack",
    "clash",
    "other",
]
ActorKind = Literal[
    "state_force",
    "government",
    "non_state_armed_group",
    "militia",
    "international_coalition",
    "political_party",
    "media",
    "civilians",
    "other",
]
Basis = Literal["claimed", "attributed", "suspected"]
StatementKind = Literal["direct", "indirect"]
Salience = Literal["main", "background"]


@dataclass(frozen=True)
class Meta:
    title: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    published_span: Span | None = None
    title_span: Span | None = None


@dataclass(frozen=True)
class PlaceMatch:
    """A place recognised in the text and resolved against the gazetteer."""

    name: str  # canonical gazetteer name (English form where known)
    surface: str  # as written in the text
    span: Span
    geonames_id: int | None
    admin1: str | None  # governorate, English GeoNames form ("Salah ad Din")
    country: str | None  # "Iraq" | "Syria" | ...
    feature_code: str | None = None
    lat: float | None = None
    lon: float | None = None
    relation: str | None = (
        None  # "near", "south-west of", ... when the text places it relative to this
    )


@dataclass
class ActorMention:
    """An organisation, force, group, government or target category."""

    name: str  # canonical registry name, or the discovered name
    kind: ActorKind
    key: str | None = None  # registry key; None when discovered in the text
    names: list[str] = field(default_factory=list)  # every surface form seen in this text
    spans: list[Span] = field(default_factory=list)
    country: str | None = None


@dataclass
class OfficialMention:
    name: str  # canonical registry name, or the fullest form seen
    key: str | None = None
    names: list[str] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    title: str | None = None  # as of the document's date
    affiliation: str | None = None  # canonical actor name
    title_span: Span | None = None


@dataclass(frozen=True)
class ActorRef:
    name: str  # an ActorMention.name, or a category such as "civilians"
    basis: Basis = "attributed"
    span: Span | None = None


@dataclass
class Incident:
    type: IncidentType
    span: Span  # the sentence(s) that describe it: first start .. last end
    date: dt.date | None = None
    date_precision: DatePrecision | None = None
    date_span: Span | None = None
    place: PlaceMatch | None = None
    admin1: str | None = None
    country: str | None = None
    perpetrators: list[ActorRef] = field(default_factory=list)
    targets: list[ActorRef] = field(default_factory=list)
    killed: int | None = None
    wounded: int | None = None
    killed_span: Span | None = None
    wounded_span: Span | None = None
    salience: Salience = "main"
    evidence_spans: list[Span] = field(default_factory=list)  # every sentence merged into it


@dataclass
class Statement:
    speaker: str  # an OfficialMention.name or ActorMention.name
    speaker_type: Literal["person", "actor"]
    kind: StatementKind
    quote: str
    quote_span: Span
    span: Span  # the whole reporting sentence(s)
    date: dt.date | None = None
    channel: str | None = None  # statement | telegram | twitter | interview | ...
    incidents: list[int] = field(default_factory=list)  # indexes into Extraction.incidents


@dataclass
class Extraction:
    text: str  # cleaned text; every span indexes into it
    meta: Meta
    incidents: list[Incident] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)
    officials: list[OfficialMention] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    places: list[PlaceMatch] = field(default_factory=list)
    extractor_version: int = 1

    def to_record(self, doc: str) -> dict[str, Any]:
        """The FORMAT.md v1 projection (what `sitrep extract` writes and score.py reads)."""

        def iso(d: dt.date | None) -> str | None:
            return d.isoformat() if d else None

        return {
            "doc": doc,
            "document": {
                "title": self.meta.title,
                "outlet": self.meta.outlet,
                "published": iso(self.meta.published),
            },
            "incidents": [
                {
                    "date": iso(i.date),
                    "date_precision": i.date_precision,
                    "place": i.place.name if i.place else None,
                    "admin1": i.admin1,
                    "country": i.country,
                    "type": i.type,
                    "perpetrators": [a.name for a in i.perpetrators],
                    "targets": [a.name for a in i.targets],
                    "killed": i.killed,
                    "wounded": i.wounded,
                    "salience": i.salience,
                }
                for i in self.incidents
            ],
            "actors": [
                {"name": a.name, "names": [n for n in a.names if n != a.name], "kind": a.kind}
                for a in self.actors
            ],
            "officials": [
                {
                    "name": o.name,
                    "names": [n for n in o.names if n != o.name],
                    "title": o.title,
                    "affiliation": o.affiliation,
                }
                for o in self.officials
            ],
            "statements": [
                {"speaker": s.speaker, "kind": s.kind, "quote": s.quote, "date": iso(s.date)}
                for s in self.statements
            ],
        }
