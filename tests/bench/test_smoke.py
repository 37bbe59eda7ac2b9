"""Smoke run of `python -m bench`: scale 0.01, one short round, a throwaway database.

Proves the harness works end to end: the generator really fills PostgreSQL, sitrep and
the raw-SQL floor really serve the scenarios, statements are counted through the proxy,
and latest.json has the shape scripts rely on. PostGraphile takes part only when it is
already installed in bench/.peer (the smoke run never downloads it).
"""

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]
import pytest

from bench import dataset

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
SCENARIO_KEYS = {"name", "api", "sitrep_rps", "peer_rps", "ratio", "p99_ms", "peer_p99_ms",
                 "sql_per_request"}  # fmt: skip


@pytest.fixture
def bench_url(pg_server_url: str) -> str:
    base = "postgresql://" + pg_server_url.partition("://")[2].rsplit("/", 1)[0]
    return f"{base}/sitrep_test_{os.getpid()}_bench_smoke"


async def _incidents_and_orphans(url: str, generated: int) -> tuple[int, int]:
    conn = await asyncpg.connect(url)
    try:
        # Q7 ingests documents too: count the generated rows (ids 1..generated)
        incidents = await conn.fetchval("SELECT count(*) FROM incident WHERE id <= $1", generated)
        orphans = await conn.fetchval(
            "SELECT count(*) FROM incident i WHERE NOT EXISTS"
            " (SELECT 1 FROM report r WHERE r.incident_id = i.id)"
        )
    finally:
        await conn.close()
    return incidents, orphans


@pytest.mark.timeout(120)
def test_smoke_run(bench_url: str, tmp_path: Path) -> None:
    argv = [sys.executable, "-m", "bench", "--smoke", "--skip-ingest", "--url", bench_url,
            "--out", str(tmp_path)]  # fmt: skip
    try:
        out = subprocess.run(
            argv, capture_output=True, text=True, cwd=REPO, timeout=110, check=False
        )
        assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
        # the database really holds the generated data
        incidents, orphans = asyncio.run(
            _incidents_and_orphans(bench_url, dataset.Counts.at(0.01).incidents)
        )
    finally:
        asyncio.run(dataset.drop_database(bench_url))
    assert incidents == dataset.Counts.at(0.01).incidents
    assert orphans == 0

    latest = json.loads((tmp_path / "latest.json").read_text())
    assert set(latest) == {"scale", "rounds", "scenarios", "ingest"}
    assert latest["scale"] == 0.01
    assert latest["rounds"] == 1
    assert set(latest["ingest"]) == {"extract_docs_per_s_one_core",
                                     "end_to_end_docs_per_s_2_workers"}  # fmt: skip
    for entry in latest["scenarios"]:
        assert set(entry) == SCENARIO_KEYS
        assert entry["api"] in {"graphql", "rest"}

    details = json.loads((tmp_path / "latest-details.json").read_text())
    by = {(s["name"], s["api"]): s for s in details["scenarios"]}
    # The floor is ours: it must work, and its statement counts are known exactly
    # (page + actors for Q1/Q5, incident + actors + reports + statements for Q2).
    expected_sql = {"Q1": 2, "Q2": 4, "Q3": 1, "Q4": 1, "Q5": 2}
    for name, n in expected_sql.items():
        floor = by[(name, "floor")]
        assert floor["error"] is None, floor["error"]
        assert floor["rps"] > 0
        assert floor["sql_per_request"] == n
    # sitrep's endpoints are someone else's and may still change: each either ran
    # or says why it was not timed.
    for api in ("graphql", "rest"):
        for name in expected_sql:
            s = by[(name, api)]
            assert (s["rps"] or 0) > 0 or s["error"], (name, api)
    assert "Q1 page" in details["explain"]
    # Q7 ran: both APIs were read while the worker was given documents
    assert set(details["mixed"]["apis"]) == {"graphql", "rest"}
    assert details["mixed"]["documents_queued"] > 0
    assert (tmp_path / "latest.md").read_text().startswith("# sitrep benchmark")
