"""GraphQL over the five seed articles ingested by the real ingest code, on SQLite and
PostgreSQL: nested queries (incident -> reports -> document -> incidents, statements ->
speaker -> roles, documents -> mentions) give exactly what was stored, spans index into
the document text, and the compiler and the resolvers give identical answers."""

from __future__ import annotations

from typing import Any

from gql_helpers import Api, plan_cache
from seed_truth import Truth, iso, words

from api.graphql.compiler.extension import PlanCache

INCIDENTS = """query($first: Int!, $after: String) {
  incidents(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      id databaseId date type admin1 sourceCount killed { low best high }
      place { databaseId name }
      perpetrators { databaseId name } targets { databaseId name }
      reports { databaseId spanStart spanEnd evidence
        document { databaseId title text incidents { databaseId } } }
      statements { databaseId text speaker { databaseId name } }
    } }
  }
}"""

STATEMENTS = """{
  statements(first: 500, orderBy: ID_ASC) {
    nodes { databaseId text spanStart spanEnd kind
      speaker { databaseId name roles { title organisation { databaseId name } } }
      speakerRole { title startDate endDate organisation { databaseId name } }
      document { databaseId }
      incidents { databaseId }
    }
  }
}"""

DOCUMENTS = """{
  documents(first: 10) {
    totalCount
    nodes { databaseId title text
      incidents { databaseId reports { databaseId } }
      statements { databaseId spanStart spanEnd }
      mentions { entityType spanStart spanEnd text }
    }
  }
}"""

OFFICIALS = """query($day: Date!) {
  officials(first: 200) {
    nodes { databaseId name
      roles { title organisation { databaseId } }
      roleOn(date: $day) { title }
      statements(first: 50) { databaseId }
    }
  }
}"""

STATS = """{
  byAdmin1: incidentStats(groupBy: [ADMIN1]) { admin1 incidents killed { best } }
  byPerpetrator: incidentStats(groupBy: [PERPETRATOR]) { incidents perpetrator { databaseId } }
}"""


async def both(api: Api, resolver_api: Api, query: str, variables: Any = None) -> dict[str, Any]:
    """The data of `query` through both paths, which must agree; on PostgreSQL the
    compiler must have answered it."""
    cache: PlanCache = plan_cache(api.app)
    before = cache.compiled
    compiled = await api.data(query, variables)
    resolved = await resolver_api.data(query, variables)
    assert compiled == resolved
    if api.app.state.engine.dialect.name == "postgresql":
        assert cache.compiled == before + 1
    return resolved


async def test_nested_incidents_reports_documents(
    seeded_api: Api, seeded_resolver_api: Api, seed_truth: Truth
) -> None:
    truth = seed_truth
    nodes: list[dict[str, Any]] = []
    after = None
    for _ in range(100):  # pages of 4, forwards through the whole listing
        data = await both(seeded_api, seeded_resolver_api, INCIDENTS, {"first": 4, "after": after})
        conn = data["incidents"]
        assert conn["totalCount"] == len(truth.incidents)
        nodes += [e["node"] for e in conn["edges"]]
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
        assert after == conn["edges"][-1]["cursor"]
    ids = [n["databaseId"] for n in nodes]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(truth.incidents)
    for n in nodes:
        row = truth.incidents[n["databaseId"]]
        assert n["date"] == iso(row["date"])
        assert n["type"] == row["type"].upper()
        assert n["sourceCount"] == row["source_count"]
        assert n["killed"]["best"] == row["killed_best"]
        assert (n["place"] or {}).get("databaseId") == row["place_id"]
        assert sorted(a["databaseId"] for a in n["perpetrators"]) == truth.actors_of(
            n["databaseId"], "perpetrator"
        )
        assert sorted(a["databaseId"] for a in n["targets"]) == truth.actors_of(
            n["databaseId"], "target"
        )
        assert [r["databaseId"] for r in n["reports"]] == truth.reports_of(n["databaseId"])
        for rep in n["reports"]:
            doc = rep["document"]
            assert doc["text"] == truth.documents[doc["databaseId"]]["text"]
            assert rep["evidence"] == doc["text"][rep["spanStart"] : rep["spanEnd"]]
            # Back from the document to its incidents: this one is among them.
            assert n["databaseId"] in {i["databaseId"] for i in doc["incidents"]}
        assert sorted(s["databaseId"] for s in n["statements"]) == truth.statements_of(
            n["databaseId"]
        )


async def test_statements_with_speakers_and_roles(
    seeded_api: Api, seeded_resolver_api: Api, seed_truth: Truth
) -> None:
    truth = seed_truth
    data = await both(seeded_api, seeded_resolver_api, STATEMENTS)
    got = data["statements"]["nodes"]
    assert [s["databaseId"] for s in got] == sorted(truth.statements)
    for s in got:
        row = truth.statements[s["databaseId"]]
        text = truth.documents[s["document"]["databaseId"]]["text"]
        assert words(s["text"]) <= words(text[s["spanStart"] : s["spanEnd"]])
        assert (s["speaker"] or {}).get("databaseId") == row["speaker_person_id"]
        if row["speaker_role_id"] is None:
            assert s["speakerRole"] is None
            continue
        role = truth.roles[row["speaker_role_id"]]
        assert s["speakerRole"]["title"] == role["title"]
        assert s["speakerRole"]["organisation"]["databaseId"] == role["organisation_id"]
        # The role the speaker held is one of the speaker's roles.
        assert s["speakerRole"]["title"] in {r["title"] for r in s["speaker"]["roles"]}
    kadhimi = [s for s in got if (s["speaker"] or {}).get("name") == "Mustafa al-Kadhimi"]
    assert kadhimi
    assert {s["speakerRole"]["title"] for s in kadhimi} == {"Prime Minister"}


