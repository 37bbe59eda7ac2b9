"""The change feed: what was created, updated, merged or deleted, after a cursor.

Entries come from the append-only `change` table in id order. Created, updated and
merged entries carry the entity's current row (`data`) together with the link rows it
owns (an incident's actors, a statement's incidents, aliases, a document's mentions), so
replaying the feed in order into an empty database reproduces this one. Merged entries
are tombstones (the row lives on with `merged_into_id` set); deleted ones have no data. Every entry's `data` is the state at read time: replaying an
older entry and then the newer ones converges on the same rows.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from api.query import tables as t
from api.query.cursor import IdKeyset
from schema.enums import ChangeOp, EntityType

KEYSET = IdKeyset("changes", t.change.c.id)

ENTITY_TABLES: dict[str, sa.Table] = {
    EntityType.DOCUMENT.value: t.document,
    EntityType.PLACE.value: t.place,
    EntityType.ACTOR.value: t.actor,
    EntityType.PERSON.value: t.person,
    EntityType.ROLE.value: t.role,
    EntityType.INCIDENT.value: t.incident,
    EntityType.REPORT.value: t.report,
    EntityType.STATEMENT.value: t.statement,
}

# entity type -> (name in data, link table, column pointing at the entity)
OWNED_LINKS: dict[str, tuple[str, sa.Table, str]] = {
    EntityType.DOCUMENT.value: ("mentions", t.mention, "document_id"),
    EntityType.PLACE.value: ("aliases", t.place_alias, "place_id"),
    EntityType.ACTOR.value: ("aliases", t.actor_alias, "actor_id"),
    EntityType.PERSON.value: ("aliases", t.person_alias, "person_id"),
    EntityType.INCIDENT.value: ("actors", t.incident_actor, "incident_id"),
    EntityType.STATEMENT.value: ("incidents", t.statement_incident, "statement_id"),
}


@dataclass(frozen=True)
class ChangePage:
    items: list[dict[str, Any]]
    next: str  # where to resume; the `since` given when nothing new happened
    more: bool  # True when more entries follow right away


async def _current(
    conn: AsyncConnection, entity_type: str, ids: Sequence[int]
) -> dict[int, dict[str, Any]]:
    table = ENTITY_TABLES[entity_type]
    rows = (await conn.execute(sa.select(table).where(table.c.id.in_(set(ids))))).all()
    out = {r.id: dict(r._mapping) for r in rows}
    link = OWNED_LINKS.get(entity_type)
    if link is not None and out:
        name, link_table, fk = link
        order = [link_table.c[fk], *link_table.primary_key.columns]
        stmt = sa.select(link_table).where(link_table.c[fk].in_(list(out))).order_by(*order)
        grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for r in (await conn.execute(stmt)).all():
            grouped[r._mapping[fk]].append(dict(r._mapping))
        for id_, data in out.items():
            data[name] = grouped.get(id_, [])
    return out


async def list_changes(
    conn: AsyncConnection, since: str | None, limit: int, param: str = "since"
) -> ChangePage:
    c = t.change.c
    stmt = sa.select(t.change).order_by(c.id).limit(limit + 1)
    if since is not None:
        stmt = stmt.where(KEYSET.after(since, param))
    rows = [dict(r._mapping) for r in (await conn.execute(stmt)).all()]
    more = len(rows) > limit
    rows = rows[:limit]
    wanted: dict[str, list[int]] = defaultdict(list)
    for r in rows:
        if r["op"] != ChangeOp.DELETED.value:
            wanted[r["entity_type"]].append(r["entity_id"])
    current = {et: await _current(conn, et, ids) for et, ids in wanted.items()}
    items = []
    for r in rows:
        data = current.get(r["entity_type"], {}).get(r["entity_id"])
        items.append(
            {
                "seq": r["id"],
                "entity_type": r["entity_type"],
                "entity_id": r["entity_id"],
                "op": r["op"],
                "merged_into_id": r["merged_into_id"],
                "at": r["at"],
                "data": data,
            }
        )
    if rows:
        nxt = KEYSET.cursor_of(rows[-1])
    else:
        nxt = since if since is not None else KEYSET.cursor_of({"id": 0})
    return ChangePage(items, nxt, more)
