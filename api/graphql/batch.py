"""Batched reads the query layer's loaders (api.query.loaders) do not offer: reports by
id, and the bounded "newest N per parent" lists behind `Actor.incidents(first:)` and
`Official.statements(first:)`. One statement per call, whatever the batch size."""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from api.query import tables as t
from api.query.where import incident_live

Row = dict[str, Any]


async def reports_by_ids(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, Row]:
    if not ids:
        return {}
    rows = (await conn.execute(sa.select(t.report).where(t.report.c.id.in_(set(ids))))).all()
    return {r.id: dict(r._mapping) for r in rows}


async def _newest_per_key(
    conn: AsyncConnection, keys: Sequence[tuple[int, int]], select: Any
) -> dict[tuple[int, int], list[Row]]:
    """`select(ids, limit)` gives rows with `_key` and `_rn` (rank within the key);
    one statement per distinct limit (in practice one per field of the query)."""
    out: dict[tuple[int, int], list[Row]] = {}
    for limit in sorted({k[1] for k in keys}):
        ids = sorted({k for k, lim in keys if lim == limit})
        grouped: dict[int, list[Row]] = defaultdict(list)
        for row in (await conn.execute(select(ids, limit))).all():
            data = dict(row._mapping)
            data.pop("_rn")
            grouped[data.pop("_key")].append(data)
        for k in ids:
            out[(k, limit)] = grouped.get(k, [])
    return out


async def incidents_of_actors(
    conn: AsyncConnection, keys: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], list[Row]]:
    """keys: (actor id, limit) -> the actor's newest live incidents (highest id first)."""
    i, ia = t.incident, t.incident_actor.c

    def select(ids: list[int], limit: int) -> sa.Select[Any]:
        linked = (
            sa.select(ia.actor_id, ia.incident_id).where(ia.actor_id.in_(ids)).distinct().subquery()
        )
        rn = sa.func.row_number().over(partition_by=linked.c.actor_id, order_by=i.c.id.desc())
        inner = (
            sa.select(i, linked.c.actor_id.label("_key"), rn.label("_rn"))
            .join(linked, linked.c.incident_id == i.c.id)
            .where(incident_live())
            .subquery()
        )
        return sa.select(inner).where(inner.c._rn <= limit).order_by(inner.c._key, inner.c._rn)

    return await _newest_per_key(conn, keys, select)


async def statements_of_speakers(
    conn: AsyncConnection, keys: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], list[Row]]:
    """keys: (person id, limit) -> the person's newest statements (highest id first)."""
    s = t.statement

    def select(ids: list[int], limit: int) -> sa.Select[Any]:
        rn = sa.func.row_number().over(partition_by=s.c.speaker_person_id, order_by=s.c.id.desc())
        inner = (
            sa.select(s, s.c.speaker_person_id.label("_key"), rn.label("_rn"))
            .where(s.c.speaker_person_id.in_(ids))
            .subquery()
        )
        return sa.select(inner).where(inner.c._rn <= limit).order_by(inner.c._key, inner.c._rn)

    return await _newest_per_key(conn, keys, select)
