"""Alembic environment for sitrep: async engines, URL from our settings, SQLite batch mode.

Where the database URL comes from, first match wins:
1. `config.attributes["connection"]`: an open (sync-facing) connection handed over by
   schema.migrate, which runs Alembic inside `AsyncConnection.run_sync`;
2. `config.attributes["url"]`, set programmatically;
3. `DATABASE_URL` through schema.config.Settings (the development default otherwise).

The full-text objects added by hand in the initial migration (FTS5 tables and their
triggers on SQLite, GIN expression indexes on PostgreSQL) are not in the models, so
autogenerate must not propose dropping them: `include_name` hides them.
"""

import asyncio
from collections.abc import MutableMapping
from logging.config import fileConfig
from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import async_engine_from_config
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString

import schema.models  # noqa: F401  (registers every table on the metadata)
from schema import migrate
from schema.config import Settings, normalise_url

config = context.config

# Logging set-up only when run by the `alembic` command with an ini file; programmatic
# callers (tests, `sitrep db`) keep their own logging.
if config.config_file_name is not None and not config.attributes.get("skip_logging"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = SQLModel.metadata


NameType = Literal[
    "schema",
    "table",
    "column",
    "index",
    "unique_constraint",
    "foreign_key_constraint",
    "check_constraint",
]
ParentKey = Literal["schema_name", "table_name", "schema_qualified_table_name"]


def include_name(
    name: str | None, type_: NameType, parents: MutableMapping[ParentKey, str | None]
) -> bool:
    """Hide the hand-written full-text objects from autogenerate's comparison."""
    return migrate.include_name(name, type_, parents)  # type: ignore[arg-type]


def render_item(type_: str, obj: Any, _autogen_context: AutogenContext) -> str | Literal[False]:
    """Render SQLModel's AutoString as plain sa.String so migrations don't import sqlmodel."""
    if type_ == "type" and isinstance(obj, AutoString):
        return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
    return False


def _configure(**kwargs: Any) -> None:
    context.configure(
        target_metadata=target_metadata,
        compare_type=True,
        include_name=include_name,
        render_item=render_item,
        **kwargs,
    )


def _url() -> str:
    url = config.attributes.get("url")
    if url:
        return normalise_url(str(url))
    return Settings.from_env().database_url


def run_migrations_offline() -> None:
    """`alembic upgrade --sql`: emit SQL for the URL's dialect without connecting."""
    url = _url()
    _configure(
        url=url,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def do_run_migrations(connection: Connection) -> None:
    _configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


async def run_async_migrations() -> None:
    engine = async_engine_from_config(
        {"sqlalchemy.url": _url()}, prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    try:
        async with engine.connect() as connection:
            await connection.run_sync(do_run_migrations)
            await connection.commit()
    finally:
        await engine.dispose()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        do_run_migrations(connection)
    else:
        asyncio.run(run_async_migrations())


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
