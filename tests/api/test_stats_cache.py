"""REST and GraphQL statistics go through the snapshot cache on PostgreSQL: a new
incident shows in the very next answer."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from rest_helpers import rest_app
from sqlalchemy.ext.asyncio import AsyncEngine

from api.query import snapshots

PG = [pytest.param("postgres", marks=pytest.mark.postgres)]
GRAPHQL = "{ incidentStats(groupBy: [TYPE]) { type incidents } }"


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
async def test_stats_follow_new_incidents(
    engine: AsyncEngine, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(snapshots, "SLOW", 0.0)  # keep every result: the cached path
    async with rest_app(db_url) as client:
        url = "/api/v1/stats/incidents?group_by=type"
        for n in (0, 1, 2):
            rest = (await client.get(url)).json()
            assert sum(b["incidents"] for b in rest["buckets"]) == n
            gql = (await client.post("/graphql", json={"query": GRAPHQL})).json()
            assert sum(b["incidents"] for b in gql["data"]["incidentStats"]) == n, gql
            # asked again with nothing written: the kept answer, still right
            assert (await client.get(url)).json() == rest
            await _add_incident(engine)
