"""On PostgreSQL the full-text conditions repeat the GIN expression indexes' expressions
exactly (the planner only uses an expression index for the identical expression): with
other access paths disabled, every text filter must be answered through its index."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from api.query import pages
from api.query import resources as R
from api.query.filters import DocumentFilter, IncidentFilter, StatementFilter

PG = [pytest.param("postgres", marks=pytest.mark.postgres)]
CASES: list[tuple[R.Resource, Any, str]] = [
    (R.STATEMENTS, StatementFilter(text="curfew"), "ix_statement_text_fts"),
    (R.DOCUMENTS, DocumentFilter(text='"drone attack" checkpoint'), "ix_document_text_fts"),
    (R.INCIDENTS, IncidentFilter(text="pipeline"), "ix_document_text_fts"),
]


@pytest.mark.parametrize("db_url", PG, indirect=True)
@pytest.mark.parametrize(("res", "filter_", "index"), CASES)
async def test_text_filters_use_their_gin_index(
    engine: AsyncEngine, res: R.Resource, filter_: Any, index: str
) -> None:
    stmt, _ = pages._base(res, filter_, "postgresql", None)
    sql = str(stmt.limit(50).compile(engine.sync_engine, compile_kwargs={"literal_binds": True}))
    async with engine.connect() as conn:
        await conn.execute(sa.text("SET LOCAL enable_seqscan = off"))
        await conn.execute(sa.text("SET LOCAL enable_indexscan = off"))
        plan = "\n".join(r[0] for r in await conn.execute(sa.text("EXPLAIN " + sql)))
    assert f"Bitmap Index Scan on {index}" in plan, plan
