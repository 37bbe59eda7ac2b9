"""The SQL-count proxy counts what a real driver sends, through a real PostgreSQL."""

import asyncpg  # type: ignore[import-untyped]
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench.ingest_figures import last_json
from bench.runner import _port_of, _with_port
from bench.sqlcount import SqlCountProxy, classify

pytestmark = pytest.mark.postgres


def _dsn(pg_server_url: str) -> str:
    return "postgresql://" + pg_server_url.partition("://")[2]


async def test_counts_extended_and_simple_queries(pg_server_url: str) -> None:
    dsn = _dsn(pg_server_url)
    with SqlCountProxy("127.0.0.1", _port_of(dsn)) as proxy:
        conn = await asyncpg.connect(_with_port(dsn, proxy.port))
        try:
            proxy.reset()
            for i in range(7):
                assert await conn.fetchval("SELECT $1::int + 1", i) == i + 1
            async with conn.transaction():
                await conn.execute("SELECT 2")
            await conn.execute("SET application_name = 'bench'")
        finally:
            await conn.close()
        tally = proxy.reset()
    assert tally.data == 8
    assert tally.texts["SELECT $1::int + 1"] == 7
    assert tally.control == 3  # BEGIN, COMMIT, SET


def test_classify() -> None:
    assert classify("select * from incident") == "data"
    assert classify("  WITH x AS (SELECT 1) SELECT * FROM x") == "data"
    assert classify("BEGIN ISOLATION LEVEL READ COMMITTED") == "control"
    assert classify(";") == "control"
    assert classify("SELECT pg_advisory_unlock_all(); CLOSE ALL; RESET ALL;") == "control"


@given(st.text())
def test_classify_takes_any_text(sql: str) -> None:
    assert classify(sql) in {"data", "control"}


def test_last_json_line() -> None:
    out = 'progress...\n{"extract_docs_per_s_one_core": 412.5}\n'
    assert last_json(out) == {"extract_docs_per_s_one_core": 412.5}
    assert last_json("no json here\n{broken") is None


def test_dsn_port_rewrite() -> None:
    dsn = "postgresql://postgres@127.0.0.1:5432/sitrep_bench"
    assert _port_of(dsn) == 5432
    assert _with_port(dsn, 6000) == "postgresql://postgres@127.0.0.1:6000/sitrep_bench"
    assert _port_of("postgresql://u:p@localhost/db") == 5432
