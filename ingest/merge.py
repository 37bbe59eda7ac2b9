"""Cross-source incident merging: one real-world attack, one incident, many reports.

A new report attaches to a known incident when all of these hold:

- dates within one day of each other (both known);
- the same place, or the same district (admin2) of two known places, or the same
  governorate (admin1) when either place is unknown;
- compatible types: equal, or in one family (armed_assault ~ ambush ~ clash ~
  facility_attack; bombing ~ suicide_bombing);
- no conflicting perpetrators: when both name perpetrators, they share at least one;
- the incident has no report from the same document yet (an article that describes two
  attacks describes two incidents).

The best candidate wins: same place over same district over same governorate, then same
day, then same type, then the oldest incident. Other candidates that also match the
winner directly are duplicates bridged by this report and are absorbed into it.

Figures over an incident's reports: low = the smallest, high = the largest reported
figure; best = the figure of the most specific, most recent report: reports ranked by
(day-precise date, resolved place, document publication date, report id), highest
first, and the first one that gives a figure. Tolls rise as bodies are counted and
officials update them, so the latest specific account is the best single figure.
`source_count` = distinct documents among the reports.

Merges are reversible: the absorbed incident keeps its row with `merged_into_id` and a
`merged` change (a tombstone), and the moved rows are listed in an `audit_log` entry
that `unmerge` replays backwards. Fields named in `incident.curated_fields` are never
overwritten here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from ingest.changes import ChangeLog
from ingest.errors import IngestError
from schema.enums import ActorRole, EntityType
from schema.models import (
    AuditLog,
    Document,
    Incident,
    IncidentActor,
    Place,
    Report,
    StatementIncident,
)

INCIDENT: sa.Table = Incident.__table__  # type: ignore[attr-defined]
REPORT: sa.Table = Report.__table__  # type: ignore[attr-defined]
INCIDENT_ACTOR: sa.Table = IncidentActor.__table__  # type: ignore[attr-defined]
STATEMENT_INCIDENT: sa.Table = StatementIncident.__table__  # type: ignore[attr-defined]
DOCUMENT: sa.Table = Document.__table__  # type: ignore[attr-defined]
PLACE: sa.Table = Place.__table__  # type: ignore[attr-defined]
AUDIT: sa.Table = AuditLog.__table__  # type: ignore[attr-defined]

FAMILIES: tuple[frozenset[str], ...] = (
    frozenset({"armed_assault", "ambush", "clash", "facility_attack"}),
    frozenset({"bombing", "suicide_bombing"}),
)
MERGE_ACTION = "incident.merge"


class MergeError(IngestError):
    """A merge or unmerge that cannot be done (unknown incident, not merged...)."""


def compatible_types(a: str, b: str) -> bool:
    return a == b or any(a in family and b in family for family in FAMILIES)


@dataclass(frozen=True)
class Candidate:
    """What is known about a new report, for matching against incidents."""

    date: dt.date | None
    type: str
    place_id: int | None
    admin1: str | None
    perpetrator_ids: frozenset[int] = frozenset()
    document_id: int | None = None
    admin2: str | None = None  # district of the place, when the place is known


@dataclass
class _Known:
    id: int
    date: dt.date
    type: str
    place_id: int | None
    admin1: str | None
    admin2: str | None
    perpetrator_ids: set[int] = field(default_factory=set)


def _location_rank(new: Candidate, new_admin2: str | None, old: _Known) -> int | None:
    """3 same place, 2 same district, 1 same governorate with a place unknown; None: no."""
    if new.place_id is not None and new.place_id == old.place_id:
        return 3
    if new.place_id is not None and old.place_id is not None:
        if new_admin2 and new_admin2 == old.admin2:
            return 2
        return None
    if new.admin1 and old.admin1 and new.admin1.lower() == old.admin1.lower():
        return 1
    return None


def _matches(new: Candidate, new_admin2: str | None, old: _Known) -> tuple[int, ...] | None:
    """A sort key (higher is better) when `old` can absorb `new`, else None."""
    if new.date is None or abs((new.date - old.date).days) > 1:
        return None
    if not compatible_types(new.type, old.type):
        return None
    if (
        new.perpetrator_ids
        and old.perpetrator_ids
        and not (new.perpetrator_ids & old.perpetrator_ids)
    ):
        return None
    loc = _location_rank(new, new_admin2, old)
    if loc is None:
        return None
    return (loc, int(new.date == old.date), int(new.type == old.type), -old.id)


async def _nearby(conn: AsyncConnection, new: Candidate) -> list[_Known]:
    """Live incidents within a day of `new`, with their perpetrators (one query)."""
    assert new.date is not None
    one = dt.timedelta(days=1)
    same_doc = sa.select(REPORT.c.incident_id).where(REPORT.c.document_id == new.document_id)
    perpetrator = sa.and_(
        INCIDENT_ACTOR.c.incident_id == INCIDENT.c.id,
        INCIDENT_ACTOR.c.role == ActorRole.PERPETRATOR,
    )
    rows = await conn.execute(
        sa.select(
            INCIDENT.c.id,
            INCIDENT.c.date,
            INCIDENT.c.type,
            INCIDENT.c.place_id,
            INCIDENT.c.admin1,
            PLACE.c.admin2,
            INCIDENT_ACTOR.c.actor_id,
        )
        .select_from(
            INCIDENT.outerjoin(PLACE, PLACE.c.id == INCIDENT.c.place_id).outerjoin(
                INCIDENT_ACTOR, perpetrator
            )
        )
        .where(
            INCIDENT.c.date.between(new.date - one, new.date + one),
            INCIDENT.c.merged_into_id.is_(None),
            INCIDENT.c.deleted_at.is_(None),
            INCIDENT.c.id.not_in(same_doc),
        )
        .order_by(INCIDENT.c.id)
    )
    known: dict[int, _Known] = {}
    for r in rows:
        k = known.get(r.id)
        if k is None:
            k = known[r.id] = _Known(r.id, r.date, str(r.type), r.place_id, r.admin1, r.admin2)
        if r.actor_id is not None:
            k.perpetrator_ids.add(int(r.actor_id))
    return list(known.values())


async def find_match(conn: AsyncConnection, new: Candidate) -> tuple[int | None, list[int]]:
    """(incident to attach to or None, other incidents that duplicate it)."""
    if new.date is None:
        return None, []
    admin2 = new.admin2
    known = await _nearby(conn, new)
    scored = sorted(
        ((key, k) for k in known if (key := _matches(new, admin2, k)) is not None),
        key=lambda pair: pair[0],
        reverse=True,
    )
    if not scored:
        return None, []
    best = scored[0][1]
    as_new = Candidate(
        best.date, best.type, best.place_id, best.admin1, frozenset(best.perpetrator_ids)
    )
    dups = [k.id for _, k in scored[1:] if _matches(as_new, best.admin2, k) is not None]
    return best.id, dups


async def match_prior(conn: AsyncConnection, new: Candidate, prior: list[int]) -> int | None:
    """When a document is reprocessed: the first of the incidents it reported before that
    the new account still describes (compatible type, same or adjacent day or both
    undated, same place or both unplaced in one governorate), so incidents keep their
    identity, and their curated fields, across re-extraction."""
    if not prior:
        return None
    rows = {
        r.id: r
        for r in await conn.execute(
            sa.select(
                INCIDENT.c.id,
                INCIDENT.c.date,
                INCIDENT.c.type,
                INCIDENT.c.place_id,
                INCIDENT.c.admin1,
            ).where(
                INCIDENT.c.id.in_(prior),
                INCIDENT.c.merged_into_id.is_(None),
                INCIDENT.c.deleted_at.is_(None),
            )
        )
    }
    for incident_id in prior:
        r = rows.get(incident_id)
        if r is None or not compatible_types(new.type, str(r.type)):
            continue
        if (r.date is None) != (new.date is None):
            continue
        if r.date is not None and new.date is not None and abs((r.date - new.date).days) > 1:
            continue
        if r.place_id != new.place_id:
            continue
        if r.place_id is None and (r.admin1 or "").lower() != (new.admin1 or "").lower():
            continue
        return int(incident_id)
    return None


def _curated(curated: list[str], column: str) -> bool:
    # A curator may name a column ("killed_best") or a whole figure ("killed").
    return column in curated or column.rsplit("_", 1)[0] in curated


def _figures(reports: list[Any], name: str) -> tuple[int | None, int | None, int | None]:
    values = [getattr(r, name) for r in reports if getattr(r, name) is not None]
    if not values:
        return None, None, None
    ranked = sorted(
        reports,
        key=lambda r: (
            r.date_precision == "day",
            r.place_id is not None,
            r.published or dt.date.min,
            r.id,
        ),
        reverse=True,
    )
    best = next(getattr(r, name) for r in ranked if getattr(r, name) is not None)
    return min(values), best, max(values)


async def recompute(conn: AsyncConnection, incident_id: int, changes: ChangeLog) -> None:
    """Re-derives an incident's figures and source count from its reports."""
    row = (await conn.execute(sa.select(INCIDENT).where(INCIDENT.c.id == incident_id))).first()
    if row is None:
        raise MergeError(f"incident {incident_id} does not exist")
    reports = list(
        await conn.execute(
            sa.select(
                REPORT.c.id,
                REPORT.c.document_id,
                REPORT.c.killed,
                REPORT.c.wounded,
                REPORT.c.date_precision,
                REPORT.c.place_id,
                DOCUMENT.c.published,
            )
            .join(DOCUMENT, DOCUMENT.c.id == REPORT.c.document_id)
            .where(REPORT.c.incident_id == incident_id)
        )
    )
    k_low, k_best, k_high = _figures(reports, "killed")
    w_low, w_best, w_high = _figures(reports, "wounded")
    derived: dict[str, Any] = {
        "killed_low": k_low,
        "killed_best": k_best,
        "killed_high": k_high,
        "wounded_low": w_low,
        "wounded_best": w_best,
        "wounded_high": w_high,
        "source_count": len({r.document_id for r in reports}),
    }
    curated = list(row.curated_fields or [])
    values = {k: v for k, v in derived.items() if not _curated(curated, k) and getattr(row, k) != v}
    # A curator who fixed one figure of a triple keeps it; the others must still bracket
    # it, or the CHECK constraint (low <= best <= high) would refuse the row.
    for f in ("killed", "wounded"):
        low = values.get(f"{f}_low", getattr(row, f"{f}_low"))
        best = values.get(f"{f}_best", getattr(row, f"{f}_best"))
        high = values.get(f"{f}_high", getattr(row, f"{f}_high"))
        if best is not None and low is not None and low > best:
            values[f"{f}_low"] = best
        if best is not None and high is not None and high < best:
            values[f"{f}_high"] = best
    if values:
        await conn.execute(sa.update(INCIDENT).where(INCIDENT.c.id == incident_id).values(**values))
        changes.updated(EntityType.INCIDENT, incident_id)


