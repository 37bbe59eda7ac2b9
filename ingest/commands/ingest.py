"""`sitrep ingest PATH|DIR|GLOB... [--published DATE] [--outlet NAME] [--url URL] [--enqueue-only]`

Enqueues the files as ingest jobs and, unless `--enqueue-only`, processes them now in
this process (one job at a time; a failure fails its job at once, with the reason in
the summary). Prints a progress line on a terminal and a summary at the end; exits 1
when any document failed.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
from collections import Counter
from typing import TextIO

from ingest.documents import Submission, to_payload
from ingest.queue import Queue, QueueConfig, enqueue
from ingest.sources import SourceError, expand, submission_of_file
from ingest.worker import Extractor, Processor, Result, load_extractor, worker_id
from schema.config import Settings
from schema.db import make_engine


def _date(value: str) -> str:
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {value!r}") from None


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "ingest",
        help="ingest article files (text or HTML) now, or enqueue them for a worker",
        description="Enqueue article files and process them now (unless --enqueue-only). "
        "Directories are read recursively (.txt, .html, ...). A document already stored "
        "(same normalised text or URL) is reported 'unchanged'.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH|DIR|GLOB")
    parser.add_argument("--published", type=_date, help="publication date (YYYY-MM-DD)")
    parser.add_argument("--outlet", help="name of the publishing outlet")
    parser.add_argument("--url", help="the article's URL (only with a single file)")
    parser.add_argument(
        "--enqueue-only", action="store_true", help="only enqueue; a `sitrep worker` processes"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    files = expand(args.paths)
    if args.url and len(files) > 1:
        raise SourceError("--url names one article, but the paths match several files")
    subs = [
        submission_of_file(f, url=args.url, outlet=args.outlet, published=args.published)
        for f in files
    ]
    extractor = None if args.enqueue_only else load_extractor()
    return asyncio.run(ingest_files(settings, subs, extractor, sys.stderr))


async def ingest_files(
    settings: Settings, subs: list[Submission], extractor: Extractor | None, progress: TextIO
) -> int:
    """Enqueues `subs`; processes them now unless `extractor` is None. Returns the exit code."""
    engine = make_engine(settings.database_url)
    try:
        async with engine.begin() as conn:
            ids = [
                await enqueue(
                    conn,
                    to_payload(s),
                    dedupe_key=s.sha256[:64],
                    max_attempts=settings.job_max_attempts,
                )
                for s in subs
            ]
        if extractor is None:
            print(f"enqueued {len(ids)} job(s): ids {ids[0]}..{ids[-1]}")
            return 0
        queue = Queue(engine, worker_id(), QueueConfig())
        processor = Processor(engine, queue, extractor, retry=False)
        results: list[Result] = []
        tty = progress.isatty()
        try:
            for n, job_id in enumerate(ids, 1):
                job = await queue.claim(job_id)
                if job is None:  # a running worker took it first
                    results.append(Result(job_id, "released", error="taken by a worker"))
                    continue
                result = await processor.run(job)
                results.append(result)
                if tty:
                    line = f"\r[{n}/{len(ids)}] {result.outcome:<9} {result.source}"
                    print(line[:120].ljust(120), end="", file=progress, flush=True)
        finally:
            await processor.aclose()
        if tty:
            print(file=progress)
        return _summary(results, sys.stdout)
    finally:
        await engine.dispose()


def _summary(results: list[Result], out: TextIO) -> int:
    tally = Counter(r.outcome for r in results)
    parts = [f"{k} {tally.get(k, 0)}" for k in ("inserted", "merged", "unchanged", "failed")]
    if tally.get("released"):
        parts.append(f"left to a worker {tally['released']}")
    print(", ".join(parts), file=out)
    for r in results:
        if r.outcome == "failed":
            print(f"  failed: {r.source}: {r.error}", file=out)
    return 1 if tally.get("failed") else 0
