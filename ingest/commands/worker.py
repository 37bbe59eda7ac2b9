"""`sitrep worker [--concurrency N] [--once] [--feed URL ...] [--watch DIR] [--poll-interval S]`

Processes ingest jobs from the database queue. `--concurrency N` (PostgreSQL) runs N
worker processes: extraction is CPU-bound, so processes, not threads, use the cores.
They are forked from this one after it loaded the extraction resources, so start-up
costs one import and one load whatever N is. Feeds and the watched folder are polled by this (parent) process, which enqueues what
they find. `--once` polls the sources once, drains the queue and exits. SIGTERM/SIGINT:
stop claiming, finish the current job (for up to `--grace` seconds) or release it, exit 0.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import multiprocessing
import multiprocessing.synchronize
import signal
import sys
from multiprocessing.process import BaseProcess
from pathlib import Path

import httpx
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from ingest.queue import Queue, QueueConfig
from ingest.sources import FeedPoller, FolderWatcher, client, every
from ingest.worker import Extractor, Processor, Result, Worker, load_extractor, worker_id
from schema.config import Settings, normalise_url
from schema.db import is_sqlite, make_engine

log = logging.getLogger("sitrep.worker")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "worker",
        help="process queued ingest jobs; poll feeds and a folder",
        description="Process ingest jobs from the queue in the database (DATABASE_URL).",
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        default=None,
        metavar="N",
        help="worker processes (PostgreSQL only; default SITREP_WORKER_CONCURRENCY or 1)",
    )
    parser.add_argument("--once", action="store_true", help="drain the queue, then exit")
    parser.add_argument(
        "--feed", action="append", default=[], metavar="URL", help="RSS/Atom feed to poll"
    )
    parser.add_argument("--watch", type=Path, metavar="DIR", help="folder to pick files up from")
    parser.add_argument(
        "--poll-interval",
        type=float,
        default=5.0,
        metavar="S",
        help="seconds between queue, feed and folder polls when idle (default 5)",
    )
    parser.add_argument(
        "--lease",
        type=float,
        default=60.0,
        metavar="S",
        help="job lease in seconds, renewed while working (default 60)",
    )
    parser.add_argument(
        "--grace",
        type=float,
        default=30.0,
        metavar="S",
        help="on SIGTERM, how long the current job may take to finish (default 30)",
    )
    parser.add_argument(
        "--tasks",
        type=int,
        default=None,
        metavar="N",
        help="jobs in flight per worker process: one stores while another extracts "
        "(default 2 on PostgreSQL, 1 on SQLite)",
    )
    parser.add_argument(
        "--backoff", type=float, default=5.0, metavar="S", help="first retry delay (doubles)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    settings = Settings.from_env()
    concurrency = args.concurrency or settings.worker_concurrency
    if concurrency < 1:
        print("sitrep: error: --concurrency must be at least 1", file=sys.stderr)
        return 2
    if concurrency > 1 and make_url(normalise_url(settings.database_url)).get_backend_name() == (
        "sqlite"
    ):
        log.warning("SQLite has one writer: running one worker, not %d", concurrency)
        concurrency = 1
    # The extraction resources (gazetteer, registries) are loaded once, here, before
    # any thread or event loop exists; worker processes are forked from this one and
    # share them (copy-on-write) instead of each importing and loading them again.
    extractor = load_extractor()
    if concurrency == 1:
        return asyncio.run(_main(args, settings, extractor))
    fork = multiprocessing.get_context("fork")
    go = fork.Event()
    procs: list[BaseProcess] = [
        fork.Process(target=_child, args=(args, settings, extractor, go), name=f"sitrep-worker-{i}")
        for i in range(concurrency)
    ]
    for p in procs:
        p.start()
    try:
        return asyncio.run(_main(args, settings, None, procs, go))
    finally:
        go.set()  # children never wait for a parent that failed before letting them go
        for p in procs:
            if p.is_alive():
                p.terminate()
            p.join()


def _child(
    args: argparse.Namespace,
    settings: Settings,
    extractor: Extractor,
    go: multiprocessing.synchronize.Event,
) -> None:
    """A forked worker process: waits until the parent has polled its sources once (with
    `--once`, the queue must hold what they found before anyone drains it), then works."""
    go.wait()
    sys.exit(asyncio.run(_child_main(args, settings, extractor)))


async def _child_main(args: argparse.Namespace, settings: Settings, extractor: Extractor) -> int:
    engine = make_engine(settings.database_url, pool_pre_ping=False)
    try:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        async with client() as http:
            await _work(engine, args, stop, http, extractor)
        return 0
    finally:
        await engine.dispose()


async def _main(
    args: argparse.Namespace,
    settings: Settings,
    extractor: Extractor | None,
    procs: list[BaseProcess] | None = None,
    go: multiprocessing.synchronize.Event | None = None,
) -> int:
    """Polls the sources; works itself (`extractor`) or watches the forked `procs`."""
    # No pre-ping: it costs a round trip per checkout (several per document); a dropped
    # connection fails one attempt of one job, which is retried.
    engine = make_engine(settings.database_url, pool_pre_ping=False)
    try:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        async with contextlib.AsyncExitStack() as stack:
            http = await stack.enter_async_context(client())
            sources = []
            if args.feed:
                sources.append(("feeds", FeedPoller(engine, args.feed, http).poll_once))
            if args.watch:
                sources.append(("watch", FolderWatcher(engine, args.watch).scan_once))
            if args.once:
                for _name, poll in sources:
                    await poll()
                    if args.watch:  # a file is taken once it was seen unchanged twice
                        await asyncio.sleep(min(args.poll_interval, 1.0))
                        await poll()
            pollers = [
                asyncio.create_task(every(args.poll_interval, stop, poll, name))
                for name, poll in ([] if args.once else sources)
            ]
            try:
                if extractor is not None:
                    await _work(engine, args, stop, http, extractor)
                else:
                    assert procs is not None
                    assert go is not None
                    go.set()
                    await _watch(procs, stop)
            finally:
                stop.set()
                await asyncio.gather(*pollers)
        return 0
    finally:
        await engine.dispose()


async def _work(
    engine: AsyncEngine,
    args: argparse.Namespace,
    stop: asyncio.Event,
    http: httpx.AsyncClient,
    extractor: Extractor,
) -> None:
    # The worker's event loop waits for the database while another job is extracted in a
    # thread; with the default 5 ms switch interval, a reply would wait up to 5 ms for
    # the extracting thread to yield the interpreter, and the storing transaction (and
    # its locks) would stay open that much longer.
    sys.setswitchinterval(0.0005)
    queue = Queue(
        engine,
        worker_id(),
        QueueConfig(lease_seconds=args.lease, backoff_base=args.backoff),
    )
    processor = Processor(engine, queue, extractor, http=http)

    def report(result: Result) -> None:
        log.info(
            "job %d %s %s%s",
            result.job_id,
            result.outcome,
            result.source,
            f": {result.error}" if result.error else "",
        )

    worker = Worker(
        processor,
        poll_interval=args.poll_interval,
        once=args.once,
        grace=args.grace,
        stop=stop,
        on_result=report,
    )
    log.info("worker %s started", queue.worker_id)
    try:
        tasks = args.tasks or (1 if is_sqlite(engine) else 2)
        await worker.run(tasks)
    finally:
        await processor.aclose()
    log.info("worker %s stopped after %d job(s)", queue.worker_id, len(worker.results))


async def _watch(procs: list[BaseProcess], stop: asyncio.Event) -> None:
    """Waits for the worker processes; on SIGTERM/SIGINT passes the signal on, so each
    finishes (or releases) its own job."""

    async def forward() -> None:
        await stop.wait()
        for p in procs:
            if p.is_alive():
                p.terminate()  # SIGTERM

    forwarder = asyncio.create_task(forward())
    try:
        await asyncio.gather(*(asyncio.to_thread(p.join) for p in procs))
    finally:
        forwarder.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await forwarder
