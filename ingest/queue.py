"""The ingest queue on the `job` table: enqueue, claim under a lease, finish, retry, release.

PostgreSQL: any number of workers claim with `FOR UPDATE SKIP LOCKED`, so two workers
never take the same row, and hold the job by a lease (`locked_until`) that a heartbeat
renews. A job whose lease expired (its worker was killed) is claimable again. Every
claim increments `attempts`; `(locked_by, attempts)` is the fencing token that `finish`
checks inside the storing transaction, so a worker that lost its lease cannot commit.

SQLite: the claim is one `UPDATE ... WHERE id = (SELECT ...) RETURNING`, atomic under
SQLite's single writer lock; one worker (or inline processing) is the supported set-up.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ingest.errors import IngestError
from schema.enums import JobState
from schema.models import Document, Job
from schema.models.base import utcnow

JOB: sa.Table = Job.__table__  # type: ignore[attr-defined]
DOCUMENT: sa.Table = Document.__table__  # type: ignore[attr-defined]
INGEST = "ingest_document"


class LeaseLost(IngestError):
    """The job is no longer ours (the lease expired and another worker took it)."""


@dataclass(frozen=True)
class ClaimedJob:
    id: int
    kind: str
    payload: dict[str, Any]
    attempts: int
    max_attempts: int
    dedupe_key: str | None = None
    # PostgreSQL: the id of a stored document whose hash is the job's dedupe key (None:
    # there is none), read by the claim itself; `checked` is False where it was not read.
    known_document: int | None = None
    checked: bool = False


@dataclass(frozen=True)
class QueueConfig:
    lease_seconds: float = 60.0
    backoff_base: float = 5.0  # seconds before the 2nd attempt; doubles each time
    backoff_cap: float = 3600.0


def backoff(attempts: int, config: QueueConfig) -> float:
    """Delay before the next attempt after `attempts` failed ones: base * 2^(n-1), capped."""
    return float(min(config.backoff_cap, config.backoff_base * 2 ** max(0, attempts - 1)))


async def enqueue(
    conn: AsyncConnection,
    payload: dict[str, Any],
    *,
    kind: str = INGEST,
    dedupe_key: str | None = None,
    max_attempts: int = 3,
) -> int:
    """Inserts a queued job in the caller's transaction and returns its id."""
    now = utcnow()
    result = await conn.execute(
        sa.insert(JOB)
        .values(
            kind=kind,
            state=JobState.QUEUED,
            payload=payload,
            dedupe_key=dedupe_key,
            attempts=0,
            max_attempts=max_attempts,
            run_after=now,
            created_at=now,
            updated_at=now,
        )
        .returning(JOB.c.id)
    )
    return int(result.scalar_one())


