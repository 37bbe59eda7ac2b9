"""Settings read from the environment at start-up (never at import time).

Every variable has a development default so `make run` works on a fresh clone.
"""

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./sitrep.db"


class ConfigError(ValueError):
    """A setting is present but unusable; the message names the variable."""


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from None


def _positive(env: Mapping[str, str], name: str, default: int) -> int:
    value = _int(env, name, default)
    if value < 1:
        raise ConfigError(f"{name} must be at least 1, got {value}")
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


def _list(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in env.get(name, "").split(",") if x.strip())


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    # API
    read_requires_key: bool = False
    introspection: bool = True
    max_page_size: int = 500
    max_body_bytes: int = 10 * 1024 * 1024
    cors_origins: tuple[str, ...] = ()
    rate_limit_per_minute: int = 600
    graphql_max_depth: int = 10
    graphql_max_aliases: int = 30
    graphql_max_tokens: int = 2000
    graphql_max_cost: int = 50_000
    db_pool_size: int = 4  # database connections per API worker process (PostgreSQL)
    # worker
    worker_concurrency: int = 1
    job_max_attempts: int = 3
    extra: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        e = os.environ if env is None else env
        url = e.get("DATABASE_URL") or DEFAULT_DATABASE_URL
        if "://" not in url:
            raise ConfigError(f"DATABASE_URL is not a database URL: {url!r}")
        return cls(
            database_url=normalise_url(url),
            read_requires_key=_bool(e, "SITREP_READ_REQUIRES_KEY", False),
            introspection=_bool(e, "SITREP_INTROSPECTION", True),
            max_page_size=_int(e, "SITREP_MAX_PAGE_SIZE", 500),
            max_body_bytes=_int(e, "SITREP_MAX_BODY_BYTES", 10 * 1024 * 1024),
            cors_origins=_list(e, "SITREP_CORS_ORIGINS"),
            rate_limit_per_minute=_int(e, "SITREP_RATE_LIMIT_PER_MINUTE", 600),
            graphql_max_depth=_int(e, "SITREP_GRAPHQL_MAX_DEPTH", 10),
            graphql_max_aliases=_int(e, "SITREP_GRAPHQL_MAX_ALIASES", 30),
            graphql_max_tokens=_int(e, "SITREP_GRAPHQL_MAX_TOKENS", 2000),
            graphql_max_cost=_int(e, "SITREP_GRAPHQL_MAX_COST", 50_000),
            db_pool_size=_positive(e, "SITREP_DB_POOL_SIZE", 4),
            worker_concurrency=_int(e, "SITREP_WORKER_CONCURRENCY", 1),
            job_max_attempts=_int(e, "SITREP_JOB_MAX_ATTEMPTS", 3),
        )


def normalise_url(url: str) -> str:
    """Accept the plain forms users paste (postgres://, postgresql://, sqlite:///) and
    return the async-driver form SQLAlchemy needs."""
    scheme, sep, rest = url.partition("://")
    scheme = {
        "postgres": "postgresql+asyncpg",
        "postgresql": "postgresql+asyncpg",
        "sqlite": "sqlite+aiosqlite",
    }.get(scheme, scheme)
    if scheme not in {"postgresql+asyncpg", "sqlite+aiosqlite"}:
        raise ConfigError(
            f"DATABASE_URL scheme {url.partition('://')[0]!r} is not supported; "
            "use postgresql://... or sqlite:///path"
        )
    return scheme + sep + rest
