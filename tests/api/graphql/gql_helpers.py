"""A small client for the GraphQL endpoint of an app under test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import httpx
from starlette.applications import Starlette

from api.app import create_app
from schema.config import Settings

if TYPE_CHECKING:
    from gql_factory import Made


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


async def running(settings: Settings) -> AsyncIterator[Api]:
    """The app of `settings` with its lifespan run, and a client to it."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield Api(app, client)


def resolvers_only(settings: Settings) -> Settings:
    return replace(settings, extra={**settings.extra, "graphql_compiler": "off"})


@dataclass
class ReadEnv:
    settings: Settings
    made: Made
