"""The snapshot cache on PostgreSQL: a slow statement's result is reused while nothing
commits, and never after a commit; a rolled-back write changes nothing."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from api.query import prepared
from api.query.snapshots import SnapshotCache

PG = [pytest.param("postgres", marks=pytest.mark.postgres)]
SLOW_COUNT = "SELECT count(*)::text FROM incident, pg_sleep(0.03) WHERE id > $1"


async def _add_incident(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(
            sa.text(
                "INSERT INTO incident (created_at, updated_at, type, source_count, salience,"
                " review_status, curated_fields) VALUES (now(), now(), 'armed_assault', 1,"
                " 'main', 'unreviewed', '[]')"
            )
        )


@pytest.mark.parametrize("db_url", PG, indirect=True)
async def test_reused_until_a_write_commits(engine: AsyncEngine) -> None:
    cache = SnapshotCache(slow=0.01)
    autocommit = engine.execution_options(isolation_level="AUTOCOMMIT")
    async with autocommit.connect() as conn:
        driver = await prepared.driver(conn)
        # Any commit on the server changes the snapshot (other tests' leftovers,
        # autovacuum): a hit is expected within a few tries, not on the first.
        for _ in range(20):
            assert await cache.fetchval(driver, SLOW_COUNT, [0]) == "0"
            if cache.hits:
                break
        assert cache.hits >= 1
        # Other arguments are another entry.
        misses = cache.misses
        assert await cache.fetchval(driver, SLOW_COUNT, [5]) == "0"
        assert cache.misses == misses + 1
        hits = cache.hits
        await _add_incident(engine)  # another connection commits
        assert await cache.fetchval(driver, SLOW_COUNT, [0]) == "1"  # never the kept "0"
        assert cache.hits == hits
        # A write transaction that rolls back leaves the data (and the answer) as it was.
        async with engine.connect() as other:
            await other.execute(sa.text("DELETE FROM incident"))
            assert await cache.fetchval(driver, SLOW_COUNT, [0]) == "1"  # not committed
            await other.rollback()
        assert await cache.fetchval(driver, SLOW_COUNT, [0]) == "1"


@pytest.mark.parametrize("db_url", PG, indirect=True)
async def test_fast_statements_are_not_kept(engine: AsyncEngine) -> None:
    cache = SnapshotCache(slow=10.0)
    autocommit = engine.execution_options(isolation_level="AUTOCOMMIT")
    async with autocommit.connect() as conn:
        driver = await prepared.driver(conn)
        for _ in range(3):
            assert await cache.fetchval(driver, "SELECT $1::int + 1", [41]) == 42
        assert (cache.hits, cache.misses) == (0, 3)
