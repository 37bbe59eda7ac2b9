# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) with keyword arguments is typed as returning Any.)
"""The Subscription root over graphql-transport-ws: new incidents and statements that
match a filter, fed by the change feed through the process's shared `ChangeHub` (one
schema.events.listen for all subscribers: PostgreSQL NOTIFY, polling on SQLite)."""

from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import Any

import sqlalchemy as sa
import strawberry
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import ColumnElement

from api.graphql import inputs
from api.graphql.context import Context
from api.graphql.nodes import Ctx, Incident, Statement
from api.query import tables as t
from api.query import where as qw
from schema.enums import ChangeOp, EntityType


def _fetch_one(
    table: sa.Table, pk: int, where: ColumnElement[bool]
) -> Callable[[AsyncConnection], Awaitable[dict[str, Any] | None]]:
    async def fetch(conn: AsyncConnection) -> dict[str, Any] | None:
        q = sa.select(table).where(table.c.id == pk, where)
        row = (await conn.execute(q)).mappings().first()
        return None if row is None else dict(row)

    return fetch


async def _created(
    ctx: Context,
    entity: EntityType,
    table: sa.Table,
    where: ColumnElement[bool],
    make: Callable[[Any], Any],
) -> AsyncGenerator[Any, None]:
    """Rows of `table` created from now on that satisfy `where`, as they commit."""
    assert ctx.hub is not None, "subscriptions need the app's ChangeHub"
    changes = ctx.hub.subscribe()
    try:
        async for change in changes:
            if change.entity_type != entity or change.op != ChangeOp.CREATED:
                continue
            # A fresh connection and empty caches for every event.
            await ctx.release()
            found = await ctx.run(_fetch_one(table, change.entity_id, where))
            if found is not None:
                yield make(found)
    finally:
        await changes.aclose()  # type: ignore[attr-defined]
        await ctx.release()


@strawberry.type
class Subscription:
    @strawberry.subscription(description="Incidents matching `filter`, as they are created.")
    async def incident_created(
        self, info: Ctx, filter: inputs.IncidentFilter | None = None
    ) -> AsyncGenerator[Incident, None]:
        ctx = info.context
        ctx.require_read()
        where = qw.incident_where(
            (filter or inputs.IncidentFilter()).to_filter(), ctx.engine.dialect.name
        )
        async for item in _created(ctx, EntityType.INCIDENT, t.incident, where, Incident.from_row):
            yield item

    @strawberry.subscription(description="Statements matching `filter`, as they are created.")
    async def statement_created(
        self, info: Ctx, filter: inputs.StatementFilter | None = None
    ) -> AsyncGenerator[Statement, None]:
        ctx = info.context
        ctx.require_read()
        where = qw.statement_where(
            (filter or inputs.StatementFilter()).to_filter(), ctx.engine.dialect.name
        )
        async for item in _created(
            ctx, EntityType.STATEMENT, t.statement, where, Statement.from_row
        ):
            yield item
