"""REST over the five seed articles ingested by the real ingest code, on SQLite and
PostgreSQL: every resource serves exactly what was stored (compared with the database
read back by plain SQL), and every span indexes into its document's text."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
import orjson
import pytest
from seed_truth import Truth, iso, words


async def walk(client: httpx.AsyncClient, path: str, limit: int = 4) -> list[dict[str, Any]]:
    """Every item of a listing, page by page through the `next` cursors."""
    out: list[dict[str, Any]] = []
    url = f"{path}{'&' if '?' in path else '?'}limit={limit}"
    cursor: str | None = None
    for _ in range(1000):
        r = await client.get(url if cursor is None else f"{url}&cursor={cursor}")
        assert r.status_code == 200, r.text
        body = r.json()
        assert len(body["items"]) <= limit
        out += body["items"]
        cursor = body["next"]
        if cursor is None:
            return out
        assert r.headers["link"].endswith('rel="next"')
    raise AssertionError("the walk did not end")


async def test_incidents_walk_returns_every_ingested_incident(
    seeded_client: httpx.AsyncClient, seed_truth: Truth
) -> None:
    truth = seed_truth
    assert len(truth.documents) == 5
    assert len(truth.incidents) >= 5  # every seed article reports at least one incident
    got = await walk(seeded_client, "/api/v1/incidents", limit=3)
    ids = [x["id"] for x in got]
    assert len(ids) == len(set(ids))  # no repeat across pages
    assert set(ids) == set(truth.incidents)  # no gap, no tombstone
    for item in got:
        row = truth.incidents[item["id"]]
        assert item["date"] == iso(row["date"])
        assert item["type"] == row["type"]
        assert item["admin1"] == row["admin1"]
        assert item["source_count"] == row["source_count"] >= 1
        assert item["killed"] == {
            "low": row["killed_low"],
            "best": row["killed_best"],
            "high": row["killed_high"],
        }
        assert sorted(a["id"] for a in item["actors"]) == truth.actors_of(item["id"])
        for a in item["actors"]:
            assert a["name"] == truth.actors[a["id"]]["name"]
        assert (item["place"] or {}).get("id") == row["place_id"]
    # Newest first, undated ones first (NULLS FIRST), the id breaking ties.
    keys = [(x["date"] is None, x["date"] or "", x["id"]) for x in got]
    assert keys == sorted(keys, reverse=True)


async def test_incident_details_have_reports_with_spans_into_documents(
    seeded_client: httpx.AsyncClient, seed_truth: Truth
) -> None:
    truth = seed_truth
    for incident_id in truth.incidents:
        r = await seeded_client.get(f"/api/v1/incidents/{incident_id}")
        assert r.status_code == 200, r.text
        d = r.json()
        assert [x["id"] for x in d["reports"]] == truth.reports_of(incident_id)
        assert len(d["reports"]) >= 1
        for rep in d["reports"]:
            doc = truth.documents[rep["document"]["id"]]
            assert rep["document"]["title"] == doc["title"]
            text = doc["text"]
            assert 0 <= rep["span_start"] < rep["span_end"] <= len(text)
            assert rep["evidence"] == text[rep["span_start"] : rep["span_end"]]
            for key, span in (rep["spans"] or {}).items():
                pairs = span if span and isinstance(span[0], list) else [span]
                for start, end in pairs:
                    assert 0 <= start < end <= len(text), (key, span)
        assert sorted(s["id"] for s in d["statements"]) == truth.statements_of(incident_id)


async def test_statements_carry_speakers_with_their_roles(
    seeded_client: httpx.AsyncClient, seed_truth: Truth
) -> None:
    truth = seed_truth
    got = await walk(seeded_client, "/api/v1/statements", limit=20)
    assert sorted(s["id"] for s in got) == sorted(truth.statements)
    by_person = 0
    for s in got:
        row = truth.statements[s["id"]]
        text = truth.documents[s["document_id"]]["text"]
        assert 0 <= s["span_start"] < s["span_end"] <= len(text)
        # The statement's words are all in the sentence its span covers.
        assert words(s["text"]) <= words(text[s["span_start"] : s["span_end"]]), s
        if row["speaker_person_id"] is not None:
            by_person += 1
            assert s["person"] == {
                "id": row["speaker_person_id"],
                "name": truth.persons[row["speaker_person_id"]]["name"],
            }
        else:
            assert s["person"] is None
        if row["speaker_role_id"] is not None:
            role = truth.roles[row["speaker_role_id"]]
            assert s["role"]["title"] == role["title"]
            assert s["role"]["organisation"]["id"] == role["organisation_id"]
        links = sorted(
            x["incident_id"] for x in truth.statement_incidents if x["statement_id"] == s["id"]
        )
        assert s["incident_ids"] == links
    assert by_person >= 5
    # From the articles themselves: Iraq's Prime Minister in 2021 speaks in the seeds.
    kadhimi = [s for s in got if s["person"] and s["person"]["name"] == "Mustafa al-Kadhimi"]
    assert kadhimi
    assert all(s["role"]["title"] == "Prime Minister" for s in kadhimi)


async def test_statement_filters_by_speaker_and_incident(
    seeded_client: httpx.AsyncClient, seed_truth: Truth
) -> None:
    truth = seed_truth
    person_id = max(set(truth.speakers().values()), key=list(truth.speakers().values()).count)
    name = truth.persons[person_id]["name"]
    for ref in (str(person_id), name, name.upper()):
        got = await walk(seeded_client, f"/api/v1/statements?speaker={ref}", limit=50)
        expected = sorted(i for i, p in truth.speakers().items() if p == person_id)
        assert sorted(s["id"] for s in got) == expected
    incident_id = max(truth.incidents, key=lambda i: len(truth.statements_of(i)))
    got = await walk(seeded_client, f"/api/v1/statements?incident={incident_id}", limit=50)
    assert sorted(s["id"] for s in got) == truth.statements_of(incident_id)


async def test_officials_have_roles_over_time(
    seeded_client: httpx.AsyncClient, seed_truth: Truth
) -> None:
    truth = seed_truth
    speakers = set(truth.speakers().values())
    for person_id in sorted(speakers):
        r = await seeded_client.get(f"/api/v1/officials/{person_id}")
        assert r.status_code == 200, r.text
        o = r.json()
        assert o["name"] == truth.persons[person_id]["name"]
        roles = {x["id"]: x for x in o["roles"]}
        expected = {i for i, x in truth.roles.items() if x["person_id"] == person_id}
        assert set(roles) == expected
        for role_id, role in roles.items():
            assert role["title"] == truth.roles[role_id]["title"]
            assert role["organisation"]["id"] == truth.roles[role_id]["organisation_id"]
        said = sum(1 for p in truth.speakers().values() if p == person_id)
        assert o["statement_count"] == said
    got = await walk(seeded_client, "/api/v1/officials?title=Prime%20Minister", limit=50)
    assert "Mustafa al-Kadhimi" in {o["name"] for o in got}
    on_day = await walk(
        seeded_client, "/api/v1/officials?title=Prime%20Minister&on=2021-09-05", limit=50
    )
    assert "Mustafa al-Kadhimi" in {o["name"] for o in on_day}
    assert len(on_day) < len(got)  # other prime ministers held office on other days


async def test_documents_list_every_extraction_with_spans(
    seeded_client: httpx.AsyncClient, seed_truth: Truth
) -> None:
    truth = seed_truth
    listed = await walk(seeded_client, "/api/v1/documents", limit=2)
    assert sorted(d["id"] for d in listed) == sorted(truth.documents)
    for doc_id, row in truth.documents.items():
        r = await seeded_client.get(f"/api/v1/documents/{doc_id}")
        assert r.status_code == 200
        d = r.json()
        text = d["text"]
        assert text == row["text"]
        assert d["length"] == len(text)
        assert sorted(x["id"] for x in d["reports"]) == sorted(
            i for i, x in truth.reports.items() if x["document_id"] == doc_id
        )
        assert d["reports"], "every seed article reports an incident"
        for rep in d["reports"]:
            assert rep["evidence"] == text[rep["span_start"] : rep["span_end"]]
        mentions = [m for m in truth.mentions.values() if m["document_id"] == doc_id]
        assert len(d["mentions"]) == len(mentions) > 0
        for m in d["mentions"]:
            assert m["text"] == text[m["span_start"] : m["span_end"]]
        assert sorted(s["id"] for s in d["statements"]) == sorted(
            i for i, s in truth.statements.items() if s["document_id"] == doc_id
        )


async def test_actors_and_places_of_the_incidents(
    seeded_client: httpx.AsyncClient, seed_truth: Truth
) -> None:
    truth = seed_truth
    involved = {x["actor_id"] for x in truth.incident_actors}
    for actor_id in sorted(involved):
        r = await seeded_client.get(f"/api/v1/actors/{actor_id}")
        assert r.status_code == 200, r.text
        a = r.json()
        ia = [x for x in truth.incident_actors if x["actor_id"] == actor_id]
        assert a["incidents_as_perpetrator"] == sum(x["role"] == "perpetrator" for x in ia)
        assert a["incidents_as_target"] == sum(x["role"] == "target" for x in ia)
    # Filtering incidents by an actor gives the incidents linked to it.
    actor_id = max(involved, key=lambda a: sum(x["actor_id"] == a for x in truth.incident_actors))
    got = await walk(seeded_client, f"/api/v1/incidents?actor={actor_id}", limit=50)
    linked = {x["incident_id"] for x in truth.incident_actors if x["actor_id"] == actor_id}
    assert {x["id"] for x in got} == linked & set(truth.incidents)
    # Every incident's place is a gazetteer place, found in /places around its point.
    listed = {x["id"]: x for x in await walk(seeded_client, "/api/v1/incidents", limit=500)}
    placed = [row for row in truth.incidents.values() if row["place_id"] is not None]
    assert placed
    for row in placed:
        place = listed[row["id"]]["place"]
        assert place["id"] == row["place_id"]
        near = f"{place['lat']},{place['lon']},1"
        around = await walk(seeded_client, f"/api/v1/places?near={near}", limit=500)
        assert place in [{k: p[k] for k in place} for p in around]


async def test_incident_filters_and_stats_agree_with_the_data(
    seeded_client: httpx.AsyncClient, seed_truth: Truth
) -> None:
    truth = seed_truth
    by_admin1: dict[str, set[int]] = {}
    for i, row in truth.incidents.items():
        by_admin1.setdefault(row["admin1"], set()).add(i)
    for admin1, expected in by_admin1.items():
        if admin1 is None:
            continue
        got = await walk(seeded_client, f"/api/v1/incidents?admin1={admin1}", limit=50)
        assert {x["id"] for x in got} == expected
    r = await seeded_client.get("/api/v1/stats/incidents?group_by=admin1")
    buckets = r.json()["buckets"]
    assert {b["admin1"]: b["incidents"] for b in buckets} == {
        k: len(v) for k, v in by_admin1.items()
    }
    assert sum(b["killed"]["best"] for b in buckets) == sum(
        row["killed_best"] or 0 for row in truth.incidents.values()
    )
    # Full-text search reaches the incidents through their reports' documents.
    r = await seeded_client.get("/api/v1/incidents?q=Kadhimi&limit=500")
    docs = {i for i, d in truth.documents.items() if "kadhimi" in words(d["text"])}
    expected_q = {
        r2["incident_id"] for r2 in truth.reports.values() if r2["document_id"] in docs
    } & set(truth.incidents)
    assert {x["id"] for x in r.json()["items"]} == expected_q
    assert expected_q


async def test_exports_parse_back_to_the_same_incidents(
    seeded_client: httpx.AsyncClient, seed_truth: Truth
) -> None:
    truth = seed_truth
    r = await seeded_client.get("/api/v1/incidents?format=ndjson")
    assert r.headers["content-type"].startswith("application/x-ndjson")
    lines = [orjson.loads(x) for x in r.content.splitlines()]
    assert sorted(x["id"] for x in lines) == sorted(truth.incidents)
    listed = await walk(seeded_client, "/api/v1/incidents", limit=500)
    assert lines == listed  # the export is the listing, row for row
    r = await seeded_client.get("/api/v1/incidents?format=csv&limit=500")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert sorted(int(x["id"]) for x in rows) == sorted(truth.incidents)


async def test_exports_with_full_text_search(seeded_client: httpx.AsyncClient) -> None:
    """Search words are rendered into the SQL: the export takes another path for them."""
    for path in ("/api/v1/statements?q=Kadhimi", "/api/v1/incidents?q=Kadhimi"):
        r = await seeded_client.get(f"{path}&format=ndjson")
        assert r.status_code == 200, r.text
        lines = [orjson.loads(x) for x in r.content.splitlines()]
        listed = await walk(seeded_client, path, limit=500)
        assert lines == listed
        assert lines


@pytest.mark.parametrize(
    "path",
    ["/api/v1/statements", "/api/v1/actors", "/api/v1/officials", "/api/v1/documents"],
)
async def test_every_resource_exports_its_listing(
    seeded_client: httpx.AsyncClient, path: str
) -> None:
    """Unfiltered exports of the other resources (their statement has no WHERE naming the
    table: the FROM must come from the resource itself)."""
    r = await seeded_client.get(f"{path}?format=ndjson")
    assert r.status_code == 200, r.text
    lines = [orjson.loads(x) for x in r.content.splitlines()]
    assert lines == await walk(seeded_client, path, limit=500)
    assert lines
    limited = await seeded_client.get(f"{path}?format=ndjson&limit=3")
    assert [orjson.loads(x) for x in limited.content.splitlines()] == lines[:3]
