"""Fixtures for the GraphQL tests: the real ASGI app (lifespan run), on a fresh database
filled by `factory.populate`, in both execution paths (compiled and resolvers)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette

from api.app import create_app
from api.auth import create_key
from schema.config import Settings
from schema.enums import Scope

from gql_factory import Made, populate
from gql_helpers import Api


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(database_url=db_url)


async def _running(settings: Settings) -> AsyncIterator[Api]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield Api(app, client)


@pytest.fixture
async def made(engine: AsyncEngine) -> Made:
    return await populate(engine)


@pytest.fixture
async def api(settings: Settings, made: Made) -> AsyncIterator[Api]:
    """The app with the compiler on (the default)."""
    async for a in _running(settings):
        yield a


@pytest.fixture
async def resolver_api(settings: Settings, made: Made) -> AsyncIterator[Api]:
    """The same app with every query answered by resolvers."""
    off = replace(settings, extra={"graphql_compiler": "off"})
    async for a in _running(off):
        yield a


@pytest.fixture
async def keys(engine: AsyncEngine) -> dict[Scope, str]:
    """One API key per scope."""
    out: dict[Scope, str] = {}
    for scope in Scope:
        key, _row = await create_key(engine, f"test-{scope.value}", scope)
        out[scope] = key
    return out
