"""Batch loaders keyed by id lists: the SQL behind GraphQL's per-request DataLoaders.

Each function answers a whole batch of keys with one Core statement and returns plain
dicts of table columns (link rows add their link columns), grouped by key. Keys with no
rows are absent from the result; callers default them.
"""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from api.query import tables as t
from api.query.where import incident_live

Row = dict[str, Any]


async def _rows(conn: AsyncConnection, stmt: sa.Select[Any]) -> list[Row]:
    return [dict(r._mapping) for r in (await conn.execute(stmt)).all()]


async def _by_id(conn: AsyncConnection, table: sa.Table, ids: Sequence[int]) -> dict[int, Row]:
    if not ids:
        return {}
    rows = await _rows(conn, sa.select(table).where(table.c.id.in_(set(ids))))
    return {r["id"]: r for r in rows}


def _group(rows: list[Row], key: str) -> dict[int, list[Row]]:
    out: dict[int, list[Row]] = defaultdict(list)
    for r in rows:
        out[r.pop(key)].append(r)
    return dict(out)


async def places_by_ids(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, Row]:
    return await _by_id(conn, t.place, ids)


async def actors_by_ids(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, Row]:
    return await _by_id(conn, t.actor, ids)


async def persons_by_ids(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, Row]:
    return await _by_id(conn, t.person, ids)


async def roles_by_ids(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, Row]:
    return await _by_id(conn, t.role, ids)


async def documents_by_ids(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, Row]:
    return await _by_id(conn, t.document, ids)


async def incidents_by_ids(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, Row]:
    return await _by_id(conn, t.incident, ids)


async def statements_by_ids(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, Row]:
    return await _by_id(conn, t.statement, ids)


async def jobs_by_ids(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, Row]:
    return await _by_id(conn, t.job, ids)


async def actors_by_incident_ids(
    conn: AsyncConnection, incident_ids: Sequence[int]
) -> dict[int, list[Row]]:
    """Per incident: each actor's columns plus `role` and `basis`, perpetrators first."""
    if not incident_ids:
        return {}
    ia = t.incident_actor.c
    stmt = (
        sa.select(t.actor, ia.incident_id, ia.role, ia.basis)
        .join_from(t.incident_actor, t.actor, t.actor.c.id == ia.actor_id)
        .where(ia.incident_id.in_(set(incident_ids)))
        .order_by(ia.incident_id, ia.role, t.actor.c.id)
    )
    return _group(await _rows(conn, stmt), "incident_id")


async def reports_by_incident_ids(
    conn: AsyncConnection, incident_ids: Sequence[int]
) -> dict[int, list[Row]]:
    if not incident_ids:
        return {}
    r = t.report.c
    stmt = (
        sa.select(t.report, r.incident_id.label("_key"))
        .where(r.incident_id.in_(set(incident_ids)))
        .order_by(r.incident_id, r.id)
    )
    return _group(await _rows(conn, stmt), "_key")


async def reports_by_document_ids(
    conn: AsyncConnection, document_ids: Sequence[int]
) -> dict[int, list[Row]]:
    if not document_ids:
        return {}
    r = t.report.c
    stmt = (
        sa.select(t.report, r.document_id.label("_key"))
        .where(r.document_id.in_(set(document_ids)))
        .order_by(r.document_id, r.span_start, r.id)
    )
    return _group(await _rows(conn, stmt), "_key")


async def incidents_by_document_ids(
    conn: AsyncConnection, document_ids: Sequence[int]
) -> dict[int, list[Row]]:
    """Live incidents reported by each document (once each), newest first.

    (document, incident) pairs are made distinct first: DISTINCT over the incident row
    itself fails on PostgreSQL, which cannot compare its JSON column.)
    """
    if not document_ids:
        return {}
    r, i = t.report.c, t.incident.c
    pairs = (
        sa.select(r.document_id, r.incident_id)
        .where(r.document_id.in_(set(document_ids)))
        .distinct()
        .subquery()
    )
    stmt = (
        sa.select(t.incident, pairs.c.document_id.label("_key"))
        .join_from(pairs, t.incident, i.id == pairs.c.incident_id)
        .where(incident_live())
        .order_by(pairs.c.document_id, i.date.desc().nulls_first(), i.id.desc())
    )
    return _group(await _rows(conn, stmt), "_key")