async def test_documents_with_incidents_statements_mentions(
    seeded_api: Api, seeded_resolver_api: Api, seed_truth: Truth
) -> None:
    truth = seed_truth
    data = await both(seeded_api, seeded_resolver_api, DOCUMENTS)
    docs = data["documents"]
    assert docs["totalCount"] == 5
    for d in docs["nodes"]:
        doc_id, text = d["databaseId"], d["text"]
        assert text == truth.documents[doc_id]["text"]
        assert sorted(i["databaseId"] for i in d["incidents"]) == truth.incidents_of_document(
            doc_id
        )
        assert d["incidents"], "every seed article reports an incident"
        for m in d["mentions"]:
            assert m["text"] == text[m["spanStart"] : m["spanEnd"]]
        assert len(d["mentions"]) == sum(
            1 for m in truth.mentions.values() if m["document_id"] == doc_id
        )
        for s in d["statements"]:
            assert truth.statements[s["databaseId"]]["document_id"] == doc_id
            assert 0 <= s["spanStart"] < s["spanEnd"] <= len(text)


async def test_officials_roles_on_a_day_and_statements(
    seeded_api: Api, seeded_resolver_api: Api, seed_truth: Truth
) -> None:
    truth = seed_truth
    data = await both(seeded_api, seeded_resolver_api, OFFICIALS, {"day": "2021-09-05"})
    got = {o["databaseId"]: o for o in data["officials"]["nodes"]}
    assert set(got) == set(truth.persons)
    for person_id, o in got.items():
        roles = [r for r in truth.roles.values() if r["person_id"] == person_id]
        assert sorted(r["title"] for r in o["roles"]) == sorted(r["title"] for r in roles)
        said = sorted((i for i, p in truth.speakers().items() if p == person_id), reverse=True)
        assert [s["databaseId"] for s in o["statements"]] == said
    kadhimi = next(o for o in got.values() if o["name"] == "Mustafa al-Kadhimi")
    assert "Prime Minister" in {r["title"] for r in kadhimi["roleOn"]}
    # On that day nobody else was Prime Minister of Iraq in the registry.
    iraqi_pm_org = {
        r["organisation"]["databaseId"] for r in kadhimi["roles"] if r["title"] == "Prime Minister"
    }
    others = [
        o
        for o in got.values()
        if o is not kadhimi
        and any(
            r["title"] == "Prime Minister" and r["organisation"]["databaseId"] in iraqi_pm_org
            for r in o["roles"]
        )
    ]
    assert others, "the registry knows other Iraqi prime ministers"
    assert all("Prime Minister" not in {r["title"] for r in o["roleOn"]} for o in others)


async def test_stats_buckets_and_node_lookups(
    seeded_api: Api, seeded_resolver_api: Api, seed_truth: Truth
) -> None:
    truth = seed_truth
    data = await both(seeded_api, seeded_resolver_api, STATS)
    expected: dict[str | None, int] = {}
    for row in truth.incidents.values():
        expected[row["admin1"]] = expected.get(row["admin1"], 0) + 1
    assert {b["admin1"]: b["incidents"] for b in data["byAdmin1"]} == expected
    assert sum(b["killed"]["best"] for b in data["byAdmin1"]) == sum(
        r["killed_best"] or 0 for r in truth.incidents.values()
    )
    per_actor = {
        (b["perpetrator"] or {}).get("databaseId"): b["incidents"] for b in data["byPerpetrator"]
    }
    for actor_id, n in per_actor.items():
        if actor_id is not None:
            linked = {
                x["incident_id"]
                for x in truth.incident_actors
                if x["actor_id"] == actor_id and x["role"] == "perpetrator"
            }
            assert n == len(linked & set(truth.incidents))
    # node(id:) finds each incident by the global id the listing gave it.
    listing = await seeded_api.data("{ incidents(first: 500) { nodes { id databaseId } } }")
    for n in listing["incidents"]["nodes"]:
        query = """query($id: ID!) { node(id: $id) { __typename
          ... on Incident { databaseId reports { document { databaseId } } } } }"""
        got = await both(seeded_api, seeded_resolver_api, query, {"id": n["id"]})
        assert got["node"]["__typename"] == "Incident"
        assert got["node"]["databaseId"] == n["databaseId"]
        assert [r["document"]["databaseId"] for r in got["node"]["reports"]] == [
            truth.reports[r]["document_id"] for r in truth.reports_of(n["databaseId"])
        ]
