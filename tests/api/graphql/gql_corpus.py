"""The queries of the GraphQL test suite that read data, by name: each filter, nested
fields, fragments, aliases, `node(id:)`. `test_two_paths` runs every one of them through
the compiler and through the resolvers and requires identical responses."""

from __future__ import annotations

from typing import Any

from gql_factory import Made

PLACE = (
    "id databaseId geonamesId name admin1 admin2 countryCode country lat lon featureCode population"
)
ACTOR = "id databaseId registryKey name kind country createdAt updatedAt aliases"
INCIDENT = (
    "id databaseId date datePrecision type placeName placePrecision admin1 country lat lon"
    " killed { low best high } wounded { low best high } sourceCount salience reviewStatus"
    " curatedFields createdAt updatedAt"
)
STATEMENT = "id databaseId kind text date channel spanStart spanEnd createdAt"
DOCUMENT = "id databaseId url outlet title published publishedPrecision language text ingestedAt"
PAGE = "totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }"

INCIDENT_DEEP = f"""
  {INCIDENT}
  __typename
  place {{ {PLACE} }}
  perpetrators {{ {ACTOR} parent {{ name }} }}
  targets {{ name kind }}
  attributions {{ role basis actor {{ name }} }}
  reports {{
    id databaseId date datePrecision type killed wounded salience spanStart spanEnd evidence
    document {{ id title outlet }} incident {{ databaseId }} place {{ name }}
  }}
  statements {{ {STATEMENT} speaker {{ name }} organisation {{ name }} speakerRole {{ title }} }}
"""


def incidents(filter_: str) -> str:
    """A page of incidents matching a literal filter."""
    return f"""{{
      incidents(filter: {filter_}, first: 100) {{
        {PAGE} edges {{ cursor node {{ databaseId type date killed {{ best }} }} }}
      }}
    }}"""


def names() -> list[str]:
    """The corpus's query names (for parametrising tests before any data exists)."""
    dummy = Made(*([list(range(1, 11))] * 9))
    return sorted(corpus(dummy))


