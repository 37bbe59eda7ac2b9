"""The benchmark scenarios as data: for each scenario and API, the requests to send and
how to read the row ids back out of an answer (to check every server returns the same
rows before timing it).

Adjust a query or a URL here when an API changes; nothing else needs to move.
Servers: "sitrep" (GraphQL at /graphql, REST under /api/v1), "peer" (PostGraphile v5,
amber preset), "floor" (bench/floor.py: asyncpg + orjson, the raw-SQL floor).
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson

from bench.load import Request
from bench.params import Params

JSON = (("Content-Type", "application/json"), ("Accept", "application/json"))

DESCRIPTIONS = {
    "Q1": "page of 50 incidents with place, perpetrators, targets, source count; governorate + date range",
    "Q2": "one incident with reports, documents and statements",
    "Q3": "fatality stats by month x governorate over all data",
    "Q4": "full-text search of statements with speaker and role (50 rows)",
    "Q5": "a 500-row page of incidents (same shape as Q1)",
    "Q6": "NDJSON export of every incident (rows/s, peak RSS)",
    "Q7": "GraphQL and REST reads (Q1, Q2) while a worker ingests documents",
}

# -- sitrep GraphQL ------------------------------------------------------------------
INCIDENT_ROW = """databaseId date type sourceCount killed { best } wounded { best }
      place { databaseId name admin1 country lat lon }
      perpetrators { databaseId name kind }
      targets { databaseId name kind }"""

SITREP_Q1 = f"""query Q1($admin1: String!, $from: Date!, $to: Date!, $first: Int!) {{
  incidents(first: $first, filter: {{admin1: $admin1, dateFrom: $from, dateTo: $to}}) {{
    edges {{ node {{ {INCIDENT_ROW} }} }}
  }}
}}"""

SITREP_Q5 = f"""query Q5($admin1: String!, $first: Int!) {{
  incidents(first: $first, filter: {{admin1: $admin1}}) {{
    edges {{ node {{ {INCIDENT_ROW} }} }}
  }}
}}"""

SITREP_Q2 = """query Q2($id: ID!) {
  node(id: $id) {
    ... on Incident {
      databaseId date type sourceCount
      killed { low best high } wounded { low best high }
      place { databaseId name admin1 }
      perpetrators { databaseId name } targets { databaseId name }
      reports { databaseId killed wounded evidence spanStart spanEnd
        document { databaseId url outlet title published } }
      statements { databaseId text date kind speaker { databaseId name } speakerRole { title } }
    }
  }
}"""

SITREP_Q3 = """query Q3 {
  incidentStats(groupBy: [MONTH, ADMIN1]) { month admin1 incidents killed { best } wounded { best } }
}"""

SITREP_Q4 = """query Q4($q: String!, $first: Int!) {
  statements(first: $first, filter: {text: $q}) {
    edges { node { databaseId text date
      speaker { databaseId name } speakerRole { title organisation { databaseId name } } } }
  }
}"""

# -- PostGraphile v5 (amber: `id` is a global node id, the primary key is `rowId`) ---
PEER_ROW = """rowId date type sourceCount killedBest woundedBest
      placeByPlaceId { rowId name admin1 country lat lon }
      perpetrators: incidentActorsByIncidentId(condition: {role: "perpetrator"}) {
        nodes { actorByActorId { rowId name kind } } }
      targets: incidentActorsByIncidentId(condition: {role: "target"}) {
        nodes { actorByActorId { rowId name kind } } }"""

PEER_Q1 = f"""query Q1($admin1: String!, $from: Date!, $to: Date!, $first: Int!) {{
  benchPeerIncidentsBetween(admin1: $admin1, dateFrom: $from, dateTo: $to, first: $first) {{
    nodes {{ {PEER_ROW} }}
  }}
}}"""

PEER_Q5 = f"""query Q5($admin1: String!, $first: Int!) {{
  allIncidents(first: $first, condition: {{admin1: $admin1}}, orderBy: [DATE_DESC, ROW_ID_DESC]) {{
    nodes {{ {PEER_ROW} }}
  }}
}}"""

PEER_Q2 = """query Q2($id: Int!) {
  incidentByRowId(rowId: $id) {
    rowId date type sourceCount
    killedLow killedBest killedHigh woundedLow woundedBest woundedHigh
    placeByPlaceId { rowId name admin1 }
    perpetrators: incidentActorsByIncidentId(condition: {role: "perpetrator"}) {
      nodes { actorByActorId { rowId name } } }
    targets: incidentActorsByIncidentId(condition: {role: "target"}) {
      nodes { actorByActorId { rowId name } } }
    reportsByIncidentId { nodes { rowId killed wounded evidence spanStart spanEnd
      documentByDocumentId { rowId url outlet title published } } }
    statementIncidentsByIncidentId { nodes { statementByStatementId {
      rowId text date kind personBySpeakerPersonId { rowId name } roleBySpeakerRoleId { title } } } }
  }
}"""


def gql(query: str, variables: dict[str, Any] | None = None) -> Request:
    body = orjson.dumps({"query": query, "variables": variables or {}})
    return Request("POST", "/graphql", body, JSON)


def get(path: str, **query: Any) -> Request:
    qs = urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
    return Request("GET", f"{path}?{qs}" if qs else path, None, (("Accept", "application/json"),))


# -- reading row ids back ------------------------------------------------------------
def _dig(doc: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(doc, dict) or key not in doc:
            return None
        doc = doc[key]
    return doc


def ids_of(items: Any, key: str) -> list[Any] | None:
    if not isinstance(items, list):
        return None
    return [_dig(it, *key.split(".")) for it in items]


def graphql_edges(field: str, key: str = "databaseId") -> Callable[[Any], list[Any] | None]:
    return lambda doc: ids_of(_dig(doc, "data", field, "edges"), f"node.{key}")


def graphql_nodes(field: str, key: str = "rowId") -> Callable[[Any], list[Any] | None]:
    return lambda doc: ids_of(_dig(doc, "data", field, "nodes"), key)


def rest_items(doc: Any) -> list[Any] | None:
    return ids_of(_dig(doc, "items"), "id")


def floor_items(doc: Any) -> list[Any] | None:
    return ids_of(_dig(doc, "items"), "id")


def _q2_sitrep(doc: Any) -> list[Any] | None:
    node = _dig(doc, "data", "node")
    reports, statements = (
        ids_of(_dig(node, "reports"), "databaseId"),
        ids_of(_dig(node, "statements"), "databaseId"),
    )
    return None if reports is None or statements is None else [*reports, "|", *statements]


def _q2_rest(doc: Any) -> list[Any] | None:
    reports = ids_of(_dig(doc, "reports"), "id")
    statements = ids_of(_dig(doc, "statements"), "id")
    return None if reports is None or statements is None else [*reports, "|", *statements]


def _q2_peer(doc: Any) -> list[Any] | None:
    inc = _dig(doc, "data", "incidentByRowId")
    reports = ids_of(_dig(inc, "reportsByIncidentId", "nodes"), "rowId")
    statements = ids_of(
        _dig(inc, "statementIncidentsByIncidentId", "nodes"), "statementByStatementId.rowId"
    )
    return None if reports is None or statements is None else [*reports, "|", *statements]


def _q2_floor(doc: Any) -> list[Any] | None:
    return _q2_rest(doc)


def _q3_sitrep(doc: Any) -> list[Any] | None:
    buckets = _dig(doc, "data", "incidentStats")
    return None if not isinstance(buckets, list) else [sum(b["incidents"] for b in buckets)]


def _q3_rest(doc: Any) -> list[Any] | None:
    buckets = doc
    if isinstance(doc, dict):
        buckets = doc.get("buckets", doc.get("items"))
    if not isinstance(buckets, list):
        return None
    total = 0
    for b in buckets:
        n = b.get("incidents", b.get("count")) if isinstance(b, dict) else None
        if not isinstance(n, int):
            return None
        total += n
    return [total]


@dataclass(frozen=True)
class Variant:
    scenario: str
    api: str  # graphql | rest | peer | floor
    server: str  # sitrep | peer | floor
    requests: list[Request]
    rows: Callable[[Any], list[Any] | None]
    #: rows are compared as sets (ties in the order may legitimately differ)
    unordered: bool = True


def variants(p: Params) -> list[Variant]:
    """Every (scenario, API) pair to time, in the order rounds interleave them."""
    q1 = [(g, f.isoformat(), t.isoformat()) for g, f, t in p.q1]
    return [
        Variant("Q1", "graphql", "sitrep",
                [gql(SITREP_Q1, {"admin1": g, "from": f, "to": t, "first": 50}) for g, f, t in q1],
                graphql_edges("incidents")),
        Variant("Q1", "rest", "sitrep",
                [get("/api/v1/incidents", admin1=g, date_from=f, date_to=t, limit=50)
                 for g, f, t in q1], rest_items),
        Variant("Q1", "peer", "peer",
                [gql(PEER_Q1, {"admin1": g, "from": f, "to": t, "first": 50}) for g, f, t in q1],
                graphql_nodes("benchPeerIncidentsBetween")),
        Variant("Q1", "floor", "floor",
                [get("/q1", admin1=g, date_from=f, date_to=t, limit=50) for g, f, t in q1],
                floor_items),
        Variant("Q2", "graphql", "sitrep",
                [gql(SITREP_Q2, {"id": f"Incident:{i}"}) for i in p.q2], _q2_sitrep),
        Variant("Q2", "rest", "sitrep", [get(f"/api/v1/incidents/{i}") for i in p.q2], _q2_rest),
        Variant("Q2", "peer", "peer", [gql(PEER_Q2, {"id": i}) for i in p.q2], _q2_peer),
        Variant("Q2", "floor", "floor", [get(f"/q2/{i}") for i in p.q2], _q2_floor),
        Variant("Q3", "graphql", "sitrep", [gql(SITREP_Q3)], _q3_sitrep),
        Variant("Q3", "rest", "sitrep",
                [get("/api/v1/stats/incidents", group_by="month,admin1")], _q3_rest),
        Variant("Q3", "floor", "floor", [get("/q3")], _q3_rest),
        Variant("Q4", "graphql", "sitrep",
                [gql(SITREP_Q4, {"q": q, "first": 50}) for q in p.q4],
                graphql_edges("statements")),
        Variant("Q4", "rest", "sitrep",
                [get("/api/v1/statements", q=q, limit=50) for q in p.q4], rest_items),
        Variant("Q4", "floor", "floor", [get("/q4", q=q, limit=50) for q in p.q4], floor_items),
        Variant("Q5", "graphql", "sitrep",
                [gql(SITREP_Q5, {"admin1": g, "first": 500}) for g in p.q5],
                graphql_edges("incidents")),
        Variant("Q5", "rest", "sitrep",
                [get("/api/v1/incidents", admin1=g, limit=500) for g in p.q5], rest_items),
        Variant("Q5", "peer", "peer",
                [gql(PEER_Q5, {"admin1": g, "first": 500}) for g in p.q5],
                graphql_nodes("allIncidents")),
        Variant("Q5", "floor", "floor", [get("/q5", admin1=g, limit=500) for g in p.q5],
                floor_items),
    ]  # fmt: skip


#: Q6: the export URL and how many rows it should stream.
EXPORT_PATH = "/api/v1/incidents?format=ndjson"
EXPORT_HEADERS = (("Accept", "application/x-ndjson"),)
#: Each round exports twice: uncompressed (the figure the target is about, as curl
#: fetches it) and gzip (what httpx and requests ask for by default).
EXPORT_ENCODINGS = ("identity", "gzip")
