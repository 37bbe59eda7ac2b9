"""RFC 9457 problem details (`application/problem+json`) for every REST error.

`Problem` is raised by handlers and middleware for expected failures; the handlers here
turn it, Starlette's HTTPException (404/405 from routing) and any unexpected exception
into a problem body. Unexpected exceptions are logged with their traceback and answered
with a bare 500: no SQL, path or stack trace ever reaches a client.
"""

import logging
from http import HTTPStatus
from typing import Any

import orjson
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import ApiError
from api.query.errors import QueryError

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("sitrep.api")


class Problem(ApiError):
    """An expected failure with an HTTP status. `extra` adds extension members (e.g.
    `param` for the offending parameter)."""

    def __init__(
        self,
        status: int,
        detail: str | None = None,
        *,
        title: str | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail or HTTPStatus(status).phrase)
        self.status = status
        self.detail = detail
        self.title = title or HTTPStatus(status).phrase
        self.headers = headers or {}
        self.extra = extra


def bad_param(param: str, message: str) -> Problem:
    """400 naming the parameter, with RFC 9457's `invalid_params` list."""
    return Problem(
        400,
        f"parameter {param!r}: {message}",
        param=param,
        invalid_params=[{"name": param, "reason": message}],
    )


def problem_body(problem: Problem, instance: str | None = None) -> bytes:
    body: dict[str, Any] = {"type": "about:blank", "title": problem.title, "status": problem.status}
    if problem.detail:
        body["detail"] = problem.detail
    if instance:
        body["instance"] = instance
    body.update(problem.extra)
    return orjson.dumps(body)


def problem_response(problem: Problem, instance: str | None = None) -> Response:
    headers = dict(problem.headers)
    if problem.status == 401:
        headers.setdefault("WWW-Authenticate", 'Bearer realm="sitrep"')
    return Response(
        problem_body(problem, instance),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


async def handle_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Problem)
    return problem_response(exc, request.url.path)


async def handle_query_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, QueryError)
    return problem_response(bad_param(exc.param, exc.message), request.url.path)


async def handle_http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    detail = exc.detail if exc.detail != HTTPStatus(exc.status_code).phrase else None
    headers = dict(exc.headers or {})
    if exc.status_code == 404 and detail is None:
        detail = f"no resource at {request.url.path}"
    return problem_response(Problem(exc.status_code, detail, headers=headers), request.url.path)


async def handle_pool_timeout(request: Request, exc: Exception) -> Response:
    """Every pooled database connection stayed busy for the pool's timeout: the server is
    saturated, which is worth a retry, not a 500."""
    log.warning("no database connection free: %s", exc)
    busy = Problem(503, "the server is busy; retry shortly", headers={"Retry-After": "1"})
    return problem_response(busy, request.url.path)


EXCEPTION_HANDLERS = {
    Problem: handle_problem,
    sa_exc.TimeoutError: handle_pool_timeout,
    QueryError: handle_query_error,
    HTTPException: handle_http_exception,
}


class CatchAllMiddleware:
    """Outermost layer: an unexpected exception becomes a logged, bare 500 problem
    (instead of Starlette's plain-text page), and is not re-raised into the server."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def _send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, _send)
        except Exception:
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if started:  # too late for a status: end the stream; the client sees a cut
                return
            response = problem_response(Problem(500, "internal error; it has been logged"))
            await response(scope, receive, send)
