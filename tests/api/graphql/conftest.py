"""Fixtures for the GraphQL tests: the real ASGI app (its lifespan run) on a database
filled by `gql_factory.populate`, in both execution paths (compiler on, and off).

Read-only tests share one populated database per module and backend (`read_*`
fixtures); tests that write get a fresh one (`api`, `resolver_api`, `made`, `keys`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from gql_factory import Made, populate
from gql_helpers import Api, ReadEnv, resolvers_only, running
from sqlalchemy.ext.asyncio import AsyncEngine

from api.auth import create_key
from schema.config import Settings
from schema.db import make_engine
from schema.enums import Scope

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


@pytest.fixture(scope="module", params=BACKENDS)
async def read_env(request: pytest.FixtureRequest, databases: object) -> AsyncIterator[ReadEnv]:
    backend = request.param
    if backend == "postgres":
        request.getfixturevalue("pg_server_url")  # skips (or fails under CI) when down
    url = await databases.create(backend, "migrated")  # type: ignore[attr-defined]
    engine = make_engine(url)
    made = await populate(engine, incidents=60)
    await engine.dispose()
    yield ReadEnv(Settings(database_url=url), made)
    databases.drop(url)  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
async def read_api(read_env: ReadEnv) -> AsyncIterator[Api]:
    async for a in running(read_env.settings):
        yield a


@pytest.fixture(scope="module")
async def read_resolver_api(read_env: ReadEnv) -> AsyncIterator[Api]:
    async for a in running(resolvers_only(read_env.settings)):
        yield a


@pytest.fixture
def read_made(read_env: ReadEnv) -> Made:
    return read_env.made


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(database_url=db_url)


@pytest.fixture
async def made(engine: AsyncEngine) -> Made:
    return await populate(engine)


@pytest.fixture
async def api(settings: Settings, made: Made) -> AsyncIterator[Api]:
    """A fresh database and the app with the compiler on (the default)."""
    async for a in running(settings):
        yield a


@pytest.fixture
async def resolver_api(settings: Settings, made: Made) -> AsyncIterator[Api]:
    """The same database, every query answered by resolvers."""
    async for a in running(resolvers_only(settings)):
        yield a


@pytest.fixture
async def keys(engine: AsyncEngine) -> dict[Scope, str]:
    """One API key per scope."""
    out: dict[Scope, str] = {}
    for scope in Scope:
        key, _row = await create_key(engine, f"test-{scope.value}", scope)
        out[scope] = key
    return out


@pytest.fixture(scope="module")
async def seeded_api(ingested_url: str) -> AsyncIterator[Api]:
    """The app (compiler on) on the database with the five seed articles ingested."""
    async for a in running(Settings(database_url=ingested_url)):
        yield a


@pytest.fixture(scope="module")
async def seeded_resolver_api(ingested_url: str) -> AsyncIterator[Api]:
    """The same database, every query answered by resolvers."""
    async for a in running(resolvers_only(Settings(database_url=ingested_url))):
        yield a
