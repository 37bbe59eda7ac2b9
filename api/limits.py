"""Request limits as ASGI middleware: a rate limit per API key / client address, and a
request body size limit.

The rate limit is a token bucket per caller, in process memory: with N worker processes
a caller gets up to N times the configured rate (documented; a shared store would cost a
round trip per request). Callers presenting a key are counted by the key (a hash of it:
no database lookup here), others by client address.
"""

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.auth import presented_key
from api.problems import Problem, problem_response

LIMITED_PREFIXES = ("/api/", "/graphql")
MAX_BUCKETS = 50_000


@dataclass
class Bucket:
    tokens: float
    stamp: float


class RateLimiter:
    """Token buckets: `per_minute` capacity, refilled continuously."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.buckets: dict[str, Bucket] = {}
        self.clock = clock

    def take(self, caller: str) -> float:
        """Take one token; returns 0 when allowed, else the seconds until one is due."""
        now = self.clock()
        bucket = self.buckets.get(caller)
        if bucket is None:
            if len(self.buckets) >= MAX_BUCKETS:
                self._prune(now)
            bucket = self.buckets[caller] = Bucket(self.capacity, now)
        else:
            bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.stamp) * self.rate)
            bucket.stamp = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self.rate

    def _prune(self, now: float) -> None:
        # Buckets that have refilled completely carry no information: forget them.
        full = [
            k
            for k, b in self.buckets.items()
            if b.tokens + (now - b.stamp) * self.rate >= self.capacity
        ]
        for k in full:
            del self.buckets[k]
        if len(self.buckets) >= MAX_BUCKETS:  # still full: drop the oldest half
            for k in sorted(self.buckets, key=lambda k: self.buckets[k].stamp)[: MAX_BUCKETS // 2]:
                del self.buckets[k]


def caller_of(scope: Scope) -> str:
    key = presented_key(Headers(scope=scope))
    if key is not None:
        return "key:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    client = scope.get("client")
    return "addr:" + (client[0] if client else "unknown")


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp, per_minute: int) -> None:
        self.app = app
        self.limiter = RateLimiter(per_minute) if per_minute > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self.limiter is None
            or scope["type"] != "http"
            or not scope["path"].startswith(LIMITED_PREFIXES)
        ):
            await self.app(scope, receive, send)
            return
        wait = self.limiter.take(caller_of(scope))
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            problem = Problem(
                429,
                f"rate limit of {int(self.limiter.capacity)} requests a minute exceeded;"
                f" retry in {seconds} s",
                headers={"Retry-After": str(seconds)},
            )
            await problem_response(problem, scope["path"])(scope, receive, send)
            return
        await self.app(scope, receive, send)


class BodyTooLarge(Exception):
    pass


class BodyLimitMiddleware:
    """413 for a declared Content-Length above the limit, and for a chunked body that
    grows past it while the app reads it."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = Problem(413, f"the request body is larger than {self.max_bytes} bytes")
        length = Headers(scope=scope).get("content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            await problem_response(too_large, scope["path"])(scope, receive, send)
            return
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await problem_response(too_large, scope["path"])(scope, receive, send)
