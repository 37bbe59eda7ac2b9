"""Change notifications: write change-feed rows, announce them, and listen for them.

Writers (the ingest worker, the API's curation mutations) call `record` inside the
transaction that changes the data. On PostgreSQL it

- takes a transaction-level advisory lock first, so change ids are handed out in commit
  order: a reader that follows `id > cursor` can never skip a row that commits later
  with a smaller id (sequences alone do not guarantee that);
- sends `NOTIFY sitrep_changes, '<json>'`, which PostgreSQL delivers only at commit.

Readers call `listen(engine)`: an async iterator over new `Change` rows, woken by the
notification on PostgreSQL (asyncpg's `add_listener` on a dedicated connection) and by
polling the `change` table by id on SQLite (one machine, no NOTIFY). On both it also
polls now and then, so a lost notification delays a row but never loses it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from schema.enums import ChangeOp, EntityType
from schema.models.audit import Change
from schema.models.base import utcnow

CHANNEL = "sitrep_changes"
# Key of the advisory lock that orders change ids by commit (any constant bigint).
CHANGE_FEED_LOCK = 0x5172E9_C4A6E5
CHANGE: sa.Table = Change.__table__  # type: ignore[attr-defined]

Executor = AsyncConnection | AsyncSession


def _is_pg(conn: Executor) -> bool:
    dialect = conn.dialect if isinstance(conn, AsyncConnection) else conn.get_bind().dialect
    return dialect.name == "postgresql"


async def publish(conn: Executor, payload: Mapping[str, Any]) -> None:
    """Announces `payload` to listeners when the caller's transaction commits (PostgreSQL);
    a no-op on SQLite, whose listeners poll. Payloads stay small (PostgreSQL caps them at
    8000 bytes): ids and entity types, never row contents."""
    if not _is_pg(conn):
        return
    body = json.dumps(dict(payload), separators=(",", ":"), sort_keys=True)
    await conn.execute(sa.select(sa.func.pg_notify(CHANNEL, body)))


async def record(
    conn: Executor,
    changes: Sequence[tuple[EntityType, int, ChangeOp, int | None]],
) -> int | None:
    """Writes change rows `(entity_type, entity_id, op, merged_into_id)` in the caller's
    transaction, announces them, and returns the highest id written."""
    if not changes:
        return None
    if _is_pg(conn):
        # The lock is held to commit: the rows below get ids in the order transactions
        # commit. The notification (delivered at commit) goes in the same round trip: it
        # names the kinds of entity that changed; listeners read the rows by cursor.
        body = json.dumps({"entities": sorted({str(c[0]) for c in changes})})
        await conn.execute(
            sa.select(
                sa.func.pg_advisory_xact_lock(CHANGE_FEED_LOCK), sa.func.pg_notify(CHANNEL, body)
            )
        )
    now = utcnow()
    rows = [
        {
            "entity_type": entity,
            "entity_id": entity_id,
            "op": op,
            "merged_into_id": into,
            "at": now,
            "created_at": now,
            "updated_at": now,
        }
        for entity, entity_id, op, into in changes
    ]
    result = await conn.execute(sa.insert(CHANGE).returning(CHANGE.c.id), rows)
    return max(int(i) for i in result.scalars())


async def last_change_id(conn: AsyncConnection) -> int:
    value = (await conn.execute(sa.select(sa.func.max(CHANGE.c.id)))).scalar_one()
    return int(value or 0)


async def _after(conn: AsyncConnection, cursor: int, limit: int) -> list[Change]:
    rows = await conn.execute(
        sa.select(CHANGE).where(CHANGE.c.id > cursor).order_by(CHANGE.c.id).limit(limit)
    )
    return [Change(**dict(row._mapping)) for row in rows]


async def listen(
    engine: AsyncEngine,
    *,
    after: int | None = None,
    poll_interval: float = 1.0,
    batch: int = 500,
) -> AsyncIterator[Change]:
    """New `Change` rows in id order, forever (close the iterator to stop).

    `after` is a change id cursor; by default only changes made after the call are
    yielded. On PostgreSQL `poll_interval` is only the safety net (notifications wake
    the loop at once); on SQLite it is the polling period."""
    async with engine.connect() as base:
        conn = await base.execution_options(isolation_level="AUTOCOMMIT")
        wake = asyncio.Event()
        driver: Any = None
        if engine.dialect.name == "postgresql":
            raw = await conn.get_raw_connection()
            driver = raw.driver_connection

            def _notified(*_args: object) -> None:
                wake.set()

            await driver.add_listener(CHANNEL, _notified)
        try:
            cursor = await last_change_id(conn) if after is None else after
            while True:
                # Clear before reading: a notification that arrives during the read
                # sets the event again and the wait below returns at once.
                wake.clear()
                rows = await _after(conn, cursor, batch)
                for row in rows:
                    assert row.id is not None
                    cursor = row.id
                    yield row
                if len(rows) == batch:
                    continue
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), poll_interval)
        finally:
            if driver is not None and not driver.is_closed():
                with contextlib.suppress(Exception):
                    await driver.remove_listener(CHANNEL, _notified)
