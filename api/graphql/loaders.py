"""Per-request DataLoaders over the query layer's batch loaders (api.query.loaders).

Each nested field of a page is fetched in one batch, so the number of SQL statements of
a request does not grow with its page size.
"""

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection
from strawberry.dataloader import DataLoader

from api.graphql import batch
from api.query import loaders as ql

K = TypeVar("K")
V = TypeVar("V")

Row = dict[str, Any]
Runner = Callable[[Callable[[AsyncConnection], Awaitable[Any]]], Awaitable[Any]]
Fetch = Callable[[AsyncConnection, Sequence[K]], Awaitable[Mapping[K, V]]]


def _loader(
    run: Runner, fetch: Fetch[K, V], default: Callable[[], V | None]
) -> DataLoader[K, V | None]:
    async def load(keys: list[K]) -> list[V | None]:
        found: Mapping[K, V] = await run(lambda conn: fetch(conn, keys))
        return [found[k] if k in found else default() for k in keys]

    return DataLoader(load_fn=load)


def _one(run: Runner, fetch: Fetch[int, Row]) -> DataLoader[int, Row | None]:
    return _loader(run, fetch, lambda: None)


def _many(run: Runner, fetch: Fetch[K, list[V]]) -> DataLoader[K, list[V]]:
    return _loader(run, fetch, list)  # type: ignore[return-value]


@dataclass
class Loaders:
    """One DataLoader per table or relation, made fresh for every request (and between
    subscription events) so cached rows never outlive a response."""

    run: Runner
    incident: DataLoader[int, Row | None] = field(init=False)
    actor: DataLoader[int, Row | None] = field(init=False)
    person: DataLoader[int, Row | None] = field(init=False)
    role: DataLoader[int, Row | None] = field(init=False)
    place: DataLoader[int, Row | None] = field(init=False)
    document: DataLoader[int, Row | None] = field(init=False)
    statement: DataLoader[int, Row | None] = field(init=False)
    report: DataLoader[int, Row | None] = field(init=False)
    job: DataLoader[int, Row | None] = field(init=False)
    actors_of_incident: DataLoader[int, list[Row]] = field(init=False)
    reports_of_incident: DataLoader[int, list[Row]] = field(init=False)
    statements_of_incident: DataLoader[int, list[Row]] = field(init=False)
    incident_ids_of_statement: DataLoader[int, list[int]] = field(init=False)
    incidents_of_document: DataLoader[int, list[Row]] = field(init=False)
    statements_of_document: DataLoader[int, list[Row]] = field(init=False)
    mentions_of_document: DataLoader[int, list[Row]] = field(init=False)
    roles_of_person: DataLoader[int, list[Row]] = field(init=False)
    roles_of_organisation: DataLoader[int, list[Row]] = field(init=False)
    actor_aliases: DataLoader[int, list[str]] = field(init=False)
    person_aliases: DataLoader[int, list[str]] = field(init=False)
    incidents_of_actor: DataLoader[tuple[int, int], list[Row]] = field(init=False)
    statements_of_speaker: DataLoader[tuple[int, int], list[Row]] = field(init=False)

    def __post_init__(self) -> None:
        r = self.run
        self.incident = _one(r, ql.incidents_by_ids)
        self.actor = _one(r, ql.actors_by_ids)
        self.person = _one(r, ql.persons_by_ids)
        self.role = _one(r, ql.roles_by_ids)
        self.place = _one(r, ql.places_by_ids)
        self.document = _one(r, ql.documents_by_ids)
        self.statement = _one(r, ql.statements_by_ids)
        self.report = _one(r, batch.reports_by_ids)
        self.job = _one(r, ql.jobs_by_ids)
        self.actors_of_incident = _many(r, ql.actors_by_incident_ids)
        self.reports_of_incident = _many(r, ql.reports_by_incident_ids)
        self.statements_of_incident = _many(r, ql.statements_by_incident_ids)
        self.incident_ids_of_statement = _many(r, ql.incident_ids_by_statement_ids)
        self.incidents_of_document = _many(r, ql.incidents_by_document_ids)
        self.statements_of_document = _many(r, ql.statements_by_document_ids)
        self.mentions_of_document = _many(r, ql.mentions_by_document_ids)
        self.roles_of_person = _many(r, ql.roles_by_person_ids)
        self.roles_of_organisation = _many(r, ql.roles_by_organisation_ids)
        self.actor_aliases = _many(r, ql.actor_aliases_by_actor_ids)
        self.person_aliases = _many(r, ql.person_aliases_by_person_ids)
        self.incidents_of_actor = _many(r, batch.incidents_of_actors)
        self.statements_of_speaker = _many(r, batch.statements_of_speakers)
