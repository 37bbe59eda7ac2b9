"""Incidents (the real-world events), who did what to whom, and each source's account."""

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Field

from schema.enums import (
    ActorRole,
    AttributionBasis,
    DatePrecision,
    IncidentType,
    PlacePrecision,
    ReviewStatus,
    Salience,
)
from schema.models.base import Timestamped, enum_type

_FIGURES = (
    "({f}_low IS NULL OR {f}_low >= 0) AND ({f}_best IS NULL OR {f}_best >= 0)"
    " AND ({f}_high IS NULL OR {f}_high >= 0)"
    " AND ({f}_low IS NULL OR {f}_best IS NULL OR {f}_low <= {f}_best)"
    " AND ({f}_best IS NULL OR {f}_high IS NULL OR {f}_best <= {f}_high)"
)


class Incident(Timestamped, table=True):
    """One violent event. Figures are derived from its reports (low/best/high); fields
    named in `curated_fields` were set by a curator and survive reprocessing."""

    __tablename__ = "incident"
    __table_args__ = (
        sa.CheckConstraint(_FIGURES.format(f="killed"), name="killed"),
        sa.CheckConstraint(_FIGURES.format(f="wounded"), name="wounded"),
        sa.CheckConstraint("source_count >= 0", name="source_count"),
        sa.CheckConstraint("merged_into_id IS NULL OR merged_into_id <> id", name="no_self_merge"),
        sa.Index("ix_incident_date_id", "date", "id"),
        sa.Index("ix_incident_admin1_date", "admin1", "date"),
        sa.Index("ix_incident_type_date", "type", "date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    date: dt.date | None = None
    date_precision: DatePrecision | None = Field(
        default=None, sa_type=enum_type(DatePrecision, "date_precision")
    )
    place_id: int | None = Field(default=None, foreign_key="place.id", index=True)
    place_name: str | None = Field(default=None, max_length=300, description="as named in the text")
    place_precision: PlacePrecision | None = Field(
        default=None, sa_type=enum_type(PlacePrecision, "place_precision")
    )
    admin1: str | None = Field(default=None, max_length=100)
    country: str | None = Field(default=None, max_length=100, index=True)
    lat: float | None = None
    lon: float | None = None
    type: IncidentType = Field(sa_type=enum_type(IncidentType, "type"))
    killed_low: int | None = None
    killed_best: int | None = None
    killed_high: int | None = None
    wounded_low: int | None = None
    wounded_best: int | None = None
    wounded_high: int | None = None
    source_count: int = Field(default=0)
    salience: Salience = Field(default=Salience.MAIN, sa_type=enum_type(Salience, "salience"))
    review_status: ReviewStatus = Field(
        default=ReviewStatus.UNREVIEWED,
        sa_type=enum_type(ReviewStatus, "review_status"),
        index=True,
    )
    curated_fields: list[str] = Field(default_factory=list, sa_type=JSON)
    merged_into_id: int | None = Field(default=None, foreign_key="incident.id")
    deleted_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class IncidentActor(Timestamped, table=True):
    __tablename__ = "incident_actor"
    __table_args__ = (
        sa.UniqueConstraint("incident_id", "actor_id", "role"),
        sa.Index("ix_incident_actor_actor_role", "actor_id", "role", "incident_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", ondelete="CASCADE", index=True)
    actor_id: int = Field(foreign_key="actor.id", ondelete="CASCADE")
    role: ActorRole = Field(sa_type=enum_type(ActorRole, "role"))
    basis: AttributionBasis = Field(sa_type=enum_type(AttributionBasis, "basis"))


class Report(Timestamped, table=True):
    """One document's account of one incident: what that source says, and where."""

    __tablename__ = "report"
    __table_args__ = (
        sa.UniqueConstraint("incident_id", "document_id", "span_start"),
        sa.CheckConstraint("span_start >= 0 AND span_end > span_start", name="span"),
        sa.CheckConstraint("killed IS NULL OR killed >= 0", name="killed"),
        sa.CheckConstraint("wounded IS NULL OR wounded >= 0", name="wounded"),
    )

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", ondelete="CASCADE", index=True)
    document_id: int = Field(foreign_key="document.id", ondelete="CASCADE", index=True)
    date: dt.date | None = None
    date_precision: DatePrecision | None = Field(
        default=None, sa_type=enum_type(DatePrecision, "date_precision")
    )
    place_id: int | None = Field(default=None, foreign_key="place.id")
    type: IncidentType = Field(sa_type=enum_type(IncidentType, "type"))
    killed: int | None = None
    wounded: int | None = None
    salience: Salience = Field(default=Salience.MAIN, sa_type=enum_type(Salience, "salience"))
    span_start: int
    span_end: int
    evidence: str = Field(sa_type=sa.Text, description="the text of the span")
    spans: dict[str, Any] = Field(
        default_factory=dict, sa_type=JSON, description="per-field spans: {field: [start, end]}"
    )
