"""API key rows: create (hash only), look up by hash, list, revoke."""

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from api.query import tables as t
from schema.models import utcnow

_MINUTE = dt.timedelta(minutes=1)
PUBLIC_COLUMNS = ["id", "name", "prefix", "scope", "created_at", "last_used_at", "revoked_at"]


async def insert_key(
    conn: AsyncConnection, name: str, prefix: str, key_hash: str, scope: str
) -> dict[str, Any]:
    k = t.api_key.c
    now = utcnow()
    stmt = (
        sa.insert(t.api_key)
        .values(
            name=name, prefix=prefix, key_hash=key_hash, scope=scope, created_at=now, updated_at=now
        )
        .returning(*[k[n] for n in PUBLIC_COLUMNS])
    )
    return dict((await conn.execute(stmt)).one()._mapping)


async def key_by_hash(conn: AsyncConnection, key_hash: str) -> dict[str, Any] | None:
    k = t.api_key.c
    stmt = sa.select(*[k[n] for n in PUBLIC_COLUMNS]).where(k.key_hash == key_hash)
    row = (await conn.execute(stmt)).first()
    return dict(row._mapping) if row is not None else None


async def list_keys(conn: AsyncConnection) -> list[dict[str, Any]]:
    k = t.api_key.c
    stmt = sa.select(*[k[n] for n in PUBLIC_COLUMNS]).order_by(k.id)
    return [dict(r._mapping) for r in (await conn.execute(stmt)).all()]


async def revoke_key(conn: AsyncConnection, key_id: int) -> bool:
    """Revoke an active key; False when there is no such active key."""
    k = t.api_key.c
    now = utcnow()
    stmt = (
        sa.update(t.api_key)
        .where(k.id == key_id, k.revoked_at.is_(None))
        .values(revoked_at=now, updated_at=now)
    )
    return bool((await conn.execute(stmt)).rowcount)


async def touch_key(conn: AsyncConnection, key_id: int) -> None:
    """Record use, at most once a minute per key (a write per request would be waste)."""
    k = t.api_key.c
    now = utcnow()
    stmt = (
        sa.update(t.api_key)
        .where(k.id == key_id)
        .where(sa.or_(k.last_used_at.is_(None), k.last_used_at < now - _MINUTE))
        .values(last_used_at=now)
    )
    await conn.execute(stmt)