async def merge_incidents(
    conn: AsyncConnection, keep: int, absorb: int, changes: ChangeLog, who: str = "ingest"
) -> None:
    """Moves `absorb`'s reports, actor links and statement links to `keep`, marks it merged
    and records what moved, so `unmerge(absorb)` can undo it."""
    if keep == absorb:
        raise MergeError("an incident cannot be merged into itself")
    report_ids = [
        int(i)
        for i in (
            await conn.execute(sa.select(REPORT.c.id).where(REPORT.c.incident_id == absorb))
        ).scalars()
    ]
    kept_links = {
        (int(a), str(r))
        for a, r in await conn.execute(
            sa.select(INCIDENT_ACTOR.c.actor_id, INCIDENT_ACTOR.c.role).where(
                INCIDENT_ACTOR.c.incident_id == keep
            )
        )
    }
    links = [
        {"actor_id": int(r.actor_id), "role": str(r.role), "basis": str(r.basis)}
        for r in await conn.execute(
            sa.select(INCIDENT_ACTOR).where(INCIDENT_ACTOR.c.incident_id == absorb)
        )
    ]
    moved_links = [x for x in links if (x["actor_id"], x["role"]) not in kept_links]
    kept_statements = set(
        (
            await conn.execute(
                sa.select(STATEMENT_INCIDENT.c.statement_id).where(
                    STATEMENT_INCIDENT.c.incident_id == keep
                )
            )
        ).scalars()
    )
    statements = [
        int(s)
        for s in (
            await conn.execute(
                sa.select(STATEMENT_INCIDENT.c.statement_id).where(
                    STATEMENT_INCIDENT.c.incident_id == absorb
                )
            )
        ).scalars()
    ]
    moved_statements = [s for s in statements if s not in kept_statements]
    if report_ids:
        await conn.execute(
            sa.update(REPORT).where(REPORT.c.id.in_(report_ids)).values(incident_id=keep)
        )
    if moved_links:
        await conn.execute(
            sa.insert(INCIDENT_ACTOR), [{**x, "incident_id": keep} for x in moved_links]
        )
    if moved_statements:
        await conn.execute(
            sa.insert(STATEMENT_INCIDENT),
            [{"statement_id": s, "incident_id": keep} for s in moved_statements],
        )
    await conn.execute(
        sa.update(INCIDENT)
        .where(INCIDENT.c.id == absorb)
        .values(merged_into_id=keep, source_count=0)
    )
    await conn.execute(
        sa.insert(AUDIT).values(
            who=who,
            action=MERGE_ACTION,
            entity_type=EntityType.INCIDENT,
            entity_id=absorb,
            before={"incident_id": absorb},
            after={
                "merged_into_id": keep,
                "report_ids": report_ids,
                "links": moved_links,
                "statement_ids": moved_statements,
            },
        )
    )
    for report_id in report_ids:
        changes.updated(EntityType.REPORT, report_id)
    changes.merged(EntityType.INCIDENT, absorb, keep)
    await recompute(conn, keep, changes)


