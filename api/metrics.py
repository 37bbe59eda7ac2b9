"""Prometheus metrics at /metrics: request counts and latencies per route template, and
the ingest queue depth (jobs per state, read from the job table at scrape time).

Each app has its own registry (no global state: several apps in one process, as in the
tests, do not collide).
"""

import time

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import generate_latest
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.query.jobs import queue_depth


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "sitrep_http_requests",
            "HTTP requests by method, route template and status",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "sitrep_http_request_duration_seconds",
            "Time to the end of the response, by method and route template",
            ["method", "route"],
            registry=self.registry,
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10),
        )
        self.queue = Gauge(
            "sitrep_ingest_jobs", "Ingest jobs by state", ["state"], registry=self.registry
        )


class MetricsMiddleware:
    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def _send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, _send)
        finally:
            route = scope.get("route")
            # The template, never the raw path: ids in paths would explode cardinality.
            name = getattr(route, "path_format", None) or "unmatched"
            method = scope.get("method", "")
            self.metrics.requests.labels(method, name, str(status)).inc()
            self.metrics.latency.labels(method, name).observe(time.perf_counter() - start)


def routes(metrics: Metrics) -> list[BaseRoute]:
    async def scrape(request: Request) -> Response:
        engine: AsyncEngine = request.app.state.engine
        async with engine.connect() as conn:
            for state, n in (await queue_depth(conn)).items():
                metrics.queue.labels(state).set(n)
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return [Route("/metrics", scrape, methods=["GET"], name="metrics")]
