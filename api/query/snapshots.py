"""PostgreSQL: results of slow read statements, reused while no write has committed.

A statement once seen to take `slow` seconds or more runs from then on wrapped as
`SELECT pg_current_snapshot()::text, (<statement>)`: its result comes back with the
snapshot it was read in, which names the transactions committed at that moment,
cluster-wide, and is kept when it was slow again. The next identical request first asks for the current snapshot (one
cheap round trip); the same text means that no write transaction has committed since,
in this database or any other of the server, so the statement would return the same
result. Any commit changes the snapshot, so the cache errs on the side of running again.

What it is for: statistics over all the data (bench Q3: ~40 ms of database CPU a
request, 350-500 ms under 16 concurrent clients on 2 cores) asked for again and again by
dashboards while nothing changes. Cheap statements (every page and detail) run as they
are. Statements must not depend on the clock (none of the read statements do; the
`max_age` bound is a second guard).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

SNAPSHOT = "SELECT pg_current_snapshot()::text"
SLOW = 0.02  # seconds: statements quicker than this are not kept


@dataclass(frozen=True)
class _Entry:
    snapshot: str
    value: Any
    stored: float  # time.monotonic()


class SnapshotCache:
    def __init__(
        self,
        size: int = 64,
        slow: float | None = None,
        max_age: float = 300.0,
        max_chars: int = 2**22,
    ) -> None:
        self.size, self.max_age, self.max_chars = size, max_age, max_chars
        self.slow = SLOW if slow is None else slow
        self._entries: OrderedDict[tuple[str, str], _Entry] = OrderedDict()
        self._slow_sql: set[str] = set()  # statements seen to take `slow` or longer
        self.hits = self.misses = 0  # for tests and metrics

    async def fetchval(self, driver: Any, sql: str, args: Sequence[Any]) -> Any:
        """The first column of the first row of `sql` (one row, one column), through the
        asyncpg connection `driver` (in autocommit: every statement its own snapshot)."""
        if sql not in self._slow_sql:
            # Cheap statements (nearly all) run as they are: no wrapping, no key.
            self.misses += 1
            started = time.monotonic()
            value = await driver.fetchval(sql, *args)
            if time.monotonic() - started >= self.slow:
                if len(self._slow_sql) >= 16 * self.size:
                    self._slow_sql.clear()
                self._slow_sql.add(sql)  # kept from its next run, with its snapshot
            return value
        key = (sql, repr(list(args)))
        entry = self._entries.get(key)
        if (
            entry is not None
            and time.monotonic() - entry.stored < self.max_age
            and await driver.fetchval(SNAPSHOT) == entry.snapshot
        ):
            self._entries.move_to_end(key)
            self.hits += 1
            return entry.value
        self.misses += 1
        started = time.monotonic()
        snapshot, value = await driver.fetchrow(f"{SNAPSHOT}, ({sql})", *args)
        took = time.monotonic() - started
        if took >= self.slow and (not isinstance(value, str) or len(value) <= self.max_chars):
            self._entries[key] = _Entry(snapshot, value, time.monotonic())
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        elif entry is not None:
            del self._entries[key]
        return value
