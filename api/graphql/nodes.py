# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) with keyword arguments is typed as returning Any.)
"""The object types of the graph and their nested fields (resolved through DataLoaders).

Each type is built from a table row by `from_row`; foreign keys stay private and are
followed by the per-request loaders in `Context.loaders`. `Node.id` is a global id
(`api.graphql.ids`); `databaseId` is the row id used by REST.
"""

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, Self, TypeVar

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from api.graphql import scalars as _scalars  # noqa: F401  (registers the enums)
from api.graphql.context import Context
from api.graphql.errors import InvalidInput
from api.graphql.ids import encode_id
from schema import enums

Ctx = Info[Context, None]
Row = Mapping[str, Any]


T = TypeVar("T")


async def _linked(
    loader: DataLoader[int, dict[str, Any] | None], key: int | None, make: Callable[[Row], T]
) -> T | None:
    """The object behind an optional foreign key, through the request's DataLoader."""
    if key is None:
        return None
    row = await loader.load(key)
    return make(row) if row else None


# A nested list that can grow without bound takes `first`, capped here.
NESTED_DEFAULT = 20
NESTED_MAX = 100


def _nested_first(first: int) -> int:
    if not 0 <= first <= NESTED_MAX:
        raise InvalidInput(f"first must be between 0 and {NESTED_MAX}", field="first")
    return first


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


@strawberry.interface(description="An object with a global id; fetch any of them with `node(id:)`.")
class Node:
    database_id: int = strawberry.field(description="The row id (as used by the REST API).")

    @strawberry.field(description="Global id: opaque, stable, unique across types.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(encode_id(type(self).__name__, self.database_id))


@strawberry.type(description="A casualty count as low / best / high estimates.")
class Figures:
    low: int | None
    best: int | None
    high: int | None


@strawberry.type(description="A gazetteer place (GeoNames or curated).")
class Place(Node):
    geonames_id: int | None
    name: str
    admin1: str | None
    admin2: str | None
    country_code: str
    country: str
    lat: float | None
    lon: float | None
    feature_code: str | None
    population: int

    @classmethod
    def from_row(cls, row: Row) -> Self:
        return cls(
            database_id=row["id"],
            geonames_id=row["geonames_id"],
            name=row["name"],
            admin1=row["admin1"],
            admin2=row["admin2"],
            country_code=row["country_code"],
            country=row["country"],
            lat=row["lat"],
            lon=row["lon"],
            feature_code=row["feature_code"],
            population=row["population"],
        )


@strawberry.type(description="An organisation, force, armed group, government or party.")
class Actor(Node):
    registry_key: str | None
    name: str
    kind: enums.ActorKind
    country: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    parent_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: Row) -> Self:
        return cls(
            database_id=row["id"],
            registry_key=row["registry_key"],
            name=row["name"],
            kind=enums.ActorKind(row["kind"]),
            country=row["country"],
            created_at=_utc(row["created_at"]),
            updated_at=_utc(row["updated_at"]),
            parent_id=row["parent_id"],
        )

    @strawberry.field
    async def parent(self, info: Ctx) -> "Actor | None":
        return await _linked(info.context.loaders.actor, self.parent_id, Actor.from_row)

    @strawberry.field(description="Other names the actor is known by.")
    async def aliases(self, info: Ctx) -> list[str]:
        return await info.context.loaders.actor_aliases.load(self.database_id) or []

    @strawberry.field(description="People who held a role at this organisation, by id.")
    async def officials(self, info: Ctx) -> list["Official"]:
        roles = await info.context.loaders.roles_of_organisation.load(self.database_id) or []
        people = await info.context.loaders.person.load_many(
            sorted({r["person_id"] for r in roles})
        )
        return [Official.from_row(p) for p in people if p is not None]

    @strawberry.field(description="The newest incidents this actor took part in.")
    async def incidents(self, info: Ctx, first: int = NESTED_DEFAULT) -> list["Incident"]:
        key = (self.database_id, _nested_first(first))
        return [
            Incident.from_row(r)
            for r in (await info.context.loaders.incidents_of_actor.load(key) or [])
        ]


