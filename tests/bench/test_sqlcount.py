"""The SQL-count proxy counts what a real driver sends, through a real PostgreSQL."""

import asyncpg  # type: ignore[import-untyped]
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench.ingest_figures import from_text, last_json
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
    prose = (
        "2000 documents, 700 words each\n412.5 documents/s, 288,750 words/s on one core (4.85 s)\n"
    )
    assert from_text(prose) == {"extract_docs_per_s_one_core": 412.5}
    assert from_text("nothing measured") is None


def test_dsn_port_rewrite() -> None:
    dsn = "postgresql://postgres@127.0.0.1:5432/sitrep_bench"
    assert _port_of(dsn) == 5432
    assert _with_port(dsn, 6000) == "postgresql://postgres@127.0.0.1:6000/sitrep_bench"
    assert _port_of("postgresql://u:p@localhost/db") == 5432


async def test_captured_parameters_are_replayed_in_explain(pg_server_url: str) -> None:
    import datetime as dt

    from bench.explain import captured, literal

    dsn = _dsn(pg_server_url)
    sql = (
        "SELECT $1::int4 + 1 AS a, $2::text AS b, $3::date AS c, $4::timestamptz AS d,"
        " $5::int4[] AS e, $6::bool AS f, $7::float8 AS g, $8::int8 AS h"
    )
    args = (41, "it's", dt.date(2024, 2, 29), dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
            [1, 2, 3], True, 2.5, None)  # fmt: skip
    with SqlCountProxy("127.0.0.1", _port_of(dsn)) as proxy:
        conn = await asyncpg.connect(_with_port(dsn, proxy.port))
        try:
            proxy.reset()
            await conn.fetchrow(sql, *args)
        finally:
            await conn.close()
        tally = proxy.reset()
    params = tally.samples[sql]
    types = ["int4", "text", "date", "timestamptz", "_int4", "bool", "float8", "int8"]
    lits = [literal(t, f, raw) for t, (f, raw) in zip(types, params, strict=True)]
    assert lits == ["'41'", "'it''s'", "'2024-02-29'", "'2024-01-02T03:04:05+00'",
                    "'{\"1\",\"2\",\"3\"}'", "'true'", "'2.5'", "NULL"]  # fmt: skip
    plans = await captured(dsn, {"probe": (sql, params)})
    assert plans["probe"].startswith("Result")
    assert "Execution Time" in plans["probe"]


def test_seq_scans_flags_only_big_tables() -> None:
    from bench.explain import seq_scans

    plans = {
        "Q1 page": "Seq Scan on incident i  (actual time=0.1..9 rows=100000 loops=1)",
        "Q1 actors": "Seq Scan on actor a  (actual time=0.1..0.2 rows=2000 loops=1)",
        "Q3 stats": "Seq Scan on incident  (actual time=0.1..9 rows=100000 loops=1)",
        "Q2": "Index Scan using pk_incident on incident  (actual time=0.1..0.1 rows=1 loops=1)",
    }
    assert seq_scans(plans) == ["Q1 page (incident)"]


def test_profile_summary_ranks_own_and_total_time() -> None:
    from bench.profile import summarise

    raw = (
        "main (x/site-packages/uvicorn/main.py:1);handle (/work/api/rest/a.py:3);"
        "dumps (x/site-packages/orjson/__init__.py:9) 30\n"
        "main (x/site-packages/uvicorn/main.py:1);handle (/work/api/rest/a.py:3) 10\n"
    )
    text = summarise(raw)
    assert text.startswith("40 samples")
    own = text.split("own time:")[1].split("total time")[0]
    assert own.index("dumps") < own.index("handle")  # 75% before 25%
    assert "100.0%  main" in text
    assert " orjson" in text.split("by package:")[1]
    assert summarise("") == "no samples (is ptrace allowed?)"
