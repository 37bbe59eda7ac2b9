"""API keys and scopes, shared by REST and GraphQL.

Keys look like `sitrep_<43 url-safe chars>`; only their SHA-256 is stored (ApiKey), with
a short prefix to recognise them in listings. A request presents one as
`Authorization: Bearer <key>` or `X-API-Key: <key>`. Scopes nest: read < write < curate.
Reads are open unless `Settings.read_requires_key`; writes always need a key.
"""

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import HTTPConnection

from api.problems import Problem
from api.query import keys as key_rows
from schema.config import Settings
from schema.enums import Scope

KEY_PREFIX = "sitrep_"
SCOPE_RANK = {Scope.READ: 1, Scope.WRITE: 2, Scope.CURATE: 3}


@dataclass(frozen=True)
class Principal:
    """Who is calling: an API key's id, name and scope."""

    key_id: int
    name: str
    scope: Scope

    def allows(self, needed: Scope) -> bool:
        return SCOPE_RANK[self.scope] >= SCOPE_RANK[needed]


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def presented_key(headers: Any) -> str | None:
    """The key in `Authorization: Bearer ...` or `X-API-Key`, if any (headers: a
    case-insensitive mapping such as Starlette's Headers)."""
    auth = headers.get("authorization")
    if auth:
        scheme, _, value = auth.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return str(value.strip())
    key = headers.get("x-api-key")
    return str(key.strip()) if key and key.strip() else None


async def create_key(engine: AsyncEngine, name: str, scope: Scope) -> tuple[str, dict[str, Any]]:
    """Create a key; returns (the key itself — shown once, never stored —, its row)."""
    key = new_key()
    async with engine.begin() as conn:
        row = await key_rows.insert_key(
            conn, name, key[: len(KEY_PREFIX) + 6], hash_key(key), scope.value
        )
    return key, row


async def authenticate(engine: AsyncEngine, key: str) -> Principal | None:
    """The principal of an active key, or None for an unknown or revoked one."""
    if len(key) > 200:
        return None
    async with engine.begin() as conn:
        row = await key_rows.key_by_hash(conn, hash_key(key))
        if row is None or row["revoked_at"] is not None:
            return None
        await key_rows.touch_key(conn, row["id"])
    return Principal(row["id"], row["name"], Scope(row["scope"]))


async def principal_of(conn: HTTPConnection) -> Principal | None:
    """The caller's principal (cached on the request); 401 for a key that is presented
    but unknown or revoked — even where reads are open, a bad key is an error."""
    state = conn.scope.setdefault("state", {})
    if "sitrep_principal" in state:
        cached: Principal | None = state["sitrep_principal"]
        return cached
    key = presented_key(conn.headers)
    principal = None
    if key is not None:
        principal = await authenticate(conn.app.state.engine, key)
        if principal is None:
            raise Problem(401, "the API key is unknown or revoked")
    state["sitrep_principal"] = principal
    return principal


async def require(conn: HTTPConnection, needed: Scope) -> Principal | None:
    """Enforce `needed` for this request: 401 without a usable key where one is
    required, 403 when the key's scope is too low. Returns the principal (None for an
    anonymous read where reads are open)."""
    settings: Settings = conn.app.state.settings
    principal = await principal_of(conn)
    if principal is None:
        if needed == Scope.READ and not settings.read_requires_key:
            return None
        raise Problem(401, f"this needs an API key with the {needed.value!r} scope")
    if not principal.allows(needed):
        raise Problem(
            403,
            f"the API key's scope {principal.scope.value!r} does not include {needed.value!r}",
        )
    return principal
