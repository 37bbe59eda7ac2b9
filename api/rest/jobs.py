"""GET /api/v1/jobs/{id}: the state of an ingest job."""

import orjson
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import Response

from api.auth import require
from api.problems import Problem
from api.query.jobs import get_job
from api.rest import formats as f
from api.rest.catalog import BASE
from api.rest.endpoint import COMMON_ERRORS, Endpoint, problem
from api.rest.params import INT32_MAX, Param, parse
from api.rest.schemas import ref
from schema.enums import Scope


def job_json(job: dict[str, object]) -> bytes:
    return orjson.dumps(job, option=orjson.OPT_NAIVE_UTC)


async def job(request: Request) -> Response:
    await require(request, Scope.READ)
    parse(request.query_params, [])
    job_id: int = request.path_params["id"]
    row = None
    if 1 <= job_id <= INT32_MAX:
        engine: AsyncEngine = request.app.state.engine
        async with engine.connect() as conn:
            row = await get_job(conn, job_id)
    if row is None:
        raise Problem(404, f"no job {job_id}")
    return Response(job_json(row), media_type=f.JSON)


def endpoints() -> list[Endpoint]:
    return [
        Endpoint(
            "GET",
            f"{BASE}/jobs/{{id}}",
            job,
            "get_job",
            "An ingest job: state, attempts, last error, resulting document",
            path_params=[Param("id", "integer", "job id", minimum=1)],
            ok_content={f.JSON: ref("Job")},
            extra_responses={**COMMON_ERRORS, "404": problem("no such job")},
        )
    ]
