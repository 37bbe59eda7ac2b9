"""`sitrep db seed [--reference-dir DIR]`: load seeds/reference into the database."""

import argparse
import asyncio
import time
from pathlib import Path

from ingest.seed import SeedReport, default_reference_dir, seed_reference
from schema.config import Settings
from schema.db import make_engine


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser(
        "seed",
        help="load reference places, governorates, actors and officials (idempotent)",
        description="Load seeds/reference (places.tsv, governorates.tsv, place_aliases.tsv, "
        "actors.yaml, officials.yaml; missing files are skipped) into the database at "
        "DATABASE_URL. Running it again changes nothing unless the files changed.",
    )
    parser.add_argument(
        "--reference-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="directory holding the reference files (default: seeds/reference)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    reference_dir: Path = args.reference_dir or default_reference_dir()
    started = time.perf_counter()
    report = asyncio.run(_seed(settings.database_url, reference_dir))
    for line in report.lines():
        print(line)
    print(f"seeded from {reference_dir} in {time.perf_counter() - started:.1f}s")
    return 0


async def _seed(url: str, reference_dir: Path) -> SeedReport:
    engine = make_engine(url)
    try:
        return await seed_reference(engine, reference_dir)
    finally:
        await engine.dispose()
