"""/healthz (the process is up) and /readyz (database reachable, migrations at head).

Container healthchecks and load balancers ask these; neither needs an API key.
"""

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from schema.health import readiness


async def healthz(_request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    ok, detail = await readiness(request.app.state.engine)
    if ok:
        return JSONResponse({"status": "ready", "detail": detail})
    return JSONResponse({"status": "unavailable", "detail": detail}, status_code=503)


def routes() -> list[BaseRoute]:
    return [
        Route("/healthz", healthz, methods=["GET", "HEAD"], name="healthz"),
        Route("/readyz", readyz, methods=["GET", "HEAD"], name="readyz"),
    ]
