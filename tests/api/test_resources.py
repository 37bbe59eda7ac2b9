"""Every REST resource and every filter, on SQLite and PostgreSQL, against the known
dataset of rest_factory.build_world."""

from __future__ import annotations

import datetime as dt

import httpx
from rest_factory import DOC_A, World
from rest_helpers import assert_problem, ids, items

from schema.enums import Scope


async def test_incident_list_is_newest_first_and_self_sufficient(
    client: httpx.AsyncClient, world: World
) -> None:
    got = await items(client, "/api/v1/incidents")
    w = world.incidents
    # The merged duplicate is hidden; undated first (NULLS FIRST), then newest first.
    assert [x["id"] for x in got] == [
        w["undated"],
        w["erbil_drone"],
        w["kirkuk_clash"],
        w["mosul_bomb"],
        w["mosul_old"],
    ]
    bomb = next(x for x in got if x["id"] == w["mosul_bomb"])
    assert bomb["date"] == "2023-03-06"
    assert bomb["type"] == "bombing"
    assert bomb["source_count"] == 2
    assert bomb["killed"] == {"low": 12, "best": 12, "high": 12}
    assert bomb["wounded"] == {"low": 30, "best": 30, "high": 30}
    assert bomb["place"]["name"] == "Mosul"
    assert bomb["place"]["admin1"] == "Nineveh"
    assert [(a["name"], a["role"], a["basis"]) for a in bomb["actors"]] == [
        ("Islamic State", "perpetrator", "claimed"),
        ("Civilians", "target", "attributed"),
    ]
    assert bomb["updated_at"].endswith("Z")
    dt.datetime.fromisoformat(bomb["updated_at"].replace("Z", "+00:00"))


async def test_incident_detail_has_reports_spans_actors_statements(
    client: httpx.AsyncClient, world: World
) -> None:
    r = await client.get(f"/api/v1/incidents/{world.incidents['mosul_bomb']}")
    assert r.status_code == 200
    d = r.json()
    (report,) = d["reports"]
    assert report["document"]["id"] == world.documents[0]
    assert report["evidence"] == DOC_A[report["span_start"] : report["span_end"]]
    assert report["spans"] == {"killed": [0, 32]}
    assert [s["id"] for s in d["statements"]] == [world.statements["isis"]]
    assert d["statements"][0]["organisation"]["name"] == "Islamic State"
    assert len(d["actors"]) == 2
    assert d["curated_fields"] == []


async def test_merged_incident_detail_is_404_naming_the_survivor(
    client: httpx.AsyncClient, world: World
) -> None:
    r = await client.get(f"/api/v1/incidents/{world.incidents['dup']}")
    body = assert_problem(r, 404)
    assert body["merged_into_id"] == world.incidents["mosul_bomb"]
    assert_problem(await client.get("/api/v1/incidents/999999"), 404)
    assert_problem(await client.get("/api/v1/incidents/99999999999999"), 404)


INCIDENT_CASES = [
    ("date_from=2023-05-01", ["erbil_drone", "kirkuk_clash"]),
    ("date_to=2023-03-06", ["mosul_bomb", "mosul_old"]),
    ("date_from=2023-03-01&date_to=2023-05-10", ["kirkuk_clash", "mosul_bomb"]),
    ("admin1=Nineveh", ["mosul_bomb", "mosul_old"]),
    ("admin1=Kirkuk", ["undated", "kirkuk_clash"]),
    ("country=Iraq&type=bombing,clash", ["kirkuk_clash", "mosul_bomb"]),
    ("type=bombing&type=air_strike", ["erbil_drone", "mosul_bomb"]),
    ("perpetrator=ISIS", ["kirkuk_clash", "mosul_bomb", "mosul_old"]),
    ("perpetrator=daesh&date_from=2022-01-01", ["kirkuk_clash", "mosul_bomb"]),
    ("target=Federal%20Police", ["kirkuk_clash"]),
    ("actor=civilians", ["mosul_bomb"]),
    ("min_killed=3", ["kirkuk_clash", "mosul_bomb"]),
    ("min_sources=2", ["mosul_bomb"]),
    ("review_status=reviewed", ["erbil_drone"]),
    ("near=36.335,43.119,5", ["mosul_bomb", "mosul_old"]),
    ("near=36.335,43.119,80", ["erbil_drone", "mosul_bomb", "mosul_old"]),
    ("q=market", ["mosul_bomb"]),
    ('q="drone struck"', ["erbil_drone"]),
    ("q=caliphate%20nothing", []),
]


async def test_incident_filters(client: httpx.AsyncClient, world: World) -> None:
    for query, expected in INCIDENT_CASES:
        got = await ids(client, f"/api/v1/incidents?{query}")
        assert got == [world.incidents[k] for k in expected], query