async def unmerge(
    conn: AsyncConnection, absorbed: int, changes: ChangeLog, who: str = "ingest"
) -> int:
    """Undoes the last merge of `absorbed`; returns the incident it had been merged into."""
    entry = (
        await conn.execute(
            sa.select(AUDIT.c.after)
            .where(
                AUDIT.c.action == MERGE_ACTION,
                AUDIT.c.entity_type == EntityType.INCIDENT,
                AUDIT.c.entity_id == absorbed,
            )
            .order_by(AUDIT.c.id.desc())
            .limit(1)
        )
    ).scalar_one_or_none()
    merged_into = (
        await conn.execute(sa.select(INCIDENT.c.merged_into_id).where(INCIDENT.c.id == absorbed))
    ).scalar_one_or_none()
    if entry is None or merged_into is None or merged_into != entry["merged_into_id"]:
        raise MergeError(f"incident {absorbed} is not merged")
    keep = int(merged_into)
    report_ids = [int(i) for i in entry["report_ids"]]
    if report_ids:
        await conn.execute(
            sa.update(REPORT)
            .where(REPORT.c.id.in_(report_ids), REPORT.c.incident_id == keep)
            .values(incident_id=absorbed)
        )
    for link in entry["links"]:
        await conn.execute(
            sa.delete(INCIDENT_ACTOR).where(
                INCIDENT_ACTOR.c.incident_id == keep,
                INCIDENT_ACTOR.c.actor_id == link["actor_id"],
                INCIDENT_ACTOR.c.role == link["role"],
            )
        )
    if entry["statement_ids"]:
        await conn.execute(
            sa.delete(STATEMENT_INCIDENT).where(
                STATEMENT_INCIDENT.c.incident_id == keep,
                STATEMENT_INCIDENT.c.statement_id.in_(entry["statement_ids"]),
            )
        )
    await conn.execute(
        sa.update(INCIDENT).where(INCIDENT.c.id == absorbed).values(merged_into_id=None)
    )
    await conn.execute(
        sa.insert(AUDIT).values(
            who=who,
            action="incident.unmerge",
            entity_type=EntityType.INCIDENT,
            entity_id=absorbed,
            before={"merged_into_id": keep},
            after={"merged_into_id": None},
        )
    )
    for report_id in report_ids:
        changes.updated(EntityType.REPORT, report_id)
    changes.updated(EntityType.INCIDENT, absorbed)
    await recompute(conn, absorbed, changes)
    await recompute(conn, keep, changes)
    return keep
