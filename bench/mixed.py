"""Q7: GraphQL and REST reads under load while a worker ingests documents.

Articles are generated from sentence patterns (places, actors and officials drawn from
the benchmark database), queued through the ingest package's public queue API, and a
`sitrep worker` drains them while two load generators (one GraphQL, one REST) read
Q1 and Q2 concurrently. Reported: each API's req/s and p99 under write load, and the
documents the worker finished per second meanwhile.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import shutil
import subprocess
import threading
import time
from typing import Any, Protocol

import asyncpg  # type: ignore[import-untyped]

from bench import load, procs, vocab
from bench.dataset import REPO_ROOT
from bench.scenarios import Variant


class _Cfg(Protocol):
    duration: float
    connections: int
    smoke: bool


ARTICLE = (
    "{city} - {perp} {verb} {target} in {place}, {gov}, on {weekday}, killing {k} people"
    " and wounding {w}, {source} said.\n\n"
    '"{quote}," {title} {speaker} told reporters.\n\n'
    "The {area} has seen {trend} since {year}, residents said."
)
TRENDS = ("repeated attacks", "a rise in violence", "sporadic clashes", "relative calm")
SOURCES = ("a security source", "police", "a local official", "the interior ministry")


async def _corpus(dsn: str, n: int, seed: int = 11) -> list[dict[str, str]]:
    rng = random.Random(seed)
    conn = await asyncpg.connect(dsn)
    try:
        places = await conn.fetch(
            "SELECT name, admin1 FROM place WHERE admin1 IS NOT NULL ORDER BY population DESC"
            " LIMIT 300"
        )
        actors = [
            r["name"] for r in await conn.fetch("SELECT name FROM actor ORDER BY id LIMIT 40")
        ]
        people = await conn.fetch(
            "SELECT p.name, r.title FROM person p JOIN role r ON r.person_id = p.id"
            " ORDER BY p.id LIMIT 100"
        )
    finally:
        await conn.close()
    out = []
    types = [t for t, _ in vocab.INCIDENT_TYPES]
    for k in range(n):
        place = rng.choice(places)
        who = rng.choice(people)
        day = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(300))
        text = ARTICLE.format(
            city=place["admin1"].upper(), perp=rng.choice(actors), verb=vocab.VERBS[rng.choice(types)],
            target=rng.choice(actors), place=place["name"], gov=place["admin1"],
            weekday=day.strftime("%A"), k=rng.randint(1, 12), w=rng.randint(0, 20),
            source=rng.choice(SOURCES),
            quote=f"{rng.choice(vocab.QUOTE_OPENERS)} {rng.choice(vocab.QUOTE_OBJECTS)}",
            title=who["title"], speaker=who["name"], area=rng.choice(("district", "province", "area")),
            trend=rng.choice(TRENDS), year=rng.randint(2014, 2023),
        )  # fmt: skip
        out.append({"text": text, "url": f"https://bench.example/q7/{seed}/{k}",
                    "outlet": "Bench Wire", "published": day.isoformat()})  # fmt: skip
    return out


async def _enqueue(dsn: str, articles: list[dict[str, str]]) -> str | None:
    """Queue the articles through ingest's public API; returns why not, on failure."""
    try:
        from ingest.documents import Submission, to_payload
        from ingest.queue import enqueue
        from schema.db import make_engine
    except ImportError as exc:
        return f"ingest queue API not importable: {exc}"
    engine = make_engine("postgresql+asyncpg://" + dsn.partition("://")[2])
    try:
        async with engine.begin() as conn:
            for a in articles:
                sub = Submission(raw=a["text"], url=a["url"], outlet=a["outlet"],
                                 published=a["published"])  # fmt: skip
                await enqueue(conn, to_payload(sub))
    finally:
        await engine.dispose()
    return None


async def _job_states(dsn: str) -> dict[str, int]:
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch("SELECT state, count(*) AS n FROM job GROUP BY state")
    finally:
        await conn.close()
    return {r["state"]: r["n"] for r in rows}


def _wait_first_done(dsn: str, worker: procs.Server, timeout: float) -> str | None:
    deadline = time.monotonic() + timeout

    def finished() -> int:
        states = asyncio.run(_job_states(dsn))
        return states.get("done", 0) + states.get("failed", 0)

    start = finished()
    while time.monotonic() < deadline:
        if worker.proc.poll() is not None:
            return f"worker exited with {worker.proc.returncode}: {procs.tail(worker.log, 400)}"
        if finished() > start:
            return None
        time.sleep(0.5)
    return f"worker finished no document within {timeout:.0f}s"


async def _drop_queued(dsn: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("DELETE FROM job WHERE state = 'queued'")
    finally:
        await conn.close()


def _worker_command() -> list[str] | None:
    exe = shutil.which("sitrep") or str(REPO_ROOT / ".venv" / "bin" / "sitrep")
    try:
        out = subprocess.run([exe, "worker", "--help"], capture_output=True, text=True,
                             timeout=30, check=False)  # fmt: skip
    except OSError:
        return None
    return [exe, "worker"] if out.returncode == 0 else None


def run(
    server: procs.Server, dsn: str, sitrep_variants: list[Variant], cfg: _Cfg
) -> dict[str, Any]:
    reads = {
        api: [r for v in sitrep_variants if v.api == api and v.scenario in ("Q1", "Q2")
              for r in v.requests]
        for api in ("graphql", "rest")
    }  # fmt: skip
    reads = {k: v for k, v in reads.items() if v}
    if not reads:
        return {"error": "no working Q1/Q2 sitrep requests to mix"}
    result: dict[str, Any] = {}
    n_docs = 40 if cfg.smoke else 2000
    note = asyncio.run(_enqueue(dsn, asyncio.run(_corpus(dsn, n_docs))))
    argv = _worker_command()
    worker = None
    if note is None and argv is not None:
        try:
            worker = procs.start_background(
                "worker",
                argv,
                env={"DATABASE_URL": "postgresql+asyncpg://" + dsn.partition("://")[2]},
            )
        except OSError as exc:
            note = f"worker did not start: {exc}"
    elif note is None:
        note = "`sitrep worker` is not available: reads measured without ingestion"
    if worker is not None:
        # Start-up (loading the gazetteer and registries) is not ingestion throughput:
        # time the window only once the worker has finished its first document.
        warm = _wait_first_done(dsn, worker, timeout=30 if cfg.smoke else 180)
        if warm is not None:
            note = warm
    before = asyncio.run(_job_states(dsn))
    outs: dict[str, load.LoadResult] = {}

    def drive(api: str) -> None:
        outs[api] = load.run(server.base_url, reads[api], cfg.duration * 2,
                             max(1, cfg.connections // 2))  # fmt: skip

    threads = [threading.Thread(target=drive, args=(api,)) for api in reads]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    after = asyncio.run(_job_states(dsn))
    if worker is not None:
        if worker.proc.poll() is not None:
            note = f"worker exited with {worker.proc.returncode}: {procs.tail(worker.log, 400)}"
        procs.stop(worker)
    asyncio.run(_drop_queued(dsn))  # a reused database must not inherit this backlog
    done = after.get("done", 0) - before.get("done", 0)
    seconds = max(r.seconds for r in outs.values())
    result.update({
        "documents_queued": n_docs,
        "documents_done": done,
        "documents_failed": after.get("failed", 0) - before.get("failed", 0),
        "ingest_docs_per_s": done / seconds,
        "apis": {api: r.as_dict() for api, r in outs.items()},
        "note": note,
    })  # fmt: skip
    return result
