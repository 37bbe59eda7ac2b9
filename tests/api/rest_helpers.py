"""Small helpers shared by the REST tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from api.app import create_app
from schema.config import Settings

PROBLEM = "application/problem+json"


@asynccontextmanager
async def rest_app(db_url: str, **overrides: Any) -> AsyncIterator[httpx.AsyncClient]:
    """A client on a running app (lifespan run); rate limiting off unless asked for."""
    settings = Settings(database_url=db_url, **{"rate_limit_per_minute": 0, **overrides})
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


async def items(client: httpx.AsyncClient, url: str, **headers: str) -> list[dict[str, Any]]:
    r = await client.get(url, headers=headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"items", "next"}
    out: list[dict[str, Any]] = body["items"]
    return out


async def ids(client: httpx.AsyncClient, url: str) -> list[int]:
    return [x["id"] for x in await items(client, url)]


def assert_problem(r: httpx.Response, status: int) -> dict[str, Any]:
    assert r.status_code == status, (r.status_code, r.text)
    assert r.headers["content-type"].startswith(PROBLEM), r.headers
    body: dict[str, Any] = r.json()
    assert body["status"] == status
    assert body["title"]
    assert body["type"] == "about:blank"
    return body