async def statements_by_incident_ids(
    conn: AsyncConnection, incident_ids: Sequence[int]
) -> dict[int, list[Row]]:
    if not incident_ids:
        return {}
    si, s = t.statement_incident.c, t.statement.c
    stmt = (
        sa.select(t.statement, si.incident_id.label("_key"))
        .join_from(t.statement_incident, t.statement, s.id == si.statement_id)
        .where(si.incident_id.in_(set(incident_ids)))
        .order_by(si.incident_id, s.date, s.id)
    )
    return _group(await _rows(conn, stmt), "_key")


async def incident_ids_by_statement_ids(
    conn: AsyncConnection, statement_ids: Sequence[int]
) -> dict[int, list[int]]:
    if not statement_ids:
        return {}
    si = t.statement_incident.c
    stmt = (
        sa.select(si.statement_id, si.incident_id)
        .where(si.statement_id.in_(set(statement_ids)))
        .order_by(si.statement_id, si.incident_id)
    )
    out: dict[int, list[int]] = defaultdict(list)
    for sid, iid in (await conn.execute(stmt)).all():
        out[sid].append(iid)
    return dict(out)


async def _statements_by(
    conn: AsyncConnection, column: sa.Column[int], ids: Sequence[int]
) -> dict[int, list[Row]]:
    if not ids:
        return {}
    s = t.statement.c
    stmt = (
        sa.select(t.statement, column.label("_key"))
        .where(column.in_(set(ids)))
        .order_by(column, s.date, s.id)
    )
    return _group(await _rows(conn, stmt), "_key")


async def statements_by_document_ids(
    conn: AsyncConnection, document_ids: Sequence[int]
) -> dict[int, list[Row]]:
    return await _statements_by(conn, t.statement.c.document_id, document_ids)


async def statements_by_person_ids(
    conn: AsyncConnection, person_ids: Sequence[int]
) -> dict[int, list[Row]]:
    return await _statements_by(conn, t.statement.c.speaker_person_id, person_ids)


async def statements_by_actor_ids(
    conn: AsyncConnection, actor_ids: Sequence[int]
) -> dict[int, list[Row]]:
    return await _statements_by(conn, t.statement.c.speaker_actor_id, actor_ids)


async def roles_by_person_ids(
    conn: AsyncConnection, person_ids: Sequence[int]
) -> dict[int, list[Row]]:
    """Roles over time: oldest first (undated first)."""
    if not person_ids:
        return {}
    r = t.role.c
    stmt = (
        sa.select(t.role, r.person_id.label("_key"))
        .where(r.person_id.in_(set(person_ids)))
        .order_by(r.person_id, r.start_date.asc().nulls_first(), r.id)
    )
    return _group(await _rows(conn, stmt), "_key")


async def roles_by_organisation_ids(
    conn: AsyncConnection, actor_ids: Sequence[int]
) -> dict[int, list[Row]]:
    if not actor_ids:
        return {}
    r = t.role.c
    stmt = (
        sa.select(t.role, r.organisation_id.label("_key"))
        .where(r.organisation_id.in_(set(actor_ids)))
        .order_by(r.organisation_id, r.start_date.asc().nulls_first(), r.id)
    )
    return _group(await _rows(conn, stmt), "_key")


async def mentions_by_document_ids(
    conn: AsyncConnection, document_ids: Sequence[int]
) -> dict[int, list[Row]]:
    if not document_ids:
        return {}
    m = t.mention.c
    stmt = (
        sa.select(t.mention, m.document_id.label("_key"))
        .where(m.document_id.in_(set(document_ids)))
        .order_by(m.document_id, m.span_start, m.id)
    )
    return _group(await _rows(conn, stmt), "_key")


async def actor_aliases_by_actor_ids(
    conn: AsyncConnection, actor_ids: Sequence[int]
) -> dict[int, list[str]]:
    if not actor_ids:
        return {}
    al = t.actor_alias.c
    stmt = (
        sa.select(al.actor_id, al.alias)
        .where(al.actor_id.in_(set(actor_ids)))
        .order_by(al.actor_id, al.alias)
    )
    out: dict[int, list[str]] = defaultdict(list)
    for key, alias in (await conn.execute(stmt)).all():
        out[key].append(alias)
    return dict(out)


async def person_aliases_by_person_ids(
    conn: AsyncConnection, person_ids: Sequence[int]
) -> dict[int, list[str]]:
    if not person_ids:
        return {}
    pa = t.person_alias.c
    stmt = (
        sa.select(pa.person_id, pa.alias)
        .where(pa.person_id.in_(set(person_ids)))
        .order_by(pa.person_id, pa.alias)
    )
    out: dict[int, list[str]] = defaultdict(list)
    for key, alias in (await conn.execute(stmt)).all():
        out[key].append(alias)
    return dict(out)
