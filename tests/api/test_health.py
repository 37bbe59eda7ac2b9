"""/healthz and /readyz through the real ASGI app (lifespan run, engine on app.state)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import sqlalchemy as sa

from api.app import create_app
from schema import migrate
from schema.config import Settings
from schema.db import make_engine


@asynccontextmanager
async def _client(url: str) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(database_url=url))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


async def test_healthz_and_readyz_on_a_migrated_database(db_url: str) -> None:
    async with _client(db_url) as client:
        health = await client.get("/healthz")
        ready = await client.get("/readyz")
    assert (health.status_code, health.json()) == (200, {"status": "ok"})
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"
    assert migrate.head() in ready.json()["detail"]


async def test_readyz_503_when_not_migrated(empty_db_url: str) -> None:
    async with _client(empty_db_url) as client:
        health = await client.get("/healthz")
        ready = await client.get("/readyz")
    assert health.status_code == 200  # the process is up all the same
    assert ready.status_code == 503
    assert ready.json() == {
        "status": "unavailable",
        "detail": "database not migrated: run `sitrep db upgrade`",
    }


async def test_readyz_503_when_behind_head(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(sa.text("UPDATE alembic_version SET version_num = 'older'"))
    finally:
        await engine.dispose()
    async with _client(db_url) as client:
        ready = await client.get("/readyz")
    assert ready.status_code == 503
    assert "older" in ready.json()["detail"]


async def test_readyz_503_when_database_unreachable() -> None:
    url = "postgresql+asyncpg://postgres@127.0.0.1:1/nowhere"  # port 1: nothing listens
    async with _client(url) as client:
        health = await client.get("/healthz")
        ready = await client.get("/readyz")
    assert health.status_code == 200
    assert ready.status_code == 503
    assert ready.json()["detail"].startswith("cannot use database postgresql+asyncpg://")
