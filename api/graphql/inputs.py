"""GraphQL filter inputs, each turned into the query layer's filter dataclass
(api.query.filters) so GraphQL and REST share one implementation of every filter."""

import datetime as dt
from typing import Any

import strawberry

from api.graphql.errors import InvalidInput
from api.graphql.ids import decode_id_of, ref_of
from api.query import filters as qf
from schema import enums

MAX_TEXT = 500
MAX_LIST = 50


def _text(value: str | None, field: str) -> str | None:
    if value is not None and len(value) > MAX_TEXT:
        raise InvalidInput(f"{field} is longer than {MAX_TEXT} characters", field=field)
    return value


@strawberry.input(description="A circle around a point.")
class NearInput:
    lat: float
    lon: float
    radius_km: float

    def to_near(self) -> qf.Near:
        if not (-90 <= self.lat <= 90 and -180 <= self.lon <= 180):
            raise InvalidInput("near: lat must be within ±90 and lon within ±180", field="near")
        if not 0 < self.radius_km <= 20_000:
            raise InvalidInput("near: radiusKm must be above 0 and at most 20000", field="near")
        return qf.Near(lat=self.lat, lon=self.lon, radius_km=self.radius_km)


def _list(values: list[Any] | None, field: str) -> tuple[Any, ...]:
    if values is None:
        return ()
    if len(values) > MAX_LIST:
        raise InvalidInput(f"{field} lists at most {MAX_LIST} values", field=field)
    return tuple(values)


@strawberry.input(description="Incidents matching every given condition.")
class IncidentFilter:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    country: str | None = None
    admin1: str | None = strawberry.field(default=None, description="Governorate, e.g. Nineveh.")
    place: strawberry.ID | None = strawberry.field(default=None, description="A Place id.")
    near: NearInput | None = None
    types: list[enums.IncidentType] | None = None
    perpetrator: str | None = strawberry.field(
        default=None, description="An Actor id, or a name or alias."
    )
    target: str | None = strawberry.field(
        default=None, description="An Actor id, or a name or alias."
    )
    actor: str | None = strawberry.field(
        default=None, description="An Actor id, or a name or alias, in any role."
    )
    min_killed: int | None = None
    min_sources: int | None = None
    text: str | None = strawberry.field(
        default=None, description="Full-text search over the reporting documents."
    )
    review_status: list[enums.ReviewStatus] | None = None
    updated_since: dt.datetime | None = None

    def to_filter(self) -> qf.IncidentFilter:
        return qf.IncidentFilter(
            date_from=self.date_from,
            date_to=self.date_to,
            country=_text(self.country, "country"),
            admin1=_text(self.admin1, "admin1"),
            place=None if self.place is None else decode_id_of("Place", self.place, "place"),
            near=None if self.near is None else self.near.to_near(),
            types=_list(self.types, "types"),
            perpetrator=_ref("Actor", self.perpetrator, "perpetrator"),
            target=_ref("Actor", self.target, "target"),
            actor=_ref("Actor", self.actor, "actor"),
            min_killed=self.min_killed,
            min_sources=self.min_sources,
            text=_text(self.text, "text"),
            review_status=_list(self.review_status, "reviewStatus"),
            updated_since=self.updated_since,
        )


def _url(value: str | None) -> str | None:
    if value is not None and len(value) > 2048:
        raise InvalidInput("url is longer than 2048 characters", field="url")
    return value


def _ref(type_name: str, value: str | None, field: str) -> int | str | None:
    if value is None:
        return None
    _text(value, field)
    return ref_of(type_name, value, field)


@strawberry.input(description="Statements matching every given condition.")
class StatementFilter:
    speaker: str | None = strawberry.field(
        default=None, description="An Official id, or a name or alias."
    )
    organisation: str | None = strawberry.field(
        default=None, description="An Actor id, or a name or alias."
    )
    incident: strawberry.ID | None = None
    document: strawberry.ID | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    kind: enums.StatementKind | None = None
    channel: enums.Channel | None = None
    text: str | None = None
    updated_since: dt.datetime | None = None

    def to_filter(self) -> qf.StatementFilter:
        return qf.StatementFilter(
            speaker=_ref("Official", self.speaker, "speaker"),
            organisation=_ref("Actor", self.organisation, "organisation"),
            incident=None
            if self.incident is None
            else decode_id_of("Incident", self.incident, "incident"),
            document=None
            if self.document is None
            else decode_id_of("Document", self.document, "document"),
            date_from=self.date_from,
            date_to=self.date_to,
            kind=self.kind,
            channel=self.channel,
            text=_text(self.text, "text"),
            updated_since=self.updated_since,
        )


@strawberry.input
class ActorFilter:
    name: str | None = strawberry.field(default=None, description="Part of a name or alias.")
    kind: enums.ActorKind | None = None
    country: str | None = None
    parent: strawberry.ID | None = None
    updated_since: dt.datetime | None = None

    def to_filter(self) -> qf.ActorFilter:
        return qf.ActorFilter(
            name=_text(self.name, "name"),
            kind=self.kind,
            country=_text(self.country, "country"),
            parent=None if self.parent is None else decode_id_of("Actor", self.parent, "parent"),
            updated_since=self.updated_since,
        )


@strawberry.input
class OfficialFilter:
    name: str | None = strawberry.field(default=None, description="Part of a name or alias.")
    organisation: str | None = strawberry.field(
        default=None, description="An Actor id, or a name or alias."
    )
    title: str | None = strawberry.field(default=None, description="Part of a role title.")
    on: dt.date | None = strawberry.field(
        default=None, description="Holding that role (organisation, title) on this date."
    )
    updated_since: dt.datetime | None = None

    def to_filter(self) -> qf.OfficialFilter:
        return qf.OfficialFilter(
            name=_text(self.name, "name"),
            organisation=_ref("Actor", self.organisation, "organisation"),
            title=_text(self.title, "title"),
            on=self.on,
            updated_since=self.updated_since,
        )


@strawberry.input
class DocumentFilter:
    outlet: str | None = None
    published_from: dt.date | None = None
    published_to: dt.date | None = None
    url: str | None = None
    text: str | None = None
    updated_since: dt.datetime | None = None

    def to_filter(self) -> qf.DocumentFilter:
        return qf.DocumentFilter(
            outlet=_text(self.outlet, "outlet"),
            published_from=self.published_from,
            published_to=self.published_to,
            url=_url(self.url),
            text=_text(self.text, "text"),
            updated_since=self.updated_since,
        )


@strawberry.input
class PlaceFilter:
    name: str | None = None
    admin1: str | None = None
    country: str | None = strawberry.field(default=None, description="Name or ISO code.")
    feature_code: str | None = None
    near: NearInput | None = None

    def to_filter(self) -> qf.PlaceFilter:
        return qf.PlaceFilter(
            name=_text(self.name, "name"),
            admin1=_text(self.admin1, "admin1"),
            country=_text(self.country, "country"),
            feature_code=_text(self.feature_code, "featureCode"),
            near=None if self.near is None else self.near.to_near(),
        )