@strawberry.type(description="A person's title at an organisation between two dates.")
class Role:
    title: str
    start_date: dt.date | None
    end_date: dt.date | None
    source: str
    person_id: strawberry.Private[int]
    organisation_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: Row) -> Self:
        return cls(
            title=row["title"],
            start_date=row["start_date"],
            end_date=row["end_date"],
            source=row["source"],
            person_id=row["person_id"],
            organisation_id=row["organisation_id"],
        )

    @strawberry.field
    async def organisation(self, info: Ctx) -> Actor | None:
        return await _linked(info.context.loaders.actor, self.organisation_id, Actor.from_row)

    @strawberry.field
    async def person(self, info: Ctx) -> "Official":
        row = await info.context.loaders.person.load(self.person_id)
        assert row is not None  # role.person_id is a foreign key
        return Official.from_row(row)


def _valid_on(row: Row, day: dt.date) -> bool:
    start, end = row["start_date"], row["end_date"]
    return (start is None or start <= day) and (end is None or day <= end)


@strawberry.type(description="A person who speaks or acts for an organisation.")
class Official(Node):
    registry_key: str | None
    name: str
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def from_row(cls, row: Row) -> Self:
        return cls(
            database_id=row["id"],
            registry_key=row["registry_key"],
            name=row["name"],
            created_at=_utc(row["created_at"]),
            updated_at=_utc(row["updated_at"]),
        )

    @strawberry.field
    async def aliases(self, info: Ctx) -> list[str]:
        return await info.context.loaders.person_aliases.load(self.database_id) or []

    @strawberry.field(description="Every role the person held, oldest first (undated first).")
    async def roles(self, info: Ctx) -> list[Role]:
        return [
            Role.from_row(r)
            for r in (await info.context.loaders.roles_of_person.load(self.database_id) or [])
        ]

    @strawberry.field(description="The roles the person held on `date`.")
    async def role_on(self, info: Ctx, date: dt.date) -> list[Role]:
        rows = await info.context.loaders.roles_of_person.load(self.database_id) or []
        return [Role.from_row(r) for r in rows if _valid_on(r, date)]

    @strawberry.field(description="The person's newest statements.")
    async def statements(self, info: Ctx, first: int = NESTED_DEFAULT) -> list["Statement"]:
        key = (self.database_id, _nested_first(first))
        rows = await info.context.loaders.statements_of_speaker.load(key) or []
        return [Statement.from_row(r) for r in rows]


@strawberry.type(description="An actor's part in an incident.")
class Attribution:
    role: enums.ActorRole
    basis: enums.AttributionBasis
    actor: Actor


async def _links(info: Ctx, incident_id: int) -> list[Row]:
    """The incident's actors (perpetrators first, then by actor id) with role and basis."""
    return list(await info.context.loaders.actors_of_incident.load(incident_id) or [])


@strawberry.type(description="One violent event, reconciled from every source that reports it.")
class Incident(Node):
    date: dt.date | None
    date_precision: enums.DatePrecision | None
    type: enums.IncidentType
    place_name: str | None = strawberry.field(description="The place as named in the text.")
    place_precision: enums.PlacePrecision | None
    admin1: str | None
    country: str | None
    lat: float | None
    lon: float | None
    killed: Figures
    wounded: Figures
    source_count: int = strawberry.field(description="How many documents report the incident.")
    salience: enums.Salience
    review_status: enums.ReviewStatus
    curated_fields: list[str] = strawberry.field(
        description="Fields set by a curator; reprocessing keeps them."
    )
    created_at: dt.datetime
    updated_at: dt.datetime
    place_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: Row) -> Self:
        return cls(
            database_id=row["id"],
            date=row["date"],
            date_precision=_opt(enums.DatePrecision, row["date_precision"]),
            type=enums.IncidentType(row["type"]),
            place_name=row["place_name"],
            place_precision=_opt(enums.PlacePrecision, row["place_precision"]),
            admin1=row["admin1"],
            country=row["country"],
            lat=row["lat"],
            lon=row["lon"],
            killed=Figures(low=row["killed_low"], best=row["killed_best"], high=row["killed_high"]),
            wounded=Figures(
                low=row["wounded_low"], best=row["wounded_best"], high=row["wounded_high"]
            ),
            source_count=row["source_count"],
            salience=enums.Salience(row["salience"]),
            review_status=enums.ReviewStatus(row["review_status"]),
            curated_fields=list(row["curated_fields"] or []),
            created_at=_utc(row["created_at"]),
            updated_at=_utc(row["updated_at"]),
            place_id=row["place_id"],
        )

    @strawberry.field(description="The gazetteer place, when resolved.")
    async def place(self, info: Ctx) -> Place | None:
        return await _linked(info.context.loaders.place, self.place_id, Place.from_row)

    @strawberry.field
    async def perpetrators(self, info: Ctx) -> list[Actor]:
        links = await _links(info, self.database_id)
        return [Actor.from_row(r) for r in links if r["role"] == enums.ActorRole.PERPETRATOR]

    @strawberry.field
    async def targets(self, info: Ctx) -> list[Actor]:
        links = await _links(info, self.database_id)
        return [Actor.from_row(r) for r in links if r["role"] == enums.ActorRole.TARGET]

    @strawberry.field(description="Every actor with its role and the basis of the attribution.")
    async def attributions(self, info: Ctx) -> list[Attribution]:
        return [
            Attribution(
                role=enums.ActorRole(r["role"]),
                basis=enums.AttributionBasis(r["basis"]),
                actor=Actor.from_row(r),
            )
            for r in await _links(info, self.database_id)
        ]

    @strawberry.field(description="Each source's account of the incident.")
    async def reports(self, info: Ctx) -> list["Report"]:
        rows = await info.context.loaders.reports_of_incident.load(self.database_id) or []
        return [Report.from_row(r) for r in rows]

    @strawberry.field(description="Statements about the incident.")
    async def statements(self, info: Ctx) -> list["Statement"]:
        rows = await info.context.loaders.statements_of_incident.load(self.database_id) or []
        return [Statement.from_row(r) for r in rows]


