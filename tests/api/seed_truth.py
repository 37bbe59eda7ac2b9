"""What a database holds, read back with plain SQL: the reference the API tests compare
the REST and GraphQL answers with (the seed articles' extraction may change; the tests
check that the APIs serve whatever was stored, exactly and completely)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

Row = dict[str, Any]

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Truth:
    incidents: dict[int, Row]  # live incidents only
    incident_actors: list[Row]
    reports: dict[int, Row]
    documents: dict[int, Row]
    statements: dict[int, Row]
    statement_incidents: list[Row]
    persons: dict[int, Row]
    roles: dict[int, Row]
    actors: dict[int, Row]  # live actors only
    mentions: dict[int, Row]

    def actors_of(self, incident_id: int, role: str | None = None) -> list[int]:
        return sorted(
            r["actor_id"]
            for r in self.incident_actors
            if r["incident_id"] == incident_id and (role is None or r["role"] == role)
        )

    def reports_of(self, incident_id: int) -> list[int]:
        return sorted(i for i, r in self.reports.items() if r["incident_id"] == incident_id)

    def statements_of(self, incident_id: int) -> list[int]:
        return sorted(
            r["statement_id"] for r in self.statement_incidents if r["incident_id"] == incident_id
        )

    def incidents_of_document(self, document_id: int) -> list[int]:
        return sorted(
            {
                r["incident_id"]
                for r in self.reports.values()
                if r["document_id"] == document_id and r["incident_id"] in self.incidents
            }
        )

    def speakers(self) -> dict[int, int]:
        """Statement id -> speaking person id, for statements by a person."""
        return {
            i: s["speaker_person_id"]
            for i, s in self.statements.items()
            if s["speaker_person_id"] is not None
        }


async def _rows(conn: Any, sql: str) -> list[Row]:
    return [dict(r) for r in (await conn.execute(sa.text(sql))).mappings()]


def _by_id(rows: list[Row]) -> dict[int, Row]:
    return {int(r["id"]): r for r in rows}


async def load_truth(engine: AsyncEngine) -> Truth:
    async with engine.connect() as conn:
        incidents = await _rows(
            conn, "SELECT * FROM incident WHERE merged_into_id IS NULL AND deleted_at IS NULL"
        )
        return Truth(
            incidents=_by_id(incidents),
            incident_actors=await _rows(conn, "SELECT * FROM incident_actor"),
            reports=_by_id(await _rows(conn, "SELECT * FROM report")),
            documents=_by_id(await _rows(conn, "SELECT * FROM document")),
            statements=_by_id(await _rows(conn, "SELECT * FROM statement")),
            statement_incidents=await _rows(conn, "SELECT * FROM statement_incident"),
            persons=_by_id(
                await _rows(
                    conn,
                    "SELECT * FROM person WHERE merged_into_id IS NULL AND deleted_at IS NULL",
                )
            ),
            roles=_by_id(await _rows(conn, "SELECT * FROM role")),
            actors=_by_id(
                await _rows(
                    conn, "SELECT * FROM actor WHERE merged_into_id IS NULL AND deleted_at IS NULL"
                )
            ),
            mentions=_by_id(await _rows(conn, "SELECT * FROM mention")),
        )


def words(text: str) -> set[str]:
    """The words of a text, case-folded (quotes and punctuation dropped)."""
    return {w.casefold() for w in _WORD.findall(text)}


def iso(value: Any) -> str | None:
    """A date column's value as the APIs write it (SQLite returns text, asyncpg dates)."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)[:10]
