"""`sitrep reprocess [--all | --extractor-version-below V]`

Re-extracts stored documents with the current extractor and replaces each document's
derived rows (mentions, reports, statements, links) in one transaction per document.
Incidents keep their identity when the new extraction still reports them; curated
fields and curated incidents survive.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from ingest.resolve import Reference
from ingest.store import DOCUMENT, reprocess
from ingest.worker import Extractor, load_extractor
from schema.config import Settings
from schema.db import make_engine


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "reprocess",
        help="re-extract stored documents after the extractor improved",
        description="Re-extract stored documents and replace their derived records.",
    )
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--all", action="store_true", help="every stored document")
    which.add_argument(
        "--extractor-version-below",
        type=int,
        metavar="V",
        help="documents extracted by an extractor older than V",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    below: int | None = None if args.all else args.extractor_version_below
    done = asyncio.run(_run(settings.database_url, below, load_extractor()))
    print(f"reprocessed {done} document(s)")
    return 0


async def _run(url: str, below: int | None, extractor: Extractor) -> int:
    engine = make_engine(url)
    try:
        return await reprocess_all(engine, extractor, below)
    finally:
        await engine.dispose()


async def reprocess_all(engine: AsyncEngine, extractor: Extractor, below: int | None) -> int:
    query = sa.select(DOCUMENT.c.id).where(DOCUMENT.c.deleted_at.is_(None))
    if below is not None:
        query = query.where(DOCUMENT.c.extractor_version < below)
    async with engine.connect() as conn:
        ids = [int(i) for i in (await conn.execute(query.order_by(DOCUMENT.c.id))).scalars()]
    tty = sys.stderr.isatty()
    reference = Reference()
    for n, document_id in enumerate(ids, 1):
        async with engine.connect() as conn:
            doc = (
                await conn.execute(
                    sa.select(
                        DOCUMENT.c.raw_text, DOCUMENT.c.published, DOCUMENT.c.content_type
                    ).where(DOCUMENT.c.id == document_id)
                )
            ).one()
        extraction = await asyncio.to_thread(
            extractor, doc.raw_text, published=doc.published, content_type=doc.content_type
        )
        async with engine.begin() as conn:
            await reprocess(conn, document_id, extraction, reference)
        if tty:
            print(f"\r[{n}/{len(ids)}] document {document_id}", end="", file=sys.stderr)
    if tty and ids:
        print(file=sys.stderr)
    return len(ids)
