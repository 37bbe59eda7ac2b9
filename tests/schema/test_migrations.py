"""Migrations: upgrade from empty, models and migrations agree, downgrade to base."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import schema.models  # noqa: F401
from schema import migrate
from schema.db import make_engine

TABLES = set(SQLModel.metadata.tables)


async def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            names = await conn.run_sync(lambda c: sa.inspect(c).get_table_names())
    finally:
        await engine.dispose()
    return set(names)


def _diff(conn: Connection) -> list[object]:
    ctx = MigrationContext.configure(
        conn, opts={"compare_type": True, "include_name": migrate.include_name}
    )
    return list(compare_metadata(ctx, SQLModel.metadata))


async def test_upgrade_empty_database_to_head(empty_db_url: str) -> None:
    assert await migrate.current(empty_db_url) is None
    await migrate.upgrade(empty_db_url)
    assert await migrate.current(empty_db_url) == migrate.head()
    assert await _tables(empty_db_url) >= TABLES


async def test_upgrade_twice_is_a_no_op(db_url: str) -> None:
    await migrate.upgrade(db_url)
    assert await migrate.current(db_url) == migrate.head()


async def test_models_and_migrations_agree(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        async with engine.connect() as conn:
            diff = await conn.run_sync(_diff)
    finally:
        await engine.dispose()
    assert diff == [], f"models and migrations differ: add a revision for {diff}"


async def test_comparison_notices_a_difference(db_url: str) -> None:
    """The agreement test can fail: a column the migrations lack is reported."""
    engine = make_engine(db_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(sa.text("ALTER TABLE place ADD COLUMN stray INTEGER"))
            diff = await conn.run_sync(_diff)
    finally:
        await engine.dispose()
    assert [(d[0], d[2], d[3].name) for d in diff if isinstance(d, tuple)] == [
        ("remove_column", "place", "stray")
    ]


async def test_downgrade_to_base_and_back(db_url: str) -> None:
    await migrate.downgrade(db_url, "base")
    assert await migrate.current(db_url) is None
    assert await _tables(db_url) <= {"alembic_version"}
    await migrate.upgrade(db_url)
    assert await migrate.current(db_url) == migrate.head()
    assert await _tables(db_url) >= TABLES
