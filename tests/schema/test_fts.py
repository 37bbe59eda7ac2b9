"""Full-text search objects of the initial migration exist and stay in sync with the
rows: FTS5 external-content tables on SQLite, GIN expression indexes on PostgreSQL."""

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

NOW = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


async def _search_statements(conn: AsyncConnection, query: str) -> list[int]:
    if conn.dialect.name == "sqlite":
        sql = "SELECT rowid FROM statement_fts WHERE statement_fts MATCH :q ORDER BY rowid"
    else:
        sql = (
            "SELECT id FROM statement WHERE to_tsvector('english', text)"
            " @@ websearch_to_tsquery('english', :q) ORDER BY id"
        )
    return list((await conn.execute(sa.text(sql), {"q": query})).scalars())


async def _search_documents(conn: AsyncConnection, query: str) -> list[int]:
    if conn.dialect.name == "sqlite":
        sql = "SELECT rowid FROM document_fts WHERE document_fts MATCH :q ORDER BY rowid"
    else:
        sql = (
            "SELECT id FROM document WHERE to_tsvector('english', coalesce(title, '') || ' ' || text)"
            " @@ websearch_to_tsquery('english', :q) ORDER BY id"
        )
    return list((await conn.execute(sa.text(sql), {"q": query})).scalars())


async def _insert(conn: AsyncConnection, table: str, **values: Any) -> int:
    cols = {"created_at": NOW, "updated_at": NOW, **values}
    names = ", ".join(cols)
    params = ", ".join(f":{c}" for c in cols)
    result = await conn.execute(
        sa.text(f"INSERT INTO {table} ({names}) VALUES ({params}) RETURNING id"),
        cols,
    )
    return int(result.scalar_one())


async def test_statement_and_document_search_follow_inserts_updates_deletes(
    engine: AsyncEngine,
) -> None:
    async with engine.begin() as conn:
        doc = await _insert(
            conn,
            "document",
            sha256="f" * 64,
            title="Attack near Tarmiyah",
            raw_text="r",
            text="Gunmen attacked a checkpoint.",
            ingested_at=NOW,
            content_type="text/plain",
            extractor_version=0,
        )
        actor = await _insert(
            conn, "actor", name="Ministry", normalized="ministry", kind="government"
        )
        stmt = await _insert(
            conn,
            "statement",
            document_id=doc,
            speaker_actor_id=actor,
            kind="direct",
            text="The attackers were arrested in Baghdad",
            span_start=0,
            span_end=10,
        )
    async with engine.begin() as conn:
        assert await _search_statements(conn, "arrested") == [stmt]
        assert await _search_statements(conn, "Mosul") == []
        assert await _search_documents(conn, "Tarmiyah") == [doc]  # title is indexed
        assert await _search_documents(conn, "checkpoint") == [doc]  # and the text
        await conn.execute(
            sa.text("UPDATE statement SET text = 'Forces withdrew from Mosul' WHERE id = :i"),
            {"i": stmt},
        )
        assert await _search_statements(conn, "arrested") == []
        assert await _search_statements(conn, "Mosul") == [stmt]
        await conn.execute(sa.text("DELETE FROM statement WHERE id = :i"), {"i": stmt})
        assert await _search_statements(conn, "Mosul") == []
        await conn.execute(sa.text("DELETE FROM document WHERE id = :i"), {"i": doc})
        assert await _search_documents(conn, "checkpoint") == []


async def test_fts_objects_exist(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            rows = await conn.execute(
                sa.text("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
            )
            names = set(rows.scalars())
            expected = {"statement_fts", "document_fts"} | {
                f"{t}_fts_{op}" for t in ("statement", "document") for op in ("ai", "ad", "au")
            }
        else:
            rows = await conn.execute(sa.text("SELECT indexname FROM pg_indexes"))
            names = set(rows.scalars())
            expected = {"ix_statement_text_fts", "ix_document_text_fts"}
    assert expected <= names


async def test_postgres_search_uses_the_gin_index(engine: AsyncEngine) -> None:
    """The documented query expression is the indexed one (else the index is dead weight)."""
    if engine.dialect.name != "postgresql":
        return
    async with engine.begin() as conn:
        await conn.execute(sa.text("SET LOCAL enable_seqscan = off"))
        for sql, index in [
            (
                "SELECT id FROM statement WHERE to_tsvector('english', text)"
                " @@ websearch_to_tsquery('english', 'x')",
                "ix_statement_text_fts",
            ),
            (
                "SELECT id FROM document WHERE to_tsvector('english', coalesce(title, '') || ' ' || text)"
                " @@ websearch_to_tsquery('english', 'x')",
                "ix_document_text_fts",
            ),
        ]:
            plan = "\n".join((await conn.execute(sa.text("EXPLAIN " + sql))).scalars())
            assert index in plan, plan
