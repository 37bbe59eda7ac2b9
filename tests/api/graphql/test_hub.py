"""The shared change-feed hub on SQLite and PostgreSQL: one listener for any number of
subscribers, every subscriber sees every change committed after it subscribed, the
listener stops with the last subscriber, and a subscriber that lags is dropped."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from api.graphql.hub import ChangeHub, Lagging
from schema import events
from schema.enums import ChangeOp, EntityType
from schema.models import Change


async def _record(engine: AsyncEngine, *ids: int) -> None:
    async with engine.begin() as conn:
        await events.record(conn, [(EntityType.INCIDENT, i, ChangeOp.CREATED, None) for i in ids])


async def _take(hub: ChangeHub, n: int, into: list[int] | None = None) -> list[int]:
    """The entity ids of the next `n` changes (appended to `into` as they come)."""
    out: list[int] = [] if into is None else into
    async with contextlib.aclosing(hub.subscribe()) as changes:  # type: ignore[type-var]
        async for change in changes:
            assert isinstance(change, Change)
            out.append(change.entity_id)
            if len(out) == n:
                break
    return out


async def _until(condition: Callable[[], bool]) -> None:
    for _ in range(1000):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not met within 10 s")


async def test_one_listener_fans_out_to_every_subscriber(engine: AsyncEngine) -> None:
    hub = ChangeHub(engine)
    try:
        readers = [asyncio.create_task(_take(hub, 3)) for _ in range(5)]
        await _until(lambda: hub.subscribers == 5 and hub.listeners_started == 1)
        await _record(engine, 11, 12)
        await _record(engine, 13)
        got = await asyncio.wait_for(asyncio.gather(*readers), 15)
        assert got == [[11, 12, 13]] * 5
        assert hub.listeners_started == 1  # not one per subscriber
        await _until(lambda: hub.subscribers == 0 and hub._task is None)
        # The next subscriber starts a listener again, from its own start.
        reader = asyncio.create_task(_take(hub, 1))
        await _until(lambda: hub.listeners_started == 2)
        await _record(engine, 14)
        assert await asyncio.wait_for(reader, 15) == [14]
    finally:
        await hub.close()


async def test_a_lagging_subscriber_is_dropped_and_others_continue(engine: AsyncEngine) -> None:
    hub = ChangeHub(engine, queue_size=2)
    lagging = hub.subscribe()
    try:
        first = asyncio.ensure_future(anext(lagging))  # subscribes, then never reads on
        seen: list[int] = []
        reader = asyncio.create_task(_take(hub, 4, seen))
        await _until(lambda: hub.subscribers == 2)
        for i in (1, 2, 3, 4):  # one at a time: the reader keeps up, the other does not
            await _record(engine, i)
            await _until(lambda: len(seen) == i)  # noqa: B023
        assert (await first).entity_id == 1
        assert await reader == [1, 2, 3, 4]
        with pytest.raises(Lagging):
            await _drain(lagging)
    finally:
        await lagging.aclose()  # type: ignore[attr-defined]
        await hub.close()


async def _drain(changes: object) -> None:
    for _ in range(5):
        await asyncio.wait_for(changes.__anext__(), 10)  # type: ignore[attr-defined]


async def test_close_ends_subscriptions(engine: AsyncEngine) -> None:
    hub = ChangeHub(engine)
    reader = asyncio.create_task(_take(hub, 1))
    await _until(lambda: hub.listeners_started == 1)
    await hub.close()
    assert await asyncio.wait_for(reader, 10) == []
    assert hub._task is None