async def test_incident_filters_by_ids_and_updated_since(
    client: httpx.AsyncClient, world: World
) -> None:
    w = world.incidents
    assert await ids(client, f"/api/v1/incidents?place={world.places['erbil']}") == [
        w["erbil_drone"]
    ]
    assert await ids(client, f"/api/v1/incidents?perpetrator={world.actors['isis']}") == [
        w["kirkuk_clash"],
        w["mosul_bomb"],
        w["mosul_old"],
    ]
    everything = await ids(client, "/api/v1/incidents?updated_since=2000-01-01T00:00:00Z")
    assert len(everything) == 5
    assert await ids(client, "/api/v1/incidents?updated_since=2999-01-01T00:00:00Z") == []


STATEMENT_CASES = [
    ("", ["jabouri", "pm", "isis"]),
    ("speaker=Rakan%20al-Jabouri", ["jabouri"]),
    ("speaker=rakan%20saeed%20al-jabouri", ["jabouri"]),
    ("organisation=Ministry%20of%20Interior", ["pm"]),
    ("organisation=ISIS", ["isis"]),
    ("kind=indirect", ["pm"]),
    ("channel=telegram", ["jabouri", "isis"]),
    ("date_from=2023-05-01&date_to=2023-05-31", ["jabouri", "pm"]),
    ("q=investigation", ["pm"]),
    ("q=hunt%20responsible", ["jabouri"]),
]


async def test_statement_filters(client: httpx.AsyncClient, world: World) -> None:
    for query, expected in STATEMENT_CASES:
        got = await ids(client, f"/api/v1/statements?{query}")
        assert got == [world.statements[k] for k in expected], query


async def test_statement_shape_and_id_filters(client: httpx.AsyncClient, world: World) -> None:
    (s,) = await items(client, f"/api/v1/statements?incident={world.incidents['kirkuk_clash']}")
    assert s["person"]["name"] == "Rakan al-Jabouri"
    assert s["role"]["title"] == "Governor of Kirkuk"
    assert s["incident_ids"] == [world.incidents["kirkuk_clash"]]
    assert await ids(client, f"/api/v1/statements?document={world.documents[2]}") == [
        world.statements["pm"]
    ]
    assert await ids(client, f"/api/v1/statements?speaker={world.persons['pm']}") == [
        world.statements["pm"]
    ]


async def test_actors(client: httpx.AsyncClient, world: World) -> None:
    a = world.actors
    assert await ids(client, "/api/v1/actors") == sorted(a.values())
    assert await ids(client, "/api/v1/actors?name=daes") == [a["isis"]]
    assert await ids(client, "/api/v1/actors?name=police") == [a["police"]]
    assert await ids(client, "/api/v1/actors?kind=government") == [a["ministry"]]
    assert await ids(client, "/api/v1/actors?country=iraq") == sorted(a.values())
    assert await ids(client, "/api/v1/actors?name=100%25") == []  # LIKE wildcards are literal
    r = await client.get(f"/api/v1/actors/{a['isis']}")
    d = r.json()
    assert d["aliases"] == ["Daesh", "ISIS"]
    assert d["incidents_as_perpetrator"] == 3
    assert d["incidents_as_target"] == 0
    m = (await client.get(f"/api/v1/actors/{a['ministry']}")).json()
    assert [o["title"] for o in m["officials"]] == ["Minister of Labour", "Prime Minister"]


async def test_officials_and_roles_over_time(client: httpx.AsyncClient, world: World) -> None:
    p = world.persons
    assert await ids(client, "/api/v1/officials") == sorted(p.values())
    assert await ids(client, "/api/v1/officials?name=saeed") == [p["jabouri"]]
    assert await ids(client, "/api/v1/officials?title=prime") == [p["pm"]]
    # A title held on a date: the same person, minister in 2016, prime minister in 2023.
    assert await ids(client, "/api/v1/officials?title=prime&on=2016-06-01") == []
    assert await ids(client, "/api/v1/officials?title=minister&on=2016-06-01") == [p["pm"]]
    assert await ids(client, "/api/v1/officials?organisation=Ministry%20of%20Interior") == [p["pm"]]
    d = (await client.get(f"/api/v1/officials/{p['pm']}")).json()
    assert [(r["title"], r["start_date"], r["end_date"]) for r in d["roles"]] == [
        ("Minister of Labour", "2014-01-01", "2018-12-31"),
        ("Prime Minister", "2022-10-27", None),
    ]
    assert d["statement_count"] == 1


