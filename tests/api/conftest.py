"""Fixtures of the API tests: the real ASGI app (lifespan run) over httpx.

- `world`, `client`, `api_keys`: a fresh database per test (SQLite and PostgreSQL, from
  the root conftest's `db_url`) filled by rest_factory with hand-made edge cases.
- `ingested_url`: one database per backend and session with the reference data seeded
  and the five articles of seeds/articles ingested through the real `sitrep ingest`
  code path (extraction + storage); read-only tests share it. `seed_truth` is what the
  database holds, read back with plain SQL, to compare the APIs' answers with.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from rest_factory import World, build_world
from rest_helpers import rest_app
from seed_truth import Truth, load_truth
from sqlalchemy.ext.asyncio import AsyncEngine

from api.auth import create_key
from ingest.commands.ingest import ingest_files
from ingest.sources import expand, submission_of_file
from ingest.worker import Extractor, load_extractor
from schema.config import Settings
from schema.db import make_engine
from schema.enums import Scope

SEED_ARTICLES = Path(__file__).resolve().parents[2] / "seeds" / "articles"
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


@pytest.fixture(scope="session")
def seed_extractor() -> Extractor:
    """The real extraction pipeline, its resources loaded once per session."""
    return load_extractor()


@pytest.fixture(scope="session", params=BACKENDS)
async def ingested_url(
    request: pytest.FixtureRequest, databases: object, seed_extractor: Extractor
) -> AsyncIterator[str]:
    """A seeded database with the five seed articles ingested (read-only: share it)."""
    backend = request.param
    if backend == "postgres":
        request.getfixturevalue("pg_server_url")  # skips (or fails under CI) when down
    url: str = await databases.create(backend, "seeded")  # type: ignore[attr-defined]
    subs = [submission_of_file(p) for p in expand([str(SEED_ARTICLES)])]
    assert len(subs) == 5
    out = io.StringIO()
    code = await ingest_files(Settings(database_url=url), subs, seed_extractor, out)
    assert code == 0, out.getvalue()
    yield url
    databases.drop(url)  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
async def seed_truth(ingested_url: str) -> Truth:
    engine = make_engine(ingested_url)
    try:
        return await load_truth(engine)
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
async def seeded_client(ingested_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the app on the ingested database (module-scoped: read-only tests)."""
    async with rest_app(ingested_url) as c:
        yield c


@pytest.fixture
async def world(engine: AsyncEngine) -> World:
    return await build_world(engine)


@pytest.fixture
async def client(db_url: str, world: World) -> AsyncIterator[httpx.AsyncClient]:
    async with rest_app(db_url) as c:
        yield c


@pytest.fixture
async def api_keys(engine: AsyncEngine) -> dict[Scope, str]:
    out: dict[Scope, str] = {}
    for scope in Scope:
        key, _row = await create_key(engine, f"rest-test-{scope.value}", scope)
        out[scope] = key
    return out
