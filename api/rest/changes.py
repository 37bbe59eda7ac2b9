"""GET /api/v1/changes?since=CURSOR: the change feed for incremental sync.

Poll with the `next` of the previous answer; `more` says whether to ask again at once.
Created/updated/merged entries carry the record's current row (with the link rows it
owns); merged/deleted entries are tombstones: replaying in order keeps a mirror exact.
"""

import orjson
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import Response

from api.auth import require
from api.query.changes import list_changes
from api.rest import formats as f
from api.rest.catalog import BASE
from api.rest.endpoint import COMMON_ERRORS, Endpoint
from api.rest.params import Param, parse
from api.rest.schemas import BOOL, STR, arr, obj, ref
from schema.config import Settings
from schema.enums import Scope


def endpoints(settings: Settings) -> list[Endpoint]:
    params = [
        Param(
            "since", "string", "the `next` of the previous answer; omit to start at the beginning"
        ),
        Param(
            "limit",
            "integer",
            "entries per answer (default 500)",
            minimum=1,
            maximum=settings.max_page_size,
        ),
    ]

    async def changes(request: Request) -> Response:
        await require(request, Scope.READ)
        args = parse(request.query_params, params)
        engine: AsyncEngine = request.app.state.engine
        async with engine.connect() as conn:
            page = await list_changes(conn, args["since"], args["limit"] or settings.max_page_size)
        body = {"items": page.items, "next": page.next, "more": page.more}
        return Response(orjson.dumps(body, option=orjson.OPT_NAIVE_UTC), media_type=f.JSON)

    schema = obj({"items": arr(ref("Change")), "next": STR, "more": BOOL})
    return [
        Endpoint(
            "GET",
            f"{BASE}/changes",
            changes,
            "list_changes",
            "Created, updated, merged and deleted records after a cursor",
            params=params,
            ok_content={f.JSON: schema},
            extra_responses=dict(COMMON_ERRORS),
        )
    ]
