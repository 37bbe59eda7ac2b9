"""List and detail endpoints for the six collections, from one generic implementation.

Lists: filters (api.query), keyset pagination (`limit`, `cursor`; `next` in the body
and a Link header), formats JSON / CSV / GeoJSON / NDJSON. Details: one statement
building the whole JSON, with an ETag answered by 304 on If-None-Match.
"""

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from api.auth import require
from api.problems import Problem, bad_param
from api.query import pages
from api.query.resources import Resource
from api.rest import formats as f
from api.rest.endpoint import COMMON_ERRORS, Endpoint, problem
from api.rest.params import INT32_MAX, Param, parse
from api.rest.schemas import feature_collection_of, page_of, ref
from schema.config import Settings
from schema.enums import Scope

DEFAULT_LIMIT = 50


@dataclass(frozen=True)
class Collection:
    path: str  # /api/v1/incidents
    resource: Resource
    item_schema: str
    detail_schema: str | None
    filters: Sequence[Param]
    to_filter: Callable[[dict[str, Any]], Any]
    csv_columns: Sequence[f.Column]
    formats: Sequence[str] = ("json", "csv", "ndjson")
    summary: str = ""


def paging_params(settings: Settings, formats: Sequence[str]) -> list[Param]:
    return [
        Param(
            "limit",
            "integer",
            f"page size (default {DEFAULT_LIMIT}); for ndjson, caps the export",
            minimum=1,
            maximum=settings.max_page_size,
        ),
        Param("cursor", "string", "the `next` cursor of the previous page"),
        Param(
            "format", "string", "response format (or use the Accept header)", enum=tuple(formats)
        ),
    ]


def _engine(request: Request) -> AsyncEngine:
    """The read engine (autocommit on PostgreSQL): every read here is one statement, or a
    few that need no common snapshot (a detail, then its tombstone's target)."""
    engine: AsyncEngine = request.app.state.read_engine
    return engine


def _link(request: Request, cursor: str) -> str:
    return f'<{request.url.include_query_params(cursor=cursor)}>; rel="next"'


def list_handler(c: Collection, settings: Settings) -> Callable[[Request], Any]:
    params = [*c.filters, *paging_params(settings, c.formats)]

    async def handler(request: Request) -> Response:
        await require(request, Scope.READ)
        args = parse(request.query_params, params)
        fmt = f.negotiate(request, args["format"], c.formats)
        filter_ = c.to_filter(args)
        cursor: str | None = args["cursor"]
        if fmt == "ndjson":
            if cursor is not None:
                c.resource.keyset.after(cursor)  # reject a bad cursor before streaming
            return _stream(request, c.resource, filter_, cursor, args["limit"])
        limit = args["limit"] or DEFAULT_LIMIT
        async with _engine(request).connect() as conn:
            page = await pages.json_page(conn, c.resource, filter_, limit, cursor)
        headers = {"Link": _link(request, page.next)} if page.next else {}
        if fmt == "json":
            return Response(f.json_list(page.items, page.next), media_type=f.JSON, headers=headers)
        items = [orjson.loads(doc) for doc in page.items]
        if fmt == "geojson":
            return Response(f.geojson_body(items, page.next), media_type=f.GEOJSON, headers=headers)
        return Response(
            f.csv_body(items, c.csv_columns), media_type="text/csv; charset=utf-8", headers=headers
        )

    return handler


def _stream(
    request: Request, res: Resource, filter_: Any, cursor: str | None, limit: int | None
) -> StreamingResponse:
    engine: AsyncEngine = request.app.state.export_engine  # see api.app.EXPORT_POOL

    async def body() -> Any:
        async with engine.connect() as conn:
            async for chunk in pages.ndjson_stream(conn, res, filter_, cursor, limit):
                yield chunk

    return StreamingResponse(body(), media_type=f.NDJSON)


def etag_of(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def not_modified(request: Request, etag: str) -> bool:
    header = request.headers.get("if-none-match")
    if not header:
        return False
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return "*" in tags or etag in tags


def detail_handler(c: Collection) -> Callable[[Request], Any]:
    async def handler(request: Request) -> Response:
        await require(request, Scope.READ)
        parse(request.query_params, [])
        id_: int = request.path_params["id"]
        name = c.resource.name.rstrip("s")
        if not 1 <= id_ <= INT32_MAX:
            raise Problem(404, f"no {name} {id_}")
        async with _engine(request).connect() as conn:
            doc = await pages.json_detail(conn, c.resource, id_)
            if doc is None:
                target = await pages.tombstone_target(conn, c.resource, id_)
                if target is not None:
                    raise Problem(
                        404,
                        f"{name} {id_} was merged into {target}",
                        merged_into_id=target,
                        location=f"{c.path}/{target}",
                    )
                raise Problem(404, f"no {name} {id_}")
        body = doc.encode("utf-8")
        etag = etag_of(body)
        headers = {"ETag": etag, "Cache-Control": "no-cache"}
        if not_modified(request, etag):
            return Response(status_code=304, headers=headers)
        return Response(body, media_type=f.JSON, headers=headers)

    return handler


def _list_content(c: Collection) -> dict[str, Any]:
    content: dict[str, Any] = {f.JSON: page_of(c.item_schema)}
    if "csv" in c.formats:
        content[f.CSV] = {"type": "string"}
    if "geojson" in c.formats:
        content[f.GEOJSON] = feature_collection_of(c.item_schema)
    if "ndjson" in c.formats:
        content[f.NDJSON] = {"type": "string", "description": "one JSON object per line"}
    return content


LINK = {"Link": {"schema": {"type": "string"}, "description": 'rel="next" page URL'}}
ETAG = {"ETag": {"schema": {"type": "string"}}}


def endpoints(c: Collection, settings: Settings) -> list[Endpoint]:
    name = c.resource.name
    out = [
        Endpoint(
            "GET",
            c.path,
            list_handler(c, settings),
            f"list_{name}",
            c.summary or f"List {name}",
            params=[*c.filters, *paging_params(settings, c.formats)],
            ok_content=_list_content(c),
            ok_headers=LINK,
            extra_responses=dict(COMMON_ERRORS),
        )
    ]
    if c.detail_schema is not None:
        out.append(
            Endpoint(
                "GET",
                c.path + "/{id}",
                detail_handler(c),
                f"get_{name.rstrip('s')}",
                f"One of {name}, with its nested records",
                path_params=[Param("id", "integer", "id", minimum=1)],
                ok_content={f.JSON: ref(c.detail_schema)},
                ok_headers=ETAG,
                extra_responses={
                    **COMMON_ERRORS,
                    "304": {"description": "not modified (If-None-Match)", "headers": ETAG},
                    "404": problem("no such record (or merged: see merged_into_id)"),
                },
            )
        )
    return out


def check_range(args: dict[str, Any], low: str, high: str) -> None:
    """A range whose end precedes its start would silently match nothing: refuse it."""
    if args.get(low) is not None and args.get(high) is not None and args[high] < args[low]:
        raise bad_param(high, f"is before {low}")
