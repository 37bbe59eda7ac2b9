"""Storing one document: everything in one transaction, idempotent, race-safe."""

import asyncio
import dataclasses

import pytest
import sqlalchemy as sa
from ingest_helpers import ARTICLE_A, extraction_a, row_counts, rows, submission
from sqlalchemy.ext.asyncio import AsyncEngine

from ingest.extract.model import ActorMention
from ingest.store import store


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