class Queue:
    """One worker's handle on the queue; `worker_id` must be unique per process."""

    def __init__(
        self, engine: AsyncEngine, worker_id: str, config: QueueConfig | None = None
    ) -> None:
        self.engine = engine
        self.worker_id = worker_id
        self.config = config or QueueConfig()
        self._pg = engine.dialect.name == "postgresql"
        # One-statement operations (claim, heartbeat, fail, release) need no BEGIN and
        # COMMIT round trips on PostgreSQL: each statement is atomic on its own.
        self._single: AsyncEngine = (
            engine.execution_options(isolation_level="AUTOCOMMIT") if self._pg else engine
        )
        self._swept = 0.0

    def _now(self) -> Any:
        # Database time on PostgreSQL: workers on several machines agree on lease expiry
        # even when their clocks do not. SQLite is one machine, so its clock is the clock.
        return sa.func.now() if self._pg else utcnow()

    def _in(self, seconds: float) -> Any:
        delta = dt.timedelta(seconds=seconds)
        if self._pg:
            return sa.func.now() + sa.literal(delta, sa.Interval)
        return utcnow() + delta

    async def claim(
        self, job_id: int | None = None, kinds: tuple[str, ...] = (INGEST,)
    ) -> ClaimedJob | None:
        """Takes the oldest runnable job (or job `job_id` if runnable), or None."""
        now = self._now()
        runnable = sa.or_(
            sa.and_(JOB.c.state == JobState.QUEUED, JOB.c.run_after <= now),
            sa.and_(
                JOB.c.state == JobState.RUNNING,
                JOB.c.locked_until < now,
                JOB.c.attempts < JOB.c.max_attempts,
            ),
        )
        pick = sa.select(JOB.c.id).where(runnable, JOB.c.kind.in_(kinds))
        if job_id is not None:
            pick = pick.where(JOB.c.id == job_id)
        pick = pick.order_by(JOB.c.id).limit(1).with_for_update(skip_locked=True)
        returning: list[Any] = [JOB.c.id, JOB.c.kind, JOB.c.payload, JOB.c.attempts]
        returning += [JOB.c.max_attempts]
        returning.append(JOB.c.dedupe_key)
        if self._pg:
            # Whether the document is already stored, in the same round trip: the worker
            # then skips extracting it (the hash is checked against the payload's).
            returning.append(
                sa.select(DOCUMENT.c.id)
                .where(DOCUMENT.c.sha256 == JOB.c.dedupe_key)
                .correlate(JOB)
                .scalar_subquery()
                .label("known_document")
            )
        stmt = (
            sa.update(JOB)
            .where(JOB.c.id == pick.scalar_subquery())
            .values(
                state=JobState.RUNNING,
                locked_by=self.worker_id,
                locked_until=self._in(self.config.lease_seconds),
                attempts=JOB.c.attempts + 1,
                started_at=now,
                finished_at=None,
            )
            .returning(*returning)
        )
        async with self._begin() as conn:
            row = (await conn.execute(stmt)).first()
            # Jobs whose worker died on their last attempt: swept when the queue is idle,
            # and every 30 s on a busy one (not on every claim: it costs a round trip).
            if row is None or time.monotonic() - self._swept > 30:
                self._swept = time.monotonic()
                await self._fail_exhausted(conn)
        if row is None:
            return None
        return ClaimedJob(
            row.id,
            row.kind,
            dict(row.payload or {}),
            row.attempts,
            row.max_attempts,
            row.dedupe_key,
            row.known_document if self._pg else None,
            self._pg,
        )

    def _begin(self) -> Any:
        """A connection for one-statement operations: autocommit on PostgreSQL, a
        transaction on SQLite (where BEGIN and COMMIT cost no round trip)."""
        return self._single.connect() if self._pg else self.engine.begin()

    async def _fail_exhausted(self, conn: AsyncConnection) -> None:
        """Jobs whose worker died on their last attempt: failed, not retried forever."""
        now = self._now()
        await conn.execute(
            sa.update(JOB)
            .where(
                JOB.c.state == JobState.RUNNING,
                JOB.c.locked_until < now,
                JOB.c.attempts >= JOB.c.max_attempts,
            )
            .values(
                state=JobState.FAILED,
                finished_at=now,
                locked_by=None,
                locked_until=None,
                last_error=sa.func.coalesce(JOB.c.last_error, "worker lost (lease expired)"),
            )
        )

    def _ours(self, job: ClaimedJob) -> Any:
        return sa.and_(
            JOB.c.id == job.id,
            JOB.c.state == JobState.RUNNING,
            JOB.c.locked_by == self.worker_id,
            JOB.c.attempts == job.attempts,
        )

    async def heartbeat(self, job: ClaimedJob) -> bool:
        """Extends the lease; False when the job is no longer ours."""
        async with self._begin() as conn:
            result = await conn.execute(
                sa.update(JOB)
                .where(self._ours(job))
                .values(locked_until=self._in(self.config.lease_seconds))
            )
        return bool(result.rowcount)

    async def finish(
        self,
        conn: AsyncConnection,
        job: ClaimedJob,
        result: dict[str, Any],
        document_id: int | None,
    ) -> None:
        """Marks the job done inside the caller's (storing) transaction, or raises LeaseLost
        so that transaction rolls back."""
        res = await conn.execute(
            sa.update(JOB)
            .where(self._ours(job))
            .values(
                state=JobState.DONE,
                finished_at=self._now(),
                locked_until=None,
                last_error=None,
                result=result,
                document_id=document_id,
            )
        )
        if not res.rowcount:
            raise LeaseLost(f"job {job.id}: lease lost before commit")

    async def fail(self, job: ClaimedJob, error: str, *, retry: bool = True) -> JobState:
        """Records a failed attempt: queued again after a backoff, or failed for good."""
        final = not retry or job.attempts >= job.max_attempts
        values: dict[str, Any] = {
            "locked_by": None,
            "locked_until": None,
            "last_error": error[:10_000],
        }
        if final:
            values |= {"state": JobState.FAILED, "finished_at": self._now()}
        else:
            delay = backoff(job.attempts, self.config)
            values |= {"state": JobState.QUEUED, "run_after": self._in(delay)}
        async with self._begin() as conn:
            await conn.execute(sa.update(JOB).where(self._ours(job)).values(**values))
        return JobState.FAILED if final else JobState.QUEUED

    async def release(self, job: ClaimedJob) -> None:
        """Gives the job back untouched (shutdown): the attempt does not count."""
        async with self._begin() as conn:
            await conn.execute(
                sa.update(JOB)
                .where(self._ours(job))
                .values(
                    state=JobState.QUEUED,
                    locked_by=None,
                    locked_until=None,
                    attempts=JOB.c.attempts - 1,
                    run_after=self._now(),
                )
            )


async def counts(engine: AsyncEngine) -> dict[str, int]:
    """Number of jobs per state."""
    async with engine.connect() as conn:
        rows = await conn.execute(sa.select(JOB.c.state, sa.func.count()).group_by(JOB.c.state))
        return {str(state): int(n) for state, n in rows}
