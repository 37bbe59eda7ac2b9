"""Curation writes: edit an incident, merge actors or officials, split an incident.

Each function runs inside the caller's transaction and writes an `audit_log` row (who,
when, before, after) and change-feed rows (schema.events.record), so mirrors and
subscriptions see curated data like any other change. Edited incident fields are named
in `incident.curated_fields`, which reprocessing leaves alone.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from api.graphql.errors import InvalidInput, NotFound
from api.query import tables as t
from schema import events
from schema.enums import ChangeOp, EntityType, IncidentType, ReviewStatus
from schema.models import AuditLog
from schema.models.base import utcnow

AUDIT_LOG = cast(sa.Table, AuditLog.__table__)  # type: ignore[attr-defined]

FIGURE_FIELDS = (
    "killed_low",
    "killed_best",
    "killed_high",
    "wounded_low",
    "wounded_best",
    "wounded_high",
)
PLACE_FIELDS = ("place_id", "place_name", "admin1", "country", "lat", "lon")


def _jsonable(value: object) -> object:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _snapshot(row: Mapping[str, Any], fields: Sequence[str]) -> dict[str, Any]:
    return {f: _jsonable(row[f]) for f in fields}


async def _audit(
    conn: AsyncConnection,
    who: str,
    action: str,
    entity: EntityType,
    entity_id: int,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    now = utcnow()
    await conn.execute(
        sa.insert(AUDIT_LOG).values(
            who=who,
            at=now,
            action=action,
            entity_type=entity,
            entity_id=entity_id,
            before=before,
            after=after,
            created_at=now,
            updated_at=now,
        )
    )


async def _live_row(
    conn: AsyncConnection, table: sa.Table, pk: int, what: str
) -> Mapping[str, Any]:
    q = sa.select(table).where(table.c.id == pk)
    if "merged_into_id" in table.c:
        q = q.where(table.c.merged_into_id.is_(None), table.c.deleted_at.is_(None))
    row = (
        (await conn.execute(q.with_for_update() if conn.dialect.name == "postgresql" else q))
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound(f"no {what} with id {pk}")
    return dict(row)


@dataclass(frozen=True)
class Figures:
    low: int | None
    best: int | None
    high: int | None

    def check(self, name: str) -> None:
        values = [v for v in (self.low, self.best, self.high) if v is not None]
        if any(v < 0 for v in values):
            raise InvalidInput(f"{name} figures must not be negative", field=name)
        if values != sorted(values):
            raise InvalidInput(f"{name} figures must satisfy low <= best <= high", field=name)


@dataclass(frozen=True)
class IncidentPatch:
    """Fields to set; None leaves a field as it is."""

    type: IncidentType | None = None
    date: dt.date | None = None
    date_precision: str | None = None
    place_id: int | None = None
    killed: Figures | None = None
    wounded: Figures | None = None
    review_status: ReviewStatus | None = None


async def update_incident(conn: AsyncConnection, who: str, pk: int, patch: IncidentPatch) -> None:
    row = await _live_row(conn, t.incident, pk, "incident")
    values: dict[str, Any] = {}
    if patch.type is not None:
        values["type"] = patch.type.value
    if patch.date is not None:
        values["date"] = patch.date
    if patch.date_precision is not None:
        values["date_precision"] = patch.date_precision
    if patch.review_status is not None:
        values["review_status"] = patch.review_status.value
    for name, figs in (("killed", patch.killed), ("wounded", patch.wounded)):
        if figs is not None:
            figs.check(name)
            values.update(
                {f"{name}_low": figs.low, f"{name}_best": figs.best, f"{name}_high": figs.high}
            )
    if patch.place_id is not None:
        place = (
            (await conn.execute(sa.select(t.place).where(t.place.c.id == patch.place_id)))
            .mappings()
            .first()
        )
        if place is None:
            raise InvalidInput(f"no place with id {patch.place_id}", field="place")
        values.update(
            place_id=place["id"],
            place_name=place["name"],
            admin1=place["admin1"],
            country=place["country"],
            lat=place["lat"],
            lon=place["lon"],
        )
    if not values:
        raise InvalidInput("nothing to change: give at least one field", field="input")
    fields = list(values)
    curated = sorted(set(row["curated_fields"] or []) | set(fields))
    await conn.execute(
        sa.update(t.incident)
        .where(t.incident.c.id == pk)
        .values(**values, curated_fields=curated, updated_at=utcnow())
    )
    after = {f: _jsonable(v) for f, v in values.items()}
    await _audit(
        conn, who, "update_incident", EntityType.INCIDENT, pk, _snapshot(row, fields), after
    )
    await events.record(conn, [(EntityType.INCIDENT, pk, ChangeOp.UPDATED, None)])


async def _check_merge(
    conn: AsyncConnection, table: sa.Table, into: int, sources: Sequence[int], what: str
) -> list[int]:
    sources = sorted(set(sources))
    if not sources:
        raise InvalidInput("name at least one record to merge", field="from")
    if into in sources:
        raise InvalidInput(f"cannot merge a {what} into itself", field="from")
    for pk in (into, *sources):
        await _live_row(conn, table, pk, what)
    return sources


async def _move_aliases(
    conn: AsyncConnection,
    alias_table: sa.Table,
    owner: str,
    into: int,
    sources: Sequence[int],
    names: Sequence[tuple[str, str]],
) -> None:
    """Give `into` the sources' aliases and names (as aliases), skipping ones it has."""
    c = alias_table.c
    have = set((await conn.execute(sa.select(c.normalized).where(c[owner] == into))).scalars())
    rows = (await conn.execute(sa.select(c.alias, c.normalized).where(c[owner].in_(sources)))).all()
    now = utcnow()
    for alias, normalized in [*names, *((r.alias, r.normalized) for r in rows)]:
        if normalized not in have:
            have.add(normalized)
            await conn.execute(
                sa.insert(alias_table).values(
                    {
                        owner: into,
                        "alias": alias,
                        "normalized": normalized,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
            )
    await conn.execute(sa.delete(alias_table).where(c[owner].in_(sources)))


async def merge_actors(conn: AsyncConnection, who: str, into: int, sources: Sequence[int]) -> None:
    sources = await _check_merge(conn, t.actor, into, sources, "actor")
    a, ia = t.actor.c, t.incident_actor.c
    names = (await conn.execute(sa.select(a.name, a.normalized).where(a.id.in_(sources)))).all()
    # Incident links: drop those `into` already has (same incident and role), move the rest.
    kept = sa.select(ia.incident_id, ia.role).where(ia.actor_id == into)
    touched = set(
        (await conn.execute(sa.select(ia.incident_id).where(ia.actor_id.in_(sources)))).scalars()
    )
    await conn.execute(
        sa.delete(t.incident_actor).where(
            ia.actor_id.in_(sources), sa.tuple_(ia.incident_id, ia.role).in_(kept)
        )
    )
    dup = (
        sa.select(sa.func.min(ia.id))
        .where(ia.actor_id.in_(sources))
        .group_by(ia.incident_id, ia.role)
    )
    await conn.execute(
        sa.delete(t.incident_actor).where(ia.actor_id.in_(sources), ia.id.not_in(dup))
    )
    await conn.execute(
        sa.update(t.incident_actor).where(ia.actor_id.in_(sources)).values(actor_id=into)
    )
    for table, col in (
        (t.statement, "speaker_actor_id"),
        (t.role, "organisation_id"),
        (t.mention, "actor_id"),
        (t.actor, "parent_id"),
    ):
        await conn.execute(sa.update(table).where(table.c[col].in_(sources)).values({col: into}))
    await _move_aliases(
        conn, t.actor_alias, "actor_id", into, sources, [(n.name, n.normalized) for n in names]
    )
    now = utcnow()
    await conn.execute(
        sa.update(t.actor).where(a.id.in_(sources)).values(merged_into_id=into, updated_at=now)
    )
    await conn.execute(sa.update(t.actor).where(a.id == into).values(updated_at=now))
    await _audit(
        conn,
        who,
        "merge_actors",
        EntityType.ACTOR,
        into,
        {"actors": [into, *sources]},
        {"actor": into, "merged": sources},
    )
    await events.record(
        conn,
        [
            *((EntityType.ACTOR, s, ChangeOp.MERGED, into) for s in sources),
            (EntityType.ACTOR, into, ChangeOp.UPDATED, None),
            *((EntityType.INCIDENT, i, ChangeOp.UPDATED, None) for i in sorted(touched)),
        ],
    )


async def merge_officials(
    conn: AsyncConnection, who: str, into: int, sources: Sequence[int]
) -> None:
    sources = await _check_merge(conn, t.person, into, sources, "official")
    p, r = t.person.c, t.role.c
    names = (await conn.execute(sa.select(p.name, p.normalized).where(p.id.in_(sources)))).all()
    # Roles: drop a source's role that `into` already holds (same title, organisation and
    # start), so the unique constraint holds; statements keep pointing at the kept one.
    k = t.role.alias("k")
    same_role = sa.and_(
        k.c.person_id == into,
        k.c.title == r.title,
        k.c.organisation_id.is_not_distinct_from(r.organisation_id),
        k.c.start_date.is_not_distinct_from(r.start_date),
    )
    dups = (
        await conn.execute(
            sa.select(r.id, sa.func.min(k.c.id))
            .select_from(t.role.join(k, same_role))
            .where(r.person_id.in_(sources))
            .group_by(r.id)
        )
    ).all()
    for src, keep in dups:
        await conn.execute(
            sa.update(t.statement)
            .where(t.statement.c.speaker_role_id == src)
            .values(speaker_role_id=keep)
        )
        await conn.execute(sa.delete(t.role).where(r.id == src))
    for table, col in (
        (t.role, "person_id"),
        (t.statement, "speaker_person_id"),
        (t.mention, "person_id"),
    ):
        await conn.execute(sa.update(table).where(table.c[col].in_(sources)).values({col: into}))
    await _move_aliases(
        conn, t.person_alias, "person_id", into, sources, [(n.name, n.normalized) for n in names]
    )
    now = utcnow()
    await conn.execute(
        sa.update(t.person).where(p.id.in_(sources)).values(merged_into_id=into, updated_at=now)
    )
    await conn.execute(sa.update(t.person).where(p.id == into).values(updated_at=now))
    await _audit(
        conn,
        who,
        "merge_officials",
        EntityType.PERSON,
        into,
        {"officials": [into, *sources]},
        {"official": into, "merged": sources},
    )
    await events.record(
        conn,
        [
            *((EntityType.PERSON, s, ChangeOp.MERGED, into) for s in sources),
            (EntityType.PERSON, into, ChangeOp.UPDATED, None),
        ],
    )


def _figures(values: Sequence[int | None]) -> tuple[int | None, int | None, int | None]:
    """Figures of an incident from its reports' counts: lowest, highest, and the
    highest as best estimate (the convention of the ingest worker's reconciliation is
    not reachable from the API; a curator can edit them with updateIncident)."""
    known = [v for v in values if v is not None]
    if not known:
        return None, None, None
    return min(known), max(known), max(known)


async def _refigure(conn: AsyncConnection, incident_id: int) -> None:
    r = t.report.c
    rows = (
        await conn.execute(
            sa.select(r.killed, r.wounded, r.document_id).where(r.incident_id == incident_id)
        )
    ).all()
    kl, kh, kb = _figures([x.killed for x in rows])
    wl, wh, wb = _figures([x.wounded for x in rows])
    await conn.execute(
        sa.update(t.incident)
        .where(t.incident.c.id == incident_id)
        .values(
            killed_low=kl,
            killed_best=kb,
            killed_high=kh,
            wounded_low=wl,
            wounded_best=wb,
            wounded_high=wh,
            source_count=len({x.document_id for x in rows}),
            updated_at=utcnow(),
        )
    )


async def split_incident(
    conn: AsyncConnection, who: str, pk: int, report_ids: Sequence[int]
) -> int:
    """Move `report_ids` out of incident `pk` into a new incident; returns its id."""
    row = await _live_row(conn, t.incident, pk, "incident")
    r = t.report.c
    mine = set((await conn.execute(sa.select(r.id).where(r.incident_id == pk))).scalars())
    moving = sorted(set(report_ids))
    if not moving:
        raise InvalidInput("name at least one report to split off", field="reports")
    if not set(moving) <= mine:
        raise InvalidInput("every report must belong to the incident", field="reports")
    if set(moving) == mine:
        raise InvalidInput("leave at least one report on the incident", field="reports")
    first = (await conn.execute(sa.select(t.report).where(r.id == moving[0]))).mappings().one()
    now = utcnow()
    copied = {
        k: row[k]
        for k in (
            "place_id",
            "place_name",
            "place_precision",
            "admin1",
            "country",
            "lat",
            "lon",
            "salience",
        )
    }
    new_id = (
        await conn.execute(
            sa.insert(t.incident)
            .values(
                **copied,
                date=first["date"] or row["date"],
                date_precision=first["date_precision"] or row["date_precision"],
                type=first["type"],
                review_status=ReviewStatus.REVIEWED.value,
                curated_fields=["reports"],
                source_count=0,
                created_at=now,
                updated_at=now,
            )
            .returning(t.incident.c.id)
        )
    ).scalar_one()
    await conn.execute(
        sa.update(t.report).where(r.id.in_(moving)).values(incident_id=new_id, updated_at=now)
    )
    ia = t.incident_actor.c
    links = (
        await conn.execute(sa.select(ia.actor_id, ia.role, ia.basis).where(ia.incident_id == pk))
    ).all()
    for link in links:
        await conn.execute(
            sa.insert(t.incident_actor).values(
                incident_id=new_id,
                actor_id=link.actor_id,
                role=link.role,
                basis=link.basis,
                created_at=now,
                updated_at=now,
            )
        )
    for incident_id in (pk, new_id):
        await _refigure(conn, incident_id)
    curated = sorted(set(row["curated_fields"] or []) | {"reports"})
    await conn.execute(
        sa.update(t.incident).where(t.incident.c.id == pk).values(curated_fields=curated)
    )
    await _audit(
        conn,
        who,
        "split_incident",
        EntityType.INCIDENT,
        pk,
        {"incident": pk, "reports": sorted(mine)},
        {
            "incident": pk,
            "reports": sorted(mine - set(moving)),
            "new_incident": new_id,
            "moved": moving,
        },
    )
    await events.record(
        conn,
        [
            (EntityType.INCIDENT, pk, ChangeOp.UPDATED, None),
            (EntityType.INCIDENT, new_id, ChangeOp.CREATED, None),
        ],
    )
    return int(new_id)
