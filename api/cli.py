"""`sitrep serve` (api.serve) and `sitrep keys create|list|revoke`.

The database is the one named by DATABASE_URL (schema.config.Settings).
"""

import argparse
import asyncio
from typing import Any

from api import auth
from api.errors import ApiError
from api.query import keys as key_rows
from schema.config import Settings
from schema.db import make_engine
from schema.enums import Scope


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """serve, keys."""
    serve = commands.add_parser(
        "serve",
        help="run the REST and GraphQL API (uvicorn)",
        description="Serve the API (REST under /api/v1, GraphQL at /graphql) with uvicorn.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument(
        "--workers", type=int, default=1, help="worker processes (default 1; 2-4 per core)"
    )
    serve.add_argument("--log-level", default="info", help="uvicorn log level (default info)")
    serve.set_defaults(func=_serve)

    keys = commands.add_parser(
        "keys", help="manage API keys", description="Create, list and revoke API keys."
    )
    sub = keys.add_subparsers(dest="keys_command", required=True, metavar="COMMAND")
    create = sub.add_parser(
        "create", help="create a key and print it (once)", description="Create an API key."
    )
    create.add_argument(
        "--scope", required=True, choices=[s.value for s in Scope], help="read < write < curate"
    )
    create.add_argument("--name", required=True, help="who or what the key is for")
    create.set_defaults(func=_create)
    listing = sub.add_parser("list", help="list keys (never the keys themselves)")
    listing.set_defaults(func=_list)
    revoke = sub.add_parser("revoke", help="revoke a key by id")
    revoke.add_argument("id", type=int, help="the key's id (see `sitrep keys list`)")
    revoke.set_defaults(func=_revoke)


def _serve(args: argparse.Namespace) -> int:
    from api import serve  # imported here: only `serve` needs uvicorn

    Settings.from_env()  # fail early, with one line, on a bad configuration
    return serve.run(args.host, args.port, args.workers, args.log_level)


async def _with_engine(work: Any) -> Any:
    engine = make_engine(Settings.from_env().database_url)
    try:
        return await work(engine)
    finally:
        await engine.dispose()


def _create(args: argparse.Namespace) -> int:
    name = args.name.strip()
    if not name or len(name) > 200:
        raise ApiError("--name must be 1 to 200 characters")

    async def work(engine: Any) -> tuple[str, dict[str, Any]]:
        return await auth.create_key(engine, name, Scope(args.scope))

    key, row = asyncio.run(_with_engine(work))
    print(key)
    print(
        f"key {row['id']} ({row['scope']}) for {row['name']!r}: shown once, store it now",
        flush=True,
    )
    return 0


def _list(_args: argparse.Namespace) -> int:
    async def work(engine: Any) -> list[dict[str, Any]]:
        async with engine.connect() as conn:
            return await key_rows.list_keys(conn)

    rows = asyncio.run(_with_engine(work))
    print("id\tscope\tprefix\tname\tcreated\tlast used\trevoked")
    for r in rows:
        cells = [r["id"], r["scope"], r["prefix"] + "…", r["name"]]
        cells += [
            r[k].isoformat(timespec="seconds") if r[k] else "-"
            for k in ("created_at", "last_used_at", "revoked_at")
        ]
        print("\t".join(str(c) for c in cells))
    return 0


def _revoke(args: argparse.Namespace) -> int:
    async def work(engine: Any) -> bool:
        async with engine.begin() as conn:
            return await key_rows.revoke_key(conn, args.id)

    if not asyncio.run(_with_engine(work)):
        raise ApiError(f"no active key with id {args.id}")
    print(f"key {args.id} revoked")
    return 0
