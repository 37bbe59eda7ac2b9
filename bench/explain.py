"""EXPLAIN (ANALYZE, BUFFERS) of the hot-path statements, for the results.

The statements are the raw-SQL floor's (bench/floor.py), which use the same tables,
filters and orderings as sitrep's query layer; the plans show whether PostgreSQL
answers them from indexes. Q3 aggregates every incident, so a sequential scan there is
the right plan, not a missing index.
"""

from __future__ import annotations

from typing import Any

import asyncpg  # type: ignore[import-untyped]

from bench import floor
from bench.params import Params


def _args(p: Params) -> dict[str, tuple[Any, ...]]:
    gov, d0, d1 = p.q1[0]
    iid = p.q2[0] if p.q2 else 1
    return {
        "Q1 page": (gov, d0, d1, 50),
        "Q1 actors": (list(range(iid, iid + 50)),),
        "Q2 incident": (iid,),
        "Q2 reports": (iid,),
        "Q2 statements": (iid,),
        "Q3 stats": (),
        "Q4 search": (p.q4[0], 50),
    }


async def hot_paths(dsn: str, p: Params) -> dict[str, str]:
    conn = await asyncpg.connect(dsn)
    out: dict[str, str] = {}
    try:
        for name, args in _args(p).items():
            rows = await conn.fetch(
                "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + floor.HOT_PATHS[name], *args
            )
            out[name] = "\n".join(r[0] for r in rows)
    finally:
        await conn.close()
    return out


def seq_scans(plans: dict[str, str]) -> list[str]:
    """Hot paths whose plan reads a whole table (Q3 is expected to)."""
    return [name for name, plan in plans.items() if "Seq Scan" in plan and name != "Q3 stats"]
