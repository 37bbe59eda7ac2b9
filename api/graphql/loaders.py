"""Per-request DataLoaders over the query layer's batch loaders (api.query.loaders).

Each nested field of a page is fetched in one batch, so the number of SQL statements of
a request does not grow with its page size.
"""

from collections.abc import Awaitable, Callable, Mapping, Sequence
from functools import cached_property
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


class Loaders:
    """One DataLoader per table or relation, made fresh for every request (and between
    subscription events) so cached rows never outlive a response. Each is created on
    first use: a request needs a few of them, and making all 22 cost ~0.1 ms."""

    def __init__(self, run: Runner) -> None:
        self.run = run

    @cached_property
    def incident(self) -> DataLoader[int, Row | None]:
        return _one(self.run, ql.incidents_by_ids)

    @cached_property
    def actor(self) -> DataLoader[int, Row | None]:
        return _one(self.run, ql.actors_by_ids)

    @cached_property
    def person(self) -> DataLoader[int, Row | None]:
        return _one(self.run, ql.persons_by_ids)

    @cached_property
    def role(self) -> DataLoader[int, Row | None]:
        return _one(self.run, ql.roles_by_ids)

    @cached_property
    def place(self) -> DataLoader[int, Row | None]:
        return _one(self.run, ql.places_by_ids)

    @cached_property
    def document(self) -> DataLoader[int, Row | None]:
        return _one(self.run, ql.documents_by_ids)

    @cached_property
    def statement(self) -> DataLoader[int, Row | None]:
        return _one(self.run, ql.statements_by_ids)

    @cached_property
    def report(self) -> DataLoader[int, Row | None]:
        return _one(self.run, batch.reports_by_ids)

    @cached_property
    def job(self) -> DataLoader[int, Row | None]:
        return _one(self.run, ql.jobs_by_ids)

    @cached_property
    def actors_of_incident(self) -> DataLoader[int, list[Row]]:
        return _many(self.run, ql.actors_by_incident_ids)

    @cached_property
    def reports_of_incident(self) -> DataLoader[int, list[Row]]:
        return _many(self.run, ql.reports_by_incident_ids)

    @cached_property
    def statements_of_incident(self) -> DataLoader[int, list[Row]]:
        return _many(self.run, ql.statements_by_incident_ids)

    @cached_property
    def incident_ids_of_statement(self) -> DataLoader[int, list[int]]:
        return _many(self.run, ql.incident_ids_by_statement_ids)

    @cached_property
    def incidents_of_document(self) -> DataLoader[int, list[Row]]:
        return _many(self.run, ql.incidents_by_document_ids)

    @cached_property
    def statements_of_document(self) -> DataLoader[int, list[Row]]:
        return _many(self.run, ql.statements_by_document_ids)

    @cached_property
    def mentions_of_document(self) -> DataLoader[int, list[Row]]:
        return _many(self.run, ql.mentions_by_document_ids)

    @cached_property
    def roles_of_person(self) -> DataLoader[int, list[Row]]:
        return _many(self.run, ql.roles_by_person_ids)

    @cached_property
    def roles_of_organisation(self) -> DataLoader[int, list[Row]]:
        return _many(self.run, ql.roles_by_organisation_ids)

    @cached_property
    def actor_aliases(self) -> DataLoader[int, list[str]]:
        return _many(self.run, ql.actor_aliases_by_actor_ids)

    @cached_property
    def person_aliases(self) -> DataLoader[int, list[str]]:
        return _many(self.run, ql.person_aliases_by_person_ids)

    @cached_property
    def incidents_of_actor(self) -> DataLoader[tuple[int, int], list[Row]]:
        return _many(self.run, batch.incidents_of_actors)

    @cached_property
    def statements_of_speaker(self) -> DataLoader[tuple[int, int], list[Row]]:
        return _many(self.run, batch.statements_of_speakers)