def _opt(enum: type[Any], value: object) -> Any:
    return None if value is None else enum(value)


@strawberry.type(description="One document's account of one incident, with the quoted evidence.")
class Report(Node):
    date: dt.date | None
    date_precision: enums.DatePrecision | None
    type: enums.IncidentType
    killed: int | None
    wounded: int | None
    salience: enums.Salience
    span_start: int
    span_end: int
    evidence: str = strawberry.field(description="The text of the span that states the figures.")
    incident_id: strawberry.Private[int]
    document_id: strawberry.Private[int]
    place_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: Row) -> Self:
        return cls(
            database_id=row["id"],
            date=row["date"],
            date_precision=_opt(enums.DatePrecision, row["date_precision"]),
            type=enums.IncidentType(row["type"]),
            killed=row["killed"],
            wounded=row["wounded"],
            salience=enums.Salience(row["salience"]),
            span_start=row["span_start"],
            span_end=row["span_end"],
            evidence=row["evidence"],
            incident_id=row["incident_id"],
            document_id=row["document_id"],
            place_id=row["place_id"],
        )

    @strawberry.field
    async def document(self, info: Ctx) -> "Document":
        row = await info.context.loaders.document.load(self.document_id)
        assert row is not None
        return Document.from_row(row)

    @strawberry.field
    async def incident(self, info: Ctx) -> Incident:
        row = await info.context.loaders.incident.load(self.incident_id)
        assert row is not None
        return Incident.from_row(row)

    @strawberry.field
    async def place(self, info: Ctx) -> Place | None:
        return await _linked(info.context.loaders.place, self.place_id, Place.from_row)


@strawberry.type(description="Something an official or an organisation said.")
class Statement(Node):
    kind: enums.StatementKind
    text: str
    date: dt.date | None
    channel: enums.Channel | None
    span_start: int
    span_end: int
    created_at: dt.datetime
    document_id: strawberry.Private[int]
    speaker_person_id: strawberry.Private[int | None]
    speaker_actor_id: strawberry.Private[int | None]
    speaker_role_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: Row) -> Self:
        return cls(
            database_id=row["id"],
            kind=enums.StatementKind(row["kind"]),
            text=row["text"],
            date=row["date"],
            channel=_opt(enums.Channel, row["channel"]),
            span_start=row["span_start"],
            span_end=row["span_end"],
            created_at=_utc(row["created_at"]),
            document_id=row["document_id"],
            speaker_person_id=row["speaker_person_id"],
            speaker_actor_id=row["speaker_actor_id"],
            speaker_role_id=row["speaker_role_id"],
        )

    @strawberry.field(description="The person who spoke, when known.")
    async def speaker(self, info: Ctx) -> Official | None:
        return await _linked(info.context.loaders.person, self.speaker_person_id, Official.from_row)

    @strawberry.field(description="The organisation that spoke (or the speaker's organisation).")
    async def organisation(self, info: Ctx) -> Actor | None:
        return await _linked(info.context.loaders.actor, self.speaker_actor_id, Actor.from_row)

    @strawberry.field(description="The speaker's role on the day of the statement.")
    async def speaker_role(self, info: Ctx) -> Role | None:
        return await _linked(info.context.loaders.role, self.speaker_role_id, Role.from_row)

    @strawberry.field
    async def document(self, info: Ctx) -> "Document":
        row = await info.context.loaders.document.load(self.document_id)
        assert row is not None
        return Document.from_row(row)

    @strawberry.field(description="The incidents the statement is about.")
    async def incidents(self, info: Ctx) -> list[Incident]:
        ids = await info.context.loaders.incident_ids_of_statement.load(self.database_id) or []
        rows = await info.context.loaders.incident.load_many(ids)
        return [Incident.from_row(r) for r in rows if r is not None]


