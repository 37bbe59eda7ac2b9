"""The root listings: which table, which filter (from the query layer) and which orders.

Shared by the resolvers and the compiler, so both paths page through the same rows.
"""

from dataclasses import dataclass
from enum import Enum
from typing import Any

import sqlalchemy as sa
import strawberry
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import ColumnElement

from api.graphql.pagination import Order
from api.query import cursor as qc
from api.query import resources as R
from api.query.resources import Resource


@strawberry.enum(description="The order of a dated listing.")
class DatedOrder(Enum):
    DATE_DESC = "date_desc"
    ID_ASC = "id_asc"


@dataclass(frozen=True)
class Listing:
    """A query-layer resource (table, filter compiler) plus the orders GraphQL offers."""

    resource: Resource
    orders: dict[DatedOrder, Order]
    default: DatedOrder

    @property
    def table(self) -> sa.Table:
        return self.resource.table

    def where(self, filter_: Any, dialect: str) -> ColumnElement[bool]:
        return self.resource.where(filter_, dialect)

    def order(self, order: DatedOrder | None) -> Order:
        return self.orders[order or self.default]


def _dated(res: Resource) -> Listing:
    """Newest first by default, or in id (creation) order; the resource's own keyset is
    reused for whichever of the two it implements."""
    ks = res.keyset
    by_date = ks if isinstance(ks, qc.DateIdKeyset) else None
    by_id = ks if isinstance(ks, qc.IdKeyset) else None
    c = res.table.c
    return Listing(
        res,
        {
            DatedOrder.DATE_DESC: Order(
                by_date or qc.DateIdKeyset(f"{res.name}.date", c.date, c.id)
            ),
            DatedOrder.ID_ASC: Order(by_id or qc.IdKeyset(f"{res.name}.id", c.id)),
        },
        DatedOrder.DATE_DESC,
    )


def _by_id(res: Resource) -> Listing:
    return Listing(res, {DatedOrder.ID_ASC: Order(res.keyset)}, DatedOrder.ID_ASC)


LISTINGS: dict[str, Listing] = {
    "incidents": _dated(R.INCIDENTS),
    "statements": _dated(R.STATEMENTS),
    "actors": _by_id(R.ACTORS),
    "officials": _by_id(R.OFFICIALS),
    "documents": _by_id(R.DOCUMENTS),
    "places": _by_id(R.PLACES),
}


async def fetch_page(
    conn: AsyncConnection,
    listing: Listing,
    where: ColumnElement[bool],
    order: Order,
    first: int,
    after: ColumnElement[bool] | None,
) -> list[dict[str, Any]]:
    """Up to first + 1 rows (the extra one tells whether there is a next page)."""
    q = sa.select(listing.table).where(where)
    if after is not None:
        q = q.where(after)
    q = q.order_by(*order.order_by()).limit(first + 1)
    return [dict(r) for r in (await conn.execute(q)).mappings()]


async def count_rows(conn: AsyncConnection, listing: Listing, where: ColumnElement[bool]) -> int:
    q = sa.select(sa.func.count()).select_from(listing.table).where(where)
    return int((await conn.execute(q)).scalar_one())
