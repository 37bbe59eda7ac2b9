"""Change notifications: `record` writes and announces, `listen` yields new rows."""

import asyncio
from collections.abc import AsyncIterator

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from schema import events
from schema.enums import ChangeOp, EntityType
from schema.models import Change


async def _next(it: AsyncIterator[Change]) -> Change:
    return await asyncio.wait_for(anext(it), 5.0)


async def test_listen_yields_committed_changes_in_order(engine: AsyncEngine) -> None:
    # On PostgreSQL the poll is a 60 s safety net: only NOTIFY can wake it within 5 s.
    poll = 60.0 if engine.dialect.name == "postgresql" else 0.05
    it = events.listen(engine, poll_interval=poll)
    first = asyncio.ensure_future(_next(it))
    await asyncio.sleep(0.2)  # the listener is waiting now
    # a rolled-back write is never delivered
    async with engine.connect() as conn:
        await events.record(conn, [(EntityType.INCIDENT, 99, ChangeOp.CREATED, None)])
        await conn.rollback()
    async with engine.begin() as conn:
        last = await events.record(
            conn,
            [
                (EntityType.INCIDENT, 1, ChangeOp.CREATED, None),
                (EntityType.INCIDENT, 2, ChangeOp.MERGED, 1),
            ],
        )
    got = [await first, await _next(it)]
    assert [(c.entity_type, c.entity_id, c.op, c.merged_into_id) for c in got] == [
        ("incident", 1, "created", None),
        ("incident", 2, "merged", 1),
    ]
    assert got[-1].id == last
    await it.aclose()


async def test_listen_from_a_cursor(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await events.record(
            conn, [(EntityType.REPORT, i, ChangeOp.CREATED, None) for i in (1, 2, 3)]
        )
    it = events.listen(engine, after=1, poll_interval=0.05)
    assert [(await _next(it)).entity_id for _ in range(2)] == [2, 3]
    await it.aclose()


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
async def test_publish_sends_notify_at_commit(engine: AsyncEngine) -> None:
    async with engine.connect() as listener:
        raw = await listener.get_raw_connection()
        got: asyncio.Queue[str] = asyncio.Queue()
        await raw.driver_connection.add_listener(  # type: ignore[union-attr]
            events.CHANNEL, lambda *args: got.put_nowait(args[-1])
        )
        async with engine.begin() as conn:
            await events.publish(conn, {"change_id": 7})
            await conn.execute(sa.select(1))
            await asyncio.sleep(0.2)
            assert got.empty()  # not before commit
        assert await asyncio.wait_for(got.get(), 5) == '{"change_id":7}'
