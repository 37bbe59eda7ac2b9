"""The COPY-based NDJSON export: CSV quoting undone across chunk boundaries, lines kept
whole, backpressure and early stops leaving the connection usable."""

from __future__ import annotations

import asyncio
import itertools

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncEngine

from api.query import exports, prepared

PG = [pytest.param("postgres", marks=pytest.mark.postgres)]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


def _csv_field(line: bytes) -> bytes:
    """How COPY's CSV output (quote 0x01) writes a one-column row."""
    if b"\n" in line or b"\r" in line:
        return exports.QUOTE + line + exports.QUOTE + b"\n"
    return line + b"\n"


@given(
    docs=st.lists(json_values, max_size=6),
    pretty=st.lists(st.booleans(), max_size=6),
    cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=8),
)
@settings(max_examples=200, deadline=None)
def test_unquote_gives_one_line_per_row_wherever_chunks_are_cut(
    docs: list[object], pretty: list[bool], cuts: list[int]
) -> None:
    lines = []
    for k, doc in enumerate(docs):
        # A stored JSON value may be written with line breaks between tokens.
        indent = k < len(pretty) and pretty[k]
        lines.append(orjson.dumps(doc, option=orjson.OPT_INDENT_2 if indent else 0))
    stream = b"".join(_csv_field(line) for line in lines)
    bounds = sorted({0, len(stream), *(c for c in cuts if c < len(stream))})
    unquote = exports.Unquote()
    out = b"".join(unquote(stream[a:b]) for a, b in itertools.pairwise(bounds))
    got = out.split(b"\n")
    assert got[-1] == b""
    assert [orjson.loads(x) for x in got[:-1]] == docs


@pytest.mark.parametrize("db_url", PG, indirect=True)
async def test_copy_lines_streams_database_built_lines(engine: AsyncEngine) -> None:
    sql = (
        "SELECT json_build_object('n', g, 'text', 'line ' || g || E'\\n\"quoted\"')::text"
        " FROM generate_series(1, $1) AS g ORDER BY g"
    )
    async with engine.connect() as conn:
        driver = await prepared.driver(conn)
        chunks = [c async for c in exports.copy_lines(driver, sql, [5000])]
        assert all(isinstance(c, bytes) for c in chunks)
        rows = [orjson.loads(x) for x in b"".join(chunks).splitlines()]
        assert [r["n"] for r in rows] == list(range(1, 5001))
        assert rows[0]["text"] == 'line 1\n"quoted"'
        # A stored JSON value with a line break between tokens stays on one line.
        pretty = "SELECT $1::json::text"
        chunks = [c async for c in exports.copy_lines(driver, pretty, ['{\n"a":\r\n[1,\n2]}'])]
        assert b"".join(chunks) == b'{ "a":  [1, 2]}\n'


@pytest.mark.parametrize("db_url", PG, indirect=True)
async def test_a_consumer_that_stops_early_cancels_the_copy(engine: AsyncEngine) -> None:
    sql = "SELECT repeat('x', 1000) FROM generate_series(1, $1)"
    async with engine.connect() as conn:
        driver = await prepared.driver(conn)
        stream = exports.copy_lines(driver, sql, [10_000_000])  # ~10 GB if it all ran
        first = await anext(stream)
        assert first.startswith(b"x")
        await asyncio.wait_for(stream.aclose(), 10)
        # The connection is idle again and usable.
        assert await driver.fetchval("SELECT 41 + 1") == 42
        assert not driver.is_in_transaction()


@pytest.mark.parametrize("db_url", PG, indirect=True)
async def test_a_failing_statement_raises_to_the_consumer(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        driver = await prepared.driver(conn)
        with pytest.raises(Exception, match="division by zero"):
            async for _ in exports.copy_lines(driver, "SELECT (1 / ($1 - 1))::text", [1]):
                pass
        assert await driver.fetchval("SELECT 1") == 1
