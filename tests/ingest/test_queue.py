"""The job queue: claim under a lease, finish fenced, retry with backoff, release."""

import asyncio
import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa
from ingest_helpers import rows
from sqlalchemy.ext.asyncio import AsyncEngine

from ingest.queue import JOB, ClaimedJob, LeaseLost, Queue, QueueConfig, backoff, enqueue
from schema.db import make_engine


async def _enqueue(engine: AsyncEngine, n: int = 1, max_attempts: int = 3) -> list[int]:
    async with engine.begin() as conn:
        return [
            await enqueue(conn, {"text": f"doc {i}"}, max_attempts=max_attempts) for i in range(n)
        ]


async def _finish(queue: Queue, job: ClaimedJob) -> None:
    async with queue.engine.begin() as conn:
        await queue.finish(conn, job, {"status": "inserted"}, None)


async def _job(engine: AsyncEngine, job_id: int) -> Any:
    (row,) = await rows(engine, "SELECT * FROM job WHERE id = :i", i=job_id)
    return row


async def test_claim_finish(engine: AsyncEngine) -> None:
    (job_id,) = await _enqueue(engine)
    queue = Queue(engine, "w1")
    job = await queue.claim()
    assert job is not None
    assert (job.id, job.attempts, job.payload) == (job_id, 1, {"text": "doc 0"})
    assert await queue.claim() is None  # running and leased: nobody else gets it
    row = await _job(engine, job_id)
    assert (row.state, row.locked_by) == ("running", "w1")
    assert await queue.heartbeat(job)
    await _finish(queue, job)
    row = await _job(engine, job_id)
    assert (row.state, row.locked_until, row.attempts) == ("done", None, 1)
    assert await queue.claim() is None


async def test_retry_with_backoff_then_failed(engine: AsyncEngine) -> None:
    (job_id,) = await _enqueue(engine, max_attempts=2)
    queue = Queue(engine, "w1", QueueConfig(backoff_base=0.3))
    job = await queue.claim()
    assert job is not None
    assert await queue.fail(job, "boom 1") == "queued"
    assert await queue.claim() is None  # waiting out the backoff
    await asyncio.sleep(0.4)
    again = await queue.claim()
    assert again is not None
    assert again.attempts == 2
    assert await queue.fail(again, "boom 2") == "failed"
    row = await _job(engine, job_id)
    assert (row.state, row.last_error, row.attempts) == ("failed", "boom 2", 2)
    assert row.finished_at is not None


def test_backoff_doubles_and_caps() -> None:
    config = QueueConfig(backoff_base=5, backoff_cap=60)
    assert [backoff(n, config) for n in (1, 2, 3, 4, 5)] == [5, 10, 20, 40, 60]


async def test_expired_lease_is_claimed_again_and_fences_the_old_worker(
    engine: AsyncEngine,
) -> None:
    (job_id,) = await _enqueue(engine)
    dead = Queue(engine, "dead", QueueConfig(lease_seconds=0.3))
    job = await dead.claim()
    assert job is not None
    live = Queue(engine, "live")
    assert await live.claim() is None
    await asyncio.sleep(0.5)  # the dead worker never renews its lease
    taken = await live.claim()
    assert taken is not None
    assert (taken.id, taken.attempts) == (job_id, 2)
    assert not await dead.heartbeat(job)
    with pytest.raises(LeaseLost):
        await _finish(dead, job)
    await _finish(live, taken)
    assert (await _job(engine, job_id)).state == "done"


async def test_lost_on_last_attempt_fails(engine: AsyncEngine) -> None:
    (job_id,) = await _enqueue(engine, max_attempts=1)
    dead = Queue(engine, "dead", QueueConfig(lease_seconds=0.2))
    assert await dead.claim() is not None
    await asyncio.sleep(0.4)
    assert await Queue(engine, "live").claim() is None
    row = await _job(engine, job_id)
    assert row.state == "failed"
    assert "lease expired" in row.last_error


async def test_release_gives_the_job_back_uncounted(engine: AsyncEngine) -> None:
    (job_id,) = await _enqueue(engine)
    queue = Queue(engine, "w1")
    job = await queue.claim()
    assert job is not None
    await queue.release(job)
    row = await _job(engine, job_id)
    assert (row.state, row.attempts, row.locked_by) == ("queued", 0, None)
    again = await queue.claim(job_id)
    assert again is not None
    assert again.attempts == 1


async def test_claim_by_id(engine: AsyncEngine) -> None:
    _first, second = await _enqueue(engine, 2)
    queue = Queue(engine, "w1")
    job = await queue.claim(second)
    assert job is not None
    assert job.id == second
    assert await queue.claim(second) is None


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
async def test_four_workers_claim_each_job_once(db_url: str) -> None:
    """Four workers, each with its own engine (own connections), drain 200 jobs; every
    job is claimed once and done."""
    engines = [make_engine(db_url) for _ in range(4)]
    try:
        await _enqueue(engines[0], 200)
        claimed: dict[str, list[int]] = {}

        async def drain(name: str, engine: AsyncEngine) -> None:
            queue = Queue(engine, name)
            mine = claimed.setdefault(name, [])
            while (job := await queue.claim()) is not None:
                mine.append(job.id)
                await _finish(queue, job)

        await asyncio.gather(*(drain(f"w{i}", e) for i, e in enumerate(engines)))
        ids = [i for per in claimed.values() for i in per]
        assert len(ids) == len(set(ids)) == 200
        assert sum(1 for per in claimed.values() if per) >= 2  # the work was shared
        states = await rows(engines[0], "SELECT state, attempts FROM job")
        assert {(s.state, s.attempts) for s in states} == {("done", 1)}
    finally:
        for e in engines:
            await e.dispose()


async def test_run_after_in_future_is_not_claimed(engine: AsyncEngine) -> None:
    (_job_id,) = await _enqueue(engine)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    async with engine.begin() as conn:
        await conn.execute(sa.update(JOB).values(run_after=later))
    assert await Queue(engine, "w1").claim() is None