def corpus(made: Made) -> dict[str, tuple[str, dict[str, Any] | None]]:
    a, p, i, d = made.actors, made.people, made.incidents, made.documents
    q: dict[str, tuple[str, dict[str, Any] | None]] = {
        "incidents_deep": (
            f"{{ incidents(first: 50) {{ {PAGE} __typename edges {{ __typename cursor node {{ {INCIDENT_DEEP} }} }} }} }}",
            None,
        ),
        "incidents_id_order_nodes": (
            f"{{ incidents(orderBy: ID_ASC, first: 10) {{ {PAGE} nodes {{ databaseId id }} }} }}",
            None,
        ),
        "incidents_first_zero": (
            f"{{ incidents(first: 0) {{ {PAGE} edges {{ cursor }} }} }}",
            None,
        ),
        "incidents_after_variable": (
            f"query($c: String) {{ incidents(first: 5, after: $c) {{ {PAGE} edges {{ cursor node {{ databaseId }} }} }} }}",
            {"c": "2023-06-01:5"},
        ),
        "incidents_after_undated": (
            f'{{ incidents(first: 5, after: ":{i[-1]}") {{ {PAGE} edges {{ cursor }} }} }}',
            None,
        ),
        "incidents_after_id_order": (
            f'{{ incidents(orderBy: ID_ASC, first: 4, after: "{i[3]}") {{ {PAGE} nodes {{ databaseId }} }} }}',
            None,
        ),
        "filter_dates": (incidents('{dateFrom: "2023-03-01", dateTo: "2023-09-30"}'), None),
        "filter_country": (incidents('{country: "Syria"}'), None),
        "filter_admin1": (incidents('{admin1: "Nineveh"}'), None),
        "filter_place": (incidents(f'{{place: "Place:{made.places[1]}"}}'), None),
        "filter_near": (incidents("{near: {lat: 36.34, lon: 43.12, radiusKm: 25}}"), None),
        "filter_types": (incidents("{types: [BOMBING, AIR_STRIKE, SHELLING]}"), None),
        "filter_perpetrator_alias": (incidents('{perpetrator: "daesh"}'), None),
        "filter_target_id": (incidents(f'{{target: "Actor:{a[3]}"}}'), None),
        "filter_actor_digits": (incidents(f'{{actor: "{a[1]}"}}'), None),
        "filter_min_killed": (incidents("{minKilled: 20}"), None),
        "filter_min_sources": (incidents("{minSources: 3}"), None),
        "filter_text": (incidents('{text: "checkpoint"}'), None),
        "filter_review_status": (incidents("{reviewStatus: [REVIEWED, DISPUTED]}"), None),
        "filter_updated_since": (incidents('{updatedSince: "2000-01-01T00:00:00Z"}'), None),
        "filter_variables": (
            f"query($f: IncidentFilter) {{ incidents(filter: $f, first: 100) {{ {PAGE} nodes {{ databaseId }} }} }}",
            {"f": {"types": ["ARMED_ASSAULT", "BOMBING"], "minKilled": 1, "country": "Iraq"}},
        ),
        "statements_deep": (
            f"""{{ statements(first: 100) {{ {PAGE} edges {{ cursor node {{ {STATEMENT}
                speaker {{ name aliases roles {{ title }} }} organisation {{ name }}
                speakerRole {{ title startDate endDate source organisation {{ name }} person {{ name }} }}
                document {{ title }} incidents {{ databaseId type }} }} }} }} }}""",
            None,
        ),
        "statements_speaker": (
            f'{{ statements(filter: {{speaker: "Yehia Rasool"}}, first: 50) {{ {PAGE} nodes {{ databaseId }} }} }}',
            None,
        ),
        "statements_organisation": (
            f'{{ statements(filter: {{organisation: "Iraqi Army"}}, first: 50) {{ {PAGE} nodes {{ databaseId }} }} }}',
            None,
        ),
        "statements_incident": (
            f'{{ statements(filter: {{incident: "Incident:{i[0]}"}}, first: 50) {{ {PAGE} nodes {{ databaseId }} }} }}',
            None,
        ),
        "statements_dates_kind_channel": (
            f'{{ statements(filter: {{dateFrom: "2023-02-10", dateTo: "2023-04-01", kind: DIRECT}}, first: 50) {{ {PAGE} nodes {{ databaseId }} }}'
            f" ch: statements(filter: {{channel: PRESS_CONFERENCE}}, orderBy: ID_ASC) {{ nodes {{ databaseId channel }} }} }}",
            None,
        ),
        "statements_text": (
            f'{{ statements(filter: {{text: "market"}}, first: 50) {{ {PAGE} nodes {{ databaseId text }} }} }}',
            None,
        ),
        "actors_deep": (
            f"""{{ actors(first: 50) {{ {PAGE} nodes {{ {ACTOR} parent {{ name }}
                officials {{ name }} incidents(first: 3) {{ databaseId }} }} }} }}""",
            None,
        ),
        "actors_filters": (
            f'{{ a: actors(filter: {{name: "isis"}}) {{ nodes {{ name }} }}'
            f" b: actors(filter: {{kind: MILITIA}}) {{ {PAGE} nodes {{ name }} }}"
            f' c: actors(filter: {{country: "iraq"}}) {{ nodes {{ name }} }}'
            f' d: actors(filter: {{parent: "Actor:{a[1]}"}}) {{ nodes {{ name }} }} }}',
            None,
        ),
        "officials_deep": (
            """{ officials(first: 20) { totalCount nodes { id databaseId registryKey name aliases createdAt
                roles { title startDate endDate source organisation { name } person { name } }
                roleOn(date: "2021-01-01") { title }
                statements(first: 2) { databaseId text } } } }""",
            None,
        ),
        "officials_filters": (
            '{ a: officials(filter: {organisation: "Iraqi Army"}) { nodes { name } }'
            ' b: officials(filter: {title: "prime minister", on: "2021-06-01"}) { nodes { name } }'
            ' c: officials(filter: {name: "kadhimi"}) { nodes { name } } }',
            None,
        ),
        "documents_deep": (
            f"""{{ documents(first: 50) {{ {PAGE} nodes {{ {DOCUMENT}
                incidents {{ databaseId date }} statements {{ databaseId }}
                mentions {{ entityType spanStart spanEnd text actor {{ name }} official {{ name }} place {{ name }} }} }} }} }}""",
            None,
        ),
        "documents_filters": (
            '{ a: documents(filter: {outlet: "rudaw"}) { nodes { databaseId } }'
            ' b: documents(filter: {publishedFrom: "2023-01-10", publishedTo: "2023-02-20"}) { nodes { databaseId } }'
            ' c: documents(filter: {text: "pipeline"}) { totalCount nodes { databaseId } }'
            ' d: documents(filter: {url: "https://news.example/2"}) { nodes { databaseId } } }',
            None,
        ),
        "places": (
            f"{{ a: places {{ {PAGE} nodes {{ {PLACE} }} }}"
            ' b: places(filter: {admin1: "Nineveh"}) { nodes { name } }'
            " c: places(filter: {near: {lat: 35.4, lon: 44.4, radiusKm: 50}}) { nodes { name } }"
            ' d: places(filter: {country: "SY"}) { nodes { name } }'
            ' e: places(filter: {name: "kirk"}) { nodes { name } } }',
            None,
        ),
        "node_each_type": (
            f"""{{
              i: node(id: "Incident:{i[0]}") {{ id __typename ... on Incident {{ type place {{ name }} }} }}
              a: node(id: "Actor:{a[0]}") {{ ... on Actor {{ name aliases }} }}
              o: node(id: "Official:{p[0]}") {{ ... on Official {{ name roles {{ title }} }} }}
              s: node(id: "Statement:{made.statements[0]}") {{ ... on Statement {{ text }} }}
              d: node(id: "Document:{d[0]}") {{ ... on Document {{ title }} }}
              r: node(id: "Report:{made.reports[0]}") {{ ... on Report {{ evidence document {{ title }} }} }}
              p: node(id: "Place:{made.places[0]}") {{ ... on Place {{ name }} }}
              j: node(id: "Job:{made.jobs[0]}") {{ ... on Job {{ kind state attempts maxAttempts lastError createdAt startedAt finishedAt document {{ title }} }} }}
              missing: node(id: "Incident:999999") {{ id }}
            }}""",
            None,
        ),
        "fragments_and_aliases": (
            """query Named($n: Int = 4) {
              __typename
              recent: incidents(first: $n) { ...Page }
              oldest: incidents(first: 2, orderBy: ID_ASC) { nodes { ...Inc ...N } }
            }
            fragment Page on IncidentConnection { totalCount edges { node { ...Inc } } }
            fragment Inc on Incident { databaseId when: date kind: type place { where: name } }
            fragment N on Node { id }""",
            {"n": 3},
        ),
    }
    return q
