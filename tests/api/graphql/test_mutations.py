"""Mutations through the real app: each with and without the scope it needs, the typed
errors, the audit log and change rows they write, and curated fields."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from gql_factory import Made
from gql_helpers import Api
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.enums import Scope

UNION = """
  __typename
  ... on UserError { message }
  ... on NotAllowedError { neededScope }
  ... on InvalidInputError { field }
"""

INGEST = f"""mutation($text: String!, $url: String) {{
  ingestDocument(text: $text, url: $url, outlet: "Rudaw", published: "2024-05-01") {{
    {UNION}
    ... on Job {{ id databaseId kind state attempts }}
  }}
}}"""

UPDATE = f"""mutation($id: ID!, $input: IncidentPatch!) {{
  updateIncident(id: $id, input: $input) {{
    {UNION}
    ... on Incident {{ databaseId type date reviewStatus curatedFields killed {{ low best high }}
      place {{ name }} admin1 }}
  }}
}}"""


async def _one(engine: AsyncEngine, sql: str, **params: Any) -> list[dict[str, Any]]:
    async with engine.connect() as conn:
        return [dict(r._mapping) for r in (await conn.execute(sa.text(sql), params)).all()]


@pytest.mark.parametrize(
    ("scope", "allowed"),
    [(None, False), (Scope.READ, False), (Scope.WRITE, True), (Scope.CURATE, True)],
)
async def test_ingest_document_needs_write(
    api: Api, keys: dict[Scope, str], engine: AsyncEngine, scope: Scope | None, allowed: bool
) -> None:
    key = keys[scope] if scope else None
    data = await api.data(
        INGEST, {"text": "Gunmen attacked a checkpoint.", "url": "https://x/1"}, key
    )
    result = data["ingestDocument"]
    jobs = await _one(
        engine,
        "SELECT * FROM job WHERE kind = 'ingest_document' AND dedupe_key IS NOT NULL AND dedupe_key <> 'k'",
    )
    if not allowed:
        assert result["__typename"] == "NotAllowedError"
        assert result["neededScope"] == "write"
        assert jobs == []
        return
    assert result["__typename"] == "Job"
    assert (result["kind"], result["state"], result["attempts"]) == ("ingest_document", "QUEUED", 0)
    [job] = jobs
    assert job["id"] == result["databaseId"]
    payload = (
        job["payload"]
        if isinstance(job["payload"], dict)
        else __import__("json").loads(job["payload"])
    )
    assert payload["text"] == "Gunmen attacked a checkpoint."
    assert (payload["url"], payload["outlet"], payload["published"]) == (
        "https://x/1",
        "Rudaw",
        "2024-05-01",
    )
    # The same text again returns the same job.
    again = await api.data(INGEST, {"text": "Gunmen attacked a checkpoint."}, key)
    assert again["ingestDocument"]["databaseId"] == result["databaseId"]


async def test_ingest_document_refuses_empty_text(api: Api, keys: dict[Scope, str]) -> None:
    data = await api.data(INGEST, {"text": "   "}, keys[Scope.WRITE])
    assert data["ingestDocument"]["__typename"] == "InvalidInputError"
    assert data["ingestDocument"]["field"] == "text"


async def test_update_incident_needs_curate(
    api: Api, keys: dict[Scope, str], made: Made, engine: AsyncEngine
) -> None:
    target = f"Incident:{made.incidents[0]}"
    patch = {
        "type": "AMBUSH",
        "killed": {"low": 1, "best": 2, "high": 3},
        "reviewStatus": "REVIEWED",
        "place": f"Place:{made.places[4]}",
        "date": "2024-02-29",
    }
    for scope in (None, Scope.READ, Scope.WRITE):
        data = await api.data(
            UPDATE, {"id": target, "input": patch}, keys[scope] if scope else None
        )
        assert data["updateIncident"]["__typename"] == "NotAllowedError", scope
    assert await _one(engine, "SELECT * FROM audit_log") == []
    data = await api.data(UPDATE, {"id": target, "input": patch}, keys[Scope.CURATE])
    inc = data["updateIncident"]
    assert inc["__typename"] == "Incident"
    assert (inc["type"], inc["date"], inc["reviewStatus"]) == ("AMBUSH", "2024-02-29", "REVIEWED")
    assert inc["killed"] == {"low": 1, "best": 2, "high": 3}
    assert (inc["place"]["name"], inc["admin1"]) == ("Erbil", "Erbil")
    assert set(inc["curatedFields"]) >= {"type", "date", "killed_best", "review_status", "place_id"}
    [audit] = await _one(engine, "SELECT * FROM audit_log")
    assert audit["action"] == "update_incident"
    assert audit["entity_id"] == made.incidents[0]
    assert "test-curate" in audit["who"]
    changes = await _one(
        engine,
        "SELECT * FROM change WHERE entity_type = 'incident' AND entity_id = :i AND op = 'updated'",
        i=made.incidents[0],
    )
    assert len(changes) == 1
    # Queries see the curated values (both paths).
    read = await api.data(
        f'{{ node(id: "{target}") {{ ... on Incident {{ type killed {{ best }} }} }} }}'
    )
    assert read["node"] == {"type": "AMBUSH", "killed": {"best": 2}}


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"killed": {"low": 5, "best": 2}}, "killed"),
        ({"killed": {"best": -1}}, "killed"),
        ({"place": "Place:999999"}, "place"),
        ({}, "input"),
    ],
)
async def test_update_incident_invalid(
    api: Api, keys: dict[Scope, str], made: Made, patch: dict[str, Any], field: str
) -> None:
    data = await api.data(
        UPDATE, {"id": f"Incident:{made.incidents[1]}", "input": patch}, keys[Scope.CURATE]
    )
    assert data["updateIncident"]["__typename"] == "InvalidInputError"
    assert data["updateIncident"]["field"] == field


async def test_update_incident_not_found(api: Api, keys: dict[Scope, str]) -> None:
    data = await api.data(
        UPDATE, {"id": "Incident:999999", "input": {"type": "CLASH"}}, keys[Scope.CURATE]
    )
    assert data["updateIncident"]["__typename"] == "NotFoundError"


MERGE_ACTORS = f"""mutation($into: ID!, $from: [ID!]!) {{
  mergeActors(into: $into, from: $from) {{ {UNION} ... on Actor {{ databaseId name aliases }} }}
}}"""


async def test_merge_actors(
    api: Api, keys: dict[Scope, str], made: Made, engine: AsyncEngine
) -> None:
    into, other = made.actors[0], made.actors[5]  # Islamic State <- Kataib Hezbollah
    variables = {"into": f"Actor:{into}", "from": [f"Actor:{other}"]}
    denied = await api.data(MERGE_ACTORS, variables, keys[Scope.WRITE])
    assert denied["mergeActors"]["__typename"] == "NotAllowedError"
    before = await _one(
        engine,
        "SELECT count(*) AS n FROM incident_actor WHERE actor_id IN (:a, :b)",
        a=into,
        b=other,
    )
    data = await api.data(MERGE_ACTORS, variables, keys[Scope.CURATE])
    merged = data["mergeActors"]
    assert merged["__typename"] == "Actor"
    assert "Kataib Hezbollah" in merged["aliases"]
    assert "KH" in merged["aliases"]
    links = await _one(
        engine, "SELECT actor_id FROM incident_actor WHERE actor_id IN (:a, :b)", a=into, b=other
    )
    assert {x["actor_id"] for x in links} == {into}
    assert len(links) == before[0]["n"]  # no two links shared an incident and role here
    [tomb] = await _one(engine, "SELECT merged_into_id FROM actor WHERE id = :b", b=other)
    assert tomb["merged_into_id"] == into
    ops = await _one(
        engine, "SELECT op, entity_id, merged_into_id FROM change WHERE entity_type = 'actor'"
    )
    assert {"op": "merged", "entity_id": other, "merged_into_id": into} in ops
    assert len(await _one(engine, "SELECT * FROM audit_log WHERE action = 'merge_actors'")) == 1
    # The merged actor is gone from listings; its incidents now name the survivor.
    names = await api.data("{ actors(first: 50) { nodes { name } } }")
    assert "Kataib Hezbollah" not in [n["name"] for n in names["actors"]["nodes"]]
    invalid = await api.data(
        MERGE_ACTORS, {"into": f"Actor:{into}", "from": [f"Actor:{into}"]}, keys[Scope.CURATE]
    )
    assert invalid["mergeActors"]["__typename"] == "InvalidInputError"
    gone = await api.data(
        MERGE_ACTORS, {"into": f"Actor:{into}", "from": [f"Actor:{other}"]}, keys[Scope.CURATE]
    )
    assert gone["mergeActors"]["__typename"] == "NotFoundError"


MERGE_OFFICIALS = f"""mutation($into: ID!, $from: [ID!]!) {{
  mergeOfficials(into: $into, from: $from) {{ {UNION}
    ... on Official {{ name aliases roles {{ title }} statements(first: 50) {{ databaseId }} }} }}
}}"""


async def test_merge_officials(
    api: Api, keys: dict[Scope, str], made: Made, engine: AsyncEngine
) -> None:
    into, other = made.people[2], made.people[3]
    variables = {"into": f"Official:{into}", "from": [f"Official:{other}"]}
    assert (await api.data(MERGE_OFFICIALS, variables))["mergeOfficials"][
        "__typename"
    ] == "NotAllowedError"
    expected_statements = await _one(
        engine, "SELECT id FROM statement WHERE speaker_person_id IN (:a, :b)", a=into, b=other
    )
    data = await api.data(MERGE_OFFICIALS, variables, keys[Scope.CURATE])
    merged = data["mergeOfficials"]
    assert merged["__typename"] == "Official"
    assert "Mohammed Shia al-Sudani" in merged["aliases"]
    # Both held "prime minister" with different start dates: both roles survive.
    assert [r["title"] for r in merged["roles"]].count("prime minister") == 2
    assert {s["databaseId"] for s in merged["statements"]} == {r["id"] for r in expected_statements}
    assert len(await _one(engine, "SELECT * FROM audit_log WHERE action = 'merge_officials'")) == 1


SPLIT = f"""mutation($id: ID!, $reports: [ID!]!) {{
  splitIncident(id: $id, reports: $reports) {{ {UNION}
    ... on SplitIncidentPayload {{
      original {{ databaseId sourceCount reports {{ databaseId }} curatedFields }}
      created {{ databaseId sourceCount reports {{ databaseId }} perpetrators {{ name }} killed {{ low best high }} }}
    }}
  }}
}}"""


async def test_split_incident(
    api: Api, keys: dict[Scope, str], made: Made, engine: AsyncEngine
) -> None:
    # Incident 2 of the factory has three reports.
    incident = made.incidents[2]
    reports = [
        r["id"]
        for r in await _one(
            engine, "SELECT id FROM report WHERE incident_id = :i ORDER BY id", i=incident
        )
    ]
    assert len(reports) == 3
    variables = {"id": f"Incident:{incident}", "reports": [f"Report:{reports[2]}"]}
    assert (await api.data(SPLIT, variables, keys[Scope.READ]))["splitIncident"][
        "__typename"
    ] == "NotAllowedError"
    data = await api.data(SPLIT, variables, keys[Scope.CURATE])
    result = data["splitIncident"]
    assert result["__typename"] == "SplitIncidentPayload"
    assert [r["databaseId"] for r in result["original"]["reports"]] == reports[:2]
    assert [r["databaseId"] for r in result["created"]["reports"]] == reports[2:]
    assert result["created"]["sourceCount"] == 1
    assert "reports" in result["original"]["curatedFields"]
    created = result["created"]["databaseId"]
    ops = await _one(
        engine, "SELECT op FROM change WHERE entity_type = 'incident' AND entity_id = :i", i=created
    )
    assert [o["op"] for o in ops] == ["created"]
    everything = {"id": f"Incident:{incident}", "reports": [f"Report:{r}" for r in reports[:2]]}
    refused = await api.data(SPLIT, everything, keys[Scope.CURATE])
    assert refused["splitIncident"]["__typename"] == "InvalidInputError"
    assert refused["splitIncident"]["field"] == "reports"
