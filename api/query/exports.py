"""Bulk NDJSON exports on PostgreSQL: lines built by the database, streamed by COPY.

Each exported row is one JSON text built by PostgreSQL (the list item's shape, key for
key), and `COPY (SELECT ...) TO STDOUT` sends them. Measured at 100,000 incidents
(bench Q6, one client): a server-side cursor with plain rows and orjson made about
60,000 rows/s (asyncpg decoding 34 columns a row was most of the Python time); the
same lines built in PostgreSQL and read through a cursor, 45,000-51,000 (the row-by-row
protocol); through COPY, 80,000, with the server's Python doing almost nothing.

COPY has no JSON-lines format, so the lines travel as a one-column CSV whose quote
and delimiter are bytes JSON text never holds raw (0x01, 0x02): the output is then the
lines themselves. A field is quoted only when it holds a line break, which JSON text
can only hold as whitespace between tokens (stored JSON values are embedded as
written); `Unquote` turns those into spaces, so every line stays one line.

For incidents the page's correlated subqueries (a few index lookups per row: cheapest
for 50 rows) are replaced by joins: the place by a join, the actors aggregated once
per incident (measured: 1.9 s of PostgreSQL time for the page projection over 100,000
incidents against about 1 s for this one).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from api.query import projections
from api.query import tables as t
from api.query.jsonsql import Json

QUOTE, DELIMITER = b"\x01", b"\x02"
QUEUE_DEPTH = 8  # chunks (asyncpg hands over what one socket read brought: up to ~256 kB)
SETTINGS = (
    "SET LOCAL jit = off"  # JIT compiles for ~0.2 s on a 100,000-row export and gains nothing
)


def incident_export() -> tuple[sa.FromClause, ColumnElement[Any]]:
    """The FROM clause (incident joined to its place and its aggregated actors) and the
    line: the JSON of `projections.incident_item`, as text."""
    j = Json("postgresql")
    i, p, ia = t.incident, t.place, t.incident_actor.c
    actors = (
        sa.select(
            ia.incident_id,
            j.agg(projections.incident_actor_obj(j), projections.INCIDENT_ACTOR_ORDER).label(
                "actors"
            ),
        )
        .select_from(t.incident_actor.join(t.actor, t.actor.c.id == ia.actor_id))
        .group_by(ia.incident_id)
        .subquery("export_actors")
    )
    source = i.outerjoin(p, p.c.id == i.c.place_id).outerjoin(
        actors, actors.c.incident_id == i.c.id
    )
    place = sa.case((p.c.id.is_(None), sa.null()), else_=projections.place_obj(j))
    pairs = projections.incident_pairs(j, place=place, actors=j.or_empty(actors.c.actors))
    return source, j.text(j.obj(*pairs))


class Unquote:
    """Undoes COPY's CSV quoting across chunk boundaries: drops the quote bytes and turns
    line breaks inside quoted fields into spaces (see the module docstring)."""

    def __init__(self) -> None:
        self.inside = False  # whether the previous chunk ended inside a quoted field

    def __call__(self, data: bytes | bytearray | memoryview) -> bytes:
        # A copy: asyncpg hands over a buffer, and the chunk waits in a queue.
        chunk = bytes(data)
        if QUOTE not in chunk:
            if self.inside:
                return chunk.replace(b"\r", b" ").replace(b"\n", b" ")
            return chunk
        parts = chunk.split(QUOTE)
        for k, part in enumerate(parts):
            if self.inside:
                parts[k] = part.replace(b"\r", b" ").replace(b"\n", b" ")
            if k < len(parts) - 1:
                self.inside = not self.inside
        return b"".join(parts)


class _Stopped(Exception):
    """Raised in the COPY's sink once the consumer has gone: asyncpg then cancels the
    statement and the transaction rolls back. (Cancelling the task instead makes asyncpg
    close the connection.)"""


async def copy_lines(driver: Any, sql: str, args: Sequence[Any]) -> AsyncGenerator[bytes, None]:
    """The rows of `sql` (one JSON text column) as NDJSON chunks, through COPY.

    `driver` is an asyncpg connection outside any transaction: the COPY runs in a
    read-only repeatable-read transaction of its own, in a task that hands chunks over a
    bounded queue. When the consumer is slow, the queue fills, asyncpg stops reading the
    socket and PostgreSQL waits: memory stays flat. When the consumer stops early (the
    client went away), the statement is cancelled and the connection stays usable.
    """
    queue: asyncio.Queue[bytes] = asyncio.Queue(QUEUE_DEPTH)
    unquote = Unquote()
    stopped = False

    async def sink(chunk: bytes) -> None:
        if stopped:
            raise _Stopped
        await queue.put(unquote(chunk))

    async def produce() -> None:
        async with driver.transaction(isolation="repeatable_read", readonly=True):
            await driver.execute(SETTINGS)
            await driver.copy_from_query(
                sql,
                *args,
                output=sink,
                format="csv",
                quote=QUOTE.decode(),
                delimiter=DELIMITER.decode(),
            )

    task = asyncio.create_task(produce())
    try:
        while True:
            if task.done() and queue.empty():
                task.result()  # raises the producer's error, if any
                return
            getter = asyncio.ensure_future(queue.get())
            await asyncio.wait({getter, task}, return_when=asyncio.FIRST_COMPLETED)
            if getter.done():
                yield getter.result()
            else:
                getter.cancel()
    finally:
        stopped = True
        while not task.done():
            while not queue.empty():  # unblock a sink waiting to put
                queue.get_nowait()
            await asyncio.wait({task}, timeout=0.05)
        if not task.cancelled():
            task.exception()  # marks it retrieved: after an early stop it is _Stopped
