"""Incident statistics: counts and killed/wounded (best, low, high) sums per bucket.

Buckets are any combination of day, week (the Monday starting it), month, year, admin1,
type and perpetrator. Grouping by perpetrator counts an incident once for each of its
perpetrators (and once under `null` when it has none).
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import ColumnElement

from api.query import tables as t
from api.query.errors import QueryError
from api.query.filters import IncidentFilter
from api.query.where import incident_where

GROUPS = ("day", "week", "month", "year", "admin1", "type", "perpetrator")
FIGURES = tuple(f"{f}_{b}" for f in ("killed", "wounded") for b in ("best", "low", "high"))


def _date_key(dialect: str, group: str) -> ColumnElement[Any]:
    # Literals, not binds: GROUP BY repeats the expression, and PostgreSQL only matches
    # it to the SELECT list when both are textually identical.
    d = t.incident.c.date
    lit = sa.literal_column
    if dialect == "postgresql":
        if group == "week":
            return sa.func.to_char(sa.func.date_trunc(lit("'week'"), d), lit("'YYYY-MM-DD'"))
        fmt = {"day": "YYYY-MM-DD", "month": "YYYY-MM", "year": "YYYY"}[group]
        return sa.func.to_char(d, lit(f"'{fmt}'"))
    if group == "week":
        # The Monday on or before the date.
        return sa.func.date(d, lit("'-6 days'"), lit("'weekday 1'"))
    fmt = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}[group]
    return sa.func.strftime(lit(f"'{fmt}'"), d)


async def incident_stats(
    conn: AsyncConnection,
    filter_: IncidentFilter | None,
    group_by: Sequence[str],
    param: str = "group_by",
) -> list[dict[str, Any]]:
    """One row per bucket: the group keys, `incidents`, and the FIGURES sums (0 when no
    incident in the bucket states the figure). Ordered by the keys."""
    dialect = conn.dialect.name
    groups = list(dict.fromkeys(group_by))  # keep order, drop repeats
    if not groups:
        raise QueryError(param, "name at least one of " + ", ".join(GROUPS))
    for g in groups:
        if g not in GROUPS:
            raise QueryError(param, f"unknown grouping {g!r}; use {', '.join(GROUPS)}")
    i = t.incident.c
    keys: list[ColumnElement[Any]] = []
    source: sa.FromClause = t.incident
    for g in groups:
        if g in ("day", "week", "month", "year"):
            keys.append(_date_key(dialect, g).label(g))
        elif g in ("admin1", "type"):
            keys.append(i[g].label(g))
        else:
            ia = t.incident_actor.alias("perp")
            a = t.actor.alias("perp_actor")
            source = source.outerjoin(
                ia, sa.and_(ia.c.incident_id == i.id, ia.c.role == "perpetrator")
            ).outerjoin(a, a.c.id == ia.c.actor_id)
            keys += [a.c.id.label("perpetrator_id"), a.c.name.label("perpetrator")]
    sums = [sa.func.coalesce(sa.func.sum(i[f]), 0).label(f) for f in FIGURES]
    stmt = (
        sa.select(*keys, sa.func.count(i.id).label("incidents"), *sums)
        .select_from(source)
        .where(incident_where(filter_ or IncidentFilter(), dialect))
        .group_by(*keys)
        .order_by(*[k.asc().nulls_last() for k in keys])
    )
    return [dict(r._mapping) for r in (await conn.execute(stmt)).all()]
