"""The typed per-request GraphQL context: settings, engine, the caller and DataLoaders.

A request uses at most one pooled connection, taken on first use and returned when the
operation ends (`release`). Batches run one at a time on it: an asyncpg connection
cannot run two statements at once.
"""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from api.auth import Principal
from api.graphql.errors import NotAllowed, Unauthenticated
from api.graphql.hub import ChangeHub
from api.graphql.loaders import Loaders
from schema.config import Settings
from schema.enums import Scope

T = TypeVar("T")


@dataclass
class Context:
    settings: Settings
    engine: AsyncEngine
    read_engine: AsyncEngine | None = None  # autocommit reads (the compiled path)
    hub: ChangeHub | None = None  # the process's change-feed fan-out (subscriptions)
    principal: Principal | None = None
    bad_key: bool = False  # a key was presented but is unknown or revoked
    loaders: Loaders = field(init=False)
    _conn: AsyncConnection | None = field(default=None, init=False)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock, init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(run=self.run)
        if self.read_engine is None:
            self.read_engine = self.engine

    async def read(self, work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
        """Run `work` on a connection of the read engine (autocommit on PostgreSQL):
        for work made of independent statements, each its own snapshot."""
        assert self.read_engine is not None
        async with self.read_engine.connect() as conn:
            return await work(conn)

    async def run(self, work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
        """Run `work` on this request's connection (read-only, autocommit-free)."""
        async with self._lock:
            if self._conn is None:
                self._conn = await self.engine.connect()
            return await work(self._conn)

    async def release(self) -> None:
        """Return the connection to the pool and forget cached rows (subscriptions call
        this between events so every event sees fresh data)."""
        async with self._lock:
            conn, self._conn = self._conn, None
            if conn is not None:
                await conn.rollback()
                await conn.close()
        self.loaders = Loaders(run=self.run)

    @property
    def who(self) -> str:
        """The audit log's name for the caller: the API key's name and id."""
        p = self.principal
        return "anonymous" if p is None else f"{p.name} (key {p.key_id})"

    def require(self, needed: Scope) -> None:
        """Raise the typed failure for a caller without `needed`."""
        if self.bad_key:
            raise Unauthenticated("the API key is unknown or revoked", needed=needed.value)
        if self.principal is not None and self.principal.allows(needed):
            return
        if self.principal is None:
            raise Unauthenticated(
                f"this needs an API key with the {needed.value} scope", needed=needed.value
            )
        raise NotAllowed(
            f"this needs the {needed.value} scope; the key has {self.principal.scope.value}",
            needed=needed.value,
        )

    def require_read(self) -> None:
        if self.settings.read_requires_key or self.bad_key:
            self.require(Scope.READ)
