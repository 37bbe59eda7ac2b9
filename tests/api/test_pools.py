"""PostgreSQL connection pools of the API: a saturated pool answers 503 with Retry-After
(not a 500, not an endless wait), and exports have a pool of their own."""

from __future__ import annotations

import httpx
import pytest
from rest_helpers import assert_problem

import api.app
from api.app import create_app
from schema.config import ConfigError, Settings

PG = [pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.mark.parametrize("db_url", PG, indirect=True)
async def test_a_saturated_pool_answers_503_and_exports_keep_their_own(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(api.app, "POOL_TIMEOUT", 0.3)
    app = create_app(Settings(database_url=db_url, rate_limit_per_minute=0, db_pool_size=1))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            assert (await client.get("/api/v1/incidents")).status_code == 200
            async with app.state.engine.connect():  # the pool's only connection, held
                r = await client.get("/api/v1/incidents")
                assert_problem(r, 503)
                assert r.headers["retry-after"] == "1"
                export = await client.get("/api/v1/incidents?format=ndjson")
                assert export.status_code == 200
            assert (await client.get("/api/v1/incidents")).status_code == 200


def test_pool_size_must_be_positive() -> None:
    assert Settings.from_env({"SITREP_DB_POOL_SIZE": "7"}).db_pool_size == 7
    with pytest.raises(ConfigError, match="SITREP_DB_POOL_SIZE"):
        Settings.from_env({"SITREP_DB_POOL_SIZE": "0"})
