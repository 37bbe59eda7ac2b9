"""The OpenAPI 3.1 document at /api/v1/openapi.json, generated from the REST endpoint
declarations, and a self-contained docs page at /api/v1/docs (no external assets).
"""

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import orjson
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from schema.config import Settings
from schema.enums import Scope

if TYPE_CHECKING:
    from api.rest.endpoint import Endpoint

SECURITY_SCHEMES = {
    "bearer": {"type": "http", "scheme": "bearer", "description": "Authorization: Bearer <key>"},
    "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
}


def _operation(e: "Endpoint", settings: Settings) -> dict[str, Any]:
    from api.rest.endpoint import COMMON_ERRORS

    params: list[dict[str, Any]] = []
    for p in e.path_params:
        params.append(
            {
                "name": p.name,
                "in": "path",
                "required": True,
                "description": p.description,
                "schema": p.schema(),
            }
        )
    for p in e.params:
        item: dict[str, Any] = {
            "name": p.name,
            "in": "query",
            "required": p.required,
            "description": p.description,
            "schema": p.schema(),
        }
        if p.many:
            item["style"] = "form"
            item["explode"] = False
        params.append(item)
    ok: dict[str, Any] = {"description": e.ok_description}
    if e.ok_content:
        ok["content"] = {media: {"schema": schema} for media, schema in e.ok_content.items()}
    if e.ok_headers:
        ok["headers"] = e.ok_headers
    responses = {e.ok_status: ok, **COMMON_ERRORS, **e.extra_responses}
    anonymous_ok = e.scope == Scope.READ and not settings.read_requires_key
    security: list[dict[str, list[str]]] = [{"bearer": []}, {"apiKey": []}]
    op: dict[str, Any] = {
        "operationId": e.operation_id,
        "summary": e.summary,
        "tags": [e.tag],
        "parameters": params,
        "responses": dict(sorted(responses.items())),
        "security": ([{}] if anonymous_ok else []) + security,
    }
    if e.scope != Scope.READ:
        op["description"] = f"Needs an API key with the {e.scope.value!r} scope."
    if e.request_body is not None:
        op["requestBody"] = e.request_body
    return op


def document(endpoints: Sequence["Endpoint"], settings: Settings) -> dict[str, Any]:
    from api.rest.schemas import COMPONENTS

    paths: dict[str, dict[str, Any]] = {}
    for e in endpoints:
        paths.setdefault(e.path, {})[e.method.lower()] = _operation(e, settings)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "sitrep REST API",
            "version": "1",
            "description": (
                "Incidents, actors, officials and statements extracted from the news, with "
                "character-span provenance. Lists are keyset-paginated: follow `next` (also "
                "in the Link header). Errors are RFC 9457 problem+json."
            ),
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {"schemas": COMPONENTS, "securitySchemes": SECURITY_SCHEMES},
    }


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>sitrep REST API</title>
<style>body{{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}
code,pre{{background:#f4f4f4;padding:.1rem .3rem}}pre{{padding:.6rem;overflow:auto;max-height:24rem}}
section{{border-top:1px solid #ddd;padding:.6rem 0}}table{{border-collapse:collapse}}
td{{padding:.1rem .6rem .1rem 0;vertical-align:top}}.m{{font-weight:bold;color:#06c}}</style></head>
<body><h1>sitrep REST API</h1>
<p>Machine-readable document: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.
Keys: <code>Authorization: Bearer &lt;key&gt;</code> or <code>X-API-Key</code>.
Try a GET below: fill in parameters and press <em>Send</em>.</p>
{sections}
<script>
document.querySelectorAll("form").forEach(function (form) {{
  form.addEventListener("submit", function (ev) {{
    ev.preventDefault();
    var path = form.dataset.path, q = new URLSearchParams();
    form.querySelectorAll("input").forEach(function (i) {{
      if (!i.value) return;
      if (i.dataset.in === "path") path = path.replace("{{" + i.name + "}}", encodeURIComponent(i.value));
      else q.append(i.name, i.value);
    }});
    var url = path + (q.toString() ? "?" + q : ""), out = form.querySelector("pre");
    out.textContent = "GET " + url + " ...";
    fetch(url).then(function (r) {{ return r.text().then(function (t) {{
      out.textContent = r.status + " " + url + "\\n\\n" + t; }}); }});
  }});
}});
</script></body></html>"""


def docs_page(doc: dict[str, Any]) -> str:
    sections = []
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            rows = "".join(
                f"<tr><td><code>{html.escape(p['name'])}</code></td><td>{html.escape(p['in'])}</td>"
                f"<td>{html.escape(p.get('description', ''))}</td>"
                + (
                    f"<td><input name='{html.escape(p['name'])}' data-in='{p['in']}'></td>"
                    if method == "get"
                    else "<td></td>"
                )
                + "</tr>"
                for p in op["parameters"]
            )
            form = (
                f"<form data-path='{html.escape(path)}'><table>{rows}</table>"
                "<button>Send</button><pre></pre></form>"
                if method == "get"
                else f"<table>{rows}</table>"
            )
            sections.append(
                f"<section><span class=m>{method.upper()}</span> <code>{html.escape(path)}</code>"
                f" — {html.escape(op['summary'])}<p>{html.escape(op.get('description', ''))}</p>"
                f"{form}</section>"
            )
    return _PAGE.format(sections="\n".join(sections))


def routes(endpoints: Sequence["Endpoint"], settings: Settings) -> list[BaseRoute]:
    # Built on first request, then kept: the declarations do not change at run time.
    cache: dict[str, bytes] = {}

    def body() -> bytes:
        if "json" not in cache:
            cache["json"] = orjson.dumps(document(endpoints, settings))
        return cache["json"]

    async def openapi_json(_request: Request) -> Response:
        return Response(body(), media_type="application/json")

    async def docs(_request: Request) -> HTMLResponse:
        if "html" not in cache:
            cache["html"] = docs_page(orjson.loads(body())).encode("utf-8")
        return HTMLResponse(cache["html"])

    return [
        Route("/api/v1/openapi.json", openapi_json, methods=["GET"], name="openapi"),
        Route("/api/v1/docs", docs, methods=["GET"], name="docs"),
    ]
