"""Each format parsed back by a real parser: csv, json, GeoJSON (validated against a
JSON Schema of RFC 7946 FeatureCollections) and NDJSON; content negotiation."""

from __future__ import annotations

import csv
import io
import json

import httpx
import jsonschema  # type: ignore[import-untyped]
from rest_factory import World
from rest_helpers import assert_problem

# RFC 7946, for FeatureCollections of Point (or null-geometry) Features.
GEOJSON_SCHEMA = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"const": "FeatureCollection"},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "geometry", "properties"],
                "properties": {
                    "type": {"const": "Feature"},
                    "id": {"type": ["string", "number"]},
                    "properties": {"type": ["object", "null"]},
                    "geometry": {
                        "oneOf": [
                            {"type": "null"},
                            {
                                "type": "object",
                                "required": ["type", "coordinates"],
                                "properties": {
                                    "type": {"const": "Point"},
                                    "coordinates": {
                                        "type": "array",
                                        "minItems": 2,
                                        "maxItems": 3,
                                        "items": {"type": "number"},
                                        "prefixItems": [
                                            {"minimum": -180, "maximum": 180},
                                            {"minimum": -90, "maximum": 90},
                                        ],
                                    },
                                },
                            },
                        ]
                    },
                },
            },
        },
    },
}


async def test_csv_by_parameter_and_by_accept(client: httpx.AsyncClient, world: World) -> None:
    for r in (
        await client.get("/api/v1/incidents?format=csv"),
        await client.get("/api/v1/incidents", headers={"Accept": "text/csv"}),
    ):
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(r.text)))
        assert len(rows) == 5
        bomb = next(x for x in rows if int(x["id"]) == world.incidents["mosul_bomb"])
        assert bomb["killed_best"] == "12"
        assert bomb["place"] == "Mosul"
        assert bomb["perpetrators"] == "Islamic State"
        assert bomb["targets"] == "Civilians"
    for path in ("statements", "actors", "officials", "documents", "places"):
        r = await client.get(f"/api/v1/{path}?format=csv")
        rows = list(csv.DictReader(io.StringIO(r.text)))
        assert rows, path
        assert all(row["id"].isdigit() for row in rows), path
    # Commas, quotes and newlines survive the round trip.
    s = next(
        x
        for x in csv.DictReader(
            io.StringIO((await client.get("/api/v1/statements?format=csv")).text)
        )
        if int(x["id"]) == world.statements["jabouri"]
    )
    assert s["text"] == "We will hunt down those responsible for the ambush"
    stats = await client.get("/api/v1/stats/incidents?group_by=admin1&format=csv")
    table = list(csv.DictReader(io.StringIO(stats.text)))
    assert {r["admin1"]: int(r["incidents"]) for r in table} == {
        "Erbil": 1,
        "Kirkuk": 2,
        "Nineveh": 2,
    }


async def test_geojson_validates_and_keeps_rows_without_coordinates(
    client: httpx.AsyncClient, world: World
) -> None:
    for url in ("/api/v1/incidents?format=geojson", "/api/v1/places?format=geojson"):
        r = await client.get(url)
        assert r.headers["content-type"].startswith("application/geo+json")
        doc = json.loads(r.text)
        jsonschema.validate(doc, GEOJSON_SCHEMA)
    incidents = json.loads((await client.get("/api/v1/incidents?format=geojson")).text)
    by_id = {f["id"]: f for f in incidents["features"]}
    assert by_id[world.incidents["undated"]]["geometry"] is None
    assert by_id[world.incidents["mosul_bomb"]]["geometry"]["coordinates"] == [43.119, 36.335]
    accept = await client.get("/api/v1/places", headers={"Accept": "application/geo+json"})
    assert accept.json()["type"] == "FeatureCollection"
    body = assert_problem(await client.get("/api/v1/actors?format=geojson"), 400)
    assert body["param"] == "format"


async def test_ndjson_streams_every_row(client: httpx.AsyncClient, world: World) -> None:
    r = await client.get("/api/v1/incidents?format=ndjson")
    assert r.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in r.text.splitlines()]
    assert [x["id"] for x in lines] == [
        x["id"] for x in (await client.get("/api/v1/incidents")).json()["items"]
    ]
    capped = await client.get(
        "/api/v1/incidents?limit=2", headers={"Accept": "application/x-ndjson"}
    )
    assert len(capped.text.splitlines()) == 2
    assert_problem(await client.get("/api/v1/incidents?format=ndjson&cursor=nope"), 400)


async def test_json_is_gzipped_when_asked(client: httpx.AsyncClient, world: World) -> None:
    r = await client.get("/api/v1/incidents", headers={"Accept-Encoding": "gzip"})
    assert r.headers.get("content-encoding") == "gzip"
    assert len(r.json()["items"]) == 5  # httpx decompresses


async def test_etag_and_if_none_match(client: httpx.AsyncClient, world: World) -> None:
    url = f"/api/v1/incidents/{world.incidents['mosul_bomb']}"
    r = await client.get(url)
    etag = r.headers["etag"]
    same = await client.get(url, headers={"If-None-Match": etag})
    assert same.status_code == 304
    assert same.content == b""
    assert same.headers["etag"] == etag
    weak = await client.get(url, headers={"If-None-Match": f'"x", W/{etag}'})
    assert weak.status_code == 304
    other = await client.get(url, headers={"If-None-Match": '"stale"'})
    assert other.status_code == 200
    assert other.json() == r.json()
