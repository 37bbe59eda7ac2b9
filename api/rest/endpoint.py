"""An endpoint declared once: its route, parameters, responses and required scope.

`api.rest.routes` turns the declarations into Starlette routes and `api.openapi` into
the OpenAPI document, so the document cannot drift from what is served.
"""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from api.rest.params import Param
from api.rest.schemas import Schema, ref
from schema.enums import Scope

Handler = Callable[[Request], Awaitable[Response]]
PROBLEM_JSON = "application/problem+json"


def problem(description: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "description": description,
        "content": {PROBLEM_JSON: {"schema": ref("Problem")}},
    }
    if headers:
        out["headers"] = headers
    return out


RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "description": "seconds"}}
COMMON_ERRORS: dict[str, dict[str, Any]] = {
    "400": problem("a parameter is invalid (the problem's `param` names it)"),
    "401": problem("an API key is needed, or the one given is unknown or revoked"),
    "403": problem("the API key's scope is too low"),
    "429": problem("rate limit exceeded", RETRY_AFTER),
}


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # OpenAPI form: /api/v1/incidents/{id}
    handler: Handler
    operation_id: str
    summary: str
    scope: Scope = Scope.READ
    params: Sequence[Param] = ()
    path_params: Sequence[Param] = ()
    ok_status: str = "200"
    ok_description: str = "OK"
    ok_content: dict[str, Schema] = field(default_factory=dict)  # media type -> schema
    ok_headers: dict[str, Any] = field(default_factory=dict)
    extra_responses: dict[str, dict[str, Any]] = field(default_factory=dict)
    request_body: dict[str, Any] | None = None
    tag: str = "read"

    @property
    def route_path(self) -> str:
        """Starlette form: integer path parameters get the int convertor."""
        path = self.path
        for p in self.path_params:
            if p.type == "integer":
                path = path.replace("{" + p.name + "}", "{" + p.name + ":int}")
        return path
