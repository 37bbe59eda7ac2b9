"""The raw-SQL floor: a minimal Starlette app answering Q1-Q5 with asyncpg and orjson.

No ORM, no query layer, no GraphQL: the cheapest way Python can fetch the same rows and
serialise them, i.e. the throughput a sitrep endpoint can approach but hardly beat.
Run with `uvicorn bench.floor:create_app --factory` and BENCH_FLOOR_DSN set.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

LIVE = "i.deleted_at IS NULL AND i.merged_into_id IS NULL"
PAGE = f"""
SELECT i.id, i.date, i.type, i.source_count, i.killed_best, i.wounded_best,
       p.id AS place_id, p.name AS place_name, p.admin1 AS place_admin1,
       p.country AS place_country, p.lat AS place_lat, p.lon AS place_lon
FROM incident i LEFT JOIN place p ON p.id = i.place_id
WHERE {LIVE} AND i.admin1 = $1 AND i.date >= $2 AND i.date <= $3
ORDER BY i.date DESC, i.id DESC LIMIT $4
"""
ACTORS = """
SELECT ia.incident_id, ia.role, a.id, a.name, a.kind
FROM incident_actor ia JOIN actor a ON a.id = ia.actor_id
WHERE ia.incident_id = ANY($1::int[]) ORDER BY ia.incident_id, a.id
"""
INCIDENT = f"""
SELECT i.id, i.date, i.type, i.source_count, i.killed_low, i.killed_best, i.killed_high,
       i.wounded_low, i.wounded_best, i.wounded_high,
       p.id AS place_id, p.name AS place_name, p.admin1 AS place_admin1
FROM incident i LEFT JOIN place p ON p.id = i.place_id WHERE i.id = $1 AND {LIVE}
"""
REPORTS = """
SELECT r.id, r.killed, r.wounded, r.evidence, r.span_start, r.span_end,
       d.id AS document_id, d.url, d.outlet, d.title, d.published
FROM report r JOIN document d ON d.id = r.document_id WHERE r.incident_id = $1 ORDER BY r.id
"""
STATEMENTS = """
SELECT s.id, s.text, s.date, s.kind, p.id AS speaker_id, p.name AS speaker_name,
       r.title AS role_title
FROM statement_incident si JOIN statement s ON s.id = si.statement_id
LEFT JOIN person p ON p.id = s.speaker_person_id LEFT JOIN role r ON r.id = s.speaker_role_id
WHERE si.incident_id = $1 ORDER BY s.id
"""
STATS = f"""
SELECT to_char(i.date, 'YYYY-MM') AS month, i.admin1, count(*) AS incidents,
       sum(i.killed_best) AS killed_best, sum(i.wounded_best) AS wounded_best
FROM incident i WHERE {LIVE} GROUP BY 1, 2 ORDER BY 1, 2
"""
SEARCH = """
SELECT s.id, s.text, s.date, p.id AS speaker_id, p.name AS speaker_name,
       r.title AS role_title, o.id AS organisation_id, o.name AS organisation_name
FROM statement s
LEFT JOIN person p ON p.id = s.speaker_person_id
LEFT JOIN role r ON r.id = s.speaker_role_id
LEFT JOIN actor o ON o.id = r.organisation_id
WHERE to_tsvector('english', s.text) @@ websearch_to_tsquery('english', $1)
ORDER BY s.date DESC, s.id DESC LIMIT $2
"""
#: the hot-path statements, for EXPLAIN in the results (name -> (sql, sample arguments))
HOT_PATHS = {"Q1 page": PAGE, "Q1 actors": ACTORS, "Q2 incident": INCIDENT,
             "Q2 reports": REPORTS, "Q2 statements": STATEMENTS, "Q3 stats": STATS,
             "Q4 search": SEARCH}  # fmt: skip


def _json(data: Any, status: int = 200) -> Response:
    return Response(orjson.dumps(data), status, media_type="application/json")


def _date(value: str | None, default: dt.date) -> dt.date:
    return dt.date.fromisoformat(value) if value else default


async def _page(pool: Any, admin1: str, d0: dt.date, d1: dt.date, limit: int) -> list[Any]:
    async with pool.acquire() as conn:
        rows = await conn.fetch(PAGE, admin1, d0, d1, limit)
        actors = await conn.fetch(ACTORS, [r["id"] for r in rows])
    by_incident: dict[int, dict[str, list[dict[str, Any]]]] = {}
    for a in actors:
        slot = by_incident.setdefault(a["incident_id"], {"perpetrator": [], "target": []})
        slot[a["role"]].append({"id": a["id"], "name": a["name"], "kind": a["kind"]})
    items = []
    for r in rows:
        actors_of = by_incident.get(r["id"], {"perpetrator": [], "target": []})
        items.append({
            "id": r["id"], "date": r["date"], "type": r["type"],
            "source_count": r["source_count"],
            "killed": {"best": r["killed_best"]}, "wounded": {"best": r["wounded_best"]},
            "place": None if r["place_id"] is None else {
                "id": r["place_id"], "name": r["place_name"], "admin1": r["place_admin1"],
                "country": r["place_country"], "lat": r["place_lat"], "lon": r["place_lon"]},
            "perpetrators": actors_of["perpetrator"], "targets": actors_of["target"],
        })  # fmt: skip
    return items


async def q1(request: Request) -> Response:
    q = request.query_params
    items = await _page(
        request.app.state.pool,
        q["admin1"],
        _date(q.get("date_from"), dt.date.min),
        _date(q.get("date_to"), dt.date.max),
        min(500, int(q.get("limit", 50))),
    )
    return _json({"items": items})


async def q2(request: Request) -> Response:
    iid = int(request.path_params["id"])
    async with request.app.state.pool.acquire() as conn:
        inc = await conn.fetchrow(INCIDENT, iid)
        if inc is None:
            return _json({"detail": "not found"}, 404)
        actors = await conn.fetch(ACTORS, [iid])
        reports = await conn.fetch(REPORTS, iid)
        statements = await conn.fetch(STATEMENTS, iid)
    body = dict(inc)
    body["perpetrators"] = [dict(a) for a in actors if a["role"] == "perpetrator"]
    body["targets"] = [dict(a) for a in actors if a["role"] == "target"]
    body["reports"] = [dict(r) for r in reports]
    body["statements"] = [dict(s) for s in statements]
    return _json(body)


async def q3(request: Request) -> Response:
    async with request.app.state.pool.acquire() as conn:
        rows = await conn.fetch(STATS)
    return _json({"items": [dict(r) for r in rows]})


async def q4(request: Request) -> Response:
    q = request.query_params
    async with request.app.state.pool.acquire() as conn:
        rows = await conn.fetch(SEARCH, q["q"], min(500, int(q.get("limit", 50))))
    return _json({"items": [dict(r) for r in rows]})


async def q5(request: Request) -> Response:
    q = request.query_params
    items = await _page(
        request.app.state.pool, q["admin1"], dt.date.min, dt.date.max, int(q.get("limit", 500))
    )
    return _json({"items": items})


async def health(_request: Request) -> Response:
    return _json({"ok": True})


def create_app() -> Starlette:
    dsn = os.environ["BENCH_FLOOR_DSN"]

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.pool = await asyncpg.create_pool(dsn, min_size=2, max_size=10)
        try:
            yield
        finally:
            await app.state.pool.close()

    return Starlette(
        routes=[
            Route("/healthz", health),
            Route("/q1", q1),
            Route("/q2/{id:int}", q2),
            Route("/q3", q3),
            Route("/q4", q4),
            Route("/q5", q5),
        ],
        lifespan=lifespan,
    )