async def test_documents(client: httpx.AsyncClient, world: World) -> None:
    docs = world.documents
    assert await ids(client, "/api/v1/documents") == docs
    assert await ids(client, "/api/v1/documents?outlet=reuters") == [docs[0]]
    assert await ids(client, "/api/v1/documents?published_from=2023-05-01") == docs[1:]
    assert await ids(client, "/api/v1/documents?q=drone%20Erbil") == [docs[2]]
    assert await ids(client, "/api/v1/documents?url=https://news.example/2") == [docs[1]]
    d = (await client.get(f"/api/v1/documents/{docs[0]}")).json()
    assert d["text"] == DOC_A
    assert d["length"] == len(DOC_A)
    (rep,) = d["reports"]
    assert rep["incident_id"] == world.incidents["mosul_bomb"]
    assert d["text"][rep["span_start"] : rep["span_end"]] == rep["evidence"]
    assert [s["id"] for s in d["statements"]] == [world.statements["isis"]]


async def test_places(client: httpx.AsyncClient, world: World) -> None:
    pl = world.places
    assert await ids(client, "/api/v1/places") == sorted(pl.values())
    assert await ids(client, "/api/v1/places?name=hawler") == [pl["erbil"]]
    assert await ids(client, "/api/v1/places?admin1=Kirkuk") == [pl["kirkuk"]]
    assert await ids(client, "/api/v1/places?country=IQ") == sorted(pl.values())
    assert await ids(client, "/api/v1/places?near=36.2,44.0,10") == [pl["erbil"]]
    assert await ids(client, "/api/v1/places?feature_code=PPL") == sorted(pl.values())


async def test_stats(client: httpx.AsyncClient, world: World) -> None:
    r = await client.get("/api/v1/stats/incidents?group_by=month,admin1&date_from=2023-01-01")
    assert r.status_code == 200
    body = r.json()
    assert body["group_by"] == ["month", "admin1"]
    assert body["buckets"] == [
        {
            "month": "2023-03",
            "admin1": "Nineveh",
            "incidents": 1,
            "killed": {"best": 12, "low": 12, "high": 12},
            "wounded": {"best": 30, "low": 30, "high": 30},
        },
        {
            "month": "2023-05",
            "admin1": "Erbil",
            "incidents": 1,
            "killed": {"best": 0, "low": 0, "high": 0},
            "wounded": {"best": 0, "low": 0, "high": 0},
        },
        {
            "month": "2023-05",
            "admin1": "Kirkuk",
            "incidents": 1,
            "killed": {"best": 3, "low": 3, "high": 3},
            "wounded": {"best": 0, "low": 0, "high": 0},
        },
    ]
    per = (await client.get("/api/v1/stats/incidents?group_by=perpetrator")).json()["buckets"]
    assert [(b["perpetrator"], b["incidents"]) for b in per] == [("Islamic State", 3), (None, 2)]
    weeks = (await client.get("/api/v1/stats/incidents?group_by=week,year&type=bombing")).json()
    assert [(b["week"], b["year"]) for b in weeks["buckets"]] == [("2023-03-06", "2023")]
    days = (await client.get("/api/v1/stats/incidents?group_by=day,type&admin1=Kirkuk")).json()
    assert [(b["day"], b["type"]) for b in days["buckets"]] == [
        ("2023-05-01", "clash"),
        (None, "kidnapping"),
    ]


async def test_jobs_and_submission(
    client: httpx.AsyncClient, api_keys: dict[Scope, str], world: World
) -> None:
    key = api_keys[Scope.WRITE]
    r = await client.post(
        "/api/v1/documents",
        json={
            "text": DOC_A + " Again.",
            "url": "https://x.example/1",
            "published": "2023-03-07",
            "outlet": "AFP",
        },
        headers={"Authorization": f"Bearer {key}"},
    )
    assert r.status_code == 202, r.text
    job = r.json()
    assert job["state"] == "queued"
    assert job["kind"] == "ingest_document"
    assert r.headers["location"] == f"/api/v1/jobs/{job['id']}"
    got = await client.get(r.headers["location"])
    assert got.status_code == 200
    assert got.json()["id"] == job["id"]
    # The same text again: the same job, not a second one.
    again = await client.post(
        "/api/v1/documents", json={"text": DOC_A + " Again."}, headers={"X-API-Key": key}
    )
    assert again.status_code == 202
    assert again.json()["id"] == job["id"]
    html = await client.post(
        "/api/v1/documents",
        content="<html><body><p>Mortar fire hit Tuz Khurmatu.</p></body></html>",
        headers={"X-API-Key": key, "Content-Type": "text/html; charset=utf-8"},
    )
    assert html.status_code == 202
    assert html.json()["id"] != job["id"]
    assert_problem(await client.get("/api/v1/jobs/424242"), 404)
