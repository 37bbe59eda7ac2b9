"""Variables as bind parameters in compiled plans: one plan serves every value, and the
answers stay those of the resolvers, including for values that the resolvers reject and
for variables the query layer transforms (names matched case-insensitively)."""

from __future__ import annotations

from typing import Any

import pytest
from gql_factory import Made
from gql_helpers import Api, plan_cache

from api.graphql.compiler.extension import PlanCache

NODE = """query($id: ID!) { node(id: $id) { ... on Incident {
  databaseId date type place { name } perpetrators { name } reports { databaseId } } } }"""
PAGE = """query($admin1: String, $from: Date, $first: Int!) {
  incidents(first: $first, filter: {admin1: $admin1, dateFrom: $from}) {
    totalCount edges { node { databaseId admin1 date } } } }"""
BY_PERPETRATOR = """query($p: String) {
  incidents(first: 100, filter: {perpetrator: $p}) { nodes { databaseId } } }"""


def _pg(api: Api) -> bool:
    return bool(api.app.state.engine.dialect.name == "postgresql")


async def _same(api: Api, resolver_api: Api, query: str, variables: dict[str, Any]) -> Any:
    compiled = await api.query(query, variables)
    resolved = await resolver_api.query(query, variables)
    assert compiled == resolved
    return resolved


async def test_one_plan_serves_every_incident_id(
    read_api: Api, read_resolver_api: Api, read_made: Made
) -> None:
    cache: PlanCache = plan_cache(read_api.app)
    before = cache.builds
    for incident_id in read_made.incidents:
        body = await _same(read_api, read_resolver_api, NODE, {"id": f"Incident:{incident_id}"})
        assert body["data"]["node"]["databaseId"] == incident_id
    if _pg(read_api):
        assert cache.builds - before == 1  # not one build per id
    # An id of another type, or an unknown one, is not answered by the Incident plan.
    await _same(read_api, read_resolver_api, NODE, {"id": f"Place:{read_made.places[0]}"})
    body = await _same(read_api, read_resolver_api, NODE, {"id": "Incident:999999"})
    assert body["data"]["node"] is None
    await _same(read_api, read_resolver_api, NODE, {"id": "not an id"})


async def test_filter_values_and_page_sizes_are_parameters(
    read_api: Api, read_resolver_api: Api
) -> None:
    cache: PlanCache = plan_cache(read_api.app)
    before = cache.builds
    totals = set()
    for admin1 in ("Nineveh", "Kirkuk", "Erbil", "Diyala", "Nowhere"):
        for day, first in (("2000-01-01", 5), ("2024-01-01", 20), ("2022-06-30", 50)):
            variables = {"admin1": admin1, "from": day, "first": first}
            body = await _same(read_api, read_resolver_api, PAGE, variables)
            edges = body["data"]["incidents"]["edges"]
            assert len(edges) <= first
            assert all(e["node"]["admin1"] == admin1 for e in edges)
            totals.add(body["data"]["incidents"]["totalCount"])
    assert len(totals) > 3  # the values really changed the answers
    if _pg(read_api):
        assert cache.builds - before == 1
    # Values the resolvers reject get the resolvers' errors, not a plan's rows.
    rejected: list[dict[str, Any]] = [
        {"admin1": "x" * 501, "from": None, "first": 5},
        {"admin1": "Kirkuk", "from": None, "first": 100000},
        {"admin1": "Kirkuk", "from": None, "first": -1},
    ]
    for variables in rejected:
        body = await _same(read_api, read_resolver_api, PAGE, variables)
        assert body["errors"]
        assert body["data"] is None


@pytest.mark.parametrize("names", [("Islamic State", "isis", "DAESH", "Daesh", "KH", "kh")])
async def test_transformed_variables_stay_in_the_key(
    read_api: Api, read_resolver_api: Api, names: tuple[str, ...]
) -> None:
    """`perpetrator` is matched lower-cased against names and aliases: binding the raw
    value would be wrong, so each value gets its own plan, and the answers stay right."""
    results = {}
    for name in names:
        body = await _same(read_api, read_resolver_api, BY_PERPETRATOR, {"p": name})
        results[name.lower()] = [n["databaseId"] for n in body["data"]["incidents"]["nodes"]]
    assert results["isis"] == results["islamic state"] == results["daesh"]
    assert results["isis"]
    assert results["kh"] != results["isis"]
