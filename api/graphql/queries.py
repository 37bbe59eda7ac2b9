# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) with keyword arguments is typed as returning Any.)
"""The Query root: listings as Relay connections, `node(id:)` and incident statistics."""

from collections.abc import Callable
from typing import Any, TypeVar

import sqlalchemy as sa
import strawberry
from sqlalchemy.sql.elements import ColumnElement

from api.graphql import inputs
from api.graphql.context import Context
from api.graphql.errors import InvalidInput
from api.graphql.ids import decode_id
from api.graphql.listings import LISTINGS, DatedOrder, count_rows, fetch_page
from api.graphql.nodes import (
    Actor,
    Ctx,
    Document,
    Incident,
    Job,
    Node,
    Official,
    Place,
    Report,
    Statement,
)
from api.graphql.pagination import DEFAULT_PAGE, Connection, Edge, PageInfo, check_first
from api.graphql.stats import StatsBucket, StatsGroup, incident_stats
from api.query import tables as t

T = TypeVar("T")

NODE_TABLES: dict[str, tuple[type[Any], sa.Table]] = {
    "Incident": (Incident, t.incident),
    "Actor": (Actor, t.actor),
    "Official": (Official, t.person),
    "Statement": (Statement, t.statement),
    "Document": (Document, t.document),
    "Report": (Report, t.report),
    "Place": (Place, t.place),
    "Job": (Job, t.job),
}


async def connection(
    ctx: Context,
    name: str,
    filt: object,
    order: DatedOrder | None,
    first: int,
    after: str | None,
    make: Callable[[dict[str, Any]], T],
) -> Connection[T]:
    """One page of listing `name`: the resolver path (the compiler mirrors it)."""
    ctx.require_read()
    check_first(first, ctx.settings.max_page_size)
    listing = LISTINGS[name]
    o = listing.order(order)
    where = listing.where(filt, ctx.engine.dialect.name)
    after_clause: ColumnElement[bool] | None = None if after is None else o.after(after)
    rows = await ctx.run(lambda c: fetch_page(c, listing, where, o, first, after_clause))
    edges = [Edge(cursor=o.cursor_of(r), node=make(r)) for r in rows[:first]]
    info = PageInfo(
        has_next_page=len(rows) > first,
        has_previous_page=after is not None,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )

    async def count() -> int:
        return await ctx.run(lambda c: count_rows(c, listing, where))

    return Connection(edges=edges, page_info=info, count=count)


@strawberry.type
class Query:
    @strawberry.field(description="Incidents, newest first by default.")
    async def incidents(
        self,
        info: Ctx,
        filter: inputs.IncidentFilter | None = None,
        order_by: DatedOrder = DatedOrder.DATE_DESC,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> Connection[Incident]:
        f = (filter or inputs.IncidentFilter()).to_filter()
        return await connection(
            info.context, "incidents", f, order_by, first, after, Incident.from_row
        )

    @strawberry.field(description="Statements, newest first by default.")
    async def statements(
        self,
        info: Ctx,
        filter: inputs.StatementFilter | None = None,
        order_by: DatedOrder = DatedOrder.DATE_DESC,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> Connection[Statement]:
        f = (filter or inputs.StatementFilter()).to_filter()
        return await connection(
            info.context, "statements", f, order_by, first, after, Statement.from_row
        )

    @strawberry.field(description="Actors in id order.")
    async def actors(
        self,
        info: Ctx,
        filter: inputs.ActorFilter | None = None,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> Connection[Actor]:
        f = (filter or inputs.ActorFilter()).to_filter()
        return await connection(info.context, "actors", f, None, first, after, Actor.from_row)

    @strawberry.field(description="Officials (people) in id order.")
    async def officials(
        self,
        info: Ctx,
        filter: inputs.OfficialFilter | None = None,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> Connection[Official]:
        f = (filter or inputs.OfficialFilter()).to_filter()
        return await connection(info.context, "officials", f, None, first, after, Official.from_row)

    @strawberry.field(description="Source documents in id order.")
    async def documents(
        self,
        info: Ctx,
        filter: inputs.DocumentFilter | None = None,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> Connection[Document]:
        f = (filter or inputs.DocumentFilter()).to_filter()
        return await connection(info.context, "documents", f, None, first, after, Document.from_row)

    @strawberry.field(description="Gazetteer places in id order.")
    async def places(
        self,
        info: Ctx,
        filter: inputs.PlaceFilter | None = None,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> Connection[Place]:
        f = (filter or inputs.PlaceFilter()).to_filter()
        return await connection(info.context, "places", f, None, first, after, Place.from_row)

    @strawberry.field(description="Any object by its global id; null when there is none.")
    async def node(self, info: Ctx, id: strawberry.ID) -> Node | None:
        ctx = info.context
        ctx.require_read()
        type_name, pk = decode_id(id)
        if type_name not in NODE_TABLES:
            raise InvalidInput(f"no type {type_name[:40]!r} has ids", field="id")
        cls, table = NODE_TABLES[type_name]
        loader = getattr(ctx.loaders, table.name)
        row = await loader.load(pk)
        return None if row is None else cls.from_row(row)

    @strawberry.field(
        description="Incident counts and casualty sums per bucket (period, governorate, "
        "type, perpetrator), over the incidents matching `filter`."
    )
    async def incident_stats(
        self,
        info: Ctx,
        group_by: list[StatsGroup],
        filter: inputs.IncidentFilter | None = None,
    ) -> list[StatsBucket]:
        ctx = info.context
        ctx.require_read()
        f = (filter or inputs.IncidentFilter()).to_filter()
        return await incident_stats(ctx, group_by, f)
