"""End-to-end ingest benchmark: generated articles -> queue -> `sitrep worker` -> PostgreSQL.

For each worker count (default 1 and 2) a fresh database is created on the server
(`--pg-url`), migrated and seeded with the reference data; N generated articles are
enqueued in one batch, then `sitrep worker --once --concurrency W` drains the queue.
Reported per run: documents/second over the wall time of the worker command (start-up
with resource loading included) and over the processing window (first job started to
last job finished, from the job table), the start-up time (launch to first job), the
CPU per document of the worker processes and of their PostgreSQL backends (sampled from
/proc when readable) with the load average, the outcome counts, and the
database size.

The articles are built from sentence patterns written for this benchmark, with varied
places, actors, figures, dates and officials, so extraction, resolution and merging all
do real work (many reports merge into incidents told by other generated articles).

    python -m bench.ingest_bench [-n 10000] [--workers 1 2] [--smoke] [--keep]

The last line of standard output is a JSON object (read by bench/ingest_figures.py).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import threading
import time
import uuid
from typing import Any

import psycopg
import sqlalchemy as sa
from psycopg import sql
from sqlalchemy.engine import make_url

from ingest.documents import Submission, to_payload
from ingest.queue import JOB
from ingest.seed import default_reference_dir, seed_reference
from schema import migrate
from schema.config import normalise_url
from schema.db import make_engine
from schema.models.base import utcnow

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"

PLACES = [
    ("Kirkuk", "Kirkuk"),
    ("Mosul", "Nineveh"),
    ("Tikrit", "Salah ad Din"),
    ("Baiji", "Salah ad Din"),
    ("Samarra", "Salah ad Din"),
    ("Ramadi", "Anbar"),
    ("Fallujah", "Anbar"),
    ("Baqubah", "Diyala"),
    ("Khanaqin", "Diyala"),
    ("Tuz Khurmatu", "Salah ad Din"),
    ("Makhmour", "Erbil"),
    ("Sinjar", "Nineveh"),
    ("Tal Afar", "Nineveh"),
    ("Deir ez-Zor", "Deir ez-Zor"),
    ("Raqqa", "Raqqa"),
    ("Hasakah", "Hasakah"),
]
PERPETRATORS = ["Islamic State militants", "ISIS fighters", "gunmen", "suspected Daesh members"]
TARGETS = [
    ("soldiers", "army"),
    ("policemen", "police"),
    ("Peshmerga fighters", "Peshmerga"),
    ("members of the Popular Mobilisation Forces", "PMF"),
    ("civilians", "villagers"),
    ("shepherds", "villagers"),
]
SPOKESMEN = [
    ("Yehia Rasool", "spokesman for the Iraqi commander-in-chief"),
    ("Tahsin al-Khafaji", "spokesman for the Joint Operations Command"),
    ("Saad Maan", "spokesman for the interior ministry"),
]
OUTLETS = ["Tigris Wire", "Northern Desk", "Euphrates Daily", "Frontline Report", "Delta News"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMBERS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven"]

HEADLINES = [
    "{n_title} {targets} killed in attack near {place}",
    "Militants strike {place_short} outpost, {killed} dead",
    "Deadly assault on {unit} position in {admin1}",
    "Attack near {place} leaves {killed} dead, {wounded} hurt",
]
LEADS = [
    "{perp} attacked a {unit} checkpoint near {place} on {weekday}, killing {killed} {targets}"
    " and wounding {wounded} others, security officials said.",
    "At least {killed} {targets} were killed and {wounded} wounded when {perp} stormed a"
    " {unit} post outside {place} late on {weekday}, according to local officials.",
    "{killed_cap} {targets} died and {wounded} were injured on {weekday} when a roadside bomb"
    " struck their vehicle on the road between {place} and a nearby village.",
    "A group of {perp} ambushed a {unit} patrol in the {admin1} province on {weekday} night,"
    " killing {killed} {targets}, a security source told {outlet}.",
]
MIDDLES = [
    "The attackers used rifles and rocket-propelled grenades and withdrew before"
    " reinforcements arrived, the source added.",
    "Medical sources at the main hospital in {place_short} confirmed the toll and said several"
    " of the wounded were in a critical condition.",
    "No group immediately claimed responsibility, but the area has seen repeated attacks by"
    " Islamic State cells hiding in the surrounding valleys.",
    "Security forces closed the roads leading to the site and began a search operation in"
    " the nearby orchards and farmland.",
    "Residents said they heard heavy gunfire for about an hour before the shooting stopped.",
]
QUOTES = [
    '"The terrorists will not escape punishment," {spokesman}, {title}, said in a statement.',
    '{spokesman}, {title}, said that the forces "will pursue the remnants of the gangs" in'
    " the area.",
    '"Our forces responded immediately and the situation is under control," {title}'
    " {spokesman} told reporters.",
]
CLOSERS = [
    "Iraq declared victory over the Islamic State group in late 2017, but sleeper cells"
    " continue to carry out attacks in the north and west of the country.",
    "The attack was the latest in a series of assaults on security forces in the region"
    " this month.",
    "Officials have repeatedly warned of a resurgence of militant activity in the disputed"
    " territories between Baghdad and Erbil.",
]


def article(i: int, rng: random.Random) -> tuple[str, str, str]:
    """(text, outlet, published ISO date) of generated article number i."""
    place, admin1 = rng.choice(PLACES)
    targets, unit = rng.choice(TARGETS)
    killed = rng.randint(2, 11)
    wounded = rng.randint(1, 9)
    day = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(5 * 365))
    published = day + dt.timedelta(days=rng.choice([0, 1, 1, 2]))
    spokesman, title = rng.choice(SPOKESMEN)
    outlet = rng.choice(OUTLETS)
    values = {
        "place": place,
        "place_short": place,
        "admin1": admin1,
        "targets": targets,
        "unit": unit,
        "killed": killed,
        "wounded": wounded,
        "killed_cap": NUMBERS[killed - 2].capitalize(),
        "n_title": NUMBERS[killed - 2].capitalize(),
        "perp": rng.choice(PERPETRATORS),
        "weekday": WEEKDAYS[day.weekday()],
        "spokesman": spokesman,
        "title": title,
        "outlet": outlet,
    }
    parts = [
        rng.choice(HEADLINES).format(**values),
        "",
        f"By staff reporter {i:06d} | {outlet} | {published.strftime('%B %d, %Y')}",
        "",
        _capitalised(rng.choice(LEADS).format(**values)),
        "",
        *(p for m in rng.sample(MIDDLES, 2) for p in (m.format(**values), "")),
        rng.choice(QUOTES).format(**values),
        "",
        rng.choice(CLOSERS),
    ]
    return "\n".join(parts) + "\n", outlet, published.isoformat()


def _capitalised(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _prepare(url: str, n: int, seed: int) -> None:
    await migrate.upgrade(url)
    engine = make_engine(url)
    try:
        await seed_reference(engine, default_reference_dir())
        rng = random.Random(seed)
        now = utcnow()
        rows: list[dict[str, Any]] = []
        for i in range(n):
            text, outlet, published = article(i, rng)
            sub = Submission(raw=text, outlet=outlet, published=published, source=f"gen/{i}")
            rows.append(
                {
                    "kind": "ingest_document",
                    "state": "queued",
                    "payload": to_payload(sub),
                    "dedupe_key": sub.sha256[:64],
                    "attempts": 0,
                    "max_attempts": 3,
                    "run_after": now,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        async with engine.begin() as conn:
            for start in range(0, len(rows), 2000):
                await conn.execute(sa.insert(JOB), rows[start : start + 2000])
    finally:
        await engine.dispose()


async def _measure(url: str) -> dict[str, Any]:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            window, first_started = (
                await conn.execute(
                    sa.text(
                        "SELECT extract(epoch FROM max(finished_at) - min(started_at)),"
                        " extract(epoch FROM min(started_at)) FROM job"
                    )
                )
            ).one()
            outcomes: dict[Any, Any] = dict(
                (
                    await conn.execute(
                        sa.text(
                            "SELECT coalesce(result->>'status', state), count(*) FROM job"
                            " GROUP BY 1"
                        )
                    )
                ).all()
            )
            counts = {
                t: (await conn.execute(sa.text(f'SELECT count(*) FROM "{t}"'))).scalar_one()
                for t in ("document", "incident", "report", "statement", "mention", "change")
            }
            size = (
                await conn.execute(sa.text("SELECT pg_database_size(current_database())"))
            ).scalar_one()
        return {
            "window_s": float(window or 0),
            "first_started_epoch": float(first_started or 0),
            "outcomes": {str(k): int(v) for k, v in outcomes.items()},
            "rows": counts,
            "db_bytes": int(size),
        }
    finally:
        await engine.dispose()


class BackendCpu:
    """CPU time of the PostgreSQL backends serving one database, sampled from /proc every
    half second while the workers run (None when the server's processes cannot be read:
    another machine, or no permission). With the workers' own CPU it gives the CPU cost
    of a document on both sides, which a loaded shared machine does not blur."""

    def __init__(self, libpq_url: str) -> None:
        self.url = libpq_url
        self.ticks: dict[int, int] = {}
        self.readable = True
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> BackendCpu:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self._stop.wait(0.5):
                pids = conn.execute(
                    "SELECT pid FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                ).fetchall()
                for (pid,) in pids:
                    try:
                        with open(f"/proc/{pid}/stat") as f:
                            fields = f.read().rsplit(")", 1)[1].split()
                    except OSError:
                        self.readable = False
                        continue
                    self.ticks[pid] = max(self.ticks.get(pid, 0), int(fields[11]) + int(fields[12]))

    def seconds(self) -> float | None:
        if not self.readable or not self.ticks:
            return None
        return sum(self.ticks.values()) / os.sysconf("SC_CLK_TCK")


def run_one(pg_url: str, n: int, workers: int, seed: int, keep: bool) -> dict[str, Any]:
    name = f"sitrep_bench_ingest_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(_libpq(pg_url), autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = make_url(normalise_url(pg_url)).set(database=name).render_as_string(hide_password=False)
    try:
        t0 = time.perf_counter()
        asyncio.run(_prepare(url, n, seed))
        print(f"[{workers} worker(s)] {n} jobs enqueued in {time.perf_counter() - t0:.1f}s",
              file=sys.stderr)  # fmt: skip
        env = {**os.environ, "DATABASE_URL": url}
        argv = [sys.executable, "-m", "sitrep", "worker", "--once",
                f"--concurrency={workers}", "--poll-interval=0.5"]  # fmt: skip
        t1 = time.perf_counter()
        launched = time.time()
        cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        load0 = os.getloadavg()[0]
        with BackendCpu(_libpq(url)) as backends:
            subprocess.run(argv, env=env, check=True, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - t1
        cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        # CPU of the worker processes (PostgreSQL's own is not included): with the
        # load average, it tells a figure on a busy shared machine from a slow worker.
        worker_cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
        pg_cpu = backends.seconds()
        measured = asyncio.run(_measure(url))
        # Start-up: from launching `sitrep worker` to its first claimed job (imports,
        # resource loading, forking, connecting); same machine, so one clock.
        startup = measured.pop("first_started_epoch") - launched
        docs = measured["rows"]["document"]
        result = {
            "workers": workers,
            "n": n,
            "wall_s": round(wall, 2),
            "docs_per_s_wall": round(n / wall, 1),
            "docs_per_s_processing": round(n / measured["window_s"], 1)
            if measured["window_s"]
            else None,
            "documents": docs,
            "startup_s": round(startup, 2),
            "worker_cpu_ms_per_doc": round(1000 * worker_cpu / n, 1),
            "postgres_cpu_ms_per_doc": None if pg_cpu is None else round(1000 * pg_cpu / n, 1),
            "load_avg_before": round(load0, 2),
            "load_avg_after": round(os.getloadavg()[0], 2),
            **measured,
            "db_mb": round(measured["db_bytes"] / 1e6, 1),
        }
        print(json.dumps(result), file=sys.stderr)
        return result
    finally:
        if not keep:
            with psycopg.connect(_libpq(pg_url), autocommit=True) as admin:
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=10_000, help="articles (default 10000)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_PG))
    parser.add_argument("--seed", type=int, default=20210905)
    parser.add_argument("--smoke", action="store_true", help="a quick run: 200 articles")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument("--sample", action="store_true", help="print one article and exit")
    args = parser.parse_args(argv)
    if args.sample:
        print(article(0, random.Random(args.seed))[0])
        return 0
    n = 200 if args.smoke else args.n
    results = [run_one(args.pg_url, n, w, args.seed, args.keep) for w in args.workers]
    summary: dict[str, Any] = {"n": n, "runs": results}
    for r in results:
        key = f"end_to_end_docs_per_s_{r['workers']}_worker{'s' if r['workers'] > 1 else ''}"
        summary[key] = r["docs_per_s_wall"]
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
