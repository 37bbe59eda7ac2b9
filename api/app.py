"""The ASGI application: `create_app(settings)` builds it; nothing is built at import time.

Mounts /healthz and /readyz (api.health), the REST API under /api/v1 (api.rest) and
GraphQL at /graphql (api.graphql), /metrics (api.metrics), wrapped in the middleware
stack of api.middleware. The engine is made in the lifespan and kept on
`app.state.engine`; `app.state.read_engine` is the same pool for single-statement reads,
in autocommit on PostgreSQL (no BEGIN and ROLLBACK round trips around every request);
`app.state.hub` is the one change-feed listener shared by all GraphQL subscriptions.
"""

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.routing import BaseRoute

from api import graphql as graphql_pkg
from api import health, metrics, middleware, rest
from api.graphql.hub import ChangeHub
from api.problems import EXCEPTION_HANDLERS
from api.query.snapshots import SnapshotCache
from schema.config import Settings
from schema.db import make_engine


def engine_options(url: str, pool_size: int) -> dict[str, Any]:
    """PostgreSQL: no ping per checkout (a round trip on every request); recycle
    connections instead. The pool is small and never overflows: requests beyond
    `pool_size` wait in the worker for a connection instead of adding database backends
    that compete for the same cores. Measured on bench Q2 REST (2 workers, 16
    connections, 2 cores): 10 + 20 overflow connections per worker gave p99 93-2,078 ms;
    4 and no overflow, p99 24-32 ms at the same throughput."""
    if url.startswith("postgresql"):
        return {
            "pool_pre_ping": False,
            "pool_recycle": 1800,
            "pool_size": pool_size,
            "max_overflow": 0,
            "pool_timeout": POOL_TIMEOUT,
        }
    return {}


#: Seconds a request waits for a pooled connection before it is answered 503.
POOL_TIMEOUT = 10.0
#: Exports hold a connection for as long as the client reads: their own pool, so slow
#: readers never take the connections of ordinary requests.
EXPORT_POOL = {"pool_size": 1, "max_overflow": 7}


def read_engine(engine: AsyncEngine) -> AsyncEngine:
    """The engine for reads made of one statement: a statement is its own snapshot, so
    a transaction around it only costs two round trips (measured: 3 socket writes per
    REST list request instead of 1)."""
    if engine.dialect.name == "postgresql":
        return engine.execution_options(isolation_level="AUTOCOMMIT")
    return engine


#: Allocations between young-generation collections (CPython's default is 700).
GC_THRESHOLD = (20_000, 50, 100)


@cache  # once per process
def tune_gc() -> None:
    """When the app starts serving: move everything built so far (the
    GraphQL schema, SQLAlchemy's tables and compiled statements) out of the collector's
    reach, and collect less often. A request allocates thousands of short-lived objects;
    with the defaults a full collection walked the whole app every second or so and
    paused the event loop for every request in flight. Measured with one worker under
    16 connections (bench Q1 GraphQL): full collections of 58 ms on average (max 105 ms)
    and 480 ms of collecting in 13 s, against 33 ms on average and 155 ms with this."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        url = settings.database_url
        engine = make_engine(url, **engine_options(url, settings.db_pool_size))
        app.state.engine = engine
        app.state.read_engine = read_engine(engine)
        exports = engine
        if engine.dialect.name == "postgresql":
            exports = make_engine(url, **{**engine_options(url, 1), **EXPORT_POOL})
        app.state.export_engine = read_engine(exports)
        app.state.hub = ChangeHub(engine)
        app.state.snapshots = SnapshotCache()  # REST stats (api.query.snapshots)
        app.state.settings = settings
        tune_gc()
        try:
            yield
        finally:
            await app.state.hub.close()
            await engine.dispose()
            if exports is not engine:
                await exports.dispose()

    app_metrics = metrics.Metrics()
    routes: list[BaseRoute] = [
        *health.routes(),
        *rest.routes(settings),
        *graphql_pkg.routes(settings),
        *metrics.routes(app_metrics),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=middleware.stack(settings, app_metrics),
        exception_handlers=dict(EXCEPTION_HANDLERS),
    )
    app.state.settings = settings
    app.state.metrics = app_metrics
    return app
