"""Every error status as RFC 9457 problem+json, scopes, keys, rate and body limits,
CORS and metrics, through the real app."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
import sqlalchemy as sa
from rest_factory import World
from rest_helpers import assert_problem, rest_app
from sqlalchemy.ext.asyncio import AsyncEngine

from api.limits import RateLimiter
from schema.enums import Scope


async def test_400_names_the_parameter(client: httpx.AsyncClient, world: World) -> None:
    cases = {
        "/api/v1/incidents?date_from=yesterday": "date_from",
        "/api/v1/incidents?date_from=2023-05-01&date_to=2023-01-01": "date_to",
        "/api/v1/incidents?type=picnic": "type",
        "/api/v1/incidents?near=36,43": "near",
        "/api/v1/incidents?near=95,43,5": "near",
        "/api/v1/incidents?min_killed=-1": "min_killed",
        "/api/v1/incidents?min_killed=9999999999": "min_killed",
        "/api/v1/incidents?place=1&place=2": "place",
        "/api/v1/incidents?bogus=1": "bogus",
        "/api/v1/incidents?q=%00": "q",
        "/api/v1/incidents?updated_since=soon": "updated_since",
        "/api/v1/stats/incidents": "group_by",
        "/api/v1/stats/incidents?group_by=decade": "group_by",
        "/api/v1/changes?since=garbage": "since",
        "/api/v1/statements?kind=shouted": "kind",
        "/api/v1/incidents/1?x=1": "x",
    }
    for url, param in cases.items():
        body = assert_problem(await client.get(url), 400)
        assert body["param"] == param, url
        assert param in body["detail"]
        assert body["invalid_params"][0]["name"] == param


async def test_404_405_415_422_413(db_url: str, world: World, api_keys: dict[Scope, str]) -> None:
    async with rest_app(db_url, max_body_bytes=2000) as client:
        assert_problem(await client.get("/api/v1/nowhere"), 404)
        assert_problem(await client.get("/api/v1/actors/abc"), 404)
        r = await client.delete("/api/v1/incidents")
        assert_problem(r, 405)
        assert "GET" in r.headers["allow"]
        key = {"X-API-Key": api_keys[Scope.WRITE]}
        post = client.post
        assert_problem(
            await post(
                "/api/v1/documents", content=b"x", headers={**key, "Content-Type": "image/png"}
            ),
            415,
        )
        for body in ({"text": "   "}, {"text": "a\x00b"}, {"text": 42}, {"text": "\x01\x02" * 50}):
            assert_problem(await post("/api/v1/documents", json=body, headers=key), 422)
        bad_utf8 = await post(
            "/api/v1/documents",
            content=b"\xff\xfe\xfa",
            headers={**key, "Content-Type": "text/plain"},
        )
        assert_problem(bad_utf8, 422)
        p = assert_problem(
            await post(
                "/api/v1/documents",
                content=b"{",
                headers={**key, "Content-Type": "application/json"},
            ),
            400,
        )
        assert p["param"] == "body"
        p = assert_problem(
            await post("/api/v1/documents", json={"text": "x", "published": "later"}, headers=key),
            400,
        )
        assert p["param"] == "published"
        big = "word " * 1000
        assert_problem(await post("/api/v1/documents", json={"text": big}, headers=key), 413)

        async def chunks() -> AsyncIterator[
            bytes
        ]:  # no Content-Length: the limit applies while reading
            for _ in range(10):
                yield b"x" * 500

        chunked = await post(
            "/api/v1/documents", content=chunks(), headers={**key, "Content-Type": "text/plain"}
        )
        assert_problem(chunked, 413)


async def test_500_never_leaks_sql(db_url: str, world: World, engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(sa.text("ALTER TABLE incident_actor RENAME TO incident_actor_gone"))
    async with rest_app(db_url) as client:
        r = await client.get("/api/v1/incidents")
        assert_problem(r, 500)
        text = r.text.lower()
        for leak in ("select", "incident_actor", "traceback", "sqlalchemy", ".py"):
            assert leak not in text


async def test_scopes(db_url: str, world: World, api_keys: dict[Scope, str]) -> None:
    doc = {"text": "A roadside bomb hit a patrol near Baiji."}
    async with rest_app(db_url) as client:
        # Reads are open by default; a presented key must still be valid.
        assert (await client.get("/api/v1/actors")).status_code == 200
        assert_problem(await client.get("/api/v1/actors", headers={"X-API-Key": "nope"}), 401)
        r = await client.post("/api/v1/documents", json=doc)
        assert_problem(r, 401)
        assert r.headers["www-authenticate"].startswith("Bearer")
        read = {"Authorization": f"Bearer {api_keys[Scope.READ]}"}
        assert_problem(await client.post("/api/v1/documents", json=doc, headers=read), 403)
        for scope in (Scope.WRITE, Scope.CURATE):
            ok = await client.post(
                "/api/v1/documents", json=doc, headers={"X-API-Key": api_keys[scope]}
            )
            assert ok.status_code == 202, scope
    async with rest_app(db_url, read_requires_key=True) as client:
        assert_problem(await client.get("/api/v1/incidents"), 401)
        assert_problem(await client.get("/api/v1/incidents/1"), 401)
        for scope in Scope:
            r = await client.get("/api/v1/incidents", headers={"X-API-Key": api_keys[scope]})
            assert r.status_code == 200
        doc = (await client.get("/api/v1/openapi.json")).json()
        assert doc["paths"]["/api/v1/incidents"]["get"]["security"][0] != {}


async def test_revoked_key_is_refused(
    db_url: str, world: World, engine: AsyncEngine, api_keys: dict[Scope, str]
) -> None:
    from api.query.keys import list_keys, revoke_key

    async with engine.begin() as conn:
        rows = await list_keys(conn)
        target = next(r for r in rows if r["scope"] == "write")
        assert await revoke_key(conn, target["id"])
    async with rest_app(db_url) as client:
        r = await client.post(
            "/api/v1/documents",
            json={"text": "x y z"},
            headers={"X-API-Key": api_keys[Scope.WRITE]},
        )
        assert_problem(r, 401)


async def test_rate_limit_per_key_and_per_address(
    db_url: str, world: World, api_keys: dict[Scope, str]
) -> None:
    async with rest_app(db_url, rate_limit_per_minute=3) as client:
        for _ in range(3):
            assert (await client.get("/api/v1/places")).status_code == 200
        r = await client.get("/api/v1/places")
        assert_problem(r, 429)
        assert int(r.headers["retry-after"]) >= 1
        # A key has its own bucket; health checks are never limited.
        key = {"X-API-Key": api_keys[Scope.READ]}
        assert (await client.get("/api/v1/places", headers=key)).status_code == 200
        assert (await client.get("/healthz")).status_code == 200


def test_token_bucket_refills() -> None:
    now = [0.0]
    limiter = RateLimiter(60, clock=lambda: now[0])
    assert all(limiter.take("a") == 0 for _ in range(60))
    wait = limiter.take("a")
    assert wait == pytest.approx(1.0)
    now[0] += 1.0
    assert limiter.take("a") == 0
    assert limiter.take("b") == 0


async def test_cors_and_metrics(db_url: str, world: World) -> None:
    async with rest_app(db_url, cors_origins=("https://app.example",)) as client:
        pre = await client.options(
            "/api/v1/incidents",
            headers={"Origin": "https://app.example", "Access-Control-Request-Method": "GET"},
        )
        assert pre.headers["access-control-allow-origin"] == "https://app.example"
        r = await client.get("/api/v1/incidents", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in r.headers
        await client.get(f"/api/v1/incidents/{world.incidents['mosul_bomb']}")
        metrics = (await client.get("/metrics")).text
        assert 'route="/api/v1/incidents/{id}",status="200"' in metrics
        assert "sitrep_http_request_duration_seconds_bucket" in metrics
        assert 'sitrep_ingest_jobs{state="queued"} 0.0' in metrics


async def test_openapi_and_docs(client: httpx.AsyncClient, world: World) -> None:
    import schemathesis

    doc = (await client.get("/api/v1/openapi.json")).json()
    schemathesis.openapi.from_dict(doc).validate()  # raises on an invalid 3.1 document
    assert doc["openapi"].startswith("3.1")
    for path in (
        "/api/v1/incidents",
        "/api/v1/incidents/{id}",
        "/api/v1/changes",
        "/api/v1/stats/incidents",
        "/api/v1/jobs/{id}",
        "/api/v1/places",
    ):
        assert path in doc["paths"]
    assert "post" in doc["paths"]["/api/v1/documents"]
    page = await client.get("/api/v1/docs")
    assert page.headers["content-type"].startswith("text/html")
    assert "/api/v1/incidents" in page.text
    assert "<script src" not in page.text
    assert "<link" not in page.text