@strawberry.type(description="Where in a document an actor, person or place was recognised.")
class Mention:
    entity_type: enums.EntityType
    span_start: int
    span_end: int
    text: str
    actor_id: strawberry.Private[int | None]
    person_id: strawberry.Private[int | None]
    place_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: Row) -> Self:
        return cls(
            entity_type=enums.EntityType(row["entity_type"]),
            span_start=row["span_start"],
            span_end=row["span_end"],
            text=row["text"],
            actor_id=row["actor_id"],
            person_id=row["person_id"],
            place_id=row["place_id"],
        )

    @strawberry.field
    async def actor(self, info: Ctx) -> Actor | None:
        return await _linked(info.context.loaders.actor, self.actor_id, Actor.from_row)

    @strawberry.field
    async def official(self, info: Ctx) -> Official | None:
        return await _linked(info.context.loaders.person, self.person_id, Official.from_row)

    @strawberry.field
    async def place(self, info: Ctx) -> Place | None:
        return await _linked(info.context.loaders.place, self.place_id, Place.from_row)


@strawberry.type(description="One source article.")
class Document(Node):
    url: str | None
    outlet: str | None
    title: str | None
    published: dt.date | None
    published_precision: enums.DatePrecision | None
    language: str | None
    text: str = strawberry.field(description="The cleaned text; every span indexes into it.")
    ingested_at: dt.datetime

    @classmethod
    def from_row(cls, row: Row) -> Self:
        return cls(
            database_id=row["id"],
            url=row["url"],
            outlet=row["outlet"],
            title=row["title"],
            published=row["published"],
            published_precision=_opt(enums.DatePrecision, row["published_precision"]),
            language=row["language"],
            text=row["text"],
            ingested_at=_utc(row["ingested_at"]),
        )

    @strawberry.field(description="Incidents this document reports.")
    async def incidents(self, info: Ctx) -> list[Incident]:
        rows = await info.context.loaders.incidents_of_document.load(self.database_id) or []
        return [Incident.from_row(r) for r in rows]

    @strawberry.field
    async def statements(self, info: Ctx) -> list[Statement]:
        rows = await info.context.loaders.statements_of_document.load(self.database_id) or []
        return [Statement.from_row(r) for r in rows]

    @strawberry.field
    async def mentions(self, info: Ctx) -> list[Mention]:
        rows = await info.context.loaders.mentions_of_document.load(self.database_id) or []
        return [Mention.from_row(r) for r in rows]


@strawberry.type(description="A queued piece of work (an ingest); poll it by id.")
class Job(Node):
    kind: str
    state: enums.JobState
    attempts: int
    max_attempts: int
    last_error: str | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    document_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: Row) -> Self:
        return cls(
            database_id=row["id"],
            kind=row["kind"],
            state=enums.JobState(row["state"]),
            attempts=row["attempts"],
            max_attempts=row["max_attempts"],
            last_error=row["last_error"],
            created_at=_utc(row["created_at"]),
            started_at=None if row["started_at"] is None else _utc(row["started_at"]),
            finished_at=None if row["finished_at"] is None else _utc(row["finished_at"]),
            document_id=row["document_id"],
        )

    @strawberry.field(description="The stored document, once the job is done.")
    async def document(self, info: Ctx) -> Document | None:
        return await _linked(info.context.loaders.document, self.document_id, Document.from_row)


NODE_TYPES: dict[str, Any] = {
    cls.__name__: cls
    for cls in (Incident, Actor, Official, Statement, Document, Report, Place, Job)
}
