# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) with keyword arguments is typed as returning Any.)
"""`incidentStats`: incident counts and casualty sums per bucket, computed by the query
layer (api.query.stats) over the incidents matching a shared `IncidentFilter`."""

import datetime as dt
from enum import Enum
from typing import Any

import strawberry

from api.graphql.context import Context
from api.graphql.errors import InvalidInput
from api.graphql.nodes import Actor, Ctx, Figures
from api.query import stats as qs
from api.query.errors import QueryError
from api.query.filters import IncidentFilter
from schema import enums


@strawberry.enum(description="A dimension to group incident statistics by.")
class StatsGroup(Enum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"
    ADMIN1 = "admin1"
    TYPE = "type"
    PERPETRATOR = "perpetrator"


@strawberry.type(description="One group: its keys (null when not grouped by them) and sums.")
class StatsBucket:
    day: dt.date | None
    week: dt.date | None = strawberry.field(description="The Monday starting the week.")
    month: str | None = strawberry.field(description="YYYY-MM.")
    year: int | None
    admin1: str | None
    type: enums.IncidentType | None
    incidents: int
    killed: Figures = strawberry.field(description="Sums of the incidents' low/best/high.")
    wounded: Figures
    perpetrator_id: strawberry.Private[int | None]

    @strawberry.field(description="The perpetrator (null: grouped by it, but none is known).")
    async def perpetrator(self, info: Ctx) -> Actor | None:
        if self.perpetrator_id is None:
            return None
        row = await info.context.loaders.actor.load(self.perpetrator_id)
        return Actor.from_row(row) if row else None


def _date(value: object) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(str(value))


def _bucket(row: dict[str, Any]) -> StatsBucket:
    def figures(name: str) -> Figures:
        return Figures(low=row[f"{name}_low"], best=row[f"{name}_best"], high=row[f"{name}_high"])

    year = row.get("year")
    kind = row.get("type")
    return StatsBucket(
        day=_date(row.get("day")),
        week=_date(row.get("week")),
        month=row.get("month"),
        year=None if year is None else int(year),
        admin1=row.get("admin1"),
        type=None if kind is None else enums.IncidentType(kind),
        incidents=int(row["incidents"]),
        killed=figures("killed"),
        wounded=figures("wounded"),
        perpetrator_id=row.get("perpetrator_id"),
    )


async def incident_stats(
    ctx: Context, groups: list[StatsGroup], filter_: IncidentFilter
) -> list[StatsBucket]:
    if not groups:
        raise InvalidInput("groupBy needs at least one dimension", field="groupBy")
    names = [g.value for g in groups]
    try:
        rows = await ctx.run(lambda c: qs.incident_stats(c, filter_, names, param="groupBy"))
    except QueryError as e:
        raise InvalidInput(e.message, field=e.param) from None
    return [_bucket(r) for r in rows]
