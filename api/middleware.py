"""The middleware stack of the app, outermost first.

catch-all (500 problem) -> metrics -> CORS (when origins are configured) -> rate limit
-> body size limit -> gzip -> routes.
"""

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware

from api.limits import BodyLimitMiddleware, RateLimitMiddleware
from api.metrics import Metrics, MetricsMiddleware
from api.problems import CatchAllMiddleware
from schema.config import Settings

# zlib level 6 (its own default), not Starlette's 9: measured on the NDJSON export of
# 100,000 incidents (92 MB), level 9 compresses at 26 MB/s (28,000 rows/s, slower than
# the database makes them) for a ratio of 13.3; level 6 at 130 MB/s for 12.3.
GZIP_LEVEL = 6


def stack(settings: Settings, metrics: Metrics) -> list[Middleware]:
    out = [Middleware(CatchAllMiddleware), Middleware(MetricsMiddleware, metrics=metrics)]
    if settings.cors_origins:
        out.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST", "OPTIONS"],
                allow_headers=["Authorization", "X-API-Key", "Content-Type", "If-None-Match"],
                expose_headers=["Link", "ETag", "Retry-After", "Location"],
                max_age=600,
            )
        )
    out += [
        Middleware(RateLimitMiddleware, per_minute=settings.rate_limit_per_minute),
        Middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes),
        Middleware(GZipMiddleware, minimum_size=1024, compresslevel=GZIP_LEVEL),
    ]
    return out
