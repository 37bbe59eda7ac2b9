"""Pick the scenario parameters from the generated data.

Each scenario cycles through several parameter sets (governorates, date windows,
incident ids, search terms) so no server answers the same request over and over; the
same list is sent to every server. The choice is deterministic for a given dataset.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import asyncpg  # type: ignore[import-untyped]

from bench import vocab


@dataclass(frozen=True)
class Params:
    q1: list[tuple[str, dt.date, dt.date]]  # (admin1, date from, date to), >= 50 rows each
    q2: list[int]  # incident ids with several reports and statements
    q4: list[str]  # full-text search terms
    q5: list[str]  # governorates with the most incidents (500-row pages)
    export_rows: int  # incidents in the database (Q6 exports them all)


async def choose(dsn: str, sets: int = 20) -> Params:
    conn = await asyncpg.connect(dsn)
    try:
        govs = [
            r["admin1"]
            for r in await conn.fetch(
                "SELECT admin1, count(*) AS n FROM incident WHERE admin1 IS NOT NULL"
                " GROUP BY admin1 ORDER BY n DESC, admin1 LIMIT 8"
            )
        ]
        q1: list[tuple[str, dt.date, dt.date]] = []
        for gov in govs:
            for year in range(2015, 2024):
                start, end = dt.date(year, 1, 1), dt.date(year + 1, 12, 31)
                n = await conn.fetchval(
                    "SELECT count(*) FROM incident WHERE admin1 = $1 AND date BETWEEN $2 AND $3",
                    gov,
                    start,
                    end,
                )
                if n >= 50:
                    q1.append((gov, start, end))
        if not q1:  # tiny datasets: whole decade of the busiest governorates
            q1 = [(g, dt.date(2015, 1, 1), dt.date(2024, 12, 31)) for g in govs[:3]]
        # Spread the sets over governorates and years rather than taking the first ones.
        q1 = q1[:: max(1, len(q1) // sets)][:sets]
        q2 = [
            r["id"]
            for r in await conn.fetch(
                "SELECT i.id FROM incident i WHERE i.source_count >= 2 AND EXISTS"
                " (SELECT 1 FROM statement_incident s WHERE s.incident_id = i.id)"
                " ORDER BY md5(i.id::text) LIMIT $1",
                sets,
            )
        ]
        if not q2:
            q2 = [r["id"] for r in await conn.fetch("SELECT id FROM incident LIMIT $1", sets)]
        export_rows = int(await conn.fetchval("SELECT count(*) FROM incident"))
    finally:
        await conn.close()
    return Params(q1=q1, q2=q2, q4=list(vocab.SEARCH_TERMS), q5=govs[:4], export_rows=export_rows)
