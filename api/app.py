"""The ASGI application: `create_app(settings)` builds it; nothing is built at import time.

Mounts /healthz and /readyz (api.health), the REST API under /api/v1 (api.rest) and
GraphQL at /graphql (api.graphql). The engine is made in the lifespan and kept on
`app.state.engine`.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.routing import BaseRoute

from api import graphql as graphql_pkg
from api import health, rest
from schema.config import Settings
from schema.db import make_engine


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url)
        app.state.engine = engine
        app.state.settings = settings
        try:
            yield
        finally:
            await engine.dispose()

    routes: list[BaseRoute] = [
        *health.routes(),
        *rest.routes(settings),
        *graphql_pkg.routes(settings),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.settings = settings
    return app
