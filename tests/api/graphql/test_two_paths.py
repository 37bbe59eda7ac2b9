"""Every read query of the suite gives the same response through the compiler and
through the resolvers; on PostgreSQL the compiler must actually answer them."""

from __future__ import annotations

import pytest
from gql_corpus import corpus, names
from gql_factory import Made
from gql_helpers import Api, plan_cache

from api.graphql.compiler.extension import PlanCache


@pytest.mark.parametrize("name", names())
async def test_same_response(
    read_api: Api, read_resolver_api: Api, read_made: Made, name: str
) -> None:
    query, variables = corpus(read_made)[name]
    cache: PlanCache = plan_cache(read_api.app)
    before = cache.compiled
    compiled = await read_api.query(query, variables)
    resolved = await read_resolver_api.query(query, variables)
    assert "errors" not in resolved, resolved
    assert compiled == resolved, _first_difference(compiled, resolved)
    # The response must not be trivially empty: each query selects data that exists.
    assert any(v for v in resolved["data"].values())
    if read_api.app.state.engine.dialect.name == "postgresql":
        assert cache.compiled == before + 1, f"{name} was not compiled"
    else:
        assert cache.compiled == before  # SQLite is served by the resolvers


def _first_difference(a: object, b: object, path: str = "") -> str:
    """Where two JSON values first differ (a readable assertion message)."""
    if isinstance(a, dict) and isinstance(b, dict):
        if list(a) != list(b):
            return f"{path}: keys {list(a)} != {list(b)}"
        for k in a:
            if a[k] != b[k]:
                return _first_difference(a[k], b[k], f"{path}.{k}")
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items != {len(b)}"
        for n, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return _first_difference(x, y, f"{path}[{n}]")
    return f"{path}: {a!r} != {b!r}"
