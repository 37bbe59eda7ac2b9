"""The listable resources: table, order (keyset), filter compiler and JSON projections.

One `Resource` per REST collection / GraphQL root connection, so paging, filtering and
tombstone hiding are written once for all of them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from api.query import projections as proj
from api.query import tables as t
from api.query import where as w
from api.query.cursor import DateIdKeyset, IdKeyset
from api.query.filters import (
    ActorFilter,
    DocumentFilter,
    IncidentFilter,
    OfficialFilter,
    PlaceFilter,
    StatementFilter,
)

Keyset = IdKeyset | DateIdKeyset


@dataclass(frozen=True)
class Resource:
    name: str
    table: sa.Table
    keyset: Keyset
    where: Callable[[Any, str], ColumnElement[bool]]
    live: Callable[[], ColumnElement[bool]]
    item: Callable[[str], ColumnElement[Any]]
    detail: Callable[[str], ColumnElement[Any]]
    filter_type: type


def _always() -> ColumnElement[bool]:
    return sa.true()


INCIDENTS = Resource(
    "incidents",
    t.incident,
    DateIdKeyset("incidents", t.incident.c.date, t.incident.c.id),
    w.incident_where,
    w.incident_live,
    proj.incident_item,
    proj.incident_detail,
    IncidentFilter,
)
STATEMENTS = Resource(
    "statements",
    t.statement,
    IdKeyset("statements", t.statement.c.id),
    w.statement_where,
    _always,
    proj.statement_item,
    proj.statement_item,
    StatementFilter,
)
ACTORS = Resource(
    "actors",
    t.actor,
    IdKeyset("actors", t.actor.c.id),
    w.actor_where,
    w.actor_live,
    proj.actor_item,
    proj.actor_detail,
    ActorFilter,
)
OFFICIALS = Resource(
    "officials",
    t.person,
    IdKeyset("officials", t.person.c.id),
    w.official_where,
    w.person_live,
    proj.official_item,
    proj.official_detail,
    OfficialFilter,
)
DOCUMENTS = Resource(
    "documents",
    t.document,
    IdKeyset("documents", t.document.c.id),
    w.document_where,
    w.document_live,
    proj.document_item,
    proj.document_detail,
    DocumentFilter,
)
PLACES = Resource(
    "places",
    t.place,
    IdKeyset("places", t.place.c.id),
    w.place_where,
    _always,
    proj.place_item,
    proj.place_item,
    PlaceFilter,
)
