"""Fixtures of the ingest tests: a migrated database holding the few places they use."""

import pytest
import sqlalchemy as sa
from ingest_helpers import BAIJI, KIRKUK, TIKRIT
from sqlalchemy.ext.asyncio import AsyncEngine

from ingest.worker import Extractor, load_extractor

PLACES = [
    (KIRKUK, "Kirkuk", "Kirkuk", "94786", 35.46806, 44.39222),
    (TIKRIT, "Tikrit", "Salah ad Din", "90151", 34.61581, 43.67861),
    (BAIJI, "Baiji", "Salah ad Din", "97784", 34.92944, 43.49306),
]


@pytest.fixture
async def db(engine: AsyncEngine) -> AsyncEngine:
    """`engine` (both backends) with the places of the test articles."""
    async with engine.begin() as conn:
        for geonames_id, name, admin1, admin2, lat, lon in PLACES:
            await conn.execute(
                sa.text(
                    "INSERT INTO place (geonames_id, name, ascii_name, admin1, admin2,"
                    " country_code, country, lat, lon, feature_class, feature_code, population,"
                    " source, created_at, updated_at) VALUES (:g, :n, :n, :a1, :a2, 'IQ', 'Iraq',"
                    " :lat, :lon, 'P', 'PPLA', 0, 'geonames', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                ),
                {"g": geonames_id, "n": name, "a1": admin1, "a2": admin2, "lat": lat, "lon": lon},
            )
    return engine


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """The real extraction pipeline, its resources loaded once per session."""
    return load_extractor()
