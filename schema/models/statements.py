"""What officials and organisations said, and which incidents they spoke about."""

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Field

from schema.enums import Channel, StatementKind
from schema.models.base import Timestamped, enum_type


class Statement(Timestamped, table=True):
    __tablename__ = "statement"
    __table_args__ = (
        sa.CheckConstraint("span_start >= 0 AND span_end > span_start", name="span"),
        sa.CheckConstraint(
            "speaker_person_id IS NOT NULL OR speaker_actor_id IS NOT NULL", name="speaker"
        ),
        sa.Index("ix_statement_date_id", "date", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", ondelete="CASCADE", index=True)
    speaker_person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    speaker_actor_id: int | None = Field(default=None, foreign_key="actor.id", index=True)
    speaker_role_id: int | None = Field(
        default=None, foreign_key="role.id", description="the speaker's role on `date`"
    )
    kind: StatementKind = Field(sa_type=enum_type(StatementKind, "kind"))
    text: str = Field(sa_type=sa.Text)
    date: dt.date | None = None
    channel: Channel | None = Field(default=None, sa_type=enum_type(Channel, "channel"))
    span_start: int
    span_end: int


class StatementIncident(Timestamped, table=True):
    __tablename__ = "statement_incident"

    statement_id: int = Field(foreign_key="statement.id", ondelete="CASCADE", primary_key=True)
    incident_id: int = Field(
        foreign_key="incident.id", ondelete="CASCADE", primary_key=True, index=True
    )
