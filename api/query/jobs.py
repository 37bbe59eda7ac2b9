"""The ingest queue as the API sees it: enqueue a document, read a job, count the queue.

The API only inserts `job` rows; the worker (ingest) claims and runs them.
"""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from api.query import tables as t
from schema.enums import JobState
from schema.models import utcnow

JOB_COLUMNS = [
    "id",
    "kind",
    "state",
    "attempts",
    "max_attempts",
    "run_after",
    "started_at",
    "finished_at",
    "last_error",
    "result",
    "document_id",
    "created_at",
    "updated_at",
]


def _job_select() -> sa.Select[Any]:
    return sa.select(*[t.job.c[n] for n in JOB_COLUMNS])


async def get_job(conn: AsyncConnection, job_id: int) -> dict[str, Any] | None:
    row = (await conn.execute(_job_select().where(t.job.c.id == job_id))).first()
    return dict(row._mapping) if row is not None else None


async def enqueue_document(
    conn: AsyncConnection, payload: dict[str, Any], dedupe_key: str, max_attempts: int
) -> tuple[dict[str, Any], bool]:
    """Queue an `ingest_document` job; the same text queued again (and not failed)
    returns the existing job. Returns (job, created). The caller commits."""
    j = t.job.c
    existing = (
        await conn.execute(
            _job_select()
            .where(j.dedupe_key == dedupe_key, j.state != JobState.FAILED.value)
            .order_by(j.id.desc())
            .limit(1)
        )
    ).first()
    if existing is not None:
        return dict(existing._mapping), False
    now = utcnow()
    stmt = (
        sa.insert(t.job)
        .values(
            kind="ingest_document",
            state=JobState.QUEUED.value,
            payload=payload,
            dedupe_key=dedupe_key,
            attempts=0,
            max_attempts=max_attempts,
            run_after=now,
            created_at=now,
            updated_at=now,
        )
        .returning(*[j[n] for n in JOB_COLUMNS])
    )
    row = (await conn.execute(stmt)).one()
    return dict(row._mapping), True


async def queue_depth(conn: AsyncConnection) -> dict[str, int]:
    """Jobs per state (every state present, 0 when none)."""
    j = t.job.c
    rows = (await conn.execute(sa.select(j.state, sa.func.count()).group_by(j.state))).all()
    depth = {s.value: 0 for s in JobState}
    for state, n in rows:
        depth[str(state)] = int(n)
    return depth
