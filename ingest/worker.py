"""The worker: claim a job, extract its document, store it, finish the job; repeat.

`Processor.run` handles one claimed job: read the payload (fetching the URL when the
payload has no text), skip extraction when the document is already stored, extract in a
thread (the event loop keeps renewing the lease meanwhile), then store the document and
mark the job done in one transaction. Failures are retried with exponential backoff;
expected ones (an empty or unreadable document) fail at once. `Worker.run` is the loop,
with graceful shutdown: on SIGTERM/SIGINT it stops claiming, lets the current job
finish for up to `grace` seconds, and otherwise cancels it (rolling back its
transaction) and releases the job for another worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import signal
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal, Protocol

import httpx
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from ingest.documents import from_payload
from ingest.errors import ExtractionError, IngestError
from ingest.extract import pipeline
from ingest.extract.model import Extraction
from ingest.extract.resources import Resources
from ingest.queue import ClaimedJob, LeaseLost, Queue
from ingest.resolve import Reference
from ingest.sources import client, fetch_article
from ingest.store import Stored, existing_document, parse_published, store

log = logging.getLogger(__name__)

Outcome = Literal["inserted", "merged", "unchanged", "failed", "retry", "lost", "released"]


class Extractor(Protocol):
    def __call__(self, raw: str, *, published: dt.date | None, content_type: str) -> Extraction: ...


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass(frozen=True)
class Result:
    job_id: int
    outcome: Outcome
    source: str | None = None
    document_id: int | None = None
    error: str | None = None


class Processor:
    """Runs claimed jobs. `retry=False` (inline `sitrep ingest`) fails a job for good on
    its first error, so the user sees the reason now."""

    def __init__(
        self,
        engine: AsyncEngine,
        queue: Queue,
        extractor: Extractor,
        *,
        retry: bool = True,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        self.engine = engine
        self.queue = queue
        self.extractor = extractor
        self.retry = retry
        self._http = http
        self._owns_http = http is None
        self.reference = Reference()  # rows kept between documents (one engine, one database)
        pg = engine.dialect.name == "postgresql"
        # A read of one row needs no transaction (no BEGIN/ROLLBACK round trips).
        self._single = engine.execution_options(isolation_level="AUTOCOMMIT") if pg else engine

    async def _heartbeat(self, job: ClaimedJob, lost: asyncio.Event) -> None:
        period = max(0.2, self.queue.config.lease_seconds / 3)
        while True:
            await asyncio.sleep(period)
            if not await self.queue.heartbeat(job):
                lost.set()
                return

    async def run(self, job: ClaimedJob) -> Result:
        lost = asyncio.Event()
        beat = asyncio.create_task(self._heartbeat(job, lost))
        source = str(job.payload.get("source") or job.payload.get("url") or f"job {job.id}")
        try:
            return await self._run(job, source)
        except LeaseLost as exc:
            log.warning("%s: %s", source, exc)
            return Result(job.id, "lost", source, error=str(exc))
        except IngestError as exc:
            await self.queue.fail(job, str(exc), retry=False)
            log.warning("%s: failed: %s", source, exc)
            return Result(job.id, "failed", source, error=str(exc))
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            state = await self.queue.fail(job, error, retry=self.retry)
            log.warning("%s: attempt %d failed: %s", source, job.attempts, error)
            return Result(job.id, "retry" if state == "queued" else "failed", source, error=error)
        finally:
            beat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await beat

    async def _run(self, job: ClaimedJob, source: str) -> Result:
        sub = from_payload(job.payload)
        if not sub.raw.strip():
            if not sub.url:
                raise ExtractionError("empty document")
            if self._http is None:
                self._http = client()
            text, content_type = await fetch_article(self._http, sub.url)
            sub = replace(sub, raw=text, content_type=content_type)
        if not sub.normalised:
            raise ExtractionError("empty document (no text)")
        if job.checked and not sub.url and job.dedupe_key == sub.sha256:
            known = job.known_document  # the claim looked the hash up already
        else:
            async with self._single.connect() as conn:
                known = await existing_document(conn, sub.sha256, sub.url)
        if known is not None:
            async with self.engine.begin() as conn:
                await self.queue.finish(
                    conn, job, {"status": "unchanged", "document_id": known}, known
                )
            return Result(job.id, "unchanged", source, known)
        extraction = await asyncio.to_thread(
            self.extractor,
            sub.raw,
            published=parse_published(sub.published),
            content_type=sub.content_type,
        )
        async with self.engine.begin() as conn:

            async def finish(stored: Stored) -> None:
                await self.queue.finish(conn, job, stored.as_result(), stored.document_id)

            stored = await store(conn, sub, extraction, self.reference, then=finish)
        return Result(job.id, stored.status, source, stored.document_id)

    async def aclose(self) -> None:
        if self._http is not None and self._owns_http:
            await self._http.aclose()


class Worker:
    """Claims and runs jobs until stopped (or, with `once`, until the queue is empty)."""

    def __init__(
        self,
        processor: Processor,
        *,
        poll_interval: float = 1.0,
        once: bool = False,
        grace: float = 30.0,
        stop: asyncio.Event | None = None,
        on_result: Callable[[Result], None] | None = None,
    ) -> None:
        self.processor = processor
        self.queue = processor.queue
        self.poll_interval = poll_interval
        self.once = once
        self.grace = grace
        self.stop = stop or asyncio.Event()
        self.on_result = on_result
        self.results: list[Result] = []

    def install_signal_handlers(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self._on_signal, sig)

    def _on_signal(self, sig: signal.Signals) -> None:
        log.info("%s: finishing the current job, then stopping", sig.name)
        self.stop.set()

    async def run(self, tasks: int = 1) -> list[Result]:
        """Runs `tasks` claim loops concurrently: while one waits for the database, another
        extracts (in its thread), so one process keeps a core busy."""
        await asyncio.gather(*(self._loop() for _ in range(max(1, tasks))))
        return self.results

    async def _loop(self) -> None:
        while not self.stop.is_set():
            try:
                job = await self.queue.claim()
            except (OSError, DBAPIError) as exc:
                # The database is briefly unreachable (restart, failover): wait and retry
                # rather than exit; the job of a worker that cannot reach it expires anyway.
                log.warning("cannot claim a job: %s", exc)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.stop.wait(), self.poll_interval)
                continue
            if job is None:
                if self.once:
                    break
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.stop.wait(), self.poll_interval)
                continue
            result = await self._run_one(job)
            self.results.append(result)
            if self.on_result is not None:
                self.on_result(result)

    async def _run_one(self, job: ClaimedJob) -> Result:
        task = asyncio.create_task(self.processor.run(job))
        stopping = asyncio.create_task(self.stop.wait())
        try:
            await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if not task.done():
                await asyncio.wait({task}, timeout=self.grace)
            if task.done():
                return task.result()
            log.warning("job %d: not finished within %.0fs; releasing it", job.id, self.grace)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await self.queue.release(job)
            return Result(job.id, "released")
        finally:
            stopping.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await stopping


def load_extractor() -> Extractor:
    """The extraction pipeline with its resources (gazetteer, registries) loaded once."""
    resources = Resources.load()

    def extract(raw: str, *, published: dt.date | None, content_type: str) -> Extraction:
        return pipeline.extract(
            raw, published=published, content_type=content_type, resources=resources
        )

    return extract
