"""`sitrep worker [--concurrency N] [--once] [--feed URL ...] [--watch DIR] [--poll-interval S]`

Processes ingest jobs from the database queue. `--concurrency N` (PostgreSQL) runs N
worker processes: extraction is CPU-bound, so processes, not threads, use the cores.
Feeds and the watched folder are polled by this (parent) process, which enqueues what
they find. `--once` polls the sources once, drains the queue and exits. SIGTERM/SIGINT:
stop claiming, finish the current job (for up to `--grace` seconds) or release it, exit 0.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from pathlib import Path

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from ingest.queue import Queue, QueueConfig
from ingest.sources import FeedPoller, FolderWatcher, client, every
from ingest.worker import Processor, Result, Worker, load_extractor, worker_id
from schema.config import Settings
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
    return asyncio.run(_main(args, settings, concurrency))


async def _main(args: argparse.Namespace, settings: Settings, concurrency: int) -> int:
    # No pre-ping: it costs a round trip per checkout (several per document); a dropped
    # connection fails one attempt of one job, which is retried.
    engine = make_engine(settings.database_url, pool_pre_ping=False)
    try:
        if concurrency > 1 and is_sqlite(engine):
            log.warning("SQLite has one writer: running one worker, not %d", concurrency)
            concurrency = 1
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
                if concurrency == 1:
                    await _work(engine, args, stop, http)
                else:
                    await _children(args, concurrency, stop)
            finally:
                stop.set()
                await asyncio.gather(*pollers)
        return 0
    finally:
        await engine.dispose()


async def _work(
    engine: AsyncEngine, args: argparse.Namespace, stop: asyncio.Event, http: httpx.AsyncClient
) -> None:
    queue = Queue(
        engine,
        worker_id(),
        QueueConfig(lease_seconds=args.lease, backoff_base=args.backoff),
    )
    processor = Processor(engine, queue, load_extractor(), http=http)

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


async def _children(args: argparse.Namespace, n: int, stop: asyncio.Event) -> None:
    """N single-process workers; signals are passed on, so each finishes its own job."""
    argv = [
        sys.executable,
        "-m",
        "sitrep",
        "worker",
        "--concurrency=1",
        f"--poll-interval={args.poll_interval}",
        f"--lease={args.lease}",
        f"--grace={args.grace}",
        f"--backoff={args.backoff}",
        *([f"--tasks={args.tasks}"] if args.tasks else []),
        *(["--once"] if args.once else []),
    ]
    procs = [await asyncio.create_subprocess_exec(*argv) for _ in range(n)]

    async def forward() -> None:
        await stop.wait()
        for p in procs:
            if p.returncode is None:
                p.send_signal(signal.SIGTERM)

    forwarder = asyncio.create_task(forward())
    try:
        await asyncio.gather(*(p.wait() for p in procs))
    finally:
        forwarder.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await forwarder
