"""One change-feed listener per process, fanned out to every subscription.

Each GraphQL subscription used to open its own `schema.events.listen` (a dedicated
database connection with LISTEN on PostgreSQL, a polling loop on SQLite): a thousand
subscribers meant a thousand connections. The hub runs a single listener while anyone
is subscribed and hands every change row to each subscriber's queue; subscribers filter
and fetch what they need themselves.

A subscriber that falls more than `queue_size` changes behind is dropped (its iterator
raises `Lagging`) rather than letting memory grow without bound; the client can
subscribe again. The listener stops when the last subscriber leaves, and on `close()`
(application shutdown). If the listener fails (database gone), every subscriber gets the
error and the next subscription starts a new listener.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from schema import events
from schema.models import Change

QUEUE_SIZE = 1000
# How often SQLite is polled for new changes (PostgreSQL is woken by NOTIFY).
POLL_SECONDS = 0.5

Source = Callable[[AsyncEngine, int], AsyncIterator[Change]]


def default_source(engine: AsyncEngine, after: int) -> AsyncIterator[Change]:
    return events.listen(engine, after=after, poll_interval=POLL_SECONDS)


class Lagging(Exception):
    """The subscriber fell too far behind the change feed and was dropped."""


_END = object()


class ChangeHub:
    def __init__(
        self, engine: AsyncEngine, source: Source = default_source, queue_size: int = QUEUE_SIZE
    ) -> None:
        self.engine = engine
        self.source = source
        self.queue_size = queue_size
        self.queues: set[asyncio.Queue[Any]] = set()
        self.listeners_started = 0  # for tests and metrics
        self._task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    @property
    def subscribers(self) -> int:
        return len(self.queues)

    async def _run(self, after: int) -> None:
        changes = self.source(self.engine, after)
        try:
            async for change in changes:
                for q in list(self.queues):
                    self._put(q, change)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the feed failed: tell everyone; they may retry
            for q in list(self.queues):
                self._put(q, exc)
        finally:
            with contextlib.suppress(Exception):
                await changes.aclose()  # type: ignore[attr-defined]

    def _put(self, q: asyncio.Queue[Any], item: Any) -> None:
        try:
            q.put_nowait(item)
        except asyncio.QueueFull:
            self.queues.discard(q)
            # Make room for the verdict: the subscriber reads it before anything else.
            while not q.empty():
                q.get_nowait()
            q.put_nowait(Lagging(f"more than {self.queue_size} changes behind"))

    async def _start(self) -> None:
        async with self._lock:
            if self._task is not None and not self._task.done():
                return
            # The cursor is read before the subscriber's first wait: every change
            # committed from here on reaches it.
            async with self.engine.connect() as conn:
                after = await events.last_change_id(conn)
            self._task = asyncio.create_task(self._run(after))
            self.listeners_started += 1

    async def _stop(self) -> None:
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def subscribe(self) -> AsyncIterator[Change]:
        """Change rows committed from now on, in order, until the caller stops."""
        q: asyncio.Queue[Any] = asyncio.Queue(self.queue_size)
        self.queues.add(q)
        try:
            await self._start()
            while True:
                item = await q.get()
                if item is _END:
                    return
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            self.queues.discard(q)
            if not self.queues:
                await self._stop()

    async def close(self) -> None:
        """Stop the listener and end every subscription (application shutdown)."""
        for q in list(self.queues):
            with contextlib.suppress(asyncio.QueueFull):
                q.put_nowait(_END)
        self.queues.clear()
        await self._stop()
