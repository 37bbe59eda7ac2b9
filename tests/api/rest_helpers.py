"""Small helpers shared by the REST tests."""

from __future__ import annotations

from typing import Any

import httpx

PROBLEM = "application/problem+json"


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
