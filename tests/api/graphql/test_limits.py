"""Abusive or unauthorised requests are refused on both paths, and errors never leak
internals (SQL, paths, stack traces)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest
import sqlalchemy as sa
from gql_helpers import Api, ReadEnv, resolvers_only, running
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.auth import create_key
from schema.db import make_engine
from schema.enums import Scope


def _code(body: dict[str, object]) -> list[object]:
    errors: list[dict[str, Any]] = body["errors"]  # type: ignore[assignment]
    return [e.get("extensions", {}).get("code") for e in errors]


@pytest.fixture(params=["compiled", "resolvers"])
def both(request: pytest.FixtureRequest, read_api: Api, read_resolver_api: Api) -> Api:
    return read_api if request.param == "compiled" else read_resolver_api


async def test_deep_nesting_is_refused(both: Api) -> None:
    inner = "name"
    for _ in range(8):
        inner = f"incidents(first: 1) {{ reports {{ document {{ incidents {{ perpetrators {{ {inner} }} }} }} }} }}"
    body = await both.query(f"{{ actors(first: 1) {{ nodes {{ {inner} }} }} }}")
    assert body.get("data") is None
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]


async def test_depth_limit_sees_through_fragments(both: Api) -> None:
    query = """{ incidents(first: 1) { nodes { ...A } } }
      fragment A on Incident { reports { document { incidents { ...B } } } }
      fragment B on Incident { reports { document { incidents { reports { document {
        incidents { place { name } } } } } } } }"""
    body = await both.query(query)
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]


async def test_a_thousand_aliases_are_refused(both: Api) -> None:
    fields = " ".join(f"a{n}: __typename" for n in range(1000))
    body = await both.query(f"{{ {fields} }}")
    assert body.get("data") is None
    # The token limit (2000) or the alias limit (30) stops it, whichever comes first.
    assert (
        "aliases" in body["errors"][0]["message"]
        or "more than 2000 tokens" in body["errors"][0]["message"]
    )
    few = " ".join(f"a{n}: __typename" for n in range(40))
    body = await both.query(f"{{ {few} }}")
    assert "40 aliases found. Allowed: 30" in body["errors"][0]["message"]


async def test_huge_page_is_refused(both: Api) -> None:
    body = await both.query("{ incidents(first: 100000) { nodes { databaseId } } }")
    assert body.get("data") is None
    assert _code(body) == ["LIMIT_EXCEEDED"]
    by_variable = "query($n: Int!) { incidents(first: $n) { nodes { databaseId } } }"
    body = await both.query(by_variable, {"n": 100000})
    assert body["data"] is None
    assert _code(body) == ["LIMIT_EXCEEDED"]  # the cost estimate uses the variable
    body = await both.query(by_variable, {"n": 501})
    assert body["data"] is None
    assert "first must be at most 500" in body["errors"][0]["message"]
    assert _code(body) == ["INVALID_INPUT"]


async def test_token_limit(both: Api) -> None:
    query = "{ incidents(first: 1) { nodes { " + "databaseId " * 2100 + "} } }"
    body = await both.query(query)
    assert "more than 2000 tokens" in body["errors"][0]["message"]


async def test_cost_limit(both: Api) -> None:
    query = """{ incidents(first: 500) { nodes { reports { document { statements {
        incidents { databaseId type date } } } } } } }"""
    body = await both.query(query)
    assert body["data"] is None
    assert "estimated cost" in body["errors"][0]["message"]
    assert _code(body) == ["LIMIT_EXCEEDED"]
    cheap = await both.query("{ incidents(first: 500) { nodes { databaseId } } }")
    assert "errors" not in cheap


async def test_bad_cursor_and_bad_id_are_typed(both: Api) -> None:
    body = await both.query('{ incidents(after: "not-a-cursor") { nodes { databaseId } } }')
    assert _code(body) == ["INVALID_INPUT"]
    assert body["errors"][0]["extensions"]["field"] == "after"
    body = await both.query('{ node(id: "nonsense") { id } }')
    assert _code(body) == ["INVALID_INPUT"]


@pytest.fixture
async def private(read_env: ReadEnv) -> AsyncIterator[tuple[Api, Api, str]]:
    """Apps where reads need a key and introspection is off, and a read key."""
    engine = make_engine(read_env.settings.database_url)
    key, _ = await create_key(engine, "reader", Scope.READ)
    await engine.dispose()
    closed = replace(read_env.settings, read_requires_key=True, introspection=False)
    async for compiled in running(closed):
        async for resolvers in running(resolvers_only(closed)):
            yield compiled, resolvers, key


async def test_reads_can_require_a_key(private: tuple[Api, Api, str]) -> None:
    *apps, key = private
    for app in apps:
        assert isinstance(app, Api)
        body = await app.query("{ incidents(first: 2) { nodes { databaseId } } }")
        assert body["data"] is None
        assert _code(body) == ["UNAUTHENTICATED"]
        ok = await app.data("{ incidents(first: 2) { nodes { databaseId } } }", key=key)
        assert len(ok["incidents"]["nodes"]) == 2
        bad = await app.query(
            "{ incidents(first: 2) { nodes { databaseId } } }", key="sitrep_wrong"
        )
        assert _code(bad) == ["UNAUTHENTICATED"]


async def test_introspection_can_be_switched_off(
    private: tuple[Api, Api, str], read_api: Api
) -> None:
    query = "{ __schema { types { name } } }"
    body = await private[0].query(query, key=private[2])
    assert "introspection" in body["errors"][0]["message"].lower()
    assert "errors" not in await read_api.query(query)


async def test_unexpected_errors_are_masked(read_env: ReadEnv) -> None:
    """Break the database under a running app: the client sees a generic message, no SQL,
    no table names, no file paths."""
    engine = make_engine(read_env.settings.database_url)
    async for app in running(resolvers_only(read_env.settings)):
        async with engine.begin() as conn:
            await conn.execute(sa.text("ALTER TABLE place RENAME TO place_gone"))
        try:
            response = await app.post("{ incidents(first: 3) { nodes { place { name } } } }")
        finally:
            async with engine.begin() as conn:
                await conn.execute(sa.text("ALTER TABLE place_gone RENAME TO place"))
        text = response.text
        assert response.status_code == 200
        assert "Unexpected error." in text
        for leak in ("SELECT", "place_gone", "sqlalchemy", "Traceback", ".py", "/work"):
            assert leak not in text, leak
    await engine.dispose()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    after=st.text(max_size=40),
    node_id=st.text(max_size=40),
    text=st.text(max_size=60),
    first=st.integers(min_value=-5, max_value=600),
)
async def test_untrusted_arguments_never_break_the_server(
    read_api: Api, after: str, node_id: str, text: str, first: int
) -> None:
    query = """query($after: String, $id: ID!, $text: String, $first: Int!) {
      incidents(first: $first, after: $after, filter: {text: $text, perpetrator: $text}) {
        nodes { databaseId }
      }
      statements(first: 3, filter: {text: $text, speaker: $text}) { nodes { databaseId } }
      node(id: $id) { id }
    }"""
    response = await read_api.post(
        query, {"after": after, "id": node_id, "text": text, "first": first}
    )
    assert response.status_code == 200
    body = response.json()
    for error in body.get("errors", []):
        assert error["extensions"]["code"] in {"INVALID_INPUT", "LIMIT_EXCEEDED"}, error
        assert error["message"] != "Unexpected error."


async def test_validation_is_cached_across_requests(read_api: Api) -> None:
    """The limit rules are built once, so a repeated query is validated once
    (rules made per request would miss the cache every time: strawberry #4635)."""
    from strawberry.extensions.validation_cache import _get_validate_cache

    from api.graphql.schema import CACHE_SIZE

    cache: Any = _get_validate_cache(CACHE_SIZE)  # an functools.lru_cache wrapper
    query = "{ incidents(first: 2) { nodes { databaseId killed { best } } } }"
    await read_api.data(query)
    before = cache.cache_info()
    for _ in range(3):
        await read_api.data(query)
    after = cache.cache_info()
    assert after.hits == before.hits + 3
    assert after.misses == before.misses
