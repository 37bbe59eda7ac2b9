"""GET /api/v1/stats/incidents?group_by=month,admin1 (+ every incident filter)."""

from typing import Any

import orjson
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import Response

from api.auth import require
from api.query import prepared
from api.query.snapshots import SnapshotCache
from api.query.stats import FIGURES, GROUPS, buckets_json, incident_stats, stats_select
from api.rest import formats as f
from api.rest.catalog import BASE, INCIDENT_PARAMS, incident_filter
from api.rest.endpoint import COMMON_ERRORS, Endpoint
from api.rest.params import Param, parse
from api.rest.schemas import arr, obj, ref
from schema.enums import Scope

PARAMS = [
    Param("group_by", "string", "bucket by these, in order", enum=GROUPS, many=True, required=True),
    *INCIDENT_PARAMS,
    Param("format", "string", "json or csv (or use the Accept header)", enum=("json", "csv")),
]


def _bucket(row: dict[str, Any], groups: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for g in groups:
        if g == "perpetrator":
            out["perpetrator_id"] = row["perpetrator_id"]
        out[g] = row[g]
    out["incidents"] = row["incidents"]
    for fig in ("killed", "wounded"):
        out[fig] = {b: row[f"{fig}_{b}"] for b in ("best", "low", "high")}
    return out


async def stats(request: Request) -> Response:
    await require(request, Scope.READ)
    args = parse(request.query_params, PARAMS)
    fmt = f.negotiate(request, args["format"], ("json", "csv"))
    groups: list[str] = list(dict.fromkeys(args["group_by"]))
    engine: AsyncEngine = request.app.state.read_engine
    filter_ = incident_filter(args)
    if fmt == "json" and engine.dialect.name == "postgresql":
        stmt, names = stats_select("postgresql", filter_, groups)
        whole = buckets_json(stmt, names)
        snapshots: SnapshotCache = request.app.state.snapshots
        async with engine.connect() as conn:
            compiled = prepared.compile_statement(whole, conn.dialect)
            if compiled is None:
                buckets = await prepared.scalar(conn, whole)
            else:  # reused while nothing is written (api.query.snapshots)
                sql, values = compiled
                buckets = await snapshots.fetchval(await prepared.driver(conn), sql, values)
        head = b'{"group_by":' + orjson.dumps(groups) + b',"buckets":'
        return Response(head + buckets.encode("utf-8") + b"}", media_type=f.JSON)
    async with engine.connect() as conn:
        rows = await incident_stats(conn, filter_, groups)
    if fmt == "csv":
        keys = [k for g in groups for k in (["perpetrator_id", g] if g == "perpetrator" else [g])]
        columns: list[f.Column] = [(k, f.field(k)) for k in [*keys, "incidents", *FIGURES]]
        return Response(f.csv_body(rows, columns), media_type="text/csv; charset=utf-8")
    body = {"group_by": groups, "buckets": [_bucket(r, groups) for r in rows]}
    return Response(orjson.dumps(body), media_type=f.JSON)


def endpoints() -> list[Endpoint]:
    schema = obj({"group_by": arr({"type": "string"}), "buckets": arr(ref("StatsBucket"))})
    return [
        Endpoint(
            "GET",
            f"{BASE}/stats/incidents",
            stats,
            "incident_stats",
            "Incident counts and killed/wounded (best, low, high) per bucket",
            params=PARAMS,
            ok_content={f.JSON: schema, f.CSV: {"type": "string"}},
            extra_responses=dict(COMMON_ERRORS),
        )
    ]
