"""REST API under /api/v1: the collections, stats, change feed, jobs, document upload,
and the OpenAPI document + docs page generated from the same endpoint declarations."""

from starlette.routing import BaseRoute, Route

from api import openapi
from api.rest import changes, jobs, stats, submit
from api.rest.catalog import COLLECTIONS
from api.rest.collections import endpoints as collection_endpoints
from api.rest.endpoint import Endpoint
from schema.config import Settings


def all_endpoints(settings: Settings) -> list[Endpoint]:
    out: list[Endpoint] = []
    for c in COLLECTIONS:
        out += collection_endpoints(c, settings)
    out += stats.endpoints() + changes.endpoints(settings) + jobs.endpoints()
    out += submit.endpoints()
    return out


def routes(settings: Settings) -> list[BaseRoute]:
    endpoints = all_endpoints(settings)
    # One Route per path, so a wrong method on a known path is a 405, not a 404.
    by_path: dict[str, list[Endpoint]] = {}
    for e in endpoints:
        by_path.setdefault(e.route_path, []).append(e)
    out: list[BaseRoute] = []
    for path, group in by_path.items():
        if len(group) == 1:
            e = group[0]
            out.append(Route(path, e.handler, methods=[e.method], name=e.operation_id))
            continue
        handlers = {e.method: e.handler for e in group}

        async def dispatch(request, handlers=handlers):  # type: ignore[no-untyped-def]
            return await handlers[request.method if request.method != "HEAD" else "GET"](request)

        out.append(Route(path, dispatch, methods=list(handlers), name=group[0].operation_id))
    return [*out, *openapi.routes(endpoints, settings)]
