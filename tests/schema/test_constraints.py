"""The database itself rejects bad rows: CHECK, UNIQUE and FOREIGN KEY constraints hold
on both backends (the model's guarantees do not depend on application code)."""

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel

import schema.models  # noqa: F401

NOW = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
T = SQLModel.metadata.tables


def _ts(**values: Any) -> dict[str, Any]:
    return {"created_at": NOW, "updated_at": NOW, **values}


async def _insert(engine: AsyncEngine, table: str, **values: Any) -> int:
    async with engine.begin() as conn:
        result = await conn.execute(
            sa.insert(T[table]).values(_ts(**values)).returning(T[table].c.id)
        )
        return int(result.scalar_one())


async def _document(engine: AsyncEngine, sha: str = "a" * 64) -> int:
    return await _insert(engine, "document", sha256=sha, raw_text="x", text="x")


INCIDENT = {"type": "bombing", "source_count": 1}


@pytest.mark.parametrize(
    "values",
    [
        {"killed_low": -1},
        {"killed_low": 5, "killed_best": 3},
        {"wounded_best": 10, "wounded_high": 2},
        {"source_count": -1},
        {"type": "picnic"},
        {"date_precision": "hour"},
    ],
    ids=["negative", "low>best", "best>high", "sources<0", "bad-type", "bad-precision"],
)
async def test_incident_checks_reject(engine: AsyncEngine, values: dict[str, Any]) -> None:
    # Plain SQL: the enum type would refuse bad values in Python before the database sees them.
    defaults = {"salience": "main", "review_status": "unreviewed", "curated_fields": "[]"}
    row = _ts(**{**INCIDENT, **defaults, **values})
    sql = f"INSERT INTO incident ({', '.join(row)}) VALUES ({', '.join(':' + c for c in row)})"
    with pytest.raises(IntegrityError):
        async with engine.begin() as conn:
            await conn.execute(sa.text(sql), row)


async def test_incident_accepts_consistent_figures(engine: AsyncEngine) -> None:
    row = {"killed_low": 3, "killed_best": 5, "killed_high": 7, "wounded_best": 0}
    assert await _insert(engine, "incident", **INCIDENT, **row, date_precision="week") > 0


async def test_document_sha256_is_unique(engine: AsyncEngine) -> None:
    await _document(engine)
    with pytest.raises(IntegrityError):
        await _document(engine)


async def test_span_check_and_foreign_key(engine: AsyncEngine) -> None:
    doc = await _document(engine)
    actor = await _insert(engine, "actor", name="X", normalized="x", kind="militia")
    statement = {"kind": "direct", "text": "t", "speaker_actor_id": actor}
    with pytest.raises(IntegrityError):  # empty span
        await _insert(engine, "statement", document_id=doc, span_start=5, span_end=5, **statement)
    with pytest.raises(IntegrityError):  # no speaker
        await _insert(
            engine, "statement", document_id=doc, span_start=0, span_end=1, kind="direct", text="t"
        )
    with pytest.raises(IntegrityError):  # unknown document
        await _insert(
            engine, "statement", document_id=doc + 99, span_start=0, span_end=1, **statement
        )
    assert await _insert(
        engine, "statement", document_id=doc, span_start=0, span_end=1, **statement
    )


async def test_mention_needs_exactly_one_target(engine: AsyncEngine) -> None:
    doc = await _document(engine)
    actor = await _insert(engine, "actor", name="X", normalized="x", kind="militia")
    place = await _insert(
        engine, "place", name="P", ascii_name="P", country_code="IQ", country="Iraq"
    )
    base = {"document_id": doc, "entity_type": "actor", "span_start": 0, "span_end": 1, "text": "x"}
    with pytest.raises(IntegrityError):
        await _insert(engine, "mention", **base)
    with pytest.raises(IntegrityError):
        await _insert(engine, "mention", **base, actor_id=actor, place_id=place)
    assert await _insert(engine, "mention", **base, actor_id=actor)


async def test_alias_unique_per_owner(engine: AsyncEngine) -> None:
    place = await _insert(
        engine, "place", name="P", ascii_name="P", country_code="IQ", country="Iraq"
    )
    await _insert(engine, "place_alias", place_id=place, alias="Pé", normalized="pe")
    with pytest.raises(IntegrityError):
        await _insert(engine, "place_alias", place_id=place, alias="PE", normalized="pe")


async def test_place_coordinates_checked(engine: AsyncEngine) -> None:
    with pytest.raises(IntegrityError):
        await _insert(
            engine, "place", name="P", ascii_name="P", country_code="IQ", country="Iraq", lat=91.0
        )


async def test_role_dates_ordered(engine: AsyncEngine) -> None:
    person = await _insert(engine, "person", name="A B", normalized="a b", skeleton="a b")
    with pytest.raises(IntegrityError):
        await _insert(
            engine,
            "role",
            person_id=person,
            title="Minister",
            start_date=dt.date(2022, 1, 1),
            end_date=dt.date(2021, 1, 1),
        )
