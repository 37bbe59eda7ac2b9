"""Typed filters shared by REST parameters and GraphQL filter inputs.

Each dataclass is compiled once, by `api.query.where`, into a SQLAlchemy Core WHERE
clause: there is exactly one implementation of every filter. Actor and person
references take an id (int) or a name (str, matched case-insensitively against the
name and the aliases).
"""

import datetime as dt
from dataclasses import dataclass

from schema.enums import (
    ActorKind,
    Channel,
    IncidentType,
    ReviewStatus,
    StatementKind,
)

Ref = int | str


@dataclass(frozen=True)
class Near:
    """A circle: rows whose lat/lon lie within `radius_km` of (lat, lon)."""

    lat: float
    lon: float
    radius_km: float


@dataclass(frozen=True)
class IncidentFilter:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    country: str | None = None
    admin1: str | None = None
    place: int | None = None
    near: Near | None = None
    types: tuple[IncidentType, ...] = ()
    perpetrator: Ref | None = None
    target: Ref | None = None
    actor: Ref | None = None
    min_killed: int | None = None
    min_sources: int | None = None
    text: str | None = None
    review_status: tuple[ReviewStatus, ...] = ()
    updated_since: dt.datetime | None = None


@dataclass(frozen=True)
class StatementFilter:
    speaker: Ref | None = None
    organisation: Ref | None = None
    incident: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    kind: StatementKind | None = None
    channel: Channel | None = None
    text: str | None = None
    document: int | None = None
    updated_since: dt.datetime | None = None


@dataclass(frozen=True)
class ActorFilter:
    name: str | None = None
    kind: ActorKind | None = None
    country: str | None = None
    parent: int | None = None
    updated_since: dt.datetime | None = None


@dataclass(frozen=True)
class OfficialFilter:
    name: str | None = None
    organisation: Ref | None = None
    title: str | None = None
    on: dt.date | None = None
    updated_since: dt.datetime | None = None


@dataclass(frozen=True)
class DocumentFilter:
    outlet: str | None = None
    published_from: dt.date | None = None
    published_to: dt.date | None = None
    url: str | None = None
    text: str | None = None
    updated_since: dt.datetime | None = None


@dataclass(frozen=True)
class PlaceFilter:
    name: str | None = None
    admin1: str | None = None
    country: str | None = None
    feature_code: str | None = None
    near: Near | None = None
