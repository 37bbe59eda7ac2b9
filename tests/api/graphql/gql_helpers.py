"""A small client for the GraphQL endpoint of an app under test."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from starlette.applications import Starlette


@dataclass
class Api:
    """One running app and a client to it."""

    app: Starlette
    client: httpx.AsyncClient

    async def post(
        self, query: str, variables: dict[str, Any] | None = None, key: str | None = None
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        body: dict[str, Any] = {"query": query}
        if variables is not None:
            body["variables"] = variables
        return await self.client.post("/graphql", json=body, headers=headers)

    async def query(
        self, query: str, variables: dict[str, Any] | None = None, key: str | None = None
    ) -> dict[str, Any]:
        """The response body (`data` and maybe `errors`)."""
        response = await self.post(query, variables, key)
        body: dict[str, Any] = response.json()
        return body

    async def data(
        self, query: str, variables: dict[str, Any] | None = None, key: str | None = None
    ) -> dict[str, Any]:
        body = await self.query(query, variables, key)
        assert "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data


def plan_cache(app: Starlette) -> Any:
    """The compiler's plan cache of an app (its counters tell which path answered)."""
    from starlette.routing import Route

    for route in app.routes:
        if isinstance(route, Route) and route.path == "/graphql":
            for ext in route.app.schema.extensions:  # type: ignore[attr-defined]
                if hasattr(ext, "plans"):
                    return ext.plans
    raise LookupError("no GraphQL compiler on this app")
