"""Fixtures of the REST tests: the real ASGI app (lifespan run) over httpx, on a fresh
database (SQLite and PostgreSQL, from the root conftest's `db_url`) filled by
rest_factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from rest_factory import World, build_world
from sqlalchemy.ext.asyncio import AsyncEngine

from api.app import create_app
from api.auth import create_key
from schema.config import Settings
from schema.enums import Scope


@asynccontextmanager
async def rest_app(db_url: str, **overrides: Any) -> AsyncIterator[httpx.AsyncClient]:
    """A client on a running app; rate limiting off unless asked for."""
    settings = Settings(database_url=db_url, **{"rate_limit_per_minute": 0, **overrides})
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


@pytest.fixture
async def world(engine: AsyncEngine) -> World:
    return await build_world(engine)


@pytest.fixture
async def client(db_url: str, world: World) -> AsyncIterator[httpx.AsyncClient]:
    async with rest_app(db_url) as c:
        yield c


@pytest.fixture
async def api_keys(engine: AsyncEngine) -> dict[Scope, str]:
    out: dict[Scope, str] = {}
    for scope in Scope:
        key, _row = await create_key(engine, f"rest-test-{scope.value}", scope)
        out[scope] = key
    return out
