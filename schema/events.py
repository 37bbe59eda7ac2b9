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
from collections.abc import AsyncGenerator, Mapping, Sequence
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
    now = utcnow()
    if _is_pg(conn):
        return await _record_pg(conn, changes, now)
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


# One round trip: the lock (held to commit, so the rows get ids in the order transactions
# commit), the notification (delivered at commit; it names the kinds of entity that
# changed, listeners read the rows by cursor) and the rows. Every inserted row is joined
# with the one row of `l`, so no id is drawn from the sequence before the lock is held.
_RECORD_PG = sa.text(
    """
    WITH l AS MATERIALIZED (
        SELECT pg_advisory_xact_lock(CAST(:lock AS bigint)) AS locked,
               pg_notify(CAST(:channel AS text), CAST(:body AS text)) AS notified
    ), ins AS (
        INSERT INTO change (entity_type, entity_id, op, merged_into_id, at, created_at,
                            updated_at)
        SELECT u.entity_type, u.entity_id, u.op, u.merged_into_id, t.at, t.at, t.at
        FROM l,
             (SELECT CAST(:at AS timestamptz) AS at) AS t,
             unnest(CAST(:types AS text[]), CAST(:ids AS bigint[]), CAST(:ops AS text[]),
                    CAST(:into AS bigint[]))
                 AS u(entity_type, entity_id, op, merged_into_id)
        RETURNING id
    )
    SELECT max(id) FROM ins
    """
)


async def _record_pg(
    conn: Executor,
    changes: Sequence[tuple[EntityType, int, ChangeOp, int | None]],
    now: Any,
) -> int | None:
    body = json.dumps({"entities": sorted({str(c[0]) for c in changes})})
    result = await conn.execute(
        _RECORD_PG,
        {
            "lock": CHANGE_FEED_LOCK,
            "channel": CHANNEL,
            "body": body,
            "at": now,
            "types": [str(c[0]) for c in changes],
            "ids": [int(c[1]) for c in changes],
            "ops": [str(c[2]) for c in changes],
            "into": [c[3] for c in changes],
        },
    )
    last = result.scalar_one()
    return int(last) if last is not None else None


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
) -> AsyncGenerator[Change, None]:
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
