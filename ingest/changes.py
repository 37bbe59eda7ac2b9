"""Collects the change-feed rows of one storing transaction and writes them before commit.

Each entity touched gets one row (`created` wins over a later `updated` of the same
entity in the same transaction), written in one batch in the same transaction as the
data, so the REST change feed and GraphQL subscriptions never see data without its
change row or a change row without its data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncConnection

from schema import events
from schema.enums import ChangeOp, EntityType


@dataclass
class ChangeLog:
    _ops: dict[tuple[EntityType, int], tuple[ChangeOp, int | None]] = field(default_factory=dict)

    def created(self, entity: EntityType, entity_id: int) -> None:
        self._ops[(entity, entity_id)] = (ChangeOp.CREATED, None)

    def updated(self, entity: EntityType, entity_id: int) -> None:
        self._ops.setdefault((entity, entity_id), (ChangeOp.UPDATED, None))

    def deleted(self, entity: EntityType, entity_id: int) -> None:
        self._ops[(entity, entity_id)] = (ChangeOp.DELETED, None)

    def merged(self, entity: EntityType, entity_id: int, into: int) -> None:
        self._ops[(entity, entity_id)] = (ChangeOp.MERGED, into)

    def ops(self) -> list[tuple[EntityType, int, ChangeOp, int | None]]:
        return [(e, i, op, into) for (e, i), (op, into) in self._ops.items()]

    def count(self, entity: EntityType, op: ChangeOp) -> int:
        return sum(1 for (e, _), (o, _) in self._ops.items() if e == entity and o == op)

    async def flush(self, conn: AsyncConnection) -> int | None:
        """Writes the rows and announces them; returns the highest change id written."""
        last = await events.record(conn, self.ops())
        self._ops.clear()
        return last
