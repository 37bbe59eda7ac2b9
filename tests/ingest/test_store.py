"""Storing one document: everything in one transaction, idempotent, race-safe."""

import asyncio
import dataclasses

import psycopg
import pytest
import sqlalchemy as sa
from ingest_helpers import ARTICLE_A, extraction_a, row_counts, rows, submission
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from ingest.extract.model import ActorMention, Extraction
from ingest.store import lock_key, lock_keys, store


async def test_store_writes_document_and_derived_rows(db: AsyncEngine) -> None:
    async with db.begin() as conn:
        stored = await store(conn, submission(ARTICLE_A, url="https://a.example/1"), extraction_a())
    assert stored.status == "inserted"
    assert len(stored.created_incidents) == 1
    counts = await row_counts(db)
    assert counts["document"] == 1
    assert counts["incident"] == 1
    assert counts["report"] == 1
    assert counts["statement"] == 1
    assert counts["statement_incident"] == 1
    assert counts["incident_actor"] == 2  # Islamic State (perpetrator), Federal Police (target)
    # actors: Islamic State, Federal Police, the governor's council; one person + role
    assert counts["person"] == 1
    assert counts["role"] == 1
    (doc,) = await rows(db, "SELECT outlet, title, published, text FROM document")
    assert doc.outlet == "Outlet A"
    assert str(doc.published) == "2021-09-05"
    # every mention's text is the text at its span
    for m in await rows(db, "SELECT span_start, span_end, text FROM mention"):
        assert doc.text[m.span_start : m.span_end] == m.text
    (inc,) = await rows(db, "SELECT * FROM incident")
    assert (inc.killed_low, inc.killed_best, inc.killed_high) == (13, 13, 13)
    assert inc.source_count == 1
    (st,) = await rows(db, "SELECT speaker_person_id, speaker_role_id FROM statement")
    assert st.speaker_person_id is not None
    assert st.speaker_role_id is not None
    changes = await rows(db, "SELECT entity_type, op FROM change ORDER BY id")
    kinds = {(c.entity_type, c.op) for c in changes}
    assert {("document", "created"), ("incident", "created"), ("report", "created")} <= kinds
    assert ("statement", "created") in kinds
    assert ("person", "created") in kinds
    # one change row per entity
    ids = await rows(db, "SELECT entity_type, entity_id FROM change")
    assert len(ids) == len({(r.entity_type, r.entity_id) for r in ids})


async def test_same_text_or_url_is_unchanged(db: AsyncEngine) -> None:
    async with db.begin() as conn:
        first = await store(conn, submission(ARTICLE_A, url="https://a.example/1"), extraction_a())
    before = await row_counts(db)
    # same text with other line endings and trailing spaces: the same document
    variant = ARTICLE_A.replace("\n", "  \r\n")
    async with db.begin() as conn:
        again = await store(conn, submission(variant), extraction_a())
    # other text under the same URL: the same document
    async with db.begin() as conn:
        same_url = await store(
            conn, submission(ARTICLE_A + "\nUpdated.", url="https://a.example/1"), extraction_a()
        )
    assert again.status == same_url.status == "unchanged"
    assert again.document_id == same_url.document_id == first.document_id
    assert await row_counts(db) == before


async def test_failure_leaves_no_rows(db: AsyncEngine) -> None:
    """A constraint violation in the last insert (an empty mention span) rolls back the
    document and everything derived from it."""
    bad = extraction_a()
    bad.actors.append(ActorMention(name="Nobody", kind="other", spans=[(10, 10)]))
    before = await row_counts(db)
    with pytest.raises(sa.exc.IntegrityError):
        async with db.begin() as conn:
            await store(conn, submission(ARTICLE_A), bad)
    assert await row_counts(db) == before


async def test_ten_concurrent_submissions_store_one_document(db: AsyncEngine) -> None:
    async def submit() -> str:
        async with db.begin() as conn:
            return (await store(conn, submission(ARTICLE_A), extraction_a())).status

    statuses = await asyncio.gather(*(submit() for _ in range(10)))
    assert sorted(statuses) == ["inserted"] + ["unchanged"] * 9
    counts = await row_counts(db)
    assert counts["document"] == 1
    assert counts["incident"] == 1
    assert counts["person"] == 1


async def test_extractor_version_is_recorded(db: AsyncEngine) -> None:
    x = dataclasses.replace(extraction_a(), extractor_version=7)
    async with db.begin() as conn:
        await store(conn, submission(ARTICLE_A), x)
    (doc,) = await rows(db, "SELECT extractor_version FROM document")
    assert doc.extractor_version == 7


def _names_only(text: str) -> Extraction:
    """Actors, an official and a statement, but no incident (no day lock to serialise on)."""
    return dataclasses.replace(extraction_a(text), incidents=[], statements=[])


def _variant(i: int) -> str:
    return ARTICLE_A + f"\nReport number {i}.\n"


async def test_concurrent_documents_create_a_new_name_once(db: AsyncEngine) -> None:
    """Different documents introducing the same unknown actors and official at the same
    time: each is created once (a name not found is looked up again under its lock)."""

    async def submit(i: int) -> str:
        async with db.begin() as conn:
            return (await store(conn, submission(_variant(i)), _names_only(_variant(i)))).status

    assert await asyncio.gather(*(submit(i) for i in range(8))) == ["inserted"] * 8
    actors = await rows(db, "SELECT normalized, count(*) AS n FROM actor GROUP BY normalized")
    assert {a.normalized: a.n for a in actors} == {
        "islamic state": 1,
        "federal police": 1,
        "kirkuk provincial council": 1,
    }
    counts = await row_counts(db)
    assert (counts["document"], counts["person"], counts["role"]) == (8, 1, 1)


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.mark.parametrize(
    "db_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
async def test_known_names_take_no_lock_unknown_ones_do(db_url: str, db: AsyncEngine) -> None:
    """Names that resolve to existing rows are not locked, so documents naming the same
    (registry) actors store in parallel; a name to create still waits for its lock."""
    async with db.begin() as conn:
        await store(conn, submission(_variant(0)), _names_only(_variant(0)))
    known = _names_only(_variant(1))
    with psycopg.connect(_libpq(db_url), autocommit=True) as other:
        for key in lock_keys(known):  # every key these names have, as another writer
            other.execute("SELECT pg_advisory_lock(%s)", (key,))

        async def submit(text: str, x: Extraction) -> str:
            async with db.begin() as conn:
                return (await store(conn, submission(text), x)).status

        assert await asyncio.wait_for(submit(_variant(1), known), 30) == "inserted"
        new = _names_only(_variant(2))
        new.actors.append(ActorMention(name="Kirkuk Provincial Council", kind="government"))
        new.actors.append(ActorMention(name="Provincial Police", kind="state_force"))
        blocked = asyncio.create_task(submit(_variant(2), new))
        other.execute("SELECT pg_advisory_lock(%s)", (lock_key("actor", "provincial police"),))
        await asyncio.sleep(1.0)
        assert not blocked.done()  # waiting for the lock on the name it creates
        other.execute("SELECT pg_advisory_unlock_all()")
        assert await asyncio.wait_for(blocked, 30) == "inserted"
    (n,) = await rows(db, "SELECT count(*) AS n FROM actor WHERE normalized = 'provincial police'")
    assert n.n == 1
