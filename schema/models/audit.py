"""The change feed, the curation audit log and API keys."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Field

from schema.enums import ChangeOp, EntityType, Scope
from schema.models.base import Timestamped, enum_type, utcnow


class Change(Timestamped, table=True):
    """Append-only log of every created/updated/merged/deleted row. Its `id` is the
    change-feed cursor: monotonic, so a mirror replaying `id > cursor` never drifts.
    Rows with op merged/deleted are the tombstones."""

    __tablename__ = "change"
    __table_args__ = (sa.Index("ix_change_entity", "entity_type", "entity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    entity_type: EntityType = Field(sa_type=enum_type(EntityType, "entity_type"))
    entity_id: int
    op: ChangeOp = Field(sa_type=enum_type(ChangeOp, "op"))
    merged_into_id: int | None = None
    at: datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True))


class AuditLog(Timestamped, table=True):
    """Who changed what by hand (curation), with the values before and after."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    who: str = Field(max_length=200)
    at: datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True), index=True)
    action: str = Field(max_length=100)
    entity_type: EntityType = Field(sa_type=enum_type(EntityType, "entity_type"))
    entity_id: int = Field(index=True)
    before: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    after: dict[str, Any] | None = Field(default=None, sa_type=JSON)


class ApiKey(Timestamped, table=True):
    """An API key, stored as a SHA-256 hash; `prefix` identifies it in logs."""

    __tablename__ = "api_key"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    prefix: str = Field(max_length=16, index=True)
    key_hash: str = Field(max_length=64, unique=True)
    scope: Scope = Field(sa_type=enum_type(Scope, "scope"))
    revoked_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    last_used_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
