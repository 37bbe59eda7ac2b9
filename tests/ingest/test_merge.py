"""Cross-source merging: one attack told by two outlets is one incident with two reports."""

import dataclasses
import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa
from ingest_helpers import (
    ARTICLE_A,
    ARTICLE_B,
    BAIJI,
    KIRKUK,
    TIKRIT,
    extraction_a,
    extraction_b,
    rows,
    submission,
)
from sqlalchemy.ext.asyncio import AsyncEngine

from ingest.changes import ChangeLog
from ingest.extract.model import ActorMention, ActorRef, Extraction
from ingest.merge import MergeError, compatible_types, merge_incidents, unmerge
from ingest.store import store


async def _store(engine: AsyncEngine, text: str, x: Extraction) -> str:
    async with engine.begin() as conn:
        return (await store(conn, submission(text), x)).status


async def test_two_outlets_one_incident(db: AsyncEngine) -> None:
    assert await _store(db, ARTICLE_A, extraction_a()) == "inserted"
    assert await _store(db, ARTICLE_B, extraction_b()) == "merged"
    (inc,) = await rows(db, "SELECT * FROM incident")
    reports = await rows(db, "SELECT killed, wounded, document_id FROM report ORDER BY id")
    assert [(r.killed, r.wounded) for r in reports] == [(13, 5), (15, 7)]
    assert len({r.document_id for r in reports}) == 2
    assert inc.source_count == 2
    # low = min, high = max; best = the most recent specific report (Outlet B, published later)
    assert (inc.killed_low, inc.killed_best, inc.killed_high) == (13, 15, 15)
    assert (inc.wounded_low, inc.wounded_best, inc.wounded_high) == (5, 7, 7)
    assert inc.type == "armed_assault"  # the first report's type stays
    # both documents' actors are linked once each
    links = await rows(db, "SELECT actor_id, role FROM incident_actor")
    assert len(links) == len({(x.actor_id, x.role) for x in links}) == 2
    ops = await rows(db, "SELECT op FROM change WHERE entity_type = 'incident'")
    assert sorted(o.op for o in ops) == ["created", "updated"]


def _moved(x: Extraction, **changes: Any) -> Extraction:
    (inc,) = x.incidents
    return dataclasses.replace(x, incidents=[dataclasses.replace(inc, **changes)])


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"type": "bombing"}, id="incompatible-type"),
        pytest.param({"date": dt.date(2021, 9, 2)}, id="three-days-apart"),
        pytest.param({"perpetrators": [ActorRef("Kataib Hezbollah")]}, id="other-perpetrator"),
        pytest.param({"date": None}, id="undated"),
    ],
)
async def test_distinct_incidents_stay_apart(db: AsyncEngine, change: dict[str, Any]) -> None:
    await _store(db, ARTICLE_A, extraction_a())
    b = _moved(extraction_b(), **change)
    if "perpetrators" in change:
        b.actors.append(ActorMention("Kataib Hezbollah", "militia"))
    assert await _store(db, ARTICLE_B, b) == "inserted"
    assert len(await rows(db, "SELECT id FROM incident")) == 2


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param(("Kirkuk", KIRKUK, "Kirkuk"), ("Tikrit", TIKRIT, "Salah ad Din"), id="admin1"),
        pytest.param(
            ("Baiji", BAIJI, "Salah ad Din"), ("Tikrit", TIKRIT, "Salah ad Din"), id="district"
        ),
    ],
)
async def test_other_place_stays_apart(
    db: AsyncEngine, first: tuple[str, int, str], second: tuple[str, int, str]
) -> None:
    for place in (first, second):
        text = ARTICLE_B.replace("Kirkuk", place[0])
        await _store(db, text, extraction_b(text, place))
    assert len(await rows(db, "SELECT id FROM incident")) == 2


async def test_unknown_place_merges_within_governorate(db: AsyncEngine) -> None:
    await _store(db, ARTICLE_A, extraction_a())
    b = _moved(extraction_b(), place=None, admin1="Kirkuk")
    assert await _store(db, ARTICLE_B, b) == "merged"
    (inc,) = await rows(db, "SELECT place_id, place_precision FROM incident")
    assert inc.place_id is not None  # the precise place of the first report stays


async def test_curated_fields_survive_merging(db: AsyncEngine) -> None:
    await _store(db, ARTICLE_A, extraction_a())
    async with db.begin() as conn:
        await conn.execute(
            sa.text("UPDATE incident SET killed_best = 14, killed_high = 14, curated_fields = :c"),
            {"c": '["killed_best"]'},
        )
    assert await _store(db, ARTICLE_B, extraction_b()) == "merged"
    (inc,) = await rows(db, "SELECT killed_low, killed_best, killed_high FROM incident")
    assert inc.killed_best == 14  # the curator's figure
    assert (inc.killed_low, inc.killed_high) == (13, 15)  # derived ones still follow reports


async def test_merge_is_reversible(db: AsyncEngine) -> None:
    await _store(db, ARTICLE_A, extraction_a())
    # B placed in Baiji: not the same place, so it is a second incident
    text = ARTICLE_B.replace("Kirkuk", "Baiji")
    await _store(db, text, extraction_b(text, ("Baiji", BAIJI, "Salah ad Din")))
    keep, absorb = (r.id for r in await rows(db, "SELECT id FROM incident ORDER BY id"))
    changes = ChangeLog()
    async with db.begin() as conn:
        await merge_incidents(conn, keep, absorb, changes)
        await changes.flush(conn)
    merged = {r.id: r for r in await rows(db, "SELECT * FROM incident")}
    assert merged[absorb].merged_into_id == keep
    assert merged[keep].source_count == 2
    assert merged[keep].killed_high == 15
    assert len(await rows(db, "SELECT id FROM report WHERE incident_id = :i", i=keep)) == 2
    (tomb,) = await rows(db, "SELECT * FROM change WHERE op = 'merged'")
    assert (tomb.entity_id, tomb.merged_into_id) == (absorb, keep)

    async with db.begin() as conn:
        assert await unmerge(conn, absorb, changes) == keep
        await changes.flush(conn)
    after = {r.id: r for r in await rows(db, "SELECT * FROM incident")}
    assert after[absorb].merged_into_id is None
    assert after[keep].source_count == after[absorb].source_count == 1
    assert after[keep].killed_high == 13
    assert after[absorb].killed_best == 15
    links = await rows(db, "SELECT incident_id FROM incident_actor WHERE incident_id = :i", i=keep)
    assert len(links) == 2
    async with db.begin() as conn:
        with pytest.raises(MergeError):
            await unmerge(conn, absorb, changes)


def test_type_families() -> None:
    assert compatible_types("ambush", "armed_assault")
    assert compatible_types("facility_attack", "clash")
    assert compatible_types("suicide_bombing", "bombing")
    assert not compatible_types("bombing", "ambush")
    assert not compatible_types("air_strike", "shelling")
