"""Fixtures of the REST tests: the real ASGI app (lifespan run) over httpx, on a fresh
database (SQLite and PostgreSQL, from the root conftest's `db_url`) filled by
rest_factory."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from rest_factory import World, build_world
from rest_helpers import rest_app
from sqlalchemy.ext.asyncio import AsyncEngine

from api.auth import create_key
from schema.enums import Scope


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
