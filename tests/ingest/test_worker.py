"""Worker processes on real PostgreSQL: exactly once, SIGKILL, SIGTERM; and in-process runs.

A test holds the change-feed advisory lock (`schema.events.CHANGE_FEED_LOCK`) to stop a
worker at the last step of its storing transaction (every row written, nothing
committed), then kills or signals it there.
"""

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import sqlalchemy as sa
from ingest_helpers import ARTICLE_A, row_counts, rows
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from ingest.documents import Submission, to_payload
from ingest.extract.model import Extraction
from ingest.queue import JOB, Queue, QueueConfig, enqueue
from ingest.worker import Extractor, Processor, Worker
from schema.events import CHANGE_FEED_LOCK

REPO = Path(__file__).resolve().parents[2]
SEEDS = sorted((REPO / "seeds" / "articles").glob("*.txt"))
PG = [pytest.param("postgres", marks=pytest.mark.postgres)]


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _worker(url: str, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "sitrep", "worker", *args],
        env={**os.environ, "DATABASE_URL": url},
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@pytest.fixture
def stop_at_commit(seeded_db_url: str) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """Holds the change-feed lock: storing transactions wait just before their change rows."""
    with psycopg.connect(_libpq(seeded_db_url), autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (CHANGE_FEED_LOCK,))
        yield conn


