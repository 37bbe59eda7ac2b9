"""POST /api/v1/documents (write scope): queue a document for ingestion, 202 + the job.

Bodies: JSON `{"text", "url"?, "published"?, "outlet"?, "title"?}`, or the article
itself as text/plain or text/html. The job payload uses the keys the worker reads
(ingest.documents.from_payload): text, content_type, url, outlet, published, title.
The same text submitted twice returns the existing job (unless that one failed).
"""

import datetime as dt
import hashlib
from typing import Any

import orjson
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import Response

from api.auth import require
from api.problems import Problem
from api.query.jobs import enqueue_document
from api.rest import formats as f
from api.rest.catalog import BASE
from api.rest.endpoint import COMMON_ERRORS, Endpoint, problem
from api.rest.jobs import job_json
from api.rest.params import parse
from api.rest.schemas import DATE, null, ref
from schema.config import Settings
from schema.enums import Scope

TEXT_TYPES = ("text/plain", "text/html")
FIELDS = {"url": 2048, "outlet": 200, "title": 1000}


def unusable(detail: str) -> Problem:
    return Problem(422, detail)


def _decode(body: bytes, charset: str) -> str:
    try:
        return body.decode(charset or "utf-8")
    except (UnicodeDecodeError, LookupError):
        raise unusable(f"the body is not text in {charset or 'utf-8'}") from None


# Text, as the OpenAPI document states it: no C0 control characters other than tab,
# newline, carriage return and form feed (binary data has them), and something visible.
_CONTROL = "\\x00-\\x08\\x0b\\x0e-\\x1f"
TEXT_PATTERN = f"^[^{_CONTROL}]*[^\\s{_CONTROL}][^{_CONTROL}]*$"
_CONTROLS = frozenset(chr(c) for c in [*range(0, 9), 11, *range(14, 32)])


def check_text(text: str) -> str:
    """Refuse what cannot be an article: empty, or binary (control characters)."""
    if not text.strip():
        raise unusable("the document has no text")
    if not _CONTROLS.isdisjoint(text):
        raise unusable("the document looks binary (it contains control characters)")
    return text


def _json_body(body: bytes) -> dict[str, Any]:
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise Problem(400, "the body is not valid JSON", param="body") from None
    if not isinstance(data, dict):
        raise Problem(400, "the body must be a JSON object", param="body")
    unknown = set(data) - {"text", *FIELDS, "published", "content_type"}
    if unknown:
        raise Problem(400, f"unknown field {sorted(unknown)[0]!r}", param=sorted(unknown)[0])
    text = data.get("text")
    if not isinstance(text, str):
        raise unusable("`text` must be a string with the article")
    payload: dict[str, Any] = {"text": check_text(text)}
    ctype = data.get("content_type", "text/plain")
    if ctype not in TEXT_TYPES:
        raise Problem(400, "`content_type` must be text/plain or text/html", param="content_type")
    payload["content_type"] = ctype
    for name, max_len in FIELDS.items():
        value = data.get(name)
        if value is None:
            continue
        if not isinstance(value, str) or len(value) > max_len or not _CONTROLS.isdisjoint(value):
            raise Problem(
                400, f"`{name}` must be a string of at most {max_len} characters", param=name
            )
        payload[name] = value
    published = data.get("published")
    if published is not None:
        try:
            payload["published"] = dt.date.fromisoformat(str(published)).isoformat()
        except ValueError:
            raise Problem(
                400, "`published` must be a date, YYYY-MM-DD", param="published"
            ) from None
    return payload


async def submit(request: Request) -> Response:
    await require(request, Scope.WRITE)
    parse(request.query_params, [])
    media, _, rest = request.headers.get("content-type", "").partition(";")
    media = media.strip().lower()
    charset = ""
    for part in rest.split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset":
            charset = value.strip().strip('"')
    body = await request.body()  # bounded by the body-size middleware (413)
    if media == "application/json":
        payload = _json_body(body)
    elif media in TEXT_TYPES:
        payload = {"text": check_text(_decode(body, charset)), "content_type": media}
    else:
        raise Problem(415, "send application/json, text/plain or text/html")
    settings: Settings = request.app.state.settings
    dedupe = "sha256:" + hashlib.sha256(payload["text"].encode("utf-8")).hexdigest()
    engine: AsyncEngine = request.app.state.engine
    async with engine.begin() as conn:
        job, _created = await enqueue_document(conn, payload, dedupe, settings.job_max_attempts)
    return Response(
        job_json(job),
        status_code=202,
        media_type=f.JSON,
        headers={"Location": f"{BASE}/jobs/{job['id']}"},
    )


def endpoints() -> list[Endpoint]:
    text_schema = {"type": "string", "pattern": TEXT_PATTERN}
    json_schema = {
        "type": "object",
        "properties": {
            "text": text_schema,
            **{
                name: null({"type": "string", "maxLength": n, "pattern": f"^[^{_CONTROL}]*$"})
                for name, n in FIELDS.items()
            },
            "published": null(DATE),
            "content_type": {"type": "string", "enum": list(TEXT_TYPES)},
        },
        "required": ["text"],
        "additionalProperties": False,
    }
    return [
        Endpoint(
            "POST",
            f"{BASE}/documents",
            submit,
            "submit_document",
            "Queue a document for ingestion (write scope); answers 202 with the job",
            scope=Scope.WRITE,
            ok_status="202",
            ok_description="queued (or already queued: the existing job)",
            ok_content={f.JSON: ref("Job")},
            ok_headers={"Location": {"schema": {"type": "string"}}},
            request_body={
                "required": True,
                "content": {
                    "application/json": {"schema": json_schema},
                    "text/plain": {"schema": text_schema},
                    "text/html": {"schema": text_schema},
                },
            },
            extra_responses={
                **COMMON_ERRORS,
                "413": problem("the body is larger than the configured limit"),
                "415": problem("unsupported content type"),
                "422": problem("the document is unusable (empty, binary, not text)"),
            },
            tag="write",
        )
    ]
