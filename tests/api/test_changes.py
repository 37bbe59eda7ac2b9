"""The change feed replayed, in order, into an empty database reproduces the data:
created/updated rows with the links they own, merges and deletions as tombstones."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import sqlalchemy as sa
from rest_factory import Factory, World
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from api.query import tables as t
from api.query.changes import ENTITY_TABLES, OWNED_LINKS
from schema.db import make_engine

MIRRORED = [
    t.place, t.place_alias, t.actor, t.actor_alias, t.person, t.person_alias, t.role,
    t.document, t.mention, t.incident, t.incident_actor, t.report, t.statement,
    t.statement_incident,
]  # fmt: skip


def _typed(table: sa.Table, row: dict[str, Any]) -> dict[str, Any]:
    """JSON values back to Python values by column type (dates, timestamps)."""
    out = {}
    for key, value in row.items():
        col = table.c[key]
        if value is not None and isinstance(col.type, sa.DateTime):
            value = dt.datetime.fromisoformat(value)
        elif value is not None and isinstance(col.type, sa.Date):
            value = dt.date.fromisoformat(value)
        out[key] = value
    return out


async def _apply(conn: AsyncConnection, entry: dict[str, Any]) -> None:
    table = ENTITY_TABLES[entry["entity_type"]]
    link = OWNED_LINKS.get(entry["entity_type"])
    eid = entry["entity_id"]
    if entry["op"] in ("created", "updated", "merged"):
        data = entry["data"]
        if data is None:  # gone since: a later tombstone says so
            return
        if entry["op"] == "merged":
            assert data["merged_into_id"] == entry["merged_into_id"]
        data = dict(data)
        links = data.pop(link[0]) if link else []
        if link is not None:
            await conn.execute(sa.delete(link[1]).where(link[1].c[link[2]] == eid))
        exists = (await conn.execute(sa.select(table.c.id).where(table.c.id == eid))).first()
        if exists:
            await conn.execute(
                sa.update(table).where(table.c.id == eid).values(**_typed(table, data))
            )
        else:
            await conn.execute(sa.insert(table).values(**_typed(table, data)))
        for row in links:
            assert link is not None
            await conn.execute(sa.insert(link[1]).values(**_typed(link[1], row)))
    else:  # deleted
        if link is not None:
            await conn.execute(sa.delete(link[1]).where(link[1].c[link[2]] == eid))
        await conn.execute(sa.delete(table).where(table.c.id == eid))


def _norm(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


async def _dump(engine: AsyncEngine) -> dict[str, list[dict[str, Any]]]:
    out = {}
    async with engine.connect() as conn:
        for table in MIRRORED:
            stmt = sa.select(table).order_by(*table.primary_key.columns)
            rows = (await conn.execute(stmt)).all()
            out[table.name] = [{k: _norm(v) for k, v in r._mapping.items()} for r in rows]
    return out


async def test_feed_replayed_into_an_empty_copy_reproduces_the_data(
    client: httpx.AsyncClient, engine: AsyncEngine, world: World, db_url: str, databases: Any
) -> None:
    f = Factory(engine)
    await f.update_incident(
        world.incidents["mosul_old"], killed_best=2, killed_high=5, review_status="disputed"
    )
    await f.delete_statement(world.statements["pm"])
    entries: list[dict[str, Any]] = []
    since: str | None = None
    for _ in range(100):
        r = await client.get("/api/v1/changes?limit=7" + (f"&since={since}" if since else ""))
        assert r.status_code == 200, r.text
        body = r.json()
        entries += body["items"]
        since = body["next"]
        if not body["more"]:
            break
    seqs = [e["seq"] for e in entries]
    assert seqs == sorted(seqs)
    assert len(seqs) == len(set(seqs))
    ops = {(e["entity_type"], e["op"]) for e in entries}
    assert {("incident", "merged"), ("statement", "deleted"), ("incident", "updated")} <= ops
    # Polling at the end returns nothing new and the same position.
    tail = (await client.get(f"/api/v1/changes?since={since}")).json()
    assert tail == {"items": [], "next": since, "more": False}

    backend = "sqlite" if make_url(db_url).get_backend_name() == "sqlite" else "postgres"
    mirror_url = await databases.create(backend, "migrated")
    mirror = make_engine(mirror_url)
    try:
        async with mirror.begin() as conn:
            for entry in entries:
                await _apply(conn, entry)
        original, copy = await _dump(engine), await _dump(mirror)
        assert copy == original
        assert len(copy["incident"]) == 6
        assert len(copy["statement"]) == 2
    finally:
        await mirror.dispose()
        databases.drop(mirror_url)