def _wait_blocked(conn: psycopg.Connection[tuple[object, ...]], timeout: float = 90) -> int:
    """Pid of the backend waiting for the advisory lock."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE wait_event = 'advisory'"
            " AND datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()
        if row:
            pid = row[0]
            assert isinstance(pid, int)
            return pid
        time.sleep(0.1)
    raise AssertionError("no worker reached the storing transaction")


async def _enqueue_texts(engine: AsyncEngine, texts: list[str]) -> list[int]:
    async with engine.begin() as conn:
        return [
            await enqueue(conn, to_payload(Submission(raw=t, source=f"t{i}")))
            for i, t in enumerate(texts)
        ]


@pytest.mark.parametrize("seeded_db_url", PG, indirect=True)
async def test_sigkill_leaves_no_partial_rows_and_job_completes_later(
    seeded_db_url: str,
    seeded_engine: AsyncEngine,
    stop_at_commit: psycopg.Connection[tuple[object, ...]],
) -> None:
    await _enqueue_texts(seeded_engine, [ARTICLE_A])
    before = await row_counts(seeded_engine)
    proc = _worker(seeded_db_url, "--lease=1", "--poll-interval=0.2")
    try:
        backend = _wait_blocked(stop_at_commit)
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=10)
        assert proc.returncode == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    stop_at_commit.execute("SELECT pg_advisory_unlock(%s)", (CHANGE_FEED_LOCK,))
    # the orphaned backend finds its client gone and rolls back
    for _ in range(100):
        gone = stop_at_commit.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE pid = %s", (backend,)
        ).fetchone()
        if gone == (0,):
            break
        await asyncio.sleep(0.1)
    assert await row_counts(seeded_engine) == before  # nothing of the document
    (job,) = await rows(seeded_engine, "SELECT state, attempts FROM job")
    assert (job.state, job.attempts) == ("running", 1)  # still leased by the dead worker
    await asyncio.sleep(1.2)  # the lease runs out
    again = _worker(seeded_db_url, "--once", "--lease=5")
    _, err = again.communicate(timeout=120)
    assert again.returncode == 0, err.decode()[-2000:]
    (job,) = await rows(seeded_engine, "SELECT state, attempts, document_id FROM job")
    assert (job.state, job.attempts) == ("done", 2)
    counts = await row_counts(seeded_engine)
    assert counts["document"] == 1
    assert job.document_id is not None


@pytest.mark.parametrize("seeded_db_url", PG, indirect=True)
async def test_sigterm_finishes_the_current_job(
    seeded_db_url: str,
    seeded_engine: AsyncEngine,
    stop_at_commit: psycopg.Connection[tuple[object, ...]],
) -> None:
    await _enqueue_texts(seeded_engine, [ARTICLE_A])
    proc = _worker(seeded_db_url, "--poll-interval=0.2", "--grace=60")
    try:
        _wait_blocked(stop_at_commit)
        proc.send_signal(signal.SIGTERM)
        await asyncio.sleep(0.5)
        assert proc.poll() is None  # still finishing its job
        stop_at_commit.execute("SELECT pg_advisory_unlock(%s)", (CHANGE_FEED_LOCK,))
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err.decode()[-2000:]
    (job,) = await rows(seeded_engine, "SELECT state, attempts FROM job")
    assert (job.state, job.attempts) == ("done", 1)
    assert (await row_counts(seeded_engine))["document"] == 1


@pytest.mark.parametrize("seeded_db_url", PG, indirect=True)
async def test_sigterm_releases_a_job_that_overruns_the_grace(
    seeded_db_url: str,
    seeded_engine: AsyncEngine,
    stop_at_commit: psycopg.Connection[tuple[object, ...]],
) -> None:
    await _enqueue_texts(seeded_engine, [ARTICLE_A])
    before = await row_counts(seeded_engine)
    proc = _worker(seeded_db_url, "--poll-interval=0.2", "--grace=0.5")
    try:
        _wait_blocked(stop_at_commit)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err.decode()[-2000:]
    (job,) = await rows(seeded_engine, "SELECT state, attempts, locked_by FROM job")
    assert (job.state, job.attempts, job.locked_by) == ("queued", 0, None)
    assert await row_counts(seeded_engine) == before


def _generated(i: int) -> str:
    places = ["Kirkuk", "Mosul", "Tikrit", "Ramadi", "Baqubah", "Samarra", "Fallujah", "Sinjar"]
    return (
        f"Attack in {places[i % len(places)]}\n\n"
        f"Gunmen attacked an army checkpoint near {places[i % len(places)]} on Sunday, killing"
        f" {2 + i % 9} soldiers and wounding {1 + i % 5} others, officials said. Report {i}.\n"
    )


@pytest.mark.parametrize("seeded_db_url", PG, indirect=True)
async def test_four_worker_processes_process_each_document_once(
    seeded_db_url: str, seeded_engine: AsyncEngine
) -> None:
    await _enqueue_texts(seeded_engine, [_generated(i) for i in range(200)])
    proc = _worker(seeded_db_url, "--once", "--concurrency=4", "--poll-interval=0.2")
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err.decode()[-2000:]
    jobs = await rows(seeded_engine, "SELECT state, attempts, locked_by, document_id FROM job")
    assert len(jobs) == 200
    assert {(j.state, j.attempts) for j in jobs} == {("done", 1)}
    assert len({j.document_id for j in jobs}) == 200
    assert len({j.locked_by for j in jobs}) >= 2  # several processes shared the work
    counts = await row_counts(seeded_engine)
    assert counts["document"] == 200
    (dups,) = await rows(
        seeded_engine,
        "SELECT count(*) AS n FROM (SELECT incident_id, document_id FROM report"
        " GROUP BY 1, 2 HAVING count(*) > 1) d",
    )
    assert dups.n == 0


async def test_in_process_worker_drains_the_queue(
    seeded_engine: AsyncEngine, extractor: Extractor
) -> None:
    texts = [p.read_text() for p in SEEDS]
    await _enqueue_texts(seeded_engine, [*texts, texts[0], ""])
    queue = Queue(seeded_engine, "test", QueueConfig(lease_seconds=30))
    processor = Processor(seeded_engine, queue, extractor)
    results = await Worker(processor, once=True).run()
    outcomes = [r.outcome for r in results]
    assert outcomes.count("unchanged") == 1
    assert outcomes.count("failed") == 1  # the empty document, at once, not retried
    assert sum(o in ("inserted", "merged") for o in outcomes) == len(SEEDS)
    failed = await rows(
        seeded_engine, "SELECT attempts, last_error FROM job WHERE state = 'failed'"
    )
    assert [(f.attempts, f.last_error) for f in failed] == [(1, "empty document")]
    assert (await row_counts(seeded_engine))["document"] == len(SEEDS)


async def test_a_stored_document_is_not_extracted_again(
    seeded_engine: AsyncEngine, extractor: Extractor
) -> None:
    """A job for a document already stored finishes `unchanged` without extraction (on
    PostgreSQL the claim itself finds the document by the job's dedupe key)."""
    calls: list[str] = []

    def counting(raw: str, **kw: Any) -> Extraction:
        calls.append(raw)
        return extractor(raw, **kw)

    sub = Submission(raw=ARTICLE_A, source="a")
    for _ in range(2):
        async with seeded_engine.begin() as conn:
            await enqueue(conn, to_payload(sub), dedupe_key=sub.sha256)
        queue = Queue(seeded_engine, "test", QueueConfig(lease_seconds=30))
        await Worker(Processor(seeded_engine, queue, counting), once=True).run()
    async with seeded_engine.connect() as conn:
        jobs = list(
            await conn.execute(sa.select(JOB.c.result, JOB.c.document_id).order_by(JOB.c.id))
        )
    assert [j.result["status"] for j in jobs] == ["inserted", "unchanged"]
    assert jobs[0].document_id == jobs[1].document_id is not None
    assert calls == [ARTICLE_A]


async def test_places_are_kept_between_documents(
    seeded_engine: AsyncEngine, extractor: Extractor
) -> None:
    await _enqueue_texts(seeded_engine, [ARTICLE_A])
    processor = Processor(seeded_engine, Queue(seeded_engine, "test"), extractor)
    await Worker(processor, once=True).run()
    (place,) = await rows(
        seeded_engine, "SELECT place_id, p.geonames_id, p.admin2 FROM incident"
        " JOIN place p ON p.id = place_id"
    )  # fmt: skip
    assert processor.reference.places[place.geonames_id] == (place.place_id, place.admin2)
